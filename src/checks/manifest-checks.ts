import { APP_LABEL, labelSelectorMatches, selectorMatches, TRACK_LABEL, VERSION_LABEL } from '../core/labels';
import { checkAlbIngresses } from './alb-checks';
import { inCluster, LocatedManifest, ManifestProblem } from './manifest';
import { get, goTrue, groupByCluster, ingressClassOf, labelsOf, list, namespaceOf } from './manifest-fields';

/**
 * Checks of synthesized manifests, run by the safe synth before it replaces dist/ and by the
 * property tests: what must hold for the output to be applied and to route what it says. Objects
 * labelled `app.kubernetes.io/managed-by: cdk8s-canary` get the canary invariants as well; every
 * object gets the structural ones.
 */

const MANAGED_BY = 'app.kubernetes.io/managed-by';
const SELECTOR_KEYS = [APP_LABEL, TRACK_LABEL];
const NGINX = 'nginx.ingress.kubernetes.io/';

/**
 * All problems of a set of manifests (one app's output), each cluster's objects (CanaryScope)
 * checked on their own: names and routes are unique per cluster.
 */
export function checkManifests(items: readonly LocatedManifest[]): ManifestProblem[] {
  return groupByCluster(items, (item) => item.manifest).flatMap(([cluster, members]) => checkClusterManifests(members).map((p) => inCluster(p, cluster)));
}

