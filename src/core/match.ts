import { RE2JS } from '@bufbuild/re2';

import { showValue } from './errors';
import { MAX_PATH, pathProblem } from './paths';
import { PropChecker } from './validate';

/**
 * Targeted routing: requests that match are split by this entry's own `weight` (default: all to
 * the canary), before the ordinary weighted split applies to everyone else. Conditions within
 * one entry must all hold; entries are tried in order and the first that matches wins.
 */
export interface CanaryMatch {
  /**
   * Headers that must have exactly these values. Names are case-insensitive, as in HTTP: any
   * case is accepted and each router gets the lower-case form it compares (HTTP/2 sends them so).
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * Headers that must start with these values (IstioCanary only: Gateway API and ingress-nginx
   * have no prefix match).
   * @default - none
   */
  readonly headerPrefix?: { [name: string]: string };
  /**
   * Headers that must match these RE2 regular expressions (whole value).
   * @see https://github.com/google/re2/wiki/Syntax
   * @default - none
   */
  readonly headerRegex?: { [name: string]: string };
  /**
   * Requests whose path starts with this prefix, element-wise (`/error` matches `/error` and
   * `/error/x`, not `/errors`). IstioCanary and GatewayCanary; ingress-nginx's canary rules cannot
   * match a path.
   * @default - any path
   */
  readonly pathPrefix?: string;
  /**
   * Requests to exactly this path.
   * @default - any path
   */
  readonly pathExact?: string;
  /**
   * Requests whose whole path matches this RE2 regular expression (Gateway API: support and
   * precedence of regular-expression paths are implementation-specific).
   * @default - any path
   */
  readonly pathRegex?: string;
  /**
   * A cookie name: the request is targeted when this cookie has the value `always`, as
   * ingress-nginx's `canary-by-cookie` does.
   * @default - none
   */
  readonly cookie?: string;
  /**
   * Integer percent of matching requests sent to the canary.
   * @default 100
   */
  readonly weight?: number;
}

const MATCH_FIELDS: Record<keyof CanaryMatch, true> = {
  headers: true, headerPrefix: true, headerRegex: true, cookie: true, weight: true, pathPrefix: true, pathExact: true, pathRegex: true,
};

/** How a header value is compared. */
export enum HeaderMatchType {
  EXACT = 'exact',
  PREFIX = 'prefix',
  REGEX = 'regex',
}

/** One header condition of a validated match. */
export interface HeaderCondition {
  readonly name: string;
  readonly type: HeaderMatchType;
  readonly value: string;
}

/** How a path condition compares. */
export enum PathMatchType {
  PREFIX = 'prefix',
  EXACT = 'exact',
  REGEX = 'regex',
}

/** The path condition of a validated match. */
export interface PathCondition {
  readonly type: PathMatchType;
  readonly value: string;
}

/** A validated `CanaryMatch`. */
export interface ResolvedMatch {
  /** The prop path, e.g. `match[1]`, for errors raised by a strategy. */
  readonly prop: string;
  /** Header conditions, cookie excluded, in a stable order (name, then type). */
  readonly headers: readonly HeaderCondition[];
  readonly cookie?: string;
  /** The path condition, AND-ed with the others. */
  readonly path?: PathCondition;
  readonly weight: number;
}

/** RFC 7230 token: what every router accepts as a header name (compared case-insensitively). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Gateway API limits of an HTTPRoute header match (the CRD's maxLength of name and value). */
const MAX_HEADER_NAME = 256;
const MAX_HEADER_VALUE = 4096;
/** Characters no HTTP field value carries (RFC 9110 5.5: no CTLs but HTAB). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** RFC 6265 cookie-name (an RFC 7230 token). */
export const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Checks an RE2 pattern as Envoy and the Gateway API implementations will compile it. */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Why `router` cannot take a prefix header match, with the regex that does the same. */
export function prefixUnsupported(header: HeaderCondition, router: string): string {
  return `matches ${showValue(header.name)} by prefix, which ${router} does not support; use headerRegex: { '${header.name}': '^${RE2JS.quote(header.value)}.*' }`;
}

/**
 * `regex` anchored to the whole value, for routers that search a value for the pattern
 * (ingress-nginx's canary-by-header-pattern, ALB regexValues): `headerRegex` means a whole-value
 * match everywhere, as Envoy and the Gateway API read it.
 */
export function anchoredRegex(regex: string): string {
  return `^(?:${regex})$`;
}

/** `text` as a pattern that matches it literally (backslash escapes: valid RE2 and JavaScript alike). */
export function quoteRegex(text: string): string {
  return RE2JS.quote(text);
}

/** The pattern matching a `Cookie` header in which cookie `name` has `value`. */
export function cookieValueRegex(name: string, value: string): string {
  return `^(.*;\\s*)?${quoteRegex(name)}=${quoteRegex(value)}(\\s*;.*)?$`;
}

/** The RE2 pattern matching a `Cookie` header in which `name` is `always`. */
export function cookieAlwaysRegex(name: string): string {
  return cookieValueRegex(name, 'always');
}

