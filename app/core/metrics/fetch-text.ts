// A scrape: a page's text, or null when it does not answer in time (a collector skips it).
export async function fetchText(url: string, timeoutMs = 800): Promise<string | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}
