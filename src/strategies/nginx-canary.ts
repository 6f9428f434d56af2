import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { CanaryBase } from '../canary/canary-base';
import { CANARY_BASE_FIELDS, CanaryBaseProps } from '../canary/common-props';
import { ownValue } from '../core/data-keys';
import { showValue } from '../core/errors';
import { Track } from '../core/labels';
import { anchoredRegex, CanaryMatch, HeaderMatchType, prefixUnsupported, ResolvedMatch, resolveMatches } from '../core/match';
import { durationSeconds } from '../core/pass-through';
import { ingressPathProblem } from '../core/paths';
import { CanaryProtocol } from '../core/protocol';
import { PropChecker } from '../core/validate';
import { MetricSource } from '../engines/analysis';
import { FlaggerProvider } from '../engines/flagger';
import { ProgressionEngine } from '../engines/progression';

/** How the Ingress path matches. */
export enum NginxPathType {
  /** Path prefix, element-wise. */
  PREFIX = 'Prefix',
  /** Exact path. */
  EXACT = 'Exact',
  /** ingress-nginx's own matching (regular expressions with `use-regex`). */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** What a session that is sticky to the canary does when the canary stops receiving traffic. */
export enum NginxAffinityCanaryBehavior {
  /** Keep the session on the canary while it exists (ingress-nginx's default). */
  STICKY = 'sticky',
  /** Re-evaluate the canary rules on every request, ignoring affinity for the canary decision. */
  LEGACY = 'legacy',
}

/**
 * Cookie session affinity: a client keeps reaching the same pod, and — with `sticky` canary
 * behavior — the same track, so a user never flips between versions mid-session.
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#session-affinity
 */
export interface NginxStickySessionProps {
  /**
   * Name of the affinity cookie.
   * @default - `<name>-affinity`
   */
  readonly cookieName?: string;
  /**
   * Lifetime of the cookie.
   * @default - a session cookie
   */
  readonly maxAge?: Duration;
  /**
   * Canary behavior of sticky sessions.
   * @default NginxAffinityCanaryBehavior.STICKY
   */
  readonly canaryBehavior?: NginxAffinityCanaryBehavior;
}

/** Props of an ingress-nginx canary. */
export interface NginxCanaryProps extends CanaryBaseProps {
  /**
   * Host of both Ingresses.
   * @default - every host
   */
  readonly host?: string;
  /**
   * Path of both Ingresses.
   * @default "/"
   */
  readonly path?: string;
  /**
   * Path type of both Ingresses.
   * @default NginxPathType.PREFIX
   */
  readonly pathType?: NginxPathType;
  /**
   * IngressClass of both Ingresses: a canary with another class is silently ignored, so they always share it.
   * @default "nginx"
   */
  readonly ingressClassName?: string;
  /**
   * Targeted routing: at most one header entry (`headers` or `headerRegex`, one header) and one
   * `cookie` entry, each sending all matching requests to the canary. ingress-nginx checks the
   * header first, then the cookie, then the weight; a header with another value falls through.
   * A list, as in the other constructs, so that moving to GatewayCanary is a one-word change.
   * @default - none
   */
  readonly match?: CanaryMatch[];
  /**
   * A canary share finer than 1 %: percent with up to 3 decimals (e.g. 0.5), emitted as
   * `canary-weight` over `canary-weight-total`. Use instead of `weight`.
   * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary
   * @default - `weight` applies
   */
  readonly fineWeight?: number;
  /**
   * Cookie session affinity.
   * @default - none
   */
  readonly stickySessions?: NginxStickySessionProps;
  /**
   * Secret (type kubernetes.io/tls) for HTTPS on `host`.
   * @default - no TLS section
   */
  readonly tlsSecret?: string;
  /**
   * More annotations on the main Ingress (e.g. `nginx.ingress.kubernetes.io/proxy-body-size`).
   * Snippet annotations are rejected; canary annotations are managed by this construct.
   * (`annotations`, a common prop, goes on every object.)
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };
}

const NGINX = 'nginx.ingress.kubernetes.io/';
const FIELDS: Record<keyof NginxCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, host: true, path: true, pathType: true, ingressClassName: true, match: true, fineWeight: true, stickySessions: true,
  tlsSecret: true, ingressAnnotations: true,
};
const STICKY_FIELDS: Record<keyof NginxStickySessionProps, true> = { cookieName: true, maxAge: true, canaryBehavior: true };
/** A character set ingress-nginx's annotation validation accepts, and how to say it. */
interface NginxCharset {
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
const NGINX_COOKIE_NAME: NginxCharset = { pattern: /^[-._~a-zA-Z0-9]+$/, description: 'letters, digits and -._~' };
/** Paths ingress-nginx accepts for Prefix and Exact with strict path validation (the default since v1.12). */
const STRICT_PATH = /^\/[A-Za-z0-9/_-]*$/;
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
 * A canary split by ingress-nginx: a main Ingress `<name>` to Service `<name>` (stable) and a
 * canary Ingress `<name>-canary` with the same class, host, path and path type to Service
 * `<name>-canary`, steered by the `canary-*` annotations.
 */
export class NginxCanary extends CanaryBase {
  /** Service `<name>`, the stable track. */
  public readonly service?: kplus.Service;
  /** Service `<name>-canary`, the canary track; undefined in steady state. */
  public readonly canaryService?: kplus.Service;
  /** Ingress `<name>`. */
  public readonly ingress: kplus.k8s.KubeIngress;
  /** Ingress `<name>-canary`; undefined in steady state. */
  public readonly canaryIngress?: kplus.k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: NginxCanaryProps) {
    super(scope, id, 'NginxCanary', props, FIELDS);
    try {
      const check: PropChecker = this._check;
      const host = props.host === undefined ? undefined : check.hostname('host', props.host);
      const pathType = check.oneOf('pathType', props.pathType, Object.values(NginxPathType), NginxPathType.PREFIX);
      const path = this.resolvePath(props.path, pathType);
      const className = props.ingressClassName === undefined ? 'nginx' : check.dns1123Subdomain('ingressClassName', props.ingressClassName);
      const matches = resolveMatches(check, props.match, this._hasCanary);
      this.checkEngine(props, matches);
      const targeting = this.targetingAnnotations(matches);
      const weighting = this.weightAnnotations(props.fineWeight);
      const sticky = this.stickyAnnotations(props.stickySessions);
      const extra = this.userAnnotations(props.ingressAnnotations, Object.keys(sticky.main), path, pathType);
      const tlsSecret = props.tlsSecret === undefined ? undefined : check.dns1123Subdomain('tlsSecret', props.tlsSecret);
      if (tlsSecret && !host) check.fail('tlsSecret', 'needs host: the TLS section names the host its certificate serves');
      const protocol = { ...this.protocolAnnotations(tlsSecret, extra), ...this.regexPathAnnotations(path, pathType, extra) };
      // A request whose cookie is "never" goes to stable whatever the weight: stable needs a pod.
      const neverToStable = matches.some((m) => m.cookie !== undefined) ? [0] : [];
      const split = this._routedSplit([...matches.map((m) => m.weight), ...neverToStable], weighting.percent);
      this._claimRoute('host', `nginx|${className}|${host ?? '*'}|${path}`,
      `the ingress-nginx route ${host ?? '(any host)'}${path} of class ${className}`);

      this._addTracks(split);
      // Flagger generates the Services (the apex one named serviceName) and the canary Ingress.
      const flagger = this._flaggerRoutes;
      this.service = flagger ? undefined : this._addService('Service', undefined, Track.STABLE);
      // Argo Rollouts points Service <name>-canary at its canary pods by their pod-template hash.
      this.canaryService = flagger ? undefined : this._addCanaryService();

      const rule = (serviceName: string): kplus.k8s.IngressRule => ({
        host,
        http: { paths: [{ path, pathType, backend: { service: { name: serviceName, port: { number: this.port } } } }] },
      });
      this.ingress = new kplus.k8s.KubeIngress(this, 'Ingress', {
        metadata: this._objectMetadata('', { ...extra, ...sticky.main, ...protocol }, 'ingressAnnotations'),
        spec: {
          ingressClassName: className,
          rules: [rule(this.serviceName)],
          tls: tlsSecret ? [{ hosts: [host!], secretName: tlsSecret }] : undefined,
        },
      });
      if (this.canaryService && !this._argoRuns) {
        this.canaryIngress = new kplus.k8s.KubeIngress(this, 'CanaryIngress', {
          metadata: this._objectMetadata('-canary', { [`${NGINX}canary`]: 'true', ...weighting.annotations, ...targeting, ...sticky.canary }),
          spec: { ingressClassName: className, rules: [rule(this.canaryService.name)] },
        });
      }
      // Argo Rollouts clones the main Ingress into <name>-<name>-canary and sets its weight
      // (rollout/trafficrouting/nginx); the requests of either count under the main Ingress.
      this._addArgoRollout({ stableService: this.serviceName, trafficRouting: { nginx: { stableIngress: this.name } }, metrics: { source: MetricSource.NGINX } });
      this._addFlaggerCanary({ provider: FlaggerProvider.NGINX, ingressName: this.name, matches, nginx: true, metricSource: MetricSource.NGINX });
      this._register();
    } catch (error) {
      throw this._abandon(error);
    }
  }

