#!/usr/bin/env node
// Extracts DestinationRule.spec.trafficPolicy from every Istio CRD release this library supports,
// so IstioCanary can check a user's trafficPolicy against each (a field one release lacks, a bad
// enum or a misspelt name fails at construction instead of vanishing or failing at apply).
//   node imports/crds/extract-traffic-policy.mjs [../shared]
// Descriptions are dropped; everything that constrains a value is kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.argv[2] ?? join(here, '..', '..', '..', 'shared');
const RELEASES = { 'istio-1.24.6': 'istio-1.24.6-crds.yaml', 'istio-1.30.3': 'istio-1.30.3-crds.yaml' };

const strip = (node) => Array.isArray(node) ? node.map(strip)
  : node === null || typeof node !== 'object' ? node
    : Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'description').map(([k, v]) => [k, strip(v)]));

const schemas = {};
for (const [release, file] of Object.entries(RELEASES)) {
  const crd = parseAllDocuments(readFileSync(join(shared, 'crds', file), 'utf8')).map((d) => d.toJSON())
    .find((d) => d?.kind === 'CustomResourceDefinition' && d.spec.names.kind === 'DestinationRule');
  const v1 = crd.spec.versions.find((v) => v.name === 'v1');
  schemas[release] = strip(v1.schema.openAPIV3Schema.properties.spec.properties.trafficPolicy);
}
writeFileSync(join(here, '..', '..', 'src', 'strategies', 'istio', 'traffic-policy-schemas.json'), `${JSON.stringify(schemas)}\n`);
