import { Chart, Duration } from 'cdk8s';

import { CanaryMatch, GatewayCanary, GatewayCanaryProps, GatewayPathType } from '../src';
import { schemaProblems } from './util/schema';
import { expectConfigError, find, Manifest, objectIds, synth } from './util/synth';

const v1 = { image: 'backend:v1', replicas: 2 };
const v2 = { image: 'backend:v2', replicas: 2 };

function gateway(props: Partial<GatewayCanaryProps>) {
  return synth((chart) => new GatewayCanary(chart, 'backend', { port: 3000, stable: v1, canary: v2, gateway: { name: 'eg' }, ...props }));
}

/** [service, weight] of each backendRef of a rule. */
function backends(rule: Manifest): [string, number][] {
  return rule.backendRefs.map((b: Manifest) => [b.name, b.weight]);
}

describe('GatewayCanary', () => {
  test('backend on www.example.com through Gateway eg at weight 10', () => {
    // GIVEN / WHEN
    const { construct, manifests } = gateway({ weight: 10, hostnames: ['www.example.com'] });

    // THEN
    expect(objectIds(manifests)).toEqual(['Deployment/backend', 'Deployment/backend-canary', 'HTTPRoute/backend', 'PodDisruptionBudget/backend', 'PodDisruptionBudget/backend-canary', 'Service/backend', 'Service/backend-canary']);
    const route = find(manifests, 'HTTPRoute', 'backend');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ name: 'eg' }]);
    expect(route.spec.hostnames).toEqual(['www.example.com']);
    expect(route.spec.rules).toHaveLength(1);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: 'backend', port: 3000, weight: 90 },
      { name: 'backend-canary', port: 3000, weight: 10 },
    ]);
    expect([construct.httpRoute?.name, construct.service!.name, construct.canaryService?.name]).toEqual(['backend', 'backend', 'backend-canary']);
    expect(construct.gateway).toBeUndefined();
  });

  test('per-track Services: <name> selects stable, <name>-canary selects canary', () => {
    const { manifests } = gateway({});
    expect(find(manifests, 'Service', 'backend').spec.selector).toEqual({ app: 'backend', track: 'stable' });
    expect(find(manifests, 'Service', 'backend-canary').spec.selector).toEqual({ app: 'backend', track: 'canary' });
    expect(find(manifests, 'Service', 'backend-canary').spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }]);
  });

  test.each([0, 1, 10, 50, 99, 100])('weight %i: explicit weights on every backendRef, summing to 100', (weight) => {
    const rules = find(gateway({ weight, match: [{ cookie: 'beta', weight: 30 }] }).manifests, 'HTTPRoute', 'backend').spec.rules;
    expect(backends(rules.at(-1))).toEqual([['backend', 100 - weight], ['backend-canary', weight]]);
    for (const rule of rules) {
      for (const ref of rule.backendRefs) expect(typeof ref.weight).toBe('number');
      expect(rule.backendRefs.reduce((sum: number, b: Manifest) => sum + b.weight, 0)).toBe(100);
    }
  });

  test('targeted rules come first with Exact and RegularExpression header matches and the path', () => {
    const rules = find(gateway({
      weight: 5, path: '/api', pathType: GatewayPathType.EXACT,
      match: [
        { headers: { 'x-canary': 'always' }, headerRegex: { 'x-user': '^qa-.*' } },
        { cookie: 'beta', weight: 50 },
      ],
    }).manifests, 'HTTPRoute', 'backend').spec.rules;
    expect(rules.map((r: Manifest) => r.matches)).toEqual([
      [{
        path: { type: 'Exact', value: '/api' },
        headers: [{ name: 'x-canary', type: 'Exact', value: 'always' }, { name: 'x-user', type: 'RegularExpression', value: '^qa-.*' }],
      }],
      [{ path: { type: 'Exact', value: '/api' }, headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*;\\s*)?beta=always(\\s*;.*)?$' }] }],
      [{ path: { type: 'Exact', value: '/api' } }],
    ]);
    expect(rules.map((r: Manifest) => backends(r)[1][1])).toEqual([100, 50, 5]);
  });

  test('steady state: no canary Deployment or Service, one backendRef with weight 100', () => {
    const { construct, manifests } = synth((chart) => new GatewayCanary(chart, 'backend', { stable: v1, gateway: { name: 'eg' } }));
    expect(objectIds(manifests)).toEqual(['Deployment/backend', 'HTTPRoute/backend', 'PodDisruptionBudget/backend', 'Service/backend']);
    expect(find(manifests, 'HTTPRoute', 'backend').spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'backend', port: 80, weight: 100 }] },
    ]);
    expect(construct.canaryService).toBeUndefined();
  });

  test('gateway parent with namespace, sectionName and port; several gateways', () => {
    const one = find(gateway({ gateway: { name: 'public', namespace: 'infra', sectionName: 'https', port: 443 } }).manifests, 'HTTPRoute', 'backend');
    expect(one.spec.parentRefs).toEqual([{ name: 'public', namespace: 'infra', sectionName: 'https', port: 443 }]);
    const many = find(gateway({ gateway: undefined, gateways: [{ name: 'a' }, { name: 'b', namespace: 'infra' }] }).manifests, 'HTTPRoute', 'backend');
    expect(many.spec.parentRefs).toEqual([{ name: 'a' }, { name: 'b', namespace: 'infra' }]);
  });

  test('mesh mode: the route attaches to Service <name> and splits between <name>-stable and <name>-canary', () => {
    const { construct, manifests } = gateway({ gateway: undefined, mesh: true, weight: 10 });
    expect(objectIds(manifests)).toEqual([
      'Deployment/backend', 'Deployment/backend-canary', 'HTTPRoute/backend', 'PodDisruptionBudget/backend', 'PodDisruptionBudget/backend-canary', 'Service/backend', 'Service/backend-canary', 'Service/backend-stable',
    ]);
    const route = find(manifests, 'HTTPRoute', 'backend');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'backend', port: 3000 }]);
    expect(route.spec.hostnames).toBeUndefined();
    expect(backends(route.spec.rules[0])).toEqual([['backend-stable', 90], ['backend-canary', 10]]);
    expect(find(manifests, 'Service', 'backend').spec.selector).toEqual({ app: 'backend' });
    expect(find(manifests, 'Service', 'backend-stable').spec.selector).toEqual({ app: 'backend', track: 'stable' });
    expect(construct.stableService?.name).toBe('backend-stable');
  });

  test('createGateway makes an HTTP and HTTPS Gateway and attaches the route', () => {
    const { construct, manifests } = gateway({
      gateway: undefined,
      createGateway: { gatewayClassName: 'eg', name: 'eg', hostname: 'www.example.com', certificateSecret: 'www-tls' },
    });
    const gw = find(manifests, 'Gateway', 'eg');
    expect(gw.metadata.namespace).toBe('shop');
    expect(gw.spec).toEqual({
      gatewayClassName: 'eg',
      listeners: [
        { name: 'http', protocol: 'HTTP', port: 80, hostname: 'www.example.com' },
        { name: 'https', protocol: 'HTTPS', port: 443, hostname: 'www.example.com', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'www-tls' }] } },
      ],
    });
    expect(find(manifests, 'HTTPRoute', 'backend').spec.parentRefs).toEqual([{ name: 'eg' }]);
    expect(construct.gateway?.name).toBe('eg');
  });

  test('createGateway defaults: <name>-gateway, HTTP on 80 only', () => {
    const gw = find(gateway({ gateway: undefined, createGateway: { gatewayClassName: 'eg' } }).manifests, 'Gateway', 'backend-gateway');
    expect(gw.spec.listeners).toEqual([{ name: 'http', protocol: 'HTTP', port: 80 }]);
  });

  test('timeout on every rule in Gateway API duration format', () => {
    const rules = find(gateway({ timeout: Duration.millis(1500), match: [{ cookie: 'a' }] }).manifests, 'HTTPRoute', 'backend').spec.rules;
    for (const rule of rules) expect(rule.timeouts).toEqual({ request: '1500ms' });
  });

  test('promotion changes no name and no selector', () => {
    const before = gateway({ weight: 100 }).manifests;
    const after = gateway({ weight: 100, stable: v2 }).manifests;
    expect(objectIds(after)).toEqual(objectIds(before));
    for (const m of before.filter((x) => x.kind === 'Deployment' || x.kind === 'Service')) {
      const other = find(after, m.kind, m.metadata.name);
      expect(other.spec.selector).toEqual(m.spec.selector);
    }
    expect(find(after, 'HTTPRoute', 'backend').spec).toEqual(find(before, 'HTTPRoute', 'backend').spec);
  });

  test('every object passes the Kubernetes and both Gateway API CRD schemas', () => {
    expect(schemaProblems(gateway({
      weight: 10, hostnames: ['www.example.com', '*.example.org'], match: [{ headers: { 'x-a': '1' }, cookie: 'b' }, { headerRegex: { 'x-b': '^v' } }],
      timeout: Duration.seconds(30),
    }).manifests)).toEqual([]);
    expect(schemaProblems(gateway({ gateway: undefined, mesh: true }).manifests)).toEqual([]);
    expect(schemaProblems(gateway({ gateway: undefined, createGateway: { gatewayClassName: 'eg', certificateSecret: 'tls' } }).manifests)).toEqual([]);
  });

  describe('errors', () => {
    const build = (props: Partial<GatewayCanaryProps>) => (chart: Chart) =>
      new GatewayCanary(chart, 'backend', { stable: v1, canary: v2, gateway: { name: 'eg' }, ...props });

    test.each([
      [{ gateway: undefined }, 'gateway', 'is missing: the route needs a parent'],
      [{ mesh: true }, 'mesh', 'cannot be combined with gateway'],
      [{ gateways: [{ name: 'b' }] }, 'gateways', 'cannot be combined with gateway'],
      [{ gateway: undefined, gateways: [] }, 'gateways', 'must be a non-empty list of GatewayParentRef, got []'],
      [{ gateway: undefined, gateways: [{ name: 'a' }, { name: 'a' }] }, 'gateways[1]', 'refers to Gateway shop/a again, like gateways[0]'],
      [{ gateway: undefined, gateways: Array.from({ length: 33 }, (_, i) => ({ name: `g${i}` })) }, 'gateways', 'has 33 entries; an HTTPRoute holds at most 32 parents'],
      [{ gateway: { name: 'EG' } }, 'gateway.name', 'must be a DNS-1123 subdomain'],
      [{ gateway: { name: 'eg', port: 0 } }, 'gateway.port', 'must be an integer from 1 to 65535, got 0'],
      [{ hostnames: ['WWW.example.com'] }, 'hostnames[0]', 'must be a lower-case DNS name'],
      [{ hostnames: ['10.0.0.1:80'] }, 'hostnames[0]', 'no IP address, no port'],
      [{ hostnames: ['a.com', 'a.com'] }, 'hostnames[1]', 'repeats "a.com"'],
      [{ hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.com`) }, 'hostnames', 'has 17 entries; an HTTPRoute holds at most 16'],
      [{ gateway: undefined, mesh: true, hostnames: ['a.com'] }, 'hostnames', 'must be empty in mesh mode'],
      [{ path: 'api' }, 'path', 'must start with "/"'],
      [{ path: '/a//b' }, 'path', 'must not contain "//"'],
      [{ pathType: 'RegularExpression' as GatewayPathType }, 'pathType', 'must be one of "PathPrefix", "Exact"'],
      [{ match: [{ headerPrefix: { 'x-user': 'qa.' } }] }, 'match[0].headerPrefix', 'which Gateway API does not support; use headerRegex: { \'x-user\': \'^qa\\..*\' }'],
      [{ match: [{ headers: { 'x-a': '1' } }, { headers: { 'x-a': '1', 'x-b': '2' } }] }, 'match[1]', 'takes precedence over match[0], listed before it: Gateway API ranks rules by exact path, then longest path prefix, then number of header matches'],
      [{ match: Array.from({ length: 16 }, (_, i) => ({ headers: { 'x-n': String(i) } })) }, 'match', 'has 16 entries; an HTTPRoute holds at most 16 rules, one of them the default, so at most 15 entries'],
      [{ match: [{ headers: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`x-${i}`, 'v'])) }] }, 'match[0]', 'has 17 header conditions; an HTTPRoute match holds at most 16'],
      [{ gateway: undefined, createGateway: { gatewayClassName: 'Bad Class' } }, 'createGateway.gatewayClassName', 'must be a DNS-1123 subdomain'],
      [{ gateway: undefined, createGateway: { gatewayClassName: 'eg', certificateSecret: 'tls', httpsPort: 80 } }, 'createGateway.httpsPort', 'the same as httpPort'],
      [{ gateway: undefined, createGateway: { gatewayClassName: 'eg', hostname: '*' } }, 'createGateway.hostname', 'must be a lower-case DNS name'],
      [{ timeout: Duration.millis(0) }, 'timeout', 'must be a whole number of milliseconds from 1 ms'],
      [{ mesh: 'yes' as unknown as boolean }, 'mesh', 'must be true or false, got "yes"'],
    ] as [Partial<GatewayCanaryProps>, string, string][])('fails when %j', (props, prop, text) => {
      expectConfigError(build(props), prop, text);
    });

    test('fails when matching without a canary', () => {
      expectConfigError((chart) => new GatewayCanary(chart, 'backend', { stable: v1, gateway: { name: 'eg' }, match: [{ cookie: 'a' } as CanaryMatch] }),
        'match', 'there is no canary track');
    });
  });
});
