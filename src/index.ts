// The public API: the constructs, their props, enums and results, the error helper and the safe
// synth. Everything else in src/ is internal and may change without notice. Every export here
// must compile with jsii (`npm run build`).
export * as awsGateway from './aws-gateway';
export { CanaryBase } from './canary/canary-base';
export { type CanaryBaseProps, ServiceType } from './canary/common-props';
export { SafeSynth, type SafeSynthOptions, type SafeSynthResult } from './cli/safe-synth';
export { AlbScheme, AlbTargetType } from './core/alb-settings';
export { type TrackAutoscalingProps } from './core/autoscaling';
export { CanaryScope } from './core/cluster';
export { CanaryConfigError, CanaryErrors } from './core/errors';
export { Track } from './core/labels';
export { type CanaryMatch } from './core/match';
export { CanaryProtocol } from './core/protocol';
export { type CanaryTrackProps, type TrackSecurityProps } from './core/track';
export {
  type ArgoRolloutsProgressionProps, type CanaryAnalysis, EngineHandover, type FlaggerProgressionProps, Progression, ProgressionEngine, type ProgressionStep,
} from './engines/progression';
export * as gatewayApi from './gateway-api';
export * as istio from './istio';
export { AlbCanary } from './strategies/alb/alb-canary';
export { type AlbCanaryProps, AlbPathType, type AlbStickinessProps } from './strategies/alb/props';
export { type GatewayAlbProps, type GatewayCreateProps } from './strategies/gateway/created-gateways';
export { GatewayCanary } from './strategies/gateway/gateway-canary';
export { type GatewayCanaryProps, type GatewayParentRef, GatewayPathType } from './strategies/gateway/props';
export {
  GatewayApiChannel, type GatewayMirrorProps, type GatewayRetryProps, type GatewayStickySessionProps,
} from './strategies/gateway/rule-options';
export { IstioCanary } from './strategies/istio/istio-canary';
export {
  type IstioAbortFault, IstioApiVersion, type IstioCanaryProps, type IstioDelayFault, type IstioFaultProps, type IstioMirrorProps, type IstioRetryProps,
} from './strategies/istio/props';
export { NginxCanary } from './strategies/nginx/nginx-canary';
export { NginxAffinityCanaryBehavior, type NginxCanaryProps, NginxPathType, type NginxStickySessionProps } from './strategies/nginx/props';
export { type ReplicaCanaryProps, ReplicaRounding } from './strategies/replica/props';
export { ReplicaCanary } from './strategies/replica/replica-canary';
