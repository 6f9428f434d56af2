import { Testing } from 'cdk8s';
import * as fc from 'fast-check';

import { CanaryConfigError } from '../src';
import { checkManifests } from '../src/checks/manifest-checks';
import { BASE_PROPS, buildEntry, ConstructKind } from './catalogue/bad-inputs';
import { RUNS } from './util/arbitraries';
import { schemaProblems } from './util/schema';
import { newChart } from './util/synth';

/**
 * Any value at any prop: whatever a JavaScript caller or a JSON file passes, construction either
 * fails with a CanaryConfigError naming a prop and leaving nothing behind, or the output
 * synthesizes, passes the schemas and the manifest invariants. Never a TypeError, never a crash at
 * synth, never an object the API server would refuse.
 */

/** Prop paths to overwrite, per construct (nested paths write into a copy of the base value). */
const PATHS: Record<ConstructKind, string[]> = {
  ReplicaCanary: ['name', 'namespace', 'port', 'containerPort', 'weight', 'labels', 'partOf', 'replicas', 'rounding', 'minReplicas', 'maxReplicas',
    'stable', 'canary', 'stable.image', 'stable.version', 'stable.replicas', 'stable.env', 'stable.envVariables', 'stable.resources', 'stable.readiness',
    'stable.command', 'stable.args', 'stable.imagePullPolicy', 'stable.securityContext', 'canary.securityContext.runAsUser',
    'canary.securityContext.addCapabilities', 'canary.env', 'serviceName', 'serviceType', 'nodePort', 'annotations', 'serviceAnnotations',
    'containerName', 'canary.podAnnotations'],
  IstioCanary: ['match', 'hosts', 'gateways', 'meshTraffic', 'apiVersion', 'mirror', 'fault', 'timeout', 'retries', 'trafficPolicy', 'weight', 'labels',
    'stable.env', 'canary.readiness', 'fqdnHosts', 'serviceName', 'annotations'],
  GatewayCanary: ['gateway', 'gateways', 'createGateway', 'mesh', 'hostnames', 'path', 'pathType', 'match', 'timeout', 'weight', 'gateway.name',
    'gateway.sectionName', 'gateway.port', 'labels', 'serviceName', 'serviceType', 'nodePort'],
  NginxCanary: ['host', 'path', 'pathType', 'ingressClassName', 'match', 'fineWeight', 'stickySessions', 'tlsSecret', 'annotations', 'ingressAnnotations', 'weight', 'labels',
    'serviceName', 'serviceType', 'nodePort', 'serviceAnnotations', 'containerName', 'stable.podAnnotations'],
  AlbCanary: ['host', 'path', 'pathType', 'scheme', 'targetType', 'certificateArns', 'sslRedirect', 'groupName', 'groupOrder', 'stickiness',
    'stickiness.duration', 'match', 'ingressClassName', 'ingressAnnotations', 'annotations', 'weight', 'labels', 'serviceName', 'serviceType',
    'nodePort', 'serviceAnnotations', 'protocol', 'canary.env'],
};

function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...base, [head]: value };
  const inner = base[head];
  return { ...base, [head]: withValue(inner !== null && typeof inner === 'object' ? inner as Record<string, unknown> : {}, rest.join('.'), value) };
}

const hostile = fc.anything({
  withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true,
  withSparseArray: true, withTypedArray: true, maxDepth: 3,
  key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'x-canary', 'X-Canary', 'app', 'name', 'weight', 'headers')),
});

describe.each(Object.keys(PATHS) as ConstructKind[])('%s with any value at any prop', (construct) => {
  test('fails with a CanaryConfigError that leaves nothing, or synthesizes valid objects', () => {
    fc.assert(fc.property(fc.constantFrom(...PATHS[construct]), hostile, (path, value) => {
      const props = withValue(BASE_PROPS[construct], path, value);
      const chart = newChart();
      let error: unknown;
      try {
        buildEntry(chart, { construct, props });
      } catch (e) {
        error = e;
      }
      if (error !== undefined) {
        // A wrapped internal error ("could not be built") is a bug: the prop was not checked.
        if (!(error instanceof CanaryConfigError) || error.message.includes('could not be built')) throw error;
        expect(Testing.synth(chart)).toEqual([]);
        return;
      }
      const manifests = Testing.synth(chart);
      expect(schemaProblems(manifests)).toEqual([]);
      expect(checkManifests(manifests.map((manifest) => ({ file: 'out', manifest })))).toEqual([]);
    }), { numRuns: Math.max(1000, RUNS) });
  });
});
