#!/usr/bin/env node
/**
 * `cdk8s-canary synth`: the safe synth, for CI and GitOps pipelines (see safe-synth.ts).
 * `cdk8s-canary report [DIR…]`: what the YAML does to traffic (see ../report/).
 * Each command takes its own options only, and `--help`; `--version` prints the package version.
 * The exit codes are in EXIT_CODES, printed by --help.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { parseArgs, ParseArgsConfig } from 'util';

import { loadManifests } from '../checks/load';
import { analyze, TrafficReport } from '../report/analyze';
import { diffReports } from '../report/diff';
import { checkoutBase } from '../report/git-base';
import { renderChangesText, renderJson, renderMarkdown, renderText } from '../report/render';
import { safeSynth } from './safe-synth';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Each command: its usage, its own options, and what its exit codes mean. */
const COMMANDS: Record<'synth' | 'report', { usage: string; options: Options; exitCodes: string }> = {
  synth: {
    usage: `usage: cdk8s-canary synth [--app COMMAND] [--output DIR] [--project DIR]

Runs the cdk8s app into a temporary directory, checks every object (parses, names, selectors,
route weights, canary Ingress pairs, no snippet annotations) and only then replaces the output
directory. On any failure it exits 1 and leaves the previous output byte-for-byte untouched;
files in the output that it does not write (.git/, kustomization.yaml, README.md) are kept.
It refuses an output that is the project or contains it, and updates a symlinked output
through the link.

  --app COMMAND   command that runs the app (default: "app" of cdk8s.yaml)
  --output DIR    output directory (default: "output" of cdk8s.yaml, else dist)
  --project DIR   directory holding cdk8s.yaml (default: the current directory)`,
    options: { app: { type: 'string' }, output: { type: 'string' }, project: { type: 'string' } },
    exitCodes: '0 checked and written; 1 failed, the output left as it was; 2 usage (or an output it refuses); 129 / 130 / 143 stopped by SIGHUP / SIGINT / SIGTERM, the output left as it was',
  },
  report: {
    usage: `usage: cdk8s-canary report [DIR_OR_FILE…] [--base DIR_OR_FILE | --base-ref GIT_REF] [--expect-same-traffic] [--format text|markdown|json]

Reads YAML only (default: dist) and prints, for every canary in it (the library's, by their
labels, and hand-written ones: two Deployments behind one Service, VirtualService,
HTTPRoute/GRPCRoute, ingress-nginx Ingress pair or ALB Ingress), its entry points, its routes in
evaluation order with the exact share of each Deployment, its pods and images, and what would
misroute, naming the object and field.

  --base PATH     compare with the YAML in PATH: show only the canaries whose traffic changes; a
                  canary whose entry point another router takes over (a migration) is compared
                  request class by request class: "same traffic", or each class that moved
  --base-ref REF  compare with the same paths at git revision REF (e.g. origin/main)
  --expect-same-traffic
                  with --base or --base-ref: exit 1 when any canary's traffic changes (a CI
                  check that a migration moved no request)
  --format FORMAT text (default), markdown (a pull-request comment with Mermaid charts) or json`,
    options: { format: { type: 'string' }, base: { type: 'string' }, 'base-ref': { type: 'string' }, 'expect-same-traffic': { type: 'boolean' } },
    exitCodes: '0 no problem found; 1 a problem found (each named with its object and field; YAML kubectl cannot read is one), or with --expect-same-traffic a change of traffic; 2 usage, or a path it cannot read',
  },
};
const COMMON: Options = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } };
const commandNames = Object.keys(COMMANDS) as (keyof typeof COMMANDS)[];

function helpOf(command: keyof typeof COMMANDS): string {
  return `${COMMANDS[command].usage}
  --help, -h      this text

exit codes: ${COMMANDS[command].exitCodes}`;
}

const USAGE = `usage: cdk8s-canary synth|report [OPTIONS]   (cdk8s-canary COMMAND --help for each)
       cdk8s-canary --version

${commandNames.map(helpOf).join('\n\n')}`;

/** The version in the package.json this file ships in (src/cli/ in the repository, lib/src/cli/ in the package). */
function packageVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.name === 'cdk8s-canary') return String(pkg.version);
  }
  throw new Error('the package.json of cdk8s-canary is not found');
}

