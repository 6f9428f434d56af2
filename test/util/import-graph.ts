import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import * as ts from 'typescript';

/** The relative imports of every TypeScript file under `root`, by path relative to `root` ('/' separated). */
export interface ImportGraph {
  readonly root: string;
  /** file → the files it imports (type-only imports and re-exports included: they are dependencies too). */
  readonly imports: ReadonlyMap<string, readonly string[]>;
}

const posix = (path: string) => path.split(sep).join('/');

/** Reads the graph with TypeScript's own scanner, so that every import form counts. */
export function importGraph(root: string): ImportGraph {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(root);
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const found = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    const targets: string[] = [];
    for (const { fileName } of found) {
      if (!fileName.startsWith('.')) continue;
      const base = resolve(dirname(file), fileName);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      // Outside root (the generated imports/) or not TypeScript: not part of this graph.
      if (target === undefined || !target.startsWith(resolve(root) + sep)) continue;
      targets.push(posix(relative(root, target)));
    }
    imports.set(posix(relative(root, file)), targets);
  }
  return { root, imports };
}

/** The folder of a file ('.' for the root). */
export function folderOf(file: string): string {
  const dir = posix(dirname(file));
  return dir === '' ? '.' : dir;
}

/** Every cycle of a graph, as its strongly connected components of more than one node (Tarjan). */
export function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** The folder graph: folder → the other folders its files import. */
export function folderEdges(graph: ImportGraph): Map<string, string[]> {
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of graph.imports) {
    const from = folderOf(file);
    const set = edges.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) set.add(folderOf(target));
    edges.set(from, set);
  }
  return new Map([...edges].map(([folder, set]) => [folder, [...set].sort()]));
}
