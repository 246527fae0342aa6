import { describe, expect, it } from 'vitest';
import { drainProblem, swarmProblem, type SwarmFacts } from './swarm-check.js';

const node = (hostname: string, labels: Record<string, string> = {}, ready = true, available = true) => ({
  hostname,
  labels,
  ready,
  available,
});
const manager: SwarmFacts = {
  localNodeState: 'active',
  controlAvailable: true,
  nodeAddr: '10.0.0.1',
  listing: [],
  nodes: [node('a'), node('b')],
};

describe('whether a Swarm stack can be made here', () => {
  it('needs a Swarm, and a manager of it, saying how to get one', () => {
    expect(swarmProblem({ ...manager, localNodeState: 'inactive' })).toMatchObject({
      code: 'DOCKER_UNAVAILABLE',
      hint: expect.stringMatching(/docker swarm init/),
    });
    expect(swarmProblem({ ...manager, controlAvailable: false })?.message).toMatch(/worker/);
    expect(swarmProblem(manager)).toBeNull();
  });

  it('refuses a database label no usable node has, naming the nodes and the command', () => {
    expect(swarmProblem(manager, 'scalelab.db')).toMatchObject({
      message: 'No node of the Swarm is labelled scalelab.db=true: the database would have nowhere to run.',
      hint: 'Label one: `docker node update --label-add scalelab.db=true NODE` (nodes: a, b).',
    });
    const drained = { ...manager, nodes: [node('a', { 'scalelab.db': 'true' }, true, false), node('b')] };
    expect(swarmProblem(drained, 'scalelab.db')?.message).toMatch(/\(a\) are down or drained/);
    const labelled = { ...manager, nodes: [node('a'), node('b', { 'scalelab.db': 'true' })] };
    expect(swarmProblem(labelled, 'scalelab.db')).toBeNull();
  });
});

describe('draining a node', () => {
  const facts: SwarmFacts = {
    localNodeState: 'active',
    controlAvailable: true,
    nodeAddr: '10.0.0.1',
    listing: [],
    nodes: [
      { hostname: 'm', labels: { 'scalelab.db': 'true' }, ready: true, available: true },
      { hostname: 'w1', labels: {}, ready: true, available: true },
      { hostname: 'w2', labels: {}, ready: false, available: true },
    ],
  };
  it('lets a worker go while another node can take its tasks', () => {
    expect(drainProblem(facts, 'w1', 'scalelab.db')).toBeNull();
  });
  it('refuses a node it does not know, naming the ones it does', () => {
    expect(drainProblem(facts, 'w9')?.hint).toMatch(/The nodes: m, w1, w2/);
  });
  it('refuses to leave the database, or the whole stack, nowhere to run', () => {
    expect(drainProblem(facts, 'm', 'scalelab.db')?.message).toMatch(/only usable node labelled scalelab\.db=true/);
    const alone = { ...facts, nodes: [facts.nodes[1], facts.nodes[2]] };
    expect(drainProblem(alone, 'w1')?.message).toMatch(/only node that can run tasks/);
  });
});
