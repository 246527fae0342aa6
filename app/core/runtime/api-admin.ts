// The engine's side of the demo API's admin endpoint: pushes the live switches to an instance.
import type { ApiConfig } from '../../../stack/api/src/admin-config.js';

/** Pushes the switches; an instance just started (a `start` fault, a restart) may not listen yet:
 *  it is asked again for up to `waitMs` before the change fails. */
export async function pushApiConfig(baseUrl: string, token: string, config: ApiConfig, waitMs = 15_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await pushOnce(baseUrl, token, config);
    } catch (err) {
      const notListening = err instanceof TypeError; // fetch failed: refused, reset, no answer
      if (!notListening || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function pushOnce(baseUrl: string, token: string, config: ApiConfig): Promise<void> {
  const res = await fetch(`${baseUrl}/admin/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(config),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`${baseUrl}/admin/config answered ${res.status}: ${await res.text()}`);
}

export async function stallApi(baseUrl: string, token: string, ms: number): Promise<void> {
  const res = await fetch(`${baseUrl}/admin/stall`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ms }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`${baseUrl}/admin/stall answered ${res.status}: ${await res.text()}`);
}
