import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { LoadedObject, loadManifests } from '../src/checks/load';
import { analyze, CanaryReport, shareOf } from '../src/report/analyze';
import { diffReports } from '../src/report/diff';
import { add, fraction, FractionRangeError, showFraction } from '../src/report/model/fraction';
import { renderJson, renderMarkdown, renderText } from '../src/report/render';

/**
 * The report on canaries written by hand (the five of ../shared/SCENARIOS.md, as teams run them):
 * found without the library's labels, read with the same router semantics, their mistakes shown
 * with the object and the field.
 */

const FIXTURES = join(__dirname, 'fixtures', 'hand-written');
const load = (file: string): LoadedObject[] => loadManifests([join(FIXTURES, file)]).objects;
const only = (file: string): CanaryReport => {
  const { canaries } = analyze(load(file));
  expect(canaries).toHaveLength(1);
  return canaries[0];
};
/** Each route as `conditions: track share, …`, every track. */
const split = (c: CanaryReport) => c.routes.map((r) => `${r.conditions}: ${c.tracks.map((t) => `${t.track} ${showFraction(shareOf(c, r, t.track))}`).join(', ')}`);
const problems = (file: string) => analyze(load(file)).problems.map((p) => `${p.object} ${p.field}: ${p.message}`);

test('hello (Istio): testers 50/50, everyone else to v1; tracks are the Deployments', () => {
  const c = only('hello-istio.yaml');
  expect([c.name, c.origin, c.strategy, c.namespace]).toEqual(['hello', 'hand-written', 'IstioCanary', 'default']);
  expect(c.tracks.map((t) => [t.track, t.pods, t.images.join(), t.version])).toEqual([
    ['hello-server-v1', '2', 'honester/hello-server:v1', 'v1'],
    ['hello-server-v2', '2', 'honester/hello-server:v2', 'v2'],
  ]);
  expect(c.entries).toEqual(['service svc-hello (mesh, namespace default)']);
  expect(split(c)).toEqual(['header end-user = testers: hello-server-v1 1/2, hello-server-v2 1/2', 'everyone else: hello-server-v1 1, hello-server-v2 0']);
  expect(problems('hello-istio.yaml')).toEqual([]);
  expect(renderText(analyze(load('hello-istio.yaml')))).toContain('hello (hand-written: Istio VirtualService) in namespace default');
});

test('hello (Istio): the Service selecting version v1 empties subset v2 (the scenario\'s mistake), with the field', () => {
  const objects = load('hello-istio.yaml').map((o) => (o.object.kind === 'Service' ? { ...o, object: { ...o.object, spec: { ...o.object.spec, selector: { app: 'hello', version: 'v1' } } } } : o));
  expect(analyze(objects).problems.map((p) => `${p.object} ${p.field}: ${p.message}`)).toEqual([
    'VirtualService/vs-hello spec.http[0].route[1].destination: sends 50 % to svc-hello subset v2, which selects no ready pod: those requests fail (503)',
  ]);
});

test('backend (Gateway API): 90/10 through the HTTPRoute; a track scaled to 0 with weight is a problem', () => {
  const c = only('backend-gateway.yaml');
  expect([c.name, c.strategy, c.entries]).toEqual(['backend', 'GatewayCanary', ['gateway default/eg: www.example.com (HTTPRoute)']]);
  expect(split(c)).toEqual(['path within /: backend-v1 9/10, backend-v2 1/10']);
  const scaledDown = load('backend-gateway.yaml').map((o) => (o.object.metadata.name === 'backend-v2' && o.object.kind === 'Deployment'
    ? { ...o, object: { ...o.object, spec: { ...o.object.spec, replicas: 0 } } } : o));
  expect(analyze(scaledDown).problems.map((p) => `${p.object} ${p.field}: ${p.message}`)).toEqual([
    'HTTPRoute/backend-canary spec.rules[0].backendRefs[1]: sends requests to backend-v2, which selects no ready pod (Deployment/backend-v2 has 0 replicas): those requests fail (503)',
  ]);
});

