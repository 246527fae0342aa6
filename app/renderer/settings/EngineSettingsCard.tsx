// The engine's settings, kept by the engine in its settings file: the data folder (used from the
// next start) and the k6 binary (used from the next run). Each value is checked by the engine
// before it is saved; a refusal says why and what to do, and nothing changes.
import { Badge, Button, Card, Code, Flex, Heading, Text, TextField } from '@radix-ui/themes';
import { useEffect, useState } from 'react';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import type { EngineSettings, EngineSettingsChange } from '../../contract/settings.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { useLab } from '../hooks/use-lab.js';
import { useLoaded } from '../hooks/use-loaded.js';

const FROM: Record<EngineSettings['dataDir']['from'], string> = {
  environment: 'set by SCALELAB_HOME, which wins over this setting',
  settings: 'from this setting',
  default: 'the default',
};

function PathField({
  id,
  label,
  saved,
  placeholder,
  onSave,
  busy,
}: {
  id: string;
  label: string;
  saved: string | null;
  placeholder: string;
  onSave: (value: string | null) => void;
  busy: boolean;
}) {
  const [value, setValue] = useState(saved ?? '');
  useEffect(() => setValue(saved ?? ''), [saved]);
  return (
    <Flex direction="column" gap="1">
      <Text as="label" weight="medium" htmlFor={id}>
        {label}
      </Text>
      <Flex gap="2">
        <TextField.Root
          id={id}
          style={{ flex: 1 }}
          value={value}
          placeholder={placeholder}
          onChange={(e) => setValue(e.target.value)}
          data-testid={`setting-${id}`}
        />
        <Button
          disabled={busy || value.trim() === (saved ?? '') || value.trim() === ''}
          onClick={() => onSave(value.trim())}
          data-testid={`save-${id}`}
        >
          Save
        </Button>
        {saved && (
          <Button variant="soft" color="gray" disabled={busy} onClick={() => onSave(null)} data-testid={`reset-${id}`}>
            Forget
          </Button>
        )}
      </Flex>
    </Flex>
  );
}

export function EngineSettingsCard() {
  const lab = useLab();
  const [s, setS] = useState<EngineSettings | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  useLoaded(
    () => lab.api.settings.get(),
    [lab],
    setS,
    (e) => setError(errorInfo(e)),
  );
  const save = (change: EngineSettingsChange) => {
    setBusy(true);
    setError(null);
    lab.api.settings
      .set(change)
      .then(setS, (e: unknown) => setError(errorInfo(e)))
      .finally(() => setBusy(false));
  };
  return (
    <Card size="2" style={{ maxWidth: 640 }} data-testid="engine-settings">
      <Flex direction="column" gap="4">
        <Heading size="3">Engine</Heading>
        {error && <ErrorBox error={error} testId="engine-settings-error" />}
        {s && (
          <>
            <Flex direction="column" gap="1">
              <PathField
                id="data-dir"
                label="Data folder (runs, stack state, course progress)"
                saved={s.dataDir.saved}
                placeholder={s.dataDir.current}
                busy={busy}
                onSave={(dataDir) => save({ dataDir })}
              />
              <Text size="1" color="gray">
                In use: <Code>{s.dataDir.current}</Code> ({FROM[s.dataDir.from]}).
              </Text>
              {s.dataDir.pendingRestart && (
                <Badge color="amber" data-testid="data-dir-pending">
                  {s.dataDir.from === 'environment'
                    ? 'Saved: used from a start without SCALELAB_HOME'
                    : 'Saved: used from the next start of ScaleLab'}
                </Badge>
              )}
            </Flex>
            <Flex direction="column" gap="1">
              <PathField
                id="k6-path"
                label="k6 binary"
                saved={s.k6.saved}
                placeholder="found on PATH when empty"
                busy={busy}
                onSave={(k6Path) => save({ k6Path })}
              />
              <Text size="1" color="gray" data-testid="k6-found">
                Found now: {s.k6.found}
              </Text>
            </Flex>
            <Text size="1" color="gray">
              Kept by the engine in <Code>{s.file}</Code>.
            </Text>
          </>
        )}
      </Flex>
    </Card>
  );
}
