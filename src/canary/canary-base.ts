import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { CLUSTER_CONTEXT } from '../core/cluster';
import { escapeCount } from '../core/data-keys';
import { CanaryConfigError } from '../core/errors';
import { objectLabels, Track } from '../core/labels';
import { ObjectMetadata } from '../core/metadata';
import { Claim, EngineCreatedObject } from '../core/ownership';
import { CanaryProtocol, PortProtocol, portProtocol, PortProtocolReader } from '../core/protocol';
import { ResolvedTrack } from '../core/track';
import { PropChecker } from '../core/validate';
import { ArgoObjects } from '../engines/argo-rollouts';
import { FlaggerObjects } from '../engines/flagger';
import { EngineHandover, ProgressionEngine } from '../engines/progression';
import { ResolvedProgression } from '../engines/resolve';
import { CanaryBaseProps, CommonSpec, effectiveNamespace, hasCanary, resolveCommonProps, serviceHost } from './common-props';
import { addArgoRollout, addFlaggerCanary, ArgoRolloutRequest, argoRuns, engineCreatedObjects, FlaggerCanaryRequest } from './engine-objects';
import { addService, objectMetadata } from './exposure';
import { checkMeshPods } from './mesh-pods';
import { registerCanary, routeClaim, RouteClaimOptions } from './registration';
import { addTrackScaling, TrackScaling } from './scaling';
import { createTracks, routedSplit, TrackDeployments, TrackSplit } from './tracks';

/**
 * The core every canary strategy is built on: validates the common props, owns the two track
 * Deployments and the Services, and knows the names, labels and selectors of everything.
 * A strategy validates its own props, decides the replica split, then calls `addTracks`.
 */
