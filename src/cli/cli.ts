#!/usr/bin/env node
/**
 * `cdk8s-canary synth`: the safe synth, for CI and GitOps pipelines (see safe-synth.ts).
 * Exit codes: 0 written, 1 failed (previous output untouched), 2 usage.
 * `cdk8s-canary report [DIR…]`: what the YAML does to traffic (see ../report/).
 * Exit codes: 0 no problem, 1 a problem found, 2 usage.
 */
import { parseArgs } from 'util';

import { loadManifests } from '../checks/load';
import { analyze, TrafficReport } from '../report/analyze';
import { diffReports } from '../report/diff';
import { checkoutBase } from '../report/git-base';
import { renderChangesText, renderJson, renderMarkdown, renderText } from '../report/render';
import { safeSynth } from './safe-synth';

const USAGE = `usage: cdk8s-canary synth [--app COMMAND] [--output DIR] [--project DIR]
       cdk8s-canary report [DIR_OR_FILE…] [--base DIR | --base-ref GIT_REF] [--format text|markdown|json]

Runs the cdk8s app into a temporary directory, checks every object (parses, names, selectors,
route weights, canary Ingress pairs, no snippet annotations) and only then replaces the output
directory. On any failure it exits 1 and leaves the previous output byte-for-byte untouched;
files in the output that it does not write (.git/, kustomization.yaml, README.md) are kept.
It refuses an output that is the project or contains it, and updates a symlinked output
through the link.

  --app COMMAND   command that runs the app (default: "app" of cdk8s.yaml)
  --output DIR    output directory (default: "output" of cdk8s.yaml, else dist)
  --project DIR   directory holding cdk8s.yaml (default: the current directory)

report reads YAML only (default: dist) and prints, for every canary in it (the library's, by
their labels, and hand-written ones: two Deployments behind one Service, VirtualService,
HTTPRoute/GRPCRoute, ingress-nginx Ingress pair or ALB Ingress), its entry points, its routes in
evaluation order with the exact share of each Deployment, its pods and images, and what would
misroute, naming the object and field; it exits 1 when it finds a problem.

  --base DIR      compare with the YAML in DIR: show only the canaries whose traffic changes
  --base-ref REF  compare with the same paths at git revision REF (e.g. origin/main)
  --format FORMAT text (default), markdown (a pull-request comment with Mermaid charts) or json`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        app: { type: 'string' }, output: { type: 'string' }, project: { type: 'string' }, format: { type: 'string' },
        base: { type: 'string' }, 'base-ref': { type: 'string' }, help: { type: 'boolean', short: 'h' },
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
  if (positionals[0] === 'report') return report(positionals.slice(1), values.format ?? 'text', values.base, values['base-ref']);
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

function report(given: string[], format: string, base: string | undefined, baseRef: string | undefined): number {
  if (!['text', 'markdown', 'json'].includes(format)) {
    process.stderr.write(`cdk8s-canary report: --format must be text, markdown or json, got "${format}"\n`);
    return 2;
  }
  if (base !== undefined && baseRef !== undefined) {
    process.stderr.write('cdk8s-canary report: give --base or --base-ref, not both\n');
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
  return head.problems.length > 0 ? 1 : 0;
}

void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
