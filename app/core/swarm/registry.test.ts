import { describe, expect, it } from 'vitest';
import { LabError } from '../../contract/errors.js';
import {
  ownRegistryConfig,
  parseRegistrySetting,
  registryImage,
  registryPlan,
  registryUnavailable,
  untrustedRegistryHint,
} from './registry.js';
import { splitTag } from './registry-service.js';

describe('the Swarm registry', () => {
  it('reads SCALELAB_SWARM_REGISTRY, refusing what is no registry address', () => {
    expect(parseRegistrySetting(undefined)).toBe('auto');
    expect(parseRegistrySetting(' own ')).toBe('own');
    expect(parseRegistrySetting('none')).toBe('none');
    expect(parseRegistrySetting('registry.lan:5000')).toEqual({ address: 'registry.lan:5000' });
    for (const bad of ['http://registry:5000', 'a b', 'registry:port'])
      expect(() => parseRegistrySetting(bad)).toThrow(/is not auto, own, none or a registry's host:port/);
  });

  it('needs none on one node, runs its own on several unless told, and refuses several nodes without one', () => {
    expect(registryPlan('auto', 1, '127.0.0.1')).toEqual({ kind: 'none' });
    // At the manager's Swarm address, where every node reaches it.
    expect(registryPlan('auto', 3, '172.17.0.1')).toEqual({ kind: 'own', address: '172.17.0.1:5000' });
    expect(registryPlan('own', 1, '127.0.0.1')).toEqual({ kind: 'own', address: '127.0.0.1:5000' });
    expect(registryPlan({ address: 'r.lan:5000' }, 3, '10.0.0.1')).toEqual({ kind: 'external', address: 'r.lan:5000' });
    expect(registryPlan('none', 1, '127.0.0.1')).toEqual({ kind: 'none' });
    const refused = (() => {
      try {
        registryPlan('none', 3, '10.0.0.1');
      } catch (e) {
        return e as LabError;
      }
    })();
    expect(refused?.code).toBe('BAD_INPUT');
    expect(refused?.message).toMatch(/3 nodes and SCALELAB_SWARM_REGISTRY is none/);
    expect(refused?.hint).toMatch(/Unset SCALELAB_SWARM_REGISTRY/);
  });

  it('serves from its volume without a login, and tells a node that does not trust it what to set', () => {
    expect(ownRegistryConfig()).toContain('rootdirectory: /var/lib/docker-registry');
    expect(ownRegistryConfig()).not.toContain('auth');
    expect(untrustedRegistryHint('172.17.0.1:5000')).toMatch(
      /"insecure-registries": \["172\.17\.0\.1:5000"\] to its \/etc\/docker\/daemon\.json/,
    );
  });

  it('names images in the registry, the port apart from the tag', () => {
    const remote = registryImage('127.0.0.1:5000', 'scalelab/api:abc123');
    expect(remote).toBe('127.0.0.1:5000/scalelab/api:abc123');
    expect(splitTag(remote)).toEqual(['127.0.0.1:5000/scalelab/api', 'abc123']);
    expect(splitTag('127.0.0.1:5000/scalelab/api')).toEqual(['127.0.0.1:5000/scalelab/api', 'latest']);
  });

  it('says which registry does not answer and what to look at', () => {
    const own = registryUnavailable({ address: '127.0.0.1:5001' }, 'ECONNREFUSED', true);
    expect(own.message).toBe(
      'The image registry at 127.0.0.1:5001 does not answer (ECONNREFUSED); nothing was created.',
    );
    expect(own.hint).toMatch(/docker service ps scalelab-registry --no-trunc/);
    const theirs = registryUnavailable({ address: 'r.lan:5000' }, 'ETIMEDOUT');
    expect(theirs.hint).toMatch(/name another with SCALELAB_SWARM_REGISTRY/);
  });
});
