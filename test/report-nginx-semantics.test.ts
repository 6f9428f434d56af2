import { parseAllDocuments } from 'yaml';

import { analyze } from '../src/report/analyze';
import { showFraction } from '../src/report/model/fraction';
import { SampleRequest, takes } from '../src/report/model/requests';

/**
 * ingress-nginx as its controller and balancer.lua route (kubernetes/ingress-nginx
 * rootfs/etc/nginx/lua/balancer.lua route_to_alternative_balancer; the canary e2e tests in
 * test/e2e/annotations/canary.go): every entry of an Ingress, the defaultBackend, header
 * `always`/`never`, patterns that do not compile, cookies, and sticky sessions.
 */
const deployments = ['v1', 'v2'].map((v) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo-${v}, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: echo, version: ${v} } }
  template: { metadata: { labels: { app: echo, version: ${v} } }, spec: { containers: [{ name: echo, image: echo:${v} }] } }
---
apiVersion: v1
kind: Service
metadata: { name: echo-${v}, namespace: shop }
spec: { selector: { app: echo, version: ${v} }, ports: [{ port: 80 }] }`).join('\n---\n');

function ingress(name: string, backend: string, annotations: Record<string, string>, spec: 'rule' | 'default' = 'rule'): string {
  const body = spec === 'rule'
    ? `rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: ${backend}, port: { number: 80 } } } }] } }]`
    : `defaultBackend: { service: { name: ${backend}, port: { number: 80 } } }`;
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ${name}, namespace: shop, annotations: ${JSON.stringify(annotations)} }
spec: { ingressClassName: nginx, ${body} }`;
}

function report(...docs: string[]) {
  const objects = parseAllDocuments([deployments, ...docs].join('\n---\n')).map((d) => ({ file: 'in.yaml', object: d.toJSON() }));
  return analyze(objects);
}

/** Where a request lands on the canary's routes: shares by Deployment. */
function lands(r: ReturnType<typeof report>, request: Partial<SampleRequest>): Record<string, string> {
  const c = r.canaries[0];
  const route = c.routes.find((x) => takes(x.when, { headers: {}, path: '/', query: {}, method: 'GET', ...request }))!;
  return Object.fromEntries(c.tracks.map((t, j) => [t.deployment, showFraction(route.shares[j])]).filter(([, f]) => f !== '0'));
}

const canary = (annotations: Record<string, string>) => ({ 'nginx.ingress.kubernetes.io/canary': 'true', ...annotations });

test('an Ingress with only a defaultBackend is read, and pairs with a canary defaultBackend', () => {
  const r = report(ingress('main', 'echo-v1', {}, 'default'), ingress('main-canary', 'echo-v2', canary({ 'nginx.ingress.kubernetes.io/canary-weight': '25' }), 'default'));
  expect(r.problems).toEqual([]);
  expect(r.canaries[0].entries).toEqual(['ingress (any host)/ (defaultBackend, class nginx)']);
  expect(lands(r, {})).toEqual({ 'echo-v1': '3/4', 'echo-v2': '1/4' });
});

test('canary-by-header without a value: always to the canary, never to the main backend (cookie and weight skipped)', () => {
  const r = report(ingress('main', 'echo-v1', {}), ingress('c', 'echo-v2', canary({
    'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary', 'nginx.ingress.kubernetes.io/canary-by-cookie': 'beta', 'nginx.ingress.kubernetes.io/canary-weight': '50',
  })));
  expect(lands(r, { headers: { 'x-canary': 'always' } })).toEqual({ 'echo-v2': '1' });
  expect(lands(r, { headers: { 'x-canary': 'never', cookie: 'beta=always' } })).toEqual({ 'echo-v1': '1' });
  expect(lands(r, { headers: { 'x-canary': 'maybe', cookie: 'a=1; beta=always' } })).toEqual({ 'echo-v2': '1' });
  expect(lands(r, { headers: { cookie: 'beta=never' } })).toEqual({ 'echo-v1': '1' });
  expect(lands(r, {})).toEqual({ 'echo-v1': '1/2', 'echo-v2': '1/2' });
});

test('a header pattern that does not compile sends requests with the header to the main backend, and is a problem', () => {
  const r = report(ingress('main', 'echo-v1', {}), ingress('c', 'echo-v2', canary({
    'nginx.ingress.kubernetes.io/canary-by-header': 'x-user', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^(qa', 'nginx.ingress.kubernetes.io/canary-weight': '100',
  })));
  expect(lands(r, { headers: { 'x-user': 'qa-1' } })).toEqual({ 'echo-v1': '1' });
  expect(lands(r, {})).toEqual({ 'echo-v2': '1' });
  expect(r.problems.map((p) => `${p.object} ${p.field}: ${p.message}`)).toEqual([
    'Ingress/c metadata.annotations.nginx.ingress.kubernetes.io/canary-by-header-pattern: "^(qa" does not compile as a PCRE: ingress-nginx logs an error and sends every request carrying x-user to the main backend, cookie and weight skipped',
  ]);
  // A pattern that compiles is a route to the canary, and no problem.
  const ok = report(ingress('main', 'echo-v1', {}), ingress('c', 'echo-v2', canary({
    'nginx.ingress.kubernetes.io/canary-by-header': 'x-user', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^qa-[0-9]+$',
  })));
  expect(ok.problems).toEqual([]);
  expect(lands(ok, { headers: { 'x-user': 'qa-7' } })).toEqual({ 'echo-v2': '1' });
  expect(lands(ok, { headers: { 'x-user': 'dev' } })).toEqual({ 'echo-v1': '1' });
});

test('cookie affinity: returning clients are their own request class, named with the canary behaviour', () => {
  const sticky = report(ingress('main', 'echo-v1', { 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/session-cookie-name': 'route' }),
    ingress('c', 'echo-v2', canary({ 'nginx.ingress.kubernetes.io/canary-weight': '10', 'nginx.ingress.kubernetes.io/canary-by-header': 'x-canary' })));
  const c = sticky.canaries[0];
  expect(c.caveats).toEqual(['sticky sessions: a client with cookie route stays on the track it got first (affinity-canary-behavior sticky); the shares are those of new clients']);
  expect(c.routes.map((r) => [r.name, r.conditions])).toEqual([
    ['affinity', 'cookie route present (a returning client keeps the track it got)'],
    ['canary-by-header', 'header x-canary = always'], ['canary-by-header never', 'header x-canary = never'], ['canary-weight', 'everyone else'],
  ]);
  // A returning client keeps its track even with x-canary: always: across them, the weight's split.
  expect(lands(sticky, { headers: { cookie: 'route=abc123', 'x-canary': 'always' } })).toEqual({ 'echo-v1': '9/10', 'echo-v2': '1/10' });
  expect(lands(sticky, { headers: { 'x-canary': 'always' } })).toEqual({ 'echo-v2': '1' });
  const legacy = report(ingress('main', 'echo-v1', { 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/affinity-canary-behavior': 'legacy' }),
    ingress('c', 'echo-v2', canary({ 'nginx.ingress.kubernetes.io/canary-weight': '10' })));
  expect(legacy.canaries[0].routes.map((r) => r.name)).toEqual(['canary-weight']);
});
