import { Testing } from 'cdk8s';
import * as fc from 'fast-check';

import { AlbCanary, CanaryConfigError } from '../src';
import { newChart } from './util/synth';

/**
 * Property: whatever AlbCanaries of one IngressGroup the constructs accept, every one of them
 * still receives its own requests once the controller has ordered the group's rules. The oracle
 * is independent of the construct's check: it orders the synthesized Ingresses the way the
 * controller does (group.order, then namespace/name) and lets the first rule whose host and path
 * match a sample request of each canary take it.
 */
const PATHS = ['/', '/api', '/api/v1', '/web'];
const HOSTS = [undefined, 'a.example.com', '*.example.com'];
const member = fc.record({
  path: fc.constantFrom(...PATHS),
  host: fc.constantFrom(...HOSTS),
  groupOrder: fc.constantFrom(undefined, -1, 0, 1),
});

const hostMatches = (rule: string | undefined, host: string) => rule === undefined || rule === host || (rule.startsWith('*.') && host.endsWith(rule.slice(1)));
const pathMatches = (prefix: string, path: string) => prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);

test('every accepted member of a group receives its own sample requests', () => {
  fc.assert(fc.property(fc.array(member, { minLength: 2, maxLength: 4 }), (members) => {
    const chart = newChart();
    members.forEach((m, i) => {
      try {
        new AlbCanary(chart, `m${i}`, { stable: { image: 'app:v1' }, groupName: 'g', ...m });
      } catch (e) {
        if (!(e instanceof CanaryConfigError)) throw e;
      }
    });
    const ingresses = Testing.synth(chart).filter((o) => o.kind === 'Ingress').map((o) => ({
      name: o.metadata.name as string,
      order: Number(o.metadata.annotations['alb.ingress.kubernetes.io/group.order'] ?? 0),
      host: o.spec.rules[0].host as string | undefined,
      path: o.spec.rules[0].http.paths[0].path as string,
    }));
    ingresses.sort((a, b) => a.order - b.order || (`shop/${a.name}` < `shop/${b.name}` ? -1 : 1));
    for (const ingress of ingresses) {
      const host = ingress.host === undefined ? 'z.other.org' : ingress.host.replace('*', 'w');
      const path = ingress.path === '/' ? '/zzz' : `${ingress.path}/zzz`;
      const first = ingresses.find((r) => hostMatches(r.host, host) && pathMatches(r.path, path));
      expect(first?.name).toBe(ingress.name);
    }
  }), { numRuns: 300 });
});
