// The stack as `scalelab status` and `up` print it: a table of services, then the URLs.
import type { StackStatus } from '../contract/stack.js';

export function statusText(st: StackStatus): string {
  if (!st.services.length) return `stack "${st.stack}": not running`;
  // On a Swarm each task's node, and for a task on another node what Swarm says (no address here).
  const swarm = st.target === 'swarm';
  const rows = st.services.map((s) => [
    s.version ? `${s.name} (${s.version})` : s.name,
    s.state,
    s.health,
    ...(swarm ? [s.node ?? '-'] : []),
    s.remote
      ? '(on another node: as Swarm reports it)'
      : Object.entries(s.ports)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '-',
  ]);
  const head = ['SERVICE', 'STATE', 'HEALTH', ...(swarm ? ['NODE'] : []), 'ADDRESS'];
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
  if (st.prometheusUrl) lines.push(`prometheus   ${st.prometheusUrl}   (scalelab targets, scalelab query EXPR)`);
  if (st.alertmanagerUrl) lines.push(`alertmanager ${st.alertmanagerUrl}   (scalelab alerts)`);
  for (const n of st.target === 'swarm' ? (st.nodes ?? []) : [])
    lines.push(
      `swarm node   ${n.hostname} (${n.role}, ${n.state}, ${n.availability}): ${n.services.join(', ') || 'no tasks of this stack'}`,
    );
  const auto = st.topology?.api.autoscale;
  if (auto?.enabled) {
    const target = auto.metric === 'cpu' ? `CPU ${auto.targetCpuPercent}% of the limit` : `p95 ${auto.targetP95Ms} ms`;
    lines.push(
      `autoscale    ${auto.min}–${auto.max} instances on ${target}, every ${auto.periodSeconds} s, scale-down window ${auto.scaleDownStabilizationSeconds} s (acts while a run measures the stack)`,
    );
  }
  // Two versions at once: a deploy in progress, or one cut short (its second set still there).
  const byVersion = new Map<string, string[]>();
  for (const s of st.services.filter((x) => x.role === 'api' && x.version))
    byVersion.set(s.version!, [...(byVersion.get(s.version!) ?? []), s.name]);
  if (byVersion.size > 1)
    lines.push(
      `versions     ${[...byVersion].map(([v, names]) => `${v} on ${names.join(', ')}`).join('; ')}: a deploy is running, or was cut short (\`scalelab up\` brings every instance back to ${st.topology?.api.version ?? "the topology's version"})`,
    );
  return lines.join('\n');
}
