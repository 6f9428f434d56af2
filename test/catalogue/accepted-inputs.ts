import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { AlbCanary, GatewayApiChannel, GatewayCanary, IstioCanary, NginxCanary, Progression, ReplicaCanary } from '../../src';
import { Manifest } from '../util/synth';
import { ConstructKind, entryProps, showProps } from './bad-inputs';
import { codeCell, ReadmeTable } from './readme-table';

/**
 * The accepted-input catalogue: unusual but valid inputs a careful reviewer tries (header names
 * in any case, JavaScript's own key names as data, the longest names, unicode where values allow
 * it, -0, canonical quantities). accepted-input-catalogue.test.ts synthesizes each one, checks the
 * objects against the schemas and the manifest invariants, reads the split back from the objects,
 * and runs the entry's own check of the fields that carry the input. `npm run docs` renders the
 * list into the README.
 */
export interface AcceptedInput {
  readonly construct: ConstructKind;
  /** Props written over the construct's valid base props (undefined removes a prop). */
  readonly props: Record<string, unknown>;
  /** What the output shows: a check of the fields that carry the input. */
  readonly shows: string;
  readonly check: (manifests: readonly Manifest[]) => void;
  /**
   * The CRDs the output needs: the standard channel (both releases, the default), the standard
   * channel from v1.3 (a field v1.2.1 lacks), or the experimental channel alone.
   */
  readonly crds?: AcceptedCrds;
}

/** Which Gateway API CRDs an accepted entry's output is checked against. */
export type AcceptedCrds = 'standard' | 'standard-v1.3' | 'experimental';

const find = (ms: readonly Manifest[], kind: string, name: string): Manifest => {
  const found = ms.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
};
const expectEqual = (actual: unknown, expected: unknown) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
};
const own = (object: Manifest, key: string) => {
  if (!Object.prototype.hasOwnProperty.call(object, key)) throw new Error(`no own key ${JSON.stringify(key)} in ${JSON.stringify(object)}`);
  return object[key];
};
/** JSON-fed configs: "__proto__" as an own key. */
const json = <T>(text: string): T => JSON.parse(text) as T;

const istioMatch = (ms: readonly Manifest[]) => find(ms, 'VirtualService', 'hello').spec.http[0].match[0].headers;
const gatewayHeaders = (ms: readonly Manifest[]) => find(ms, 'HTTPRoute', 'hello').spec.rules[0].matches[0].headers;
const gatewayRule = (ms: readonly Manifest[], i: number) => find(ms, 'HTTPRoute', 'hello').spec.rules.at(i);
const canaryIngress = (ms: readonly Manifest[]) => find(ms, 'Ingress', 'hello-canary').metadata.annotations;
const podLabels = (ms: readonly Manifest[]) => find(ms, 'Deployment', 'hello').spec.template.metadata.labels;
const container = (ms: readonly Manifest[], name = 'hello') => find(ms, 'Deployment', name).spec.template.spec.containers[0];
const env = (ms: readonly Manifest[]) => container(ms).env as { name: string; value: string }[];

const a = (construct: ConstructKind) => (props: Record<string, unknown>, shows: string, check: (ms: readonly Manifest[]) => void, crds?: AcceptedCrds): AcceptedInput =>
  ({ construct, props, shows, check, crds });
const r = a('ReplicaCanary');
const i = a('IstioCanary');
const g = a('GatewayCanary');
const n = a('NginxCanary');
const l = a('AlbCanary');
const v1 = { image: 'app:v1' };
const long = `a${'b'.repeat(54)}c`;

