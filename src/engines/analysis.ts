import { ResolvedAnalysis } from './resolve';

/**
 * Whose metrics judge the canary:
 * - `ISTIO`: the destination sidecar's `istio_requests_total` / `istio_request_duration_milliseconds`
 *   (reporter="destination", so it holds whatever sent the request: the mesh, an Istio gateway or
 *   any Gateway API implementation in front of meshed pods).
 * - `NGINX`: ingress-nginx's `nginx_ingress_controller_requests` /
 *   `nginx_ingress_controller_request_duration_seconds` of the canary backend of the main Ingress.
 */
export enum MetricSource {
  ISTIO = 'istio',
  NGINX = 'nginx',
}

/**
 * Which Istio proxy's reports count (the `reporter` label of istio_requests_total): the
 * destination sidecar, an ambient waypoint (which reports as `waypoint`: istio.io docs,
 * ambient/usage/l7-features, "reporter=waypoint"), or any, for a Gateway in front of meshed pods
 * (an Istio gateway reports as source, a meshed pod as destination; the ratios hold).
 */
export enum IstioReporter {
  DESTINATION = 'destination',
  WAYPOINT = 'waypoint',
  ANY = 'any',
}

/** Which requests are the canary's, in the engine's own terms (its template variables or names). */
export interface CanarySelector {
  /** PromQL for the namespace (`{{args.namespace}}` for Argo, `{{ namespace }}` for Flagger). */
  readonly namespace: string;
  /** ISTIO: the canary pods' workload; NGINX: the main Ingress. */
  readonly workloadOrIngress: string;
  /** ISTIO only: the canary pods' `version` (Istio's canonical revision), when the workload holds both tracks. */
  readonly revision?: string;
  /** The rate window. */
  readonly window: string;
  /** ISTIO only: whose reports count (default the destination sidecar's). */
  readonly reporter?: IstioReporter;
}

/** One metric both engines check: a query whose single value must stay on the right side of `threshold`. */
export interface AnalysisMetric {
  readonly name: 'success-rate' | 'latency-p99';
  readonly query: string;
  /** success-rate: the lowest percent; latency-p99: the highest milliseconds. */
  readonly threshold: number;
  readonly bound: 'min' | 'max';
}

function istioFilter(s: CanarySelector, extra = ''): string {
  const revision = s.revision === undefined ? '' : `, destination_canonical_revision="${s.revision}"`;
  const reporter = s.reporter === IstioReporter.ANY ? '' : `reporter="${s.reporter ?? IstioReporter.DESTINATION}", `;
  return `{${reporter}destination_workload_namespace="${s.namespace}", destination_workload="${s.workloadOrIngress}"${revision}${extra}}`;
}

/**
 * ingress-nginx counts a canary Ingress's requests under the main Ingress, with `canary` set to the
 * canary upstream (empty for the main one), as Flagger's built-in nginx metrics read them.
 */
function nginxFilter(s: CanarySelector, extra = ''): string {
  return `{namespace="${s.namespace}", ingress="${s.workloadOrIngress}", canary!=""${extra}}`;
}

/** The metrics of `analysis` for a canary measured by `source`. */
export function analysisMetrics(analysis: ResolvedAnalysis, source: MetricSource, s: CanarySelector): AnalysisMetric[] {
  const w = `[${s.window}]`;
  const successRate = source === MetricSource.ISTIO
    ? `sum(rate(istio_requests_total${istioFilter(s, ', response_code!~"5.*"')}${w})) / sum(rate(istio_requests_total${istioFilter(s)}${w})) * 100`
    : `sum(rate(nginx_ingress_controller_requests${nginxFilter(s, ', status!~"5.*"')}${w})) / sum(rate(nginx_ingress_controller_requests${nginxFilter(s)}${w})) * 100`;
  const metrics: AnalysisMetric[] = [{ name: 'success-rate', query: successRate, threshold: analysis.minSuccessRate, bound: 'min' }];
  if (analysis.maxLatencyP99Ms !== undefined) {
    const latency = source === MetricSource.ISTIO
      ? `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket${istioFilter(s)}${w})) by (le))`
      : `histogram_quantile(0.99, sum(rate(nginx_ingress_controller_request_duration_seconds_bucket${nginxFilter(s)}${w})) by (le)) * 1000`;
    metrics.push({ name: 'latency-p99', query: latency, threshold: analysis.maxLatencyP99Ms, bound: 'max' });
  }
  return metrics;
}
