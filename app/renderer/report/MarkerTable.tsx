// A report's section of markers from the run (alerts, deploys, rescales...): a heading, what the
// rows are, and one row a marker, its time first.
import type { ReactNode } from 'react';

export function MarkerTable({
  title,
  hint,
  testId,
  columns,
  rows,
}: {
  title: string;
  hint: ReactNode;
  testId: string;
  columns: string[];
  /** One row a marker: its cells, in the columns' order. */
  rows: ReactNode[][];
}) {
  if (!rows.length) return null;
  return (
    <>
      <h2>{title}</h2>
      <p className="hint">{hint}</p>
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
