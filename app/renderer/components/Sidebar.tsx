// The console's sidebar: where each part of the work lives, with presenter mode at its foot.
import { Flex, IconButton, Text, Tooltip } from '@radix-ui/themes';
import { BookOpen, FileText, FlaskConical, Gauge, History, Projector, Settings } from 'lucide-react';
import type { ReactNode } from 'react';

export type View = 'lab' | 'workshop' | 'history' | 'capacity' | 'reports' | 'settings';

const ITEMS: Array<{ view: View; label: string; icon: ReactNode; testId: string }> = [
  { view: 'lab', label: 'Lab', icon: <FlaskConical size={18} />, testId: 'tab-lab' },
  { view: 'workshop', label: 'Workshop', icon: <BookOpen size={18} />, testId: 'workshop-toggle' },
  { view: 'history', label: 'History', icon: <History size={18} />, testId: 'tab-history' },
  { view: 'capacity', label: 'Capacity', icon: <Gauge size={18} />, testId: 'tab-capacity' },
  { view: 'reports', label: 'Reports', icon: <FileText size={18} />, testId: 'tab-reports' },
  { view: 'settings', label: 'Settings', icon: <Settings size={18} />, testId: 'tab-settings' },
];

export function Sidebar({
  view,
  onView,
  presenter,
  onPresenter,
}: {
  view: View;
  onView: (v: View) => void;
  presenter: boolean;
  onPresenter: () => void;
}) {
  return (
    <nav className="sidebar" aria-label="ScaleLab">
      <Text as="div" size="4" weight="bold" className="brand">
        ScaleLab
      </Text>
      <Flex direction="column" gap="1" asChild>
        <ul>
          {ITEMS.map((it) => (
            <li key={it.view}>
              <button
                className={`nav-item ${view === it.view ? 'active' : ''}`}
                aria-current={view === it.view ? 'page' : undefined}
                data-testid={it.testId}
                onClick={() => onView(it.view)}
              >
                {it.icon}
                <span>{it.label}</span>
              </button>
            </li>
          ))}
        </ul>
      </Flex>
      <div className="sidebar-foot">
        <Tooltip content={presenter ? 'back to the normal view (f)' : 'presenter mode for a projector (f)'}>
          <IconButton
            variant={presenter ? 'solid' : 'soft'}
            onClick={onPresenter}
            data-testid="presenter"
            aria-label={presenter ? 'normal view' : 'presenter mode'}
            aria-pressed={presenter}
          >
            <Projector size={18} />
          </IconButton>
        </Tooltip>
      </div>
    </nav>
  );
}
