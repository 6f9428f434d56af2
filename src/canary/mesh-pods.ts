import { ownValue } from '../core/data-keys';
import { showValue } from '../core/errors';
import { ISTIO_PROXY_UID, ISTIO_RESERVED_PORTS } from '../core/hosts';
import { CommonSpec } from './common-props';

/**
 * The rules an Istio sidecar imposes on the pods it joins: no application port in the proxy's
 * reserved block, pods not opted out of injection, and no container running as the proxy's own
 * UID (its traffic is not captured). `router` names who routes the pods, for the messages.
 */
export function checkMeshPods(spec: CommonSpec, router: string): void {
  const check = spec.check;
  for (const [prop, port] of [['port', spec.port], ['containerPort', spec.containerPort]] as const) {
    if (port >= ISTIO_RESERVED_PORTS.min && port <= ISTIO_RESERVED_PORTS.max) {
      check.fail(prop, `is ${port}, in the block ${ISTIO_RESERVED_PORTS.min}-${ISTIO_RESERVED_PORTS.max} the Istio sidecar uses in every pod of ${router}; choose another port`);
    }
  }
  // istiod's injection webhook reads sidecar.istio.io/inject from the pod's labels (and, older,
  // its annotations): "false" leaves the pods out of the mesh, so nothing routes them by subset or
  // waypoint and the destination metrics an engine's analysis reads are never written.
  const inject = 'sidecar.istio.io/inject';
  const tracks = [spec.stableTrack, spec.canaryTrack];
  const podKeys: [string, Readonly<Record<string, string>>][] = [['labels', spec.labelSource.extraLabels]];
  for (const track of tracks) if (track) podKeys.push([`${track.prop}.podAnnotations`, track.podAnnotations]);
  for (const [prop, map] of podKeys) {
    const value = ownValue(map, inject);
    if (value !== undefined && value !== 'true') check.fail(prop, `sets ${inject}: ${showValue(value)}, which keeps the pods of ${router} out of the mesh that routes them; remove it`);
  }
  for (const track of tracks) {
    if (track?.security.runAsUser === ISTIO_PROXY_UID) {
      check.fail(`${track.prop}.securityContext.runAsUser`, `is ${ISTIO_PROXY_UID}, the Istio sidecar's own UID: traffic of a process with it bypasses the mesh, so ${router} would not route it; choose another UID`);
    }
  }
}
