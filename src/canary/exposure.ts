import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { dataMap } from '../core/data-keys';
import { appSelector, objectLabels, Track, trackSelector } from '../core/labels';
import { ObjectMetadata } from '../core/metadata';
import { PortProtocol } from '../core/protocol';
import { annotationsSize, MAX_ANNOTATIONS_SIZE } from '../core/validate';
import { CommonSpec } from './common-props';

// The part of a canary that says how its objects look from outside: the metadata every object
// carries, and the Services in front of the tracks.

/** Metadata for an object of this canary named `<name>` plus `suffix`, with `extraAnnotations` from the prop `extraProp`. */
export function objectMetadata(spec: CommonSpec, suffix = '', extraAnnotations: Record<string, string> = {}, extraProp = 'annotations'): ObjectMetadata {
  const common = spec.exposure.annotations;
  for (const key of Object.keys(extraAnnotations)) {
    if (Object.prototype.hasOwnProperty.call(common, key)) {
      spec.check.fail(extraProp, `sets ${JSON.stringify(key)}, which annotations sets too; set each annotation once`);
    }
  }
  const annotations = { ...common, ...extraAnnotations };
  const size = annotationsSize(annotations);
  if (size > MAX_ANNOTATIONS_SIZE) {
    spec.check.fail(extraProp, `and annotations come to ${size} bytes on ${spec.name + suffix}; the API server refuses annotations over ${MAX_ANNOTATIONS_SIZE} bytes (256 KiB) on one object`);
  }
  return {
    name: spec.name + suffix,
    namespace: spec.namespace,
    labels: objectLabels(spec.labelSource),
    annotations: Object.keys(annotations).length > 0 ? dataMap(Object.entries(annotations)) : undefined,
  };
}

/**
 * A Service on `port`, forwarding to the container port: the one callers use (`serviceName`,
 * with the node port) when `name` is undefined, else `name`. With a track it selects that
 * track's pods (`app` + `track`); without, both tracks (`app`).
 */
export function addService(scope: Construct, spec: CommonSpec, portProtocol: PortProtocol, id: string, name: string | undefined, track?: Track): kplus.Service {
  const callers = name === undefined;
  const service = new kplus.Service(scope, id, {
    metadata: { ...objectMetadata(spec, '', spec.exposure.serviceAnnotations, 'serviceAnnotations'), name: name ?? spec.serviceName },
    type: spec.exposure.type as string as kplus.ServiceType,
    ports: [{
      name: portProtocol.name, port: spec.port, targetPort: spec.containerPort, protocol: kplus.Protocol.TCP,
      nodePort: callers ? spec.exposure.nodePort : undefined,
    }],
  });
  const selector = track === undefined ? appSelector(spec.name) : trackSelector(spec.name, track);
  for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);
  // cdk8s-plus-28's ServicePort has no appProtocol (a core field since Kubernetes 1.20).
  if (portProtocol.appProtocol !== undefined) ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', portProtocol.appProtocol));
  return service;
}
