// Counters read once a second become per-reading deltas: each remembered by a key ("#name@source",
// not a series); null on the first reading; a counter that went down restarted (its value is the
// delta).
export class CounterDeltas {
  private prev = new Map<string, number>();

  delta(key: string, value: number): number | null {
    const before = this.prev.get(key);
    this.prev.set(key, value);
    if (before === undefined) return null;
    return value >= before ? value - before : value;
  }

  has(key: string): boolean {
    return this.prev.has(key);
  }

  /** Counts the next reading from this value (a counter known to have started at it). */
  seed(key: string, value: number): void {
    this.prev.set(key, value);
  }
}
