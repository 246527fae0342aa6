// The console: a sidebar (Lab, Workshop, History, Capacity, Reports, Settings) beside the view, in Radix UI
// Themes (light or dark, following the system or the setting; presenter mode is a dark, larger
// theme for projectors).
import { Theme } from '@radix-ui/themes';
import { useCallback, useMemo, useState } from 'react';
import { CommandPalette } from './components/CommandPalette.js';
import { ErrorToasts } from './components/Toasts.js';
import { Tour } from './components/Tour.js';
import { Sidebar, type View } from './components/Sidebar.js';
import { useShortcuts } from './hooks/use-shortcuts.js';
import { useConnection } from './hooks/use-lab.js';
import { LabSessionProvider } from './hooks/use-lab-session.js';
import { CurveProvider } from './hooks/use-curve.js';
import { CapacityPage } from './pages/CapacityPage.js';
import { HistoryPage } from './pages/HistoryPage.js';
import { LabPage } from './pages/LabPage.js';
import { ReportsPage } from './pages/ReportsPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { useResolvedAppearance } from './settings/use-settings.js';

export function App() {
  const conn = useConnection();
  const [view, setView] = useState<View>('lab');
  const [presenter, setPresenter] = useState(false);
  const [replayId, setReplayId] = useState<string | null>(null);
  const appearance = useResolvedAppearance();
  const togglePresenter = useCallback(() => setPresenter((p) => !p), []);
  useShortcuts(useMemo(() => ({ f: togglePresenter }), [togglePresenter]));
  const onLab = view === 'lab' || view === 'workshop';
  return (
    <Theme
      appearance={presenter ? 'dark' : appearance}
      accentColor="indigo"
      grayColor="slate"
      radius="medium"
      scaling={presenter ? '110%' : '100%'}
    >
      <div className={`app shell ${presenter ? 'presenter' : ''}`} data-appearance={presenter ? 'dark' : appearance}>
        <Sidebar view={view} onView={setView} presenter={presenter} onPresenter={togglePresenter} />
        <main className="main">
          {conn.state === 'connecting' && <div className="banner">connecting to the lab…</div>}
          {conn.state === 'lost' && (
            <div className="banner bad" data-testid="connection-lost">
              {conn.error}
            </div>
          )}
          {conn.state === 'connected' && (
            <LabSessionProvider>
              <CurveProvider>
                {onLab && (
                  <LabPage
                    workshop={view === 'workshop'}
                    replayId={replayId}
                    onEndReplay={() => setReplayId(null)}
                    onReplay={setReplayId}
                  />
                )}
                {view === 'history' && (
                  <HistoryPage
                    onReplay={(id) => {
                      setReplayId(id);
                      setView('lab');
                    }}
                  />
                )}
                {view === 'capacity' && <CapacityPage />}
                {view === 'reports' && <ReportsPage />}
                {view === 'settings' && <SettingsPage />}
                <CommandPalette onView={setView} onPresenter={togglePresenter} />
                {view === 'lab' && <Tour />}
                <ErrorToasts />
              </CurveProvider>
            </LabSessionProvider>
          )}
        </main>
      </div>
    </Theme>
  );
}
