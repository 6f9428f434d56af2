import { App, Chart } from 'cdk8s';

import { buildExampleApp } from '../src/app/example-app';
import { ALB, parseAlbAction } from '../src/core/alb';
import { resolveIstioHost, serviceFqdn } from '../src/core/hosts';
import { CANARY_SHARE, Kind } from './util/shares';
import { Manifest } from './util/synth';

/**
 * A kustomize `namespace:` overlay (or an Argo CD ApplicationSet templating the namespace) rewrites
 * every object's metadata.namespace and nothing else. The output must route exactly as before in
 * the new namespace: every host and backend it names must resolve there.
 */
function moved(manifests: Manifest[], namespace: string): Manifest[] {
  return manifests.map((m) => ({ ...m, metadata: { ...m.metadata, namespace } }));
}

/** Every Service a router in `manifests` sends to, resolved as the router resolves it, and whether it exists. */
function routedServices(manifests: Manifest[]): { service: string; exists: boolean }[] {
  const services = new Set(manifests.filter((m) => m.kind === 'Service').map((m) => serviceFqdn(m.metadata.name, m.metadata.namespace)));
  const targets: string[] = [];
  for (const m of manifests) {
    const ns = m.metadata.namespace;
    if (m.kind === 'DestinationRule') targets.push(resolveIstioHost(m.spec.host, ns));
    if (m.kind === 'VirtualService') {
      for (const route of m.spec.http) {
        for (const d of route.route) targets.push(resolveIstioHost(d.destination.host, ns));
        if (route.mirror) targets.push(resolveIstioHost(route.mirror.host, ns));
      }
    }
    if (m.kind === 'HTTPRoute') {
      for (const rule of m.spec.rules) for (const b of rule.backendRefs) targets.push(serviceFqdn(b.name, b.namespace ?? ns));
      for (const p of m.spec.parentRefs) if (p.kind === 'Service') targets.push(serviceFqdn(p.name, p.namespace ?? ns));
    }
    if (m.kind === 'Ingress') {
      for (const rule of m.spec.rules) {
        for (const p of rule.http.paths) {
          // An ALB use-annotation backend names an action, whose target groups name the Services.
          const action = p.backend.service.port.name === 'use-annotation' ? m.metadata.annotations[`${ALB}actions.${p.backend.service.name}`] : undefined;
          const names = action === undefined ? [p.backend.service.name] : parseAlbAction(action).targetGroups.map((g) => g.serviceName);
          for (const name of names) targets.push(serviceFqdn(String(name), ns));
        }
      }
    }
  }
  return targets.map((service) => ({ service, exists: services.has(service) }));
}

/** A Deployment of a canary construct, not one of the hand-written objects of a migration step. */
function isLibraryDeployment(m: Manifest): boolean {
  return m.kind === 'Deployment' && m.metadata.labels?.['app.kubernetes.io/managed-by'] === 'cdk8s-canary';
}

const KINDS: Record<string, Kind> = { DestinationRule: 'IstioCanary', HTTPRoute: 'GatewayCanary', Ingress: 'NginxCanary' };

describe('output relocated by a namespace overlay', () => {
  const app = new App({ outdir: 'unused' });
  buildExampleApp(app);
  // Under Flagger the Services an Ingress names are Flagger's, made in the Canary's own namespace at run time.
  const charts = (app.charts as Chart[]).map((c) => [c.node.id, c.toJson() as Manifest[]] as const)
    .filter(([, manifests]) => !manifests.some((m) => m.kind === 'Canary'));

  test.each(charts)('%s routes to the same Services, now in the overlay namespace, with the same split', (id, manifests) => {
    const relocated = moved(manifests, 'overlay-ns');
    const routed = routedServices(relocated);
    // A replica-ratio chart has no router: its Service selects the pods, nothing names a namespace.
    const routers = manifests.filter((m) => ['VirtualService', 'HTTPRoute', 'Ingress'].includes(m.kind)).length;
    expect(routed.length > 0).toBe(routers > 0);
    expect(routed.filter((r) => !r.exists)).toEqual([]);
    expect(routed.every((r) => r.service.endsWith('.overlay-ns.svc.cluster.local'))).toBe(true);
    // Every canary of the chart (a migration step has a bridge beside the construct): its kind is
    // that of the router object named like it, else a replica ratio.
    const apps = new Set(manifests.filter(isLibraryDeployment).map((m) => m.metadata.labels.app as string));
    // The first migration steps hold only the hand-written objects.
    expect(apps.size > 0 || ['hello-migration-step-1', 'hello-migration-step-2'].includes(id)).toBe(true);
    // Under Argo Rollouts the split is the Rollout's at run time: the route existence above is what the YAML holds.
    const engineRun = manifests.some((m) => m.kind === 'Rollout');
    for (const app of engineRun ? [] : apps) {
      const kind = manifests.filter((m) => m.metadata.name === app)
        .map((m) => (m.kind === 'Ingress' && m.spec.ingressClassName === 'alb' ? 'AlbCanary' : KINDS[m.kind])).find((k) => k !== undefined) ?? 'ReplicaCanary';
      expect(CANARY_SHARE[kind](relocated, app)).toBe(CANARY_SHARE[kind](manifests, app));
    }
  });

  test('fails as it should for FQDN hosts: the check catches output that pins its namespace', () => {
    const pinned = moved([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'shop' }, spec: { host: 'web.shop.svc.cluster.local' } },
    ], 'overlay-ns');
    expect(routedServices(pinned)).toEqual([{ service: 'web.shop.svc.cluster.local', exists: false }]);
  });
});
