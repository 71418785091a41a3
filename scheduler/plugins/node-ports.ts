// NodePorts: a host port may be used once per (protocol, port) and host IP; 0.0.0.0 on either
// side conflicts with every IP.

import type { Pod } from '../../api/types.js';
import { SUCCESS, unschedulable, type FilterPlugin, type Status } from '../framework.js';
import { hostPortsOf, type HostPort } from '../node-info.js';

export const NODE_PORTS = 'NodePorts';
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0';
}

export function hasPortConflict(wanted: readonly HostPort[], used: readonly HostPort[]): boolean {
  return wanted.some((w) => used.some((u) => portsConflict(w, u)));
}

export const nodePorts: FilterPlugin = {
  name: NODE_PORTS,
  filter(_state, pod: Pod, nodeInfo): Status {
    const wanted = hostPortsOf(pod);
    if (wanted.length === 0) return SUCCESS;
    return hasPortConflict(wanted, nodeInfo.usedPorts) ? unschedulable(ERR_NODE_PORTS) : SUCCESS;
  },
};
