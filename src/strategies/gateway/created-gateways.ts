import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

import {
  LoadBalancerConfiguration, LoadBalancerConfigurationSpecScheme, TargetGroupConfiguration, TargetGroupConfigurationSpecDefaultConfigurationProtocolVersion,
  TargetGroupConfigurationSpecDefaultConfigurationTargetType,
} from '../../../imports/gateway.k8s.aws';
import { Gateway, GatewayClass, GatewaySpecListeners, GatewaySpecListenersTlsMode } from '../../../imports/gateway.networking.k8s.io';
import { CommonSpec } from '../../canary/common-props';
import { AlbScheme, AlbTargetType, resolveCertificateArns } from '../../core/alb-settings';
import { showValue } from '../../core/errors';
import { hostsOverlap } from '../../core/hosts';
import { ObjectMetadata } from '../../core/metadata';
import { CanaryProtocol } from '../../core/protocol';
import { PORT_RANGE, PropChecker } from '../../core/validate';

// The Gateways a GatewayCanary creates: an ordinary one (createGateway), the AWS Load Balancer
// Controller's ALB Gateway with its configuration objects (createGateway.alb), and an Istio
// ambient waypoint (createWaypoint). Each is checked here and rendered here.

/**
 * The AWS Load Balancer Controller v3's ALB Gateway: a GatewayClass of controller
 * `gateway.k8s.aws/alb`, a LoadBalancerConfiguration the Gateway points to, and a
 * TargetGroupConfiguration per backend Service.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/gateway/customization/
 */
export interface GatewayAlbProps {
  /**
   * Internal or internet-facing.
   * @default AlbScheme.INTERNAL
   */
  readonly scheme?: AlbScheme;
  /**
   * How the ALB reaches the pods. `INSTANCE` makes the Services NodePort.
   * @default AlbTargetType.IP
   */
  readonly targetType?: AlbTargetType;
  /**
   * ACM (or IAM) certificate ARNs: an HTTPS listener on `httpsPort` serving them (the first is
   * the default certificate).
   * @default - HTTP only
   */
  readonly certificateArns?: string[];
}

/**
 * A Gateway for users who have none yet, as in an Envoy Gateway quick start: an HTTP listener,
 * and an HTTPS listener when a certificate Secret is given. Both admit routes from the Gateway's
 * own namespace.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway
 */
export interface GatewayCreateProps {
  /** GatewayClass of the implementation (e.g. `eg` for Envoy Gateway, `istio`, `cilium`). */
  readonly gatewayClassName: string;
  /**
   * Name of the Gateway.
   * @default - `<name>-gateway`
   */
  readonly name?: string;
  /**
   * Host name the listeners accept.
   * @default - any host
   */
  readonly hostname?: string;
  /**
   * Port of the HTTP listener.
   * @default 80
   */
  readonly httpPort?: number;
  /**
   * Secret (type kubernetes.io/tls, same namespace) for an HTTPS listener; no HTTPS listener without it.
   * @default - HTTP only
   */
  readonly certificateSecret?: string;
  /**
   * Port of the HTTPS listener.
   * @default 443
   */
  readonly httpsPort?: number;
  /**
   * Serve the Gateway with an AWS ALB (AWS Load Balancer Controller v3): also emits GatewayClass
   * `<gatewayClassName>` (controller `gateway.k8s.aws/alb`), LoadBalancerConfiguration
   * `<gateway name>` and a TargetGroupConfiguration per backend Service.
   * @default - another implementation serves the class
   */
  readonly alb?: GatewayAlbProps;
}

/** The Gateway to create, every default filled in. */
export interface ResolvedCreateGateway {
  readonly gatewayClassName: string;
  readonly name: string;
  /** '' for any host. */
  readonly hostname: string;
  readonly httpPort: number;
  /** '' for none. */
  readonly certificateSecret: string;
  readonly httpsPort: number;
  readonly alb?: { readonly scheme: AlbScheme; readonly targetType: AlbTargetType; readonly certificateArns: string[] };
}

const CREATE_FIELDS: Record<keyof GatewayCreateProps, true> = {
  gatewayClassName: true, name: true, hostname: true, httpPort: true, certificateSecret: true, httpsPort: true, alb: true,
};
const ALB_FIELDS: Record<keyof GatewayAlbProps, true> = { scheme: true, targetType: true, certificateArns: true };
/** The controller name of the AWS Load Balancer Controller's ALB GatewayClass (docs/guide/gateway/l7gateway.md). */
export const ALB_GATEWAY_CONTROLLER = 'gateway.k8s.aws/alb';
/** Istio's waypoint GatewayClass and listener: HBONE on 15008 (istio.io docs, ambient/usage/waypoint; `istioctl waypoint generate`). */
const WAYPOINT_CLASS = 'istio-waypoint';
const HBONE_PORT = 15008;
/** Which traffic a waypoint takes: `service` (the default of istioctl waypoint generate) serves Service-addressed traffic, what a mesh route attaches to. */
const WAYPOINT_FOR = 'istio.io/waypoint-for';

