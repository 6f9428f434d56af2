import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { MetricSource } from '../engines/analysis';
import { argoCreatedObjects, ArgoObjects, createArgoRollout, ROLLOUT_API_VERSION } from '../engines/argo-rollouts';
import { createFlaggerCanary, flaggerCreatedObjects, FlaggerObjects, FlaggerRequest } from '../engines/flagger';
import { argoHeaderRoutes, flaggerMatches } from '../engines/matches';
import { EngineHandover, Progression, ProgressionEngine } from '../engines/progression';
import { engineName, ResolvedProgression, resolveProgression } from '../engines/resolve';
import { createAutoscaler } from './autoscaling';
import { createDisruptionBudget } from './availability';
import { dataMap, escapeCount, ownValue, restoreDataKeysOnSynth } from './data-keys';
import { CanaryConfigError, showValue } from './errors';
import { ISTIO_PROXY_UID, ISTIO_RESERVED_PORTS } from './hosts';
import {
  appSelector, deploymentLabels, flaggerStableSelector, LabelSource, LONGEST_NAME_SUFFIX, objectLabels, RESERVED_LABEL_KEYS, Track, trackSelector, trackSuffix,
} from './labels';
import { ResolvedMatch } from './match';
import { Claim, commitClaims, DEFAULT_NAMESPACE, engineClaims, EngineCreatedObject, findClash, objectClaims } from './ownership';
import { CanaryProtocol, PortProtocol, portProtocol, PortProtocolReader } from './protocol';
import { CanaryTrackProps, createTrackDeployment, ResolvedTrack, resolveTrack, TrackOwner } from './track';
import { annotationsSize, MAX_ANNOTATIONS_SIZE, PropChecker } from './validate';

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
/**
 * Annotations that keep an object in the cluster when the next commit drops it from Git, so that
 * Flagger can adopt it: Argo CD's sync option and Flux kustomize-controller's prune label value.
 */
const ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const KEEP_WHEN_DROPPED: Readonly<Record<string, string>> = {
  [ARGOCD_SYNC_OPTIONS]: 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};
const FLAGGER_PRIMARY_SUFFIX = '-primary';
/** The kinds Flagger adopts or replaces when it takes a service over. */
const FLAGGER_ADOPTED_KINDS = new Set(['Service', 'VirtualService', 'DestinationRule', 'HTTPRoute', 'GRPCRoute']);

/** Metadata of an object a canary emits. */
export interface ObjectMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Pods per track and the canary weight they give. */
export interface TrackSplit {
  readonly stableReplicas: number;
  readonly canaryReplicas: number;
  /** Percent of ordinary requests the canary receives (not necessarily an integer). */
  readonly effectiveWeight: number;
}

/** Default pods of the stable track when the strategy does not derive them. */
const DEFAULT_STABLE_REPLICAS = 2;
const WEIGHT_RANGE = { min: 0, max: 100 };
const PORT_RANGE = { min: 1, max: 65535 };

/**
 * The core every canary strategy is built on: validates the common props, owns the two track
 * Deployments and the Services, and knows the names, labels and selectors of everything.
 * A strategy validates its own props, decides the replica split, then calls `addTracks`.
 */
export abstract class CanaryBase extends Construct {
  /** Base name of every object and value of the `app` label. */
  public readonly name: string;
  /** Namespace of every object; undefined when neither the prop nor the chart sets one. */
  public readonly namespace?: string;
  /** Service port. */
  public readonly port: number;
  /** Container port. */
  public readonly containerPort: number;
  /** Name of the Service callers use. */
  public readonly serviceName: string;
  /** The weight asked for (integer percent); 0 when not given. */
  public readonly weight: number;
  /** The protocol the application speaks on its port. */
  public readonly protocol: CanaryProtocol;

