import { Testing } from 'cdk8s';

import { GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary, ServiceType } from '../src';
import { schemaProblems } from './util/schema';
import { expectConfigError, find, Manifest, objectIds, synth } from './util/synth';

const v1 = { image: 'registry.example.com/hello:v1' };
const v2 = { image: 'registry.example.com/hello:v2' };

describe('serviceName: the Service callers use keeps its name', () => {
  test('IstioCanary: Service svc-hello selects app hello; every route and the DestinationRule name svc-hello', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'hello', { serviceName: 'svc-hello', stable: v1, canary: v2, weight: 10 }));
    expect(objectIds(manifests)).toEqual(['Deployment/hello', 'Deployment/hello-canary', 'DestinationRule/hello', 'PodDisruptionBudget/hello', 'PodDisruptionBudget/hello-canary', 'Service/svc-hello', 'VirtualService/hello']);
    expect(find(manifests, 'Service', 'svc-hello').spec.selector).toEqual({ app: 'hello' });
    const vs = find(manifests, 'VirtualService', 'hello');
    expect(vs.spec.hosts).toEqual(['svc-hello']);
    expect(vs.spec.http[0].route.map((r: Manifest) => r.destination.host)).toEqual(['svc-hello', 'svc-hello']);
    expect(find(manifests, 'DestinationRule', 'hello').spec.host).toBe('svc-hello');
    expect(find(manifests, 'Deployment', 'hello').spec.template.metadata.labels.app).toBe('hello');
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('GatewayCanary: the stable backend is svc-hello; in mesh mode it is the parent', () => {
    const ns = synth((chart) => new GatewayCanary(chart, 'hello', { serviceName: 'svc-hello', stable: v1, canary: v2, weight: 10, gateway: { name: 'eg' } })).manifests;
    expect(find(ns, 'HTTPRoute', 'hello').spec.rules[0].backendRefs.map((b: Manifest) => b.name)).toEqual(['svc-hello', 'hello-canary']);
    const mesh = synth((chart) => new GatewayCanary(chart, 'hello', { serviceName: 'svc-hello', stable: v1, canary: v2, weight: 10, mesh: true })).manifests;
    expect(find(mesh, 'HTTPRoute', 'hello').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'svc-hello', port: 80 }]);
    expect(find(mesh, 'HTTPRoute', 'hello').spec.rules[0].backendRefs.map((b: Manifest) => b.name)).toEqual(['hello-stable', 'hello-canary']);
  });

  test('NginxCanary and ReplicaCanary: the main Ingress and the Service use svc-hello', () => {
    const nginx = synth((chart) => new NginxCanary(chart, 'hello', { serviceName: 'svc-hello', stable: v1, canary: v2, weight: 10, host: 'example.com' })).manifests;
    expect(find(nginx, 'Ingress', 'hello').spec.rules[0].http.paths[0].backend.service.name).toBe('svc-hello');
    const replica = synth((chart) => new ReplicaCanary(chart, 'hello', { serviceName: 'svc-hello', stable: v1, canary: v2, replicas: 4, weight: 25 })).manifests;
    expect(objectIds(replica)).toEqual(['Deployment/hello', 'Deployment/hello-canary', 'PodDisruptionBudget/hello', 'PodDisruptionBudget/hello-canary', 'Service/svc-hello']);
  });

  test('fails when serviceName is another object of the construct, or not a Service name', () => {
    expectConfigError((chart) => new GatewayCanary(chart, 'hello', { serviceName: 'hello-canary', stable: v1, canary: v2, gateway: { name: 'eg' } }),
      'serviceName', 'makes Service shop/hello-canary, which this construct itself (another of its objects) already emits');
    expectConfigError((chart) => new ReplicaCanary(chart, 'hello', { serviceName: 'Svc_Hello', stable: v1 }), 'serviceName', 'must be a DNS-1035 label');
  });
});

