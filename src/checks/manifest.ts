// What the checks read and what they report: shared by the safe synth, the report and the tests.

/** A parsed manifest: plain JSON as YAML gives it. */
export interface Manifest {
  readonly [key: string]: unknown;
}

/** One problem, with the file and object it is about. */
export interface ManifestProblem {
  readonly file: string;
  readonly object: string;
  /** The field path in the object (`spec.selector.matchLabels`); empty for the whole object. */
  readonly field: string;
  readonly message: string;
}

/** A problem as one line: `dist/a.yaml VirtualService/hello (spec.http[0].route): …`. */
export function describeProblem(problem: ManifestProblem): string {
  return `${problem.file} ${problem.object}${problem.field ? ` (${problem.field})` : ''}: ${problem.message}`;
}

/** A manifest and the file it came from. */
export interface LocatedManifest {
  readonly file: string;
  readonly manifest: Manifest;
}

/** `problem` as said of an object of `cluster` (CanaryScope); unchanged for the objects of no cluster. */
export function inCluster(problem: ManifestProblem, cluster: string): ManifestProblem {
  return cluster === '' ? problem : { ...problem, object: `${problem.object} (cluster ${cluster})` };
}
