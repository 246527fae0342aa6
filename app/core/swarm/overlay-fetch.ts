// Reading HTTP on the stack's overlay from this host, which is not on it: curl in the balancer's
// container (on the manager, attached to the overlay), one exec for every URL of a second; and a
// call of any method, for Patroni's REST API.
import type Docker from 'dockerode';
import type { HttpVia } from '../database/patroni.js';
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

/** One call of any method on the overlay, its status with its body (Patroni's REST API: PATCH
 *  /config, POST /switchover). Rejects when nothing answered, as fetch does. stderr is dropped: the
 *  exec mixes it into the output, and the status line must come last. */
const CALL = `curl -s -m "$1" -X "$2" -H 'content-type: application/json' \${4:+--data-binary "$4"} -w '\\n%{http_code}' "$3" 2>/dev/null`;

export function overlayHttp(docker: Docker, container: Docker.Container): HttpVia {
  return async (url, { method, body, timeoutMs }) => {
    const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    const { output } = await execIn(
      docker,
      container,
      ['sh', '-c', CALL, 'call', seconds, method, url, body ?? ''],
      timeoutMs + 2000,
    );
    return parseStatusLast(output, url);
  };
}

/** curl's body then, on a line of its own, the status (000: no answer). */
export function parseStatusLast(output: string, url: string): { status: number; text: string } {
  const cut = output.lastIndexOf('\n');
  const status = Number(output.slice(cut + 1).trim());
  if (!status) throw new Error(`no answer from ${url} on the overlay`);
  return { status, text: output.slice(0, Math.max(0, cut)) };
}
