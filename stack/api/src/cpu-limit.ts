// How many CPUs this container may use, from its cgroup (Docker's --cpus is a CFS quota there):
// Node's os.availableParallelism() counts the host's cores and knows nothing of the quota.
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The CPUs a cgroup's quota allows (cgroup v2 `cpu.max`, "max 100000" or "50000 100000"; or v1's
 *  quota and period), or null when there is no limit. Pure. */
export function quotaCpus(cpuMax: string | null, v1?: { quota: string; period: string }): number | null {
  if (cpuMax !== null) {
    const [quota, period] = cpuMax.trim().split(/\s+/);
    if (!quota || quota === 'max' || !period) return null;
    return Number(quota) / Number(period);
  }
  if (v1 && Number(v1.quota) > 0) return Number(v1.quota) / Number(v1.period);
  return null;
}

/** Workers for a CPU limit: one per whole CPU the quota allows (a part of one still needs one),
 *  never more than the cores there are. */
export function workersFor(cpus: number | null, cores: number): number {
  if (cpus === null || !(cpus > 0)) return Math.max(1, cores);
  return Math.max(1, Math.min(cores, Math.ceil(cpus - 1e-9)));
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** This container's CPU limit now (it changes live with `docker update --cpus`). */
export function containerCpus(): number | null {
  const v1quota = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us');
  const v1period = read('/sys/fs/cgroup/cpu/cpu.cfs_period_us');
  return quotaCpus(
    read('/sys/fs/cgroup/cpu.max'),
    v1quota && v1period ? { quota: v1quota, period: v1period } : undefined,
  );
}

export const hostCores = () => os.availableParallelism();
