// Describers against golden files (testdata/describe/*.txt): fixed objects, a fixed clock and
// zone, output compared byte for byte. `UPDATE_GOLDEN=1` rewrites them.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../golden.js';
import * as f from './fixtures.js';
import { describeEndpoints, describePodDisruptionBudget, describeServiceAccount } from './cluster.js';
import { describeConfigMap, describeSecret } from './config.js';
import { eventInterval } from './events.js';
import { describeGeneric, smartLabel } from './generic.js';
import { describeNamespace } from './namespace.js';
import { describeNode } from './node.js';
import { describePod, podQOS } from './pod.js';
import { describeService, formatEndpointSlices } from './service.js';
import { describeDaemonSet, describeDeployment, describeJob, describeReplicaSet, splitReplicaSets } from './workloads.js';

const golden = (name: string) => join(import.meta.dirname, '..', 'testdata', 'describe', `${name}.txt`);

describe('describers (golden files)', () => {
  const tz = process.env.TZ;
  beforeAll(() => (process.env.TZ = 'UTC'));
  afterAll(() => (process.env.TZ = tz));

  const cases: [string, () => string][] = [
    ['pod', () => describePod(f.pods[0], f.podEvents, f.NOW)],
    ['pod-no-events', () => describePod(f.pods[1], [], f.NOW)],
    ['deployment', () => describeDeployment(f.deployment, f.replicaSets, f.deploymentEvents, f.NOW)],
    ['replicaset', () => describeReplicaSet(f.replicaSets[0], f.pods, [], f.NOW)],
    ['service', () => describeService(f.service, f.slices, [], f.NOW)],
    ['node', () => describeNode(f.node, f.lease, f.pods, f.nodeEvents, f.NOW)],
    ['configmap', () => describeConfigMap(f.configMap, [], f.NOW)],
    ['secret', () => describeSecret(f.secret)],
    ['serviceaccount', () => describeServiceAccount(f.serviceAccount, new Set(['registry']), [], f.NOW)],
    ['endpoints', () => describeEndpoints(f.endpoints, [], f.NOW)],
    ['poddisruptionbudget', () => describePodDisruptionBudget(f.pdb, [], f.NOW)],
    ['job', () => describeJob(f.job, [], f.NOW)],
    ['daemonset', () => describeDaemonSet(f.daemonSet, f.daemonPods, undefined, f.NOW)],
    ['namespace', () => describeNamespace(f.namespace)],
    ['generic', () => describeGeneric(f.custom, [], f.NOW)],
  ];
  it.each(cases)('%s', (name, print) => expectGolden(golden(name), print()));
});

describe('describe helpers', () => {
  it.each([
    ['creationTimestamp', 'Creation Timestamp'],
    ['apiVersion', 'API Version'],
    ['uid', 'UID'],
    ['podCIDR', 'Pod CIDR'],
    ['bucketURL', 'Bucket URL'],
    ['x509', 'x509'],
  ])('smartLabel(%s) = %s', (field, want) => expect(smartLabel(field)).toBe(want));

  it('QoS classes', () => {
    expect(podQOS(f.pods[0])).toBe('Burstable');
    expect(podQOS({ spec: { containers: [{ name: 'a' }] } })).toBe('BestEffort');
    expect(podQOS({ spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } })).toBe('Guaranteed');
  });

  it('endpoints: ready only, three at most', () => {
    const many = [{ ...f.slices[0], endpoints: ['1', '2', '3', '4', '5'].map((n) => ({ addresses: [`10.0.0.${n}`] })) }];
    expect(formatEndpointSlices(many, 'http')).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
    expect(formatEndpointSlices(f.slices, 'http')).toBe('10.244.0.5:80,10.244.0.6:80');
    expect(formatEndpointSlices([], 'http')).toBe('<none>');
  });

  it.each([
    ['a single event', { firstTimestamp: '2026-11-22T11:50:00Z', count: 1 }, '10m'],
    ['a repeated event', { firstTimestamp: '2026-11-22T11:00:00Z', lastTimestamp: '2026-11-22T11:58:00Z', count: 7 }, '2m (x7 over 60m)'],
    ['an events.k8s.io series', { eventTime: '2026-11-22T11:30:00.000000Z', series: { count: 3, lastObservedTime: '2026-11-22T11:59:30.000000Z' } }, '30s (x3 over 30m)'],
    ['no time at all', {}, '<unknown>'],
  ])('event age: %s', (_name, times, want) => {
    expect(eventInterval({ metadata: {}, involvedObject: {}, ...times }, f.NOW)).toBe(want);
  });

  it('the new ReplicaSet is the one of the Deployment revision', () => {
    const { newRS, oldRSs } = splitReplicaSets(f.deployment, f.replicaSets);
    expect(newRS.map((r) => r.metadata?.name)).toEqual(['web-7d9f8c6b5']);
    expect(oldRSs.map((r) => r.metadata?.name)).toEqual(['web-5b6c7d8e9']);
  });
});
