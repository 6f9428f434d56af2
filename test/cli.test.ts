// The command line's conventions: --version, --help per command, each command's options its own,
// and the exit codes --help documents.
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

describe('cdk8s-canary command line', () => {
  test('--version prints the package version and exits 0', () => {
    const out = run('--version');
    expect([out.status, out.stdout, out.stderr]).toEqual([0, `${VERSION}\n`, '']);
    expect(run('report', '--version').stdout).toBe(`${VERSION}\n`);
  });

  test('--help alone shows both commands with their exit codes', () => {
    const out = run('--help');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^usage: cdk8s-canary synth\|report \[OPTIONS\]/);
    expect(out.stdout).toContain('usage: cdk8s-canary synth [--app COMMAND]');
    expect(out.stdout).toContain('usage: cdk8s-canary report [DIR_OR_FILE…]');
    expect(out.stdout).toContain('exit codes: 0 checked and written; 1 failed, the output left as it was; 2 usage');
    expect(out.stdout).toContain('exit codes: 0 no problem found; 1 a problem found');
  });

  test.each([
    ['synth', '--app COMMAND', '--base DIR'],
    ['report', '--base DIR', '--app COMMAND'],
  ])('%s --help shows that command only', (command, own, other) => {
    for (const flag of ['--help', '-h']) {
      const out = run(command, flag);
      expect(out.status).toBe(0);
      expect(out.stdout).toContain(`usage: cdk8s-canary ${command}`);
      expect(out.stdout).toContain(own);
      expect(out.stdout).not.toContain(other);
      expect(out.stdout).toMatch(/exit codes: 0 /);
    }
  });

  test.each([
    [['synth', '--base', 'old'], 'cdk8s-canary synth: --base is an option of report, not of synth'],
    [['synth', '--format', 'json'], 'cdk8s-canary synth: --format is an option of report, not of synth'],
    [['report', '--output', 'out'], 'cdk8s-canary report: --output is an option of synth, not of report'],
    [['report', 'dist', '--app', 'node x.js', '--project', '.'], 'cdk8s-canary report: --app is an option of synth, not of report; --project is an option of synth, not of report'],
  ])('an option of the other command is refused with exit 2, not ignored: %j', (args, message) => {
    const out = run(...args);
    expect(out.status).toBe(2);
    expect(out.stderr.split('\n')[0]).toBe(message);
    expect(out.stdout).toBe('');
  });

  test('unknown options, unknown commands and arguments synth does not take exit 2', () => {
    const unknown = run('report', '--bogus');
    expect([unknown.status, unknown.stderr]).toEqual([2, expect.stringContaining("Unknown option '--bogus'")]);
    const command = run('deploy');
    expect([command.status, command.stderr.split('\n')[0]]).toEqual([2, 'cdk8s-canary: expected the command "synth" or "report", got "deploy"']);
    const none = run();
    expect([none.status, none.stderr.split('\n')[0]]).toEqual([2, 'cdk8s-canary: expected the command "synth" or "report"']);
    const extra = run('synth', 'dist');
    expect([extra.status, extra.stderr.split('\n')[0]]).toEqual([2, 'cdk8s-canary synth: takes no arguments, got "dist"']);
  });

  test('report exits 1 on YAML kubectl cannot read and 2 on a path that is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-cli-'));
    writeFileSync(join(dir, 'broken.yaml'), 'a: [\n');
    const broken = run('report', dir);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('broken.yaml#0: Flow sequence in block collection');
    const missing = run('report', join(dir, 'absent'));
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('cdk8s-canary report: ENOENT')]);
  });

  test('report still reads the committed dist/ and exits 0 on it', () => {
    const out = run('report', 'dist', '--format', 'json');
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout).problems).toEqual([]);
  });
});

test('docs/safe-synth.md states the exit codes --help prints', () => {
  const readme = readFileSync(join(ROOT, 'docs', 'safe-synth.md'), 'utf8');
  for (const command of ['synth', 'report']) {
    const printed = run(command, '--help').stdout.split('\n').find((line) => line.startsWith('exit codes: '));
    expect(printed).toBeDefined();
    expect(readme).toContain(`\n${command.padEnd(8)}${printed}\n`);
  }
});
