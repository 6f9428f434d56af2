/** The JavaScript `Error` base, kept out of the jsii API (a jsii type cannot extend a built-in). */
abstract class JavaScriptError extends Error {}

/**
 * The one error type of this library: bad props, found while the construct is built.
 *
 * Its message reads `<Kind> <construct path>: <prop> <problem>`, for example
 * `ReplicaCanary shop/hello: weight must be an integer from 0 to 100, got 150`,
 * so that a failed `cdk8s synth` points at the line of app code to change.
 *
 * TypeScript and JavaScript apps can test `error instanceof CanaryConfigError`; in the other jsii
 * languages the error arrives as the language's own exception with this message, and
 * `CanaryErrors.isCanaryConfigError(error)` tells it apart.
 *
 * @internal
 */
export class CanaryConfigError extends JavaScriptError {
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

/** Tells the library's errors apart, in every jsii language. */
export class CanaryErrors {
  /** True when `x` is a CanaryConfigError: bad props, found while a canary construct was built. */
  public static isCanaryConfigError(x: any): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any -- any language's error object
    return x instanceof CanaryConfigError;
  }

  private constructor() {}
}

/**
 * Shows a user's value in an error message the way they would have written it. Never throws,
 * whatever the value: BigInts, cycles, objects without a prototype or with a hostile `toString`.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? `${item}n` : item));
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    text = typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
