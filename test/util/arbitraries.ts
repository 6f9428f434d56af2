import * as fc from 'fast-check';

import { AlbCanaryProps, CanaryBaseProps, CanaryMatch, CanaryTrackProps, GatewayCanaryProps, IstioCanaryProps, NginxCanaryProps, ReplicaCanaryProps } from '../../src';
import { smallestExactTotal } from '../../src/core/weights';

/** Runs per property: 500 in `npm test`, more with PROPERTY_RUNS=5000. */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);

export const name = fc.stringMatching(/^[a-z]([-a-z0-9]{0,54}[a-z0-9])?$/);
export const namespace = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
/** Ports; the block the Istio sidecar reserves (15000-15090) is refused for mesh strategies, so left out here. */
export const port = fc.integer({ min: 1, max: 65535 }).filter((p) => p < 15000 || p > 15090);
const pathComponent = fc.stringMatching(/^[a-z0-9]{1,8}([._-][a-z0-9]{1,8}){0,2}$/);
const registry = fc.constantFrom('', 'registry.example.com/', 'localhost:5000/', 'ghcr.io/team/');
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `@sha256:${hex}`);
export const image = fc.tuple(registry, fc.array(pathComponent, { minLength: 1, maxLength: 3 }), fc.option(tag), fc.option(digest))
  .map(([reg, path, t, d]) => `${reg}${path.join('/')}${t === null ? '' : `:${t}`}${d ?? ''}`);
export const weight = fc.integer({ min: 0, max: 100 });
const labelValue = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/);

export function track(replicas: fc.Arbitrary<number | undefined>): fc.Arbitrary<CanaryTrackProps> {
  return fc.record({ image, version: fc.option(labelValue, { nil: undefined }), replicas });
}

/** Common props with a canary (or without, when `steady`). */
export function common(steady: boolean, replicas: fc.Arbitrary<number | undefined> = fc.integer({ min: 1, max: 5 })): fc.Arbitrary<CanaryBaseProps> {
  return fc.record({
    name,
    namespace,
    port,
    containerPort: fc.option(port, { nil: undefined }),
    stable: track(replicas),
    canary: steady ? fc.constant(undefined) : track(replicas),
    weight: steady ? fc.constant(0) : weight,
    // JavaScript's own member names are valid label keys: they must travel as data.
    labels: fc.option(fc.dictionary(fc.constantFrom('team', 'tier', 'example.com/cost-center', 'constructor', 'toString', 'valueOf'), labelValue, { maxKeys: 2 }), { nil: undefined }),
  });
}

/**
 * Header names in any case (HTTP compares them case-insensitively), some of them JavaScript's own
 * member names; `kind` keeps exact, prefix and regex names apart so one entry never repeats a header.
 */
const SPECIAL_HEADERS: Record<string, string[]> = { h: ['constructor', 'hasOwnProperty'], p: ['toString'], r: ['valueOf', 'isPrototypeOf'] };
const headerName = (kind: string) => fc.tuple(
  fc.oneof(fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8})?$/).map((n) => `x-${kind}-${n}`), fc.constantFrom(...SPECIAL_HEADERS[kind])),
  fc.constantFrom('lower', 'upper', 'title'),
).map(([n, style]) => style === 'upper' ? n.toUpperCase() : style === 'title' ? n.replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase()) : n);
const headerValue = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const regex = headerValue.map((v) => `^${v.replace(/\./g, '\\.')}(-[0-9]+)?$`);
const cookie = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const sorted = (map: Record<string, string>) => Object.entries(map).sort();
const lowerKeys = (map?: Record<string, string>) => sorted(Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k.toLowerCase(), v])));
const conditionKey = (m: CanaryMatch) => JSON.stringify([lowerKeys(m.headers), lowerKeys(m.headerPrefix), lowerKeys(m.headerRegex), m.cookie]);

/** A header map whose names differ in more than case (names are case-insensitive). */
const headerMap = (kind: string, value: fc.Arbitrary<string>, maxKeys: number) => fc.dictionary(headerName(kind), value, { minKeys: 1, maxKeys })
  .filter((map) => new Set(Object.keys(map).map((k) => k.toLowerCase())).size === Object.keys(map).length);

