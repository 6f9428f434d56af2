import { App, Chart, Duration } from 'cdk8s';

import { CanaryTrackProps, GatewayCanary } from '..';

const BACKEND_V1: CanaryTrackProps = { image: 'registry.example.com/backend:v1', replicas: 2 };
const BACKEND_V2: CanaryTrackProps = { image: 'registry.example.com/backend:v2', replicas: 2 };

/**
 * The backend v1/v2 release on www.example.com through a Gateway `eg` (Envoy Gateway's quick-start
 * GatewayClass), at weights 10, 50 and 100. Each step creates its own Gateway so it can be applied
 * on its own; with a shared Gateway, use `gateway: { name: 'eg', namespace: '…' }` instead.
 */
export function backendGatewayCharts(app: App): Chart[] {
  return [10, 50, 100].map((weight) => {
    const chart = new Chart(app, `backend-gateway-weight-${weight}`, { namespace: `backend-weight-${weight}`, disableResourceNameHashes: true });
    new GatewayCanary(chart, 'backend', {
      port: 3000,
      stable: BACKEND_V1,
      canary: BACKEND_V2,
      weight,
      createGateway: { gatewayClassName: 'eg', name: 'eg' },
      hostnames: ['www.example.com'],
    });
    return chart;
  });
}

/**
 * The same release inside a mesh (GAMMA): the HTTPRoute attaches to Service `backend`, so every
 * in-cluster caller's requests split 90/10 between `backend-stable` and `backend-canary`.
 */
export function backendMeshChart(app: App): Chart {
  const chart = new Chart(app, 'backend-mesh-weight-10', { namespace: 'backend-mesh', disableResourceNameHashes: true });
  new GatewayCanary(chart, 'backend', { port: 3000, stable: BACKEND_V1, canary: BACKEND_V2, weight: 10, mesh: true });
  return chart;
}

/**
 * The backend release at 25 % on an autoscaled service: stable scales 3-12 pods and the canary
 * 2-6 on CPU and memory, each with its PodDisruptionBudget, and scale-down waits 10 minutes so
 * a short lull during the release does not shrink stable.
 */
export function backendAutoscaledChart(app: App): Chart {
  const chart = new Chart(app, 'backend-gateway-autoscaled', { namespace: 'backend-autoscaled', disableResourceNameHashes: true });
  const scaling = (minReplicas: number, maxReplicas: number) => ({
    minReplicas, maxReplicas, cpuUtilization: 70, memoryUtilization: 80, scaleDownStabilization: Duration.minutes(10),
  });
  new GatewayCanary(chart, 'backend', {
    port: 3000,
    stable: { image: BACKEND_V1.image, autoscaling: scaling(3, 12) },
    canary: { image: BACKEND_V2.image, autoscaling: scaling(2, 6) },
    weight: 25,
    createGateway: { gatewayClassName: 'eg', name: 'eg' },
    hostnames: ['www.example.com'],
  });
  return chart;
}
