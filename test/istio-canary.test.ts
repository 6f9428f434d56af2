import { Chart, Duration } from 'cdk8s';

import { IstioApiVersion, IstioCanary, IstioCanaryProps } from '../src';
import { schemaProblems } from './util/schema';
import { expectConfigError, find, Manifest, objectIds, synth } from './util/synth';

/** The short Service name: istiod resolves it in the rule's namespace, so overlays can move it. */
const HOST = 'hello';
const v1 = { image: 'honester/hello-server:v1', replicas: 2 };
const v2 = { image: 'honester/hello-server:v2', replicas: 2 };

function istio(props: Partial<IstioCanaryProps>) {
  return synth((chart) => new IstioCanary(chart, 'hello', { port: 8080, stable: v1, canary: v2, ...props }));
}

/** [subset, weight] pairs of one VirtualService route. */
function weights(route: Manifest): [string, number][] {
  return route.route.map((r: Manifest) => [r.destination.subset, r.weight]);
}

describe('IstioCanary', () => {
  test('hello-server: testers split 50/50, everyone else 100 % v1', () => {
    // GIVEN / WHEN
    const { construct, manifests } = istio({ weight: 0, match: [{ headers: { 'end-user': 'testers' }, weight: 50 }] });

    // THEN
    expect(objectIds(manifests)).toEqual(['Deployment/hello', 'Deployment/hello-canary', 'DestinationRule/hello', 'PodDisruptionBudget/hello', 'PodDisruptionBudget/hello-canary', 'Service/hello', 'VirtualService/hello']);
    const vs = find(manifests, 'VirtualService', 'hello');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.spec.hosts).toEqual([HOST]);
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.http.map((r: Manifest) => r.name)).toEqual(['match-0', 'default']);
    expect(vs.spec.http[0].match).toEqual([{ headers: { 'end-user': { exact: 'testers' } } }]);
    expect(weights(vs.spec.http[0])).toEqual([['stable', 50], ['canary', 50]]);
    expect(weights(vs.spec.http[1])).toEqual([['stable', 100], ['canary', 0]]);
    expect(vs.spec.http[1].match).toBeUndefined();
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: HOST, subset: 'stable', port: { number: 8080 } });
    expect(construct.effectiveWeight).toBe(0);
  });

  test('the Service selects both tracks; the DestinationRule subsets select by track', () => {
    const { construct, manifests } = istio({ weight: 10 });
    expect(find(manifests, 'Service', 'hello').spec.selector).toEqual({ app: 'hello' });
    const dr = find(manifests, 'DestinationRule', 'hello');
    expect(dr.spec).toEqual({
      host: HOST,
      subsets: [{ name: 'stable', labels: { track: 'stable' } }, { name: 'canary', labels: { track: 'canary' } }],
    });
    expect(construct.destinationRule!.name).toBe('hello');
    expect(construct.virtualService!.name).toBe('hello');
    for (const track of ['stable', 'canary']) {
      const deployment = find(manifests, 'Deployment', track === 'stable' ? 'hello' : 'hello-canary');
      expect(deployment.spec.template.metadata.labels.track).toBe(track);
      expect(deployment.spec.replicas).toBe(2);
    }
  });

  test.each([0, 1, 10, 25, 50, 75, 99, 100])('weight %i: the default route sends 100 − weight to stable; every route sums to 100', (weight) => {
    const vs = find(istio({ weight }).manifests, 'VirtualService', 'hello');
    const route = vs.spec.http.at(-1);
    expect(weights(route)).toEqual([['stable', 100 - weight], ['canary', weight]]);
    for (const r of vs.spec.http) expect(r.route.reduce((sum: number, d: Manifest) => sum + d.weight, 0)).toBe(100);
  });

  test('targeted routes come first, in order, with their own weights', () => {
    const vs = find(istio({
      weight: 20,
      match: [
        { headers: { 'x-canary': 'always' } },
        { headerPrefix: { 'user-agent': 'Mobile' }, weight: 30 },
        { headerRegex: { 'x-user': '^(alice|bob)$' }, weight: 0 },
        { cookie: 'canary', weight: 100 },
      ],
    }).manifests, 'VirtualService', 'hello');
    expect(vs.spec.http.map((r: Manifest) => r.match?.[0].headers)).toEqual([
      { 'x-canary': { exact: 'always' } },
      { 'user-agent': { prefix: 'Mobile' } },
      { 'x-user': { regex: '^(alice|bob)$' } },
      { cookie: { regex: '^(.*;\\s*)?canary=always(\\s*;.*)?$' } },
      undefined,
    ]);
    expect(vs.spec.http.map((r: Manifest) => weights(r)[1][1])).toEqual([100, 30, 0, 100, 20]);
  });

  test('conditions of one entry are ANDed in one match', () => {
    const vs = find(istio({ match: [{ headers: { 'x-a': '1', 'x-b': '2' }, cookie: 'beta' }] }).manifests, 'VirtualService', 'hello');
    expect(vs.spec.http[0].match).toHaveLength(1);
    expect(Object.keys(vs.spec.http[0].match[0].headers).sort()).toEqual(['cookie', 'x-a', 'x-b']);
  });

  test('steady state: no canary Deployment or subset, one route to stable', () => {
    const { construct, manifests } = synth((chart) => new IstioCanary(chart, 'hello', { stable: v1 }));
    expect(objectIds(manifests)).toEqual(['Deployment/hello', 'DestinationRule/hello', 'PodDisruptionBudget/hello', 'Service/hello', 'VirtualService/hello']);
    expect(find(manifests, 'DestinationRule', 'hello').spec.subsets).toEqual([{ name: 'stable', labels: { track: 'stable' } }]);
    const vs = find(manifests, 'VirtualService', 'hello');
    expect(vs.spec.http).toHaveLength(1);
    expect(weights(vs.spec.http[0])).toEqual([['stable', 100]]);
    expect(construct.canaryDeployment).toBeUndefined();
  });

  test('replicas default to 2 stable and as many canary pods', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'hello', { stable: { image: 'a:1' }, canary: { image: 'a:2' } }));
    expect(find(manifests, 'Deployment', 'hello').spec.replicas).toBe(2);
    expect(find(manifests, 'Deployment', 'hello-canary').spec.replicas).toBe(2);
  });

  test('stable may scale to 0 at weight 100 and the canary to 0 at weight 0', () => {
    const full = istio({ weight: 100, stable: { ...v1, replicas: 0 } }).manifests;
    expect(find(full, 'Deployment', 'hello').spec.replicas).toBe(0);
    const dark = istio({ weight: 0, canary: { ...v2, replicas: 0 } }).manifests;
    expect(find(dark, 'Deployment', 'hello-canary').spec.replicas).toBe(0);
  });

  test('gateways bind the routes to ingress gateways and keep mesh traffic', () => {
    const vs = find(istio({ gateways: ['istio-system/public'], hosts: ['www.example.com'] }).manifests, 'VirtualService', 'hello');
    expect(vs.spec.gateways).toEqual(['istio-system/public', 'mesh']);
    expect(vs.spec.hosts).toEqual([HOST, 'www.example.com']);
  });

  test('meshTraffic false splits gateway traffic only', () => {
    const vs = find(istio({ gateways: ['public'], hosts: ['*.example.com'], meshTraffic: false }).manifests, 'VirtualService', 'hello');
    expect(vs.spec.gateways).toEqual(['public']);
  });

  test('v1beta1 for older meshes, same spec', () => {
    const { manifests } = istio({ apiVersion: IstioApiVersion.V1BETA1, weight: 10 });
    const v1Spec = find(istio({ weight: 10 }).manifests, 'VirtualService', 'hello').spec;
    expect(find(manifests, 'VirtualService', 'hello').apiVersion).toBe('networking.istio.io/v1beta1');
    expect(find(manifests, 'DestinationRule', 'hello').apiVersion).toBe('networking.istio.io/v1beta1');
    expect(find(manifests, 'VirtualService', 'hello').spec).toEqual(v1Spec);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('mirror copies the default route to the canary subset', () => {
    const vs = find(istio({ weight: 0, mirror: { percentage: 12.5 } }).manifests, 'VirtualService', 'hello');
    expect(vs.spec.http[0].mirror).toEqual({ host: HOST, subset: 'canary', port: { number: 8080 } });
    expect(vs.spec.http[0].mirrorPercentage).toEqual({ value: 12.5 });
  });

  test('fault injection applies to targeted routes only', () => {
    const vs = find(istio({
      match: [{ headers: { 'x-chaos': 'on' } }],
      fault: { delay: { fixedDelay: Duration.millis(1500), percentage: 50 }, abort: { httpStatus: 503 } },
    }).manifests, 'VirtualService', 'hello');
    expect(vs.spec.http[0].fault).toEqual({
      delay: { fixedDelay: '1.5s', percentage: { value: 50 } },
      abort: { httpStatus: 503, percentage: { value: 100 } },
    });
    expect(vs.spec.http[1].fault).toBeUndefined();
  });

  test('timeout and retries apply to every route', () => {
    const vs = find(istio({
      match: [{ headers: { 'x-canary': 'always' } }],
      timeout: Duration.seconds(10),
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'connect-failure', '503'] },
    }).manifests, 'VirtualService', 'hello');
    for (const route of vs.spec.http) {
      expect(route.timeout).toBe('10s');
      expect(route.retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx,connect-failure,503' });
    }
  });

  test('traffic policy goes to the DestinationRule', () => {
    const dr = find(istio({ trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' as never } } }).manifests, 'DestinationRule', 'hello');
    expect(dr.spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' } });
  });

  test('without a namespace, hosts are the short Service name', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'hello', { stable: v1, canary: v2 }), null);
    expect(find(manifests, 'VirtualService', 'hello').spec.hosts).toEqual(['hello']);
    expect(find(manifests, 'DestinationRule', 'hello').spec.host).toBe('hello');
  });

  test('promotion changes no name and no selector', () => {
    const before = istio({ weight: 100 }).manifests;
    const after = istio({ weight: 100, stable: v2 }).manifests;
    expect(objectIds(after)).toEqual(objectIds(before));
    for (const m of before.filter((x) => x.kind === 'Deployment')) {
      expect(find(after, 'Deployment', m.metadata.name).spec.selector).toEqual(m.spec.selector);
    }
    expect(find(after, 'DestinationRule', 'hello').spec).toEqual(find(before, 'DestinationRule', 'hello').spec);
    expect(find(after, 'VirtualService', 'hello').spec).toEqual(find(before, 'VirtualService', 'hello').spec);
  });

  test('every object passes the Kubernetes and both Istio CRD schemas', () => {
    const { manifests } = istio({
      weight: 10,
      match: [{ headers: { 'end-user': 'testers' }, weight: 50 }, { cookie: 'beta' }],
      gateways: ['public'], hosts: ['www.example.com'],
      mirror: { percentage: 5 },
      fault: { abort: { httpStatus: 500, percentage: 1 } },
      timeout: Duration.seconds(5), retries: { attempts: 2 },
    });
    expect(schemaProblems(manifests)).toEqual([]);
  });

  describe('errors', () => {
    const build = (props: Partial<IstioCanaryProps>) => (chart: Chart) => new IstioCanary(chart, 'hello', { stable: v1, canary: v2, ...props });

    test.each([
      [{ gateways: ['mesh'], hosts: ['a.example.com'] }, 'gateways[0]', 'is "mesh": mesh traffic is split by default'],
      [{ gateways: ['Public'], hosts: ['a.example.com'] }, 'gateways[0]', 'must be a Gateway name or "namespace/name"'],
      [{ gateways: ['a', 'a'], hosts: ['a.example.com'] }, 'gateways[1]', 'repeats "a"'],
      [{ gateways: ['public'] }, 'hosts', 'is empty while gateways are given'],
      [{ meshTraffic: false }, 'meshTraffic', 'is false but no gateways are given'],
      [{ hosts: ['Www.Example.com'] }, 'hosts[0]', 'must be a lower-case DNS name'],
      [{ hosts: ['*'] }, 'hosts[0]', 'is "*", which Istio allows only for gateway traffic'],
      [{ hosts: [HOST] }, 'hosts[0]', '"hello" repeats (the Service is always a host)'],
      [{ hosts: ['hello.shop.svc.cluster.local'] }, 'hosts[0]', '"hello.shop.svc.cluster.local" overlaps "hello" (the Service is always a host)'],
      [{ apiVersion: 'networking.istio.io/v1alpha3' as IstioApiVersion }, 'apiVersion', 'must be one of "networking.istio.io/v1", "networking.istio.io/v1beta1"'],
      [{ mirror: { percentage: 101 } }, 'mirror.percentage', 'must be a number from 0 to 100, got 101'],
      [{ mirror: { percentage: NaN } }, 'mirror.percentage', 'got NaN'],
      [{ fault: { abort: { httpStatus: 503 } } }, 'fault', 'there is no match'],
      [{ match: [{ cookie: 'a' }], fault: {} }, 'fault', 'needs delay or abort'],
      [{ match: [{ cookie: 'a' }], fault: { abort: { httpStatus: 700 } } }, 'fault.abort.httpStatus', 'must be an integer from 200 to 599, got 700'],
      [{ match: [{ cookie: 'a' }], fault: { abort: { percentage: 5 } as never } }, 'fault.abort.httpStatus', 'is required'],
      [{ match: [{ cookie: 'a' }], fault: { delay: { fixedDelay: '5s' as never } } }, 'fault.delay.fixedDelay', 'must be a cdk8s Duration'],
      [{ match: [{ cookie: 'a' }], fault: { delay: { fixedDelay: Duration.millis(1), percentage: -1 } } }, 'fault.delay.percentage', 'must be a number from 0 to 100, got -1'],
      [{ timeout: Duration.millis(0) }, 'timeout', 'must be a whole number of milliseconds from 1 ms to 99999 hours, got 0 ms'],
      [{ retries: { attempts: -1 } }, 'retries.attempts', 'must be an integer from 0 to 1000, got -1'],
      [{ retries: {} as never }, 'retries.attempts', 'is required when retries is set'],
      [{ retries: { attempts: 2, retryOn: ['5xx', 'sometimes'] } }, 'retries.retryOn[1]', 'must be an Envoy retry policy'],
    ] as [Partial<IstioCanaryProps>, string, string][])('fails when %j', (props, prop, text) => {
      expectConfigError(build(props), prop, text);
    });

    test('fails when mirroring without a canary', () => {
      expectConfigError((chart) => new IstioCanary(chart, 'hello', { stable: v1, mirror: {} }), 'mirror', 'there is no canary track');
    });

    test('fails when matching without a canary', () => {
      expectConfigError((chart) => new IstioCanary(chart, 'hello', { stable: v1, match: [{ cookie: 'a' }] }), 'match', 'there is no canary track');
    });

    test('fails when the canary has no pods but a weight', () => {
      expectConfigError(build({ weight: 10, canary: { ...v2, replicas: 0 } }), 'canary.replicas', 'is 0 while weight is 10: 10 % of those requests go to the canary and would find no pod');
    });

    test('fails when the canary has no pods but a match entry targets it', () => {
      expectConfigError(build({ weight: 0, match: [{ cookie: 'beta', weight: 20 }], canary: { ...v2, replicas: 0 } }),
        'canary.replicas', 'is 0 while a route has weight 20: 20 % of those requests go to the canary');
    });

    test('fails when stable has no pods but serves traffic', () => {
      expectConfigError(build({ weight: 90, stable: { ...v1, replicas: 0 } }), 'stable.replicas', 'is 0 while weight is 90: 10 % of those requests go to stable and would find no pod');
    });
  });

  test('fqdnHosts writes the Service FQDN in every host field instead of the short name', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'hello', { port: 8080, stable: v1, canary: v2, weight: 10, fqdnHosts: true, mirror: {} }));
    const vs = find(manifests, 'VirtualService', 'hello');
    const fqdn = 'hello.shop.svc.cluster.local';
    expect(vs.spec.hosts).toEqual([fqdn]);
    expect(vs.spec.http[0].route.map((r: Manifest) => r.destination.host)).toEqual([fqdn, fqdn]);
    expect(vs.spec.http[0].mirror.host).toBe(fqdn);
    expect(find(manifests, 'DestinationRule', 'hello').spec.host).toBe(fqdn);
  });
});
