/**
 * The part of `npm start` that runs on the public API (`listen`, `connect`) over loopback UDP:
 * files fetched in parallel streams from a `jsp server --files` server (SHA-256 checked, with
 * the throughput), then many concurrent streams echoing data both ways.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type JspConnection, type JspStream } from '../index.ts';
import { formatBytes, formatRate } from './args.ts';
import { parseReply, readLine } from './file-protocol.ts';
import { serve } from './server.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Reads what is left of `st` to its end (without destroying the stream, as `for await` would). */
function readRest(st: JspStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    st.on('data', (b: Buffer) => parts.push(b));
    st.once('end', () => resolve(Buffer.concat(parts)));
    st.once('error', reject);
  });
}

/** GET one file; its bytes. */
async function fetchFile(conn: JspConnection, name: string): Promise<Buffer> {
  const st = await conn.openStream();
  st.end(`GET ${name}\n`);
  const size = Number(parseReply(await readLine(st, `GET ${name}`), `GET ${name}`)[0]);
  const body = await readRest(st);
  if (body.length !== size) throw new Error(`GET ${name}: ${body.length} bytes arrived, ${size} announced`);
  return body;
}

/** Runs the part; returns the number of failed checks. */
export async function filesDemo(log: (s: string) => void, o: { files?: number; fileBytes?: number; streams?: number } = {}): Promise<number> {
  const nFiles = o.files ?? 4, fileBytes = o.fileBytes ?? 1 << 20, nStreams = o.streams ?? 100;
  let failures = 0;
  const dir = mkdtempSync(join(tmpdir(), 'jsp-demo-'));
  const files = new Map<string, string>();
  for (let i = 1; i <= nFiles; i++) {
    const data = randomBytes(fileBytes);
    writeFileSync(join(dir, `file-${i}.bin`), data);
    files.set(`file-${i}.bin`, sha256(data));
  }
  const quiet = () => {};
  const fileServer = await serve({ listen: { host: '127.0.0.1', port: 0 }, mode: { kind: 'files', dir }, print: quiet });
  const echoServer = await serve({ listen: { host: '127.0.0.1', port: 0 }, mode: { kind: 'echo' }, print: quiet });
  const conns: JspConnection[] = [];
  try {
    // Files: every file in its own stream, all at once, on one connection.
    const conn = await connect({ host: '127.0.0.1', port: fileServer.server.address().port, serverKey: fileServer.publicKey });
    conns.push(conn);
    log(`   files: ${nFiles} × ${formatBytes(fileBytes)} served by jsp server --files (a temporary directory), fetched in ${nFiles} parallel streams`);
    const t0 = performance.now();
    const got = await Promise.all([...files.keys()].map(async (name) => ({ name, body: await fetchFile(conn, name) })));
    const ms = performance.now() - t0;
    let total = 0;
    for (const { name, body } of got) {
      const ok = sha256(body) === files.get(name);
      if (!ok) failures++;
      total += body.length;
      log(`      ${name}: ${body.length} bytes, SHA-256 ${sha256(body).slice(0, 16)}… ${ok ? 'matches' : 'DIFFERS'}`);
    }
    log(`      ${formatBytes(total)} in ${ms.toFixed(0)} ms: ${formatRate(total, ms)} over 1200-byte datagrams`);
    const escape = await fetchFile(conn, '../etc/passwd').then(() => 'served (WRONG)', (e: Error) => `refused — ${e.message}`);
    if (!escape.startsWith('refused')) failures++;
    log(`      a path outside the directory: ${escape}`);

    // Many streams: each sends its own bytes and reads the echo.
    const echo = await connect({ host: '127.0.0.1', port: echoServer.server.address().port, serverKey: echoServer.publicKey });
    conns.push(echo);
    const t1 = performance.now();
    const results = await Promise.all(Array.from({ length: nStreams }, async (_, i) => {
      const data = randomBytes(4096 + i * 64);
      const st = await echo.openStream();
      const back = readRest(st);
      st.end(data);
      await once(st, 'finish');
      return Buffer.compare(await back, data) === 0 ? data.length : -1;
    }));
    const ms1 = performance.now() - t1;
    const bad = results.filter((n) => n < 0).length;
    failures += bad;
    const bytes = results.reduce((a, n) => a + Math.max(n, 0), 0);
    log(`   many streams: ${nStreams} concurrent streams each sent 4–${((4096 + (nStreams - 1) * 64) / 1024).toFixed(1)} KiB and read the echo: ${nStreams - bad} intact, ${formatBytes(bytes)} each way in ${ms1.toFixed(0)} ms`);
    const rtt = await echo.ping();
    const s = echo.stats;
    log(`      heartbeat RTT ${rtt.toFixed(2)} ms; ${s.packetsSent} packets sent, ${s.packetsLost} lost`);
  } finally {
    await Promise.all(conns.map((c) => c.close({ timeoutMs: 2000 }).catch(() => {})));
    await fileServer.stop();
    await echoServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  log(`   graceful close: the servers saw ${fileServer.totals.connections + echoServer.totals.connections} connections and ${fileServer.totals.streams + echoServer.totals.streams} streams, all closed`);
  return failures;
}
