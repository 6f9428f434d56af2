// The floor of `cdk8s synth`: node, cdk8s-cli and the same runner, synthesizing an empty chart.
import { App, Chart } from 'cdk8s';

const app = new App();
new Chart(app, 'empty');
app.synth();
