import { Testing } from 'cdk8s';

import { ReplicaCanary } from '../src';
import { checkManifests } from '../src/checks/manifest-checks';
import { labelSelectorMatches } from '../src/core/labels';
import { analyze } from '../src/report/analyze';
import { newChart } from './util/synth';

/** A user's own PodDisruptionBudget over the library's pods, written any way the API allows. */
function withBudget(selector: unknown) {
  const chart = newChart();
  new ReplicaCanary(chart, 'hello', { stable: { image: 'app:v1' }, replicas: 2 });
  const manifests = [...Testing.synth(chart), { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'mine', namespace: 'shop' }, spec: { maxUnavailable: 1, selector } }];
  return manifests.map((manifest) => ({ file: 'a.yaml', manifest }));
}

describe('two budgets over one pod are found however the second selects', () => {
  test.each([
    ['matchLabels', { matchLabels: { app: 'hello' } }],
    ['matchExpressions In', { matchExpressions: [{ key: 'app', operator: 'In', values: ['hello', 'other'] }] }],
    ['matchExpressions Exists', { matchExpressions: [{ key: 'track', operator: 'Exists' }] }],
    ['an empty selector (every pod of the namespace, policy/v1)', {}],
  ])('%s', (_, selector) => {
    const problems = checkManifests(withBudget(selector));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('PodDisruptionBudget/hello and PodDisruptionBudget/mine both cover; the eviction API refuses to evict a pod with more than one PodDisruptionBudget')]);
    // The report (and so the safe synth, which runs it) says the same.
    expect(analyze(withBudget(selector).map((i) => ({ file: i.file, object: i.manifest as Record<string, unknown> }))).problems.some((p) => p.message.includes('both cover'))).toBe(true);
  });
  test.each([
    ['another app', { matchLabels: { app: 'other' } }],
    ['NotIn the app', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['hello'] }] }],
    ['DoesNotExist track', { matchExpressions: [{ key: 'track', operator: 'DoesNotExist' }] }],
    ['no selector (null: no pod)', null],
  ])('not: %s', (_, selector) => {
    expect(checkManifests(withBudget(selector)).filter((p) => p.message.includes('both cover'))).toEqual([]);
  });
});

describe('labelSelectorMatches: apimachinery semantics', () => {
  const labels = { app: 'a', track: 'stable' };
  test.each([
    [{}, true], [undefined, false], [null, false], [{ matchLabels: { app: 'a' } }, true], [{ matchLabels: { app: 'b' } }, false],
    [{ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['canary'] }] }, false],
    [{ matchExpressions: [{ key: 'track', operator: 'In', values: [] }] }, false],
    [{ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['y'] }] }, true],
    [{ matchExpressions: [{ key: 'x', operator: 'Gt', values: ['1'] }] }, false],
    [JSON.parse('{"matchLabels":{"__proto__":"a"}}'), false],
  ])('%j -> %s', (selector, expected) => {
    expect(labelSelectorMatches(selector, labels)).toBe(expected);
  });
});
