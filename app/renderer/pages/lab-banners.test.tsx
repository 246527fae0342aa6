// The run banner says the room's prediction against the measurement, and a distorted measurement.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../contract/runs.js';
import { RunState } from './lab-banners.js';

const run = {
  id: 'r1',
  status: 'passed',
  engineNote: null,
  error: null,
  prediction: { metric: 'p95', value: 80 },
  summary: {
    latency: { p50: 3, p90: 50, p95: 100, p99: 200, max: 900, mean: 20 },
    measurement: { verdict: 'distorted', reasons: ['the open model dropped 30 of 1030 requests it was due to send'] },
  },
} as unknown as RunRecord;

describe('the run banner', () => {
  it('says the prediction against the measurement, and a distorted measurement with its reason', () => {
    const html = renderToStaticMarkup(<RunState run={run} />);
    expect(html).toContain('predicted p95 latency 80 ms, measured 100.0 ms (25% higher)');
    expect(html).toContain('measurement distorted: the open model dropped 30 of 1030');
  });
});
