import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';

import { AlbCanary, EngineHandover, GatewayCanary, IstioCanary, NginxCanary, Progression, ReplicaCanary } from '../src';
import { analyze } from '../src/report/analyze';
import { renderText } from '../src/report/render';
import { schemaProblems } from './util/schema';
import { expectConfigError, find, Manifest, objectIds, synth } from './util/synth';

const analysis = { prometheusAddress: 'http://prometheus.istio-system:9090', maxLatencyP99: Duration.millis(500) };
const argo = (handover?: EngineHandover) => Progression.argoRollouts({ steps: [{ weight: 10, pause: Duration.minutes(5) }, { weight: 50 }], analysis, handover });
const flagger = (handover?: EngineHandover) => Progression.flagger({ interval: Duration.minutes(1), stepWeight: 10, maxWeight: 50, analysis, handover });
const stable = { image: 'honester/hello-server:v2', replicas: 3 };

const istio = (progression: Progression, extra: object = {}) => (chart: Chart) => new IstioCanary(chart, 'hello', { port: 8080, stable, progression, ...extra });
const nginx = (progression: Progression, extra: object = {}) => (chart: Chart) => new NginxCanary(chart, 'site', { host: 'example.com', stable, progression, ...extra });

describe('Progression.manual()', () => {
  test('is the default: the same bytes as no progression at all', () => {
    const yaml = (progression?: Progression) => {
      const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
      new IstioCanary(chart, 'hello', { port: 8080, stable, canary: { image: 'honester/hello-server:v3' }, weight: 10, progression });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(yaml(Progression.manual())).toEqual(yaml());
  });
});

describe('with an engine, the engine owns the canary', () => {
  test.each([['argo', argo()], ['flagger', flagger()]])('%s: canary is refused, saying why', (_, progression) => {
    expectConfigError(istio(progression, { canary: { image: 'x:v3' } }), 'canary', /the engine runs the canary: it starts one from stable whenever stable changes/);
  });
  test('weight is refused', () => {
    expectConfigError(istio(argo(), { weight: 10 }), 'weight', /Argo Rollouts the engine sets the weight step by step/);
  });
  test('Flagger: a name too long for Flagger\'s "-primary" copies is refused', () => {
    const long = `a${'b'.repeat(55)}`;
    expectConfigError(istio(flagger(), { name: long }), 'name', /Flagger names its copy ".*-primary" \(a Service name and label value\), which must fit 63; use at most 55/);
    expect(() => synth(istio(argo(), { name: long }))).not.toThrow();
  });
  test('a value not made by Progression is refused', () => {
    expectConfigError(istio({ engine: 'ArgoRollouts' } as unknown as Progression), 'progression', /must be made by Progression.manual\(\)/);
  });
});

describe('IstioCanary + Argo Rollouts', () => {
  const { manifests, construct } = synth(istio(argo(), { match: [{ headers: { 'End-User': 'testers' } }, { cookie: 'beta' }] }));
  const rollout = find(manifests, 'Rollout', 'hello');

  test('objects: the Deployment holds no pod, the Rollout runs its template; every object fits the CRDs', () => {
    expect(objectIds(manifests)).toEqual([
      'AnalysisTemplate/hello', 'Deployment/hello', 'DestinationRule/hello', 'PodDisruptionBudget/hello', 'Rollout/hello', 'Service/hello', 'VirtualService/hello',
    ]);
    expect(find(manifests, 'Deployment', 'hello').spec.replicas).toBe(0);
    expect(rollout.spec.replicas).toBe(3);
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello', scaleDown: 'never' });
    expect(rollout.spec.selector.matchLabels).toEqual(find(manifests, 'Deployment', 'hello').spec.selector.matchLabels);
    expect(construct.rollout?.name).toBe('hello');
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('subset-level routing on our DestinationRule and the named default route', () => {
    expect(rollout.spec.strategy.canary.trafficRouting.istio).toEqual({
      virtualService: { name: 'hello', routes: ['default'] },
      destinationRule: { name: 'hello', canarySubsetName: 'canary', stableSubsetName: 'stable' },
    });
    const vs = find(manifests, 'VirtualService', 'hello');
    expect(vs.spec.http).toHaveLength(1);
    expect(vs.spec.http[0].name).toBe('default');
    expect(vs.spec.http[0].route.map((r: Manifest) => [r.destination.subset, r.weight])).toEqual([['stable', 100], ['canary', 0]]);
    expect(find(manifests, 'DestinationRule', 'hello').spec.subsets).toEqual([
      { name: 'stable', labels: { app: 'hello' } }, { name: 'canary', labels: { app: 'hello' } },
    ]);
    expect(rollout.spec.strategy.canary.stableService).toBeUndefined();
  });

  test('steps: weight then pause; header routes after the first weight, declared as managed routes', () => {
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 10 },
      { setHeaderRoute: { name: 'hello-match-0', match: [{ headerName: 'end-user', headerValue: { exact: 'testers' } }] } },
      { setHeaderRoute: { name: 'hello-match-1', match: [{ headerName: 'cookie', headerValue: { regex: '^(.*;\\s*)?beta=always(\\s*;.*)?$' } }] } },
      { pause: { duration: '5m' } },
      { setWeight: 50 },
      { pause: {} },
    ]);
    expect(rollout.spec.strategy.canary.trafficRouting.managedRoutes).toEqual([{ name: 'hello-match-0' }, { name: 'hello-match-1' }]);
  });

  test('analysis: Istio destination metrics of the released version, percent and milliseconds', () => {
    const template = find(manifests, 'AnalysisTemplate', 'hello');
    const [success, latency] = template.spec.metrics;
    expect(success.successCondition).toBe('len(result) > 0 && result[0] >= 99');
    expect(success.provider.prometheus.query).toContain('destination_workload="hello", destination_canonical_revision="v2"');
    expect(success.provider.prometheus.query).toContain('response_code!~"5.*"');
    expect(latency.successCondition).toBe('len(result) > 0 && result[0] <= 500');
    expect(latency.provider.prometheus.query).toContain('istio_request_duration_milliseconds_bucket');
    expect(rollout.spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'hello' }]);
  });

  test('match entries the engines cannot express are refused', () => {
    expectConfigError(istio(argo(), { match: [{ headers: { a: 'b' }, weight: 50 }] }), 'match[0].weight', /sends every matching request to the canary/);
    expectConfigError(istio(argo(), { match: [{ pathPrefix: '/beta' }] }), 'match[0].pathPrefix', /matches requests by headers only/);
    expectConfigError(istio(argo(), { mirror: { percentage: 5 } }), 'mirror', /progression engine starts and stops/);
  });

  test('an autoscaled stable track: the HPA scales the Rollout, which then leaves replicas to it', () => {
    const { manifests: m } = synth(istio(argo(), { stable: { image: 'a:v1', autoscaling: { minReplicas: 2, maxReplicas: 6 } } }));
    expect(find(m, 'HorizontalPodAutoscaler', 'hello').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'hello' });
    expect(find(m, 'Rollout', 'hello').spec.replicas).toBeUndefined();
    expect(find(m, 'Deployment', 'hello').spec.replicas).toBe(0);
  });
});

