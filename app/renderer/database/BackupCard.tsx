// database.backups: pgBackRest's repository from the console: the backups in it, a full backup on
// demand, and the restore drill (the orders table dropped, the primary restored to a point before).
import { Button, Card, DataList, Flex, Heading, Text } from '@radix-ui/themes';
import { ArchiveRestore, DatabaseBackup } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { errorInfo } from '../../contract/errors.js';
import type { BackupInfo, RestoreResult } from '../../contract/stack.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { restoreRows } from './RestoreFigures.js';
import { useDrill } from './use-drill.js';
import { useAlive } from '../hooks/use-loaded.js';

const isRestoreDrill = (service: string) => service === 'restore drill';
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

export function BackupCard() {
  const { lab, busy, step, error, setError, run } = useDrill<'backup' | 'restore'>(isRestoreDrill);
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [result, setResult] = useState<RestoreResult | null>(null);
  const alive = useAlive();
  const refresh = useCallback(
    () =>
      lab.api.stack.backups().then(
        (b) => alive.current && setBackups(b),
        (err: unknown) => alive.current && setError(errorInfo(err)),
      ),
    [lab, setError, alive],
  );
  useEffect(() => void refresh(), [refresh]);
  const act = (what: 'backup' | 'restore') =>
    run(what, async () => {
      if (what === 'backup') await lab.api.stack.backup();
      else setResult(await lab.api.stack.restoreDrill());
      await refresh();
    });
  return (
    <Card className="backup-card" data-testid="backup-card">
      <Flex direction="column" gap="2">
        <Flex justify="between" align="center" gap="2" wrap="wrap">
          <Heading size="2">Backups (pgBackRest)</Heading>
          <Flex gap="2">
            <Button
              size="1"
              variant="soft"
              disabled={!!busy}
              onClick={() => void act('backup')}
              data-testid="backup-now"
            >
              <DatabaseBackup size={14} /> {busy === 'backup' ? 'Backing up…' : 'Back up now'}
            </Button>
            <Button
              size="1"
              color="red"
              variant="soft"
              disabled={!!busy || !backups.length}
              onClick={() => void act('restore')}
              data-testid="drill-restore"
            >
              <ArchiveRestore size={14} /> {busy === 'restore' ? 'Restoring…' : 'Restore drill'}
            </Button>
          </Flex>
        </Flex>
        <Text size="1" color="gray">
          WAL is archived continuously to the repository, a volume of its own. The restore drill writes orders, notes a
          point, writes more, drops the orders table, then restores the primary to that point.
        </Text>
        <Text size="1" data-testid="backup-list">
          {backups.length
            ? backups.map((b) => `${b.label} (${b.type}, ${mb(b.repoSize)})`).join(' · ')
            : 'No backup yet.'}
        </Text>
        {step && (
          <Text size="1" data-testid="restore-step">
            {step}
          </Text>
        )}
        {error && <ErrorBox error={error} testId="backup-error" />}
        {result && (
          <DataList.Root size="1" data-testid="restore-result">
            {restoreRows(result).map(([label, value, title]) => (
              <DataList.Item key={label}>
                <DataList.Label minWidth="160px">{label}</DataList.Label>
                <DataList.Value title={title}>{value}</DataList.Value>
              </DataList.Item>
            ))}
          </DataList.Root>
        )}
      </Flex>
    </Card>
  );
}
