// In a comparison report: whether each difference between the two runs is real (B − A with its
// 95% interval, contract/significance.ts), or why the runs are too short to say.
import { DIFFERENCE_COLUMNS, differenceCells, type Significance } from '../../contract/significance.js';

export function SignificanceTable({ s }: { s: Significance }) {
  return (
    <>
      <h2>Is the difference real?</h2>
      {'unavailable' in s ? (
        <p className="hint" data-testid="significance">
          {s.unavailable}
        </p>
      ) : (
        <>
          <p className="hint">{s.method}</p>
          <table data-testid="significance">
            <thead>
              <tr>
                {DIFFERENCE_COLUMNS.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {s.differences.map((d) => (
                <tr key={d.metric} className={d.verdict === 'no measurable difference' ? 'same' : 'differs'}>
                  {differenceCells(d).map((c, i) => (
                    <td key={i} className={i > 0 && i < 5 ? 'num' : undefined}>
                      {c}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
