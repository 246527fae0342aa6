import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StackStatus } from '../../contract/stack.js';
import { StackDiagram } from './StackDiagram.js';
import { svc } from '../testing/service-status.js';

const status: StackStatus = {
  stack: 't',
  running: true,
  topology: null,
  entryUrl: null,
  lbUrl: null,
  edgeUrl: null,
  statsUrl: null,
  services: [
    svc('lb', 'lb'),
    svc('api-1', 'api'),
    svc('api-2', 'api'),
    svc('api-3', 'api', 'exited'),
    svc('db-primary', 'db'),
    svc('db-replica-1', 'db'),
  ],
};

describe('the stack diagram', () => {
  it("shows each instance's requests and share, replica lag, and a stopped service in red", () => {
    render(
      <StackDiagram
        status={status}
        last={{
          t: 0,
          v: {
            'api.api-1.rps': 30,
            'api.api-2.rps': 10,
            'load.rps': 40,
            'lag.db-replica-1.seconds': 0.25,
            'lag.db-replica-1.idle': 0,
          },
        }}
      />,
    );
    expect(screen.getByTestId('node-api-1').textContent).toMatch(/30 req\/s · 75%/);
    expect(screen.getByTestId('node-api-2').textContent).toMatch(/10 req\/s · 25%/);
    expect(screen.getByTestId('node-db-replica-1').textContent).toMatch(/lag 0\.25 s/);
    expect(screen.getByTestId('node-api-3').className).toMatch(/node-bad/);
    expect(screen.getByTestId('node-api-3').textContent).toMatch(/exited/);
  });
});
