/**
 * The labels every object and pod carries, and the selectors built from them.
 *
 * Selectors use `app` + `track` only. A version never enters a selector: a Deployment's
 * `spec.selector` is immutable, so promoting a new version must not change it, and a Service or
 * subset that selected on `version` would go empty the moment the version changed.
 */

/** The track a Deployment serves. */
export enum Track {
  /** The version in production. */
  STABLE = 'stable',
  /** The version under test. */
  CANARY = 'canary',
}

/** Name suffix of a track's objects: `<name>` for stable, `<name>-canary` for canary. */
export function trackSuffix(track: Track): string {
  return track === Track.STABLE ? '' : '-canary';
}

/** The longest suffix any construct appends to `name` (`-canary`). */
export const LONGEST_NAME_SUFFIX = '-canary';

export const APP_LABEL = 'app';
export const VERSION_LABEL = 'version';
export const TRACK_LABEL = 'track';
const NAME_LABEL = 'app.kubernetes.io/name';
const APP_VERSION_LABEL = 'app.kubernetes.io/version';
const PART_OF_LABEL = 'app.kubernetes.io/part-of';
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const MANAGED_BY = 'cdk8s-canary';

/** Keys the library sets; user labels may not override them. */
export const RESERVED_LABEL_KEYS: readonly string[] = [
  APP_LABEL, VERSION_LABEL, TRACK_LABEL, NAME_LABEL, APP_VERSION_LABEL, PART_OF_LABEL, MANAGED_BY_LABEL,
];

/** What the labels of one canary are made from. */
export interface LabelSource {
  readonly name: string;
  readonly partOf: string;
  readonly extraLabels: Readonly<Record<string, string>>;
}

/** Labels on every object of the canary (Deployments, Services, routers). */
export function objectLabels(source: LabelSource): Record<string, string> {
  return {
    ...source.extraLabels,
    [APP_LABEL]: source.name,
    [NAME_LABEL]: source.name,
    [PART_OF_LABEL]: source.partOf,
    [MANAGED_BY_LABEL]: MANAGED_BY,
  };
}

/** Labels on a track's Deployment object. */
export function deploymentLabels(source: LabelSource, track: Track): Record<string, string> {
  return { ...objectLabels(source), [TRACK_LABEL]: track };
}

/** Labels on a track's pods. */
export function podLabels(source: LabelSource, track: Track, version: string): Record<string, string> {
  return {
    ...objectLabels(source),
    [TRACK_LABEL]: track,
    [VERSION_LABEL]: version,
    [APP_VERSION_LABEL]: version,
  };
}

/** The selector of one track's pods: `app` + `track`. */
export function trackSelector(name: string, track: Track): Record<string, string> {
  return { [APP_LABEL]: name, [TRACK_LABEL]: track };
}

/**
 * The stable pods under Flagger: the target Deployment's and the `<name>-primary` copy Flagger
 * makes of it, whose `app` it rewrites to `<name>-primary` and whose other labels it keeps
 * (flagger pkg/canary/deployment_controller.go makePrimaryLabels).
 */
export function flaggerStableSelector(name: string): Record<string, string> {
  return { [NAME_LABEL]: name, [TRACK_LABEL]: Track.STABLE };
}

/** The selector of both tracks' pods: `app` only. */
export function appSelector(name: string): Record<string, string> {
  return { [APP_LABEL]: name };
}

/** True when every label of `selector` is on `labels` (matchLabels semantics). */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === value);
}

/** A metav1.LabelSelector as a manifest holds it. */
export interface LabelSelectorValue {
  readonly matchLabels?: unknown;
  readonly matchExpressions?: unknown;
}

/**
 * Whether `selector` selects pods with `labels`, as apimachinery's LabelSelectorAsSelector reads
 * it: matchLabels AND every expression (In, NotIn, Exists, DoesNotExist); an empty selector
 * selects everything, a missing one (undefined or null) nothing. An expression that is not valid
 * (unknown operator, values where none belong) selects nothing: the API server refuses such an
 * object anyway.
 */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined || selector === null) return false;
  if (typeof selector !== 'object' || Array.isArray(selector)) return false;
  const { matchLabels, matchExpressions } = selector as LabelSelectorValue;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) return false;
    for (const [key, value] of Object.entries(matchLabels as Record<string, unknown>)) {
      if (!has(key) || labels[key] !== value) return false;
    }
  }
  if (matchExpressions === undefined || matchExpressions === null) return true;
  if (!Array.isArray(matchExpressions)) return false;
  return matchExpressions.every((e) => {
    if (e === null || typeof e !== 'object') return false;
    const { key, operator, values } = e as { key?: unknown; operator?: unknown; values?: unknown };
    if (typeof key !== 'string') return false;
    const list = Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
    switch (operator) {
      case 'In': return list.length > 0 && has(key) && list.includes(labels[key]);
      case 'NotIn': return list.length > 0 && (!has(key) || !list.includes(labels[key]));
      case 'Exists': return has(key);
      case 'DoesNotExist': return !has(key);
      default: return false;
    }
  });
}
