import { describe, expect, it } from 'vitest';
import { NodeIpamController } from './controller.js';
import { ControllerTestEnv } from '../testing.js';
import { node } from '../fixtures.js';
import type { Node } from '../types.js';

const opts = { clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 24 };

describe('NodeIpamController', () => {
  it('rebuilds from existing nodes and never hands out a subnet twice', async () => {
    const env = new ControllerTestEnv([node('old', { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] }), node('a'), node('b')]);
    const ctrl = new NodeIpamController(env.context, opts);
    await env.sync();
    for (const key of [...env.queue.added]) await ctrl.reconcile(key);
    const nodes = await env.all<Node>('nodes');
    const cidrs = nodes.map((n) => n.spec?.podCIDR);
    expect(new Set(cidrs).size).toBe(3);
    expect(cidrs).toContain('10.244.0.0/24');
    for (const n of nodes) expect(n.spec?.podCIDRs).toEqual([n.spec?.podCIDR]);
  });

  it('releases the subnet of a deleted node', async () => {
    const env = new ControllerTestEnv([node('a', { podCIDR: '10.244.5.0/24' })]);
    const ctrl = new NodeIpamController(env.context, opts);
    await env.sync();
    expect(ctrl.cidrs.isUsed('10.244.5.0/24')).toBe(true);
    await env.client.for('nodes').delete(undefined, 'a');
    await env.sync();
    expect(ctrl.cidrs.isUsed('10.244.5.0/24')).toBe(false);
  });

  it('gives the subnet back when the write fails', async () => {
    const env = new ControllerTestEnv([node('a')]);
    const ctrl = new NodeIpamController(env.context, { clusterCidr: '10.0.0.0/24', nodeCidrMaskSize: 24 });
    await env.sync();
    env.client.failNext('patch', 'nodes', new Error('boom'));
    await expect(ctrl.reconcile('a')).rejects.toThrow('boom');
    await ctrl.reconcile('a');
    expect((await env.all<Node>('nodes'))[0].spec?.podCIDR).toBe('10.0.0.0/24');
  });
});
