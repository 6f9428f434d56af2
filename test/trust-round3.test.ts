import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { AlbCanary, GatewayCanary, IstioCanary, NginxCanary, NginxPathType, Progression, ReplicaCanary } from '../src';
import { expectConfigError, expectSecondRefused, find, synth } from './util/synth';

/** What the second round added, attacked: each input either works as asked or fails naming the prop. */
const v1 = { image: 'app:v1' };
const v2 = { image: 'app:v2' };
const autoscaling = { minReplicas: 2, maxReplicas: 6 };
const cpu = { cpu: { request: kplus.Cpu.millis(100) } };

describe('header routes never point at a track with no pods', () => {
  test('Argo: a step of weight 0 beside a header route is refused (the canary would have 0 pods)', () => {
    expectConfigError((c) => new IstioCanary(c, 'hello', { stable: v1, match: [{ headers: { 'x-user': 'beta' } }], progression: Progression.argoRollouts({ steps: [{ weight: 0 }, { weight: 50 }] }) }),
      'progression.argoRollouts.steps[0].weight', 'is 0 while match sets a header route: Argo Rollouts sizes the canary by the step\'s weight');
    expectConfigError((c) => new GatewayCanary(c, 'hello', { stable: v1, gateway: { name: 'eg' }, match: [{ headers: { 'x-user': 'beta' } }], progression: Progression.argoRollouts({ steps: [{ weight: 10 }, { weight: 0 }] }) }),
      'progression.argoRollouts.steps[1].weight', 'at 0 it has no pod');
  });
  test('Argo: weight 0 without a header route stays allowed (a dark step)', () => {
    expect(() => synth((c) => new IstioCanary(c, 'hello', { stable: v1, progression: Progression.argoRollouts({ steps: [{ weight: 0 }, { weight: 50 }] }) }))).not.toThrow();
  });
});

describe('regexes mean the same under every engine', () => {
  test('Flagger + nginx: a headerRegex is anchored, as NginxCanary writes it by hand', () => {
    const { construct } = synth((c) => new NginxCanary(c, 'site', { host: 'example.com', stable: v1, match: [{ headerRegex: { 'x-user': 'beta.*' } }], progression: Progression.flagger({ interval: Duration.minutes(1) }) }));
    expect((construct.flaggerCanary!.toJson() as { spec: { analysis: { match: unknown } } }).spec.analysis.match).toEqual([{ headers: { 'x-user': { regex: '^(?:beta.*)$' } } }]);
    const manual = synth((c) => new NginxCanary(c, 'site', { host: 'example.com', stable: v1, canary: v2, match: [{ headerRegex: { 'x-user': 'beta.*' } }] }));
    expect(find(manual.manifests, 'Ingress', 'site-canary').metadata.annotations['nginx.ingress.kubernetes.io/canary-by-header-pattern']).toBe('^(?:beta.*)$');
  });
  test('Flagger + Istio: the regex is passed as written (Envoy matches the whole value)', () => {
    const { construct } = synth((c) => new IstioCanary(c, 'hello', { stable: v1, match: [{ headerRegex: { 'x-user': 'beta.*' } }], progression: Progression.flagger({ interval: Duration.minutes(1) }) }));
    expect((construct.flaggerCanary!.toJson() as { spec: { analysis: { match: unknown } } }).spec.analysis.match).toEqual([{ headers: { 'x-user': { regex: 'beta.*' } } }]);
  });
});

