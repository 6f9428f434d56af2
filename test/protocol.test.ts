import { CanaryProtocol, GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../src';
import { grpcMethodOfPath, portProtocol, PortProtocolReader } from '../src/core/protocol';
import { schemaProblems } from './util/schema';
import { find, Manifest, newChart, objectIds, synth } from './util/synth';

const v1 = { image: 'registry.example.com/greeter:v1' };
const v2 = { image: 'registry.example.com/greeter:v2' };
const servicePorts = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'Service').map((s) => [s.metadata.name, s.spec.ports]);
const containerPorts = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'Deployment').map((d) => d.spec.template.spec.containers[0].ports);

describe('the port of each protocol, as each router reads it', () => {
  test('HTTP keeps name http and no appProtocol; HTTP2 and GRPC name the port and set appProtocol', () => {
    expect(portProtocol(CanaryProtocol.HTTP, PortProtocolReader.ISTIO)).toEqual({ name: 'http' });
    expect(portProtocol(CanaryProtocol.HTTP, PortProtocolReader.KUBERNETES)).toEqual({ name: 'http' });
    expect(portProtocol(CanaryProtocol.HTTP2, PortProtocolReader.ISTIO)).toEqual({ name: 'http2', appProtocol: 'http2' });
    expect(portProtocol(CanaryProtocol.HTTP2, PortProtocolReader.KUBERNETES)).toEqual({ name: 'http2', appProtocol: 'kubernetes.io/h2c' });
    expect(portProtocol(CanaryProtocol.GRPC, PortProtocolReader.ISTIO)).toEqual({ name: 'grpc', appProtocol: 'grpc' });
    expect(portProtocol(CanaryProtocol.GRPC, PortProtocolReader.KUBERNETES)).toEqual({ name: 'grpc', appProtocol: 'kubernetes.io/h2c' });
  });

  test('gRPC paths: a service as a prefix, a method as an exact path; nothing else', () => {
    expect(grpcMethodOfPath('/shop.Cart', false)).toEqual({ service: 'shop.Cart' });
    expect(grpcMethodOfPath('/shop.Cart/', false)).toEqual({ service: 'shop.Cart' });
    expect(grpcMethodOfPath('/shop.Cart/Checkout', true)).toEqual({ service: 'shop.Cart', method: 'Checkout' });
    expect(grpcMethodOfPath('/shop.Cart/Checkout', false)).toBeUndefined();
    expect(grpcMethodOfPath('/shop.Cart', true)).toBeUndefined();
    expect(grpcMethodOfPath('/shop.Cart/Check-out', true)).toBeUndefined();
    expect(grpcMethodOfPath('/shop..Cart', false)).toBeUndefined();
    expect(grpcMethodOfPath('/1shop', false)).toBeUndefined();
    expect(grpcMethodOfPath('/', false)).toBeUndefined();
  });
});

describe('IstioCanary: routes as for HTTP, with the port protocol Istio reads', () => {
  test('GRPC: Service port grpc with appProtocol grpc, container port grpc; the routes are the usual http routes', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'greeter', {
      protocol: CanaryProtocol.GRPC, port: 50051, stable: v1, canary: v2, weight: 10, match: [{ pathPrefix: '/shop.Cart', headers: { 'x-tester': '1' } }],
    }));
    expect(servicePorts(manifests)).toEqual([['greeter', [{ name: 'grpc', appProtocol: 'grpc', port: 50051, targetPort: 50051, protocol: 'TCP' }]]]);
    expect(containerPorts(manifests)).toEqual([[{ containerPort: 50051, name: 'grpc' }], [{ containerPort: 50051, name: 'grpc' }]]);
    const vs = find(manifests, 'VirtualService', 'greeter');
    expect(vs.spec.http[0].match).toEqual([
      { uri: { exact: '/shop.Cart' }, headers: { 'x-tester': { exact: '1' } } },
      { uri: { prefix: '/shop.Cart/' }, headers: { 'x-tester': { exact: '1' } } },
    ]);
    expect(vs.spec.http[1].route.map((r: Manifest) => r.weight)).toEqual([90, 10]);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('HTTP2: port http2, appProtocol http2', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'api', { protocol: CanaryProtocol.HTTP2, stable: v1 }));
    expect(find(manifests, 'Service', 'api').spec.ports[0]).toMatchObject({ name: 'http2', appProtocol: 'http2' });
  });

  test('HTTP (the default) is byte-for-byte what it was: port http, no appProtocol', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'api', { stable: v1 }));
    expect(find(manifests, 'Service', 'api').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }]);
  });
});

