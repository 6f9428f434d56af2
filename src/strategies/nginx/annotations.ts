import { CommonSpec } from '../../canary/common-props';
import { ownValue } from '../../core/data-keys';
import { showValue } from '../../core/errors';
import { anchoredRegex, HeaderMatchType, prefixUnsupported, ResolvedMatch } from '../../core/match';
import { CanaryProtocol } from '../../core/protocol';
import { PropChecker } from '../../core/validate';

// The annotations of NginxCanary's two Ingresses, held to what ingress-nginx reads and validates:
// targeting, weight, protocol and the user's own.

/** The ingress-nginx annotation prefix. */
export const NGINX = 'nginx.ingress.kubernetes.io/';
/** The path of both Ingresses, as the annotation checks need it. */
export interface IngressPath {
  readonly value: string;
  /** The pathType, for the messages. */
  readonly type: string;
  /** True for ImplementationSpecific, where ingress-nginx reads a regex path as one. */
  readonly implementationSpecific: boolean;
}
/** A character set ingress-nginx's annotation validation accepts, and how to say it. */
export interface NginxCharset {
  readonly pattern: RegExp;
  readonly description: string;
}
/** What it accepts in header and cookie annotations. */
const NGINX_BASIC: NginxCharset = { pattern: /^[-._~a-zA-Z0-9/:]+$/, description: 'letters, digits and -._~/:' };
/** ... in canary-by-header-pattern. */
const NGINX_REGEX: NginxCharset = {
  pattern: /^[-._~a-zA-Z0-9/:^$[\](){}*+?|&=\\]+$/,
  description: 'letters, digits, -._~/: and the regex characters ^$[](){}*+?|&=\\',
};
/** ... in a session cookie name that is also a valid cookie name. */
export const NGINX_COOKIE_NAME: NginxCharset = { pattern: /^[-._~a-zA-Z0-9]+$/, description: 'letters, digits and -._~' };
/** Characters that make an ImplementationSpecific path a regular expression to ingress-nginx. */
const REGEX_CHARACTERS = /[\^$()[\]{}*+?|\\]/;
/**
 * Annotations that turn every path of the host into a regular expression (ingress-nginx
 * "Ingress Path Matching": use-regex, and rewrite-target, which enforces it), case-insensitive and
 * matched as a string prefix: Prefix and Exact paths would no longer mean what pathType says.
 */
const REGEX_PATH_KEYS = ['use-regex', 'rewrite-target'];
/** Annotations that send a host's requests somewhere other than the two Ingresses' backends. */
const ROUTING_AROUND_KEYS = ['server-alias', 'permanent-redirect', 'temporal-redirect', 'app-root', 'default-backend'];

/**
 * How NGINX talks to the pods. A canary Ingress inherits it from the main Ingress (ingress-nginx
 * ignores its other annotations), so it is set there only. ingress-nginx's backend-protocol has
 * no cleartext HTTP/2 (HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP, FCGI), and NGINX serves HTTP/2 to
 * clients only with TLS: it cannot speak HTTP/1.x and HTTP/2 on one cleartext port
 * (kubernetes/ingress-nginx#3897), so gRPC clients need the host's TLS.
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#backend-protocol
 */
export function protocolAnnotations(spec: CommonSpec, tlsSecret: string | undefined, userAnnotations: Readonly<Record<string, string>>): Record<string, string> {
  const check: PropChecker = spec.check;
  const key = `${NGINX}backend-protocol`;
  const given = ownValue(userAnnotations, key);
  if (spec.protocol === CanaryProtocol.HTTP2) {
    check.fail('protocol', 'is HTTP2, which ingress-nginx cannot speak to pods: its backend-protocol has no cleartext HTTP/2 (h2c), only HTTP/1.1, HTTPS, GRPC, GRPCS, AUTO_HTTP and FCGI; use GRPC for a gRPC service, HTTP if the app also serves HTTP/1.1, or GatewayCanary or IstioCanary');
  }
  if (spec.protocol === CanaryProtocol.HTTP) {
    if (given?.toUpperCase() === 'GRPC') {
      check.fail('ingressAnnotations', `sets ${key}: ${showValue(given)}; set protocol: CanaryProtocol.GRPC instead, which also names the Service ports for gRPC and checks the TLS gRPC clients need`);
    }
    return {};
  }
  if (given !== undefined) check.fail('ingressAnnotations', `sets ${key}, which NginxCanary sets to GRPC from protocol; remove it`);
  if (tlsSecret === undefined) {
    check.fail('tlsSecret', 'is missing, but protocol is GRPC: gRPC clients speak HTTP/2, which NGINX serves only over TLS (it cannot serve HTTP/1.x and HTTP/2 on one cleartext port); give tlsSecret (and host)');
  }
  return { [key]: 'GRPC' };
}

