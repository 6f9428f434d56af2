import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { resolveAutoscaling, ResolvedAutoscaling, TrackAutoscalingProps } from './autoscaling';
import { spreadPods } from './availability';
import { dataMap } from './data-keys';
import { parseImage, pinsVersion } from './image';
import { deploymentLabels, LabelSource, podLabels, Track, trackSelector, trackSuffix } from './labels';
import {
  checkProbe, ProbeKind, resolveCapabilities, resolveEnvVariables, resolveProbe, resolvePullPolicy, resolveResources,
} from './pass-through';
import { containerPortHint } from './port-hints';
import { INT32_MAX, isLabelValue, PropChecker } from './validate';

/**
 * Security settings of one track's pods.
 *
 * The defaults meet the Pod Security Standards *restricted* profile: non-root, no privilege
 * escalation, every capability dropped, the runtime's default seccomp profile. Setting
 * `runAsNonRoot: false` (an image that must run as root) or `allowPrivilegeEscalation: true`
 * leaves *restricted* for that track only; its namespace must then admit *baseline* pods.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export interface TrackSecurityProps {
  /**
   * Require the container to run as a non-root user. Set `false` only for an image that must run
   * as root; prefer `runAsUser` with an unprivileged UID, which keeps *restricted*.
   * @default true
   */
  readonly runAsNonRoot?: boolean;
  /**
   * UID the container runs as; overrides the image's `USER`.
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * GID the container runs as.
   * @default - the image's group
   */
  readonly runAsGroup?: number;
  /**
   * GID that owns mounted volumes.
   * @default - none
   */
  readonly fsGroup?: number;
  /**
   * Mount the root filesystem read-only. An `emptyDir` is mounted on `/tmp` while it is.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Allow a process to gain more privileges than its parent (setuid binaries).
   * @default false
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Capabilities to add back after dropping ALL, as cdk8s-plus-28 `Capability` values.
   * *restricted* allows only `NET_BIND_SERVICE`.
   * @default - none
   */
  readonly addCapabilities?: kplus.Capability[];
}

/**
 * One track (stable or canary) of a canary: its image and the container settings a real service
 * needs. Both tracks share the port; everything else may differ between them.
 */
export interface CanaryTrackProps {
  /**
   * Container image, e.g. `honester/hello-server:v1` or `repo/app@sha256:…`.
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-names
   */
  readonly image: string;
  /**
   * Value of the pods' `version` and `app.kubernetes.io/version` labels. Never used in a selector.
   * @default - the image tag when it is a valid label value, else the track name (`stable` / `canary`)
   */
  readonly version?: string;
  /**
   * Number of pods of this track. `ReplicaCanary` derives it from `replicas` and `weight` instead.
   * @default - 2 for stable; the stable track's count for canary, so the canary can take all traffic
   */
  readonly replicas?: number;
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables from Secrets, ConfigMaps or pod fields, as `EnvValue`s of cdk8s-plus-28
   * (the cdk8s-plus this library is built on; objects of another cdk8s-plus are refused).
   * @default - none
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  /**
   * CPU and memory requests and limits: cdk8s-plus-28 `Cpu` and cdk8s `Size` values.
   * @default - requests 100m CPU / 128Mi memory, limits 1 CPU / 512Mi memory
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Readiness probe (a cdk8s-plus-28 `Probe`): only ready pods receive traffic, which keeps the split honest.
   * @default - a TCP check of the container port every 10 s
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe (a cdk8s-plus-28 `Probe`).
   * @default - none
   */
  readonly liveness?: kplus.Probe;
  /**
   * Startup probe (a cdk8s-plus-28 `Probe`).
   * @default - a TCP check of the container port every 5 s, for up to 5 minutes
   */
  readonly startup?: kplus.Probe;
  /**
   * Entrypoint, replacing the image's `ENTRYPOINT`.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments, replacing the image's `CMD`.
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Image pull policy (cdk8s-plus-28 `ImagePullPolicy`).
   * @default - `IfNotPresent` for images pinned by tag or digest, `Always` for `:latest` and untagged images
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * Security settings; the defaults meet Pod Security Standards *restricted*.
   * @default - restricted
   */
  readonly securityContext?: TrackSecurityProps;
  /**
   * Annotations on this track's pods (e.g. `prometheus.io/scrape`, `sidecar.istio.io/*`).
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * An `autoscaling/v2` HorizontalPodAutoscaler for this track (instead of `replicas`): the
   * Deployment then leaves `spec.replicas` to it. Not with ReplicaCanary, whose split is the pod ratio.
   * @default - a fixed number of pods (`replicas`)
   */
  readonly autoscaling?: TrackAutoscalingProps;
  /**
   * Spread this track's pods over zones and nodes, softly (`whenUnsatisfiable: ScheduleAnyway`: it
   * never leaves a pod pending).
   * @default true
   */
  readonly spread?: boolean;
}

