#!/usr/bin/env node
// Compares `cdk8s-canary report` with the independent traffic oracle (../shared/tools/k8scheck/
// traffic.mjs) on every canary of dist/: for an ordinary request at each entry point, both must
// give every Deployment the same exact share. Run by .ci/run when ../shared exists.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const oracle = join(process.env.K8SCHECK ?? join(root, '..', 'shared', 'tools', 'k8scheck'), 'traffic.mjs');
const report = JSON.parse(execFileSync('node', ['--import', 'tsx', join(root, 'src', 'cli', 'cli.ts'), 'report', 'dist', '--format', 'json'], { cwd: root, encoding: 'utf8' }));

/** The oracle's entry for a report entry; undefined for what the oracle does not model (GRPCRoute). */
function oracleEntry(entry, canary) {
  let m;
  if ((m = /^service (\S+) \(mesh, namespace (\S+)\)$/.exec(entry))) return m[1].includes('.') ? undefined : `service:${m[1]}.${m[2]}`;
  if ((m = /^service (\S+)\.(\S+) \(mesh, HTTPRoute\)$/.exec(entry))) return `service:${m[1]}.${m[2]}`;
  if ((m = /^service (\S+)\.(\S+) \(/.exec(entry))) return canary.strategy === 'ReplicaCanary' ? `service:${m[1]}.${m[2]}` : undefined;
  if ((m = /^gateway \S+: (\S+) \(HTTPRoute\)$/.exec(entry))) return `gateway:${m[1]}/`;
  if ((m = /^ingress (\S+) \(/.exec(entry))) return m[1].startsWith('(any host)') ? undefined : `ingress:${m[1]}`;
  return undefined;
}

const fractionOf = (text) => { const [n, d = '1'] = text.split('/'); return Number(n) / Number(d); };
let failures = 0;
let compared = 0;
for (const canary of report.canaries) {
  const last = canary.routes[canary.routes.length - 1];
  const ours = { [canary.stable.deployment]: last.stable.fraction, ...(canary.canary ? { [canary.canary.deployment]: last.canary.fraction } : {}) };
  const expected = Object.fromEntries(Object.entries(ours).filter(([, f]) => f !== '0'));
  for (const entry of canary.entries) {
    const target = oracleEntry(entry, canary);
    if (!target) continue;
    let result;
    try {
      result = JSON.parse(execFileSync('node', [oracle, join(root, 'dist', canary.file), '--entry', target, '--json'], { encoding: 'utf8' }));
    } catch (e) {
      result = e.stdout ? JSON.parse(e.stdout) : { exact: { deployments: {} } };
    }
    // The oracle sees every Deployment behind the entry (a migration step's bridge too): compare the canary's own.
    const theirs = Object.fromEntries(Object.entries(result.exact.deployments).map(([k, v]) => [k.split('/').pop(), v])
      .filter(([k, v]) => k in ours && v !== '0'));
    const total = Object.values(theirs).reduce((a, v) => a + fractionOf(v), 0);
    const same = JSON.stringify(Object.keys(theirs).sort()) === JSON.stringify(Object.keys(expected).sort())
      && Object.entries(expected).every(([k, v]) => Math.abs(fractionOf(v) * total - fractionOf(theirs[k])) < 1e-9);
    compared++;
    if (!same) failures++;
    console.log(`${same ? 'ok  ' : 'FAIL'} ${canary.namespace}/${canary.name} ${target}: report ${JSON.stringify(expected)}, oracle ${JSON.stringify(theirs)}`);
  }
}
console.log(`report vs oracle: ${compared - failures} agree, ${failures} differ`);
process.exit(failures > 0 ? 1 : 0);
