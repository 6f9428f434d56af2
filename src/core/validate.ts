import { Duration } from 'cdk8s';

import { propElsewhere } from './accepted-props';
import { CanaryConfigError, showValue } from './errors';

/** DNS-1123 label: namespaces, most object names. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label: Service names (must start with a letter). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: label-key prefixes, host names. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A host name as routers take it: a DNS-1123 subdomain, optionally with a leading `*.` wildcard. */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label value (may be empty). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** The name part of a qualified name (label and annotation keys). */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Levenshtein distance, for "did you mean" on a misspelt prop. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** Collections whose entries are not own properties: passing one where a map is expected loses every entry. */
function isCollection(value: unknown): boolean {
  return value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet;
}

/** True when `value` is a valid Kubernetes label value. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Why `key` is not a valid qualified name (label or annotation key), or undefined when it is. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'has a prefix that is not a DNS-1123 subdomain (lower case, at most 253 characters)';
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    return 'is not a qualified name (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, with an optional "prefix/")';
  }
  return undefined;
}

/** 99999 hours: the largest duration the Gateway API's format (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`) can write. */
const MAX_DURATION_MS = 99999 * 3600 * 1000;

/** TotalAnnotationSizeLimitB of k8s.io/apimachinery ValidateAnnotations. */
export const MAX_ANNOTATIONS_SIZE = 256 * 1024;
/** The largest int32, the bound of most integer fields of the Kubernetes API. */
export const INT32_MAX = 2147483647;
/** A port number (Service, container, listener, backendRef). */
export const PORT_RANGE = { min: 1, max: 65535 } as const;

