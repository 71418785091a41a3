import { describe, expect, it } from 'vitest';
import type { ContainerPort } from '../../api/types.js';
import { makeNode, makePod, newState, nodeInfo } from '../testing.js';
import { ERR_NODE_PORTS, nodePorts } from './node-ports.js';

const withPorts = (name: string, ports: ContainerPort[]) => makePod(name, { spec: { containers: [{ name: 'c', ports }] } });

describe('NodePorts', () => {
  it.each<[string, ContainerPort[], ContainerPort[], boolean]>([
    ['no host ports', [{ containerPort: 80 }], [{ containerPort: 80, hostPort: 80 }], true],
    ['same port and protocol', [{ containerPort: 80, hostPort: 8080 }], [{ containerPort: 80, hostPort: 8080 }], false],
    ['different protocol', [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }], [{ containerPort: 53, hostPort: 53 }], true],
    ['different specific IPs', [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.1' }], [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.2' }], true],
    ['wildcard against specific IP', [{ containerPort: 80, hostPort: 80 }], [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.2' }], false],
    ['different ports', [{ containerPort: 80, hostPort: 81 }], [{ containerPort: 80, hostPort: 80 }], true],
  ])('%s', (_n, wanted, used, fits) => {
    const st = nodePorts.filter(newState(), withPorts('p', wanted), nodeInfo(makeNode('n'), withPorts('old', used)));
    expect(st.code).toBe(fits ? 'Success' : 'Unschedulable');
    if (!fits) expect(st.reasons).toEqual([ERR_NODE_PORTS]);
  });

  it('ports free again once the pod using them leaves', () => {
    const old = withPorts('old', [{ containerPort: 80, hostPort: 80 }]);
    const ni = nodeInfo(makeNode('n'), old);
    ni.removePod('default/old');
    expect(nodePorts.filter(newState(), withPorts('p', [{ containerPort: 80, hostPort: 80 }]), ni).code).toBe('Success');
  });
});
