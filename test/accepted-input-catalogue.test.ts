import { App, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';

import { checkManifests } from '../src/checks/manifest-checks';
import { ACCEPTED_INPUTS, ACCEPTED_START, AcceptedCrds, acceptedProps, buildAccepted, renderAccepted, withAccepted } from './catalogue/accepted-inputs';
import { showProps } from './catalogue/bad-inputs';
import { docWith, readDoc } from './catalogue/doc-files';
import { SchemaOptions, schemaProblems } from './util/schema';
import { CANARY_SHARE } from './util/shares';
import { newChart } from './util/synth';

const SCHEMA_OPTIONS: Record<AcceptedCrds, SchemaOptions> = {
  'standard': {},
  'standard-v1.3': { without: ['gateway-api-v1.2.1-standard'] },
  'experimental': { channel: 'experimental' },
};

describe('accepted-input catalogue', () => {
  test('has at least 40 entries across the five constructs', () => {
    expect(ACCEPTED_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ACCEPTED_INPUTS.map((e) => e.construct))).toEqual(new Set(['ReplicaCanary', 'IstioCanary', 'GatewayCanary', 'NginxCanary', 'AlbCanary']));
  });

  test.each(ACCEPTED_INPUTS.map((entry, index) => [index, entry.construct, showProps(entry.props), entry] as const))(
    '%i: %s accepts %s: valid objects, the exact split, the input in the output', (_, __, ___, entry) => {
      const chart = newChart();
      const construct = buildAccepted(chart, entry);
      const manifests = Testing.synth(chart);
      expect(schemaProblems(manifests, SCHEMA_OPTIONS[entry.crds ?? 'standard'])).toEqual([]);
      expect(checkManifests(manifests.map((manifest) => ({ file: 'out', manifest })))).toEqual([]);
      // The YAML a user commits reads back as the same objects (keys such as "__proto__" included).
      const yaml = (chart.node.root as App).synthYaml();
      const reread = parseAllDocuments(yaml, { version: '1.1' }).map((d) => d.toJSON());
      expect(JSON.stringify(reread)).toBe(JSON.stringify(manifests));
      const props = acceptedProps(entry) as { weight?: number; fineWeight?: number; canary?: unknown };
      const asked = props.canary === undefined ? 0 : props.fineWeight ?? props.weight ?? 0;
      // Under an engine the split is the engine's at run time; the committed routes start all on stable.
      const engine = manifests.some((m) => m.kind === 'Rollout' || m.kind === 'Canary');
      if (!engine) expect(CANARY_SHARE[entry.construct](manifests, construct.name)).toBe(asked + 0);
      expect(construct.effectiveWeight).toBe(asked + 0);
      entry.check(manifests);
    });

  test('docs/errors.md shows the catalogue as it is (npm run docs regenerates it)', () => {
    expect(docWith(ACCEPTED_START)).toBe('docs/errors.md');
    const errors = readDoc('docs/errors.md');
    expect(withAccepted(errors, renderAccepted())).toBe(errors);
  });
});
