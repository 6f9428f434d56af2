import { join } from 'path';

import { loadManifests } from '../src/checks/load';
import { analyze } from '../src/report/analyze';
import { Fraction, showFraction } from '../src/report/model/fraction';
import { GatewayRequest, hostTakes, routeGatewayRequest } from '../src/report/model/gateway-requests';
import { ObjectIndex } from '../src/report/model/object-index';
import { takes } from '../src/report/model/requests';

/**
 * The Gateway API conformance tests replayed through the report's Gateway API model: each
 * upstream test's manifests (test/fixtures/conformance/gateway-api, copied from
 * kubernetes-sigs/gateway-api) with the base Gateway and backends, and each request the test
 * sends with what it expects, encoded here from the test's Go source (cited per test). Weight
 * tests expect exact shares; a 404 (gRPC: Unimplemented) expects no Deployment.
 */
const FIXTURES = join(__dirname, 'fixtures', 'conformance', 'gateway-api');
const NS = 'gateway-conformance-infra';
const ECHO = '/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho';

interface Case {
  readonly request: Partial<GatewayRequest>;
  /** The backend Deployment (all requests), exact shares by Deployment, or 404. */
  readonly expect: string | Record<string, string> | 404;
}
interface UpstreamTest {
  /** conformance/tests/<name>.go and .yaml upstream. */
  readonly name: string;
  readonly gateway?: string;
  readonly cases: readonly Case[];
}