/** Checks `createGateway` (undefined when absent or in mesh mode, which the parent check refuses). */
export function resolveCreateGateway(spec: CommonSpec, value: GatewayCreateProps | undefined, mesh: boolean, hostnames: readonly string[]): ResolvedCreateGateway | undefined {
  const check: PropChecker = spec.check;
  const create = check.object('createGateway', value, false, CREATE_FIELDS);
  if (!create || mesh) return undefined;
  const httpPort = check.integer('createGateway.httpPort', create.httpPort, PORT_RANGE, 80);
  const httpsPort = check.integer('createGateway.httpsPort', create.httpsPort, PORT_RANGE, 443);
  const alb = resolveAlb(spec, create);
  const https = create.certificateSecret !== undefined || (alb?.certificateArns.length ?? 0) > 0;
  if (https && httpPort === httpsPort) {
    check.fail('createGateway.httpsPort', `is ${httpsPort}, the same as httpPort; the HTTP and HTTPS listeners need different ports`);
  }
  const hostname = create.hostname === undefined ? '' : check.hostname('createGateway.hostname', create.hostname);
  // A route attaches to a listener only where their hostnames intersect (Gateway API spec,
  // HTTPRouteSpec.hostnames): none in common and the route is never attached (404 for all).
  if (hostname !== '' && hostnames.length > 0 && !hostnames.some((h) => hostsOverlap(h, hostname))) {
    check.fail('hostnames', `${showValue(hostnames)} has no name in common with createGateway.hostname ${showValue(hostname)}, so the route would not attach to the Gateway's listeners and every request would get 404; give a hostname the listener accepts, or change createGateway.hostname`);
  }
  return {
    gatewayClassName: check.dns1123Subdomain('createGateway.gatewayClassName', create.gatewayClassName),
    name: create.name === undefined ? `${spec.name}-gateway` : check.dns1123Subdomain('createGateway.name', create.name),
    hostname,
    httpPort,
    certificateSecret: create.certificateSecret === undefined ? '' : check.dns1123Subdomain('createGateway.certificateSecret', create.certificateSecret),
    httpsPort,
    alb,
  };
}

function resolveAlb(spec: CommonSpec, create: GatewayCreateProps): ResolvedCreateGateway['alb'] {
  const check: PropChecker = spec.check;
  const alb = check.object('createGateway.alb', create.alb, false, ALB_FIELDS);
  if (!alb) return undefined;
  if (create.certificateSecret !== undefined) {
    check.fail('createGateway.certificateSecret', 'is set, but an ALB serves certificates from ACM, not from Secrets; give createGateway.alb.certificateArns instead');
  }
  const certificateArns = resolveCertificateArns(check, 'createGateway.alb.certificateArns', alb.certificateArns);
  // An ALB carries gRPC on HTTPS listeners only (ELBv2: target groups of protocol version GRPC).
  if (spec.protocol === CanaryProtocol.GRPC && certificateArns.length === 0) {
    check.fail('createGateway.alb.certificateArns', 'is empty, but protocol is GRPC and an ALB serves gRPC on HTTPS listeners only; give a certificate ARN');
  }
  return {
    scheme: check.oneOf('createGateway.alb.scheme', alb.scheme, Object.values(AlbScheme), AlbScheme.INTERNAL),
    targetType: check.oneOf('createGateway.alb.targetType', alb.targetType, Object.values(AlbTargetType), AlbTargetType.IP),
    certificateArns,
  };
}

/** Checks `waypoint` and `createWaypoint`: the waypoint's name, or undefined. */
export function resolveWaypoint(spec: CommonSpec, waypoint: unknown, createWaypoint: unknown, mesh: boolean): { name: string; create: boolean } | undefined {
  const check: PropChecker = spec.check;
  const create = check.boolean('createWaypoint', createWaypoint, false);
  if (waypoint === undefined) {
    if (create) check.fail('createWaypoint', 'is true, but waypoint is not set; give waypoint the name of the waypoint Gateway to create');
    return undefined;
  }
  // The name is the value of the istio.io/use-waypoint label: a DNS-1123 label fits both.
  const name = check.dns1123Label('waypoint', waypoint);
  if (!mesh) check.fail('waypoint', 'is set, but mesh is false: a waypoint carries east-west traffic addressed to a Service, which a mesh route attaches to; set mesh: true, or remove waypoint');
  return { name, create };
}