  /**
   * What an engine cannot do through ingress-nginx. Argo Rollouts accepts setHeaderRoute only for
   * the routers that implement it (pkg/apis/rollouts/validation/validation.go: Istio, ALB, APISIX
   * and plugins), not nginx; the engines write the canary Ingress's annotations themselves.
   */
  private checkEngine(props: NginxCanaryProps, matches: ResolvedMatch[]): void {
    const engine = this._progression.engine;
    if (engine === ProgressionEngine.MANUAL) return;
    const check: PropChecker = this._check;
    if (engine === ProgressionEngine.ARGO_ROLLOUTS && matches.length > 0) {
      check.fail('match', 'is set, but Argo Rollouts refuses header routes (setHeaderRoute) with nginx traffic routing; remove match, use Progression.flagger (A/B match) or Progression.manual(), or use IstioCanary, GatewayCanary or AlbCanary');
    }
    if (props.fineWeight !== undefined) check.fail('fineWeight', 'is set, but the progression engine writes the canary Ingress\'s weight itself; remove fineWeight');
    if (props.stickySessions !== undefined) check.fail('stickySessions', 'is set, but the progression engine writes the canary Ingress itself; remove stickySessions, or use Progression.manual()');
  }

  /**
   * How NGINX talks to the pods. A canary Ingress inherits it from the main Ingress (ingress-nginx
   * ignores its other annotations), so it is set there only. ingress-nginx's backend-protocol has
   * no cleartext HTTP/2 (HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP, FCGI), and NGINX serves HTTP/2 to
   * clients only with TLS: it cannot speak HTTP/1.x and HTTP/2 on one cleartext port
   * (kubernetes/ingress-nginx#3897), so gRPC clients need the host's TLS.
   * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#backend-protocol
   */
  private protocolAnnotations(tlsSecret: string | undefined, userAnnotations: Readonly<Record<string, string>>): Record<string, string> {
    const check: PropChecker = this._check;
    const key = `${NGINX}backend-protocol`;
    const given = ownValue(userAnnotations, key);
    if (this.protocol === CanaryProtocol.HTTP2) {
      check.fail('protocol', 'is HTTP2, which ingress-nginx cannot speak to pods: its backend-protocol has no cleartext HTTP/2 (h2c), only HTTP/1.1, HTTPS, GRPC, GRPCS, AUTO_HTTP and FCGI; use GRPC for a gRPC service, HTTP if the app also serves HTTP/1.1, or GatewayCanary or IstioCanary');
    }
    if (this.protocol === CanaryProtocol.HTTP) {
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

  private resolvePath(value: unknown, pathType: NginxPathType): string {
    if (value === undefined) return '/';
    const path = this._check.string('path', value);
    if (!path.startsWith('/')) this._check.fail('path', `must start with "/", got ${showValue(path)}`);
    const problem = ingressPathProblem(path, pathType);
    if (problem) this._check.fail('path', `${showValue(path)} ${problem}`);
    if (pathType !== NginxPathType.IMPLEMENTATION_SPECIFIC && !STRICT_PATH.test(path)) {
      this._check.fail('path', `${showValue(path)} is rejected by ingress-nginx's strict path validation for ${pathType} paths (letters, digits, "/", "_" and "-" only); use pathType ImplementationSpecific for other characters`);
    }
    return path;
  }

  /**
   * One header entry and one cookie entry at most, each sending every matching request to the
   * canary: that is all a canary Ingress can express, and more would be silently dropped.
   */
  private targetingAnnotations(matches: ResolvedMatch[]): Record<string, string> {
    const check: PropChecker = this._check;
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
        annotations[`${NGINX}canary-by-cookie`] = this.nginxValue(`${m.prop}.cookie`, m.cookie, NGINX_BASIC);
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
      annotations[`${NGINX}canary-by-header`] = this.nginxValue(`${m.prop}.headers`, header.name, NGINX_BASIC);
      if (header.type === HeaderMatchType.PREFIX) {
        check.fail(`${m.prop}.headerPrefix`, prefixUnsupported(header, 'ingress-nginx'));
      }
      if (header.type === HeaderMatchType.EXACT) {
        annotations[`${NGINX}canary-by-header-value`] = this.nginxValue(`${m.prop}.headers.${header.name}`, header.value, NGINX_BASIC);
      } else {
        // Envoy and Gateway API match a regex against the whole value; ingress-nginx searches. Anchor it.
        annotations[`${NGINX}canary-by-header-pattern`] = this.nginxValue(`${m.prop}.headerRegex.${header.name}`, anchoredRegex(header.value), NGINX_REGEX);
      }
    }
    return annotations;
  }

  /** A value ingress-nginx's annotation validation accepts; it would otherwise ignore the annotation silently. */
  private nginxValue(prop: string, value: string, allowed: NginxCharset): string {
    if (!allowed.pattern.test(value)) {
      this._check.fail(prop, `${showValue(value)} would be ignored by ingress-nginx, whose annotation validation allows only ${allowed.description}`);
    }
    return value;
  }

  private weightAnnotations(fineWeight: unknown): { annotations: Record<string, string>; percent: number } {
    const check: PropChecker = this._check;
    if (fineWeight === undefined) return { annotations: { [`${NGINX}canary-weight`]: String(this.weight) }, percent: this.weight };
    const percent = check.number('fineWeight', fineWeight, { min: 0, max: 100 }, 0);
    if (this.weight !== 0) check.fail('fineWeight', `is given together with weight ${this.weight}; give one of them`);
    if (!this._canaryTrack && percent > 0) check.fail('fineWeight', `is ${percent}, but there is no canary track to send it to; add canary, or remove fineWeight`);
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

  private stickyAnnotations(value: NginxStickySessionProps | undefined): { main: Record<string, string>; canary: Record<string, string> } {
    const check: PropChecker = this._check;
    const sticky = check.object('stickySessions', value, false, STICKY_FIELDS);
    if (!sticky) return { main: {}, canary: {} };
    const cookieName = sticky.cookieName === undefined ? `${this.name}-affinity` : this.nginxValue('stickySessions.cookieName', check.string('stickySessions.cookieName', sticky.cookieName), NGINX_COOKIE_NAME);
    const maxAgeGiven = check.duration('stickySessions.maxAge', sticky.maxAge);
    const maxAge = maxAgeGiven && durationSeconds(check, 'stickySessions.maxAge', maxAgeGiven, 1);
    const behavior = check.oneOf('stickySessions.canaryBehavior', sticky.canaryBehavior, Object.values(NginxAffinityCanaryBehavior), NginxAffinityCanaryBehavior.STICKY);
    // Affinity annotations are among the few a canary Ingress honours; both upstreams need them.
    const affinity = {
      [`${NGINX}affinity`]: 'cookie',
      [`${NGINX}session-cookie-name`]: cookieName,
      ...(maxAge ? { [`${NGINX}session-cookie-max-age`]: String(maxAge) } : {}),
    };
    return { main: affinity, canary: { ...affinity, [`${NGINX}affinity-canary-behavior`]: behavior } };
  }

  /**
   * An ImplementationSpecific path with regex characters is a literal prefix to ingress-nginx
   * unless the Ingress says use-regex, so NginxCanary says it (the canary Ingress's location is the
   * main Ingress's, so the main one carries it).
   */
  private regexPathAnnotations(path: string, pathType: NginxPathType, user: Readonly<Record<string, string>>): Record<string, string> {
    if (pathType !== NginxPathType.IMPLEMENTATION_SPECIFIC || !REGEX_CHARACTERS.test(path)) return {};
    const key = `${NGINX}use-regex`;
    const given = ownValue(user, key);
    if (given !== undefined && given !== 'true') {
      this._check.fail('ingressAnnotations', `sets ${key}: ${showValue(given)}, but path ${showValue(path)} is a regular expression, which ingress-nginx would then match as a literal prefix; remove it (NginxCanary sets use-regex for a regex path)`);
    }
    // rewrite-target enforces regex matching itself.
    return given === undefined && ownValue(user, `${NGINX}rewrite-target`) === undefined ? { [key]: 'true' } : {};
  }

  /** An ingress-nginx annotation (`name` after the prefix) that decides which track a request reaches is a typed prop's, or refused. */
  private refuseRoutingAnnotation(key: string, name: string, path: string, pathType: NginxPathType): void {
    const check: PropChecker = this._check;
    // balancer.lua keeps a client with an affinity cookie on the backend that set it: without
    // stickySessions the canary Ingress has no affinity of its own and never gets returning clients.
    if (name === 'affinity' || name === 'affinity-mode' || name.startsWith('session-cookie-')) {
      check.fail('ingressAnnotations', `key ${showValue(key)} sets cookie affinity, which decides which track a returning client reaches; use stickySessions, which sets it on both Ingresses`);
    }
    if (REGEX_PATH_KEYS.includes(name) && pathType !== NginxPathType.IMPLEMENTATION_SPECIFIC) {
      check.fail('ingressAnnotations', `key ${showValue(key)} makes ingress-nginx match every path of the host as a case-insensitive regular expression, so path ${showValue(path)} would no longer be the ${pathType} match pathType says; use pathType ImplementationSpecific with a regex path`);
    }
    if (ROUTING_AROUND_KEYS.includes(name)) {
      check.fail('ingressAnnotations', `key ${showValue(key)} sends requests somewhere other than the canary split of host and path; give another host its own NginxCanary, or route it outside this construct`);
    }
  }

  private userAnnotations(value: unknown, managed: string[], path: string, pathType: NginxPathType): Record<string, string> {
    const check: PropChecker = this._check;
    const annotations = check.annotations('ingressAnnotations', value);
    for (const key of Object.keys(annotations)) {
      if (key.startsWith(NGINX) && !managed.includes(key)) this.refuseRoutingAnnotation(key, key.slice(NGINX.length), path, pathType);
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
}