  /**
   * Builds error messages naming this construct.
   * @internal
   */
  protected readonly _check: PropChecker;
  /**
   * The validated stable track.
   * @internal
   */
  protected readonly _stableTrack: ResolvedTrack;
  /**
   * The validated canary track; undefined in steady state.
   * @internal
   */
  protected readonly _canaryTrack?: ResolvedTrack;
  /**
   * Whether the user gave `weight` (ReplicaCanary can derive it from track replicas instead).
   * @internal
   */
  protected readonly _weightGiven: boolean;
  /**
   * Who moves the canary, validated.
   * @internal
   */
  protected readonly _progression: ResolvedProgression;
  private engineObjects: { argo?: ArgoObjects; flagger?: FlaggerObjects } = {};
  /**
   * What the engine will create at run time, claimed like the objects this construct emits: the
   * names every Flagger provider shares from the start, made exact by `_addFlaggerCanary` or
   * `_addArgoRollout`.
   */
  private engineCreated: EngineCreatedObject[] = [];
  private readonly labelSource: LabelSource;
  private readonly exposure: { readonly type: ServiceType; readonly nodePort?: number; readonly annotations: Record<string, string>;
    readonly serviceAnnotations: Record<string, string>; readonly containerName: string; };
  private readonly kind: string;
  private readonly containerPortGiven: boolean;
  private readonly escapesAtStart: number;
  private readonly routeClaims: Claim[] = [];
  private readonly disruptionBudgets: boolean;
  private split?: TrackSplit;
  private deployments?: { readonly stable: kplus.Deployment; readonly canary?: kplus.Deployment };
  private readonly autoscalers: { stable?: kplus.k8s.KubeHorizontalPodAutoscalerV2; canary?: kplus.k8s.KubeHorizontalPodAutoscalerV2 } = {};
  private readonly budgets: { stable?: kplus.k8s.KubePodDisruptionBudget; canary?: kplus.k8s.KubePodDisruptionBudget } = {};

  /**
   * @param everyObjectPrefixes router annotation prefixes this strategy accepts in `annotations`
   * because its router reads them from every object that carries them (ALB: Services override the
   * Ingress per target group); the strategy refuses the keys it owns itself.
   */
  protected constructor(scope: Construct, id: string, kind: string, props: CanaryBaseProps, fields: Readonly<Record<string, true>>, everyObjectPrefixes: string[] = []) {
    super(scope, id);
    this.kind = kind;
    this.escapesAtStart = escapeCount();
    const check = new PropChecker(kind, this.node.path);
    this._check = check;
    try {
      check.object('props', props, true, fields);
      this.name = check.dns1035Label(props.name === undefined ? 'name (default: the construct id)' : 'name', props.name ?? id,
        63 - LONGEST_NAME_SUFFIX.length, ` so that "<name>${LONGEST_NAME_SUFFIX}" fits the 63-character limit of object names and label values`);
      const chartNamespace = Chart.of(this).namespace;
      this.namespace = props.namespace !== undefined
        ? check.dns1123Label('namespace', props.namespace)
        : chartNamespace === undefined ? undefined : check.dns1123Label('namespace (default: the chart\'s namespace)', chartNamespace);
      this.port = check.integer('port', props.port, PORT_RANGE, 80);
      this.containerPort = check.integer('containerPort', props.containerPort, PORT_RANGE, this.port);
      this.containerPortGiven = props.containerPort !== undefined;
      this.protocol = check.oneOf('protocol', props.protocol, Object.values(CanaryProtocol), CanaryProtocol.HTTP);
      this._weightGiven = props.weight !== undefined;
      this.weight = check.integer('weight', props.weight, WEIGHT_RANGE, 0);
      this.labelSource = {
        name: this.name,
        partOf: props.partOf === undefined ? this.name : check.labelValue('partOf', props.partOf),
        extraLabels: dataMap(Object.entries(check.labels('labels', props.labels, RESERVED_LABEL_KEYS))),
      };
      this.serviceName = props.serviceName === undefined ? this.name
        : check.dns1035Label('serviceName', props.serviceName, 63, ' (a Service name)');
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
      this.exposure = {
        type,
        nodePort,
        annotations,
        serviceAnnotations: check.annotations('serviceAnnotations', props.serviceAnnotations),
        containerName: props.containerName === undefined ? this.name : check.dns1123Label('containerName', props.containerName),
      };
      // A node port is open on every node: unique in the cluster, not only in a namespace.
      if (nodePort !== undefined) this._claimRoute('nodePort', `node-port|${nodePort}`, `node port ${nodePort}`);
      this.disruptionBudgets = check.boolean('disruptionBudgets', props.disruptionBudgets, true);
      this._stableTrack = resolveTrack(check, 'stable', Track.STABLE, props.stable);
      const match = (props as { readonly match?: unknown }).match;
      this._progression = resolveProgression(check, props.progression, Array.isArray(match) && match.length > 0);
      const engine = this._progression.engine;
      if (engine !== ProgressionEngine.MANUAL) {
        const by = engineName(engine);
        if (props.canary !== undefined) {
          check.fail('canary', `is set, but with progression ${by} the engine runs the canary: it starts one from stable whenever stable changes; put the version to release in stable (and its steps in the progression), or use Progression.manual() to run the canary by commits`);
        }
        if (props.weight !== undefined) {
          check.fail('weight', `is ${showValue(props.weight)}, but with progression ${by} the engine sets the weight step by step; give the steps in the progression, or use Progression.manual()`);
        }
        // Flagger names its copies `<target>-primary` (a Deployment whose pods carry app: <name>-primary)
        // and Services `<service>-primary` / `-canary`: label values and Service names of at most 63.
        if (engine === ProgressionEngine.FLAGGER) {
          for (const [prop, value] of [['name', this.name], ['serviceName', this.serviceName]] as const) {
            if (value.length + FLAGGER_PRIMARY_SUFFIX.length > 63) {
              check.fail(prop, `is ${value.length} characters, but Flagger names its copy "${value}${FLAGGER_PRIMARY_SUFFIX}" (a Service name and label value), which must fit 63; use at most ${63 - FLAGGER_PRIMARY_SUFFIX.length}`);
            }
          }
          this.engineCreated = this.flaggerCreated();
        }
      }
      this._canaryTrack = props.canary === undefined ? undefined : resolveTrack(check, 'canary', Track.CANARY, props.canary);
      if (!this._canaryTrack && this.weight > 0) {
        check.fail('weight', `is ${this.weight}, but there is no canary track to send it to; add canary, or set weight to 0`);
      }
    } catch (error) {
      throw this._abandon(error);
    }
  }