describe('IstioCanary + Flagger', () => {
  const { manifests } = synth(istio(flagger(), { stable: { image: 'a:v1', autoscaling: { minReplicas: 2, maxReplicas: 6 } } }));

  test('none of the objects Flagger generates; the Canary targets the Deployment and its HPA', () => {
    expect(objectIds(manifests)).toEqual([
      'Canary/hello', 'Deployment/hello', 'HorizontalPodAutoscaler/hello', 'MetricTemplate/hello-latency-p99', 'MetricTemplate/hello-success-rate', 'PodDisruptionBudget/hello',
    ]);
    const canary = find(manifests, 'Canary', 'hello');
    expect(canary.spec.provider).toBe('istio');
    expect(canary.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello' });
    expect(canary.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'hello' });
    expect(canary.spec.revertOnDeletion).toBe(true);
    expect(canary.spec.service).toEqual({ name: 'hello', port: 8080, targetPort: 8080, portName: 'http' });
    expect(canary.spec.analysis).toMatchObject({ interval: '1m', stepWeight: 10, maxWeight: 50, threshold: 5 });
    expect(canary.spec.analysis.metrics).toEqual([
      { name: 'success-rate', templateRef: { name: 'hello-success-rate' }, thresholdRange: { min: 99 }, interval: '1m' },
      { name: 'latency-p99', templateRef: { name: 'hello-latency-p99' }, thresholdRange: { max: 500 }, interval: '1m' },
    ]);
    expect(find(manifests, 'MetricTemplate', 'hello-success-rate').spec.query).toContain('destination_workload="{{ target }}"');
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('the disruption budget covers the target and the primary Flagger copies from it', () => {
    expect(find(manifests, 'PodDisruptionBudget', 'hello').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'hello', track: 'stable' });
  });

  test('match makes an A/B test by iterations; weights are then refused', () => {
    const { manifests: m } = synth(istio(Progression.flagger({ interval: Duration.seconds(30), iterations: 5 }), { match: [{ headers: { 'X-User': 'qa' } }] }));
    expect(find(m, 'Canary', 'hello').spec.analysis).toEqual({ interval: '30s', threshold: 5, iterations: 5, match: [{ headers: { 'x-user': { exact: 'qa' } } }], metrics: [] });
    expectConfigError(istio(Progression.flagger({ interval: Duration.minutes(1), stepWeight: 5 }), { match: [{ headers: { a: 'b' } }] }), 'progression.flagger.stepWeight', /A\/B test/);
  });
});

describe('NginxCanary', () => {
  test('Argo Rollouts: the stable Ingress only; the canary Service selects the stable template for Argo to narrow', () => {
    const { manifests } = synth(nginx(argo()));
    expect(objectIds(manifests)).toEqual([
      'AnalysisTemplate/site', 'Deployment/site', 'Ingress/site', 'PodDisruptionBudget/site', 'Rollout/site', 'Service/site', 'Service/site-canary',
    ]);
    const canary = find(manifests, 'Rollout', 'site').spec.strategy.canary;
    expect(canary.trafficRouting).toEqual({ nginx: { stableIngress: 'site' } });
    expect([canary.stableService, canary.canaryService]).toEqual(['site', 'site-canary']);
    expect(find(manifests, 'Service', 'site-canary').spec.selector).toEqual({ app: 'site', track: 'stable' });
    expect(find(manifests, 'AnalysisTemplate', 'site').spec.metrics[0].provider.prometheus.query).toContain('nginx_ingress_controller_requests{namespace="{{args.namespace}}", ingress="site", canary!=""');
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('Argo Rollouts refuses header routes with nginx', () => {
    expectConfigError(nginx(argo(), { match: [{ headers: { 'X-Canary': 'yes' } }] }), 'match', /Argo Rollouts refuses header routes \(setHeaderRoute\) with nginx/);
  });

  test('Flagger: the user Ingress to the apex Service Flagger makes; A/B by header and by cookie name', () => {
    const { manifests } = synth(nginx(Progression.flagger({ interval: Duration.minutes(1) }), { match: [{ headers: { 'X-Canary': 'insider' } }, { cookie: 'canary' }] }));
    expect(objectIds(manifests)).toEqual(['Canary/site', 'Deployment/site', 'Ingress/site', 'PodDisruptionBudget/site']);
    const canary = find(manifests, 'Canary', 'site');
    expect(canary.spec.ingressRef).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'site' });
    expect(canary.spec.analysis.match).toEqual([{ headers: { 'x-canary': { exact: 'insider' } } }, { headers: { cookie: { exact: 'canary' } } }]);
    expect(find(manifests, 'Ingress', 'site').spec.rules[0].http.paths[0].backend.service.name).toBe('site');
    expect(schemaProblems(manifests)).toEqual([]);
  });
});

describe('ReplicaCanary', () => {
  test('Argo Rollouts: the basic canary, no router', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'api', { stable: { image: 'a:v1', replicas: 10 }, progression: Progression.argoRollouts({ steps: [{ weight: 10 }, { weight: 50 }] }) }));
    const canary = find(manifests, 'Rollout', 'api').spec.strategy.canary;
    expect(canary).toEqual({ steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] });
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('a step the pods cannot split exactly is refused with the nearest weights and the replicas that make it exact', () => {
    expectConfigError((chart) => new ReplicaCanary(chart, 'api', { stable: { image: 'a:v1', replicas: 4 }, progression: Progression.argoRollouts({ steps: [{ weight: 10 }] }) }),
      'progression.argoRollouts.steps[0].weight', 'is 10, but Argo\'s basic canary splits 4 pods, so the nearest weights are 0 (0 of 4 pods) and 25 (1 of 4 pods); give one of them, or at least 10 replicas');
  });

  test('an autoscaled stable track is refused: the pod ratio would move with the scale', () => {
    expectConfigError((chart) => new ReplicaCanary(chart, 'api', { stable: { image: 'a:v1', autoscaling: { minReplicas: 2, maxReplicas: 4 } }, progression: Progression.argoRollouts({ steps: [{ weight: 50 }] }) }),
      'stable.autoscaling', /Argo's basic canary splits by the ratio of pods, which an autoscaler moves/);
  });

  test('Flagger and analysis are refused', () => {
    expectConfigError((chart) => new ReplicaCanary(chart, 'api', { stable: { image: 'a:v1' }, progression: Progression.flagger({ interval: Duration.minutes(1) }) }), 'progression', /blue\/green only/);
    expectConfigError((chart) => new ReplicaCanary(chart, 'api', { stable: { image: 'a:v1', replicas: 10 }, progression: Progression.argoRollouts({ steps: [{ weight: 10 }], analysis }) }),
      'progression.argoRollouts.analysis', /no router whose metrics/);
  });
});

