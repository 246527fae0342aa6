import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { LABEL } from './names.js';
import { GATEWAY_LABEL, resolveTasks } from './swarm-tasks.js';

const task = (id: string, slot: number, state: string, created: number): Docker.ContainerInfo =>
  ({
    Id: id,
    State: state,
    Created: created,
    Labels: {
      [LABEL.service]: 'api-{{.Task.Slot}}',
      'com.docker.swarm.task.name': `scalelab-s-api.${slot}.${id}xyz`,
    },
  }) as unknown as Docker.ContainerInfo;

describe("a Swarm task's container as one of the stack's", () => {
  it('is named by its slot, reached at its gateway address, and a replaced task is left out', () => {
    const lb = {
      Id: 'lb',
      State: 'running',
      Created: 1,
      Labels: { [LABEL.service]: 'lb' },
    } as unknown as Docker.ContainerInfo;
    const list = [
      lb,
      task('a', 1, 'running', 10),
      task('b', 2, 'exited', 10),
      task('c', 2, 'running', 20),
      task('d', 3, 'exited', 30),
    ];
    const out = resolveTasks(
      list,
      new Map([
        ['a', '172.21.0.4'],
        ['c', '172.21.0.5'],
      ]),
    );
    expect(out.map((c) => [c.Id, c.Labels[LABEL.service], c.Labels[GATEWAY_LABEL] ?? null])).toEqual([
      ['lb', 'lb', null],
      ['a', 'api-1', '172.21.0.4'],
      ['c', 'api-2', '172.21.0.5'],
      // A slot with no running task shows its newest (a dead instance is a fact the diagram shows).
      ['d', 'api-3', null],
    ]);
  });
});
