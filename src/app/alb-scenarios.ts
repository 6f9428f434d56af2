import { App, Chart } from 'cdk8s';

import { AlbCanary, AlbCanaryProps, AlbScheme } from '..';

/**
 * The notifications scenario (SCENARIOS.md 3) on EKS behind an ALB, split per request instead of
 * by replicas: internet-facing, HTTPS with an ACM certificate and the HTTP → HTTPS redirect, an
 * external-dns host name, and the X-Ray environment on the V2 (canary) track only.
 */
const HOST = 'canarydemo.kubeoncloud.com';
const XRAY_V2 = {
  AWS_XRAY_TRACING_NAME: 'V2-Notification-Microservice',
  AWS_XRAY_DAEMON_ADDRESS: 'xray-service.default:2000',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
};
export const NOTIFICATIONS_ALB: AlbCanaryProps = {
  port: 8096,
  host: HOST,
  scheme: AlbScheme.INTERNET_FACING,
  certificateArns: ['arn:aws:acm:us-east-1:180789647333:certificate/632a3ff6-3f6d-464c-9121-b9d97481a76b'],
  ingressAnnotations: { 'external-dns.alpha.kubernetes.io/hostname': HOST },
  stable: { image: 'stacksimplify/kube-notifications-microservice:3.0.0-AWS-XRay', version: 'v1', replicas: 2 },
  canary: { image: 'stacksimplify/kube-notifications-microservice:4.0.0-AWS-XRay', version: 'v2', replicas: 2, env: XRAY_V2 },
};

/** 10 % of requests to V2, and a header-targeted variant: `x-canary: always` to V2, everyone else on V1. */
export function notificationsAlbCharts(app: App): Chart[] {
  const chart = (id: string, props: Partial<AlbCanaryProps>) => {
    const c = new Chart(app, id, { namespace: id, disableResourceNameHashes: true });
    new AlbCanary(c, 'notifications', { ...NOTIFICATIONS_ALB, ...props });
    return c;
  };
  return [
    chart('notifications-alb-weight-10', { weight: 10 }),
    chart('notifications-alb-header', { weight: 0, match: [{ headers: { 'x-canary': 'always' } }] }),
  ];
}
