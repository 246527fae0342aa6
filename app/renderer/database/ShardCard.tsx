// database.shards: how the shards share the work now (queries per shard, the busiest over the
// mean) and what the last re-sharding moved, from the console.
import { Card, DataList, Flex, Heading, Text } from '@radix-ui/themes';
import { Layers3 } from 'lucide-react';
import { FAMILY, SERIES } from '../../contract/series.js';
import type { RebalanceFigures } from '../../contract/stack.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { rebalanceRows } from '../../contract/shard-figures.js';

interface Props {
  shards: string[];
  mode: string;
  last: TimelinePoint | undefined;
  rebalance: RebalanceFigures | null;
}

const fmt = (v: number | null | undefined, d = 0) => (typeof v === 'number' ? v.toFixed(d) : '–');

export function ShardCard({ shards, mode, last, rebalance }: Props) {
  const v = last?.v ?? {};
  const skew = v[SERIES.dbShardSkew];
  return (
    <Card className="shard-card" data-testid="shard-card">
      <Flex direction="column" gap="2">
        <Heading size="2">
          <Layers3 size={14} /> Sharding: {shards.length} primaries by {mode} of product id
        </Heading>
        <DataList.Root size="1">
          {shards.map((s) => (
            <DataList.Item key={s}>
              <DataList.Label>{s}</DataList.Label>
              <DataList.Value>
                {fmt(v[FAMILY.dbQueriesOn.key(s === 'db-primary' ? 'primary' : s)])} queries/s
              </DataList.Value>
            </DataList.Item>
          ))}
          <DataList.Item>
            <DataList.Label title="the busiest shard's queries/s over the shards' mean: 1 is even">
              busiest / mean
            </DataList.Label>
            <DataList.Value data-testid="shard-skew">{fmt(skew, 2)}</DataList.Value>
          </DataList.Item>
        </DataList.Root>
        {rebalance ? (
          <>
            <Text size="1" weight="medium">
              Last re-sharding
            </Text>
            <DataList.Root size="1" data-testid="rebalance-figures">
              {rebalanceRows(rebalance).map(([label, value, title]) => (
                <DataList.Item key={label}>
                  <DataList.Label title={title}>{label}</DataList.Label>
                  <DataList.Value>{value}</DataList.Value>
                </DataList.Item>
              ))}
            </DataList.Root>
          </>
        ) : (
          <Text size="1" color="gray">
            Change the shards or the layout and Apply: the orders move while load runs, and what moved shows here.
          </Text>
        )}
      </Flex>
    </Card>
  );
}
