import { Duration } from 'cdk8s';

import { GatewayCanary, IstioCanary, NginxCanary, Progression, ReplicaCanary } from '../src';
import { flaggerCreatedObjects, FlaggerProvider } from '../src/engines/flagger';
import { expectSecondRefused, newChart } from './util/synth';

/**
 * The names Flagger and Argo Rollouts create at run time are claimed app-wide like the objects the
 * library writes: another construct emitting one of them fails at construction, naming both.
 */
const flagger = () => Progression.flagger({ interval: Duration.minutes(1), stepWeight: 10, maxWeight: 50 });
const argo = () => Progression.argoRollouts({ steps: [{ weight: 10 }] });
const stable = { image: 'app:v2', replicas: 2 };

describe('Flagger\'s generated objects are claimed', () => {
  test('a ReplicaCanary x-primary beside a Flagger IstioCanary x: Flagger\'s primary Deployment', () => {
    expectSecondRefused((c) => new IstioCanary(c, 'x', { stable, progression: flagger() }), (c) => new ReplicaCanary(c, 'x-primary', { stable }),
      'name', /makes Deployment shop\/x-primary, which Flagger \(run by IstioCanary shop\/x\) already emits/);
  });
  test('a ReplicaCanary x-canary beside a Flagger IstioCanary x: Flagger\'s canary Service', () => {
    expectSecondRefused((c) => new IstioCanary(c, 'x', { stable, progression: flagger() }), (c) => new ReplicaCanary(c, 'x-canary', { stable }),
      'name', /makes Service shop\/x-canary, which Flagger \(run by IstioCanary shop\/x\) already emits/);
  });
  test('the other order: the Flagger construct is refused, naming what Flagger would create', () => {
    expectSecondRefused((c) => new ReplicaCanary(c, 'x-primary', { stable }), (c) => new IstioCanary(c, 'x', { stable, progression: flagger() }),
      'name', /makes Deployment shop\/x-primary \(Flagger creates it for this construct\), which ReplicaCanary shop\/x-primary already emits/);
  });
  test('serviceName api beside a ReplicaCanary api-primary: Flagger\'s primary Service, blamed on serviceName', () => {
    expectSecondRefused((c) => new ReplicaCanary(c, 'api-primary', { stable }), (c) => new IstioCanary(c, 'x', { serviceName: 'api', stable, progression: flagger() }),
      'serviceName', /Service shop\/api-primary \(Flagger creates it for this construct\)/);
  });
  test('Istio: the VirtualService and DestinationRules Flagger writes', () => {
    expectSecondRefused((c) => new IstioCanary(c, 'x', { stable, progression: flagger() }), (c) => new IstioCanary(c, 'y', { serviceName: 'x', stable }),
      'serviceName', /Service shop\/x, which Flagger \(run by IstioCanary shop\/x\) already emits/);
  });
  test('nginx: the canary Ingress <ingress>-canary', () => {
    expectSecondRefused((c) => new NginxCanary(c, 'site', { host: 'a.example.com', stable, progression: flagger() }),
      (c) => new NginxCanary(c, 'site-canary', { host: 'b.example.com', stable, serviceName: 'other' }),
      'name', /Ingress shop\/site-canary, which Flagger \(run by NginxCanary shop\/site\) already emits/);
  });
  test('the full list per provider (Flagger v1.44.0 names)', () => {
    const names = (o: Parameters<typeof flaggerCreatedObjects>[0]) => flaggerCreatedObjects(o).map((c) => `${c.kind}/${c.name}`);
    expect(names({ targetName: 'x', serviceName: 'api', autoscaled: true, provider: FlaggerProvider.ISTIO })).toEqual([
      'Deployment/x-primary', 'Service/api', 'Service/api-primary', 'Service/api-canary', 'HorizontalPodAutoscaler/x-primary',
      'VirtualService/api', 'DestinationRule/api-primary', 'DestinationRule/api-canary',
    ]);
    expect(names({ targetName: 'x', serviceName: 'x', autoscaled: false, provider: FlaggerProvider.GATEWAY_API })).toEqual([
      'Deployment/x-primary', 'Service/x', 'Service/x-primary', 'Service/x-canary', 'HTTPRoute/x',
    ]);
    expect(names({ targetName: 'x', serviceName: 'x', autoscaled: false, provider: FlaggerProvider.NGINX, ingressName: 'x' })).toContain('Ingress/x-canary');
  });
  test('Gateway API: the HTTPRoute <serviceName>', () => {
    const gateway = { gateway: { name: 'gw', namespace: 'infra' }, hostnames: ['a.example.com'] };
    expectSecondRefused((c) => new GatewayCanary(c, 'x', { stable, progression: flagger(), ...gateway }),
      (c) => new GatewayCanary(c, 'y', { serviceName: 'x', stable, gateway: { name: 'gw', namespace: 'infra' }, hostnames: ['b.example.com'] }),
      'serviceName', /makes Service shop\/x, which Flagger \(run by GatewayCanary shop\/x\) already emits/);
  });
});

describe('Argo Rollouts\' generated objects are claimed', () => {
  test('an Argo NginxCanary hello beside NginxCanary hello-hello: Argo\'s canary Ingress hello-hello-canary', () => {
    expectSecondRefused((c) => new NginxCanary(c, 'hello', { host: 'a.example.com', stable, progression: argo() }),
      (c) => new NginxCanary(c, 'hello-hello', { host: 'b.example.com', stable, canary: { image: 'app:v3' }, weight: 10 }),
      'name', /makes Ingress shop\/hello-hello-canary, which Argo Rollouts \(run by NginxCanary shop\/hello\) already emits/);
  });
  test('the same two in different namespaces are fine', () => {
    const chart = newChart();
    new NginxCanary(chart, 'hello', { host: 'a.example.com', stable, progression: argo() });
    expect(() => new NginxCanary(chart, 'hello-hello', { namespace: 'other', host: 'b.example.com', stable, canary: { image: 'app:v3' }, weight: 10 })).not.toThrow();
  });
});
