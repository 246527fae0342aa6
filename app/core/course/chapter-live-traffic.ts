// Chapter 7, beyond the scaling path: a live system's traffic, protected and changed: the
// per-client rate limit, then three ways to deploy a new version: rolling, blue-green, canary.
import type { Chapter } from '../../contract/course.js';
import { FAMILY, SERIES } from '../../contract/series.js';

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
    {
      id: 'live-traffic.rolling-deploy',
      title: 'A rolling deploy under load',
      goal: 'Replace every instance with a new version while load runs, one at a time, and see that no request notices.',
      preset: 'load-balanced',
      workload: 'read-heavy',
      rate: 100,
      steps: [
        'Set up the stage: three API instances behind HAProxy, 100 requests/s.',
        'Build version v2 (command palette: "Build API version v2", or `scalelab version build v2`).',
        'Set the API version to v2 and Apply (or "Deploy API version v2"): each instance in turn stops taking new requests, finishes what it has, and starts again on v2.',
      ],
      watch: [
        'By API version: v1\u2019s responses falling as v2\u2019s rise, one instance at a time',
        'error rate: zero through the deploy',
        'Requests by who served them: two instances carrying the load while the third is replaced',
      ],
      expected:
        'The deploy takes a few seconds an instance. During each, the balancer sends that instance nothing new (it fails its health check while draining) and the other two take its share; then it comes back on v2. No request fails, and for a while some are answered by v1 and some by v2: a client may see both versions, which is why versions must stay compatible while they overlap.',
      predict: {
        question: 'Three instances are replaced one at a time while 100 requests a second come in. How many fail?',
        choices: [
          'About a third, for a few seconds',
          'None: the balancer routes around the one being replaced',
          'All of them, for a moment',
        ],
        answer: 1,
        why: 'An instance being replaced first says it is going (its health check fails) and finishes its requests; the balancer stops sending it new ones within its check interval, and retries elsewhere any it had not started. The other two have room for its share.',
      },
      check: {
        describe: 'every instance on v2, v2 answering, error rate under 1%, for 10 s',
        conditions: [
          { kind: 'topology', path: 'api.version', equals: 'v2', label: 'API version' },
          { kind: 'series', series: FAMILY.versionCount.key('v2'), op: '>=', value: 50, label: 'v2 responses/s' },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
        ],
        holdSeconds: 10,
        withinSeconds: 180,
      },
    },
    {
      id: 'live-traffic.blue-green',
      title: 'Blue-green: a second set, switched at once',
      goal: 'Bring up the new version beside the old one, switch every request to it in one move at the balancer, and see it could be switched back as fast.',
      preset: 'load-balanced',
      workload: 'read-heavy',
      rate: 100,
      steps: [
        'Set up the stage: three API instances (blue, v1) behind HAProxy, 100 requests/s.',
        'Build version v2 (command palette: "Build API version v2").',
        'Deploy it blue-green (command palette: "Deploy API version v2 (blue-green)", or `scalelab deploy --version v2 --strategy blue-green`): three v2 instances start beside the three v1 at no traffic, then the balancer\u2019s weights send every request to v2 at once.',
        'Watch the deploy\u2019s markers: ready, every request to v2, then a watch of v2 against v1\u2019s figures before the switch; worse, and it switches back.',
      ],
      watch: [
        'By API version: v1\u2019s responses drop to zero in the same second v2\u2019s rise',
        'API instances: six while both sets run, three after',
        'error rate: zero through the switch',
      ],
      expected:
        'For a few seconds the stack runs twice: six instances, v2\u2019s idle. The switch is one command to HAProxy\u2019s runtime API (every v1 server at weight 0, every v2 server at full): no instance restarts, no client sees both versions for long, and going back would be the same command the other way. The price is twice the capacity while both sets run.',
      predict: {
        question:
          'Rolling and blue-green both replace every instance. What does blue-green give that rolling does not?',
        choices: [
          'Fewer failed requests: rolling drops some',
          'One moment when every request moves, and a way back as fast',
          'Nothing: it only costs more machines',
        ],
        answer: 1,
        why: 'Both can replace instances without a failed request. Rolling mixes versions for the whole deploy and goes back by rolling again; blue-green keeps the old set whole until the new one has taken every request, so the switch (and the switch back) is one change at the balancer.',
      },
      check: {
        describe: 'every instance on v2, v2 answering and v1 not, error rate under 1%, for 10 s',
        conditions: [
          { kind: 'topology', path: 'api.version', equals: 'v2', label: 'API version' },
          { kind: 'series', series: FAMILY.versionCount.key('v2'), op: '>=', value: 50, label: 'v2 responses/s' },
          { kind: 'series', series: FAMILY.versionCount.key('v1'), op: '<=', value: 0, label: 'v1 responses/s' },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
        ],
        holdSeconds: 10,
        withinSeconds: 180,
      },
    },
    {
      id: 'live-traffic.canary',
      title: 'A canary that rolls itself back',
      goal: 'Send a new version a small share of the requests first, judge it against the old one on the same traffic, and let a bad one roll itself back before most clients see it.',
      preset: 'load-balanced',
      workload: 'read-heavy',
      rate: 100,
      steps: [
        'Set up the stage: three API instances on v1 behind HAProxy, 100 requests/s.',
        'Build a broken version (command palette: "Build API version v2-broken (+80 ms, 20% errors)") and deploy it as a canary ("Deploy API version v2-broken (canary)", or `scalelab deploy --version v2-broken --strategy canary`).',
        'Watch it take 5% of the requests, be judged worse (its error rate and p95 against v1\u2019s over the same seconds, from the instances\u2019 own metrics) and roll back by itself.',
        'Now build v2 ("Build API version v2") and deploy it as a canary: 5%, 25%, 50%, each judged, then 100%.',
      ],
      watch: [
        'By API version: v2-broken\u2019s small share, its failures, then none',
        'The deploy markers: each step, each judgement with its figures, the rollback',
        'error rate: a blip of the canary\u2019s share only, never the whole stack\u2019s',
      ],
      expected:
        'The broken canary answers about one request in twenty, fails a fifth of those, and is caught within two judged windows: the weights go back, its instances go, and every instance is on v1 again. Clients saw about 1% errors for some seconds instead of 20% for everyone. The good v2 passes each step (its p95 within 1.5x and 20 ms of v1\u2019s, no more errors) and ends on every instance.',
      predict: {
        question:
          'A canary takes 5% of the requests and fails a fifth of them. What share of all requests fail while it runs?',
        choices: ['About 20%', 'About 1%', 'None: the balancer retries them'],
        answer: 1,
        why: 'A fifth of a twentieth is one in a hundred. That is the canary\u2019s point: a bad version meets a small share of the traffic, long enough to be judged on real requests, and is withdrawn before the rest do. The balancer retries only connections that fail, not answers that are errors.',
      },
      check: {
        describe: 'every instance on v2 after its canary, v2 answering, error rate under 1%, for 10 s',
        conditions: [
          { kind: 'topology', path: 'api.version', equals: 'v2', label: 'API version' },
          { kind: 'series', series: FAMILY.versionCount.key('v2'), op: '>=', value: 50, label: 'v2 responses/s' },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
        ],
        holdSeconds: 10,
        withinSeconds: 300,
      },
    },
  ],
};
