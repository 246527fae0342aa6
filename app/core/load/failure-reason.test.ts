import net from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { failureOfError, failureOfK6Code, failureOfStatus } from './failure-reason.js';

/** A server on 127.0.0.1 that does what `behave` says with each connection. */
async function server(behave: (s: net.Socket) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const srv = net.createServer(behave);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => srv.close(() => r())) };
}

async function errorOf(url: string, timeoutMs = 5000): Promise<unknown> {
  try {
    const res = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return null;
  } catch (err) {
    return err;
  }
}

describe('failure reasons', () => {
  it('names HTTP error classes and leaves successes alone', () => {
    expect(failureOfStatus(200)).toBeUndefined();
    expect(failureOfStatus(404)).toBe('http_4xx');
    expect(failureOfStatus(503)).toBe('http_5xx');
  });

  it('tells a refused, a reset and a timed-out connection apart, from real undici errors', async () => {
    const closed = await server(() => undefined);
    const refusedUrl = closed.url;
    await closed.close();
    expect(failureOfError(await errorOf(refusedUrl))).toBe('refused');

    const resetting = await server((s) => s.resetAndDestroy());
    expect(failureOfError(await errorOf(resetting.url))).toBe('reset');
    await resetting.close();

    const sockets: net.Socket[] = [];
    const hanging = await server((s) => void sockets.push(s));
    expect(failureOfError(await errorOf(hanging.url, 200))).toBe('timeout');
    sockets.forEach((s) => s.destroy());
    await hanging.close();

    expect(failureOfError(new Error('something else'))).toBe('other');
  });

  it("reads k6's error codes as k6 defines them", () => {
    expect(failureOfK6Code('1050', 0)).toBe('timeout');
    expect(failureOfK6Code('1212', 0)).toBe('refused');
    expect(failureOfK6Code('1220', 0)).toBe('reset');
    expect(failureOfK6Code('1000', 0)).toBe('other');
    expect(failureOfK6Code(undefined, 502)).toBe('http_5xx');
    expect(failureOfK6Code(undefined, 200)).toBeUndefined();
  });
});
