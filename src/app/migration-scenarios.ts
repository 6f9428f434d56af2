import { App, Chart } from 'cdk8s';

import { IstioCanary, ReplicaCanary, ServiceType } from '..';
import { MIGRATION_STEPS, MigrationPlan, migrationStep } from './migration';

const HELLO_V1 = 'honester/hello-server:v1';

/**
 * The hello scenario as it runs today: Deployment `hello-server-v1` selecting `app: hello` only,
 * Service `svc-hello` selecting `app: hello, version: v1`; moved under an IstioCanary that keeps
 * both the Service name callers use and the `app: hello` label Kiali keys on.
 */
export const HELLO_MIGRATION: MigrationPlan = {
  deployments: [{
    name: 'hello-server-v1', selector: { app: 'hello' }, labels: { app: 'hello', version: 'v1' },
    image: HELLO_V1, replicas: 2, container: 'hello-server', containerPort: 8080,
  }],
  service: { name: 'svc-hello', labels: { app: 'hello' }, selector: { app: 'hello', version: 'v1' }, port: 8080, targetPort: 8080, portName: 'http' },
  bridge: { name: 'hello-bridge', port: 8080, stable: { image: HELLO_V1, version: 'v1', replicas: 2 } },
  target: (scope, extra) => new IstioCanary(scope, 'hello', { serviceName: 'svc-hello', port: 8080, stable: { image: HELLO_V1, replicas: 2 }, ...extra }),
};

const FLASK_SAFE = 'dbdudska113/flask_y:latest';
const FLASK_RISK = 'dbdudska113/flask_y:v3';

/**
 * The python-service scenario as it runs today: two Deployments with the same selector
 * `app: python-service` (2 safe pods, 1 risky) behind NodePort Service `python-service` on
 * 31532 → 5000; moved under a ReplicaCanary with the same split, ports and node port.
 */
export const PYTHON_SERVICE_MIGRATION: MigrationPlan = {
  deployments: [
    {
      name: 'python-web-safe', selector: { app: 'python-service' }, labels: { app: 'python-service', version: 'safe' },
      image: FLASK_SAFE, replicas: 2, container: 'python-service', containerPort: 8080,
    },
    {
      name: 'python-web-risk', selector: { app: 'python-service' }, labels: { app: 'python-service', version: 'risk' },
      image: FLASK_RISK, replicas: 1, container: 'vue-service', containerPort: 8080,
    },
  ],
  service: {
    name: 'python-service', selector: { app: 'python-service' }, port: 8080, targetPort: 5000, portName: 'http',
    type: ServiceType.NODE_PORT, nodePort: 31532,
  },
  bridge: {
    name: 'python-service-bridge', port: 8080, containerPort: 5000,
    stable: { image: FLASK_SAFE, version: 'safe', replicas: 2 }, canary: { image: FLASK_RISK, version: 'risk', replicas: 1 },
  },
  target: (scope, extra) => new ReplicaCanary(scope, 'python-service', { ...PYTHON_SERVICE_NODE_PORT, ...extra }),
};

/** The python-service split by replicas behind its NodePort, by props alone (the scenario's ports). */
const PYTHON_SERVICE_NODE_PORT = {
  port: 8080,
  containerPort: 5000,
  serviceType: ServiceType.NODE_PORT,
  nodePort: 31532,
  containerName: 'python-service',
  stable: { image: FLASK_SAFE, version: 'safe', replicas: 2 },
  canary: { image: FLASK_RISK, version: 'risk', replicas: 1 },
};

/** The python-service replica split on NodePort 31532 → 5000: 2 safe pods, 1 risky. */
export function pythonServiceNodePortChart(app: App): Chart {
  const chart = new Chart(app, 'python-service-nodeport', { namespace: 'python-nodeport', disableResourceNameHashes: true });
  new ReplicaCanary(chart, 'python-service', PYTHON_SERVICE_NODE_PORT);
  return chart;
}

/** One chart per commit of the svc-hello migration, each in its own namespace. */
export function helloMigrationCharts(app: App): Chart[] {
  return MIGRATION_STEPS.map((_, i) => {
    const chart = new Chart(app, `hello-migration-step-${i + 1}`, { namespace: `hello-migration-${i + 1}`, disableResourceNameHashes: true });
    migrationStep(chart, HELLO_MIGRATION, i + 1);
    return chart;
  });
}
