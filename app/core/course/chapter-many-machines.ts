// Chapter 9: many machines. The same stack on a Docker Swarm of several nodes: a node taken out
// of service for maintenance (drained), its tasks moved by Swarm while requests go on.
import type { Chapter } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const MANY_MACHINES: Chapter = {
  id: 'many-machines',
  number: 9,
  title: 'Many machines',
  summary: 'One engine is one machine: on a Swarm of several, machines come and go, and the stack must not notice.',
  lessons: [
    {
      id: 'many-machines.drain',
      title: 'Drain a node for maintenance',
      goal: 'Take one machine of a Swarm out of service while the stack serves, and watch Swarm move its tasks to the others with no request lost.',
      preset: 'load-balanced',
      workload: 'read-heavy',
      rate: 100,
      steps: [
        'This lesson needs a Swarm of two nodes or more: start ScaleLab with SCALELAB_TARGET=swarm on a manager (`docker swarm init`, then `docker swarm join` on the others; each node trusting the manager\u2019s registry, as the README says).',
        'Set up the stage: three API instances behind HAProxy, 100 requests/s. The banner names each node and the tasks it runs; the graph says which node each instance is on.',
        'Open the command palette (Ctrl+K) and choose "Drain node ..." for a worker that runs an API instance.',
        'Watch the graph: that instance stops and starts again on another node. Watch the error rate and p99 meanwhile.',
        'Make the node active again from the palette: Swarm moves nothing back by itself.',
      ],
      watch: [
        'error rate: the balancer stops sending to the instance before it stops',
        'the banner: the drained node with no tasks of the stack',
        'p99 during the move: the remaining instances take the load for a few seconds',
      ],
      expected:
        'Drained, the node\u2019s tasks are told to stop and Swarm starts each again on a node that is left (the API starts its new task first only on an update; on a drain the old stops first, so for a few seconds two instances serve). HAProxy\u2019s health checks take the stopping instance out, so no request fails (on the project\u2019s three-node test Swarm: two tasks moved in about ten seconds, none of 15,182 requests failed). The drained node keeps running: it simply takes no tasks until made active.',
      predict: {
        question:
          'A worker running one of three API instances is drained while 100 requests/s flow. What do clients see?',
        choices: [
          'A burst of errors until the instance comes back elsewhere',
          'Nothing worse than a few seconds of slightly higher latency',
          'Requests stop until the node is active again',
        ],
        answer: 1,
        why: 'Draining is the planned version of losing a machine: Swarm stops the task gracefully (SIGTERM, then its grace period) and the balancer\u2019s health checks stop routing to it, while the other two instances carry the load until the replacement is healthy.',
      },
      check: {
        describe: 'a node drained, and the stack answering the 100 requests/s with under 1% errors, for 10 s',
        conditions: [
          { kind: 'series', series: SERIES.swarmNodesDrained, op: '>=', value: 1, label: 'nodes drained' },
          { kind: 'series', series: SERIES.rps, op: '>=', value: 85, label: 'requests/s answered' },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
        ],
        holdSeconds: 10,
        withinSeconds: 300,
      },
    },
  ],
};
