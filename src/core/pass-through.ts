import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { showValue } from './errors';
import { INT32_MAX, PropChecker } from './validate';

/**
 * Checks of the cdk8s-plus objects a track passes through to its Deployment (probes, resources,
 * environment values, capabilities, pull policy). cdk8s-plus accepts them as given and fails, if
 * at all, at synth or at apply time; here they are rendered or inspected while the construct is
 * built, and held to the rules the API server enforces (k8s.io/kubernetes
 * pkg/apis/core/validation: validateProbe, ValidateResourceRequirements, validateEnv).
 */


/** Where jsii-built libraries (cdk8s, cdk8s-plus-*) record each class's fully qualified name and package version. */
const JSII_RTTI = Symbol.for('jsii.rtti');

/** The package and version a jsii class says it comes from: "cdk8s-plus-33 2.0.1"; undefined for other classes. */
function jsiiOrigin(type: unknown): string | undefined {
  const rtti = (type as { [JSII_RTTI]?: { fqn?: unknown; version?: unknown } } | undefined)?.[JSII_RTTI];
  return typeof rtti?.fqn === 'string' && typeof rtti.version === 'string' ? `${rtti.fqn.split('.')[0]} ${rtti.version}` : undefined;
}

/** An object made by the cdk8s / cdk8s-plus-28 this library is built on (not by another copy of them). */
function instance<T extends object>(check: PropChecker, prop: string, value: unknown, type: { readonly prototype: T; readonly name: string }, how: string,
  library: 'cdk8s' | 'cdk8s-plus-28' = 'cdk8s-plus-28'): T {
  if (value === null || typeof value !== 'object' || !Object.prototype.isPrototypeOf.call(type.prototype, value)) {
    let other = '';
    if (value !== null && typeof value === 'object' && value.constructor?.name === type.name) {
      // Say which library and version made it, and which this library takes.
      const found = jsiiOrigin(value.constructor);
      const ours = jsiiOrigin(type) ?? library;
      other = found === undefined ? ` from another copy or version of ${library} (this library takes ${ours})` : ` from ${found}, but this library takes ${ours}`;
      other += `: import it from the ${library} this app depends on`;
    }
    check.fail(prop, `must be a ${library} ${type.name} (${how}), got ${showValue(value)}${other}`);
  }
  return value as T;
}

/** Environment values from Secrets, ConfigMaps or pod fields: each a cdk8s-plus-28 `EnvValue`. */
export function resolveEnvVariables(check: PropChecker, prop: string, value: unknown): [string, kplus.EnvValue][] {
  return check.mapEntries(prop, value).map(([name, item]) => {
    const env = instance(check, `${prop}.${name}`, item, kplus.EnvValue, 'e.g. EnvValue.fromSecretValue(...)');
    if (env.value !== undefined) check.text(`${prop}.${name}`, env.value);
    if (env.value === undefined && env.valueFrom === undefined) check.fail(`${prop}.${name}`, 'has neither a value nor a source');
    return [name, env];
  });
}

/** Image pull policy: one of the three the API server knows. */
export function resolvePullPolicy(check: PropChecker, prop: string, value: unknown): kplus.ImagePullPolicy | undefined {
  if (value === undefined) return undefined;
  return check.oneOf(prop, value, Object.values(kplus.ImagePullPolicy), kplus.ImagePullPolicy.IF_NOT_PRESENT);
}

/** Capabilities to add back: a list of known capability names. */
export function resolveCapabilities(check: PropChecker, prop: string, value: unknown): kplus.Capability[] | undefined {
  const list = check.list(prop, value, 'a list of Capability values, e.g. [Capability.NET_BIND_SERVICE]');
  list?.forEach((item, i) => check.oneOf(`${prop}[${i}]`, item, Object.values(kplus.Capability), kplus.Capability.ALL));
  if (list?.includes(kplus.Capability.ALL)) check.fail(prop, 'adds ALL, which undoes the drop of every capability; list the few the image needs');
  return list as kplus.Capability[] | undefined;
}

