// The command palette (Ctrl+K or ⌘K): every action of the console by name — go to a view, bring up
// a stage, start or stop load, a fault on any service, a live switch, an export, the theme — and
// the shortcuts sheet (?). Built on cmdk inside a Radix dialog, so it wears the console's theme.
import { Dialog, Kbd, Table, Text, VisuallyHidden } from '@radix-ui/themes';
import { Command } from 'cmdk';
import { useEffect, useMemo, useState } from 'react';
import type { Workload } from '../../contract/load.js';
import { DRILL_KINDS, type FaultKind, type ServiceStatus } from '../../contract/stack.js';
import type { PresetInfo } from '../../contract/topology.js';
import { useLab } from '../hooks/use-lab.js';
import { useLabSession } from '../hooks/use-lab-session.js';
import { useSettings } from '../settings/use-settings.js';
import { saveFile } from './ExportMenu.js';
import type { View } from './Sidebar.js';
import { useLoaded } from '../hooks/use-loaded.js';

export interface PaletteAction {
  id: string;
  group: string;
  label: string;
  run: () => unknown;
}

/** The faults that make sense for a service in its state. */
export function faultsFor(s: ServiceStatus): FaultKind[] {
  if (s.state === 'paused') return ['unpause'];
  if (s.state !== 'running') return ['start'];
  if (s.role === 'api') return ['kill', 'pause', 'restart', 'slow', 'unslow'];
  // Under HA any node may lead: kill one and Patroni fails over; etcd members can be lost.
  if (s.ports.patroni) return ['kill', 'stop', 'pause'];
  if (s.role === 'etcd') return ['stop', 'pause'];
  if (/^db-replica-/.test(s.name)) return ['pause-replay', 'resume-replay', 'stop'];
  return ['stop', 'restart'];
}

export const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl K / ⌘ K', 'command palette'],
  ['?', 'this sheet'],
  ['f', 'presenter mode on or off'],
  ['n / p', 'workshop: next or previous lesson'],
  ['s', 'workshop: start or stop load'],
  ['c', 'workshop: cache on or off'],
];

