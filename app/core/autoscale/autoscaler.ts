// The engine's autoscaler: while a run measures the stack, it reads each second's point, and every
// `periodSeconds` it applies the HPA rule (hpa-rule.ts) to the mean of the period's readings and
// scales the API instances through the same apply as a user's switch. Each rescale is a marker
// with its reason, and another when the new instances serve (the lag a spike pays). One scaling
// at a time: the rule is not evaluated while instances are still starting or draining.
import type { AutoscaleMarker, TimelinePoint } from '../../contract/runs.js';
import { FAMILY, SERIES } from '../../contract/series.js';
import { isApiName } from '../../contract/services.js';
import type { Autoscale, Topology } from '../../contract/topology.js';
import { decide, targetOf, type HpaDecision, type Recommendation } from './hpa-rule.js';

export interface AutoscalerDeps {
  /** The topology the stack runs now: the user may switch the autoscaler, or scale, mid-run. */
  topology(): Promise<Topology | null>;
  /** Brings the API to this many instances; settles when they serve (or have drained). */
  scale(instances: number): Promise<void>;
  /** A marker for the run. */
  record(label: string, detail: AutoscaleMarker): void;
  now?: () => number;
}

const KEEP_POINTS = 120;
/** After a scaling failed, the rule waits this long before it tries again (not once a period). */
export const RETRY_AFTER_FAILURE_MS = 30_000;

/** The period's mean reading of the metric: CPU as % of the instances' limit, or the client p95. */
export function readingOf(points: readonly TimelinePoint[], metric: Autoscale['metric'], cpus: number): number | null {
  const values = points.flatMap((p) => {
    if (metric === 'p95') {
      const v = p.v[SERIES.p95];
      return typeof v === 'number' ? [v] : [];
    }
    // The HPA's utilisation: the pods' summed usage over their summed requests (here: limits).
    const apis = Object.entries(p.v).filter(([k, v]) => {
      const name = FAMILY.containerCpu.nameOf(k);
      return name !== null && isApiName(name) && typeof v === 'number';
    });
    if (!apis.length) return [];
    const used = apis.reduce((s, [, v]) => s + (v as number), 0);
    return [used / (apis.length * cpus)];
  });
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export class Autoscaler {
  private points: TimelinePoint[] = [];
  private history: Recommendation[] = [];
  private lastAt: number | null = null;
  private busy: Promise<void> | null = null;
  private pausedUntil = 0;
  private stopped = false;
  private last: { desired: number; recommended: number | null; reading: number | null } | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: AutoscalerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Series for the run's timeline: the rule's last reading, what it recommended (ceil and
   *  clamped) and the count it settled on once stabilised: the windows' effect, visible. */
  series(): Record<string, number | null> {
    if (!this.last) return {};
    return {
      [SERIES.autoscaleDesired]: this.last.desired,
      [SERIES.autoscaleRecommended]: this.last.recommended,
      [SERIES.autoscaleReading]: this.last.reading,
    };
  }

  observe(point: TimelinePoint): void {
    this.points.push(point);
    if (this.points.length > KEEP_POINTS) this.points.shift();
    if (!this.busy && !this.stopped) this.busy = this.tick().finally(() => (this.busy = null));
  }

  stop(): void {
    this.stopped = true;
  }

  /** Settles when the evaluation (and scaling) going on, if any, has ended: for tests and hosts. */
  async idle(): Promise<void> {
    await this.busy;
  }

  private async tick(): Promise<void> {
    try {
      const t = await this.deps.topology();
      const s = t?.api.autoscale;
      if (!t || !s?.enabled) {
        this.last = null;
        this.lastAt = null;
        return;
      }
      const now = this.now();
      if (this.lastAt === null) this.lastAt = now; // the first period starts when it is switched on
      if (now - this.lastAt < s.periodSeconds * 1000 || now < this.pausedUntil) return;
      const since = this.lastAt;
      this.lastAt = now;
      const reading = readingOf(
        this.points.filter((p) => p.t > since - 1000),
        s.metric,
        t.api.cpus,
      );
      const current = t.api.instances;
      const d = decide({ now, current, reading, settings: s, history: this.history });
      this.history = d.history;
      this.last = { desired: d.desired, recommended: d.recommended, reading };
      if (d.desired !== current && !this.stopped) await this.rescale(current, d, s, reading);
    } catch {
      // A failed topology read: the next second tries again.
    }
  }

  private async rescale(from: number, d: HpaDecision, s: Autoscale, reading: number | null): Promise<void> {
    const detail = { from, to: d.desired, metric: s.metric, reading, target: targetOf(s), raw: d.raw };
    const decidedAt = this.now();
    this.deps.record(`autoscale ${from} → ${d.desired}: ${d.reason}`, { phase: 'decided', ...detail });
    try {
      await this.deps.scale(d.desired);
      const tookMs = this.now() - decidedAt;
      const what = d.desired > from ? 'serving' : 'left, drained';
      this.deps.record(
        `autoscale: ${plural(d.desired, 'instance')}, the ${Math.abs(d.desired - from)} ${what} ${(tookMs / 1000).toFixed(1)} s after the decision`,
        { phase: 'serving', ...detail, tookMs },
      );
    } catch (err) {
      const error = (err as Error).message;
      this.pausedUntil = this.now() + RETRY_AFTER_FAILURE_MS;
      this.deps.record(
        `autoscale ${from} → ${d.desired} failed: ${error} (the rule tries again in ${RETRY_AFTER_FAILURE_MS / 1000} s)`,
        { phase: 'failed', ...detail, error },
      );
    }
    // The next period starts when the scaling is done: readings of a stack still changing are not its own.
    this.lastAt = this.now();
  }
}
