import { App, Chart, Duration } from 'cdk8s';

import { CanaryTrackProps, NginxCanary, NginxCanaryProps } from '..';

const PRODUCTION: CanaryTrackProps = { image: 'registry.example.com/web:3.1.0', replicas: 3 };
const CANARY: CanaryTrackProps = { image: 'registry.example.com/web:3.2.0', replicas: 2 };

function webChart(app: App, id: string, props: Omit<NginxCanaryProps, 'stable'>): Chart {
  const chart = new Chart(app, id, { namespace: id, disableResourceNameHashes: true });
  new NginxCanary(chart, 'web', { port: 8080, stable: PRODUCTION, ...props });
  return chart;
}

/**
 * The example.com site behind ingress-nginx: production and canary 70/30 by weight; a variant
 * where only requests with `X-Canary: always` reach the canary; and a sticky variant where a
 * visitor, once assigned a track, stays on it.
 */
export function exampleComNginxCharts(app: App): Chart[] {
  return [
    webChart(app, 'example-com-weight-30', { host: 'example.com', canary: CANARY, weight: 30, tlsSecret: 'example-com-tls' }),
    webChart(app, 'example-com-header', {
      host: 'header.example.com', canary: CANARY, weight: 0, match: [{ headers: { 'x-canary': 'always' } }],
    }),
    webChart(app, 'example-com-sticky', {
      host: 'sticky.example.com', canary: CANARY, weight: 30, stickySessions: { maxAge: Duration.hours(1) },
    }),
  ];
}
