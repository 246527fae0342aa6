// Backups on Swarm need the primary on the manager, where pgBackRest runs in its task: refused in
// words, before anything is made, where its pin is another node (pure).
import { describe, expect, it } from 'vitest';
import { backupsProblem } from './swarm-backups.js';

describe('backups on Swarm', () => {
  it('allows them with the primary pinned to the manager, refuses them naming both nodes otherwise', () => {
    expect(backupsProblem({ 'db-primary': 'manager-1', 'db-replica-1': 'node-2' }, 'manager-1')).toBeNull();
    const problem = backupsProblem({ 'db-primary': 'node-2' }, 'manager-1');
    expect(problem?.code).toBe('BAD_INPUT');
    expect(problem?.message).toMatch(/need db-primary on the manager \(manager-1\).*pinned to node-2/);
    expect(problem?.hint).toMatch(/docker node update --label-add scalelab\.db=true manager-1/);
  });
});
