/** Metadata of an object a canary emits: what the canary's parts and the engines stamp on it. */
export interface ObjectMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
