import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { docFiles, readDoc, ROOT } from './catalogue/doc-files';
import { distSizeCount, excerptCount, withDistExcerpts } from './catalogue/readme-excerpts';
import { migrationExampleCount, reportExampleCount, withReportExamples } from './report-example';

const README_MAX_LINES = 400;

test('the documentation is the README and the guides in docs/', () => {
  expect(docFiles()).toEqual(expect.arrayContaining(['README.md', 'docs/errors.md', 'docs/istio-canary.md', 'docs/development.md']));
  expect(docFiles().length).toBeGreaterThanOrEqual(18);
});

test('the YAML excerpts of the README and the guides are what dist/ holds (npm run docs re-copies them)', () => {
  const counts = new Map(docFiles().map((file): [string, number] => [file, excerptCount(readDoc(file))]));
  // One per strategy in the README; the guides' own.
  expect(counts.get('README.md')).toBe(5);
  expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(16);
  for (const file of docFiles()) expect([file, withDistExcerpts(readDoc(file))]).toEqual([file, readDoc(file)]);
});

test('where the docs state the size of dist/, it is counted from dist/ (no stale number can land)', () => {
  expect(docFiles().map((file) => distSizeCount(readDoc(file))).reduce((a, b) => a + b, 0)).toBe(3);
  expect(readDoc('docs/example-app.md')).toMatch(/<!-- dist size -->\d+ charts, \d+ objects<!-- end dist size -->/);
  expect(withDistExcerpts('<!-- dist size -->1 charts, 2 objects<!-- end dist size -->')).not.toContain('1 charts, 2 objects');
});

test('an excerpt that names an object dist/ does not hold is an error, not an empty block', () => {
  const broken = '<!-- dist: greeter-grpc-istio.k8s.yaml Service/nope -->\n```yaml\n```\n<!-- end dist -->';
  expect(() => withDistExcerpts(broken)).toThrow('README excerpt: no Service/nope in dist/greeter-grpc-istio.k8s.yaml');
});

test('the report examples are what the report prints (npm run docs re-renders them)', () => {
  const report = readDoc('docs/report.md');
  // The dist/ chart, the hand-written hello canary, and the pull-request comment.
  expect(reportExampleCount(report)).toEqual([2, 1]);
  // Each migration guide shows the report of its example pair.
  expect(['docs/migrate-from-ingress-nginx.md', 'docs/migrate-from-istio.md'].map((f) => migrationExampleCount(readDoc(f)))).toEqual([1, 1]);
  for (const file of docFiles()) expect([file, withReportExamples(readDoc(file))]).toEqual([file, readDoc(file)]);
});

test(`the README is an entry page: at most ${README_MAX_LINES} lines, linking every guide`, () => {
  const readme = readDoc('README.md');
  expect(readme.split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  for (const file of docFiles().filter((f) => f.startsWith('docs/'))) expect([file, readme.includes(`](${file})`)]).toEqual([file, true]);
});

test('every relative link of the README and the guides points at a file that exists', () => {
  const broken: string[] = [];
  for (const file of docFiles()) {
    for (const [, target] of readDoc(file).matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (!existsSync(join(ROOT, file, '..', target))) broken.push(`${file} → ${target}`);
    }
  }
  expect(broken).toEqual([]);
});

test('docs/example-app.md names every chart of dist/, and no chart that is not there', () => {
  const expand = (name: string): string[] => {
    const braces = /\{([^{}]+)\}/.exec(name);
    if (!braces) return [name];
    const [from, to] = braces[1].split('..');
    const values = to === undefined ? braces[1].split(',') : Array.from({ length: Number(to) - Number(from) + 1 }, (_, i) => String(Number(from) + i));
    return values.flatMap((v) => expand(name.replace(braces[0], v)));
  };
  const table = readDoc('docs/example-app.md').split('\n').filter((line) => line.startsWith('| `'));
  const named = table.flatMap((row) => [...row.split('|')[1].matchAll(/`([^`]+)`/g)].flatMap(([, name]) => expand(name))).sort();
  const charts = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.k8s.yaml')).map((f) => f.replace(/\.k8s\.yaml$/, '')).sort();
  expect(named).toEqual(charts);
});
