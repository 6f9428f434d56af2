import { isAlbIngress } from '../checks/alb-checks';
import { labelsOf, list } from '../checks/manifest-fields';
import { ingressEntries, ingressEntryKey } from './model/ingress-entries';
import { isCanaryIngress, isLibraryObject, Manifest, ns, ObjectIndex, podLabels } from './model/object-index';
import { ReportOrigin } from './model/results';
import { routeGroupOf } from './model/route-groups';

/** A canary found in the input: its namespace, name and own Deployments with their track names. */
export interface FoundCanary {
  readonly namespace: string;
  readonly name: string;
  readonly origin: ReportOrigin;
  readonly deployments: readonly { track: string; deployment: Manifest }[];
}

/**
 * Every canary in the input. The library's are found by their labels: the Deployments managed by
 * cdk8s-canary, one canary per namespace and `app`, tracks by the `track` label. Hand-written ones
 * are found by what joins their Deployments: a Service that selects the pods of several, or a
 * VirtualService, an HTTPRoute / GRPCRoute or an ingress-nginx Ingress pair that sends to Services
 * selecting different ones. Every set of two or more Deployments so joined is a canary, named by
 * the `app` its pods share (or else by the Service or router that joins them), tracks by their names.
 */
export function discoverCanaries(index: ObjectIndex): FoundCanary[] {
  const found: FoundCanary[] = [];
  const library = new Map<string, Manifest[]>();
  const handWritten: Manifest[] = [];
  for (const d of index.all.filter((m) => m.kind === 'Deployment')) {
    if (isLibraryObject(d)) {
      const key = `${ns(d)}|${labelsOf(d.metadata?.labels).app}`;
      const members = library.get(key);
      if (members) members.push(d);
      else library.set(key, [d]);
    } else {
      handWritten.push(d);
    }
  }
  for (const [key, deployments] of library) {
    const [namespace, app] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    const byTrack = (track: string) => deployments.find((d) => labelsOf(d.metadata?.labels).track === track);
    const stable = byTrack('stable');
    if (!stable) continue;
    const canary = byTrack('canary');
    found.push({ namespace, name: app, origin: 'cdk8s-canary', deployments: [{ track: 'stable', deployment: stable }, ...(canary ? [{ track: 'canary', deployment: canary }] : [])] });
  }
  found.push(...handWrittenCanaries(index, handWritten));
  return found.sort((a, b) => compare(`${a.namespace}|${a.name}|${a.origin}`, `${b.namespace}|${b.name}|${b.origin}`));
}

function handWrittenCanaries(index: ObjectIndex, deployments: readonly Manifest[]): FoundCanary[] {
  // Union-find over the hand-written Deployments; `joinedBy` keeps what joined each set first.
  const parent = new Map<Manifest, Manifest>(deployments.map((d) => [d, d]));
  const root = (d: Manifest): Manifest => {
    let r = d;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(d, r);
    return r;
  };
  const joinedBy = new Map<Manifest, Manifest>();
  const join = (group: readonly Manifest[], by: Manifest) => {
    const members = group.filter((d) => parent.has(d));
    for (const d of members.slice(1)) {
      const [a, b] = [root(members[0]), root(d)];
      if (a !== b) {
        parent.set(b, a);
        if (!joinedBy.has(a)) joinedBy.set(a, joinedBy.get(b) ?? by);
      }
    }
  };
  const selected = (service: Manifest | undefined) => (service ? index.deploymentsSelected(ns(service), labelsOf(service.spec?.selector)) : []);
  for (const service of index.all.filter((m) => m.kind === 'Service')) join(selected(service), service);
  for (const vs of index.all.filter((m) => m.kind === 'VirtualService')) {
    join(list<Manifest>(vs.spec?.http).flatMap((r) => list<Manifest>(r?.route).flatMap((d) => selected(index.hostService(d?.destination?.host, ns(vs))))), vs);
  }
  // Routes a Gateway merges (one parent and host) join their Deployments as one router.
  for (const route of index.all.filter((m) => m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute')) {
    join(routeGroupOf(index, route).flatMap((member) => list<Manifest>(member.spec?.rules)
      .flatMap((r) => list<Manifest>(r?.backendRefs).flatMap((b) => selected(index.refService(member, b))))), route);
  }
  for (const ing of index.all.filter(isAlbIngress)) join(index.albServices(ing).flatMap(selected), ing);
  // Per entry (host and path, or the defaultBackend), the main Ingress and its canary join their Services' Deployments.
  const entryServices = new Map<string, { ing: Manifest; service: Manifest | undefined }[]>();
  for (const ing of index.all.filter((m) => m.kind === 'Ingress' && !isAlbIngress(m))) {
    for (const e of ingressEntries(ing)) {
      const key = ingressEntryKey(ing, e);
      const item = { ing, service: index.serviceNamed(e.service, ns(ing)) };
      const members = entryServices.get(key);
      if (members) members.push(item);
      else entryServices.set(key, [item]);
    }
  }
  for (const members of entryServices.values()) {
    join(members.flatMap((m) => selected(m.service)), (members.find((m) => !isCanaryIngress(m.ing)) ?? members[0]).ing);
  }

  const sets = new Map<Manifest, Manifest[]>();
  for (const d of deployments) {
    const set = sets.get(root(d));
    if (set) set.push(d);
    else sets.set(root(d), [d]);
  }
  return [...sets].filter(([, members]) => members.length > 1).map(([r, members]) => {
    const apps = new Set(members.map((d) => podLabels(d).app));
    const app = apps.size === 1 ? [...apps][0] : undefined;
    const sorted = [...members].sort((a, b) => compare(String(a.metadata?.name), String(b.metadata?.name)));
    return {
      namespace: ns(r),
      name: typeof app === 'string' && app !== '' ? app : String(joinedBy.get(r)?.metadata?.name ?? r.metadata?.name),
      origin: 'hand-written' as const,
      deployments: sorted.map((d) => ({ track: String(d.metadata?.name), deployment: d })),
    };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
