import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { CanaryBaseProps, GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../src';
import { buildExampleApp } from '../src/app/example-app';
import { restrictedViolations } from './util/pod-security';
import { Manifest, synth } from './util/synth';

const STRATEGIES: [string, (chart: Chart, props: CanaryBaseProps) => unknown][] = [
  ['ReplicaCanary', (c, p) => new ReplicaCanary(c, 'hello', { ...p, replicas: 4, weight: 25 })],
  ['IstioCanary', (c, p) => new IstioCanary(c, 'hello', p)],
  ['GatewayCanary', (c, p) => new GatewayCanary(c, 'hello', { ...p, gateway: { name: 'eg' } })],
  ['NginxCanary', (c, p) => new NginxCanary(c, 'hello', p)],
];

const templates = (manifests: Manifest[]) => Object.fromEntries(
  manifests.filter((m) => m.kind === 'Deployment').map((d) => [d.metadata.name, restrictedViolations(d.spec.template.spec)]),
);

describe('Pod Security Standards: restricted', () => {
  test('the checker rejects what restricted forbids', () => {
    expect(restrictedViolations({ containers: [{ name: 'c', securityContext: {} }], volumes: [{ name: 'h', hostPath: { path: '/' } }] })).toEqual([
      'volume h of type hostPath',
      'container c allowPrivilegeEscalation not false',
      'container c runAsNonRoot not true',
      'container c seccompProfile undefined',
      'container c does not drop ALL capabilities',
    ]);
  });

  test.each(STRATEGIES)('%s: every pod template meets restricted by default', (_, build) => {
    const { manifests } = synth((chart) => build(chart, { stable: { image: 'app:v1' }, canary: { image: 'app:v2' } }));
    expect(templates(manifests)).toEqual({ 'hello': [], 'hello-canary': [] });
  });

  test.each(STRATEGIES)('%s: the opt-out applies to one track only', (_, build) => {
    const { manifests } = synth((chart) => build(chart, {
      stable: { image: 'app:v1', securityContext: { addCapabilities: [kplus.Capability.NET_BIND_SERVICE] } },
      canary: { image: 'legacy:v2', securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: true } },
    }));
    expect(templates(manifests)).toEqual({
      'hello': [],
      'hello-canary': ['container hello allowPrivilegeEscalation not false', 'container hello runAsNonRoot not true'],
    });
  });

  test('every pod template of the example app meets restricted', () => {
    const app = new App({ outdir: 'unused' });
    buildExampleApp(app);
    const all = app.charts.flatMap((c) => c.toJson() as Manifest[]);
    // The hand-written Deployments of the migration steps are the user's, as they run today.
    const library = all.filter((m) => m.kind === 'Deployment' && m.metadata.labels['app.kubernetes.io/managed-by'] === 'cdk8s-canary');
    const violations = library.flatMap((d) => restrictedViolations(d.spec.template.spec).map((v) => `${d.metadata.namespace}/${d.metadata.name}: ${v}`));
    expect(library.length).toBeGreaterThan(30);
    expect(violations).toEqual([]);
  });
});