  /** The stable track's Deployment `<name>`. */
  public get stableDeployment(): kplus.Deployment {
    return this.built().stable;
  }

  /** The canary track's Deployment `<name>-canary`; undefined in steady state. */
  public get canaryDeployment(): kplus.Deployment | undefined {
    return this.built().canary;
  }

  /**
   * What is probably wrong but cannot be known for sure (e.g. a container port that a well-known
   * image does not listen on). Each is also printed to stderr as a Node.js `CanaryWarning`.
   */
  public get warnings(): string[] {
    return [...this._check.warnings];
  }

  /** The stable track's HorizontalPodAutoscaler `<name>`, with `stable.autoscaling`. */
  public get stableAutoscaler(): kplus.k8s.KubeHorizontalPodAutoscalerV2 | undefined {
    return this.autoscalers.stable;
  }

  /** The canary track's HorizontalPodAutoscaler `<name>-canary`, with `canary.autoscaling`. */
  public get canaryAutoscaler(): kplus.k8s.KubeHorizontalPodAutoscalerV2 | undefined {
    return this.autoscalers.canary;
  }

  /** The stable track's PodDisruptionBudget `<name>`; undefined with `disruptionBudgets: false`. */
  public get stableDisruptionBudget(): kplus.k8s.KubePodDisruptionBudget | undefined {
    return this.budgets.stable;
  }

  /** The canary track's PodDisruptionBudget `<name>-canary`; undefined in steady state or with `disruptionBudgets: false`. */
  public get canaryDisruptionBudget(): kplus.k8s.KubePodDisruptionBudget | undefined {
    return this.budgets.canary;
  }

  /** The engine's Rollout `<name>` (Argo Rollouts); undefined otherwise. */
  public get rollout(): ApiObject | undefined {
    return this.engineObjects.argo?.rollout;
  }

  /** The Rollout's AnalysisTemplate `<name>` (Argo Rollouts with analysis); undefined otherwise. */
  public get analysisTemplate(): ApiObject | undefined {
    return this.engineObjects.argo?.analysisTemplate;
  }

  /** Flagger's Canary `<name>`; undefined otherwise. */
  public get flaggerCanary(): ApiObject | undefined {
    return this.engineObjects.flagger?.canary;
  }

  /** Flagger's MetricTemplates `<name>-success-rate` and `<name>-latency-p99`, with analysis. */
  public get metricTemplates(): ApiObject[] {
    return [...this.engineObjects.flagger?.metricTemplates ?? []];
  }

  /** Pods of the stable track (its minReplicas when it autoscales). */
  public get stableReplicas(): number {
    return this.splitDone().stableReplicas;
  }

  /** Pods of the canary track (0 in steady state; its minReplicas when it autoscales). */
  public get canaryReplicas(): number {
    return this.splitDone().canaryReplicas;
  }

