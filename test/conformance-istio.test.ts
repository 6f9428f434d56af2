import { join } from 'path';

import { loadManifests } from '../src/checks/load';
import { analyze, CanaryReport } from '../src/report/analyze';
import { add, Fraction, showFraction, ZERO } from '../src/report/model/fraction';
import { SampleRequest, takes } from '../src/report/model/requests';

/**
 * Istio's own routing tests and the Bookinfo tasks replayed through the report: each
 * VirtualService (or mesh HTTPRoute) of test/fixtures/conformance/istio with the Services and
 * Deployments it routes to, and each request the upstream test sends with what it expects,
 * encoded from the upstream source cited per group. The report's canary view answers: the first
 * route whose conditions take the request, its shares per Deployment, and what its caveats say
 * the route answers itself (a fault abort's status, a redirect).
 */
const FIXTURES = join(__dirname, 'fixtures', 'conformance', 'istio');

/** An app (all its pods), shares by app, 404, a redirect, or a status the proxy answers with. */
type Expect = string | Record<string, string> | 404 | 'redirect' | { status: number };
interface Case { readonly request: { path?: string; headers?: Record<string, string>; method?: string }; readonly expect: Expect }
interface Fixture { readonly files: readonly string[]; readonly service: string; readonly source: string; readonly cases: readonly Case[] }

const ROUTING = 'istio/istio tests/integration/pilot/common/routing.go';
const TASKS = 'istio.io docs/tasks/traffic-management/request-routing and traffic-shifting';
const routing = (name: string, cases: Case[]): Fixture => ({ files: ['routing/echo-apps.yaml', `routing/${name}.yaml`], service: 'b', source: ROUTING, cases });
const bookinfo = (file: string, cases: Case[]): Fixture => ({
  files: ['bookinfo/platform-kube/bookinfo.yaml', 'bookinfo/platform-kube/bookinfo-versions.yaml', 'bookinfo/networking/destination-rule-all.yaml', file], service: 'reviews', source: TASKS, cases,
});
const jason = { headers: { 'end-user': 'jason' } };

const FIXTURES_AND_CASES: Record<string, Fixture> = {
  'redirect': routing('redirect', [{ request: { path: '/foo' }, expect: 'redirect' }, { request: { path: '/new/path' }, expect: 'b' }, { request: { path: '/other' }, expect: 404 }]),
  'redirect prefix_rewrite': routing('redirect-prefix-rewrite', [{ request: { path: '/foo/bar' }, expect: 'redirect' }, { request: { path: '/new/bar' }, expect: 'b' }]),
  'weird header matches': routing('weird-header-matches', [
    { request: {}, expect: 404 }, { request: { headers: { "a!#$%&'*+-.^_`|~z": 'why' } }, expect: 'b' },
  ]),
  'pseudo header matches': routing('pseudo-header-matches', [{ request: { method: 'POST' }, expect: 404 }, { request: { method: 'GET' }, expect: 'b' }]),
  'fault abort': routing('fault-abort', [{ request: {}, expect: { status: 418 } }]),
  'catch all route short circuit the other routes': routing('catch-all-short-circuit', [{ request: {}, expect: { status: 418 } }, { request: { path: '/any' }, expect: { status: 418 } }]),
  'without headers': routing('without-headers', [
    { request: { path: '/foo', ...jason }, expect: 'b' },
    { request: { path: '/foo', headers: { 'end-user': 'not-jason' } }, expect: { status: 403 } },
    { request: { path: '/foo' }, expect: { status: 403 } },
  ]),
  'without headers regex convert to present_match': routing('without-headers-regex-star', [
    { request: { path: '/foo', ...jason }, expect: 'b' },
    { request: { path: '/foo', headers: { 'end-user': '' } }, expect: 'b' },
    { request: { path: '/foo' }, expect: { status: 403 } },
  ]),
  'without headers regex match any string': routing('without-headers-regex-any', [
    { request: { path: '/foo', ...jason }, expect: 'b' },
    { request: { path: '/foo', headers: { 'end-user': '' } }, expect: 'b' },
    { request: { path: '/foo' }, expect: 'b' },
  ]),
  'shifting-50 (50/25/25)': routing('shifting-50-25-25', [{ request: {}, expect: { b: '1/2', c: '1/4', d: '1/4' } }]),
  'shifting-80 (80/10/10)': routing('shifting-80-10-10', [{ request: {}, expect: { b: '4/5', c: '1/10', d: '1/10' } }]),
  'shifting-50 (skipVM, 50/50)': routing('shifting-50-50', [{ request: {}, expect: { b: '1/2', c: '1/2' } }]),
  'shifting-80 (skipVM, 80/20)': routing('shifting-80-20', [{ request: {}, expect: { b: '4/5', c: '1/5' } }]),
  'bookinfo: all v1': bookinfo('bookinfo/networking/virtual-service-all-v1.yaml', [{ request: {}, expect: 'reviews-v1' }, { request: jason, expect: 'reviews-v1' }]),
  'bookinfo: jason to v2': bookinfo('bookinfo/networking/virtual-service-reviews-test-v2.yaml', [{ request: jason, expect: 'reviews-v2' }, { request: {}, expect: 'reviews-v1' }]),
  'bookinfo: jason to v2, others v3': bookinfo('bookinfo/networking/virtual-service-reviews-jason-v2-v3.yaml', [{ request: jason, expect: 'reviews-v2' }, { request: {}, expect: 'reviews-v3' }]),
  'bookinfo: 50 % v3': bookinfo('bookinfo/networking/virtual-service-reviews-50-v3.yaml', [{ request: {}, expect: { 'reviews-v1': '1/2', 'reviews-v3': '1/2' } }]),
  'bookinfo: 80/20': bookinfo('bookinfo/networking/virtual-service-reviews-80-20.yaml', [{ request: {}, expect: { 'reviews-v1': '4/5', 'reviews-v2': '1/5' } }]),
  'bookinfo: v3': bookinfo('bookinfo/networking/virtual-service-reviews-v3.yaml', [{ request: jason, expect: 'reviews-v3' }, { request: {}, expect: 'reviews-v3' }]),
  'bookinfo Gateway API: v1': bookinfo('bookinfo/gateway-api/route-reviews-v1.yaml', [{ request: {}, expect: 'reviews-v1' }]),
  'bookinfo Gateway API: 90/10': bookinfo('bookinfo/gateway-api/route-reviews-90-10.yaml', [{ request: {}, expect: { 'reviews-v1': '9/10', 'reviews-v2': '1/10' } }]),
  'bookinfo Gateway API: 50 % v3': bookinfo('bookinfo/gateway-api/route-reviews-50-v3.yaml', [{ request: {}, expect: { 'reviews-v1': '1/2', 'reviews-v3': '1/2' } }]),
  'bookinfo Gateway API: v3': bookinfo('bookinfo/gateway-api/route-reviews-v3.yaml', [{ request: {}, expect: 'reviews-v3' }]),
  'bookinfo Gateway API task: v1': bookinfo('bookinfo/gateway-api-snips/route-reviews-v1-snip.yaml', [{ request: {}, expect: 'reviews-v1' }]),
  'bookinfo Gateway API task: jason to v2': bookinfo('bookinfo/gateway-api-snips/route-reviews-jason-v2-snip.yaml', [{ request: jason, expect: 'reviews-v2' }, { request: {}, expect: 'reviews-v1' }]),
};

