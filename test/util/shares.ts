import { replicaWeight } from '../../src/core/weights';
import { Manifest } from './synth';

/**
 * What share of ordinary requests each strategy's objects send to the canary, read from the
 * synthesized objects alone (never from the construct): the read-back of the asked split.
 */

const byName = (manifests: readonly Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

export type Kind = 'ReplicaCanary' | 'IstioCanary' | 'GatewayCanary' | 'NginxCanary' | 'AlbCanary';

export const CANARY_SHARE: Record<Kind, (manifests: readonly Manifest[], name: string) => number> = {
  ReplicaCanary: (ms, name) => {
    const stable = byName(ms, 'Deployment', name)!.spec.replicas;
    const canary = byName(ms, 'Deployment', `${name}-canary`)?.spec.replicas ?? 0;
    return replicaWeight(stable, canary);
  },
  IstioCanary: (ms, name) => {
    const route = byName(ms, 'VirtualService', name)!.spec.http.find((r: Manifest) => r.match === undefined);
    return route.route.find((d: Manifest) => d.destination.subset === 'canary')?.weight ?? 0;
  },
  GatewayCanary: (ms, name) => {
    // The default rule: an HTTPRoute's matches only the route's path; a GRPCRoute's matches everything.
    const grpc = byName(ms, 'GRPCRoute', name);
    const rule = grpc
      ? grpc.spec.rules.find((r: Manifest) => r.matches === undefined)
      : byName(ms, 'HTTPRoute', name)!.spec.rules.find((r: Manifest) => r.matches[0].headers === undefined);
    const total = rule.backendRefs.reduce((sum: number, b: Manifest) => sum + b.weight, 0);
    return (100 * (rule.backendRefs.find((b: Manifest) => b.name === `${name}-canary`)?.weight ?? 0)) / total;
  },
  AlbCanary: (ms, name) => {
    // The weighted default action: the Ingress path whose backend is `<name>-split`.
    const action = byName(ms, 'Ingress', name)!.metadata.annotations[`alb.ingress.kubernetes.io/actions.${name}-split`];
    const groups: Manifest[] = JSON.parse(action).forwardConfig.targetGroups;
    const total = groups.reduce((sum, g) => sum + (g.weight ?? 100), 0);
    return (100 * (groups.find((g) => g.serviceName === `${name}-canary`)?.weight ?? 0)) / total;
  },
  NginxCanary: (ms, name) => {
    const annotations = byName(ms, 'Ingress', `${name}-canary`)?.metadata.annotations ?? {};
    const total = Number(annotations['nginx.ingress.kubernetes.io/canary-weight-total'] ?? 100);
    return (100 * Number(annotations['nginx.ingress.kubernetes.io/canary-weight'] ?? 0)) / total;
  },
};
