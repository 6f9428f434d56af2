/**
 * The benchmark's workload: N canary services per strategy, built once with the constructs and
 * once as a platform team would write the same YAML by hand in cdk8s, with the Kubernetes and CRD
 * L1 classes. run.ts asserts that both give the same bytes before it times them.
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { HttpRoute } from '../imports/gateway.networking.k8s.io';
import { DestinationRule, VirtualService } from '../imports/networking.istio.io';
import { GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../src';

export type Strategy = 'replica' | 'istio' | 'gateway' | 'nginx';
export const STRATEGIES: Strategy[] = ['replica', 'istio', 'gateway', 'nginx'];
export const NAMESPACE = 'bench';

const image = (i: number, version: string) => `registry.example.com/svc-${i}:${version}`;
const name = (i: number) => `svc-${i}`;

/** Builds service `i` with the library. */
export function buildWithConstructs(chart: Chart, strategy: Strategy, i: number): void {
  const common = { stable: { image: image(i, '1.0.0') }, canary: { image: image(i, '1.1.0') } };
  switch (strategy) {
    case 'replica':
      new ReplicaCanary(chart, name(i), { ...common, replicas: 4, weight: 25 });
      break;
    case 'istio':
      new IstioCanary(chart, name(i), { ...common, weight: 10, match: [{ headers: { 'x-canary': 'always' } }] });
      break;
    case 'gateway':
      new GatewayCanary(chart, name(i), { ...common, weight: 10, gateway: { name: 'eg' }, hostnames: [`${name(i)}.example.com`] });
      break;
    case 'nginx':
      new NginxCanary(chart, name(i), { ...common, weight: 10, host: `${name(i)}.example.com` });
      break;
  }
}

// ---- The hand-written baseline ----------------------------------------------------------------

const labels = (app: string) => ({
  'app': app, 'app.kubernetes.io/managed-by': 'cdk8s-canary', 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': app,
});

function deployment(scope: Construct, app: string, track: 'stable' | 'canary', img: string, replicas: number): void {
  const id = track === 'stable' ? 'StableDeployment' : 'CanaryDeployment';
  const holder = new Construct(scope, id);
  const version = img.split(':').pop()!;
  const tcp = { tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(80) } };
  new kplus.k8s.KubeDeployment(holder, 'Resource', {
    metadata: { name: track === 'stable' ? app : `${app}-canary`, namespace: NAMESPACE, labels: { ...labels(app), track } },
    spec: {
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      replicas,
      selector: { matchLabels: { app, track } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: kplus.k8s.IntOrString.fromString('25%'), maxUnavailable: kplus.k8s.IntOrString.fromString('25%') },
      },
      template: {
        metadata: {
          labels: {
            ...labels(app), 'app.kubernetes.io/version': version, 'track': track, 'version': version,
            // The pod address label the constructs set, so both outputs are byte-equal.
            'cdk8s.io/metadata.addr': track === 'stable' ? app : `${app}-canary`,
          },
        },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            name: app,
            image: img,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80, name: 'http' }],
            readinessProbe: { failureThreshold: 3, periodSeconds: 10, ...tcp },
            startupProbe: { failureThreshold: 60, periodSeconds: 5, ...tcp },
            resources: {
              limits: { cpu: kplus.k8s.Quantity.fromString('1'), memory: kplus.k8s.Quantity.fromString('512Mi') },
              requests: { cpu: kplus.k8s.Quantity.fromString('100m'), memory: kplus.k8s.Quantity.fromString('128Mi') },
            },
            securityContext: {
              allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
              runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
          }],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 },
          setHostnameAsFqdn: false,
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
            labelSelector: { matchLabels: { app, track } }, matchLabelKeys: ['pod-template-hash'], maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway',
          })),
          volumes: [{ emptyDir: {}, name: 'tmp' }],
        },
      },
    },
  });
}

/** The PodDisruptionBudgets of both tracks. */
function budgets(scope: Construct, app: string): void {
  for (const track of ['stable', 'canary'] as const) {
    new kplus.k8s.KubePodDisruptionBudget(scope, `${track}-budget`, {
      metadata: { name: track === 'stable' ? app : `${app}-canary`, namespace: NAMESPACE, labels: { ...labels(app), track } },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { app, track } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
  }
}

function service(scope: Construct, id: string, objectName: string, selector: Record<string, string>, app: string): void {
  new kplus.k8s.KubeService(new Construct(scope, id), 'Resource', {
    metadata: { name: objectName, namespace: NAMESPACE, labels: labels(app) },
    spec: {
      externalIPs: [],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: kplus.k8s.IntOrString.fromNumber(80) }],
      selector,
      type: 'ClusterIP',
    },
  });
}

/** Builds service `i` by hand, as the baseline. */
export function buildByHand(chart: Chart, strategy: Strategy, i: number): void {
  const app = name(i);
  const scope = new Construct(chart, app);
  const host = app; // the short name, as the library writes it (resolved in the rule's namespace)
  const metadata = { name: app, namespace: NAMESPACE, labels: labels(app) };
  if (strategy === 'replica') {
    deployment(scope, app, 'stable', image(i, '1.0.0'), 3);
    deployment(scope, app, 'canary', image(i, '1.1.0'), 1);
    budgets(scope, app);
    service(scope, 'Service', app, { app }, app);
    return;
  }
  deployment(scope, app, 'stable', image(i, '1.0.0'), 2);
  deployment(scope, app, 'canary', image(i, '1.1.0'), 2);
  budgets(scope, app);
  if (strategy === 'istio') {
    service(scope, 'Service', app, { app }, app);
    new DestinationRule(scope, 'DestinationRule', {
      metadata,
      spec: { host, subsets: [{ name: 'stable', labels: { track: 'stable' } }, { name: 'canary', labels: { track: 'canary' } }] },
    });
    const route = (stable: number) => [
      { destination: { host, subset: 'stable', port: { number: 80 } }, weight: stable },
      { destination: { host, subset: 'canary', port: { number: 80 } }, weight: 100 - stable },
    ];
    new VirtualService(scope, 'VirtualService', {
      metadata,
      spec: {
        hosts: [host],
        http: [
          { name: 'match-0', match: [{ headers: { 'x-canary': { exact: 'always' } } }], route: route(0) },
          { name: 'default', route: route(90) },
        ],
      },
    });
    return;
  }
  service(scope, 'Service', app, { app, track: 'stable' }, app);
  service(scope, 'CanaryService', `${app}-canary`, { app, track: 'canary' }, app);
  if (strategy === 'gateway') {
    new HttpRoute(scope, 'HttpRoute', {
      metadata,
      spec: {
        parentRefs: [{ name: 'eg' }],
        hostnames: [`${app}.example.com`],
        rules: [{
          matches: [{ path: { type: 'PathPrefix' as never, value: '/' } }],
          backendRefs: [{ name: app, port: 80, weight: 90 }, { name: `${app}-canary`, port: 80, weight: 10 }],
        }],
      },
    });
    return;
  }
  const rule = (backend: string) => ({
    host: `${app}.example.com`,
    http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 80 } } } }] },
  });
  new kplus.k8s.KubeIngress(scope, 'Ingress', { metadata, spec: { ingressClassName: 'nginx', rules: [rule(app)] } });
  new kplus.k8s.KubeIngress(scope, 'CanaryIngress', {
    metadata: {
      name: `${app}-canary`, namespace: NAMESPACE, labels: labels(app),
      annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' },
    },
    spec: { ingressClassName: 'nginx', rules: [rule(`${app}-canary`)] },
  });
}
