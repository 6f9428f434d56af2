import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { SYNTH_RECORD } from '../src/cli/output-dir';
import { SafeSynth } from '../src/cli/safe-synth';

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

const ROOT = join(__dirname, '..');
/** Runs the real CLI on project `dir`. */
const cli = (dir: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args, '--project', dir], { cwd: ROOT, encoding: 'utf8' });

/** Every file under dist/, with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const dist = join(dir, 'dist');
  // The synth's record of its files is checked on its own (below).
  const entries = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f !== SYNTH_RECORD).sort();
  return Object.fromEntries(entries.map((f) => [f, statSync(join(dist, f)).isDirectory() ? 'dir' : readFileSync(join(dist, f), 'utf8')]));
}

/** A project with a committed dist/ from a first, good synth; then the app is replaced. */
async function projectWithDist(nextFiles: Record<string, string>, exitCode = 0): Promise<{ dir: string; before: Record<string, string> }> {
  const dir = project({ 'old.k8s.yaml': GOOD, 'nested/old.k8s.yaml': GOOD.replace('web', 'api') });
  expect((await SafeSynth.run({ projectDir: dir })).ok).toBe(true);
  const before = snapshot(dir);
  const next = project(nextFiles, exitCode);
  writeFileSync(join(dir, 'app.js'), readFileSync(join(next, 'app.js')));
  return { dir, before };
}

