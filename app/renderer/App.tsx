// The console: the lab (stack + run) and history, with presenter mode for projectors.
import { useMemo, useState } from 'react';
import { useShortcuts } from './components/WorkshopPanel.js';
import { useConnection } from './hooks/use-lab.js';
import { HistoryPage } from './pages/HistoryPage.js';
import { LabPage } from './pages/LabPage.js';

export function App() {
  const conn = useConnection();
  const [tab, setTab] = useState<'lab' | 'history'>('lab');
  const [presenter, setPresenter] = useState(false);
  const [workshop, setWorkshop] = useState(false);
  const [replayId, setReplayId] = useState<string | null>(null);
  useShortcuts(useMemo(() => ({ f: () => setPresenter((p) => !p) }), []));
  return (
    <div className={`app ${presenter ? 'presenter' : ''}`}>
      <header>
        <h1>ScaleLab</h1>
        <nav>
          <button className={tab === 'lab' ? 'active' : ''} data-testid="tab-lab" onClick={() => setTab('lab')}>
            Lab
          </button>
          <button
            className={tab === 'history' ? 'active' : ''}
            data-testid="tab-history"
            onClick={() => setTab('history')}
          >
            History
          </button>
          <button
            className={workshop ? 'active' : ''}
            onClick={() => setWorkshop((w) => !w)}
            data-testid="workshop-toggle"
          >
            workshop
          </button>
          <button onClick={() => setPresenter((p) => !p)} data-testid="presenter">
            {presenter ? 'normal view' : 'presenter mode'}
          </button>
        </nav>
      </header>
      {conn.state === 'connecting' && <div className="banner">connecting to the lab…</div>}
      {conn.state === 'lost' && (
        <div className="banner bad" data-testid="connection-lost">
          {conn.error}
        </div>
      )}
      {conn.state === 'connected' &&
        (tab === 'lab' ? (
          <LabPage
            workshop={workshop}
            replayId={replayId}
            onEndReplay={() => setReplayId(null)}
            onReplay={setReplayId}
          />
        ) : (
          <HistoryPage
            onReplay={(id) => {
              setReplayId(id);
              setTab('lab');
            }}
          />
        ))}
    </div>
  );
}
