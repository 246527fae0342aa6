// The expensive read's query plan (EXPLAIN ANALYZE on the primary), asked for on demand: the last
// two explanations side by side, so "before the index" and "with it" read at a glance.
import { Badge, Button, Card, Flex, Heading, Text } from '@radix-ui/themes';
import { ScanSearch } from 'lucide-react';
import { useState } from 'react';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import type { QueryPlan } from '../../contract/stack.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { useLab } from '../hooks/use-lab.js';

export function PlanView({ plan, title, testId }: { plan: QueryPlan; title: string; testId?: string }) {
  return (
    <Flex direction="column" gap="1" className="query-plan" data-testid={testId}>
      <Flex gap="2" align="center" wrap="wrap">
        <Text weight="medium">{title}</Text>
        <Badge color={plan.indexes.length ? 'green' : 'amber'} variant="soft">
          {plan.executionMs === null ? 'not executed' : `${plan.executionMs.toFixed(1)} ms`}
        </Badge>
        {plan.pages != null && (
          <Badge color="gray" variant="soft" title="8 kB pages the query touched (shared buffers hit + read)">
            {plan.pages.toLocaleString('en-US')} pages
          </Badge>
        )}
        <Text size="1" color="gray">
          {plan.indexes.length ? `indexes: ${plan.indexes.join(', ')}` : 'no index: every table read whole'}
        </Text>
      </Flex>
      <pre className="plan-text">{plan.text}</pre>
    </Flex>
  );
}

export function QueryPlanCard({ indexes }: { indexes: boolean }) {
  const lab = useLab();
  const [plans, setPlans] = useState<QueryPlan[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const explain = async () => {
    setBusy(true);
    setError(null);
    try {
      const plan = await lab.api.stack.explain({ category: 1 });
      setPlans((p) => [...p.slice(-1), plan]);
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };
  const [previous, latest] = plans.length === 2 ? plans : [null, plans[0] ?? null];
  return (
    <Card className="query-plan-card" data-testid="query-plan">
      <Flex direction="column" gap="2">
        <Flex justify="between" align="center" gap="2">
          <Heading size="2">Query plan of the expensive read</Heading>
          <Button size="1" variant="soft" onClick={() => void explain()} disabled={busy} data-testid="explain">
            <ScanSearch size={14} /> {busy ? 'Explaining…' : 'Explain'}
          </Button>
        </Flex>
        <Text size="1" color="gray">
          EXPLAIN ANALYZE of top products of category 1 on the primary (it runs the query).{' '}
          {indexes ? 'Its indexes are on.' : 'Its indexes are off: switch database.indexes on, and explain again.'}
        </Text>
        {error && <ErrorBox error={error} testId="explain-error" />}
        {latest && <PlanView plan={latest} title="now" testId="plan-latest" />}
        {previous && <PlanView plan={previous} title="before" testId="plan-previous" />}
      </Flex>
    </Card>
  );
}
