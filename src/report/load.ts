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

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The documents of one YAML file as kubectl reads them: UTF-8 (kubectl refuses other bytes;
 * Node's own decoding would silently turn them into U+FFFD), YAML 1.1, and no alias expansion
 * beyond the parser's limit (an alias bomb: go-yaml refuses "excessive aliasing" too). Each
 * problem is one message naming the file (and document).
 */
export function parseYamlFile(bytes: Uint8Array, name: string): { values: unknown[]; errors: string[] } {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { values: [], errors: [`${name}: is not valid UTF-8, which kubectl cannot read; save the file as UTF-8`] };
  }
  const values: unknown[] = [];
  const errors: string[] = [];
  parseAllDocuments(text, { version: '1.1' }).forEach((doc, i) => {
    if (doc.errors.length > 0) {
      errors.push(`${name}#${i}: ${doc.errors[0].message.split('\n')[0]}`);
      return;
    }
    try {
      values.push(doc.toJSON());
    } catch (e) {
      errors.push(`${name}#${i}: ${(e as Error).message.split('\n')[0]} (aliases that expand this far are refused, as kubectl refuses excessive aliasing)`);
    }
  });
  return { values, errors };
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
    const parsed = parseYamlFile(readFileSync(file), name);
    errors.push(...parsed.errors);
    for (const value of parsed.values as LoadedObject['object'][]) {
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
