// The Lab connection as React context: every component reaches the Lab only through it.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { LabClient } from '../../rpc/client.js';

export type Connection =
  { state: 'connecting' } | { state: 'connected'; client: LabClient } | { state: 'lost'; error: string };

const LabContext = createContext<Connection>({ state: 'connecting' });

export function LabProvider({
  connect,
  children,
}: {
  connect: (onClose: () => void) => Promise<LabClient>;
  children: ReactNode;
}) {
  const [conn, setConn] = useState<Connection>({ state: 'connecting' });
  useEffect(() => {
    let alive = true;
    connect(
      () =>
        alive && setConn({ state: 'lost', error: 'the connection to the lab closed: restart `npm start` and reload' }),
    )
      .then((client) => alive && setConn({ state: 'connected', client }))
      .catch((err: Error) => alive && setConn({ state: 'lost', error: err.message }));
    return () => {
      alive = false;
    };
  }, [connect]);
  return <LabContext.Provider value={conn}>{children}</LabContext.Provider>;
}

export function useConnection(): Connection {
  return useContext(LabContext);
}

/** The client; components below a connected check may use it freely. */
export function useLab(): LabClient {
  const c = useContext(LabContext);
  if (c.state !== 'connected') throw new Error('useLab outside a connected lab');
  return c.client;
}
