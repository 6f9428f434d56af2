import {
  accessSync, constants, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync,
  writeFileSync,
} from 'fs';
import { basename, dirname, join, relative, resolve, sep } from 'path';

/**
 * The output directory of a safe synth, handled so that nothing the user keeps there is lost:
 * what the synth owns, what it must keep, and how a new output replaces the old one atomically.
 */

/** Why an output directory cannot be used; nothing has been changed when it is thrown. */
export class OutputRefusedError extends Error {}

/**
 * The directory to write: the output's real path (a symlinked output is updated through the
 * link, which stays). Refuses the project itself, any ancestor of it and the filesystem root:
 * replacing one of those would delete the project.
 */
export function realOutput(output: string, projectDir: string): string {
  const real = existsSync(output) ? realpathSync(output) : join(realpathSync(nearestExisting(dirname(output))), relative(nearestExisting(dirname(output)), output));
  const project = realpathSync(projectDir);
  if (real === project || project.startsWith(real.endsWith(sep) ? real : real + sep) || real === resolve('/')) {
    throw new OutputRefusedError(`refuses output ${output}: it is the project directory or contains it, and replacing it would delete the project; use a directory inside the project, such as dist`);
  }
  if (existsSync(real) && !statSync(real).isDirectory()) throw new OutputRefusedError(`refuses output ${output}: it is a file, not a directory`);
  return real;
}

function nearestExisting(dir: string): string {
  let current = resolve(dir);
  while (!existsSync(current)) current = dirname(current);
  return current;
}

/**
 * The record of what a safe synth wrote, kept in the output (a dotfile that is not YAML or JSON,
 * so Argo CD, Flux and kustomize read no manifest from it). The next synth replaces exactly the
 * files it lists and keeps everything else: a hand-written `monitoring.k8s.yaml`, `.git/`,
 * `kustomization.yaml` files at any depth.
 */
export const SYNTH_RECORD = '.cdk8s-canary-synth';
const RECORD_HEADER = '# Files `cdk8s-canary synth` wrote into this directory; the next synth replaces exactly these and keeps the rest.';

/** The files the last safe synth recorded in `output`; undefined when it has no record (an output from before the record, or none). */
export function recordedFiles(output: string): ReadonlySet<string> | undefined {
  const file = join(output, SYNTH_RECORD);
  if (!existsSync(file)) return undefined;
  return new Set(readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#')));
}

/** Writes the record of `files` into `dir`. */
export function writeRecord(dir: string, files: Iterable<string>): void {
  writeFileSync(join(dir, SYNTH_RECORD), `${[RECORD_HEADER, ...[...files].sort()].join('\n')}\n`);
}

/**
 * Whether the synth owns `path` of the old output: what the last synth recorded, or, in an output
 * without a record, only what this run writes again (a file of another name is kept, never
 * deleted on a guess).
 */
export function ownedBySynth(path: string, written: ReadonlySet<string>, recorded?: ReadonlySet<string>): boolean {
  if (path === SYNTH_RECORD) return true;
  return recorded ? recorded.has(path) : written.has(path);
}

/**
 * Entries (relative paths) under `dir` that are not owned: whole directories when nothing in them
 * is and the new output has no directory of that name, else the kept files inside one by one.
 */
export function keptEntries(dir: string, written: ReadonlySet<string>, recorded?: ReadonlySet<string>, base = dir): string[] {
  if (!existsSync(dir)) return [];
  const kept: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    const rel = relative(base, path);
    if (lstatSync(path).isDirectory()) {
      const all = readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((f) => !lstatSync(join(path, f)).isDirectory());
      const ownsSome = all.some((f) => ownedBySynth(join(rel, f), written, recorded));
      const newOutputHasIt = [...written].some((f) => f.startsWith(rel + sep));
      kept.push(...(ownsSome || newOutputHasIt ? keptEntries(path, written, recorded, base) : [rel]));
    } else if (!ownedBySynth(rel, written, recorded)) {
      kept.push(rel);
    }
  }
  return kept;
}

