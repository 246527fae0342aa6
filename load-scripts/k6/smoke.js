// A plain k6 smoke test of a ScaleLab stack: a few users for 30 s, checks on every response.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-scripts/k6/smoke.js
import http from 'k6/http';
import { check, sleep } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';

export const options = {
  vus: 5,
  duration: '30s',
  thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<500'] },
};

export default function () {
  const id = 1 + Math.floor(Math.random() * 1000);
  const res = http.get(`${BASE_URL}/products/${id}`, { tags: { name: 'GET /products/:id' } });
  check(res, {
    'status is 200': (r) => r.status === 200,
    'names its instance': (r) => Boolean(r.headers['X-Instance']),
  });
  sleep(0.5);
}
