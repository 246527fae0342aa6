// Runs a ScaleLab workload (load-scripts/workloads/*.json) under real k6, from the repository root:
//   k6 run -e WORKLOAD=load-scripts/workloads/read-heavy.json -e BASE_URL=http://127.0.0.1:8080 load-scripts/k6/workload.js
// WORKLOAD is a shipped workload's name (read-heavy), an absolute path, or a path relative to the
// directory k6 runs in: k6's open() resolves relative paths against this script's folder, so the
// script joins a relative path to $PWD itself (k6 passes the shell's environment to __ENV).
// Optional: -e EDGE_URL=http://127.0.0.1:8081 (static files through the edge cache), -e MAX_VUS=500,
// -e CLIENT_HEADER=x-client-id (the header each VU sends its client id in, with the workload's clients).
//
// The rate profile becomes an arrival-rate scenario (open model: k6 drops iterations when no VU is
// free, counted in dropped_iterations). Each request is tagged with its endpoint; each response also
// adds a `scalelab_latency` point tagged with what the stack's headers say (instance, cache, database
// node, stale read), which ScaleLab's k6 adapter reads into the same one-second windows as its
// built-in engine.
import http from 'k6/http';
import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';

export function workloadPath(given, cwd) {
  const p = given || 'read-heavy';
  if (/^[\w-]+$/.test(p)) return `../workloads/${p}.json`; // a shipped workload, beside this script
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('file://')) return p;
  // Relative: to where k6 was started. Without $PWD (k6 --include-system-env-vars=false), to the
  // repository root, two folders above this script, which is where the README runs it from.
  return cwd ? `${cwd.replace(/\/$/, '')}/${p}` : `../../${p}`;
}
const workload = JSON.parse(open(workloadPath(__ENV.WORKLOAD, __ENV.PWD)));
const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const EDGE_URL = (__ENV.EDGE_URL || BASE_URL).replace(/\/$/, '');
const MAX_VUS = Number(__ENV.MAX_VUS || 500);
// The header a VU sends its client id in (the stack's rateLimit.clientHeader), when the workload has clients.
const CLIENT_HEADER = __ENV.CLIENT_HEADER || 'x-client-id';

const latency = new Trend('scalelab_latency', true);
const timing = new Trend('scalelab_timing', true);
const staleReads = new Counter('scalelab_stale_reads');
const cacheHits = new Rate('scalelab_cache_hits');

function scenario(rate) {
  const peak =
    rate.kind === 'constant' ? rate.rate : Math.max(rate.startRate || 0, ...rate.stages.map((s) => s.targetRate));
  // `clients`: that many VUs, each keeping its cookie jar across iterations (noCookiesReset below),
  // as the built-in engine's virtual users do.
  const vus = workload.clients
    ? { preAllocatedVUs: workload.clients, maxVUs: workload.clients }
    : { preAllocatedVUs: Math.max(2, Math.min(MAX_VUS, Math.ceil(peak / 10))), maxVUs: MAX_VUS };
  if (rate.kind === 'constant') {
    return {
      executor: 'constant-arrival-rate',
      rate: rate.rate,
      timeUnit: '1s',
      duration: `${rate.durationSeconds}s`,
      ...vus,
    };
  }
  return {
    executor: 'ramping-arrival-rate',
    startRate: rate.startRate || 0,
    timeUnit: '1s',
    ...vus,
    stages: rate.stages.map((s) => ({ target: s.targetRate, duration: `${s.durationSeconds}s` })),
  };
}

export const options = {
  scenarios: { [workload.name]: scenario(workload.rate) },
  thresholds: workload.thresholds || {},
  // The adapter reads the stream; the text summary is for people running this by hand.
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  // k6 empties a VU's cookie jar after each iteration unless told not to: a cart session lives on.
  noCookiesReset: !!workload.clients,
  // Over the balancer's HTTPS (BASE_URL https://...): its certificate is one it made for 127.0.0.1,
  // which k6 cannot be told to trust alone, so k6 skips the check there (the built-in engine trusts
  // exactly that certificate).
  insecureSkipTLSVerify: !!workload.tls,
  // keepAlive false: a new connection for every request, as the built-in engine does.
  noConnectionReuse: workload.keepAlive === false,
};

