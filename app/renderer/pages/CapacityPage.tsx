// Capacity: scaling curves. A sweep to the knee at each value of one topology field, the knees
// fitted to the Universal Scalability Law and Amdahl's law, drawn over the measured points, with
// what limited each knee and the instances a target load needs; every curve kept, each one a
// capacity report to export.
import { Button, Card, Flex, Heading, Table, Text } from '@radix-ui/themes';
import { useEffect, useState } from 'react';
import { stepVerdict, type CurveResult } from '../../contract/capacity.js';
import type { Workload } from '../../contract/load.js';
import { CurveForm } from '../capacity/CurveForm.js';
import { CurveSetup, curveVerdict, FitTable, headroomLine, PointsTable } from '../capacity/CurveTables.js';
import { ScalingCurveChart } from '../capacity/ScalingCurveChart.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { CurveExportMenu } from '../components/ExportMenu.js';
import { useCurve } from '../hooks/use-curve.js';
import { useLab } from '../hooks/use-lab.js';
import { useLabSession } from '../hooks/use-lab-session.js';
import { useLoaded } from '../hooks/use-loaded.js';

function CurveView({ c }: { c: CurveResult }) {
  const plan = headroomLine(c);
  return (
    <Card className="capacity-curve" data-testid="curve-view">
      <Flex direction="column" gap="2">
        <Heading size="3">
          {c.field} = {c.request.across.values.join(', ')}
        </Heading>
        <Text as="p" size="2" data-testid="curve-verdict">
          {curveVerdict(c)}
        </Text>
        <ScalingCurveChart curve={c} />
        <FitTable c={c} />
        <PointsTable c={c} />
        {plan && (
          <Text as="p" size="2" data-testid="curve-headroom">
            {plan}
          </Text>
        )}
        <CurveSetup c={c} />
        <CurveExportMenu curve={c.id} />
      </Flex>
    </Card>
  );
}

function Measuring() {
  const { progress, steps } = useCurve();
  return (
    <Card data-testid="curve-progress">
      <Text as="div" size="2" weight="medium">
        Measuring: {progress[progress.length - 1] ?? 'starting'}
      </Text>
      {steps.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">offered/s</th>
              <th scope="col">completed/s</th>
              <th scope="col">p95 ms</th>
              <th scope="col">verdict</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s, i) => (
              <tr key={i}>
                <td className="num">{s.rate}</td>
                <td className="num">{s.achieved.toFixed(0)}</td>
                <td className="num">{s.p95?.toFixed(1) ?? '–'}</td>
                <td>{stepVerdict(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function CapacityPage() {
  const lab = useLab();
  const { stack } = useLabSession();
  const curve = useCurve();
  const [workloads, setWorkloads] = useState<Workload[]>([]);
  const [curves, setCurves] = useState<CurveResult[]>([]);
  const [picked, setPicked] = useState<string | null>(null);
  useLoaded(() => lab.api.load.workloads(), [lab], setWorkloads);
  // Reloaded when a curve ends (or stops short: what it measured is saved too).
  useLoaded(() => lab.api.capacity.curves(), [lab, curve.running], setCurves);
  useEffect(() => {
    if (curve.result) setPicked(curve.result.id);
  }, [curve.result]);
  const shown = curves.find((c) => c.id === picked) ?? curves[0] ?? null;
  const why = curve.running
    ? 'a curve is being measured'
    : !stack.status?.running
      ? 'bring a stack up in the Lab first: the curve is measured on it'
      : null;
  return (
    <div className="page capacity" data-testid="capacity">
      <Heading size="5" mb="1">
        Capacity
      </Heading>
      <Text as="p" size="2" color="gray" mb="3">
        How throughput grows as the stack does: a sweep to the knee at each value, the Universal Scalability Law fitted
        to the knees, and what limited each one.
      </Text>
      <Card mb="3">
        <CurveForm workloads={workloads} disabled={why !== null} why={why} onMeasure={(r) => void curve.measure(r)} />
      </Card>
      {curve.error && <ErrorBox error={curve.error} testId="curve-error-box" />}
      {curve.running && <Measuring />}
      <Flex gap="3" align="start" mt="3" wrap="wrap">
        <Table.Root variant="surface" size="1" data-testid="curve-list">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>curve</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>across</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell justify="end">peak N</Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {curves.length === 0 && (
              <Table.Row>
                <Table.Cell colSpan={3}>
                  <Text size="1" color="gray">
                    No curve yet.
                  </Text>
                </Table.Cell>
              </Table.Row>
            )}
            {curves.map((c) => (
              <Table.Row key={c.id} data-testid={`curve-${c.id}`}>
                <Table.RowHeaderCell>
                  <Button
                    size="1"
                    variant={shown?.id === c.id ? 'solid' : 'ghost'}
                    aria-pressed={shown?.id === c.id}
                    onClick={() => setPicked(c.id)}
                  >
                    {c.id}
                  </Button>
                </Table.RowHeaderCell>
                <Table.Cell>
                  {c.field} = {c.request.across.values.join(', ')}
                  {c.error ? ' (stopped short)' : ''}
                </Table.Cell>
                <Table.Cell justify="end">
                  {c.usl ? (c.usl.peakN === null ? 'none' : c.usl.peakN.toFixed(1)) : '–'}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
        {shown && <CurveView c={shown} />}
      </Flex>
    </div>
  );
}
