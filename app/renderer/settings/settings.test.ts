import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings, writeSettings } from './settings.js';

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    length: 0,
  };
}

describe('settings', () => {
  it('keep what was chosen across a restart (the same storage read again)', () => {
    const s = memory();
    expect(readSettings(s)).toEqual(DEFAULT_SETTINGS);
    writeSettings(s, { appearance: 'dark', defaultEngine: 'k6', defaultWorkload: 'spike', tourSeen: true });
    expect(readSettings(s)).toEqual({
      appearance: 'dark',
      defaultEngine: 'k6',
      defaultWorkload: 'spike',
      tourSeen: true,
    });
  });

  it('ignore what is not theirs: a damaged or foreign value falls back to the default, field by field', () => {
    const s = memory();
    s.setItem('scalelab.settings', '{not json');
    expect(readSettings(s)).toEqual(DEFAULT_SETTINGS);
    s.setItem(
      'scalelab.settings',
      JSON.stringify({ appearance: 'neon', defaultEngine: 'k6', defaultWorkload: '../x', tourSeen: 'yes' }),
    );
    expect(readSettings(s)).toEqual({ ...DEFAULT_SETTINGS, defaultEngine: 'k6' });
    expect(readSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });
});
