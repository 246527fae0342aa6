// HAProxy's runtime API, spoken inside the balancer's container: its admin socket is a Unix socket
// there (haproxy.cfg's `stats socket`), never published. The image has no socat; its Python has a
// socket module, so a few lines of it carry one command line in and the answer out.
import type Docker from 'dockerode';
import { parseServersState, weightCommands, type BalancerSlot } from '../deploy/traffic-split.js';
import { execIn } from './docker-client.js';
import { LabError } from './errors.js';

const SOCKET = '/run/haproxy/admin.sock';
export const API_BACKEND = 'api';

const CLIENT = [
  'import socket, sys',
  's = socket.socket(socket.AF_UNIX)',
  `s.connect(${JSON.stringify(SOCKET)})`,
  "s.sendall(sys.argv[1].encode() + b'\\n')",
  'out = b""',
  'while True:',
  '    d = s.recv(65536)',
  '    if not d: break',
  '    out += d',
  'sys.stdout.write(out.decode())',
].join('\n');

/** Runs runtime API commands (`a; b` run in order) and returns HAProxy's answer. */
export async function runtimeCommand(docker: Docker, lbId: string, command: string): Promise<string> {
  const res = await execIn(docker, docker.getContainer(lbId), ['python3', '-c', CLIENT, command]);
  if (res.exitCode !== 0)
    throw new LabError(`the balancer's runtime API did not answer: ${res.output.trim().slice(0, 200)}`, 'START_FAILED');
  // Each command that fails says so in its answer; HAProxy carries on with the next.
  const refused = res.output.split('\n').find((l) => /^(No such|Invalid|Unknown|Require|Permission)/i.test(l.trim()));
  if (refused) throw new LabError(`the balancer refused "${command.slice(0, 120)}": ${refused.trim()}`, 'START_FAILED');
  return res.output;
}

export async function balancerSlots(docker: Docker, lbId: string): Promise<BalancerSlot[]> {
  return parseServersState(await runtimeCommand(docker, lbId, `show servers state ${API_BACKEND}`));
}

export async function setBalancerWeights(docker: Docker, lbId: string, weights: Record<string, number>): Promise<void> {
  if (Object.keys(weights).length) await runtimeCommand(docker, lbId, weightCommands(API_BACKEND, weights));
}