export const ACCEPTED_INPUTS: readonly AcceptedInput[] = [
  // Header names in any case: each router gets the lower-case form.
  i({ match: [{ headers: { 'X-Canary': 'always' } }] }, 'Istio header "x-canary"', (ms) => expectEqual(istioMatch(ms), { 'x-canary': { exact: 'always' } })),
  i({ match: [{ headerRegex: { 'End-User': '^tester-[0-9]+$' } }] }, 'Istio header "end-user"', (ms) => expectEqual(Object.keys(istioMatch(ms)), ['end-user'])),
  i({ match: [{ headerPrefix: { 'X-Region': 'eu-' } }] }, 'Istio prefix match on "x-region"', (ms) => expectEqual(istioMatch(ms), { 'x-region': { prefix: 'eu-' } })),
  g({ match: [{ headers: { 'X-Canary': 'always' } }] }, 'HTTPRoute header "x-canary"', (ms) => expectEqual(gatewayHeaders(ms), [{ name: 'x-canary', type: 'Exact', value: 'always' }])),
  n({ match: [{ headers: { 'X-Canary': 'always' } }] }, 'canary-by-header "x-canary"', (ms) => expectEqual(canaryIngress(ms)['nginx.ingress.kubernetes.io/canary-by-header'], 'x-canary')),
  n({ match: [{ headerRegex: { 'X-User-Group': 'beta|alpha' } }] }, 'canary-by-header-pattern anchored', (ms) => expectEqual(canaryIngress(ms)['nginx.ingress.kubernetes.io/canary-by-header-pattern'], '^(?:beta|alpha)$')),
  // JavaScript's own key names are data.
  i({ weight: 0, match: [{ headers: json('{"__proto__": "x"}') }] }, 'Istio header "__proto__" as a key (weight 0 stays 0)', (ms) => {
    expectEqual(own(istioMatch(ms), '__proto__'), { exact: 'x' });
    expectEqual(find(ms, 'VirtualService', 'hello').spec.http[1].route.map((d: Manifest) => d.weight), [100, 0]);
  }),
  i({ match: [{ headers: { constructor: 'a', toString: 'b' } }] }, 'Istio headers "constructor" and "tostring"', (ms) => expectEqual(Object.keys(istioMatch(ms)), ['constructor', 'tostring'])),
  i({ match: [{ headers: { hasOwnProperty: 'c' }, headerRegex: { valueOf: 'd.*' } }] }, 'Istio headers "hasownproperty", "valueof"', (ms) => expectEqual(Object.keys(istioMatch(ms)), ['hasownproperty', 'valueof'])),
  g({ match: [{ headers: json('{"__proto__": "x", "constructor": "y"}') }] }, 'HTTPRoute headers "__proto__", "constructor"', (ms) => expectEqual(gatewayHeaders(ms).map((h: Manifest) => h.name), ['__proto__', 'constructor'])),
  n({ match: [{ headers: { constructor: 'yes' } }] }, 'canary-by-header "constructor"', (ms) => expectEqual(canaryIngress(ms)['nginx.ingress.kubernetes.io/canary-by-header'], 'constructor')),
  r({ labels: { constructor: 'x', toString: 'y', valueOf: 'z' } }, 'labels "constructor", "toString", "valueOf" on every object', (ms) => {
    for (const m of ms) expectEqual([own(m.metadata.labels, 'constructor'), own(m.metadata.labels, 'toString'), own(m.metadata.labels, 'valueOf')], ['x', 'y', 'z']);
  }),
  i({ labels: { hasOwnProperty: 'h', 'example.com/constructor': 'c' } }, 'labels "hasOwnProperty" and a prefixed "constructor"', (ms) => expectEqual(own(podLabels(ms), 'hasOwnProperty'), 'h')),
  g({ labels: { isPrototypeOf: 'p' } }, 'label "isPrototypeOf"', (ms) => expectEqual(own(podLabels(ms), 'isPrototypeOf'), 'p')),
  n({ labels: { propertyIsEnumerable: 'e' } }, 'label "propertyIsEnumerable"', (ms) => expectEqual(own(podLabels(ms), 'propertyIsEnumerable'), 'e')),
  r({ stable: { ...v1, env: json('{"__proto__": "a", "constructor": "b", "toString": "c"}') } }, 'env "__proto__", "constructor", "toString"', (ms) => {
    expectEqual(env(ms), [{ name: '__proto__', value: 'a' }, { name: 'constructor', value: 'b' }, { name: 'toString', value: 'c' }]);
  }),
  r({ stable: { ...v1, env: { toString: 'plain' }, envVariables: { valueOf: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME) } } }, 'env "toString" and "valueOf" from a field, no false "set twice"', (ms) => {
    expectEqual(env(ms).map((e) => e.name), ['toString', 'valueOf']);
  }),
  n({ annotations: { constructor: 'c', 'example.com/toString': 't' } }, 'annotations "constructor" on the main Ingress', (ms) => expectEqual(own(find(ms, 'Ingress', 'hello').metadata.annotations, 'constructor'), 'c')),
  // The longest names, and names that look like other names.
  r({ name: long }, '56-character name, Deployment and Service `<name>-canary` 63', (ms) => expectEqual(find(ms, 'Deployment', `${long}-canary`).metadata.name.length, 63)),
  i({ name: long }, '56-character name: subsets and host', (ms) => expectEqual(find(ms, 'DestinationRule', long).spec.host, long)),
  g({ name: long, gateway: undefined, mesh: true }, '56-character name in mesh mode: `<name>-stable`', (ms) => expectEqual(find(ms, 'Service', `${long}-stable`).metadata.name.length, 63)),
  n({ name: long }, '56-character name: canary Ingress', (ms) => expectEqual(find(ms, 'Ingress', `${long}-canary`).metadata.name.length, 63)),
  r({ name: 'a-canary' }, 'a name ending in -canary', (ms) => expectEqual(find(ms, 'Deployment', 'a-canary-canary').spec.selector.matchLabels, { app: 'a-canary', track: 'canary' })),
  // Numbers in their canonical form.
  r({ weight: -0, replicas: 4, canary: undefined }, 'weight -0 renders as 0', (ms) => expectEqual(Object.is(find(ms, 'Deployment', 'hello').spec.replicas, 4), true)),
  i({ weight: -0 }, 'weight -0 renders as 0 (no "-0" in the route)', (ms) => expectEqual(JSON.stringify(find(ms, 'VirtualService', 'hello').spec.http[0].route[1].weight), '0')),
  g({ weight: -0 }, 'weight -0 renders as 0 in backendRefs', (ms) => expectEqual(JSON.stringify(find(ms, 'HTTPRoute', 'hello').spec.rules[0].backendRefs[1].weight), '0')),
  n({ weight: -0 }, 'canary-weight "0"', (ms) => expectEqual(canaryIngress(ms)['nginx.ingress.kubernetes.io/canary-weight'], '0')),
  r({ stable: { ...v1, resources: { cpu: { request: kplus.Cpu.millis(2000), limit: kplus.Cpu.units(4) } } } }, 'CPU 2000m renders as "2"', (ms) => expectEqual(container(ms).resources.requests.cpu, '2')),
  r({ stable: { ...v1, resources: { cpu: { request: kplus.Cpu.units(0.25) } } } }, 'CPU 0.25 renders as "250m"', (ms) => expectEqual(container(ms).resources.requests.cpu, '250m')),
  r({ stable: { ...v1, resources: { memory: { request: Size.gibibytes(1), limit: Size.mebibytes(2048) } } } }, 'memory in Mi: 1Gi as "1024Mi"', (ms) => expectEqual(container(ms).resources.requests.memory, '1024Mi')),
  n({ fineWeight: 0.5, weight: undefined }, 'fineWeight 0.5: weight 5 of 1000', (ms) => expectEqual(canaryIngress(ms)['nginx.ingress.kubernetes.io/canary-weight-total'], '1000')),
  n({ stickySessions: { maxAge: Duration.hours(1) } }, 'sticky max-age "3600"', (ms) => expectEqual(canaryIngress(ms)['nginx.ingress.kubernetes.io/session-cookie-max-age'], '3600')),
  i({ timeout: Duration.millis(1500) }, 'timeout "1.5s"', (ms) => expectEqual(find(ms, 'VirtualService', 'hello').spec.http[0].timeout, '1.5s')),
  g({ timeout: Duration.hours(99999) }, 'the longest Gateway API timeout "99999h"... as seconds', (ms) => expectEqual(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(find(ms, 'HTTPRoute', 'hello').spec.rules[0].timeouts.request), true)),
  // Unicode where values allow it.
  r({ stable: { ...v1, env: { GREETING: 'grüß dich ✓ 你好' } } }, 'unicode env value', (ms) => expectEqual(env(ms)[0].value, 'grüß dich ✓ 你好')),
  n({ annotations: { 'example.com/owner': 'Zoë Ångström' } }, 'unicode annotation value', (ms) => expectEqual(find(ms, 'Ingress', 'hello').metadata.annotations['example.com/owner'], 'Zoë Ångström')),
  i({ match: [{ headerRegex: { 'x-user': '^(ü|u)ser$' } }] }, 'unicode in an RE2 header regex', (ms) => expectEqual(istioMatch(ms)['x-user'].regex, '^(ü|u)ser$')),
  // Pass-through objects that are valid.
  r({ stable: { ...v1, readiness: kplus.Probe.fromHttpGet('/healthz', { periodSeconds: Duration.seconds(3), failureThreshold: 2 }) } }, 'readiness probe GET /healthz every 3 s', (ms) => expectEqual(container(ms).readinessProbe.periodSeconds, 3)),
  r({ stable: { ...v1, securityContext: { runAsUser: 1000, runAsGroup: 3000 } } }, 'a chosen UID/GID', (ms) => expectEqual([container(ms).securityContext.runAsUser, container(ms).securityContext.runAsGroup], [1000, 3000])),
  i({ trafficPolicy: { outlierDetection: { consecutive5XxErrors: 5, interval: '10s', baseEjectionTime: '30s' } } }, 'trafficPolicy outlierDetection as consecutive5xxErrors', (ms) => {
    expectEqual(find(ms, 'DestinationRule', 'hello').spec.trafficPolicy.outlierDetection.consecutive5xxErrors, 5);
  }),
  i({ trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } } }, 'trafficPolicy consistent hash', (ms) => {
    expectEqual(find(ms, 'DestinationRule', 'hello').spec.trafficPolicy.loadBalancer.consistentHash.httpHeaderName, 'x-user');
  }),
  // Routing shapes that look like clashes but are not.
  g({ gateway: undefined, gateways: [{ name: 'eg', sectionName: 'http' }, { name: 'eg', sectionName: 'https' }] }, 'two listeners of one Gateway', (ms) => expectEqual(find(ms, 'HTTPRoute', 'hello').spec.parentRefs.length, 2)),
  g({ path: '/caf%C3%A9/menu' }, 'a %-escaped path', (ms) => expectEqual(find(ms, 'HTTPRoute', 'hello').spec.rules[0].matches[0].path.value, '/caf%C3%A9/menu')),
  i({ gateways: ['istio-system/public'], meshTraffic: false, hosts: ['*.example.com'] }, 'a wildcard external host through a gateway only', (ms) => expectEqual(find(ms, 'VirtualService', 'hello').spec.hosts, ['hello', '*.example.com'])),
  n({ path: '/api/v1.0', pathType: 'ImplementationSpecific' }, 'an ImplementationSpecific path with a dot', (ms) => expectEqual(find(ms, 'Ingress', 'hello').spec.rules[0].http.paths[0].path, '/api/v1.0')),
  i({ match: [{ cookie: 'beta.tester' }] }, 'a cookie name with a dot', (ms) => expectEqual(typeof istioMatch(ms).cookie.regex, 'string')),
  i({ match: [{ pathPrefix: '/error' }], fault: { abort: { httpStatus: 503, percentage: 50 } } }, 'fault on /error only (element-wise prefix)',
    (ms) => expectEqual(find(ms, 'VirtualService', 'hello').spec.http[0].match, [{ uri: { exact: '/error' } }, { uri: { prefix: '/error/' } }])),
  g({ match: [{ pathRegex: '/v[0-9]+/.*', headers: { 'X-Canary': 'always' } }] }, 'a regex path AND a header in one rule',
    (ms) => expectEqual(find(ms, 'HTTPRoute', 'hello').spec.rules[0].matches[0].path, { type: 'RegularExpression', value: '/v[0-9]+/.*' })),
  r({ stable: { image: 'registry.example.com:5000/team/app@sha256:' + 'a'.repeat(64) } }, 'an image by registry port and digest', (ms) => expectEqual(container(ms).imagePullPolicy, 'IfNotPresent')),
  // Protocols: each router is told the way it reads it.
  g({ protocol: 'GRPC', gateway: undefined, mesh: true, match: [{ pathExact: '/shop.v1.Cart/Checkout' }] }, 'a mesh GRPCRoute matching one method',
    (ms) => expectEqual(find(ms, 'GRPCRoute', 'hello').spec.rules[0].matches, [{ method: { method: 'Checkout', service: 'shop.v1.Cart', type: 'Exact' } }])),
  g({ protocol: 'HTTP2' }, 'an HTTPRoute to h2c backends', (ms) => expectEqual(find(ms, 'Service', 'hello-canary').spec.ports[0].appProtocol, 'kubernetes.io/h2c')),
  i({ protocol: 'HTTP2', port: 8443 }, 'an Istio http2 port', (ms) => expectEqual(find(ms, 'Service', 'hello').spec.ports[0].name, 'http2')),
  r({ protocol: 'GRPC', acceptPerConnectionSplit: true }, 'a per-connection gRPC split, accepted', (ms) => expectEqual(find(ms, 'Service', 'hello').spec.ports[0].name, 'grpc')),
  n({ protocol: 'GRPC', tlsSecret: 'grpc-tls' }, 'ingress-nginx proxying gRPC over TLS', (ms) => expectEqual(find(ms, 'Ingress', 'hello').metadata.annotations, { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' })),
  // AWS Load Balancer Controller.
  l({ match: [{ headers: { 'X-Canary': 'always' } }] }, 'an ALB http-header condition "x-canary"',
    (ms) => expectEqual(JSON.parse(find(ms, 'Ingress', 'hello').metadata.annotations['alb.ingress.kubernetes.io/conditions.hello-match0'])[0].httpHeaderConfig.httpHeaderName, 'x-canary')),
  l({ targetType: 'instance' }, 'NodePort Services for instance targets', (ms) => expectEqual(find(ms, 'Service', 'hello-canary').spec.type, 'NodePort')),
  l({ protocol: 'GRPC', certificateArns: ['arn:aws:acm:eu-west-1:123456789012:certificate/abc-123'] }, 'gRPC to the pods behind the HTTPS listener',
    (ms) => expectEqual(find(ms, 'Ingress', 'hello').metadata.annotations['alb.ingress.kubernetes.io/backend-protocol-version'], 'GRPC')),
  l({ match: [{ pathExact: '/beta', cookie: 'beta' }] }, 'an Exact path rule before the Prefix default', (ms) => expectEqual(
    find(ms, 'Ingress', 'hello').spec.rules[0].http.paths.map((p: Manifest) => `${p.pathType} ${p.path}`), ['Exact /beta', 'Prefix /'])),
  // Engines: the engine owns the canary, so the base's canary and weight go.
  i({ canary: undefined, weight: undefined, match: [{ headers: json('{"__proto__": "x"}') }], progression: Progression.flagger({ interval: Duration.seconds(30) }) },
    'a Flagger A/B match on the header "__proto__", an own key', (ms) => expectEqual(Object.keys(find(ms, 'Canary', 'hello').spec.analysis.match[0].headers), ['__proto__'])),
  r({ canary: undefined, weight: undefined, replicas: undefined, stable: { image: 'app:v1', replicas: 4 }, progression: Progression.argoRollouts({ steps: [{ weight: 25 }, { weight: 100 }] }) },
    'an Argo basic canary whose steps are whole pods', (ms) => expectEqual(find(ms, 'Rollout', 'hello').spec.strategy.canary.steps.length, 4)),
  g({ canary: undefined, weight: undefined, protocol: 'GRPC', progression: Progression.argoRollouts({ steps: [{ weight: 0 }] }) },
    'the Gateway API plugin on a GRPCRoute', (ms) => expectEqual(Object.keys(find(ms, 'Rollout', 'hello').spec.strategy.canary.trafficRouting.plugins['argoproj-labs/gatewayAPI']), ['grpcRoutes', 'namespace'])),
  n({ canary: undefined, weight: undefined, progression: Progression.flagger({ interval: Duration.minutes(1), stepWeights: [1, 2, 100], maxWeight: 100 }) },
    'Flagger stepping to 100 %', (ms) => expectEqual(find(ms, 'Canary', 'hello').spec.analysis.stepWeights, [1, 2, 100])),
  // Third round: what the API server and the controllers accept is accepted, with their ranges.
  i({ canary: undefined, weight: undefined, progression: Progression.flagger({ interval: Duration.minutes(1), stepWeights: [10, 40, 80] }) },
    'Flagger steps beyond 50 without maxWeight: maxWeight is the last step', (ms) => expectEqual(find(ms, 'Canary', 'hello').spec.analysis.maxWeight, 80)),
  n({ stable: { ...v1, autoscaling: { minReplicas: 1, maxReplicas: 3, scaleDownStabilization: Duration.seconds(0) }, resources: { cpu: { request: kplus.Cpu.millis(100) } } } },
    'scale-down stabilization 0 (at once)', (ms) => expectEqual(find(ms, 'HorizontalPodAutoscaler', 'hello').spec.behavior.scaleDown.stabilizationWindowSeconds, 0)),
  r({ stable: { ...v1, env: { '.dotted': 'a', 'a..b': 'b' } } }, 'env names ".dotted" and "a..b" (the API server accepts them)',
    (ms) => expectEqual(env(ms).map((e) => e.name), ['.dotted', 'a..b'])),
  i({ canary: undefined, weight: undefined, stable: { image: `app@sha256:${'a'.repeat(64)}`, version: 'aaaaaaaaaaaa' },
    progression: Progression.argoRollouts({ steps: [{ weight: 10 }], analysis: { prometheusAddress: 'http://prometheus:9090' } }) },
  'a digest-only image with its own version under Argo analysis', (ms) => expectEqual(JSON.stringify(find(ms, 'AnalysisTemplate', 'hello').spec).includes('destination_canonical_revision=\\"aaaaaaaaaaaa\\"'), true)),
  n({ path: '/api/(v1|v2)', pathType: 'ImplementationSpecific' }, 'a regex path with use-regex on the main Ingress',
    (ms) => expectEqual(find(ms, 'Ingress', 'hello').metadata.annotations['nginx.ingress.kubernetes.io/use-regex'], 'true')),
  l({ name: 'n'.repeat(45), match: [{ headers: { 'x-user': 'beta' } }] }, 'the longest name whose conditions.* key fits 63 characters',
    (ms) => expectEqual(Object.keys(find(ms, 'Ingress', 'n'.repeat(45)).metadata.annotations).includes(`alb.ingress.kubernetes.io/conditions.${'n'.repeat(45)}-match0`), true)),
  l({ groupName: 'shop', groupOrder: -1, path: '/api' }, 'an ALB rule ordered first in its group', (ms) => expectEqual(find(ms, 'Ingress', 'hello').metadata.annotations['alb.ingress.kubernetes.io/group.order'], '-1')),
  r({ canary: { image: 'app:v2' }, weight: 50, replicas: undefined, minReplicas: 20 }, 'minReplicas 20 with the default maxReplicas: 20 pods',
    (ms) => expectEqual([find(ms, 'Deployment', 'hello').spec.replicas, find(ms, 'Deployment', 'hello-canary').spec.replicas], [10, 10])),
  // Third round, Gateway API: the mirror's share exact, the experimental fields on their channel,
  // ambient waypoints and the ALB Gateway.
  g({ mirror: { percent: 0.1 } }, 'RequestMirror fraction 1/1000 (exact)',
    (ms) => expectEqual(gatewayRule(ms, -1).filters[0].requestMirror.fraction, { denominator: 1000, numerator: 1 }), 'standard-v1.3'),
  g({ mirror: { percent: 37 } }, 'RequestMirror percent 37', (ms) => expectEqual(gatewayRule(ms, -1).filters[0].requestMirror.percent, 37), 'standard-v1.3'),
  g({ mirror: {} }, 'RequestMirror of all requests, no percent (v1.2.1 reads it)', (ms) => expectEqual(Object.keys(gatewayRule(ms, -1).filters[0].requestMirror), ['backendRef'])),
  g({ channel: GatewayApiChannel.EXPERIMENTAL, retries: { attempts: 1, codes: [400, 599] }, match: [{ headers: { 'x-canary': 'yes' } }] }, 'retry on both rules, codes 400 and 599',
    (ms) => expectEqual([gatewayRule(ms, 0).retry, gatewayRule(ms, 1).retry], [{ attempts: 1, codes: [400, 599] }, { attempts: 1, codes: [400, 599] }]), 'experimental'),
  g({ channel: GatewayApiChannel.EXPERIMENTAL, stickySessions: { cookieName: "a!#$%&'*+.^_`|~-z", maxAge: Duration.days(7) } }, 'sessionPersistence with every token character, Permanent 168h',
    (ms) => expectEqual(gatewayRule(ms, 0).sessionPersistence, { absoluteTimeout: '168h', cookieConfig: { lifetimeType: 'Permanent' }, sessionName: "a!#$%&'*+.^_`|~-z", type: 'Cookie' }), 'experimental'),
  g({ gateway: undefined, mesh: true, waypoint: 'w'.repeat(63), createWaypoint: true }, 'a 63-character waypoint name on the Service label and the Gateway',
    (ms) => expectEqual([find(ms, 'Service', 'hello').metadata.labels['istio.io/use-waypoint'], find(ms, 'Gateway', 'w'.repeat(63)).spec.listeners], ['w'.repeat(63), [{ name: 'mesh', port: 15008, protocol: 'HBONE' }]])),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'alb', httpsPort: 8443, alb: { certificateArns: ['arn:aws:acm:us-east-1:123456789012:certificate/a', 'arn:aws:iam::123456789012:server-certificate/b'] } } },
    'ALB HTTPS on 8443, a default and an extra certificate',
    (ms) => expectEqual(find(ms, 'LoadBalancerConfiguration', 'hello-gateway').spec.listenerConfigurations, [{ certificates: ['arn:aws:iam::123456789012:server-certificate/b'], defaultCertificate: 'arn:aws:acm:us-east-1:123456789012:certificate/a', protocolPort: 'HTTPS:8443' }])),
];

