import { describe, expect, it } from 'vitest';
import { executionSegments, segmentArgs } from './k6-segments.js';

describe('k6 execution segments', () => {
  it('splits a test into equal segments of one sequence, in k6 notation', () => {
    expect(executionSegments(3)).toEqual([
      { name: 'k6-1', segment: '0:1/3', sequence: '0,1/3,2/3,1' },
      { name: 'k6-2', segment: '1/3:2/3', sequence: '0,1/3,2/3,1' },
      { name: 'k6-3', segment: '2/3:1', sequence: '0,1/3,2/3,1' },
    ]);
    expect(executionSegments(1)).toEqual([{ name: 'k6-1', segment: '0:1', sequence: '0,1' }]);
  });

  it('gives each generator its flags, and a test run whole none', () => {
    const [, second] = executionSegments(2);
    expect(segmentArgs(second, 2)).toEqual(['--execution-segment', '1/2:1', '--execution-segment-sequence', '0,1/2,1']);
    expect(segmentArgs(executionSegments(1)[0], 1)).toEqual([]);
  });

  it('refuses a count of generators it cannot run', () => {
    for (const n of [0, 1.5, 9]) expect(() => executionSegments(n)).toThrow(/from 1 to 8/);
  });
});