describe('GatewayCanary with GRPC: a GRPCRoute', () => {
  const build = (extra: Record<string, unknown> = {}) => synth((chart) => new GatewayCanary(chart, 'greeter', {
    protocol: CanaryProtocol.GRPC, port: 50051, stable: v1, canary: v2, weight: 10, gateway: { name: 'eg' }, hostnames: ['grpc.example.com'], ...extra,
  }));

  test('weighted default rule without matches; no HTTPRoute; Services with appProtocol kubernetes.io/h2c', () => {
    const { construct, manifests } = build();
    expect(objectIds(manifests)).toEqual(['Deployment/greeter', 'Deployment/greeter-canary', 'GRPCRoute/greeter', 'PodDisruptionBudget/greeter', 'PodDisruptionBudget/greeter-canary', 'Service/greeter', 'Service/greeter-canary']);
    expect(construct.httpRoute).toBeUndefined();
    expect(construct.grpcRoute?.name).toBe('greeter');
    const route = find(manifests, 'GRPCRoute', 'greeter');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'eg' }],
      hostnames: ['grpc.example.com'],
      rules: [{ backendRefs: [{ name: 'greeter', port: 50051, weight: 90 }, { name: 'greeter-canary', port: 50051, weight: 10 }] }],
    });
    expect(servicePorts(manifests).map(([, ports]) => ports[0].appProtocol)).toEqual(['kubernetes.io/h2c', 'kubernetes.io/h2c']);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('match paths become method matches, headers and cookies header matches, in GRPCRoute precedence order', () => {
    const { manifests } = build({
      match: [
        { pathExact: '/shop.Cart/Checkout', weight: 50 },
        { pathPrefix: '/shop.Cart', headers: { 'X-Tester': 'yes' } },
        { headerRegex: { 'x-team': 'qa|dev' }, cookie: 'canary' },
      ],
    });
    const rules = find(manifests, 'GRPCRoute', 'greeter').spec.rules;
    expect(rules.map((r: Manifest) => r.matches)).toEqual([
      [{ method: { type: 'Exact', service: 'shop.Cart', method: 'Checkout' } }],
      [{ method: { type: 'Exact', service: 'shop.Cart' }, headers: [{ name: 'x-tester', value: 'yes', type: 'Exact' }] }],
      [{ headers: [{ name: 'x-team', value: 'qa|dev', type: 'RegularExpression' }, { name: 'cookie', value: '^(.*;\\s*)?canary=always(\\s*;.*)?$', type: 'RegularExpression' }] }],
      undefined,
    ]);
    expect(rules.map((r: Manifest) => r.backendRefs.map((b: Manifest) => b.weight))).toEqual([[50, 50], [0, 100], [0, 100], [90, 10]]);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('mesh mode: the GRPCRoute attaches to the Service callers use', () => {
    const { manifests } = synth((chart) => new GatewayCanary(chart, 'greeter', { protocol: CanaryProtocol.GRPC, port: 50051, stable: v1, canary: v2, weight: 10, mesh: true }));
    const route = find(manifests, 'GRPCRoute', 'greeter');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'greeter', port: 50051 }]);
    expect(route.spec.rules[0].backendRefs.map((b: Manifest) => b.name)).toEqual(['greeter-stable', 'greeter-canary']);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('an HTTP and a gRPC canary share a Gateway when their host names differ', () => {
    const chart = newChart();
    new GatewayCanary(chart, 'web', { stable: v1, canary: v2, weight: 10, gateway: { name: 'eg' }, hostnames: ['www.example.com'] });
    new GatewayCanary(chart, 'greeter', { protocol: CanaryProtocol.GRPC, stable: v1, canary: v2, weight: 10, gateway: { name: 'eg' }, hostnames: ['grpc.example.com'] });
    new GatewayCanary(chart, 'web2', { stable: v1, canary: v2, weight: 10, gateway: { name: 'eg' }, hostnames: ['www.example.com'], path: '/v2' });
    expect(chart.toJson().filter((m) => m.kind.endsWith('Route')).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['HTTPRoute/web', 'GRPCRoute/greeter', 'HTTPRoute/web2']);
  });
});

describe('NginxCanary with GRPC', () => {
  test('backend-protocol GRPC on the main Ingress (the canary Ingress inherits it); ports named grpc', () => {
    const { manifests } = synth((chart) => new NginxCanary(chart, 'greeter', {
      protocol: CanaryProtocol.GRPC, port: 50051, stable: v1, canary: v2, weight: 30, host: 'grpc.example.com', tlsSecret: 'grpc-tls',
    }));
    expect(find(manifests, 'Ingress', 'greeter').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' });
    expect(find(manifests, 'Ingress', 'greeter-canary').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '30',
    });
    expect(find(manifests, 'Ingress', 'greeter').spec.tls).toEqual([{ hosts: ['grpc.example.com'], secretName: 'grpc-tls' }]);
    expect(servicePorts(manifests).map(([, ports]) => ports[0].name)).toEqual(['grpc', 'grpc']);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('with HTTP, other backend protocols (HTTPS) pass through ingressAnnotations', () => {
    const { manifests } = synth((chart) => new NginxCanary(chart, 'web', {
      stable: v1, host: 'example.com', ingressAnnotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' },
    }));
    expect(find(manifests, 'Ingress', 'web').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' });
  });
});

describe('ReplicaCanary: a per-connection split only when accepted', () => {
  test('GRPC without a canary needs no acceptance (no split)', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'greeter', { protocol: CanaryProtocol.GRPC, stable: v1 }));
    expect(find(manifests, 'Service', 'greeter').spec.ports[0]).toMatchObject({ name: 'grpc', appProtocol: 'kubernetes.io/h2c' });
  });

  test('GRPC with a canary and acceptPerConnectionSplit: the usual replica split', () => {
    const { construct } = synth((chart) => new ReplicaCanary(chart, 'greeter', {
      protocol: CanaryProtocol.GRPC, acceptPerConnectionSplit: true, stable: v1, canary: v2, replicas: 4, weight: 25,
    }));
    expect([construct.stableReplicas, construct.canaryReplicas]).toEqual([3, 1]);
  });

  test('the refusal says why and what to do', () => {
    expect(() => new ReplicaCanary(newChart(), 'greeter', { protocol: CanaryProtocol.HTTP2, stable: v1, canary: v2, replicas: 4, weight: 25 })).toThrow(
      'ReplicaCanary shop/greeter: protocol is HTTP2: kube-proxy picks a pod per connection, and HTTP2 clients send all their requests over one long-lived connection, so each client\'s requests go to one track and the replica ratio would split connections, not requests (with few clients, no split at all); use IstioCanary or a mesh GatewayCanary for a per-request split, or set acceptPerConnectionSplit: true');
  });
});
