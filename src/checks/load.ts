import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { parseAllDocuments } from 'yaml';

import { LocatedManifest, Manifest } from './manifest';

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
  for (const path of paths) {
    const root = statSync(path).isDirectory() ? path : join(path, '..');
    for (const file of yamlFiles(path, { skipHidden: true })) {
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
  }
  return { objects, errors, skipped: [...skipped] };
}

/**
 * The `*.yaml` / `*.yml` files at or below `path`, in sorted order. `skipHidden` leaves out
 * dot-entries and node_modules (the report reads a user's tree; the safe synth reads only what
 * the app wrote and checks all of it).
 */
export function yamlFiles(path: string, options: { readonly skipHidden: boolean }): string[] {
  if (!statSync(path).isDirectory()) return /\.ya?ml$/.test(path) ? [path] : [];
  return readdirSync(path).sort()
    .filter((entry) => !(options.skipHidden && (entry.startsWith('.') || entry === 'node_modules')))
    .flatMap((entry) => yamlFiles(join(path, entry), options));
}

/** Every manifest the app wrote below `dir`, named by its path in `dir`; YAML errors come back as messages. */
export function loadOutputManifests(dir: string): { manifests: LocatedManifest[]; files: string[]; errors: string[] } {
  const files = yamlFiles(dir, { skipHidden: false }).map((file) => relative(dir, file));
  const manifests: LocatedManifest[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const parsed = parseYamlFile(readFileSync(join(dir, file)), file);
    errors.push(...parsed.errors);
    for (const manifest of parsed.values) {
      if (manifest !== null && manifest !== undefined) manifests.push({ file, manifest: manifest as Manifest });
    }
  }
  return { manifests, files, errors };
}
