// Load for GET /hash in a process of its own, as a load generator is (bench:traffic, the
// vertical-scaling Docker test): `clients` back to back for `seconds` against `url`; prints
// answers per second, p50 and the workers seen.
// node app/core/testing/hash-client.mjs URL SECONDS CLIENTS
const [url, seconds = '5', clients = '16'] = process.argv.slice(2);
const until = Date.now() + Number(seconds) * 1000;
const took = [];
const workers = new Set();
await Promise.all(
  Array.from({ length: Number(clients) }, async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      const res = await fetch(`${url}/hash?iterations=20000`, { signal: AbortSignal.timeout(20_000) });
      await res.arrayBuffer();
      if (res.status === 200) took.push(performance.now() - t0);
      workers.add(res.headers.get('x-worker') ?? '?');
    }
  }),
);
took.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    perSecond: took.length / Number(seconds),
    p50: took[Math.floor(took.length / 2)] ?? null,
    workers: workers.size,
  }),
);