describe('GatewayCanary', () => {
  const gateway = (progression: Progression, extra: object = {}) => (chart: Chart) =>
    new GatewayCanary(chart, 'web', { stable, gateway: { name: 'public', namespace: 'infra' }, hostnames: ['web.example.com'], progression, ...extra });

  test('Argo Rollouts: the Gateway API plugin on our HTTPRoute, stable 100 / canary 0, header routes managed', () => {
    const { manifests } = synth(gateway(argo(), { match: [{ headers: { 'x-beta': 'yes' } }] }));
    expect(objectIds(manifests)).toEqual([
      'AnalysisTemplate/web', 'Deployment/web', 'HTTPRoute/web', 'PodDisruptionBudget/web', 'Rollout/web', 'Service/web', 'Service/web-canary',
    ]);
    const route = find(manifests, 'HTTPRoute', 'web');
    expect(route.spec.rules).toHaveLength(1);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'web', port: 80, weight: 100 }, { name: 'web-canary', port: 80, weight: 0 }]);
    const canary = find(manifests, 'Rollout', 'web').spec.strategy.canary;
    expect(canary.trafficRouting).toEqual({
      plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'web', useHeaderRoutes: true }], namespace: 'shop' } },
      managedRoutes: [{ name: 'web-match-0' }],
    });
    expect(find(manifests, 'Service', 'web-canary').spec.selector).toEqual({ app: 'web', track: 'stable' });
    // A Gateway reports as source, a meshed pod as destination: no reporter filter.
    expect(find(manifests, 'AnalysisTemplate', 'web').spec.metrics[0].provider.prometheus.query).not.toContain('reporter=');
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('Flagger: gatewayapi:v1 with the parent Gateway and hostnames; no Service or HTTPRoute of ours', () => {
    const { manifests } = synth(gateway(flagger()));
    expect(objectIds(manifests)).toEqual(['Canary/web', 'Deployment/web', 'MetricTemplate/web-latency-p99', 'MetricTemplate/web-success-rate', 'PodDisruptionBudget/web']);
    const spec = find(manifests, 'Canary', 'web').spec;
    expect(spec.provider).toBe('gatewayapi:v1');
    expect(spec.service).toEqual({ name: 'web', port: 80, targetPort: 80, portName: 'http', hosts: ['web.example.com'], gatewayRefs: [{ name: 'public', namespace: 'infra' }] });
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('Flagger refuses what its generated HTTPRoute cannot carry', () => {
    expectConfigError(gateway(flagger(), { path: '/api' }), 'path', /Flagger generates the HTTPRoute itself/);
    expectConfigError(gateway(flagger(), { serviceName: 'web-svc' }), 'serviceName', /Flagger names its HTTPRoute after the apex Service/);
    expectConfigError((chart) => new GatewayCanary(chart, 'web', { stable, mesh: true, progression: flagger() }), 'mesh', /routes from Gateways only/);
  });
});

