// One app, several clusters: CanaryScope makes object and route claims unique per cluster, the
// objects record their cluster, and the manifest checks and the report read each cluster alone.
import { App, Chart, Testing } from 'cdk8s';

import { AlbCanary, CanaryConfigError, CanaryScope, GatewayCanary, ReplicaCanary } from '../src';
import { checkManifests } from '../src/checks/manifest-checks';
import { analyze } from '../src/report/analyze';
import { renderJson, renderText } from '../src/report/render';

const stable = { image: 'app:v1', replicas: 2 };
const canary = { image: 'app:v2', replicas: 2 };
const storefront = (chart: Chart, weight: number) => new GatewayCanary(chart, 'storefront', {
  stable, canary, weight, gateway: { name: 'eg', namespace: 'gateways' }, hostnames: ['shop.example.com'],
});
const chartIn = (app: App, id: string, cluster?: string) => {
  const chart = new Chart(app, id, { namespace: 'shop', disableResourceNameHashes: true });
  if (cluster !== undefined) CanaryScope.of(chart).cluster(cluster);
  return chart;
};
const errorOf = (build: () => unknown): CanaryConfigError => {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(CanaryConfigError);
    return e as CanaryConfigError;
  }
  throw new Error('expected a CanaryConfigError');
};
const objectsOf = (...charts: Chart[]) => charts.flatMap((chart) => Testing.synth(chart).map((object) => ({ file: `${chart.node.id}.k8s.yaml`, object })));

describe('CanaryScope', () => {
  test('without clusters, the second chart of one service is refused: one app is one cluster', () => {
    const app = Testing.app();
    storefront(chartIn(app, 'staging'), 50);
    const error = errorOf(() => storefront(chartIn(app, 'production'), 10));
    expect(error.message).toMatch(/^GatewayCanary production\/storefront: name makes Deployment shop\/storefront, which GatewayCanary staging\/storefront already emits/);
  });

  test('in two clusters, staging and production of one service both build, each recording its cluster', () => {
    const app = Testing.app();
    const staging = chartIn(app, 'staging', 'staging');
    const production = chartIn(app, 'production', 'production');
    storefront(staging, 50);
    storefront(production, 10);
    expect(CanaryScope.of(staging).clusterName).toBe('staging');
    const annotations = (chart: Chart) => Testing.synth(chart).map((o) => `${o.kind}:${o.metadata.annotations?.['cdk8s-canary/cluster']}`);
    expect(annotations(staging)).toEqual(['Deployment:staging', 'Deployment:staging', 'PodDisruptionBudget:staging', 'PodDisruptionBudget:staging',
      'Service:staging', 'Service:staging', 'HTTPRoute:staging']);
    expect(new Set(annotations(production).map((a) => a.split(':')[1]))).toEqual(new Set(['production']));
  });

  test('the example app\'s pair needs its clusters: one route per host on a shared Gateway of one cluster', () => {
    const inNamespace = (app: App, id: string, cluster?: string) => {
      const chart = new Chart(app, id, { namespace: id, disableResourceNameHashes: true });
      if (cluster !== undefined) CanaryScope.of(chart).cluster(cluster);
      return chart;
    };
    const app = Testing.app();
    storefront(inNamespace(app, 'shop-staging'), 50);
    expect(errorOf(() => storefront(inNamespace(app, 'shop-production'), 10)).message)
      .toContain('makes the Gateway API route shop.example.com/ (PathPrefix) on Gateway/gateways/eg/*, which GatewayCanary shop-staging/storefront already routes');
    const clustered = Testing.app();
    storefront(inNamespace(clustered, 'shop-staging', 'staging'), 50);
    expect(() => storefront(inNamespace(clustered, 'shop-production', 'production'), 10)).not.toThrow();
  });

  test('a created Gateway carries the canary\'s annotations like its other objects, its cluster included', () => {
    const chart = chartIn(Testing.app(), 'edge', 'production');
    new GatewayCanary(chart, 'web', { stable, annotations: { team: 'shop' }, createGateway: { gatewayClassName: 'eg' } });
    const gateway = Testing.synth(chart).find((o) => o.kind === 'Gateway');
    expect([gateway.metadata.name, gateway.metadata.annotations]).toEqual(['web-gateway', { 'team': 'shop', 'cdk8s-canary/cluster': 'production' }]);
  });

  test('within one cluster the claims still hold', () => {
    const app = Testing.app();
    storefront(chartIn(app, 'a', 'production'), 50);
    expect(errorOf(() => storefront(chartIn(app, 'b', 'production'), 10)).message)
      .toContain('which GatewayCanary a/storefront already emits');
  });

  test('the app\'s context key puts every chart in a cluster, and a chart\'s scope overrides it', () => {
    const app = Testing.app();
    app.node.setContext('cdk8s-canary/cluster', 'production');
    const plain = chartIn(app, 'a');
    const staging = chartIn(app, 'b', 'staging');
    storefront(plain, 10);
    storefront(staging, 50);
    expect(Testing.synth(plain)[0].metadata.annotations['cdk8s-canary/cluster']).toBe('production');
    expect(Testing.synth(staging)[0].metadata.annotations['cdk8s-canary/cluster']).toBe('staging');
    expect(errorOf(() => storefront(chartIn(app, 'c'), 20)).message).toContain('which GatewayCanary a/storefront already emits');
  });

  test('a cluster name that is not a DNS-1123 label is refused, where it is given', () => {
    const app = Testing.app();
    expect(errorOf(() => CanaryScope.of(new Chart(app, 'x')).cluster('Prod_1')).message)
      .toMatch(/^CanaryScope x: cluster must be a DNS-1123 label .*got "Prod_1"/);
    const other = Testing.app();
    other.node.setContext('cdk8s-canary/cluster', 'EU West');
    expect(errorOf(() => new ReplicaCanary(new Chart(other, 'y'), 'web', { stable })).message)
      .toMatch(/^ReplicaCanary y\/web: cluster \(the context value cdk8s-canary\/cluster\) must be a DNS-1123 label/);
  });

  test('a scope that has canaries already cannot change cluster', () => {
    const app = Testing.app();
    const chart = chartIn(app, 'late');
    new ReplicaCanary(chart, 'web', { stable });
    expect(errorOf(() => CanaryScope.of(chart).cluster('production')).message)
      .toBe('CanaryScope late: cluster is "production", but late has children already; call CanaryScope.of(...).cluster() right after creating it, before the canaries in it');
  });

  test('the cluster annotation is the scope\'s alone', () => {
    for (const prop of ['annotations', 'serviceAnnotations']) {
      expect(errorOf(() => new ReplicaCanary(chartIn(Testing.app(), 'x'), 'web', { stable, [prop]: { 'cdk8s-canary/cluster': 'production' } })).message)
        .toContain(`${prop} sets cdk8s-canary/cluster, which records the cluster the canary is in; put the chart in a cluster with CanaryScope.of(chart).cluster(name) instead`);
    }
  });

  test('node ports and ALB IngressGroups are per cluster too', () => {
    const app = Testing.app();
    const alb = (chart: Chart) => new AlbCanary(chart, 'web', { stable, host: 'shop.example.com', groupName: 'shop', serviceType: undefined });
    alb(chartIn(app, 'a', 'staging'));
    alb(chartIn(app, 'b', 'production'));
    const nodePort = (chart: Chart, name: string) => new ReplicaCanary(chart, name, { stable, serviceType: 'NodePort' as never, nodePort: 31000 });
    nodePort(chartIn(app, 'c', 'staging'), 'one');
    nodePort(chartIn(app, 'd', 'production'), 'two');
    expect(errorOf(() => nodePort(chartIn(app, 'e', 'production'), 'three')).message).toContain('makes node port 31000, which ReplicaCanary d/two already routes');
  });
});

