import {
  accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync,
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
 * Files a synth owns in its output: what cdk8s writes (`*.k8s.yaml`, `construct-metadata.json`)
 * and whatever this run wrote. Everything else (`.git/`, `kustomization.yaml`, `README.md`) is
 * the user's and is carried into the new output untouched.
 */
export function ownedBySynth(path: string, written: ReadonlySet<string>): boolean {
  return written.has(path) || /\.k8s\.ya?ml$/.test(path) || basename(path) === 'construct-metadata.json';
}

/** Entries (relative paths) under `dir` that are not owned: whole directories when nothing in them is. */
export function keptEntries(dir: string, written: ReadonlySet<string>, base = dir): string[] {
  if (!existsSync(dir)) return [];
  const kept: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    const rel = relative(base, path);
    if (lstatSync(path).isDirectory()) {
      const inside = keptEntries(path, written, base);
      const all = readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((f) => !lstatSync(join(path, f)).isDirectory());
      const ownsSome = all.some((f) => ownedBySynth(join(rel, f), written));
      kept.push(...(ownsSome ? inside : [rel]));
    } else if (!ownedBySynth(rel, written)) {
      kept.push(rel);
    }
  }
  return kept;
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