function resolveHeaders(check: PropChecker, prop: string, type: HeaderMatchType, value: unknown): HeaderCondition[] {
  const map = check.stringMap(prop, value);
  return Object.entries(map).map(([given, text]) => {
    if (!HEADER_NAME.test(given) || given.length > MAX_HEADER_NAME) {
      check.fail(prop, `${showValue(given)} is not a valid header name (an RFC 7230 token of at most ${MAX_HEADER_NAME} characters, e.g. "x-canary")`);
    }
    const valueProp = `${prop}.${given}`;
    if (text.length === 0) check.fail(valueProp, `must not be empty (an empty ${type} match is ambiguous: use another header)`);
    if (text.length > MAX_HEADER_VALUE) check.fail(valueProp, `is ${text.length} characters; a header match holds at most ${MAX_HEADER_VALUE}`);
    if (type === HeaderMatchType.REGEX) {
      const problem = re2Problem(text);
      if (problem) check.fail(valueProp, `is not a valid RE2 regular expression: ${problem}, got ${showValue(text)}`);
    } else if (CONTROL.test(text)) {
      check.fail(valueProp, `has a control character, which no HTTP header value carries, got ${showValue(text)}`);
    }
    return { name: given.toLowerCase(), type, value: text };
  });
}

/** Code-unit order: unlike localeCompare, the same on every machine, so output is deterministic. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Validates `match`; every strategy that supports targeted routing uses it. */
export function resolveMatches(check: PropChecker, value: unknown, hasCanary: boolean): ResolvedMatch[] {
  if (value === undefined) return [];
  check.list('match', value, 'a list of CanaryMatch');
  if (!Array.isArray(value)) return [];
  if (value.length > 0 && !hasCanary) {
    check.fail('match', 'targets requests to the canary, but there is no canary track; add canary, or remove match');
  }
  const seen = new Map<string, string>();
  return value.map((entry: CanaryMatch, i) => {
    const prop = `match[${i}]`;
    check.object(prop, entry, true, MATCH_FIELDS);
    const headers = [
      ...resolveHeaders(check, `${prop}.headers`, HeaderMatchType.EXACT, entry.headers),
      ...resolveHeaders(check, `${prop}.headerPrefix`, HeaderMatchType.PREFIX, entry.headerPrefix),
      ...resolveHeaders(check, `${prop}.headerRegex`, HeaderMatchType.REGEX, entry.headerRegex),
    ].sort((a, b) => compareText(a.name, b.name) || compareText(a.type, b.type));
    headers.forEach((h, j) => {
      if (j > 0 && headers[j - 1].name === h.name) {
        check.fail(prop, `matches header ${showValue(h.name)} twice (${headers[j - 1].type} and ${h.type}; names are case-insensitive); a header can have one condition per entry`);
      }
    });
    let cookie: string | undefined;
    if (entry.cookie !== undefined) {
      cookie = check.string(`${prop}.cookie`, entry.cookie);
      if (!COOKIE_NAME.test(cookie) || cookie.length > MAX_HEADER_NAME) {
        check.fail(`${prop}.cookie`, `is not a valid cookie name (an RFC 6265 token: letters, digits and !#$%&'*+-.^_\`|~), got ${showValue(cookie)}`);
      }
      if (headers.some((h) => h.name === 'cookie')) {
        check.fail(`${prop}.cookie`, 'is set while the same entry also matches the "cookie" header; use one or the other');
      }
    }
    const path = resolvePath(check, prop, entry);
    if (headers.length === 0 && cookie === undefined && path === undefined) {
      check.fail(prop, 'has no condition: give headers, headerPrefix, headerRegex, cookie or a path (use weight for ordinary traffic)');
    }
    const weight = check.integer(`${prop}.weight`, entry.weight, { min: 0, max: 100 }, 100);
    const key = JSON.stringify([headers, cookie, path]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      check.fail(prop, `has the same conditions as ${earlier}, so it would never match; merge them or change the conditions`);
    }
    seen.set(key, prop);
    return { prop, headers, cookie, path, weight };
  });
}

/** The entry's path condition: at most one of pathPrefix, pathExact and pathRegex. */
function resolvePath(check: PropChecker, prop: string, entry: CanaryMatch): PathCondition | undefined {
  const given = ([['pathPrefix', PathMatchType.PREFIX], ['pathExact', PathMatchType.EXACT], ['pathRegex', PathMatchType.REGEX]] as const)
    .filter(([field]) => entry[field] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) check.fail(`${prop}.${given[1][0]}`, `is given together with ${given[0][0]}; an entry matches one path condition`);
  const [field, type] = given[0];
  const value = check.string(`${prop}.${field}`, entry[field]);
  if (type === PathMatchType.REGEX) {
    const problem = re2Problem(value);
    if (problem) check.fail(`${prop}.${field}`, `is not a valid RE2 regular expression: ${problem}, got ${showValue(value)}`);
    if (value.length > MAX_PATH) check.fail(`${prop}.${field}`, `must be at most ${MAX_PATH} characters`);
  } else {
    const problem = pathProblem(value);
    if (problem) check.fail(`${prop}.${field}`, `${problem} (the HTTPRoute CRD's rule, the strictest router's), got ${showValue(value)}`);
  }
  return { type, value };
}
