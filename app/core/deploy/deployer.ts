// Blue-green and canary deploys: a second set of API instances on the new version is started
// beside the running set at no traffic (its balancer slots at weight 0), then the balancer's
// weights move the traffic: at once (blue-green) or step by step (canary). Each step is judged on
// the instances' own /metrics, new version against old; worse, and the weights go back and the new
// set is removed. Promoted, the stack's positional names are kept: api-1..N are started again on
// the new version and take over from the second set the same way (same version, no one notices).
// Rolling deploys are apply()'s (convergence-plan.ts).
import type { CanaryJudgement, DeployMarker, DeployResult, VersionFigures } from '../../contract/deploy.js';
import { LabError } from '../../contract/errors.js';
import type { ServiceStatus } from '../../contract/stack.js';
import { apiName } from '../../contract/services.js';
import { fetchText } from '../metrics/fetch-text.js';
import { API_PORT } from '../topology/plan.js';
import type { ProgressSink, StackRuntime } from '../runtime/stack-runtime.js';
import { StackNotRunningError } from '../runtime/errors.js';
import type { DeployPlan } from './deploy-request.js';
import { fullWeights, splitWeights, type BalancerSlot } from './traffic-split.js';
import { judge, readInstance, versionFigures, type InstanceReading } from './version-figures.js';

/** A step with too little traffic to judge is held up to this many step lengths more. */
const EXTRA_WINDOWS = 2;
/** Worse in this many windows in a row before the rollback: a new instance's first requests are
 *  cold (JIT, connections), and a p95 of a few dozen requests is noisy (Flagger's `threshold`). */
const CONFIRM_WORSE = 2;
const UP_TIMEOUT_MS = 30_000;
/** After the weights leave a set: requests already sent to it finish before it is stopped. */
const DRAIN_MS = 1500;

export interface DeployDeps {
  runtime: StackRuntime;
  stack: string;
  onProgress: ProgressSink;
  onMarker: (m: DeployMarker) => void;
  sleep?: (ms: number) => Promise<void>;
}

type Readings = Map<string, InstanceReading>;

