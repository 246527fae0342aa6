import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { executionSegments } from '../load/k6-segments.js';
import { generatorOfSlot, K6_LABEL, k6ServiceSpec, taskExit } from './swarm-k6-spec.js';

const input = (generators: number, nodes: number) => ({
  stack: 's',
  image: '10.0.0.1:5000/grafana/k6:1.3.0',
  entrypoint: ['k6'],
  args: ['run', '-q', '--out', 'json=-', '--paused'],
  segments: executionSegments(generators),
  network: 'scalelab-s',
  configs: [{ path: '/scalelab/workload.js', id: 'c1', name: 'scalelab-s-k6-workload-js-abc' }],
  script: '/scalelab/workload.js',
  nodes,
});

describe('k6 as a Swarm service', () => {
  it('runs one replica a segment, each picking its own by its slot before the image entrypoint', () => {
    const spec = k6ServiceSpec(input(3, 3));
    const c = (spec.TaskTemplate as Docker.ContainerTaskSpec).ContainerSpec!;
    expect(spec.Name).toBe('scalelab-s-k6');
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(c.Command!.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    // "$@" is the entrypoint and k6's arguments; the segment and the script come after them.
    expect(c.Command![2]).toMatch(/exec "\$@" --execution-segment "\$seg"/);
    expect(c.Args).toEqual(['k6', 'run', '-q', '--out', 'json=-', '--paused']);
    expect(c.Env).toEqual([
      'SCALELAB_K6_SLOT={{.Task.Slot}}',
      'SCALELAB_K6_SEGMENTS=0:1/3 1/3:2/3 2/3:1',
      'SCALELAB_K6_SEQUENCE=0,1/3,2/3,1',
      'SCALELAB_K6_SCRIPT=/scalelab/workload.js',
    ]);
    expect(c.Configs).toEqual([
      {
        File: { Name: '/scalelab/workload.js', UID: '0', GID: '0', Mode: 0o444 },
        ConfigID: 'c1',
        ConfigName: 'scalelab-s-k6-workload-js-abc',
      },
    ]);
    expect(spec.TaskTemplate!.RestartPolicy).toEqual({ Condition: 'none' });
    expect(spec.TaskTemplate!.Networks).toEqual([{ Target: 'scalelab-s' }]);
    // Labelled as the stack's run, not as a part of the stack.
    expect(spec.Labels).toEqual({ [K6_LABEL]: 's' });
    expect(c.Labels).toEqual({ [K6_LABEL]: 's' });
  });

  it('spreads the generators: at most as many on a node as an even share', () => {
    const max = (g: number, n: number) => k6ServiceSpec(input(g, n)).TaskTemplate!.Placement!.MaxReplicas;
    expect(max(3, 3)).toBe(1);
    expect(max(4, 3)).toBe(2);
    expect(max(3, 1)).toBe(3);
    expect(max(2, 0)).toBe(2);
  });

  it("maps a task's slot to its segment", () => {
    const segments = executionSegments(3);
    expect(generatorOfSlot(segments, 1)?.segment).toBe('0:1/3');
    expect(generatorOfSlot(segments, 3)?.name).toBe('k6-3');
    expect(generatorOfSlot(segments, undefined)).toBeUndefined();
  });

  it("reads a task's end from Swarm's state", () => {
    expect(taskExit({ Status: { State: 'running' } })).toBeNull();
    expect(taskExit({ Status: { State: 'complete', ContainerStatus: { ExitCode: 0 } } })).toEqual({ code: 0 });
    expect(
      taskExit({ Status: { State: 'failed', Err: 'task: non-zero exit (99)', ContainerStatus: { ExitCode: 99 } } }),
    ).toEqual({
      code: 99,
      why: 'task: non-zero exit (99)',
    });
    expect(taskExit({ Status: { State: 'rejected', Err: 'No such image' } })).toEqual({
      code: 1,
      why: 'No such image',
    });
  });
});
