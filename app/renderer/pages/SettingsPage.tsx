// Settings, kept between sessions: how the console looks and what a new run starts with (kept by
// the console), and the engine's data folder and k6 binary (kept by the engine).
import { Box, Card, Flex, Heading, SegmentedControl, Select, Text } from '@radix-ui/themes';
import { useState } from 'react';
import type { Workload } from '../../contract/load.js';
import { useLab } from '../hooks/use-lab.js';
import type { Appearance } from '../settings/settings.js';
import { useSettings } from '../settings/use-settings.js';
import { EngineSettingsCard } from '../settings/EngineSettingsCard.js';
import { useLoaded } from '../hooks/use-loaded.js';

export function SettingsPage() {
  const lab = useLab();
  const { settings, update } = useSettings();
  const [workloads, setWorkloads] = useState<Workload[]>([]);
  useLoaded(() => lab.api.load.workloads(), [lab], setWorkloads);
  return (
    <div className="page" data-testid="settings">
      <Heading size="5" mb="3">
        Settings
      </Heading>
      <Card size="2" style={{ maxWidth: 640 }}>
        <Flex direction="column" gap="4">
          <Flex direction="column" gap="1">
            <Text as="label" weight="medium" id="appearance-label">
              Appearance
            </Text>
            <SegmentedControl.Root
              value={settings.appearance}
              onValueChange={(v) => update({ appearance: v as Appearance })}
              aria-labelledby="appearance-label"
              data-testid="setting-appearance"
            >
              <SegmentedControl.Item value="system">Follow the system</SegmentedControl.Item>
              <SegmentedControl.Item value="light">Light</SegmentedControl.Item>
              <SegmentedControl.Item value="dark">Dark</SegmentedControl.Item>
            </SegmentedControl.Root>
          </Flex>
          <Flex direction="column" gap="1">
            <Text as="label" weight="medium" id="engine-label">
              Load engine a run starts with
            </Text>
            <Select.Root
              value={settings.defaultEngine}
              onValueChange={(v) => update({ defaultEngine: v as 'builtin' | 'k6' })}
            >
              <Select.Trigger aria-labelledby="engine-label" data-testid="setting-engine" />
              <Select.Content>
                <Select.Item value="builtin">built-in (open model, HDR histograms)</Select.Item>
                <Select.Item value="k6">k6 (where it is found)</Select.Item>
              </Select.Content>
            </Select.Root>
          </Flex>
          <Flex direction="column" gap="1">
            <Text as="label" weight="medium" id="workload-label">
              Workload a run starts with
            </Text>
            <Select.Root value={settings.defaultWorkload} onValueChange={(v) => update({ defaultWorkload: v })}>
              <Select.Trigger aria-labelledby="workload-label" data-testid="setting-workload" />
              <Select.Content>
                {(workloads.length ? workloads.map((w) => w.name) : [settings.defaultWorkload]).map((name) => (
                  <Select.Item key={name} value={name}>
                    {name}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select.Root>
          </Flex>
          <Text size="2" color="gray">
            Kept in this console between sessions.
          </Text>
        </Flex>
      </Card>
      <Box mt="4">
        <EngineSettingsCard />
      </Box>
    </div>
  );
}
