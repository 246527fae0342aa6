// What a restore drill measured, as rows: used by the console's Backups card and the run report.
import type { RestoreResult } from '../../contract/stack.js';
import { secs } from './DrillFigures.js';

export function restoreRows(r: RestoreResult): Array<[label: string, value: string, title: string]> {
  return [
    ['restored to', r.target, "the point chosen, by PostgreSQL's clock"],
    ['from backup', r.backup, "pgBackRest's full backup the restore started from, then archived WAL"],
    [
      'orders before the point',
      `${r.beforeTarget.present} of ${r.beforeTarget.acknowledged} back`,
      "the drill's orders acknowledged before the point: all should be back",
    ],
    [
      'orders after the point',
      `${r.afterTarget.present} of ${r.afterTarget.acknowledged} back`,
      'acknowledged after the point, before the disaster: none should be back',
    ],
    ['data given up (RPO)', secs(r.rpoMs), 'from the point chosen to the disaster'],
    [
      'write outage (RTO)',
      secs(r.writeOutageMs),
      'from the first write that failed after the disaster to the first acknowledged again',
    ],
    ['restore itself', secs(r.restoreMs), 'primary stopped, pgbackrest restore, WAL replayed, replicas cloned again'],
  ];
}
