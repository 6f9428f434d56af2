import { isAlbIngress } from '../../checks/alb-checks';
import { LoadedObject } from '../../checks/load';
import { goTrue, labelsOf, list, namespaceOf } from '../../checks/manifest-fields';
import { ALB, parseAlbAction } from '../../core/alb';
import { resolveIstioHost } from '../../core/hosts';
import { selectorMatches } from '../../core/labels';
import { ingressEntries, IngressEntry, ingressEntryKey } from './ingress-entries';

/**
 * The input's objects, indexed the ways the report looks them up, so that it stays linear in the
 * number of objects (bench/report.ts): Services by name and by the `app` they select, Deployments
 * by the `app` of their pods, and for each Service the routers that send traffic to it.
 */

export type Manifest = LoadedObject['object'];

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const NGINX = 'nginx.ingress.kubernetes.io/';

export const ns = namespaceOf;
export const id = (m: Manifest): string => `${m.kind}/${m.metadata?.name}`;
export const isLibraryObject = (m: Manifest): boolean => labelsOf(m.metadata?.labels)[MANAGED_BY] === 'cdk8s-canary';
export const isCanaryIngress = (ing: Manifest): boolean => goTrue(labelsOf(ing.metadata?.annotations)[`${NGINX}canary`]);
/** What ingress-nginx pairs a canary Ingress with its main one by, for each entry: class, host, path and path type. */
export const ingressRouteKeys = (ing: Manifest): string[] => [...new Set(ingressEntries(ing).map((e) => ingressEntryKey(ing, e)))];

/** A map from a key to every item with it, in input order. */
function groupBy<K>(items: readonly Manifest[], keyOf: (m: Manifest) => K | K[] | undefined): Map<K, Manifest[]> {
  const map = new Map<K, Manifest[]>();
  for (const m of items) {
    const keys = keyOf(m);
    for (const k of keys === undefined ? [] : Array.isArray(keys) ? keys : [keys]) {
      const bucket = map.get(k);
      if (bucket) bucket.push(m);
      else map.set(k, [m]);
    }
  }
  return map;
}

export class ObjectIndex {
  public readonly all: Manifest[];
  private readonly fileOf: Map<Manifest, string>;
  private readonly servicesByName: Map<string, Manifest[]>;
  /** Services by the `app` their selector names (`*` when it names none: such a Service may select any pod). */
  private readonly servicesByApp: Map<string, Manifest[]>;
  /** Deployments by the `app` label of their pods (`*` when they carry none). */
  private readonly deploymentsByApp: Map<string, Manifest[]>;
  private readonly deploymentsByNamespace: Map<string, Manifest[]>;
  private readonly autoscalers: Map<string, Manifest[]>;
  private readonly virtualServices = new Map<Manifest, Manifest[]>();
  private readonly destinationRules = new Map<Manifest, Manifest>();
  private readonly routes = new Map<Manifest, Manifest[]>();
  private readonly ingresses: Map<Manifest | undefined, Manifest[]>;
  private readonly canaryIngresses: Map<string, Manifest[]>;
  /** ALB Ingresses by every Service their actions forward to. */
  private readonly albIngresses: Map<Manifest | undefined, Manifest[]>;
  /** Gateway API Gateways by namespace and name, GatewayClasses by name. */
  private readonly gateways: Map<string, Manifest[]>;
  private readonly gatewayClasses: Map<string, Manifest[]>;