describe('safe synth', () => {
  test('writes the checked output and replaces the previous one entirely', async () => {
    const { dir } = await projectWithDist({ 'new.k8s.yaml': GOOD });
    const result = await SafeSynth.run({ projectDir: dir });
    expect(result).toMatchObject({ ok: true, files: ['new.k8s.yaml'], objects: 1, errors: [] });
    expect(snapshot(dir)).toEqual({ 'new.k8s.yaml': GOOD });
    expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
  });

  test.each([
    ['the app fails', {}, 1, /the app "node app.js" failed \(exit code 1\)/],
    ['the app writes nothing', {}, 0, /synthesized no objects/],
    ['the output is not YAML', { 'a.k8s.yaml': 'kind: [unclosed\n' }, 0, /unparsable YAML: a\.k8s\.yaml#0/],
    ['an object breaks an invariant', { 'a.k8s.yaml': BAD_WEIGHTS }, 0, /a\.k8s\.yaml VirtualService\/web \(spec\.http\[0\]\.route\): http\[0\] route weights sum to 110, not 100/],
    ['an object has no name', { 'a.k8s.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {}\n' }, 0, /has no metadata\.name/],
  ] as [string, Record<string, string>, number, RegExp][])('leaves dist/ byte-for-byte untouched when %s', async (_, files, exitCode, error) => {
    const { dir, before } = await projectWithDist(files, exitCode);
    const result = await SafeSynth.run({ projectDir: dir });
    expect(result.ok).toBe(false);
    expect(result.errors.join('\n')).toMatch(error);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
  });

  test('works without a previous output', async () => {
    const dir = project({ 'a.k8s.yaml': GOOD });
    expect(await SafeSynth.run({ projectDir: dir, output: 'out' })).toMatchObject({ ok: true, output: join(dir, 'out') });
    expect(readFileSync(join(dir, 'out', 'a.k8s.yaml'), 'utf8')).toBe(GOOD);
  });

  test('the CLI exits 1 on failure, 0 on success, 2 on usage errors', async () => {
    const { dir, before } = await projectWithDist({ 'a.k8s.yaml': BAD_WEIGHTS });
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

  describe('never loses a file it should keep (the real CLI)', () => {
    test('refuses an output that is the project or an ancestor of it, changing nothing', async () => {
      const { dir, before } = await projectWithDist({ 'a.k8s.yaml': GOOD });
      for (const output of ['.', '..', '/', dir]) {
        const run = cli(dir, 'synth', '--output', output);
        expect(run.status).toBe(2);
        expect(run.stderr).toContain('is the project directory or contains it');
      }
      expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
      expect(snapshot(dir)).toEqual(before);
    });

    test('updates a symlinked output through the link, which stays a link', async () => {
      const dir = project({ 'a.k8s.yaml': GOOD });
      const target = mkdtempSync(join(tmpdir(), 'safe-synth-target-'));
      writeFileSync(join(target, 'old.k8s.yaml'), GOOD);
      symlinkSync(target, join(dir, 'dist'));
      const run = cli(dir, 'synth');
      expect(run.status).toBe(0);
      expect(fs.lstatSync(join(dir, 'dist')).isSymbolicLink()).toBe(true);
      // old.k8s.yaml was not written by a safe synth (no record): kept, never deleted on a guess.
      expect(readdirSync(target).sort()).toEqual([SYNTH_RECORD, 'a.k8s.yaml', 'old.k8s.yaml']);
    });

    test('keeps files it did not write (.git/, kustomization.yaml, README.md) and says so', async () => {
      const { dir } = await projectWithDist({ 'new.k8s.yaml': GOOD });
      mkdirSync(join(dir, 'dist', '.git', 'refs'), { recursive: true });
      writeFileSync(join(dir, 'dist', '.git', 'refs', 'main'), 'abc\n');
      writeFileSync(join(dir, 'dist', 'kustomization.yaml'), 'resources: [new.k8s.yaml]\n');
      writeFileSync(join(dir, 'dist', 'README.md'), '# ours\n');
      const run = cli(dir, 'synth');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('kept what it does not write: .git, README.md, kustomization.yaml');
      expect(snapshot(dir)).toEqual({
        '.git': 'dir', '.git/refs': 'dir', '.git/refs/main': 'abc\n', 'README.md': '# ours\n',
        'kustomization.yaml': 'resources: [new.k8s.yaml]\n', 'new.k8s.yaml': GOOD,
      });
    });

    test('restores the output an app with a fixed outdir wrote into, and fails', async () => {
      const { dir, before } = await projectWithDist({});
      writeFileSync(join(dir, 'app.js'), `
        const fs = require('fs');
        fs.writeFileSync('dist/old.k8s.yaml', 'kind: Broken\\n');
        fs.writeFileSync('dist/extra.k8s.yaml', 'kind: Extra\\n');
      `);
      const run = cli(dir, 'synth');
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('the app wrote into');
      expect(run.stderr).toContain('extra.k8s.yaml, old.k8s.yaml');
      expect(snapshot(dir)).toEqual(before);
    });

    test('checks it can write before touching anything', async () => {
      const { dir, before } = await projectWithDist({ 'a.k8s.yaml': GOOD });
      const nested = join(dir, 'dist', 'nested');
      // The CLI's check, tested in-process: a root user (as in CI) can write anything, so the
      // unwritable directory is simulated where the safe synth asks.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const nodeFs: typeof fs = require('fs');
      const access = jest.spyOn(nodeFs, 'accessSync').mockImplementation((path) => {
        if (path === nested) throw new Error('EACCES');
      });
      try {
        const result = await SafeSynth.run({ projectDir: dir });
        expect(result.ok).toBe(false);
        expect(result.errors[0]).toContain(`${nested} is not writable; nothing was changed`);
      } finally {
        access.mockRestore();
      }
      expect(snapshot(dir)).toEqual(before);
      expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
    });

    test.each(['SIGTERM', 'SIGINT'] as const)('cleans its staging directory and keeps the output on %s', async (signal) => {
      const { dir, before } = await projectWithDist({});
      writeFileSync(join(dir, 'app.js'), `
        require('fs').writeFileSync(require('path').join(process.env.CDK8S_OUTDIR, 'half.k8s.yaml'), 'kind: Half\\n');
        setTimeout(() => {}, 60000);
      `);
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', 'synth', '--project', dir], { cwd: ROOT, stdio: 'ignore' });
      const staged = () => readdirSync(dir).filter((f) => f.startsWith('.dist.synth-'));
      for (let i = 0; i < 300 && !staged().some((s) => fs.existsSync(join(dir, s, 'half.k8s.yaml'))); i++) await new Promise((r) => setTimeout(r, 50));
      expect(staged()).toHaveLength(1);
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(staged()).toEqual([]);
      expect(snapshot(dir)).toEqual(before);
    }, 30000);
  });
});

describe('safe synth owns only the files it wrote', () => {
  const record = (dir: string) => readFileSync(join(dir, 'dist', SYNTH_RECORD), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));

  test('records what it wrote in dist/.cdk8s-canary-synth (not YAML or JSON: no GitOps tool reads it as a manifest)', async () => {
    const { dir } = await projectWithDist({ 'new.k8s.yaml': GOOD, 'chart/a.k8s.yaml': GOOD.replace('web', 'api') });
    expect((await SafeSynth.run({ projectDir: dir })).ok).toBe(true);
    expect(record(dir)).toEqual(['chart/a.k8s.yaml', 'new.k8s.yaml']);
  });

  test('a hand-written monitoring.k8s.yaml in the output is kept, not taken for its own', async () => {
    const { dir } = await projectWithDist({ 'new.k8s.yaml': GOOD });
    writeFileSync(join(dir, 'dist', 'monitoring.k8s.yaml'), GOOD.replace('web', 'prometheus'));
    const result = await SafeSynth.run({ projectDir: dir });
    expect(result).toMatchObject({ ok: true, kept: ['monitoring.k8s.yaml'] });
    expect(snapshot(dir)).toEqual({ 'monitoring.k8s.yaml': GOOD.replace('web', 'prometheus'), 'new.k8s.yaml': GOOD });
  });

  test('an output from before the record: only the files written again are replaced, the others kept', async () => {
    const dir = project({ 'a.k8s.yaml': GOOD });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'a.k8s.yaml'), 'old\n');
    writeFileSync(join(dir, 'dist', 'stale.k8s.yaml'), 'maybe someone\'s\n');
    const result = await SafeSynth.run({ projectDir: dir });
    expect(result).toMatchObject({ ok: true, kept: ['stale.k8s.yaml'] });
    expect(snapshot(dir)).toEqual({ 'a.k8s.yaml': GOOD, 'stale.k8s.yaml': 'maybe someone\'s\n' });
  });

  test('an app that starts writing the name of a file it did not write fails, changing nothing', async () => {
    const { dir } = await projectWithDist({ 'old.k8s.yaml': GOOD, 'mine.k8s.yaml': GOOD.replace('web', 'mine') });
    writeFileSync(join(dir, 'dist', 'mine.k8s.yaml'), 'hand-written\n');
    const before = snapshot(dir);
    const result = await SafeSynth.run({ projectDir: dir });
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toContain('the app now writes mine.k8s.yaml, which is a file in');
    expect(snapshot(dir)).toEqual(before);
  });

  test.each([
    ['with a record', true],
    ['without a record (the ENOTEMPTY case)', false],
  ])('a kustomization.yaml inside a chart folder is kept, %s', async (_, withRecord) => {
    const dir = project({ 'chart/a.k8s.yaml': GOOD });
    if (withRecord) expect((await SafeSynth.run({ projectDir: dir })).ok).toBe(true);
    mkdirSync(join(dir, 'dist', 'chart'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'chart', 'kustomization.yaml'), 'resources: [a.k8s.yaml]\n');
    const run = cli(dir, 'synth');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(snapshot(dir)).toEqual({ chart: 'dir', 'chart/a.k8s.yaml': GOOD, 'chart/kustomization.yaml': 'resources: [a.k8s.yaml]\n' });
  });

  test('concurrent runs take turns: a failing run never undoes a succeeding one, and every success is what stays', async () => {
    const { dir } = await projectWithDist({});
    writeFileSync(join(dir, 'app.js'), `
      const fs = require('fs'); const path = require('path');
      setTimeout(() => {
        if (process.env.RUN === 'fail') process.exit(1);
        fs.writeFileSync(path.join(process.env.CDK8S_OUTDIR, 'run.k8s.yaml'), ${JSON.stringify(GOOD)}.replace('web', 'run-' + process.env.RUN));
      }, 300);
    `);
    const run = (name: string) => new Promise<number | null>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', 'synth', '--project', dir], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, RUN: name } });
      child.on('exit', (code) => done(code));
    });
    const codes = await Promise.all(['fail', 'a', 'fail', 'b', 'c', 'fail', 'd', 'e'].map(run));
    expect(codes).toEqual([1, 0, 1, 0, 0, 1, 0, 0]);
    const after = snapshot(dir);
    expect(Object.keys(after)).toEqual(['run.k8s.yaml']);
    expect(after['run.k8s.yaml']).toMatch(/name: run-[a-e]/);
    expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
  }, 60000);
});

