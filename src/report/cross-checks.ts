import { isAlbIngress } from '../checks/alb-checks';
import { ingressClassOf, labelsOf, list } from '../checks/manifest-fields';
import { ALB } from '../core/alb';
import { id, isCanaryIngress, Manifest, ns, ObjectIndex } from './model/object-index';
import { RouterContext } from './routers/router';

/**
 * Problems between objects that no one canary shows: a host, an Ingress path or an ALB rule
 * claimed twice, so that one of the claims never takes a request.
 */
export function crossObjectProblems(index: ObjectIndex, problem: RouterContext['problem']): void {
  duplicateVirtualServiceHosts(index, problem);
  duplicateMainIngresses(index, problem);
  albShadowedRules(index, problem);
}

/**
 * A host claimed by two VirtualServices: istiod merges them for gateways only, and for sidecars
 * keeps one, so which routes apply depends on creation order (Istio's VirtualService docs).
 */
function duplicateVirtualServiceHosts(index: ObjectIndex, problem: RouterContext['problem']): void {
  const claimed = new Map<string, Manifest>();
  for (const vs of index.all.filter((m) => m.kind === 'VirtualService')) {
    const gateways = list<string>(vs.spec?.gateways);
    for (const scope of gateways.length === 0 ? ['mesh'] : gateways) {
      list<string>(vs.spec?.hosts).forEach((host, i) => {
        const resolved = String(host).includes('.') || String(host).includes('*') ? host : `${host}.${ns(vs)}.svc.cluster.local`;
        const key = `${scope}|${resolved}`;
        const first = claimed.get(key);
        if (first && first !== vs) problem(vs, `spec.hosts[${i}]`, `claims host ${host} (${scope}) that ${id(first)} in ${ns(first)} claims too: which routes apply depends on creation order`);
        else claimed.set(key, vs);
      });
    }
  }
}

/** Two main Ingresses of one class for one host and path: ingress-nginx serves one of them. */
function duplicateMainIngresses(index: ObjectIndex, problem: RouterContext['problem']): void {
  const mains = new Map<string, Manifest>();
  for (const ing of index.all.filter((m) => m.kind === 'Ingress' && !isCanaryIngress(m) && !isAlbIngress(m))) {
    list<Manifest>(ing.spec?.rules).forEach((rule, r) => {
      list<Manifest>(rule?.http?.paths).forEach((path, p) => {
        const key = `${ingressClassOf(ing)}|${rule?.host ?? ''}|${path?.path}|${path?.pathType}`;
        const first = mains.get(key);
        if (first && first !== ing) problem(ing, `spec.rules[${r}].http.paths[${p}]`, `routes ${rule?.host ?? '(any host)'}${path?.path} of class ${ingressClassOf(ing)} that ${id(first)} in ${ns(first)} routes too: ingress-nginx serves only one of them`);
        else mains.set(key, ing);
      });
    });
  }
}

/**
 * Two ALB rules with the same host, path and path type and no conditions, in one ALB (one
 * IngressGroup, or one Ingress): the controller orders them (group.order, then namespace/name,
 * then listed order) and the later one never takes a request.
 */
function albShadowedRules(index: ObjectIndex, problem: RouterContext['problem']): void {
  const first = new Map<string, Manifest>();
  for (const ing of index.all.filter(isAlbIngress)) {
    const annotations = labelsOf(ing.metadata?.annotations);
    const group = annotations[`${ALB}group.name`] ?? `${ns(ing)}/${ing.metadata?.name}`;
    list<Manifest>(ing.spec?.rules).forEach((rule, r) => {
      list<Manifest>(rule?.http?.paths).forEach((path, p) => {
        const service = path?.backend?.service;
        if (service?.port?.name === 'use-annotation' && annotations[`${ALB}conditions.${service?.name}`] !== undefined) return;
        const key = `${group}|${rule?.host ?? ''}|${path?.pathType}|${path?.path}`;
        const seen = first.get(key);
        const where = `${rule?.host ?? '(any host)'}${path?.path} (${path?.pathType})`;
        if (seen) problem(ing, `spec.rules[${r}].http.paths[${p}]`, `routes ${where} without conditions, as ${id(seen)} in ${ns(seen)} does in ${annotations[`${ALB}group.name`] ? `IngressGroup ${group}` : 'the same Ingress'}: the ALB evaluates one of them first and the other never takes a request`);
        else first.set(key, ing);
      });
    });
  }
}

