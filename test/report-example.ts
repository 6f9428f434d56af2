import { Chart, Testing } from 'cdk8s';

import { IstioCanary } from '../src';
import { analyze, TrafficReport } from '../src/report/analyze';
import { diffReports } from '../src/report/diff';
import { renderMarkdown } from '../src/report/render';

/** The hello canary at `weight`, as a pull request would change it. */
export function helloAt(weight: number): TrafficReport {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new IstioCanary(chart, 'hello', {
    port: 8080, stable: { image: 'honester/hello-server:v1' }, canary: { image: 'honester/hello-server:v2' }, weight,
    match: [{ headers: { 'end-user': 'testers' }, weight: 50 }],
  });
  return analyze(Testing.synth(chart).map((object) => ({ file: 'hello.k8s.yaml', object })));
}

/** The README's pull-request comment example: the report of moving hello from 10 % to 25 %. */
export function markdownExample(): string {
  const after = helloAt(25);
  return renderMarkdown(after, diffReports(helloAt(10), after));
}
