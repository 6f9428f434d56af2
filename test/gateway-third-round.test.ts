import { Chart, Duration } from 'cdk8s';
import fc from 'fast-check';

import { AlbScheme, AlbTargetType, CanaryProtocol, GatewayApiChannel, GatewayCanary, GatewayCanaryProps, Progression } from '../src';
import { exactPercentFraction } from '../src/core/weights';
import { schemaProblems } from './util/schema';
import { expectConfigError, expectSecondRefused, find, Manifest, objectIds, synth } from './util/synth';

const v1 = { image: 'backend:v1', replicas: 2 };
const v2 = { image: 'backend:v2', replicas: 2 };
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e';
const EXPERIMENTAL = GatewayApiChannel.EXPERIMENTAL;

function gateway(props: Partial<GatewayCanaryProps>) {
  return synth((chart) => new GatewayCanary(chart, 'backend', { port: 3000, stable: v1, canary: v2, gateway: { name: 'eg' }, ...props } as GatewayCanaryProps));
}
const rulesOf = (manifests: Manifest[]) => find(manifests, 'HTTPRoute', 'backend').spec.rules as Manifest[];
const refused = (props: Partial<GatewayCanaryProps>, prop: string, text: string | RegExp) => expectConfigError(
  (chart: Chart) => new GatewayCanary(chart, 'backend', { port: 3000, stable: v1, canary: v2, gateway: { name: 'eg' }, ...props } as GatewayCanaryProps), prop, text);

describe('GatewayCanary mirror', () => {
  test('a RequestMirror filter on the weighted rule to the canary Service; targeted rules and weights untouched', () => {
    const { manifests } = gateway({ weight: 10, mirror: { percent: 20 }, match: [{ headers: { 'x-canary': 'yes' } }] });
    const rules = rulesOf(manifests);
    expect(rules[0].filters).toBeUndefined();
    expect(rules[1].filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'backend-canary', port: 3000 }, percent: 20 } }]);
    expect(rules[1].backendRefs).toEqual([{ name: 'backend', port: 3000, weight: 90 }, { name: 'backend-canary', port: 3000, weight: 10 }]);
    expect(schemaProblems(manifests, { without: ['gateway-api-v1.2.1-standard'] })).toEqual([]);
    // percent arrived in v1.3: the older standard CRD knows no such field.
    expect(schemaProblems(manifests).join('\n')).toMatch(/HTTPRoute\/backend \[gateway-api-v1.2.1-standard\].*"percent"/);
  });

  test('100 % (the default) writes neither percent nor fraction, so v1.2.1 reads it too', () => {
    const { manifests } = gateway({ weight: 0, mirror: {} });
    expect(rulesOf(manifests)[0].filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'backend-canary', port: 3000 } } }]);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('a fractional percent is an exact reduced fraction', () => {
    const filter = rulesOf(gateway({ mirror: { percent: 12.5 } }).manifests)[0].filters[0];
    expect(filter.requestMirror.fraction).toEqual({ numerator: 1, denominator: 8 });
    expect(filter.requestMirror.percent).toBeUndefined();
    expect(rulesOf(gateway({ mirror: { percent: 0.1 } }).manifests)[0].filters[0].requestMirror.fraction).toEqual({ numerator: 1, denominator: 1000 });
  });

  test('GRPCRoute takes the mirror on its default rule', () => {
    const { manifests } = gateway({ protocol: CanaryProtocol.GRPC, port: 50051, mirror: { percent: 5 } });
    const rules = find(manifests, 'GRPCRoute', 'backend').spec.rules;
    expect(rules.at(-1).filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'backend-canary', port: 50051 }, percent: 5 } }]);
    expect(schemaProblems(manifests, { without: ['gateway-api-v1.2.1-standard'] })).toEqual([]);
  });

  test.each([
    [0, 'greater than 0'], [-5, 'greater than 0'], [100.5, 'at most 100'], [Number.NaN, 'got NaN'], [Infinity, 'got Infinity'], ['50', 'must be a number'],
    [100 / 3, 'more decimal places than an exact fraction'],
  ])('mirror.percent %p is refused', (percent, text) => {
    refused({ mirror: { percent: percent as number } }, 'mirror.percent', text);
  });

  test('refused without a canary, under an engine, on the ALB Gateway, and with unknown fields', () => {
    refused({ canary: undefined, mirror: {} }, 'mirror', 'there is no canary track');
    refused({ canary: undefined, mirror: {}, progression: Progression.argoRollouts({ steps: [{ weight: 10 }] }) }, 'mirror', 'Progression.manual()');
    refused({ gateway: undefined, createGateway: { gatewayClassName: 'alb', alb: {} }, mirror: {} }, 'mirror', 'does not implement RequestMirror');
    refused({ mirror: { percentage: 5 } as never }, 'mirror.percentage', 'is not a prop');
  });

  test('property: every percent in (0, 100] with up to 4 decimals is written exactly, and the real split is unchanged', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 100 }), (tenThousandths, weight) => {
      const percent = tenThousandths / 10_000;
      const rule = rulesOf(gateway({ weight, mirror: { percent } }).manifests)[0];
      const mirror = rule.filters[0].requestMirror;
      if (percent === 100) expect(mirror.percent ?? mirror.fraction).toBeUndefined();
      else if (Number.isInteger(percent)) expect(mirror.percent).toBe(percent);
      else expect(mirror.fraction.numerator * 100 * 10_000 / mirror.fraction.denominator).toBeCloseTo(tenThousandths, 6);
      expect(rule.backendRefs.map((b: Manifest) => b.weight)).toEqual([100 - weight, weight]);
    }), { numRuns: 60 });
  });

  test('exactPercentFraction keeps 7 decimal places at most', () => {
    expect(exactPercentFraction(1e-7)).toEqual({ numerator: 1, denominator: 1_000_000_000 });
    expect(exactPercentFraction(1e-8)).toBeUndefined();
    expect(exactPercentFraction(99.99)).toEqual({ numerator: 9999, denominator: 10000 });
  });
});

