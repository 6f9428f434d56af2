import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'fs';
import { basename, dirname, join, relative, resolve } from 'path';
import { parseAllDocuments } from 'yaml';

import { checkManifests, LocatedManifest, Manifest, ManifestProblem } from './manifest-checks';

/**
 * `cdk8s synth` deletes its output directory before it runs the app, so a typo in app code
 * empties the GitOps output a pipeline then pushes. The safe synth runs the app into a temporary
 * directory next to the output, checks every document, and only then swaps it in; on any failure
 * the previous output stays byte-for-byte as it was.
 */

/** Options of a safe synth. */
export interface SafeSynthOptions {
  /** Directory holding cdk8s.yaml; relative paths are resolved against it. */
  readonly projectDir: string;
  /** Command that runs the app; default: `app` of cdk8s.yaml. */
  readonly app?: string;
  /** Output directory; default: `output` of cdk8s.yaml, else `dist`. */
  readonly output?: string;
}

/** What a safe synth did. */
export interface SafeSynthResult {
  readonly ok: boolean;
  /** The output directory (absolute). */
  readonly output: string;
  /** YAML files written (relative to the output), on success. */
  readonly files: readonly string[];
  /** Objects checked. */
  readonly objects: number;
  /** Why it failed: the app's exit, unparsable YAML, or manifest problems. */
  readonly errors: readonly string[];
}

interface ProjectConfig {
  readonly app: string;
  readonly output: string;
}

function readConfig(options: SafeSynthOptions): ProjectConfig {
  const file = join(options.projectDir, 'cdk8s.yaml');
  const config = existsSync(file) ? parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJSON() ?? {} : {};
  const app = options.app ?? config.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new Error(`no app to run: give --app or set "app" in ${file}`);
  }
  return { app, output: resolve(options.projectDir, options.output ?? config.output ?? 'dist') };
}

function yamlFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).sort().flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path, base);
    return /\.ya?ml$/.test(entry) ? [relative(base, path)] : [];
  });
}

/** Parses every YAML file under `dir`; YAML errors come back as messages. */
export function loadManifests(dir: string): { manifests: LocatedManifest[]; files: string[]; errors: string[] } {
  const files = yamlFiles(dir);
  const manifests: LocatedManifest[] = [];
  const errors: string[] = [];
  for (const file of files) {
    // YAML 1.1, as kubectl reads it (and as cdk8s writes it).
    const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { version: '1.1' });
    docs.forEach((doc, i) => {
      if (doc.errors.length > 0) {
        errors.push(`${file}#${i}: ${doc.errors[0].message.split('\n')[0]}`);
        return;
      }
      const manifest = doc.toJSON();
      if (manifest !== null && manifest !== undefined) manifests.push({ file, manifest: manifest as Manifest });
    });
  }
  return { manifests, files, errors };
}

function describe(problem: ManifestProblem): string {
  return `${problem.file} ${problem.object}: ${problem.message}`;
}

/** Runs the app into a temporary directory, checks it, and swaps it in as the output. */
export function safeSynth(options: SafeSynthOptions): SafeSynthResult {
  const config = readConfig(options);
  const output = config.output;
  const fail = (...errors: string[]): SafeSynthResult => ({ ok: false, output, files: [], objects: 0, errors });
  // Next to the output, so the final rename stays on one filesystem and is atomic.
  const staging = mkdtempSync(join(dirname(output), `.${basename(output)}.synth-`));
  try {
    const run = spawnSync(config.app, {
      cwd: options.projectDir,
      shell: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CDK8S_OUTDIR: staging },
    });
    if (run.error) return fail(`the app could not start: ${run.error.message}`);
    if (run.status !== 0) return fail(`the app "${config.app}" failed (${run.signal ? `signal ${run.signal}` : `exit code ${run.status}`})`);
    const { manifests, files, errors } = loadManifests(staging);
    if (errors.length > 0) return fail(...errors.map((e) => `unparsable YAML: ${e}`));
    if (manifests.length === 0) {
      return fail(`the app "${config.app}" synthesized no objects into $CDK8S_OUTDIR (an App created with an explicit outdir writes elsewhere: leave outdir unset)`);
    }
    const problems = checkManifests(manifests);
    if (problems.length > 0) return fail(...problems.map(describe));
    swapIn(staging, output);
    return { ok: true, output, files, objects: manifests.length, errors: [] };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Replaces `output` with `staging`; if the second rename fails, the old output is put back. */
function swapIn(staging: string, output: string): void {
  const previous = `${staging}.previous`;
  const hadOutput = existsSync(output);
  if (hadOutput) renameSync(output, previous);
  try {
    renameSync(staging, output);
  } catch (e) {
    if (hadOutput) renameSync(previous, output);
    throw e;
  }
  if (hadOutput) rmSync(previous, { recursive: true, force: true });
}
