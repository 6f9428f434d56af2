import { AlbTargetType } from '../core/alb-settings';
import { CLUSTER_ANNOTATION, CLUSTER_CONTEXT } from '../core/cluster';
import { dataMap } from '../core/data-keys';
import { LabelSource, LONGEST_NAME_SUFFIX, RESERVED_LABEL_KEYS, Track } from '../core/labels';
import { DEFAULT_NAMESPACE } from '../core/ownership';
import { CanaryProtocol } from '../core/protocol';
import { CanaryTrackProps, ResolvedTrack, resolveTrack } from '../core/track';
import { PORT_RANGE, PropChecker } from '../core/validate';
import { Progression, ProgressionEngine } from '../engines/progression';
import { checkEngineProps, ResolvedProgression, resolveProgression } from '../engines/resolve';

// What every canary construct accepts, in one place: the props, their declared fields, and the
// one function that checks them.

/** Props every canary construct takes. */
export interface CanaryBaseProps {
  /**
   * Base name of every object (`<name>`, `<name>-canary`) and the value of the `app` label.
   * A DNS-1035 label short enough for the `-canary` suffix: at most 56 characters.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Port of the Service(s).
   * @default 80
   */
  readonly port?: number;
  /**
   * Port the container listens on.
   * @default - the same as `port`
   */
  readonly containerPort?: number;
  /** The version in production. */
  readonly stable: CanaryTrackProps;
  /**
   * The version under test. Absent means steady state: no canary objects, 100 % to stable.
   * @default - steady state
   */
  readonly canary?: CanaryTrackProps;
  /**
   * Integer percent (0-100) of ordinary requests sent to the canary. 0 keeps the canary objects
   * (dark launch; targeted rules still apply).
   * @default 0
   */
  readonly weight?: number;
  /**
   * Extra labels on every object and pod. The keys the library sets (`app`, `version`, `track`,
   * `app.kubernetes.io/*`) cannot be overridden.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Value of the `app.kubernetes.io/part-of` label: the larger application this service belongs to.
   * @default - the name
   */
  readonly partOf?: string;
  /**
   * Name of the Service callers use (e.g. an existing `svc-hello`); every router object refers to
   * it. The `app` label and every other object keep `name`.
   * @default - the name
   */
  readonly serviceName?: string;
  /**
   * Type of the Services the construct emits.
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: ServiceType;
  /**
   * Node port of the Service callers use (30000-32767), with `NODE_PORT` or `LOAD_BALANCER`.
   * @default - Kubernetes allocates one
   */
  readonly nodePort?: number;
  /**
   * Annotations on the Services (e.g. external-dns, cloud load balancer settings).
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };
  /**
   * Annotations on every object the construct emits. Keys a router reads from a specific object
   * (ingress-nginx's) go in that object's own prop, e.g. `NginxCanaryProps.ingressAnnotations`.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Name of the container in both tracks' pods.
   * @default - the name
   */
  readonly containerName?: string;
  /**
   * The protocol the application speaks on its port: named on the Service and container ports
   * (and `appProtocol`) the way each router reads it. `GRPC` makes GatewayCanary emit a GRPCRoute
   * and NginxCanary proxy with gRPC; ReplicaCanary asks you to accept that kube-proxy splits
   * HTTP/2 and gRPC by connection, not by request.
   * @default CanaryProtocol.HTTP
   */
  readonly protocol?: CanaryProtocol;
  /**
   * One PodDisruptionBudget per track (`maxUnavailable: 1`, `unhealthyPodEvictionPolicy:
   * AlwaysAllow`), selecting exactly that track's pods: a node drain takes one pod of a track at a
   * time and is never blocked. A one-pod track is still empty while its pod moves: give critical
   * canaries at least 2 pods.
   * @default true
   */
  readonly disruptionBudgets?: boolean;
  /**
   * Who moves the canary: commits (`Progression.manual()`), Argo Rollouts or Flagger. With an
   * engine, `stable` is the version to release and the engine runs the canary from it: `canary`
   * and `weight` are refused.
   * @default Progression.manual()
   */
  readonly progression?: Progression;
}

