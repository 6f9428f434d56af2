import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

import { IstioCanary, ReplicaCanary, ServiceType } from '../src';
import { parseImage } from '../src/core/image';
import { knownImagePort } from '../src/core/port-hints';
import { newChart } from './util/synth';

/** Node prints each warning to stderr; the tests read them from the construct and keep stderr quiet. */
let emitted: string[] = [];
const original = process.emitWarning;
beforeEach(() => {
  emitted = [];
  process.emitWarning = ((warning: string | Error) => { emitted.push(String(warning)); }) as typeof process.emitWarning;
});
afterEach(() => {
  process.emitWarning = original;
});

describe('the port a well-known image listens on', () => {
  test('Docker Hub names with or without docker.io/ and library/', () => {
    expect(knownImagePort(parseImage('nginx:1.27')!)).toBe(80);
    expect(knownImagePort(parseImage('docker.io/library/nginx:1.27')!)).toBe(80);
    expect(knownImagePort(parseImage('docker.io/dbdudska113/flask_y:latest')!)).toBe(5000);
    expect(knownImagePort(parseImage('registry.example.com/nginx:1.27')!)).toBeUndefined();
  });

  test('the python-service scenario: containerPort 8080 for an app on 5000 warns, naming what to set', () => {
    const canary = new ReplicaCanary(newChart(), 'python-service', {
      port: 8080, containerPort: 8080, serviceType: ServiceType.NODE_PORT, nodePort: 31532,
      stable: { image: 'dbdudska113/flask_y:latest', replicas: 2 }, canary: { image: 'dbdudska113/flask_y:v3', replicas: 1 },
    });
    expect(canary.warnings).toEqual([
      'ReplicaCanary shop/python-service: stable.image dbdudska113/flask_y listens on 5000, but containerPort is 8080: the default probes check 8080 and the pods would never become ready; set containerPort: 5000 (port, what callers use, can stay)',
      'ReplicaCanary shop/python-service: canary.image dbdudska113/flask_y listens on 5000, but containerPort is 8080: the default probes check 8080 and the pods would never become ready; set containerPort: 5000 (port, what callers use, can stay)',
    ]);
    expect(emitted).toEqual(canary.warnings);
  });

  test('a default containerPort says it is the default', () => {
    const canary = new IstioCanary(newChart(), 'hello', { stable: { image: 'honester/hello-server:v1' } });
    expect(canary.warnings).toEqual([expect.stringContaining('containerPort is 80 (by default, the same as port): the default probes check 80')]);
  });

  test('no warning when the port agrees, or when command, args or a PORT variable may change it', () => {
    const build = (stable: Record<string, unknown>, containerPort?: number) =>
      new ReplicaCanary(newChart(), 'python-service', { port: 8080, containerPort, stable: { image: 'dbdudska113/flask_y:latest', ...stable } }).warnings;
    expect(build({}, 5000)).toEqual([]);
    expect(build({ args: ['--port', '8080'] })).toEqual([]);
    expect(build({ command: ['flask', 'run', '-p', '8080'] })).toEqual([]);
    expect(build({ env: { FLASK_RUN_PORT: '8080' } })).toEqual([]);
    expect(build({ env: { MODE: 'prod' } })).toHaveLength(1);
  });
});

describe('a probe on a port the container does not declare', () => {
  test('warns with the containerPort to set', () => {
    const canary = new ReplicaCanary(newChart(), 'api', {
      port: 80, containerPort: 8080,
      stable: { image: 'registry.example.com/api:1.0', readiness: kplus.Probe.fromHttpGet('/ready', { port: 5000 }) },
    });
    expect(canary.warnings).toEqual([
      'ReplicaCanary shop/api: stable.readiness checks port 5000, which the container does not declare (containerPort is 8080); if the application listens on 5000, set containerPort: 5000, which the Services then forward to',
    ]);
  });

  test('no warning for a probe on the container port, or one without a port (cdk8s-plus uses the container port)', () => {
    const canary = new ReplicaCanary(newChart(), 'api', {
      containerPort: 8080,
      stable: {
        image: 'registry.example.com/api:1.0',
        readiness: kplus.Probe.fromHttpGet('/ready'),
        liveness: kplus.Probe.fromTcpSocket({ port: 8080 }),
      },
    });
    expect(canary.warnings).toEqual([]);
  });

  test('a probe without a port checks the container port in the manifest (cdk8s-plus alone would check 80)', () => {
    const chart = newChart();
    new ReplicaCanary(chart, 'api', {
      containerPort: 8080,
      stable: { image: 'registry.example.com/api:1.0', readiness: kplus.Probe.fromHttpGet('/ready'), liveness: kplus.Probe.fromTcpSocket() },
    });
    const container = Testing.synth(chart).find((m) => m.kind === 'Deployment')!.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080, scheme: 'HTTP' });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(container.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
  });
});
