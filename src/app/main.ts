/**
 * The example app: one chart per scenario, synthesized into dist/ by `npx cdk8s synth`.
 * Each chart reads as documentation of one use of the library.
 */
import { App } from 'cdk8s';
import { flaskReplicaChart, notificationsRampCharts } from './replica-scenarios';

const app = new App();
flaskReplicaChart(app);
notificationsRampCharts(app);
app.synth();
