// ServiceAccount: a pod that names no service account runs as `default`. Token mounting and the
// check that the account exists come later (skiff has no token controller yet, and refusing
// pods before the default account is created would make every namespace unusable at first).

import type { Pod } from '../../api/types.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../context.js';
import { isMainResource } from './forbidden.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

function admit(attrs: AdmissionAttributes): void {
  if (!isMainResource(attrs, '', 'pods') || attrs.operation !== 'CREATE' || !attrs.obj) return;
  const pod = attrs.obj as Pod;
  // Static pods mirrored by a kubelet are left as the node wrote them.
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined || !pod.spec) return;
  if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = pod.spec.serviceAccount || 'default';
}

export const serviceAccount: AdmissionPlugin = { name: 'ServiceAccount', admit };
