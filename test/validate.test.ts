import { showValue } from '../src/core/errors';
import { isLabelValue, PropChecker, qualifiedNameProblem } from '../src/core/validate';

describe('validation helpers', () => {
  test('label values', () => {
    expect(['', 'v1', 'a.b_c-d', 'A'.repeat(63)].map(isLabelValue)).toEqual([true, true, true, true]);
    expect(['-a', 'a-', 'a b', 'A'.repeat(64), 'ä'].map(isLabelValue)).toEqual([false, false, false, false, false]);
  });

  test('qualified names (label and annotation keys)', () => {
    expect(qualifiedNameProblem('app')).toBeUndefined();
    expect(qualifiedNameProblem('example.com/team')).toBeUndefined();
    expect(qualifiedNameProblem('Example.com/team')).toMatch(/prefix that is not a DNS-1123 subdomain/);
    expect(qualifiedNameProblem('a/')).toMatch(/is not a qualified name/);
    expect(qualifiedNameProblem('x'.repeat(64))).toMatch(/is not a qualified name/);
  });

  test('values shown as written', () => {
    expect([showValue('a'), showValue(1), showValue(NaN), showValue(undefined), showValue(null), showValue([1]), showValue(() => 1)])
      .toEqual(['"a"', '1', 'NaN', 'undefined', 'null', '[1]', 'a function']);
    expect(showValue({ long: 'x'.repeat(100) })).toHaveLength(80);
  });

  test('errors start with kind, path and prop', () => {
    const check = new PropChecker('IstioCanary', 'shop/hello');
    expect(() => check.integer('port', 0, { min: 1, max: 65535 })).toThrow('IstioCanary shop/hello: port must be an integer from 1 to 65535, got 0');
    expect(() => check.hostname('host', 'a..b')).toThrow('IstioCanary shop/hello: host must be a lower-case DNS name');
    expect(() => check.stringList('args', 'x')).toThrow('IstioCanary shop/hello: args must be a list of strings, got "x"');
    expect(check.oneOf('mode', undefined, ['a', 'b'], 'a')).toBe('a');
  });
});
