/**
 * A structural check of a value passed through to a CRD field against that field's OpenAPI v3
 * schema, as the API server applies it (k8s.io/apiextensions-apiserver structural schemas): types,
 * known fields only (the API server would prune a misspelt one silently), enums, required fields,
 * ranges and integer formats, list and string limits, oneOf/anyOf/allOf/not, and the one CEL rule
 * Istio's CRDs put on durations. It returns the first problem found, with its JSON path.
 */

/** A (stripped) OpenAPI v3 schema node. */
export interface SchemaNode {
  readonly [key: string]: unknown;
}

const FORMAT_RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};
/** A Go / CEL duration (`1h2m3.5s`, `250ms`), the form `duration(self)` parses. */
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

function durationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value));

/** The first problem of `value` against `schema`, or undefined. `path` names the value in messages. */
export function schemaProblem(schema: SchemaNode, value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  const type = schema.type as string | undefined;
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (actual !== 'integer' && actual !== 'string') return `${path} must be an integer or a string, got ${show(value)}`;
  } else if (type !== undefined && actual !== type && !(type === 'number' && actual === 'integer')) {
    return `${path} must be ${type === 'integer' ? 'an integer' : `a${/^[aeiou]/.test(type) ? 'n' : ''} ${type}`}, got ${show(value)}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    return `${path} must be one of ${schema.enum.map(show).join(', ')}, got ${show(value)}`;
  }
  if (typeof value === 'number') {
    const range = FORMAT_RANGES[schema.format as string];
    const min = Math.max(typeof schema.minimum === 'number' ? schema.minimum : -Infinity, range?.[0] ?? -Infinity);
    const max = Math.min(typeof schema.maximum === 'number' ? schema.maximum : Infinity, range?.[1] ?? Infinity);
    if (!Number.isFinite(value) || value < min || value > max) return `${path} must be from ${min} to ${max}, got ${show(value)}`;
  }
  if (typeof value === 'string') {
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return `${path} must be at most ${schema.maxLength} characters`;
    const rules = (schema['x-kubernetes-validations'] as { rule: string }[] | undefined) ?? [];
    if (rules.some((r) => r.rule.startsWith('duration(self)'))) {
      if (!DURATION.test(value)) return `${path} must be a duration such as "10s" or "250ms", got ${show(value)}`;
      if (durationMs(value) < 1) return `${path} must be at least 1ms, got ${show(value)}`;
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return `${path} must have at most ${schema.maxItems} entries`;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return `${path}[${i}] is an empty slot`;
      const problem = schema.items ? schemaProblem(schema.items as SchemaNode, value[i], `${path}[${i}]`) : undefined;
      if (problem) return problem;
    }
  }
  if (actual === 'object') {
    const problem = objectProblem(schema, value as Record<string, unknown>, path);
    if (problem) return problem;
  }
  return combinatorProblem(schema, value, path);
}

function objectProblem(schema: SchemaNode, value: Record<string, unknown>, path: string): string | undefined {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `${path} must be a plain object, got ${show(value)}`;
  const properties = schema.properties as Record<string, SchemaNode> | undefined;
  const additional = schema.additionalProperties as SchemaNode | boolean | undefined;
  // A schema that lists no fields (a oneOf alternative saying which field is required) says
  // nothing about the others.
  const closed = properties !== undefined || additional !== undefined;
  for (const key of closed ? Object.keys(value) : []) {
    const child = properties && Object.prototype.hasOwnProperty.call(properties, key) ? properties[key]
      : typeof additional === 'object' ? additional : undefined;
    if (child === undefined) {
      if (schema['x-kubernetes-preserve-unknown-fields'] === true) continue;
      const known = properties ? Object.keys(properties).join(', ') : 'none';
      return `${path}.${key} is not a field (the API server would drop it); known fields: ${known}`;
    }
    const problem = schemaProblem(child, value[key], `${path}.${key}`);
    if (problem) return problem;
  }
  for (const key of (schema.required as string[] | undefined) ?? []) {
    if (value[key] === undefined) return `${path}.${key} is required`;
  }
  return undefined;
}

function combinatorProblem(schema: SchemaNode, value: unknown, path: string): string | undefined {
  const passes = (s: SchemaNode) => schemaProblem(s, value, path) === undefined;
  const fields = (alternatives: SchemaNode[]) => alternatives.filter((s) => Array.isArray(s.required)).map((s) => (s.required as string[]).join(' and ')).join(', ');
  for (const s of (schema.allOf as SchemaNode[] | undefined) ?? []) {
    const problem = schemaProblem(s, value, path);
    if (problem) return problem;
  }
  const oneOf = schema.oneOf as SchemaNode[] | undefined;
  if (oneOf && oneOf.filter(passes).length !== 1) {
    return `${path} must set ${oneOf.some((s) => !Array.isArray(s.required)) ? 'at most' : 'exactly'} one of: ${fields(oneOf)}`;
  }
  const anyOf = schema.anyOf as SchemaNode[] | undefined;
  if (anyOf && !anyOf.some(passes)) return `${path} must set one of: ${fields(anyOf)}`;
  if (schema.not && passes(schema.not as SchemaNode)) return `${path} sets fields that exclude each other`;
  return undefined;
}
