// Which engine runs a load: k6 when asked for and found (a binary, or the grafana/k6 image on the
// stack's network); otherwise the built-in engine, with a note saying why.
import type Docker from 'dockerode';
import path from 'node:path';
import type { EngineKind } from '../../contract/load.js';
import { SERVICE, apiName } from '../../contract/services.js';
import type { StackStatus } from '../../contract/stack.js';
import { LabError } from '../runtime/errors.js';
import { LABEL, networkName } from '../runtime/names.js';
import { API_PORT } from '../topology/plan.js';
import { BuiltinEngine } from './builtin-engine.js';
import { K6Engine } from './k6-engine.js';
import type { SwarmGenerators } from './k6-generators.js';
import { locateK6, type K6Location } from './k6-locator.js';
import type { LoadEngine } from './load-engine.js';

export interface ChosenEngine {
  engine: LoadEngine;
  engineNote: string | null;
  k6Version: string | null;
}

export async function chooseEngine(
  kind: EngineKind,
  script: string | undefined,
  loadScriptsDir: string,
  status: StackStatus,
  docker: Docker | undefined,
  /** The k6 binary saved in the engine's settings. */
  k6Path: string | null = null,
  /** k6 processes splitting the test by execution segments (1: the test whole). */
  generators = 1,
  /** On a Swarm: the k6 image's generators become one service over the nodes. */
  swarm: SwarmGenerators | null = null,
): Promise<ChosenEngine> {
  if (generators > 1 && kind !== 'k6')
    throw new LabError(
      `Splitting a run over ${generators} generators is k6's (its execution segments); the built-in engine is one generator.`,
      'BAD_INPUT',
      'Choose the k6 engine, or run one generator.',
    );
  if (kind === 'builtin' && !script) return { engine: new BuiltinEngine(), engineNote: null, k6Version: null };
  const k6 = await locateK6(docker, k6Path);
  const own = script ? path.resolve(script) : undefined;
  const file = own ?? path.join(loadScriptsDir, 'k6', 'workload.js');
  if (k6.kind === 'binary') {
    return {
      engine: new K6Engine({ location: k6, script: file, isWorkloadScript: !own, generators }),
      engineNote: generators > 1 ? `k6 ${k6.version}, ${generators} generators (execution segments)` : null,
      k6Version: k6.version,
    };
  }
  if (k6.kind === 'image' && docker) {
    // Inside the stack's network k6 reaches services by name, as a client in the same data center would.
    const has = (name: string) => status.services.some((s) => s.name === name && s.state === 'running');
    const container = {
      docker,
      network: networkName(status.stack),
      baseUrl: has(SERVICE.lb) ? `http://${SERVICE.lb}:80` : `http://${apiName(1)}:${API_PORT}`,
      edgeUrl: has(SERVICE.cdn) ? `http://${SERVICE.cdn}:80` : null,
      labels: { [LABEL.stack]: status.stack, [LABEL.role]: 'k6', [LABEL.service]: 'k6' },
      ...(swarm ? { swarm } : {}),
    };
    return {
      engine: new K6Engine({ location: k6, script: file, isWorkloadScript: !own, container, generators }),
      engineNote: `k6 from ${k6.image} on the stack's network${swarm ? ', as a Swarm service over the nodes' : ''}${generators > 1 ? `, ${generators} generators (execution segments)` : ''}`,
      k6Version: k6.image,
    };
  }
  const why = k6.kind === 'none' ? k6.reason : 'no Docker engine to run the grafana/k6 image on';
  if (generators > 1)
    throw new LabError(
      `${generators} generators need k6: ${why}.`,
      'K6_MISSING',
      'Install k6 (https://k6.io) or set SCALELAB_K6 to its path, or run one generator.',
    );
  if (script) {
    throw new LabError(
      `A k6 script needs k6: ${why}.`,
      'K6_MISSING',
      'Install k6 (https://k6.io) or set SCALELAB_K6 to its path.',
    );
  }
  return { engine: new BuiltinEngine(), engineNote: `${why}: ran the built-in engine instead`, k6Version: null };
}

/** What the console and `scalelab` say about each engine. */
export function describeK6(k6: K6Location): string {
  return k6.kind === 'binary'
    ? `k6 ${k6.version} (${k6.path})`
    : k6.kind === 'image'
      ? `${k6.image} on the stack's network`
      : k6.reason;
}
