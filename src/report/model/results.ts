import { ManifestProblem } from '../../checks/manifest';
import { EngineManagedCanary } from './engines';
import { Fraction, ZERO } from './fraction';
import { EntryPoint, RequestMatch } from './requests';

/**
 * What the report says: every canary found in a directory of YAML, each with its entry points,
 * its tracks (one per Deployment that receives its traffic), its routes in evaluation order with
 * the exact share of each track, its caveats; and every problem that would misroute.
 */

/** The router semantics a canary's objects follow, named after the construct that emits them. */
export type ReportStrategy = 'ReplicaCanary' | 'IstioCanary' | 'GatewayCanary' | 'NginxCanary' | 'AlbCanary';

/** What each strategy routes with, in words (a hand-written canary is named by these). */
export const ROUTER_NAMES: Readonly<Record<ReportStrategy, string>> = {
  ReplicaCanary: 'pod ratio behind a Service',
  IstioCanary: 'Istio VirtualService',
  GatewayCanary: 'Gateway API route',
  NginxCanary: 'ingress-nginx canary Ingress',
  AlbCanary: 'AWS ALB Ingress',
};

/** Ours (found by the library's labels) or hand-written (two Deployments behind one router). */
export type ReportOrigin = 'cdk8s-canary' | 'hand-written';

/** One track: a Deployment, its pods and images. */
export interface TrackReport {
  /**
   * `stable` or `canary` for the library's own Deployments; the Deployment's name for any other
   * Deployment the routes reach (a hand-written canary's, or a migration's legacy pods).
   */
  readonly track: string;
  readonly deployment: string;
  /** Pods as the YAML sets them: a count, or the autoscaler's bounds. */
  readonly pods: string;
  /** Pods counted for a pod-ratio split (an autoscaled track: its minReplicas). */
  readonly podCount: number;
  readonly images: string[];
  readonly version?: string;
}

/** One route, in evaluation order. */
export interface RouteReport {
  readonly name: string;
  /** The requests it takes, in words (`every request` for the default). */
  readonly conditions: string;
  /** The share of each track, in the order of the canary's `tracks`. */
  readonly shares: Fraction[];
  /** The requests it takes, router-neutral (see requests.ts); absent where not modelled. */
  readonly when?: RequestMatch;
}

/** One canary. */
export interface CanaryReport {
  /** The file holding its first Deployment. */
  readonly file: string;
  /** The cluster its objects record (CanaryScope); absent when they record none. */
  readonly cluster?: string;
  readonly namespace: string;
  readonly name: string;
  readonly strategy: ReportStrategy;
  readonly origin: ReportOrigin;
  readonly entries: string[];
  /** The entries as host and path, or Service (see requests.ts); absent where not modelled. */
  readonly entryPoints?: EntryPoint[];
  readonly routes: RouteReport[];
  /** The library's stable track first, then its canary, then any other Deployment reached, by name. */
  readonly tracks: TrackReport[];
  readonly caveats: string[];
}

/** A problem, with the file, the object and the field it is about (the manifest checks' shape). */
export type ReportProblem = ManifestProblem;

export interface TrafficReport {
  readonly canaries: CanaryReport[];
  readonly problems: ReportProblem[];
  /** Canaries Argo Rollouts or Flagger moves: listed with their steps, their split is the engine's. */
  readonly engineManaged?: EngineManagedCanary[];
}

/** The share of the track named `track` on `route` (0 when the canary has no such track). */
export function shareOf(canary: CanaryReport, route: RouteReport, track: string): Fraction {
  const i = canary.tracks.findIndex((t) => t.track === track);
  return i < 0 ? ZERO : route.shares[i];
}

/** The track named `track`, if the canary has it. */
export function trackOf(canary: CanaryReport, track: string): TrackReport | undefined {
  return canary.tracks.find((t) => t.track === track);
}

/** How a canary is titled: `hello (IstioCanary)`, `hello (hand-written: Istio VirtualService)`. */
export function canaryTitle(canary: CanaryReport): string {
  return `${canary.name} (${canary.origin === 'cdk8s-canary' ? canary.strategy : `hand-written: ${ROUTER_NAMES[canary.strategy]}`})`;
}
