import { Manifest } from './synth';

/**
 * The Pod Security Standards "restricted" profile (Kubernetes 1.28), checked on a pod spec the way
 * the PodSecurity admission controller does: the baseline controls plus the restricted ones.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range'];

/** Every restricted-profile violation of `pod` (a pod spec), empty when it complies. */
export function restrictedViolations(pod: Manifest): string[] {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  const containers: Manifest[] = [...pod.containers ?? [], ...pod.initContainers ?? [], ...pod.ephemeralContainers ?? []];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push('host namespaces');
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.includes(type)) problems.push(`volume ${volume.name} of type ${type}`);
  }
  for (const sysctl of podContext.sysctls ?? []) if (!SAFE_SYSCTLS.includes(sysctl.name)) problems.push(`sysctl ${sysctl.name}`);
  if (podContext.runAsUser === 0) problems.push('pod runAsUser 0');
  if (podContext.seccompProfile?.type === 'Unconfined') problems.push('pod seccomp Unconfined');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) problems.push(`${where} privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where} allowPrivilegeEscalation not false`);
    const runAsNonRoot = sc.runAsNonRoot ?? podContext.runAsNonRoot;
    if (runAsNonRoot !== true) problems.push(`${where} runAsNonRoot not true`);
    if (sc.runAsUser === 0) problems.push(`${where} runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where} seccompProfile ${seccomp}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where} does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') problems.push(`${where} adds capability ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) problems.push(`${where} hostPort ${p.hostPort}`);
    if (sc.procMount && sc.procMount !== 'Default') problems.push(`${where} procMount ${sc.procMount}`);
  }
  return problems;
}
