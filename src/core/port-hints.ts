import { ImageReference } from './image';

/**
 * What can be known, before a pod runs, about the port its application listens on: the port of
 * a few widely used images (the port their documentation and Dockerfile `EXPOSE` give), and the
 * port a user's own probe checks. A container port that disagrees with either gives pods whose
 * default TCP probes never pass: they never become ready, and the rollout stalls without a word.
 */

/** Ports of well-known images, by repository (Docker Hub names without `docker.io/library/`). */
const KNOWN_IMAGE_PORTS: ReadonlyMap<string, number> = new Map([
  // The scenarios our users start from (../SCENARIOS.md): the flask app listens on 5000.
  ['dbdudska113/flask_y', 5000],
  ['honester/hello-server', 8080],
  ['stacksimplify/kube-notifications-microservice', 8096],
  // Web servers and test backends, as their images document them.
  ['nginx', 80],
  ['httpd', 80],
  ['nginxinc/nginx-unprivileged', 8080],
  ['traefik/whoami', 80],
  ['hashicorp/http-echo', 5678],
  ['kennethreitz/httpbin', 80],
  ['mccutchen/go-httpbin', 8080],
  ['stefanprodan/podinfo', 9898],
  ['ghcr.io/stefanprodan/podinfo', 9898],
  ['gcr.io/google-samples/hello-app', 8080],
  ['us-docker.pkg.dev/google-samples/containers/gke/hello-app', 8080],
]);

/** The repository as the table keys it: Docker Hub's implicit registry and `library/` removed. */
function shortRepository(repository: string): string {
  const withoutRegistry = repository.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return withoutRegistry.replace(/^library\//, '');
}

/** The port `image` is known to listen on, or undefined. */
export function knownImagePort(image: ImageReference): number | undefined {
  return KNOWN_IMAGE_PORTS.get(shortRepository(image.repository));
}

/** Why the container port looks wrong for a track, or undefined. */
export function containerPortHint(input: {
  readonly image: ImageReference;
  readonly containerPort: number;
  readonly containerPortGiven: boolean;
  /** The track sets its own command, args or a `*PORT*` variable, any of which may change the port. */
  readonly customCommand: boolean;
}): string | undefined {
  const known = knownImagePort(input.image);
  if (known === undefined || known === input.containerPort || input.customCommand) return undefined;
  const source = input.containerPortGiven ? `containerPort is ${input.containerPort}` : `containerPort is ${input.containerPort} (by default, the same as port)`;
  return `${input.image.repository} listens on ${known}, but ${source}: the default probes check ${input.containerPort} and the pods would never become ready; set containerPort: ${known} (port, what callers use, can stay)`;
}