/**
 * One header entry and one cookie entry at most, each sending every matching request to the
 * canary: that is all a canary Ingress can express, and more would be silently dropped.
 */
export function targetingAnnotations(spec: CommonSpec, matches: ResolvedMatch[]): Record<string, string> {
  const check: PropChecker = spec.check;
  const annotations: Record<string, string> = {};
  const moreThanNginx = 'ingress-nginx supports one header and one cookie per canary; use GatewayCanary or IstioCanary for more';
  let headerEntry: string | undefined;
  let cookieEntry: string | undefined;
  for (const m of matches) {
    if (m.path) {
      const field = { prefix: 'pathPrefix', exact: 'pathExact', regex: 'pathRegex' }[m.path.type];
      check.fail(`${m.prop}.${field}`, 'is a path condition, which ingress-nginx canary rules cannot express (a canary Ingress must have the main Ingress\'s path); use another NginxCanary with path for that path, or GatewayCanary or IstioCanary');
    }
    if (m.weight !== 100) {
      check.fail(`${m.prop}.weight`, `is ${m.weight}, but ingress-nginx sends every matching request to the canary; remove weight (100), or use GatewayCanary or IstioCanary to split matching requests`);
    }
    if (m.cookie !== undefined && m.headers.length > 0) {
      check.fail(m.prop, 'matches a header and a cookie in one entry, which means both must match; ingress-nginx checks them separately (header, else cookie), so give them as two entries');
    }
    if (m.headers.length > 1) check.fail(m.prop, `matches ${m.headers.length} headers; ${moreThanNginx}`);
    if (m.cookie !== undefined) {
      if (cookieEntry) check.fail(m.prop, `is a second cookie entry (after ${cookieEntry}); ${moreThanNginx}`);
      cookieEntry = m.prop;
      annotations[`${NGINX}canary-by-cookie`] = nginxValue(spec, `${m.prop}.cookie`, m.cookie, NGINX_BASIC);
      continue;
    }
    if (headerEntry) check.fail(m.prop, `is a second header entry (after ${headerEntry}); ${moreThanNginx}`);
    headerEntry = m.prop;
    const header = m.headers[0];
    if (/[_.]/.test(header.name)) {
      // ingress-nginx reads the header as the NGINX variable $http_<name, "-" as "_"> (balancer.lua,
      // route_to_alternative_balancer): "_" then matches "-" in requests, and NGINX drops request
      // headers with "_" or "." by default (underscores_in_headers off, ignore_invalid_headers on).
      check.fail(`${m.prop}.headers`, `${showValue(header.name)} has "_" or ".", which ingress-nginx cannot match as written: NGINX drops such request headers and reads "_" as "-"; use "-" in the header name`);
    }
    annotations[`${NGINX}canary-by-header`] = nginxValue(spec, `${m.prop}.headers`, header.name, NGINX_BASIC);
    if (header.type === HeaderMatchType.PREFIX) {
      check.fail(`${m.prop}.headerPrefix`, prefixUnsupported(header, 'ingress-nginx'));
    }
    if (header.type === HeaderMatchType.EXACT) {
      annotations[`${NGINX}canary-by-header-value`] = nginxValue(spec, `${m.prop}.headers.${header.name}`, header.value, NGINX_BASIC);
    } else {
      // Envoy and Gateway API match a regex against the whole value; ingress-nginx searches. Anchor it.
      annotations[`${NGINX}canary-by-header-pattern`] = nginxValue(spec, `${m.prop}.headerRegex.${header.name}`, anchoredRegex(header.value), NGINX_REGEX);
    }
  }
  return annotations;
}

/** A value ingress-nginx's annotation validation accepts; it would otherwise ignore the annotation silently. */
export function nginxValue(spec: CommonSpec, prop: string, value: string, allowed: NginxCharset): string {
  if (!allowed.pattern.test(value)) {
    spec.check.fail(prop, `${showValue(value)} would be ignored by ingress-nginx, whose annotation validation allows only ${allowed.description}`);
  }
  return value;
}

