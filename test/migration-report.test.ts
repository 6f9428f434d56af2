import { Chart, Testing } from 'cdk8s';
import { spawnSync } from 'child_process';
import { join } from 'path';

import { CanaryMatch, GatewayCanary, IstioCanary, NginxCanary } from '../src';
import { LoadedObject } from '../src/checks/load';
import { analyze } from '../src/report/analyze';
import { CanaryChange, diffReports } from '../src/report/diff';
import { sampleOfRegex } from '../src/report/model/requests';
import { renderJson } from '../src/report/render';

const ROOT = join(__dirname, '..');
const v1 = { image: 'registry.example.com/web:3.1.0', replicas: 3 };
const v2 = { image: 'registry.example.com/web:3.2.0', replicas: 2 };

function objects(build: (chart: Chart) => unknown, namespace: string): LoadedObject[] {
  const chart = new Chart(Testing.app(), namespace, { namespace });
  build(chart);
  return Testing.synth(chart).map((object) => ({ file: `${namespace}.yaml`, object }));
}
const nginx = (weight: number, match?: CanaryMatch[]) => objects((chart) => new NginxCanary(chart, 'web', { port: 8080, stable: v1, canary: v2, host: 'shop.example.com', weight, match }), 'old');
const gateway = (weight: number, match?: CanaryMatch[], extra = {}) => objects((chart) => new GatewayCanary(chart, 'web', {
  port: 8080, stable: v1, canary: v2, gateway: { name: 'eg', namespace: 'gateways' }, hostnames: ['shop.example.com'], weight, match, ...extra,
}), 'new');
const migrated = (before: LoadedObject[], after: LoadedObject[]): CanaryChange => {
  const changes = diffReports(analyze(before), analyze(after));
  expect(changes.map((c) => c.status)).toEqual(['migrated']);
  return changes[0];
};

describe('report --base across routers (migration)', () => {
  test('NginxCanary → GatewayCanary with the same weight and header rules: same traffic', () => {
    const match = [{ headers: { 'x-canary': 'always' } }];
    const change = migrated(nginx(30, match), gateway(30, match));
    expect(change.sameTraffic).toBe(true);
    expect(change.changes).toEqual(['same traffic: 2 request classes at shop.example.com/ reach the same tracks with the same shares']);
    expect(change.title).toBe('web (NginxCanary old/web → GatewayCanary)');
  });

  test('a cookie route: "always" moves over, but ingress-nginx\'s "never" (main backend, no weight) has no Gateway API equivalent', () => {
    const change = migrated(nginx(30, [{ cookie: 'beta' }]), gateway(30, [{ cookie: 'beta' }]));
    expect(change.changes).toEqual([
      'shop.example.com/ (cookie: beta=never): stable 1 (100 %) before, stable 7/10 (70 %), canary 3/10 (30 %) after',
    ]);
  });

  test('a weight that moved and a header rule that was lost are each named with both sides', () => {
    const change = migrated(nginx(30, [{ headers: { 'x-canary': 'always' } }]), gateway(20));
    expect(change.sameTraffic).toBe(false);
    expect(change.changes).toEqual([
      'shop.example.com/ (a request with none of the conditions): stable 7/10 (70 %), canary 3/10 (30 %) before, stable 4/5 (80 %), canary 1/5 (20 %) after',
      'shop.example.com/ (x-canary: always): canary 1 (100 %) before, stable 4/5 (80 %), canary 1/5 (20 %) after',
    ]);
  });

  test('IstioCanary → mesh GatewayCanary on an ambient waypoint: same traffic; the pods must match too', () => {
    const match = [{ headers: { 'end-user': 'testers' }, weight: 50 }];
    const istio = objects((chart) => new IstioCanary(chart, 'hello', { port: 8080, stable: v1, canary: v2, weight: 10, match }), 'old');
    const ambient = (canary = v2) => objects((chart) => new GatewayCanary(chart, 'hello', {
      port: 8080, stable: v1, canary, weight: 10, match, mesh: true, waypoint: 'waypoint',
    }), 'new');
    expect(migrated(istio, ambient()).changes).toEqual(['same traffic: 2 request classes at service hello reach the same tracks with the same shares']);
    expect(migrated(istio, ambient({ image: 'registry.example.com/web:3.3.0', replicas: 2 })).changes).toEqual([
      'canary runs registry.example.com/web:3.2.0 before, registry.example.com/web:3.3.0 after',
    ]);
  });

  test('a pattern with no sure sample is said not to be compared, never counted as same', () => {
    const change = migrated(nginx(10, [{ headerRegex: { 'x-user': 'qa-[0-9]+' } }]), gateway(10, [{ headerRegex: { 'x-user': 'qa-[0-9]+' } }]));
    expect(change.changes.filter((l) => l.startsWith('not compared: '))).toHaveLength(2);
  });

  test('sample values: literals, anchored literals and the library\'s cookie pattern', () => {
    expect(sampleOfRegex('^always$')).toBe('always');
    expect(sampleOfRegex('^(?:qa\\.team)$')).toBe('qa.team');
    expect(sampleOfRegex('^(.*;\\s*)?beta=always(\\s*;.*)?$')).toBe('beta=always');
    expect(sampleOfRegex('qa-[0-9]+')).toBeUndefined();
  });

  test('JSON carries the status and sameTraffic beside schemaVersion', () => {
    const before = analyze(nginx(30));
    const after = analyze(gateway(30));
    const json = JSON.parse(renderJson(after, diffReports(before, after)));
    expect(json.schemaVersion).toBe(1);
    expect(json.changes).toEqual([expect.objectContaining({ status: 'migrated', sameTraffic: true, strategy: 'GatewayCanary' })]);
    // Each route carries the requests it takes, structured, for a pipeline that replays requests.
    expect(json.canaries[0].entryPoints).toEqual([{ host: 'shop.example.com', path: '/' }]);
    expect(json.canaries[0].routes[0].when).toEqual([[{ on: 'path', match: 'within', value: '/' }]]);
  });

  test('the CLI: the example app\'s pairs pass --expect-same-traffic, a changed weight fails it', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', 'report', ...args], { cwd: ROOT, encoding: 'utf8' });
    const nginxPair = run('dist/example-com-header-gateway.k8s.yaml', '--base', 'dist/example-com-header.k8s.yaml', '--expect-same-traffic');
    expect(nginxPair.stdout).toContain('same traffic: 2 request classes at header.example.com/');
    expect(nginxPair.status).toBe(0);
    const istioPair = run('dist/hello-ambient-weight-10.k8s.yaml', '--base', 'dist/hello-istio-weight-10.k8s.yaml', '--expect-same-traffic');
    expect(istioPair.stdout).toContain('same traffic: 2 request classes at service hello');
    expect(istioPair.status).toBe(0);
    const changed = run('dist/hello-istio-weight-10.k8s.yaml', '--base', 'dist/hello-istio-testers.k8s.yaml', '--expect-same-traffic');
    expect(changed.status).toBe(1);
    expect(run('dist', '--expect-same-traffic').status).toBe(2);
  });
});
