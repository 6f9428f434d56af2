// Writes the YAML of every accepted-input catalogue entry into DIR (one file per entry), so the
// strict validator in ../shared/tools/k8scheck can judge it: `.ci/run` does. Entries go to one
// subdirectory per set of CRDs they need (DIR/standard, DIR/standard-v1.3, DIR/experimental):
// a cluster runs one Gateway API channel, and a field added in v1.3 is not in v1.2.1.
//   node --import tsx test/catalogue/write-accepted.ts DIR
import { App, Chart } from 'cdk8s';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { ACCEPTED_INPUTS, buildAccepted } from './accepted-inputs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: write-accepted.ts DIR');
for (const crds of ['standard', 'standard-v1.3', 'experimental']) mkdirSync(join(dir, crds), { recursive: true });
ACCEPTED_INPUTS.forEach((entry, i) => {
  const app = new App({ outdir: dir });
  // One namespace per entry: every entry names its construct `hello`.
  buildAccepted(new Chart(app, 'shop', { namespace: `accepted-${i}` }), entry);
  writeFileSync(join(dir, entry.crds ?? 'standard', `accepted-${String(i).padStart(2, '0')}.k8s.yaml`), app.synthYaml());
});
