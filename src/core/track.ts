import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { parseImage, pinsVersion } from './image';
import { deploymentLabels, LabelSource, podLabels, Track, trackSelector, trackSuffix } from './labels';
import { isLabelValue, PropChecker } from './validate';

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
   * Capabilities to add back after dropping ALL. *restricted* allows only `NET_BIND_SERVICE`.
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
   * Environment variables from Secrets, ConfigMaps or pod fields, as cdk8s-plus `EnvValue`s.
   * @default - none
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  /**
   * CPU and memory requests and limits.
   * @default - requests 100m CPU / 128Mi memory, limits 1 CPU / 512Mi memory
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Readiness probe: only ready pods receive traffic, which keeps the split honest.
   * @default - a TCP check of the container port every 10 s
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: kplus.Probe;
  /**
   * Startup probe.
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
   * Image pull policy.
   * @default - `IfNotPresent` for images pinned by tag or digest, `Always` for `:latest` and untagged images
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * Security settings; the defaults meet Pod Security Standards *restricted*.
   * @default - restricted
   */
  readonly securityContext?: TrackSecurityProps;
}

/** A track's props after validation. */
export interface ResolvedTrack {
  readonly track: Track;
  readonly props: CanaryTrackProps;
  readonly image: string;
  readonly version: string;
  /** Replicas as the user gave them; each strategy decides the default. */
  readonly replicas?: number;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const MAX_REPLICAS = 2147483647;
const UID_RANGE = { min: 0, max: 2147483647 };

/** Validates one track's props; `prop` is `stable` or `canary`. */
export function resolveTrack(check: PropChecker, prop: string, track: Track, value: CanaryTrackProps | undefined): ResolvedTrack {
  const props = check.object(prop, value, true)!;
  const image = check.string(`${prop}.image`, props.image);
  const ref = parseImage(image);
  if (!ref) {
    check.fail(`${prop}.image`, `must be an image reference like "registry.example.com/team/app:1.2.3" (lower-case repository, optional :tag and @sha256:digest, no spaces), got ${JSON.stringify(image)}`);
  }
  const version = props.version === undefined
    ? (ref.tag !== undefined && isLabelValue(ref.tag) ? ref.tag : track)
    : check.labelValue(`${prop}.version`, props.version);
  if (version === '') check.fail(`${prop}.version`, 'must not be empty');
  const replicas = check.integer(`${prop}.replicas`, props.replicas, { min: 0, max: MAX_REPLICAS });
  const env = check.stringMap(`${prop}.env`, props.env);
  const envVariables = check.object(`${prop}.envVariables`, props.envVariables, false) ?? {};
  for (const name of [...Object.keys(env), ...Object.keys(envVariables)]) {
    if (!ENV_NAME.test(name)) {
      check.fail(`${prop}.env`, `name ${JSON.stringify(name)} is not a valid environment variable name (letters, digits, "_", "-" and ".", not starting with a digit)`);
    }
    if (name in env && name in envVariables) {
      check.fail(`${prop}.envVariables`, `sets ${JSON.stringify(name)}, which ${prop}.env sets too; set each variable once`);
    }
  }
  check.stringList(`${prop}.command`, props.command);
  check.stringList(`${prop}.args`, props.args);
  const security = check.object(`${prop}.securityContext`, props.securityContext, false) ?? {};
  const nonRoot = check.boolean(`${prop}.securityContext.runAsNonRoot`, security.runAsNonRoot, true);
  const user = check.integer(`${prop}.securityContext.runAsUser`, security.runAsUser, UID_RANGE);
  check.integer(`${prop}.securityContext.runAsGroup`, security.runAsGroup, UID_RANGE);
  check.integer(`${prop}.securityContext.fsGroup`, security.fsGroup, UID_RANGE);
  check.boolean(`${prop}.securityContext.readOnlyRootFilesystem`, security.readOnlyRootFilesystem, true);
  check.boolean(`${prop}.securityContext.allowPrivilegeEscalation`, security.allowPrivilegeEscalation, false);
  if (nonRoot && user === 0) {
    check.fail(`${prop}.securityContext.runAsUser`, 'is 0 (root) while runAsNonRoot is true, so the kubelet would refuse to start the pod; use a non-zero UID, or set runAsNonRoot: false to run as root (leaves Pod Security "restricted")');
  }
  return { track, props, image, version, replicas };
}

/** What a track's Deployment needs to know about its canary. */
export interface TrackOwner {
  readonly name: string;
  readonly namespace?: string;
  readonly containerPort: number;
  readonly labels: LabelSource;
}

/** Name of the container port, referenced by Services and probes. */
export const CONTAINER_PORT_NAME = 'http';

/**
 * The Deployment of one track: `<name>` or `<name>-canary`, selecting `app` + `track` only.
 * Its id (`StableDeployment` / `CanaryDeployment`) is part of the API: it keeps the construct
 * path, and so the object, the same across releases.
 */
export function createTrackDeployment(scope: Construct, owner: TrackOwner, track: ResolvedTrack, replicas: number): kplus.Deployment {
  const props = track.props;
  const security = props.securityContext ?? {};
  const readOnlyRoot = security.readOnlyRootFilesystem ?? true;
  const nonRoot = security.runAsNonRoot ?? true;
  const tcpCheck = (options: kplus.ProbeOptions) => kplus.Probe.fromTcpSocket({ port: owner.containerPort, ...options });
  const isStable = track.track === Track.STABLE;
  const deployment = new kplus.Deployment(scope, isStable ? 'StableDeployment' : 'CanaryDeployment', {
    metadata: {
      name: owner.name + trackSuffix(track.track),
      namespace: owner.namespace,
      labels: deploymentLabels(owner.labels, track.track),
    },
    // cdk8s-plus's default selector is a hash of the construct path; ours is explicit and stable.
    select: false,
    replicas,
    podMetadata: { labels: podLabels(owner.labels, track.track, track.version) },
    securityContext: {
      ensureNonRoot: nonRoot,
      user: security.runAsUser,
      group: security.runAsGroup,
      fsGroup: security.fsGroup,
    },
    containers: [{
      name: owner.name,
      image: track.image,
      imagePullPolicy: props.imagePullPolicy
        ?? (pinsVersion(parseImage(track.image)!) ? kplus.ImagePullPolicy.IF_NOT_PRESENT : kplus.ImagePullPolicy.ALWAYS),
      ports: [{ number: owner.containerPort, name: CONTAINER_PORT_NAME }],
      command: props.command,
      args: props.args,
      envVariables: {
        ...Object.fromEntries(Object.entries(props.env ?? {}).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)])),
        ...props.envVariables,
      },
      resources: props.resources ?? DEFAULT_RESOURCES,
      readiness: props.readiness ?? tcpCheck({ periodSeconds: Duration.seconds(10) }),
      liveness: props.liveness,
      startup: props.startup ?? tcpCheck({ periodSeconds: Duration.seconds(5), failureThreshold: 60 }),
      securityContext: {
        ensureNonRoot: nonRoot,
        user: security.runAsUser,
        group: security.runAsGroup,
        privileged: false,
        readOnlyRootFilesystem: readOnlyRoot,
        allowPrivilegeEscalation: security.allowPrivilegeEscalation ?? false,
        capabilities: { drop: [kplus.Capability.ALL], add: security.addCapabilities },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      volumeMounts: readOnlyRoot
        ? [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, `${isStable ? 'Stable' : 'Canary'}TmpVolume`, 'tmp') }]
        : undefined,
    }],
  });
  deployment.select(kplus.LabelSelector.of({ labels: trackSelector(owner.name, track.track) }));
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