export function CommandPalette({ onView, onPresenter }: { onView: (v: View) => void; onPresenter: () => void }) {
  const lab = useLab();
  const { stack, run } = useLabSession();
  const { settings, update } = useSettings();
  const [open, setOpen] = useState(false);
  const [sheet, setSheet] = useState(false);
  const [presets, setPresets] = useState<PresetInfo[]>([]);
  const [workloads, setWorkloads] = useState<Workload[]>([]);

  useLoaded(() => lab.api.stack.presets(), [lab], setPresets);
  useLoaded(() => lab.api.load.workloads(), [lab], setWorkloads);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen((o) => !o);
        return;
      }
      const el = e.target as HTMLElement | null;
      const typing = el && (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) || el.isContentEditable);
      if (e.key === '?' && !typing) setSheet(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const status = stack.status;
  const topology = status?.topology ?? null;
  const actions = useMemo((): PaletteAction[] => {
    const list: PaletteAction[] = [];
    const add = (group: string, id: string, label: string, fn: () => unknown) =>
      list.push({ id, group, label, run: fn });
    for (const [v, label] of [
      ['lab', 'Lab'],
      ['workshop', 'Workshop'],
      ['history', 'History'],
      ['capacity', 'Capacity (scaling curves)'],
      ['reports', 'Reports'],
      ['settings', 'Settings'],
    ] as Array<[View, string]>)
      add('Go to', `go-${v}`, label, () => onView(v));
    for (const p of presets) {
      const req = { preset: p.name, ...(topology ? { topology: { ports: topology.ports } } : {}) };
      add('Stack', `preset-${p.name}`, `${status?.running ? 'Change to' : 'Bring up'}: ${p.title}`, () =>
        stack.act(status?.running ? 'apply' : 'up', () =>
          status?.running ? lab.api.stack.apply(req) : lab.api.stack.up(req),
        ),
      );
    }
    if (status?.running)
      add('Stack', 'down', 'Take the stack down', () => stack.act('down', () => lab.api.stack.down()));
    if (run.running) add('Load', 'stop', 'Stop load', () => run.stop());
    else
      for (const w of workloads) {
        add('Load', `start-${w.name}`, `Start load: ${w.name}`, () =>
          run.start({ workload: w.name, engine: settings.defaultEngine }),
        );
        // The objective the workload's own p95 threshold sets, else 200 ms.
        const objective = w.thresholds.http_req_duration?.find((t) => /^p\(95\)</.test(t)) ?? 'p(95)<200';
        add('Load', `sweep-${w.name}`, `Find the knee: ${w.name}, ${objective}`, () =>
          run.sweep({ workload: w.name, objective }),
        );
      }
    if (topology && status?.running) {
      const set = (label: string, field: string, value: string | number | boolean) =>
        add('Switch', `set-${field}`, label, () =>
          stack.act('apply', () => lab.api.stack.apply({ set: { [field]: value } })),
        );
      set(`Cache ${topology.cache.enabled ? 'off' : 'on'}`, 'cache.enabled', !topology.cache.enabled);
      set(`Edge cache ${topology.edgeCache.enabled ? 'off' : 'on'}`, 'edgeCache.enabled', !topology.edgeCache.enabled);
      set(
        `Read-your-writes ${topology.database.readYourWrites ? 'off' : 'on'}`,
        'database.readYourWrites',
        !topology.database.readYourWrites,
      );
      set(
        `Monitoring (Prometheus, Alertmanager) ${topology.monitoring.enabled ? 'off' : 'on'}`,
        'monitoring.enabled',
        !topology.monitoring.enabled,
      );
      const pooled = topology.database.pooler === 'pgbouncer';
      set(`Connection pooler (PgBouncer) ${pooled ? 'off' : 'on'}`, 'database.pooler', pooled ? 'none' : 'pgbouncer');
      if (topology.edgeCache.enabled)
        add('Stack', 'purge-edge', 'Purge the edge cache (everything it keeps)', () =>
          stack.act('purge', () => lab.api.stack.purge({})),
        );
      if (topology.loadBalancer.enabled)
        set(
          `Autoscaling ${topology.api.autoscale.enabled ? 'off' : 'on'}`,
          'api.autoscale.enabled',
          !topology.api.autoscale.enabled,
        );
      if (topology.loadBalancer.enabled && topology.api.instances < 8)
        set(`API instances: ${topology.api.instances + 1}`, 'api.instances', topology.api.instances + 1);
      if (topology.api.instances > 1)
        set(`API instances: ${topology.api.instances - 1}`, 'api.instances', topology.api.instances - 1);
      // The next API version, built from the API as built (no regression); then a rolling deploy to it.
      const next = `v${Number(/^v(\d+)/.exec(topology.api.version)?.[1] ?? 1) + 1}`;
      add('Deploy', `build-${next}`, `Build API version ${next}`, () =>
        stack.act('build', () => lab.api.stack.buildVersion({ name: next })),
      );
      set(`Deploy API version ${next} (rolling)`, 'api.version', next);
      if (topology.loadBalancer.enabled) {
        // A broken build of the next version (slower, failing) for the canary to catch.
        const broken = `${next}-broken`;
        add('Deploy', `build-${broken}`, `Build API version ${broken} (+80 ms, 20% errors)`, () =>
          stack.act('build', () => lab.api.stack.buildVersion({ name: broken, latencyMs: 80, errorRate: 0.2 })),
        );
        for (const [version, strategy] of [
          [next, 'blue-green'],
          [next, 'canary'],
          [broken, 'canary'],
        ] as const)
          add('Deploy', `deploy-${version}-${strategy}`, `Deploy API version ${version} (${strategy})`, () =>
            stack.act('deploy', () => lab.api.stack.deploy({ version, strategy })),
          );
      }
      if (topology.database.replicas < 3)
        set(`Read replicas: ${topology.database.replicas + 1}`, 'database.replicas', topology.database.replicas + 1);
      if (topology.database.replicas > 0)
        set(`Read replicas: ${topology.database.replicas - 1}`, 'database.replicas', topology.database.replicas - 1);
      if (topology.database.replicas > 0)
        set(`High availability (Patroni) ${topology.database.ha ? 'off' : 'on'}`, 'database.ha', !topology.database.ha);
      if (!topology.database.ha)
        set(
          `Backups (pgBackRest) ${topology.database.backups ? 'off' : 'on'}`,
          'database.backups',
          !topology.database.backups,
        );
      if (topology.database.backups) {
        add('Drill', 'backup-now', 'Full backup now (pgBackRest)', () =>
          stack.act('backup', () => lab.api.stack.backup()),
        );
        add('Drill', 'drill-restore', 'Restore drill: drop the orders table, restore to a point before it', () =>
          stack.act('drill', () => lab.api.stack.restoreDrill()),
        );
      }
      if (topology.database.ha) {
        set(
          `Synchronous standby ${topology.database.synchronous ? 'off' : 'on'}`,
          'database.synchronous',
          !topology.database.synchronous,
        );
        for (const kind of DRILL_KINDS)
          add('Drill', `drill-${kind}`, `${kind === 'failover' ? 'Failover' : 'Switchover'} drill (Patroni)`, () =>
            stack.act('drill', () => lab.api.stack.drill({ kind })),
          );
      }
      for (const s of status.services.filter((x) => !x.remote))
        for (const kind of faultsFor(s))
          add('Fault', `fault-${s.name}-${kind}`, `${kind} ${s.name}`, () =>
            stack.act('fault', () => lab.api.stack.fault({ service: s.name, kind })),
          );
      // On a Swarm: drain a node (its tasks move to the others), or make a drained one active.
      for (const n of status.nodes ?? []) {
        const availability = n.availability === 'drain' ? 'active' : 'drain';
        add(
          'Node',
          `node-${n.hostname}-${availability}`,
          `${availability === 'drain' ? 'Drain' : 'Make active'} node ${n.hostname}`,
          () => stack.act('node', () => lab.api.stack.node({ hostname: n.hostname, availability })),
        );
      }
    }
    add('Export', 'export-last-html', 'Report of the last run (HTML)', async () =>
      saveFile(await lab.api.reports.build({ run: 'last', format: 'html' })),
    );
    add('View', 'presenter', 'Presenter mode on or off', onPresenter);
    for (const a of ['system', 'light', 'dark'] as const)
      add('View', `theme-${a}`, `Theme: ${a === 'system' ? 'follow the system' : a}`, () => update({ appearance: a }));
    add('View', 'shortcuts', 'Keyboard shortcuts', () => setSheet(true));
    add('View', 'tour', 'Take the tour of the console', () => {
      onView('lab');
      update({ tourSeen: false });
    });
    return list;
  }, [lab, stack, run, status, topology, presets, workloads, settings.defaultEngine, update, onView, onPresenter]);

  const groups = [...new Set(actions.map((a) => a.group))];
  const choose = (a: PaletteAction) => {
    setOpen(false);
    void Promise.resolve()
      .then(a.run)
      .catch(() => undefined); // a failed action shows its error where the stack or run shows errors
  };

  return (
    <>
      <Dialog.Root open={open} onOpenChange={setOpen}>
        <Dialog.Content maxWidth="560px" className="palette" data-testid="palette" aria-describedby={undefined}>
          <VisuallyHidden>
            <Dialog.Title>Command palette</Dialog.Title>
          </VisuallyHidden>
          <Command label="Command palette" loop>
            <Command.Input placeholder="Type a command: bring up, start load, kill api-2, cache on…" autoFocus />
            <Command.List>
              <Command.Empty>Nothing matches.</Command.Empty>
              {groups.map((g) => (
                <Command.Group key={g} heading={g}>
                  {actions
                    .filter((a) => a.group === g)
                    .map((a) => (
                      <Command.Item
                        key={a.id}
                        value={`${a.group} ${a.label}`}
                        onSelect={() => choose(a)}
                        data-testid={`cmd-${a.id}`}
                      >
                        {a.label}
                      </Command.Item>
                    ))}
                </Command.Group>
              ))}
            </Command.List>
          </Command>
        </Dialog.Content>
      </Dialog.Root>
      <Dialog.Root open={sheet} onOpenChange={setSheet}>
        <Dialog.Content maxWidth="440px" data-testid="shortcuts" aria-describedby={undefined}>
          <Dialog.Title>Keyboard shortcuts</Dialog.Title>
          <Table.Root size="1">
            <Table.Body>
              {SHORTCUTS.map(([keys, what]) => (
                <Table.Row key={keys}>
                  <Table.RowHeaderCell>
                    <Kbd>{keys}</Kbd>
                  </Table.RowHeaderCell>
                  <Table.Cell>
                    <Text>{what}</Text>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Dialog.Content>
      </Dialog.Root>
    </>
  );
}
