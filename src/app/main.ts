/**
 * The example app: one chart per scenario, synthesized into dist/ by `npx cdk8s synth`.
 * Each chart reads as documentation of one use of the library.
 */
import { App } from 'cdk8s';

import { buildExampleApp } from './example-app';

const app = new App();
buildExampleApp(app);
app.synth();
