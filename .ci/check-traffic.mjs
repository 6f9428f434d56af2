#!/usr/bin/env node
// Asks the independent traffic oracle (../shared/tools/k8scheck/traffic.mjs) what share of requests
// reaches each Deployment of the example app in dist/, and fails unless every scenario splits
// exactly as its chart says. Run by .ci/run when ../shared exists.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const oracle = join(process.env.K8SCHECK ?? join(root, '..', 'shared', 'tools', 'k8scheck'), 'traffic.mjs');

/** entry, request options, expected exact share per Deployment (name as the oracle prints it). */
const SCENARIOS = [
  { entry: 'service:flask.flask', expect: { 'flask': '2/3', 'flask-canary': '1/3' } },
  ...[0, 25, 50, 75, 100].map((w) => ({
    entry: `service:notifications.notifications-weight-${w}`,
    expect: Object.fromEntries([
      ['notifications', fraction(100 - w)],
      ['notifications-canary', fraction(w)],
    ].filter(([, share]) => share !== '0')),
  })),
  ...[
    ['hello-istio-testers', '1', '1/2'],
    ['hello-istio-weight-10', '9/10', '1/2'],
    ['hello-istio-rollback', '1', '1'],
    ['hello-istio-promoted', '1', '1'],
  ].flatMap(([ns, everyone, testers]) => [
    { entry: `service:hello.${ns}`, expect: split('hello', everyone) },
    { entry: `service:hello.${ns}`, args: ['--header', 'end-user=testers'], expect: split('hello', testers) },
  ]),
  // /error goes to the canary, where the fault answers half of the requests itself (unrouted).
  { entry: 'service:svc-hello.hello-istio-fault-error/error', expect: { 'hello-canary': '1/2' }, unrouted: '1/2' },
  { entry: 'service:svc-hello.hello-istio-fault-error/error/page', expect: { 'hello-canary': '1/2' }, unrouted: '1/2' },
  { entry: 'service:svc-hello.hello-istio-fault-error/errors', expect: split('hello', '1') },
  { entry: 'service:svc-hello.hello-istio-fault-error/', expect: split('hello', '1') },
  { entry: 'service:python-service.python-dark-launch', expect: { 'python-service': '1' } },
  { entry: 'service:python-service.python-risky', expect: { 'python-service': '19/20', 'python-service-canary': '1/20' } },
  ...[10, 50, 100].map((w) => ({
    files: [`backend-gateway-weight-${w}.k8s.yaml`],
    entry: 'gateway:www.example.com/',
    expect: split('backend', fraction(100 - w)),
  })),
  { entry: 'service:backend.backend-mesh', expect: split('backend', '9/10') },
  { entry: 'ingress:example.com/', expect: split('web', '7/10') },
  { entry: 'ingress:header.example.com/', expect: split('web', '1') },
  { entry: 'ingress:header.example.com/', args: ['--header', 'X-Canary=always'], expect: split('web', '0') },
  { entry: 'ingress:header.example.com/', args: ['--header', 'X-Canary=sometimes'], expect: split('web', '1') },
  { entry: 'ingress:sticky.example.com/', expect: split('web', '7/10') },
  // The scenario's NodePort service, by props: 2 safe pods, 1 risky.
  { entry: 'service:python-service.python-nodeport', expect: { 'python-service': '2/3', 'python-service-canary': '1/3' } },
  // The svc-hello migration: every commit keeps all requests on v1, first on the hand-written
  // Deployment, then on the bridge, then on the library's own Deployment.
  ...[
    [1, { 'hello-server-v1': '1' }], [2, { 'hello-server-v1': '1' }], [3, { 'hello-server-v1': '1/2', 'hello-bridge': '1/2' }],
    [4, { 'hello-bridge': '1' }], [5, { 'hello-bridge': '1/2', 'hello': '1/2' }], [6, { 'hello': '1' }], [7, { 'hello': '1' }],
  ].map(([step, expect]) => ({ entry: `service:svc-hello.hello-migration-${step}`, expect })),
  // Autoscaled tracks: the routers' weights decide the split, whatever the autoscalers do (the
  // oracle notes that it counts minReplicas pods; for an L7 split that does not matter).
  { entry: 'service:hello.hello-istio-autoscaled', expect: split('hello', '9/10'), allowed: /are managed by HPA/ },
  { files: ['backend-gateway-autoscaled.k8s.yaml'], entry: 'gateway:www.example.com/', expect: split('backend', '3/4'), allowed: /are managed by HPA/ },
  // One service in two clusters (CanaryScope): each cluster's file on its own, as its GitOps tool applies it.
  { files: ['shop-staging.k8s.yaml'], entry: 'gateway:shop.example.com/', expect: split('storefront', '1/2') },
  { files: ['shop-production.k8s.yaml'], entry: 'gateway:shop.example.com/', expect: split('storefront', '9/10') },
  // gRPC through the Istio mesh: the SayHello method of testers goes to the canary. (The oracle
  // does not model GRPCRoute; the Gateway chart is checked by the validator and the unit tests.)
  { entry: 'service:greeter.greeter-istio/helloworld.Greeter/SayHello', args: ['--header', 'x-tester=yes'], expect: split('greeter', '0') },
  { entry: 'service:greeter.greeter-istio/helloworld.Greeter/SayHello', expect: split('greeter', '9/10') },
  { entry: 'service:greeter.greeter-istio/helloworld.Greeter/SayHelloAgain', args: ['--header', 'x-tester=yes'], expect: split('greeter', '9/10') },
  // The notifications service on ALB: 10 % per request over HTTPS (the HTTP listener only
  // redirects); the header variant sends x-canary: always (any case: ALB compares values
  // case-insensitively) to V2, everyone else to V1.
  { files: ['notifications-alb-weight-10.k8s.yaml'], entry: 'alb:canarydemo.kubeoncloud.com/', expect: split('notifications', '9/10') },
  { files: ['notifications-alb-header.k8s.yaml'], entry: 'alb:canarydemo.kubeoncloud.com/', expect: split('notifications', '1') },
  { files: ['notifications-alb-header.k8s.yaml'], entry: 'alb:canarydemo.kubeoncloud.com/', args: ['--header', 'x-canary=always'], expect: split('notifications', '0') },
  { files: ['notifications-alb-header.k8s.yaml'], entry: 'alb:canarydemo.kubeoncloud.com/orders', args: ['--header', 'X-Canary=ALWAYS'], expect: split('notifications', '0') },
  { files: ['notifications-alb-header.k8s.yaml'], entry: 'alb:canarydemo.kubeoncloud.com/', args: ['--header', 'x-canary=never'], expect: split('notifications', '1') },
  // The router migrations: the Gateway API twin of each canary splits as the original does.
  { files: ['example-com-header-gateway.k8s.yaml'], entry: 'gateway:header.example.com/', expect: split('web', '1') },
  { files: ['example-com-header-gateway.k8s.yaml'], entry: 'gateway:header.example.com/', args: ['--header', 'X-Canary=always'], expect: split('web', '0') },
  { files: ['example-com-header-gateway.k8s.yaml'], entry: 'gateway:header.example.com/', args: ['--header', 'X-Canary=sometimes'], expect: split('web', '1') },
  { entry: 'service:hello.hello-ambient-weight-10', expect: split('hello', '9/10') },
  { entry: 'service:hello.hello-ambient-weight-10', args: ['--header', 'end-user=testers'], expect: split('hello', '1/2') },
];