const to = (backend: string): Case['expect'] => backend;
const TESTS: readonly UpstreamTest[] = [
  {
    name: 'httproute-matching', cases: [
      { request: { path: '/' }, expect: to('infra-backend-v1') },
      { request: { path: '/example' }, expect: to('infra-backend-v1') },
      { request: { path: '/', headers: { Version: 'one' } }, expect: to('infra-backend-v1') },
      { request: { path: '/v2' }, expect: to('infra-backend-v2') },
      { request: { path: '/v2/example' }, expect: to('infra-backend-v2') },
      { request: { path: '/', headers: { Version: 'two' } }, expect: to('infra-backend-v2') },
    ],
  },
  {
    name: 'httproute-matching-across-routes', cases: [
      { request: { host: 'example.com', path: '/' }, expect: to('infra-backend-v1') },
      { request: { host: 'example.com', path: '/example' }, expect: to('infra-backend-v1') },
      { request: { host: 'example.net', path: '/example' }, expect: to('infra-backend-v1') },
      { request: { host: 'example.com', path: '/example', headers: { Version: 'one' } }, expect: to('infra-backend-v1') },
      { request: { host: 'example.com', path: '/v2' }, expect: to('infra-backend-v2') },
      { request: { host: 'example.net', path: '/v2' }, expect: to('infra-backend-v1') },
      { request: { host: 'example.com', path: '/v2/example' }, expect: to('infra-backend-v2') },
      { request: { host: 'example.com', path: '/', headers: { Version: 'two' } }, expect: to('infra-backend-v2') },
    ],
  },
  {
    name: 'httproute-header-matching', cases: [
      { request: { headers: { Version: 'one' } }, expect: to('infra-backend-v1') },
      { request: { headers: { Version: 'two' } }, expect: to('infra-backend-v2') },
      { request: { headers: { Version: 'two', Color: 'orange' } }, expect: to('infra-backend-v1') },
      { request: { headers: { Version: 'two', Color: 'blue' } }, expect: to('infra-backend-v2') },
      { request: { headers: { Color: 'orange' } }, expect: 404 },
      { request: { headers: { 'Some-Other-Header': 'one' } }, expect: 404 },
      { request: { headers: { Color: 'blue' } }, expect: to('infra-backend-v1') },
      { request: { headers: { Color: 'green' } }, expect: to('infra-backend-v1') },
      { request: { headers: { Color: 'red' } }, expect: to('infra-backend-v2') },
      { request: { headers: { Color: 'yellow' } }, expect: to('infra-backend-v2') },
      { request: { headers: { Color: 'purple' } }, expect: 404 },
    ],
  },
  {
    name: 'httproute-path-match-order', cases: [
      { request: { path: '/match/exact/one' }, expect: to('infra-backend-v3') },
      { request: { path: '/match/exact' }, expect: to('infra-backend-v2') },
      { request: { path: '/match' }, expect: to('infra-backend-v1') },
      { request: { path: '/match/prefix/one/any' }, expect: to('infra-backend-v2') },
      { request: { path: '/match/prefix/any' }, expect: to('infra-backend-v1') },
      { request: { path: '/match/any' }, expect: to('infra-backend-v3') },
    ],
  },
  {
    name: 'httproute-query-param-matching', cases: [
      { request: { path: '/?animal=whale' }, expect: to('infra-backend-v1') },
      { request: { path: '/?animal=dolphin' }, expect: to('infra-backend-v2') },
      { request: { path: '/?animal=dolphin&color=blue' }, expect: to('infra-backend-v3') },
      { request: { path: '/?ANIMAL=Whale' }, expect: to('infra-backend-v3') },
      { request: { path: '/?animal=whale&otherparam=irrelevant' }, expect: to('infra-backend-v1') },
      { request: { path: '/?animal=dolphin&color=yellow' }, expect: to('infra-backend-v2') },
      { request: { path: '/?color=blue' }, expect: 404 },
      { request: { path: '/?animal=dog' }, expect: 404 },
      { request: { path: '/?animal=whaledolphin' }, expect: 404 },
      { request: { path: '/' }, expect: 404 },
      { request: { path: '/path1?animal=whale' }, expect: to('infra-backend-v1') },
      { request: { path: '/?animal=whale', headers: { version: 'one' } }, expect: to('infra-backend-v2') },
      { request: { path: '/path2?animal=whale', headers: { version: 'two' } }, expect: to('infra-backend-v3') },
      { request: { path: '/path3?animal=shark' }, expect: to('infra-backend-v1') },
      { request: { path: '/path4?animal=kraken', headers: { version: 'three' } }, expect: to('infra-backend-v1') },
      { request: { path: '/?animal=shark' }, expect: 404 },
      { request: { path: '/path4?animal=kraken' }, expect: 404 },
      { request: { path: '/path5?animal=hydra' }, expect: to('infra-backend-v1') },
      { request: { path: '/?animal=hydra', headers: { version: 'four' } }, expect: to('infra-backend-v3') },
    ],
  },
  {
    name: 'httproute-method-matching', cases: [
      { request: { method: 'POST', path: '/' }, expect: to('infra-backend-v1') },
      { request: { method: 'GET', path: '/' }, expect: to('infra-backend-v2') },
      { request: { method: 'HEAD', path: '/' }, expect: 404 },
      { request: { method: 'GET', path: '/path1' }, expect: to('infra-backend-v1') },
      { request: { method: 'PUT', path: '/', headers: { version: 'one' } }, expect: to('infra-backend-v2') },
      { request: { method: 'POST', path: '/path2', headers: { version: 'two' } }, expect: to('infra-backend-v3') },
      { request: { method: 'PATCH', path: '/path3' }, expect: to('infra-backend-v1') },
      { request: { method: 'DELETE', path: '/path4', headers: { version: 'three' } }, expect: to('infra-backend-v1') },
      { request: { method: 'PUT', path: '/' }, expect: 404 },
      { request: { method: 'DELETE', path: '/path4' }, expect: 404 },
      { request: { method: 'PATCH', path: '/path5' }, expect: to('infra-backend-v1') },
      { request: { method: 'PATCH', path: '/', headers: { version: 'four' } }, expect: to('infra-backend-v2') },
    ],
  },
  // The upstream test samples 500 requests and allows 5 % either way; the weights are exact.
  { name: 'httproute-weight', cases: [{ request: { path: '/' }, expect: { 'infra-backend-v1': '7/10', 'infra-backend-v2': '3/10' } }] },
  {
    name: 'grpcroute-exact-method-matching', cases: [
      { request: { grpc: true, path: `${ECHO}/Echo` }, expect: to('grpc-infra-backend-v1') },
      { request: { grpc: true, path: `${ECHO}/EchoTwo` }, expect: to('grpc-infra-backend-v2') },
      { request: { grpc: true, path: `${ECHO}/EchoThree` }, expect: 404 },
    ],
  },
  {
    name: 'grpcroute-header-matching', cases: ([
      [{ Version: 'one' }, 'grpc-infra-backend-v1'], [{ Version: 'two' }, 'grpc-infra-backend-v2'], [{ Version: 'two', Color: 'orange' }, 'grpc-infra-backend-v1'],
      [{ Version: 'two', Color: 'blue' }, 'grpc-infra-backend-v2'], [{ Color: 'orange' }, 404], [{ 'Some-Other-Header': 'one' }, 404], [{ Color: 'blue' }, 'grpc-infra-backend-v1'],
      [{ Color: 'green' }, 'grpc-infra-backend-v1'], [{ Color: 'red' }, 'grpc-infra-backend-v2'], [{ Color: 'yellow' }, 'grpc-infra-backend-v2'], [{ Color: 'purple' }, 404],
    ] as const).map(([headers, expect]) => ({ request: { grpc: true, path: `${ECHO}/Echo`, headers }, expect })),
  },
  {
    name: 'grpcroute-listener-hostname-matching', gateway: 'grpcroute-listener-hostname-matching', cases: ([
      ['bar.com', 'grpc-infra-backend-v1'], ['foo.bar.com', 'grpc-infra-backend-v2'], ['baz.bar.com', 'grpc-infra-backend-v3'], ['boo.bar.com', 'grpc-infra-backend-v3'],
      ['multiple.prefixes.bar.com', 'grpc-infra-backend-v3'], ['multiple.prefixes.foo.com', 'grpc-infra-backend-v3'], ['foo.com', 404], ['no.matching.host', 404],
    ] as const).map(([host, expect]) => ({ request: { grpc: true, host, path: `${ECHO}/Echo` }, expect })),
  },
  { name: 'grpcroute-weight', cases: [{ request: { grpc: true, path: `${ECHO}/Echo` }, expect: { 'grpc-infra-backend-v1': '7/10', 'grpc-infra-backend-v2': '3/10' } }] },
];

