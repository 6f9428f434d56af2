import { App, Chart } from 'cdk8s';

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
