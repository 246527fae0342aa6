// In a report: the expensive read's plan before and after each index switch of the run, as the
// engine explained it on the primary around the switch (EXPLAIN ANALYZE).
import type { RunEvent } from '../../contract/runs.js';
import type { QueryPlan } from '../../contract/stack.js';

export interface PlanSwitch {
  t: number;
  label: string;
  before: QueryPlan | null;
  after: QueryPlan | null;
}

/** The run's index switches that carry plans (pure). */
export function planSwitches(events: RunEvent[]): PlanSwitch[] {
  return events.flatMap((e) => {
    const plans = (e.detail as { plans?: { before: QueryPlan | null; after: QueryPlan | null } } | undefined)?.plans;
    return e.kind === 'switch' && plans ? [{ t: e.t, label: e.label, before: plans.before, after: plans.after }] : [];
  });
}

function Plan({ title, plan }: { title: string; plan: QueryPlan | null }) {
  if (!plan) return <p className="hint">{title}: the engine could not explain the query then.</p>;
  return (
    <div className="report-plan">
      <p>
        <strong>{title}</strong>: {plan.executionMs === null ? 'not executed' : `${plan.executionMs.toFixed(1)} ms`}
        {plan.pages != null && `, ${plan.pages.toLocaleString('en-US')} pages touched`} on {plan.node}, category{' '}
        {plan.category};{' '}
        {plan.indexes.length ? `indexes used: ${plan.indexes.join(', ')}` : 'no index used (every table read whole)'}
      </p>
      <pre className="plan-text">{plan.text}</pre>
    </div>
  );
}

export function QueryPlans({ events, t0 }: { events: RunEvent[]; t0: number }) {
  const switches = planSwitches(events);
  if (!switches.length) return null;
  return (
    <>
      <h2>Query plans</h2>
      <p className="hint">
        The expensive read (top products of a category) explained on the primary just before and just after each index
        switch: PostgreSQL&apos;s own execution time, and the indexes its plan reads.
      </p>
      {switches.map((s) => (
        <div key={s.t} data-testid="report-plan-switch">
          <h3>
            {Math.round((s.t - t0) / 1000)} s: {s.label}
          </h3>
          <Plan title="before" plan={s.before} />
          <Plan title="after" plan={s.after} />
        </div>
      ))}
    </>
  );
}