  /** Percent of ordinary requests the canary actually receives. */
  public get effectiveWeight(): number {
    return this.splitDone().effectiveWeight;
  }

  /** Version label of the stable pods. */
  public get stableVersion(): string {
    return this._stableTrack.version;
  }

  /** Version label of the canary pods; undefined in steady state. */
  public get canaryVersion(): string | undefined {
    return this._canaryTrack?.version;
  }

  /**
   * The in-cluster host name of the Service callers use: the FQDN when the namespace is known,
   * else the short name, which resolves in the namespace the manifests are applied to.
   */
  public serviceHost(): string {
    return this.namespace === undefined ? this.serviceName : `${this.serviceName}.${this.namespace}.svc.cluster.local`;
  }

  /**
   * Labels every object of this canary carries.
   * @internal
   */
  protected get _objectLabels(): Record<string, string> {
    return objectLabels(this.labelSource);
  }

  /**
   * Metadata for an object of this canary named `<name>` plus `suffix`.
   * @internal
   */
  protected _objectMetadata(suffix = '', extraAnnotations: Record<string, string> = {}, extraProp = 'annotations'): ObjectMetadata {
    for (const key of Object.keys(extraAnnotations)) {
      if (Object.prototype.hasOwnProperty.call(this.exposure.annotations, key)) {
        this._check.fail(extraProp, `sets ${JSON.stringify(key)}, which annotations sets too; set each annotation once`);
      }
    }
    const annotations = { ...this.exposure.annotations, ...extraAnnotations };
    const size = annotationsSize(annotations);
    if (size > MAX_ANNOTATIONS_SIZE) {
      this._check.fail(extraProp, `and annotations come to ${size} bytes on ${this.name + suffix}; the API server refuses annotations over ${MAX_ANNOTATIONS_SIZE} bytes (256 KiB) on one object`);
    }
    return {
      name: this.name + suffix,
      namespace: this.namespace,
      labels: this._objectLabels,
      annotations: Object.keys(annotations).length > 0 ? dataMap(Object.entries(annotations)) : undefined,
    };
  }

  /**
   * The split of the L7 strategies, where pods do not decide traffic: the tracks' own replicas
   * (stable 2, canary as many as stable) and the weight of ordinary requests (`weight`, unless the
   * strategy has a finer one). `targetedWeights` are the canary weights of the targeted routes: a
   * track that any route sends requests to needs a pod.
   * @internal
   */
  protected _routedSplit(targetedWeights: readonly number[] = [], ordinaryWeight: number = this.weight): TrackSplit {
    // An autoscaled track never has fewer pods than its minReplicas, which is what the checks need.
    const stableReplicas = this._stableTrack.autoscaling?.minReplicas ?? this._stableTrack.replicas ?? DEFAULT_STABLE_REPLICAS;
    const canaryReplicas = this._canaryTrack ? this._canaryTrack.autoscaling?.minReplicas ?? this._canaryTrack.replicas ?? stableReplicas : 0;
    const weights = [ordinaryWeight, ...targetedWeights];
    const toCanary = Math.max(...weights);
    const toStable = Math.min(...weights);
    const source = (w: number) => (w === ordinaryWeight ? `weight is ${w}` : `a route has weight ${w}`);
    if (this._canaryTrack && canaryReplicas === 0 && toCanary > 0) {
      this._check.fail('canary.replicas', `is 0 while ${source(toCanary)}: ${toCanary} % of those requests go to the canary and would find no pod; give it at least 1 replica`);
    }
    if (stableReplicas === 0 && toStable < 100) {
      this._check.fail('stable.replicas', `is 0 while ${source(toStable)}: ${100 - toStable} % of those requests go to stable and would find no pod; scale stable to 0 only when every route sends 100 % to the canary`);
    }
    return { stableReplicas, canaryReplicas, effectiveWeight: ordinaryWeight };
  }

