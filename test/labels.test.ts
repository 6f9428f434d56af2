import { Track } from '../src';
import { appSelector, objectLabels, podLabels, RESERVED_LABEL_KEYS, selectorMatches, trackSelector, trackSuffix } from '../src/core/labels';

describe('labels', () => {
  const source = { name: 'hello', partOf: 'shop', extraLabels: { team: 'payments' } };

  test('pods carry the canary and app.kubernetes.io labels; selectors only app and track', () => {
    expect(podLabels(source, Track.CANARY, 'v2')).toEqual({
      'team': 'payments', 'app': 'hello', 'track': 'canary', 'version': 'v2',
      'app.kubernetes.io/name': 'hello', 'app.kubernetes.io/version': 'v2', 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'cdk8s-canary',
    });
    expect(objectLabels(source)).not.toHaveProperty('version');
    expect(trackSelector('hello', Track.STABLE)).toEqual({ app: 'hello', track: 'stable' });
    expect(appSelector('hello')).toEqual({ app: 'hello' });
    expect(RESERVED_LABEL_KEYS).toEqual(expect.arrayContaining(['app', 'version', 'track']));
  });

  test('track selectors never match the other track, and ignore the version', () => {
    const stablePods = podLabels(source, Track.STABLE, 'v1');
    expect(selectorMatches(trackSelector('hello', Track.STABLE), stablePods)).toBe(true);
    expect(selectorMatches(trackSelector('hello', Track.CANARY), stablePods)).toBe(false);
    expect(selectorMatches(trackSelector('hello', Track.STABLE), podLabels(source, Track.STABLE, 'v9'))).toBe(true);
    expect([trackSuffix(Track.STABLE), trackSuffix(Track.CANARY)]).toEqual(['', '-canary']);
  });
});
