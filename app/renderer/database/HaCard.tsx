// database.ha: the failover and switchover drills, run from the console. Each runs under its own
// writes (and whatever load runs), shows its steps as it goes and its figures when done.
import { Button, Card, Flex, Heading, Text } from '@radix-ui/themes';
import { ArrowLeftRight, Skull } from 'lucide-react';
import { useState } from 'react';
import type { DrillKind, DrillResult } from '../../contract/stack.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { DrillFigures } from './DrillFigures.js';
import { useDrill } from './use-drill.js';

const isHaDrill = (service: string) => service === 'failover drill' || service === 'switchover drill';

export function HaCard({ synchronous }: { synchronous: boolean }) {
  const { lab, busy, step, error, run: runAs } = useDrill<DrillKind>(isHaDrill);
  const [result, setResult] = useState<DrillResult | null>(null);
  const run = (kind: DrillKind) => runAs(kind, async () => setResult(await lab.api.stack.drill({ kind })));
  return (
    <Card className="ha-card" data-testid="ha-card">
      <Flex direction="column" gap="2">
        <Flex justify="between" align="center" gap="2" wrap="wrap">
          <Heading size="2">High availability drills</Heading>
          <Flex gap="2">
            <Button
              size="1"
              color="red"
              variant="soft"
              disabled={!!busy}
              onClick={() => void run('failover')}
              data-testid="drill-failover"
            >
              <Skull size={14} /> {busy === 'failover' ? 'Failing over…' : 'Failover'}
            </Button>
            <Button
              size="1"
              variant="soft"
              disabled={!!busy}
              onClick={() => void run('switchover')}
              data-testid="drill-switchover"
            >
              <ArrowLeftRight size={14} /> {busy === 'switchover' ? 'Switching over…' : 'Switchover'}
            </Button>
          </Flex>
        </Flex>
        <Text size="1" color="gray">
          Failover kills Patroni&apos;s leader; switchover hands the leadership over on purpose. Both write orders
          through the entry point and count what was acknowledged and then lost. Replication is{' '}
          {synchronous ? 'synchronous: expect none lost' : 'asynchronous: the last writes may be lost'}.
        </Text>
        {step && (
          <Text size="1" data-testid="drill-step">
            {step}
          </Text>
        )}
        {error && <ErrorBox error={error} testId="drill-error" />}
        {result && <DrillFigures result={result} testId="drill-result" />}
      </Flex>
    </Card>
  );
}
