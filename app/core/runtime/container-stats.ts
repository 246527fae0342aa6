// One container-stats sample (Docker's /stats JSON) to the figures ScaleLab charts.
import type { ContainerStats } from '../../contract/stack.js';

interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data?: { throttled_periods: number };
}
export interface DockerStatsJson {
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
}

export function toContainerStats(service: string, s: DockerStatsJson, at = Date.now()): ContainerStats {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - (s.precpu_stats.cpu_usage?.total_usage ?? 0);
  const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus ?? s.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  const cpuPercent = sysDelta > 0 && cpuDelta >= 0 ? (cpuDelta / sysDelta) * cpus * 100 : 0;
  // Page cache is not the process's memory: cgroup v1 reports it as "cache", v2 as "inactive_file".
  const st = s.memory_stats.stats ?? {};
  const memoryBytes = Math.max(
    0,
    (s.memory_stats.usage ?? 0) - (st.total_inactive_file ?? st.inactive_file ?? st.cache ?? 0),
  );
  const throttled =
    (s.cpu_stats.throttling_data?.throttled_periods ?? 0) - (s.precpu_stats.throttling_data?.throttled_periods ?? 0);
  return {
    service,
    at,
    cpuPercent,
    memoryBytes,
    memoryLimitBytes: s.memory_stats.limit ?? 0,
    throttledPeriods: Math.max(0, throttled),
  };
}
