// The metrics.k8s.io/v1beta1 kinds as registry entries. They are listed in discovery like any
// served kind, but never stored: the resource handler hands the group to ./handler.ts, which
// answers from the kubelets' Summary API. Only get and list, as metrics-server serves them.

import type { ResourceRegistry, ResourceType } from '../../api/resources.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
export const METRICS_API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

function metricsKind(kind: string, resource: string, namespaced: boolean): ResourceType {
  return {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    kind,
    resource,
    singular: '',
    namespaced,
    shortNames: [],
    subresources: [],
    categories: [],
    verbs: ['get', 'list'],
  };
}

export const NODE_METRICS = metricsKind('NodeMetrics', 'nodes', false);
export const POD_METRICS = metricsKind('PodMetrics', 'pods', true);

export function addMetricsResources(registry: ResourceRegistry): void {
  registry.add(NODE_METRICS);
  registry.add(POD_METRICS);
}

export function isMetricsType(t: Pick<ResourceType, 'group'>): boolean {
  return t.group === METRICS_GROUP;
}