  /**
   * Creates the track Deployments with `split`; call once, after the strategy's own checks.
   * @internal
   */
  protected _addTracks(split: TrackSplit): void {
    const owner: TrackOwner = {
      name: this.name, namespace: this.namespace, containerPort: this.containerPort, labels: this.labelSource,
      containerName: this.exposure.containerName, annotations: this.exposure.annotations, portName: this._portProtocol.name,
      containerPortGiven: this.containerPortGiven,
    };
    const argo = this._progression.engine === ProgressionEngine.ARGO_ROLLOUTS ? this._progression : undefined;
    // Under Argo Rollouts the Rollout runs the Deployment's template and the Deployment holds no
    // pod, except in a handover commit, where both serve.
    const argoRuns = argo !== undefined && argo.handover === EngineHandover.NONE;
    const stable = argoRuns
      ? createTrackDeployment(this, owner, { ...this._stableTrack, autoscaling: undefined }, 0, this._check)
      : createTrackDeployment(this, owner, this._stableTrack, split.stableReplicas, this._check);
    const canary = this._canaryTrack ? createTrackDeployment(this, owner, this._canaryTrack, split.canaryReplicas, this._check) : undefined;
    if (canary) {
      this.assertSelectorsDisjoint(stable, canary);
      this.assertSelectorsDisjoint(canary, stable);
    }
    for (const [track, deployment] of [[this._stableTrack, stable], [this._canaryTrack, canary]] as const) {
      if (!track || !deployment) continue;
      // Named like the track's Deployment, with its labels: the objects of one track belong together.
      const id = track.track === Track.STABLE ? 'Stable' : 'Canary';
      const metadata = { ...this._objectMetadata(trackSuffix(track.track)), labels: deploymentLabels(this.labelSource, track.track) };
      if (track.autoscaling) {
        this.autoscalers[track.track] = createAutoscaler(this, `${id}Autoscaler`, deployment, track.autoscaling, metadata,
          this.autoscalesRollout ? { apiVersion: ROLLOUT_API_VERSION, kind: 'Rollout', name: this.name } : undefined);
      }
      if (this.disruptionBudgets) {
        const selector = this._progression.engine === ProgressionEngine.FLAGGER ? flaggerStableSelector(this.name) : trackSelector(this.name, track.track);
        this.budgets[track.track] = createDisruptionBudget(this, `${id}DisruptionBudget`, selector, metadata);
      }
    }
    this.split = split;
    this.deployments = { stable, canary };
  }

  /**
   * Under Argo Rollouts the stable autoscaler scales the Rollout, except when the service is
   * being handed back to the Deployment.
   */
  private get autoscalesRollout(): boolean {
    return this._progression.engine === ProgressionEngine.ARGO_ROLLOUTS && this._progression.handover !== EngineHandover.FROM_ENGINE;
  }

  /**
   * True when there is a canary to target: the canary track, or one an engine will start.
   * @internal
   */
  protected get _hasCanary(): boolean {
    return this._canaryTrack !== undefined || this._progression.engine !== ProgressionEngine.MANUAL;
  }

  /**
   * True when Argo Rollouts runs the canary (not in a handover commit): the strategy emits its
   * routing in the shape Argo drives and calls `_addArgoRollout`.
   * @internal
   */
  protected get _argoRuns(): boolean {
    return this._progression.engine === ProgressionEngine.ARGO_ROLLOUTS && this._progression.handover === EngineHandover.NONE;
  }

  /**
   * True when Flagger owns the Services and routes (it generates them, or is handing them back
   * on deletion): the strategy emits none of them.
   * @internal
   */
  protected get _flaggerRoutes(): boolean {
    return this._progression.engine === ProgressionEngine.FLAGGER && this._progression.handover !== EngineHandover.TO_ENGINE;
  }

