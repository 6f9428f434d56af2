import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { parseAllDocuments } from 'yaml';

/** One object read from YAML, with where it came from. */
export interface LoadedObject {
  readonly file: string;
  // Manifests are plain JSON; the report reads them by path.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly object: { [key: string]: any };
}

/**
 * Every `*.yaml` / `*.yml` below `paths` (files or directories), read as kubectl reads them (YAML
 * 1.1). A document with neither `apiVersion` nor `kind` (a Helm values file, a config file beside
 * the manifests) is no Kubernetes object: it is `skipped`, by file, rather than reported.
 */
export function loadManifests(paths: readonly string[]): { objects: LoadedObject[]; errors: string[]; skipped: string[] } {
  const objects: LoadedObject[] = [];
  const errors: string[] = [];
  const skipped = new Set<string>();
  const files: { file: string; root: string }[] = [];
  const walk = (path: string, root: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        walk(join(path, entry), root);
      }
    } else if (/\.ya?ml$/.test(path)) {
      files.push({ file: path, root });
    }
  };
  for (const path of paths) walk(path, statSync(path).isDirectory() ? path : join(path, '..'));
  for (const { file, root } of files) {
    const name = relative(root, file) || file;
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' })) {
      if (doc.errors.length > 0) {
        errors.push(`${name}: ${doc.errors[0].message}`);
        continue;
      }
      const value = doc.toJSON();
      if (value === null || value === undefined) continue;
      const items = value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
      for (const object of items) {
        const isObject = object !== null && typeof object === 'object' && !Array.isArray(object);
        if (isObject && object.apiVersion === undefined && object.kind === undefined) skipped.add(name);
        else objects.push({ file: name, object });
      }
    }
  }
  return { objects, errors, skipped: [...skipped] };
}
