// The Export menu: a run (or the two picked, compared) as HTML, PDF, CSV, JSON or a k6 summary,
// and the stack as compose or Prometheus/Grafana files. The Lab builds the file; the browser
// saves it as a download (in Electron the main process asks where, with a save dialog).
import { Button, Card, Flex, Text } from '@radix-ui/themes';
import { Download } from 'lucide-react';
import { useState } from 'react';
import type { CurveReportFormat } from '../../contract/capacity.js';
import type { ExportedFile, ReportFormat, StackExportKind } from '../../contract/reports.js';
import type { Topology } from '../../contract/topology.js';
import { useLab } from '../hooks/use-lab.js';

const FORMATS: Array<[ReportFormat, string]> = [
  ['html', 'HTML'],
  ['pdf', 'PDF'],
  ['csv', 'CSV'],
  ['json', 'JSON'],
  ['k6-summary', 'k6 summary'],
];

/** Hands the file to the browser as a download; binary content arrives base64-encoded. */
export function saveFile(file: ExportedFile): void {
  const body = file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([body], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function useExport() {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const go = (what: string, make: () => Promise<ExportedFile>) => {
    setBusy(what);
    setMessage(null);
    make()
      .then(
        (file) => {
          saveFile(file);
          setMessage({ ok: true, text: `${file.filename} (${Math.ceil(file.bytes / 1024)} KB)` });
        },
        (e: Error) => setMessage({ ok: false, text: e.message }),
      )
      .finally(() => setBusy(null));
  };
  return { busy, message, go };
}

function Status({ busy, message }: { busy: string | null; message: { ok: boolean; text: string } | null }) {
  if (busy)
    return (
      <span className="hint" data-testid="export-busy">
        making {busy}…
      </span>
    );
  if (!message) return null;
  return message.ok ? (
    <span className="hint" data-testid="export-done">
      saved {message.text}
    </span>
  ) : (
    <pre className="error" data-testid="export-error">
      {message.text}
    </pre>
  );
}

interface ExportItem {
  label: string;
  testId: string;
  disabled?: boolean;
  make: () => Promise<ExportedFile>;
}

/** One row of export buttons, each making a file and handing it to the browser, with its state. */
function ExportRow({ title, items, icon = true }: { title: string; items: ExportItem[]; icon?: boolean }) {
  const { busy, message, go } = useExport();
  return (
    <>
      <Text size="2" weight="medium">
        {title}
      </Text>
      {items.map((item) => (
        <Button
          key={item.testId}
          size="1"
          variant="soft"
          disabled={!!busy || item.disabled}
          data-testid={item.testId}
          onClick={() => go(item.label, item.make)}
        >
          {icon ? (
            <>
              <Download size={12} /> {item.label}
            </>
          ) : (
            item.label
          )}
        </Button>
      ))}
      <Status busy={busy} message={message} />
    </>
  );
}

/** Reports of the picked runs: one run, or two compared (B against A). */
export function RunExportMenu({ runs }: { runs: string[] }) {
  const lab = useLab();
  const compare = runs.length === 2;
  return (
    <Flex gap="2" align="center" wrap="wrap" className="export" data-testid="export-menu">
      <ExportRow
        title={`Export ${compare ? 'the comparison' : runs.length === 1 ? 'the picked run' : '(pick one run, or two to compare)'}`}
        icon={false}
        items={FORMATS.map(([format, label]) => ({
          label,
          testId: `export-${format}`,
          disabled: runs.length === 0 || (compare && format === 'k6-summary'),
          make: () => lab.api.reports.build({ run: runs[0], format, ...(compare ? { compare: runs[1] } : {}) }),
        }))}
      />
    </Flex>
  );
}

const STACK_KINDS: Array<[StackExportKind, string]> = [
  ['compose', 'docker-compose'],
  ['grafana', 'Prometheus + Grafana'],
  ['kubernetes', 'Kubernetes'],
];

/** The current topology as files that run without ScaleLab. */
export function StackExportMenu({ topology }: { topology: Topology | null }) {
  const lab = useLab();
  return (
    <Card size="1" className="export" data-testid="stack-export">
      <Flex gap="2" align="center" wrap="wrap">
        <ExportRow
          title="Take the stack home"
          items={STACK_KINDS.map(([kind, label]) => ({
            label,
            testId: `export-stack-${kind}`,
            disabled: !topology,
            make: () => lab.api.reports.exportStack({ kind, topology: topology! }),
          }))}
        />
      </Flex>
    </Card>
  );
}

const CURVE_FORMATS: Array<[CurveReportFormat, string]> = [
  ['html', 'HTML'],
  ['pdf', 'PDF'],
  ['json', 'JSON'],
];

/** A scaling curve's capacity report. */
export function CurveExportMenu({ curve }: { curve: string }) {
  const lab = useLab();
  return (
    <Flex gap="2" align="center" wrap="wrap" className="export" data-testid="curve-export">
      <ExportRow
        title="Capacity report"
        items={CURVE_FORMATS.map(([format, label]) => ({
          label,
          testId: `curve-export-${format}`,
          make: () => lab.api.reports.curve({ curve, format }),
        }))}
      />
    </Flex>
  );
}
