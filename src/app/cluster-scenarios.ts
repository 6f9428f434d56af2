import { App, Chart } from 'cdk8s';

import { CanaryScope, GatewayCanary } from '..';

/**
 * One service in two clusters from one app: the storefront's staging and production charts attach
 * to the same shared Gateway `gateways/eg` of their cluster with the same host, each in its own
 * namespace (the objects of both stay distinct in dist/, which is validated as one set). Without
 * CanaryScope the second chart would be refused (its route on `gateways/eg` for shop.example.com
 * is the first's); in their own clusters each owns it. GitOps applies `shop-staging.k8s.yaml` to
 * staging and `shop-production.k8s.yaml` to production.
 */
export function shopClusterCharts(app: App): Chart[] {
  return ([['staging', 50], ['production', 10]] as const).map(([cluster, weight]) => {
    const chart = new Chart(app, `shop-${cluster}`, { namespace: `shop-${cluster}`, disableResourceNameHashes: true });
    CanaryScope.of(chart).cluster(cluster);
    new GatewayCanary(chart, 'storefront', {
      port: 8080,
      stable: { image: 'registry.example.com/storefront:5.0.0', replicas: 2 },
      canary: { image: 'registry.example.com/storefront:5.1.0', replicas: 2 },
      weight,
      gateway: { name: 'eg', namespace: 'gateways' },
      hostnames: ['shop.example.com'],
    });
    return chart;
  });
}
