// Checks both targets' Patroni tests make (database/ha.docker.test.ts on one engine,
// swarm/swarm-ha.docker.test.ts on Swarm): a cluster just brought up, and a failover drill's result.
import { expect } from 'vitest';
import { SERVICE } from '../../contract/services.js';
import type { DrillResult } from '../../contract/stack.js';
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

/** A drill's figures on one line, as the tests print them. */
export const drillLine = (r: DrillResult) =>
  `${r.kind} (${r.synchronous ? 'sync' : 'async'}): ${r.oldLeader} → ${r.newLeader}, elected ${r.electedAfterMs} ms, ` +
  `write outage ${r.writeOutageMs} ms, ${r.writes.acknowledged}/${r.writes.sent} acknowledged, ` +
  `${r.lostAcknowledged} lost, timeline ${r.timeline.before} → ${r.timeline.after}, rejoined ${r.rejoinedAfterMs} ms; ` +
  `notes: ${r.notes.join(' | ') || 'none'}`;

/** db-primary's failover: db-replica-1 elected within 30 s on a new timeline, writes failed
 *  meanwhile and those lost counted, the old leader back as a replica, nothing left unfinished. */
export async function expectFailedOver(r: DrillResult, cluster: () => Promise<PatroniCluster | null>): Promise<void> {
  expect(r.oldLeader).toBe(SERVICE.primary);
  expect(r.newLeader).toBe('db-replica-1');
  expect(r.electedAfterMs).toBeLessThan(30_000);
  expect(r.writeOutageMs).not.toBeNull();
  expect(r.writes.acknowledged).toBeGreaterThan(50);
  expect(r.writes.failed).toBeGreaterThan(0);
  // Measured, whatever it is: asynchronous replication may lose the last commits.
  expect(r.lostAcknowledged).toBeTypeOf('number');
  expect(r.timeline.after).toBeGreaterThan(r.timeline.before!);
  expect(r.rejoinedAfterMs).not.toBeNull();
  expect(r.notes).toEqual([]);
  const c = await cluster();
  expect(c?.leader).toBe('db-replica-1');
  expect(c?.members.find((m) => m.name === SERVICE.primary)?.role).toBe('replica');
}
