import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { safeSynth } from '../src';

const GOOD = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
`;
const BAD_WEIGHTS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
spec:
  http:
    - route:
        - { destination: { host: web, subset: stable }, weight: 90 }
        - { destination: { host: web, subset: canary }, weight: 20 }
`;

/** A project whose app writes `files` into CDK8S_OUTDIR and exits with `exitCode`. */
function project(files: Record<string, string>, exitCode = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'safe-synth-'));
  writeFileSync(join(dir, 'app.js'), `
    const fs = require('fs'); const path = require('path');
    const files = ${JSON.stringify(files)};
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(process.env.CDK8S_OUTDIR, name)), { recursive: true });
      fs.writeFileSync(path.join(process.env.CDK8S_OUTDIR, name), text);
    }
    process.exit(${exitCode});
  `);
  writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\noutput: dist\n');
  return dir;
}

/** Every file under dist/, with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const dist = join(dir, 'dist');
  const entries = readdirSync(dist, { recursive: true, encoding: 'utf8' }).sort();
  return Object.fromEntries(entries.map((f) => [f, statSync(join(dist, f)).isDirectory() ? 'dir' : readFileSync(join(dist, f), 'utf8')]));
}

/** A project with a committed dist/ from a first, good synth; then the app is replaced. */
function projectWithDist(nextFiles: Record<string, string>, exitCode = 0): { dir: string; before: Record<string, string> } {
  const dir = project({ 'old.k8s.yaml': GOOD, 'nested/old.k8s.yaml': GOOD.replace('web', 'api') });
  expect(safeSynth({ projectDir: dir }).ok).toBe(true);
  const before = snapshot(dir);
  const next = project(nextFiles, exitCode);
  writeFileSync(join(dir, 'app.js'), readFileSync(join(next, 'app.js')));
  return { dir, before };
}

describe('safe synth', () => {
  test('writes the checked output and replaces the previous one entirely', () => {
    const { dir } = projectWithDist({ 'new.k8s.yaml': GOOD });
    const result = safeSynth({ projectDir: dir });
    expect(result).toMatchObject({ ok: true, files: ['new.k8s.yaml'], objects: 1, errors: [] });
    expect(snapshot(dir)).toEqual({ 'new.k8s.yaml': GOOD });
    expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
  });

  test.each([
    ['the app fails', {}, 1, /the app "node app.js" failed \(exit code 1\)/],
    ['the app writes nothing', {}, 0, /synthesized no objects/],
    ['the output is not YAML', { 'a.k8s.yaml': 'kind: [unclosed\n' }, 0, /unparsable YAML: a\.k8s\.yaml#0/],
    ['an object breaks an invariant', { 'a.k8s.yaml': BAD_WEIGHTS }, 0, /a\.k8s\.yaml VirtualService\/web: http\[0\] route weights sum to 110, not 100/],
    ['an object has no name', { 'a.k8s.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {}\n' }, 0, /has no metadata\.name/],
  ] as [string, Record<string, string>, number, RegExp][])('leaves dist/ byte-for-byte untouched when %s', (_, files, exitCode, error) => {
    const { dir, before } = projectWithDist(files, exitCode);
    const result = safeSynth({ projectDir: dir });
    expect(result.ok).toBe(false);
    expect(result.errors.join('\n')).toMatch(error);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
  });

  test('works without a previous output', () => {
    const dir = project({ 'a.k8s.yaml': GOOD });
    expect(safeSynth({ projectDir: dir, output: 'out' })).toMatchObject({ ok: true, output: join(dir, 'out') });
    expect(readFileSync(join(dir, 'out', 'a.k8s.yaml'), 'utf8')).toBe(GOOD);
  });

  test('the CLI exits 1 on failure, 0 on success, 2 on usage errors', () => {
    const root = join(__dirname, '..');
    const cli = (dir: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args, '--project', dir], { cwd: root, encoding: 'utf8' });
    const { dir, before } = projectWithDist({ 'a.k8s.yaml': BAD_WEIGHTS });
    const failed = cli(dir, 'synth');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('cdk8s-canary synth: FAILED');
    expect(snapshot(dir)).toEqual(before);
    writeFileSync(join(dir, 'app.js'), readFileSync(join(project({ 'a.k8s.yaml': GOOD }), 'app.js')));
    const ok = cli(dir, 'synth');
    expect([ok.status, ok.stdout]).toEqual([0, `cdk8s-canary synth: 1 objects in 1 files checked and written to ${join(dir, 'dist')}\n`]);
    expect(cli(dir, 'deploy').status).toBe(2);
    expect(cli(dir, 'synth', '--bogus').status).toBe(2);
  });
});
