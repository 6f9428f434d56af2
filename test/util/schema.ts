import Ajv, { ErrorObject } from 'ajv';
import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * Strict schema check of synthesized objects, self-contained (schemas extracted into
 * test/schemas by extract.mjs): like `kubeconform -strict`, an unknown field is an error.
 * Built-in kinds use the Kubernetes 1.28 definitions; CRD kinds are checked against every CRD
 * release in test/schemas/crds.json (both Istio, both Gateway API versions). CEL rules are left
 * to the strict validator that .ci/run runs from ../shared.
 *
 * Gateway API has two channels: standard output is checked against both standard releases,
 * experimental output (GatewayCanary `channel: EXPERIMENTAL`) against the experimental release
 * alone, as a cluster runs one channel's CRDs.
 */

type Schema = { [key: string]: unknown };
type Validator = { (data: unknown): boolean; errors?: ErrorObject[] | null };

const readSchema = (file: string) => JSON.parse(readFileSync(join(__dirname, '..', 'schemas', file), 'utf8'));
const builtIn: { kinds: Record<string, string>; definitions: Schema } = readSchema('kubernetes-1.28.json');
const crds: Record<string, Record<string, Schema>> = readSchema('crds.json');
type Manifest = { apiVersion?: string; kind?: string; metadata?: { name?: string } };

/** Forbids unknown fields wherever a schema lists its fields and does not say otherwise. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    out[key] = key === 'enum' || key === 'default' ? value : closeObjects(value);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** A CRD schema describes spec and status; the API server adds the object fields every kind has. */
function withObjectFields(schema: Schema): Schema {
  const fields = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
  return { ...schema, properties: { ...fields, ...(schema.properties as Schema) } };
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ definitions: closeObjects(builtIn.definitions) }, 'k8s');

const validators = new Map<string, { release: string; validate: Validator }[]>();
function validatorsFor(key: string): { release: string; validate: Validator }[] {
  let found = validators.get(key);
  if (!found) {
    const name = builtIn.kinds[key];
    if (name) {
      found = [{ release: 'kubernetes-1.28', validate: ajv.compile({ $ref: `k8s#/definitions/${name}` }) }];
    } else {
      const releases = crds[key];
      if (!releases) throw new Error(`no schema for ${key}: add the kind to test/schemas/extract.mjs`);
      found = Object.entries(releases).map(([release, schema]) => ({ release, validate: ajv.compile(closeObjects(withObjectFields(schema)) as Schema) }));
    }
    validators.set(key, found);
  }
  return found;
}

/** Which CRD releases a check uses. */
export interface SchemaOptions {
  /** The Gateway API channel the cluster runs (default standard). */
  readonly channel?: 'standard' | 'experimental';
  /** Releases left out, e.g. `gateway-api-v1.2.1-standard` for a field added in v1.3. */
  readonly without?: readonly string[];
}

const EXPERIMENTAL = /-experimental$/;

function releasesFor(key: string, options: SchemaOptions): { release: string; validate: Validator }[] {
  const all = validatorsFor(key).filter((v) => !options.without?.includes(v.release));
  const experimental = all.filter((v) => EXPERIMENTAL.test(v.release));
  if (experimental.length === 0) return all;
  return options.channel === 'experimental' ? experimental : all.filter((v) => !EXPERIMENTAL.test(v.release));
}

/** Every schema problem of `manifests`, as `Kind/name [release]: path message`. */
export function schemaProblems(manifests: readonly Manifest[], options: SchemaOptions = {}): string[] {
  const problems: string[] = [];
  for (const manifest of manifests) {
    const key = `${manifest.apiVersion} ${manifest.kind}`;
    for (const { release, validate } of releasesFor(key, options)) {
      if (!validate(manifest)) {
        for (const error of validate.errors ?? []) {
          const detail = error.keyword === 'additionalProperties' ? ` (${JSON.stringify(error.params.additionalProperty)})` : '';
          problems.push(`${manifest.kind}/${manifest.metadata?.name} [${release}]: ${error.instancePath || '/'} ${error.message}${detail}`);
        }
      }
    }
  }
  return problems;
}