  /**
   * The Rollout `<name>` (and its AnalysisTemplate) over the stable Deployment; call after
   * `_addTracks`. `stableService` is the Service Argo points at the stable pods (the canary one is
   * always `<name>-canary`); none with subset-level routing. `matches` become header routes. In a handover commit the Rollout runs
   * pods but refers to no Service or route (createArgoRollout leaves them out).
   * @internal
   */
  protected _addArgoRollout(request: { stableService?: string; trafficRouting?: Record<string, unknown>; matches?: readonly ResolvedMatch[];
    metrics?: { source: MetricSource; anyReporter?: boolean }; }): void {
    if (this._progression.engine !== ProgressionEngine.ARGO_ROLLOUTS) return;
    this.engineCreated = argoCreatedObjects(this.name, request.trafficRouting);
    const autoscaling = this._stableTrack.autoscaling;
    const metrics = request.metrics && {
      source: request.metrics.source,
      // Istio: the Rollout's pods are one workload, `<name>`; the released version tells the canary's apart.
      // ingress-nginx: the main Ingress `<name>`, whose canary backend Argo adds.
      selector: request.metrics.source === MetricSource.ISTIO
        ? { workloadOrIngress: this.name, revision: this.stableVersion, anyReporter: request.metrics.anyReporter }
        : { workloadOrIngress: this.name },
    };
    const headerRoutes = argoHeaderRoutes(this._check, request.matches ?? [], this.name);
    if (headerRoutes.length > 0) {
      // With traffic routing Argo sizes the canary ReplicaSet by the step's weight
      // (utils/replicaset/canary.go, CalculateReplicaCountsForTrafficRoutedCanary: ceil(replicas x weight / 100)),
      // and a header route stays set until the release ends: at weight 0 its requests find no pod.
      this._progression.steps.forEach((step, i) => {
        if (step.weight === 0) {
          this._check.fail(`progression.argoRollouts.steps[${i}].weight`, 'is 0 while match sets a header route: Argo Rollouts sizes the canary by the step\'s weight, so at 0 it has no pod and every matching request would fail; give every step a weight of at least 1, or remove match');
        }
      });
    }
    if (request.metrics?.source === MetricSource.ISTIO && this._progression.analysis && !this._stableTrack.versionDistinguishes) {
      // Argo's canary pods are one workload with the stable ones: only the version label
      // (Istio's canonical revision) tells the two releases' requests apart.
      this._check.fail('stable.version', `is not given, and stable.image ${showValue(this._stableTrack.image)} has no tag that changes with each release, so both releases' pods carry version ${showValue(this._stableTrack.version)} and the analysis would measure the stable pods with the canary's; give stable.version (e.g. the release number or the digest's first 12 characters)`);
    }
    this.engineObjects.argo = createArgoRollout(this, {
      trafficRouting: request.trafficRouting,
      headerRoutes,
      services: request.stableService === undefined ? undefined : { stable: request.stableService, canary: `${this.name}-canary` },
      metrics,
      metadata: this._objectMetadata(),
      replicas: autoscaling ? (this.autoscalesRollout ? undefined : autoscaling.minReplicas) : this.splitDone().stableReplicas,
      selector: trackSelector(this.name, Track.STABLE),
      deploymentName: this.name,
      progression: this._progression,
    });
  }

  /**
   * Flagger's Canary `<name>` (and MetricTemplates) targeting the stable Deployment; call after
   * `_addTracks`. `service` adds the strategy's fields to the apex Service every strategy gives
   * (name, port, target port, port name); `matches` become its A/B match (`nginx`: ingress-nginx's
   * canary-by-cookie). Not in a handover commit: towards Flagger it comes one
   * commit later, away from Flagger its deletion is what hands the service back.
   * @internal
   */
  protected _addFlaggerCanary(request: Pick<FlaggerRequest, 'provider' | 'ingressName' | 'metricSource' | 'anyReporter'>
    & { service?: Record<string, unknown>; matches?: readonly ResolvedMatch[]; nginx?: boolean }): void {
    if (this._progression.engine !== ProgressionEngine.FLAGGER) return;
    this.engineCreated = this.flaggerCreated(request);
    if (this._progression.handover !== EngineHandover.NONE) return;
    const { matches, nginx, ...rest } = request;
    this.engineObjects.flagger = createFlaggerCanary(this, {
      ...rest,
      match: flaggerMatches(this._check, matches ?? [], nginx),
      service: { name: this.serviceName, port: this.port, targetPort: this.containerPort, portName: this._portProtocol.name, ...request.service },
      metadata: this._objectMetadata(),
      targetName: this.name,
      autoscalerName: this.autoscalers.stable ? this.name : undefined,
      progression: this._progression,
    });
  }

  /**
   * The targeted entries the static routes carry: all of them when routing by hand; none under
   * an engine (it owns the targeted routes; a handover commit routes everyone to stable).
   * @internal
   */
  protected _staticMatches<T>(matches: readonly T[]): readonly T[] {
    return this._progression.engine === ProgressionEngine.MANUAL ? matches : [];
  }

