// Admission: the plugins every write passes, in upstream's order. `admit` runs the mutating
// steps (before validation), `validate` the checks (after validation, before the write). A
// plugin refuses by throwing an ApiError. EventTTL lives in the HTTP layer.

import type { AdmissionAttributes, AdmissionPlugin, ServerParts } from '../context.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { priority } from './priority.js';
import { serviceAccount } from './service-account.js';
import { serviceAddresses } from '../services/allocation-admission.js';

// ServiceAddresses allocates in the validating phase, last, so nothing refuses the write after it.
export const plugins: readonly AdmissionPlugin[] = [namespaceLifecycle, serviceAccount, defaultTolerationSeconds, priority, serviceAddresses];

export async function runAdmission(phase: 'admit' | 'validate', attrs: AdmissionAttributes, parts: ServerParts, list: readonly AdmissionPlugin[] = plugins): Promise<void> {
  for (const plugin of list) {
    const step = phase === 'admit' ? plugin.admit : plugin.validate;
    if (step) await step.call(plugin, attrs, parts);
  }
}