/** CPU in millicores, from a cdk8s-plus-28 `Cpu` (`Cpu.millis(250)` or `Cpu.units(0.25)`). */
function cpuMillis(check: PropChecker, prop: string, value: unknown): number {
  const cpu = instance(check, prop, value, kplus.Cpu, 'Cpu.millis(250) or Cpu.units(1)');
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(cpu.amount));
  const millis = match ? Number(match[1]) * (match[2] === 'm' ? 1 : 1000) : NaN;
  if (!Number.isInteger(millis) || millis <= 0 || millis > INT32_MAX) {
    check.fail(prop, `must be a whole number of millicores above 0 (Kubernetes has no finer CPU unit), got ${showValue(cpu.amount)}`);
  }
  return millis;
}

/** Memory or storage in whole `unit`s (cdk8s-plus renders memory in Mi and ephemeral storage in Gi). */
function sizeIn(check: PropChecker, prop: string, value: unknown, unit: 'Mi' | 'Gi'): number {
  const size = instance(check, prop, value, Size, `Size.mebibytes(512)${unit === 'Gi' ? ' or Size.gibibytes(1)' : ''}`, 'cdk8s');
  let amount: number;
  try {
    amount = unit === 'Mi' ? size.toMebibytes() : size.toGibibytes();
  } catch {
    amount = NaN;
  }
  if (!Number.isInteger(amount) || amount <= 0 || amount > INT32_MAX) {
    check.fail(prop, `must be a whole number of ${unit === 'Mi' ? 'mebibytes' : 'gibibytes'} above 0 (the unit cdk8s-plus renders it in), got ${showValue(size)}`);
  }
  return amount;
}

/** A request and limit pair, checked with `read`; the request may not exceed the limit. */
function requestAndLimit(check: PropChecker, prop: string, value: unknown, read: (p: string, v: unknown) => number): { request?: number; limit?: number } {
  const pair = check.object(prop, value as { request?: unknown; limit?: unknown } | undefined, false);
  if (!pair) return {};
  for (const [key] of check.mapEntries(prop, pair)) {
    if (key !== 'request' && key !== 'limit') check.fail(`${prop}.${key}`, 'is not a field; give request and/or limit');
  }
  const request = pair.request === undefined ? undefined : read(`${prop}.request`, pair.request);
  const limit = pair.limit === undefined ? undefined : read(`${prop}.limit`, pair.limit);
  if (request !== undefined && limit !== undefined && request > limit) {
    check.fail(`${prop}.request`, 'is above the limit; the API server refuses a request greater than its limit');
  }
  return { request, limit };
}

/**
 * CPU and memory requests and limits, checked and re-made in one canonical form: CPU as whole
 * cores when it is a multiple of 1000m, else millicores, so that equal amounts give equal bytes.
 */
export function resolveResources(check: PropChecker, prop: string, value: unknown): kplus.ContainerResources | undefined {
  const resources = check.object(prop, value as kplus.ContainerResources | undefined, false);
  if (!resources) return undefined;
  for (const [key] of check.mapEntries(prop, resources)) {
    if (!['cpu', 'memory', 'ephemeralStorage'].includes(key)) check.fail(`${prop}.${key}`, 'is not a field; give cpu, memory and/or ephemeralStorage');
  }
  const cpu = requestAndLimit(check, `${prop}.cpu`, resources.cpu, (p, v) => cpuMillis(check, p, v));
  requestAndLimit(check, `${prop}.memory`, resources.memory, (p, v) => sizeIn(check, p, v, 'Mi'));
  requestAndLimit(check, `${prop}.ephemeralStorage`, resources.ephemeralStorage, (p, v) => sizeIn(check, p, v, 'Gi'));
  const canonical = (millis?: number) => millis === undefined ? undefined
    : millis % 1000 === 0 ? kplus.Cpu.units(millis / 1000) : kplus.Cpu.millis(millis);
  return {
    ...resources,
    cpu: resources.cpu && { request: canonical(cpu.request), limit: canonical(cpu.limit) },
  };
}

