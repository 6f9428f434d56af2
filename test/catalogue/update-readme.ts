// `npm run docs`: renders the bad-input and accepted-input catalogues, the dist/ excerpts and the report examples into the README.
import { Chart, Testing } from 'cdk8s';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { withReportExamples } from '../report-example';
import { renderAccepted, withAccepted } from './accepted-inputs';
import { renderCatalogue, withCatalogue } from './bad-inputs';
import { withDistExcerpts } from './readme-excerpts';

const readme = join(__dirname, '..', '..', 'README.md');
const newChart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
writeFileSync(readme, withReportExamples(withDistExcerpts(withAccepted(withCatalogue(readFileSync(readme, 'utf8'), renderCatalogue(newChart)), renderAccepted()))));
