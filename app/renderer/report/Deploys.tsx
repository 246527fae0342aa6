// In a report: the deploys during the run, step by step (markers from the engine's deployer or a
// rolling apply): when each share of the traffic moved, each judgement with its figures, the outcome.
import type { DeployMarker } from '../../contract/deploy.js';
import type { RunEvent } from '../../contract/runs.js';
import { MarkerTable } from './MarkerTable.js';

export interface DeployStep {
  at: number;
  deploy: string;
  step: string;
  detail: string;
}

const isMarker = (d: unknown): d is DeployMarker =>
  !!d && typeof d === 'object' && 'phase' in d && 'strategy' in d && 'from' in d && 'to' in d;

const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);

/** The run's deploy markers as rows (pure). */
export function deploySteps(events: RunEvent[], t0: number): DeployStep[] {
  return events.flatMap((e) => {
    if (e.kind !== 'deploy' || !isMarker(e.detail)) return [];
    const m = e.detail;
    const j = m.judgement;
    const figures = j
      ? `${j.candidate.version}: ${j.candidate.requests} requests, p95 ${ms(j.candidate.p95Ms)}, ${pct(j.candidate.errorRate)} failed; ${j.baseline.version}: ${j.baseline.requests}, p95 ${ms(j.baseline.p95Ms)}, ${pct(j.baseline.errorRate)}`
      : '';
    const step =
      m.phase === 'judged' ? (j?.verdict ?? 'judged') : m.phase === 'step' ? `${m.percent}% to ${m.to}` : m.phase;
    return [
      {
        at: Math.round((e.t - t0) / 1000),
        deploy: `${m.strategy} ${m.from} → ${m.to}`,
        step,
        detail: m.phase === 'failed' ? (m.error ?? '') : figures,
      },
    ];
  });
}

export function Deploys({ events, t0 }: { events: RunEvent[]; t0: number }) {
  return (
    <MarkerTable
      title="Deploys"
      hint="Each step of each deploy. A canary step is judged on the instances' own metrics over the same seconds, the new version against the old (p95 and share of 5xx); blue-green's new set against the old one before the switch. Worse, and the balancer's weights go back by themselves."
      testId="report-deploys"
      columns={['at', 'deploy', 'step', 'figures']}
      rows={deploySteps(events, t0).map((r) => [`${r.at} s`, r.deploy, r.step, r.detail])}
    />
  );
}
