import { Duration } from 'cdk8s';

import { gatewayDuration, protoDuration } from '../src/core/duration';

describe('durations', () => {
  test.each([
    [Duration.seconds(10), '10s', '10s'],
    [Duration.millis(1500), '1.5s', '1500ms'],
    [Duration.millis(250), '0.25s', '250ms'],
    [Duration.minutes(5), '300s', '300s'],
    [Duration.millis(100001), '100.001s', '1m40s1ms'],
    [Duration.hours(30), '108000s', '30h'],
  ])('%s: Istio %s, Gateway API %s', (duration, istio, gateway) => {
    expect(protoDuration(duration)).toBe(istio);
    expect(gatewayDuration(duration)).toBe(gateway);
  });
});
