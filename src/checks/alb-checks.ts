import { ALB, parseAlbAction, parseAlbConditions } from '../core/alb';
import { LocatedManifest, ManifestProblem } from './manifest';
import { get, ingressClassOf, labelsOf, list, namespaceOf } from './manifest-fields';

/**
 * The manifest checks for Ingresses of the AWS Load Balancer Controller: what makes the controller
 * fail the whole ALB (pkg/ingress/config_types.go validate(); enhanced_backend_builder.go): a
 * `use-annotation` backend without its `actions.<name>`, action or condition JSON that does not
 * decode, a target group naming a Service or port that is not in the output; and, for the
 * library's own Ingresses, weights always explicit.
 */

/** True for an Ingress the AWS Load Balancer Controller serves: class `alb`, or ALB routing annotations. */
export function isAlbIngress(m: unknown): boolean {
  if (get(m, 'kind') !== 'Ingress') return false;
  return ingressClassOf(m) === 'alb' || Object.keys(labelsOf(get(m, 'metadata', 'annotations'))).some((k) => k.startsWith(`${ALB}actions.`));
}

export function checkAlbIngresses(items: readonly LocatedManifest[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  // Service ports by namespace and name: numbers and names, as a target group's servicePort may give either.
  const ports = new Map<string, Set<string>>();
  for (const { manifest } of items) {
    if (get(manifest, 'kind') !== 'Service') continue;
    const own = new Set<string>();
    for (const port of list(get(manifest, 'spec', 'ports'))) {
      own.add(String(get(port, 'port')));
      if (typeof get(port, 'name') === 'string') own.add(String(get(port, 'name')));
    }
    ports.set(`${namespaceOf(manifest)}|${get(manifest, 'metadata', 'name')}`, own);
  }
  for (const item of items.filter((i) => isAlbIngress(i.manifest))) {
    const m = item.manifest;
    const id = `Ingress/${get(m, 'metadata', 'name')}`;
    const problem = (field: string, message: string) => problems.push({ file: item.file, object: id, field, message });
    const annotations = labelsOf(get(m, 'metadata', 'annotations'));
    const managed = labelsOf(get(m, 'metadata', 'labels'))['app.kubernetes.io/managed-by'] === 'cdk8s-canary';
    const checked = new Set<string>();
    list(get(m, 'spec', 'rules')).forEach((rule, r) => {
      list(get(rule, 'http', 'paths')).forEach((path, p) => {
        const field = `spec.rules[${r}].http.paths[${p}].backend.service`;
        const name = get(path, 'backend', 'service', 'name');
        if (get(path, 'backend', 'service', 'port', 'name') !== 'use-annotation' || typeof name !== 'string' || checked.has(name)) return;
        checked.add(name);
        const key = `${ALB}actions.${name}`;
        if (!Object.prototype.hasOwnProperty.call(annotations, key)) {
          problem(field, `has port use-annotation, but there is no annotation ${key}: the controller fails the whole ALB`);
          return;
        }
        const action = parseAlbAction(annotations[key]);
        for (const message of action.problems) problem(`metadata.annotations.${key}`, message);
        action.targetGroups.forEach((group, i) => {
          if (group.serviceName === undefined) return;
          const own = ports.get(`${namespaceOf(m)}|${group.serviceName}`);
          if (!own) problem(`metadata.annotations.${key}`, `target group ${i} names Service ${group.serviceName}, which is not in the output: the controller fails the whole ALB`);
          else if (!own.has(String(group.servicePort))) problem(`metadata.annotations.${key}`, `target group ${i} names port ${JSON.stringify(group.servicePort)} of Service ${group.serviceName}, which has no such port`);
          if (managed && action.targetGroups.length > 1 && group.weight === undefined) problem(`metadata.annotations.${key}`, `target group ${i} has no explicit weight`);
        });
        const conditions = annotations[`${ALB}conditions.${name}`];
        if (conditions !== undefined) for (const message of parseAlbConditions(conditions).problems) problem(`metadata.annotations.${ALB}conditions.${name}`, message);
      });
    });
  }
  return problems;
}
