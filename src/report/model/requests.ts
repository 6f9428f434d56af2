import { labelsOf, list } from '../../checks/manifest-fields';
import { quoteRegex } from '../../core/match';
import { Manifest } from './object-index';

/**
 * Requests in a router-neutral form, so that routes of different routers can be compared: what
 * a route takes (`when`: any of its matches, each all of its conditions) and where a canary is
 * entered (host and path, or a Service for mesh traffic). The migration comparison sends the
 * same sample requests through both and compares where each lands.
 */

/** One condition on a request. Header names are lower-case (HTTP compares them so). */
export interface RequestCondition {
  readonly on: 'header' | 'query' | 'path' | 'method';
  readonly name?: string;
  /** `within`: a path prefix element-wise (Gateway API PathPrefix, Ingress Prefix). */
  readonly match: 'exact' | 'prefix' | 'within' | 'regex' | 'present';
  readonly value?: string;
  readonly negate?: boolean;
  /** A missing header is matched as an empty one (Istio's withoutHeaders). */
  readonly missingAsEmpty?: boolean;
}

/** Any of these, each all of its conditions; an empty list (or one empty match) takes every request. */
export type RequestMatch = readonly (readonly RequestCondition[])[];

/** Where requests enter: a host and path (north-south), or a Service (mesh). */
export interface EntryPoint {
  /** `*` for any host. */
  readonly host?: string;
  readonly path?: string;
  /** The Service's short name, for mesh traffic. */
  readonly service?: string;
}

/** A sample request. */
export interface SampleRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly method: string;
}

/** The key two entry points share when they take the same requests. */
export function entryKey(e: EntryPoint): string {
  return e.service !== undefined ? `service ${e.service}` : `${e.host ?? '*'}${e.path ?? '/'}`;
}

function regex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

function holds(c: RequestCondition, request: SampleRequest): boolean {
  const given = c.on === 'header' ? request.headers[c.name ?? ''] : c.on === 'query' ? request.query[c.name ?? ''] : c.on === 'path' ? request.path : request.method;
  const value = given === undefined && c.missingAsEmpty && c.match !== 'present' ? '' : given;
  let result: boolean;
  if (value === undefined) result = false;
  else if (c.match === 'present') result = true;
  else if (c.match === 'exact') result = value === c.value;
  else if (c.match === 'prefix') result = value.startsWith(c.value ?? '');
  else if (c.match === 'within') {
    const prefix = (c.value ?? '/').replace(/\/+$/, '');
    result = prefix === '' || value === prefix || value.startsWith(`${prefix}/`);
  } else result = regex(c.value ?? '')?.test(value) ?? false;
  return c.negate ? !result : result;
}

/** Whether `match` takes `request`. */
export function takes(match: RequestMatch | undefined, request: SampleRequest): boolean {
  if (match === undefined || match.length === 0) return true;
  return match.some((all) => all.every((c) => holds(c, request)));
}

/**
 * A value a regex surely matches, for patterns that are a literal between optional anchors, or
 * the cookie pattern the library writes (`^(.*;\s*)?NAME=VALUE(\s*;.*)?$`); undefined otherwise.
 */
export function sampleOfRegex(pattern: string): string | undefined {
  const cookie = /^\^\(\.\*;\\s\*\)\?(.+)=(\w+)\(\\s\*;\.\*\)\?\$$/.exec(pattern);
  if (cookie) return `${unquote(cookie[1])}=${cookie[2]}`;
  let body = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1);
  if (body.startsWith('(?:') && body.endsWith(')')) body = body.slice(3, -1);
  if (/[.*+?()[\]{}|^$]/.test(body.replace(/\\./g, ''))) return undefined;
  const literal = body.replace(/\\(.)/g, '$1');
  return regex(pattern)?.test(literal) ? literal : undefined;
}

