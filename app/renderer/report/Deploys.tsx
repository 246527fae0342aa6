// In a report: the deploys during the run, step by step (markers from the engine's deployer or a
// rolling apply): when each share of the traffic moved, each judgement with its figures, the outcome.
import type { DeployMarker } from '../../contract/deploy.js';
import type { RunEvent } from '../../contract/runs.js';

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
  const rows = deploySteps(events, t0);
  if (!rows.length) return null;
  return (
    <>
      <h2>Deploys</h2>
      <p className="hint">
        Each step of each deploy. A canary step is judged on the instances&apos; own metrics over the same seconds, the
        new version against the old (p95 and share of 5xx); blue-green&apos;s new set against the old one before the
        switch. Worse, and the balancer&apos;s weights go back by themselves.
      </p>
      <table data-testid="report-deploys">
        <thead>
          <tr>
            <th scope="col">at</th>
            <th scope="col">deploy</th>
            <th scope="col">step</th>
            <th scope="col">figures</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.at}:${i}`}>
              <td>{r.at} s</td>
              <td>{r.deploy}</td>
              <td>{r.step}</td>
              <td>{r.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