describe('analysis tells the two releases apart for every image form', () => {
  const analysis = { prometheusAddress: 'http://prometheus:9090' };
  const argo = Progression.argoRollouts({ steps: [{ weight: 10 }], analysis });
  test.each([
    ['a digest only', `app@sha256:${'a'.repeat(64)}`, '"stable"'],
    ['the tag latest', 'app:latest', '"latest"'],
  ])('Argo + Istio with %s and no version is refused', (_, image, version) => {
    expectConfigError((c) => new IstioCanary(c, 'hello', { stable: { image }, progression: argo }), 'stable.version', `both releases' pods carry version ${version}`);
  });
  test('a digest with a version, or a tag with a digest, is accepted and queried by that version', () => {
    const { construct } = synth((c) => new IstioCanary(c, 'hello', { stable: { image: `app@sha256:${'a'.repeat(64)}`, version: 'aaaaaaaaaaaa' }, progression: argo }));
    expect(JSON.stringify(construct.analysisTemplate!.toJson())).toContain('destination_canonical_revision=\\"aaaaaaaaaaaa\\"');
    expect(() => synth((c) => new IstioCanary(c, 'hello', { stable: { image: `app:1.4.2@sha256:${'a'.repeat(64)}` }, progression: argo }))).not.toThrow();
  });
});