describe('AlbCanary', () => {
  const alb = (progression: Progression, extra: object = {}) => (chart: Chart) => new AlbCanary(chart, 'web', { stable, host: 'web.example.com', progression, ...extra });

  test('Argo Rollouts: trafficRouting.alb; the action named after the stable Service, as Argo rewrites it', () => {
    const { manifests } = synth(alb(Progression.argoRollouts({ steps: [{ weight: 10 }] }), { match: [{ headers: { 'x-beta': 'yes' } }] }));
    expect(objectIds(manifests)).toEqual(['Deployment/web', 'Ingress/web', 'PodDisruptionBudget/web', 'Rollout/web', 'Service/web', 'Service/web-canary']);
    const ingress = find(manifests, 'Ingress', 'web');
    expect(ingress.spec.rules[0].http.paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'use-annotation' } } } }]);
    expect(JSON.parse(ingress.metadata.annotations['alb.ingress.kubernetes.io/actions.web']).forwardConfig.targetGroups).toEqual([
      { serviceName: 'web', servicePort: 80, weight: 100 }, { serviceName: 'web-canary', servicePort: 80, weight: 0 },
    ]);
    const canary = find(manifests, 'Rollout', 'web').spec.strategy.canary;
    expect(canary.trafficRouting).toEqual({ alb: { ingress: 'web', servicePort: 80 }, managedRoutes: [{ name: 'web-match-0' }] });
    expect([canary.stableService, canary.canaryService]).toEqual(['web', 'web-canary']);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('refused: Flagger (no provider), analysis (CloudWatch), a cookie header route', () => {
    expectConfigError(alb(flagger()), 'progression', /Flagger has no AWS Load Balancer Controller provider/);
    expectConfigError(alb(argo()), 'progression.argoRollouts.analysis', /CloudWatch, not Prometheus/);
    expectConfigError(alb(Progression.argoRollouts({ steps: [{ weight: 10 }] }), { match: [{ cookie: 'beta' }] }), 'match[0].cookie', /compare header values/);
  });
});

