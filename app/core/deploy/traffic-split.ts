// How requests are split between two sets of API instances at the balancer: HAProxy's per-server
// weights, read from and written to its runtime API (`show servers state`, `set weight`). Pure.
//
// The backend's servers are slots of a server-template that DNS fills; a slot's weight stays with
// the slot whoever fills it, so a slot is named by the address it holds now.

export const FULL_WEIGHT = 100;
/** HAProxy's highest weight. */
const MAX_WEIGHT = 256;

export interface BalancerSlot {
  /** HAProxy's server name in the backend (api1, api2...). */
  slot: string;
  /** The container's address on the stack network; null while the slot is empty. */
  address: string | null;
  /** Running and passing its health check, as HAProxy sees it. */
  up: boolean;
  weight: number;
}

/** `show servers state api` (format version 1): a header line naming the columns, a line per server. */
export function parseServersState(text: string): BalancerSlot[] {
  const lines = text.split('\n').map((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# be_id'));
  if (!header) throw new Error(`not a "show servers state" answer: ${text.slice(0, 120)}`);
  const cols = header.slice(2).split(/\s+/);
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`"show servers state" has no ${name} column`);
    return i;
  };
  const [name, addr, op, weight] = [at('srv_name'), at('srv_addr'), at('srv_op_state'), at('srv_uweight')];
  return lines
    .filter((l) => l && !l.startsWith('#') && /^\d+\s/.test(l))
    .map((l) => l.split(/\s+/))
    .map((f) => ({
      slot: f[name]!,
      address: f[addr] && f[addr] !== '-' ? f[addr]! : null,
      // SRV_ST_RUNNING
      up: f[op] === '2',
      weight: Number(f[weight]),
    }));
}

/** Per-slot weights that give the new set `percent` of the requests: old slots and new slots each
 *  share one weight, scaled to HAProxy's range; every other slot (empty ones included, so an
 *  instance DNS adds later gets nothing unasked) 0. `share` is the new set's share they give. */
export function splitWeights(
  slots: BalancerSlot[],
  oldAddresses: string[],
  newAddresses: string[],
  percent: number,
): { weights: Record<string, number>; share: number } {
  const isOld = (s: BalancerSlot) => !!s.address && oldAddresses.includes(s.address);
  const isNew = (s: BalancerSlot) => !!s.address && newAddresses.includes(s.address);
  const nOld = slots.filter(isOld).length;
  const nNew = slots.filter(isNew).length;
  let wNew = percent * Math.max(nOld, 1);
  let wOld = (100 - percent) * Math.max(nNew, 1);
  if (percent >= 100 || nOld === 0) [wNew, wOld] = [FULL_WEIGHT, 0];
  else if (percent <= 0 || nNew === 0) [wNew, wOld] = [0, FULL_WEIGHT];
  else {
    const scale = MAX_WEIGHT / Math.max(wNew, wOld);
    wNew = Math.max(1, Math.round(wNew * scale));
    wOld = Math.max(1, Math.round(wOld * scale));
  }
  const weights: Record<string, number> = {};
  for (const s of slots) weights[s.slot] = isNew(s) ? wNew : isOld(s) ? wOld : 0;
  const total = nNew * wNew + nOld * wOld;
  return { weights, share: total > 0 ? Math.round(((nNew * wNew) / total) * 1000) / 10 : 0 };
}

/** Every slot back to full weight: whatever DNS puts there serves (the stack's normal state). */
export function fullWeights(slots: BalancerSlot[]): Record<string, number> {
  return Object.fromEntries(slots.map((s) => [s.slot, FULL_WEIGHT]));
}

/** The runtime API commands that set these weights, one line (HAProxy runs `a; b; c` in order). */
export function weightCommands(backend: string, weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([slot, w]) => `set weight ${backend}/${slot} ${Math.round(w)}`)
    .join('; ');
}
