// monitoring.enabled: the stack's own Prometheus and Alertmanager from the console: the alerts
// firing now (Alertmanager, every two seconds), where to open each UI, and a PromQL box: a query
// tried on the stack's own metrics, and charted (monitoring.queries) beside the console's series.
import { Badge, Button, Card, Flex, Heading, IconButton, Table, Text, TextField } from '@radix-ui/themes';
import { BellRing, ChartLine, Search, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import { MAX_CHARTED_QUERIES, type ActiveAlertInfo, type QueryAnswer } from '../../contract/monitoring.js';
import type { StackStatus } from '../../contract/stack.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { useLab } from '../hooks/use-lab.js';
import { useLabSession } from '../hooks/use-lab-session.js';

const POLL_MS = 2000;
const since = (ms: number) => `${Math.max(0, Math.round((Date.now() - ms) / 1000))} s`;

function useAlerts(): { alerts: ActiveAlertInfo[]; error: ErrorInfo | null } {
  const lab = useLab();
  const [alerts, setAlerts] = useState<ActiveAlertInfo[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    let live = true;
    const look = () =>
      lab.api.monitoring.alerts().then(
        (a) => {
          if (!live) return;
          setAlerts(a);
          setError(null);
        },
        (e: unknown) => live && setError(errorInfo(e)),
      );
    void look();
    const timer = setInterval(() => void look(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [lab]);
  return { alerts, error };
}

/** The queries charted beside the console's own series (monitoring.queries), each removable. */
function ChartedQueries({ queries, onChange }: { queries: string[]; onChange: (next: string[]) => void }) {
  if (!queries.length) return null;
  return (
    <Flex gap="1" wrap="wrap" align="center" data-testid="charted-queries">
      <Text size="1" color="gray">
        Charted each second of a run:
      </Text>
      {queries.map((q, i) => (
        <Badge key={q} variant="soft">
          <code>{q}</code>
          <IconButton
            size="1"
            variant="ghost"
            aria-label={`stop charting ${q}`}
            onClick={() => onChange(queries.filter((_, j) => j !== i))}
          >
            <X size={12} />
          </IconButton>
        </Badge>
      ))}
    </Flex>
  );
}

function QueryBox({ queries, onChart }: { queries: string[]; onChart: ((next: string[]) => void) | null }) {
  const lab = useLab();
  const [expr, setExpr] = useState('sum by (instance) (rate(scalelab_http_requests_total[30s]))');
  const [answer, setAnswer] = useState<QueryAnswer | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const ask = () =>
    lab.api.monitoring.query({ expr }).then(
      (a) => {
        setAnswer(a);
        setError(null);
      },
      (e: unknown) => setError(errorInfo(e)),
    );
  return (
    <Flex direction="column" gap="1">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <Flex gap="2" align="center">
          <TextField.Root
            size="1"
            className="promql"
            value={expr}
            onChange={(e) => setExpr(e.target.value)}
            aria-label="PromQL query"
            data-testid="promql"
          />
          <Button size="1" variant="soft" type="submit" data-testid="promql-run">
            <Search size={14} /> Query
          </Button>
          <Button
            size="1"
            variant="soft"
            type="button"
            disabled={!onChart || queries.includes(expr.trim()) || queries.length >= MAX_CHARTED_QUERIES}
            title={`a chart of its own, asked each second of a run (at most ${MAX_CHARTED_QUERIES})`}
            onClick={() => onChart?.([...queries, expr.trim()])}
            data-testid="promql-chart"
          >
            <ChartLine size={14} /> Chart it
          </Button>
        </Flex>
      </form>
      {error && <ErrorBox error={error} testId="promql-error" />}
      {answer && (
        <Text size="1" data-testid="promql-answer">
          {answer.series.length
            ? answer.series
                .map((s) => {
                  const labels = Object.entries(s.labels)
                    .filter(([k]) => k !== '__name__')
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ');
                  return `${labels || 'value'}: ${s.value === null ? 'NaN' : +s.value.toPrecision(4)}`;
                })
                .join(' · ')
            : 'no series'}
        </Text>
      )}
    </Flex>
  );
}

export function MonitoringCard({ status }: { status: StackStatus }) {
  const { alerts, error } = useAlerts();
  const lab = useLab();
  const { stack } = useLabSession();
  const monitoring = status.topology?.monitoring;
  const custom = monitoring?.rules !== null;
  const queries = monitoring?.queries ?? [];
  const chart = (next: string[]) =>
    void stack.act('apply', () => lab.api.stack.apply({ topology: { monitoring: { ...monitoring!, queries: next } } }));
  return (
    <Card className="monitoring-card" data-testid="monitoring-card">
      <Flex direction="column" gap="2">
        <Flex justify="between" align="center" gap="2" wrap="wrap">
          <Heading size="2">
            <BellRing size={16} /> Alerts (Prometheus → Alertmanager)
          </Heading>
          <Badge color={alerts.length ? 'red' : 'green'} data-testid="alerts-count">
            {alerts.length ? `${alerts.length} firing` : 'none firing'}
          </Badge>
        </Flex>
        <Text size="1" color="gray">
          Prometheus <code>{status.prometheusUrl ?? '…'}</code> scrapes every part and evaluates{' '}
          {custom ? 'your own rules file' : 'the rules made from the Monitoring thresholds'}; Alertmanager{' '}
          <code>{status.alertmanagerUrl ?? '…'}</code> holds what fires. Each alert that fires or resolves is a marker
          of the run.
        </Text>
        {error && <ErrorBox error={error} testId="alerts-error" />}
        {alerts.length > 0 && (
          <Table.Root size="1" data-testid="alerts">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>alert</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>on</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>for</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>what</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {alerts.map((a) => (
                <Table.Row key={`${a.name}-${a.instance ?? ''}`} data-testid="alert-row">
                  <Table.Cell>
                    <Badge color={a.severity === 'page' ? 'red' : 'amber'}>{a.name}</Badge>
                  </Table.Cell>
                  <Table.Cell>{a.instance ?? '–'}</Table.Cell>
                  <Table.Cell>{since(a.startsAt)}</Table.Cell>
                  <Table.Cell>{a.summary}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        )}
        <QueryBox queries={queries} onChart={stack.busy || !monitoring ? null : chart} />
        <ChartedQueries queries={queries} onChange={chart} />
      </Flex>
    </Card>
  );
}
