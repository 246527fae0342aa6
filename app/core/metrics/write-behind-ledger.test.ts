// The write-behind ledger: lost = acknowledged − persisted − queued, a reading's in-between flush not
// taken for a loss, entries queued before counting began not either, and a queue emptied by a
// restart counted exactly.
import { describe, expect, it } from 'vitest';
import { SERIES } from '../../contract/series.js';
import { WriteBehindLedger } from './write-behind-ledger.js';

const reading = (acked: number | null, persisted: number | null, queued: number | null) => ({
  acked,
  persisted,
  direct: 0,
  queued,
});

describe('write-behind ledger', () => {
  it('says nothing until an instance counts a write-behind write', () => {
    expect(new WriteBehindLedger().update(reading(null, null, 0))).toEqual({});
  });

  it('counts nothing lost while every acknowledged write is persisted or queued', () => {
    const l = new WriteBehindLedger();
    // 40 queued before counting began (the first counters are not deltas yet).
    expect(l.update(reading(null, null, 40))[SERIES.writesLost]).toBeUndefined();
    l.update(reading(null, 0, 40));
    const s = l.update(reading(100, 90, 50));
    expect(s[SERIES.writesLost]).toBe(0);
    expect(s[SERIES.writesUnflushed]).toBe(50);
    expect(s[SERIES.writesQueued]).toBe(50);
  });

  it('does not take a flush between the two reads for a loss, but keeps a real one', () => {
    const l = new WriteBehindLedger();
    l.update(reading(0, 0, 0));
    l.update(reading(100, 100, 0));
    // 10 flushed (gone from the queue) after the instances were read: looks lost for one reading.
    expect(l.update(reading(50, 40, 0))[SERIES.writesLost]).toBe(0);
    expect(l.update(reading(50, 60, 0))[SERIES.writesLost]).toBe(0);
    // Redis restarted empty with 30 in it: lost from then on.
    l.update(reading(30, 0, null));
    expect(l.update(reading(0, 0, 0))[SERIES.writesLost]).toBe(0);
    expect(l.update(reading(0, 0, 0))[SERIES.writesLost]).toBe(30);
    expect(l.update(reading(20, 20, 0))[SERIES.writesLost]).toBe(30);
  });

  it('says lost is unknown while Redis does not answer, and holds the unflushed count', () => {
    const l = new WriteBehindLedger();
    l.update(reading(0, 0, 0));
    l.update(reading(25, 5, 20));
    const down = l.update(reading(0, 0, null));
    expect(down[SERIES.writesLost]).toBeNull();
    expect(down[SERIES.writesUnflushed]).toBe(20);
  });

  it('started during a run, takes the queue then as the median of the first readings', () => {
    const l = new WriteBehindLedger();
    // 100 queued when counting began; the third reading was taken across a flush of 5.
    l.update(reading(0, 0, 100));
    l.update(reading(50, 50, 100));
    l.update(reading(50, 45, 100));
    l.update(reading(0, 5, 100));
    l.update(reading(10, 0, 110));
    expect(l.update(reading(0, 0, 110))[SERIES.writesLost]).toBe(0);
    // A restart empties the queue: the 110 are lost.
    l.update(reading(0, 0, 0));
    expect(l.update(reading(0, 0, 0))[SERIES.writesLost]).toBe(110);
  });
});
