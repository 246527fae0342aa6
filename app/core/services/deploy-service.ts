// stack.deploy: one change of the stack like an apply (the same lock), each step a marker in the
// run going on (and, through the change log, in a run another process records).
import type { DeployMarker, DeployRequest, DeployResult } from '../../contract/deploy.js';
import { planDeploy } from '../deploy/deploy-request.js';
import { deploy } from '../deploy/deployer.js';
import type { StackServiceDeps } from './stack-service.js';

const pct = (n: number | undefined) => (n === undefined ? '' : ` (${n}% to the new version)`);

/** A marker as the event log names it. */
export function deployLabel(m: DeployMarker): string {
  const head = `${m.strategy} ${m.from} → ${m.to}`;
  switch (m.phase) {
    case 'started':
      return `${head}: started`;
    case 'ready':
      return `${head}: ${m.to} instances up, no traffic yet`;
    case 'step':
      return `${head}: ${m.percent}% of requests to ${m.to}`;
    case 'switched':
      return `${head}: every request to ${m.to}`;
    case 'judged':
      return `${head}: ${m.judgement?.verdict ?? 'judged'}${pct(m.percent)}: ${m.judgement?.reason ?? ''}`;
    case 'rolled-back':
      return `${head}: rolled back, every request to ${m.from}: ${m.judgement?.reason ?? ''}`;
    case 'promoted':
      return `${head}: done, every instance on ${m.to}`;
    case 'done':
      return `${head}: done`;
    case 'failed':
      return `${head}: failed: ${m.error ?? ''}`;
  }
}

export function createDeploy({ runtime, stack, runs, progress, feed, lock }: StackServiceDeps) {
  return async (req: DeployRequest): Promise<DeployResult> => {
    const plan = planDeploy(req);
    const what = `a ${plan.strategy} deploy to ${plan.version}`;
    const onMarker = (m: DeployMarker) => {
      const label = deployLabel(m);
      runs.event('deploy', label, m);
      feed.changed({ kind: 'deploy', label, detail: m, services: ['*'] });
      progress({ service: 'deploy', phase: 'update', message: label, at: Date.now() });
    };
    if (plan.strategy !== 'rolling')
      return lock.exclusive(what, () =>
        feed.during(['*'], () => deploy(plan, { runtime, stack, onProgress: progress, onMarker })),
      );
    // Rolling: the topology's version changes and the convergence replaces each instance in turn.
    const started = Date.now();
    const from = (await runtime.topology(stack))?.api.version ?? plan.version;
    const base = { strategy: plan.strategy, from, to: plan.version };
    const markers: DeployMarker[] = [];
    const mark = (m: Pick<DeployMarker, 'phase' | 'percent'>) => {
      const full = { ...m, ...base, elapsedMs: Date.now() - started };
      markers.push(full);
      onMarker(full);
    };
    const apis = (await runtime.services(stack)).filter((s) => s.role === 'api');
    const unchanged = from === plan.version && apis.every((s) => s.version === plan.version);
    // A version never built is refused before the first marker.
    if (!unchanged) {
      await runtime.versionImage(plan.version, progress);
      mark({ phase: 'started' });
    }
    const res = await lock.exclusive(what, () =>
      feed.during(['*'], () =>
        runtime.apply(stack, (t) => ({ ...t, api: { ...t.api, version: plan.version } }), progress),
      ),
    );
    if (res.changes.length) mark({ phase: 'promoted', percent: 100 });
    return {
      ...base,
      outcome: res.changes.length ? 'promoted' : 'unchanged',
      durationMs: Date.now() - started,
      markers: res.changes.length ? markers : [],
      instances: res.status.services
        .filter((s) => s.role === 'api')
        .map((s) => ({ name: s.name, version: s.version ?? plan.version })),
    };
  };
}
