import { schemaProblems } from './util/schema';

// The schema check guards every other test's "passes the schema" assertion: it must reject.
describe('schemaProblems', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hello' },
    spec: { selector: { matchLabels: { app: 'hello' } }, template: { spec: { containers: [{ name: 'hello', image: 'app:v1' }] } } },
  };

  test('accepts a minimal valid Deployment', () => {
    expect(schemaProblems([deployment])).toEqual([]);
  });

  test('rejects an unknown field, like kubeconform -strict', () => {
    const bad = { ...deployment, spec: { ...deployment.spec, replica: 2 } };
    expect(schemaProblems([bad])).toEqual(['Deployment/hello [kubernetes-1.28]: /spec must NOT have additional properties ("replica")']);
  });

  test('rejects a wrong type and a missing required field', () => {
    const bad = { ...deployment, spec: { replicas: 'two', template: deployment.spec.template } };
    const problems = schemaProblems([bad]);
    expect(problems).toContain('Deployment/hello [kubernetes-1.28]: /spec/replicas must be integer');
    expect(problems).toContain('Deployment/hello [kubernetes-1.28]: /spec must have required property \'selector\'');
  });

  test('checks a CRD kind against every release', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'hello' }, spec: { hosts: ['hello'], htp: [] } };
    expect(schemaProblems([vs])).toEqual([
      'VirtualService/hello [istio-1.24.6-crds]: /spec must NOT have additional properties ("htp")',
      'VirtualService/hello [istio-1.30.3-crds]: /spec must NOT have additional properties ("htp")',
    ]);
  });

  test('fails loudly for a kind it has no schema for', () => {
    expect(() => schemaProblems([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }])).toThrow('no schema for v1 Pod');
  });
});
