import { spawn } from 'child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { parseAllDocuments } from 'yaml';

import { loadOutputManifests } from '../checks/load';
import { describeProblem } from '../checks/manifest';
import { analyze } from '../report/analyze';
import {
  keptEntries, lockOutput, realOutput, recordedFiles, restoreDir, snapshotDir, swapIn, SYNTH_RECORD, unwritableDirs, writeRecord,
} from './output-dir';

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
  /**
   * Command that runs the app.
   * @default - `app` of cdk8s.yaml
   */
  readonly app?: string;
  /**
   * Output directory.
   * @default - `output` of cdk8s.yaml, else `dist`
   */
  readonly output?: string;
  /**
   * How long to wait for another synth of the same output to finish, in milliseconds.
   * @default 900000 (15 minutes)
   */
  readonly lockTimeoutMs?: number;
}

/** What a safe synth did. */
export interface SafeSynthResult {
  /** Whether the new output was checked and written. */
  readonly ok: boolean;
  /** The output directory as configured. */
  readonly output: string;
  /** YAML files written (relative to the output), on success. */
  readonly files: string[];
  /** Objects checked. */
  readonly objects: number;
  /** Why it failed: the app's exit, unparsable YAML, or manifest problems. */
  readonly errors: string[];
  /** Files and directories of the previous output that the synth did not write, carried over untouched. */
  readonly kept: string[];
}

/**
 * The safe synth as a library call (what `cdk8s-canary synth` runs): the app runs into a staging
 * directory, every object is checked, and only then the output is replaced.
 */
export class SafeSynth {
  /** Runs the app, checks its output and swaps it in; the previous output stays on any failure. */
  public static async run(options: SafeSynthOptions): Promise<SafeSynthResult> {
    return safeSynth(options);
  }

  private constructor() {}
}

interface ProjectConfig {
  readonly app: string;
  readonly output: string;
  readonly projectDir: string;
}

function readConfig(options: SafeSynthOptions): ProjectConfig {
  const file = join(options.projectDir, 'cdk8s.yaml');
  const config = existsSync(file) ? parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJSON() ?? {} : {};
  const app = options.app ?? config.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new Error(`no app to run: give --app or set "app" in ${file}`);
  }
  return { app, output: resolve(options.projectDir, options.output ?? config.output ?? 'dist'), projectDir: options.projectDir };
}

/** Runs `command` in a shell, in its own process group so that a signal can stop all of it. */
function runApp(command: string, cwd: string, env: NodeJS.ProcessEnv, onSignal: (stop: () => void) => void): Promise<{ code: number | null; signal: string | null; error?: Error }> {
  return new Promise((done) => {
    const child = spawn(command, { cwd, shell: true, stdio: ['ignore', 'inherit', 'inherit'], env, detached: true });
    onSignal(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });
    child.on('error', (error) => done({ code: null, signal: null, error }));
    child.on('exit', (code, signal) => done({ code, signal }));
  });
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs the app into a temporary directory next to the output, checks every object, and swaps it
 * in. The previous output stays byte for byte on any failure, on a signal, and when the app
 * writes into the output itself; files in it that the synth does not write are kept.
 */
export async function safeSynth(options: SafeSynthOptions): Promise<SafeSynthResult> {
  const config = readConfig(options);
  const output = realOutput(config.output, options.projectDir);
  const fail = (...errors: string[]) => failed(config, errors);
  const parent = dirname(output);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch {
    return fail(`cannot write ${parent}, where the new output is prepared; nothing was changed`);
  }
  // Runs of one output take turns: a failing run restores its snapshot, which must not be taken
  // while another run swaps its output in.
  const unlock = await lockOutput(output, options.lockTimeoutMs ?? 15 * 60 * 1000);
  try {
    return await lockedSynth(config, output, unlock);
  } finally {
    unlock();
  }
}

function failed(config: ProjectConfig, errors: string[]): SafeSynthResult {
  return { ok: false, output: config.output, files: [], objects: 0, errors, kept: [] };
}

/** The synth proper, while this run holds the output's lock (`unlock` releases it on a signal). */
async function lockedSynth(config: ProjectConfig, output: string, unlock: () => void): Promise<SafeSynthResult> {
  const fail = (...errors: string[]) => failed(config, errors);
  const locked = unwritableDirs(output);
  if (locked.length > 0) return fail(`cannot replace the output: ${locked.join(', ')} ${locked.length === 1 ? 'is' : 'are'} not writable; nothing was changed`);

  const before = snapshotDir(output);
  // Next to the output, so the final rename stays on one filesystem and is atomic.
  const staging = mkdtempSync(join(dirname(output), `.${basename(output)}.synth-`));
  let stopApp = () => {};
  const onStop = (signal: NodeJS.Signals) => {
    stopApp();
    restoreDir(output, before);
    rmSync(staging, { recursive: true, force: true });
    unlock();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onStop);
  try {
    const run = await runApp(config.app, config.projectDir, { ...process.env, CDK8S_OUTDIR: staging }, (stop) => { stopApp = stop; });
    const touched = restoreDir(output, before);
    if (touched.length > 0) {
      return fail(`the app wrote into ${config.output} itself (${touched.slice(0, 3).join(', ')}${touched.length > 3 ? ', ...' : ''}), past the checks: an App created with a fixed outdir does that. Those files were put back as they were; leave outdir unset so the app writes to $CDK8S_OUTDIR`);
    }
    if (run.error) return fail(`the app could not start: ${run.error.message}`);
    if (run.code !== 0) return fail(`the app "${config.app}" failed (${run.signal ? `signal ${run.signal}` : `exit code ${run.code}`})`);
    const { manifests, files, errors } = loadOutputManifests(staging);
    if (errors.length > 0) return fail(...errors.map((e) => `unparsable YAML: ${e}`));
    if (manifests.length === 0) {
      return fail(`the app "${config.app}" synthesized no objects into $CDK8S_OUTDIR (an App created with an explicit outdir writes elsewhere: leave outdir unset)`);
    }
    // The report's checks: the manifest checks plus what would misroute (routes to a subset or
    // Service without pods, missing subsets), the same that `cdk8s-canary report` exits 1 on.
    const problems = analyze(manifests.map((m) => ({ file: m.file, object: m.manifest as Record<string, unknown> }))).problems;
    if (problems.length > 0) return fail(...problems.map(describeProblem));
    const written = new Set(readdirSync(staging, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(staging, f)).isFile()));
    if (written.has(SYNTH_RECORD)) return fail(`the app wrote ${SYNTH_RECORD}, the name of the synth's own record of its files; rename that output`);
    const recorded = recordedFiles(output);
    const kept = keptEntries(output, written, recorded);
    const clashing = kept.filter((rel) => written.has(rel));
    if (clashing.length > 0) {
      return fail(`the app now writes ${clashing.join(', ')}, which ${clashing.length === 1 ? 'is a file' : 'are files'} in ${config.output} that no synth wrote (not in ${SYNTH_RECORD}): move ${clashing.length === 1 ? 'it' : 'them'} away or rename the chart; nothing was changed`);
    }
    writeRecord(staging, written);
    swapIn(staging, output, kept);
    return { ok: true, output: config.output, files, objects: manifests.length, errors: [], kept };
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onStop);
    rmSync(staging, { recursive: true, force: true });
  }
}