/**
 * One synth at a time per output: a lock file next to it holding the owner's pid, made by
 * hard-linking a complete file of this process's (a link is created whole or not at all, so no
 * run ever reads a half-written lock). A lock whose process is gone is taken over; otherwise the
 * run waits for it.
 */
export async function lockOutput(output: string, timeoutMs: number): Promise<() => void> {
  const lock = join(dirname(output), `.${basename(output)}.synth.lock`);
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        linkSync(mine, lock);
        return () => rmSync(lock, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readLock(lock);
      if (holder === undefined) continue; // released meanwhile
      if (!alive(Number.parseInt(holder, 10))) {
        takeOverStale(lock, holder);
        continue;
      }
      if (Date.now() > deadline) throw new OutputRefusedError(`another synth (pid ${holder.trim()}) has held ${lock} for ${Math.round(timeoutMs / 1000)} s; nothing was changed`);
      await new Promise((done) => setTimeout(done, 100));
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

/**
 * Removes a dead owner's lock: moved aside first, so that a lock another run took in the
 * meantime (its content differs) is put back rather than deleted.
 */
function takeOverStale(lock: string, deadHolder: string): void {
  const aside = `${lock}.stale.${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // someone else moved it
  }
  if (readLock(aside) !== deadHolder) {
    try {
      linkSync(aside, lock);
    } catch {
      // a third run holds the lock now; the one moved aside has lost it
    }
  }
  rmSync(aside, { force: true });
}

function readLock(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8');
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories under `dir` (and `dir`) that cannot be written: the swap would stop half-way in them. */
export function unwritableDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const dirs = [dir, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((p) => lstatSync(p).isDirectory())];
  return dirs.filter((d) => {
    try {
      accessSync(d, constants.W_OK | constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/** The files of `dir` (outside `.git`), with their bytes: enough to put back what an app overwrote. */
export interface DirSnapshot {
  readonly files: ReadonlyMap<string, Buffer>;
}

export function snapshotDir(dir: string): DirSnapshot {
  const files = new Map<string, Buffer>();
  if (existsSync(dir)) {
    for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (rel.split(sep).includes('.git')) continue;
      const path = join(dir, rel);
      if (lstatSync(path).isFile()) files.set(rel, readFileSync(path));
    }
  }
  return { files };
}

/** Files changed, added or removed in `dir` since `before`, after putting them back as they were. */
export function restoreDir(dir: string, before: DirSnapshot): string[] {
  const after = snapshotDir(dir);
  const changed: string[] = [];
  for (const [rel, bytes] of after.files) {
    const old = before.files.get(rel);
    if (old === undefined) {
      rmSync(join(dir, rel));
      changed.push(rel);
    } else if (!old.equals(bytes)) {
      writeFileSync(join(dir, rel), old);
      changed.push(rel);
    }
  }
  for (const [rel, bytes] of before.files) {
    if (!after.files.has(rel)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), bytes);
      changed.push(rel);
    }
  }
  return changed.sort();
}

/**
 * Replaces `output` with `staging`, carrying the kept entries of the old output over first. Every
 * step is a rename on one filesystem; a failing step undoes the ones before it, so the output is
 * either the old one or the new one, never a mix.
 */
export function swapIn(staging: string, output: string, kept: readonly string[]): void {
  const moved: string[] = [];
  const moveBack = () => {
    for (const rel of moved.reverse()) renameSync(join(staging, rel), join(output, rel));
  };
  try {
    for (const rel of kept) {
      mkdirSync(dirname(join(staging, rel)), { recursive: true });
      renameSync(join(output, rel), join(staging, rel));
      moved.push(rel);
    }
  } catch (error) {
    moveBack();
    throw error;
  }
  const previous = `${staging}.previous`;
  const hadOutput = existsSync(output);
  try {
    if (hadOutput) renameSync(output, previous);
  } catch (error) {
    moveBack();
    throw error;
  }
  try {
    renameSync(staging, output);
  } catch (error) {
    if (hadOutput) renameSync(previous, output);
    moveBack();
    throw error;
  }
  if (hadOutput) rmSync(previous, { recursive: true, force: true });
}
