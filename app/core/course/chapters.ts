// The course, in the order the scaling guide teaches it: one server, three tiers, a balancer, an
// edge cache, an application cache, the database. A later stage adds a chapter here (or a lesson
// to one); course.test.ts checks every lesson against the presets, workloads and series it names.
import type { Chapter } from '../../contract/course.js';
import { DATABASE } from './chapter-database.js';
import { LIVE_TRAFFIC } from './chapter-live-traffic.js';
import { MONITORING } from './chapter-monitoring.js';
import { MANY_MACHINES } from './chapter-many-machines.js';
import { ALGORITHMS_LESSON } from './lesson-algorithms.js';
import { FAR_ORIGIN_LESSON } from './lesson-far-origin.js';
import { EDGE_PRICES_LESSON } from './lesson-edge-prices.js';
import { CACHE_PRICES_LESSON } from './lesson-cache-prices.js';
import { EVICTION_LESSON } from './lesson-eviction.js';
import { WRITE_BEHIND_LESSON } from './lesson-write-behind.js';
import { STAMPEDE_LESSON } from './lesson-stampede.js';
import { AUTOSCALING_LESSON } from './lesson-autoscaling.js';
import { SESSIONS_LESSON } from './lesson-sessions.js';
import { seriesKey, SERIES } from '../../contract/series.js';

