import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../src';
import { schemaProblems } from './util/schema';
import { expectConfigError, find, Manifest, objectIds, synth } from './util/synth';

const v1 = { image: 'registry.example.com/shop:1.0.0' };
const v2 = { image: 'registry.example.com/shop:1.1.0' };
const autoscaled = (image: string, extra: Record<string, unknown> = {}) => ({ image, autoscaling: { minReplicas: 2, maxReplicas: 10, ...extra } });

describe('disruption budgets (default on)', () => {
  test('one PodDisruptionBudget per track, over exactly its pods, maxUnavailable 1, AlwaysAllow', () => {
    const { construct, manifests } = synth((chart) => new IstioCanary(chart, 'shop', { stable: v1, canary: v2, weight: 10 }));
    expect(manifests.filter((m) => m.kind === 'PodDisruptionBudget').map((b) => [b.metadata.name, b.spec])).toEqual([
      ['shop', { maxUnavailable: 1, selector: { matchLabels: { app: 'shop', track: 'stable' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }],
      ['shop-canary', { maxUnavailable: 1, selector: { matchLabels: { app: 'shop', track: 'canary' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }],
    ]);
    expect(find(manifests, 'PodDisruptionBudget', 'shop-canary').metadata.labels.track).toBe('canary');
    expect([construct.stableDisruptionBudget?.name, construct.canaryDisruptionBudget?.name]).toEqual(['shop', 'shop-canary']);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('steady state keeps the stable budget only; disruptionBudgets: false emits none', () => {
    const steady = synth((chart) => new NginxCanary(chart, 'shop', { stable: v1, host: 'shop.example.com' })).manifests;
    expect(steady.filter((m) => m.kind === 'PodDisruptionBudget').map((b) => b.metadata.name)).toEqual(['shop']);
    const off = synth((chart) => new GatewayCanary(chart, 'shop', { stable: v1, canary: v2, gateway: { name: 'eg' }, disruptionBudgets: false }));
    expect(off.manifests.filter((m) => m.kind === 'PodDisruptionBudget')).toEqual([]);
    expect(off.construct.stableDisruptionBudget).toBeUndefined();
  });

  test('the object annotations reach the budgets too', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'shop', { stable: v1, annotations: { 'example.com/owner': 'team-a' } }));
    expect(find(manifests, 'PodDisruptionBudget', 'shop').metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
  });
});

describe('spreading (default on, soft)', () => {
  test('each track spreads over zones then nodes, ScheduleAnyway, counting only its current ReplicaSet', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'shop', { stable: v1, canary: { ...v2, spread: false }, replicas: 4, weight: 25 }));
    expect(find(manifests, 'Deployment', 'shop').spec.template.spec.topologySpreadConstraints).toEqual(
      ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
        labelSelector: { matchLabels: { app: 'shop', track: 'stable' } }, matchLabelKeys: ['pod-template-hash'], maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway',
      })));
    expect(find(manifests, 'Deployment', 'shop-canary').spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(schemaProblems(manifests)).toEqual([]);
  });
});

