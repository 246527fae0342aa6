// How a deploy's instances are started on Swarm (pure): the stack's places (api-1..N) come back as
// the API service scaled up again once it runs none; any other set is a service an instance.
import { describe, expect, it } from 'vitest';
import { startPlan } from './swarm-instances.js';

const api = (replicas: number) => ({
  ID: 'a',
  Spec: { Name: 'scalelab-s-api', Mode: { Replicated: { Replicas: replicas } } },
});

describe('a deploy’s instances on Swarm', () => {
  it('starts a second set as a service an instance, beside the running API service', () => {
    expect(startPlan('s', ['api-3', 'api-4'], [api(2)])).toEqual({ kind: 'instances' });
  });

  it("takes the stack's places back as the API service, once it runs none and the names are its slots", () => {
    expect(startPlan('s', ['api-2', 'api-1'], [api(0)])).toMatchObject({ kind: 'api-service' });
    // Not from one: a service an instance still.
    expect(startPlan('s', ['api-2', 'api-3'], [api(0)])).toEqual({ kind: 'instances' });
  });

  it('refuses names that are not API instances', () => {
    expect(() => startPlan('s', ['db-primary'], [api(2)])).toThrow(/not API instance names/);
  });
});
