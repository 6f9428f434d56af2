import { Chart, Testing } from 'cdk8s';
import { join } from 'path';

import { IstioCanary } from '../src';
import { loadManifests } from '../src/checks/load';
import { analyze, TrafficReport } from '../src/report/analyze';
import { diffReports } from '../src/report/diff';
import { renderChangesText, renderMarkdown, renderText } from '../src/report/render';

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

const ROOT = join(__dirname, '..');
const TEXT_BLOCK = /(<!-- report: (\S+) -->\n```text\n)[\s\S]*?(\n```\n<!-- end report -->)/g;
/** `report NEW --base OLD`, as the migration guides show it. */
const MIGRATION_BLOCK = /(<!-- report (\S+) --base (\S+) -->\n```text\n)[\s\S]*?(\n```\n<!-- end report -->)/g;
const MARKDOWN_BLOCK = /(<!-- report markdown example: test\/report-example.ts -->\n````markdown\n)[\s\S]*?(\n````\n<!-- end report markdown example -->)/g;

/** The README with every report example re-rendered: text blocks from the file they name, the markdown one from `markdownExample`. */
export function withReportExamples(readme: string): string {
  return readme
    .replace(TEXT_BLOCK, (_, start: string, path: string, end: string) => `${start}${renderText(analyze(loadManifests([join(ROOT, path)]).objects)).trimEnd()}${end}`)
    .replace(MARKDOWN_BLOCK, (_, start: string, end: string) => `${start}${markdownExample().trimEnd()}${end}`)
    .replace(MIGRATION_BLOCK, (_, start: string, after: string, before: string, end: string) => `${start}${migrationText(after, before).trimEnd()}${end}`);
}

/** What `cdk8s-canary report AFTER --base BEFORE` prints. */
export function migrationText(after: string, before: string): string {
  const read = (path: string) => analyze(loadManifests([join(ROOT, path)]).objects);
  const head = read(after);
  return renderChangesText(diffReports(read(before), head), head);
}

/** How many `report --base` examples `doc` has. */
export function migrationExampleCount(doc: string): number {
  return [...doc.matchAll(MIGRATION_BLOCK)].length;
}

/** How many report examples the README has (text, markdown). */
export function reportExampleCount(readme: string): [number, number] {
  return [[...readme.matchAll(TEXT_BLOCK)].length, [...readme.matchAll(MARKDOWN_BLOCK)].length];
}
