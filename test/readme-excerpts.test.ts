import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { analyze } from '../src/report/analyze';
import { loadManifests } from '../src/report/load';
import { renderText } from '../src/report/render';
import { excerptCount, withDistExcerpts } from './catalogue/readme-excerpts';
import { markdownExample } from './report-example';

test('the README\'s YAML excerpts are what dist/ holds (npm run docs re-copies them)', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  expect(excerptCount(readme)).toBe(6);
  expect(withDistExcerpts(readme)).toBe(readme);
});

test('an excerpt that names an object dist/ does not hold is an error, not an empty block', () => {
  const broken = '<!-- dist: greeter-grpc-istio.k8s.yaml Service/nope -->\n```yaml\n```\n<!-- end dist -->';
  expect(() => withDistExcerpts(broken)).toThrow('README excerpt: no Service/nope in dist/greeter-grpc-istio.k8s.yaml');
});

test('the README\'s report example is what the report prints for that chart of dist/', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const match = /<!-- report: (\S+) -->\n```text\n([\s\S]*?)\n```\n<!-- end report -->/.exec(readme);
  expect(match).not.toBeNull();
  const report = analyze(loadManifests([join(__dirname, '..', 'dist', match![1])]).objects);
  expect(renderText(report).trimEnd()).toBe(match![2]);
});

test('the README\'s pull-request comment example is what --format markdown prints for that change', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const match = /<!-- report markdown example: test\/report-example.ts -->\n````markdown\n([\s\S]*?)\n````\n<!-- end report markdown example -->/.exec(readme);
  expect(match).not.toBeNull();
  expect(match![1]).toBe(markdownExample().trimEnd());
});