describe('ingress-nginx annotations that change routing are folded into typed props or refused', () => {
  const nginx = (extra: object) => (c: Chart) => new NginxCanary(c, 'site', { host: 'example.com', stable: v1, canary: v2, weight: 10, ...extra });
  test('affinity without stickySessions names stickySessions', () => {
    expectConfigError(nginx({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/affinity': 'cookie' } }), 'ingressAnnotations', 'sets cookie affinity, which decides which track a returning client reaches; use stickySessions');
    expectConfigError(nginx({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/session-cookie-name': 'x' } }), 'ingressAnnotations', 'use stickySessions');
  });
  test('use-regex / rewrite-target with a Prefix path name pathType', () => {
    expectConfigError(nginx({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } }), 'ingressAnnotations', 'so path "/" would no longer be the Prefix match pathType says; use pathType ImplementationSpecific');
    expectConfigError(nginx({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } }), 'ingressAnnotations', 'use pathType ImplementationSpecific');
  });
  test('redirects and aliases are refused', () => {
    expectConfigError(nginx({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/server-alias': 'other.example.com' } }), 'ingressAnnotations', 'sends requests somewhere other than the canary split');
    expectConfigError(nginx({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/permanent-redirect': 'https://x.example.com' } }), 'ingressAnnotations', 'somewhere other');
  });
  test('an ImplementationSpecific regex path gets use-regex (else a literal prefix); a contrary use-regex is refused', () => {
    const { manifests } = synth(nginx({ path: '/api/(.*)', pathType: NginxPathType.IMPLEMENTATION_SPECIFIC }));
    expect(find(manifests, 'Ingress', 'site').metadata.annotations['nginx.ingress.kubernetes.io/use-regex']).toBe('true');
    const plain = synth(nginx({ path: '/api', pathType: NginxPathType.IMPLEMENTATION_SPECIFIC }));
    expect(find(plain.manifests, 'Ingress', 'site').metadata.annotations).toBeUndefined();
    expectConfigError(nginx({ path: '/api/(.*)', pathType: NginxPathType.IMPLEMENTATION_SPECIFIC, ingressAnnotations: { 'nginx.ingress.kubernetes.io/use-regex': 'false' } }),
      'ingressAnnotations', 'which ingress-nginx would then match as a literal prefix');
  });
});

describe('paths the API server refuses in Ingresses', () => {
  test.each(['/a/./b', '/a/..', '//', '/api//v1', '/a/%2fb'])('AlbCanary path %s', (path) => {
    expectConfigError((c) => new AlbCanary(c, 'web', { stable: v1, path }), 'path', 'which the API server refuses in Prefix Ingress paths');
  });
  test('NginxCanary ImplementationSpecific keeps what the API server accepts there', () => {
    expect(() => synth((c) => new NginxCanary(c, 'site', { stable: v1, path: '/a/./b', pathType: NginxPathType.IMPLEMENTATION_SPECIFIC }))).not.toThrow();
  });
});

describe('ALB: names, owned annotations and IngressGroup order', () => {
  test('serviceAnnotations cannot set the target type or protocol version AlbCanary owns', () => {
    expectConfigError((c) => new AlbCanary(c, 'web', { stable: v1, serviceAnnotations: { 'alb.ingress.kubernetes.io/target-type': 'instance' } }), 'serviceAnnotations', 'is set by AlbCanary from its props');
    expectConfigError((c) => new AlbCanary(c, 'web', { stable: v1, serviceAnnotations: { 'alb.ingress.kubernetes.io/backend-protocol-version': 'GRPC' } }), 'serviceAnnotations', 'is set by AlbCanary');
  });
  test('an action name too long for its annotation key is refused; the longest that fits is accepted', () => {
    const name = 'a'.repeat(46); // "<name>-match0" is 52: conditions.<52> is 63
    expectConfigError((c) => new AlbCanary(c, 'web', { name, stable: v1, canary: v2, match: [{ headers: { 'x-user': 'beta' } }] }), 'name', 'the API server allows 63 characters after the "/", so the name may have 52');
    const { manifests } = synth((c) => new AlbCanary(c, 'web', { name: 'a'.repeat(45), stable: v1, canary: v2, match: [{ headers: { 'x-user': 'beta' } }] }));
    expect(Object.keys(find(manifests, 'Ingress', 'a'.repeat(45)).metadata.annotations)).toContain(`alb.ingress.kubernetes.io/conditions.${'a'.repeat(45)}-match0`);
    expectConfigError((c) => new AlbCanary(c, 'web', { name: 'a'.repeat(50), stable: v1 }), 'name', 'so the name may have 55');
  });
  const alb = (id: string, extra: object) => (c: Chart) => new AlbCanary(c, id, { stable: v1, groupName: 'shop', ...extra });
  test('"/" before "/api" in one group (equal order, "a" < "b") is refused, with the order that fixes it', () => {
    expectSecondRefused(alb('a', { path: '/' }), alb('b', { path: '/api' }), 'groupName',
      'puts this construct\'s rule (any host)/api (Prefix) in IngressGroup shop after AlbCanary shop/a\'s rule (any host)/ (Prefix), which takes all of its requests');
    expectSecondRefused(alb('b', { path: '/api' }), alb('a', { path: '/' }), 'groupName', 'give AlbCanary shop/b a lower groupOrder than 0 (e.g. groupOrder: -1)');
  });
  test('no host before a host is refused; the specific one first by groupOrder is accepted', () => {
    expectSecondRefused(alb('a', {}), alb('b', { host: 'api.example.com' }), 'groupName', 'after AlbCanary shop/a\'s rule (any host)/ (Prefix)');
    const { manifests } = synth((c) => {
      alb('a', {})(c);
      alb('b', { host: 'api.example.com', groupOrder: -1 })(c);
    });
    expect(find(manifests, 'Ingress', 'b').metadata.annotations['alb.ingress.kubernetes.io/group.order']).toBe('-1');
  });
  test('disjoint paths, and the specific one sorting first by name, are accepted', () => {
    expect(() => synth((c) => {
      alb('a', { path: '/api' })(c);
      alb('b', { path: '/web' })(c);
      alb('c', { path: '/', groupOrder: 10 })(c);
    })).not.toThrow();
  });
});

describe('ranges and combinations as the API server and controllers have them', () => {
  test('ReplicaCanary: replicas, minReplicas or maxReplicas beside stable.autoscaling is refused, not ignored', () => {
    for (const prop of ['replicas', 'minReplicas', 'maxReplicas']) {
      expectConfigError((c) => new ReplicaCanary(c, 'hello', { stable: { ...v1, autoscaling, resources: cpu }, [prop]: 4 }), prop, 'while stable.autoscaling is set, which decides the pods (between its minReplicas 2 and maxReplicas 6)');
    }
    const { construct } = synth((c) => new ReplicaCanary(c, 'hello', { stable: { ...v1, autoscaling, resources: cpu } }));
    expect(construct.stableReplicas).toBe(2);
  });
  test('ReplicaCanary: minReplicas 20 with the default maxReplicas gives 20 pods, not 10', () => {
    const { construct } = synth((c) => new ReplicaCanary(c, 'hello', { stable: v1, canary: v2, weight: 50, minReplicas: 20 }));
    expect([construct.stableReplicas, construct.canaryReplicas]).toEqual([10, 10]);
  });
  test('Flagger stepWeights beyond 50 without maxWeight are accepted; maxWeight is the last step', () => {
    const { construct } = synth((c) => new IstioCanary(c, 'hello', { stable: v1, progression: Progression.flagger({ interval: Duration.minutes(1), stepWeights: [10, 40, 80] }) }));
    expect((construct.flaggerCanary!.toJson() as { spec: { analysis: Record<string, unknown> } }).spec.analysis).toMatchObject({ stepWeights: [10, 40, 80], maxWeight: 80 });
    expectConfigError((c) => new IstioCanary(c, 'hello', { stable: v1, progression: Progression.flagger({ interval: Duration.minutes(1), stepWeights: [10, 40, 80], maxWeight: 50 }) }),
      'progression.flagger.stepWeights[2]', 'from 1 to 50');
  });
  test.each(['.', '..', '..foo'])('env name %s is refused as the API server does', (name) => {
    expectConfigError((c) => new ReplicaCanary(c, 'hello', { stable: { ...v1, env: { [name]: 'x' } } }), 'stable.env', 'is refused by the API server');
  });
  test('env names .foo and a..b are what the API server accepts', () => {
    expect(() => synth((c) => new ReplicaCanary(c, 'hello', { stable: { ...v1, env: { '.foo': 'x', 'a..b': 'y' } } }))).not.toThrow();
  });
  test('createGateway.hostname that no route hostname matches is refused (the route would never attach)', () => {
    expectConfigError((c) => new GatewayCanary(c, 'hello', { stable: v1, createGateway: { gatewayClassName: 'eg', hostname: 'a.example.com' }, hostnames: ['b.example.com'] }),
      'hostnames', 'has no name in common with createGateway.hostname "a.example.com"');
    expect(() => synth((c) => new GatewayCanary(c, 'hello', { stable: v1, createGateway: { gatewayClassName: 'eg', hostname: '*.example.com' }, hostnames: ['b.example.com'] }))).not.toThrow();
  });
});

describe('classes found beyond the review: pods kept out of the mesh that routes them', () => {
  test('sidecar.istio.io/inject "false" in podAnnotations or labels is refused for IstioCanary and a mesh GatewayCanary', () => {
    expectConfigError((c) => new IstioCanary(c, 'hello', { stable: { ...v1, podAnnotations: { 'sidecar.istio.io/inject': 'false' } } }),
      'stable.podAnnotations', 'sets sidecar.istio.io/inject: "false", which keeps the pods of an IstioCanary out of the mesh that routes them');
    expectConfigError((c) => new GatewayCanary(c, 'hello', { stable: v1, mesh: true, labels: { 'sidecar.istio.io/inject': 'false' } }),
      'labels', 'keeps the pods of a mesh (GAMMA) GatewayCanary out of the mesh');
  });
  test('"true", and the label on a ReplicaCanary or a north-south GatewayCanary, are fine', () => {
    expect(() => synth((c) => new IstioCanary(c, 'hello', { stable: { ...v1, podAnnotations: { 'sidecar.istio.io/inject': 'true' } } }))).not.toThrow();
    expect(() => synth((c) => new ReplicaCanary(c, 'hello', { stable: v1, labels: { 'sidecar.istio.io/inject': 'false' } }))).not.toThrow();
    expect(() => synth((c) => new GatewayCanary(c, 'hello', { stable: v1, gateway: { name: 'eg' }, labels: { 'sidecar.istio.io/inject': 'false' } }))).not.toThrow();
  });
});
