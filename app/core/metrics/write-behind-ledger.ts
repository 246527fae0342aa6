// cache.strategy write-behind, counted: the API instances say how many orders they acknowledged
// from the queue and how many rows their flushers wrote (scalelab_write_behind_total), Redis how
// many entries wait in the queue (XLEN). An acknowledged write is in PostgreSQL, or in the queue,
// or lost: lost = acknowledged − persisted − queued. Redis keeping nothing on disk, a restart empties
// the queue and what it held shows here as lost; with AOF it comes back and is flushed.
import { SERIES } from '../../contract/series.js';

export interface WriteBehindReading {
  /** This second's increments over every instance (null: the instances said nothing yet). */
  acked: number | null;
  persisted: number | null;
  direct: number | null;
  /** Entries in the queue now; null while Redis does not answer. */
  queued: number | null;
}

const BASELINE_READINGS = 5;

export class WriteBehindLedger {
  private acked = 0;
  private persisted = 0;
  /** Entries already queued when counting began: theirs is a persist without an ack seen here. */
  private idleBaseline: number | null = null;
  private baselines: number[] = [];
  private lastRaw: number | null = null;
  private lastQueued: number | null = null;
  private seen = false;

  /** The second's series; none until an instance has counted a write-behind write. */
  update(r: WriteBehindReading): Record<string, number | null> {
    if (r.acked === null && r.persisted === null && !this.seen) {
      // Write-behind not in use yet: nothing moves, so this reading of the queue is exact (empty,
      // usually: XLEN of no key is 0), and it is the baseline.
      if (r.queued !== null) this.idleBaseline = r.queued;
      this.lastQueued = r.queued;
      return {};
    }
    this.seen = true;
    this.acked += r.acked ?? 0;
    this.persisted += r.persisted ?? 0;
    // Counting began with write-behind in use: the queue then is what it holds beyond what was
    // counted since. A second in which nothing moved gives it exactly; else the median of the first
    // readings, since one reading alone can be off by a write in between.
    if (this.idleBaseline === null && r.queued !== null && this.baselines.length < BASELINE_READINGS) {
      const implied = r.queued - (this.acked - this.persisted);
      const still = this.lastQueued === r.queued && !r.acked && !r.persisted;
      if (still) this.idleBaseline = implied;
      else this.baselines.push(implied);
    }
    this.lastQueued = r.queued;
    const baseline = this.idleBaseline ?? median(this.baselines);
    const unflushed = this.acked - this.persisted + (baseline ?? 0);
    // The instances and Redis are read a few milliseconds apart: a write flushed in between looks
    // lost for that one reading. A real loss stays; the smaller of two readings keeps only that.
    const raw = r.queued === null ? null : unflushed - r.queued;
    const lost = raw === null ? null : Math.max(0, this.lastRaw === null ? raw : Math.min(raw, this.lastRaw));
    if (raw !== null) this.lastRaw = raw;
    return {
      [SERIES.writesAcked]: r.acked,
      [SERIES.writesFlushed]: r.persisted,
      [SERIES.writesDirect]: r.direct,
      [SERIES.writesQueued]: r.queued,
      [SERIES.writesUnflushed]: Math.max(0, unflushed),
      [SERIES.writesLost]: lost,
    };
  }
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