  constructor(objects: readonly LoadedObject[]) {
    this.fileOf = new Map(objects.map((o) => [o.object, o.file]));
    this.all = objects.map((o) => o.object).filter((m) => m !== null && typeof m === 'object' && !Array.isArray(m));
    const ofKind = (kind: string) => this.all.filter((m) => m.kind === kind);
    const services = ofKind('Service');
    const deployments = ofKind('Deployment');
    this.servicesByName = groupBy(services, (m) => `${ns(m)}|${m.metadata?.name}`);
    this.servicesByApp = groupBy(services, (m) => `${ns(m)}|${labelsOf(m.spec?.selector).app ?? '*'}`);
    this.deploymentsByApp = groupBy(deployments, (m) => `${ns(m)}|${podLabels(m).app ?? '*'}`);
    this.deploymentsByNamespace = groupBy(deployments, ns);
    this.autoscalers = groupBy(ofKind('HorizontalPodAutoscaler'), (m) => `${ns(m)}|${m.spec?.scaleTargetRef?.kind}|${m.spec?.scaleTargetRef?.name}`);
    for (const vs of ofKind('VirtualService')) {
      for (const target of new Set(this.servicesRoutedBy(vs))) {
        if (target) this.virtualServices.set(target, [...this.virtualServices.get(target) ?? [], vs]);
      }
    }
    for (const dr of ofKind('DestinationRule')) {
      const target = this.hostService(dr.spec?.host, ns(dr));
      if (target && !this.destinationRules.has(target)) this.destinationRules.set(target, dr);
    }
    for (const route of this.all.filter((m) => m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute')) {
      for (const target of new Set(this.servicesRoutedBy(route))) {
        const routes = target && this.routes.get(target);
        if (routes) routes.push(route);
        else if (target) this.routes.set(target, [route]);
      }
    }
    this.ingresses = groupBy(ofKind('Ingress'), (m) => this.ingressBackends(m));
    this.canaryIngresses = groupBy(ofKind('Ingress').filter(isCanaryIngress), ingressRouteKeys);
    this.albIngresses = groupBy(ofKind('Ingress').filter(isAlbIngress), (m) => this.albServices(m));
    const gatewayApi = (kind: string) => ofKind(kind).filter((m) => String(m.apiVersion).startsWith('gateway.networking.k8s.io/'));
    this.gateways = groupBy(gatewayApi('Gateway'), (m) => `${ns(m)}|${m.metadata?.name}`);
    this.gatewayClasses = groupBy(gatewayApi('GatewayClass'), (m) => String(m.metadata?.name));
  }

  /** Gateway `namespace/name` of the input (Gateway API's, not Istio's). */
  public gatewayNamed(name: unknown, namespace: string): Manifest | undefined {
    return this.gateways.get(`${namespace}|${name}`)?.[0];
  }

  /** GatewayClass `name` of the input. */
  public gatewayClassNamed(name: unknown): Manifest | undefined {
    return this.gatewayClasses.get(String(name))?.[0];
  }

  public file(m: Manifest): string {
    return this.fileOf.get(m) ?? '?';
  }

  public serviceNamed(name: unknown, namespace: string): Manifest | undefined {
    return this.servicesByName.get(`${namespace}|${name}`)?.[0];
  }

  /**
   * The Service an Istio destination host names, as istiod resolves it (a short name is in the
   * rule's namespace); undefined for a host outside the cluster or not in the input.
   */
  public hostService(host: unknown, fromNamespace: string): Manifest | undefined {
    if (typeof host !== 'string' || host === '') return undefined;
    const [name, namespace, svc] = resolveIstioHost(host, fromNamespace).split('.');
    return svc === 'svc' || svc === undefined ? this.serviceNamed(name, namespace) : undefined;
  }

  /** The Service a Gateway API backendRef names (core group, kind Service). */
  public refService(route: Manifest, ref: Manifest): Manifest | undefined {
    return (ref?.kind ?? 'Service') === 'Service' && (ref?.group ?? '') === '' ? this.serviceNamed(ref?.name, ref?.namespace ?? ns(route)) : undefined;
  }

  /**
   * Every Service a router sends to, as its router resolves the name: VirtualService destination
   * hosts, HTTPRoute / GRPCRoute backendRefs, the backends of every path of an Ingress (an ALB's
   * through its actions). Undefined for a destination that is not a Service of the input.
   */
  public servicesRoutedBy(router: Manifest): (Manifest | undefined)[] {
    switch (router?.kind) {
      case 'VirtualService':
        return list<Manifest>(router.spec?.http).flatMap((r) => list<Manifest>(r?.route).map((d) => this.hostService(d?.destination?.host, ns(router))));
      case 'HTTPRoute':
      case 'GRPCRoute':
        return list<Manifest>(router.spec?.rules).flatMap((r) => list<Manifest>(r?.backendRefs).map((b) => this.refService(router, b)));
      case 'Ingress':
        if (isAlbIngress(router)) return this.albServices(router);
        return list<Manifest>(router.spec?.rules).flatMap((r) => list<Manifest>(r?.http?.paths)).map((p) => this.serviceNamed(p?.backend?.service?.name, ns(router)));
      default:
        return [];
    }
  }

  /** The Service an Ingress's first path sends to (the one path the library and ingress-nginx canaries use). */
  /** The Service of an Ingress's first entry (a rule's path, else the defaultBackend). */
  public ingressBackend(ing: Manifest): Manifest | undefined {
    return this.serviceNamed(ingressEntries(ing)[0]?.service, ns(ing));
  }

  /** The Services of every entry of an Ingress. */
  public ingressBackends(ing: Manifest): Manifest[] {
    return [...new Set(ingressEntries(ing).map((e) => this.serviceNamed(e.service, ns(ing))).filter((s): s is Manifest => s !== undefined))];
  }

  public autoscalerOf(deployment: Manifest): Manifest | undefined {
    return this.autoscalers.get(`${ns(deployment)}|Deployment|${deployment.metadata?.name}`)?.[0];
  }

  /** The Deployments whose pods carry every label of `selector` (none for an empty selector). */
  public deploymentsSelected(namespace: string, selector: Record<string, string>): Manifest[] {
    if (Object.keys(selector).length === 0) return [];
    const candidates = Object.prototype.hasOwnProperty.call(selector, 'app')
      ? this.deploymentsByApp.get(`${namespace}|${selector.app}`) ?? []
      : this.deploymentsByNamespace.get(namespace) ?? [];
    return candidates.filter((d) => selectorMatches(selector, podLabels(d)));
  }

  /** The Services whose selector matches the pods of `deployment`. */
  public servicesSelecting(deployment: Manifest): Manifest[] {
    const labels = podLabels(deployment);
    const namespace = ns(deployment);
    return [...this.servicesByApp.get(`${namespace}|${labels.app}`) ?? [], ...this.servicesByApp.get(`${namespace}|*`) ?? []]
      .filter((s) => Object.keys(labelsOf(s.spec?.selector)).length > 0 && selectorMatches(labelsOf(s.spec.selector), labels));
  }

  public virtualServicesOf(service: Manifest): Manifest[] {
    return this.virtualServices.get(service) ?? [];
  }

  public destinationRuleOf(service: Manifest): Manifest | undefined {
    return this.destinationRules.get(service);
  }

  public routesOf(service: Manifest): Manifest[] {
    return this.routes.get(service) ?? [];
  }

  /** The canary Ingress ingress-nginx pairs with an entry of a main one (same class, host, path and path type). */
  public canaryIngressOf(main: Manifest, entry: IngressEntry | undefined = ingressEntries(main)[0]): Manifest | undefined {
    return entry && this.canaryIngresses.get(ingressEntryKey(main, entry))?.[0];
  }

  /** The Services an ALB Ingress sends to: its plain backends and every target group of its actions. */
  public albServices(ing: Manifest): Manifest[] {
    const annotations = labelsOf(ing.metadata?.annotations);
    const names = list<Manifest>(ing.spec?.rules).flatMap((r) => list<Manifest>(r?.http?.paths)).flatMap((p) => {
      const service = p?.backend?.service;
      if (service?.port?.name !== 'use-annotation') return [service?.name];
      const action = annotations[`${ALB}actions.${service?.name}`];
      return action === undefined ? [] : parseAlbAction(action).targetGroups.map((g) => g.serviceName);
    });
    return [...new Set(names.map((n) => this.serviceNamed(n, ns(ing))).filter((s): s is Manifest => s !== undefined))];
  }

  public albIngressesOf(service: Manifest): Manifest[] {
    return this.albIngresses.get(service) ?? [];
  }

  public ingressesOf(service: Manifest): Manifest[] {
    return this.ingresses.get(service) ?? [];
  }
}

/** The labels of a Deployment's pods. */
export function podLabels(deployment: Manifest): Record<string, string> {
  return labelsOf(deployment.spec?.template?.metadata?.labels);
}
