// Names and labels: everything of a stack is found, updated and removed by its labels.
import { LabError } from '../../contract/errors.js';
export const LABEL = {
  stack: 'scalelab.stack',
  role: 'scalelab.role',
  service: 'scalelab.service',
  version: 'scalelab.version',
  /** On an API instance: the API version it runs (v1, v2...). */
  apiVersion: 'scalelab.api-version',
  /** JSON map of container port -> purpose (entry, edge, api, stats, db, pooler, metrics, cache). */
  ports: 'scalelab.ports',
  /** On the network: the topology the stack was first brought up with. */
  topology: 'scalelab.topology',
} as const;

export const containerName = (stack: string, service: string) => `scalelab-${stack}-${service}`;
export const networkName = (stack: string) => `scalelab-${stack}`;
export const volumeName = (stack: string, service: string) => `scalelab-${stack}-${service}`;

export const STACK_NAME_RE = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function checkStackName(stack: string): string {
  if (!STACK_NAME_RE.test(stack))
    throw new LabError(
      `stack name "${stack}" must be lower-case letters, digits and dashes (1-31 characters)`,
      'BAD_INPUT',
      'Name a stack with --stack NAME or SCALELAB_STACK, or leave both unset for "lab".',
    );
  return stack;
}

export const stackFilter = (stack: string) => ({ label: [`${LABEL.stack}=${stack}`] });
