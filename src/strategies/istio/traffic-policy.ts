import { DestinationRuleSpecTrafficPolicy, toJson_DestinationRuleSpecTrafficPolicy } from '../../../imports/networking.istio.io';
import { showValue } from '../../core/errors';
import { SchemaNode, schemaProblem } from '../../core/schema-check';
import { PropChecker } from '../../core/validate';
import { TRAFFIC_POLICY_SCHEMAS } from './traffic-policy-schemas';

/**
 * Checks a DestinationRule `trafficPolicy`, passed through as the generated type. The generated
 * converter renames fields to their JSON names (`consecutive5XxErrors` → `consecutive5xxErrors`)
 * and drops every field it does not know without a word, so the check is in two steps: nothing the
 * user wrote may be dropped, and the converted JSON must pass the schema of every Istio release
 * this library supports (1.24.6 and 1.30.3, extracted by imports/crds/extract-traffic-policy.mjs).
 * Returns the JSON the DestinationRule carries.
 */
export function checkTrafficPolicy(check: PropChecker, value: unknown): unknown {
  if (value === undefined) return undefined;
  check.object('trafficPolicy', value, false);
  let json: unknown;
  try {
    json = toJson_DestinationRuleSpecTrafficPolicy(value as DestinationRuleSpecTrafficPolicy);
  } catch (error) {
    check.fail('trafficPolicy', `cannot be converted: ${(error as Error).message}`);
  }
  const dropped = droppedField(value, json, 'trafficPolicy');
  if (dropped) check.fail(dropped.path, dropped.problem);
  for (const [release, schema] of Object.entries(TRAFFIC_POLICY_SCHEMAS as Record<string, SchemaNode>)) {
    const problem = schemaProblem(schema, json, 'trafficPolicy');
    if (problem) {
      const at = problem.indexOf(' ');
      check.fail(problem.slice(0, at), `${problem.slice(at + 1)} (DestinationRule schema of ${release})`);
    }
  }
  return json;
}

/** The first field of `raw` that the conversion to `converted` lost (fields pair up case-insensitively). */
function droppedField(raw: unknown, converted: unknown, path: string): { path: string; problem: string } | undefined {
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      if (!(i in raw)) return { path: `${path}[${i}]`, problem: 'is an empty slot (a hole in the array); remove it' };
      const lost = droppedField(raw[i], Array.isArray(converted) ? converted[i] : undefined, `${path}[${i}]`);
      if (lost) return lost;
    }
    return undefined;
  }
  if (raw === null || typeof raw !== 'object') return undefined;
  const proto = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) return { path, problem: `must be a plain object, got ${showValue(raw)}` };
  const out = converted !== null && typeof converted === 'object' ? converted as Record<string, unknown> : {};
  for (const [key, item] of Object.entries(raw)) {
    if (item === undefined) continue;
    const match = Object.keys(out).find((k) => k.toLowerCase() === key.toLowerCase());
    if (match === undefined) {
      return {
        path: `${path}.${key}`,
        problem: 'is not a field of the generated type DestinationRuleSpecTrafficPolicy, so it would be dropped without a word (check the spelling; a few TypeScript names differ from the YAML ones, e.g. consecutive5XxErrors)',
      };
    }
    const lost = droppedField(item, out[match], `${path}.${match}`);
    if (lost) return lost;
  }
  return undefined;
}