// The work is done by the parts beside this file (common-props, tracks, scaling, exposure,
// engine-objects, mesh-pods, registration); this class holds their state and assembles them.
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
  /**
   * The common props, checked: what every part, and a strategy's own props check, reads.
   * @internal
   */
  protected readonly _spec: CommonSpec;
  private readonly kind: string;
  private readonly escapesAtStart: number;
  private engineObjects: { argo?: ArgoObjects; flagger?: FlaggerObjects } = {};
  /**
   * What the engine will create at run time, claimed like the objects this construct emits: the
   * names every Flagger provider shares from the start, made exact by `_addFlaggerCanary` or
   * `_addArgoRollout`.
   */
  private engineCreated: EngineCreatedObject[] = [];
  private readonly routeClaims: Claim[] = [];
  private split?: TrackSplit;
  private deployments?: TrackDeployments;
  private scaling: TrackScaling = { autoscalers: {}, budgets: {} };

  /**
   * @param everyObjectPrefixes router annotation prefixes this strategy accepts in `annotations`
   * because its router reads them from every object that carries them (ALB: Services override the
   * Ingress per target group); the strategy refuses the keys it owns itself.
   */
  protected constructor(scope: Construct, id: string, kind: string, props: CanaryBaseProps, fields: Readonly<Record<string, true>>, everyObjectPrefixes: string[] = []) {
    super(scope, id);
    this.kind = kind;
    this.escapesAtStart = escapeCount();
    this._check = new PropChecker(kind, this.node.path);
    try {
      const spec = resolveCommonProps(this._check, kind, props, fields, { id, chartNamespace: Chart.of(this).namespace, cluster: this.node.tryGetContext(CLUSTER_CONTEXT) }, everyObjectPrefixes);
      this._spec = spec;
      this.name = spec.name;
      this.namespace = spec.namespace;
      this.port = spec.port;
      this.containerPort = spec.containerPort;
      this.protocol = spec.protocol;
      this._weightGiven = spec.weightGiven;
      this.weight = spec.weight;
      this.serviceName = spec.serviceName;
      this._stableTrack = spec.stableTrack;
      this._canaryTrack = spec.canaryTrack;
      this._progression = spec.progression;
      // A node port is open on every node: unique in the cluster, not only in a namespace.
      const nodePort = spec.exposure.nodePort;
      if (nodePort !== undefined) this._claimRoute('nodePort', `node-port|${nodePort}`, `node port ${nodePort}`);
      if (spec.progression.engine === ProgressionEngine.FLAGGER) this.engineCreated = engineCreatedObjects(spec);
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
    return this.scaling.autoscalers.stable;
  }

  /** The canary track's HorizontalPodAutoscaler `<name>-canary`, with `canary.autoscaling`. */
  public get canaryAutoscaler(): kplus.k8s.KubeHorizontalPodAutoscalerV2 | undefined {
    return this.scaling.autoscalers.canary;
  }

  /** The stable track's PodDisruptionBudget `<name>`; undefined with `disruptionBudgets: false`. */
  public get stableDisruptionBudget(): kplus.k8s.KubePodDisruptionBudget | undefined {
    return this.scaling.budgets.stable;
  }

  /** The canary track's PodDisruptionBudget `<name>-canary`; undefined in steady state or with `disruptionBudgets: false`. */
  public get canaryDisruptionBudget(): kplus.k8s.KubePodDisruptionBudget | undefined {
    return this.scaling.budgets.canary;
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
    return serviceHost(this._spec);
  }

  /**
   * Labels every object of this canary carries.
   * @internal
   */
  protected get _objectLabels(): Record<string, string> {
    return objectLabels(this._spec.labelSource);
  }

  /**
   * Metadata for an object of this canary named `<name>` plus `suffix`.
   * @internal
   */
  protected _objectMetadata(suffix = '', extraAnnotations: Record<string, string> = {}, extraProp = 'annotations'): ObjectMetadata {
    return objectMetadata(this._spec, suffix, extraAnnotations, extraProp);
  }

  /**
   * The split of the L7 strategies, where pods do not decide traffic (see tracks.ts routedSplit).
   * @internal
   */
  protected _routedSplit(targetedWeights: readonly number[] = [], ordinaryWeight: number = this.weight): TrackSplit {
    return routedSplit(this._spec, targetedWeights, ordinaryWeight);
  }

  /**
   * Creates the track Deployments with `split`, and their autoscalers and disruption budgets;
   * call once, after the strategy's own checks.
   * @internal
   */
  protected _addTracks(split: TrackSplit): void {
    const deployments = createTracks(this, this._spec, split, this._portProtocol.name);
    this.scaling = addTrackScaling(this, this._spec, deployments);
    this.split = split;
    this.deployments = deployments;
  }

  /**
   * True when there is a canary to target: the canary track, or one an engine will start.
   * @internal
   */
  protected get _hasCanary(): boolean {
    return hasCanary(this._spec);
  }

  /**
   * True when Argo Rollouts runs the canary (not in a handover commit): the strategy emits its
   * routing in the shape Argo drives and calls `_addArgoRollout`.
   * @internal
   */
  protected get _argoRuns(): boolean {
    return argoRuns(this._progression);
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
  protected _addArgoRollout(request: ArgoRolloutRequest): void {
    const progression = this._progression;
    if (progression.engine !== ProgressionEngine.ARGO_ROLLOUTS) return;
    this.engineCreated = engineCreatedObjects(this._spec, undefined, request.trafficRouting);
    this.engineObjects.argo = addArgoRollout(this, this._spec, progression, request, this.engineInputs());
  }

  /**
   * Flagger's Canary `<name>` (and MetricTemplates) targeting the stable Deployment; call after
   * `_addTracks`. `service` adds the strategy's fields to the apex Service every strategy gives
   * (name, port, target port, port name); `matches` become its A/B match (`nginx`: ingress-nginx's
   * canary-by-cookie). Not in a handover commit: towards Flagger it comes one
   * commit later, away from Flagger its deletion is what hands the service back.
   * @internal
   */
  protected _addFlaggerCanary(request: FlaggerCanaryRequest): void {
    const progression = this._progression;
    if (progression.engine !== ProgressionEngine.FLAGGER) return;
    this.engineCreated = engineCreatedObjects(this._spec, request);
    this.engineObjects.flagger = addFlaggerCanary(this, this._spec, progression, request, this.engineInputs());
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
    return addService(this, this._spec, this._portProtocol, id, name, track);
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

  /**
   * The rules an Istio sidecar imposes on the pods it joins (see mesh-pods.ts).
   * @internal
   */
  protected _checkMeshPods(router: string): void {
    checkMeshPods(this._spec, router);
  }

  /**
   * The namespace the objects land in: the construct's, else where `kubectl apply` puts them.
   * @internal
   */
  protected get _effectiveNamespace(): string {
    return effectiveNamespace(this._spec);
  }

  /**
   * Claims a route for this construct alone (e.g. a host for mesh traffic), checked app-wide
   * when the construct is registered.
   * @internal
   */
  protected _claimRoute(prop: string, key: string, what: string, options: RouteClaimOptions = {}): void {
    this._claimRoutes([routeClaim(prop, key, what, options)]);
  }

  /**
   * Claims routes a strategy's props check worked out (see registration.ts routeClaim).
   * @internal
   */
  protected _claimRoutes(claims: readonly Claim[]): void {
    this.routeClaims.push(...claims);
  }

  /**
   * The last step of every strategy's constructor (see registration.ts).
   * @internal
   */
  protected _register(): void {
    registerCanary(this, this._spec, {
      engineCreated: this.engineCreated, routeClaims: this.routeClaims, propOfObject: (object) => this._propOfObject(object), escapesAtStart: this.escapesAtStart,
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

  /** What the engine objects take from the other parts. */
  private engineInputs() {
    return {
      metadata: () => this._objectMetadata(),
      stableReplicas: () => this.splitDone().stableReplicas,
      portName: this._portProtocol.name,
      stableAutoscaled: this.scaling.autoscalers.stable !== undefined,
    };
  }

  private built(): TrackDeployments {
    if (!this.deployments) throw new Error(`${this.node.path}: the track Deployments are not built yet`);
    return this.deployments;
  }

  private splitDone(): TrackSplit {
    if (!this.split) throw new Error(`${this.node.path}: the replica split is not decided yet`);
    return this.split;
  }
}