function matchEntry(prefix: boolean): fc.Arbitrary<CanaryMatch> {
  return fc.record({
    headers: fc.option(headerMap('h', headerValue, 2), { nil: undefined }),
    headerPrefix: prefix ? fc.option(headerMap('p', headerValue, 1), { nil: undefined }) : fc.constant(undefined),
    headerRegex: fc.option(headerMap('r', regex, 1), { nil: undefined }),
    cookie: fc.option(cookie, { nil: undefined }),
    weight: fc.option(weight, { nil: undefined }),
  }).filter((m) => m.headers !== undefined || m.headerPrefix !== undefined || m.headerRegex !== undefined || m.cookie !== undefined);
}

/** Number of header conditions of an entry (the cookie counts as one). */
export function conditionCount(m: CanaryMatch): number {
  return Object.keys({ ...m.headers, ...m.headerPrefix, ...m.headerRegex }).length + (m.cookie === undefined ? 0 : 1);
}

export const istioProps: fc.Arbitrary<IstioCanaryProps> = fc.tuple(
  common(false),
  fc.uniqueArray(matchEntry(true), { maxLength: 4, selector: conditionKey }),
  fc.option(fc.record({ percentage: fc.double({ min: 0, max: 100, noNaN: true }) }), { nil: undefined }),
).map(([props, match, mirror]) => ({ ...props, match, mirror }));

export const gatewayProps: fc.Arbitrary<GatewayCanaryProps> = fc.tuple(
  common(false),
  fc.uniqueArray(matchEntry(false), { maxLength: 4, selector: conditionKey }),
  fc.boolean(),
  fc.array(fc.stringMatching(/^[a-z]{1,10}\.example\.com$/), { maxLength: 3 }).map((h) => [...new Set(h)]),
).map(([props, match, mesh, hostnames]) => ({
  ...props,
  // Gateway API ranks rules with more header matches first; the construct asks users to list them so.
  match: [...match].sort((a, b) => conditionCount(b) - conditionCount(a)),
  ...(mesh ? { mesh: true } : { gateway: { name: 'eg' }, hostnames }),
}));

export const nginxProps: fc.Arbitrary<NginxCanaryProps> = fc.tuple(
  common(false),
  fc.option(fc.oneof(
    fc.record({ headers: fc.dictionary(headerName('h'), headerValue, { minKeys: 1, maxKeys: 1 }) }),
    fc.record({ headerRegex: fc.dictionary(headerName('r'), fc.stringMatching(/^[a-z0-9]{1,8}(-[0-9]+)?$/), { minKeys: 1, maxKeys: 1 }) }),
  ), { nil: undefined }),
  fc.option(cookie, { nil: undefined }),
  fc.option(fc.stringMatching(/^[a-z]{1,10}\.example\.com$/), { nil: undefined }),
).map(([props, header, cookieName, host]) => ({
  ...props,
  match: [...(header ? [header] : []), ...(cookieName ? [{ cookie: cookieName }] : [])],
  host,
}));

/** AlbCanary props: targeted entries of at most 3 header conditions (ALB: 5 match evaluations per rule, host and path included). */
export const albProps: fc.Arbitrary<AlbCanaryProps> = fc.tuple(
  common(false),
  fc.uniqueArray(matchEntry(true).filter((m) => conditionCount(m) <= 3), { maxLength: 4, selector: conditionKey }),
  fc.option(fc.stringMatching(/^[a-z]{1,10}\.example\.com$/), { nil: undefined }),
).map(([props, match, host]) => ({ ...props, match, host }));

/** ReplicaCanary props whose weight is exact for the total. */
export const replicaProps: fc.Arbitrary<ReplicaCanaryProps> = fc.tuple(common(false, fc.constant(undefined)), fc.integer({ min: 1, max: 6 }))
  .map(([props, multiple]) => ({ ...props, replicas: smallestExactTotal(props.weight ?? 0) * multiple }))
  .filter((props) => props.replicas <= 200);