/** The Deployment's app: b-v1 → b for the echo apps, the Deployment itself for Bookinfo. */
const appOf = (fixture: Fixture, deployment: string) => (fixture.service === 'b' ? deployment.replace(/-v\d+$/, '') : deployment);

function answer(fixture: Fixture, c: Case): Expect {
  const { objects } = loadManifests(fixture.files.map((f) => join(FIXTURES, f)));
  const canaries = analyze(objects).canaries.filter((k) => (k.entryPoints ?? []).some((e) => e.service === fixture.service));
  expect(canaries.length).toBeGreaterThan(0);
  const canary: CanaryReport = canaries[0];
  const request: SampleRequest = { headers: { host: fixture.service, ...c.request.headers }, path: c.request.path ?? '/', query: {}, method: c.request.method ?? 'GET' };
  const route = canary.routes.find((r) => takes(r.when, request));
  if (!route) return 404;
  const byApp = new Map<string, Fraction>();
  canary.tracks.forEach((t, j) => {
    if (route.shares[j].n > 0) byApp.set(appOf(fixture, t.deployment), add(byApp.get(appOf(fixture, t.deployment)) ?? ZERO, route.shares[j]));
  });
  if (byApp.size === 0) {
    if (canary.caveats.some((k) => k.startsWith(`${route.name} answers with a redirect`))) return 'redirect';
    const prefix = `${route.name} answers 1 (100 %) of its requests itself with `;
    const abort = canary.caveats.find((k) => k.startsWith(prefix));
    if (abort) return { status: Number.parseInt(abort.slice(prefix.length), 10) };
    return 'no track';
  }
  const shown = Object.fromEntries([...byApp].map(([app, f]) => [app, showFraction(f)]));
  const apps = Object.keys(shown);
  return apps.length === 1 && shown[apps[0]] === '1' ? apps[0] : shown;
}

describe.each(Object.entries(FIXTURES_AND_CASES))('Istio %s', (_, fixture) => {
  test.each(fixture.cases.map((c, i) => [i, JSON.stringify(c.request), c] as const))(`case %i: %s (${fixture.source})`, (__, ___, c) => {
    expect(answer(fixture, c)).toEqual(c.expect);
  });
});

test('every Istio fixture is replayed', () => {
  expect(Object.values(FIXTURES_AND_CASES).reduce((n, f) => n + f.cases.length, 0)).toBe(42);
});
