import { showValue } from './errors';
import { PropChecker } from './validate';

/**
 * The settings an AWS ALB takes whichever API the AWS Load Balancer Controller reads them from:
 * Ingress annotations (AlbCanary) or the LoadBalancerConfiguration / TargetGroupConfiguration of
 * its Gateway API implementation (GatewayCanary `createGateway.alb`).
 */

/** Whether the load balancer faces the internet. */
export enum AlbScheme {
  /** Reachable inside the VPC only (the controller's default). */
  INTERNAL = 'internal',
  /** Public. */
  INTERNET_FACING = 'internet-facing',
}

/** How the load balancer reaches the pods. */
export enum AlbTargetType {
  /** Straight to the pod IPs (needs the VPC CNI); with pod readiness gates, rollouts wait for the ALB. */
  IP = 'ip',
  /** Through a node port of every node: both Services become NodePort. */
  INSTANCE = 'instance',
}

/** An ARN, as certificate-arn lists them (comma-separated, so no comma inside). */
const ARN = /^arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:\d{12}:[A-Za-z0-9\-/_.+=@]+$/;

/** The certificate ARNs at `prop`, checked: each an ACM or IAM certificate ARN, none twice. */
export function resolveCertificateArns(check: PropChecker, prop: string, arns: unknown): string[] {
  const certificates = check.stringList(prop, arns) ?? [];
  certificates.forEach((arn, i) => {
    if (!ARN.test(arn)) check.fail(`${prop}[${i}]`, `${showValue(arn)} is not a certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>, or an IAM server certificate)`);
  });
  if (new Set(certificates).size !== certificates.length) check.fail(prop, 'lists a certificate twice');
  return certificates;
}
