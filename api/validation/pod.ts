// Pod spec validation: containers (names, images, ports, env, resources, mounts, probes),
// volumes, policies, tolerations, node selection and affinity. The same rules apply to the
// pod templates of workloads; pod updates may change only a few fields.

import { isDeepStrictEqual } from 'node:util';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isPortName, isPortNumber, isQualifiedName } from '../names.js';
import { compareQuantities } from '../quantity.js';
import type {
  Affinity, Container, ContainerPort, EnvVar, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodAffinityTerm, PodSpec, Probe, Toleration,
  TopologySpreadConstraint, Volume,
} from '../types.js';
import { isInt, labelSelector, labels, nonNegative, oneOf, positive, quantity } from './common.js';
import { type FieldError, Path, fieldErrors, invalidEach } from './field.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'Never', 'IfNotPresent'];
const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const;

/** A port given as a number (1-65535) or an IANA name, as probes and targetPorts allow. */
export function numberOrPortName(port: unknown, path: Path): FieldError[] {
  if (typeof port === 'number') return invalidEach(path, port, isPortNumber(port));
  if (typeof port === 'string') return invalidEach(path, port, isPortName(port));
  return [fieldErrors.required(path)];
}

function ports(list: ContainerPort[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (list ?? []).forEach((p, i) => {
    const pp = path.index(i);
    if (p.name !== undefined && p.name !== '') {
      errs.push(...invalidEach(pp.child('name'), p.name, isPortName(p.name)));
      if (names.has(p.name)) errs.push(fieldErrors.duplicate(pp.child('name'), p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(fieldErrors.required(pp.child('containerPort')));
    else errs.push(...invalidEach(pp.child('containerPort'), p.containerPort, isPortNumber(p.containerPort)));
    if (p.hostPort !== undefined && p.hostPort !== 0) errs.push(...invalidEach(pp.child('hostPort'), p.hostPort, isPortNumber(p.hostPort)));
    errs.push(...oneOf(p.protocol, pp.child('protocol'), PROTOCOLS, true));
  });
  return errs;
}

function env(list: EnvVar[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (list ?? []).forEach((e, i) => {
    const ep = path.index(i);
    if (!e.name) errs.push(fieldErrors.required(ep.child('name')));
    else errs.push(...invalidEach(ep.child('name'), e.name, isEnvVarName(e.name)));
    if (!e.valueFrom) return;
    const vp = ep.child('valueFrom');
    const given = ENV_SOURCES.filter((s) => e.valueFrom![s] !== undefined);
    if (given.length === 0) errs.push(fieldErrors.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (given.length > 1) errs.push(fieldErrors.invalid(vp, '', 'may not have more than one field specified at a time'));
    if (e.value) errs.push(fieldErrors.invalid(vp, '', 'may not be specified when `value` is not empty'));
    const fieldRef = e.valueFrom.fieldRef;
    if (fieldRef && !fieldRef.fieldPath) errs.push(fieldErrors.required(vp.child('fieldRef', 'fieldPath')));
    for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const r = e.valueFrom[ref];
      if (!r) continue;
      if (!r.key) errs.push(fieldErrors.required(vp.child(ref, 'key')));
      else errs.push(...invalidEach(vp.child(ref, 'key'), r.key, isConfigMapKey(r.key)));
    }
  });
  return errs;
}

function resources(c: Container, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const limits = (c.resources?.limits ?? {}) as Record<string, unknown>;
  const requests = (c.resources?.requests ?? {}) as Record<string, unknown>;
  const checkList = (list: Record<string, unknown>, lp: Path) => {
    for (const [name, q] of Object.entries(list)) {
      errs.push(...invalidEach(lp.key(name), name, isQualifiedName(name)));
      errs.push(...quantity(q, lp.key(name)));
    }
  };
  checkList(limits, path.child('limits'));
  checkList(requests, path.child('requests'));
  if (errs.length > 0) return errs;
  for (const [name, req] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) continue;
    if (compareQuantities(req as string | number, limit as string | number) > 0) {
      errs.push(fieldErrors.invalid(path.child('requests').key(name), String(req), `must be less than or equal to ${name} limit of ${String(limit)}`));
    }
  }
  return errs;
}

/** Exactly one handler; the handler's port must be a valid number or name. */
function handler(h: object | undefined, path: Path, kinds: readonly string[], what: string): FieldError[] {
  if (!h) return [];
  const record = h as Record<string, unknown>;
  const given = kinds.filter((k) => record[k] !== undefined && record[k] !== null);
  if (given.length === 0) return [fieldErrors.required(path, `must specify a ${what} type`)];
  const errs = given.slice(1).map((k) => fieldErrors.forbidden(path.child(k), `may not specify more than 1 ${what} type`));
  const action = record[given[0]] as { port?: unknown; command?: unknown[]; scheme?: string; seconds?: unknown };
  if (given[0] === 'httpGet' || given[0] === 'tcpSocket') errs.push(...numberOrPortName(action.port, path.child(given[0], 'port')));
  if (given[0] === 'grpc') errs.push(...(isInt(action.port) ? invalidEach(path.child('grpc', 'port'), action.port, isPortNumber(action.port)) : [fieldErrors.required(path.child('grpc', 'port'))]));
  if (given[0] === 'httpGet') errs.push(...oneOf(action.scheme, path.child('httpGet', 'scheme'), ['HTTP', 'HTTPS']));
  if (given[0] === 'exec' && !(Array.isArray(action.command) && action.command.length > 0)) errs.push(fieldErrors.required(path.child('exec', 'command')));
  if (given[0] === 'sleep') errs.push(...positive(action.seconds, path.child('sleep', 'seconds')));
  return errs;
}

function probe(p: Probe | undefined, path: Path, successMustBeOne: boolean): FieldError[] {
  if (!p) return [];
  const errs = handler(p, path, PROBE_HANDLERS, 'handler');
  errs.push(...nonNegative(p.initialDelaySeconds, path.child('initialDelaySeconds')));
  errs.push(...nonNegative(p.timeoutSeconds, path.child('timeoutSeconds')));
  errs.push(...nonNegative(p.periodSeconds, path.child('periodSeconds')));
  errs.push(...nonNegative(p.successThreshold, path.child('successThreshold')));
  errs.push(...nonNegative(p.failureThreshold, path.child('failureThreshold')));
  if (successMustBeOne && p.successThreshold !== undefined && p.successThreshold !== 1) errs.push(fieldErrors.invalid(path.child('successThreshold'), p.successThreshold, 'must be 1'));
  if (p.terminationGracePeriodSeconds !== undefined) errs.push(...positive(p.terminationGracePeriodSeconds, path.child('terminationGracePeriodSeconds')));
  return errs;
}

function container(c: Container, path: Path, volumes: Set<string>, isInit: boolean, forPod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldErrors.required(path.child('name')));
  else errs.push(...invalidEach(path.child('name'), c.name, isDNS1123Label(c.name)));
  if (!c.image) errs.push(fieldErrors.required(path.child('image')));
  // Templates may carry placeholder images that tools fill in later (upstream allows " ").
  else if (forPod && c.image.trim() !== c.image) errs.push(fieldErrors.invalid(path.child('image'), c.image, 'must not have leading or trailing whitespace'));
  errs.push(...oneOf(c.imagePullPolicy, path.child('imagePullPolicy'), PULL_POLICIES));
  errs.push(...oneOf(c.terminationMessagePolicy, path.child('terminationMessagePolicy'), ['File', 'FallbackToLogsOnError']));
  errs.push(...ports(c.ports, path.child('ports')));
  errs.push(...env(c.env, path.child('env')));
  errs.push(...resources(c, path.child('resources')));
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = path.child('volumeMounts').index(i);
    if (!m.name) errs.push(fieldErrors.required(mp.child('name')));
    else if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(mp.child('name'), m.name));
    if (!m.mountPath) errs.push(fieldErrors.required(mp.child('mountPath')));
    else if (mountPaths.has(m.mountPath)) errs.push(fieldErrors.invalid(mp.child('mountPath'), m.mountPath, 'must be unique'));
    if (m.mountPath) mountPaths.add(m.mountPath);
  });
  // A sidecar (an init container that keeps running) may have probes; other init containers may not.
  const sidecar = isInit && c.restartPolicy === 'Always';
  if (isInit && c.restartPolicy !== undefined && !sidecar) errs.push(fieldErrors.notSupported(path.child('restartPolicy'), c.restartPolicy, ['Always']));
  if (!isInit && c.restartPolicy !== undefined) errs.push(fieldErrors.forbidden(path.child('restartPolicy'), 'may not be set for non-init containers'));
  if (isInit && !sidecar) {
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[f] !== undefined) errs.push(fieldErrors.forbidden(path.child(f), 'may not be set for init containers without restartPolicy=Always'));
    }
    return errs;
  }
  errs.push(...probe(c.livenessProbe, path.child('livenessProbe'), true));
  errs.push(...probe(c.readinessProbe, path.child('readinessProbe'), false));
  errs.push(...probe(c.startupProbe, path.child('startupProbe'), true));
  errs.push(...handler(c.lifecycle?.postStart, path.child('lifecycle', 'postStart'), LIFECYCLE_HANDLERS, 'handler'));
  errs.push(...handler(c.lifecycle?.preStop, path.child('lifecycle', 'preStop'), LIFECYCLE_HANDLERS, 'handler'));
  return errs;
}

