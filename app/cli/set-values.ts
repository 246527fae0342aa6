// `--set api.instances=5 --set cache.enabled=true` -> { "api.instances": 5, "cache.enabled": true }.
// Which fields exist is core's to say (it refuses unknown ones); this only reads the syntax.
import { LabError } from '../contract/errors.js';

export function parseSetValues(pairs: string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = Object.create(null);
  for (const pair of pairs) {
    const m = /^([A-Za-z]+\.[A-Za-z]+)=(.*)$/.exec(pair);
    if (!m)
      throw new LabError(`--set ${pair}: expected section.field=value`, 'BAD_INPUT', 'For example api.instances=3.');
    const [, field, raw] = m;
    out[field] =
      raw === 'true' || raw === 'false' ? raw === 'true' : raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  }
  return { ...out };
}
