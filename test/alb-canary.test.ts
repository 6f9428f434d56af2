import { Duration } from 'cdk8s';

import {
  AlbCanary, AlbCanaryProps, AlbPathType, AlbScheme, AlbTargetType, CanaryBaseProps, CanaryMatch, CanaryProtocol, GatewayCanary, NginxCanary, ServiceType,
} from '../src';
import { checkManifests } from '../src/checks/manifest-checks';
import { ALB, parseAlbAction, parseAlbConditions } from '../src/core/alb';
import { analyze, shareOf } from '../src/report/analyze';
import { showFraction } from '../src/report/model/fraction';
import { expectConfigError, find, Manifest, newChart, objectIds, synth } from './util/synth';

const CERT = 'arn:aws:acm:us-east-1:180789647333:certificate/632a3ff6-3f6d-464c-9121-b9d97481a76b';
const V1 = { image: 'stacksimplify/kube-notifications-microservice:3.0.0-AWS-XRay', replicas: 2 };
const V2 = { image: 'stacksimplify/kube-notifications-microservice:4.0.0-AWS-XRay', replicas: 2 };

function alb(props: Partial<AlbCanaryProps>) {
  return synth((chart) => new AlbCanary(chart, 'notifications', { port: 8096, host: 'canarydemo.kubeoncloud.com', stable: V1, canary: V2, ...props }));
}
const ingressOf = (manifests: Manifest[]) => find(manifests, 'Ingress', 'notifications');
/** The ALB annotations of the Ingress, without the prefix, JSON values parsed. */
function albAnnotations(manifests: Manifest[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ingressOf(manifests).metadata.annotations as Record<string, string>)
    .filter(([k]) => k.startsWith(ALB)).map(([k, v]) => [k.slice(ALB.length), /^[[{]/.test(v) ? JSON.parse(v) : v]));
}
const forward = (groups: object[], stickiness?: number) => ({
  type: 'forward', forwardConfig: { targetGroups: groups, ...(stickiness ? { targetGroupStickinessConfig: { enabled: true, durationSeconds: stickiness } } : {}) },
});
const group = (serviceName: string, weight?: number) => ({ serviceName, servicePort: 8096, ...(weight === undefined ? {} : { weight }) });

describe('AlbCanary', () => {
  test('notifications at 10 %: one Ingress of class alb, a weighted forward action 90/10, two Services', () => {
    const { construct, manifests } = alb({ weight: 10 });
    expect(objectIds(manifests)).toEqual([
      'Deployment/notifications', 'Deployment/notifications-canary', 'Ingress/notifications',
      'PodDisruptionBudget/notifications', 'PodDisruptionBudget/notifications-canary', 'Service/notifications', 'Service/notifications-canary',
    ]);
    expect(albAnnotations(manifests)).toEqual({
      'scheme': 'internal', 'target-type': 'ip',
      'actions.notifications-split': forward([group('notifications', 90), group('notifications-canary', 10)]),
    });
    const ingress = ingressOf(manifests);
    expect(ingress.spec).toEqual({
      ingressClassName: 'alb',
      rules: [{ host: 'canarydemo.kubeoncloud.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'notifications-split', port: { name: 'use-annotation' } } } }] } }],
    });
    expect(find(manifests, 'Service', 'notifications').spec.type).toBe('ClusterIP');
    expect(find(manifests, 'Service', 'notifications-canary').spec.selector).toEqual({ app: 'notifications', track: 'canary' });
    expect([construct.ingress.name, construct.service.name, construct.canaryService?.name, construct.effectiveWeight]).toEqual(['notifications', 'notifications', 'notifications-canary', 10]);
    expect(checkManifests(manifests.map((manifest) => ({ file: 'a.yaml', manifest })))).toEqual([]);
  });

  test('steady state: the action forwards to stable alone; weight 0 keeps the canary target group at 0', () => {
    expect(albAnnotations(alb({ canary: undefined }).manifests)['actions.notifications-split']).toEqual(forward([group('notifications')]));
    expect(albAnnotations(alb({ weight: 0 }).manifests)['actions.notifications-split']).toEqual(forward([group('notifications', 100), group('notifications-canary', 0)]));
  });

  test('the notifications scenario: internet-facing, HTTPS with a certificate, SSL redirect, external-dns, X-Ray on V2 only', () => {
    const { manifests } = alb({
      weight: 10, scheme: AlbScheme.INTERNET_FACING, certificateArns: [CERT],
      ingressAnnotations: { 'external-dns.alpha.kubernetes.io/hostname': 'canarydemo.kubeoncloud.com' },
      canary: { ...V2, env: { AWS_XRAY_TRACING_NAME: 'V2-Notification-Microservice' } },
    });
    const annotations = albAnnotations(manifests);
    expect([annotations.scheme, annotations['certificate-arn'], annotations['listen-ports'], annotations['ssl-redirect']]).toEqual([
      'internet-facing', CERT, [{ HTTP: 80 }, { HTTPS: 443 }], '443',
    ]);
    expect(ingressOf(manifests).metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('canarydemo.kubeoncloud.com');
    const env = (name: string) => find(manifests, 'Deployment', name).spec.template.spec.containers[0].env ?? [];
    expect(env('notifications-canary')).toEqual([{ name: 'AWS_XRAY_TRACING_NAME', value: 'V2-Notification-Microservice' }]);
    expect(env('notifications')).toEqual([]);
    expect(albAnnotations(alb({ certificateArns: [CERT], sslRedirect: false }).manifests)['ssl-redirect']).toBeUndefined();
  });

  test('targeted entries: one rule each before the weighted default, header conditions, the cookie as a Cookie regex, own paths', () => {
    const { manifests } = alb({
      weight: 10,
      match: [{ headers: { 'x-canary': 'always' } }, { headerRegex: { 'x-user': 'tester-[0-9]+' }, weight: 50 }, { cookie: 'beta' }, { pathPrefix: '/v2', headerPrefix: { 'user-agent': 'Mozilla' } }],
    });
    const annotations = albAnnotations(manifests);
    expect(annotations['actions.notifications-match0']).toEqual(forward([group('notifications', 0), group('notifications-canary', 100)]));
    expect(annotations['actions.notifications-match1']).toEqual(forward([group('notifications', 50), group('notifications-canary', 50)]));
    expect(annotations['conditions.notifications-match0']).toEqual([{ field: 'http-header', httpHeaderConfig: { httpHeaderName: 'x-canary', values: ['always'] } }]);
    expect(annotations['conditions.notifications-match1']).toEqual([{ field: 'http-header', httpHeaderConfig: { httpHeaderName: 'x-user', regexValues: ['^(?:tester-[0-9]+)$'] } }]);
    expect(annotations['conditions.notifications-match2']).toEqual([{ field: 'http-header', httpHeaderConfig: { httpHeaderName: 'Cookie', regexValues: ['^(.*;\\s*)?beta=always(\\s*;.*)?$'] } }]);
    expect(annotations['conditions.notifications-match3']).toEqual([{ field: 'http-header', httpHeaderConfig: { httpHeaderName: 'user-agent', values: ['Mozilla*'] } }]);
    expect(ingressOf(manifests).spec.rules[0].http.paths.map((p: Manifest) => `${p.path} ${p.pathType} ${p.backend.service.name}`)).toEqual([
      '/ Prefix notifications-match0', '/ Prefix notifications-match1', '/ Prefix notifications-match2', '/v2 Prefix notifications-match3', '/ Prefix notifications-split',
    ]);
    // Read back in the controller's order: /v2 (longer) first, then the / rules as listed.
    const [c] = analyze(manifests.map((object) => ({ file: 'a.yaml', object }))).canaries;
    expect(c.routes.map((r) => [r.name, r.conditions, showFraction(shareOf(c, r, 'canary'))])).toEqual([
      ['notifications-match3', 'path within /v2 and header user-agent like Mozilla* (any case)', '1'],
      ['notifications-match0', 'header x-canary = always (any case)', '1'],
      ['notifications-match1', 'header x-user ~ /^(?:tester-[0-9]+)$/', '1/2'],
      ['notifications-match2', 'header Cookie ~ /^(.*;\\s*)?beta=always(\\s*;.*)?$/', '1'],
      ['notifications-split', 'everyone else', '1/10'],
    ]);
  });

  test('targetType INSTANCE makes both Services NodePort; stickiness, groups and gRPC set their annotations', () => {
    const { manifests } = alb({
      targetType: AlbTargetType.INSTANCE, stickiness: { duration: Duration.hours(1) }, groupName: 'shop.public', groupOrder: -10,
      certificateArns: [CERT], protocol: CanaryProtocol.GRPC, weight: 25,
    });
    expect(find(manifests, 'Service', 'notifications').spec.type).toBe('NodePort');
    expect(find(manifests, 'Service', 'notifications-canary').spec.type).toBe('NodePort');
    const annotations = albAnnotations(manifests);
    expect([annotations['target-type'], annotations['group.name'], annotations['group.order'], annotations['backend-protocol-version']]).toEqual(['instance', 'shop.public', '-10', 'GRPC']);
    expect(annotations['actions.notifications-split']).toEqual(forward([group('notifications', 75), group('notifications-canary', 25)], 3600));
  });

  test('moving between NginxCanary, GatewayCanary and AlbCanary is a change of class name plus the router\'s own props', () => {
    const common: CanaryBaseProps & { match: CanaryMatch[] } = {
      port: 8080, stable: { image: 'web:1' }, canary: { image: 'web:2' }, weight: 20, match: [{ headers: { 'x-canary': 'always' } }],
    };
    const built = [
      synth((chart) => new NginxCanary(chart, 'web', { ...common, host: 'web.example.com' })),
      synth((chart) => new GatewayCanary(chart, 'web', { ...common, hostnames: ['web.example.com'], gateway: { name: 'public' } })),
      synth((chart) => new AlbCanary(chart, 'web', { ...common, host: 'web.example.com' })),
    ];
    const workloads = (manifests: Manifest[]) => manifests.filter((m) => ['Deployment', 'Service', 'PodDisruptionBudget'].includes(m.kind));
    for (const { manifests } of built.slice(1)) expect(workloads(manifests)).toEqual(workloads(built[0].manifests));
    // And each reads back as the same split: testers all to the canary, everyone else 1/5.
    for (const { manifests } of built) {
      const [c] = analyze(manifests.map((object) => ({ file: 'a.yaml', object }))).canaries;
      expect(c.routes.map((r) => showFraction(shareOf(c, r, 'canary')))).toEqual(['1', '1/5']);
    }
  });

  test('the JSON written is the JSON the checks and the report read back', () => {
    const annotations = ingressOf(alb({ weight: 10, match: [{ cookie: 'beta' }] }).manifests).metadata.annotations;
    expect(parseAlbAction(annotations[`${ALB}actions.notifications-split`])).toEqual({
      type: 'forward', targetGroups: [{ serviceName: 'notifications', servicePort: 8096, weight: 90 }, { serviceName: 'notifications-canary', servicePort: 8096, weight: 10 }],
      stickinessSeconds: undefined, problems: [],
    });
    expect(parseAlbConditions(annotations[`${ALB}conditions.notifications-match0`]).problems).toEqual([]);
  });
});

describe('AlbCanary refuses what the controller or ALB would reject', () => {
  const build = (props: Partial<AlbCanaryProps>) => (chart: Parameters<Parameters<typeof synth>[0]>[0]) => new AlbCanary(chart, 'notifications', { port: 8096, stable: V1, canary: V2, ...props });
  test.each([
    ['host', { host: 'localhost' }, 'is not a host ALB can match'],
    ['path', { path: '/api/*' }, 'has a character an ALB path condition does not take'],
    ['path', { path: `/${'a'.repeat(130)}` }, 'ALB allows 128'],
    ['certificateArns[0]', { certificateArns: ['arn:aws:acm:us-east-1:123:certificate/x'] }, 'is not a certificate ARN'],
    ['sslRedirect', { sslRedirect: true }, 'no HTTPS listener to redirect to'],
    ['groupName', { groupName: 'Shop_Public' }, 'the controller ignores the Ingress otherwise'],
    ['groupOrder', { groupName: 'shop', groupOrder: 1001 }, 'groupOrder'],
    ['groupOrder', { groupOrder: 5 }, 'give groupName too'],
    ['stickiness.duration', { stickiness: { duration: Duration.days(8) } }, 'from 1 to 604800 (7 days), the target-group stickiness ALB keeps, got 691200 seconds'],
    ['stickiness.duration', { stickiness: { duration: Duration.seconds(0) } }, 'from 1 to 604800 (7 days), the target-group stickiness ALB keeps, got 0 seconds'],
    ['stickiness.duration', { stickiness: { duration: Duration.millis(500) } }, 'whole number of seconds'],
    ['serviceType', { targetType: AlbTargetType.INSTANCE, serviceType: ServiceType.CLUSTER_IP }, 'reaches the pods through node ports'],
    ['protocol', { protocol: CanaryProtocol.GRPC }, 'only from an HTTPS listener'],
    ['match[0].headers.x-canary', { match: [{ headers: { 'x-canary': 'a*' } }] }, 'ALB reads as wildcards'],
    ['match[0].headers', { match: [{ headers: { Host: 'x' } }] }, 'host-header'],
    ['match[0].headers', { match: [{ headers: { ['x'.repeat(41)]: 'v' } }] }, 'longer than 40 characters'],
    ['match[0].pathRegex', { match: [{ pathRegex: '/v[0-9]+' }] }, 'use pathPrefix or pathExact'],
    ['match[0].pathPrefix', { path: '/api', match: [{ pathPrefix: '/other' }] }, 'outside the Ingress path'],
    ['match[0]', { host: 'a.example.com', match: [{ pathPrefix: '/v2', headers: { a: '1', b: '2', c: '3' } }] }, 'makes an ALB rule of 6 match evaluations (host 1, path 2, header a 1, header b 1, header c 1)'],
    ['ingressAnnotations', { ingressAnnotations: { [`${ALB}scheme`]: 'internet-facing' } }, 'is set by AlbCanary from its props'],
    ['ingressAnnotations', { ingressAnnotations: { [`${ALB}actions.other`]: '{}' } }, 'would route requests around the canary split'],
    ['ingressAnnotations', { ingressAnnotations: { [`${ALB}transforms.notifications-split`]: '[]' } }, 'would route requests around the canary split'],
    ['annotations', { annotations: { [`${ALB}scheme`]: 'internal' } }, 'is set by AlbCanary from its props'],
    ['annotations', { annotations: { [`${ALB}actions.x`]: '{}' } }, 'would route requests around the canary split'],
    ['annotations', { targetType: AlbTargetType.INSTANCE, annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'a.example.com' } }, 'would land on the NodePort Services too'],
    ['name', { name: 'n'.repeat(45), match: Array.from({ length: 11 }, (_, i) => ({ headers: { 'x-entry': String(i) } })) }, 'gives the ALB action name "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn-match10" of 53 characters, too long for the annotation key'],
    ['scheme', { scheme: 'public' as AlbScheme }, 'internet-facing'],
    ['pathType', { pathType: 'ImplementationSpecific' as AlbPathType }, 'Prefix'],
  ] as [string, Partial<AlbCanaryProps>, string][])('%s: %j', (prop, props, text) => {
    expectConfigError(build(props), prop, text);
  });

  test('two AlbCanaries on one group, host and path are refused: the second would shadow the first', () => {
    const chart = newChart();
    new AlbCanary(chart, 'a', { host: 'x.example.com', groupName: 'shop', stable: V1 });
    expect(() => new AlbCanary(chart, 'b', { host: 'x.example.com', groupName: 'shop', stable: V1 })).toThrow(/AlbCanary shop\/b: host .*x\.example\.com/);
    // Without a group each Ingress is an ALB of its own: the same host twice is a DNS question, not a conflict here.
    new AlbCanary(chart, 'c', { host: 'x.example.com', stable: V1 });
  });
});

describe('the manifest checks and the report on ALB Ingresses', () => {
  const manifests = () => alb({ weight: 10 }).manifests;
  const withAnnotation = (key: string, value: string | undefined) => manifests().map((m) => (m.kind === 'Ingress'
    ? { ...m, metadata: { ...m.metadata, annotations: Object.fromEntries(Object.entries({ ...m.metadata.annotations, [key]: value }).filter(([, v]) => v !== undefined)) } } : m));
  const problems = (objects: Manifest[]) => analyze(objects.map((object) => ({ file: 'a.yaml', object }))).problems.map((p) => `${p.object} ${p.field}: ${p.message}`);

  test('a use-annotation backend without its action fails the whole ALB', () => {
    expect(problems(withAnnotation(`${ALB}actions.notifications-split`, undefined))).toEqual([
      'Ingress/notifications spec.rules[0].http.paths[0].backend.service: has port use-annotation, but there is no annotation alb.ingress.kubernetes.io/actions.notifications-split: the controller fails the whole ALB',
    ]);
  });

  test.each([
    ['{"type":"forward"', /does not parse as JSON/],
    [JSON.stringify(forward([group('notifications', 90), group('missing', 10)])), /names Service missing, which is not in the output/],
    [JSON.stringify(forward([group('notifications', 90), { serviceName: 'notifications-canary', servicePort: 80, weight: 10 }])), /names port 80 of Service notifications-canary, which has no such port/],
    [JSON.stringify(forward([group('notifications'), group('notifications-canary', 10)])), /not every one has a weight/],
    [JSON.stringify(forward([group('notifications', 0), group('notifications-canary', 0)])), /only zero weights/],
    [JSON.stringify(forward([group('notifications', 1000), group('notifications-canary', 10)])), /weight 1000 is not an integer in 0-999/],
  ])('action %s', (action, message) => {
    expect(problems(withAnnotation(`${ALB}actions.notifications-split`, action)).join('\n')).toMatch(message);
  });

  test('a target group whose Service selects no pod is a routing problem with its field', () => {
    const objects = manifests().map((m) => (m.kind === 'Deployment' && m.metadata.name === 'notifications-canary' ? { ...m, spec: { ...m.spec, replicas: 0 } } : m));
    expect(problems(objects)).toEqual([
      'Ingress/notifications spec.rules[0].http.paths[0].backend.service: forwards to notifications-canary, which selects no ready pod (Deployment/notifications-canary has 0 replicas): those requests fail (503)',
    ]);
  });
});

test('annotations for the rest go on every object: external-dns with ClusterIP Services, ALB settings the controller reads per target group', () => {
  const { manifests } = alb({ annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'canarydemo.kubeoncloud.com', [`${ALB}healthcheck-path`]: '/health' } });
  for (const kind of ['Ingress', 'Service']) {
    expect(find(manifests, kind, 'notifications').metadata.annotations).toMatchObject({
      'external-dns.alpha.kubernetes.io/hostname': 'canarydemo.kubeoncloud.com', [`${ALB}healthcheck-path`]: '/health',
    });
  }
  expect(albAnnotations(manifests)['scheme']).toBe('internal');
});

test('two ALB Ingresses of one IngressGroup routing the same host and path without conditions: one never takes a request', () => {
  const first = alb({ weight: 10, groupName: 'shop' }).manifests;
  const other = first.filter((m) => m.kind === 'Ingress').map((m) => ({ ...m, metadata: { ...m.metadata, name: 'legacy' } }));
  const problems = analyze([...first, ...other].map((object) => ({ file: 'a.yaml', object }))).problems.map((p) => `${p.object} ${p.field}: ${p.message}`);
  expect(problems).toEqual([
    'Ingress/legacy spec.rules[0].http.paths[0]: routes canarydemo.kubeoncloud.com/ (Prefix) without conditions, as Ingress/notifications in shop does in IngressGroup shop: the ALB evaluates one of them first and the other never takes a request',
  ]);
});