test('a change between two hand-written versions reads per Deployment: 90/10 → 50/50', () => {
  const before = analyze(load('backend-gateway.yaml'));
  const after = analyze(load('backend-gateway.yaml').map((o) => (o.object.kind === 'HTTPRoute'
    ? { ...o, object: { ...o.object, spec: { ...o.object.spec, rules: [{ ...o.object.spec.rules[0], backendRefs: o.object.spec.rules[0].backendRefs.map((b: object) => ({ ...b, weight: 50 })) }] } } } : o)));
  const changes = diffReports(before, after);
  expect(changes.map((c) => [c.title, c.status, c.changes])).toEqual([['backend (hand-written: Gateway API route)', 'changed', [
    'path within / (rules[0]): backend-v1 9/10 (90 %) → 1/2 (50 %), backend-v2 1/10 (10 %) → 1/2 (50 %)',
  ]]]);
  const markdown = renderMarkdown(after, changes);
  expect(markdown).toContain('| # | requests | backend-v1 | backend-v2 |');
  expect(markdown).toContain('| 1 | path within / | 1/2 (50 %) | 1/2 (50 %) |');
  expect(markdown).toContain('R0 -->|1/2| T1');
});

test('example.com (ingress-nginx): the canary Ingress at weight 30 gives 7/10 and 3/10', () => {
  const c = only('example-com-nginx.yaml');
  expect([c.name, c.strategy, c.entries]).toEqual(['prd', 'NginxCanary', ['ingress example.com/ (Prefix, class nginx)']]);
  expect(split(c)).toEqual(['every request: canary 3/10, prd 7/10']);
});

test('example.com: a canary Ingress whose path type differs is ignored by ingress-nginx (a problem), and takes nothing', () => {
  const objects = load('example-com-nginx.yaml').map((o) => (o.object.kind === 'Ingress' && o.object.metadata.name === 'canary'
    ? { ...o, object: JSON.parse(JSON.stringify(o.object).replace('"Prefix"', '"Exact"')) } : o));
  const report = analyze(objects);
  expect(report.problems.map((p) => `${p.object} ${p.field}: ${p.message}`)).toEqual([
    'Ingress/canary spec.rules: is a canary for nginx example.com / Exact (class host path pathType), but no main Ingress has the same; ingress-nginx would drop it silently',
  ]);
  // Nothing joins the two Deployments any more: no canary, and the main Ingress's Service alone serves.
  expect(report.canaries).toEqual([]);
});

test('python-service (replica ratio): 2 safe pods and 1 risky give 2/3 and 1/3 per connection; overlapping selectors are problems', () => {
  const c = only('python-service-replica.yaml');
  expect([c.name, c.strategy, c.entries]).toEqual(['python-service', 'ReplicaCanary', ['service python-service.default (NodePort, node port 31532)']]);
  expect(split(c)).toEqual(['every connection: python-web-risk 1/3, python-web-safe 2/3']);
  expect(c.caveats[0]).toContain('per connection');
  expect(problems('python-service-replica.yaml')).toEqual([
    'Deployment/python-web-safe spec.selector.matchLabels: selects the pods of Deployment/python-web-risk too',
    'Deployment/python-web-risk spec.selector.matchLabels: selects the pods of Deployment/python-web-safe too',
  ]);
});

test('python-service (Istio): all to safe; subset risky selects no pod, a problem even at weight 0', () => {
  const c = only('python-service-istio.yaml');
  expect(split(c)).toEqual(['every request: python-web-risk 0, python-web-safe 1']);
  expect(problems('python-service-istio.yaml')).toEqual([
    'VirtualService/a-set-of-routing-rules-virtual-service spec.http[0].route[1].destination: lists python-service subset risky at weight 0, which selects no ready pod: moving weight to it would fail requests (503)',
  ]);
});

test('notifications (ALB): a weighted forward action of two Services gives 3/4 and 1/4 per request', () => {
  const c = only('notifications-alb.yaml');
  expect([c.name, c.strategy, c.entries]).toEqual(['notification-restapp', 'AlbCanary', ['alb canarydemo.kubeoncloud.com/ (Prefix, internet-facing, class alb)']]);
  expect(split(c)).toEqual(['every request: notification-microservice-v1 3/4, notification-microservice-v2 1/4']);
  expect(renderText(analyze(load('notifications-alb.yaml')))).toContain('notification-restapp (hand-written: AWS ALB Ingress) in namespace notifications-alb');
});

test('notifications (replica ratio): 2:2 is 1/2 each', () => {
  const c = only('notifications-replica.yaml');
  expect([c.name, c.strategy]).toEqual(['notification-restapp', 'ReplicaCanary']);
  expect(split(c)).toEqual(['every connection: notification-microservice-v1 1/2, notification-microservice-v2 1/2']);
});

