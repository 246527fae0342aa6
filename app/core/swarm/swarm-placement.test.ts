// Where a Swarm stack's databases run (pure): each pinned to a node, the copies spread, a pin kept
// for the service's life; draining a node that holds a database's data refused.
import { describe, expect, it } from 'vitest';
import { LABEL } from '../runtime/names.js';
import { databaseNodes, pinnedDrainProblem, pinsOf, placeDatabases } from './swarm-placement.js';
import type Docker from 'dockerode';

const node = (hostname: string, o: { label?: boolean; ready?: boolean; available?: boolean } = {}) => ({
  hostname,
  labels: (o.label ? { 'scalelab.db': 'true' } : {}) as Record<string, string>,
  ready: o.ready ?? true,
  available: o.available ?? true,
});

describe('database placement on Swarm', () => {
  it('takes the ready, active nodes (this one first), and of those the labelled ones when a label is set', () => {
    const facts = {
      nodeId: 'id-m',
      listing: [{ ID: 'id-m', Description: { Hostname: 'm' } }],
      nodes: [
        node('m', { label: true }),
        node('w1'),
        node('w2', { label: true, available: false }),
        node('w3', { label: true }),
      ],
    };
    expect(databaseNodes(facts)).toEqual(['m', 'w1', 'w3']);
    expect(databaseNodes({ ...facts, nodes: [...facts.nodes].reverse() })).toEqual(['m', 'w3', 'w1']);
    expect(databaseNodes(facts, 'scalelab.db')).toEqual(['m', 'w3']);
  });

  it('spreads the copies over the nodes, one a node before any node takes a second', () => {
    const names = ['db-primary', 'db-replica-1', 'db-replica-2', 'db-replica-3'];
    expect(placeDatabases(names, ['m', 'w1', 'w2'], {})).toEqual({
      'db-primary': 'm',
      'db-replica-1': 'w1',
      'db-replica-2': 'w2',
      'db-replica-3': 'm',
    });
    expect(placeDatabases(names.slice(0, 2), ['m'], {})).toEqual({ 'db-primary': 'm', 'db-replica-1': 'm' });
    expect(placeDatabases(names, [], {})).toEqual({});
  });

  it('keeps a pin made before (a node joining moves no data), and moves one only off a node no longer eligible', () => {
    const before = { 'db-primary': 'w2', 'db-replica-1': 'm' };
    const names = ['db-primary', 'db-replica-1', 'db-replica-2'];
    expect(placeDatabases(names, ['m', 'w1', 'w2'], before)).toEqual({
      'db-primary': 'w2',
      'db-replica-1': 'm',
      'db-replica-2': 'w1',
    });
    expect(placeDatabases(names, ['m', 'w1'], before)['db-primary']).toBe('w1');
  });

  it("reads the pins back from the services' specs", () => {
    const svc = (name: string, constraints: string[]) =>
      ({
        Spec: { Labels: { [LABEL.service]: name }, TaskTemplate: { Placement: { Constraints: constraints } } },
      }) as { Spec: Docker.ServiceSpec };
    expect(
      pinsOf([
        svc('db-primary', ['node.labels.scalelab.db==true', 'node.hostname==m']),
        svc('api', []),
        svc('db-replica-1', ['node.hostname==w1']),
      ]),
    ).toEqual({ 'db-primary': 'm', 'db-replica-1': 'w1' });
  });

  it('refuses to drain a node holding a database, naming it; any other node is fine', () => {
    const pins = { 'db-primary': 'm', 'db-replica-1': 'w1' };
    expect(pinnedDrainProblem(pins, 'w2')).toBeNull();
    const refused = pinnedDrainProblem(pins, 'w1');
    expect(refused?.code).toBe('BAD_INPUT');
    expect(refused?.message).toMatch(
      /^w1 holds the data of db-replica-1 \(a volume on that node\): drained, it would stop/,
    );
  });
});
