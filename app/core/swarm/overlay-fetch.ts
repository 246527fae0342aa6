// Reading HTTP on the stack's overlay from this host, which is not on it: curl in the balancer's
// container (on the manager, attached to the overlay), one exec for every URL of a second.
import type Docker from 'dockerode';
import { execIn } from '../runtime/docker-client.js';

const END = '--scalelab-end-of-body--';
/** Each URL in turn, its body then a line of its own that ends it (curl -f: nothing on an error). */
const FETCH_EACH = `for u in "$@"; do curl -sf -m 1 "$u"; printf '\\n%s\\n' '${END}'; done`;

export async function fetchOnOverlay(
  docker: Docker,
  container: Docker.Container,
  urls: string[],
): Promise<Array<string | null>> {
  if (!urls.length) return [];
  const { output } = await execIn(
    docker,
    container,
    ['sh', '-c', FETCH_EACH, 'fetch', ...urls],
    1500 * urls.length + 1000,
  );
  return splitBodies(output, urls.length);
}

/** The bodies in order; null for one that came back empty (it did not answer). */
export function splitBodies(output: string, count: number): Array<string | null> {
  const parts = output.split(`\n${END}\n`);
  return Array.from({ length: count }, (_, i) => {
    const body = parts[i];
    return body && body.trim() ? body : null;
  });
}
