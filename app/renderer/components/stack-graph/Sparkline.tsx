// A node's last half-minute as a line: enough to see a trend at a glance, nothing to read off.
const W = 120;
const H = 20;

export function Sparkline({ values, what }: { values: Array<number | null>; what: string }) {
  const nums = values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  const max = Math.max(0, ...nums.map((v) => v ?? 0));
  if (nums.every((v) => v === null)) return <svg className="sparkline" width={W} height={H} aria-hidden="true" />;
  const step = nums.length > 1 ? W / (nums.length - 1) : W;
  const y = (v: number) => H - 1 - (max > 0 ? (v / max) * (H - 2) : 0);
  const d = nums
    .map((v, i) => (v === null ? null : `${i * step},${y(v).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  return (
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} aria-hidden="true">
      <title>{`${what}, last ${nums.length} s`}</title>
      <polyline points={d} fill="none" stroke="var(--accent-9)" strokeWidth="1.5" />
    </svg>
  );
}
