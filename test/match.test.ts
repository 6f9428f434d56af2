import { RE2JS } from '@bufbuild/re2';
import { Chart } from 'cdk8s';

import { CanaryMatch, IstioCanary } from '../src';
import { cookieAlwaysRegex, re2Problem } from '../src/core/match';
import { expectConfigError } from './util/synth';

// Match validation is shared by every strategy with targeted routing; IstioCanary stands in here.
const build = (match: CanaryMatch[]) => (chart: Chart) =>
  new IstioCanary(chart, 'hello', { stable: { image: 'a:1' }, canary: { image: 'a:2' }, match });

describe('CanaryMatch', () => {
  test('the cookie regex matches the cookie anywhere in the header, only with value always', () => {
    const re = RE2JS.compile(cookieAlwaysRegex('canary'));
    for (const header of ['canary=always', 'a=1; canary=always', 'canary=always; b=2', 'a=1;canary=always ; b=2']) {
      expect([header, re.matches(header)]).toEqual([header, true]);
    }
    for (const header of ['canary=never', 'xcanary=always', 'canary=alwaysx', 'a=canary=always', 'canary=']) {
      expect([header, re.matches(header)]).toEqual([header, false]);
    }
  });

  test('re2Problem accepts RE2 and rejects what only JavaScript accepts', () => {
    expect(re2Problem('^(alice|bob)[0-9]+$')).toBeUndefined();
    expect(re2Problem('(?=a)b')).toMatch(/invalid or unsupported Perl syntax/);
    expect(re2Problem('(a)\\1')).toMatch(/invalid escape sequence/);
  });

  describe('errors', () => {
    test.each([
      [[{}], 'match[0]', 'has no condition: give headers, headerPrefix, headerRegex, cookie or a path'],
      [[{ headers: { 'End User': 'x' } }], 'match[0].headers', '"End User" is not a valid header name (an RFC 7230 token'],
      [[{ headers: { 'X-Canary': 'a', 'x-canary': 'b' } }], 'match[0]', 'matches header "x-canary" twice'],
      [[{ headers: { 'end user': 'x' } }], 'match[0].headers', '"end user" is not a valid header name'],
      [[{ headers: { 'x-a': '' } }], 'match[0].headers.x-a', 'must not be empty'],
      [[{ headers: { 'x-a': 1 as unknown as string } }], 'match[0].headers.x-a', 'must be a string, got 1'],
      [[{ headerRegex: { 'x-a': '' } }], 'match[0].headerRegex.x-a', 'must not be empty'],
      [[{ headerRegex: { 'x-a': '(unclosed' } }], 'match[0].headerRegex.x-a', 'is not a valid RE2 regular expression: error parsing regexp: missing closing )'],
      [[{ headerRegex: { 'x-a': '(?!no)' } }], 'match[0].headerRegex.x-a', 'is not a valid RE2 regular expression'],
      [[{ headers: { 'x-a': '1' }, headerRegex: { 'x-a': '.*' } }], 'match[0]', 'matches header "x-a" twice (exact and regex; names are case-insensitive)'],
      [[{ cookie: 'bad cookie' }], 'match[0].cookie', 'is not a valid cookie name'],
      [[{ cookie: '' }], 'match[0].cookie', 'must be a non-empty string'],
      [[{ cookie: 'beta', headers: { cookie: 'x' } }], 'match[0].cookie', 'also matches the "cookie" header'],
      [[{ cookie: 'beta', weight: 101 }], 'match[0].weight', 'must be an integer from 0 to 100, got 101'],
      [[{ cookie: 'beta', weight: 0.5 }], 'match[0].weight', 'got 0.5'],
      [[{ cookie: 'beta' }, { cookie: 'beta', weight: 10 }], 'match[1]', 'has the same conditions as match[0], so it would never match'],
      [[null as unknown as CanaryMatch], 'match[0]', 'must be an object'],
    ] as [CanaryMatch[], string, string][])('fails when match is %j', (match, prop, text) => {
      expectConfigError(build(match), prop, text);
    });

    test('fails when match is not a list', () => {
      expectConfigError(build({ cookie: 'a' } as unknown as CanaryMatch[]), 'match', 'must be a list of CanaryMatch, got {"cookie":"a"}');
    });
  });
});
