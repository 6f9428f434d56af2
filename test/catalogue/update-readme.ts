// `npm run docs`: renders into the README and the guides in docs/ what they show of the code: the
// bad-input and accepted-input catalogues, the dist/ excerpts and the report examples.
import { Chart, Testing } from 'cdk8s';
import { writeFileSync } from 'fs';
import { join } from 'path';

import { withReportExamples } from '../report-example';
import { ACCEPTED_START, renderAccepted, withAccepted } from './accepted-inputs';
import { CATALOGUE_START, renderCatalogue, withCatalogue } from './bad-inputs';
import { docFiles, readDoc, ROOT } from './doc-files';
import { withDistExcerpts } from './readme-excerpts';

const newChart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
const catalogue = renderCatalogue(newChart);
const accepted = renderAccepted();
for (const file of docFiles()) {
  const before = readDoc(file);
  let text = before;
  if (text.includes(CATALOGUE_START)) text = withCatalogue(text, catalogue);
  if (text.includes(ACCEPTED_START)) text = withAccepted(text, accepted);
  text = withReportExamples(withDistExcerpts(text));
  if (text !== before) {
    writeFileSync(join(ROOT, file), text);
    process.stdout.write(`npm run docs: ${file} updated\n`);
  }
}