export async function deploy(plan: DeployPlan, deps: DeployDeps): Promise<DeployResult> {
  const { runtime, stack } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  const say = (message: string) => deps.onProgress({ service: 'deploy', phase: 'update', message, at: Date.now() });

  const topology = await runtime.topology(stack);
  if (!topology) throw new StackNotRunningError(stack);
  const from = topology.api.version;
  if (!topology.loadBalancer.enabled)
    throw new LabError(
      `a ${plan.strategy} deploy moves traffic at the load balancer, and this stack has none`,
      'BAD_INPUT',
      'Switch it on (`scalelab apply --set loadBalancer.enabled=true`), or deploy with --strategy rolling.',
    );
  const number = (s: ServiceStatus) => Number(s.name.slice('api-'.length));
  const apis = (await runtime.services(stack)).filter((s) => s.role === 'api').sort((a, b) => number(a) - number(b));
  const markers: DeployMarker[] = [];
  const mark = (m: Omit<DeployMarker, 'strategy' | 'from' | 'to' | 'elapsedMs'>) => {
    const full = { ...m, strategy: plan.strategy, from, to: plan.version, elapsedMs: Date.now() - started };
    markers.push(full);
    deps.onMarker(full);
  };
  const result = (outcome: DeployResult['outcome'], list: ServiceStatus[]): DeployResult => ({
    strategy: plan.strategy,
    from,
    to: plan.version,
    outcome,
    durationMs: Date.now() - started,
    markers,
    instances: list.filter((s) => s.role === 'api').map((s) => ({ name: s.name, version: s.version ?? from })),
  });
  if (from === plan.version && apis.every((s) => s.version === plan.version)) return result('unchanged', apis);
  if (apis.some((s) => s.state !== 'running' || !s.ip))
    throw new LabError(
      `API instance ${apis.find((s) => s.state !== 'running')?.name ?? '?'} is not running`,
      'BAD_INPUT',
      'Heal the stack first (`scalelab up`), then deploy.',
    );
  // Refused here, before anything starts: a version never built, or built from an older API.
  await runtime.versionImage(plan.version, deps.onProgress);
  const slots = await runtime.balancerSlots(stack);
  if (slots.length < apis.length * 2)
    throw new LabError(
      `the balancer has ${slots.length} server slots and a second set of ${apis.length} instances needs ${apis.length * 2}`,
      'BAD_INPUT',
      'Fewer instances, or a rolling deploy (--strategy rolling).',
    );

  const oldSet = apis;
  const highest = Math.max(...apis.map(number));
  const newNames = apis.map((_, i) => apiName(highest + 1 + i));
  let newSet: ServiceStatus[] = [];
  const addresses = (list: ServiceStatus[]) => list.map((s) => s.ip!).filter(Boolean);
  const setShare = async (percent: number, olds: ServiceStatus[], news: ServiceStatus[]) => {
    const current = await runtime.balancerSlots(stack);
    const split = splitWeights(current, addresses(olds), addresses(news), percent);
    await runtime.setBalancerWeights(stack, split.weights);
    return split.share;
  };
  const allFull = async () => runtime.setBalancerWeights(stack, fullWeights(await runtime.balancerSlots(stack)));
  /** A set the weights have left: what it was sent finishes, then it goes, and every slot is whole again. */
  const retire = async (names: string[]) => {
    await sleep(DRAIN_MS);
    await runtime.removeApiInstances(stack, names, deps.onProgress);
    await allFull();
  };

  mark({ phase: 'started' });
  say(`${plan.strategy}: ${from} → ${plan.version}, ${oldSet.length} instance(s)`);
  let promoting = false;
  try {
    // What DNS adds next lands in a slot at weight 0: the new set gets nothing until it is given it.
    await runtime.setBalancerWeights(stack, zeroExcept(slots, addresses(oldSet)));
    const before = await readAll(runtime, stack, oldSet);
    const readAt = Date.now();
    say(`starting ${newNames.join(', ')} on ${plan.version} beside ${oldSet.map((s) => s.name).join(', ')}`);
    await runtime.startApiInstances(stack, newNames, plan.version, deps.onProgress);
    newSet = await servicesNamed(runtime, stack, newNames);
    await waitUp(runtime, stack, addresses(newSet), sleep);
    mark({ phase: 'ready', percent: 0 });

    // Blue-green's baseline is the old set before the switch, over a step's length at least.
    const waited = Date.now() - readAt;
    if (plan.strategy === 'blue-green' && waited < plan.stepSeconds * 1000)
      await sleep(plan.stepSeconds * 1000 - waited);
    const baseline = versionFigures(from, before, await readAll(runtime, stack, oldSet));
    for (const percent of plan.steps) {
      const share = await setShare(percent, oldSet, newSet);
      mark({ phase: percent === 100 ? 'switched' : 'step', percent: share });
      say(`${plan.version} takes ${share}% of requests`);
      // Blue-green watches the new set alone after the switch, against the old set before it.
      const judged = percent < 100 || plan.strategy === 'blue-green';
      if (!judged) break;
      const verdict = await judgeStep(plan, percent, () => readAll(runtime, stack, [...oldSet, ...newSet]), {
        from,
        baseline,
        oldSet,
        newSet,
        sleep,
        say,
      });
      mark({ phase: 'judged', percent: share, judgement: verdict });
      if (verdict.verdict !== 'pass') {
        const reason =
          verdict.verdict === 'worse'
            ? verdict.reason
            : `${verdict.reason}: put more load on the stack while it deploys (scalelab run), or hold steps longer (--step-seconds)`;
        say(`rolling back: ${reason}`);
        await setShare(0, oldSet, newSet);
        mark({ phase: 'rolled-back', percent: 0, judgement: verdict });
        await retire(newNames);
        return result('rolled-back', await runtime.services(stack));
      }
    }
    // Promoted: the old set drains and goes; api-1..N come back on the new version and take over.
    promoting = true;
    await sleep(DRAIN_MS);
    await runtime.removeApiInstances(
      stack,
      oldSet.map((s) => s.name),
      deps.onProgress,
    );
    await runtime.setBalancerWeights(stack, zeroExcept(await runtime.balancerSlots(stack), addresses(newSet)));
    const names = oldSet.map((s) => s.name);
    say(`${names.join(', ')} again, on ${plan.version}, to take the stack's places`);
    await runtime.startApiInstances(stack, names, plan.version, deps.onProgress);
    const placed = await servicesNamed(runtime, stack, names);
    await waitUp(runtime, stack, addresses(placed), sleep);
    await setShare(100, newSet, placed);
    await retire(newNames);
    await runtime.apply(stack, (t) => ({ ...t, api: { ...t.api, version: plan.version } }), deps.onProgress);
    mark({ phase: 'promoted', percent: 100 });
    return result('promoted', await runtime.services(stack));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    mark({ phase: 'failed', error: message });
    // Before the promotion the old set serves again and the new one goes; during it, every
    // instance left serves. Either way every request is answered by one version.
    await (async () => {
      if (!promoting) await runtime.removeApiInstances(stack, newNames, deps.onProgress);
      await allFull();
    })().catch(() => undefined);
    throw err instanceof LabError
      ? err
      : new LabError(
          `the ${plan.strategy} deploy failed: ${message}`,
          'START_FAILED',
          'See `scalelab status`; `scalelab up` heals the stack.',
        );
  }
}