/** A literal quoted with backslashes (core quoteRegex), unquoted. */
function unquote(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Sample requests that satisfy each match of `match` at `base` (undefined when a condition has no sure sample). */
export function samplesOf(match: RequestMatch, base: SampleRequest): (SampleRequest | undefined)[] {
  return match.map((all) => {
    const headers: Record<string, string> = { ...base.headers };
    const query: Record<string, string> = { ...base.query };
    let { path, method } = base;
    for (const c of all) {
      if (c.negate) continue;
      const value = c.match === 'present' ? 'x' : c.match === 'regex' ? sampleOfRegex(c.value ?? '') : c.value;
      if (value === undefined) return undefined;
      if (c.on === 'header') headers[c.name ?? ''] = value;
      else if (c.on === 'query') query[c.name ?? ''] = value;
      else if (c.on === 'method') method = value;
      else if (c.match !== 'within' || !takes([[c]], { ...base, path })) path = value;
    }
    const request = { headers, query, path, method };
    return takes([all], request) ? request : undefined;
  });
}

/** The conditions of a Gateway API rule's matches (HTTPRoute or GRPCRoute). */
export function gatewayMatch(matches: readonly Manifest[], grpc: boolean): RequestMatch {
  return matches.map((m) => {
    const all: RequestCondition[] = [];
    if (grpc && m?.method) {
      // A gRPC request's path is /<service>/<method> (GRPCMethodMatch: either may be left out).
      const service = m.method?.service;
      const method = m.method?.method;
      if (m.method?.type === 'RegularExpression') all.push({ on: 'path', match: 'regex', value: `^/${service ?? '[^/]+'}/${method ?? '[^/]+'}$` });
      else if (service && method) all.push({ on: 'path', match: 'exact', value: `/${service}/${method}` });
      else if (service) all.push({ on: 'path', match: 'prefix', value: `/${service}/` });
      else if (method) all.push({ on: 'path', match: 'regex', value: `^/[^/]+/${quoteRegex(String(method))}$` });
    }
    if (!grpc && m?.path && typeof m.path === 'object') {
      const type = m.path.type ?? 'PathPrefix';
      all.push({ on: 'path', match: type === 'Exact' ? 'exact' : type === 'PathPrefix' ? 'within' : 'regex', value: String(m.path.value ?? '/') });
    }
    for (const h of list<Manifest>(m?.headers)) all.push({ on: 'header', name: String(h?.name).toLowerCase(), match: h?.type === 'RegularExpression' ? 'regex' : 'exact', value: String(h?.value) });
    for (const q of list<Manifest>(m?.queryParams)) all.push({ on: 'query', name: String(q?.name), match: q?.type === 'RegularExpression' ? 'regex' : 'exact', value: String(q?.value) });
    if (!grpc && typeof m?.method === 'string') all.push({ on: 'method', match: 'exact', value: m.method });
    return all;
  });
}

/**
 * The conditions of an Istio http route's matches, as istiod hands them to Envoy
 * (pilot/pkg/networking/core/route translateHeaderMatch, and the routing integration tests'
 * "without headers" cases): `withoutHeaders` inverts the match and reads a missing header as an
 * empty one; `regex: "*"` (not a valid RE2) means "the header is present"; pseudo-headers
 * `:method`, `:path`, `:authority` are the request's method, path and host.
 */
export function istioMatch(matches: readonly Manifest[]): RequestMatch {
  const stringMatch = (on: RequestCondition['on'], name: string | undefined, condition: unknown, negate = false): RequestCondition[] => Object.entries(labelsOf(condition))
    .map(([kind, value]): RequestCondition => {
      const present = kind === 'regex' && value === '*';
      const match = present ? 'present' : kind === 'exact' ? 'exact' : kind === 'prefix' ? 'prefix' : 'regex';
      return { on, name, match, value: present ? undefined : String(value), negate, missingAsEmpty: negate || undefined };
    });
  const header = (name: string, c: unknown, negate = false): RequestCondition[] => {
    const lower = name.toLowerCase();
    if (lower === ':method') return stringMatch('method', undefined, c, negate);
    if (lower === ':path') return stringMatch('path', undefined, c, negate);
    return stringMatch('header', lower === ':authority' ? 'host' : lower, c, negate);
  };
  return matches.map((m) => [
    ...stringMatch('path', undefined, m?.uri),
    ...Object.entries(labelsOf(m?.headers)).flatMap(([name, c]) => header(name, c)),
    ...Object.entries(labelsOf(m?.queryParams)).flatMap(([name, c]) => stringMatch('query', name, c)),
    ...Object.entries(labelsOf(m?.withoutHeaders)).flatMap(([name, c]) => header(name, c, true)),
    ...stringMatch('method', undefined, m?.method),
    ...stringMatch('header', 'host', m?.authority),
  ]);
}
