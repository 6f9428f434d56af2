// A prop of another construct names that construct and this one's equivalent; a cdk8s-plus object
// of another version names both versions.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { readFileSync } from 'fs';
import { join } from 'path';

import { CanaryConfigError, GatewayCanary, IstioCanary, NginxCanary } from '../src';
import { declaredProps } from '../src/core/accepted-props';

const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
const messageOf = (build: () => unknown): string => {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(CanaryConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a CanaryConfigError');
};

describe('another construct\'s prop', () => {
  test('every construct declares its props, and each equivalent is a prop of it that another construct\'s prop stands for', () => {
    const declared = declaredProps();
    expect([...declared.keys()].sort()).toEqual(['AlbCanary', 'GatewayCanary', 'IstioCanary', 'NginxCanary', 'ReplicaCanary']);
    for (const [kind, { fields, equivalents }] of declared) {
      for (const [other, equivalent] of Object.entries(equivalents)) {
        expect([kind, other, Object.prototype.hasOwnProperty.call(fields, other)]).toEqual([kind, other, false]);
        expect([kind, other, [...declared].some(([k, a]) => k !== kind && Object.prototype.hasOwnProperty.call(a.fields, other))]).toEqual([kind, other, true]);
        expect([kind, equivalent, Object.prototype.hasOwnProperty.call(fields, equivalent.split(' ')[0])]).toEqual([kind, equivalent, true]);
      }
    }
  });

  test('names the construct that takes it and says when this one has no equivalent', () => {
    const message = messageOf(() => new GatewayCanary(chart(), 'web', { stable: { image: 'a:1' }, gateway: { name: 'eg' }, fault: {} } as never));
    expect(message).toMatch(/^GatewayCanary shop\/web: fault is not a prop; IstioCanary takes it; GatewayCanary has no equivalent \(known: name, /);
  });

  test('names this construct\'s equivalent', () => {
    expect(messageOf(() => new NginxCanary(chart(), 'web', { stable: { image: 'a:1' }, hostnames: ['shop.example.com'] } as never)))
      .toContain('hostnames is not a prop; GatewayCanary takes it; NginxCanary has host instead (known:');
    expect(messageOf(() => new IstioCanary(chart(), 'web', { stable: { image: 'a:1' }, mesh: true } as never)))
      .toContain('mesh is not a prop; GatewayCanary takes it; IstioCanary has meshTraffic (on by default) instead (known:');
  });

  test('keeps the spelling hint, and adds who takes the prop as written', () => {
    expect(messageOf(() => new NginxCanary(chart(), 'web', { stable: { image: 'a:1' }, hosts: ['shop.example.com'] } as never)))
      .toContain('hosts is not a prop; did you mean host? IstioCanary takes hosts (known:');
    expect(messageOf(() => new IstioCanary(chart(), 'web', { stable: { image: 'a:1' }, wieght: 10 } as never)))
      .toContain('wieght is not a prop; did you mean weight? (known:');
  });

  test('nested props get no cross-construct hint (their fields are the prop\'s own)', () => {
    expect(messageOf(() => new GatewayCanary(chart(), 'web', { stable: { image: 'a:1' }, gateway: { name: 'eg', hosts: [] } } as never)))
      .toContain('gateway.hosts is not a prop (known: name, namespace, sectionName, port)');
  });
});

describe('a cdk8s-plus object of another version', () => {
  test('names the library and version it came from and the one this library takes', () => {
    // As cdk8s-plus-33's classes carry it: jsii records each class's package and version.
    class Probe {}
    Object.defineProperty(Probe, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-33.Probe', version: '2.5.57' } });
    const ours = (kplus.Probe as unknown as Record<symbol, { version: string }>)[Symbol.for('jsii.rtti')].version;
    expect(messageOf(() => new IstioCanary(chart(), 'web', { stable: { image: 'a:1', readiness: new Probe() } } as never)))
      .toContain(`stable.readiness must be a cdk8s-plus-28 Probe (Probe.fromHttpGet("/healthz"), Probe.fromTcpSocket() or Probe.fromCommand([...])), got {} from cdk8s-plus-33 2.5.57, but this library takes cdk8s-plus-28 ${ours}: import it from the cdk8s-plus-28 this app depends on`);
  });

  test('the README quotes the message with the version this library takes', () => {
    const ours = (kplus.Probe as unknown as Record<symbol, { version: string }>)[Symbol.for('jsii.rtti')].version;
    expect(readFileSync(join(__dirname, '..', 'README.md'), 'utf8')).toContain(`"from cdk8s-plus-33 2.5.57, but this library takes cdk8s-plus-28 ${ours}".`);
  });

  test('says "another copy or version" when the object does not say where it came from', () => {
    class Cpu {}
    expect(messageOf(() => new IstioCanary(chart(), 'web', { stable: { image: 'a:1', resources: { cpu: { request: new Cpu() } } } } as never)))
      .toMatch(/stable\.resources\.cpu\.request must be a cdk8s-plus-28 Cpu .* from another copy or version of cdk8s-plus-28 \(this library takes cdk8s-plus-28 \d+\.\d+\.\d+\): import it/);
  });
});
