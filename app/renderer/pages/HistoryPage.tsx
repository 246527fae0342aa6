// Stored runs: their figures, and two compared side by side (e.g. cache off vs on).
import { Badge, Button, Callout, Checkbox, Flex, Heading, Table, Text } from '@radix-ui/themes';
import { GitCompare, History, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import type { RunComparison, RunRecord, RunStatus } from '../../contract/runs.js';
import { useLab } from '../hooks/use-lab.js';
import { ComparisonCharts } from '../components/ComparisonCharts.js';
import { RunExportMenu } from '../components/ExportMenu.js';
import { DIFFERENCE_COLUMNS, differenceCells } from '../../contract/significance.js';
import { useAlive } from '../hooks/use-loaded.js';

const fmt = (x: number | null | undefined) =>
  typeof x !== 'number' ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3);

const STATUS_COLOR: Record<RunStatus, 'green' | 'red' | 'gray' | 'blue' | 'amber'> = {
  running: 'blue',
  passed: 'green',
  failed: 'red',
  error: 'red',
  stopped: 'gray',
  aborted: 'amber',
};

export function HistoryPage({ onReplay }: { onReplay: (id: string) => void }) {
  const lab = useLab();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [cmp, setCmp] = useState<RunComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useAlive();
  const reload = useCallback(() => {
    void lab.api.runs.list().then(
      (r) => alive.current && setRuns(r),
      (e: Error) => alive.current && setError(e.message),
    );
  }, [lab, alive]);
  useEffect(reload, [reload]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  return (
    <div className="page history">
      <Heading size="5" mb="1">
        History
      </Heading>
      <Text as="p" size="2" color="gray" mb="3">
        Every run kept, with its figures. Replay one in the Lab views, or pick two to compare them (B against A).
      </Text>
      {error && (
        <Callout.Root color="red" size="1" mb="3">
          <Callout.Text>{error}</Callout.Text>
        </Callout.Root>
      )}
      <Table.Root variant="surface" size="1" data-testid="runs">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell />
            <Table.ColumnHeaderCell>run</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>status</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>engine</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>topology</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell justify="end">req/s</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell justify="end">p95 ms</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell justify="end">errors</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell justify="end">hit ratio</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {runs.map((r) => (
            <Table.Row key={r.id} data-testid={`run-${r.id}`} data-sample={r.sample ? 'true' : 'false'}>
              <Table.Cell>
                <Checkbox
                  checked={picked.includes(r.id)}
                  onCheckedChange={() => toggle(r.id)}
                  aria-label={`pick run ${r.id}`}
                  data-testid={`pick-${r.id}`}
                />
              </Table.Cell>
              <Table.RowHeaderCell>
                {r.id}{' '}
                {r.sample ? (
                  <Badge color="indigo" title="recorded on a real stack, shipped with ScaleLab">
                    sample
                  </Badge>
                ) : null}
              </Table.RowHeaderCell>
              <Table.Cell>
                <Badge color={STATUS_COLOR[r.status]} variant="soft">
                  {r.status}
                </Badge>{' '}
                {r.summary?.measurement?.verdict === 'distorted' ? (
                  <Badge color="red" title={r.summary.measurement.reasons.join('; ')} data-testid={`distorted-${r.id}`}>
                    distorted
                  </Badge>
                ) : null}
              </Table.Cell>
              <Table.Cell>{r.engine}</Table.Cell>
              <Table.Cell>
                {r.topology
                  ? `${r.topology.api.instances} API · cache ${r.topology.cache.enabled ? 'on' : 'off'} · ${r.topology.database.replicas} replicas`
                  : '–'}
              </Table.Cell>
              <Table.Cell justify="end">{fmt(r.summary?.rps)}</Table.Cell>
              <Table.Cell justify="end">{fmt(r.summary?.latency?.p95)}</Table.Cell>
              <Table.Cell justify="end">{fmt(r.summary?.errorRate)}</Table.Cell>
              <Table.Cell justify="end">{fmt(r.summary?.hitRatio)}</Table.Cell>
              <Table.Cell>
                <Flex gap="2">
                  <Button size="1" variant="soft" onClick={() => onReplay(r.id)} data-testid={`replay-${r.id}`}>
                    <History size={12} /> Replay
                  </Button>
                  {!r.sample && (
                    <Button
                      size="1"
                      variant="ghost"
                      color="red"
                      aria-label={`delete run ${r.id}`}
                      onClick={() =>
                        void lab.api.runs.delete({ id: r.id }).then(reload, (e: Error) => setError(e.message))
                      }
                    >
                      <Trash2 size={12} />
                    </Button>
                  )}
                </Flex>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      <Flex gap="3" align="center" wrap="wrap" my="3">
        <Button
          disabled={picked.length !== 2}
          data-testid="compare"
          onClick={() =>
            void lab.api.runs.compare({ a: picked[0], b: picked[1] }).then(setCmp, (e: Error) => setError(e.message))
          }
        >
          <GitCompare size={14} /> Compare the two picked
        </Button>
        <RunExportMenu runs={picked} />
      </Flex>
      {cmp && (
        <>
          <Text as="p" size="2" color="gray">
            A is {cmp.a}, B is {cmp.b}.
          </Text>
          <Table.Root size="1" variant="surface" data-testid="comparison" my="2">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>figure</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell justify="end">A</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell justify="end">B</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell justify="end">change</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {cmp.deltas.map((d) => (
                <Table.Row key={d.figure}>
                  <Table.RowHeaderCell>{d.figure}</Table.RowHeaderCell>
                  <Table.Cell justify="end">{fmt(d.a)}</Table.Cell>
                  <Table.Cell justify="end">{fmt(d.b)}</Table.Cell>
                  <Table.Cell justify="end">{d.change === null ? '–' : `${(d.change * 100).toFixed(0)}%`}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
          <Significance s={cmp.significance} />
          <ComparisonCharts cmp={cmp} />
        </>
      )}
    </div>
  );
}

/** Whether each difference is real: B − A with its 95% interval, or why the runs are too short. */
function Significance({ s }: { s: RunComparison['significance'] }) {
  if ('unavailable' in s)
    return (
      <Text as="p" size="2" color="gray" data-testid="significance">
        Is the difference real? {s.unavailable}
      </Text>
    );
  return (
    <>
      <Table.Root size="1" variant="surface" data-testid="significance" my="2">
        <Table.Header>
          <Table.Row>
            {DIFFERENCE_COLUMNS.map((c, i) => (
              <Table.ColumnHeaderCell key={c} justify={i > 0 && i < 5 ? 'end' : undefined}>
                {c}
              </Table.ColumnHeaderCell>
            ))}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {s.differences.map((d) => {
            const [label, ...cells] = differenceCells(d);
            return (
              <Table.Row key={d.metric}>
                <Table.RowHeaderCell>{label}</Table.RowHeaderCell>
                {cells.map((c, i) => (
                  <Table.Cell key={i} justify={i < 4 ? 'end' : undefined}>
                    {i === 4 ? <Text color={d.verdict === 'no measurable difference' ? 'gray' : 'amber'}>{c}</Text> : c}
                  </Table.Cell>
                ))}
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table.Root>
      <Text as="p" size="1" color="gray">
        {s.method}
      </Text>
    </>
  );
}
