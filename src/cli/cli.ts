#!/usr/bin/env node
/**
 * `cdk8s-canary synth`: the safe synth, for CI and GitOps pipelines (see safe-synth.ts).
 * Exit codes: 0 written, 1 failed (previous output untouched), 2 usage.
 * `cdk8s-canary report [DIR…]`: what the YAML does to traffic (see ../report/).
 * Exit codes: 0 no problem, 1 a problem found, 2 usage.
 */
import { parseArgs } from 'util';

import { analyze } from '../report/analyze';
import { loadManifests } from '../report/load';
import { renderJson, renderText } from '../report/render';
import { safeSynth } from './safe-synth';

const USAGE = `usage: cdk8s-canary synth [--app COMMAND] [--output DIR] [--project DIR]
       cdk8s-canary report [DIR_OR_FILE…] [--format text|json]

Runs the cdk8s app into a temporary directory, checks every object (parses, names, selectors,
route weights, canary Ingress pairs, no snippet annotations) and only then replaces the output
directory. On any failure it exits 1 and leaves the previous output byte-for-byte untouched;
files in the output that it does not write (.git/, kustomization.yaml, README.md) are kept.
It refuses an output that is the project or contains it, and updates a symlinked output
through the link.

  --app COMMAND   command that runs the app (default: "app" of cdk8s.yaml)
  --output DIR    output directory (default: "output" of cdk8s.yaml, else dist)
  --project DIR   directory holding cdk8s.yaml (default: the current directory)

report reads YAML only (default: dist) and prints, for every canary the library emitted, its
entry points, its routes in evaluation order with the exact share of each track, its pods and
images, and what would misroute; it exits 1 when it finds a problem.

  --format FORMAT text (default) or json`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        app: { type: 'string' }, output: { type: 'string' }, project: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`cdk8s-canary: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] === 'report') return report(positionals.slice(1), values.format ?? 'text');
  if (positionals.length !== 1 || positionals[0] !== 'synth') {
    process.stderr.write(`cdk8s-canary: expected the command "synth"${positionals.length ? `, got "${positionals.join(' ')}"` : ''}\n${USAGE}\n`);
    return 2;
  }
  let result;
  try {
    result = await safeSynth({ projectDir: values.project ?? process.cwd(), app: values.app, output: values.output });
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

function report(paths: string[], format: string): number {
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`cdk8s-canary report: --format must be text or json, got "${format}"\n`);
    return 2;
  }
  let loaded;
  try {
    loaded = loadManifests(paths.length > 0 ? paths : ['dist']);
  } catch (e) {
    process.stderr.write(`cdk8s-canary report: ${(e as Error).message}\n`);
    return 2;
  }
  const result = analyze(loaded.objects);
  const problems = [...loaded.errors.map((message) => ({ file: '', object: '', message })), ...result.problems];
  const full = { ...result, problems };
  process.stdout.write(format === 'json' ? renderJson(full) : renderText(full));
  return problems.length > 0 ? 1 : 0;
}

void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
