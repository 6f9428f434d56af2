import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

import { escapeCount, restoreDataKeysOnSynth } from '../core/data-keys';
import { Claim, commitClaims, DEFAULT_NAMESPACE, engineClaims, EngineCreatedObject, findClash, objectClaims } from '../core/ownership';
import { EngineHandover, ProgressionEngine } from '../engines/progression';
import { engineName } from '../engines/resolve';
import { CommonSpec } from './common-props';

// The part of a canary that makes it one owner among many in an app: the routes it claims, the
// app-wide check of every object and route, and what a Flagger handover must keep in the cluster.

/**
 * Annotations that keep an object in the cluster when the next commit drops it from Git, so that
 * Flagger can adopt it: Argo CD's sync option and Flux kustomize-controller's prune label value.
 */
const ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const KEEP_WHEN_DROPPED: Readonly<Record<string, string>> = {
  [ARGOCD_SYNC_OPTIONS]: 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};
/** The kinds Flagger adopts or replaces when it takes a service over. */
const FLAGGER_ADOPTED_KINDS = new Set(['Service', 'VirtualService', 'DestinationRule', 'HTTPRoute', 'GRPCRoute']);

/** Options of a route claim (see CanaryBase._claimRoute). */
export interface RouteClaimOptions {
  readonly shared?: boolean;
  readonly excludes?: { readonly key: string; readonly why: string };
}

/** A route this canary claims for itself alone, checked app-wide on registration. */
export function routeClaim(prop: string, key: string, what: string, options: RouteClaimOptions = {}): Claim {
  const excludes = options.excludes && { key: `route|${options.excludes.key}`, why: options.excludes.why };
  return { prop, key: `route|${key}`, what, shared: options.shared, excludes };
}

/** What registration needs besides the spec. */
export interface Registration {
  /** What the engine will create at run time. */
  readonly engineCreated: readonly EngineCreatedObject[];
  readonly routeClaims: readonly Claim[];
  /** Which prop decides the name of an object. */
  readonly propOfObject: (object: ApiObject) => string;
  /** The number of escaped data keys when the construct began (see data-keys.ts). */
  readonly escapesAtStart: number;
}

/**
 * The last step of every strategy's constructor: keeps what a Flagger handover adopts, claims
 * the objects and routes app-wide (a clash names both owners), and makes the objects render user
 * keys that are JavaScript prototype names.
 */
export function registerCanary(scope: Construct, spec: CommonSpec, registration: Registration): void {
  const check = spec.check;
  if (spec.progression.engine === ProgressionEngine.FLAGGER && spec.progression.handover === EngineHandover.TO_ENGINE) keepWhenDropped(scope, spec);
  const objects = objectClaims(scope, registration.propOfObject);
  const reserved = objects.find((c) => c.key === `object||Service|${DEFAULT_NAMESPACE}|kubernetes`);
  if (reserved) {
    check.fail(reserved.prop, 'makes Service default/kubernetes, the API server\'s own Service: every in-cluster client would lose the API; choose another name');
  }
  const own = new Set(objects.map((c) => c.key));
  // What the engine creates from this construct's own objects (an adopted Service) is already claimed.
  const created = engineClaims(registration.engineCreated, spec.namespace ?? DEFAULT_NAMESPACE, engineName(spec.progression.engine)).filter((c) => !own.has(c.key));
  const claims = [...objects, ...created, ...registration.routeClaims];
  const clash = findClash(scope, claims);
  if (clash?.why) check.fail(clash.claim.prop, `makes ${clash.claim.what}, but ${clash.owner} ${clash.why}`);
  if (clash) {
    check.fail(clash.claim.prop, `makes ${clash.claim.what}, which ${clash.owner} already ${clash.claim.key.startsWith('route|') ? 'routes' : 'emits'}; each object and route has one owner in an app, so choose another name, host or path`);
  }
  commitClaims(scope, `${spec.kind} ${scope.node.path}`, claims);
  if (escapeCount() !== registration.escapesAtStart) restoreDataKeysOnSynth(scope);
}

/** Marks the objects Flagger adopts so that the next commit's drop leaves them in the cluster. */
function keepWhenDropped(scope: Construct, spec: CommonSpec): void {
  for (const object of scope.node.findAll()) {
    if (!(object instanceof ApiObject) || !FLAGGER_ADOPTED_KINDS.has(object.kind)) continue;
    for (const [key, value] of Object.entries(KEEP_WHEN_DROPPED)) {
      // Argo CD's sync-options is a comma-separated list: the user's options stay.
      const given: string | undefined = object.metadata.toJson().annotations?.[key];
      object.metadata.addAnnotation(key, given === undefined || given.split(',').map((o: string) => o.trim()).includes(value) ? value
        : key === ARGOCD_SYNC_OPTIONS ? `${given},${value}` : spec.check.fail('annotations', `sets ${JSON.stringify(key)} to ${JSON.stringify(given)}, but the Flagger handover sets it to ${JSON.stringify(value)} so that the next commit's drop keeps the object; remove it`));
    }
  }
}
