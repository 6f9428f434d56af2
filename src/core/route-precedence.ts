/**
 * Gateway API's precedence among the rules of a route, written once for the construct that must
 * list its rules in that order and for the report that reads them back.
 * HTTPRoute (HTTPRouteRule docs): an exact path, then the longest path prefix, then a method
 * match, then the most header matches, then the most query-param matches; regular-expression
 * paths rank as each implementation decides (lowest here).
 * GRPCRoute (GRPCRouteRule docs): the most characters of the matched service, then of the
 * method, then the most header matches.
 */

/** How a rule's path is matched, in Gateway API's terms. */
export type GatewayPathKind = 'Exact' | 'PathPrefix' | 'RegularExpression';

/** The rank of an HTTPRoute match: compare with `compareRanks`. */
export function httpRouteRank(pathKind: GatewayPathKind, pathLength: number, headers: number, method = false, queryParams = 0): number[] {
  const rest = [method ? 1 : 0, headers, queryParams];
  return pathKind === 'Exact' ? [2, pathLength, ...rest] : pathKind === 'PathPrefix' ? [1, pathLength, ...rest] : [0, 0, ...rest];
}

/** The rank of a GRPCRoute match. */
export function grpcRouteRank(serviceLength: number, methodLength: number, headers: number): number[] {
  return [serviceLength, methodLength, headers];
}

/** Positive when `a` takes precedence over `b`, negative when `b` does, 0 on a tie. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  const k = a.findIndex((v, j) => v !== b[j]);
  return k < 0 ? 0 : a[k] - b[k];
}
