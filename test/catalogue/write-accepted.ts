// Writes the YAML of every accepted-input catalogue entry into DIR (one file per entry), so the
// strict validator in ../shared/tools/k8scheck can judge it: `.ci/run` does.
//   node --import tsx test/catalogue/write-accepted.ts DIR
import { App, Chart } from 'cdk8s';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { ACCEPTED_INPUTS, buildAccepted } from './accepted-inputs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: write-accepted.ts DIR');
mkdirSync(dir, { recursive: true });
ACCEPTED_INPUTS.forEach((entry, i) => {
  const app = new App({ outdir: dir });
  // One namespace per entry: every entry names its construct `hello`.
  buildAccepted(new Chart(app, 'shop', { namespace: `accepted-${i}` }), entry);
  writeFileSync(join(dir, `accepted-${String(i).padStart(2, '0')}.k8s.yaml`), app.synthYaml());
});