/** The Gateway `createGateway` describes, attached to an ALB configuration when `alb` is set. */
export function addCreatedGateway(scope: Construct, metadata: ObjectMetadata, create: ResolvedCreateGateway): Gateway {
  const hostname = create.hostname === '' ? undefined : create.hostname;
  const listeners: GatewaySpecListeners[] = [{ name: 'http', protocol: 'HTTP', port: create.httpPort, hostname }];
  if (create.certificateSecret !== '') {
    listeners.push({
      name: 'https', protocol: 'HTTPS', port: create.httpsPort, hostname,
      tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: create.certificateSecret }] },
    });
  }
  // The ALB's HTTPS listener takes its certificates from the LoadBalancerConfiguration, so the
  // listener has no tls (the CRD allows HTTPS without it).
  if (create.alb && create.alb.certificateArns.length > 0) listeners.push({ name: 'https', protocol: 'HTTPS', port: create.httpsPort, hostname });
  return new Gateway(scope, 'Gateway', {
    // Labelled and annotated like every object of the canary (its cluster included), under its own name.
    metadata: { ...metadata, name: create.name },
    spec: {
      gatewayClassName: create.gatewayClassName,
      infrastructure: create.alb && { parametersRef: { group: 'gateway.k8s.aws', kind: 'LoadBalancerConfiguration', name: create.name } },
      listeners,
    },
  });
}

/** The objects the AWS Load Balancer Controller reads for an ALB Gateway. */
export interface AlbGatewayObjects {
  readonly gatewayClass: GatewayClass;
  readonly loadBalancerConfiguration: LoadBalancerConfiguration;
  readonly targetGroupConfigurations: TargetGroupConfiguration[];
}

/**
 * GatewayClass `<gatewayClassName>` of the ALB controller (cluster-scoped: no namespace), the
 * LoadBalancerConfiguration the Gateway points to (same namespace, as the controller requires),
 * and one TargetGroupConfiguration per backend Service (one per Service is all the controller takes).
 */
export function addAlbGatewayObjects(scope: Construct, metadata: ObjectMetadata, create: ResolvedCreateGateway, services: readonly string[], protocol: CanaryProtocol): AlbGatewayObjects {
  const alb = create.alb!;
  const gatewayClass = new GatewayClass(scope, 'GatewayClass', {
    metadata: { ...metadata, name: create.gatewayClassName },
    spec: { controllerName: ALB_GATEWAY_CONTROLLER },
  });
  // A chart's namespace lands on every object it holds; a cluster-scoped one must not carry it.
  if (gatewayClass.metadata.namespace !== undefined) gatewayClass.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  const [defaultCertificate, ...certificates] = alb.certificateArns;
  const loadBalancerConfiguration = new LoadBalancerConfiguration(scope, 'LoadBalancerConfiguration', {
    metadata: { ...metadata, name: create.name },
    spec: {
      scheme: alb.scheme === AlbScheme.INTERNET_FACING ? LoadBalancerConfigurationSpecScheme.INTERNET_HYPHEN_FACING : LoadBalancerConfigurationSpecScheme.INTERNAL,
      listenerConfigurations: defaultCertificate === undefined ? undefined : [{
        protocolPort: `HTTPS:${create.httpsPort}`, defaultCertificate, certificates: certificates.length > 0 ? certificates : undefined,
      }],
    },
  });
  const targetGroupConfigurations = services.map((service) => new TargetGroupConfiguration(scope, `TargetGroupConfiguration-${service}`, {
    metadata: { ...metadata, name: service },
    spec: {
      targetReference: { name: service },
      defaultConfiguration: {
        targetType: alb.targetType === AlbTargetType.INSTANCE ? TargetGroupConfigurationSpecDefaultConfigurationTargetType.INSTANCE : TargetGroupConfigurationSpecDefaultConfigurationTargetType.IP,
        protocolVersion: protocol === CanaryProtocol.GRPC ? TargetGroupConfigurationSpecDefaultConfigurationProtocolVersion.GRPC : undefined,
      },
    },
  }));
  return { gatewayClass, loadBalancerConfiguration, targetGroupConfigurations };
}

/** The waypoint Gateway `<name>`, as `istioctl waypoint generate --for service` writes it. */
export function addWaypoint(scope: Construct, metadata: ObjectMetadata, name: string): Gateway {
  return new Gateway(scope, 'Waypoint', {
    metadata: { ...metadata, name, labels: { ...metadata.labels, [WAYPOINT_FOR]: 'service' } },
    spec: { gatewayClassName: WAYPOINT_CLASS, listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' }] },
  });
}
