// The stack as `scalelab status` and `up` print it: a table of services, then the URLs.
import type { StackStatus } from '../contract/stack.js';

export function statusText(st: StackStatus): string {
  if (!st.services.length) return `stack "${st.stack}": not running`;
  const rows = st.services.map((s) => [
    s.version ? `${s.name} (${s.version})` : s.name,
    s.state,
    s.health,
    Object.entries(s.ports)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-',
  ]);
  const head = ['SERVICE', 'STATE', 'HEALTH', 'ADDRESS'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [head, ...rows].map((r) =>
    r
      .map((c, i) => c.padEnd(w[i]))
      .join('  ')
      .trimEnd(),
  );
  lines.push('');
  if (st.entryUrl) lines.push(`entry        ${st.entryUrl}`);
  if (st.edgeUrl) lines.push(`edge cache   ${st.edgeUrl}`);
  if (st.statsUrl) lines.push(`lb stats     ${st.statsUrl}`);
  if (st.tlsUrl) lines.push(`https        ${st.tlsUrl}   (certificate made by the balancer for 127.0.0.1)`);
  const auto = st.topology?.api.autoscale;
  if (auto?.enabled) {
    const target = auto.metric === 'cpu' ? `CPU ${auto.targetCpuPercent}% of the limit` : `p95 ${auto.targetP95Ms} ms`;
    lines.push(
      `autoscale    ${auto.min}–${auto.max} instances on ${target}, every ${auto.periodSeconds} s, scale-down window ${auto.scaleDownStabilizationSeconds} s (acts while a run measures the stack)`,
    );
  }
  return lines.join('\n');
}
