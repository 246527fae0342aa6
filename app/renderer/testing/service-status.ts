// A service as the stack's status lists it, for renderer tests: healthy, running unless told.
import type { ServiceStatus } from '../../contract/stack.js';

export const svc = (
  name: string,
  role: ServiceStatus['role'],
  state: ServiceStatus['state'] = 'running',
): ServiceStatus => ({ name, role, container: name, state, health: 'healthy', ports: {} });