/** Bytes of a map of annotations as the API server counts them: keys and values, UTF-8. */
export function annotationsSize(annotations: Readonly<Record<string, string>>): number {
  return Object.entries(annotations).reduce((total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
}

/** Range and form of an integer prop. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Checks one construct's props and throws a `CanaryConfigError` naming the construct, the prop,
 * the value given and what is allowed. JavaScript callers can pass anything, so every check also
 * checks the type.
 */
export class PropChecker {
  /** Warnings given so far: what is probably wrong but cannot be known for sure. */
  public readonly warnings: string[] = [];

  constructor(public readonly kind: string, public readonly path: string) {}

  /** Throws the error for `prop`. */
  public fail(prop: string, problem: string): never {
    throw new CanaryConfigError(this.kind, this.path, prop, problem);
  }

  /**
   * Records a warning about `prop` and prints it on the process's warning channel (stderr, once
   * per construct), so that `cdk8s synth` shows it as well as `SafeSynth`.
   */
  public warn(prop: string, problem: string): void {
    const message = `${this.kind} ${this.path}: ${prop} ${problem}`;
    if (this.warnings.includes(message)) return;
    this.warnings.push(message);
    process.emitWarning(message, { type: 'CanaryWarning', code: 'CDK8S_CANARY' });
  }

  /**
   * An object of props (props, nested props): not null, an array, a function or a collection
   * such as a Map, whose entries the library would not see.
   */
  public object<T>(prop: string, value: T | undefined, required: boolean, fields?: Readonly<Record<string, true>>): T | undefined {
    if (value === undefined && !required) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value) || isCollection(value)) {
      this.fail(prop, `must be an object${required ? ' (it is required)' : ''}, got ${showValue(value)}`);
    }
    if (fields) this.knownFields(prop, value as object, fields);
    return value;
  }

  /**
   * Refuses a field the props type does not have: from plain JavaScript or JSON, a misspelt
   * `wieght` would otherwise be ignored and route 0 %.
   */
  private knownFields(prop: string, value: object, fields: Readonly<Record<string, true>>): void {
    for (const key of Object.keys(value)) {
      if (Object.prototype.hasOwnProperty.call(fields, key) || (value as Record<string, unknown>)[key] === undefined) continue;
      const names = Object.keys(fields);
      const near = names.filter((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= 2);
      let hint = near.length > 0 ? `; did you mean ${near.join(' or ')}?` : '';
      // Another construct's prop (a service moved between strategies): say whose, and what this one has instead.
      const elsewhere = prop === 'props' ? propElsewhere(this.kind, key) : undefined;
      if (elsewhere) {
        const owners = elsewhere.owners.length === 1 ? elsewhere.owners[0] : `${elsewhere.owners.slice(0, -1).join(', ')} and ${elsewhere.owners[elsewhere.owners.length - 1]}`;
        const takes = `${owners} ${elsewhere.owners.length === 1 ? 'takes' : 'take'}`;
        if (elsewhere.equivalent !== undefined && near.includes(elsewhere.equivalent)) hint += ` ${takes} ${key}`;
        else hint += `; ${takes} it; ${this.kind} ${elsewhere.equivalent === undefined ? 'has no equivalent' : `has ${elsewhere.equivalent} instead`}`;
      }
      this.fail(prop === 'props' ? key : `${prop}.${key}`, `is not a prop${hint} (known: ${names.join(', ')})`);
    }
  }

  /**
   * A map of names to values written as a plain object (`{ name: value }`): a Map, a class
   * instance or symbol keys would be silently dropped by the renderer, so they are refused.
   * Returns the entries in insertion order; keys are data (see data-keys.ts).
   */
  public mapEntries(prop: string, value: unknown): [string, unknown][] {
    if (value === undefined) return [];
    const proto = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      this.fail(prop, `must be a plain object of names to values ({ "name": value }), got ${showValue(value)}${isCollection(value) ? ` (a ${(value as object).constructor.name}: write it as an object literal)` : ''}`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) this.fail(prop, 'has symbol keys; keys must be strings');
    return Object.keys(value as object).map((key) => [key, (value as Record<string, unknown>)[key]]);
  }

  /** A list: an array without holes (`[, x]` would render as null). */
  public list(prop: string, value: unknown, what = 'a list'): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(prop, `must be ${what}, got ${showValue(value)}`);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) this.fail(`${prop}[${i}]`, 'is an empty slot (a hole in the array); remove it');
    }
    return value;
  }

  /** An integer within `range`; `fallback` when absent. */
  public integer(prop: string, value: unknown, range: IntegerRange, fallback: number): number;
  public integer(prop: string, value: unknown, range: IntegerRange, fallback?: number): number | undefined;
  public integer(prop: string, value: unknown, range: IntegerRange, fallback?: number): number | undefined {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      this.fail(prop, `must be an integer from ${range.min} to ${range.max}, got ${showValue(value)}`);
    }
    return value + 0; // -0 is 0: the same props must give the same bytes
  }

  /** A finite number within `range` (percentages may be fractional); `fallback` when absent. */
  public number(prop: string, value: unknown, range: IntegerRange, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max) {
      this.fail(prop, `must be a number from ${range.min} to ${range.max}, got ${showValue(value)}`);
    }
    return value + 0; // -0 is 0
  }

  /**
   * A cdk8s `Duration`: a whole number of milliseconds (the routers' precision), at least 1 ms
   * and at most 99999 hours, the largest a Gateway API duration can carry.
   */
  public duration(prop: string, value: unknown): Duration | undefined {
    if (value === undefined) return undefined;
    if (!(value instanceof Duration)) this.fail(prop, `must be a cdk8s Duration, e.g. Duration.seconds(10), got ${showValue(value)}`);
    const ms = value.toMilliseconds({ integral: false });
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_DURATION_MS) {
      this.fail(prop, `must be a whole number of milliseconds from 1 ms to 99999 hours, got ${ms} ms`);
    }
    return value;
  }

  /**
   * A cdk8s `Duration` of whole seconds within `range` (seconds), for the fields the API takes in
   * seconds; the message gives the field's own range, which may start at 0.
   */
  public wholeSeconds(prop: string, value: unknown, range: IntegerRange, describe = `${range.min} to ${range.max}`): number | undefined {
    if (value === undefined) return undefined;
    if (!(value instanceof Duration)) this.fail(prop, `must be a cdk8s Duration, e.g. Duration.seconds(10), got ${showValue(value)}`);
    const ms = value.toMilliseconds({ integral: false });
    if (!Number.isFinite(ms) || ms % 1000 !== 0 || ms / 1000 < range.min || ms / 1000 > range.max) {
      this.fail(prop, `must be a whole number of seconds from ${describe}, got ${Number.isFinite(ms) && ms % 1000 === 0 ? `${ms / 1000} seconds` : `${ms} ms`}`);
    }
    return ms / 1000 + 0;
  }

  /** A boolean; `fallback` when absent. */
  public boolean(prop: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(prop, `must be true or false, got ${showValue(value)}`);
    return value;
  }

  /** A non-empty string. */
  public string(prop: string, value: unknown): string {
    if (typeof value !== 'string' || value.length === 0) {
      this.fail(prop, `must be a non-empty string, got ${showValue(value)}`);
    }
    return this.text(prop, value);
  }

  /** Any string without NUL characters (which no Kubernetes field, header or process argument can carry). */
  public text(prop: string, value: unknown): string {
    if (typeof value !== 'string') this.fail(prop, `must be a string, got ${showValue(value)}`);
    if (value.includes('\u0000')) this.fail(prop, `must not contain a NUL character, got ${showValue(value)}`);
    return value;
  }

  /** A list of strings (command, args, hosts). */
  public stringList(prop: string, value: unknown): string[] | undefined {
    const list = this.list(prop, value, 'a list of strings');
    list?.forEach((item, i) => this.text(`${prop}[${i}]`, item));
    return list as string[] | undefined;
  }

  /** A map of string to string (env, labels, annotations, headers); keys are data. */
  public stringMap(prop: string, value: unknown): Record<string, string> {
    const map: Record<string, string> = {};
    for (const [key, item] of this.mapEntries(prop, value)) {
      Object.defineProperty(map, key, { value: this.text(`${prop}.${key}`, item), enumerable: true, writable: true, configurable: true });
    }
    return map;
  }

  /** One of a fixed set of values. */
  public oneOf<T>(prop: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) {
      this.fail(prop, `must be one of ${allowed.map(showValue).join(', ')}, got ${showValue(value)}`);
    }
    return value as T;
  }

  /**
   * A DNS-1035 label (what a Service name must be) of at most `maxLength` characters.
   * `why` explains a limit below 63, e.g. the suffixes added to the name.
   */
  public dns1035Label(prop: string, value: unknown, maxLength: number, why = ''): string {
    const text = this.string(prop, value);
    if (!DNS1035_LABEL.test(text)) {
      this.fail(prop, `must be a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit), got ${showValue(value)}`);
    }
    if (text.length > maxLength) {
      this.fail(prop, `must be at most ${maxLength} characters${why}, got ${showValue(value)} (${text.length})`);
    }
    return text;
  }

  /** A DNS-1123 label (namespaces, Gateway names). */
  public dns1123Label(prop: string, value: unknown): string {
    const text = this.string(prop, value);
    if (text.length > 63 || !DNS1123_LABEL.test(text)) {
      this.fail(prop, `must be a DNS-1123 label (at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit), got ${showValue(value)}`);
    }
    return text;
  }

  /** A DNS-1123 subdomain (object names, Secret names). */
  public dns1123Subdomain(prop: string, value: unknown): string {
    const text = this.string(prop, value);
    if (text.length > 253 || !DNS1123_SUBDOMAIN.test(text)) {
      this.fail(prop, `must be a DNS-1123 subdomain (at most 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit), got ${showValue(value)}`);
    }
    return text;
  }

  /**
   * A host name for a route or Ingress (`www.example.com`, `*.example.com`): lower case, labels of
   * at most 63 characters (istiod's ValidateWildcardDomain), and never an IP address, which the
   * Ingress API and the Gateway API refuse as a host name.
   */
  public hostname(prop: string, value: unknown): string {
    const text = this.string(prop, value);
    if (text.length > 253 || !HOSTNAME.test(text)) {
      this.fail(prop, `must be a lower-case DNS name, optionally with a leading "*." wildcard (no IP address, no port), got ${showValue(value)}`);
    }
    if (text.split('.').some((label) => label.length > 63)) this.fail(prop, `has a label longer than 63 characters, got ${showValue(value)}`);
    if (/^[0-9]+(\.[0-9]+){3}$/.test(text)) this.fail(prop, `is an IP address; routers match host names, so give the DNS name clients use, got ${showValue(value)}`);
    return text;
  }

  /** Annotations: qualified-name keys, and at most 256 KiB in all (the API server's limit). */
  public annotations(prop: string, value: unknown): Record<string, string> {
    const map = this.stringMap(prop, value);
    for (const key of Object.keys(map)) {
      const problem = qualifiedNameProblem(key);
      if (problem) this.fail(prop, `key ${showValue(key)} ${problem}`);
    }
    const size = annotationsSize(map);
    if (size > MAX_ANNOTATIONS_SIZE) this.fail(prop, `total ${size} bytes; the API server refuses annotations over ${MAX_ANNOTATIONS_SIZE} bytes (256 KiB) in all`);
    return map;
  }

  /** A label value. */
  public labelValue(prop: string, value: unknown): string {
    if (typeof value !== 'string' || !isLabelValue(value)) {
      this.fail(prop, `must be a label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit), got ${showValue(value)}`);
    }
    return value;
  }

  /** A map of labels; keys in `reserved` are set by the library and may not be overridden. */
  public labels(prop: string, value: unknown, reserved: readonly string[]): Record<string, string> {
    const map = this.stringMap(prop, value);
    for (const [key, item] of Object.entries(map)) {
      const problem = qualifiedNameProblem(key);
      if (problem) this.fail(prop, `key ${showValue(key)} ${problem}`);
      if (reserved.includes(key)) {
        this.fail(prop, `key ${showValue(key)} is set by cdk8s-canary (selectors depend on it) and cannot be overridden; reserved keys: ${reserved.join(', ')}`);
      }
      this.labelValue(`${prop}.${key}`, item);
    }
    return map;
  }
}
