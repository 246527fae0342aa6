// A report's table of figures: one row a figure (label, value), what it measures on hover.
export function FigureTable({ rows, testId }: { rows: string[][]; testId?: string }) {
  return (
    <table data-testid={testId}>
      <tbody>
        {rows.map(([label, value, title]) => (
          <tr key={`${label}:${value}`} title={title}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
