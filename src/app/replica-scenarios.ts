import { App, Chart } from 'cdk8s';

import { ReplicaCanary } from '..';

/**
 * A flask service behind port 8080, listening on 5000 in the container: 2 stable pods and 1
 * canary pod, so about a third of connections reach the canary.
 */
export function flaskReplicaChart(app: App): Chart {
  const chart = new Chart(app, 'flask-replica', { namespace: 'flask', disableResourceNameHashes: true });
  new ReplicaCanary(chart, 'flask', {
    port: 8080,
    containerPort: 5000,
    stable: { image: 'registry.example.com/flask-app:1.4.2', replicas: 2 },
    canary: { image: 'registry.example.com/flask-app:1.5.0', replicas: 1 },
  });
  return chart;
}

/**
 * A notifications service of 4 pods at each step of a ramp. Each step is its own chart (and
 * namespace, so all of dist/ can be applied and validated at once); in a real repo each would be
 * one commit changing only `weight`.
 */
export function notificationsRampCharts(app: App): Chart[] {
  return [0, 25, 50, 75, 100].map((weight) => {
    const chart = new Chart(app, `notifications-weight-${weight}`, {
      namespace: `notifications-weight-${weight}`,
      disableResourceNameHashes: true,
    });
    new ReplicaCanary(chart, 'notifications', {
      stable: { image: 'registry.example.com/notifications:2.0.0' },
      canary: { image: 'registry.example.com/notifications:2.1.0' },
      replicas: 4,
      weight,
    });
    return chart;
  });
}
