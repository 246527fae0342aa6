// Checks both targets' Patroni tests make of a cluster just brought up (database/ha.docker.test.ts
// on one engine, swarm/swarm-ha.docker.test.ts on Swarm): db-primary leads, db-replica-1 has
// joined, and a write through the entry (the API, the router, the leader) is acknowledged.
import { expect } from 'vitest';
import { SERVICE } from '../../contract/services.js';
import type { PatroniCluster } from '../database/patroni.js';

export async function expectClusterFormed(cluster: () => Promise<PatroniCluster | null>, entry: string): Promise<void> {
  // Each member writes its state to etcd once a loop (2 s): the cluster view trails /health a little.
  const replicaState = async () => (await cluster())?.members.find((m) => m.name === 'db-replica-1')?.state;
  await expect.poll(replicaState, { timeout: 30_000, interval: 500 }).toMatch(/running|streaming/);
  expect((await cluster())?.leader).toBe(SERVICE.primary);
  const res = await fetch(`${entry}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ productId: 1, quantity: 1 }),
  });
  expect(res.status).toBe(201);
}
