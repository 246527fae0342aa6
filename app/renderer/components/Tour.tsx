// The first-run tour: a few steps, each pointing at a part of the console and saying what it is
// for. Shown once (skipping counts as seen); the command palette shows it again. It is a small
// non-modal card beside the part it points at, so the console stays usable while it is open.
import { Button, Card, Flex, Heading, Text } from '@radix-ui/themes';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useSettings } from '../settings/use-settings.js';

interface Step {
  /** Where it points: the first of these selectors found on screen (none: the card sits centred). */
  target: string[];
  title: string;
  body: string;
}

export const TOUR: Step[] = [
  {
    target: ['.sidebar'],
    title: 'Five views',
    body: 'Lab is the stack and its run. Workshop is the course, chapter by chapter. History keeps every run, Reports exports them, Settings holds the theme, the data folder and k6.',
  },
  {
    target: ['[data-testid="first-steps"]', '[data-testid="stack-diagram"]'],
    title: 'Start here',
    body: 'Bring up stage 1 on your Docker engine, or replay a run recorded on a real stack. Once a stack runs its graph is drawn here: edges carry the traffic measured on them, and each node’s menu (⋮) holds its faults and logs.',
  },
  {
    target: ['.controls'],
    title: 'Change the stack',
    body: 'A preset per stage, and every switch: instances, cache, replicas, edge cache. Apply changes a running stack live, and the change is a marker on the charts.',
  },
  {
    target: ['.run-controls'],
    title: 'Drive load',
    body: 'Pick a workload and a rate, and start. The built-in engine runs everywhere; k6 runs where it is found. The rate can change while load runs.',
  },
  {
    target: ['[data-testid="workshop-toggle"]'],
    title: 'The course',
    body: 'Chapters from one server to the database. Each lesson asks you to predict first, sets itself up in one click, and checks on the real stack’s figures when the step worked.',
  },
  {
    target: [],
    title: 'Everything by name',
    body: 'Ctrl K (⌘ K) opens the command palette: every action — a preset, load, a fault, a switch, an export. ? lists the shortcuts.',
  },
];

const CARD_W = 340;

function placeNear(el: Element | null): React.CSSProperties {
  if (!el) return { left: `calc(50% - ${CARD_W / 2}px)`, top: '30%' };
  const r = el.getBoundingClientRect();
  const right = r.right + 12 + CARD_W < window.innerWidth;
  const left = right ? r.right + 12 : Math.max(12, Math.min(window.innerWidth - CARD_W - 12, r.left));
  const top = right
    ? Math.max(12, Math.min(window.innerHeight - 240, r.top))
    : Math.min(window.innerHeight - 240, r.bottom + 12);
  return { left, top };
}

export function Tour() {
  const { settings, update } = useSettings();
  const [step, setStep] = useState(0);
  const [pos, setPos] = useState<React.CSSProperties>({});
  const next = useRef<HTMLButtonElement>(null);
  const open = !settings.tourSeen;
  const s = TOUR[step];
  const close = () => {
    update({ tourSeen: true });
    setStep(0);
  };
  useLayoutEffect(() => {
    if (!open) return;
    const el = s.target.map((t) => document.querySelector(t)).find(Boolean) ?? null;
    el?.classList.add('tour-target');
    setPos(placeNear(el));
    next.current?.focus();
    return () => el?.classList.remove('tour-target');
  }, [open, s]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  if (!open) return null;
  return (
    <Card
      size="2"
      className="tour"
      style={{ position: 'fixed', width: CARD_W, zIndex: 50, ...pos }}
      role="dialog"
      aria-modal="false"
      aria-labelledby="tour-title"
      data-testid="tour"
      data-step={step + 1}
    >
      <Flex direction="column" gap="2">
        <Text size="1" color="gray">
          {step + 1} of {TOUR.length}
        </Text>
        <Heading size="3" id="tour-title">
          {s.title}
        </Heading>
        <Text size="2">{s.body}</Text>
        <Flex gap="2" justify="end" mt="1">
          <Button size="1" variant="ghost" color="gray" onClick={close} data-testid="tour-skip">
            Skip the tour
          </Button>
          {step > 0 && (
            <Button size="1" variant="soft" onClick={() => setStep(step - 1)} data-testid="tour-back">
              Back
            </Button>
          )}
          <Button
            ref={next}
            size="1"
            onClick={() => (step === TOUR.length - 1 ? close() : setStep(step + 1))}
            data-testid="tour-next"
          >
            {step === TOUR.length - 1 ? 'Done' : 'Next'}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}
