// Errors a user meets when bringing a stack up, each saying what to do about it (LabError: contract/errors.ts).
import { LabError } from '../../contract/errors.js';

export { LabError } from '../../contract/errors.js';

export class DockerUnavailableError extends LabError {
  constructor(where: string, cause: string) {
    super(
      `No Docker engine answers at ${where} (${cause}).`,
      'DOCKER_UNAVAILABLE',
      'Start one: on Linux `sudo systemctl start docker` (or run `sudo dockerd &`); on macOS or Windows start Docker Desktop. ' +
        'Set DOCKER_HOST if your engine listens elsewhere.',
    );
  }
}

export class PortInUseError extends LabError {
  constructor(
    readonly port: number,
    field: string,
  ) {
    super(
      `Port ${port} on 127.0.0.1 is already in use (topology field ${field}).`,
      'PORT_IN_USE',
      `Stop what holds it, or choose another port (${field}=0 picks any free port).`,
    );
  }
}

export class ImageUnavailableError extends LabError {
  constructor(image: string, cause: string) {
    super(
      `The image ${image} could not be built: ${cause}`,
      'IMAGE_UNAVAILABLE',
      'Without an image registry, build the base image offline from Debian packages: `npm run images:base:offline` (needs mmdebstrap).',
    );
  }
}

export class UnhealthyError extends LabError {
  constructor(
    readonly service: string,
    reason: string,
    readonly logTail: string,
  ) {
    super(
      `Service ${service} did not become healthy: ${reason}.\n--- last log lines of ${service} ---\n${logTail || '(no output)'}\n---`,
      'UNHEALTHY',
      `Look at the full logs with \`scalelab logs ${service}\`; \`scalelab down\` removes what was started.`,
    );
  }
}

export class NoSuchServiceError extends LabError {
  constructor(service: string, known: string[]) {
    super(
      `No service "${service}" in this stack.`,
      'NO_SUCH_SERVICE',
      `Services: ${known.join(', ') || '(none: is the stack up?)'}`,
    );
  }
}

export class StackNotRunningError extends LabError {
  constructor(stack: string) {
    super(`Stack "${stack}" is not running.`, 'STACK_NOT_RUNNING', 'Bring it up first: `scalelab up --preset full`.');
  }
}
