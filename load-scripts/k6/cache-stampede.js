// A plain k6 script: many users asking for the same expensive page at once, right after its cache
// entry expires (a cache stampede). Run it with the cache on and a short TTL, then off:
//   scalelab apply --set cache.enabled=true --set cache.ttlSeconds=5
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-scripts/k6/cache-stampede.js
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const hits = new Rate('cache_hits');

export const options = {
  scenarios: {
    stampede: {
      executor: 'constant-arrival-rate',
      rate: 100,
      timeUnit: '1s',
      duration: '40s',
      preAllocatedVUs: 50,
      maxVUs: 300,
    },
  },
  thresholds: { 'http_req_duration{endpoint:top}': ['p(99)<2000'], cache_hits: ['rate>0.5'] },
};

export default function () {
  const res = http.get(`${BASE_URL}/categories/1/top`, { tags: { endpoint: 'top' } });
  hits.add(res.headers['X-Cache'] === 'HIT');
  check(res, { 'status is 200': (r) => r.status === 200 });
}