test('the whole directory: one canary per scenario, each in its namespace, and only the scenarios\' own mistakes', () => {
  const report = analyze(loadManifests([FIXTURES]).objects);
  expect(report.canaries.map((c) => `${c.namespace}/${c.name}`)).toEqual([
    'default/backend', 'default/hello', 'default/notification-restapp', 'default/prd', 'default/python-service',
    'notifications-alb/notification-restapp', 'python-istio/python-service',
  ]);
  expect(report.problems).toHaveLength(3);
});

test('two Deployments each behind their own Service, with nothing joining them, are not a canary', () => {
  const objects = load('example-com-nginx.yaml').filter((o) => o.object.kind !== 'Ingress');
  expect(analyze(objects).canaries).toEqual([]);
});

describe('hostile YAML: the report never throws, never counts a share twice, and says what is wrong', () => {
  const objects = loadManifests([FIXTURES]).objects;
  /** Every path to a value in an object (objects and arrays walked). */
  const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => (value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => [[...prefix, Array.isArray(value) ? Number(k) : k], ...paths(v, [...prefix, Array.isArray(value) ? Number(k) : k])])
    : []);
  const replaced = (root: unknown, path: (string | number)[], by: unknown): unknown => {
    if (path.length === 0) return by;
    const [head, ...rest] = path;
    const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
    copy[head] = replaced((root as Record<string | number, unknown>)[head], rest, by);
    return copy;
  };
  const HOSTILE: unknown[] = [null, -1, 12.5, 'NaN', [], {}, JSON.parse('{"__proto__": {"app": "hello"}, "constructor": "x"}')];

  test.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('every field of every fixture object replaced by %s', (_, hostile) => {
    let runs = 0;
    objects.forEach((o, i) => {
      for (const path of paths(o.object)) {
        const mutated = objects.map((x, j) => (j === i ? { ...x, object: replaced(x.object, path, hostile) as LoadedObject['object'] } : x));
        const report = analyze(mutated);
        expect(renderText(report) + renderMarkdown(report) + renderJson(report)).toContain('roblem');
        for (const c of report.canaries) {
          for (const r of c.routes) {
            const total = r.shares.reduce((sum, f) => sum + f.n / f.d, 0);
            expect(r.shares).toHaveLength(c.tracks.length);
            expect(total).toBeLessThanOrEqual(1 + 1e-9);
          }
        }
        runs++;
      }
    });
    expect(runs).toBeGreaterThan(400);
    expect(({} as Record<string, unknown>).app).toBeUndefined();
  });

  test('a weight that is not a non-negative integer is a problem with its field, and counts as 0', () => {
    const mutated = objects.map((o) => (o.object.kind === 'HTTPRoute' ? { ...o, object: replaced(o.object, ['spec', 'rules', 0, 'backendRefs', 1, 'weight'], 12.5) as LoadedObject['object'] } : o));
    const report = analyze(mutated);
    expect(report.problems.filter((p) => p.object === 'HTTPRoute/backend-canary').map((p) => `${p.field}: ${p.message}`)).toEqual([
      'spec.rules[0].backendRefs[1].weight: weight 12.5 is not an integer from 0 to 1000000: the API server refuses the object',
    ]);
    const backend = report.canaries.find((c) => c.name === 'backend')!;
    expect(split(backend)).toEqual(['path within /: backend-v1 1, backend-v2 0']);
  });
});

test('shapes the report does not follow are named as such, never guessed: redirects, delegation, tcp routes, mirror and sticky filters', () => {
  const istio = load('hello-istio.yaml').map((o) => (o.object.kind === 'VirtualService' ? { ...o, object: { ...o.object, spec: {
    ...o.object.spec,
    http: [{ match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new' } }, { delegate: { name: 'hello-team' } }, ...o.object.spec.http],
    tcp: [{ route: [{ destination: { host: 'svc-hello' } }] }],
  } } } : o));
  const c = analyze(istio).canaries[0];
  expect(c.caveats).toEqual(expect.arrayContaining([
    'http[0] answers with a redirect: its requests reach no track',
    'http[1] delegates to VirtualService default/hello-team, which this report does not follow: its shares are not shown',
    'its tcp routes are not read: only http routes are shown',
    'http[2] is never reached: http[1], before it, takes every request',
  ]));
  expect(split(c).slice(0, 2)).toEqual(['path starts with /old: hello-server-v1 0, hello-server-v2 0', 'everyone else: hello-server-v1 0, hello-server-v2 0']);
  const gateway = load('backend-gateway.yaml').map((o) => (o.object.kind === 'HTTPRoute' ? { ...o, object: { ...o.object, spec: { ...o.object.spec, rules: [{
    ...o.object.spec.rules[0],
    filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'backend-v2', port: 3000 } } }],
    sessionPersistence: { type: 'Cookie', sessionName: 'backend-session' },
  }] } } } : o));
  expect(analyze(gateway).canaries[0].caveats).toEqual([
    'rules[0] mirrors all of its requests to backend-v2 (responses discarded; the shares count real requests only)',
    'rules[0] keeps sessions (cookie backend-session, a session cookie): a client stays on the backend it reached first, so the shares hold for new clients only',
  ]);
});

