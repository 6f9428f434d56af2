/**
 * The one error type of this library: bad props, found while the construct is built.
 *
 * Its message reads `<Kind> <construct path>: <prop> <problem>`, for example
 * `ReplicaCanary shop/hello: weight must be an integer from 0 to 100, got 150`,
 * so that a failed `cdk8s synth` points at the line of app code to change.
 */
export class CanaryConfigError extends Error {
  /** The construct kind, e.g. `IstioCanary`. */
  public readonly kind: string;
  /** The construct path, e.g. `shop/hello`. */
  public readonly constructPath: string;
  /** The prop at fault, as written in app code, e.g. `match[1].headers`. */
  public readonly prop: string;

  constructor(kind: string, constructPath: string, prop: string, problem: string) {
    super(`${kind} ${constructPath}: ${prop} ${problem}`);
    this.name = 'CanaryConfigError';
    this.kind = kind;
    this.constructPath = constructPath;
    this.prop = prop;
  }
}

/** Shows a user's value in an error message the way they would have written it. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
