import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { AlbCanary, IstioCanary, NginxCanary, Progression, ReplicaCanary } from '../../src';
import type { BadInput } from './bad-inputs';
import { entry } from './hostile-inputs';

/**
 * The third round of the bad-input catalogue: what the second round added (engines, ALB,
 * autoscaling, paths), attacked. One or more entries per class of the trust review (issue "Trust,
 * round 3"): names the engines create, ALB IngressGroup order and key limits, header routes at
 * weight 0, regexes and versions under engines, routing annotations, Ingress paths, ranges.
 */
const r = entry('ReplicaCanary');
const i = entry('IstioCanary');
const g = entry('GatewayCanary');
const n = entry('NginxCanary');
const l = entry('AlbCanary');

const v1 = { image: 'app:v1' };
const flagger = () => Progression.flagger({ interval: Duration.minutes(1) });
const argo = (...weights: number[]) => Progression.argoRollouts({ steps: weights.map((weight) => ({ weight })) });
const engine = { canary: undefined, weight: undefined };
const autoscaled = { ...v1, autoscaling: { minReplicas: 2, maxReplicas: 4 }, resources: { cpu: { request: kplus.Cpu.millis(100) } } };

export const THIRD_ROUND_INPUTS: readonly BadInput[] = [
  // Names an engine creates at run time are claimed like the library's own.
  r({ name: 'x-primary' }, 'name', 'which Flagger (run by IstioCanary shop/x) already emits',
    (chart) => { new IstioCanary(chart, 'x', { stable: v1, progression: flagger() }); }, '(after a Flagger IstioCanary `x`)'),
  r({ name: 'x-canary' }, 'name', 'makes Service shop/x-canary, which Flagger (run by IstioCanary shop/x) already emits',
    (chart) => { new IstioCanary(chart, 'x', { stable: v1, progression: flagger() }); }, '(after a Flagger IstioCanary `x`)'),
  i({ ...engine, serviceName: 'api', progression: flagger() }, 'serviceName', 'makes Service shop/api-primary (Flagger creates it for this construct), which ReplicaCanary shop/api-primary already emits',
    (chart) => { new ReplicaCanary(chart, 'api-primary', { stable: v1 }); }, '(after a ReplicaCanary `api-primary`)'),
  n({ name: 'hello-hello', host: 'b.example.com' }, 'name', 'makes Ingress shop/hello-hello-canary, which Argo Rollouts (run by NginxCanary shop/hello-argo) already emits',
    (chart) => { new NginxCanary(chart, 'hello-argo', { name: 'hello', host: 'a.example.com', stable: v1, progression: argo(10) }); }, '(after an Argo NginxCanary `hello`)'),
  // ALB IngressGroups: rule order across Ingresses, annotation keys, owned Service annotations.
  l({ name: 'b', path: '/api', groupName: 'shop' }, 'groupName', 'in IngressGroup shop after AlbCanary shop/a\'s rule (any host)/ (Prefix), which takes all of its requests',
    (chart) => { new AlbCanary(chart, 'a', { stable: v1, groupName: 'shop' }); }, '(after an AlbCanary `a` on `/` in group `shop`)'),
  l({ name: 'b', groupName: 'shop' }, 'groupName', 'give this construct a lower groupOrder than 0 (e.g. groupOrder: -1)',
    (chart) => { new AlbCanary(chart, 'a', { stable: v1, groupName: 'shop' }); }, '(after an AlbCanary `a` with no host in group `shop`)'),
  l({ name: 'n'.repeat(46), match: [{ headers: { 'x-user': 'beta' } }] }, 'name', 'the API server allows 63 characters after the "/", so the name may have 52'),
  l({ serviceAnnotations: { 'alb.ingress.kubernetes.io/target-type': 'instance' } }, 'serviceAnnotations', 'is set by AlbCanary from its props'),
  // Header routes never reach a track without pods; regexes and versions mean the same under engines.
  i({ ...engine, match: [{ headers: { 'x-user': 'beta' } }], progression: argo(0, 50) }, 'progression.argoRollouts.steps[0].weight', 'is 0 while match sets a header route'),
  i({ ...engine, stable: { image: `app@sha256:${'a'.repeat(64)}` }, progression: Progression.argoRollouts({ steps: [{ weight: 10 }], analysis: { prometheusAddress: 'http://prometheus:9090' } }) },
    'stable.version', 'both releases\' pods carry version "stable"'),
  // ingress-nginx annotations that change routing: folded into typed props or refused naming them.
  n({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/affinity': 'cookie' } }, 'ingressAnnotations', 'use stickySessions, which sets it on both Ingresses'),
  n({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } }, 'ingressAnnotations', 'use pathType ImplementationSpecific with a regex path'),
  n({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/server-alias': 'www.example.com' } }, 'ingressAnnotations', 'sends requests somewhere other than the canary split'),
  n({ path: '/api/(.*)', pathType: 'ImplementationSpecific', ingressAnnotations: { 'nginx.ingress.kubernetes.io/use-regex': 'false' } }, 'ingressAnnotations', 'which ingress-nginx would then match as a literal prefix'),
  // Paths the API server refuses in Ingresses.
  l({ path: '/a/./b' }, 'path', 'contains "/./", which the API server refuses in Prefix Ingress paths'),
  l({ path: '/a/..' }, 'path', 'ends with "/..", which the API server refuses'),
  l({ path: '/api//v1' }, 'path', 'contains "//"'),
  // Ranges as the API server and the controllers have them; nothing silently ignored.
  r({ replicas: 4, canary: undefined, weight: undefined, stable: autoscaled }, 'replicas', 'is 4 while stable.autoscaling is set, which decides the pods'),
  r({ replicas: undefined, minReplicas: 3, canary: undefined, weight: undefined, stable: autoscaled }, 'minReplicas', 'while stable.autoscaling is set'),
  i({ ...engine, progression: Progression.flagger({ interval: Duration.minutes(1), stepWeights: [10, 40, 80], maxWeight: 50 }) }, 'progression.flagger.stepWeights[2]', 'must be an integer from 1 to 50, got 80'),
  r({ stable: { ...v1, env: { '..': 'x' } } }, 'stable.env', 'must not be "." or "..", nor start with ".."'),
  r({ stable: { ...v1, env: { '..foo': 'x' } } }, 'stable.env', 'is refused by the API server'),
  l({ stickiness: { duration: Duration.seconds(0) } }, 'stickiness.duration', 'from 1 to 604800 (7 days), the target-group stickiness ALB keeps, got 0 seconds'),
  // Found beyond the review: pods kept out of the mesh that routes them.
  i({ stable: { ...v1, podAnnotations: { 'sidecar.istio.io/inject': 'false' } } }, 'stable.podAnnotations', 'out of the mesh that routes them'),
  g({ gateway: undefined, mesh: true, labels: { 'sidecar.istio.io/inject': 'false' } }, 'labels', 'keeps the pods of a mesh (GAMMA) GatewayCanary out of the mesh'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'eg', hostname: 'a.example.com' }, hostnames: ['b.example.com'] }, 'hostnames', 'so the route would not attach to the Gateway\'s listeners'),
  // Moving a service between strategies: another construct's prop names that construct and the equivalent here.
  g({ fault: { abort: { httpStatus: 503 } } }, 'fault', 'is not a prop; IstioCanary takes it; GatewayCanary has no equivalent'),
  n({ hostnames: ['shop.example.com'] }, 'hostnames', 'is not a prop; GatewayCanary takes it; NginxCanary has host instead'),
  l({ stickySessions: { cookieName: 'canary' } }, 'stickySessions', 'is not a prop; GatewayCanary and NginxCanary take it; AlbCanary has stickiness instead'),
  i({ host: 'shop.example.com' }, 'host', 'is not a prop; did you mean port or hosts? AlbCanary and NginxCanary take host'),
  // Gateway API first (mirror, channel, retries, sticky sessions, waypoints, the ALB Gateway).
  g({ mirror: { percent: 0 } }, 'mirror.percent', 'must be a number greater than 0 and at most 100, got 0'),
  g({ mirror: { percent: Number.NaN } }, 'mirror.percent', 'got NaN'),
  g({ mirror: { percent: 100 / 3 } }, 'mirror.percent', 'more decimal places than an exact fraction can carry'),
  g({ mirror: {}, canary: undefined, weight: undefined }, 'mirror', 'there is no canary track'),
  g({ mirror: {}, ...engine, progression: argo(10) }, 'mirror', 'which the progression engine starts and stops'),
  g({ retries: { attempts: 2 } }, 'retries', 'channel is standard: the rule\'s retry is in the Gateway API experimental channel only'),
  g({ stickySessions: {} }, 'stickySessions', 'channel is standard: the rule\'s sessionPersistence is in the Gateway API experimental channel only'),
  g({ channel: 'EXPERIMENTAL' }, 'channel', 'must be one of'),
  g({ channel: 'experimental', retries: { attempts: 2, codes: [302] } }, 'retries.codes[0]', 'must be an integer from 400 to 599, got 302'),
  g({ channel: 'experimental', retries: { attempts: 0 } }, 'retries.attempts', 'must be an integer from 1'),
  g({ channel: 'experimental', protocol: 'GRPC', retries: { attempts: 2 } }, 'retries', 'a GRPCRoute has no retry field'),
  g({ channel: 'experimental', stickySessions: { cookieName: 'a=b' } }, 'stickySessions.cookieName', 'is not a valid cookie name'),
  g({ waypoint: 'waypoint' }, 'waypoint', 'mesh is false'),
  g({ gateway: undefined, mesh: true, createWaypoint: true }, 'createWaypoint', 'waypoint is not set'),
  g({ gateway: undefined, mesh: true, waypoint: 'Way.Point' }, 'waypoint', 'must be'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'alb', alb: {} }, mirror: {} }, 'mirror', 'does not implement RequestMirror'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'alb', alb: {} }, channel: 'experimental', stickySessions: {} }, 'stickySessions', 'ListenerRuleConfiguration'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'alb', certificateSecret: 'tls', alb: {} } }, 'createGateway.certificateSecret', 'an ALB serves certificates from ACM'),
  g({ gateway: undefined, protocol: 'GRPC', createGateway: { gatewayClassName: 'alb', alb: {} } }, 'createGateway.alb.certificateArns', 'gRPC on HTTPS listeners only'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'alb', alb: { targetType: 'pod' } } }, 'createGateway.alb.targetType', 'must be one of'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'alb', alb: { certificateArns: ['arn:aws:acm:us-east-1:1:certificate/x'] } } }, 'createGateway.alb.certificateArns[0]', 'is not a certificate ARN'),
];
