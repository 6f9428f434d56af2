/**
 * What each construct accepts, by kind: every strategy's props.ts declares its fields here, and
 * the check of an unknown prop reads them to say which other construct takes that prop and what
 * this one has instead (a team moving a service from IstioCanary to GatewayCanary keeps `fault`,
 * or an NginxCanary's `host`, by habit).
 */
export interface AcceptedProps {
  readonly fields: Readonly<Record<string, true>>;
  /** Another construct's prop → what this construct takes for it. */
  readonly equivalents: Readonly<Record<string, string>>;
}

const ACCEPTED = new Map<string, AcceptedProps>();

/** Declares the props `kind` accepts, with this construct's equivalents of other constructs' props. */
export function declareAcceptedProps(kind: string, fields: Readonly<Record<string, true>>, equivalents: Readonly<Record<string, string>> = {}): void {
  ACCEPTED.set(kind, { fields, equivalents });
}

/** Every declaration, by kind (for the test that each equivalent is a prop of its construct). */
export function declaredProps(): ReadonlyMap<string, AcceptedProps> {
  return ACCEPTED;
}

/** Who else takes a prop `kind` does not, and what `kind` has instead; undefined when no construct takes it. */
export interface PropElsewhere {
  /** The constructs that take it, sorted. */
  readonly owners: string[];
  readonly equivalent?: string;
}

/** For a prop `kind` does not take: the other constructs that take it, and this one's equivalent. */
export function propElsewhere(kind: string, prop: string): PropElsewhere | undefined {
  const owners = [...ACCEPTED].filter(([other, accepted]) => other !== kind && Object.prototype.hasOwnProperty.call(accepted.fields, prop)).map(([other]) => other).sort();
  if (owners.length === 0) return undefined;
  const equivalents = ACCEPTED.get(kind)?.equivalents ?? {};
  return { owners, equivalent: Object.prototype.hasOwnProperty.call(equivalents, prop) ? equivalents[prop] : undefined };
}