/** Expected shares of `<name>` and `<name>-canary` when stable gets `stableShare` ('1', '1/2', '9/10'). */
function split(name, stableShare) {
  if (stableShare === '1') return { [name]: '1' };
  if (stableShare === '0') return { [`${name}-canary`]: '1' };
  const [n, d] = stableShare.split('/').map(Number);
  return { [name]: stableShare, [`${name}-canary`]: `${d - n}/${d}` };
}

function fraction(percent) {
  const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
  const d = gcd(percent, 100);
  return percent === 100 ? '1' : percent === 0 ? '0' : `${percent / d}/${100 / d}`;
}

/**
 * dist/ as a kustomize `namespace:` overlay leaves it: every metadata.namespace moved to
 * `<namespace>-overlay`, nothing else touched. Every scenario must split the same there.
 */
function overlayCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'dist-overlay-'));
  for (const file of readdirSync(join(root, 'dist'))) {
    const docs = parseAllDocuments(readFileSync(join(root, 'dist', file), 'utf8'), { version: '1.1' }).map((d) => d.toJSON());
    for (const doc of docs) doc.metadata.namespace = `${doc.metadata.namespace ?? 'default'}-overlay`;
    writeFileSync(join(dir, file), docs.map((d) => stringify(d, { version: '1.1' })).join('---\n'));
  }
  return dir;
}
const overlay = overlayCopy();
const RUNS = [
  ...SCENARIOS.map((s) => ({ ...s, dir: join(root, 'dist') })),
  ...SCENARIOS.map((s) => ({ ...s, dir: overlay, entry: s.entry.replace(/^(service:[^.]+\.)([^/?]+)(.*)$/, '$1$2-overlay$3'), label: 'overlay' })),
];

let failures = 0;
for (const { entry, args = [], files = ['.'], expect, dir, label = '', unrouted = '0', allowed } of RUNS) {
  let result;
  try {
    result = JSON.parse(execFileSync('node', [oracle, ...files.map((f) => join(dir, f)), '--entry', entry, '--json', ...args], { encoding: 'utf8' }));
  } catch (e) {
    result = e.stdout ? JSON.parse(e.stdout) : { exact: { deployments: {} }, problems: [String(e)] };
  }
  const got = Object.fromEntries(Object.entries(result.exact.deployments).map(([k, v]) => [k.split('/').pop(), v]).filter(([, v]) => v !== '0'));
  // A scenario may name the warnings it expects (e.g. the oracle's note that an HPA moves replicas).
  const problems = result.problems.filter((p) => !(allowed && p.level === 'warning' && allowed.test(p.message)));
  const ok = JSON.stringify(sortKeys(got)) === JSON.stringify(sortKeys(expect)) && result.exact.unrouted === unrouted && problems.length === 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} ${files.join(',')} ${entry} ${args.join(' ')} -> ${JSON.stringify(got)}${ok ? '' : ` expected ${JSON.stringify(expect)}; unrouted ${result.exact.unrouted}; problems ${JSON.stringify(result.problems)}`}`);
  if (!ok) failures++;
}
console.log(`traffic: ${RUNS.length - failures} passed, ${failures} failed (${SCENARIOS.length} scenarios, in dist/ and under a namespace overlay)`);
process.exit(failures ? 1 : 0);

function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
