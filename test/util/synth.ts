import { App, Chart, Testing } from 'cdk8s';

import { CanaryConfigError } from '../../src';

// Synthesized objects are plain JSON; tests read them by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = { [key: string]: any };

/** A fresh app with a chart `shop` in namespace `shop` (or `namespace`; null: none), as users write it. */
export function newChart(namespace: string | null = 'shop'): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: namespace ?? undefined, disableResourceNameHashes: true });
}

/** Builds with `build` in a fresh chart and returns the construct and the synthesized objects. */
export function synth<T>(build: (chart: Chart) => T, namespace: string | null = 'shop'): { construct: T; manifests: Manifest[]; chart: Chart } {
  const chart = newChart(namespace);
  const construct = build(chart);
  return { construct, manifests: Testing.synth(chart), chart };
}

/** The one object of `kind` named `name`; fails the test when there is not exactly one. */
export function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata?.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}/${name}, found ${found.length} among ${manifests.map((m) => `${m.kind}/${m.metadata?.name}`).join(', ')}`);
  }
  return found[0];
}

/** `Kind/name` of every object, sorted: the set of objects a configuration produces. */
export function objectIds(manifests: readonly Manifest[]): string[] {
  return manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();
}

/**
 * Runs `build` in a fresh chart, expects a CanaryConfigError naming `prop` whose message contains
 * `text`, and checks that the chart then synthesizes no object of the failed construct.
 */
export function expectConfigError(build: (chart: Chart) => unknown, prop: string, text: string | RegExp): CanaryConfigError {
  const chart = newChart();
  const error = expectRefused(() => build(chart), prop, text);
  expect(Testing.synth(chart)).toEqual([]);
  return error;
}

/** Runs `build`, expects a CanaryConfigError naming `prop` (first in its message) and matching `text`. */
function expectRefused(build: () => unknown, prop: string, text: string | RegExp): CanaryConfigError {
  let caught: unknown;
  try {
    build();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CanaryConfigError);
  const error = caught as CanaryConfigError;
  expect(error.prop).toBe(prop);
  expect(error.message).toMatch(typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text);
  expect(error.message.startsWith(`${error.kind} ${error.constructPath}: ${prop} `)).toBe(true);
  return error;
}

/**
 * Builds `first` in a fresh chart, then expects `second` in the same chart to fail with a
 * CanaryConfigError naming `prop` and matching `text`; the chart then holds only `first`'s objects.
 */
export function expectSecondRefused(first: (chart: Chart) => unknown, second: (chart: Chart) => unknown, prop: string, text: string | RegExp): CanaryConfigError {
  const chart = newChart();
  first(chart);
  const before = Testing.synth(chart);
  const error = expectRefused(() => second(chart), prop, text);
  expect(Testing.synth(chart)).toEqual(before);
  return error;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Synthesizes an app to YAML text, for byte-level comparisons. */
export function synthYaml(app: App): string {
  return app.synthYaml();
}
