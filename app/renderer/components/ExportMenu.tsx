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

/** Reports of the picked runs: one run, or two compared (B against A). */
export function RunExportMenu({ runs }: { runs: string[] }) {
  const lab = useLab();
  const { busy, message, go } = useExport();
  const compare = runs.length === 2;
  return (
    <Flex gap="2" align="center" wrap="wrap" className="export" data-testid="export-menu">
      <Text size="2" weight="medium">
        Export {compare ? 'the comparison' : runs.length === 1 ? 'the picked run' : '(pick one run, or two to compare)'}
      </Text>
      {FORMATS.map(([format, label]) => (
        <Button
          key={format}
          size="1"
          variant="soft"
          disabled={!!busy || runs.length === 0 || (compare && format === 'k6-summary')}
          data-testid={`export-${format}`}
          onClick={() =>
            go(label, () => lab.api.reports.build({ run: runs[0], format, ...(compare ? { compare: runs[1] } : {}) }))
          }
        >
          {label}
        </Button>
      ))}
      <Status busy={busy} message={message} />
    </Flex>
  );
}

/** The current topology as files that run without ScaleLab. */
export function StackExportMenu({ topology }: { topology: Topology | null }) {
  const lab = useLab();
  const { busy, message, go } = useExport();
  const kinds: Array<[StackExportKind, string]> = [
    ['compose', 'docker-compose'],
    ['grafana', 'Prometheus + Grafana'],
    ['kubernetes', 'Kubernetes'],
  ];
  return (
    <Card size="1" className="export" data-testid="stack-export">
      <Flex gap="2" align="center" wrap="wrap">
        <Text size="2" weight="medium">
          Take the stack home
        </Text>
        {kinds.map(([kind, label]) => (
          <Button
            key={kind}
            size="1"
            variant="soft"
            disabled={!!busy || !topology}
            data-testid={`export-stack-${kind}`}
            onClick={() => go(label, () => lab.api.reports.exportStack({ kind, topology: topology! }))}
          >
            <Download size={12} /> {label}
          </Button>
        ))}
        <Status busy={busy} message={message} />
      </Flex>
    </Card>
  );
}

/** A scaling curve's capacity report. */
export function CurveExportMenu({ curve }: { curve: string }) {
  const lab = useLab();
  const { busy, message, go } = useExport();
  const formats: Array<[CurveReportFormat, string]> = [
    ['html', 'HTML'],
    ['pdf', 'PDF'],
    ['json', 'JSON'],
  ];
  return (
    <Flex gap="2" align="center" wrap="wrap" className="export" data-testid="curve-export">
      <Text size="2" weight="medium">
        Capacity report
      </Text>
      {formats.map(([format, label]) => (
        <Button
          key={format}
          size="1"
          variant="soft"
          disabled={!!busy}
          data-testid={`curve-export-${format}`}
          onClick={() => go(label, () => lab.api.reports.curve({ curve, format }))}
        >
          <Download size={12} /> {label}
        </Button>
      ))}
      <Status busy={busy} message={message} />
    </Flex>
  );
}
