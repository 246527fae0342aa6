// monitoring.*: the stack's Prometheus and Alertmanager, reached through their loopback ports;
// rules checked by promtool in Prometheus's container, and set through apply like any field.
import type { MonitoringApi, StackApi } from '../../contract/lab-api.js';
import { LabError } from '../../contract/errors.js';
import { SERVICE } from '../../contract/services.js';
import type { ServiceStatus } from '../../contract/stack.js';
import { alertRulesYaml } from '../monitoring/alert-rules.js';
import { readAlerts } from '../monitoring/alerts.js';
import { instantQuery, readTargets } from '../monitoring/prometheus-api.js';
import { StackNotRunningError } from '../runtime/errors.js';
import type { StackRuntime } from '../runtime/stack-runtime.js';

export interface MonitoringServiceDeps {
  runtime: StackRuntime;
  stack: string;
  /** stack.apply: a rules file is a topology field like any other. */
  apply: StackApi['apply'];
}

class MonitoringOffError extends LabError {
  constructor(stack: string, what: string) {
    super(
      `Monitoring is off in stack "${stack}": no ${what} runs.`,
      'BAD_INPUT',
      'Switch it on: `scalelab apply --set monitoring.enabled=true` (or the Monitoring switch in the console).',
    );
  }
}

export function createMonitoringApi({ runtime, stack, apply }: MonitoringServiceDeps): MonitoringApi {
  /** The loopback address of a monitoring service's port, refused clearly when it does not run. */
  const address = async (service: string, purpose: string): Promise<string> => {
    const services: ServiceStatus[] = await runtime.services(stack);
    if (!services.length) throw new StackNotRunningError(stack);
    const s = services.find((x) => x.name === service);
    if (!s) throw new MonitoringOffError(stack, service === SERVICE.prometheus ? 'Prometheus' : 'Alertmanager');
    const port = s.ports[purpose];
    if (s.state !== 'running' || !port)
      throw new LabError(
        `${service} is ${s.state}.`,
        'BAD_INPUT',
        `Start it again: \`scalelab fault start ${service}\`.`,
      );
    return `http://${port}`;
  };
  const running = async () => {
    const t = await runtime.topology(stack);
    if (!t) throw new StackNotRunningError(stack);
    if (!t.monitoring.enabled) throw new MonitoringOffError(stack, 'Prometheus');
    return t;
  };
  return {
    alerts: async () => {
      const alerts = await readAlerts(await address(SERVICE.alertmanager, 'alerts'));
      if (!alerts)
        throw new LabError('Alertmanager does not answer.', 'BAD_INPUT', 'See `scalelab logs alertmanager`.');
      return alerts.map(({ fingerprint: _f, ...a }) => a);
    },
    targets: async () => readTargets(await address(SERVICE.prometheus, 'monitor')),
    rules: async () => {
      const t = await running();
      return { yaml: alertRulesYaml(t), custom: t.monitoring.rules !== null };
    },
    checkRules: async ({ yaml }) => {
      await running();
      return runtime.checkAlertRules(stack, yaml);
    },
    setRules: async ({ yaml }) => {
      const t = await running();
      if (yaml !== null) {
        const check = await runtime.checkAlertRules(stack, yaml);
        if (!check.ok)
          throw new LabError(
            `promtool refused the rules file: ${check.output}`,
            'BAD_INPUT',
            'Fix it and try again; nothing changed.',
          );
      }
      return apply({ topology: { monitoring: { ...t.monitoring, rules: yaml } } });
    },
    query: async ({ expr }) => instantQuery(await address(SERVICE.prometheus, 'monitor'), expr),
  };
}
