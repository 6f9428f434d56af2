import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';

import { AlbCanary, CanaryBase, CanaryBaseProps, CanaryConfigError, GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../src';
import { checkManifests } from '../src/checks/manifest-checks';
import { gatewayDuration, protoDuration } from '../src/core/duration';
import { exactCanaryReplicas, nearestCanaryReplicas, replicaWeight, smallestExactTotal } from '../src/core/weights';
import { analyze, shareOf } from '../src/report/analyze';
import { albProps, gatewayProps, istioProps, nginxProps, replicaProps, RUNS } from './util/arbitraries';
import { schemaProblems } from './util/schema';
import { CANARY_SHARE } from './util/shares';
import { Manifest } from './util/synth';

interface Strategy {
  readonly kind: string;
  readonly props: fc.Arbitrary<CanaryBaseProps>;
  readonly make: (chart: Chart, props: CanaryBaseProps) => CanaryBase;
  /** Percent of ordinary requests the routing objects send to the canary, read from the objects alone. */
  readonly canaryShare: (manifests: readonly Manifest[], name: string) => number;
}

const STRATEGIES: Strategy[] = [
  { kind: 'ReplicaCanary', props: replicaProps, make: (c, p) => new ReplicaCanary(c, 'canary', p), canaryShare: CANARY_SHARE.ReplicaCanary },
  { kind: 'IstioCanary', props: istioProps, make: (c, p) => new IstioCanary(c, 'canary', p), canaryShare: CANARY_SHARE.IstioCanary },
  { kind: 'GatewayCanary', props: gatewayProps, make: (c, p) => new GatewayCanary(c, 'canary', p), canaryShare: CANARY_SHARE.GatewayCanary },
  { kind: 'NginxCanary', props: nginxProps, make: (c, p) => new NginxCanary(c, 'canary', p), canaryShare: CANARY_SHARE.NginxCanary },
  { kind: 'AlbCanary', props: albProps, make: (c, p) => new AlbCanary(c, 'canary', p), canaryShare: CANARY_SHARE.AlbCanary },
];

function synthesize(strategy: Strategy, props: CanaryBaseProps): { construct: CanaryBase; manifests: Manifest[] } {
  const chart = new Chart(Testing.app(), 'chart');
  const construct = strategy.make(chart, props);
  return { construct, manifests: Testing.synth(chart) };
}

/** What must never change on promotion: every object's identity and every selector. */
function identities(manifests: Manifest[]): unknown[] {
  return manifests.map((m) => ({
    id: `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`,
    selector: m.spec?.selector,
    subsets: m.spec?.subsets,
    backends: m.kind === 'HTTPRoute' ? m.spec.rules.map((r: Manifest) => r.backendRefs.map((b: Manifest) => b.name)) : undefined,
    ingressBackends: m.kind === 'Ingress' ? m.spec.rules.map((r: Manifest) => r.http.paths.map((p: Manifest) => p.backend)) : undefined,
  }));
}

const params = { numRuns: RUNS };

describe.each(STRATEGIES)('$kind properties', (strategy) => {
  test('valid props synthesize valid objects that send exactly the asked share to the canary', () => {
    fc.assert(fc.property(strategy.props, (props) => {
      const { construct, manifests } = synthesize(strategy, props);
      expect(schemaProblems(manifests)).toEqual([]);
      expect(checkManifests(manifests.map((manifest) => ({ file: 'out', manifest })))).toEqual([]);
      for (const d of manifests.filter((m) => m.kind === 'Deployment')) {
        expect(Object.keys(d.spec.selector.matchLabels).sort()).toEqual(['app', 'track']);
      }
      expect(strategy.canaryShare(manifests, props.name!)).toBe(props.weight);
      expect(construct.effectiveWeight).toBe(props.weight);
    }), params);
  });

  test('budgets, spreading and autoscaling: one budget per track over exactly its pods, one autoscaler per autoscaled track', () => {
    const options = fc.record({ budgets: fc.boolean(), spread: fc.boolean(), autoscale: fc.boolean() });
    fc.assert(fc.property(strategy.props, options, (props, o) => {
      // ReplicaCanary refuses autoscaled tracks while it has a canary (its split is the pod ratio).
      const autoscale = o.autoscale && strategy.kind !== 'ReplicaCanary';
      const track = (t: CanaryBaseProps['stable'] | undefined) => t && {
        ...t, spread: o.spread,
        ...(autoscale ? { replicas: undefined, autoscaling: { minReplicas: t.replicas ?? 1, maxReplicas: (t.replicas ?? 1) + 3 } } : {}),
      };
      const withOptions = { ...props, disruptionBudgets: o.budgets, stable: track(props.stable)!, canary: track(props.canary) };
      const { construct, manifests } = synthesize(strategy, withOptions);
      expect(schemaProblems(manifests)).toEqual([]);
      expect(checkManifests(manifests.map((manifest) => ({ file: 'out', manifest })))).toEqual([]);
      const deploymentsOut = manifests.filter((m) => m.kind === 'Deployment');
      const of = (kind: string) => manifests.filter((m) => m.kind === kind);
      expect(of('PodDisruptionBudget').map((b) => [b.metadata.name, b.spec.selector.matchLabels, b.spec.maxUnavailable]))
        .toEqual(o.budgets ? deploymentsOut.map((d) => [d.metadata.name, d.spec.selector.matchLabels, 1]) : []);
      expect(of('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name)).toEqual(autoscale ? deploymentsOut.map((d) => d.metadata.name) : []);
      for (const d of deploymentsOut) {
        expect(d.spec.replicas === undefined).toBe(autoscale);
        expect((d.spec.template.spec.topologySpreadConstraints ?? []).map((c: Manifest) => c.labelSelector.matchLabels))
          .toEqual(o.spread ? [d.spec.selector.matchLabels, d.spec.selector.matchLabels] : []);
      }
      expect(strategy.canaryShare(manifests, props.name!)).toBe(props.weight);
      expect(construct.effectiveWeight).toBe(props.weight);
    }), params);
  });

  test('the report read back from the YAML alone gives the asked split and no problem', () => {
    fc.assert(fc.property(strategy.props, (props) => {
      const { construct, manifests } = synthesize(strategy, props);
      const report = analyze(manifests.map((object) => ({ file: 'out.yaml', object })));
      expect(report.problems).toEqual([]);
      expect(report.canaries).toHaveLength(1);
      const [c] = report.canaries;
      expect(c.strategy).toBe(strategy.kind);
      const last = shareOf(c, c.routes[c.routes.length - 1], 'canary');
      // The shares of every route add up to 1 (or 0 for none): nothing is lost or counted twice.
      for (const r of c.routes) expect(r.shares.reduce((sum, f) => sum + f.n / f.d, 0)).toBeCloseTo(1, 9);
      const asked = strategy.kind === 'ReplicaCanary'
        ? (100 * construct.canaryReplicas) / (construct.stableReplicas + construct.canaryReplicas)
        : props.weight;
      expect((100 * last.n) / last.d).toBeCloseTo(asked!, 9);
      // Targeted routes, in the order the router evaluates them: each entry's own weight.
      const matches = (props as { match?: { weight?: number }[] }).match ?? [];
      if (['IstioCanary', 'GatewayCanary', 'AlbCanary'].includes(strategy.kind)) {
        expect(c.routes).toHaveLength(matches.length + 1);
        matches.forEach((m, i) => {
          const share = shareOf(c, c.routes[i], 'canary');
          expect((100 * share.n) / share.d).toBe(m.weight ?? 100);
        });
      }
    }), params);
  });

  test('steady state has no canary objects and sends everything to stable', () => {
    fc.assert(fc.property(strategy.props, (props) => {
      const { manifests } = synthesize(strategy, { ...props, canary: undefined, weight: 0, match: undefined, mirror: undefined } as CanaryBaseProps);
      expect(manifests.filter((m) => m.metadata.name.endsWith('-canary'))).toEqual([]);
      expect(manifests.filter((m) => m.metadata.labels?.track === 'canary' || m.spec?.template?.metadata?.labels?.track === 'canary')).toEqual([]);
      expect(strategy.canaryShare(manifests, props.name!)).toBe(0);
      expect(schemaProblems(manifests)).toEqual([]);
    }), params);
  });

  test('changing only stable.image and stable.version changes no name and no selector', () => {
    fc.assert(fc.property(strategy.props, fc.constantFrom('registry.example.com/next:9.9.9', 'other/image@sha256:' + 'c'.repeat(64)), (props, image) => {
      const before = synthesize(strategy, props).manifests;
      const after = synthesize(strategy, { ...props, stable: { ...props.stable, image, version: 'promoted' } }).manifests;
      expect(identities(after)).toEqual(identities(before));
    }), params);
  });

  test('synthesis is deterministic: the same props give the same objects, keys in the same order', () => {
    // The YAML writer is a pure function of the objects and their key order, so comparing the
    // ordered JSON compares the bytes (example-app.test.ts compares real YAML bytes with dist/).
    fc.assert(fc.property(strategy.props, (props) => {
      const json = () => JSON.stringify(synthesize(strategy, props).manifests);
      expect(json()).toBe(json());
    }), params);
  });
});

describe('weight arithmetic properties', () => {
  test('an exact split exists exactly at multiples of the smallest exact total', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 1000 }), (weight, total) => {
      const canary = exactCanaryReplicas(total, weight);
      expect(canary !== undefined).toBe(total % smallestExactTotal(weight) === 0);
      if (canary !== undefined) expect(replicaWeight(total - canary, canary)).toBe(weight);
    }), params);
  });

  test('the nearest split is within one pod and keeps both tracks while 0 < weight < 100', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 2, max: 1000 }), (weight, total) => {
      const canary = nearestCanaryReplicas(total, weight);
      expect(Math.abs(canary - (total * weight) / 100)).toBeLessThanOrEqual(1);
      if (weight > 0 && weight < 100) expect(canary >= 1 && canary <= total - 1).toBe(true);
      if (weight === 0 || weight === 100) expect(canary).toBe((total * weight) / 100);
    }), params);
  });

  test('durations render in the formats Istio and Gateway API accept, keeping their value', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 * 24 * 3600 * 1000 }), (ms) => {
      const gateway = gatewayDuration(Duration.millis(ms));
      expect(gateway).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
      const units: Record<string, number> = { h: 3600000, m: 60000, s: 1000, ms: 1 };
      const parsed = [...gateway.matchAll(/([0-9]+)(h|ms|m|s)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
      expect(parsed).toBe(ms);
      expect(Math.round(parseFloat(protoDuration(Duration.millis(ms))) * 1000)).toBe(ms);
    }), params);
  });
});

