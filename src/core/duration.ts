import { Duration } from 'cdk8s';

/**
 * A duration as a protobuf JSON string (`10s`, `0.25s`), the form Istio's API documents and
 * every Istio version parses. Millisecond precision, as Envoy applies it.
 */
export function protoDuration(duration: Duration): string {
  const ms = Math.round(duration.toMilliseconds({ integral: false }));
  return `${ms / 1000}s`;
}

/**
 * A duration in the Gateway API's format (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): whole seconds as `Ns`,
 * else milliseconds (`250ms`), combining units when a number would exceed five digits.
 */
export function gatewayDuration(duration: Duration): string {
  let ms = Math.round(duration.toMilliseconds({ integral: false }));
  if (ms % 1000 === 0 && ms / 1000 < 100000) return `${ms / 1000}s`;
  if (ms < 100000) return `${ms}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600000], ['m', 60000], ['s', 1000], ['ms', 1]] as const) {
    const count = Math.floor(ms / size);
    if (count > 0) parts.push(`${count}${unit}`);
    ms -= count * size;
  }
  return parts.join('');
}