const load = (test: UpstreamTest) => loadManifests([join(FIXTURES, 'base.yaml'), join(FIXTURES, `${test.name}.yaml`)]).objects;

function shown(shares: [string, Fraction][]): string | Record<string, string> {
  const named = Object.fromEntries(shares.filter(([, f]) => f.n > 0).map(([d, f]) => [d, showFraction(f)]));
  const names = Object.keys(named);
  return names.length === 1 && named[names[0]] === '1' ? names[0] : named;
}

/** Through the Gateway model (gateway-requests.ts): listeners, every attached route, precedence across routes. */
function answer(test: UpstreamTest, c: Case): string | Record<string, string> | 404 {
  const result = routeGatewayRequest(new ObjectIndex(load(test)), { namespace: NS, name: test.gateway ?? 'same-namespace' }, {
    host: 'example.com', path: '/', ...c.request,
  } as GatewayRequest);
  if (result.status === 404) return 404;
  return shown([...result.shares].map(([d, f]) => [d.replace(`${NS}/`, ''), f]));
}

/** The Deployments the report puts in some canary. */
function canaryDeployments(test: UpstreamTest): Set<string> {
  return new Set(analyze(load(test).map((o) => ({ file: 'f', object: o.object }))).canaries.flatMap((c) => c.tracks.map((t) => t.deployment)));
}

/** Through what the report prints: the first route of the canary that takes the request (its `when`), its shares per track. */
function reported(test: UpstreamTest, c: Case): string | Record<string, string> | 404 {
  const request = { host: 'example.com', path: '/', ...c.request };
  const [path, search = ''] = request.path.split('?');
  const query = Object.fromEntries(search.split('&').filter(Boolean).map((p) => p.split('=')));
  const headers = { host: request.host, ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  const sample = { headers, path, query, method: request.method ?? (request.grpc ? 'POST' : 'GET') };
  const kind = request.grpc ? 'GRPCRoute' : 'HTTPRoute';
  const answers = analyze(load(test).map((o) => ({ file: 'f', object: o.object }))).canaries
    .filter((canary) => (canary.entryPoints ?? []).some((e) => e.host === '*' || hostTakes(e.host ?? '*', request.host)) && canary.entries.some((e) => e.includes(kind)))
    .map((canary) => {
      const route = canary.routes.find((r) => takes(r.when, sample));
      return route ? shown(canary.tracks.map((t, j) => [t.deployment, route.shares[j]])) : 404;
    });
  return answers.find((a) => a !== 404) ?? 404;
}

describe.each(TESTS.map((t) => [t.name, t] as const))('Gateway API conformance, conformance/tests/%s.go', (_, upstream) => {
  test.each(upstream.cases.map((c, i) => [i, JSON.stringify(c.request), c] as const))('case %i: %s', (__, ___, c) => {
    expect(answer(upstream, c)).toEqual(c.expect);
    // The report's own canary view agrees: the Gateway's routes merged into one canary. A route
    // to one Deployment alone is no canary (grpcroute-listener-hostname-matching's bar.com): the
    // canary view has no route for it, and must not claim the request for another backend.
    const inCanary = typeof c.expect !== 'string' || canaryDeployments(upstream).has(c.expect);
    expect(reported(upstream, c)).toEqual(inCanary ? c.expect : 404);
  });
});

test('every upstream Gateway API fixture is replayed', () => {
  expect(TESTS.map((t) => t.name).sort()).toEqual([
    'grpcroute-exact-method-matching', 'grpcroute-header-matching', 'grpcroute-listener-hostname-matching', 'grpcroute-weight', 'httproute-header-matching',
    'httproute-matching', 'httproute-matching-across-routes', 'httproute-method-matching', 'httproute-path-match-order', 'httproute-query-param-matching', 'httproute-weight',
  ]);
  expect(TESTS.reduce((n, t) => n + t.cases.length, 0)).toBe(86);
});
