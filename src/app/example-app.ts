import { App } from 'cdk8s';

import { notificationsAlbCharts } from './alb-scenarios';
import { shopClusterCharts } from './cluster-scenarios';
import { engineCharts } from './engine-scenarios';
import { backendAutoscaledChart, backendGatewayCharts, backendMeshChart } from './gateway-scenarios';
import { greeterGatewayChart, greeterIstioChart } from './grpc-scenarios';
import { helloAutoscaledChart, helloIstioCharts, pythonServiceCharts } from './istio-scenarios';
import { helloMigrationCharts, pythonServiceNodePortChart } from './migration-scenarios';
import { exampleComNginxCharts } from './nginx-scenarios';
import { flaskReplicaChart, notificationsRampCharts } from './replica-scenarios';
import { exampleComGatewayChart, helloAmbientChart } from './router-migration-scenarios';

/** Adds every scenario chart of the example app to `app`. */
export function buildExampleApp(app: App): void {
  flaskReplicaChart(app);
  notificationsRampCharts(app);
  helloIstioCharts(app);
  pythonServiceCharts(app);
  backendGatewayCharts(app);
  backendMeshChart(app);
  exampleComNginxCharts(app);
  pythonServiceNodePortChart(app);
  helloMigrationCharts(app);
  greeterGatewayChart(app);
  greeterIstioChart(app);
  helloAutoscaledChart(app);
  backendAutoscaledChart(app);
  notificationsAlbCharts(app);
  engineCharts(app);
  shopClusterCharts(app);
  exampleComGatewayChart(app);
  helloAmbientChart(app);
}
