import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

import { clusterOf } from './cluster';

/**
 * Ownership per app and cluster. Every object a canary construct emits is unique per (group, kind,
 * namespace, name), and every route claim (a host for Istio mesh traffic, an nginx class + host
 * + path, a Gateway API parent + hostname + path) has one owner: otherwise two constructs would
 * write the same object, or two routers would fight over the same requests. A construct claims
 * only once it is completely built, so one that throws claims nothing.
 */

/** Where a construct lands when neither it nor its chart sets a namespace: `kubectl apply`'s default. */
export const DEFAULT_NAMESPACE = 'default';

/** One claim: what is claimed, and which prop of the claiming construct to blame on a clash. */
export interface Claim {
  readonly key: string;
  /** Says what is claimed, e.g. `Service shop/hello-canary`. */
  readonly what: string;
  readonly prop: string;
  /** Many constructs may hold a shared claim (a mark that they use something), none exclusively. */
  readonly shared?: boolean;
  /** A claim that must have no other owner, and why, e.g. the other route kind on a listener. */
  readonly excludes?: { readonly key: string; readonly why: string };
  /** The engine that creates the object at run time, for an object the construct does not emit itself. */
  readonly by?: string;
}

/** An object an engine creates or takes over at run time, by its API group, kind and name. */
export interface EngineCreatedObject {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** The prop the name is derived from, to blame on a clash. */
  readonly from: 'name' | 'serviceName';
}

/**
 * Claims for what an engine will create in `namespace` (`by`: the engine's name): no other
 * construct may emit them, and they are named as the engine's in a clash.
 */
export function engineClaims(objects: readonly EngineCreatedObject[], namespace: string, by: string): Claim[] {
  return objects.map((object) => ({
    key: `object|${object.group}|${object.kind}|${namespace}|${object.name}`,
    what: `${object.kind} ${namespace}/${object.name} (${by} creates it for this construct)`,
    prop: object.from,
    by,
  }));
}

/** A claim that another owner holds already, with that owner and, for an exclusion, why it clashes. */
export interface Clash {
  readonly claim: Claim;
  readonly owner: string;
  readonly why?: string;
}

/**
 * A registry per app (the construct tree's root) and cluster (see cluster.ts), made on first use:
 * what the constructs of one cluster of one app know about each other, and nothing that leaks
 * between apps or clusters.
 */
export function appRegistry<K, V>(): (scope: IConstruct) => Map<K, V> {
  const byApp = new WeakMap<IConstruct, Map<string, Map<K, V>>>();
  return (scope: IConstruct) => {
    const root = scope.node.root;
    let clusters = byApp.get(root);
    if (!clusters) {
      clusters = new Map();
      byApp.set(root, clusters);
    }
    const cluster = clusterOf(scope) ?? '';
    let registry = clusters.get(cluster);
    if (!registry) {
      registry = new Map();
      clusters.set(cluster, registry);
    }
    return registry;
  };
}

const claimsOf = appRegistry<string, string>();

/** The cluster-scoped kinds a canary emits (group/kind): one name per cluster, whatever the chart's namespace. */
const CLUSTER_SCOPED = new Set(['gateway.networking.k8s.io/GatewayClass']);

/** The claims of every ApiObject under `scope`. */
export function objectClaims(scope: IConstruct, propOf: (object: ApiObject) => string): Claim[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((object) => {
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
    if (CLUSTER_SCOPED.has(`${group}/${object.kind}`)) {
      return { key: `object|${group}|${object.kind}||${object.name}`, what: `${object.kind} ${object.name} (cluster-scoped)`, prop: propOf(object) };
    }
    const namespace = object.metadata.namespace ?? DEFAULT_NAMESPACE;
    return {
      key: `object|${group}|${object.kind}|${namespace}|${object.name}`,
      what: `${object.kind} ${namespace}/${object.name}`,
      prop: propOf(object),
    };
  });
}

/** The first claim of `claims` that another owner holds already, with that owner. */
export function findClash(scope: IConstruct, claims: readonly Claim[]): Clash | undefined {
  const held = claimsOf(scope);
  const mine = new Set<string>();
  for (const claim of claims) {
    const excluder = claim.excludes && held.get(claim.excludes.key);
    if (excluder !== undefined) return { claim, owner: excluder, why: claim.excludes!.why };
    if (claim.shared) continue;
    const owner = held.get(claim.key);
    if (owner !== undefined) return { claim, owner };
    // Two of one construct's own objects with one name (e.g. serviceName "hello-canary" beside
    // the canary Service) would overwrite each other just the same.
    if (mine.has(claim.key)) return { claim, owner: 'this construct itself (another of its objects)' };
    mine.add(claim.key);
  }
  return undefined;
}

/** Records `claims` for `owner`; call after `findClash` found none. */
export function commitClaims(scope: IConstruct, owner: string, claims: readonly Claim[]): void {
  const held = claimsOf(scope);
  for (const claim of claims) {
    if (!held.has(claim.key)) held.set(claim.key, claim.by === undefined ? owner : `${claim.by} (run by ${owner})`);
  }
}
