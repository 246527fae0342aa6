// `--set api.instances=5 --set cache.enabled=true` -> a partial topology.
import { LabError } from '../core/runtime/errors.js';

export function parseSetValues(pairs: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)\.([A-Za-z]+)=(.*)$/.exec(pair);
    if (!m) throw new LabError(`--set ${pair}: expected section.field=value, e.g. api.instances=3`, 'BAD_INPUT');
    const [, section, field, raw] = m;
    let value: unknown = raw;
    if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw !== '' && !Number.isNaN(Number(raw))) value = Number(raw);
    (out[section] ??= {})[field] = value;
  }
  return out;
}