/** The probe kinds; liveness and startup probes must have successThreshold 1. */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** The probe as Kubernetes receives it (the fields this library checks). */
interface RenderedProbe {
  readonly failureThreshold?: number;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly successThreshold?: number;
  readonly timeoutSeconds?: number;
  readonly exec?: { readonly command?: unknown };
  readonly httpGet?: { readonly path?: unknown; readonly port?: { readonly value?: unknown } };
  readonly tcpSocket?: { readonly port?: { readonly value?: unknown } };
}

/** A user's probe: a cdk8s-plus-28 `Probe`, not rendered yet. */
export function resolveProbe(check: PropChecker, prop: string, value: unknown): kplus.Probe | undefined {
  if (value === undefined) return undefined;
  return instance(check, prop, value, kplus.Probe, 'Probe.fromHttpGet("/healthz"), Probe.fromTcpSocket() or Probe.fromCommand([...])');
}

/**
 * Renders a user's probe for `container` and checks what the API server checks: whole seconds,
 * periods and timeouts of at least 1 s, thresholds of at least 1 (exactly 1 for liveness and
 * startup success), ports 1-65535, an absolute HTTP path, a non-empty command.
 */
/** Checks a probe as it will be rendered for `container`; returns the port it checks, if any. */
export function checkProbe(check: PropChecker, prop: string, kind: ProbeKind, probe: kplus.Probe, container: kplus.Container): number | undefined {
  let rendered: RenderedProbe;
  try {
    // _toKube is cdk8s-plus's own renderer, marked internal; calling it here is how the probe is
    // checked as it will be synthesized, instead of failing at synth time.
    rendered = (probe as unknown as { _toKube(c: kplus.Container): RenderedProbe })._toKube(container);
  } catch (error) {
    check.fail(prop, `cannot be rendered: ${(error as Error).message} (probe durations are whole seconds)`);
  }
  const integer = (field: keyof RenderedProbe, min: number) => {
    const v = rendered[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > INT32_MAX)) {
      check.fail(prop, `${field} must be a whole number from ${min} to ${INT32_MAX}, got ${showValue(v)}`);
    }
  };
  integer('failureThreshold', 1);
  integer('initialDelaySeconds', 0);
  integer('periodSeconds', 1);
  integer('timeoutSeconds', 1);
  integer('successThreshold', 1);
  if (kind !== 'readiness' && rendered.successThreshold !== undefined && rendered.successThreshold !== 1) {
    check.fail(prop, `successThreshold must be 1 for a ${kind} probe, got ${showValue(rendered.successThreshold)}`);
  }
  for (const action of [rendered.httpGet, rendered.tcpSocket]) {
    const port = action?.port?.value;
    if (action && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) {
      check.fail(prop, `port must be an integer from 1 to 65535, got ${showValue(port)}`);
    }
  }
  const path = rendered.httpGet?.path;
  if (rendered.httpGet && (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path) || path.includes('\u0000'))) {
    check.fail(prop, `HTTP path must start with "/" and have no spaces, got ${showValue(path)}`);
  }
  const command = rendered.exec?.command;
  if (rendered.exec && (!Array.isArray(command) || command.length === 0)) {
    check.fail(prop, `command must be a non-empty list of strings, got ${showValue(command)}`);
  }
  if (Array.isArray(command)) check.stringList(`${prop} command`, command);
  return (rendered.httpGet ?? rendered.tcpSocket)?.port?.value as number | undefined;
}

/** Bounds for a Duration that becomes a whole number of seconds in an int32 field. */
export function durationSeconds(check: PropChecker, prop: string, value: Duration, min: number): number {
  return check.wholeSeconds(prop, value, { min, max: INT32_MAX })!;
}
