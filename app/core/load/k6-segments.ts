// How one k6 test is split across several generators: k6's own execution segments (what the k6
// operator does on Kubernetes). Every generator is given the same sequence and its own segment
// of it, and k6 stripes the scenario's iterations (or VUs) between them, so the parts add up to
// the whole test. Pure.

import { MAX_GENERATORS } from '../../contract/load.js';

export interface K6Segment {
  /** The generator's name in the run's figures ("k6-1"...). */
  name: string;
  /** `--execution-segment`, e.g. "1/3:2/3". */
  segment: string;
  /** `--execution-segment-sequence`, the same for every generator, e.g. "0,1/3,2/3,1". */
  sequence: string;
}

/** k6's notation for i/n: "0", "1/3", "1". */
const fraction = (i: number, n: number): string => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`);

export function executionSegments(generators: number): K6Segment[] {
  if (!Number.isInteger(generators) || generators < 1 || generators > MAX_GENERATORS)
    throw new RangeError(`generators must be a whole number from 1 to ${MAX_GENERATORS}, not ${generators}`);
  const sequence = Array.from({ length: generators + 1 }, (_, i) => fraction(i, generators)).join(',');
  return Array.from({ length: generators }, (_, i) => ({
    name: generatorName(i + 1),
    segment: `${fraction(i, generators)}:${fraction(i + 1, generators)}`,
    sequence,
  }));
}

export const generatorName = (n: number): string => `k6-${n}`;

/** The command-line arguments that give one generator its segment (none for a test run whole). */
export function segmentArgs(s: K6Segment, generators: number): string[] {
  return generators > 1 ? ['--execution-segment', s.segment, '--execution-segment-sequence', s.sequence] : [];
}

/** The share of the test a segment holds: "1/3:2/3" is a third. */
export function segmentShare(segment: string): number {
  const value = (f: string) => {
    const [n, d = '1'] = f.split('/');
    return Number(n) / Number(d);
  };
  const [from, to] = segment.split(':');
  return value(to) - value(from);
}
