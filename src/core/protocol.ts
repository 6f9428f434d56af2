/**
 * The application protocol a canary serves, and how each router is told about it. A router that
 * guesses wrong breaks the service quietly: an Istio sidecar that takes gRPC for HTTP/1.1 downgrades
 * it, a Gateway that does not know a backend speaks h2c sends it HTTP/1.1 requests it cannot parse.
 */

/** The protocol the application speaks on its port (cleartext; TLS ends before the pod). */
export enum CanaryProtocol {
  /** HTTP/1.1 (and HTTP/2 upgraded from it). */
  HTTP = 'HTTP',
  /** HTTP/2 with prior knowledge (h2c): the server expects HTTP/2 from the first byte. */
  HTTP2 = 'HTTP2',
  /** gRPC: HTTP/2 with prior knowledge, requests on long-lived multiplexed connections. */
  GRPC = 'GRPC',
}

/** Who reads a Service port's protocol, and so which vocabulary its `appProtocol` uses. */
export enum PortProtocolReader {
  /**
   * Istio: its own protocol names. Istio reads `appProtocol` before the port name, and only
   * newer releases know the Kubernetes `kubernetes.io/h2c`; `http2` and `grpc` are understood by
   * every release (istio/istio pkg/config/kube/conversion.go, `ConvertProtocol`).
   */
  ISTIO = 'istio',
  /**
   * Everyone else (Gateway API implementations, kube-proxy, ingress controllers): the Kubernetes
   * standard name `kubernetes.io/h2c`, which Gateway API's backend-protocol conformance tests use
   * (https://gateway-api.sigs.k8s.io/guides/backend-protocol/).
   */
  KUBERNETES = 'kubernetes',
}

/** Name and `appProtocol` of the Service port and the container port. */
export interface PortProtocol {
  /** Also the protocol prefix Istio reads when no `appProtocol` is set (`<protocol>[-<suffix>]`). */
  readonly name: string;
  readonly appProtocol?: string;
}

/**
 * The port of `protocol` as `reader` needs it. Plain HTTP keeps the name `http` and no
 * `appProtocol`: every router takes that for HTTP/1.1, and manifests written before this prop
 * existed stay byte for byte the same.
 */
export function portProtocol(protocol: CanaryProtocol, reader: PortProtocolReader): PortProtocol {
  switch (protocol) {
    case CanaryProtocol.HTTP:
      return { name: 'http' };
    case CanaryProtocol.HTTP2:
      return { name: 'http2', appProtocol: reader === PortProtocolReader.ISTIO ? 'http2' : 'kubernetes.io/h2c' };
    case CanaryProtocol.GRPC:
      return { name: 'grpc', appProtocol: reader === PortProtocolReader.ISTIO ? 'grpc' : 'kubernetes.io/h2c' };
  }
}

/** True for the protocols whose clients hold one connection open and send every request over it. */
export function multiplexes(protocol: CanaryProtocol): boolean {
  return protocol !== CanaryProtocol.HTTP;
}

/** A gRPC request path `/<package.Service>/<Method>`, split, or undefined if it is not one. */
export interface GrpcMethodPath {
  readonly service: string;
  readonly method?: string;
}

/** The service and method rules of the GRPCRoute CRD (its CEL validations of `matches[].method`). */
const GRPC_SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/**
 * The gRPC service (and method) a path names: `/pkg.Service` or `/pkg.Service/` (every method of
 * the service, as an element-wise path prefix) or `/pkg.Service/Method` (exact). Undefined when
 * the path is not of that form.
 */
export function grpcMethodOfPath(path: string, exact: boolean): GrpcMethodPath | undefined {
  const parts = path.split('/');
  if (parts[0] !== '' || !GRPC_SERVICE.test(parts[1] ?? '')) return undefined;
  const service = parts[1];
  if (exact) return parts.length === 3 && GRPC_METHOD.test(parts[2]) ? { service, method: parts[2] } : undefined;
  return parts.length === 2 || (parts.length === 3 && parts[2] === '') ? { service } : undefined;
}
