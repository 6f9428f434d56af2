import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { CanaryBase } from '../../canary/canary-base';
import { ALB, albConditionsJson, albForwardActionJson, AlbTargetGroup } from '../../core/alb';
import { AlbGroupRule, recordAlbGroupMember } from '../../core/alb-groups';
import { Track } from '../../core/labels';
import { ProgressionEngine } from '../../engines/progression';
import { ALB_CANARY_FIELDS, albBaseProps, AlbCanaryProps, resolveAlbProps } from './props';
import { actionName, checkArgoHeaderRoutes, checkEvaluations, groupMember, headerConditions, matchPath, protocolAnnotations } from './rules';

const USE_ANNOTATION = 'use-annotation';

/**
 * A canary split by an Application Load Balancer (AWS Load Balancer Controller): Ingress `<name>`
 * of class `alb` whose paths forward through `actions.*` annotations to weighted target groups,
 * Services `<serviceName>` (stable) and `<name>-canary`. Targeted `match` entries are rules of
 * their own, before the weighted default.
 */
export class AlbCanary extends CanaryBase {
  /** Service `<serviceName>`, the stable track. */
  public readonly service: kplus.Service;
  /** Service `<name>-canary`, the canary track; undefined in steady state. */
  public readonly canaryService?: kplus.Service;
  /** Ingress `<name>` of class `alb`. */
  public readonly ingress: kplus.k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: AlbCanaryProps) {
    super(scope, id, 'AlbCanary', albBaseProps(props), ALB_CANARY_FIELDS, [ALB]);
    try {
      const { host, path, pathType, scheme, targetType, className, listener, group, stickinessSeconds, matches, extra } = resolveAlbProps(this._spec, props);
      const split = this._routedSplit(matches.map((m) => m.weight));
      this._claimRoute('host', `alb|${group.name ?? `${this._effectiveNamespace}/${this.name}`}|${host ?? '*'}|${pathType}|${path}`,
        `the ALB route ${host ?? '(any host)'}${path} (${pathType})${props.groupName ? ` in group ${props.groupName}` : ''}`);

      this._addTracks(split);
      const argoRuns = this._argoRuns;
      this.service = this._addService('Service', undefined, Track.STABLE);
      this.canaryService = this._addCanaryService();
      if (this._progression.engine === ProgressionEngine.ARGO_ROLLOUTS) checkArgoHeaderRoutes(this._spec, matches);

      const targets = (canaryWeight: number): AlbTargetGroup[] => (this.canaryService
        ? [{ serviceName: this.service.name, servicePort: this.port, weight: 100 - canaryWeight }, { serviceName: this.canaryService.name, servicePort: this.port, weight: canaryWeight }]
        : [{ serviceName: this.service.name, servicePort: this.port }]);
      const routing: Record<string, string> = {};
      const paths: kplus.k8s.HttpIngressPath[] = [];
      const rules: AlbGroupRule[] = [];
      const backend = (action: string) => ({ service: { name: action, port: { name: USE_ANNOTATION } } });
      this._staticMatches(matches).forEach((m, i) => {
        const entryPath = matchPath(this._spec, m, path, pathType);
        const conditions = headerConditions(this._spec, m);
        const action = actionName(this._spec, `${this.name}-match${i}`, 'name', conditions.length > 0);
        checkEvaluations(this._spec, m.prop, host, entryPath.path, entryPath.pathType, conditions);
        routing[`${ALB}actions.${action}`] = albForwardActionJson({ targetGroups: targets(m.weight), stickinessSeconds });
        if (conditions.length > 0) routing[`${ALB}conditions.${action}`] = albConditionsJson(conditions);
        paths.push({ path: entryPath.path, pathType: entryPath.pathType, backend: backend(action) });
        rules.push({ host, ...entryPath, conditional: conditions.length > 0 });
      });
      // Argo Rollouts rewrites the action named after the stable Service (rollout/trafficrouting/alb):
      // it starts all on stable, the canary target group at weight 0.
      const weighted = argoRuns ? actionName(this._spec, this.serviceName, 'serviceName') : actionName(this._spec, `${this.name}-split`, 'name');
      routing[`${ALB}actions.${weighted}`] = albForwardActionJson({
        targetGroups: argoRuns ? [{ serviceName: this.serviceName, servicePort: this.port, weight: 100 }, { serviceName: `${this.name}-canary`, servicePort: this.port, weight: 0 }] : targets(split.effectiveWeight),
        stickinessSeconds: this.canaryService ? stickinessSeconds : undefined,
      });
      checkEvaluations(this._spec, 'path', host, path, pathType, []);
      // Listed after the targeted entries: for one path and path type the controller keeps the listed order.
      paths.push({ path, pathType, backend: backend(weighted) });
      rules.push({ host, path, pathType, conditional: false });
      const member = groupMember(this._spec, this, group, rules, props.groupOrder !== undefined);

      this.ingress = new kplus.k8s.KubeIngress(this, 'Ingress', {
        metadata: this._objectMetadata('', {
          ...extra,
          [`${ALB}scheme`]: scheme,
          [`${ALB}target-type`]: targetType,
          ...listener,
          ...group.annotations,
          ...protocolAnnotations(this._spec, listener),
          ...routing,
        }, 'ingressAnnotations'),
        spec: { ingressClassName: className, rules: [{ host, http: { paths } }] },
      });
      this._addArgoRollout({
        stableService: this.serviceName,
        trafficRouting: {
          alb: {
            ingress: this.name, servicePort: this.port,
            stickinessConfig: stickinessSeconds === undefined ? undefined : { enabled: true, durationSeconds: stickinessSeconds },
          },
        },
        matches,
      });
      this._register();
      if (member) recordAlbGroupMember(this, member);
    } catch (error) {
      throw this._abandon(error);
    }
  }
}
