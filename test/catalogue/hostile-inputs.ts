import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../../src';
import type { BadInput, ConstructKind } from './bad-inputs';

/**
 * The second round of the bad-input catalogue: what an adversarial reviewer tries. Each class of
 * the trust review has entries here: user keys as JavaScript keys, holes and collections, values
 * passed through to cdk8s-plus and to the generated router types, the rules each target system
 * enforces (API server, Gateway API CRDs and CEL, istiod, ingress-nginx), and clashes between
 * constructs. Every entry names the prop and synthesizes nothing.
 */

// Sparse arrays are the point of several entries: JavaScript callers produce them.
/* eslint-disable no-sparse-arrays */
export const entry = (construct: ConstructKind) => (props: Record<string, unknown>, prop: string, says: string, before?: (chart: Chart) => void, note?: string): BadInput =>
  ({ construct, props, prop, says, before, note });
const r = entry('ReplicaCanary');
const i = entry('IstioCanary');
const g = entry('GatewayCanary');
const n = entry('NginxCanary');

const v1 = { image: 'app:v1' };
const v2 = { image: 'app:v2' };
const stable = (extra: Record<string, unknown>) => ({ stable: { ...v1, ...extra } });
const canary = (extra: Record<string, unknown>) => ({ canary: { ...v2, ...extra } });
const http = (options: kplus.ProbeOptions & kplus.HttpGetProbeOptions = {}, path = '/healthz') => kplus.Probe.fromHttpGet(path, options);
const cpu = (request: unknown, limit?: unknown) => ({ resources: { cpu: { request, limit } } });
const memory = (request: unknown, limit?: unknown) => ({ resources: { memory: { request, limit } } });
const tp = (trafficPolicy: unknown) => ({ trafficPolicy });
/** Object literals as JSON-fed configs give them: own keys, even "__proto__". */
const json = <T>(text: string): T => JSON.parse(text) as T;
const withSymbol = { A: '1', [Symbol('hidden')]: '2' };
const fixedId = 'hello';

/** Another construct of the app, built first. */
const other = {
  replica: (name: string, namespace?: string) => (chart: Chart) => { new ReplicaCanary(chart, `other-${name}`, { name, namespace, stable: v1, canary: v2, replicas: 4, weight: 25 }); },
  istio: (name: string) => (chart: Chart) => { new IstioCanary(chart, `other-${name}`, { name, stable: v1, canary: v2, weight: 10 }); },
  gatewayMesh: (name: string) => (chart: Chart) => { new GatewayCanary(chart, `other-${name}`, { name, stable: v1, canary: v2, weight: 10, mesh: true }); },
  gateway: (name: string, props: Record<string, unknown>) => (chart: Chart) => { new GatewayCanary(chart, `other-${name}`, { name, stable: v1, canary: v2, weight: 10, gateway: { name: 'eg' }, ...props }); },
  nginx: (name: string, props: Record<string, unknown>) => (chart: Chart) => { new NginxCanary(chart, `other-${name}`, { name, stable: v1, canary: v2, weight: 10, ...props }); },
  /** A NodePort canary in another namespace: node ports are unique in the cluster. */
  nodePort: (port: number) => (chart: Chart) => {
    new ReplicaCanary(chart, 'other-node-port', { name: 'other', namespace: 'elsewhere', serviceType: 'NodePort' as never, nodePort: port, stable: v1 });
  },
  /** A chart without a namespace in the same app: its objects land in "default". */
  unnamespaced: (name: string) => (chart: Chart) => {
    new ReplicaCanary(new Chart(chart.node.root, 'no-namespace'), `other-${name}`, { name, stable: v1, canary: v2, replicas: 4, weight: 25 });
  },
};

