#!/usr/bin/env node
// Compares `cdk8s-canary report` with the independent traffic oracle (../shared/tools/k8scheck/
// traffic.mjs) on every canary of dist/ and of the hand-written fixtures: for an ordinary request
// at each entry point, both must give every Deployment the same exact share. Run by .ci/run when
// ../shared exists.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const oracle = join(process.env.K8SCHECK ?? join(root, '..', 'shared', 'tools', 'k8scheck'), 'traffic.mjs');
const DIRS = ['dist', join('test', 'fixtures', 'hand-written')];
const reportOf = (dir) => {
  try {
    return JSON.parse(execFileSync('node', ['--import', 'tsx', join(root, 'src', 'cli', 'cli.ts'), 'report', dir, '--format', 'json'], { cwd: root, encoding: 'utf8' }));
  } catch (e) {
    // Exit 1: the fixtures carry the scenarios' own mistakes; the JSON is still the report.
    return JSON.parse(e.stdout);
  }
};

/** The oracle's entry for a report entry; undefined for what the oracle does not model (GRPCRoute). */
function oracleEntry(entry, canary) {
  let m;
  // A VirtualService host: a short name, or `<service>.<namespace>.svc.cluster.local`.
  if ((m = /^service (\S+) \(mesh, namespace (\S+)\)$/.exec(entry))) {
    const [name, namespace = m[2], svc] = m[1].split('.');
    return !m[1].includes('.') || svc === 'svc' ? `service:${name}.${namespace}` : undefined;
  }
  if ((m = /^service (\S+)\.(\S+) \(mesh, HTTPRoute\)$/.exec(entry))) return `service:${m[1]}.${m[2]}`;
  if ((m = /^service (\S+)\.(\S+) \(/.exec(entry))) return canary.strategy === 'ReplicaCanary' ? `service:${m[1]}.${m[2]}` : undefined;
  if ((m = /^gateway \S+: (\S+) \(HTTPRoute\)$/.exec(entry))) return `gateway:${m[1]}/`;
  if ((m = /^ingress (\S+) \(/.exec(entry))) return m[1].startsWith('(any host)') ? undefined : `ingress:${m[1]}`;
  if ((m = /^alb (\S+) \(/.exec(entry))) return m[1].startsWith('(any host)') ? undefined : `alb:${m[1]}`;
  return undefined;
}

const fractionOf = (text) => { const [n, d = '1'] = text.split('/'); return Number(n) / Number(d); };
let failures = 0;
let compared = 0;
for (const dir of DIRS) {
  for (const canary of reportOf(dir).canaries) {
    canary.entries.forEach((entry, i) => {
      const target = oracleEntry(entry, canary);
      if (!target) return;
      // A replica canary has one route per Service (entry i); a router's ordinary request takes its last route.
      const route = canary.strategy === 'ReplicaCanary' ? canary.routes[i] : canary.routes[canary.routes.length - 1];
      const expected = Object.fromEntries(route.shares.filter((s) => s.fraction !== '0').map((s) => [s.deployment, s.fraction]));
      let result;
      try {
        result = JSON.parse(execFileSync('node', [oracle, join(root, dir, canary.file), '--entry', target, '--json'], { encoding: 'utf8' }));
      } catch (e) {
        result = e.stdout ? JSON.parse(e.stdout) : { exact: { deployments: {} } };
      }
      // Every Deployment behind the entry, the report's tracks include other Deployments reached: exact equality.
      const theirs = Object.fromEntries(Object.entries(result.exact.deployments).map(([k, v]) => [k.split('/').pop(), v]).filter(([, v]) => v !== '0'));
      const same = JSON.stringify(Object.keys(theirs).sort()) === JSON.stringify(Object.keys(expected).sort())
        && Object.entries(expected).every(([k, v]) => Math.abs(fractionOf(v) - fractionOf(theirs[k])) < 1e-12);
      compared++;
      if (!same) failures++;
      console.log(`${same ? 'ok  ' : 'FAIL'} ${dir} ${canary.namespace}/${canary.name} ${target}: report ${JSON.stringify(expected)}, oracle ${JSON.stringify(theirs)}`);
    });
  }
}
console.log(`report vs oracle: ${compared - failures} agree, ${failures} differ`);
process.exit(failures > 0 ? 1 : 0);