function volumesOf(list: Volume[] | undefined, path: Path): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (list ?? []).forEach((v, i) => {
    const vp = path.index(i);
    if (!v.name) errs.push(fieldErrors.required(vp.child('name')));
    else {
      errs.push(...invalidEach(vp.child('name'), v.name, isDNS1123Label(v.name)));
      if (names.has(v.name)) errs.push(fieldErrors.duplicate(vp.child('name'), v.name));
      names.add(v.name);
    }
    const record = v as unknown as Record<string, unknown>;
    const sources = Object.keys(record).filter((k) => k !== 'name' && record[k] !== undefined && record[k] !== null);
    if (sources.length === 0) errs.push(fieldErrors.required(vp, 'must specify a volume type'));
    for (const extra of sources.slice(1)) errs.push(fieldErrors.forbidden(vp.child(extra), 'may not specify more than 1 volume type'));
    if (v.hostPath && !v.hostPath.path) errs.push(fieldErrors.required(vp.child('hostPath', 'path')));
    if (v.configMap && !v.configMap.name) errs.push(fieldErrors.required(vp.child('configMap', 'name')));
    if (v.secret && !v.secret.secretName) errs.push(fieldErrors.required(vp.child('secret', 'secretName')));
    if (v.emptyDir?.sizeLimit !== undefined) errs.push(...quantity(v.emptyDir.sizeLimit, vp.child('emptyDir', 'sizeLimit')));
  });
  return { errs, names };
}

