import { Chart, Duration } from 'cdk8s';

import { CanaryMatch, GatewayCanary, NginxAffinityCanaryBehavior, NginxCanary, NginxCanaryProps, NginxPathType } from '../src';
import { schemaProblems } from './util/schema';
import { expectConfigError, find, Manifest, objectIds, synth } from './util/synth';

const NGX = 'nginx.ingress.kubernetes.io/';
const production = { image: 'web:3.1.0', replicas: 3 };
const canary = { image: 'web:3.2.0', replicas: 2 };

function nginx(props: Partial<NginxCanaryProps>) {
  return synth((chart) => new NginxCanary(chart, 'web', { port: 8080, host: 'example.com', stable: production, canary, ...props }));
}

/** The canary-related annotations of the canary Ingress, without the prefix. */
function canaryAnnotations(manifests: Manifest[]): Record<string, string> {
  const annotations = find(manifests, 'Ingress', 'web-canary').metadata.annotations;
  return Object.fromEntries(Object.entries(annotations as Record<string, string>).map(([k, v]) => [k.replace(NGX, ''), v]));
}

describe('NginxCanary', () => {
  test('example.com: production and canary 70/30 by weight', () => {
    // GIVEN / WHEN
    const { construct, manifests } = nginx({ weight: 30 });

    // THEN
    expect(objectIds(manifests)).toEqual([
      'Deployment/web', 'Deployment/web-canary', 'Ingress/web', 'Ingress/web-canary', 'PodDisruptionBudget/web', 'PodDisruptionBudget/web-canary', 'Service/web', 'Service/web-canary',
    ]);
    expect(canaryAnnotations(manifests)).toEqual({ 'canary': 'true', 'canary-weight': '30' });
    const main = find(manifests, 'Ingress', 'web');
    expect(main.metadata.annotations).toBeUndefined();
    expect(main.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web', port: { number: 8080 } } });
    expect(find(manifests, 'Ingress', 'web-canary').spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web-canary', port: { number: 8080 } } });
    expect([construct.ingress.name, construct.canaryIngress?.name, construct.effectiveWeight]).toEqual(['web', 'web-canary', 30]);
  });

  test.each([
    [{}],
    [{ path: '/shop', pathType: NginxPathType.EXACT }],
    [{ host: undefined, ingressClassName: 'internal-nginx' }],
    [{ path: '/api/v[0-9]+', pathType: NginxPathType.IMPLEMENTATION_SPECIFIC }],
  ] as [Partial<NginxCanaryProps>][])('both Ingresses share class, host, path and pathType: %j', (props) => {
    const { manifests } = nginx(props);
    const main = find(manifests, 'Ingress', 'web').spec;
    const can = find(manifests, 'Ingress', 'web-canary').spec;
    expect(can.ingressClassName).toBe(main.ingressClassName);
    expect(can.rules[0].host).toBe(main.rules[0].host);
    expect(can.rules[0].http.paths[0].path).toBe(main.rules[0].http.paths[0].path);
    expect(can.rules[0].http.paths[0].pathType).toBe(main.rules[0].http.paths[0].pathType);
    expect(main.ingressClassName).toBe(props.ingressClassName ?? 'nginx');
    expect(main.rules[0].http.paths[0].pathType).toBe(props.pathType ?? 'Prefix');
  });

  test('dedicated per-track Services, so the canary never leaks to other paths of a shared Service', () => {
    const { manifests } = nginx({});
    expect(find(manifests, 'Service', 'web').spec.selector).toEqual({ app: 'web', track: 'stable' });
    expect(find(manifests, 'Service', 'web-canary').spec.selector).toEqual({ app: 'web', track: 'canary' });
  });

  test('header targeting: canary-by-header with an exact value', () => {
    expect(canaryAnnotations(nginx({ match: [{ headers: { 'x-canary': 'always' } }] }).manifests)).toEqual({
      'canary': 'true', 'canary-weight': '0', 'canary-by-header': 'x-canary', 'canary-by-header-value': 'always',
    });
  });

  test('header regex: canary-by-header-pattern, anchored like Envoy\'s full match', () => {
    expect(canaryAnnotations(nginx({ match: [{ headerRegex: { 'x-user': 'qa-[0-9]+' } }] }).manifests)).toMatchObject({
      'canary-by-header': 'x-user', 'canary-by-header-pattern': '^(?:qa-[0-9]+)$',
    });
  });

  test('a header entry and a cookie entry, with a weight', () => {
    expect(canaryAnnotations(nginx({ weight: 5, match: [{ headers: { 'x-canary': 'always' } }, { cookie: 'canary' }] }).manifests)).toEqual({
      'canary': 'true', 'canary-weight': '5', 'canary-by-header': 'x-canary', 'canary-by-header-value': 'always', 'canary-by-cookie': 'canary',
    });
  });

  test('fineWeight emits canary-weight-total only for a finer total', () => {
    expect(canaryAnnotations(nginx({ fineWeight: 0.5 }).manifests)).toMatchObject({ 'canary-weight': '5', 'canary-weight-total': '1000' });
    expect(canaryAnnotations(nginx({ fineWeight: 12.345 }).manifests)).toMatchObject({ 'canary-weight': '12345', 'canary-weight-total': '100000' });
    expect(canaryAnnotations(nginx({ fineWeight: 0.5 }).manifests)).not.toHaveProperty('canary-weight-total', '100');
    expect(canaryAnnotations(nginx({ weight: 40 }).manifests)).not.toHaveProperty('canary-weight-total');
    expect(nginx({ fineWeight: 0.5 }).construct.effectiveWeight).toBe(0.5);
  });

  test('sticky sessions: cookie affinity on both Ingresses, sticky canary behavior by default', () => {
    const { manifests } = nginx({ weight: 30, stickySessions: { maxAge: Duration.hours(1) } });
    const affinity = { [`${NGX}affinity`]: 'cookie', [`${NGX}session-cookie-name`]: 'web-affinity', [`${NGX}session-cookie-max-age`]: '3600' };
    expect(find(manifests, 'Ingress', 'web').metadata.annotations).toEqual(affinity);
    expect(find(manifests, 'Ingress', 'web-canary').metadata.annotations).toMatchObject({ ...affinity, [`${NGX}affinity-canary-behavior`]: 'sticky' });
  });

  test('sticky sessions with legacy canary behavior and a cookie name', () => {
    const annotations = canaryAnnotations(nginx({ stickySessions: { cookieName: 'route', canaryBehavior: NginxAffinityCanaryBehavior.LEGACY } }).manifests);
    expect(annotations).toMatchObject({ 'affinity-canary-behavior': 'legacy', 'session-cookie-name': 'route' });
    expect(annotations).not.toHaveProperty('session-cookie-max-age');
  });

  test('TLS on the main Ingress; user annotations kept', () => {
    const { manifests } = nginx({ tlsSecret: 'example-com-tls', ingressAnnotations: { [`${NGX}proxy-body-size`]: '8m' } });
    const main = find(manifests, 'Ingress', 'web');
    expect(main.spec.tls).toEqual([{ hosts: ['example.com'], secretName: 'example-com-tls' }]);
    expect(main.metadata.annotations).toEqual({ [`${NGX}proxy-body-size`]: '8m' });
  });

  test('no snippet annotation is ever emitted', () => {
    const { manifests } = nginx({ weight: 10, match: [{ cookie: 'c' }], stickySessions: {} });
    for (const ingress of manifests.filter((m) => m.kind === 'Ingress')) {
      for (const key of Object.keys(ingress.metadata.annotations ?? {})) expect(key).not.toMatch(/snippet/);
    }
  });

  test('steady state: no canary Ingress, Service or Deployment', () => {
    const { construct, manifests } = synth((chart) => new NginxCanary(chart, 'web', { host: 'example.com', stable: production }));
    expect(objectIds(manifests)).toEqual(['Deployment/web', 'Ingress/web', 'PodDisruptionBudget/web', 'Service/web']);
    expect(construct.canaryIngress).toBeUndefined();
  });

  test('moving to GatewayCanary is a one-word change: the same props object builds both', () => {
    const props = { port: 8080, stable: production, canary, weight: 30, match: [{ headers: { 'x-canary': 'always' } }, { cookie: 'canary' }] };
    const viaNginx = synth((chart) => new NginxCanary(chart, 'web', { ...props, host: 'example.com' }));
    const viaGateway = synth((chart) => new GatewayCanary(chart, 'web', { ...props, gateway: { name: 'eg' }, hostnames: ['example.com'] }));
    expect(viaGateway.construct.effectiveWeight).toBe(viaNginx.construct.effectiveWeight);
    const rules = find(viaGateway.manifests, 'HTTPRoute', 'web').spec.rules;
    expect(rules.map((r: Manifest) => r.backendRefs.map((b: Manifest) => b.weight))).toEqual([[0, 100], [0, 100], [70, 30]]);
    for (const name of ['web', 'web-canary']) {
      expect(find(viaGateway.manifests, 'Deployment', name).spec).toEqual(find(viaNginx.manifests, 'Deployment', name).spec);
      expect(find(viaGateway.manifests, 'Service', name).spec).toEqual(find(viaNginx.manifests, 'Service', name).spec);
    }
  });

  test('promotion changes no name and no selector', () => {
    const before = nginx({ weight: 100 }).manifests;
    const after = nginx({ weight: 100, stable: canary }).manifests;
    expect(objectIds(after)).toEqual(objectIds(before));
    for (const m of before.filter((x) => x.kind === 'Deployment' || x.kind === 'Service')) {
      expect(find(after, m.kind, m.metadata.name).spec.selector).toEqual(m.spec.selector);
    }
    expect(find(after, 'Ingress', 'web-canary')).toEqual(find(before, 'Ingress', 'web-canary'));
  });

  test('every object passes the Kubernetes 1.28 schema', () => {
    expect(schemaProblems(nginx({ weight: 10, match: [{ cookie: 'c' }], stickySessions: {}, tlsSecret: 'tls' }).manifests)).toEqual([]);
  });

  describe('errors', () => {
    const build = (props: Partial<NginxCanaryProps>) => (chart: Chart) => new NginxCanary(chart, 'web', { stable: production, canary, ...props });
    const match = (...entries: CanaryMatch[]) => ({ match: entries });

    test.each([
      [match({ cookie: 'a', weight: 50 }), 'match[0].weight', 'is 50, but ingress-nginx sends every matching request to the canary'],
      [match({ cookie: 'a', headers: { 'x-a': '1' } }), 'match[0]', 'matches a header and a cookie in one entry'],
      [match({ headers: { 'x-a': '1', 'x-b': '2' } }), 'match[0]', 'matches 2 headers; ingress-nginx supports one header and one cookie per canary; use GatewayCanary or IstioCanary'],
      [match({ headers: { 'x-a': '1' } }, { headers: { 'x-b': '1' } }), 'match[1]', 'is a second header entry (after match[0])'],
      [match({ cookie: 'a' }, { cookie: 'b' }), 'match[1]', 'is a second cookie entry (after match[0])'],
      [match({ headerPrefix: { 'x-a': 'v' } }), 'match[0].headerPrefix', 'which ingress-nginx does not support'],
      [match({ headers: { 'x-a': 'two words' } }), 'match[0].headers.x-a', 'would be ignored by ingress-nginx, whose annotation validation allows only letters, digits and -._~/:'],
      [match({ headers: { 'x!a': 'v' } }), 'match[0].headers', '"x!a" would be ignored by ingress-nginx'],
      [match({ headerRegex: { 'x-a': 'a{1,3}' } }), 'match[0].headerRegex.x-a', 'would be ignored by ingress-nginx'],
      [match({ cookie: 'a!b' }), 'match[0].cookie', 'would be ignored by ingress-nginx'],
      [{ ingressAnnotations: { [`${NGX}configuration-snippet`]: 'return 200;' } }, 'ingressAnnotations', 'is a snippet annotation'],
      [{ ingressAnnotations: { [`${NGX}server-snippet`]: 'x' } }, 'ingressAnnotations', 'IngressNightmare'],
      [{ ingressAnnotations: { [`${NGX}canary-weight`]: '50' } }, 'ingressAnnotations', 'is set by NginxCanary from weight, match and stickySessions'],
      [{ ingressAnnotations: { [`${NGX}affinity`]: 'cookie' }, stickySessions: {} }, 'ingressAnnotations', 'is set by NginxCanary'],
      [{ ingressAnnotations: { 'bad key!': 'x' } }, 'ingressAnnotations', 'is not a qualified name'],
      [{ host: 'Example.com' }, 'host', 'must be a lower-case DNS name'],
      [{ host: 'example.com:443' }, 'host', 'no port'],
      [{ path: 'shop' }, 'path', 'must start with "/"'],
      [{ path: '/api/v1.2' }, 'path', 'is rejected by ingress-nginx\'s strict path validation for Prefix paths'],
      [{ pathType: 'Regex' as NginxPathType }, 'pathType', 'must be one of "Prefix", "Exact", "ImplementationSpecific"'],
      [{ ingressClassName: 'Nginx' }, 'ingressClassName', 'must be a DNS-1123 subdomain'],
      [{ tlsSecret: 'tls' }, 'tlsSecret', 'needs host'],
      [{ fineWeight: 0.5, weight: 1 }, 'fineWeight', 'is given together with weight 1'],
      [{ fineWeight: 0.1234 }, 'fineWeight', 'must have at most 3 decimals'],
      [{ fineWeight: 101 }, 'fineWeight', 'must be a number from 0 to 100, got 101'],
      [{ stickySessions: { cookieName: 'a b' } }, 'stickySessions.cookieName', 'would be ignored by ingress-nginx'],
      [{ stickySessions: { canaryBehavior: 'always' as NginxAffinityCanaryBehavior } }, 'stickySessions.canaryBehavior', 'must be one of "sticky", "legacy"'],
    ] as [Partial<NginxCanaryProps>, string, string][])('fails when %j', (props, prop, text) => {
      expectConfigError(build(props), prop, text);
    });

    test('fails when fineWeight is set without a canary', () => {
      expectConfigError((chart) => new NginxCanary(chart, 'web', { stable: production, fineWeight: 0.5 }), 'fineWeight', 'there is no canary track');
    });
  });
});