/** The problems of the manifests of one cluster, named as they are (the caller says which cluster). */
export function checkClusterManifests(items: readonly LocatedManifest[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const seen = new Map<string, string>();
  const deployments: { item: LocatedManifest; id: string; ns: string; selector: Record<string, string>; labels: Record<string, string>; replicas: unknown }[] = [];
  const ingresses: { item: LocatedManifest; id: string; ns: string; canary: boolean; routes: string[] }[] = [];
  const budgets: { id: string; ns: string; selector: unknown }[] = [];
  const autoscaled = new Map<string, string>();

  for (const item of items) {
    const m = item.manifest;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      problems.push({ file: item.file, object: '?', field: '', message: 'is not an object' });
      continue;
    }
    const kind = typeof m.kind === 'string' ? m.kind : undefined;
    const name = get(m, 'metadata', 'name');
    const id = `${kind ?? '?'}/${typeof name === 'string' ? name : '?'}`;
    const problem = (field: string, message: string) => problems.push({ file: item.file, object: id, field, message });
    if (typeof m.apiVersion !== 'string' || m.apiVersion === '') problem('apiVersion', 'has no apiVersion');
    if (!kind) problem('kind', 'has no kind');
    if (typeof name !== 'string' || name === '') problem('metadata.name', 'has no metadata.name');
    const namespace = namespaceOf(m);
    const group = typeof m.apiVersion === 'string' && m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
    const key = `${group}|${kind}|${namespace}|${name}`;
    const first = seen.get(key);
    if (first !== undefined) problem('metadata.name', `is defined twice (also in ${first}): the second would overwrite the first`);
    seen.set(key, item.file);
    const managed = labelsOf(get(m, 'metadata', 'labels'))[MANAGED_BY] === 'cdk8s-canary';

    for (const [annotation] of Object.entries(labelsOf(get(m, 'metadata', 'annotations')))) {
      if (annotation.startsWith(NGINX) && annotation.endsWith('-snippet')) problem(`metadata.annotations.${annotation}`, `has the snippet annotation ${annotation}`);
    }

    switch (kind) {
      case 'Deployment': {
        const selector = labelsOf(get(m, 'spec', 'selector', 'matchLabels'));
        const labels = labelsOf(get(m, 'spec', 'template', 'metadata', 'labels'));
        if (Object.keys(selector).length === 0 && get(m, 'spec', 'selector', 'matchExpressions') === undefined) problem('spec.selector', 'has an empty selector');
        if (!selectorMatches(selector, labels)) problem('spec.selector.matchLabels', 'has a selector that does not match its own pod template labels');
        if (managed && Object.keys(selector).sort().join(',') !== SELECTOR_KEYS.join(',')) {
          problem('spec.selector.matchLabels', `selects on ${JSON.stringify(selector)}; canary Deployments select on app + track only`);
        }
        deployments.push({ item, id, ns: namespace, selector, labels, replicas: get(m, 'spec', 'replicas') });
        break;
      }
      case 'PodDisruptionBudget': {
        // policy/v1: the whole selector counts (expressions too), and an empty one covers every pod of the namespace.
        budgets.push({ id, ns: namespace, selector: get(m, 'spec', 'selector') });
        break;
      }
      case 'HorizontalPodAutoscaler': {
        if (get(m, 'spec', 'scaleTargetRef', 'kind') === 'Deployment') autoscaled.set(`${namespace}|${get(m, 'spec', 'scaleTargetRef', 'name')}`, id);
        break;
      }
      case 'Service': {
        const selector = labelsOf(get(m, 'spec', 'selector'));
        if (managed && (VERSION_LABEL in selector || Object.keys(selector).some((k) => !SELECTOR_KEYS.includes(k)))) {
          problem('spec.selector', `selects on ${JSON.stringify(selector)}; a canary Service selects on app (+ track) only, never a version`);
        }
        break;
      }
      case 'DestinationRule': {
        for (const [i, subset] of list(get(m, 'spec', 'subsets')).entries()) {
          if (managed && VERSION_LABEL in labelsOf(get(subset, 'labels'))) problem(`spec.subsets[${i}].labels`, `subset ${get(subset, 'name')} selects on version; subsets select on track`);
        }
        break;
      }
      case 'VirtualService': {
        list(get(m, 'spec', 'http')).forEach((route, i) => {
          const destinations = list(get(route, 'route'));
          if (destinations.length > 1) {
            const sum = destinations.reduce((total: number, d) => { const w = get(d, 'weight'); return total + (typeof w === 'number' ? w : 0); }, 0);
            if (sum !== 100) problem(`spec.http[${i}].route`, `http[${i}] route weights sum to ${sum}, not 100`);
          }
        });
        break;
      }
      case 'HTTPRoute': {
        list(get(m, 'spec', 'rules')).forEach((rule, i) => {
          const refs = list(get(rule, 'backendRefs'));
          if (managed && refs.some((ref) => typeof get(ref, 'weight') !== 'number' || typeof get(ref, 'port') !== 'number')) {
            problem(`spec.rules[${i}].backendRefs`, `rules[${i}] has a backendRef without an explicit weight or port`);
          }
          if (refs.length > 0 && refs.every((ref) => get(ref, 'weight') === 0)) problem(`spec.rules[${i}].backendRefs`, `rules[${i}] has only zero weights: it serves errors`);
        });
        break;
      }
      case 'Ingress': {
        const annotations = labelsOf(get(m, 'metadata', 'annotations'));
        const className = ingressClassOf(m);
        const routes: string[] = [];
        for (const rule of list(get(m, 'spec', 'rules'))) {
          for (const path of list(get(rule, 'http', 'paths'))) {
            routes.push(`${className}|${get(rule, 'host') ?? ''}|${get(path, 'path') ?? ''}|${get(path, 'pathType') ?? ''}`);
          }
        }
        ingresses.push({ item, id, ns: namespace, canary: goTrue(annotations[`${NGINX}canary`]), routes });
        break;
      }
      default:
    }
  }

  // Pods of another Deployment can only match a selector that names their app: bucket by it.
  const byApp = new Map<string, typeof deployments>();
  for (const d of deployments) {
    const bucket = `${d.ns}|${d.labels[APP_LABEL] ?? ''}`;
    byApp.set(bucket, [...byApp.get(bucket) ?? [], d]);
  }
  for (const a of deployments) {
    const candidates = APP_LABEL in a.selector ? byApp.get(`${a.ns}|${a.selector[APP_LABEL]}`) ?? [] : deployments.filter((d) => d.ns === a.ns);
    for (const b of candidates) {
      if (a !== b && Object.keys(a.selector).length > 0 && selectorMatches(a.selector, b.labels)) {
        problems.push({ file: a.item.file, object: a.id, field: 'spec.selector.matchLabels', message: `selects the pods of ${b.id} too` });
      }
    }
  }
  // Budgets by the app their matchLabels name ("*": none, such a budget may cover any pod).
  const budgetsByApp = new Map<string, typeof budgets>();
  for (const b of budgets) {
    const app = labelsOf(get(b.selector, 'matchLabels'))[APP_LABEL];
    const bucket = `${b.ns}|${app ?? '*'}`;
    budgetsByApp.set(bucket, [...budgetsByApp.get(bucket) ?? [], b]);
  }
  for (const d of deployments) {
    // Two budgets over one pod make it unevictable: the eviction API answers 500 and drains hang.
    const candidates = [...budgetsByApp.get(`${d.ns}|${d.labels[APP_LABEL] ?? ''}`) ?? [], ...budgetsByApp.get(`${d.ns}|*`) ?? []];
    const covering = candidates.filter((b) => labelSelectorMatches(b.selector, d.labels));
    if (covering.length > 1) {
      problems.push({ file: d.item.file, object: d.id, field: 'spec.template.metadata.labels', message: `has pods that ${covering.map((b) => b.id).join(' and ')} both cover; the eviction API refuses to evict a pod with more than one PodDisruptionBudget, so node drains would hang` });
    }
    const autoscaler = autoscaled.get(`${d.ns}|${d.id.slice('Deployment/'.length)}`);
    if (autoscaler !== undefined && d.replicas !== undefined) {
      problems.push({ file: d.item.file, object: d.id, field: 'spec.replicas', message: `sets spec.replicas while ${autoscaler} scales it: every GitOps sync would reset the autoscaler's count; leave replicas out` });
    }
  }
  const mainRoutes = new Set(ingresses.filter((i) => !i.canary).flatMap((i) => i.routes.map((route) => `${i.ns}|${route}`)));
  for (const canary of ingresses.filter((i) => i.canary)) {
    for (const route of canary.routes) {
      if (!mainRoutes.has(`${canary.ns}|${route}`)) {
        problems.push({ file: canary.item.file, object: canary.id, field: 'spec.rules', message: `is a canary for ${route.split('|').join(' ')} (class host path pathType), but no main Ingress has the same; ingress-nginx would drop it silently` });
      }
    }
  }
  problems.push(...checkAlbIngresses(items));
  return problems;
}
