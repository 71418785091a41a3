// The Greeting kind as the controller sees it, and what one Greeting asks for: a ConfigMap
// named after it, owned by it (so deleting the Greeting collects the ConfigMap), holding one
// line per recipient. Pure functions, so the rules are tested without a server.

import { newOwnerRef } from '../../api/meta.js';
import type { ResourceType } from '../../api/resources.js';
import type { ConfigMap, KubeObject } from '../../api/types.js';

export interface GreetingCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface Greeting extends KubeObject {
  spec: { message: string; recipients?: string[]; punctuation?: string };
  status?: { configMapName?: string; observedGeneration?: number; conditions?: GreetingCondition[] };
}

/** Matches crd.yaml; the client builds paths from it. */
export const GREETINGS: ResourceType = {
  group: 'examples.skiff.dev',
  version: 'v1',
  kind: 'Greeting',
  resource: 'greetings',
  singular: 'greeting',
  namespaced: true,
  shortNames: ['gr'],
  subresources: ['status'],
  categories: [],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
};

/** The key the greeting text is kept under in the ConfigMap. */
export const GREETING_KEY = 'greeting.txt';

export function configMapNameFor(greeting: Greeting): string {
  return `greeting-${greeting.metadata?.name ?? ''}`;
}

/** One line per recipient: `Hello, world!`. The schema defaults recipients and punctuation. */
export function greetingText(greeting: Greeting): string {
  const { message, recipients = ['world'], punctuation = '!' } = greeting.spec;
  return recipients.map((r) => `${message}, ${r}${punctuation}\n`).join('');
}

/** The ConfigMap `greeting` asks for. */
export function desiredConfigMap(greeting: Greeting): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapNameFor(greeting),
      namespace: greeting.metadata?.namespace,
      labels: { 'examples.skiff.dev/greeting': greeting.metadata?.name ?? '' },
      ownerReferences: [newOwnerRef(greeting, GREETINGS)],
    },
    data: { [GREETING_KEY]: greetingText(greeting) },
  };
}

/** True when `current` already holds what `desired` asks for (data and labels we own). */
export function configMapUpToDate(current: ConfigMap, desired: ConfigMap): boolean {
  const labels = current.metadata?.labels ?? {};
  const wantLabels = desired.metadata?.labels ?? {};
  return current.data?.[GREETING_KEY] === desired.data?.[GREETING_KEY] && Object.entries(wantLabels).every(([k, v]) => labels[k] === v);
}
