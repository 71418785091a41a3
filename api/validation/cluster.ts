// The remaining kinds: Namespace, Node, ConfigMap, Secret, ServiceAccount, Event, Lease,
// PodDisruptionBudget, PriorityClass and ControllerRevision.

import { isConfigMapKey, isIPv4, isLabelValue, isQualifiedName } from '../names.js';
import type { ConfigMap, ControllerRevision, Event, Lease, Namespace, Node, PodDisruptionBudget, PriorityClass, Secret } from '../types.js';
import { immutable, intOrPercent, labelSelector, nonNegative, oneOf, positive } from './common.js';
import { type FieldError, Path, fieldErrors, invalidEach } from './field.js';

/** The most a ConfigMap's or Secret's data may hold (1 MiB), as etcd values stay small. */
export const MAX_DATA_SIZE = 1024 * 1024;
const MAX_USER_PRIORITY = 1_000_000_000;
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-cluster-critical': 2_000_000_000, 'system-node-critical': 2_000_001_000 };

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  (ns.spec?.finalizers ?? []).forEach((f, i) => errs.push(...invalidEach(Path.root('spec').child('finalizers').index(i), f, isQualifiedName(f))));
  return errs;
}

const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function isCIDRv4(text: string): boolean {
  const [ip, bits, ...rest] = text.split('/');
  return rest.length === 0 && bits !== undefined && /^(\d|[12]\d|3[0-2])$/.test(bits) && isIPv4(ip);
}

export function validateNode(node: Node): FieldError[] {
  const path = Path.root('spec');
  const spec = node.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.podCIDR && !isCIDRv4(spec.podCIDR)) errs.push(fieldErrors.invalid(path.child('podCIDR'), spec.podCIDR, CIDR_MESSAGE));
  (spec.podCIDRs ?? []).forEach((c, i) => {
    if (!isCIDRv4(c)) errs.push(fieldErrors.invalid(path.child('podCIDRs').index(i), c, CIDR_MESSAGE));
  });
  if (spec.podCIDR && spec.podCIDRs?.length && spec.podCIDRs[0] !== spec.podCIDR) {
    errs.push(fieldErrors.invalid(path.child('podCIDRs'), spec.podCIDRs, 'the first entry must match podCIDR'));
  }
  const seen = new Set<string>();
  (spec.taints ?? []).forEach((t, i) => {
    const tp = path.child('taints').index(i);
    if (!t.key) errs.push(fieldErrors.required(tp.child('key')));
    else errs.push(...invalidEach(tp.child('key'), t.key, isQualifiedName(t.key)));
    if (t.value) errs.push(...invalidEach(tp.child('value'), t.value, isLabelValue(t.value)));
    errs.push(...oneOf(t.effect, tp.child('effect'), ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], true));
    const pair = `${t.key}:${t.effect}`;
    if (seen.has(pair)) errs.push(fieldErrors.duplicate(tp, { key: t.key, effect: t.effect }));
    seen.add(pair);
  });
  return errs;
}

