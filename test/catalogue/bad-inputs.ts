import { Chart, Duration } from 'cdk8s';

import { AlbCanary, CanaryBaseProps, CanaryConfigError, GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../../src';
import { HOSTILE_INPUTS } from './hostile-inputs';
import { codeCell, ReadmeTable } from './readme-table';
import { THIRD_ROUND_INPUTS } from './third-round-inputs';

/**
 * The bad-input catalogue: what a user (TypeScript or plain JavaScript) may write wrong, the prop
 * the error names, and a part of its message. bad-input-catalogue.test.ts checks every entry;
 * `npm run docs` renders them into the README's "What you will see when" table.
 */

export type ConstructKind = 'ReplicaCanary' | 'IstioCanary' | 'GatewayCanary' | 'NginxCanary' | 'AlbCanary';

export interface BadInput {
  readonly construct: ConstructKind;
  /** Builds another construct first (a clash); `note` says what, for the README. */
  readonly before?: (chart: Chart) => void;
  readonly note?: string;
  /** Props written over the valid base props of the construct (undefined removes a prop). */
  readonly props: Record<string, unknown>;
  /** The prop the error must name. */
  readonly prop: string;
  /** A part of the message. */
  readonly says: string;
}

const canary = { image: 'app:v2' };
/** Valid props each entry starts from. */
const BASE: Record<ConstructKind, Record<string, unknown>> = {
  ReplicaCanary: { stable: { image: 'app:v1' }, canary, replicas: 4, weight: 25 },
  IstioCanary: { stable: { image: 'app:v1' }, canary, weight: 10 },
  GatewayCanary: { stable: { image: 'app:v1' }, canary, weight: 10, gateway: { name: 'eg' } },
  NginxCanary: { stable: { image: 'app:v1' }, canary, weight: 10, host: 'example.com' },
  AlbCanary: { stable: { image: 'app:v1' }, canary, weight: 10, host: 'example.com' },
};

const CONSTRUCTORS: Record<ConstructKind, (chart: Chart, props: CanaryBaseProps) => unknown> = {
  ReplicaCanary: (chart, props) => new ReplicaCanary(chart, 'hello', props),
  IstioCanary: (chart, props) => new IstioCanary(chart, 'hello', props),
  GatewayCanary: (chart, props) => new GatewayCanary(chart, 'hello', props),
  NginxCanary: (chart, props) => new NginxCanary(chart, 'hello', props),
  AlbCanary: (chart, props) => new AlbCanary(chart, 'hello', props),
};

export const BASE_PROPS = BASE;
const r = (props: Record<string, unknown>, prop: string, says: string): BadInput => ({ construct: 'ReplicaCanary', props, prop, says });
const i = (props: Record<string, unknown>, prop: string, says: string): BadInput => ({ construct: 'IstioCanary', props, prop, says });
const g = (props: Record<string, unknown>, prop: string, says: string): BadInput => ({ construct: 'GatewayCanary', props, prop, says });
const n = (props: Record<string, unknown>, prop: string, says: string): BadInput => ({ construct: 'NginxCanary', props, prop, says });
const l = (props: Record<string, unknown>, prop: string, says: string): BadInput => ({ construct: 'AlbCanary', props, prop, says });

const FIRST_ROUND: readonly BadInput[] = [
  // Numbers, as JavaScript callers and YAML-fed configs get them wrong.
  r({ weight: '10' }, 'weight', 'must be an integer from 0 to 100, got "10"'),
  r({ weight: NaN }, 'weight', 'got NaN'),
  r({ weight: Infinity }, 'weight', 'got Infinity'),
  r({ weight: -5 }, 'weight', 'got -5'),
  r({ weight: 12.5 }, 'weight', 'got 12.5'),
  r({ weight: 150 }, 'weight', 'got 150'),
  r({ weight: null }, 'weight', 'got null'),
  r({ replicas: '4' }, 'replicas', 'must be an integer from 1 to 2147483647, got "4"'),
  r({ replicas: 2.5 }, 'replicas', 'got 2.5'),
  r({ replicas: 4, weight: 10 }, 'weight', '10 cannot be split exactly over 4 pods'),
  r({ replicas: undefined, weight: 1 }, 'weight', '1 needs 100 pods to be exact, more than maxReplicas 10'),
  r({ port: '8080' }, 'port', 'must be an integer from 1 to 65535, got "8080"'),
  r({ port: 0 }, 'port', 'got 0'),
  r({ containerPort: 70000 }, 'containerPort', 'got 70000'),
  // Names and labels.
  r({ name: 'Hello' }, 'name', 'must be a DNS-1035 label'),
  r({ name: 'hello_world' }, 'name', 'must be a DNS-1035 label'),
  r({ name: '' }, 'name', 'must be a non-empty string'),
  r({ name: 'a'.repeat(60) }, 'name', 'must be at most 56 characters so that "<name>-canary" fits'),
  r({ namespace: 'Shop' }, 'namespace', 'must be a DNS-1123 label'),
  r({ labels: { app: 'other' } }, 'labels', 'key "app" is set by cdk8s-canary'),
  r({ labels: { team: 'x'.repeat(64) } }, 'labels.team', 'must be a label value'),
  r({ partOf: 'my shop' }, 'partOf', 'must be a label value'),
  // Tracks.
  r({ stable: undefined }, 'stable', 'must be an object (it is required), got undefined'),
  r({ stable: 'app:v1' }, 'stable', 'must be an object (it is required), got "app:v1"'),
  r({ stable: { image: '' } }, 'stable.image', 'must be a non-empty string'),
  r({ stable: { image: 42 } }, 'stable.image', 'must be a non-empty string, got 42'),
  r({ stable: { image: 'app v1' } }, 'stable.image', 'must be an image reference'),
  r({ stable: { image: 'MyApp:v1' } }, 'stable.image', 'must be an image reference'),
  r({ stable: { image: 'app:v1', version: 'v1 beta' } }, 'stable.version', 'must be a label value'),
  r({ stable: { image: 'app:v1', env: { PORT: 8080 } } }, 'stable.env.PORT', 'must be a string, got 8080'),
  r({ stable: { image: 'app:v1', securityContext: { runAsUser: 0 } } }, 'stable.securityContext.runAsUser', 'is 0 (root) while runAsNonRoot is true'),
  // Conflicting options.
  r({ canary: undefined, weight: 25 }, 'weight', 'there is no canary track to send it to'),
  r({ stable: { image: 'app:v1', replicas: 3 } }, 'stable.replicas', 'is set together with replicas'),
  r({ replicas: undefined, stable: { image: 'app:v1', replicas: 2 }, canary: { image: 'app:v2', replicas: 1 } }, 'weight', 'send 33.33 % to the canary'),
  r({ rounding: 'up' }, 'rounding', 'must be one of "exact", "nearest"'),
  r({ replicas: undefined, minReplicas: 5, maxReplicas: 3 }, 'maxReplicas', 'must be an integer from 5'),
  // Targeted routing.
  i({ match: [{ headers: { 'End User': 'testers' } }] }, 'match[0].headers', '"End User" is not a valid header name'),
  i({ match: [{ headers: { 'end-user': '' } }] }, 'match[0].headers.end-user', 'must not be empty'),
  i({ match: [{ headerRegex: { 'x-user': '(?=admin)' } }] }, 'match[0].headerRegex.x-user', 'is not a valid RE2 regular expression'),
  i({ match: [{ headerRegex: { 'x-user': '[a-z' } }] }, 'match[0].headerRegex.x-user', 'missing closing ]'),
  i({ match: [{ cookie: 'beta' }, { cookie: 'beta' }] }, 'match[1]', 'has the same conditions as match[0], so it would never match'),
  i({ match: [{ weight: 50 }] }, 'match[0]', 'has no condition'),
  i({ match: [{ cookie: 'beta', weight: 101 }] }, 'match[0].weight', 'must be an integer from 0 to 100, got 101'),
  i({ match: { cookie: 'beta' } }, 'match', 'must be a list of CanaryMatch'),
  i({ canary: undefined, weight: 0, match: [{ cookie: 'beta' }] }, 'match', 'there is no canary track'),
  // Istio options.
  i({ gateways: ['mesh'], hosts: ['www.example.com'] }, 'gateways[0]', 'is "mesh"'),
  i({ gateways: ['public'] }, 'hosts', 'is empty while gateways are given'),
  i({ hosts: ['*'] }, 'hosts[0]', 'Istio allows only for gateway traffic'),
  i({ mirror: { percentage: 150 } }, 'mirror.percentage', 'must be a number from 0 to 100, got 150'),
  i({ canary: undefined, weight: 0, mirror: {} }, 'mirror', 'there is no canary track'),
  i({ fault: { abort: { httpStatus: 503 } } }, 'fault', 'there is no match'),
  i({ match: [{ cookie: 'chaos' }], fault: { abort: { httpStatus: 99 } } }, 'fault.abort.httpStatus', 'must be an integer from 200 to 599, got 99'),
  i({ timeout: '10s' }, 'timeout', 'must be a cdk8s Duration, e.g. Duration.seconds(10), got "10s"'),
  i({ retries: { attempts: 3, retryOn: ['sometimes'] } }, 'retries.retryOn[0]', 'must be an Envoy retry policy'),
  i({ apiVersion: 'networking.istio.io/v1alpha3' }, 'apiVersion', 'must be one of "networking.istio.io/v1", "networking.istio.io/v1beta1"'),
  i({ canary: { image: 'app:v2', replicas: 0 } }, 'canary.replicas', 'is 0 while weight is 10'),
  // Gateway API.
  g({ gateway: undefined }, 'gateway', 'is missing: the route needs a parent'),
  g({ mesh: true }, 'mesh', 'cannot be combined with gateway'),
  g({ match: [{ headerPrefix: { 'x-user': 'qa' } }] }, 'match[0].headerPrefix', 'which Gateway API does not support'),
  g({ match: [{ cookie: 'a' }, { cookie: 'b', headers: { 'x-a': '1' } }] }, 'match[1]', 'list entries in that order'),
  g({ match: Array.from({ length: 16 }, (_, k) => ({ headers: { 'x-n': String(k) } })) }, 'match', 'at most 15 entries'),
  g({ hostnames: ['Example.com'] }, 'hostnames[0]', 'must be a lower-case DNS name'),
  g({ gateway: undefined, mesh: true, hostnames: ['example.com'] }, 'hostnames', 'must be empty in mesh mode'),
  g({ path: 'api' }, 'path', 'must start with "/"'),
  g({ gateway: { name: 'eg', port: 70000 } }, 'gateway.port', 'must be an integer from 1 to 65535, got 70000'),
  g({ gateway: undefined, createGateway: { gatewayClassName: 'eg', certificateSecret: 'tls', httpsPort: 80 } }, 'createGateway.httpsPort', 'the same as httpPort'),
  // ingress-nginx.
  n({ match: [{ cookie: 'beta', weight: 50 }] }, 'match[0].weight', 'ingress-nginx sends every matching request to the canary'),
  n({ match: [{ headers: { 'x-a': '1', 'x-b': '2' } }] }, 'match[0]', 'use GatewayCanary or IstioCanary'),
  n({ match: [{ headers: { 'x-canary': 'always' }, cookie: 'beta' }] }, 'match[0]', 'give them as two entries'),
  n({ match: [{ cookie: 'a' }, { cookie: 'b' }] }, 'match[1]', 'is a second cookie entry'),
  n({ match: [{ headers: { 'x-canary': 'yes please' } }] }, 'match[0].headers.x-canary', 'would be ignored by ingress-nginx'),
  n({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'return 200;' } }, 'ingressAnnotations', 'is a snippet annotation'),
  n({ ingressAnnotations: { 'nginx.ingress.kubernetes.io/canary-weight': '50' } }, 'ingressAnnotations', 'is set by NginxCanary'),
  n({ host: undefined, tlsSecret: 'tls' }, 'tlsSecret', 'needs host'),
  n({ path: '/api/v1.2' }, 'path', 'strict path validation'),
  n({ weight: 0, fineWeight: 0.1234 }, 'fineWeight', 'at most 3 decimals'),
  n({ fineWeight: 0.5 }, 'fineWeight', 'is given together with weight 10'),
  n({ ingressClassName: 'NGINX' }, 'ingressClassName', 'must be a DNS-1123 subdomain'),
  // AWS Load Balancer Controller: what it or the ELBv2 API would refuse, and what would route around the split.
  l({ host: 'localhost' }, 'host', 'is not a host ALB can match'),
  l({ path: '/api/*' }, 'path', 'has a character an ALB path condition does not take'),
  l({ certificateArns: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }, 'certificateArns', 'must be a list'),
  l({ certificateArns: ['arn:aws:acm:us-east-1:123:certificate/x'] }, 'certificateArns[0]', 'is not a certificate ARN'),
  l({ sslRedirect: true }, 'sslRedirect', 'no HTTPS listener to redirect to'),
  l({ groupName: '-shop' }, 'groupName', 'the controller ignores the Ingress otherwise'),
  l({ groupName: 'shop', groupOrder: -1001 }, 'groupOrder', 'must be an integer from -1000 to 1000'),
  l({ stickiness: { duration: 'PT1H' } }, 'stickiness.duration', 'Duration'),
  l({ targetType: 'instance', serviceType: 'ClusterIP' }, 'serviceType', 'reaches the pods through node ports'),
  l({ protocol: 'HTTP2' }, 'protocol', 'only from an HTTPS listener'),
  l({ match: [{ headers: { 'x-canary': 'yes?' } }] }, 'match[0].headers.x-canary', 'ALB reads as wildcards'),
  l({ match: [{ pathRegex: '^/v[0-9]+' }] }, 'match[0].pathRegex', 'use pathPrefix or pathExact'),
  l({ match: [{ headers: { 'x-a': '1', 'x-b': '2', 'x-c': '3' }, cookie: 'beta' }] }, 'match[0]', 'ALB allows 5 per rule'),
  l({ ingressAnnotations: { 'alb.ingress.kubernetes.io/conditions.hello-split': '[]' } }, 'ingressAnnotations', 'would route requests around the canary split'),
  l({ ingressAnnotations: { 'alb.ingress.kubernetes.io/target-type': 'instance' } }, 'ingressAnnotations', 'is set by AlbCanary'),
];