describe('per-track autoscaling', () => {
  test('an autoscaling/v2 HPA per track, the Deployments without replicas; CPU 80 % by default', () => {
    const { construct, manifests } = synth((chart) => new IstioCanary(chart, 'shop', {
      stable: autoscaled(v1.image), canary: autoscaled(v2.image, { minReplicas: 1, maxReplicas: 4, memoryUtilization: 75 }), weight: 10,
    }));
    expect(objectIds(manifests).filter((id) => id.startsWith('HorizontalPodAutoscaler/'))).toEqual(['HorizontalPodAutoscaler/shop', 'HorizontalPodAutoscaler/shop-canary']);
    expect(find(manifests, 'HorizontalPodAutoscaler', 'shop').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' }, minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(find(manifests, 'HorizontalPodAutoscaler', 'shop-canary').spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } },
    ]);
    expect(manifests.filter((m) => m.kind === 'Deployment').map((d: Manifest) => d.spec.replicas)).toEqual([undefined, undefined]);
    expect([construct.stableAutoscaler?.name, construct.canaryAutoscaler?.name]).toEqual(['shop', 'shop-canary']);
    expect([construct.stableReplicas, construct.canaryReplicas]).toEqual([2, 1]);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('both metrics, and a scale-down stabilization window', () => {
    const { manifests } = synth((chart) => new GatewayCanary(chart, 'shop', {
      stable: autoscaled(v1.image, { cpuUtilization: 60, memoryUtilization: 70, scaleDownStabilization: Duration.minutes(10) }), gateway: { name: 'eg' },
    }));
    const hpa = find(manifests, 'HorizontalPodAutoscaler', 'shop').spec;
    expect(hpa.metrics.map((m: Manifest) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 60], ['memory', 70]]);
    expect(hpa.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 600 } });
  });

  test('steady state removes the canary autoscaler with the canary; a stable-only ReplicaCanary may autoscale', () => {
    const steady = synth((chart) => new IstioCanary(chart, 'shop', { stable: autoscaled(v1.image) })).manifests;
    expect(objectIds(steady).filter((id) => id.includes('canary'))).toEqual([]);
    const replica = synth((chart) => new ReplicaCanary(chart, 'shop', { stable: autoscaled(v1.image) })).manifests;
    expect(find(replica, 'Deployment', 'shop').spec.replicas).toBeUndefined();
  });

  test('errors: replicas beside autoscaling, no pod, inverted bounds, no request to measure against, too long a window', () => {
    expectConfigError((chart) => new IstioCanary(chart, 'shop', { stable: { ...autoscaled(v1.image), replicas: 3 } }),
      'stable.replicas', 'is 3 while stable.autoscaling is set; give one of them');
    expectConfigError((chart) => new IstioCanary(chart, 'shop', { stable: autoscaled(v1.image, { minReplicas: 0 }) }),
      'stable.autoscaling.minReplicas', 'scales to zero only with the alpha HPAScaleToZero feature gate');
    expectConfigError((chart) => new IstioCanary(chart, 'shop', { stable: autoscaled(v1.image, { minReplicas: 5, maxReplicas: 3 }) }),
      'stable.autoscaling.maxReplicas', 'must be an integer from 5 to 2147483647, got 3');
    expectConfigError((chart) => new IstioCanary(chart, 'shop', { stable: { image: v1.image, autoscaling: { minReplicas: 2 } as never } }),
      'stable.autoscaling.maxReplicas', 'is required');
    expectConfigError((chart) => new IstioCanary(chart, 'shop', { stable: autoscaled(v1.image, { cpuUtilization: 0 }) }),
      'stable.autoscaling.cpuUtilization', 'must be an integer from 1 to 1000');
    expectConfigError((chart) => new IstioCanary(chart, 'shop', {
      stable: { ...autoscaled(v1.image), resources: { memory: { request: Size.mebibytes(256) } } },
    }), 'stable.autoscaling.cpuUtilization', 'needs a CPU request');
    expectConfigError((chart) => new IstioCanary(chart, 'shop', { stable: autoscaled(v1.image, { scaleDownStabilization: Duration.hours(2) }) }),
      'stable.autoscaling.scaleDownStabilization', 'must be a whole number of seconds from 0 (scale down at once) to 3600 (1 hour), the range the API server allows, got 7200 seconds');
  });
  test('scaleDownStabilization 0 (scale down at once) is what the API server allows: accepted and written', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'shop', { stable: autoscaled(v1.image, { scaleDownStabilization: Duration.seconds(0) }) }));
    expect(find(manifests, 'HorizontalPodAutoscaler', 'shop').spec.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 0 } });
  });

  test('a CPU limit alone is enough: Kubernetes sets the request to the limit', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'shop', {
      stable: { ...autoscaled(v1.image), resources: { cpu: { limit: kplus.Cpu.units(1) } } },
    }));
    expect(find(manifests, 'HorizontalPodAutoscaler', 'shop').spec.minReplicas).toBe(2);
  });

  test('ReplicaCanary refuses an autoscaled track beside a canary, saying why and what instead', () => {
    expectConfigError((chart) => new ReplicaCanary(chart, 'shop', { stable: { image: v1.image }, canary: autoscaled(v2.image), replicas: 4, weight: 25 }),
      'canary.autoscaling', 'splits by the ratio of pods, which an autoscaler per track would move (a less efficient canary runs hotter, scales out and takes more traffic exactly when it is worse); use IstioCanary, GatewayCanary or NginxCanary');
  });
});