/** A track's props after validation, in the form the Deployment is built from. */
export interface ResolvedTrack {
  readonly track: Track;
  /** `stable` or `canary`: the prop path of this track, for errors found while building. */
  readonly prop: string;
  readonly image: string;
  readonly version: string;
  /**
   * Whether the version changes with each release: given, or an image tag other than `latest`
   * (not the track name a digest-only or `latest` image falls back to).
   */
  readonly versionDistinguishes: boolean;
  /** Replicas as the user gave them; each strategy decides the default. */
  readonly replicas?: number;
  /** Environment variables, plain and from sources, keyed for cdk8s (see data-keys.ts). */
  readonly env: Record<string, kplus.EnvValue>;
  readonly resources?: kplus.ContainerResources;
  readonly probes: { readonly [kind in ProbeKind]?: kplus.Probe };
  readonly command?: string[];
  readonly args?: string[];
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  readonly security: ResolvedSecurity;
  /** Pod annotations, keyed for cdk8s (see data-keys.ts). */
  readonly podAnnotations: Record<string, string>;
  readonly autoscaling?: ResolvedAutoscaling;
  readonly spread: boolean;
}

/** A track's security settings with every default applied. */
export interface ResolvedSecurity {
  readonly runAsNonRoot: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly allowPrivilegeEscalation: boolean;
  readonly addCapabilities?: kplus.Capability[];
}

/** Environment variable names the API server accepts (IsEnvVarName). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const UID_RANGE = { min: 0, max: INT32_MAX };
/**
 * The UID and GID pods run as unless the track says otherwise: numeric, so that the kubelet can
 * prove `runAsNonRoot` for any image (an image whose USER is root or a name such as `nonroot`
 * is refused without one), and 65532, the `nonroot` user of distroless and Chainguard images.
 */
export const DEFAULT_UID = 65532;

const TRACK_FIELDS: Record<keyof CanaryTrackProps, true> = {
  image: true, version: true, replicas: true, env: true, envVariables: true, resources: true, readiness: true, liveness: true, startup: true,
  command: true, args: true, imagePullPolicy: true, securityContext: true, podAnnotations: true, autoscaling: true, spread: true,
};
const SECURITY_FIELDS: Record<keyof TrackSecurityProps, true> = {
  runAsNonRoot: true, runAsUser: true, runAsGroup: true, fsGroup: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: true, addCapabilities: true,
};

