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

/** An HTTP call made somewhere other than here: on Swarm, curl on the stack's overlay, where a
 *  member's REST API is (its task publishes no port). */
export type HttpVia = (
  url: string,
  init: { method: string; body?: string; timeoutMs: number },
) => Promise<{ status: number; text: string }>;

/** A member's REST address by name: its published port (127.0.0.1:port), or on Swarm its name on
 *  the overlay (db-primary:8008) with the way there. */
export interface PatroniEndpoint {
  name: string;
  address: string;
  via?: HttpVia | null;
}

interface Answer {
  ok: boolean;
  status: number;
  text: string;
}

const TIMEOUT_MS = 1500;

async function call(
  e: PatroniEndpoint,
  path: string,
  init?: { method: string; body: unknown },
  timeoutMs = TIMEOUT_MS,
): Promise<Answer> {
  const url = `http://${e.address}${path}`;
  const method = init?.method ?? 'GET';
  const body = init ? JSON.stringify(init.body) : undefined;
  if (e.via) {
    const r = await e.via(url, { method, body, timeoutMs });
    return { ok: r.status >= 200 && r.status < 300, ...r };
  }
  const res = await fetch(url, {
    method,
    headers: init ? { 'content-type': 'application/json' } : undefined,
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { ok: res.ok, status: res.status, text: await res.text() };
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
      const res = await call(e, '/cluster');
      if (res.ok) return parseCluster(JSON.parse(res.text), e.name);
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
      const res = await call(e, '/config', { method: 'PATCH', body });
      if (res.ok) return;
      errors.push(`${e.name}: ${res.status} ${res.text}`);
    } catch (err) {
      errors.push(`${e.name}: ${(err as Error).message}`);
    }
  }
  throw new LabError(`Patroni refused the configuration change (${errors.join('; ')})`, 'EXEC_FAILED');
}

async function pendingRestart(e: PatroniEndpoint): Promise<boolean> {
  try {
    const res = await call(e, '/patroni');
    return res.ok && (JSON.parse(res.text) as { pending_restart?: boolean }).pending_restart === true;
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
    const res = await call(e, '/restart', { method: 'POST', body: { restart_pending: true } });
    if (!res.ok && res.status !== 503)
      throw new LabError(`Patroni could not restart ${e.name}: ${res.status} ${res.text}`, 'EXEC_FAILED');
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
      // Patroni answers once the new leader runs: seconds.
      const res = await call(
        e,
        '/switchover',
        { method: 'POST', body: candidate ? { leader, candidate } : { leader } },
        60_000,
      );
      const text = res.text;
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
