// Reports: any stored run, or two compared, as HTML, PDF, CSV, JSON or a k6 summary. Built by the
// engine from the run folders alone, so a run of last month exports as well as today's.
import { Card, Checkbox, Flex, Heading, Table, Text } from '@radix-ui/themes';
import { useState } from 'react';
import type { RunRecord } from '../../contract/runs.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { RunExportMenu } from '../components/ExportMenu.js';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import { useLab } from '../hooks/use-lab.js';
import { useLoaded } from '../hooks/use-loaded.js';

export function ReportsPage() {
  const lab = useLab();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useLoaded(
    () => lab.api.runs.list(),
    [lab],
    setRuns,
    (e) => setError(errorInfo(e)),
  );
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  return (
    <div className="page" data-testid="reports">
      <Heading size="5" mb="1">
        Reports
      </Heading>
      <Text as="p" size="2" color="gray" mb="3">
        Pick a run for its report, or two to compare them (the second against the first).
      </Text>
      {error && <ErrorBox error={error} />}
      <Card mb="3">
        <RunExportMenu runs={picked} />
      </Card>
      <Table.Root variant="surface" size="1">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell />
            <Table.ColumnHeaderCell>run</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>status</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell justify="end">requests/s</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell justify="end">p95 ms</Table.ColumnHeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {runs.map((r) => (
            <Table.Row key={r.id} data-testid={`report-run-${r.id}`}>
              <Table.Cell>
                <Flex align="center" height="100%">
                  <Checkbox
                    checked={picked.includes(r.id)}
                    onCheckedChange={() => toggle(r.id)}
                    aria-label={`pick run ${r.id}`}
                  />
                </Flex>
              </Table.Cell>
              <Table.RowHeaderCell>
                {r.id}
                {r.sample ? ' (sample)' : ''}
              </Table.RowHeaderCell>
              <Table.Cell>{r.status}</Table.Cell>
              <Table.Cell justify="end">{r.summary?.rps ?? '–'}</Table.Cell>
              <Table.Cell justify="end">{r.summary?.latency?.p95 ?? '–'}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </div>
  );
}
