// The six stages of "from one user to millions" as workshop lessons: what the stage is, what to
// do, what to watch, and the preset and workload one click sets up.
export interface Lesson {
  stage: number;
  preset: string;
  workload: string;
  rate: number;
  title: string;
  what: string;
  todo: string[];
  watch: string[];
}

export const LESSONS: Lesson[] = [
  {
    stage: 1,
    preset: 'single-server',
    workload: 'read-heavy',
    rate: 40,
    title: 'One server',
    what: 'One API instance and its database. Everything a user asks goes to one process.',
    todo: ['Start the load, then turn the rate knob up slowly.', 'Note the rate at which p95 leaves the ground.'],
    watch: [
      'p95 latency climbing long before errors appear',
      "the API instance's CPU",
      'the load generator staying calm (no warning): the limit is the stack',
    ],
  },
  {
    stage: 2,
    preset: 'three-tier',
    workload: 'read-heavy',
    rate: 40,
    title: 'Three tiers',
    what: 'A load balancer (web tier) in front of the application tier, the database behind: each tier can now grow on its own.',
    todo: ['Start the load at the same rate as before.', 'Compare its p95 with stage 1 in History.'],
    watch: [
      'the balancer adding well under a millisecond',
      'requests per instance: still one instance doing everything',
    ],
  },
  {
    stage: 3,
    preset: 'load-balanced',
    workload: 'read-heavy',
    rate: 80,
    title: 'Horizontal scaling',
    what: 'Three API instances behind HAProxy, which checks their health and retries elsewhere when one fails.',
    todo: [
      'Start the load.',
      'Kill api-2 from the diagram.',
      'Add instances with the API count and Apply, while load runs.',
    ],
    watch: [
      'requests per instance: an even spread, then two sharing the load',
      'errors: none or a blip at the kill',
      'new instances taking traffic within a second or two',
    ],
  },
  {
    stage: 4,
    preset: 'edge-cache',
    workload: 'mixed',
    rate: 60,
    title: 'Edge cache (CDN)',
    what: 'nginx in front keeps static files, so they never reach the application.',
    todo: ['Start the mixed workload (it asks for static files too).'],
    watch: [
      'p95 by cache result: EDGE_HIT answers in a fraction of a millisecond',
      'requests per instance: static files no longer counted there',
    ],
  },
  {
    stage: 5,
    preset: 'app-cache',
    workload: 'read-heavy',
    rate: 100,
    title: 'Application cache',
    what: 'Redis in front of PostgreSQL: cache-aside keeps hot reads out of the database.',
    todo: [
      'Switch the cache off and Apply; start the load.',
      'After a minute, switch it on and Apply, while load runs.',
      'Try write-through, and a short TTL.',
    ],
    watch: [
      'cache hit ratio rising towards 0.8 (Zipf: a few keys get most reads)',
      'database queries per node falling',
      'p95: hit vs miss',
    ],
  },
  {
    stage: 6,
    preset: 'read-replicas',
    workload: 'mixed',
    rate: 60,
    title: 'Read replicas',
    what: 'Two streaming replicas take the reads. They lag behind the primary, and a read right after a write may not find it.',
    todo: [
      'Start the mixed workload.',
      'Set the apply delay to 500 ms and Apply.',
      'Turn read-your-writes on and Apply.',
    ],
    watch: [
      'replication lag per replica (idle when nothing is written)',
      'stale reads appearing with the delay',
      'stale reads vanishing with read-your-writes, reads moving to the primary',
    ],
  },
];
