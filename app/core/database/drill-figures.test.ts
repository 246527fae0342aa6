// The drill's figures from a probe's writes, without a stack.
import { describe, expect, it } from 'vitest';
import { lostAcknowledged, writeCounts, writeOutageMs } from './drill-figures.js';

const w = (sentAt: number, doneAt: number, id: number | null) => ({ sentAt, doneAt, id });

describe('drill figures', () => {
  const writes = [
    w(900, 905, 10),
    w(990, 3000, null), // in flight when the leader died: failed
    w(1100, 1200, null),
    w(5000, 5100, 12),
    w(4000, 6200, 13), // sent earlier, answered later than the write above
    w(6000, 6010, 14),
  ];

  it('measures the outage from the first failure after the fault to the first write acknowledged after the last', () => {
    // the write in flight at the fault failed: the outage starts at the fault
    expect(writeOutageMs(writes, 1000)).toBe(4100);
    expect(writeOutageMs(writes.slice(0, 3), 1000)).toBeNull();
    // a switchover: writes go on for a while, then fail while the leader steps down
    const handover = [
      w(1000, 1005, 20),
      w(1500, 1504, 21),
      w(1600, 1700, null),
      w(1900, 1950, null),
      w(2000, 2010, 22),
    ];
    expect(writeOutageMs(handover, 1000)).toBe(410);
    expect(writeOutageMs([w(1000, 1005, 20), w(2000, 2010, 22)], 1000)).toBe(0);
  });

  it('counts as lost only acknowledged ids missing afterwards', () => {
    expect(lostAcknowledged(writes, new Set([10, 12, 14]))).toEqual([13]);
    expect(lostAcknowledged(writes, new Set([10, 12, 13, 14]))).toEqual([]);
    expect(writeCounts(writes)).toEqual({ sent: 6, acknowledged: 4, failed: 2 });
  });
});
