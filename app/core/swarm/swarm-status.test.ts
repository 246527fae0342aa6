// What the console shows of a Swarm stack (pure): each node with its tasks, and the services with
// the tasks on other nodes added as Swarm reports them, marked remote.
import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../contract/stack.js';
import { LABEL } from '../runtime/names.js';
import { swarmNodes, withTasksElsewhere, type SwarmTaskInfo } from './swarm-status.js';

const nodes = [
  {
    ID: 'm',
    Description: { Hostname: 'vm' },
    Spec: { Role: 'manager', Availability: 'active' },
    Status: { State: 'ready' },
  },
  {
    ID: 'w',
    Description: { Hostname: 'node-2' },
    Spec: { Role: 'worker', Availability: 'drain' },
    Status: { State: 'ready' },
  },
];
const task = (slot: number, node: string, state = 'running'): SwarmTaskInfo => ({
  ID: `t${slot}`,
  NodeID: node,
  Slot: slot,
  Status: { State: state, ContainerStatus: { ContainerID: `c${slot}` } },
  Spec: { ContainerSpec: { Labels: { [LABEL.service]: 'api-{{.Task.Slot}}', [LABEL.role]: 'api' } } },
  NetworksAttachments: [
    { Network: { Spec: { Name: 'ingress' } }, Addresses: [`10.0.0.${slot}/24`] },
    { Network: { Spec: { Name: 'scalelab-s' } }, Addresses: [`10.0.1.${slot}/24`] },
  ],
});
const local = (name: string, state: ServiceStatus['state'] = 'running'): ServiceStatus => ({
  name,
  role: name === 'lb' ? 'lb' : 'api',
  container: `x-${name}`,
  state,
  health: state === 'running' ? 'healthy' : 'none',
  ports: { api: '127.0.0.1:1' },
});

describe('a Swarm stack as the console shows it', () => {
  it('lists each node with the tasks running on it, named by slot', () => {
    expect(swarmNodes(nodes, [task(1, 'm'), task(2, 'w'), task(3, 'w', 'shutdown')])).toEqual([
      { hostname: 'vm', role: 'manager', state: 'ready', availability: 'active', services: ['api-1'] },
      { hostname: 'node-2', role: 'worker', state: 'ready', availability: 'drain', services: ['api-2'] },
    ]);
  });

  it("adds the tasks on other nodes, marked remote, and drops a moved task's stopped container here", () => {
    const services = withTasksElsewhere(
      [local('lb'), local('api-1'), local('api-2', 'exited')],
      nodes,
      [task(1, 'm'), task(2, 'w')],
      'm',
      'scalelab-s',
    );
    expect(services.map((s) => `${s.name} ${s.state} on ${s.node}${s.remote ? ' (remote)' : ''}`)).toEqual([
      'api-1 running on vm',
      'api-2 running on node-2 (remote)',
      'lb running on vm',
    ]);
    // Nothing to reach it by from here; its address on the stack's overlay, where the balancer
    // reaches it (HAProxy's figures for it are found by that address).
    expect(services.find((s) => s.name === 'api-2')).toMatchObject({
      ports: {},
      health: 'healthy',
      container: 'c2',
      ip: '10.0.1.2',
    });
  });
});
