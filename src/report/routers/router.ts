import { Manifest, ObjectIndex } from '../model/object-index';
import { EntryPoint, RequestMatch } from '../model/requests';
import { ReportStrategy } from '../model/results';
import { Shares, TrackSet } from '../model/tracks';

/** What a router reading gets: the input, the canary's tracks and Services, and where problems go. */
export interface RouterContext {
  readonly index: ObjectIndex;
  readonly tracks: TrackSet;
  /** The Services that select any of the canary's own Deployments (none when a router is read for its problems alone). */
  readonly services: readonly Manifest[];
  problem(object: Manifest, field: string, message: string): void;
  caveat(text: string): void;
}

/** One route as a router evaluates it. */
export interface RouteReading {
  readonly name: string;
  readonly conditions: string;
  readonly shares: Shares;
  /** The requests it takes (of those that reach it), when the router's conditions are modelled. */
  readonly when?: RequestMatch;
}

/** What a router does with the canary's traffic. */
export interface RouterReading {
  readonly strategy: ReportStrategy;
  readonly entries: string[];
  readonly routes: RouteReading[];
  /** The entries in a router-neutral form, for comparing routers (report --base across a migration). */
  readonly entryPoints?: EntryPoint[];
}

/** A problem for a share sent to pods that are not there. */
export function emptyTargetMessage(what: string, reached: { pods: number; deployments: readonly Manifest[] }, consequence = 'those requests fail (503)'): string {
  const scaledToZero = reached.deployments.length > 0 ? ` (${reached.deployments.map((d) => `Deployment/${d.metadata?.name}`).join(', ')} ${reached.deployments.length === 1 ? 'has' : 'have'} 0 replicas)` : '';
  return `${what}, which selects no ready pod${scaledToZero}: ${consequence}`;
}
