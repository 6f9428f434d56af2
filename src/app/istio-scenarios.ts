import { App, Chart, Duration } from 'cdk8s';

import { CanaryTrackProps, IstioCanary, IstioCanaryProps } from '..';

const HELLO_V1: CanaryTrackProps = { image: 'honester/hello-server:v1', replicas: 2 };
const HELLO_V2: CanaryTrackProps = { image: 'honester/hello-server:v2', replicas: 2 };
const TESTERS = [{ headers: { 'end-user': 'testers' }, weight: 50 }];

function helloChart(app: App, id: string, props: Omit<IstioCanaryProps, 'port'>): Chart {
  const chart = new Chart(app, id, { namespace: id, disableResourceNameHashes: true });
  new IstioCanary(chart, 'hello', { port: 8080, ...props });
  return chart;
}

/**
 * The hello-server release with Istio, one chart per step: requests with `end-user: testers`
 * split 50/50 between v1 and v2 while everyone else stays on v1; then 10 % of everyone; a
 * rollback to weight 0; and the finished promotion (v2 stable, no canary).
 */
export function helloIstioCharts(app: App): Chart[] {
  return [
    helloChart(app, 'hello-istio-testers', { stable: HELLO_V1, canary: HELLO_V2, weight: 0, match: TESTERS }),
    helloChart(app, 'hello-istio-weight-10', { stable: HELLO_V1, canary: HELLO_V2, weight: 10, match: TESTERS }),
    helloChart(app, 'hello-istio-rollback', { stable: HELLO_V1, canary: HELLO_V2, weight: 0 }),
    helloChart(app, 'hello-istio-promoted', { stable: HELLO_V2 }),
    // The fault test, with the scenario's own Service name: requests to /error go to v2, half of
    // them answered 503 by the sidecar, to see how callers (and Kiali) show a failing canary.
    helloChart(app, 'hello-istio-fault-error', {
      serviceName: 'svc-hello',
      stable: HELLO_V1,
      canary: HELLO_V2,
      weight: 0,
      match: [{ pathPrefix: '/error' }],
      fault: { abort: { httpStatus: 503, percentage: 50 } },
    }),
  ];
}

/**
 * A python service with a safe and a risky build. The risky build first takes a mirrored copy
 * of all traffic (dark launch: its responses are discarded), then 5 % of real requests, with a
 * timeout and retries so a failing risky pod costs callers a retry, not an error.
 */
export function pythonServiceCharts(app: App): Chart[] {
  const base: IstioCanaryProps = {
    port: 80,
    containerPort: 8000,
    stable: { image: 'registry.example.com/python-service:safe', version: 'safe', replicas: 3 },
    canary: { image: 'registry.example.com/python-service:risky', version: 'risky', replicas: 1 },
  };
  const dark = new Chart(app, 'python-service-dark-launch', { namespace: 'python-dark-launch', disableResourceNameHashes: true });
  new IstioCanary(dark, 'python-service', { ...base, weight: 0, mirror: { percentage: 100 } });
  const risky = new Chart(app, 'python-service-risky-5', { namespace: 'python-risky', disableResourceNameHashes: true });
  new IstioCanary(risky, 'python-service', {
    ...base,
    weight: 5,
    timeout: Duration.seconds(3),
    retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: ['5xx', 'connect-failure', 'reset'] },
  });
  return [dark, risky];
}

/**
 * hello-server in production: each track autoscales on CPU (stable 2-10 pods, the canary 2-4 so
 * that a node drain never leaves it without a pod), one PodDisruptionBudget per track, pods
 * spread over zones and nodes; 10 % of everyone goes to v2.
 */
export function helloAutoscaledChart(app: App): Chart {
  return helloChart(app, 'hello-istio-autoscaled', {
    stable: { image: 'honester/hello-server:v1', autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 } },
    canary: { image: 'honester/hello-server:v2', autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 } },
    weight: 10,
  });
}