/** Validates one track's props; `prop` is `stable` or `canary`. */
export function resolveTrack(check: PropChecker, prop: string, track: Track, value: CanaryTrackProps | undefined): ResolvedTrack {
  const props = check.object(prop, value, true, TRACK_FIELDS)!;
  const image = check.string(`${prop}.image`, props.image);
  const ref = parseImage(image);
  if (!ref) {
    check.fail(`${prop}.image`, `must be an image reference like "registry.example.com/team/app:1.2.3" (lower-case repository, optional :tag and @sha256:digest, no spaces), got ${JSON.stringify(image)}`);
  }
  const version = props.version === undefined
    ? (ref.tag !== undefined && isLabelValue(ref.tag) ? ref.tag : track)
    : check.labelValue(`${prop}.version`, props.version);
  if (version === '') check.fail(`${prop}.version`, 'must not be empty');
  const replicas = check.integer(`${prop}.replicas`, props.replicas, { min: 0, max: INT32_MAX });
  const plain = Object.entries(check.stringMap(`${prop}.env`, props.env)).map(([name, text]) => [name, kplus.EnvValue.fromValue(text)] as const);
  const sourced = resolveEnvVariables(check, `${prop}.envVariables`, props.envVariables);
  const names = new Set<string>();
  const envName = (envProp: string, name: string) => {
    if (!ENV_NAME.test(name)) {
      check.fail(envProp, `name ${JSON.stringify(name)} is not a valid environment variable name (letters, digits, "_", "-" and ".", not starting with a digit)`);
    }
    // apimachinery validation.IsEnvVarName's hasChDirPrefix: the API server refuses ".", ".." and names starting with "..".
    if (name === '.' || name.startsWith('..')) {
      check.fail(envProp, `name ${JSON.stringify(name)} is refused by the API server: an environment variable name must not be "." or "..", nor start with ".."`);
    }
  };
  for (const [name] of plain) {
    envName(`${prop}.env`, name);
    names.add(name);
  }
  for (const [name] of sourced) {
    envName(`${prop}.envVariables`, name);
    if (names.has(name)) check.fail(`${prop}.envVariables`, `sets ${JSON.stringify(name)}, which ${prop}.env sets too; set each variable once`);
  }
  const security = check.object(`${prop}.securityContext`, props.securityContext, false, SECURITY_FIELDS) ?? {};
  const sec = `${prop}.securityContext`;
  const resolved: ResolvedSecurity = {
    runAsNonRoot: check.boolean(`${sec}.runAsNonRoot`, security.runAsNonRoot, true),
    runAsUser: check.integer(`${sec}.runAsUser`, security.runAsUser, UID_RANGE),
    runAsGroup: check.integer(`${sec}.runAsGroup`, security.runAsGroup, UID_RANGE),
    fsGroup: check.integer(`${sec}.fsGroup`, security.fsGroup, UID_RANGE),
    readOnlyRootFilesystem: check.boolean(`${sec}.readOnlyRootFilesystem`, security.readOnlyRootFilesystem, true),
    allowPrivilegeEscalation: check.boolean(`${sec}.allowPrivilegeEscalation`, security.allowPrivilegeEscalation, false),
    addCapabilities: resolveCapabilities(check, `${sec}.addCapabilities`, security.addCapabilities),
  };
  if (resolved.runAsNonRoot && resolved.runAsUser === 0) {
    check.fail(`${sec}.runAsUser`, 'is 0 (root) while runAsNonRoot is true, so the kubelet would refuse to start the pod; use a non-zero UID, or set runAsNonRoot: false to run as root (leaves Pod Security "restricted")');
  }
  const nonRootDefault = resolved.runAsNonRoot ? DEFAULT_UID : undefined;
  const resources = resolveResources(check, `${prop}.resources`, props.resources);
  const autoscaling = resolveAutoscaling(check, `${prop}.autoscaling`, props.autoscaling, resources);
  if (autoscaling && replicas !== undefined) {
    check.fail(`${prop}.replicas`, `is ${replicas} while ${prop}.autoscaling is set; give one of them (with autoscaling the Deployment leaves its replicas to the autoscaler, between minReplicas and maxReplicas)`);
  }
  return {
    track,
    prop,
    image,
    version,
    versionDistinguishes: props.version !== undefined || (ref.tag !== undefined && ref.tag !== 'latest' && version === ref.tag),
    replicas,
    env: dataMap([...plain, ...sourced]),
    resources,
    autoscaling,
    spread: check.boolean(`${prop}.spread`, props.spread, true),
    probes: {
      readiness: resolveProbe(check, `${prop}.readiness`, props.readiness),
      liveness: resolveProbe(check, `${prop}.liveness`, props.liveness),
      startup: resolveProbe(check, `${prop}.startup`, props.startup),
    },
    command: check.stringList(`${prop}.command`, props.command),
    args: check.stringList(`${prop}.args`, props.args),
    imagePullPolicy: resolvePullPolicy(check, `${prop}.imagePullPolicy`, props.imagePullPolicy),
    podAnnotations: dataMap(Object.entries(check.annotations(`${prop}.podAnnotations`, props.podAnnotations))),
    security: {
      ...resolved,
      runAsUser: resolved.runAsUser ?? nonRootDefault,
      runAsGroup: resolved.runAsGroup ?? (resolved.runAsUser === undefined ? nonRootDefault : undefined),
    },
  };
}

/** What a track's Deployment needs to know about its canary. */
export interface TrackOwner {
  readonly name: string;
  readonly namespace?: string;
  readonly containerPort: number;
  readonly labels: LabelSource;
  readonly containerName: string;
  /** Annotations of every object (validated). */
  readonly annotations: Readonly<Record<string, string>>;
  /** Name of the container port: the protocol's, like the Service port's. */
  readonly portName: string;
  /** Whether the user gave containerPort (else it is the Service port). */
  readonly containerPortGiven: boolean;
}

/**
 * The Deployment of one track: `<name>` or `<name>-canary`, selecting `app` + `track` only.
 * Its id (`StableDeployment` / `CanaryDeployment`) is part of the API: it keeps the construct
 * path, and so the object, the same across releases.
 */