// Weighted endpoint choice, and keys: uniform, or Zipf (rank k has weight 1/k^s) by inverse CDF.
const mix = Object.entries(workload.mix).filter(([, w]) => w > 0);
const mixTotal = mix.reduce((s, [, w]) => s + w, 0);
function pickEndpoint() {
  let u = Math.random() * mixTotal;
  for (const [name, w] of mix) {
    if ((u -= w) < 0) return name;
  }
  return mix[mix.length - 1][0];
}
const keys = Object.assign({ distribution: 'uniform', zipfExponent: 1, keySpace: 10000 }, workload.keys);
let cdf = null;
if (keys.distribution === 'zipf') {
  cdf = new Float64Array(keys.keySpace);
  let sum = 0;
  for (let k = 1; k <= keys.keySpace; k++) {
    sum += 1 / Math.pow(k, keys.zipfExponent);
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] /= sum;
}
function pickKey() {
  if (!cdf) return 1 + Math.floor(Math.random() * keys.keySpace);
  const u = Math.random();
  let lo = 0,
    hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

// With clients: each VU is a client with its own id; with noisyShare, that share of the
// iterations is made by one client, "noisy", whatever VU runs them (as the built-in engine does).
function clientOf() {
  if (!workload.clients) return null;
  if (workload.noisyShare && Math.random() < workload.noisyShare) return { id: 'noisy', cls: 'noisy' };
  return { id: `client-vu-${__VU}`, cls: workload.noisyShare ? 'others' : '' };
}
let client = null;

function params(tags, extra) {
  const headers = Object.assign({}, extra || {});
  if (client) headers[CLIENT_HEADER] = client.id;
  return { headers, tags };
}

function record(endpoint, res) {
  const h = res.headers;
  const edge = h['X-Edge-Cache'];
  const cache = endpoint === 'static' && edge ? `EDGE_${edge}` : h['X-Cache'] || '';
  const stale = h['X-Stale-Read'] === '1' ? '1' : '0';
  // nginx replays a cached response's X-Instance: a response the edge served is the edge's.
  const byEdge = ['EDGE_HIT', 'EDGE_STALE', 'EDGE_UPDATING', 'EDGE_REVALIDATED'].indexOf(cache) >= 0;
  latency.add(res.timings.duration, {
    endpoint,
    status: String(res.status),
    instance: byEdge ? '' : h['X-Instance'] || '',
    cache,
    db: h['X-Db-Node'] || '',
    stale,
    session: h['X-Session'] || '',
    client_class: client ? client.cls : '',
    version: byEdge ? '' : h['X-Version'] || '',
    error_code: res.error_code ? String(res.error_code) : '',
  });
  if (stale === '1') staleReads.add(1);
  if (cache === 'HIT' || cache === 'MISS') cacheHits.add(cache === 'HIT');
  const st = h['Server-Timing'] || '';
  for (const part of st.split(',')) {
    const m = /^\s*([\w-]+)\s*;(?:.*?;)?\s*dur=([\d.]+)/.exec(part);
    if (m) timing.add(Number(m[2]), { part: m[1] });
  }
  return res;
}

function call(endpoint, k) {
  const tags = { endpoint };
  switch (endpoint) {
    case 'cheap-read':
      return record(endpoint, http.get(`${BASE_URL}/products/${k}`, params(tags)));
    case 'expensive-read':
      return record(endpoint, http.get(`${BASE_URL}/categories/${1 + (k % 20)}/top`, params(tags)));
    case 'list':
      return record(endpoint, http.get(`${BASE_URL}/products?page=${1 + (k % 50)}&size=20`, params(tags)));
    case 'static':
      return record(
        endpoint,
        http.get(
          k % 5 === 0 ? `${EDGE_URL}/static/app.js` : `${EDGE_URL}/static/img/${1 + (k % 20)}.svg`,
          params(tags),
        ),
      );
    case 'slow':
      return record(endpoint, http.get(`${BASE_URL}/slow?ms=${workload.slowMs ?? 50}`, params(tags)));
    case 'cpu':
      return record(endpoint, http.get(`${BASE_URL}/hash?iterations=20000`, params(tags)));
    case 'cart-add':
      return record(
        endpoint,
        http.post(
          `${BASE_URL}/cart/items`,
          JSON.stringify({ productId: k, quantity: 1 }),
          params(tags, { 'Content-Type': 'application/json' }),
        ),
      );
    case 'cart-read':
      return record(endpoint, http.get(`${BASE_URL}/cart`, params(tags)));
    case 'edge-read':
      return record(endpoint, http.get(`${EDGE_URL}/products/${k}`, params(tags)));
    case 'page-read':
    case 'scan-read':
      return record(endpoint, http.get(`${BASE_URL}/products/${k}/page`, params(tags)));
    case 'price-read':
      return record(endpoint, http.get(`${BASE_URL}/products/${k}`, params(tags)));
    case 'price-update':
      // A new price each time; k6 runs make these writes but do not judge stale prices (the built-in engine does).
      return record(
        endpoint,
        http.put(
          `${BASE_URL}/products/${k}`,
          JSON.stringify({ price: Math.round(1000 + Math.random() * 998999) / 100 }),
          params(tags, { 'Content-Type': 'application/json' }),
        ),
      );
    default:
      return record(
        'write',
        http.post(
          `${BASE_URL}/orders`,
          JSON.stringify({ productId: k, quantity: 1 + (k % 3) }),
          params({ endpoint: 'write' }, { 'Content-Type': 'application/json' }),
        ),
      );
  }
}

export default function () {
  client = clientOf();
  const endpoint = pickEndpoint();
  // A scan walks the nine key spaces past the workload's own, in order across the test's
  // iterations (as scanKeyAt in the built-in engine): pages the other reads never ask.
  const k =
    endpoint === 'scan-read' ? keys.keySpace + 1 + (exec.scenario.iterationInTest % (9 * keys.keySpace)) : pickKey();
  if (endpoint !== 'read-own-write') {
    call(endpoint, k);
    return;
  }
  // Write, think, read it back: the VU's cookie jar carries the `lw` cookie (read-your-writes).
  const w = call('write', k);
  if (w.status !== 201) return;
  if (workload.thinkTimeMs > 0) sleep(workload.thinkTimeMs / 1000);
  record('read-own-write', http.get(`${BASE_URL}/orders/${w.json('id')}`, params({ endpoint: 'read-own-write' })));
}
