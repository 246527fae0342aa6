// The console: the lab (stack + run) and history, with presenter mode for projectors.
import { useState } from 'react';
import { useConnection } from './hooks/use-lab.js';
import { HistoryPage } from './pages/HistoryPage.js';
import { LabPage } from './pages/LabPage.js';

export function App() {
  const conn = useConnection();
  const [tab, setTab] = useState<'lab' | 'history'>('lab');
  const [presenter, setPresenter] = useState(false);
  return (
    <div className={`app ${presenter ? 'presenter' : ''}`}>
      <header>
        <h1>ScaleLab</h1>
        <nav>
          <button className={tab === 'lab' ? 'active' : ''} data-testid="tab-lab" onClick={() => setTab('lab')}>Lab</button>
          <button className={tab === 'history' ? 'active' : ''} data-testid="tab-history" onClick={() => setTab('history')}>History</button>
          <button onClick={() => setPresenter((p) => !p)} data-testid="presenter">{presenter ? 'normal view' : 'presenter mode'}</button>
        </nav>
      </header>
      {conn.state === 'connecting' && <div className="banner">connecting to the lab…</div>}
      {conn.state === 'lost' && <div className="banner bad" data-testid="connection-lost">{conn.error}</div>}
      {conn.state === 'connected' && (tab === 'lab' ? <LabPage /> : <HistoryPage />)}
    </div>
  );
}
