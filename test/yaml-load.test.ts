import fc from 'fast-check';

import { parseYamlFile, slowDocuments } from '../src/checks/load';

/**
 * The report reads plain YAML with js-yaml (fast) and everything else with the `yaml` package,
 * both as kubectl reads YAML 1.1: the two paths must read any text alike.
 */
const read = (text: string) => parseYamlFile(new TextEncoder().encode(text), 'f.yaml');

const SCALARS = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'true', 'False', 'TRUE', '~', 'null', 'Null', '', '0777', '0o17', '0x1F', '0b101', '1_000', '190:20:30',
  '1.5e3', '1e3', '.inf', '-.Inf', '.NaN', '08', '012', '+12', '-0', '3.', '.5', '1.2.3', '8080', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '=',
  'v1', '1.27', '0.0.0.0', '-1', '1e-3', '0xZZ', '12:30', '1:2:3.5', 'NaN', 'nan', '"quoted 8"', "'single'", '0b', '1_', '_1', '+.inf',
];

test('property: js-yaml and the yaml package read the same documents from any mix of YAML 1.1 scalars', () => {
  const doc = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'port', 'v'), fc.constantFrom(...SCALARS)), { minLength: 1, maxLength: 6 })
    .map((pairs) => [...new Map(pairs)].map(([k, v]) => `${k}: ${v}`).join('\n'));
  fc.assert(fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), (docs) => {
    const text = docs.join('\n---\n') + '\n';
    const fast = read(text);
    const slow = slowDocuments(text, 'f.yaml');
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  }), { numRuns: 300 });
});

test('sequences, nesting and block scalars read alike', () => {
  const text = 'a:\n  - yes\n  - 08\n  - [on, 1e3, "x"]\nb: |\n  line 1\n  line 2\nc: >-\n  folded\n  text\nd: {e: 0777, f: ~}\n';
  expect(JSON.stringify(read(text))).toBe(JSON.stringify(slowDocuments(text, 'f.yaml')));
  expect(read(text).values[0]).toEqual({ a: [true, 8, [true, 1000, 'x']], b: 'line 1\nline 2\n', c: 'folded text', d: { e: 511, f: null } });
});

test('what the fast path leaves to the yaml package: aliases (with its limit), merge keys, __proto__, errors', () => {
  const merge = 'base: &b {x: 1}\nobj:\n  <<: *b\n  z: 2\n';
  expect(read(merge).values[0]).toEqual({ base: { x: 1 }, obj: { x: 1, z: 2 } });
  const proto = '__proto__: {polluted: yes}\nkind: Service\n';
  const value = read(proto).values[0] as Record<string, unknown>;
  expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(read('a: 1\na: 2\n').errors).toEqual(slowDocuments('a: 1\na: 2\n', 'f.yaml').errors);
  expect(read('a: 1\na: 2\n').errors).toHaveLength(1);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
  expect(read(bomb).errors[0]).toMatch(/excessive aliasing|aliases that expand this far are refused/);
});