describe('GatewayCanary channel, retries and stickySessions', () => {
  test('retries become every rule\'s retry on the experimental channel, valid against its CRD alone', () => {
    const { manifests } = gateway({ channel: EXPERIMENTAL, weight: 10, retries: { attempts: 3, backoff: Duration.millis(250), codes: [502, 503] }, match: [{ cookie: 'beta' }] });
    const rules = rulesOf(manifests);
    expect(rules).toHaveLength(2);
    for (const rule of rules) expect(rule.retry).toEqual({ attempts: 3, backoff: '250ms', codes: [502, 503] });
    expect(schemaProblems(manifests, { channel: 'experimental' })).toEqual([]);
    expect(schemaProblems(manifests).join('\n')).toMatch(/"retry"/);
  });

  test('stickySessions become a Cookie sessionPersistence: a session cookie, or a permanent one with maxAge', () => {
    const session = rulesOf(gateway({ channel: EXPERIMENTAL, stickySessions: {} }).manifests)[0].sessionPersistence;
    expect(session).toEqual({ sessionName: 'backend-session', type: 'Cookie' });
    const { manifests } = gateway({ channel: EXPERIMENTAL, stickySessions: { cookieName: 'shop-track', maxAge: Duration.hours(2) } });
    expect(rulesOf(manifests)[0].sessionPersistence).toEqual({
      sessionName: 'shop-track', type: 'Cookie', absoluteTimeout: '7200s', cookieConfig: { lifetimeType: 'Permanent' },
    });
    expect(schemaProblems(manifests, { channel: 'experimental' })).toEqual([]);
  });

  test('GRPCRoute takes sessionPersistence but has no retry', () => {
    const grpc = { protocol: CanaryProtocol.GRPC, port: 50051, channel: EXPERIMENTAL };
    const { manifests } = gateway({ ...grpc, stickySessions: {} });
    expect(find(manifests, 'GRPCRoute', 'backend').spec.rules[0].sessionPersistence).toEqual({ sessionName: 'backend-session', type: 'Cookie' });
    expect(schemaProblems(manifests, { channel: 'experimental' })).toEqual([]);
    refused({ ...grpc, retries: { attempts: 2 } }, 'retries', 'a GRPCRoute has no retry field');
  });

  test('on the standard channel, each experimental field is refused naming the field and the channel', () => {
    refused({ retries: { attempts: 2 } }, 'retries', 'channel is standard: the rule\'s retry is in the Gateway API experimental channel only');
    refused({ stickySessions: {} }, 'stickySessions', 'channel is standard: the rule\'s sessionPersistence is in the Gateway API experimental channel only');
    refused({ channel: 'beta' as GatewayApiChannel }, 'channel', /standard.*experimental/);
  });

  test.each([
    [{ attempts: 0 }, 'retries.attempts', 'from 1'],
    [{ attempts: 1.5 }, 'retries.attempts', 'integer'],
    [{ attempts: 2, codes: [200] }, 'retries.codes[0]', 'from 400 to 599'],
    [{ attempts: 2, codes: [503, 503] }, 'retries.codes', 'twice'],
    [{ attempts: 2, backoff: Duration.millis(0.5) }, 'retries.backoff', 'whole number of milliseconds'],
    [{ attempts: 2, tries: 3 }, 'retries.tries', 'is not a prop'],
  ])('retries %p refused at %s', (retries, prop, text) => {
    refused({ channel: EXPERIMENTAL, retries: retries as never }, prop, text);
  });

  test('property: on the standard channel every experimental field is refused, whatever else is set, naming the field and the channel', () => {
    const experimental: Record<'retries' | 'stickySessions', fc.Arbitrary<object>> = {
      retries: fc.integer({ min: 1, max: 5 }).map((attempts) => ({ attempts })),
      stickySessions: fc.constantFrom('a', 'shop-track').map((cookieName) => ({ cookieName })),
    };
    fc.assert(fc.property(fc.constantFrom(...Object.keys(experimental) as (keyof typeof experimental)[]), fc.integer({ min: 0, max: 100 }),
      fc.option(fc.constant({ percent: 50 }), { nil: undefined }), fc.boolean(), (field, weight, mirror, explicit) => {
        const value = fc.sample(experimental[field], 1)[0];
        const props = { weight, mirror, [field]: value, ...(explicit ? { channel: GatewayApiChannel.STANDARD } : {}) };
        refused(props, field, `channel is standard: the rule's ${field === 'retries' ? 'retry' : 'sessionPersistence'} is in the Gateway API experimental channel only`);
        // The same props on the experimental channel are accepted and valid against its CRD.
        expect(schemaProblems(gateway({ ...props, channel: EXPERIMENTAL }).manifests, { channel: 'experimental' })).toEqual([]);
      }), { numRuns: 30 });
  });

  test('cookie names and the engines', () => {
    refused({ channel: EXPERIMENTAL, stickySessions: { cookieName: 'a b' } }, 'stickySessions.cookieName', 'RFC 6265 token');
    refused({ channel: EXPERIMENTAL, stickySessions: { cookieName: 'x'.repeat(129) } }, 'stickySessions.cookieName', 'at most 128');
    const flagger = { canary: undefined, progression: Progression.flagger({ interval: Duration.minutes(1), stepWeight: 10, maxWeight: 50 }), channel: EXPERIMENTAL };
    refused({ ...flagger, retries: { attempts: 2 } }, 'retries', 'Flagger generates the HTTPRoute');
    refused({ ...flagger, stickySessions: {} }, 'stickySessions', 'Flagger generates the HTTPRoute');
  });
});

