import { App, Chart } from 'cdk8s';

import { CanaryBaseProps, CanaryConfigError, ReplicaCanary } from '../src';
import { expectConfigError, find, newChart, synth } from './util/synth';

// The common props are checked once, in the core; ReplicaCanary stands in for every strategy here.
const base: CanaryBaseProps = { stable: { image: 'app:v1' }, canary: { image: 'app:v2' } };
const build = (props: Partial<CanaryBaseProps>, id = 'hello') => (chart: Chart) => new ReplicaCanary(chart, id, { ...base, replicas: 2, ...props });

describe('common props', () => {
  test('name defaults to the construct id and names every object', () => {
    const { manifests } = synth(build({}, 'checkout'));
    expect(find(manifests, 'Deployment', 'checkout').metadata.namespace).toBe('shop');
    expect(find(manifests, 'Deployment', 'checkout-canary').spec.selector.matchLabels.app).toBe('checkout');
  });

  test('name and namespace props override the id and the chart namespace', () => {
    const { construct, manifests } = synth(build({ name: 'cart', namespace: 'orders' }));
    expect(find(manifests, 'Service', 'cart').metadata.namespace).toBe('orders');
    expect(construct.serviceHost()).toBe('cart.orders.svc.cluster.local');
  });

  test('without any namespace, objects have none and the host is the short name', () => {
    const { construct, manifests } = synth(build({}), null);
    expect(find(manifests, 'Service', 'hello').metadata.namespace).toBeUndefined();
    expect(construct.namespace).toBeUndefined();
    expect(construct.serviceHost()).toBe('hello');
  });

  test('a 56-character name fits with its -canary suffix', () => {
    const name = 'a'.repeat(56);
    const { manifests } = synth(build({ name }));
    expect(find(manifests, 'Deployment', `${name}-canary`).metadata.name).toHaveLength(63);
  });

  test('the same name in two namespaces is fine', () => {
    const chart = newChart();
    new ReplicaCanary(chart, 'a', { ...base, name: 'hello', namespace: 'one', replicas: 2 });
    expect(() => new ReplicaCanary(chart, 'b', { ...base, name: 'hello', namespace: 'two', replicas: 2 })).not.toThrow();
  });

  test('errors are CanaryConfigErrors naming kind, path and prop', () => {
    const error = expectConfigError(build({ weight: 150 }), 'weight', 'must be an integer from 0 to 100, got 150');
    expect([error.kind, error.constructPath, error.name]).toEqual(['ReplicaCanary', 'shop/hello', 'CanaryConfigError']);
    expect(error.message).toBe('ReplicaCanary shop/hello: weight must be an integer from 0 to 100, got 150');
  });

  describe('errors', () => {
    test.each([
      [{ name: 'Hello' }, 'name', 'must be a DNS-1035 label'],
      [{ name: '1hello' }, 'name', 'must be a DNS-1035 label'],
      [{ name: 'hello-' }, 'name', 'must be a DNS-1035 label'],
      [{ name: '' }, 'name', 'must be a non-empty string, got ""'],
      [{ name: 'a'.repeat(57) }, 'name', 'must be at most 56 characters so that "<name>-canary" fits the 63-character limit'],
      [{ namespace: 'Shop' }, 'namespace', 'must be a DNS-1123 label'],
      [{ namespace: 'a'.repeat(64) }, 'namespace', 'must be a DNS-1123 label'],
      [{ port: 0 }, 'port', 'must be an integer from 1 to 65535, got 0'],
      [{ port: 65536 }, 'port', 'must be an integer from 1 to 65535, got 65536'],
      [{ port: '80' as unknown as number }, 'port', 'must be an integer from 1 to 65535, got "80"'],
      [{ port: 80.5 }, 'port', 'got 80.5'],
      [{ containerPort: NaN }, 'containerPort', 'got NaN'],
      [{ weight: -1 }, 'weight', 'must be an integer from 0 to 100, got -1'],
      [{ weight: 12.5 }, 'weight', 'got 12.5'],
      [{ weight: Infinity }, 'weight', 'got Infinity'],
      [{ weight: '10' as unknown as number }, 'weight', 'got "10"'],
      [{ labels: { app: 'x' } }, 'labels', 'key "app" is set by cdk8s-canary'],
      [{ labels: { 'track': 'x' } }, 'labels', 'key "track" is set by cdk8s-canary'],
      [{ labels: { 'bad key': 'x' } }, 'labels', 'key "bad key" is not a qualified name'],
      [{ labels: { 'Example.com/team': 'x' } }, 'labels', 'has a prefix that is not a DNS-1123 subdomain'],
      [{ labels: { team: 'a b' } }, 'labels.team', 'must be a label value'],
      [{ partOf: 'my shop' }, 'partOf', 'must be a label value'],
    ] as [Partial<CanaryBaseProps>, string, string][])('fails when %j', (props, prop, text) => {
      expectConfigError(build(props), prop, text);
    });

    test('fails when the construct id is not a valid name, pointing at the name prop', () => {
      expectConfigError(build({}, 'Hello'), 'name (default: the construct id)', 'got "Hello"');
    });

    test('fails when the chart namespace is invalid', () => {
      const chart = new Chart(new App(), 'shop', { namespace: 'Shop' });
      expect(() => new ReplicaCanary(chart, 'hello', { ...base, replicas: 2 })).toThrow(
        'ReplicaCanary shop/hello: namespace (default: the chart\'s namespace) must be a DNS-1123 label');
    });

    test('fails when weight is set without a canary', () => {
      expectConfigError((chart) => new ReplicaCanary(chart, 'hello', { stable: { image: 'app:v1' }, weight: 10 }),
        'weight', 'is 10, but there is no canary track to send it to; add canary, or set weight to 0');
    });

    test('fails when props are not an object', () => {
      expectConfigError((chart) => new ReplicaCanary(chart, 'hello', undefined as never), 'props', 'must be an object');
    });

    test('fails when two canaries share a name in one namespace', () => {
      const chart = newChart();
      new ReplicaCanary(chart, 'hello', { ...base, replicas: 2 });
      expect(() => new ReplicaCanary(chart, 'again', { ...base, name: 'hello', replicas: 2 })).toThrow(CanaryConfigError);
      expect(() => new ReplicaCanary(chart, 'again2', { ...base, name: 'hello', replicas: 2 })).toThrow(
        'ReplicaCanary shop/again2: name makes Deployment shop/hello, which ReplicaCanary shop/hello already emits');
      expect(chart.node.tryFindChild('again')).toBeUndefined();
    });
  });
});
