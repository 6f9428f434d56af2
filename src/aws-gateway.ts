// The generated AWS Load Balancer Controller Gateway types (gateway.k8s.aws/v1, from the v3.5.0
// CRDs) that appear in the public API, e.g. `GatewayCanary.albLoadBalancerConfiguration`:
// `import { awsGateway } from 'cdk8s-canary'`.
export * from '../imports/gateway.k8s.aws';