describe('the checks and the report read each cluster alone', () => {
  const twoClusters = () => {
    const app = Testing.app();
    const staging = chartIn(app, 'shop-staging', 'staging');
    const production = chartIn(app, 'shop-production', 'production');
    storefront(staging, 50);
    storefront(production, 10);
    return objectsOf(staging, production);
  };

  test('the manifest checks find no object defined twice across clusters, but do within one', () => {
    const objects = twoClusters();
    expect(checkManifests(objects.map((o) => ({ file: o.file, manifest: o.object })))).toEqual([]);
    const unrecorded = objects.map((o) => ({ file: o.file, manifest: { ...o.object, metadata: { ...o.object.metadata, annotations: undefined } } }));
    expect(checkManifests(unrecorded).map((p) => p.message)).toContain('is defined twice (also in shop-staging.k8s.yaml): the second would overwrite the first');
    const problems = checkManifests(objects.concat(objects).map((o) => ({ file: o.file, manifest: o.object })));
    expect(problems[0].object).toBe('Deployment/storefront (cluster production)');
  });

  test('the report shows one canary per cluster, with its cluster and its own split', () => {
    const report = analyze(twoClusters());
    expect(report.problems).toEqual([]);
    expect(report.canaries.map((c) => [c.cluster, c.namespace, c.name, c.routes.at(-1)!.shares.map((s) => `${s.n}/${s.d}`)])).toEqual([
      ['production', 'shop', 'storefront', ['9/10', '1/10']],
      ['staging', 'shop', 'storefront', ['1/2', '1/2']],
    ]);
    expect(renderText(report)).toContain('storefront (GatewayCanary) in cluster production, namespace shop');
    // A problem within one cluster is named with that cluster once.
    const twice = twoClusters().filter((o) => o.file === 'shop-production.k8s.yaml');
    const doubled = analyze([...twoClusters(), ...twice.map((o) => ({ ...o, file: 'copy.k8s.yaml' }))]);
    expect(doubled.problems[0].object).toBe('Deployment/storefront (cluster production)');
    expect(JSON.parse(renderJson(report)).canaries.map((c: { cluster: string }) => c.cluster)).toEqual(['production', 'staging']);
  });

  test('output without clusters reads as before: no cluster field', () => {
    const app = Testing.app();
    const chart = chartIn(app, 'shop');
    storefront(chart, 10);
    const report = analyze(objectsOf(chart));
    expect(report.canaries.map((c) => Object.prototype.hasOwnProperty.call(c, 'cluster'))).toEqual([false]);
    expect(renderText(report)).toContain('storefront (GatewayCanary) in namespace shop');
  });
});
