import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { CanaryBaseProps, ReplicaCanary, ReplicaCanaryProps, ServiceType } from '..';

/**
 * Moving a running hand-written canary under the library without an outage: the commit sequence
 * the README documents, as code, so that every step's YAML is in dist/ and checked by tests.
 *
 * The hand-written Deployments select `app: <x>` (or `app` + `version`); the library's pods carry
 * `app: <name>` too. Selectors are immutable, so while a hand-written Deployment exists no pod of
 * the library may carry its selector's labels, or two Deployments would claim the same pods.
 * The way through is a bridge: the Service first selects a label that every serving pod carries
 * (the mark), a bridge Deployment under another `app` takes over, the hand-written Deployments go,
 * and only then do the library's own pods start, under their final name.
 */

/** The label that the Service selects while the migration is under way. */
export const MIGRATION_MARK = 'migration.cdk8s-canary.io/service';

/** A hand-written Deployment as teams write them: one container, one port. */
export interface HandWrittenDeployment {
  readonly name: string;
  readonly selector: Record<string, string>;
  /** Pod labels (the selector's and more). */
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly replicas: number;
  readonly container: string;
  readonly containerPort: number;
}

/** The hand-written Service callers use. */
export interface HandWrittenService {
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly port: number;
  readonly targetPort: number;
  readonly portName: string;
  readonly type?: ServiceType;
  readonly nodePort?: number;
}

/** What runs today, and where it is going. */
export interface MigrationPlan {
  readonly deployments: readonly HandWrittenDeployment[];
  readonly service: HandWrittenService;
  /** The bridge: a ReplicaCanary with another name serving what the hand-written Deployments serve. */
  readonly bridge: ReplicaCanaryProps;
  /** Builds the library construct with its final props, plus `extra` (the steps' temporary props). */
  readonly target: (scope: Construct, extra: Partial<CanaryBaseProps>) => void;
}

/** The commits, in order; each is one step of `migrationStep`. */
export const MIGRATION_STEPS = [
  'mark: the hand-written pods get the mark label (a template change: they roll, the selector stays)',
  'select by the mark: the Service selects the mark instead of app/version (same pods)',
  'bridge: a ReplicaCanary under another name, its pods marked, joins the Service',
  'retire: the hand-written Deployments go; the bridge serves',
  'library: the construct under its final name, its pods marked, its own Service still temporary',
  'hand over: the Service becomes the construct\'s (serviceName); the bridge goes',
  'clean up: the mark goes (the pods roll once more); from here on, the usual canary lifecycle',
] as const;

/** Adds the objects of migration step `step` of `plan` to `scope`: 0 is what runs today, 1 to 7 the commits. */
export function migrationStep(scope: Construct, plan: MigrationPlan, step: number): void {
  const mark = { [MIGRATION_MARK]: plan.service.name };
  if (step <= 3) {
    for (const d of plan.deployments) handWrittenDeployment(scope, d, step >= 1 ? mark : {});
  }
  if (step <= 5) {
    handWrittenService(scope, plan.service, step >= 2 ? mark : plan.service.selector);
  }
  if (step >= 3 && step <= 5) {
    new ReplicaCanary(scope, 'Bridge', { ...plan.bridge, labels: { ...plan.bridge.labels, ...mark } });
  }
  if (step === 5) {
    plan.target(scope, { labels: mark, serviceName: `${plan.service.name}-next`, serviceType: ServiceType.CLUSTER_IP, nodePort: undefined });
  }
  if (step === 6) plan.target(scope, { labels: mark });
  if (step === 7) plan.target(scope, {});
}

function handWrittenDeployment(scope: Construct, d: HandWrittenDeployment, mark: Record<string, string>): void {
  new kplus.k8s.KubeDeployment(scope, `HandWritten-${d.name}`, {
    metadata: { name: d.name, labels: d.selector },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: d.selector },
      template: {
        metadata: { labels: { ...d.labels, ...mark } },
        spec: { containers: [{ name: d.container, image: d.image, ports: [{ containerPort: d.containerPort }] }] },
      },
    },
  });
}

function handWrittenService(scope: Construct, s: HandWrittenService, selector: Record<string, string>): void {
  new kplus.k8s.KubeService(scope, `HandWritten-${s.name}`, {
    metadata: { name: s.name, labels: s.labels },
    spec: {
      type: s.type,
      selector,
      ports: [{ name: s.portName, port: s.port, targetPort: kplus.k8s.IntOrString.fromNumber(s.targetPort), nodePort: s.nodePort }],
    },
  });
}
