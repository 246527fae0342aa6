// Seeds the demo data set once per database: products in categories with some text, and a
// large orders table so that "top products of a category" really costs tens of milliseconds.
// Every instance calls this at start; an advisory lock makes exactly one of them do the work.
import type pg from 'pg';

export interface SeedSizes { products: number; orders: number; categories: number }

const SEED_LOCK = 7_431_001;

export async function seed(pool: pg.Pool, sizes: SeedSizes, log: (msg: string) => void): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SEED_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS seed_info (id int PRIMARY KEY, products int, orders int, seeded_at timestamptz)');
    const done = await client.query('SELECT 1 FROM seed_info WHERE id = 1');
    if (done.rowCount) return;
    const started = Date.now();
    await client.query('BEGIN');
    await client.query(`
      CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL);
      CREATE TABLE products (
        id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id),
        name text NOT NULL, description text NOT NULL, price numeric(10,2) NOT NULL);
      CREATE TABLE orders (
        id bigserial PRIMARY KEY, product_id int NOT NULL, quantity int NOT NULL,
        unit_price numeric(10,2) NOT NULL, client_id text, created_at timestamptz NOT NULL DEFAULT now());`);
    await client.query(`INSERT INTO categories SELECT g, 'Category ' || g FROM generate_series(1, $1) g`, [sizes.categories]);
    await client.query(`
      INSERT INTO products
      SELECT g, 1 + (g % $2),
             initcap(substr(md5(g::text), 1, 8)) || ' ' || (ARRAY['Lamp','Chair','Kettle','Desk','Mug','Shelf','Clock','Rug'])[1 + g % 8],
             'A ' || (ARRAY['sturdy','handmade','compact','vintage','modern'])[1 + g % 5] || ' item, ' || repeat(md5((g * 7)::text), 3),
             round((5 + (g * 37 % 500))::numeric + 0.99, 2)
      FROM generate_series(1, $1) g`, [sizes.products, sizes.categories]);
    // Skewed product popularity (squared uniform) makes the aggregates uneven, like real sales.
    await client.query(`
      INSERT INTO orders (product_id, quantity, unit_price, created_at)
      SELECT 1 + floor(power(random(), 2) * $1)::int, 1 + (g % 4), 9.99, now() - (g || ' seconds')::interval
      FROM generate_series(1, $2) g`, [sizes.products, sizes.orders]);
    await client.query('INSERT INTO seed_info VALUES (1, $1, $2, now())', [sizes.products, sizes.orders]);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    log(`seeded ${sizes.products} products and ${sizes.orders} orders in ${Date.now() - started} ms`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    client.release();
  }
}
