import { readdirSync, readFileSync, statSync } from 'fs';
import { defineScalarTag, loadAll, NOT_RESOLVED, YAML11_SCHEMA } from 'js-yaml';
import { join, relative } from 'path';
import { parse, parseAllDocuments } from 'yaml';

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
 * Plain scalars that start like a number, as the `yaml` package's YAML 1.1 schema reads them
 * (the way go-yaml v2, and so kubectl, does: `08` and `1e3` are numbers there, strings in the
 * strict 1.1 regexes js-yaml implements). Tried after js-yaml's own int and float; a cache keeps
 * it cheap, since manifests repeat their numbers (ports, replicas).
 */
const numbers = new Map<string, unknown>();
const kubectlNumber = defineScalarTag('tag:yaml.org,2002:kubectl-number', {
  implicit: true,
  implicitFirstChars: [...'0123456789+-.'],
  resolve: (source) => {
    if (!numbers.has(source)) {
      if (numbers.size > 10000) numbers.clear();
      numbers.set(source, parse(source, { version: '1.1' }));
    }
    const value = numbers.get(source);
    return typeof value === 'number' ? value : NOT_RESOLVED;
  },
  identify: () => false,
});
const KUBECTL_SCHEMA = YAML11_SCHEMA.withTags(kubectlNumber);
/**
 * What the fast parser leaves to the `yaml` package: merge keys and `__proto__` keys (where the
 * two differ in the object they build); aliases (whose expansion limit is `yaml`'s) and tags
 * js-yaml does not know make it throw, which has the same effect. A false alarm only costs time.
 */
const SLOW_PATH = /<<|__proto__/;

/** js-yaml's documents, or undefined when the `yaml` package must read the text (see SLOW_PATH; any error). */
function fastDocuments(text: string): unknown[] | undefined {
  if (SLOW_PATH.test(text)) return undefined;
  try {
    return loadAll(text, { schema: KUBECTL_SCHEMA, maxAliases: 0 });
  } catch {
    return undefined;
  }
}

/**
 * The documents of one YAML file as kubectl reads them: UTF-8 (kubectl refuses other bytes;
 * Node's own decoding would silently turn them into U+FFFD), YAML 1.1, and no alias expansion
 * beyond the parser's limit (an alias bomb: go-yaml refuses "excessive aliasing" too). Each
 * problem is one message naming the file (and document). js-yaml reads plain files (ten times
 * faster); the `yaml` package reads the rest and gives every error message, so that the two
 * paths read any text alike (a test compares them).
 */
export function parseYamlFile(bytes: Uint8Array, name: string): { values: unknown[]; errors: string[] } {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { values: [], errors: [`${name}: is not valid UTF-8, which kubectl cannot read; save the file as UTF-8`] };
  }
  const fast = fastDocuments(text);
  if (fast) return { values: fast, errors: [] };
  return slowDocuments(text, name);
}

/** The documents of `text` read by the `yaml` package (YAML 1.1), with its error messages. */
export function slowDocuments(text: string, name: string): { values: unknown[]; errors: string[] } {
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
