// The floor of `cdk8s synth`: node, cdk8s-cli and the same runner, synthesizing an empty chart.
// Run directly (without cdk8s synth), it writes to the temp dir, never into dist/.
import { App, Chart } from 'cdk8s';
import { tmpdir } from 'os';
import { join } from 'path';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? join(tmpdir(), 'cdk8s-canary-empty-app') });
new Chart(app, 'empty');
app.synth();
