// Chapter 7, beyond the scaling path: a live system's traffic, protected and changed. Today the
// per-client rate limit; deployments (rolling, blue-green, canary) and security at the edge join it.
import type { Chapter } from '../../contract/course.js';
import { FAMILY } from '../../contract/series.js';

export const LIVE_TRAFFIC: Chapter = {
  id: 'live-traffic',
  number: 7,
  title: 'Live traffic',
  summary: 'Protect the system from the clients that ask too much, and change it while it serves.',
  lessons: [
    {
      id: 'live-traffic.rate-limit',
      title: 'One noisy client, limited alone',
      goal: 'Limit each client to its share in Redis, so one client asking too much is refused its excess and everyone else is served as before.',
      preset: 'app-cache',
      workload: 'noisy-client',
      rate: 100,
      steps: [
        'Set up the stage: three instances with Redis; forty clients, each sending its id (x-client-id), one of them ("noisy") making half of the 100 requests a second.',
        'Switch the per-client limit on (20 requests a client per 1 s window, a fixed window) and Apply: every instance counts each client in the same Redis key.',
        'Watch the noisy client\u2019s refused requests (429) and the others\u2019: then try the sliding window.',
      ],
      watch: [
        'Requests by client: noisy answered and refused, the others answered and refused',
        'error rate: the 429s are the noisy client\u2019s, and they are errors to it',
        'p95 for everyone: the stack no longer spends itself on one client',
      ],
      expected:
        'The noisy client asks about 50 requests a second and gets its 20; the other 30 are refused at once with 429 and a Retry-After, without touching the database. The 39 others ask about one request a second each and are never refused. A per-address limit at the balancer could not tell them apart: behind one NAT they all share an address.',
      predict: {
        question:
          'Forty clients behind the same office NAT share one IP address; one of them asks too much. Which limit stops only that one?',
        choices: [
          'HAProxy\u2019s limit per address',
          'The API\u2019s limit per client id, counted in Redis',
          'Either: they count the same requests',
        ],
        answer: 1,
        why: 'A limit can only be as precise as the key it counts by. Behind a NAT every client has the same address, so a per-address limit refuses all of them together; a client id (an API key, a user) tells them apart. Counting in Redis makes the limit the stack\u2019s, not each instance\u2019s.',
      },
      check: {
        describe: 'the noisy client refused some requests each second, the others none, for 10 s',
        conditions: [
          { kind: 'topology', path: 'rateLimit.perClient', equals: true, label: 'per-client limit on' },
          { kind: 'series', series: FAMILY.clientLimited.key('noisy'), op: '>=', value: 5, label: 'noisy refused/s' },
          { kind: 'series', series: FAMILY.clientLimited.key('others'), op: '<=', value: 0, label: 'others refused/s' },
        ],
        holdSeconds: 10,
        withinSeconds: 120,
      },
    },
  ],
};