describe('exact arithmetic: shares are computed on BigInt and never rounded', () => {
  test('sums whose terms overflow a double stay exact', () => {
    // 1/94906267 + 1/94906263: the cross products pass 2^53, the reduced sum does not.
    const sum = add(fraction(1, 94906267), fraction(1, 94906263));
    expect(showFraction(sum)).toBe('189812530/9007199136250221');
    expect(showFraction(add(fraction(1, 3), fraction(2, 3)))).toBe('1');
  });

  test('a share too fine to show exactly is refused, never rounded; weights at the CRD limits stay exact', () => {
    expect(() => add(fraction(1, 99999989), fraction(1, 99999971))).toThrow(FractionRangeError);
    const objects = load('backend-gateway.yaml').map((o) => (o.object.kind === 'HTTPRoute'
      ? { ...o, object: { ...o.object, spec: { ...o.object.spec, rules: [{ backendRefs: [{ name: 'backend-v1', port: 3000, weight: 999983 }, { name: 'backend-v2', port: 3000, weight: 999979 }] }] } } }
      : o));
    expect(analyze(objects).canaries[0].routes[0].shares.map(showFraction)).toEqual(['999983/1999962', '999979/1999962']);
  });
});

test('a directory of a GitOps repo: YAML that is no Kubernetes object (a values file) is skipped, not reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-mixed-'));
  try {
    copyFileSync(join(FIXTURES, 'hello-istio.yaml'), join(dir, 'hello-istio.yaml'));
    writeFileSync(join(dir, 'values.yaml'), 'replicaCount: 2\nimage:\n  tag: v1\n');
    writeFileSync(join(dir, 'broken.yaml'), 'kind: Service\nmetadata:\n  name: half\n');
    const loaded = loadManifests([dir]);
    expect(loaded.skipped).toEqual(['values.yaml']);
    const report = analyze(loaded.objects);
    expect(report.canaries.map((c) => c.name)).toEqual(['hello']);
    // A document with a kind but no apiVersion is a broken manifest, and says so.
    expect(report.problems.map((p) => `${p.file} ${p.object} ${p.field}: ${p.message}`)).toEqual(['broken.yaml Service/half apiVersion: has no apiVersion']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every Istio match field is shown, none dropped; every host and path of an Ingress is read, each with its own canary pairing', () => {
  const istio = load('hello-istio.yaml').map((o) => (o.object.kind === 'VirtualService' ? { ...o, object: { ...o.object, spec: {
    ...o.object.spec,
    http: [{ match: [{ method: { exact: 'POST' }, withoutHeaders: { 'x-debug': { exact: '1' } }, sourceLabels: { app: 'frontend' } }], route: [{ destination: { host: 'svc-hello', subset: 'v2' } }] }, ...o.object.spec.http],
  } } } : o));
  expect(analyze(istio).canaries[0].routes[0].conditions).toBe('not (header x-debug = 1) and method = POST and sourceLabels {"app":"frontend"}');
  const nginx = load('example-com-nginx.yaml').map((o) => (o.object.kind === 'Ingress' && o.object.metadata.name === 'prd'
    ? { ...o, object: { ...o.object, spec: { ...o.object.spec, rules: [...o.object.spec.rules, { host: 'www.example.com', http: o.object.spec.rules[0].http }] } } } : o));
  const canary = analyze(nginx).canaries[0];
  expect(canary.entries).toEqual(['ingress example.com/ (Prefix, class nginx)', 'ingress www.example.com/ (Prefix, class nginx)']);
  // The canary Ingress pairs with example.com/ only: www.example.com/ keeps all of its requests on the main backend.
  expect(canary.routes.map((r) => [r.name, r.conditions, r.shares.map((f) => showFraction(f)).join(', ')])).toEqual([
    ['example.com/ canary-weight', 'host example.com and path within /', '3/10, 7/10'],
    ['www.example.com/ canary-weight', 'host www.example.com and path within /', '0, 1'],
  ]);
});
