import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { CanaryBase } from '../../canary/canary-base';
import { Track } from '../../core/labels';
import { MetricSource } from '../../engines/analysis';
import { FlaggerProvider } from '../../engines/flagger';
import { NGINX } from './annotations';
import { NGINX_CANARY_FIELDS, NginxCanaryProps, resolveNginxProps } from './props';

/**
 * A canary split by ingress-nginx: a main Ingress `<name>` to Service `<name>` (stable) and a
 * canary Ingress `<name>-canary` with the same class, host, path and path type to Service
 * `<name>-canary`, steered by the `canary-*` annotations.
 */
export class NginxCanary extends CanaryBase {
  /** Service `<name>`, the stable track. */
  public readonly service?: kplus.Service;
  /** Service `<name>-canary`, the canary track; undefined in steady state. */
  public readonly canaryService?: kplus.Service;
  /** Ingress `<name>`. */
  public readonly ingress: kplus.k8s.KubeIngress;
  /** Ingress `<name>-canary`; undefined in steady state. */
  public readonly canaryIngress?: kplus.k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: NginxCanaryProps) {
    super(scope, id, 'NginxCanary', props, NGINX_CANARY_FIELDS);
    try {
      const { host, path, pathType, className, matches, targeting, weighting, sticky, extra, tlsSecret, protocol } = resolveNginxProps(this._spec, props);
      // A request whose cookie is "never" goes to stable whatever the weight: stable needs a pod.
      const neverToStable = matches.some((m) => m.cookie !== undefined) ? [0] : [];
      const split = this._routedSplit([...matches.map((m) => m.weight), ...neverToStable], weighting.percent);
      this._claimRoute('host', `nginx|${className}|${host ?? '*'}|${path}`,
      `the ingress-nginx route ${host ?? '(any host)'}${path} of class ${className}`);

      this._addTracks(split);
      // Flagger generates the Services (the apex one named serviceName) and the canary Ingress.
      const flagger = this._flaggerRoutes;
      this.service = flagger ? undefined : this._addService('Service', undefined, Track.STABLE);
      // Argo Rollouts points Service <name>-canary at its canary pods by their pod-template hash.
      this.canaryService = flagger ? undefined : this._addCanaryService();

      const rule = (serviceName: string): kplus.k8s.IngressRule => ({
        host,
        http: { paths: [{ path, pathType, backend: { service: { name: serviceName, port: { number: this.port } } } }] },
      });
      this.ingress = new kplus.k8s.KubeIngress(this, 'Ingress', {
        metadata: this._objectMetadata('', { ...extra, ...sticky.main, ...protocol }, 'ingressAnnotations'),
        spec: {
          ingressClassName: className,
          rules: [rule(this.serviceName)],
          tls: tlsSecret ? [{ hosts: [host!], secretName: tlsSecret }] : undefined,
        },
      });
      if (this.canaryService && !this._argoRuns) {
        this.canaryIngress = new kplus.k8s.KubeIngress(this, 'CanaryIngress', {
          metadata: this._objectMetadata('-canary', { [`${NGINX}canary`]: 'true', ...weighting.annotations, ...targeting, ...sticky.canary }),
          spec: { ingressClassName: className, rules: [rule(this.canaryService.name)] },
        });
      }
      // Argo Rollouts clones the main Ingress into <name>-<name>-canary and sets its weight
      // (rollout/trafficrouting/nginx); the requests of either count under the main Ingress.
      this._addArgoRollout({ stableService: this.serviceName, trafficRouting: { nginx: { stableIngress: this.name } }, metrics: { source: MetricSource.NGINX } });
      this._addFlaggerCanary({ provider: FlaggerProvider.NGINX, ingressName: this.name, matches, nginx: true, metricSource: MetricSource.NGINX });
      this._register();
    } catch (error) {
      throw this._abandon(error);
    }
  }
}
