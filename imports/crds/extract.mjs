#!/usr/bin/env node
// Cuts the CRDs this library uses out of the upstream release files, so that `cdk8s import`
// generates only the kinds and versions we emit (small imports/, fast compile).
//   node imports/crds/extract.mjs [DIR]   DIR holds the upstream files (default: ../shared/crds)
// Upstream files (download them into DIR when you bump a version):
//   istio-1.30.3-crds.yaml             https://raw.githubusercontent.com/istio/istio/1.30.3/manifests/charts/base/files/crd-all.gen.yaml
//   gateway-api-v1.6.1-standard.yaml   https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml
//   gateway-api-v1.6.1-experimental.yaml  https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/experimental-install.yaml
//                                      (read from DIR/../crds-experimental)
//   aws-load-balancer-controller-v3.5.0-gateway-crds.yaml  https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/config/crd/gateway/gateway-crds.yaml
// Then `npm run import` regenerates imports/*.ts from the files written here.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? join(here, '..', '..', '..', 'shared', 'crds');

const CUTS = [
  { from: 'istio-1.30.3-crds.yaml', to: 'istio-networking-v1.yaml', version: 'v1', kinds: ['DestinationRule', 'VirtualService'] },
  { from: 'gateway-api-v1.6.1-standard.yaml', to: 'gateway-api-v1.yaml', version: 'v1', kinds: ['Gateway', 'GatewayClass', 'GRPCRoute', 'HTTPRoute'] },
  // The experimental channel's routes (rule retry and sessionPersistence), imported under the
  // module prefix `experimental` (cdk8s.yaml), used for channel EXPERIMENTAL only.
  { from: '../crds-experimental/gateway-api-v1.6.1-experimental.yaml', to: 'gateway-api-v1-experimental.yaml', version: 'v1', kinds: ['GRPCRoute', 'HTTPRoute'] },
  // The AWS Load Balancer Controller's ALB Gateway configuration (createGateway.alb).
  { from: 'aws-load-balancer-controller-v3.5.0-gateway-crds.yaml', to: 'aws-gateway-v1.yaml', version: 'v1', kinds: ['LoadBalancerConfiguration', 'TargetGroupConfiguration'] },
];

for (const cut of CUTS) {
  const crds = parseAllDocuments(readFileSync(join(source, cut.from), 'utf8'))
    .map((doc) => doc.toJS())
    .filter((doc) => doc?.kind === 'CustomResourceDefinition' && cut.kinds.includes(doc.spec.names.kind))
    .sort((a, b) => a.spec.names.kind.localeCompare(b.spec.names.kind));
  for (const crd of crds) crd.spec.versions = crd.spec.versions.filter((v) => v.name === cut.version);
  const header = `# ${cut.kinds.join(', ')} ${cut.version}, cut from ${cut.from.replace(/^.*\//, '')} by extract.mjs. Do not edit.\n`;
  writeFileSync(join(here, cut.to), header + crds.map((crd) => stringify(crd)).join('---\n'));
  console.log(`${cut.to}: ${crds.map((c) => c.spec.names.kind).join(', ')}`);
}
