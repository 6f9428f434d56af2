import { App } from 'cdk8s';

import { buildExampleApp } from '../src/app/example-app';
import { LocatedManifest, Manifest } from '../src/checks/manifest';
import { checkManifests } from '../src/checks/manifest-checks';

const MANAGED = { 'app': 'web', 'app.kubernetes.io/managed-by': 'cdk8s-canary' };

function deployment(name: string, selector: Record<string, string>, labels: Record<string, string>, managed = true): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: managed ? MANAGED : {} },
    spec: { selector: { matchLabels: selector }, template: { metadata: { labels } } },
  };
}

const at = (...manifests: Manifest[]): LocatedManifest[] => manifests.map((manifest) => ({ file: 'a.yaml', manifest }));
const messages = (...manifests: Manifest[]) => checkManifests(at(...manifests)).map((p) => `${p.object}: ${p.message}`);

describe('checkManifests', () => {
  test('the whole example app passes', () => {
    const app = new App({ outdir: 'unused' });
    buildExampleApp(app);
    const items = app.charts.flatMap((c) => c.toJson().map((manifest: Manifest) => ({ file: `${c.node.id}.k8s.yaml`, manifest })));
    expect(items.length).toBeGreaterThan(80);
    expect(checkManifests(items)).toEqual([]);
  });

  test('objects without apiVersion, kind or name', () => {
    expect(messages({ kind: 'Service', metadata: {} })).toEqual(['Service/?: has no apiVersion', 'Service/?: has no metadata.name']);
    expect(messages({ apiVersion: 'v1', metadata: { name: 'x' } })).toEqual(['?/x: has no kind']);
    expect(messages([] as unknown as Manifest)).toEqual(['?: is not an object']);
  });

  test('the same object twice', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } };
    expect(messages(svc, svc)).toEqual(['Service/web: is defined twice (also in a.yaml): the second would overwrite the first']);
    expect(messages(svc, { ...svc, metadata: { name: 'web', namespace: 'other' } })).toEqual([]);
  });

  test('Deployment selectors: must match own pods, only app + track when managed, never overlap', () => {
    expect(messages(deployment('web', { app: 'web', track: 'stable' }, { app: 'web', track: 'canary' }))).toEqual([
      'Deployment/web: has a selector that does not match its own pod template labels',
    ]);
    expect(messages(deployment('web', { app: 'web', version: 'v1' }, { app: 'web', version: 'v1' }))).toEqual([
      'Deployment/web: selects on {"app":"web","version":"v1"}; canary Deployments select on app + track only',
    ]);
    expect(messages(
      deployment('a', { app: 'web' }, { app: 'web', x: '1' }, false),
      deployment('b', { app: 'web', track: 'canary' }, { app: 'web', track: 'canary' }),
    )).toEqual(['Deployment/a: selects the pods of Deployment/b too']);
  });

  test('two PodDisruptionBudgets over one pod, and a fixed replica count under an autoscaler', () => {
    const pods = { app: 'web', track: 'stable' };
    const budget = (name: string, matchLabels: Record<string, string>) => ({
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels } },
    });
    const web = deployment('web', pods, pods);
    expect(messages(web, budget('web', pods), budget('team-wide', { app: 'web' }))).toEqual([
      'Deployment/web: has pods that PodDisruptionBudget/web and PodDisruptionBudget/team-wide both cover; the eviction API refuses to evict a pod with more than one PodDisruptionBudget, so node drains would hang',
    ]);
    expect(messages(web, budget('web', pods), budget('canary', { app: 'web', track: 'canary' }))).toEqual([]);
    expect(messages(web, budget('web', pods), { ...budget('elsewhere', { app: 'web' }), metadata: { name: 'elsewhere', namespace: 'other' } })).toEqual([]);
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 } };
    expect(messages({ ...web, spec: { ...web.spec as object, replicas: 3 } }, hpa)).toEqual([
      'Deployment/web: sets spec.replicas while HorizontalPodAutoscaler/web scales it: every GitOps sync would reset the autoscaler\'s count; leave replicas out',
    ]);
    expect(messages(web, hpa)).toEqual([]);
  });

  test('a managed Service or subset selecting on version', () => {
    expect(messages({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: MANAGED }, spec: { selector: { app: 'web', version: 'v1' } } }))
      .toEqual(['Service/web: selects on {"app":"web","version":"v1"}; a canary Service selects on app (+ track) only, never a version']);
    expect(messages({
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', labels: MANAGED },
      spec: { host: 'web', subsets: [{ name: 'v2', labels: { version: 'v2' } }] },
    })).toEqual(['DestinationRule/web: subset v2 selects on version; subsets select on track']);
  });

  test('VirtualService weights that do not sum to 100', () => {
    const route = (a: number, b: number) => ({ route: [{ destination: { host: 'h', subset: 's' }, weight: a }, { destination: { host: 'h', subset: 'c' }, weight: b }] });
    expect(messages({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web' }, spec: { http: [route(90, 10), route(90, 20)] } }))
      .toEqual(['VirtualService/web: http[1] route weights sum to 110, not 100']);
  });

  test('HTTPRoute backendRefs without weight or port, or all zero', () => {
    expect(messages({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', labels: MANAGED },
      spec: { rules: [{ backendRefs: [{ name: 'a', port: 80 }] }, { backendRefs: [{ name: 'a', port: 80, weight: 0 }, { name: 'b', port: 80, weight: 0 }] }] },
    })).toEqual([
      'HTTPRoute/web: rules[0] has a backendRef without an explicit weight or port',
      'HTTPRoute/web: rules[1] has only zero weights: it serves errors',
    ]);
  });

  test('a canary Ingress without an identical main Ingress, and snippet annotations', () => {
    const ingress = (name: string, path: string, annotations: Record<string, string>) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop', annotations },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'example.com', http: { paths: [{ path, pathType: 'Prefix', backend: {} }] } }] },
    });
    expect(messages(ingress('web', '/', {}), ingress('web-canary', '/', { 'nginx.ingress.kubernetes.io/canary': 'true' }))).toEqual([]);
    expect(messages(ingress('web', '/', {}), ingress('web-canary', '/shop', { 'nginx.ingress.kubernetes.io/canary': 'true' }))).toEqual([
      'Ingress/web-canary: is a canary for nginx example.com /shop Prefix (class host path pathType), but no main Ingress has the same; ingress-nginx would drop it silently',
    ]);
    expect(messages(ingress('web', '/', { 'nginx.ingress.kubernetes.io/server-snippet': 'x' }))).toEqual([
      'Ingress/web: has the snippet annotation nginx.ingress.kubernetes.io/server-snippet',
    ]);
  });

  test('treats an object without a namespace and one in "default" as the same object', () => {
    const service = (namespace?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', ...(namespace ? { namespace } : {}) } });
    const problems = checkManifests([{ file: 'a.yaml', manifest: service() }, { file: 'b.yaml', manifest: service('default') }]);
    expect(problems).toEqual([{ file: 'b.yaml', object: 'Service/web', field: 'metadata.name', message: 'is defined twice (also in a.yaml): the second would overwrite the first' }]);
    expect(checkManifests([{ file: 'a.yaml', manifest: service('shop') }, { file: 'b.yaml', manifest: service('default') }])).toEqual([]);
  });

  test.each(['T', 't', '1', 'TRUE', 'True', 'true'])('a canary Ingress flagged %j (as Go ParseBool reads it) without its main Ingress is found', (flag) => {
    const canary = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
      metadata: { name: 'web-canary', annotations: { 'nginx.ingress.kubernetes.io/canary': flag } },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-canary', port: { number: 80 } } } }] } }] },
    };
    expect(checkManifests([{ file: 'a.yaml', manifest: canary }]).map((p) => p.message)).toEqual([
      'is a canary for nginx example.com / Prefix (class host path pathType), but no main Ingress has the same; ingress-nginx would drop it silently',
    ]);
  });
});