/** The props of an entry over the valid base. */
export function acceptedProps(entry: AcceptedInput) {
  return entryProps(entry);
}

/** Builds the entry's construct in `chart`. */
export function buildAccepted(chart: Chart, entry: AcceptedInput): ReplicaCanary | IstioCanary | GatewayCanary | NginxCanary | AlbCanary {
  const props = acceptedProps(entry);
  switch (entry.construct) {
    case 'ReplicaCanary': return new ReplicaCanary(chart, 'hello', props);
    case 'IstioCanary': return new IstioCanary(chart, 'hello', props);
    case 'GatewayCanary': return new GatewayCanary(chart, 'hello', props as never);
    case 'NginxCanary': return new NginxCanary(chart, 'hello', props);
    case 'AlbCanary': return new AlbCanary(chart, 'hello', props);
  }
}

/** Where the accepted-input table starts in the documentation (docs/errors.md). */
export const ACCEPTED_START = '<!-- accepted-input catalogue: generated by `npm run docs` from test/catalogue/accepted-inputs.ts -->';
const TABLE = new ReadmeTable(
  ACCEPTED_START,
  '<!-- end of accepted-input catalogue -->',
  ['construct', 'when you write', 'the output has'],
);

/** The README table of accepted inputs. */
export function renderAccepted(): string {
  return TABLE.render(ACCEPTED_INPUTS.map((e) => `| ${e.construct} | ${codeCell(showProps(e.props))} | ${e.shows} |`));
}

/** `readme` with its accepted-input section replaced by `rendered`. */
export function withAccepted(readme: string, rendered: string): string {
  return TABLE.replaceIn(readme, rendered);
}
