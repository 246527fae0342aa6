// The horizontal-scaling chapter's autoscaling lesson: the Kubernetes HPA rule run by the engine,
// a spike, the lag between the spike and the capacity that answers it, and the scale-down window.
import type { Lesson } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const AUTOSCALING_LESSON: Lesson = {
  id: 'balancer.autoscaling',
  title: 'Autoscaling: a spike, and the capacity that follows it',
  goal: 'Let the engine scale the API instances by the Kubernetes autoscaler\u2019s rule, and measure how long a spike waits for capacity, and how long the capacity outlives it.',
  preset: 'autoscaling',
  workload: 'spike',
  rate: null,
  steps: [
    'Set up the stage: one API instance at half a CPU behind HAProxy; the autoscaler evaluates every 5 s: desired = ceil(instances \u00d7 CPU / 50%), between 1 and 4.',
    'The spike workload runs 50 requests/s, then 600/s for 25 s, then 50/s again. Watch the markers: each decision says its reading and its arithmetic.',
    'After the spike, note how long the extra instances stay: a scale-down waits until every recommendation of the last 30 s agrees (the scale-down window).',
    'Try the p95 metric (autoscaling \u2192 on: p95, target 100 ms) and run the spike again: latency is what the users feel, CPU is what the instance feels.',
  ],
  watch: [
    'API instances: serving, running, the rule\u2019s recommendation and the desired count after the windows',
    'p95 latency during the seconds between the spike and the new instance serving',
    'the markers: "autoscale 1 \u2192 2: CPU 85% vs target 50%: ceil(1 \u00d7 1.7) = 2", then "serving 2.3 s after the decision"',
  ],
  expected:
    'The spike first lands on one instance: its CPU reaches its limit and p95 climbs to hundreds of milliseconds. Within one or two evaluation periods the rule asks for more instances; each serves a few seconds later and p95 comes back down. After the spike the rule recommends one instance at once, but the count stays up until the window has passed: the capacity outlives the spike by design, so that a second spike does not find it gone.',
  predict: {
    question: 'The load jumps twelvefold in two seconds. When does the new capacity serve?',
    choices: [
      'At once: the autoscaler acts before latency rises',
      'Seconds later: the rule must see the busy period, then an instance must start; p95 rises meanwhile',
      'Only after the spike is over',
    ],
    answer: 1,
    why: 'An autoscaler reacts to what it measured over its last period, and a new instance needs time to start and pass its health check. That lag is why real systems keep headroom, scale on a leading signal, or schedule capacity before a known peak.',
  },
  check: {
    describe: 'the autoscaler on, at least two instances serving, error rate under 2%, for 5 s',
    conditions: [
      { kind: 'topology', path: 'api.autoscale.enabled', equals: true, label: 'autoscaler on' },
      { kind: 'series', series: SERIES.instancesServing, op: '>=', value: 2, label: 'instances serving' },
      { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.02, label: 'error rate' },
    ],
    holdSeconds: 5,
    withinSeconds: 90,
  },
};