describe('safe synth refuses YAML kubectl cannot read, with exit 1', () => {
  // Nine levels of nine aliases each: 9^9 nodes once expanded.
  const letters = 'abcdefghi';
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]',
    ...[...letters.slice(1)].map((l, i) => `${l}: &${l} [${Array(9).fill(`*${letters[i]}`).join(',')}]`)];
  const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\n`;
  test.each([
    ['an alias bomb', Buffer.from(`${configMap('bomb')}data:\n${bomb.map((line) => `  ${line}`).join('\n')}\n`), /aliases that expand this far are refused/],
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from(`${configMap('latin1')}data: { a: "caf`), Buffer.from([0xe9]), Buffer.from('" }\n')]), /is not valid UTF-8, which kubectl cannot read/],
  ])('%s', async (_, bytes, error) => {
    const { dir, before } = await projectWithDist({});
    writeFileSync(join(dir, 'app.js'), `require('fs').writeFileSync(require('path').join(process.env.CDK8S_OUTDIR, 'x.k8s.yaml'), Buffer.from(${JSON.stringify([...bytes])}));`);
    const run = cli(dir, 'synth');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(error);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('safe synth lock', () => {
  test('a lock left by a process that is gone is taken over; a live one is waited for, then refused', async () => {
    const { dir } = await projectWithDist({ 'old.k8s.yaml': GOOD });
    const lock = join(dir, '.dist.synth.lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(lock, `${gone}\n`);
    expect((await SafeSynth.run({ projectDir: dir })).ok).toBe(true);
    expect(fs.existsSync(lock)).toBe(false);
    writeFileSync(lock, `${process.pid}\n`);
    await expect(SafeSynth.run({ projectDir: dir, lockTimeoutMs: 300 })).rejects.toThrow(`another synth (pid ${process.pid}) has held ${lock} for 0 s; nothing was changed`);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    fs.rmSync(lock);
    expect(readdirSync(dir).sort()).toEqual(['app.js', 'cdk8s.yaml', 'dist']);
  });
});
