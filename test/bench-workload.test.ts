import { App, Chart } from 'cdk8s';

import { buildByHand, buildWithConstructs, STRATEGIES } from '../bench/workload';

// The benchmark compares the constructs with the same YAML written by hand; it is only honest
// while both give the same bytes, so a change to the output must update the hand-written side.
describe('bench workload', () => {
  test.each(STRATEGIES)('%s: constructs and the hand-written baseline give the same YAML', (strategy) => {
    const yaml = (build: typeof buildByHand) => {
      const app = new App();
      const chart = new Chart(app, 'bench', { namespace: 'bench' });
      for (let i = 0; i < 3; i++) build(chart, strategy, i);
      return app.synthYaml();
    };
    expect(yaml(buildWithConstructs)).toBe(yaml(buildByHand));
  });
});
