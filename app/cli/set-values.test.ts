import { describe, expect, it } from 'vitest';
import { exitCodeOf, EXIT } from './exit-codes.js';
import { parseSetValues } from './set-values.js';
import { parseTopology } from '../core/topology/schema.js';
import { PortInUseError } from '../core/runtime/errors.js';

describe('--set', () => {
  it('parses numbers, booleans and strings into a partial topology', () => {
    expect(parseSetValues(['api.instances=5', 'cache.enabled=true', 'cache.strategy=write-through'])).toEqual({
      api: { instances: 5 },
      cache: { enabled: true, strategy: 'write-through' },
    });
  });
  it('refuses what is not section.field=value', () => {
    expect(() => parseSetValues(['instances=5'])).toThrow(/section\.field=value/);
  });
});

describe('exit codes', () => {
  it('maps bad input, busy ports and other failures to distinct codes', () => {
    expect(
      exitCodeOf(
        (() => {
          try {
            parseTopology({ api: { instances: 0 } });
          } catch (e) {
            return e;
          }
        })(),
      ),
    ).toBe(EXIT.badInput);
    expect(exitCodeOf(new PortInUseError(8080, 'ports.entry'))).toBe(EXIT.portInUse);
    expect(exitCodeOf(new Error('boom'))).toBe(EXIT.failure);
  });
});