describe('engine options are checked as the engines check them', () => {
  const steps = (s: unknown) => Progression.argoRollouts({ steps: s as never });
  test.each([
    ['progression.argoRollouts.steps', steps([]), /is empty/],
    ['progression.argoRollouts.steps[0].weight', steps([{ weight: 101 }]), /from 0 to 100, got 101/],
    ['progression.argoRollouts.steps[0].pause', steps([{ weight: 5, pause: Duration.millis(1500) }]), /whole number of seconds/],
    ['progression.flagger.stepWeights', Progression.flagger({ interval: Duration.minutes(1), stepWeight: 5, stepWeights: [5, 10] }), /give one of them/],
    ['progression.flagger.stepWeights[1]', Progression.flagger({ interval: Duration.minutes(1), stepWeights: [10, 10] }), /not above the step before/],
    ['progression.flagger.stepWeight', Progression.flagger({ interval: Duration.minutes(1), maxWeight: 30, stepWeight: 40 }), /from 1 to 30, got 40/],
    ['progression.flagger.iterations', Progression.flagger({ interval: Duration.minutes(1), iterations: 3 }), /needs match entries/],
    ['progression.argoRollouts.analysis.prometheusAddress', Progression.argoRollouts({ steps: [{ weight: 5 }], analysis: { prometheusAddress: 'prometheus:9090' } }), /http:\/\/ or https:\/\/ URL/],
    ['progression.argoRollouts.analysis.minSuccessRate', Progression.argoRollouts({ steps: [{ weight: 5 }], analysis: { prometheusAddress: 'http://p:9090', minSuccessRate: NaN } }), /from 0 to 100/],
  ])('%s', (prop, progression, text) => {
    expectConfigError(istio(progression as Progression), prop as string, text as RegExp);
  });
});

