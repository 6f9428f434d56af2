import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * User-supplied keys (header names, label and annotation keys, environment variable names) are
 * data. JavaScript objects are not neutral maps for them, and neither is cdk8s's renderer:
 * assigning `obj['__proto__'] = v` replaces the prototype instead of adding a key, and cdk8s's
 * `resolve` and `sanitizeValue` treat an object whose own `constructor` is a string as a class
 * instance ("can't render non-simple object"). So a key that names a member of
 * `Object.prototype` travels through cdk8s and cdk8s-plus escaped, and every ApiObject of a
 * construct that used one restores it in its final JSON.
 */
const ESCAPE = '\u0000cdk8s-canary:';

/** True when `key` would collide with a member of every JavaScript object. */
export function isPrototypeKey(key: string): boolean {
  return key in Object.prototype;
}

let escapes = 0;

/** How many keys have been escaped so far: a construct compares it before and after it is built. */
export function escapeCount(): number {
  return escapes;
}

/** `key` as it may be used as a property name inside cdk8s: escaped when it is a prototype key. */
export function dataKey(key: string): string {
  if (!isPrototypeKey(key)) return key;
  escapes++;
  return ESCAPE + key;
}

/** A plain object with the given entries, each key through `dataKey`. */
export function dataMap<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const map: Record<string, V> = {};
  for (const [key, value] of entries) map[dataKey(key)] = value;
  return map;
}

/** Own property lookup that never reaches the prototype. */
export function ownValue<V>(map: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

function restore(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(ESCAPE) ? value.slice(ESCAPE.length) : value;
  if (Array.isArray(value)) return value.map(restore);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k.startsWith(ESCAPE) ? k.slice(ESCAPE.length) : k, restore(v)] as const);
  const escaped = entries.length !== Object.keys(value).filter((k) => !k.startsWith(ESCAPE)).length;
  // cdk8s sorts keys; an escaped key sorted first, so re-sort where one was restored.
  if (escaped) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const result: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    // defineProperty: a plain assignment of "__proto__" would set the prototype.
    Object.defineProperty(result, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Makes every ApiObject under `scope` restore escaped keys and names in its rendered JSON. */
export function restoreDataKeysOnSynth(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    const render = child.toJson.bind(child);
    child.toJson = () => restore(render());
  }
}
