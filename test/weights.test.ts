import { exactCanaryReplicas, exactTotalAtLeast, formatWeight, gcd, nearestCanaryReplicas, neighbourCanaryReplicas, replicaWeight, routeWeights, smallestExactTotal, weightedTargets } from '../src/core/weights';

describe('weight arithmetic', () => {
  test('gcd', () => {
    expect([gcd(25, 100), gcd(10, 100), gcd(1, 100), gcd(0, 100), gcd(7, 3)]).toEqual([25, 10, 1, 100, 1]);
  });

  test.each([[0, 1], [100, 1], [50, 2], [25, 4], [75, 4], [20, 5], [10, 10], [5, 20], [1, 100], [33, 100]])('%i %% is exact from %i pods', (weight, total) => {
    expect(smallestExactTotal(weight)).toBe(total);
  });

  test('the smallest exact total at least a minimum', () => {
    expect([exactTotalAtLeast(25, 2), exactTotalAtLeast(25, 6), exactTotalAtLeast(10, 10), exactTotalAtLeast(0, 3)]).toEqual([4, 8, 10, 3]);
  });

  test('exact and nearest canary pods', () => {
    expect([exactCanaryReplicas(4, 25), exactCanaryReplicas(4, 10), exactCanaryReplicas(3, 100)]).toEqual([1, undefined, 3]);
    expect([nearestCanaryReplicas(4, 10), nearestCanaryReplicas(4, 60), nearestCanaryReplicas(4, 99), nearestCanaryReplicas(4, 0)]).toEqual([1, 2, 3, 0]);
    expect([neighbourCanaryReplicas(4, 10), neighbourCanaryReplicas(4, 25)]).toEqual([[0, 1], [1]]);
  });

  test('realised weights and their display', () => {
    expect([replicaWeight(3, 1), replicaWeight(0, 0), replicaWeight(0, 2)]).toEqual([25, 0, 100]);
    expect([formatWeight(25), formatWeight(100 / 3), formatWeight(200 / 3)]).toEqual(['25', '33.33', '66.67']);
    expect(routeWeights(10)).toEqual({ stable: 90, canary: 10 });
  });
});

describe('weightedTargets', () => {
  test('steady state: stable alone at 100; with a canary: both, summing to 100', () => {
    expect(weightedTargets(30, 's', undefined)).toEqual([{ target: 's', weight: 100 }]);
    expect(weightedTargets(30, 's', 'c')).toEqual([{ target: 's', weight: 70 }, { target: 'c', weight: 30 }]);
    expect(weightedTargets(0, 's', 'c')).toEqual([{ target: 's', weight: 100 }, { target: 'c', weight: 0 }]);
  });
});