/** Type of the Services a canary emits. */
export enum ServiceType {
  /** Reachable inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. */
  NODE_PORT = 'NodePort',
  /** Also through the cloud provider's load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/**
 * The fields of CanaryBaseProps, for the check that refuses unknown ones. A `Record` over
 * `keyof`, so the compiler fails when a prop is added to the interface and not here.
 */
export const CANARY_BASE_FIELDS: Record<keyof CanaryBaseProps, true> = {
  name: true, namespace: true, port: true, containerPort: true, stable: true, canary: true, weight: true, labels: true, partOf: true,
  serviceName: true, serviceType: true, nodePort: true, serviceAnnotations: true, annotations: true, containerName: true, protocol: true,
  disruptionBudgets: true, progression: true,
};
/** Node ports Kubernetes allocates from by default (--service-node-port-range). */
const NODE_PORT_RANGE = { min: 30000, max: 32767 };
/** Annotation prefixes that only mean something on one object, set through that object's prop. */
const OBJECT_SPECIFIC_ANNOTATIONS = ['nginx.ingress.kubernetes.io/', 'alb.ingress.kubernetes.io/', 'kubernetes.io/ingress.class'];
const EXTERNAL_DNS = 'external-dns.alpha.kubernetes.io/';
const WEIGHT_RANGE = { min: 0, max: 100 };

/** How the Services and every object are exposed and annotated. */
export interface ResolvedExposure {
  readonly type: ServiceType;
  readonly nodePort?: number;
  readonly annotations: Record<string, string>;
  readonly serviceAnnotations: Record<string, string>;
  readonly containerName: string;
}

/** The common props, checked: what every part of a canary reads. */
export interface CommonSpec {
  /** The construct's class name, as error messages and claims name it. */
  readonly kind: string;
  readonly check: PropChecker;
  /** The cluster the canary is in (CanaryScope); undefined when none is set. */
  readonly cluster?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port: number;
  readonly containerPort: number;
  readonly containerPortGiven: boolean;
  readonly protocol: CanaryProtocol;
  /** Whether the user gave `weight` (ReplicaCanary can derive it from track replicas instead). */
  readonly weightGiven: boolean;
  readonly weight: number;
  readonly labelSource: LabelSource;
  readonly serviceName: string;
  readonly exposure: ResolvedExposure;
  readonly disruptionBudgets: boolean;
  readonly stableTrack: ResolvedTrack;
  readonly progression: ResolvedProgression;
  /** Undefined in steady state. */
  readonly canaryTrack?: ResolvedTrack;
}

/**
 * Checks the props every canary takes, in the order their errors are reported. `defaults` gives
 * what a prop falls back to (the construct id, the chart's namespace); `everyObjectPrefixes` are
 * the router annotation prefixes the strategy accepts in `annotations` (see CanaryBase).
 */
export function resolveCommonProps(check: PropChecker, kind: string, props: CanaryBaseProps, fields: Readonly<Record<string, true>>,
  defaults: { readonly id: string; readonly chartNamespace?: string; readonly cluster?: unknown }, everyObjectPrefixes: readonly string[]): CommonSpec {
  check.object('props', props, true, fields);
  const name = check.dns1035Label(props.name === undefined ? 'name (default: the construct id)' : 'name', props.name ?? defaults.id,
    63 - LONGEST_NAME_SUFFIX.length, ` so that "<name>${LONGEST_NAME_SUFFIX}" fits the 63-character limit of object names and label values`);
  const chartNamespace = defaults.chartNamespace;
  const namespace = props.namespace !== undefined
    ? check.dns1123Label('namespace', props.namespace)
    : chartNamespace === undefined ? undefined : check.dns1123Label('namespace (default: the chart\'s namespace)', chartNamespace);
  const port = check.integer('port', props.port, PORT_RANGE, 80);
  const containerPort = check.integer('containerPort', props.containerPort, PORT_RANGE, port);
  const protocol = check.oneOf('protocol', props.protocol, Object.values(CanaryProtocol), CanaryProtocol.HTTP);
  const weight = check.integer('weight', props.weight, WEIGHT_RANGE, 0);
  const labelSource: LabelSource = {
    name,
    partOf: props.partOf === undefined ? name : check.labelValue('partOf', props.partOf),
    extraLabels: dataMap(Object.entries(check.labels('labels', props.labels, RESERVED_LABEL_KEYS))),
  };
  const serviceName = props.serviceName === undefined ? name : check.dns1035Label('serviceName', props.serviceName, 63, ' (a Service name)');
  const cluster = defaults.cluster === undefined ? undefined : check.dns1123Label(`cluster (the context value ${CLUSTER_CONTEXT})`, defaults.cluster);
  const exposure = resolveExposure(check, props, name, everyObjectPrefixes, cluster);
  const disruptionBudgets = check.boolean('disruptionBudgets', props.disruptionBudgets, true);
  const stableTrack = resolveTrack(check, 'stable', Track.STABLE, props.stable);
  const match = (props as { readonly match?: unknown }).match;
  const progression = resolveProgression(check, props.progression, Array.isArray(match) && match.length > 0);
  checkEngineProps(check, props, progression, { name, serviceName });
  const canaryTrack = props.canary === undefined ? undefined : resolveTrack(check, 'canary', Track.CANARY, props.canary);
  if (!canaryTrack && weight > 0) {
    check.fail('weight', `is ${weight}, but there is no canary track to send it to; add canary, or set weight to 0`);
  }
  return {
    kind, check, cluster, name, namespace, port, containerPort, containerPortGiven: props.containerPort !== undefined, protocol,
    weightGiven: props.weight !== undefined, weight, labelSource, serviceName, exposure, disruptionBudgets, stableTrack, progression, canaryTrack,
  };
}

function resolveExposure(check: PropChecker, props: CanaryBaseProps, name: string, everyObjectPrefixes: readonly string[], cluster: string | undefined): ResolvedExposure {
  const type = check.oneOf('serviceType', props.serviceType, Object.values(ServiceType), ServiceType.CLUSTER_IP);
  const nodePort = check.integer('nodePort', props.nodePort, NODE_PORT_RANGE);
  if (nodePort !== undefined && type === ServiceType.CLUSTER_IP) {
    check.fail('nodePort', `is ${nodePort}, but a ClusterIP Service has no node port; set serviceType: ServiceType.NODE_PORT (or LOAD_BALANCER)`);
  }
  const annotations = check.annotations('annotations', props.annotations);
  for (const key of Object.keys(annotations)) {
    const specific = OBJECT_SPECIFIC_ANNOTATIONS.find((prefix) => key.startsWith(prefix) && !everyObjectPrefixes.includes(prefix));
    if (specific) check.fail('annotations', `key ${JSON.stringify(key)} would land on every object, but only one object may carry it; give it in that object's prop (e.g. NginxCanary or AlbCanary ingressAnnotations, serviceAnnotations)`);
    // external-dns publishes a host name from Ingresses and from NodePort and LoadBalancer Services: on both, one name gets two sources.
    if (key.startsWith(EXTERNAL_DNS) && type !== ServiceType.CLUSTER_IP) {
      check.fail('annotations', `key ${JSON.stringify(key)} would land on the ${type} Services too, which external-dns publishes as well; give it in the Ingress's prop (ingressAnnotations) or in serviceAnnotations`);
    }
  }
  const serviceAnnotations = check.annotations('serviceAnnotations', props.serviceAnnotations);
  for (const [prop, map] of [['annotations', annotations], ['serviceAnnotations', serviceAnnotations]] as const) {
    if (Object.prototype.hasOwnProperty.call(map, CLUSTER_ANNOTATION)) {
      check.fail(prop, `sets ${CLUSTER_ANNOTATION}, which records the cluster the canary is in; put the chart in a cluster with CanaryScope.of(chart).cluster(name) instead`);
    }
  }
  return {
    type,
    nodePort,
    // Every object records its cluster, so that the safe synth and the report check each cluster's objects alone.
    annotations: cluster === undefined ? annotations : { ...annotations, [CLUSTER_ANNOTATION]: cluster },
    serviceAnnotations,
    containerName: props.containerName === undefined ? name : check.dns1123Label('containerName', props.containerName),
  };
}

/** True when there is a canary to target: the canary track, or one an engine will start. */
export function hasCanary(spec: CommonSpec): boolean {
  return spec.canaryTrack !== undefined || spec.progression.engine !== ProgressionEngine.MANUAL;
}

/** The namespace the objects land in: the construct's, else where `kubectl apply` puts them. */
export function effectiveNamespace(spec: CommonSpec): string {
  return spec.namespace ?? DEFAULT_NAMESPACE;
}

/**
 * The in-cluster host name of the Service callers use: the FQDN when the namespace is known,
 * else the short name, which resolves in the namespace the manifests are applied to.
 */
export function serviceHost(spec: CommonSpec): string {
  return spec.namespace === undefined ? spec.serviceName : `${spec.serviceName}.${spec.namespace}.svc.cluster.local`;
}

/**
 * Who a request mirror (Istio `mirror`, Gateway API `RequestMirror`) may copy requests to: the
 * canary track of a manually progressed canary. An engine starts and stops the canary, and
 * without a canary track there is nothing to copy to.
 */
export function checkMirrorTarget(spec: CommonSpec): void {
  if (spec.progression.engine !== ProgressionEngine.MANUAL) {
    spec.check.fail('mirror', 'copies requests to the canary track, which the progression engine starts and stops; remove mirror, or use Progression.manual()');
  }
  if (!hasCanary(spec)) spec.check.fail('mirror', 'copies requests to the canary, but there is no canary track; add canary, or remove mirror');
}

/**
 * The common props with the Services an ALB needs: instance targets reach the pods through node
 * ports, so the Services are NodePort unless the user chose a type (AlbCanary's `targetType`,
 * GatewayCanary's `createGateway.alb.targetType`).
 */
export function withAlbTargetServices<T extends CanaryBaseProps>(props: T, targetType: unknown): T {
  return targetType === AlbTargetType.INSTANCE && props?.serviceType === undefined ? { ...props, serviceType: ServiceType.NODE_PORT } : props;
}
