// The edge chapter's far-origin lesson: the origin far from its users (a round trip the API
// waits, as this kernel has no netem), and the edge near them answering without it.
import type { Lesson } from '../../contract/course.js';
import { seriesKey } from '../../contract/series.js';

export const FAR_ORIGIN_LESSON: Lesson = {
  id: 'edge.far-origin',
  title: 'A far origin, a near edge',
  goal: 'Move the origin 100 ms away from its users and see what the edge saves: what it holds answers at the edge\u2019s speed, the rest pays the distance.',
  preset: 'edge-cache',
  workload: 'mixed',
  rate: 60,
  steps: [
    'Set up the stage: nginx in front of HAProxy and three instances; the mixed workload asks for static files through the edge.',
    'Set the origin distance to 100 ms and Apply: every response the API gives now waits a round trip first, as if the users were on another continent.',
    'Compare p95 by cache result: an edge hit against everything that reaches the origin; and the distance in "where the time goes".',
  ],
  watch: [
    'p95 by cache result: edge hit against miss and no cache',
    'Where the time goes: the distance to the origin, beside the app and the database',
    'Requests by who served them: the edge cache\u2019s share',
  ],
  expected:
    'A static file the edge holds comes back in a millisecond or two; every request that reaches the origin takes at least the 100 ms of distance, however fast the origin itself is. That is what a CDN is for: it does not make the origin faster, it makes the trip shorter, for whatever it may keep.',
  predict: {
    question: 'The origin moves 100 ms away. What happens to a static file the edge already holds?',
    choices: [
      'It takes 100 ms more, like everything else',
      'Nothing: it never reaches the origin',
      'It takes 50 ms more: half the trip',
    ],
    answer: 1,
    why: 'An edge hit is answered by the edge, near the users; only a miss goes to the origin. The distance is paid per trip to the origin, so the more the edge keeps, the less of it the users feel.',
  },
  check: {
    describe:
      'the origin 100 ms away, the median edge hit under 20 ms and the median origin response over 100 ms, for 10 s',
    conditions: [
      { kind: 'topology', path: 'api.distanceMs', equals: 100, label: 'origin distance (ms)' },
      {
        kind: 'series',
        series: seriesKey.latencyByCache('EDGE_HIT', 'p95'),
        op: '<=',
        value: 20,
        label: 'edge hit p95 (ms)',
      },
      {
        kind: 'series',
        series: seriesKey.latencyByCache('BYPASS', 'p50'),
        op: '>=',
        value: 100,
        label: 'origin p50 (ms)',
      },
    ],
    holdSeconds: 10,
    withinSeconds: 120,
  },
};
