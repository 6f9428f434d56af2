import { list } from '../../checks/manifest-fields';
import { selectorMatches } from '../../core/labels';
import { INT32_MAX } from '../../core/validate';
import { add, Fraction, fraction, mul, ZERO } from './fraction';
import { Manifest, ns, ObjectIndex, podLabels } from './object-index';
import { TrackReport } from './results';

/** A Deployment whose pods receive a canary's traffic. */
export interface Track {
  readonly track: string;
  readonly deployment: Manifest;
  readonly podCount: number;
}

/** The share of each track in some traffic. */
export type Shares = ReadonlyMap<Track, Fraction>;

/**
 * The tracks of one canary: its own Deployments, and every other Deployment that its Services
 * turn out to select (found as the routes are read: a migration's legacy pods, say), so that the
 * shares always add up to what the cluster does.
 */
export class TrackSet {
  private readonly tracks: Track[] = [];
  private readonly byDeployment = new Map<Manifest, Track>();

  constructor(private readonly index: ObjectIndex, public readonly namespace: string, own: readonly { track: string; deployment: Manifest }[]) {
    for (const t of own) this.add(t.track, t.deployment);
  }

  /** Its own Deployments, then the others in the order the routes reached them. */
  public get all(): readonly Track[] {
    return this.tracks;
  }

  /**
   * How kube-proxy (and a mesh's endpoint picking) spreads the requests for a Service over its
   * ready pods: each pod alike, so each Deployment by its pod count. `extra` narrows the selector
   * (an Istio subset's labels); `pods` is 0 when nothing is selected.
   */
  public spread(selector: Record<string, string>, extra: Record<string, string> = {}): { shares: Shares; pods: number; deployments: Manifest[] } {
    // Both must hold: a subset's `version: v2` does not override the Service's `version: v1`.
    const deployments = this.index.deploymentsSelected(this.namespace, selector).filter((d) => selectorMatches(extra, podLabels(d)));
    const reached = deployments.map((d) => this.byDeployment.get(d) ?? this.add(d.metadata?.name, d));
    const pods = reached.reduce((n, t) => n + t.podCount, 0);
    const shares = new Map<Track, Fraction>();
    if (pods > 0) for (const t of reached) shares.set(t, add(shares.get(t) ?? ZERO, fraction(t.podCount, pods)));
    return { shares, pods, deployments };
  }

  public report(t: Track): TrackReport {
    const hpa = this.index.autoscalerOf(t.deployment);
    const labels = podLabels(t.deployment);
    return {
      track: t.track,
      deployment: t.deployment.metadata?.name,
      pods: hpa ? `${hpa.spec?.minReplicas ?? 1}-${hpa.spec?.maxReplicas} (autoscaled)` : String(t.podCount),
      podCount: t.podCount,
      images: list<Manifest>(t.deployment.spec?.template?.spec?.containers).map((c) => String(c?.image)),
      ...(typeof labels.version === 'string' ? { version: labels.version } : {}),
    };
  }

  private add(name: string, deployment: Manifest): Track {
    // A track's name is unique within the canary (a Deployment called `canary` beside ours keeps its own).
    let track = String(name);
    while (this.tracks.some((t) => t.track === track)) track = `${track} (${ns(deployment)}/${deployment.metadata?.name})`;
    const hpa = this.index.autoscalerOf(deployment);
    const replicas = hpa ? hpa.spec?.minReplicas ?? 1 : deployment.spec?.replicas ?? 1;
    const t: Track = { track, deployment, podCount: typeof replicas === 'number' && replicas >= 0 ? replicas : 0 };
    this.tracks.push(t);
    this.byDeployment.set(deployment, t);
    return t;
  }
}

/**
 * The shares behind weighted targets (Istio destinations, Gateway API backendRefs): each target
 * takes weight/total of the requests, spread over what it reaches; `reachedOf` is undefined for a
 * target that reaches nothing (its requests fail).
 */
export function weightedShares(weights: readonly number[], reachedOf: (j: number) => Shares | undefined): Shares {
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = new Map<Track, Fraction>();
  weights.forEach((weight, j) => {
    const reached = reachedOf(j);
    if (!reached || total === 0) return;
    const w = fraction(weight, total);
    for (const [t, share] of reached) shares.set(t, add(shares.get(t) ?? ZERO, mul(w, share)));
  });
  return shares;
}

/** Largest weights the CRD schemas take: Istio's int32, Gateway API's 1000000. */
export const MAX_WEIGHT = { istio: INT32_MAX, gateway: 1000000 } as const;

/**
 * A weight as the router reads it: a non-negative integer up to `max`. Anything else is a
 * problem the API server or the CRD schema refuses; it counts as 0 here.
 */
export function readWeight(value: unknown, fallback: number, max: number, report: (message: string) => void): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
  report(`weight ${JSON.stringify(value)} is not an integer from 0 to ${max}: the API server refuses the object`);
  return 0;
}
