// The horizontal-scaling chapter's sessions lesson: carts in each instance's memory, sticky
// sessions at the balancer, an instance killed, then carts in Redis (the stateless design).
import type { Lesson } from '../../contract/course.js';
import { FAMILY, SERIES } from '../../contract/series.js';

export const SESSIONS_LESSON: Lesson = {
  id: 'balancer.sessions',
  title: 'Sessions: sticky, or stateless',
  goal: 'Keep shopping carts in each instance\u2019s memory, then pin shoppers to their instance, then move the carts to Redis, and see which survives an instance going away.',
  preset: 'load-balanced',
  workload: 'sessions',
  rate: 100,
  steps: [
    'Set up the stage: three API instances behind HAProxy, 60 shoppers (each with a cookie jar) adding to carts kept in each instance\u2019s memory.',
    'Watch "sessions lost": about two requests in three land on an instance that never saw the shopper\u2019s cart.',
    'Switch the balancer\u2019s sticky sessions on and Apply: HAProxy inserts a cookie naming the instance, and lost sessions fall to zero.',
    'Kill api-2 from its menu: its shoppers are sent elsewhere, and their carts are gone.',
    'Turn the cache on, set API sessions to redis and Apply; start api-2 again and kill another instance: nobody\u2019s cart is lost.',
  ],
  watch: [
    'Stale reads, stale prices and lost sessions: the lost sessions per second',
    'Requests by who served them: the kill, and the survivors taking its shoppers',
    'error rate: a kill costs a blip at most, a lost cart costs no error at all (the worst kind of failure)',
  ],
  expected:
    'In memory and round robin, a cart survives only when the next request happens to land on the same instance: about one in three. Sticky sessions keep each shopper on one instance, so carts survive, until that instance dies: then every cart it held is lost, and nothing reports an error. With the carts in Redis any instance can serve any shopper: killing one loses nothing, and the balancer is free to spread the load (and the autoscaler to remove instances).',
  predict: {
    question:
      'Carts are in each instance\u2019s memory and sticky sessions are on. An instance is killed. What do its shoppers see?',
    choices: [
      'Errors until the instance is back',
      'Nothing: the balancer sends them to another instance, which has their cart',
      'No error at all, but an empty cart',
    ],
    answer: 2,
    why: 'The balancer redispatches them to a healthy instance, which answers normally, with a new, empty session: the state died with the process. That is why state belongs in a shared store, and why sticky sessions are a convenience, not a design.',
  },
  check: {
    describe: 'sessions in Redis, no session lost and carts found, errors under 1%, for 10 s',
    conditions: [
      { kind: 'topology', path: 'api.sessions', equals: 'redis', label: 'sessions in Redis' },
      { kind: 'series', series: FAMILY.session.key('lost'), op: '<=', value: 0, label: 'sessions lost/s' },
      { kind: 'series', series: FAMILY.session.key('found'), op: '>=', value: 10, label: 'carts found/s' },
      { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
    ],
    holdSeconds: 10,
    withinSeconds: 180,
  },
};
