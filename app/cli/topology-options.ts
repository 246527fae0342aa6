// The options every topology command shares (--preset, --topology FILE, --set field=value) and the
// TopologyRequest they make. The merge over the defaults or the running topology is core's.
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { jsonProblem, LabError } from '../contract/errors.js';
import type { TopologyRequest } from '../contract/lab-api.js';
import type { TopologyInput } from '../contract/topology.js';
import { parseSetValues } from './set-values.js';

export interface TopologyOpts {
  preset?: string;
  topology?: string;
  set?: string[];
}

const collect = (v: string, acc: string[]) => [...acc, v];

export function withTopologyOptions(cmd: Command, presets: readonly string[]): Command {
  return cmd
    .addOption(new Option('--preset <name>', 'a stage preset').choices([...presets]))
    .option('--topology <file>', 'a topology JSON file')
    .option('--set <field=value>', 'override one field, e.g. api.instances=5 (repeatable)', collect, []);
}

function readTopologyFile(file: string): TopologyInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabError(`cannot read topology file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`, 'BAD_INPUT');
  }
  try {
    return JSON.parse(text) as TopologyInput;
  } catch (err) {
    throw new LabError(`topology file ${file} is ${jsonProblem(err)}`, 'BAD_INPUT');
  }
}

export function topologyRequest(o: TopologyOpts): TopologyRequest {
  return {
    ...(o.preset ? { preset: o.preset } : {}),
    ...(o.topology ? { topology: readTopologyFile(o.topology) } : {}),
    ...(o.set?.length ? { set: parseSetValues(o.set) } : {}),
  };
}