function tolerations(list: Toleration[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (list ?? []).forEach((t, i) => {
    const tp = path.index(i);
    if (t.key) errs.push(...invalidEach(tp.child('key'), t.key, isQualifiedName(t.key)));
    const op = t.operator ?? 'Equal';
    if (!t.key && op !== 'Exists') {
      errs.push(fieldErrors.invalid(tp.child('operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.operator !== undefined && t.operator !== '') errs.push(...oneOf(t.operator, tp.child('operator'), TOLERATION_OPERATORS));
    if (op === 'Exists' && t.value) errs.push(fieldErrors.invalid(tp.child('operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    errs.push(...oneOf(t.effect, tp.child('effect'), TAINT_EFFECTS));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(fieldErrors.invalid(tp.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
  });
  return errs;
}

function nodeSelectorRequirement(r: NodeSelectorRequirement, path: Path): FieldError[] {
  const errs = invalidEach(path.child('key'), r.key, isQualifiedName(r.key ?? ''));
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(fieldErrors.required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(fieldErrors.forbidden(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(fieldErrors.required(path.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      else if (!/^-?\d+$/.test(values[0])) errs.push(fieldErrors.invalid(path.child('values').index(0), values[0], 'must be an integer'));
      break;
    default:
      errs.push(fieldErrors.notSupported(path.child('operator'), r.operator, NODE_SELECTOR_OPERATORS));
  }
  return errs;
}

function nodeSelectorTerm(term: NodeSelectorTerm, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((r, i) => errs.push(...nodeSelectorRequirement(r, path.child('matchExpressions').index(i))));
  (term.matchFields ?? []).forEach((r, i) => {
    const fp = path.child('matchFields').index(i);
    if (r.key !== 'metadata.name') errs.push(fieldErrors.notSupported(fp.child('key'), r.key, ['metadata.name']));
    else if ((r.operator === 'In' || r.operator === 'NotIn') && r.values?.length !== 1) errs.push(fieldErrors.required(fp.child('values'), 'must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'));
    else errs.push(...nodeSelectorRequirement(r, fp).filter((e) => !e.field.endsWith('.key')));
  });
  return errs;
}

function weight(w: unknown, path: Path): FieldError[] {
  return isInt(w) && w >= 1 && w <= 100 ? [] : [fieldErrors.invalid(path, w ?? 0, 'must be in the range 1-100')];
}

function podAffinityTerm(t: PodAffinityTerm, path: Path): FieldError[] {
  const errs = labelSelector(t.labelSelector, path.child('labelSelector'));
  errs.push(...labelSelector(t.namespaceSelector, path.child('namespaceSelector')));
  if (!t.topologyKey) errs.push(fieldErrors.required(path.child('topologyKey'), 'can not be empty'));
  else errs.push(...invalidEach(path.child('topologyKey'), t.topologyKey, isQualifiedName(t.topologyKey)));
  return errs;
}

function affinity(a: Affinity | undefined, path: Path): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na?.requiredDuringSchedulingIgnoredDuringExecution) {
    const rp = path.child('nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
    const terms = na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms ?? [];
    if (terms.length === 0) errs.push(fieldErrors.required(rp.child('nodeSelectorTerms'), 'must have at least one node selector term'));
    terms.forEach((t, i) => errs.push(...nodeSelectorTerm(t, rp.child('nodeSelectorTerms').index(i))));
  }
  (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((p, i) => {
    const pp = path.child('nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution').index(i);
    errs.push(...weight(p.weight, pp.child('weight')));
    errs.push(...nodeSelectorTerm(p.preference ?? {}, pp.child('preference')));
  });
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    (pa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) =>
      errs.push(...podAffinityTerm(t, path.child(kind, 'requiredDuringSchedulingIgnoredDuringExecution').index(i))),
    );
    (pa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w, i) => {
      const wp = path.child(kind, 'preferredDuringSchedulingIgnoredDuringExecution').index(i);
      errs.push(...weight(w.weight, wp.child('weight')));
      errs.push(...podAffinityTerm(w.podAffinityTerm ?? { topologyKey: '' }, wp.child('podAffinityTerm')));
    });
  }
  return errs;
}

function topologySpread(list: TopologySpreadConstraint[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (list ?? []).forEach((c, i) => {
    const cp = path.index(i);
    if (!isInt(c.maxSkew) || c.maxSkew <= 0) errs.push(fieldErrors.invalid(cp.child('maxSkew'), c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(fieldErrors.required(cp.child('topologyKey'), 'can not be empty'));
    else errs.push(...invalidEach(cp.child('topologyKey'), c.topologyKey, isQualifiedName(c.topologyKey)));
    errs.push(...oneOf(c.whenUnsatisfiable, cp.child('whenUnsatisfiable'), ['DoNotSchedule', 'ScheduleAnyway'], true));
    if (c.minDomains !== undefined) {
      if (!isInt(c.minDomains) || c.minDomains <= 0) errs.push(fieldErrors.invalid(cp.child('minDomains'), c.minDomains, 'must be greater than 0'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') errs.push(fieldErrors.invalid(cp.child('minDomains'), c.minDomains, 'can only use minDomains if whenUnsatisfiable=DoNotSchedule'));
    }
    errs.push(...labelSelector(c.labelSelector, cp.child('labelSelector')));
    const pair = `${c.topologyKey}/${c.whenUnsatisfiable}`;
    if (seen.has(pair)) errs.push(fieldErrors.duplicate(cp, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    seen.add(pair);
  });
  return errs;
}

/** Host ports are one namespace per protocol and host IP across all containers of a pod. */
function hostPorts(spec: PodSpec, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  spec.containers.forEach((c, ci) =>
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.hostIP ?? ''}/${p.hostPort}/${p.protocol ?? 'TCP'}`;
      if (seen.has(key)) errs.push(fieldErrors.duplicate(path.child('containers').index(ci).child('ports').index(pi).child('hostPort'), `${p.hostPort}/${p.protocol ?? 'TCP'}`));
      seen.add(key);
    }),
  );
  return errs;
}

/** `forPod` is false for the pod template of a workload, which a few rules treat more leniently. */
export function validatePodSpec(spec: PodSpec | undefined, path: Path, forPod = true): FieldError[] {
  if (!spec) return [fieldErrors.required(path)];
  const errs: FieldError[] = [];
  const { errs: volumeErrs, names: volumeNames } = volumesOf(spec.volumes, path.child('volumes'));
  errs.push(...volumeErrs);
  if (!spec.containers || spec.containers.length === 0) errs.push(fieldErrors.required(path.child('containers')));
  // Container names are one namespace across init and app containers.
  const names = new Set<string>();
  const eachContainer = (list: Container[] | undefined, field: string, isInit: boolean) =>
    (list ?? []).forEach((c, i) => {
      const cp = path.child(field).index(i);
      errs.push(...container(c, cp, volumeNames, isInit, forPod));
      if (c.name) {
        if (names.has(c.name)) errs.push(fieldErrors.duplicate(cp.child('name'), c.name));
        names.add(c.name);
      }
    });
  eachContainer(spec.initContainers, 'initContainers', true);
  eachContainer(spec.containers, 'containers', false);
  if (spec.containers) errs.push(...hostPorts(spec, path));
  errs.push(...oneOf(spec.restartPolicy, path.child('restartPolicy'), RESTART_POLICIES, true));
  errs.push(...oneOf(spec.dnsPolicy, path.child('dnsPolicy'), DNS_POLICIES, true));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) errs.push(fieldErrors.required(path.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...nonNegative(spec.terminationGracePeriodSeconds, path.child('terminationGracePeriodSeconds')));
  if (spec.activeDeadlineSeconds !== undefined && (!isInt(spec.activeDeadlineSeconds) || spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647)) {
    errs.push(fieldErrors.invalid(path.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...labels(spec.nodeSelector, path.child('nodeSelector')));
  if (spec.nodeName) errs.push(...invalidEach(path.child('nodeName'), spec.nodeName, isDNS1123Subdomain(spec.nodeName)));
  if (spec.serviceAccountName) errs.push(...invalidEach(path.child('serviceAccountName'), spec.serviceAccountName, isDNS1123Subdomain(spec.serviceAccountName)));
  if (spec.hostname) errs.push(...invalidEach(path.child('hostname'), spec.hostname, isDNS1123Label(spec.hostname)));
  if (spec.subdomain) errs.push(...invalidEach(path.child('subdomain'), spec.subdomain, isDNS1123Label(spec.subdomain)));
  if (spec.schedulerName) errs.push(...invalidEach(path.child('schedulerName'), spec.schedulerName, isDNS1123Subdomain(spec.schedulerName)));
  errs.push(...oneOf(spec.preemptionPolicy, path.child('preemptionPolicy'), ['PreemptLowerPriority', 'Never']));
  errs.push(...tolerations(spec.tolerations, path.child('tolerations')));
  errs.push(...affinity(spec.affinity, path.child('affinity')));
  errs.push(...topologySpread(spec.topologySpreadConstraints, path.child('topologySpreadConstraints')));
  if (spec.hostNetwork) {
    spec.containers?.forEach((c, ci) =>
      (c.ports ?? []).forEach((p, pi) => {
        if (p.hostPort && p.hostPort !== p.containerPort) {
          errs.push(fieldErrors.invalid(path.child('containers').index(ci).child('ports').index(pi).child('containerPort'), p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      }),
    );
  }
  return errs;
}

export function validatePod(pod: Pod): FieldError[] {
  return validatePodSpec(pod.spec, Path.root('spec'));
}

const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * A running pod's spec is fixed except for images, the active deadline (set or shortened),
 * added tolerations, the termination grace period and removed scheduling gates. Everything
 * else is compared after copying those fields over from the old spec.
 */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const path = Path.root('spec');
  const next = pod.spec;
  const prev = old.spec;
  if (!next || !prev) return [];
  const errs: FieldError[] = [];
  if (prev.activeDeadlineSeconds !== undefined) {
    if (next.activeDeadlineSeconds === undefined) errs.push(fieldErrors.invalid(path.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
    else if (next.activeDeadlineSeconds > prev.activeDeadlineSeconds) errs.push(fieldErrors.invalid(path.child('activeDeadlineSeconds'), next.activeDeadlineSeconds, 'must be less than or equal to previous value'));
  }
  const missing = (prev.tolerations ?? []).filter((t) => !(next.tolerations ?? []).some((n) => isDeepStrictEqual(n, t)));
  if (missing.length > 0) errs.push(fieldErrors.forbidden(path.child('tolerations'), 'existing toleration can not be modified except its tolerationSeconds'));
  const gatesRemovedOnly = (next.schedulingGates ?? []).every((g) => (prev.schedulingGates ?? []).some((p) => p.name === g.name));
  if (!gatesRemovedOnly) errs.push(fieldErrors.forbidden(path.child('schedulingGates'), 'only deletion is allowed, but found new scheduling gate'));
  if (!isDeepStrictEqual(withMutableFieldsOf(next, prev), prev)) errs.push(fieldErrors.forbidden(path, POD_UPDATE_MESSAGE));
  return errs;
}

/** `spec` with the fields a pod update may change taken from `from`, so the rest can be compared. */
function withMutableFieldsOf(spec: PodSpec, from: PodSpec): PodSpec {
  const copy: PodSpec = { ...spec };
  const withImages = (list: Container[] | undefined, fromList: Container[] | undefined) =>
    list?.map((c, i) => {
      const image = fromList?.[i]?.image;
      const out = { ...c };
      if (image === undefined) delete out.image;
      else out.image = image;
      return out;
    });
  copy.containers = withImages(spec.containers, from.containers)!;
  if (spec.initContainers) copy.initContainers = withImages(spec.initContainers, from.initContainers);
  for (const field of ['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'schedulingGates'] as const) {
    if (from[field] === undefined) delete copy[field];
    else (copy as unknown as Record<string, unknown>)[field] = from[field];
  }
  return copy;
}
