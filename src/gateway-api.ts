// The generated Gateway API types (gateway.networking.k8s.io/v1, from the v1.6.1 standard CRDs) that
// appear in the public API, e.g. `GatewayCanary.httpRoute`: `import { gatewayApi } from 'cdk8s-canary'`.
export * from '../imports/gateway.networking.k8s.io';