const steady = (rate: number) =>
  [
    { kind: 'series', series: SERIES.rps, op: '>=', value: Math.round(rate * 0.85), label: 'requests/s answered' },
    { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
  ] as const;

export const CHAPTERS: Chapter[] = [
  {
    id: 'one-server',
    number: 1,
    title: 'One server',
    summary: 'Everything on one machine: where every system starts, and where its first limit shows.',
    lessons: [
      {
        id: 'one-server.baseline',
        title: 'A baseline on one server',
        goal: 'Measure what one API instance and its database answer, and find the rate where latency leaves the ground.',
        preset: 'single-server',
        workload: 'read-heavy',
        rate: 40,
        steps: [
          'Set up the stage: one API instance and PostgreSQL, with 40 requests/s of reads.',
          'Once the check is green, turn the rate up slowly (the rate field, then Set).',
          'Note the rate at which p95 starts to climb: that is this server\u2019s knee.',
        ],
        watch: [
          'p95 latency climbing long before errors appear',
          'the API instance\u2019s CPU in the container chart',
          'the load generator staying calm (no warning banner): the limit is the stack',
        ],
        expected:
          'At 40 requests/s every request is answered in a few milliseconds; p95 stays flat until the instance\u2019s CPU nears its limit, then rises steeply.',
        predict: {
          question:
            'You double the rate from 40 to 80 requests/s, still far below what the server can take. What does p95 do?',
          choices: ['It doubles too', 'It stays about the same', 'Errors appear'],
          answer: 1,
          why: 'Below the knee a request rarely waits for another: latency is the work of one request. It climbs only when the server is busy most of the time and requests queue.',
        },
        check: {
          describe: 'the stack answers the 40 requests/s with under 1% errors for 10 s',
          conditions: [...steady(40)],
          holdSeconds: 10,
          withinSeconds: 60,
        },
      },
      {
        id: 'one-server.scale-up',
        title: 'Scaling up: more CPUs for the same server',
        goal: 'Give the one API instance less CPU, then more, and see the CPU-bound work it can do follow.',
        preset: 'single-server',
        workload: 'cpu-bound',
        rate: 120,
        steps: [
          'Set up the stage: one API instance, 120 requests/s of password hashing (pure CPU, about 5 ms each), on one core shared with the database.',
          'Set the API\u2019s CPUs to 0.5 and Apply: p95 climbs and requests queue, the container is throttled.',
          'Set CPUs to 2, switch \u201cdatabase on the API\u2019s core\u201d off and Apply: the instance starts a second worker on a second core and the queue drains.',
        ],
        watch: [
          'p95 latency, and the API container\u2019s CPU pinned at its limit',
          'x-worker in the responses: one worker per whole CPU the container may use',
          'the load generator staying calm: the limit is the instance',
        ],
        expected:
          'At 0.5 CPU the instance can hash about 90 passwords a second, fewer than asked: requests queue and p95 grows by seconds. At 2 CPUs a second worker starts and both cores hash, so the 120 a second are answered in milliseconds. A bigger machine is the simplest way to scale, until there is no bigger machine.',
        predict: {
          question: 'A Node.js process runs JavaScript on one thread. What do 2 CPUs give it over 1?',
          choices: [
            'Twice the throughput, automatically',
            'Nothing, unless it runs more than one worker to use them',
            'Lower latency per request, at the same throughput',
          ],
          answer: 1,
          why: 'One thread uses one core at a time. The instance runs one worker per CPU it may use (Node\u2019s cluster module), so a second CPU adds a second worker; without that, the extra CPU would sit idle.',
        },
        check: {
          describe: 'with 2 CPUs, the 120 requests/s of hashing answered, p95 under 100 ms, for 10 s',
          conditions: [
            { kind: 'topology', path: 'api.cpus', equals: 2, label: 'API CPUs' },
            { kind: 'topology', path: 'database.sharesApiCores', equals: false, label: 'off the shared core' },
            ...steady(120),
            { kind: 'series', series: SERIES.p95, op: '<=', value: 100, label: 'p95 (ms)' },
          ],
          holdSeconds: 10,
          withinSeconds: 120,
        },
      },
    ],
  },
  {
    id: 'three-tiers',
    number: 2,
    title: 'Three tiers',
    summary: 'A web tier, an application tier and a data tier, each free to grow on its own.',
    lessons: [
      {
        id: 'three-tiers.balancer-in-front',
        title: 'A balancer in front',
        goal: 'Move the database off the API\u2019s server, put HAProxy in front, and see what each tier costs and frees.',
        preset: 'three-tier',
        workload: 'read-heavy',
        rate: 40,
        steps: [
          'Set up the stage: HAProxy, one API instance, PostgreSQL on cores of its own (stage 1 pinned both to one); 40 requests/s as before.',
          'Compare this run\u2019s p95 with stage 1\u2019s in History, then raise the rate and compare where each stage\u2019s p95 leaves the ground.',
        ],
        watch: [
          'the balancer adding well under a millisecond',
          'the API\u2019s and the database\u2019s CPU no longer taken from one core: the expensive reads stop slowing the cheap ones',
          'requests per instance: still one instance doing everything',
        ],
        expected:
          'At 40 requests/s, the same throughput as one server and p95 within a millisecond of it; HAProxy reports api-1 up. Pushed harder, the separated tiers hold a higher rate before p95 climbs: on one server the database\u2019s queries and the API\u2019s requests queued for the same core.',
        predict: {
          question: 'A load balancer now sits between the clients and the one API instance. What happens to p95?',
          choices: [
            'It drops: the balancer speeds things up',
            'It rises a little, well under a millisecond',
            'It doubles: every request makes two hops',
          ],
          answer: 1,
          why: 'HAProxy forwards a request in microseconds on a local network. The tier costs almost nothing; what it buys is the freedom to add instances behind it.',
        },
        check: {
          describe: 'HAProxy sees api-1 up and the stack answers 40 requests/s with under 1% errors for 10 s',
          conditions: [
            {
              kind: 'series',
              series: seriesKey.balancer('api-1', 'up'),
              op: '>=',
              value: 1,
              label: 'HAProxy: api-1 up',
            },
            ...steady(40),
          ],
          holdSeconds: 10,
          withinSeconds: 60,
        },
      },
    ],
  },
  {
    id: 'balancer',
    number: 3,
    title: 'Horizontal scaling',
    summary: 'More instances behind a balancer that checks their health and routes around failures.',
    lessons: [
      {
        id: 'balancer.scale-out',
        title: 'Three instances, one killed',
        goal: 'Spread the load over three API instances, then kill one while load runs.',
        preset: 'load-balanced',
        workload: 'read-heavy',
        rate: 80,
        steps: [
          'Set up the stage: three API instances behind HAProxy, 80 requests/s.',
          'Once the check is green, kill api-2 from its menu in the diagram.',
          'Add instances (API instances, then Apply) while load runs.',
        ],
        watch: [
          'requests per instance: an even spread, then two sharing the load',
          'errors: none, or a blip at the kill',
          'new instances taking traffic within a second or two',
        ],
        expected:
          'Each instance serves about a third. After the kill HAProxy marks api-2 down within a second or two and the other two share its part; errors stay near zero.',
        predict: {
          question: 'You kill one of the three instances while load runs. What do clients see?',
          choices: [
            'A third of the requests fail until it is restarted',
            'A blip at most: the balancer retries and stops sending to it',
            'Every request fails for a few seconds',
          ],
          answer: 1,
          why: 'HAProxy retries a failed connection on another server (retries, redispatch) and its health check marks the dead one down, so no new request is sent there.',
        },
        check: {
          describe: 'at least three instances serve requests, with under 1% errors, for 10 s',
          conditions: [
            { kind: 'family', family: 'instance', agg: 'count', op: '>=', value: 3, label: 'instances serving' },
            ...steady(80),
          ],
          holdSeconds: 10,
          withinSeconds: 60,
        },
      },
      ALGORITHMS_LESSON,
      SESSIONS_LESSON,
      AUTOSCALING_LESSON,
    ],
  },
  {
    id: 'edge',
    number: 4,
    title: 'Edge cache',
    summary: 'A CDN-style cache in front keeps static files, so they never reach the application.',
    lessons: [
      {
        id: 'edge.static-files',
        title: 'Static files from the edge',
        goal: 'Put nginx in front as an edge cache and see static files answered without the application.',
        preset: 'edge-cache',
        workload: 'mixed',
        rate: 60,
        steps: ['Set up the stage: nginx in front of HAProxy, the mixed workload (it asks for static files too).'],
        watch: [
          'p95 by cache result: EDGE_HIT answers in a fraction of a millisecond',
          'requests by who served them: the edge cache\u2019s own line, the instances\u2019 without the files',
        ],
        expected:
          'After the first miss of each file, every static request is an EDGE_HIT, served by nginx in well under a millisecond; the instances see only dynamic requests.',
        predict: {
          question: 'Which requests does this edge cache take off the API instances?',
          choices: ['All of them, once warm', 'Static files only', 'None until a minute has passed'],
          answer: 1,
          why: 'nginx keeps only what it is told to (here /static/). The API\u2019s answers change with every write, so they go through to the instances.',
        },
        check: {
          describe: 'the edge answers static files itself (EDGE_HIT) for 10 s, with under 1% errors',
          conditions: [
            {
              kind: 'family',
              family: 'cache',
              agg: 'sum',
              prefix: 'EDGE_HIT',
              op: '>=',
              value: 1,
              label: 'edge hits/s',
            },
            { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
          ],
          holdSeconds: 10,
          withinSeconds: 60,
        },
      },
      FAR_ORIGIN_LESSON,
      EDGE_PRICES_LESSON,
    ],
  },
  {
    id: 'cache',
    number: 5,
    title: 'Application cache',
    summary: 'Redis in front of PostgreSQL: hot reads stop reaching the database.',
    lessons: [
      {
        id: 'cache.cache-aside',
        title: 'Cache-aside',
        goal: 'Turn the Redis cache on while load runs and watch hot reads leave the database.',
        preset: 'app-cache',
        workload: 'read-heavy',
        rate: 100,
        steps: [
          'Set up the stage: three instances, Redis, PostgreSQL; 100 requests/s of reads.',
          'Switch the cache off and Apply; after a minute switch it on and Apply, while load runs.',
          'Try write-through, and a short TTL.',
        ],
        watch: [
          'cache hit ratio rising (Zipf keys: a few products get most reads)',
          'database queries per node falling',
          'p95 by cache result: HIT against MISS',
        ],
        expected:
          'With the cache on, the hit ratio passes 0.7 within a minute and database queries fall by about as much.',
        predict: {
          question:
            'Reads follow a Zipf distribution (a few products are asked for most). What hit ratio does the cache reach within a minute?',
          choices: ['About 0.2', 'About 0.5', 'Above 0.7'],
          answer: 2,
          why: 'With Zipf keys the few hot products make most reads; once they are cached most reads hit, even though most keys have never been asked for.',
        },
        check: {
          describe: 'the cache hit ratio stays at 0.7 or above for 5 s, within 90 s',
          conditions: [
            { kind: 'series', series: SERIES.redisHitRatio, op: '>=', value: 0.7, label: 'Redis hit ratio' },
          ],
          holdSeconds: 5,
          withinSeconds: 90,
        },
      },
      CACHE_PRICES_LESSON,
      STAMPEDE_LESSON,
      EVICTION_LESSON,
      WRITE_BEHIND_LESSON,
    ],
  },
  DATABASE,
  LIVE_TRAFFIC,
  MONITORING,
  MANY_MACHINES,
];