async function main(argv: string[]): Promise<number> {
  const all: Options = Object.assign({}, COMMON, ...commandNames.map((c) => COMMANDS[c].options));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: all });
  } catch (e) {
    process.stderr.write(`cdk8s-canary: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = commandNames.find((c) => c === positionals[0]);
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (values.help) {
    process.stdout.write(`${command ? helpOf(command) : USAGE}\n`);
    return 0;
  }
  if (!command) {
    process.stderr.write(`cdk8s-canary: expected the command "synth" or "report"${positionals.length ? `, got "${positionals.join(' ')}"` : ''}\n${USAGE}\n`);
    return 2;
  }
  // An option of the other command would be silently ignored here: refuse it.
  const foreign = Object.keys(values).filter((key) => !(key in COMMON) && !(key in COMMANDS[command].options));
  if (foreign.length > 0) {
    const owner = (key: string) => commandNames.find((c) => key in COMMANDS[c].options);
    process.stderr.write(`cdk8s-canary ${command}: ${foreign.map((key) => `--${key} is an option of ${owner(key)}, not of ${command}`).join('; ')}\n${helpOf(command)}\n`);
    return 2;
  }
  if (command === 'report') {
    return report(positionals.slice(1), (values.format as string | undefined) ?? 'text', values.base as string | undefined, values['base-ref'] as string | undefined, values['expect-same-traffic'] === true);
  }
  if (positionals.length !== 1) {
    process.stderr.write(`cdk8s-canary synth: takes no arguments, got "${positionals.slice(1).join(' ')}"\n${helpOf('synth')}\n`);
    return 2;
  }
  let result;
  try {
    result = await safeSynth({ projectDir: (values.project as string | undefined) ?? process.cwd(), app: values.app as string | undefined, output: values.output as string | undefined });
  } catch (e) {
    process.stderr.write(`cdk8s-canary synth: ${(e as Error).message}\n`);
    return 2;
  }
  if (!result.ok) {
    process.stderr.write(`cdk8s-canary synth: FAILED, ${result.output} left as it was:\n${result.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`cdk8s-canary synth: ${result.objects} objects in ${result.files.length} files checked and written to ${result.output}\n`);
  if (result.kept.length > 0) {
    process.stdout.write(`cdk8s-canary synth: kept what it does not write: ${result.kept.join(', ')}\n`);
  }
  return 0;
}

function report(given: string[], format: string, base: string | undefined, baseRef: string | undefined, expectSame: boolean): number {
  if (!['text', 'markdown', 'json'].includes(format)) {
    process.stderr.write(`cdk8s-canary report: --format must be text, markdown or json, got "${format}"\n`);
    return 2;
  }
  if (base !== undefined && baseRef !== undefined) {
    process.stderr.write('cdk8s-canary report: give --base or --base-ref, not both\n');
    return 2;
  }
  if (expectSame && base === undefined && baseRef === undefined) {
    process.stderr.write('cdk8s-canary report: --expect-same-traffic compares with a base: give --base or --base-ref\n');
    return 2;
  }
  const paths = given.length > 0 ? given : ['dist'];
  const read = (dirs: string[]): TrafficReport => {
    const loaded = loadManifests(dirs);
    if (loaded.skipped.length > 0) process.stderr.write(`cdk8s-canary report: skipped YAML that holds no Kubernetes object (no apiVersion, no kind): ${loaded.skipped.join(', ')}\n`);
    const result = analyze(loaded.objects);
    return { ...result, problems: [...loaded.errors.map((message) => ({ file: '', object: '', field: '', message })), ...result.problems] };
  };
  let head: TrafficReport;
  let before: TrafficReport | undefined;
  try {
    head = read(paths);
    if (base !== undefined) before = read([base]);
    if (baseRef !== undefined) before = read(checkoutBase(baseRef, paths));
  } catch (e) {
    process.stderr.write(`cdk8s-canary report: ${(e as Error).message}\n`);
    return 2;
  }
  const changes = before && diffReports(before, head);
  const out = format === 'json' ? renderJson(head, changes)
    : format === 'markdown' ? renderMarkdown(head, changes)
      : changes ? renderChangesText(changes, head) : renderText(head);
  process.stdout.write(out);
  if (head.problems.length > 0) return 1;
  return expectSame && changes!.some((c) => c.status !== 'migrated' || !c.sameTraffic) ? 1 : 0;
}

void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
