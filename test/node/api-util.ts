/** Helpers of the public-API tests over loopback UDP (test/node/api-*.test.ts). */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect, generateKeyPair, listen, type ConnectOptions, type JspConnection, type JspServer, type JspStream, type ListenOptions } from '#jetstreamproto';

export const keys = generateKeyPair();

/** A server on 127.0.0.1 with the test key, echoing every stream unless told otherwise. */
export async function server(o: Partial<ListenOptions> = {}, echo = true): Promise<JspServer> {
  const s = await listen({ host: '127.0.0.1', port: 0, staticKey: keys.secret, ...o });
  if (echo) s.on('connection', (c) => c.on('stream', (st) => { if (st.bidi) st.pipe(st); else st.resume(); }));
  return s;
}

/** A client of `s` pinning the test key. */
export function client(s: JspServer, o: Partial<ConnectOptions> = {}): Promise<JspConnection> {
  return connect({ host: '127.0.0.1', port: s.address().port, serverKey: keys.public, ...o });
}

/** Reads a stream to its end. */
export async function readAll(s: JspStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Writes `data` in `chunk`-byte writes honouring backpressure, then ends the stream. */
export async function writeAll(s: JspStream, data: Uint8Array, chunk = 64 << 10): Promise<void> {
  for (let i = 0; i < data.length; i += chunk) {
    if (!s.write(data.subarray(i, i + chunk))) await once(s, 'drain');
  }
  s.end();
  await once(s, 'finish');
}

/** Deterministic pseudo-random bytes (xorshift), so a failure can be replayed. */
export function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Polls `pred` every few ms until it holds, or throws after `ms`. */
export async function waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
