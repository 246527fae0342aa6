// What a failover or switchover drill measured, as a small table: used by the console's HA card
// and by the run report (the drill is in the run's event log).
import { DataList } from '@radix-ui/themes';
import type { DrillResult } from '../../contract/stack.js';

/** Milliseconds as seconds with one decimal, or n/a for what was not measured. */
export const secs = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

export function drillRows(r: DrillResult): Array<[label: string, value: string, title: string]> {
  return [
    ['leader', `${r.oldLeader} → ${r.newLeader ?? 'none'}`, "Patroni's leader before and after"],
    ['replication', r.synchronous ? 'synchronous' : 'asynchronous', "Patroni's synchronous mode during the drill"],
    ['new leader after', secs(r.electedAfterMs), "from the fault to a new leader in Patroni's cluster view"],
    [
      'write outage (RTO)',
      secs(r.writeOutageMs),
      "from the first write that failed to the first acknowledged again, measured by the drill's writes at the entry point",
    ],
    [
      'writes',
      `${r.writes.sent} sent, ${r.writes.acknowledged} acknowledged, ${r.writes.failed} failed`,
      "the drill's own orders, 40/s",
    ],
    [
      'acknowledged writes lost (RPO)',
      r.lostAcknowledged === null ? 'not counted' : String(r.lostAcknowledged),
      'acknowledged order ids missing on the new leader afterwards',
    ],
    [
      'timeline',
      `${r.timeline.before ?? '?'} → ${r.timeline.after ?? '?'}`,
      'PostgreSQL timeline: +1 at each promotion',
    ],
    ...(r.kind === 'failover'
      ? [
          [
            'old leader back as replica',
            secs(r.rejoinedAfterMs),
            'from its restart to streaming from the new leader',
          ] as [string, string, string],
        ]
      : []),
  ];
}

export function DrillFigures({ result, testId }: { result: DrillResult; testId?: string }) {
  return (
    <DataList.Root size="1" data-testid={testId}>
      {drillRows(result).map(([label, value, title]) => (
        <DataList.Item key={label}>
          <DataList.Label minWidth="160px">{label}</DataList.Label>
          <DataList.Value title={title} data-figure={label}>
            {value}
          </DataList.Value>
        </DataList.Item>
      ))}
      {result.notes.map((n) => (
        <DataList.Item key={n}>
          <DataList.Label minWidth="160px">note</DataList.Label>
          <DataList.Value>{n}</DataList.Value>
        </DataList.Item>
      ))}
    </DataList.Root>
  );
}