/** Holds a step and judges it: longer while it has too few requests, once more when it is worse once. */
async function judgeStep(
  plan: DeployPlan,
  percent: number,
  readBoth: () => Promise<Readings>,
  c: {
    from: string;
    baseline: VersionFigures;
    oldSet: ServiceStatus[];
    newSet: ServiceStatus[];
    sleep: (ms: number) => Promise<void>;
    say: (m: string) => void;
  },
): Promise<CanaryJudgement> {
  let worse = 0;
  let windows = 0;
  let start = await readBoth();
  for (;;) {
    await c.sleep(plan.stepSeconds * 1000);
    windows++;
    const end = await readBoth();
    const candidate = versionFigures(plan.version, pick(start, c.newSet), pick(end, c.newSet));
    // A canary step is held against the old set over the same window; blue-green's, before the switch.
    const baseline = percent < 100 ? versionFigures(c.from, pick(start, c.oldSet), pick(end, c.oldSet)) : c.baseline;
    const verdict = judge(baseline, candidate, plan);
    if (verdict.verdict === 'pass') return verdict;
    if (verdict.verdict === 'worse') {
      if (++worse >= CONFIRM_WORSE) return verdict;
      c.say(`worse once, judged again over a new window: ${verdict.reason}`);
      start = end;
      windows = 0;
    } else {
      // Too few requests yet: the same window held longer.
      if (windows > EXTRA_WINDOWS) return verdict;
      c.say(`held longer to judge: ${verdict.reason}`);
    }
  }
}

function zeroExcept(slots: BalancerSlot[], keep: string[]): Record<string, number> {
  return splitWeights(slots, keep, [], 0).weights;
}

const pick = (readings: Readings, list: ServiceStatus[]): Readings =>
  new Map([...readings].filter(([name]) => list.some((s) => s.name === name)));

/** Each instance's /metrics: through its published port, or (a Swarm task publishes none) over
 *  the stack's network from the balancer's container. */
async function readAll(runtime: StackRuntime, stack: string, list: ServiceStatus[]): Promise<Readings> {
  const port = (s: ServiceStatus) => s.ports.api ?? s.ports.entry;
  const direct = await Promise.all(list.map((s) => (port(s) ? fetchText(`http://${port(s)}/metrics`, 2000) : null)));
  const inside = list.filter((s) => !port(s));
  const overlay = inside.length
    ? await runtime.fetchOnOverlay(
        stack,
        inside.map((s) => `http://${s.ip}:${API_PORT}/metrics`),
      )
    : [];
  const texts = list.map((s, i) => (port(s) ? direct[i] : overlay[inside.indexOf(s)]));
  const out: Readings = new Map();
  list.forEach((s, i) => {
    const text = texts[i];
    if (text) out.set(s.name, readInstance(text));
  });
  return out;
}

async function servicesNamed(runtime: StackRuntime, stack: string, names: string[]): Promise<ServiceStatus[]> {
  const found = (await runtime.services(stack)).filter((s) => names.includes(s.name));
  if (found.length !== names.length || found.some((s) => !s.ip))
    throw new LabError(`instances ${names.join(', ')} started but are not all on the stack network`, 'START_FAILED');
  return found;
}

/** Until HAProxy has found every address through DNS and its health check passes there. */
async function waitUp(
  runtime: StackRuntime,
  stack: string,
  addresses: string[],
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + UP_TIMEOUT_MS;
  for (;;) {
    const slots = await runtime.balancerSlots(stack);
    const missing = addresses.filter((a) => !slots.some((s) => s.address === a && s.up));
    if (!missing.length) return;
    if (Date.now() > deadline)
      throw new LabError(
        `the balancer has not found ${missing.join(', ')} up within ${UP_TIMEOUT_MS / 1000} s`,
        'UNHEALTHY',
        "See `scalelab logs lb` and the new instances' logs.",
      );
    await sleep(250);
  }
}
