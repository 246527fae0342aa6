// Collects where one request's time went, for the standard Server-Timing header:
// cache (Redis), db (PostgreSQL) and app (everything else).
export class Timing {
  readonly started = performance.now();
  cache = 0;
  db = 0;

  header(): string {
    const total = performance.now() - this.started;
    const app = Math.max(0, total - this.cache - this.db);
    return `cache;dur=${this.cache.toFixed(2)}, db;dur=${this.db.toFixed(2)}, app;dur=${app.toFixed(2)}`;
  }
}
