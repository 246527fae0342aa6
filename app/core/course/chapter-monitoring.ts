// Chapter 8, beyond the scaling path: watching the system with the tools teams use. Prometheus
// scrapes every part, rules turn a threshold into an alert, Alertmanager holds what fires.
import type { Chapter } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const MONITORING: Chapter = {
  id: 'monitoring',
  number: 8,
  title: 'Monitoring and alerting',
  summary: 'Know that something broke before the users say so: metrics scraped from every part, and alerts on them.',
  lessons: [
    {
      id: 'monitoring.alert',
      title: 'An alert that fires, and resolves',
      goal: 'Switch on Prometheus and Alertmanager, set how long a condition must hold, break an instance, and watch its alert fire and then resolve once it is back.',
      preset: 'load-balanced',
      workload: 'read-heavy',
      rate: 100,
      steps: [
        'Set up the stage: three API instances behind HAProxy, 100 requests/s.',
        'In Monitoring, switch on "Prometheus + alerts", set "alert after s" to 5 and Apply: Prometheus starts scraping every instance, HAProxy, the database\u2019s exporter and itself, every 2 s.',
        'Open the Alerts card: none fire. Try a query there, for example up, or sum by (instance) (rate(scalelab_http_requests_total[30s])).',
        'Kill api-2 from the stack graph. Watch the Alerts card and the charts\u2019 markers.',
        'Start api-2 again, and watch the alert resolve.',
      ],
      watch: [
        'The Alerts card: TargetDown on api-2, then none',
        'The markers on every chart: alert firing, then alert resolved',
        'error rate: the balancer routes around api-2 long before the alert fires',
      ],
      expected:
        'Prometheus fails to scrape api-2 at once (up becomes 0), but the rule waits until that has held for its 5 s, so the alert fires 5 to 9 s after the kill: a blip shorter than that would never page anyone. Users barely noticed: the balancer stopped sending api-2 requests within its health check. Once api-2 answers a scrape again the condition is false, Prometheus tells Alertmanager, and the alert resolves within seconds.',
      predict: {
        question:
          'The rule says up == 0 for 5 s, and Prometheus scrapes every 2 s. How long after api-2 dies does its alert fire?',
        choices: ['At once', 'Between 5 and about 9 seconds', 'After a minute'],
        answer: 1,
        why: 'The failed scrape comes within 2 s; the rule then has to see the condition at every evaluation for 5 s before it fires, and Alertmanager groups it for a second. The `for:` is a deliberate delay: it trades a few seconds of detection for no alert on every blip.',
      },
      check: {
        describe: 'monitoring on, and an alert firing, for 2 s, within 3 minutes',
        conditions: [
          { kind: 'topology', path: 'monitoring.enabled', equals: true, label: 'monitoring on' },
          { kind: 'series', series: SERIES.alertsFiring, op: '>=', value: 1, label: 'alerts firing' },
        ],
        holdSeconds: 2,
        withinSeconds: 180,
      },
    },
  ],
};
