import { GatewayCanary, IstioCanary } from '../src';
import { schemaProblems } from './util/schema';
import { find, Manifest, synth } from './util/synth';

const v1 = { image: 'registry.example.com/hello:v1' };
const v2 = { image: 'registry.example.com/hello:v2' };

describe('CanaryMatch path conditions', () => {
  test('IstioCanary: a path prefix is element-wise (exactly /error, or /error/...), AND-ed with the headers', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'hello', {
      stable: v1, canary: v2, match: [{ pathPrefix: '/error', headers: { 'end-user': 'testers' } }],
    }));
    const route = find(manifests, 'VirtualService', 'hello').spec.http[0];
    expect(route.match).toEqual([
      { uri: { exact: '/error' }, headers: { 'end-user': { exact: 'testers' } } },
      { uri: { prefix: '/error/' }, headers: { 'end-user': { exact: 'testers' } } },
    ]);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('IstioCanary: exact and regex paths map to uri.exact and uri.regex; a trailing slash in a prefix is ignored', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'hello', {
      stable: v1, canary: v2, match: [{ pathExact: '/health' }, { pathRegex: '/v[0-9]+/.*' }, { pathPrefix: '/api/' }],
    }));
    const http = find(manifests, 'VirtualService', 'hello').spec.http;
    expect(http.slice(0, 3).map((r: Manifest) => r.match)).toEqual([
      [{ uri: { exact: '/health' } }], [{ uri: { regex: '/v[0-9]+/.*' } }], [{ uri: { exact: '/api' } }, { uri: { prefix: '/api/' } }],
    ]);
  });

  test('GatewayCanary: the entry\'s path replaces the route path in its rule; headers stay AND-ed', () => {
    const { manifests } = synth((chart) => new GatewayCanary(chart, 'hello', {
      stable: v1, canary: v2, gateway: { name: 'eg' }, path: '/api',
      match: [{ pathExact: '/api/v2/health', headers: { 'x-canary': 'always' } }, { pathPrefix: '/api/v2' }],
    }));
    const rules = find(manifests, 'HTTPRoute', 'hello').spec.rules;
    expect(rules.map((r: Manifest) => r.matches[0].path)).toEqual([
      { type: 'Exact', value: '/api/v2/health' }, { type: 'PathPrefix', value: '/api/v2' }, { type: 'PathPrefix', value: '/api' },
    ]);
    expect(rules[0].matches[0].headers).toEqual([{ name: 'x-canary', type: 'Exact', value: 'always' }]);
    expect(rules[1].matches[0].headers).toBeUndefined();
    expect(schemaProblems(manifests)).toEqual([]);
  });
});
