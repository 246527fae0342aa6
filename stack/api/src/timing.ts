// Collects where one request's time went, for the standard Server-Timing header:
// cache (Redis), db (PostgreSQL) and app (everything else).
export class Timing {
  readonly started = performance.now();
  cache = 0;
  db = 0;
  /** Shards one query was scattered to (database.shards): db is then the slowest one's wait. */
  shards = 0;

  header(): string {
    const total = performance.now() - this.started;
    const app = Math.max(0, total - this.cache - this.db);
    const db = `db;dur=${this.db.toFixed(2)}${this.shards ? `;desc="scatter-gather over ${this.shards} shards"` : ''}`;
    return `cache;dur=${this.cache.toFixed(2)}, ${db}, app;dur=${app.toFixed(2)}`;
  }
}
