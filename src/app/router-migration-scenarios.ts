import { App, Chart } from 'cdk8s';

import { CanaryTrackProps, GatewayCanary } from '..';

// Canaries moved off a retiring router onto Gateway API, each beside the chart it replaces, so
// that `cdk8s-canary report --base OLD NEW --expect-same-traffic` proves the move (docs/migrate-*.md).

const WEB_PRODUCTION: CanaryTrackProps = { image: 'registry.example.com/web:3.1.0', replicas: 3 };
const WEB_CANARY: CanaryTrackProps = { image: 'registry.example.com/web:3.2.0', replicas: 2 };
const HELLO_V1: CanaryTrackProps = { image: 'honester/hello-server:v1', replicas: 2 };
const HELLO_V2: CanaryTrackProps = { image: 'honester/hello-server:v2', replicas: 2 };

/**
 * example-com-header (NginxCanary: `X-Canary: always` to the canary) on Gateway API: the same
 * host, the same header rule, the weight kept at 0, attached to the shared Gateway gateways/eg.
 */
export function exampleComGatewayChart(app: App): Chart {
  const chart = new Chart(app, 'example-com-header-gateway', { namespace: 'example-com-header-gateway', disableResourceNameHashes: true });
  new GatewayCanary(chart, 'web', {
    port: 8080, stable: WEB_PRODUCTION, canary: WEB_CANARY, weight: 0,
    gateway: { name: 'eg', namespace: 'gateways' }, hostnames: ['header.example.com'],
    match: [{ headers: { 'x-canary': 'always' } }],
  });
  return chart;
}

/**
 * hello-istio-weight-10 (IstioCanary: testers 50/50, everyone else 10 %) on Istio ambient: a mesh
 * GatewayCanary on Service hello served by its own waypoint, the same rules and weights.
 */
export function helloAmbientChart(app: App): Chart {
  const chart = new Chart(app, 'hello-ambient-weight-10', { namespace: 'hello-ambient-weight-10', disableResourceNameHashes: true });
  new GatewayCanary(chart, 'hello', {
    port: 8080, stable: HELLO_V1, canary: HELLO_V2, weight: 10,
    mesh: true, waypoint: 'waypoint', createWaypoint: true,
    match: [{ headers: { 'end-user': 'testers' }, weight: 50 }],
  });
  return chart;
}
