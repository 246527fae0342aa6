// A run's verdict on its own measurement: whether the load generator, not the stack, shaped the
// figures (app/core/capacity/validity.ts decides it).

export interface MeasurementVerdict {
  verdict: 'sound' | 'distorted';
  /** Why it is distorted, each in words with its figure; empty when sound. */
  reasons: string[];
  /** Seconds the generator itself was the bottleneck (behind schedule, out of CPU or connections). */
  saturatedSeconds: number;
  seconds: number;
  /** Requests the open model was due to send and did not (the generator fell behind). */
  dropped: number;
  sent: number;
  /** The generator's worst lag behind its schedule (its event loop delayed), ms. */
  lateMsMax: number;
  /** Its busiest second's CPU, % of a core. */
  cpuMax: number;
  /** How latency was measured: from each request's scheduled time (coordinated omission
   *  corrected) or from when it was sent (not corrected). */
  latencyFrom: 'scheduled' | 'sent';
}

/** One line for a run's measurement: what the CLI prints and the report shows. */
export function verdictLine(m: MeasurementVerdict): string {
  const how =
    m.latencyFrom === 'scheduled'
      ? 'latency from each request\u2019s scheduled time (coordinated omission corrected)'
      : 'latency from when each request was sent (not corrected for coordinated omission)';
  return m.verdict === 'sound'
    ? `sound: the generator kept its schedule (at most ${Math.round(m.lateMsMax)} ms late, CPU at most ${Math.round(m.cpuMax)}% of a core, ${m.dropped} dropped); ${how}`
    : `DISTORTED: ${m.reasons.join('; ')}. These figures are about the load generator, not the stack; ${how}`;
}