export const HOSTILE_INPUTS: readonly BadInput[] = [
  // Holes, collections, symbol keys and NUL: what JavaScript callers and JSON-fed configs produce.
  r({ labels: new Map([['team', 'a']]) }, 'labels', 'must be a plain object of names to values'),
  r(stable({ env: new Map([['A', '1']]) }), 'stable.env', 'a Map: write it as an object literal'),
  r(stable({ envVariables: new Map() }), 'stable.envVariables', 'must be a plain object'),
  i({ match: [{ headers: new Map([['x-a', '1']]) }] }, 'match[0].headers', 'must be a plain object'),
  n({ ingressAnnotations: new Map([['a', 'b']]) }, 'ingressAnnotations', 'must be a plain object'),
  r(stable({ env: withSymbol }), 'stable.env', 'has symbol keys'),
  r(stable({ command: [, 'serve'] }), 'stable.command[0]', 'is an empty slot'),
  r(stable({ args: ['--a', , '--b'] }), 'stable.args[1]', 'is an empty slot'),
  i({ match: [, { headers: { 'x-a': '1' } }] }, 'match[0]', 'is an empty slot'),
  i({ hosts: [, 'www.example.com'], gateways: ['gw'] }, 'hosts[0]', 'is an empty slot'),
  i({ gateways: [, 'gw'], hosts: ['www.example.com'] }, 'gateways[0]', 'is an empty slot'),
  i(stable({ securityContext: { addCapabilities: [, 'NET_BIND_SERVICE'] } }), 'stable.securityContext.addCapabilities[0]', 'is an empty slot'),
  g({ hostnames: ['a.example.com', , 'b.example.com'] }, 'hostnames[1]', 'is an empty slot'),
  g({ gateway: undefined, gateways: [, { name: 'eg' }] }, 'gateways[0]', 'is an empty slot'),
  r(stable({ env: { A: 'x\u0000y' } }), 'stable.env.A', 'must not contain a NUL character'),
  i({ match: [{ headers: { 'x-a': 'a\u0000' } }] }, 'match[0].headers.x-a', 'must not contain a NUL character'),
  r(stable({ env: { PORT: null } }), 'stable.env.PORT', 'must be a string, got null'),
  r({ stable: [v1] }, 'stable', 'must be an object (it is required)'),
  r({ stable: new Map() }, 'stable', 'must be an object (it is required)'),
  i({ match: { headers: { 'x-a': '1' } } }, 'match', 'must be a list of CanaryMatch'),
  i({ match: ['x-canary'] }, 'match[0]', 'must be an object'),
  i({ hosts: 'www.example.com', gateways: ['gw'] }, 'hosts', 'must be a list of strings'),

  // Values passed through to cdk8s-plus: rendered or inspected at construction.
  r(stable({ readiness: http({ periodSeconds: Duration.millis(500) }) }), 'stable.readiness', 'cannot be rendered'),
  r(stable({ readiness: http({ port: 0 }) }), 'stable.readiness', 'port must be an integer from 1 to 65535, got 0'),
  r(stable({ readiness: http({ port: 70000 }) }), 'stable.readiness', 'got 70000'),
  r(stable({ readiness: http({ failureThreshold: 0 }) }), 'stable.readiness', 'failureThreshold must be a whole number from 1'),
  r(stable({ readiness: http({ failureThreshold: 2.5 }) }), 'stable.readiness', 'got 2.5'),
  r(stable({ readiness: http({ timeoutSeconds: Duration.seconds(0) }) }), 'stable.readiness', 'timeoutSeconds must be a whole number from 1'),
  r(stable({ readiness: http({ periodSeconds: Duration.days(1e7) }) }), 'stable.readiness', 'periodSeconds must be a whole number from 1 to 2147483647'),
  r(stable({ readiness: http({}, 'healthz') }), 'stable.readiness', 'HTTP path must start with "/"'),
  r(stable({ liveness: http({ successThreshold: 2 }) }), 'stable.liveness', 'successThreshold must be 1 for a liveness probe'),
  r(stable({ startup: kplus.Probe.fromTcpSocket({ successThreshold: 3 }) }), 'stable.startup', 'successThreshold must be 1 for a startup probe'),
  r(stable({ readiness: kplus.Probe.fromCommand([]) }), 'stable.readiness', 'command must be a non-empty list of strings'),
  r(stable({ readiness: { httpGet: { path: '/' } } }), 'stable.readiness', 'must be a cdk8s-plus-28 Probe'),
  r(stable({ readiness: 'GET /healthz' }), 'stable.readiness', 'must be a cdk8s-plus-28 Probe'),
  r(canary({ liveness: http({ initialDelaySeconds: Duration.millis(1500) }) }), 'canary.liveness', 'cannot be rendered'),
  r(stable(cpu(kplus.Cpu.millis(NaN))), 'stable.resources.cpu.request', 'must be a whole number of millicores above 0'),
  r(stable(cpu(kplus.Cpu.millis(-100))), 'stable.resources.cpu.request', 'got "-100m"'),
  r(stable(cpu(kplus.Cpu.millis(0.5))), 'stable.resources.cpu.request', 'got "0.5m"'),
  r(stable(cpu(kplus.Cpu.units(2), kplus.Cpu.units(1))), 'stable.resources.cpu.request', 'is above the limit'),
  r(stable(cpu('100m')), 'stable.resources.cpu.request', 'must be a cdk8s-plus-28 Cpu'),
  r(stable(memory(Size.mebibytes(NaN))), 'stable.resources.memory.request', 'must be a whole number of mebibytes above 0'),
  r(stable(memory(Size.kibibytes(100))), 'stable.resources.memory.request', 'must be a whole number of mebibytes'),
  r(stable(memory(Size.mebibytes(0))), 'stable.resources.memory.request', 'must be a whole number of mebibytes above 0'),
  r(stable(memory(Size.gibibytes(2), Size.gibibytes(1))), 'stable.resources.memory.request', 'is above the limit'),
  r(stable(memory('128Mi')), 'stable.resources.memory.request', 'must be a cdk8s Size'),
  r(stable({ resources: { gpu: { limit: 1 } } }), 'stable.resources.gpu', 'is not a field'),
  r(stable({ resources: { cpu: { requests: kplus.Cpu.millis(100) } } }), 'stable.resources.cpu.requests', 'is not a field'),
  r(stable({ resources: { ephemeralStorage: { limit: Size.mebibytes(500) } } }), 'stable.resources.ephemeralStorage.limit', 'whole number of gibibytes'),
  r(stable({ resources: '1 cpu' }), 'stable.resources', 'must be an object'),
  r(stable({ envVariables: { DB: null } }), 'stable.envVariables.DB', 'must be a cdk8s-plus-28 EnvValue'),
  r(stable({ envVariables: { DB: 'postgres://db' } }), 'stable.envVariables.DB', 'must be a cdk8s-plus-28 EnvValue'),
  r(stable({ envVariables: { DB: kplus.EnvValue.fromValue(42 as unknown as string) } }), 'stable.envVariables.DB', 'must be a string, got 42'),
  r(stable({ envVariables: { '1DB': kplus.EnvValue.fromValue('x') } }), 'stable.envVariables', 'is not a valid environment variable name'),
  r(stable({ securityContext: { addCapabilities: 'NET_BIND_SERVICE' } }), 'stable.securityContext.addCapabilities', 'must be a list of Capability values'),
  r(stable({ securityContext: { addCapabilities: ['FLY'] } }), 'stable.securityContext.addCapabilities[0]', 'must be one of'),
  r(stable({ securityContext: { addCapabilities: [kplus.Capability.ALL] } }), 'stable.securityContext.addCapabilities', 'adds ALL'),
  r(stable({ imagePullPolicy: 'Sometimes' }), 'stable.imagePullPolicy', 'must be one of "Always", "IfNotPresent", "Never"'),
  r(stable({ securityContext: { runAsUser: -1 } }), 'stable.securityContext.runAsUser', 'must be an integer from 0'),
  r(stable({ securityContext: { runAsGroup: 1.5 } }), 'stable.securityContext.runAsGroup', 'got 1.5'),
  i({ timeout: Duration.millis(NaN) }, 'timeout', 'must be a whole number of milliseconds'),
  i({ timeout: Duration.days(1e7) }, 'timeout', 'to 99999 hours'),
  i({ timeout: Duration.millis(1.5) }, 'timeout', 'got 1.5 ms'),
  i({ retries: { attempts: 2, perTryTimeout: Duration.millis(0.25) } }, 'retries.perTryTimeout', 'must be a whole number of milliseconds'),
  i({ match: [{ headers: { 'x-a': '1' } }], fault: { delay: { fixedDelay: Duration.days(5000) } } }, 'fault.delay.fixedDelay', 'to 99999 hours'),
  g({ timeout: Duration.hours(100000) }, 'timeout', 'to 99999 hours'),
  n({ stickySessions: { maxAge: Duration.millis(1500) } }, 'stickySessions.maxAge', 'must be a whole number of seconds'),
  n({ stickySessions: { maxAge: Duration.millis(500) } }, 'stickySessions.maxAge', 'got 500 ms'),

  // The generated Istio type, passed through: nothing may vanish, both releases' schemas apply.
  i(tp({ loadBalancer: { simpel: 'ROUND_ROBIN' } }), 'trafficPolicy.loadBalancer.simpel', 'would be dropped without a word'),
  i(tp({ outlierDetection: { consecutive5xxErrors: 5 } }), 'trafficPolicy.outlierDetection.consecutive5xxErrors', 'e.g. consecutive5XxErrors'),
  i(tp({ loadBalancer: { simple: 'FASTEST' } }), 'trafficPolicy.loadBalancer.simple', 'must be one of "UNSPECIFIED"'),
  i(tp({ connectionPool: { tcp: { connectTimeout: '0s' } } }), 'trafficPolicy.connectionPool.tcp.connectTimeout', 'must be at least 1ms'),
  i(tp({ connectionPool: { tcp: { connectTimeout: 'soon' } } }), 'trafficPolicy.connectionPool.tcp.connectTimeout', 'must be a duration'),
  i(tp({ connectionPool: { http: { http1MaxPendingRequests: 'many' } } }), 'trafficPolicy.connectionPool.http.http1MaxPendingRequests', 'must be an integer'),
  i(tp({ connectionPool: { tcp: { maxConnections: 2 ** 40 } } }), 'trafficPolicy.connectionPool.tcp.maxConnections', 'must be from'),
  i(tp({ loadBalancer: { simple: 'RANDOM', consistentHash: { httpHeaderName: 'x-user' } } }), 'trafficPolicy.loadBalancer', 'must set at most one of: simple, consistentHash'),
  i(tp({ tls: { mode: 'MUTUAL_PLEASE' } }), 'trafficPolicy.tls.mode', 'must be one of'),
  i(tp('ROUND_ROBIN'), 'trafficPolicy', 'must be an object'),
  i(tp({ portLevelSettings: [, { port: { number: 80 } }] }), 'trafficPolicy.portLevelSettings[0]', 'is an empty slot'),

  // HTTP header names and values as the routers take them.
  i({ match: [{ headers: { ['x'.repeat(257)]: '1' } }] }, 'match[0].headers', 'at most 256 characters'),
  g({ match: [{ headers: { 'x-a': 'v'.repeat(4097) } }] }, 'match[0].headers.x-a', 'a header match holds at most 4096'),
  g({ match: [{ headerRegex: { 'x-a': `^${'a'.repeat(4100)}$` } }] }, 'match[0].headerRegex.x-a', 'at most 4096'),
  i({ match: [{ headers: { 'x-a': 'line\nbreak' } }] }, 'match[0].headers.x-a', 'has a control character'),
  i({ match: [{ headers: { 'X-Canary': 'a' }, headerRegex: { 'x-canary': 'b.*' } }] }, 'match[0]', 'matches header "x-canary" twice'),
  i({ match: [{ headers: { ':authority': 'a' } }] }, 'match[0].headers', 'is not a valid header name'),
  g({ match: [{ cookie: 'c'.repeat(257) }] }, 'match[0].cookie', 'is not a valid cookie name'),
  n({ match: [{ headers: { x_canary: 'always' } }] }, 'match[0].headers', 'has "_" or "."'),
  n({ match: [{ headers: { 'x.canary': 'always' } }] }, 'match[0].headers', 'NGINX drops such request headers'),
  n({ match: [{ headerRegex: { 'X_Canary': 'a.*' } }] }, 'match[0].headers', 'has "_" or "."'),

  // Gateway API: the HTTPRoute CRD's path, parentRefs and hostname rules (CEL included).
  g({ path: '/a b' }, 'path', 'may only contain letters, digits'),
  g({ path: '/a/./b' }, 'path', 'must not contain "//", "/./"'),
  g({ path: '/a/../b' }, 'path', 'must not contain'),
  g({ path: '/a/..' }, 'path', 'must not end with "/." or "/.."'),
  g({ path: '/a/.' }, 'path', 'must not end with'),
  g({ path: '/a%2Fb' }, 'path', 'must not contain'),
  g({ path: '/a%zz' }, 'path', 'may only contain letters, digits'),
  g({ path: '/a#frag' }, 'path', 'may only contain'),
  g({ path: `/${'a'.repeat(1024)}` }, 'path', 'must be at most 1024 characters'),
  g({ path: '/ünïcode' }, 'path', 'may only contain'),
  g({ gateway: undefined, gateways: [{ name: 'eg', sectionName: 'http' }, { name: 'eg' }] }, 'gateways[1].sectionName', 'must be given on every reference to Gateway shop/eg or on none'),
  g({ gateway: undefined, gateways: [{ name: 'eg', port: 80 }, { name: 'eg', port: 443 }] }, 'gateways[1]', 'a port alone does not tell them apart'),
  g({ gateway: undefined, gateways: [{ name: 'eg', sectionName: 'web' }, { name: 'eg', namespace: 'shop', sectionName: 'web' }] }, 'gateways[1]', 'refers to Gateway shop/eg listener web again'),
  g({ hostnames: ['10.0.0.1'] }, 'hostnames[0]', 'is an IP address'),
  g({ hostnames: [`${'a'.repeat(64)}.example.com`] }, 'hostnames[0]', 'has a label longer than 63 characters'),
  g({ hostnames: ['Shop.Example.com'] }, 'hostnames[0]', 'must be a lower-case DNS name'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'eg', hostname: '192.168.1.1' } }, 'createGateway.hostname', 'is an IP address'),
  g({ gateway: undefined, mesh: true, port: 15001 }, 'port', 'the Istio sidecar uses'),

  // istiod's VirtualService rules, and what a sidecar needs from the pods.
  i({ hosts: ['*'], gateways: ['istio-system/public'] }, 'hosts[0]', 'istiod refuses on a VirtualService bound to the mesh gateway'),
  i({ hosts: ['*.shop.svc.cluster.local'] }, 'hosts[0]', 'covers in-cluster Service names'),
  i({ hosts: ['*.svc.cluster.local'], gateways: ['gw'], meshTraffic: false }, 'hosts[0]', 'overlaps "hello"'),
  i({ hosts: ['*.cluster.local'] }, 'hosts[0]', 'covers in-cluster Service names'),
  i({ hosts: ['*.example.com', 'www.example.com'], gateways: ['gw'] }, 'hosts[1]', 'overlaps "*.example.com"'),
  i({ hosts: ['hello.shop.svc.cluster.local'] }, 'hosts[0]', 'overlaps "hello" (the Service is always a host)'),
  i({ hosts: [`${'a'.repeat(64)}.example.com`], gateways: ['gw'] }, 'hosts[0]', 'has a label longer than 63 characters'),
  i({ hosts: ['1.2.3.4'], gateways: ['gw'] }, 'hosts[0]', 'is an IP address'),
  i({ port: 15001 }, 'port', 'is 15001, in the block 15000-15090 the Istio sidecar uses'),
  i({ containerPort: 15090 }, 'containerPort', 'the Istio sidecar uses'),
  i({ port: 15021 }, 'port', 'choose another port'),
  i(stable({ securityContext: { runAsUser: 1337 } }), 'stable.securityContext.runAsUser', 'is 1337, the Istio sidecar\'s own UID'),
  i(canary({ securityContext: { runAsUser: 1337 } }), 'canary.securityContext.runAsUser', 'bypasses the mesh'),
  g({ gateway: undefined, mesh: true, ...stable({ securityContext: { runAsUser: 1337 } }) }, 'stable.securityContext.runAsUser', 'bypasses the mesh'),

  // ingress-nginx and the Ingress API.
  n({ host: '10.0.0.1' }, 'host', 'is an IP address'),
  n({ host: `${'a'.repeat(64)}.example.com` }, 'host', 'has a label longer than 63 characters'),
  n({ ingressAnnotations: { 'kubernetes.io/ingress.class': 'nginx' } }, 'ingressAnnotations', 'conflicts with spec.ingressClassName'),
  n({ ingressAnnotations: { 'example.com/blob': 'x'.repeat(262145) } }, 'ingressAnnotations', 'the API server refuses annotations over 262144 bytes'),
  n({ ingressAnnotations: { 'example.com/a': 'é'.repeat(131073) } }, 'ingressAnnotations', 'refuses annotations over'),
  n({ ingressAnnotations: json('{"__proto__": "x"}') }, 'ingressAnnotations', 'key "__proto__" is not a qualified name'),
  n({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/server-snippet': 'return 200;' } }, 'ingressAnnotations', 'is a snippet annotation'),
  n({ ingressAnnotations: { 'example.com/a': 'x\u0000' } }, 'ingressAnnotations.example.com/a', 'must not contain a NUL character'),
  n({ match: [{ cookie: 'canary' }], ...stable({ replicas: 0 }), canary: { ...v2, replicas: 2 }, weight: 100 }, 'stable.replicas', 'is 0 while a route has weight 0'),
  n({ fineWeight: -0.5 }, 'fineWeight', 'must be a number from 0 to 100'),

  // Clashes with other constructs of the app: every object and route has one owner.
  r({ name: 'a' }, 'name', 'makes Deployment shop/a-canary, which ReplicaCanary shop/other-a-canary already emits', other.replica('a-canary'), '(after a ReplicaCanary named `a-canary`)'),
  g({ name: 'a', gateway: undefined, mesh: true }, 'name', 'makes Service shop/a-stable, which', other.replica('a-stable'), '(after a ReplicaCanary named `a-stable`)'),
  r({ name: 'b-stable' }, 'name', 'makes Service shop/b-stable, which GatewayCanary shop/other-b already emits', other.gatewayMesh('b'), '(after a mesh GatewayCanary named `b`)'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'eg', name: 'shared-gw' } }, 'createGateway.name', 'makes Gateway shop/shared-gw',
    other.gateway('first', { gateway: undefined, createGateway: { gatewayClassName: 'eg', name: 'shared-gw' } }), '(after a GatewayCanary creating Gateway `shared-gw`)'),
  r({ namespace: 'default' }, 'name', 'makes Deployment default/hello, which ReplicaCanary no-namespace/other-hello already emits',
    other.unnamespaced(fixedId), '(after `hello` in a chart without a namespace)'),
  i({ name: 'kubernetes', namespace: 'default' }, 'name', 'makes Service default/kubernetes, the API server\'s own Service'),
  n({}, 'host', 'makes the ingress-nginx route example.com/ of class nginx', other.nginx('first', { host: 'example.com' }), '(after an NginxCanary on example.com/)'),
  n({ host: undefined }, 'host', '(any host)/ of class nginx', other.nginx('first', {}), '(after an NginxCanary on any host)'),
  g({ hostnames: ['shop.example.com'] }, 'hostnames', 'makes the Gateway API route shop.example.com/ (PathPrefix) on Gateway/shop/eg/*',
    other.gateway('first', { hostnames: ['shop.example.com'] }), '(after a GatewayCanary on shop.example.com/ of Gateway eg)'),
  i({ hosts: ['other.shop.svc.cluster.local'] }, 'hosts[0]', 'which IstioCanary shop/other-other already routes', other.istio('other'), '(after an IstioCanary named `other`)'),
  i({ name: 'b', hosts: ['a.shop.svc.cluster.local'] }, 'hosts[0]', 'makes the Istio route for a.shop.svc.cluster.local through the mesh', other.istio('a'), '(after an IstioCanary named `a`)'),
  i({ name: 'hello' }, 'name', 'makes Deployment shop/hello', other.replica(fixedId), '(after a ReplicaCanary named `hello`)'),

  // Path conditions: each router's rules.
  i({ match: [{ pathPrefix: 'error' }] }, 'match[0].pathPrefix', 'must start with "/"'),
  i({ match: [{ pathExact: '/a//b' }] }, 'match[0].pathExact', 'must not contain "//"'),
  i({ match: [{ pathRegex: '/(a' }] }, 'match[0].pathRegex', 'is not a valid RE2 regular expression'),
  i({ match: [{ pathPrefix: '/a', pathExact: '/a' }] }, 'match[0].pathExact', 'is given together with pathPrefix'),
  g({ path: '/api', match: [{ pathPrefix: '/error' }] }, 'match[0].pathPrefix', 'outside the route\'s path "/api"'),
  g({ path: '/api', match: [{ pathPrefix: '/apix' }] }, 'match[0].pathPrefix', 'outside the route'),
  g({ match: [{ headers: { 'x-a': '1' } }, { pathPrefix: '/error' }] }, 'match[1]', 'takes precedence over match[0]'),
  g({ match: [{ pathPrefix: '/a' }, { pathExact: '/b' }] }, 'match[1]', 'by exact path, then longest path prefix'),
  n({ match: [{ pathPrefix: '/error' }] }, 'match[0].pathPrefix', 'ingress-nginx canary rules cannot express'),

  // Annotations given twice, or too many on one object once merged.
  r({ annotations: { 'example.com/a': '1' }, serviceAnnotations: { 'example.com/a': '2' } }, 'serviceAnnotations', 'which annotations sets too'),
  n({ annotations: { 'example.com/a': 'x'.repeat(200000) }, ingressAnnotations: { 'example.com/b': 'y'.repeat(100000) } }, 'ingressAnnotations', 'the API server refuses annotations over 262144 bytes'),

  // Misspelt props from JavaScript or JSON: refused with a suggestion instead of ignored.
  r({ wieght: 10 }, 'wieght', 'is not a prop; did you mean weight?'),
  r(stable({ replica: 2 }), 'stable.replica', 'did you mean replicas?'),
  r(stable({ securityContext: { runAsUsr: 1000 } }), 'stable.securityContext.runAsUsr', 'did you mean runAsUser?'),
  i({ match: [{ header: { 'x-a': '1' } }] }, 'match[0].header', 'did you mean headers?'),
  i({ mirror: { percent: 10 } }, 'mirror.percent', 'is not a prop'),
  g({ gateway: { name: 'eg', sectionname: 'web' } }, 'gateway.sectionname', 'did you mean sectionName?'),
  g({ gateway: undefined, createGateway: { gatewayClass: 'eg' } }, 'createGateway.gatewayClass', 'is not a prop'),
  n({ stickySessions: { maxage: Duration.hours(1) } }, 'stickySessions.maxage', 'did you mean maxAge?'),
  n({ hosts: ['example.com'] }, 'hosts', 'did you mean host?'),

  // Small but real.
  r({ partOf: 'x'.repeat(64) }, 'partOf', 'must be a label value'),
  r({ labels: { constructor: 'x'.repeat(64) } }, 'labels.constructor', 'must be a label value'),
  r(stable({ env: json('{"__proto__": 1}') }), 'stable.env.__proto__', 'must be a string, got 1'),
  r({ weight: -1e-9 }, 'weight', 'must be an integer from 0 to 100'),
  r({ port: -0.5 }, 'port', 'must be an integer from 1 to 65535'),
  i({ mirror: { percentage: NaN } }, 'mirror.percentage', 'must be a number from 0 to 100, got NaN'),
  i({ retries: { attempts: 2, retryOn: 'reset' } }, 'retries.retryOn', 'must be a list of strings'),
  g({ gateway: { name: 'eg', port: 0 } }, 'gateway.port', 'must be an integer from 1 to 65535'),

  r({ serviceType: 'NodePort', nodePort: 31532 }, 'nodePort', 'makes node port 31532, which ReplicaCanary shop/other-node-port already routes', other.nodePort(31532), '(after a NodePort canary on 31532 in another namespace)'),

  // Scaling and drains: what would break the split, leave a track without pods or never scale.
  r({ canary: { ...v2, autoscaling: { minReplicas: 1, maxReplicas: 3 } } }, 'canary.autoscaling', 'a ReplicaCanary splits by the ratio of pods'),
  i(stable({ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4 } }), 'stable.replicas', 'give one of them'),
  i(canary({ autoscaling: { minReplicas: 0, maxReplicas: 4 } }), 'canary.autoscaling.minReplicas', 'alpha HPAScaleToZero feature gate'),
  i(stable({ autoscaling: { minReplicas: 3, maxReplicas: 2 } }), 'stable.autoscaling.maxReplicas', 'must be an integer from 3'),
  i(stable({ autoscaling: { minReplicas: NaN, maxReplicas: 2 } }), 'stable.autoscaling.minReplicas', 'got NaN'),
  g(stable({ autoscaling: { minReplicas: 1, maxReplicas: 2, memoryUtilization: 80 }, resources: { cpu: { request: kplus.Cpu.millis(100) } } }),
    'stable.autoscaling.memoryUtilization', 'needs a memory request'),
  n(stable({ autoscaling: { minReplicas: 1, maxReplicas: 2, scaleDownStabilization: Duration.millis(1500) } }), 'stable.autoscaling.scaleDownStabilization', 'whole number of seconds'),
  g(stable({ spread: 'no' }), 'stable.spread', 'must be true or false'),
  r({ disruptionBudgets: 0 }, 'disruptionBudgets', 'must be true or false'),

  // protocol: what each router can carry, and the routes a GRPCRoute cannot express.
  r({ protocol: 'grpc' }, 'protocol', 'must be one of'),
  r({ protocol: 'GRPC' }, 'protocol', 'kube-proxy picks a pod per connection'),
  r({ protocol: 'HTTP', acceptPerConnectionSplit: true }, 'acceptPerConnectionSplit', 'whose split needs no acceptance'),
  n({ protocol: 'HTTP2' }, 'protocol', 'no cleartext HTTP/2 (h2c)'),
  n({ protocol: 'GRPC' }, 'tlsSecret', 'which NGINX serves only over TLS'),
  n({ protocol: 'GRPC', tlsSecret: 'tls', ingressAnnotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' } }, 'ingressAnnotations', 'which NginxCanary sets to GRPC from protocol'),
  n({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'grpc' } }, 'ingressAnnotations', 'set protocol: CanaryProtocol.GRPC instead'),
  g({ protocol: 'GRPC', path: '/api' }, 'path', 'a GRPCRoute has no paths'),
  g({ protocol: 'GRPC', timeout: Duration.seconds(5) }, 'timeout', 'a GRPCRoute has no timeouts'),
  g({ protocol: 'GRPC', match: [{ pathPrefix: '/api/v1' }] }, 'match[0].pathPrefix', 'which a GRPCRoute cannot match'),
  g({ protocol: 'GRPC', match: [{ pathExact: '/shop.Cart' }] }, 'match[0].pathExact', 'one method (pathExact "/<package.Service>/<Method>"'),
  g({ protocol: 'GRPC', match: [{ pathRegex: '/shop\\..*' }] }, 'match[0].pathRegex', 'which a GRPCRoute cannot match'),
  g({ protocol: 'GRPC', match: [{ headers: { 'x-a': '1', 'x-b': '2' } }, { pathPrefix: '/shop.Cart' }] }, 'match[1]', 'GRPCRoute ranks rules by the length of the matched service'),
  g({ protocol: 'GRPC', hostnames: ['shop.example.com'] }, 'hostnames', 'on one listener, Gateway API accepts only the older of an HTTPRoute and a GRPCRoute',
    other.gateway('first', { hostnames: ['shop.example.com'] }), '(after an HTTP GatewayCanary on shop.example.com of Gateway eg)'),
  g({ hostnames: ['shop.example.com'], path: '/web' }, 'hostnames', 'attaches a GRPCRoute there',
    other.gateway('first', { hostnames: ['shop.example.com'], protocol: 'GRPC' }), '(after a gRPC GatewayCanary on shop.example.com of Gateway eg)'),
  g({ protocol: 'GRPC' }, 'protocol', 'makes the GRPCRoute for (any host) on Gateway/shop/eg/*, which GatewayCanary shop/other-first already routes',
    other.gateway('first', { protocol: 'GRPC' }), '(after another gRPC GatewayCanary on Gateway eg)'),
];
