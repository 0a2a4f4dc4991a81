/**
 * `npm run bench -- loopback`: bulk throughput over real sockets on 127.0.0.1, every contender in
 * this one process and one run, so the ratios compare like with like (client and server share the
 * thread in every case):
 *
 * - **raw dgram** — unencrypted 1200-byte UDP datagrams blasted from one socket to another with no
 *   protocol at all: the platform's ceiling for datagrams of JSP's size (what arrives per second;
 *   loopback drops what the receive buffer cannot hold).
 * - **JSP** — one connection (ChaCha20-Poly1305, node provider) moving the bytes client → server
 *   on 1 stream and on 16 streams, read as they arrive; from the first write to the last byte read.
 *   Once in 1200-byte datagrams (path MTU discovery off), once with discovery up to 65507 bytes
 *   (loopback's MTU is 64 KiB; the search starts at 1200 after the handshake, inside the timing).
 * - **TLS 1.3 over TCP** — `node:tls` (TLS_CHACHA20_POLY1305_SHA256, X25519), one connection, the
 *   same bytes in 64 KiB writes, from the first write to the last byte read.
 * - **http2** — `node:http2` over TLS, 100 concurrent POST streams sharing the bytes.
 * - **heap per idle connection** — 1,000 JSP connections open to one server (both ends in this
 *   process: the figure is the heap of a client and a server connection together, halved).
 *
 * Contenders run one after another, in rounds (each contender once per round), and each row
 * reports the median over the rounds. `ratio` = JSP ÷ peer (> 1: JSP ahead).
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { connect as h2connect, createSecureServer, type ClientHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, createServer as tlsServer, type TLSSocket } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Endpoint, type Connection } from '../core/connection/index.ts';
import { nodeProvider as p } from '../crypto/node.ts';
import { UdpDriver } from '../node/udp-driver.ts';
import { selfSignedCertificate } from './handshake.ts';
import type { BenchResult } from './harness.ts';

const DATAGRAM = 1200;
/** The largest UDP payload over IPv4 (65535 less the IP and UDP headers): loopback's path MTU allows it. */
const LOOPBACK_MAX_DATAGRAM = 65507;
const MB = 1e6;

export interface LoopbackBenchOptions {
  /** Bytes per bulk transfer (default 16 MB). */
  bytes?: number;
  /** Rounds (default 3). */
  rounds?: number;
  /** Idle connections for the heap row (default 1,000; 0 skips it). */
  idleConnections?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ───────────────────────────── raw dgram ─────────────────────────────

async function bindUdp(): Promise<Socket> {
  const s = createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s;
}

/** Bytes per second of 1200-byte datagrams that arrive, sending flat out for `ms`. */
async function rawDgram(ms: number): Promise<number> {
  const rx = await bindUdp(), tx = await bindUdp();
  const port = (rx.address() as AddressInfo).port;
  let received = 0;
  rx.on('message', (m) => { received += m.length; });
  const payload = Buffer.alloc(DATAGRAM, 0x5a);
  const start = performance.now();
  let inFlight = 0;
  // Keep a bounded number of sends outstanding so the event loop can also deliver what arrives.
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (performance.now() - start >= ms) { resolve(); return; }
      while (inFlight < 64) {
        inFlight++;
        tx.send(payload, port, '127.0.0.1', () => { inFlight--; });
      }
      setImmediate(pump);
    };
    pump();
  });
  await sleep(20); // what is still queued in the kernel
  const seconds = (performance.now() - start) / 1000;
  rx.close();
  tx.close();
  return received / seconds;
}

// ───────────────────────────── JSP ─────────────────────────────

interface JspPair { server: UdpDriver; client: UdpDriver; serverKey: Uint8Array; close(): Promise<void> }

async function jspPair(maxDatagramSize?: number): Promise<JspPair> {
  const secret = p.randomBytes(32);
  const serverKey = p.x25519.publicKey(secret);
  const big = { maxStreamWindow: 16 << 20, maxConnectionWindow: 32 << 20, sendBuffer: 4 << 20 };
  const server = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, server: { staticKeys: [secret], suites: ['chacha20_poly1305_sha256'] }, streams: big, maxDatagramSize }));
  const client = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, streams: big, maxDatagramSize }));
  return { server, client, serverKey, close: async () => { await client.close(); await server.close(); } };
}

async function handshake(pair: JspPair): Promise<{ conn: Connection; peer: Connection }> {
  const conn = pair.client.endpoint.connect(pair.client.now(), pair.server.address, { serverKey: pair.serverKey, suites: ['chacha20_poly1305_sha256'], groups: ['x25519'] });
  pair.client.pump();
  for (let i = 0; i < 5000 && conn.handshakeState !== 'confirmed'; i++) await sleep(1);
  if (conn.handshakeState !== 'confirmed') throw new Error(`loopback bench: handshake did not complete (${conn.handshakeState})`);
  const peer = pair.server.endpoint.accept();
  if (!peer) throw new Error('loopback bench: the server accepted no connection');
  return { conn, peer };
}

