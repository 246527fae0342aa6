// Collects where one request's time went, for the standard Server-Timing header:
// cache (Redis), db (PostgreSQL), origin (the distance to the users, when the origin is made
// far: api.distanceMs) and app (everything else).
export class Timing {
  readonly started = performance.now();
  cache = 0;
  db = 0;
  /** Shards one query was scattered to (database.shards): db is then the slowest one's wait. */
  shards = 0;
  /** The round trip the origin's distance costs this response (api.distanceMs). */
  origin = 0;

  header(): string {
    const total = performance.now() - this.started;
    const app = Math.max(0, total - this.cache - this.db - this.origin);
    const db = `db;dur=${this.db.toFixed(2)}${this.shards ? `;desc="scatter-gather over ${this.shards} shards"` : ''}`;
    const origin = this.origin ? `, origin;dur=${this.origin.toFixed(2)};desc="distance to the users"` : '';
    return `cache;dur=${this.cache.toFixed(2)}, ${db}${origin}, app;dur=${app.toFixed(2)}`;
  }
}
