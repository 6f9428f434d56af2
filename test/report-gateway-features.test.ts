import { Chart, Duration, Testing } from 'cdk8s';

import { AlbScheme, GatewayApiChannel, GatewayCanary, GatewayCanaryProps } from '../src';
import { analyze } from '../src/report/analyze';

const v1 = { image: 'backend:v1', replicas: 2 };
const v2 = { image: 'backend:v2', replicas: 2 };

function report(props: Partial<GatewayCanaryProps>) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new GatewayCanary(chart, 'backend', { port: 3000, stable: v1, canary: v2, weight: 10, gateway: { name: 'eg' }, ...props } as GatewayCanaryProps);
  const result = analyze(Testing.synth(chart).map((object) => ({ file: 'out.yaml', object })));
  expect(result.problems).toEqual([]);
  return result.canaries[0];
}

describe('the report reads what GatewayCanary emits in the third round', () => {
  test('the mirror share, exactly, with the real split unchanged', () => {
    const canary = report({ mirror: { percent: 12.5 } });
    expect(canary.caveats).toEqual(['rules[0] mirrors 1/8 (12.5 %) of its requests to backend-canary (responses discarded; the shares count real requests only)']);
    expect(canary.routes[0].shares.map((f) => `${f.n}/${f.d}`)).toEqual(['9/10', '1/10']);
  });

  test('retries and session persistence on every rule', () => {
    const canary = report({
      channel: GatewayApiChannel.EXPERIMENTAL, retries: { attempts: 2, codes: [503] }, stickySessions: { maxAge: Duration.minutes(30) },
      match: [{ headers: { 'x-canary': 'yes' } }],
    });
    expect(canary.caveats).toEqual([
      'rules[0] retries a failed request up to 2 times on 503 (experimental channel)',
      'rules[0] keeps sessions (cookie backend-session, kept 1800s): a client stays on the backend it reached first, so the shares hold for new clients only',
      'rules[1] retries a failed request up to 2 times on 503 (experimental channel)',
      'rules[1] keeps sessions (cookie backend-session, kept 1800s): a client stays on the backend it reached first, so the shares hold for new clients only',
    ]);
  });

  test('the ambient waypoint and the ALB Gateway are named in the entry point', () => {
    expect(report({ gateway: undefined, mesh: true, waypoint: 'wp', createWaypoint: true }).entries).toEqual(['service backend.shop (mesh, via ambient waypoint wp, HTTPRoute)']);
    expect(report({ gateway: undefined, mesh: true, waypoint: 'wp' }).entries).toEqual(['service backend.shop (mesh, via ambient waypoint wp (not in the input), HTTPRoute)']);
    const alb = report({ gateway: undefined, hostnames: ['shop.example.com'], createGateway: { gatewayClassName: 'aws-alb', alb: { scheme: AlbScheme.INTERNET_FACING } } });
    expect(alb.entries).toEqual(['gateway shop/backend-gateway: shop.example.com (HTTPRoute, AWS ALB)']);
    expect(alb.entryPoints).toEqual([{ host: 'shop.example.com', path: '/' }]);
  });
});