/**
 * Bytes per second moving `bytes` client → server over `streams` streams of one JSP connection;
 * with `maxDatagramSize` above 1200, path MTU discovery may raise the datagram size.
 */
async function jspBulk(bytes: number, streams: number, maxDatagramSize?: number): Promise<number> {
  const pair = await jspPair(maxDatagramSize);
  try {
    const { conn, peer } = await handshake(pair);
    const per = Math.ceil(bytes / streams);
    const chunk = new Uint8Array(64 * 1024).fill(0x5a);
    const left = new Map<number, number>();
    for (let i = 0; i < streams; i++) {
      const id = conn.openStream(false);
      if (id === undefined) throw new Error('loopback bench: stream limit');
      left.set(id, per);
    }
    let received = 0, finished = 0;
    const feed = () => {
      for (const [id, n] of left) {
        let rest = n;
        while (rest > 0) {
          const w = conn.write(id, chunk.subarray(0, Math.min(rest, chunk.length)));
          if (w === 0) break;
          rest -= w;
        }
        if (rest === 0) { conn.finish(id); left.delete(id); } else left.set(id, rest);
      }
      while (conn.pollEvent()) { /* writable: the loop above retries */ }
    };
    let done!: () => void;
    const finishedAll = new Promise<void>((r) => { done = r; });
    pair.server.onActivity = () => {
      let read = 0;
      for (let e = peer.pollEvent(); e; e = peer.pollEvent()) {
        if (e.type !== 'stream_readable' && e.type !== 'stream_opened') continue;
        for (;;) {
          const r = peer.read(e.id);
          read += r.data.length;
          if (r.fin) { if (++finished === streams) done(); break; }
          if (r.data.length === 0) break;
        }
      }
      received += read;
      // Reading opened flow-control credit: send the window update now, not at the next input.
      if (read > 0) pair.server.pump();
    };
    pair.client.onActivity = feed;
    const start = performance.now();
    feed();
    pair.client.pump();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finishedAll, new Promise<void>((r) => { timer = setTimeout(r, 120_000); })]);
    clearTimeout(timer);
    const seconds = (performance.now() - start) / 1000;
    if (received !== per * streams) throw new Error(`loopback bench: JSP delivered ${received} of ${per * streams} bytes`);
    return received / seconds;
  } finally {
    await pair.close();
  }
}

/** Heap bytes per idle connection (client and server halves together, halved), `n` connections. */
async function jspIdleHeap(n: number): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const pair = await jspPair();
  try {
    gc();
    const before = process.memoryUsage().heapUsed;
    const conns: Connection[] = [];
    for (let i = 0; i < n; i += 50) {
      for (let j = i; j < Math.min(n, i + 50); j++) conns.push(pair.client.endpoint.connect(pair.client.now(), pair.server.address, { serverKey: pair.serverKey, suites: ['chacha20_poly1305_sha256'], groups: ['x25519'] }));
      pair.client.pump();
      for (let k = 0; k < 2000 && conns.some((c) => c.handshakeState !== 'confirmed'); k++) await sleep(1);
    }
    const up = conns.filter((c) => c.handshakeState === 'confirmed').length;
    if (up !== n) throw new Error(`loopback bench: ${up} of ${n} idle connections completed`);
    await sleep(50);
    gc();
    const after = process.memoryUsage().heapUsed;
    for (const c of conns) c.close(pair.client.now(), 0, '');
    pair.client.pump();
    return (after - before) / (2 * n);
  } finally {
    await pair.close();
  }
}

// ───────────────────────────── TLS and http2 ─────────────────────────────

