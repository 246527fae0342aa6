// A change to a Swarm stack, as Swarm makes one: each service whose spec changed is updated (a
// rolling update: the API's new task starts before the old one stops, a database or Redis task is
// replaced), a role the topology now has is created, one it no longer has is removed. What is
// compared is what a service runs (Swarm fills in defaults of its own in the specs it returns).
import type Docker from 'dockerode';
import { LabError } from '../runtime/errors.js';
import { LABEL } from '../runtime/names.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import { createService } from './swarm-service-steps.js';

type TaskSpec = Docker.ContainerTaskSpec;

export interface ServicePlan {
  create: Docker.CreateServiceOptions[];
  update: Array<{ id: string; version: number; spec: Docker.CreateServiceOptions; what: string[] }>;
  remove: Array<{ id: string; name: string }>;
}

export interface RunningService {
  ID: string;
  Version?: { Index?: number };
  Spec?: Docker.ServiceSpec;
}

/** What a service runs, in a form Swarm's returned spec and ours compare by. */
function runs(spec: Docker.ServiceSpec): Record<string, unknown> {
  const task = (spec.TaskTemplate ?? {}) as TaskSpec;
  // Docker's JSON says Healthcheck (dockerode's types say HealthCheck).
  const c = (task.ContainerSpec ?? {}) as NonNullable<TaskSpec['ContainerSpec']> & { Healthcheck?: unknown };
  return {
    image: c.Image,
    env: [...(c.Env ?? [])].sort(),
    secrets: (c.Secrets ?? []).map((s) => s.SecretName).sort(),
    healthcheck: healthcheckOf(c.Healthcheck),
    limits: task.Resources?.Limits ?? {},
    constraints: task.Placement?.Constraints ?? [],
    replicas: spec.Mode?.Replicated?.Replicas ?? 1,
  };
}

/** The health check's fields Swarm keeps (it drops StartInterval, for one). */
function healthcheckOf(h: unknown): unknown {
  if (!h) return null;
  const { Test, Interval, Timeout, Retries, StartPeriod } = h as Record<string, unknown>;
  return { Test, Interval, Timeout, Retries, StartPeriod };
}

const WHAT: Record<string, string> = {
  image: 'image',
  env: 'settings',
  secrets: 'secrets',
  healthcheck: 'health check',
  limits: 'resources',
  constraints: 'placement',
  replicas: 'replicas',
};

/** The services to create, update (with what changed, in words) and remove. Pure. */
export function planServices(running: RunningService[], wanted: Docker.CreateServiceOptions[]): ServicePlan {
  const byName = new Map(running.map((s) => [s.Spec?.Name ?? '', s]));
  const out: ServicePlan = { create: [], update: [], remove: [] };
  for (const spec of wanted) {
    const now = byName.get(spec.Name!);
    if (!now) {
      out.create.push(spec);
      continue;
    }
    const [a, b] = [runs(now.Spec ?? {}), runs(spec)];
    const what = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (what.length)
      out.update.push({ id: now.ID, version: now.Version?.Index ?? 0, spec, what: what.map((k) => WHAT[k]) });
  }
  const names = new Set(wanted.map((s) => s.Name));
  for (const s of running) if (!names.has(s.Spec?.Name)) out.remove.push({ id: s.ID, name: s.Spec?.Name ?? s.ID });
  return out;
}

const UPDATE_TIMEOUT_MS = 180_000;
/** Swarm starts a rollout within moments of the update; none by then means none is coming. */
const NO_ROLLOUT_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until Swarm says the rolling update completed; paused (a new task failed) is an error. */
async function waitUpdated(docker: Docker, id: string, name: string): Promise<void> {
  const since = Date.now();
  const deadline = since + UPDATE_TIMEOUT_MS;
  for (;;) {
    const info = (await docker.getService(id).inspect()) as {
      UpdateStatus?: { State?: string; Message?: string; StartedAt?: string };
    };
    const state = info.UpdateStatus?.State;
    // An update that replaces no task starts no rollout: nothing to wait for.
    const begun = info.UpdateStatus?.StartedAt && Date.parse(info.UpdateStatus.StartedAt) >= since - 1000;
    if (!begun && Date.now() - since > NO_ROLLOUT_MS) return;
    if (begun && state === 'completed') return;
    if (state === 'paused' || state?.startsWith('rollback'))
      throw new LabError(
        `Swarm's rolling update of ${name} stopped (${state}): ${info.UpdateStatus?.Message ?? 'a new task failed'}.`,
        'UNHEALTHY',
        `See \`docker service ps\` for ${name}'s tasks; apply the previous topology to go back.`,
      );
    if (Date.now() > deadline)
      throw new LabError(
        `Swarm's rolling update of ${name} did not complete within ${UPDATE_TIMEOUT_MS / 1000} s.`,
        'UNHEALTHY',
      );
    await sleep(300);
  }
}

/** Carries a plan out: new services first, in start order (groups of roles or service names, a
 *  service in the first group that names it or its role), then the updates, then the removals;
 *  each waited for until its tasks run (waitTasks). */
export async function applyServices(
  docker: Docker,
  p: ServicePlan,
  startOrder: string[][],
  waitTasks: (s: Docker.ServiceSpec) => Promise<void>,
  onProgress: ProgressSink,
): Promise<void> {
  const started = new Set<Docker.CreateServiceOptions>();
  const named = (s: Docker.CreateServiceOptions, group: string[]) =>
    group.includes(s.Labels![LABEL.role]!) || group.includes(s.Labels![LABEL.service]!);
  for (const roles of startOrder) {
    const group = p.create.filter((s) => !started.has(s) && named(s, roles));
    for (const s of group) started.add(s);
    await Promise.all(group.map((s) => createService(docker, s, onProgress)));
    await Promise.all(group.map((s) => waitTasks(s)));
  }
  for (const u of p.update) {
    const name = u.spec.Labels![LABEL.service];
    onProgress({ service: name, phase: 'update', message: `service update: ${u.what.join(', ')}`, at: Date.now() });
    await docker.getService(u.id).update({ ...u.spec, version: u.version });
    // A change of its tasks rolls through them one by one; replicas alone are no rollout.
    if (u.what.some((w) => w !== 'replicas')) await waitUpdated(docker, u.id, name);
    await waitTasks(u.spec);
  }
  for (const r of p.remove) {
    onProgress({ service: r.name, phase: 'remove', message: 'removing the service', at: Date.now() });
    await docker
      .getService(r.id)
      .remove()
      .catch(() => undefined);
  }
}
