#!/usr/bin/env node
// Regenerates the schemas `npm test` checks every synthesized object against, so the project's
// own tests need nothing outside the repo. Source: the Kubernetes 1.28 definitions and the CRD
// files in ../shared (the same ones the strict validator in ../shared/tools/k8scheck uses).
//   node test/schemas/extract.mjs [../shared]
// Descriptions are dropped to keep the files small; everything that constrains a value is kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.argv[2] ?? join(here, '..', '..', '..', 'shared');

/** Built-in kinds the constructs emit, by definition name. */
const BUILT_IN = {
  'apps/v1 Deployment': 'io.k8s.api.apps.v1.Deployment',
  'v1 Service': 'io.k8s.api.core.v1.Service',
  'networking.k8s.io/v1 Ingress': 'io.k8s.api.networking.v1.Ingress',
  'policy/v1 PodDisruptionBudget': 'io.k8s.api.policy.v1.PodDisruptionBudget',
  'autoscaling/v2 HorizontalPodAutoscaler': 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
};
/** CRD kinds the constructs emit, with every CRD release they must pass. */
const CRDS = {
  'istio-1.24.6-crds.yaml': ['VirtualService', 'DestinationRule'],
  'istio-1.30.3-crds.yaml': ['VirtualService', 'DestinationRule'],
  'gateway-api-v1.2.1-standard.yaml': ['HTTPRoute', 'GRPCRoute', 'Gateway', 'GatewayClass', 'ReferenceGrant'],
  'gateway-api-v1.6.1-standard.yaml': ['HTTPRoute', 'GRPCRoute', 'Gateway', 'GatewayClass', 'ReferenceGrant'],
  // The experimental channel: output of channel EXPERIMENTAL is checked against it alone.
  '../crds-experimental/gateway-api-v1.6.1-experimental.yaml': ['HTTPRoute', 'GRPCRoute', 'Gateway', 'GatewayClass', 'ReferenceGrant'],
  'aws-load-balancer-controller-v3.5.0-gateway-crds.yaml': ['LoadBalancerConfiguration', 'TargetGroupConfiguration'],
  'argo-rollouts-v1.9.1-crds.yaml': ['Rollout', 'AnalysisTemplate'],
  'flagger-v1.44.0-crds.yaml': ['Canary', 'MetricTemplate'],
};

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description') continue;
    out[key] = strip(value);
  }
  return out;
}

function builtIns() {
  const { definitions } = JSON.parse(readFileSync(join(shared, 'schemas', 'kubernetes-v1.28.0', '_definitions.json'), 'utf8'));
  const keep = {};
  const visit = (name) => {
    if (keep[name]) return;
    keep[name] = strip(definitions[name]);
    JSON.stringify(definitions[name], (key, value) => {
      if (key === '$ref') visit(value.replace('#/definitions/', ''));
      return value;
    });
  };
  Object.values(BUILT_IN).forEach(visit);
  const sorted = Object.fromEntries(Object.keys(keep).sort().map((k) => [k, keep[k]]));
  return { kinds: BUILT_IN, definitions: sorted };
}

function crdSchemas() {
  const out = {};
  for (const [file, kinds] of Object.entries(CRDS)) {
    const docs = parseAllDocuments(readFileSync(join(shared, 'crds', file), 'utf8')).map((d) => d.toJS());
    for (const crd of docs) {
      if (crd?.kind !== 'CustomResourceDefinition' || !kinds.includes(crd.spec.names.kind)) continue;
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        const key = `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`;
        out[key] ??= {};
        out[key][file.replace(/^.*\//, '').replace(/\.yaml$/, '')] = strip(version.schema.openAPIV3Schema);
      }
    }
  }
  return out;
}

writeFileSync(join(here, 'kubernetes-1.28.json'), `${JSON.stringify(builtIns())}\n`);
writeFileSync(join(here, 'crds.json'), `${JSON.stringify(crdSchemas())}\n`);
