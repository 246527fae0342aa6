// The report's own stylesheet, inlined into the file: print-first (A4, one chart column, no
// breaks inside a chart or table), the console's colours and node look.
export const REPORT_CSS = `
:root { --fg: #0f172a; --panel: #fff; --line: #cbd5e1; --grid: #e2e8f0; --ok: #16a34a; --bad: #dc2626; --accent: #2563eb; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 13px; color: var(--fg); margin: 0 auto; padding: 1.5rem; max-width: 1200px; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; border-bottom: 2px solid var(--accent); padding-bottom: 0.2rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
.meta, .hint { color: #475569; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.4rem 0; break-inside: avoid; }
th, td { border: 1px solid var(--line); padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f1f5f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--ok); font-weight: bold; } .fail { color: var(--bad); font-weight: bold; }
.side-by-side { display: flex; gap: 1.5rem; flex-wrap: wrap; } .side-by-side > * { flex: 1 1 400px; }
.diagram { display: flex; flex-direction: column; gap: 0.4rem; margin: 0.5rem 0; break-inside: avoid; }
.tier { display: flex; gap: 0.4rem; align-items: stretch; }
.tier-nodes { display: flex; gap: 0.4rem; flex-wrap: wrap; flex: 1; }
.tier-label { width: 7rem; flex: none; font-size: 0.8em; color: #64748b; align-self: center; }
.node { border: 2px solid var(--ok); border-radius: 6px; padding: 0.3rem 0.5rem; min-width: 7rem; background: var(--panel); }
.node-name { font-weight: bold; } .node-figure { font-size: 0.8em; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 0.75rem; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem; break-inside: avoid; }
.chart-title { font-size: 0.85em; font-weight: bold; }
.recharts-legend-item-text { font-size: 0.8em; }
.panel { margin: 0.5rem 0; } .markers table { width: 100%; }
.plan-text { font-size: 0.75em; background: #f8fafc; border: 1px solid var(--line); padding: 0.4rem; white-space: pre-wrap; break-inside: avoid; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } .charts { grid-template-columns: 1fr; } }
`;

/** The handout's additions: a lesson per page when printed, the answers on a page of their own. */
export const HANDOUT_CSS = `
.handout { max-width: 800px; margin: 0 auto; }
.lesson { break-inside: avoid-page; }
.choices { list-style: none; padding-left: 0.5rem; }
.write-in { color: #475569; margin: 0.8rem 0; }
.answers { break-before: page; }
code { font-size: 0.95em; }
`;