export function createTrackDeployment(scope: Construct, owner: TrackOwner, track: ResolvedTrack, replicas: number, check: PropChecker): kplus.Deployment {
  const security = track.security;
  const tcpCheck = (options: kplus.ProbeOptions) => kplus.Probe.fromTcpSocket({ port: owner.containerPort, ...options });
  const isStable = track.track === Track.STABLE;
  const deployment = new kplus.Deployment(scope, isStable ? 'StableDeployment' : 'CanaryDeployment', {
    metadata: {
      name: owner.name + trackSuffix(track.track),
      namespace: owner.namespace,
      labels: deploymentLabels(owner.labels, track.track),
      annotations: Object.keys(owner.annotations).length > 0 ? dataMap(Object.entries(owner.annotations)) : undefined,
    },
    // cdk8s-plus's default selector is a hash of the construct path; ours is explicit and stable.
    select: false,
    // An autoscaled track leaves replicas to its autoscaler (createAutoscaler marks the Deployment).
    replicas: track.autoscaling ? undefined : replicas,
    podMetadata: {
      labels: podLabels(owner.labels, track.track, track.version),
      annotations: Object.keys(track.podAnnotations).length > 0 ? track.podAnnotations : undefined,
    },
    securityContext: {
      ensureNonRoot: security.runAsNonRoot,
      user: security.runAsUser,
      group: security.runAsGroup,
      fsGroup: security.fsGroup,
    },
    containers: [{
      name: owner.containerName,
      image: track.image,
      imagePullPolicy: track.imagePullPolicy
        ?? (pinsVersion(parseImage(track.image)!) ? kplus.ImagePullPolicy.IF_NOT_PRESENT : kplus.ImagePullPolicy.ALWAYS),
      ports: [{ number: owner.containerPort, name: owner.portName }],
      command: track.command,
      args: track.args,
      envVariables: track.env,
      resources: track.resources ?? DEFAULT_RESOURCES,
      readiness: track.probes.readiness ?? tcpCheck({ periodSeconds: Duration.seconds(10) }),
      liveness: track.probes.liveness,
      startup: track.probes.startup ?? tcpCheck({ periodSeconds: Duration.seconds(5), failureThreshold: 60 }),
      securityContext: {
        ensureNonRoot: security.runAsNonRoot,
        user: security.runAsUser,
        group: security.runAsGroup,
        privileged: false,
        readOnlyRootFilesystem: security.readOnlyRootFilesystem,
        allowPrivilegeEscalation: security.allowPrivilegeEscalation,
        capabilities: { drop: [kplus.Capability.ALL], add: security.addCapabilities },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      volumeMounts: security.readOnlyRootFilesystem
        ? [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, `${isStable ? 'Stable' : 'Canary'}TmpVolume`, 'tmp') }]
        : undefined,
    }],
  });
  // cdk8s-plus points a probe without a port at `container.portNumber`, else at port 80; the port
  // is declared through `ports` (to name it), which leaves portNumber unset. Without this, a
  // user's `Probe.fromHttpGet('/ready')` would check port 80 whatever containerPort is.
  (deployment.containers[0] as { portNumber?: number }).portNumber = owner.containerPort;
  // The user's probes, rendered now for the container they belong to, so that a probe the API
  // server would refuse (or one cdk8s-plus cannot render) fails here, naming the prop.
  for (const kind of ['readiness', 'liveness', 'startup'] as const) {
    const probe = track.probes[kind];
    const port = probe && checkProbe(check, `${track.prop}.${kind}`, kind, probe, deployment.containers[0]);
    if (port !== undefined && port !== owner.containerPort) {
      check.warn(`${track.prop}.${kind}`, `checks port ${port}, which the container does not declare (containerPort is ${owner.containerPort}); if the application listens on ${port}, set containerPort: ${port}, which the Services then forward to`);
    }
  }
  const hint = containerPortHint({
    image: parseImage(track.image)!,
    containerPort: owner.containerPort,
    containerPortGiven: owner.containerPortGiven,
    customCommand: track.command !== undefined || track.args !== undefined || Object.keys(track.env).some((name) => name.toUpperCase().includes('PORT')),
  });
  if (hint) check.warn(`${track.prop}.image`, hint);
  deployment.select(kplus.LabelSelector.of({ labels: trackSelector(owner.name, track.track) }));
  if (track.spread) spreadPods(deployment, trackSelector(owner.name, track.track));
  // cdk8s-plus addresses pods (for its network-policy and affinity helpers) by a hash of the
  // construct path. The Deployment name is as unique in its namespace, readable, and does not
  // roll the pods when the app's construct tree is reorganised.
  deployment.podMetadata.addLabel(kplus.Pod.ADDRESS_LABEL, deployment.name);
  return deployment;
}

const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
};
