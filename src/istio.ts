// The generated Istio networking types (networking.istio.io/v1, from the Istio 1.30.3 CRDs) that
// appear in public props, e.g. `IstioCanaryProps.trafficPolicy`: `import { istio } from 'cdk8s-canary'`.
export * from '../imports/networking.istio.io';
