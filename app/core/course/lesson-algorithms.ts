// The horizontal-scaling chapter's balancing lesson: one slow instance, round robin against least
// connections, p99 side by side, with HAProxy's own per-server response times.
import type { Lesson } from '../../contract/course.js';
import { SERIES, seriesKey } from '../../contract/series.js';

export const ALGORITHMS_LESSON: Lesson = {
  id: 'balancer.algorithms',
  title: 'Balancing algorithms: one slow instance',
  goal: 'Make one of three instances slow and compare how round robin and least connections share the load around it.',
  preset: 'load-balanced',
  workload: 'read-heavy',
  rate: 300,
  steps: [
    'Set up the stage: three API instances behind HAProxy with round robin, 300 requests/s.',
    'Slow api-2 from its menu in the diagram: it keeps a tenth of its CPU (docker update --cpus), as on a host with a noisy neighbour.',
    'Watch p99, and HAProxy\u2019s response time per instance: round robin still sends api-2 a third of the requests.',
    'Set the balancer\u2019s algorithm to leastconn and Apply (the balancer restarts in a second): compare p99 before and after on the latency chart.',
  ],
  watch: [
    'p99 latency: the slowest requests are the ones api-2 served',
    'Balancer: response time per instance (HAProxy\u2019s mean of each server\u2019s last 1024 requests)',
    'Requests by who served them: api-2\u2019s share under each algorithm',
  ],
  expected:
    'Under round robin api-2 serves a third of the requests whatever its speed: its share queues behind its CPU limit and p99 climbs to hundreds of milliseconds. Least connections sends each request to the instance with the fewest in flight; the slow one holds its requests longer, so it gets fewer, and p99 falls to about a third. Give api-2 its CPU back (its menu) and the two algorithms look alike again: they differ only when instances do.',
  predict: {
    question: 'One of three instances becomes ten times slower. Which algorithm keeps p99 lower?',
    choices: [
      'Round robin: every instance gets its fair share',
      'Least connections: the slow instance keeps its requests longer, so it is sent fewer',
      'Neither: a balancer cannot tell that an instance is slow',
    ],
    answer: 1,
    why: 'Round robin counts turns, not work: the slow instance gets as many requests as the fast ones and they queue there. Least connections looks at what each instance has in flight, which is exactly what a slow instance accumulates, so it routes around it without knowing why.',
  },
  check: {
    describe:
      'least connections, api-2 still slow (HAProxy sees it at 10 ms or more), p99 under 200 ms and errors under 1%, for 10 s',
    conditions: [
      { kind: 'topology', path: 'loadBalancer.algorithm', equals: 'leastconn', label: 'least connections' },
      {
        kind: 'series',
        series: seriesKey.balancer('api-2', 'rtime'),
        op: '>=',
        value: 10,
        label: 'api-2 response time (ms)',
      },
      { kind: 'series', series: SERIES.p99, op: '<=', value: 200, label: 'p99 (ms)' },
      { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
    ],
    holdSeconds: 10,
    withinSeconds: 120,
  },
};