/**
 * The handover walk (issue: switching to an engine and back without an outage). Each commit is a
 * synthesis; in each, the Services and the Deployment keep their names and selectors, and the
 * Service callers use selects pods that exist (the Deployment's or the Rollout's, which carry the
 * Deployment's template labels) both before and after the commit applies.
 */
describe('switching to an engine and back, commit by commit', () => {
  type State = { manifests: Manifest[] };
  const podsSelected = (state: State, serviceSelector: Record<string, string>) => {
    let pods = 0;
    for (const m of state.manifests) {
      if (m.kind !== 'Deployment' && m.kind !== 'Rollout') continue;
      const labels = m.kind === 'Deployment' ? m.spec.template.metadata.labels : find(state.manifests, 'Deployment', m.spec.workloadRef.name).spec.template.metadata.labels;
      if (Object.entries(serviceSelector).every(([k, v]) => labels[k] === v)) pods += m.spec.replicas ?? 0;
    }
    return pods;
  };

  test('Argo Rollouts: manual -> TO_ENGINE -> engine -> FROM_ENGINE -> manual', () => {
    const walk = [Progression.manual(), argo(EngineHandover.TO_ENGINE), argo(), argo(EngineHandover.FROM_ENGINE), Progression.manual()]
      .map((progression) => synth(istio(progression)) as State);
    const deploymentSelector = walk.map((s) => find(s.manifests, 'Deployment', 'hello').spec.selector);
    const serviceSelector = walk.map((s) => find(s.manifests, 'Service', 'hello').spec.selector);
    expect(new Set(deploymentSelector.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(new Set(serviceSelector.map((s) => JSON.stringify(s))).size).toBe(1);
    // Every commit: the pods of the state before and of the state after are behind the Service.
    walk.forEach((state, i) => {
      expect(podsSelected(state, serviceSelector[i])).toBeGreaterThan(0);
      if (i > 0) expect(Math.min(podsSelected(walk[i - 1], serviceSelector[i]), podsSelected(state, serviceSelector[i]))).toBeGreaterThan(0);
    });
    // The two hops that start or stop pods keep both sides running: Deployment 3 + Rollout 3.
    expect(podsSelected(walk[1], serviceSelector[1])).toBe(6);
    expect(podsSelected(walk[3], serviceSelector[3])).toBe(6);
    // In the handover commits the Rollout refers to no Service or route.
    expect(find(walk[1].manifests, 'Rollout', 'hello').spec.strategy).toEqual({ canary: {} });
  });

  test('Flagger: manual -> TO_ENGINE (kept when dropped) -> engine -> FROM_ENGINE (Canary deleted) -> manual', () => {
    const walk = [Progression.manual(), flagger(EngineHandover.TO_ENGINE), flagger(), flagger(EngineHandover.FROM_ENGINE), Progression.manual()]
      .map((progression) => synth(istio(progression)).manifests);
    expect(new Set(walk.map((m) => JSON.stringify(find(m, 'Deployment', 'hello').spec.selector))).size).toBe(1);
    expect(walk.map((m) => find(m, 'Deployment', 'hello').spec.replicas)).toEqual([3, 3, 3, 3, 3]);
    // TO_ENGINE: the objects Flagger adopts stay when the next commit drops them.
    for (const kind of ['Service', 'VirtualService', 'DestinationRule']) {
      expect(find(walk[1], kind, 'hello').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    }
    expect(walk[1].some((m) => m.kind === 'Canary')).toBe(false);
    // The user's own Argo CD sync options stay; the handover adds its own.
    const own = synth(istio(flagger(EngineHandover.TO_ENGINE), { annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' } })).manifests;
    expect(find(own, 'Service', 'hello').metadata.annotations['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Prune=false');
    expectConfigError(istio(flagger(EngineHandover.TO_ENGINE), { annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'enabled' } }), 'annotations', /the Flagger handover sets it to "disabled"/);
    expect(objectIds(walk[2])).toContain('Canary/hello');
    // FROM_ENGINE: the Canary goes; Flagger's finalizer hands the Service back; no router object in Git yet.
    expect(objectIds(walk[3])).toEqual(['Deployment/hello', 'PodDisruptionBudget/hello']);
    expect(find(walk[4], 'Service', 'hello').spec.selector).toEqual(find(walk[0], 'Service', 'hello').spec.selector);
  });
});

describe('the report shows an engine-managed canary as such, with its steps', () => {
  test('Argo Rollouts and Flagger', () => {
    const loaded = (ms: Manifest[]) => ms.map((object) => ({ file: 'out.yaml', object }));
    const argoReport = analyze(loaded(synth(istio(argo(), { match: [{ headers: { a: 'b' } }] })).manifests));
    expect(argoReport.canaries).toEqual([]);
    expect(argoReport.problems).toEqual([]);
    expect(renderText(argoReport)).toContain('shop/hello: managed by Argo Rollouts (the split is the engine\'s, at run time)\n  steps: weight 10% -> header route hello-match-0 -> pause 5m -> weight 50% -> pause until promoted');
    const flaggerReport = analyze(loaded(synth(istio(flagger())).manifests));
    expect(flaggerReport.engineManaged).toEqual([{ namespace: 'shop', name: 'hello', engine: 'Flagger', steps: ['every 1m: weight 10%', 'weight 20%', 'weight 30%', 'weight 40%', 'weight 50%', 'promote'] }]);
  });
});

describe('properties', () => {
  test('any valid step list: the Rollout runs exactly those weights and pauses, in order, and fits the CRD', () => {
    const step = fc.record({ weight: fc.integer({ min: 0, max: 100 }), pauseSeconds: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }) });
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
      const progression = Progression.argoRollouts({ steps: steps.map((s) => ({ weight: s.weight, pause: s.pauseSeconds === undefined ? undefined : Duration.seconds(s.pauseSeconds) })) });
      const { manifests } = synth(istio(progression));
      const emitted = find(manifests, 'Rollout', 'hello').spec.strategy.canary.steps as Manifest[];
      expect(emitted.filter((e) => 'setWeight' in e).map((e) => e.setWeight)).toEqual(steps.map((s) => s.weight));
      const seconds = (d: string) => (d.endsWith('m') ? 60 * Number(d.slice(0, -1)) : Number(d.slice(0, -1)));
      expect(emitted.filter((e) => 'pause' in e).map((e) => (e.pause.duration === undefined ? undefined : seconds(e.pause.duration)))).toEqual(steps.map((s) => s.pauseSeconds));
      expect(schemaProblems(manifests)).toEqual([]);
    }), { numRuns: 40 });
  });
});
