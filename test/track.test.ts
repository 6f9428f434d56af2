import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { CanaryTrackProps, ReplicaCanary } from '../src';
import { expectConfigError, find, Manifest, synth } from './util/synth';

function podSpecs(stable: CanaryTrackProps, canary?: CanaryTrackProps): { stable: Manifest; canary?: Manifest } {
  const { manifests } = synth((chart) => new ReplicaCanary(chart, 'hello', { stable, canary, replicas: 2, weight: canary ? 50 : 0 }));
  const spec = (name: string) => manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name)?.spec.template;
  return { stable: spec('hello'), canary: spec('hello-canary') };
}

describe('track Deployments', () => {
  test('pods carry app, version, track and the app.kubernetes.io labels; selectors use app + track only', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'hello', {
      stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, replicas: 2, weight: 50, partOf: 'shop', labels: { team: 'payments' },
    }));
    const stable = find(manifests, 'Deployment', 'hello');
    const canary = find(manifests, 'Deployment', 'hello-canary');
    expect(stable.spec.selector).toEqual({ matchLabels: { app: 'hello', track: 'stable' } });
    expect(canary.spec.selector).toEqual({ matchLabels: { app: 'hello', track: 'canary' } });
    expect(canary.spec.template.metadata.labels).toMatchObject({
      'app': 'hello',
      'version': 'v2',
      'track': 'canary',
      'team': 'payments',
      'app.kubernetes.io/name': 'hello',
      'app.kubernetes.io/version': 'v2',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cdk8s-canary',
    });
    expect(stable.metadata.labels).toMatchObject({ app: 'hello', track: 'stable', team: 'payments' });
    expect(find(manifests, 'Service', 'hello').metadata.labels.team).toBe('payments');
  });

  test('the cdk8s-plus pod address label is the Deployment name, not a hash of the construct path', () => {
    const { construct, manifests } = synth((chart) => new ReplicaCanary(chart, 'hello', { stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, replicas: 2, weight: 50 }));
    expect(find(manifests, 'Deployment', 'hello').spec.template.metadata.labels['cdk8s.io/metadata.addr']).toBe('hello');
    expect(find(manifests, 'Deployment', 'hello-canary').spec.template.metadata.labels['cdk8s.io/metadata.addr']).toBe('hello-canary');
    // cdk8s-plus helpers (network policies, affinity) select pods by it and still find them.
    expect(construct.canaryDeployment!.toPodSelectorConfig().labelSelector._toKube().matchLabels).toEqual({ 'cdk8s.io/metadata.addr': 'hello-canary' });
  });

  test('neither Deployment selects the other one\'s pods', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'hello', { stable: { image: 'app:v1' }, canary: { image: 'app:v1' }, replicas: 2, weight: 50 }));
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    for (const selecting of deployments) {
      for (const other of deployments.filter((d) => d !== selecting)) {
        const labels = other.spec.template.metadata.labels;
        const matches = Object.entries(selecting.spec.selector.matchLabels).every(([k, v]) => labels[k] === v);
        expect(matches).toBe(false);
      }
    }
  });

  test.each([
    ['honester/hello-server:v1', 'v1', 'IfNotPresent'],
    ['registry.example.com:5000/team/app:1.2.3', '1.2.3', 'IfNotPresent'],
    ['app:latest', 'latest', 'Always'],
    ['app', 'stable', 'Always'],
    [`app@sha256:${'a'.repeat(64)}`, 'stable', 'IfNotPresent'],
    [`app:v1@sha256:${'b'.repeat(64)}`, 'v1', 'IfNotPresent'],
  ])('image %s: version label %s, pull policy %s', (image, version, policy) => {
    const { stable } = podSpecs({ image });
    expect(stable.metadata.labels.version).toBe(version);
    expect(stable.spec.containers[0].imagePullPolicy).toBe(policy);
  });

  test('a tag that is not a label value falls back to the track name', () => {
    const tag = 'v1.'.padEnd(70, 'x');
    const { stable, canary } = podSpecs({ image: `app:${tag}` }, { image: 'app:x_' });
    expect(stable.metadata.labels.version).toBe('stable');
    expect(canary!.metadata.labels.version).toBe('canary');
  });

  test('an explicit version wins over the tag', () => {
    expect(podSpecs({ image: 'app:v1', version: 'release-7' }).stable.metadata.labels.version).toBe('release-7');
  });

  test('defaults meet Pod Security Standards restricted', () => {
    const { stable } = podSpecs({ image: 'app:v1' });
    const container = stable.spec.containers[0];
    expect(stable.spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(stable.spec.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(stable.spec.volumes).toEqual([{ emptyDir: {}, name: 'tmp' }]);
  });

  test('a track opts out of restricted on its own: root for the canary, stable untouched', () => {
    const { stable, canary } = podSpecs({ image: 'app:v1' }, { image: 'app:v2', securityContext: { runAsNonRoot: false, readOnlyRootFilesystem: false, runAsUser: 0 } });
    expect(canary!.spec.securityContext.runAsNonRoot).toBe(false);
    expect(canary!.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0, readOnlyRootFilesystem: false });
    expect(canary!.spec.volumes).toBeUndefined();
    expect(stable.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  test('an unprivileged UID keeps restricted for an image whose USER is root', () => {
    const { stable } = podSpecs({ image: 'app:v1', securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 } });
    expect(stable.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 });
    expect(stable.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 });
  });

  test('NET_BIND_SERVICE can be added back', () => {
    const { stable } = podSpecs({ image: 'app:v1', securityContext: { addCapabilities: [kplus.Capability.NET_BIND_SERVICE] } });
    expect(stable.spec.containers[0].securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
  });

  test('default resources, readiness and startup probes', () => {
    const container = podSpecs({ image: 'app:v1' }).stable.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(container.readinessProbe).toMatchObject({ tcpSocket: { port: 80 }, periodSeconds: 10 });
    expect(container.startupProbe).toMatchObject({ tcpSocket: { port: 80 }, periodSeconds: 5, failureThreshold: 60 });
    expect(container.livenessProbe).toBeUndefined();
  });

  test('per-track container settings: env, resources, probes, command, args, pull policy', () => {
    const { stable, canary } = podSpecs({ image: 'app:v1' }, {
      image: 'app:v2',
      env: { LOG_LEVEL: 'debug' },
      envVariables: { POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME) },
      resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) } },
      readiness: kplus.Probe.fromHttpGet('/healthz', { port: 80 }),
      liveness: kplus.Probe.fromHttpGet('/livez', { port: 80 }),
      startup: kplus.Probe.fromHttpGet('/startz', { port: 80 }),
      command: ['/app/server'],
      args: ['--verbose'],
      imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
    });
    const c = canary!.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    expect(c.readinessProbe.httpGet.path).toBe('/healthz');
    expect(c.livenessProbe.httpGet.path).toBe('/livez');
    expect(c.startupProbe.httpGet.path).toBe('/startz');
    expect([c.command, c.args, c.imagePullPolicy]).toEqual([['/app/server'], ['--verbose'], 'Always']);
    expect(stable.spec.containers[0].env).toBeUndefined();
  });

  describe('errors', () => {
    const build = (stable: CanaryTrackProps) => (chart: Chart) => new ReplicaCanary(chart, 'hello', { stable });

    test.each([
      ['', 'stable.image', 'must be a non-empty string, got ""'],
      ['app v1', 'stable.image', 'must be an image reference'],
      ['App:v1', 'stable.image', 'must be an image reference'],
      ['app:v1 ', 'stable.image', 'must be an image reference'],
    ])('fails when the image is %j', (image, prop, text) => {
      expectConfigError(build({ image }), prop, text);
    });

    test('fails when stable is missing', () => {
      expectConfigError((chart) => new ReplicaCanary(chart, 'hello', {} as never), 'stable', 'must be an object (it is required), got undefined');
    });

    test('fails when the version is not a label value', () => {
      expectConfigError(build({ image: 'app:v1', version: 'v1 beta' }), 'stable.version', 'must be a label value');
    });

    test('fails when the version is empty', () => {
      expectConfigError(build({ image: 'app:v1', version: '' }), 'stable.version', 'must not be empty');
    });

    test('fails when replicas is negative', () => {
      expectConfigError(build({ image: 'app:v1', replicas: -1 }), 'stable.replicas', 'must be an integer from 0 to 2147483647, got -1');
    });

    test('fails when an env name is invalid', () => {
      expectConfigError(build({ image: 'app:v1', env: { '1BAD': 'x' } }), 'stable.env', 'name "1BAD" is not a valid environment variable name');
    });

    test('fails when an env value is not a string', () => {
      expectConfigError(build({ image: 'app:v1', env: { PORT: 8080 as unknown as string } }), 'stable.env.PORT', 'must be a string, got 8080');
    });

    test('fails when a variable is set in env and envVariables', () => {
      expectConfigError(build({ image: 'app:v1', env: { A: '1' }, envVariables: { A: kplus.EnvValue.fromValue('2') } }), 'stable.envVariables', 'sets "A", which stable.env sets too');
    });

    test('fails when command is not a list of strings', () => {
      expectConfigError(build({ image: 'app:v1', command: ['/bin/app', 3 as unknown as string] }), 'stable.command[1]', 'must be a string, got 3');
    });

    test('fails when runAsUser is 0 while runAsNonRoot holds', () => {
      expectConfigError(build({ image: 'app:v1', securityContext: { runAsUser: 0 } }), 'stable.securityContext.runAsUser', 'is 0 (root) while runAsNonRoot is true');
    });

    test('fails when runAsNonRoot is not a boolean', () => {
      expectConfigError(build({ image: 'app:v1', securityContext: { runAsNonRoot: 'no' as unknown as boolean } }), 'stable.securityContext.runAsNonRoot', 'must be true or false, got "no"');
    });
  });
});
