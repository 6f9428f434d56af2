import { Testing } from 'cdk8s';

import { CanaryConfigError } from '../src';
import { BAD_INPUTS, buildEntry, CATALOGUE_START, renderCatalogue, showProps, withCatalogue } from './catalogue/bad-inputs';
import { docWith, readDoc } from './catalogue/doc-files';
import { newChart } from './util/synth';

describe('bad-input catalogue', () => {
  test('has at least 200 entries across the five constructs', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(BAD_INPUTS.map((e) => e.construct))).toEqual(new Set(['ReplicaCanary', 'IstioCanary', 'GatewayCanary', 'NginxCanary', 'AlbCanary']));
  });

  test.each(BAD_INPUTS.map((entry, index) => [index, entry.construct, showProps(entry.props), entry] as const))(
    '%i: fails when %s gets %s, naming the prop and synthesizing nothing of it', (_, __, ___, entry) => {
      const chart = newChart();
      entry.before?.(chart);
      const before = Testing.synth(chart);
      let caught: unknown;
      try {
        buildEntry(chart, entry);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(CanaryConfigError);
      const error = caught as CanaryConfigError;
      expect({ prop: error.prop, message: error.message }).toEqual({ prop: entry.prop, message: expect.stringContaining(entry.says) });
      expect(error.message.startsWith(`${error.kind} ${error.constructPath}: ${entry.prop} `)).toBe(true);
      expect(chart.node.tryFindChild('hello')).toBeUndefined();
      expect(Testing.synth(chart)).toEqual(before);
    });

  test('docs/errors.md shows the catalogue as it is (npm run docs regenerates it)', () => {
    expect(docWith(CATALOGUE_START)).toBe('docs/errors.md');
    const errors = readDoc('docs/errors.md');
    expect(withCatalogue(errors, renderCatalogue(() => newChart()))).toBe(errors);
  });
});
