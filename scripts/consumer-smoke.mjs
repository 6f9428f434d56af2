#!/usr/bin/env node
// The consumer smoke test `.ci/run` runs after `npm run package`: installs the packed tarball into
// fresh apps the way users do, and synthesizes one construct of each strategy from CommonJS and
// from ESM, so a broken `files` list, export or bundled dependency never lands.
//   node scripts/consumer-smoke.mjs [dist-jsii/js/cdk8s-canary@x.jsii.tgz]
// A second app has cdk8s-plus-33 installed next to cdk8s-plus-28, as `cdk8s init` scaffolds today.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tarball = resolve(process.argv[2] ?? join(root, 'dist-jsii', 'js', readdirSync(join(root, 'dist-jsii', 'js')).find((f) => f.endsWith('.tgz'))));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const version = (name) => lock.packages[`node_modules/${name}`].version;
const peers = ['cdk8s', 'cdk8s-plus-28', 'constructs'].map((name) => `${name}@${version(name)}`);

const BUILD = `
  const app = new App();
  const chart = new Chart(app, 'smoke', { namespace: 'smoke' });
  const stable = { image: 'registry.example.com/web:1.0.0' };
  const canary = { image: 'registry.example.com/web:1.1.0' };
  new ReplicaCanary(chart, 'replica', { stable, canary, replicas: 4, weight: 25 });
  new IstioCanary(chart, 'istio', { stable, canary, weight: 10, match: [{ headers: { 'X-Canary': 'always' } }] });
  new GatewayCanary(chart, 'gateway', { stable, canary, weight: 10, gateway: { name: 'eg' } });
  new NginxCanary(chart, 'nginx', { stable, canary, weight: 10, host: 'web.example.com' });
  let refused = '';
  try { new ReplicaCanary(chart, 'bad', { stable, weight: 150 }); } catch (e) { refused = CanaryErrors.isCanaryConfigError(e) ? e.message : 'wrong error'; }
  process.stdout.write(JSON.stringify({ yaml: app.synthYaml(), refused }));
`;
const CJS = `const { App, Chart } = require('cdk8s');
const { ReplicaCanary, IstioCanary, GatewayCanary, NginxCanary, CanaryErrors } = require('cdk8s-canary');
${BUILD}`;
const ESM = `import { App, Chart } from 'cdk8s';
import { ReplicaCanary, IstioCanary, GatewayCanary, NginxCanary, CanaryErrors } from 'cdk8s-canary';
${BUILD}`;

function check(label, output) {
  const { yaml, refused } = JSON.parse(output);
  const kinds = [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]).sort().join(',');
  // 2 Deployments and their 2 PodDisruptionBudgets per strategy; Services: replica 1, istio 1,
  // gateway 2, nginx 2; the routers.
  const expected = [...Array(8).fill('Deployment'), ...Array(8).fill('PodDisruptionBudget'), ...Array(6).fill('Service'),
    'DestinationRule', 'VirtualService', 'HTTPRoute', 'Ingress', 'Ingress'].sort().join(',');
  const problems = [];
  if (kinds !== expected) problems.push(`objects ${kinds}`);
  if (!/subset: canary\n\s+weight: 10/.test(yaml) && !/weight: 10\n/.test(yaml)) problems.push('no 10 % canary route');
  if (!yaml.includes('x-canary')) problems.push('the header route is missing');
  if (!refused.includes('ReplicaCanary smoke/bad: weight must be an integer from 0 to 100, got 150')) problems.push(`bad props: ${refused}`);
  if (problems.length > 0) throw new Error(`${label}: ${problems.join('; ')}`);
  console.log(`ok   ${label}: ${yaml.split('\n---').length} objects`);
}

function consumer(label, extra, files) {
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-consumer-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...peers, ...extra], { cwd: dir, stdio: 'inherit' });
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
      check(`${label} ${name}`, execFileSync(process.execPath, [name], { cwd: dir, encoding: 'utf8' }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

consumer('cdk8s-plus-28 app', [], { 'app.cjs': CJS, 'app.mjs': ESM });
// As `cdk8s init typescript-app` scaffolds now: cdk8s-plus-33 for the app's own objects. Plain
// props work as they are; cdk8s-plus objects passed into our props must come from cdk8s-plus-28.
const PLUS33 = `const { App, Chart } = require('cdk8s');
const plus33 = require('cdk8s-plus-33');
const { ReplicaCanary, CanaryErrors } = require('cdk8s-canary');
const app = new App();
const chart = new Chart(app, 'smoke', { namespace: 'smoke' });
new plus33.ConfigMap(chart, 'settings', { data: { LEVEL: 'info' } });
new ReplicaCanary(chart, 'web', { stable: { image: 'web:1.0.0' }, canary: { image: 'web:1.1.0' }, replicas: 4, weight: 25 });
let refused = '';
try {
  new ReplicaCanary(chart, 'probed', { stable: { image: 'web:1.0.0', readiness: plus33.Probe.fromHttpGet('/healthz') } });
} catch (e) { refused = CanaryErrors.isCanaryConfigError(e) ? e.message : 'wrong error'; }
if (!/from cdk8s-plus-33 \\d+\\.\\d+\\.\\d+, but this library takes cdk8s-plus-28 \\d+\\.\\d+\\.\\d+: import it from the cdk8s-plus-28/.test(refused)) throw new Error('a cdk8s-plus-33 Probe was not refused clearly, naming both versions: ' + refused);
const yaml = app.synthYaml();
if ((yaml.match(/^kind: Deployment$/gm) ?? []).length !== 2 || !yaml.includes('kind: ConfigMap')) throw new Error('unexpected output');
process.stdout.write(JSON.stringify({ yaml: 'ok', refused: 'ok' }));
`;
const plus33 = `cdk8s-plus-33@${process.env.CDK8S_PLUS_33_VERSION ?? '2.5.57'}`;
const dir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-consumer-'));
try {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...peers, plus33], { cwd: dir, stdio: 'inherit' });
  writeFileSync(join(dir, 'app.cjs'), PLUS33);
  execFileSync(process.execPath, ['app.cjs'], { cwd: dir, encoding: 'utf8' });
  console.log(`ok   app with ${plus33} beside cdk8s-plus-28: synthesizes; a cdk8s-plus-33 Probe is refused by name`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