/** Every entry: the first round, then the hostile inputs of the trust review. */
export const BAD_INPUTS: readonly BadInput[] = [...FIRST_ROUND, ...HOSTILE_INPUTS, ...THIRD_ROUND_INPUTS];

/** The props of an entry: the construct's valid base with the entry's props written over it. */
export function entryProps(entry: { construct: ConstructKind; props: Record<string, unknown> }): CanaryBaseProps {
  const props: Record<string, unknown> = { ...BASE[entry.construct] };
  for (const [key, value] of Object.entries(entry.props)) {
    if (value === undefined) delete props[key];
    else props[key] = value;
  }
  return props as unknown as CanaryBaseProps;
}

/** Builds the entry's construct in `chart` (throws its error). */
export function buildEntry(chart: Chart, entry: { construct: ConstructKind; props: Record<string, unknown> }): unknown {
  return CONSTRUCTORS[entry.construct](chart, entryProps(entry));
}

/** The entry's props as a user writes them, e.g. `weight: "10", replicas: 4`. */
export function showProps(props: Record<string, unknown>): string {
  const show = (value: unknown): string => {
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    if (Object.is(value, -0)) return '-0';
    if (value === undefined) return 'undefined';
    if (Array.isArray(value)) {
      const items = Array.from({ length: value.length }, (_, i) => (i in value ? show(value[i]) : '<hole>'));
      return items.length > 3 ? `[${items[0]}, … ${items.length} entries]` : `[${items.join(', ')}]`;
    }
    if (value instanceof Map) return `new Map(${show([...value.entries()])})`;
    if (value instanceof Duration) return `Duration(${value.toMilliseconds({ integral: false })} ms)`;
    if (value !== null && typeof value === 'object' && ![Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      return `<${value.constructor.name}>`;
    }
    if (value !== null && typeof value === 'object') return `{ ${Object.keys(value).map((k) => `${key(k)}: ${show((value as Record<string, unknown>)[k])}`).join(', ')} }`;
    if (typeof value === 'string' && value.length > 40) return JSON.stringify(`${value.slice(0, 8)}…(${value.length})`);
    return JSON.stringify(value);
  };
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`);
  return Object.entries(props).map(([k, v]) => v === undefined ? `no ${k}` : `${key(k)}: ${show(v)}`).join(', ');
}

/** The message the entry's construct throws. */
export function messageOf(chart: Chart, entry: BadInput): string {
  entry.before?.(chart);
  try {
    buildEntry(chart, entry);
  } catch (e) {
    if (e instanceof CanaryConfigError) return e.message;
    throw e;
  }
  throw new Error(`no error for ${entry.construct} ${showProps(entry.props)}`);
}

/** Where the catalogue starts in the documentation (docs/errors.md). */
export const CATALOGUE_START = '<!-- bad-input catalogue: generated by `npm run docs` from test/catalogue/bad-inputs.ts -->';
const TABLE = new ReadmeTable(
  CATALOGUE_START,
  '<!-- end of bad-input catalogue -->',
  ['construct', 'when you write', 'you see'],
);

/** The README table, one row per entry, with the real message. */
export function renderCatalogue(newChart: () => Chart): string {
  return TABLE.render(BAD_INPUTS.map((entry) =>
    `| ${entry.construct} | ${codeCell(showProps(entry.props))}${entry.note ? ` ${entry.note}` : ''} | ${codeCell(messageOf(newChart(), entry))} |`));
}

/** `readme` with its catalogue section replaced by `rendered`. */
export function withCatalogue(readme: string, rendered: string): string {
  return TABLE.replaceIn(readme, rendered);
}
