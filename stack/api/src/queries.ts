// SQL that the engine runs too: the expensive read, explained (EXPLAIN ANALYZE) by the engine
// exactly as the API sends it.

/** Revenue per product of one category ($1), over the whole orders table. */
export const TOP_PRODUCTS_SQL = `
        SELECT p.id, p.name, sum(o.quantity * o.unit_price)::float8 AS revenue, count(*)::int AS orders
        FROM orders o JOIN products p ON p.id = o.product_id
        WHERE p.category_id = $1 GROUP BY p.id, p.name ORDER BY revenue DESC LIMIT 10`;
