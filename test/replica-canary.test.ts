import { App, Chart } from 'cdk8s';

import { ReplicaCanary, ReplicaCanaryProps, ReplicaRounding } from '../src';
import { schemaProblems } from './util/schema';
import { expectConfigError, find, Manifest, objectIds, synth } from './util/synth';

const v1 = { image: 'app:v1' };
const v2 = { image: 'app:v2' };

function replica(props: Partial<ReplicaCanaryProps>) {
  return synth((chart) => new ReplicaCanary(chart, 'hello', { stable: v1, ...props }));
}

function replicasOf(manifests: Manifest[]): [number, number | undefined] {
  const canary = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'hello-canary');
  return [find(manifests, 'Deployment', 'hello').spec.replicas, canary?.spec.replicas];
}

describe('ReplicaCanary', () => {
  test('replicas 4 at weight 25 gives 3 stable and 1 canary pods behind one Service', () => {
    // GIVEN / WHEN
    const { construct, manifests } = replica({ canary: v2, replicas: 4, weight: 25 });

    // THEN
    expect(objectIds(manifests)).toEqual(['Deployment/hello', 'Deployment/hello-canary', 'PodDisruptionBudget/hello', 'PodDisruptionBudget/hello-canary', 'Service/hello']);
    expect(replicasOf(manifests)).toEqual([3, 1]);
    expect([construct.stableReplicas, construct.canaryReplicas, construct.effectiveWeight]).toEqual([3, 1, 25]);
    expect(find(manifests, 'Service', 'hello').spec.selector).toEqual({ app: 'hello' });
    expect(construct.service.name).toBe('hello');
  });

  test('the Service selects both tracks and forwards to the container port', () => {
    const { manifests } = replica({ canary: v2, replicas: 2, weight: 50, port: 8080, containerPort: 5000 });
    const service = find(manifests, 'Service', 'hello');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 5000, protocol: 'TCP' }]);
    expect(service.spec.type).toBe('ClusterIP');
    for (const name of ['hello', 'hello-canary']) {
      const podLabels = find(manifests, 'Deployment', name).spec.template.metadata.labels;
      expect(podLabels).toMatchObject(service.spec.selector);
      expect(find(manifests, 'Deployment', name).spec.template.spec.containers[0].ports).toEqual([{ containerPort: 5000, name: 'http' }]);
    }
  });

  test.each([
    [0, 4, 0],
    [25, 3, 1],
    [50, 2, 2],
    [75, 1, 3],
    [100, 0, 4],
  ])('4 pods at weight %i split %i stable : %i canary', (weight, stable, canary) => {
    const { construct, manifests } = replica({ canary: v2, replicas: 4, weight });
    expect(replicasOf(manifests)).toEqual([stable, canary]);
    expect(construct.effectiveWeight).toBe(weight);
  });

  test('weight 0 keeps the canary Deployment at 0 replicas', () => {
    const { manifests } = replica({ canary: v2, replicas: 4, weight: 0 });
    expect(find(manifests, 'Deployment', 'hello-canary').spec.replicas).toBe(0);
  });

  test('steady state has no canary objects and every pod on stable', () => {
    const { construct, manifests } = replica({ replicas: 3 });
    expect(objectIds(manifests)).toEqual(['Deployment/hello', 'PodDisruptionBudget/hello', 'Service/hello']);
    expect(replicasOf(manifests)).toEqual([3, undefined]);
    expect(construct.canaryDeployment).toBeUndefined();
    expect([construct.canaryReplicas, construct.effectiveWeight]).toEqual([0, 0]);
  });

  test('steady state without replicas runs minReplicas stable pods', () => {
    expect(replicasOf(replica({}).manifests)).toEqual([2, undefined]);
    expect(replicasOf(replica({ minReplicas: 5 }).manifests)).toEqual([5, undefined]);
  });

  test.each([
    [10, 10, 9, 1],
    [25, 4, 3, 1],
    [50, 2, 1, 1],
    [75, 4, 1, 3],
    [20, 5, 4, 1],
    [0, 2, 2, 0],
    [100, 2, 0, 2],
  ])('without replicas, weight %i picks the smallest exact total %i (%i:%i)', (weight, total, stable, canary) => {
    const { construct } = replica({ canary: v2, weight });
    expect([construct.stableReplicas + construct.canaryReplicas, construct.stableReplicas, construct.canaryReplicas]).toEqual([total, stable, canary]);
  });

  test('minReplicas raises the automatic total to the next exact multiple', () => {
    const { construct } = replica({ canary: v2, weight: 25, minReplicas: 6 });
    expect([construct.stableReplicas, construct.canaryReplicas]).toEqual([6, 2]);
  });

  test('stable.replicas and canary.replicas give the split directly', () => {
    const { construct, manifests } = replica({ stable: { image: 'app:v1', replicas: 2 }, canary: { image: 'app:v2', replicas: 1 } });
    expect(replicasOf(manifests)).toEqual([2, 1]);
    expect(construct.effectiveWeight).toBeCloseTo(33.333, 3);
  });

  test('a weight that agrees with the track replicas is accepted', () => {
    const { construct } = replica({ stable: { image: 'app:v1', replicas: 3 }, canary: { image: 'app:v2', replicas: 1 }, weight: 25 });
    expect(construct.effectiveWeight).toBe(25);
  });

  test('rounding NEAREST takes the nearest split and reports it', () => {
    const { construct } = replica({ canary: v2, replicas: 3, weight: 50, rounding: ReplicaRounding.NEAREST });
    expect([construct.stableReplicas, construct.canaryReplicas]).toEqual([1, 2]);
    expect(construct.effectiveWeight).toBeCloseTo(66.667, 3);
  });

  test('rounding NEAREST keeps one canary pod for a small weight', () => {
    const { construct } = replica({ canary: v2, replicas: 4, weight: 5, rounding: ReplicaRounding.NEAREST });
    expect([construct.stableReplicas, construct.canaryReplicas, construct.effectiveWeight]).toEqual([3, 1, 25]);
  });

  test('rounding NEAREST keeps one stable pod for a weight just below 100', () => {
    const { construct } = replica({ canary: v2, replicas: 4, weight: 95, rounding: ReplicaRounding.NEAREST });
    expect([construct.stableReplicas, construct.canaryReplicas]).toEqual([1, 3]);
  });

  test('rounding NEAREST without replicas uses maxReplicas when no exact total fits', () => {
    const { construct } = replica({ canary: v2, weight: 1, rounding: ReplicaRounding.NEAREST });
    expect([construct.stableReplicas, construct.canaryReplicas]).toEqual([9, 1]);
  });

  test('promotion changes no object name and no Deployment selector', () => {
    const before = replica({ stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, replicas: 4, weight: 100 }).manifests;
    const after = replica({ stable: { image: 'app:v2' }, canary: { image: 'app:v2' }, replicas: 4, weight: 100 }).manifests;
    expect(objectIds(after)).toEqual(objectIds(before));
    for (const name of ['hello', 'hello-canary']) {
      expect(find(after, 'Deployment', name).spec.selector).toEqual(find(before, 'Deployment', name).spec.selector);
    }
    expect(find(after, 'Service', 'hello').spec.selector).toEqual(find(before, 'Service', 'hello').spec.selector);
    expect(find(after, 'Deployment', 'hello').spec.template.metadata.labels.version).toBe('v2');
  });

  test('synth is deterministic: same props, same bytes', () => {
    const yaml = () => {
      const app = new App();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new ReplicaCanary(chart, 'hello', { stable: v1, canary: v2, replicas: 4, weight: 25 });
      return app.synthYaml();
    };
    const first = yaml();
    expect(yaml()).toBe(first);
    expect(first).not.toMatch(/name: hello-[0-9a-f]{8}/);
  });

  test('every object passes the Kubernetes 1.28 schema', () => {
    expect(schemaProblems(replica({ canary: v2, replicas: 4, weight: 25, port: 8080, containerPort: 5000 }).manifests)).toEqual([]);
    expect(schemaProblems(replica({}).manifests)).toEqual([]);
  });

  describe('errors', () => {
    const build = (props: Partial<ReplicaCanaryProps>) => (chart: Chart) => new ReplicaCanary(chart, 'hello', { stable: v1, canary: v2, ...props });

    test('fails when the weight is not a whole number of pods, naming the nearest weights and the exact totals', () => {
      const error = expectConfigError(build({ replicas: 4, weight: 10 }), 'weight', 'ReplicaCanary shop/hello: weight 10 cannot be split exactly over 4 pods');
      expect(error.message).toContain('Nearest achievable with 4 pods: 0 % (4 stable : 0 canary) or 25 % (3 stable : 1 canary)');
      expect(error.message).toContain('10 % is exact with 10 pods');
      expect(error.message).toContain('ReplicaRounding.NEAREST');
    });

    test('fails when 1 % is asked of 4 pods, naming 100 pods', () => {
      expectConfigError(build({ replicas: 4, weight: 1 }), 'weight', '1 % is exact with 100 pods');
    });

    test('fails when the exact total is smaller than replicas, naming the next multiple', () => {
      expectConfigError(build({ replicas: 6, weight: 25 }), 'weight', '25 % is exact with 4 pods or a multiple of it, e.g. 8');
    });

    test('fails when the automatic total would exceed maxReplicas', () => {
      expectConfigError(build({ weight: 1 }), 'weight', '1 needs 100 pods to be exact, more than maxReplicas 10');
    });

    test('fails when the weight is out of range', () => {
      expectConfigError(build({ weight: 150 }), 'weight', 'ReplicaCanary shop/hello: weight must be an integer from 0 to 100, got 150');
    });

    test('fails when replicas is 0', () => {
      expectConfigError(build({ replicas: 0, weight: 0 }), 'replicas', 'must be an integer from 1 to 2147483647, got 0');
    });

    test('fails when track replicas are given together with replicas', () => {
      expectConfigError(build({ replicas: 4, stable: { image: 'app:v1', replicas: 3 } }), 'stable.replicas', 'is set together with replicas');
    });

    test('fails when only one track has replicas', () => {
      expectConfigError(build({ stable: { image: 'app:v1', replicas: 3 } }), 'canary.replicas', 'is missing while stable.replicas is set');
    });

    test('fails when the weight disagrees with the track replicas', () => {
      expectConfigError(build({ stable: { image: 'app:v1', replicas: 2 }, canary: { image: 'app:v2', replicas: 1 }, weight: 25 }),
        'weight', 'is 25, but stable.replicas 2 and canary.replicas 1 send 33.33 % to the canary');
    });

    test('fails when both tracks have 0 replicas', () => {
      expectConfigError(build({ stable: { image: 'app:v1', replicas: 0 }, canary: { image: 'app:v2', replicas: 0 } }), 'stable.replicas', 'are both 0');
    });

    test('fails when minReplicas is given with replicas', () => {
      expectConfigError(build({ replicas: 4, weight: 25, minReplicas: 2 }), 'minReplicas', 'has no effect when replicas is given');
    });

    test('fails when maxReplicas is below minReplicas', () => {
      expectConfigError(build({ minReplicas: 5, maxReplicas: 4 }), 'maxReplicas', 'must be an integer from 5 to 2147483647, got 4');
    });

    test('fails when rounding is not a ReplicaRounding', () => {
      expectConfigError(build({ replicas: 4, rounding: 'up' as ReplicaRounding }), 'rounding', 'must be one of "exact", "nearest", got "up"');
    });

    test('fails when NEAREST rounding has a single pod for a split weight', () => {
      expectConfigError(build({ replicas: 1, weight: 50, rounding: ReplicaRounding.NEAREST }), 'replicas', 'a weight of 50 needs at least 2 pods');
    });
  });
});
