// Which volumes a stack's services keep on other nodes (pure): by the node each is pinned to.
import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { LABEL } from '../runtime/names.js';
import { remoteVolumes } from './remote-volumes.js';

const service = (name: string, pin: string | null, volumes: string[], image = `img-${name}`) => ({
  Spec: {
    Labels: { [LABEL.service]: name },
    TaskTemplate: {
      ContainerSpec: { Image: image, Mounts: volumes.map((v) => ({ Type: 'volume', Source: v, Target: '/data' })) },
      Placement: { Constraints: pin ? [`node.hostname==${pin}`] : [] },
    },
  } as Docker.ServiceSpec,
});

describe('volumes kept on other nodes', () => {
  it('lists each pinned service’s volumes by node, this node and unpinned services left out', () => {
    expect(
      remoteVolumes(
        [
          service('db-primary', 'm', ['s-db-primary', 's-backups']),
          service('db-replica-1', 'w1', ['s-db-replica-1']),
          service('db-replica-2', 'w1', ['s-db-replica-2']),
          service('db-replica-3', 'w2', ['s-db-replica-3']),
          service('api', null, []),
          service('cache', null, ['s-cache']),
        ],
        'm',
      ),
    ).toEqual([
      { node: 'w1', image: 'img-db-replica-1', volumes: ['s-db-replica-1', 's-db-replica-2'] },
      { node: 'w2', image: 'img-db-replica-3', volumes: ['s-db-replica-3'] },
    ]);
  });
});
