import { describe, expect, it } from 'vitest';
import { PortInUseError } from '../core/runtime/errors.js';
import { resolveTopology } from '../core/topology/topology-request.js';
import { parseTopology } from '../core/topology/schema.js';
import { exitCodeOf, EXIT } from './exit-codes.js';
import { parseSetValues } from './set-values.js';

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

describe('--set', () => {
  it('parses numbers, booleans and strings into field changes', () => {
    expect(parseSetValues(['api.instances=5', 'cache.enabled=true', 'cache.strategy=write-through'])).toEqual({
      'api.instances': 5,
      'cache.enabled': true,
      'cache.strategy': 'write-through',
    });
  });

  it('refuses what is not section.field=value', () => {
    expect(() => parseSetValues(['instances=5'])).toThrow(/section\.field=value/);
  });

  it('merges over the running topology in core, and refuses a field the topology does not have', () => {
    const running = resolveTopology({ preset: 'full' });
    const next = resolveTopology({ set: parseSetValues(['api.instances=5']) }, running);
    expect(next).toEqual({ ...running, api: { ...running.api, instances: 5 } });
    for (const bad of ['constructor.x=1', '__proto__.y=2', 'api.nonsense=3', 'toString.valueOf=1']) {
      const err = thrown(() => resolveTopology({ set: parseSetValues([bad]) }, running));
      expect(exitCodeOf(err), bad).toBe(EXIT.badInput);
      expect(String((err as Error).message)).toMatch(/unknown topology field|section\.field=value/);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('exit codes', () => {
  it('maps bad input, busy ports and other failures to distinct codes', () => {
    expect(exitCodeOf(thrown(() => parseTopology({ api: { instances: 0 } })))).toBe(EXIT.badInput);
    expect(exitCodeOf(new PortInUseError(8080, 'ports.entry'))).toBe(EXIT.portInUse);
    expect(exitCodeOf(new Error('boom'))).toBe(EXIT.failure);
  });
});

describe('--predict', () => {
  it('reads a figure and a number, and refuses anything else naming the figures', async () => {
    const { parsePrediction } = await import('./commands/run.js');
    expect(parsePrediction('p95=80')).toEqual({ metric: 'p95', value: 80 });
    expect(parsePrediction('hit_ratio=0.7')).toEqual({ metric: 'hit_ratio', value: 0.7 });
    expect(parsePrediction(undefined)).toBeUndefined();
    expect(() => parsePrediction('p97=80')).toThrow(/figures: rps, p50, p95/);
    expect(() => parsePrediction('p95')).toThrow(/e.g. p95=80/);
    // A run does not predict a knee; a sweep predicts nothing else.
    expect(() => parsePrediction('knee=150')).toThrow(/max_lag\)/);
    expect(parsePrediction('knee=150', 'sweep')).toEqual({ metric: 'knee', value: 150 });
    expect(() => parsePrediction('p95=80', 'sweep')).toThrow(/a number for the knee/);
  });

  it('reads a choice against the last run, or a run named', async () => {
    const { parsePrediction } = await import('./commands/run.js');
    expect(parsePrediction('p95=lower')).toEqual({ versus: 'p95', choice: 'lower', against: 'last' });
    expect(parsePrediction('throughput=same@20261126-213051-cpu-bound-2aee')).toEqual({
      versus: 'throughput',
      choice: 'same',
      against: '20261126-213051-cpu-bound-2aee',
    });
    expect(() => parsePrediction('hit_ratio=higher')).toThrow(/lower, same or higher than the last run/);
    expect(() => parsePrediction('p95=lower', 'sweep')).toThrow(/a number for the knee/);
  });
});
