// What a new user sees before anything runs: what ScaleLab is, and the two ways to begin — bring
// up stage 1 on their own Docker engine, or replay a run recorded on a real stack.
import { Button, Card, Flex, Heading, Text } from '@radix-ui/themes';
import { History, Play } from 'lucide-react';

export function FirstSteps({
  onBringUpStage1,
  onReplaySample,
  busy,
}: {
  onBringUpStage1: () => void;
  onReplaySample: (() => void) | null;
  busy: boolean;
}) {
  return (
    <Card size="3" className="first-steps" data-testid="first-steps">
      <Flex direction="column" gap="3">
        <Heading size="5">Scale a real stack, one stage at a time</Heading>
        <Text as="p" color="gray">
          ScaleLab runs a real stack on your Docker engine — load balancer, API instances, Redis, PostgreSQL with
          replicas, an edge cache — drives load at it, and charts what each change does: throughput, latency
          percentiles, errors, hit ratio, replication lag.
        </Text>
        <Text as="p" color="gray">
          Start where the course starts, with one server, and add a tier at a time; or watch a run recorded on the full
          stack (the cache switched on, a replica delayed, an instance killed) without Docker.
        </Text>
        <Flex gap="3" wrap="wrap">
          <Button size="3" onClick={onBringUpStage1} disabled={busy} data-testid="first-stage1">
            <Play size={16} /> Bring up stage 1: one server
          </Button>
          {onReplaySample && (
            <Button size="3" variant="soft" onClick={onReplaySample} data-testid="first-replay">
              <History size={16} /> Replay the sample run
            </Button>
          )}
        </Flex>
        <Text size="2" color="gray">
          Ctrl K (⌘ K) opens the command palette: every action by name. ? lists the shortcuts.
        </Text>
      </Flex>
    </Card>
  );
}
