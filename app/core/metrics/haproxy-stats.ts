// HAProxy's view of the API instances, named by the containers its servers point at. HAProxy
// names servers by template slot (api1..api8) and hands slots out as Docker's DNS answers, so a
// slot's name says nothing stable: after api-2 is killed, "api2" may be api-3. The address is
// what identifies a server; the stack knows each container's address.
import type { ServiceStatus } from '../../contract/stack.js';

export interface HaproxyServerRow {
  slot: string;
  /** ip:port HAProxy sends to; empty while the slot has no address. */
  addr: string;
  requests: number;
  status: string;
  /** Sessions open to the server now (scur), requests waiting in HAProxy's queue for it (qcur). */
  sessions: number;
  queue: number;
  /** HAProxy's mean response time of the server's last 1024 requests, ms (rtime). */
  rtimeMs: number;
}

/** Rows of backend "api" in HAProxy's CSV stats (`/stats;csv`). */
export function parseHaproxyCsv(csv: string): HaproxyServerRow[] {
  const lines = csv.trim().split('\n');
  const head = lines[0].replace(/^# /, '').split(',');
  const col = (name: string) => head.indexOf(name);
  const [px, sv, req, status, addr] = [col('pxname'), col('svname'), col('req_tot'), col('status'), col('addr')];
  const [scur, qcur, rtime] = [col('scur'), col('qcur'), col('rtime')];
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => f[px] === 'api' && f[sv] !== 'BACKEND' && f[sv] !== 'FRONTEND')
    .map((f) => ({
      slot: f[sv],
      addr: addr >= 0 ? (f[addr] ?? '') : '',
      requests: Number(f[req] || 0),
      status: f[status] ?? '',
      sessions: Number(f[scur] || 0),
      queue: Number(f[qcur] || 0),
      rtimeMs: Number(f[rtime] || 0),
    }));
}

export interface BalancerServer {
  /** The API service (container) the server points at. */
  service: string;
  up: boolean;
  /** Requests HAProxy sent to it, over all slots that pointed at it (a counter). */
  requests: Array<{ slot: string; requests: number }>;
  /** Over its slots: sessions open and requests queued now; the UP slot's mean response time (null: none). */
  sessions: number;
  queue: number;
  rtimeMs: number | null;
}

/** Every API instance of the stack, as HAProxy sees it: up only when a slot with its address is
 *  UP. An instance no slot points at (killed: Docker's DNS forgot it) is down, not missing. */
export function balancerServers(rows: HaproxyServerRow[], apis: ServiceStatus[]): BalancerServer[] {
  return apis.map((s) => {
    const mine = s.ip && s.state !== 'exited' ? rows.filter((r) => r.addr.split(':')[0] === s.ip) : [];
    const live = mine.find((r) => r.status.startsWith('UP'));
    return {
      service: s.name,
      up: !!live,
      requests: mine.map((r) => ({ slot: r.slot, requests: r.requests })),
      sessions: mine.reduce((n, r) => n + r.sessions, 0),
      queue: mine.reduce((n, r) => n + r.queue, 0),
      rtimeMs: live ? live.rtimeMs : null,
    };
  });
}
