import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { excerptCount, withDistExcerpts } from './catalogue/readme-excerpts';
import { reportExampleCount, withReportExamples } from './report-example';

test('the README\'s YAML excerpts are what dist/ holds (npm run docs re-copies them)', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  expect(excerptCount(readme)).toBe(9);
  expect(withDistExcerpts(readme)).toBe(readme);
});

test('an excerpt that names an object dist/ does not hold is an error, not an empty block', () => {
  const broken = '<!-- dist: greeter-grpc-istio.k8s.yaml Service/nope -->\n```yaml\n```\n<!-- end dist -->';
  expect(() => withDistExcerpts(broken)).toThrow('README excerpt: no Service/nope in dist/greeter-grpc-istio.k8s.yaml');
});

test('the README\'s report examples are what the report prints (npm run docs re-renders them)', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  // The dist/ chart, the hand-written hello canary, and the pull-request comment.
  expect(reportExampleCount(readme)).toEqual([2, 1]);
  expect(withReportExamples(readme)).toBe(readme);
});