describe('app-wide ownership properties', () => {
  const names = fc.constantFrom('a', 'a-canary', 'a-stable', 'a-gateway', 'b');
  const hosts = fc.constantFrom('x.example.com', 'y.example.com');
  const build: Record<string, (chart: Chart, id: string, name: string, namespace: string | undefined, host: string) => unknown> = {
    ReplicaCanary: (c, id, name, namespace) => new ReplicaCanary(c, id, { name, namespace, stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, replicas: 4, weight: 25 }),
    IstioCanary: (c, id, name, namespace, host) => new IstioCanary(c, id, { name, namespace, stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, weight: 10, gateways: ['gw'], hosts: [host] }),
    GatewayCanary: (c, id, name, namespace, host) => new GatewayCanary(c, id, { name, namespace, stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, weight: 10, createGateway: { gatewayClassName: 'eg' }, hostnames: [host] }),
    GatewayMesh: (c, id, name, namespace) => new GatewayCanary(c, id, { name, namespace, stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, weight: 10, mesh: true }),
    NginxCanary: (c, id, name, namespace, host) => new NginxCanary(c, id, { name, namespace, stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, weight: 10, host }),
  };
  const kinds = fc.constantFrom(...Object.keys(build));
  const key = (m: Manifest) => `${m.apiVersion.split('/').slice(0, -1).join('/')}|${m.kind}|${m.metadata.namespace ?? 'default'}|${m.metadata.name}`;

  test('two constructs in one app: every object is unique, or the second fails naming a prop and adds nothing', () => {
    fc.assert(fc.property(kinds, kinds, names, names, fc.constantFrom(undefined, 'default', 'shop'), hosts, hosts, (k1, k2, n1, n2, ns2, h1, h2) => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      build[k1](chart, 'first', n1, 'default', h1);
      const before = JSON.stringify(Testing.synth(chart));
      let error: unknown;
      try {
        build[k2](chart, 'second', n2, ns2, h2);
      } catch (e) {
        error = e;
      }
      const manifests = Testing.synth(chart);
      // Two ingress-nginx canaries on one host and path would fight over its requests.
      if (k1 === 'NginxCanary' && k2 === k1 && h1 === h2) expect(error).toBeInstanceOf(CanaryConfigError);
      if (error !== undefined) {
        expect(error).toBeInstanceOf(CanaryConfigError);
        expect(JSON.stringify(manifests)).toBe(before);
        expect(chart.node.tryFindChild('second')).toBeUndefined();
      } else {
        const keys = manifests.map(key);
        expect(new Set(keys).size).toBe(keys.length);
      }
    }), params);
  });
});
