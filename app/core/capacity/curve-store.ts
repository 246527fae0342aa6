// Scaling curves as JSON files under <dataDir>/curves, one per curve, rewritten atomically after
// each point: a curve stopped halfway (a fault, the console closed) keeps the points it measured.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CurveResult } from '../../contract/capacity.js';
import { LabError } from '../runtime/errors.js';

const ID_RE = /^curve-[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$/;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export class CurveStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'curves');
  }

  newId(now = new Date()): string {
    return `curve-${stamp(now)}-${randomBytes(2).toString('hex')}`;
  }

  save(curve: CurveResult): void {
    if (!ID_RE.test(curve.id)) throw new LabError(`not a curve id: ${curve.id}`, 'BAD_INPUT');
    mkdirSync(this.root, { recursive: true });
    const file = path.join(this.root, `${curve.id}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(curve, null, 2)}\n`);
    renameSync(tmp, file);
  }

  /** Newest first; a file that does not parse is left out (open() names it). */
  list(): CurveResult[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .filter((f) => f.endsWith('.json') && ID_RE.test(f.slice(0, -5)))
      .flatMap((f) => {
        try {
          return [JSON.parse(readFileSync(path.join(this.root, f), 'utf8')) as CurveResult];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  /** A curve by id, or "last" for the newest. */
  open(id: string): CurveResult {
    if (id === 'last') {
      const newest = this.list()[0];
      if (!newest)
        throw new LabError(
          'There is no scaling curve yet, so no "last" one.',
          'NO_SUCH_CURVE',
          'Measure one: scalelab sweep --workload W --slo "p(95)<200" --across api.instances=1,2,3',
        );
      return newest;
    }
    const file = path.join(this.root, `${id}.json`);
    if (!ID_RE.test(id) || !existsSync(file))
      throw new LabError(
        `There is no scaling curve "${id}".`,
        'NO_SUCH_CURVE',
        '`scalelab curves` lists them, or use "last" for the newest.',
      );
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as CurveResult;
    } catch (err) {
      throw new LabError(
        `Scaling curve ${id} is damaged: ${(err as Error).message}.`,
        'CURVE_CORRUPT',
        `Measure it again; the file is ${file}.`,
      );
    }
  }
}
