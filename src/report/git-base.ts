import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

/**
 * The YAML of `paths` as it is at git revision `ref`, written to a temporary directory (one
 * subdirectory per path), for `report --base-ref`. Reads with `git ls-tree` and `git show`: the
 * working tree is never touched.
 */
export function checkoutBase(ref: string, paths: readonly string[], cwd = process.cwd()): string[] {
  if (!/^[\w./@^~{}-]+$/.test(ref) || ref.startsWith('-')) throw new Error(`--base-ref ${JSON.stringify(ref)} is not a git revision`);
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const prefix = git('rev-parse', '--show-prefix').trim();
  const root = mkdtempSync(join(tmpdir(), 'cdk8s-canary-base-'));
  return paths.map((path, i) => {
    const target = join(root, String(i));
    mkdirSync(target, { recursive: true });
    for (const file of git('ls-tree', '-r', '--name-only', '--full-tree', ref, '--', join(prefix, path)).split('\n').filter((f) => /\.ya?ml$/.test(f))) {
      const out = join(target, file);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, git('show', `${ref}:${file}`));
    }
    return target;
  });
}