/** The canary Ingress's weight: whole percent from `weight`, or per mille and finer from `fineWeight`. */
export function weightAnnotations(spec: CommonSpec, fineWeight: unknown): { annotations: Record<string, string>; percent: number } {
  const check: PropChecker = spec.check;
  if (fineWeight === undefined) return { annotations: { [`${NGINX}canary-weight`]: String(spec.weight) }, percent: spec.weight };
  const percent = check.number('fineWeight', fineWeight, { min: 0, max: 100 }, 0);
  if (spec.weight !== 0) check.fail('fineWeight', `is given together with weight ${spec.weight}; give one of them`);
  if (!spec.canaryTrack && percent > 0) check.fail('fineWeight', `is ${percent}, but there is no canary track to send it to; add canary, or remove fineWeight`);
  const decimals = (String(percent).split('.')[1] ?? '').length;
  if (decimals > 3 || String(percent).includes('e')) {
    check.fail('fineWeight', `must have at most 3 decimals (canary-weight-total is at most 100000), got ${showValue(fineWeight)}`);
  }
  const total = 100 * 10 ** Math.max(1, decimals);
  return {
    annotations: { [`${NGINX}canary-weight`]: String(Math.round((percent * total) / 100)), [`${NGINX}canary-weight-total`]: String(total) },
    percent,
  };
}

/**
 * An ImplementationSpecific path with regex characters is a literal prefix to ingress-nginx
 * unless the Ingress says use-regex, so NginxCanary says it (the canary Ingress's location is the
 * main Ingress's, so the main one carries it).
 */
export function regexPathAnnotations(spec: CommonSpec, ingressPath: IngressPath, user: Readonly<Record<string, string>>): Record<string, string> {
  const path = ingressPath.value;
  if (!ingressPath.implementationSpecific || !REGEX_CHARACTERS.test(path)) return {};
  const key = `${NGINX}use-regex`;
  const given = ownValue(user, key);
  if (given !== undefined && given !== 'true') {
    spec.check.fail('ingressAnnotations', `sets ${key}: ${showValue(given)}, but path ${showValue(path)} is a regular expression, which ingress-nginx would then match as a literal prefix; remove it (NginxCanary sets use-regex for a regex path)`);
  }
  // rewrite-target enforces regex matching itself.
  return given === undefined && ownValue(user, `${NGINX}rewrite-target`) === undefined ? { [key]: 'true' } : {};
}

/** An ingress-nginx annotation (`name` after the prefix) that decides which track a request reaches is a typed prop's, or refused. */
function refuseRoutingAnnotation(spec: CommonSpec, key: string, name: string, ingressPath: IngressPath): void {
  const check: PropChecker = spec.check;
  const { value: path, type: pathType } = ingressPath;
  // balancer.lua keeps a client with an affinity cookie on the backend that set it: without
  // stickySessions the canary Ingress has no affinity of its own and never gets returning clients.
  if (name === 'affinity' || name === 'affinity-mode' || name.startsWith('session-cookie-')) {
    check.fail('ingressAnnotations', `key ${showValue(key)} sets cookie affinity, which decides which track a returning client reaches; use stickySessions, which sets it on both Ingresses`);
  }
  if (REGEX_PATH_KEYS.includes(name) && !ingressPath.implementationSpecific) {
    check.fail('ingressAnnotations', `key ${showValue(key)} makes ingress-nginx match every path of the host as a case-insensitive regular expression, so path ${showValue(path)} would no longer be the ${pathType} match pathType says; use pathType ImplementationSpecific with a regex path`);
  }
  if (ROUTING_AROUND_KEYS.includes(name)) {
    check.fail('ingressAnnotations', `key ${showValue(key)} sends requests somewhere other than the canary split of host and path; give another host its own NginxCanary, or route it outside this construct`);
  }
}

/** `ingressAnnotations`, with every key refused that the construct sets or that routes around its split. */
export function userAnnotations(spec: CommonSpec, value: unknown, managed: string[], ingressPath: IngressPath): Record<string, string> {
  const check: PropChecker = spec.check;
  const annotations = check.annotations('ingressAnnotations', value);
  for (const key of Object.keys(annotations)) {
    if (key.startsWith(NGINX) && !managed.includes(key)) refuseRoutingAnnotation(spec, key, key.slice(NGINX.length), ingressPath);
    if (key.endsWith('-snippet') || key.endsWith('/snippet')) {
      check.fail('ingressAnnotations', `key ${showValue(key)} is a snippet annotation: it injects raw NGINX configuration, was the door of the 2025 ingress-nginx admission CVEs (IngressNightmare), and is disabled by default since v1.12; use the dedicated annotations or a ConfigMap instead`);
    }
    if (key === 'kubernetes.io/ingress.class') {
      check.fail('ingressAnnotations', 'key "kubernetes.io/ingress.class" conflicts with spec.ingressClassName, which NginxCanary sets (the API server refuses both on one Ingress); use ingressClassName');
    }
    if (key.startsWith(`${NGINX}canary`) || key === `${NGINX}affinity-canary-behavior` || managed.includes(key)) {
      check.fail('ingressAnnotations', `key ${showValue(key)} is set by NginxCanary from weight, match and stickySessions; remove it`);
    }
  }
  return annotations;
}