describe('GatewayCanary on Istio ambient waypoints', () => {
  const mesh = { gateway: undefined, mesh: true, waypoint: 'shop-waypoint' };

  test('Service <name> uses the waypoint; createWaypoint emits the waypoint Gateway', () => {
    const { construct, manifests } = gateway({ ...mesh, createWaypoint: true, weight: 20 });
    expect(find(manifests, 'Service', 'backend').metadata.labels['istio.io/use-waypoint']).toBe('shop-waypoint');
    expect(find(manifests, 'Service', 'backend-stable').metadata.labels['istio.io/use-waypoint']).toBeUndefined();
    const waypoint = find(manifests, 'Gateway', 'shop-waypoint');
    expect(waypoint.metadata.labels['istio.io/waypoint-for']).toBe('service');
    expect(waypoint.spec).toEqual({ gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] });
    expect(construct.waypoint?.name).toBe('shop-waypoint');
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('without createWaypoint no Gateway is emitted', () => {
    expect(objectIds(gateway({ ...mesh }).manifests).filter((id) => id.startsWith('Gateway/'))).toEqual([]);
  });

  test('Argo Rollouts analysis reads the waypoint\'s reports; without a waypoint, any reporter\'s', () => {
    const argo = { canary: undefined, progression: Progression.argoRollouts({ steps: [{ weight: 10 }], analysis: { prometheusAddress: 'http://prometheus:9090' } }) };
    const query = (props: Partial<GatewayCanaryProps>) => find(gateway({ ...argo, ...props }).manifests, 'AnalysisTemplate', 'backend').spec.metrics[0].provider.prometheus.query;
    expect(query(mesh)).toContain('istio_requests_total{reporter="waypoint", ');
    expect(query({ gateway: undefined, mesh: true })).not.toContain('reporter=');
  });

  test('refusals: waypoint without mesh, createWaypoint without waypoint, bad names, a name another object holds', () => {
    refused({ waypoint: 'w' }, 'waypoint', 'mesh is false');
    refused({ gateway: undefined, mesh: true, createWaypoint: true }, 'createWaypoint', 'waypoint is not set');
    refused({ ...mesh, waypoint: 'Shop_Waypoint' }, 'waypoint', /DNS-1123 label|lower-case/);
    expectSecondRefused(
      (chart) => new GatewayCanary(chart, 'a', { port: 3000, stable: v1, mesh: true, waypoint: 'wp', createWaypoint: true }),
      (chart) => new GatewayCanary(chart, 'b', { port: 3000, stable: v1, mesh: true, waypoint: 'wp', createWaypoint: true }),
      'waypoint', 'Gateway shop/wp');
  });
});

describe('GatewayCanary on the AWS Load Balancer Controller ALB Gateway', () => {
  const alb = (extra: Record<string, unknown> = {}, props: Partial<GatewayCanaryProps> = {}) => gateway({
    gateway: undefined, weight: 10, hostnames: ['shop.example.com'], ...props,
    createGateway: { gatewayClassName: 'aws-alb', hostname: 'shop.example.com', alb: { scheme: AlbScheme.INTERNET_FACING, certificateArns: [CERT], ...extra } },
  });

  test('GatewayClass, Gateway, LoadBalancerConfiguration and one TargetGroupConfiguration per backend', () => {
    const { construct, manifests } = alb();
    const gatewayClass = find(manifests, 'GatewayClass', 'aws-alb');
    expect(gatewayClass.metadata.namespace).toBeUndefined();
    expect(gatewayClass.spec).toEqual({ controllerName: 'gateway.k8s.aws/alb' });
    const gw = find(manifests, 'Gateway', 'backend-gateway');
    expect(gw.spec.infrastructure).toEqual({ parametersRef: { group: 'gateway.k8s.aws', kind: 'LoadBalancerConfiguration', name: 'backend-gateway' } });
    expect(gw.spec.listeners).toEqual([
      { name: 'http', protocol: 'HTTP', port: 80, hostname: 'shop.example.com' },
      { name: 'https', protocol: 'HTTPS', port: 443, hostname: 'shop.example.com' },
    ]);
    const lb = find(manifests, 'LoadBalancerConfiguration', 'backend-gateway');
    expect(lb.apiVersion).toBe('gateway.k8s.aws/v1');
    expect(lb.spec).toEqual({ scheme: 'internet-facing', listenerConfigurations: [{ protocolPort: 'HTTPS:443', defaultCertificate: CERT }] });
    expect(['backend', 'backend-canary'].map((name) => find(manifests, 'TargetGroupConfiguration', name).spec)).toEqual([
      { targetReference: { name: 'backend' }, defaultConfiguration: { targetType: 'ip' } },
      { targetReference: { name: 'backend-canary' }, defaultConfiguration: { targetType: 'ip' } },
    ]);
    expect(construct.albTargetGroupConfigurations.map((t) => t.name)).toEqual(['backend', 'backend-canary']);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('instance targets make the Services NodePort; without certificates no HTTPS listener', () => {
    const { manifests } = alb({ targetType: AlbTargetType.INSTANCE, certificateArns: undefined });
    expect(find(manifests, 'Service', 'backend').spec.type).toBe('NodePort');
    expect(find(manifests, 'TargetGroupConfiguration', 'backend').spec.defaultConfiguration.targetType).toBe('instance');
    expect(find(manifests, 'Gateway', 'backend-gateway').spec.listeners.map((l: Manifest) => l.name)).toEqual(['http']);
    expect(find(manifests, 'LoadBalancerConfiguration', 'backend-gateway').spec).toEqual({ scheme: 'internet-facing' });
  });

  test('gRPC: protocol version GRPC, and an HTTPS listener is required', () => {
    const { manifests } = alb({}, { protocol: CanaryProtocol.GRPC, port: 50051 });
    expect(find(manifests, 'TargetGroupConfiguration', 'backend').spec.defaultConfiguration).toEqual({ targetType: 'ip', protocolVersion: 'GRPC' });
    expect(() => alb({ certificateArns: [] }, { protocol: CanaryProtocol.GRPC, port: 50051 })).toThrow(/gRPC on HTTPS listeners only/);
  });

  test('what the controller does not implement is refused with its alternative', () => {
    const create = { gatewayClassName: 'aws-alb', alb: {} };
    refused({ gateway: undefined, createGateway: create, channel: EXPERIMENTAL, stickySessions: {} }, 'stickySessions', 'ListenerRuleConfiguration');
    refused({ gateway: undefined, createGateway: create, channel: EXPERIMENTAL, retries: { attempts: 2 } }, 'retries', 'does not retry');
    refused({ gateway: undefined, createGateway: { ...create, certificateSecret: 'tls' } }, 'createGateway.certificateSecret', 'certificateArns');
    refused({ gateway: undefined, createGateway: { gatewayClassName: 'aws-alb', alb: { certificateArns: ['not-an-arn'] } } }, 'createGateway.alb.certificateArns[0]', 'not a certificate ARN');
    refused({ gateway: undefined, createGateway: { gatewayClassName: 'aws-alb', alb: { scheme: 'public' as AlbScheme } } }, 'createGateway.alb.scheme', 'internet-facing');
  });

  test('the GatewayClass is cluster-scoped: a second canary in another namespace creating it is refused', () => {
    const make = (chart: Chart, id: string) => new GatewayCanary(chart, id, { port: 3000, stable: v1, createGateway: { gatewayClassName: 'aws-alb', alb: {} } });
    expectSecondRefused((chart) => make(chart, 'a'), (chart) => make(new Chart(chart.node.scope as never, 'other', { namespace: 'other' }), 'b'), 'createGateway.gatewayClassName', 'GatewayClass aws-alb (cluster-scoped)');
  });
});