/** Bytes per second moving `bytes` over one TLS 1.3 connection. */
async function tlsBulk(bytes: number): Promise<number> {
  const cert = selfSignedCertificate();
  const server = tlsServer({ key: cert.keyPem, cert: cert.certPem, minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256', ecdhCurve: 'X25519' });
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => { done = r; });
  server.on('secureConnection', (s: TLSSocket) => {
    s.on('data', (d: Buffer) => { received += d.length; if (received >= bytes) done(); });
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const c = tlsConnect({ host: '127.0.0.1', port, ca: cert.certPem, checkServerIdentity: () => undefined, minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256', ecdhCurve: 'X25519' });
  await once(c, 'secureConnect');
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const start = performance.now();
  let sent = 0;
  while (sent < bytes) {
    const n = Math.min(chunk.length, bytes - sent);
    sent += n;
    if (!c.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await once(c, 'drain');
  }
  await all;
  const seconds = (performance.now() - start) / 1000;
  c.destroy();
  server.close();
  return received / seconds;
}

/** Bytes per second moving `bytes` over 100 concurrent http2 streams (TLS). */
async function http2Bulk(bytes: number, streams = 100): Promise<number> {
  const cert = selfSignedCertificate();
  const server = createSecureServer({ key: cert.keyPem, cert: cert.certPem, minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256', ecdhCurve: 'X25519', settings: { initialWindowSize: 16 << 20 } });
  server.on('stream', (s) => {
    let n = 0;
    s.on('data', (d: Buffer) => { n += d.length; });
    s.on('end', () => { s.respond({ ':status': 200, 'x-bytes': String(n) }); s.end(); });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const session: ClientHttp2Session = h2connect(`https://127.0.0.1:${port}`, { ca: cert.certPem, checkServerIdentity: () => undefined, settings: { initialWindowSize: 16 << 20 } });
  await once(session, 'connect');
  const per = Math.ceil(bytes / streams);
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const start = performance.now();
  let received = 0;
  await Promise.all(Array.from({ length: streams }, async () => {
    const req = session.request({ ':method': 'POST', ':path': '/' });
    const [headers] = await Promise.all([
      once(req, 'response').then(([h]) => h as Record<string, string>),
      (async () => {
        for (let sent = 0; sent < per;) {
          const n = Math.min(chunk.length, per - sent);
          sent += n;
          if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) await once(req, 'drain');
        }
        req.end();
      })(),
    ]);
    received += Number(headers['x-bytes']);
    req.resume();
    await once(req, 'end');
  }));
  const seconds = (performance.now() - start) / 1000;
  session.close();
  server.close();
  if (received !== per * streams) throw new Error(`loopback bench: http2 delivered ${received} of ${per * streams}`);
  return received / seconds;
}

// ───────────────────────────── the suite ─────────────────────────────

/** The contenders one by one, for tests: bytes per second (heap: bytes per connection). */
export const loopbackContenders = { rawDgram, jspBulk, tlsBulk, http2Bulk, jspIdleHeap };

export async function benchLoopback(o: LoopbackBenchOptions = {}): Promise<BenchResult[]> {
  const bytes = o.bytes ?? 16 * MB;
  const rounds = o.rounds ?? 3;
  const s: Record<string, number[]> = { raw: [], jsp1: [], jsp16: [], jsp1big: [], jsp16big: [], tls: [], h2: [] };
  for (let r = 0; r < rounds; r++) {
    s.raw.push(await rawDgram(1000));
    s.jsp1.push(await jspBulk(bytes, 1));
    s.jsp16.push(await jspBulk(bytes, 16));
    s.jsp1big.push(await jspBulk(bytes, 1, LOOPBACK_MAX_DATAGRAM));
    s.jsp16big.push(await jspBulk(bytes, 16, LOOPBACK_MAX_DATAGRAM));
    s.tls.push(await tlsBulk(bytes));
    s.h2.push(await http2Bulk(bytes));
  }
  const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v) / MB]));
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const out: BenchResult[] = [
    { name: 'raw dgram blast, 1200-byte datagrams (the ceiling)', value: m.raw, unit: 'MB/s' },
    { name: 'JSP bulk, 1 stream, 1200-byte datagrams', value: m.jsp1, unit: 'MB/s', peer: 'raw dgram', ratio: ratio(m.jsp1, m.raw) },
    { name: 'JSP bulk, 16 streams, 1200-byte datagrams', value: m.jsp16, unit: 'MB/s', peer: 'raw dgram', ratio: ratio(m.jsp16, m.raw) },
    { name: 'node:tls 1.3 over TCP, 1 connection', value: m.tls, unit: 'MB/s' },
    { name: 'JSP 1 stream, path MTU discovery up to 65507 B', value: m.jsp1big, unit: 'MB/s', peer: 'node:tls', ratio: ratio(m.jsp1big, m.tls) },
    { name: 'node:http2 over TLS, 100 streams', value: m.h2, unit: 'MB/s' },
    { name: 'JSP 16 streams, path MTU discovery up to 65507 B', value: m.jsp16big, unit: 'MB/s', peer: 'node:http2', ratio: ratio(m.jsp16big, m.h2) },
  ];
  const idle = o.idleConnections ?? 1000;
  if (idle > 0) out.push({ name: `JSP heap per idle connection (${idle} open)`, value: Math.round(await jspIdleHeap(idle)) / 1024, unit: 'KiB' });
  return out;
}
