import { LoadedObject } from '../../checks/load';
import { ingressClassOf, list, namespaceOf } from '../../checks/manifest-fields';

type Manifest = LoadedObject['object'];

/**
 * What an Ingress routes, entry by entry: every host and path of its rules, then its
 * `defaultBackend` (the catch-all for requests no rule takes). ingress-nginx pairs a canary
 * Ingress with a main one per entry: same class, host, path and path type.
 */
export interface IngressEntry {
  /** '' for any host. */
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly service: unknown;
  /** The field that names the Service. */
  readonly field: string;
  readonly catchAll: boolean;
}

export function ingressEntries(ing: Manifest): IngressEntry[] {
  const entries: IngressEntry[] = [];
  list<Manifest>(ing.spec?.rules).forEach((rule, i) => list<Manifest>(rule?.http?.paths).forEach((p, j) => entries.push({
    host: typeof rule?.host === 'string' ? rule.host : '',
    path: typeof p?.path === 'string' ? p.path : '/',
    pathType: String(p?.pathType),
    service: p?.backend?.service?.name,
    field: `spec.rules[${i}].http.paths[${j}].backend.service.name`,
    catchAll: false,
  })));
  const fallback = ing.spec?.defaultBackend;
  if (fallback) entries.push({ host: '', path: '/', pathType: 'Prefix', service: fallback.service?.name, field: 'spec.defaultBackend.service.name', catchAll: true });
  return entries;
}

/** The key ingress-nginx pairs canary and main Ingresses by, for one entry. */
export function ingressEntryKey(ing: Manifest, e: IngressEntry): string {
  return `${namespaceOf(ing)}|${ingressClassOf(ing)}|${e.host}|${e.path}|${e.pathType}`;
}

/** An entry in words: `shop.example.com/api`, `(any host)/`. */
export function entryLabel(e: IngressEntry): string {
  return `${e.host === '' ? '(any host)' : e.host}${e.path}`;
}
