import { App, Chart } from 'cdk8s';

import { CanaryProtocol, GatewayCanary, IstioCanary } from '..';

/** What both greeter charts share: a gRPC service on 50051, 1.0.0 stable, 10 % to 1.1.0. */
const GREETER = {
  protocol: CanaryProtocol.GRPC,
  port: 50051,
  stable: { image: 'registry.example.com/greeter:1.0.0', replicas: 2 },
  canary: { image: 'registry.example.com/greeter:1.1.0', replicas: 2 },
  weight: 10,
};

/**
 * A gRPC greeter on Gateway API: a GRPCRoute on grpc.example.com sends calls to service
 * `helloworld.Greeter` that carry `x-canary: always` to 1.1.0, and 10 % of all other calls.
 */
export function greeterGatewayChart(app: App): Chart {
  const chart = new Chart(app, 'greeter-grpc-gateway', { namespace: 'greeter-gateway', disableResourceNameHashes: true });
  new GatewayCanary(chart, 'greeter', {
    ...GREETER,
    createGateway: { gatewayClassName: 'eg', name: 'eg' },
    hostnames: ['grpc.example.com'],
    match: [{ pathPrefix: '/helloworld.Greeter', headers: { 'x-canary': 'always' } }],
  });
  return chart;
}

/**
 * The same greeter in an Istio mesh: the SayHello method of testers (`x-tester: yes`) goes to
 * 1.1.0, 10 % of everything else; the Service port is named and typed gRPC for the sidecars.
 */
export function greeterIstioChart(app: App): Chart {
  const chart = new Chart(app, 'greeter-grpc-istio', { namespace: 'greeter-istio', disableResourceNameHashes: true });
  new IstioCanary(chart, 'greeter', {
    ...GREETER,
    match: [{ pathExact: '/helloworld.Greeter/SayHello', headers: { 'x-tester': 'yes' } }],
  });
  return chart;
}