  /**
   * A Service on `port`, forwarding to the container port: the one callers use (`serviceName`,
   * with the node port) when `name` is undefined, else `name`. With a track it selects that
   * track's pods (`app` + `track`); without, both tracks (`app`). `id` is the construct id, part
   * of the API like the object name.
   * @internal
   */
  protected _addService(id: string, name: string | undefined, track?: Track): kplus.Service {
    const callers = name === undefined;
    const service = new kplus.Service(this, id, {
      metadata: { ...this._objectMetadata('', this.exposure.serviceAnnotations, 'serviceAnnotations'), name: name ?? this.serviceName },
      type: this.exposure.type as string as kplus.ServiceType,
      ports: [{
        name: this._portProtocol.name, port: this.port, targetPort: this.containerPort, protocol: kplus.Protocol.TCP,
        nodePort: callers ? this.exposure.nodePort : undefined,
      }],
    });
    const selector = track === undefined ? appSelector(this.name) : trackSelector(this.name, track);
    for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);
    const appProtocol = this._portProtocol.appProtocol;
    // cdk8s-plus-28's ServicePort has no appProtocol (a core field since Kubernetes 1.20).
    if (appProtocol !== undefined) ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', appProtocol));
    return service;
  }

  /**
   * Who reads the protocol of this canary's ports: Istio for IstioCanary, the Kubernetes
   * standard names otherwise.
   * @internal
   */
  protected get _portProtocolReader(): PortProtocolReader {
    return PortProtocolReader.KUBERNETES;
  }

  /**
   * Name and `appProtocol` of the Service and container ports.
   * @internal
   */
  protected get _portProtocol(): PortProtocol {
    return portProtocol(this.protocol, this._portProtocolReader);
  }

  /**
   * Service `<name>-canary`, selecting the canary track (under Argo Rollouts, the stable template);
   * undefined in steady state.
   * @internal
   */
  protected _addCanaryService(): kplus.Service | undefined {
    // Under Argo Rollouts the canary pods come from the stable template: Argo narrows the Service
    // to them by their rollouts-pod-template-hash.
    if (this._argoRuns) return this._addService('CanaryService', `${this.name}-canary`, Track.STABLE);
    return this._canaryTrack ? this._addService('CanaryService', `${this.name}-canary`, Track.CANARY) : undefined;
  }

  private assertSelectorsDisjoint(selecting: kplus.Deployment, other: kplus.Deployment): void {
    const selector = selecting.matchLabels;
    if (Object.entries(selector).every(([key, value]) => other.podMetadata.getLabel(key) === value)) {
      this._check.fail('stable', `Deployment ${selecting.name} would select the pods of ${other.name} (selector ${JSON.stringify(selector)}); the two tracks must not share pods`);
    }
  }

  /**
   * The rules an Istio sidecar imposes on the pods it joins: no application port in the proxy's
   * reserved block, and no container running as the proxy's own UID (its traffic is not captured).
   * @internal
   */
  protected _checkMeshPods(router: string): void {
    for (const [prop, port] of [['port', this.port], ['containerPort', this.containerPort]] as const) {
      if (port >= ISTIO_RESERVED_PORTS.min && port <= ISTIO_RESERVED_PORTS.max) {
        this._check.fail(prop, `is ${port}, in the block ${ISTIO_RESERVED_PORTS.min}-${ISTIO_RESERVED_PORTS.max} the Istio sidecar uses in every pod of ${router}; choose another port`);
      }
    }
    // istiod's injection webhook reads sidecar.istio.io/inject from the pod's labels (and, older,
    // its annotations): "false" leaves the pods out of the mesh, so nothing routes them by subset or
    // waypoint and the destination metrics an engine's analysis reads are never written.
    const inject = 'sidecar.istio.io/inject';
    const podKeys: [string, Readonly<Record<string, string>>][] = [['labels', this.labelSource.extraLabels]];
    for (const track of [this._stableTrack, this._canaryTrack]) if (track) podKeys.push([`${track.prop}.podAnnotations`, track.podAnnotations]);
    for (const [prop, map] of podKeys) {
      const value = ownValue(map, inject);
      if (value !== undefined && value !== 'true') this._check.fail(prop, `sets ${inject}: ${showValue(value)}, which keeps the pods of ${router} out of the mesh that routes them; remove it`);
    }
    for (const track of [this._stableTrack, this._canaryTrack]) {
      if (track?.security.runAsUser === ISTIO_PROXY_UID) {
        this._check.fail(`${track.prop}.securityContext.runAsUser`, `is ${ISTIO_PROXY_UID}, the Istio sidecar's own UID: traffic of a process with it bypasses the mesh, so ${router} would not route it; choose another UID`);
      }
    }
  }

  /**
   * The namespace the objects land in: the construct's, else where `kubectl apply` puts them.
   * @internal
   */
  protected get _effectiveNamespace(): string {
    return this.namespace ?? DEFAULT_NAMESPACE;
  }

  /**
   * Claims a route for this construct alone (e.g. a host for mesh traffic), checked app-wide
   * when the construct is registered.
   * @internal
   */
  protected _claimRoute(prop: string, key: string, what: string, options: { shared?: boolean; excludes?: { key: string; why: string } } = {}): void {
    const excludes = options.excludes && { key: `route|${options.excludes.key}`, why: options.excludes.why };
    this.routeClaims.push({ prop, key: `route|${key}`, what, shared: options.shared, excludes });
  }

  /**
   * The last step of every strategy's constructor: claims the objects and routes app-wide (a
   * clash names both owners), and makes the objects render user keys that are JavaScript
   * prototype names (see data-keys.ts).
   * @internal
   */
  protected _register(): void {
    if (this._progression.engine === ProgressionEngine.FLAGGER && this._progression.handover === EngineHandover.TO_ENGINE) {
      for (const object of this.node.findAll()) {
        if (!(object instanceof ApiObject) || !FLAGGER_ADOPTED_KINDS.has(object.kind)) continue;
        for (const [key, value] of Object.entries(KEEP_WHEN_DROPPED)) {
          // Argo CD's sync-options is a comma-separated list: the user's options stay.
          const given: string | undefined = object.metadata.toJson().annotations?.[key];
          object.metadata.addAnnotation(key, given === undefined || given.split(',').map((o: string) => o.trim()).includes(value) ? value
            : key === ARGOCD_SYNC_OPTIONS ? `${given},${value}` : this._check.fail('annotations', `sets ${JSON.stringify(key)} to ${JSON.stringify(given)}, but the Flagger handover sets it to ${JSON.stringify(value)} so that the next commit's drop keeps the object; remove it`));
        }
      }
    }
    const objects = objectClaims(this, (object) => this._propOfObject(object));
    const reserved = objects.find((c) => c.key === `object||Service|${DEFAULT_NAMESPACE}|kubernetes`);
    if (reserved) {
      this._check.fail(reserved.prop, 'makes Service default/kubernetes, the API server\'s own Service: every in-cluster client would lose the API; choose another name');
    }
    const own = new Set(objects.map((c) => c.key));
    // What the engine creates from this construct's own objects (an adopted Service) is already claimed.
    const created = engineClaims(this.engineCreated, this._effectiveNamespace, engineName(this._progression.engine)).filter((c) => !own.has(c.key));
    const claims = [...objects, ...created, ...this.routeClaims];
    const clash = findClash(this, claims);
    if (clash?.why) this._check.fail(clash.claim.prop, `makes ${clash.claim.what}, but ${clash.owner} ${clash.why}`);
    if (clash) {
      this._check.fail(clash.claim.prop, `makes ${clash.claim.what}, which ${clash.owner} already ${clash.claim.key.startsWith('route|') ? 'routes' : 'emits'}; each object and route has one owner in an app, so choose another name, host or path`);
    }
    commitClaims(this, `${this.kind} ${this.node.path}`, claims);
    if (escapeCount() !== this.escapesAtStart) restoreDataKeysOnSynth(this);
  }

  /** What Flagger creates for this construct; with `router`, that provider's objects too. */
  private flaggerCreated(router?: Pick<FlaggerRequest, 'provider' | 'ingressName'>): EngineCreatedObject[] {
    return flaggerCreatedObjects({
      targetName: this.name, serviceName: this.serviceName, autoscaled: this._stableTrack.autoscaling !== undefined,
      provider: router?.provider, ingressName: router?.ingressName,
    });
  }

  /**
   * Which prop decides the name of `object`: `name`, unless the strategy names it otherwise.
   * @internal
   */
  protected _propOfObject(object: ApiObject): string {
    return object.kind === 'Service' && object.name === this.serviceName && this.serviceName !== this.name ? 'serviceName' : 'name';
  }

  /**
   * Takes a construct that failed while being built out of the tree, so that an app that
   * catches the error synthesizes none of it, and turns an unexpected error into a
   * `CanaryConfigError` that still names this construct.
   * @internal
   */
  protected _abandon(error: unknown): Error {
    this.node.scope?.node.tryRemoveChild(this.node.id);
    if (error instanceof CanaryConfigError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new CanaryConfigError(this.kind, this.node.path, 'props', `could not be built: ${message}`);
  }

  private built() {
    if (!this.deployments) throw new Error(`${this.node.path}: the track Deployments are not built yet`);
    return this.deployments;
  }

  private splitDone(): TrackSplit {
    if (!this.split) throw new Error(`${this.node.path}: the replica split is not decided yet`);
    return this.split;
  }
}