describe('serviceType, nodePort, annotations, containerName', () => {
  test('the notifications scenario: a NodePort Service on 31532, by props alone', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'notifications', {
      port: 80, containerPort: 8080, serviceType: ServiceType.NODE_PORT, nodePort: 31532,
      stable: { image: 'notifications:1.0' }, canary: { image: 'notifications:1.1' }, replicas: 4, weight: 25,
    }));
    const service = find(manifests, 'Service', 'notifications');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 31532 }]);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('L7 strategies: every Service gets the type; only the callers\' Service the node port', () => {
    const { manifests } = synth((chart) => new NginxCanary(chart, 'web', {
      serviceType: ServiceType.NODE_PORT, nodePort: 30080, stable: v1, canary: v2, weight: 10, host: 'example.com',
    }));
    expect(find(manifests, 'Service', 'web').spec).toMatchObject({ type: 'NodePort', ports: [{ nodePort: 30080 }] });
    expect(find(manifests, 'Service', 'web-canary').spec.type).toBe('NodePort');
    expect(find(manifests, 'Service', 'web-canary').spec.ports[0].nodePort).toBeUndefined();
  });

  test('annotations on every object, serviceAnnotations on the Services, podAnnotations on one track\'s pods', () => {
    const { manifests } = synth((chart) => new IstioCanary(chart, 'hello', {
      annotations: { 'example.com/owner': 'team-a' },
      serviceAnnotations: { 'external-dns.alpha.kubernetes.io/hostname': 'hello.example.com' },
      stable: v1,
      canary: { ...v2, podAnnotations: { 'sidecar.istio.io/logLevel': 'debug' } },
      weight: 10,
    }));
    for (const m of manifests) expect(m.metadata.annotations['example.com/owner']).toBe('team-a');
    expect(find(manifests, 'Service', 'hello').metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('hello.example.com');
    expect(find(manifests, 'VirtualService', 'hello').metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    expect(find(manifests, 'Deployment', 'hello-canary').spec.template.metadata.annotations).toEqual({ 'sidecar.istio.io/logLevel': 'debug' });
    expect(find(manifests, 'Deployment', 'hello').spec.template.metadata.annotations).toBeUndefined();
    expect(schemaProblems(manifests)).toEqual([]);
  });

  test('containerName names the container of both tracks', () => {
    const { manifests } = synth((chart) => new ReplicaCanary(chart, 'hello', { containerName: 'app', stable: v1, canary: v2, replicas: 2, weight: 50 }));
    expect(manifests.filter((m) => m.kind === 'Deployment').map((d) => d.spec.template.spec.containers[0].name)).toEqual(['app', 'app']);
  });

  test.each([
    [{ nodePort: 31532 }, 'nodePort', 'a ClusterIP Service has no node port'],
    [{ serviceType: ServiceType.NODE_PORT, nodePort: 29999 }, 'nodePort', 'must be an integer from 30000 to 32767'],
    [{ serviceType: 'ExternalName' }, 'serviceType', 'must be one of "ClusterIP", "NodePort", "LoadBalancer"'],
    [{ annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' } }, 'annotations', 'only one object may carry it'],
    [{ serviceType: ServiceType.LOAD_BALANCER, annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'hello.example.com' } }, 'annotations', 'would land on the LoadBalancer Services too'],
    [{ containerName: 'App' }, 'containerName', 'must be a DNS-1123 label'],
    [{ stable: { ...v1, podAnnotations: { 'bad key!': 'x' } } }, 'stable.podAnnotations', 'is not a qualified name'],
    [{ serviceAnnotations: new Map() }, 'serviceAnnotations', 'must be a plain object'],
  ] as [Record<string, unknown>, string, string][])('fails when %j', (props, prop, text) => {
    expectConfigError((chart) => new ReplicaCanary(chart, 'hello', { stable: v1, canary: v2, replicas: 4, weight: 25, ...props } as never), prop, text);
  });

  test('nothing changes for apps that set none of them', () => {
    const chart = Testing.chart();
    new ReplicaCanary(chart, 'hello', { stable: v1, canary: v2, replicas: 4, weight: 25 });
    const service = Testing.synth(chart).find((m) => m.kind === 'Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.metadata.annotations).toBeUndefined();
  });
});
