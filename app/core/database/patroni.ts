// Patroni's REST API (database.ha), from the engine: who leads the cluster, each member's state,
// timeline and lag (GET /cluster, what `patronictl list` shows), the cluster-wide settings (PATCH
// /config) and a planned change of leader (POST /switchover). Any member answers for the cluster,
// so each call tries the members in turn: the one that failed may be the one that is asked about.
import { z } from 'zod';
import { LabError } from '../../contract/errors.js';

const memberSchema = z.object({
  name: z.string(),
  /** 'leader', 'replica', 'sync_standby' (synchronous mode), 'standby_leader'... */
  role: z.string(),
  /** 'running', 'streaming', 'starting', 'stopped', 'start failed', 'creating replica'... */
  state: z.string(),
  timeline: z.number().optional(),
  /** Bytes behind the leader; Patroni prints "unknown" when it cannot tell. */
  lag: z.union([z.number(), z.string()]).optional(),
});
const clusterSchema = z.object({ members: z.array(memberSchema) });

export type PatroniMember = z.infer<typeof memberSchema>;

export interface PatroniCluster {
  members: PatroniMember[];
  /** The member holding the leader key, or null during an election. */
  leader: string | null;
  /** The member that answered. */
  via: string;
}

/** A member's published REST address (127.0.0.1:port) by name. */
export interface PatroniEndpoint {
  name: string;
  address: string;
}

const TIMEOUT_MS = 1500;

async function call(address: string, path: string, init?: { method: string; body: unknown }): Promise<Response> {
  return fetch(`http://${address}${path}`, {
    method: init?.method ?? 'GET',
    headers: init ? { 'content-type': 'application/json' } : undefined,
    body: init ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

export function parseCluster(json: unknown, via: string): PatroniCluster {
  const { members } = clusterSchema.parse(json);
  const leader = members.find((m) => m.role === 'leader' && m.state === 'running')?.name ?? null;
  return { members, leader, via };
}

/** The cluster as the first member that answers sees it; null when none answers. */
export async function readCluster(endpoints: PatroniEndpoint[]): Promise<PatroniCluster | null> {
  for (const e of endpoints) {
    try {
      const res = await call(e.address, '/cluster');
      if (res.ok) return parseCluster(await res.json(), e.name);
    } catch {
      /* this member is down or paused: ask the next */
    }
  }
  return null;
}

/** Changes the cluster-wide configuration (kept in etcd, applied by every member). */
export async function patchConfig(endpoints: PatroniEndpoint[], body: Record<string, unknown>): Promise<void> {
  const errors: string[] = [];
  for (const e of endpoints) {
    try {
      const res = await call(e.address, '/config', { method: 'PATCH', body });
      if (res.ok) return;
      errors.push(`${e.name}: ${res.status} ${await res.text()}`);
    } catch (err) {
      errors.push(`${e.name}: ${(err as Error).message}`);
    }
  }
  throw new LabError(`Patroni refused the configuration change (${errors.join('; ')})`, 'EXEC_FAILED');
}

async function pendingRestart(e: PatroniEndpoint): Promise<boolean> {
  try {
    const res = await call(e.address, '/patroni');
    return res.ok && ((await res.json()) as { pending_restart?: boolean }).pending_restart === true;
  } catch {
    return false;
  }
}

/** Restarts, one at a time, the members whose PostgreSQL has a setting waiting for a restart
 *  (max_connections). Members pick a configuration change up on their next loop, so this waits up to
 *  `waitMs` for them to say so. Returns the members restarted. */
export async function restartPending(endpoints: PatroniEndpoint[], waitMs = 10_000): Promise<string[]> {
  const until = Date.now() + waitMs;
  let pending: PatroniEndpoint[] = [];
  while (Date.now() < until) {
    const flags = await Promise.all(endpoints.map(pendingRestart));
    pending = endpoints.filter((_, i) => flags[i]);
    if (pending.length === endpoints.length) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const e of pending) {
    const res = await call(e.address, '/restart', { method: 'POST', body: { restart_pending: true } });
    if (!res.ok && res.status !== 503)
      throw new LabError(`Patroni could not restart ${e.name}: ${res.status} ${await res.text()}`, 'EXEC_FAILED');
  }
  return pending.map((e) => e.name);
}

/** A planned change of leader: Patroni demotes the leader and promotes the candidate (or the best
 *  replica). Resolves once Patroni has accepted and carried it out. */
export async function switchover(
  endpoints: PatroniEndpoint[],
  leader: string,
  candidate: string | undefined,
): Promise<string> {
  const errors: string[] = [];
  for (const e of endpoints) {
    try {
      const res = await fetch(`http://${e.address}/switchover`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(candidate ? { leader, candidate } : { leader }),
        // Patroni answers once the new leader runs: seconds.
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      if (res.ok) return text.trim();
      errors.push(`${e.name}: ${res.status} ${text.trim()}`);
      // Patroni itself refused (no healthy candidate...): asking another member will not help.
      if (res.status >= 400 && res.status < 500) break;
    } catch (err) {
      errors.push(`${e.name}: ${(err as Error).message}`);
    }
  }
  throw new LabError(`Patroni refused the switchover (${errors.join('; ')})`, 'EXEC_FAILED');
}
