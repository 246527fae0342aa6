import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ReportRun } from '../../contract/reports.js';
import { Measurement } from './Measurement.js';

const run = (generators?: NonNullable<ReportRun['run']['summary']>['generators']) =>
  ({
    run: {
      summary: {
        measurement: {
          verdict: 'sound',
          reasons: [],
          saturatedSeconds: 0,
          seconds: 10,
          dropped: 0,
          sent: 0,
          lateMsMax: 0,
          cpuMax: 0,
          latencyFrom: 'sent',
        },
        ...(generators ? { generators } : {}),
      },
    },
  }) as unknown as ReportRun;

describe("a report's measurement", () => {
  it('lists the generators of a split run with their segments and what each measured, and none for one generator', () => {
    const html = renderToStaticMarkup(
      <Measurement
        r={run([
          { name: 'k6-1', segment: '0:1/2', requests: 501, failed: 2, dropped: 0, exitCode: 0 },
          { name: 'k6-2', segment: '1/2:1', requests: 499, failed: 1, dropped: 3, exitCode: 0 },
        ])}
      />,
    );
    expect(html).toContain('data-testid="generators"');
    expect(html).toContain('<td>k6-2</td><td>1/2:1</td><td>499</td><td>1</td><td>3</td><td>0</td>');
    expect(renderToStaticMarkup(<Measurement r={run()} />)).not.toContain('generators');
  });
});
