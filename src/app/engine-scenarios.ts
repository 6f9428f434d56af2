import { App, Chart, Duration } from 'cdk8s';

import { AlbCanary, AlbScheme, GatewayCanary, IstioCanary, NginxCanary, Progression, ReplicaCanary } from '..';

/**
 * The same services driven by an engine instead of commits (one chart per engine x strategy the
 * engine supports): hello (SCENARIOS.md 1) on Istio, example.com on ingress-nginx, backend behind
 * a Gateway API Gateway, the notifications service on plain Services and behind an ALB. `stable` is the version to release; the engine runs
 * the canary, checks Prometheus, and promotes or rolls back.
 */
const ISTIO_ANALYSIS = { prometheusAddress: 'http://prometheus.istio-system:9090', minSuccessRate: 99, maxLatencyP99: Duration.millis(500) };
const NGINX_ANALYSIS = { prometheusAddress: 'http://prometheus.monitoring:9090', minSuccessRate: 99 };

/** The backend behind the Envoy Gateway `eg`, as in the Gateway API scenarios. */
const BACKEND = {
  port: 3000,
  stable: { image: 'ghcr.io/example/backend:2.0.0', replicas: 2 },
  gateway: { name: 'eg', namespace: 'envoy-gateway-system' },
};

function chart(app: App, id: string): Chart {
  return new Chart(app, id, { namespace: id, disableResourceNameHashes: true });
}

export function engineCharts(app: App): Chart[] {
  const istioArgo = chart(app, 'hello-istio-argo');
  new IstioCanary(istioArgo, 'hello', {
    port: 8080,
    stable: { image: 'honester/hello-server:v2', replicas: 2 },
    match: [{ headers: { 'end-user': 'testers' } }],
    progression: Progression.argoRollouts({
      steps: [{ weight: 10, pause: Duration.minutes(5) }, { weight: 25, pause: Duration.minutes(5) }, { weight: 50 }],
      analysis: ISTIO_ANALYSIS,
    }),
  });
  const istioFlagger = chart(app, 'hello-istio-flagger');
  new IstioCanary(istioFlagger, 'hello', {
    port: 8080,
    stable: { image: 'honester/hello-server:v2', autoscaling: { minReplicas: 2, maxReplicas: 6 } },
    progression: Progression.flagger({ interval: Duration.minutes(1), stepWeight: 10, maxWeight: 50, threshold: 5, analysis: ISTIO_ANALYSIS }),
  });
  const nginxArgo = chart(app, 'example-com-nginx-argo');
  new NginxCanary(nginxArgo, 'example-com', {
    host: 'argo.example.com',
    stable: { image: 'nginx:1.27', replicas: 2 },
    progression: Progression.argoRollouts({ steps: [{ weight: 20, pause: Duration.minutes(2) }, { weight: 50, pause: Duration.minutes(2) }], analysis: NGINX_ANALYSIS }),
  });
  const nginxFlagger = chart(app, 'example-com-nginx-flagger');
  new NginxCanary(nginxFlagger, 'example-com', {
    host: 'flagger.example.com',
    stable: { image: 'nginx:1.27', replicas: 2 },
    match: [{ headers: { 'x-canary': 'insider' } }, { cookie: 'canary' }],
    progression: Progression.flagger({ interval: Duration.minutes(1), iterations: 10, analysis: NGINX_ANALYSIS }),
  });
  const replicaArgo = chart(app, 'notifications-replica-argo');
  new ReplicaCanary(replicaArgo, 'notifications', {
    port: 8096,
    stable: { image: 'stacksimplify/kube-notifications-microservice:4.0.0-AWS-XRay', version: 'v2', replicas: 4 },
    progression: Progression.argoRollouts({ steps: [{ weight: 25, pause: Duration.minutes(10) }, { weight: 50, pause: Duration.minutes(10) }, { weight: 75 }] }),
  });
  const gatewayArgo = chart(app, 'backend-gateway-argo');
  new GatewayCanary(gatewayArgo, 'backend', {
    ...BACKEND,
    hostnames: ['backend.example.com'],
    match: [{ headers: { 'x-beta': 'true' } }],
    progression: Progression.argoRollouts({ steps: [{ weight: 10, pause: Duration.minutes(5) }, { weight: 50, pause: Duration.minutes(5) }], analysis: ISTIO_ANALYSIS }),
  });
  const gatewayFlagger = chart(app, 'backend-gateway-flagger');
  new GatewayCanary(gatewayFlagger, 'backend', {
    ...BACKEND,
    hostnames: ['flagger.backend.example.com'],
    progression: Progression.flagger({ interval: Duration.minutes(1), stepWeights: [5, 10, 25, 50], analysis: ISTIO_ANALYSIS }),
  });
  const albArgo = chart(app, 'notifications-alb-argo');
  new AlbCanary(albArgo, 'notifications', {
    port: 8096,
    host: 'argo.canarydemo.kubeoncloud.com',
    scheme: AlbScheme.INTERNET_FACING,
    stable: { image: 'stacksimplify/kube-notifications-microservice:4.0.0-AWS-XRay', version: 'v2', replicas: 2 },
    match: [{ headers: { 'x-canary': 'always' } }],
    progression: Progression.argoRollouts({ steps: [{ weight: 10, pause: Duration.minutes(10) }, { weight: 50 }] }),
  });
  return [istioArgo, istioFlagger, nginxArgo, nginxFlagger, replicaArgo, gatewayArgo, gatewayFlagger, albArgo];
}
