/**
 * Host names as the routers compare them, and the rules a mesh sidecar imposes on pods.
 */

/** The cluster DNS domain Kubernetes Services resolve under. */
export const CLUSTER_DOMAIN = 'cluster.local';

/** The fully qualified in-cluster name of Service `name` in `namespace`. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/**
 * A VirtualService host as istiod reads it: a short name (no dot) is a Service in the rule's
 * own namespace (istio pkg/config/host, ResolveShortnameToFQDN).
 */
export function resolveIstioHost(host: string, namespace: string): string {
  return host.includes('.') || host === '*' ? host : serviceFqdn(host, namespace);
}

/**
 * istio's host.Name.Matches: equal names, or a wildcard (`*.example.com`, `*`) whose suffix
 * covers the other name (or the other wildcard). istiod refuses a VirtualService listing two hosts
 * that match ("duplicate hosts in virtual service").
 */
export function hostsOverlap(a: string, b: string): boolean {
  const suffix = (h: string) => h.slice(1); // "*.example.com" -> ".example.com", "*" -> ""
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild) return suffix(a).endsWith(suffix(b)) || suffix(b).endsWith(suffix(a));
  if (aWild) return b.endsWith(suffix(a));
  if (bWild) return a.endsWith(suffix(b));
  return a === b;
}

/** True when a wildcard host would take in-cluster Service names (every Service of a namespace or more). */
export function capturesClusterServices(host: string): boolean {
  if (!host.startsWith('*')) return false;
  const suffix = host.slice(2);
  return host === '*' || CLUSTER_DOMAIN.endsWith(suffix) || suffix.endsWith(CLUSTER_DOMAIN);
}

/**
 * Ports the Istio sidecar listens on in every pod (15000 admin, 15001/15006 capture, 15008 HBONE,
 * 15020/15021 health and merged metrics, 15053 DNS, 15090 Envoy metrics, and the rest of the
 * block Istio reserves): an application port there collides with the proxy.
 * @see https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio
 */
export const ISTIO_RESERVED_PORTS = { min: 15000, max: 15090 };

/**
 * The sidecar's own UID: traffic from processes with this UID bypasses the iptables capture, so a
 * workload running as 1337 escapes the mesh (and its routing) entirely.
 * @see https://istio.io/latest/docs/ops/deployment/application-requirements/#pod-requirements
 */
export const ISTIO_PROXY_UID = 1337;