/** podCIDR and providerID are set once (from "" to a value) and then kept. */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const path = Path.root('spec');
  const errs: FieldError[] = [];
  if (old.spec?.podCIDR && node.spec?.podCIDR !== old.spec.podCIDR) {
    errs.push(fieldErrors.forbidden(path.child('podCIDR'), 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && node.spec?.providerID !== old.spec.providerID) {
    errs.push(fieldErrors.forbidden(path.child('providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

function dataKeys(keys: string[], field: string): FieldError[] {
  return keys.flatMap((k) => invalidEach(Path.root(field).key(k), k, isConfigMapKey(k)));
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64Size = (b64: string) => Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const data = cm.data ?? {};
  const binary = cm.binaryData ?? {};
  const errs = [...dataKeys(Object.keys(data), 'data'), ...dataKeys(Object.keys(binary), 'binaryData')];
  for (const k of Object.keys(binary)) {
    if (k in data) errs.push(fieldErrors.invalid(Path.root('data').key(k), k, 'duplicate of key present in binaryData'));
    if (!BASE64_RE.test(binary[k])) errs.push(fieldErrors.invalid(Path.root('binaryData').key(k), '<binary>', 'illegal base64 data'));
  }
  let size = 0;
  for (const [k, v] of Object.entries(data)) size += k.length + Buffer.byteLength(v);
  for (const [k, v] of Object.entries(binary)) size += k.length + base64Size(v);
  if (size > MAX_DATA_SIZE) errs.push(fieldErrors.tooLong(Path.root('data'), MAX_DATA_SIZE));
  return errs;
}

/** Keys each well-known Secret type must carry. */
const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export function validateSecret(secret: Secret): FieldError[] {
  const data = secret.data ?? {};
  const stringData = secret.stringData ?? {};
  const errs = [...dataKeys(Object.keys(data), 'data'), ...dataKeys(Object.keys(stringData), 'stringData')];
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    if (!BASE64_RE.test(v)) errs.push(fieldErrors.invalid(Path.root('data').key(k), '<secret contents redacted>', 'illegal base64 data'));
    size += base64Size(v);
  }
  for (const v of Object.values(stringData)) size += Buffer.byteLength(v);
  if (size > MAX_DATA_SIZE) errs.push(fieldErrors.tooLong(Path.root('data'), MAX_DATA_SIZE));
  const required = secret.type && Object.hasOwn(SECRET_REQUIRED_KEYS, secret.type) ? SECRET_REQUIRED_KEYS[secret.type] : [];
  for (const key of required) {
    if (!(key in data) && !(key in stringData)) errs.push(fieldErrors.required(Path.root('data').key(key)));
  }
  if (secret.type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(fieldErrors.required(Path.root('metadata').child('annotations').key('kubernetes.io/service-account.name')));
  }
  return errs;
}

/** A ConfigMap or Secret marked immutable keeps its data; the type of a Secret never changes. */
export function validateDataUpdate(next: ConfigMap | Secret, prev: ConfigMap | Secret): FieldError[] {
  const errs: FieldError[] = [];
  if ('type' in prev || 'type' in next) errs.push(...immutable((next as Secret).type, (prev as Secret).type, Path.root('type')));
  if (prev.immutable === true) {
    if (next.immutable !== true) errs.push(fieldErrors.forbidden(Path.root('immutable'), 'field is immutable when `immutable` is set'));
    const fields = 'binaryData' in prev || 'binaryData' in next ? ['data', 'binaryData'] : ['data'];
    for (const f of fields) {
      const a = (next as unknown as Record<string, unknown>)[f];
      const b = (prev as unknown as Record<string, unknown>)[f];
      if (immutable(a, b, Path.root(f)).length > 0) errs.push(fieldErrors.forbidden(Path.root(f), 'field is immutable when `immutable` is set'));
    }
  }
  return errs;
}

/** Kinds whose events live outside any namespace, so the event may sit in `default`. */
const CLUSTER_SCOPED_INVOLVED = new Set(['Node', 'Namespace', 'PersistentVolume', 'PriorityClass']);

export function validateEvent(ev: Event): FieldError[] {
  const path = Path.root('involvedObject');
  const obj = ev.involvedObject;
  if (!obj) return [fieldErrors.required(path)];
  const errs: FieldError[] = [];
  if (!obj.kind) errs.push(fieldErrors.required(path.child('kind')));
  if (!obj.name) errs.push(fieldErrors.required(path.child('name')));
  const ns = ev.metadata?.namespace ?? '';
  const objNs = obj.namespace ?? '';
  if (objNs !== ns && !(objNs === '' && (ns === 'default' || CLUSTER_SCOPED_INVOLVED.has(obj.kind ?? '')))) {
    errs.push(fieldErrors.invalid(path.child('namespace'), objNs, 'does not match event.namespace'));
  }
  errs.push(...nonNegative(ev.count, Path.root('count')));
  return errs;
}

export function validateLease(lease: Lease): FieldError[] {
  const path = Path.root('spec');
  const spec = lease.spec ?? {};
  const errs = positive(spec.leaseDurationSeconds, path.child('leaseDurationSeconds'));
  errs.push(...nonNegative(spec.leaseTransitions, path.child('leaseTransitions')));
  return errs;
}

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const path = Path.root('spec');
  const spec = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(fieldErrors.invalid(path, spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...intOrPercent(spec.minAvailable, path.child('minAvailable'), 100));
  errs.push(...intOrPercent(spec.maxUnavailable, path.child('maxUnavailable'), 100));
  errs.push(...labelSelector(spec.selector, path.child('selector')));
  errs.push(...oneOf(spec.unhealthyPodEvictionPolicy, path.child('unhealthyPodEvictionPolicy'), ['IfHealthyBudget', 'AlwaysAllow']));
  return errs;
}

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const name = pc.metadata?.name ?? '';
  const errs: FieldError[] = [];
  if (typeof pc.value !== 'number' || !Number.isInteger(pc.value)) return [fieldErrors.required(Path.root('value'))];
  if (name.startsWith('system-')) {
    const want = SYSTEM_PRIORITY_CLASSES[name];
    if (want === undefined) errs.push(fieldErrors.forbidden(Path.root('metadata').child('name'), "priority class names with 'system-' prefix are reserved"));
    else if (pc.value !== want) errs.push(fieldErrors.forbidden(Path.root('value'), `the value of ${name} must be ${want}`));
  } else if (pc.value > MAX_USER_PRIORITY) {
    errs.push(fieldErrors.forbidden(Path.root('value'), `maximum allowed value of a user defined priority is ${MAX_USER_PRIORITY}`));
  }
  errs.push(...oneOf(pc.preemptionPolicy, Path.root('preemptionPolicy'), ['PreemptLowerPriority', 'Never']));
  return errs;
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value) errs.push(fieldErrors.forbidden(Path.root('value'), 'may not be changed in an update.'));
  errs.push(...immutable(pc.preemptionPolicy, old.preemptionPolicy, Path.root('preemptionPolicy')));
  return errs;
}

export function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  return nonNegative(cr.revision, Path.root('revision'));
}

export function validateControllerRevisionUpdate(cr: ControllerRevision, old: ControllerRevision): FieldError[] {
  return immutable(cr.data, old.data, Path.root('data'));
}
