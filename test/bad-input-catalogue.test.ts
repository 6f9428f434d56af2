import { readFileSync } from 'fs';
import { join } from 'path';

import { BAD_INPUTS, buildEntry, renderCatalogue, showProps, withCatalogue } from './catalogue/bad-inputs';
import { expectConfigError, newChart } from './util/synth';

describe('bad-input catalogue', () => {
  test('has at least 60 entries across the four constructs', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(BAD_INPUTS.map((e) => e.construct))).toEqual(new Set(['ReplicaCanary', 'IstioCanary', 'GatewayCanary', 'NginxCanary']));
  });

  test.each(BAD_INPUTS.map((entry) => [entry.construct, showProps(entry.props), entry] as const))(
    'fails when %s gets %s, naming the prop and synthesizing nothing', (_, __, entry) => {
      expectConfigError((chart) => buildEntry(chart, entry), entry.prop, entry.says);
    });

  test('the README shows the catalogue as it is (npm run docs regenerates it)', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(withCatalogue(readme, renderCatalogue(() => newChart()))).toBe(readme);
  });
});
