/**
 * Replayed 0-RTT across two servers on the public API over loopback UDP: two `listen()` servers
 * share their ticket keys and each has its own FileReplayRecord on one directory (as two
 * processes on a host would). A client resumes with its request in 0-RTT through a UDP relay
 * that records its first flight; an attacker then sends that flight 5 times to each server. The
 * request reaches the applications exactly once. The control run gives each server its own
 * directory: the other server then accepts the replay and delivers the request a second time —
 * the test can fail. Requirements: crypto.anti-replay.single-use.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, FileReplayRecord, listen, TicketKeys, type ClientTicket, type JspServer } from '#jetstreamproto';
import { nodeProvider } from '../../src/crypto/index.ts';
import { keys, readAll, sleep, waitFor } from './api-util.ts';

const root = mkdtempSync(join(tmpdir(), 'jsp-api-replay-'));

function bound(): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve(s)));
}

/** A relay between one client and `port` that keeps a copy of what the client sends while `recording`. */
async function relay(port: number): Promise<{ port: number; flight: Buffer[]; stopRecording(): void; close(): void }> {
  const front = await bound(), back = await bound();
  const flight: Buffer[] = [];
  let recording = true;
  let clientAddr: { port: number; address: string } | undefined;
  front.on('message', (m, r) => {
    clientAddr = r;
    if (recording) flight.push(Buffer.from(m));
    back.send(m, port, '127.0.0.1');
  });
  back.on('message', (m) => { if (clientAddr) front.send(m, clientAddr.port, clientAddr.address); });
  return { port: front.address().port, flight, stopRecording: () => { recording = false; }, close: () => { front.close(); back.close(); } };
}

/** A server sharing `ticketKeys`, its replay record in `dir`; what its application read from each stream goes into `got`. */
async function replicaServer(ticketKeys: TicketKeys, dir: string, got: string[]): Promise<JspServer> {
  const s = await listen({ host: '127.0.0.1', port: 0, staticKey: keys.secret, tickets: { keys: ticketKeys, antiReplay: new FileReplayRecord(dir) } });
  s.on('connection', (c) => c.on('stream', (st) => {
    const parts: Buffer[] = [];
    st.on('data', (b: Buffer) => parts.push(b));
    st.on('end', () => { got.push(String(Buffer.concat(parts))); st.end('ok'); }); // (an async iterator would destroy the writing side)
    st.on('error', () => {});
  }));
  return s;
}

async function run(sharedDirectory: boolean): Promise<{ got: string[]; a: JspServer; b: JspServer }> {
  const ticketKeys = new TicketKeys({ provider: nodeProvider, rng: nodeProvider.randomBytes }, performance.timeOrigin + performance.now());
  const dir = mkdtempSync(join(root, 'record-'));
  const got: string[] = [];
  const a = await replicaServer(ticketKeys, join(dir, 'a'), got);
  const b = await replicaServer(ticketKeys, sharedDirectory ? join(dir, 'a') : join(dir, 'b'), got);
  const first = await connect({ host: '127.0.0.1', port: b.address().port, serverKey: keys.public });
  const ticket = await new Promise<ClientTicket>((resolve) => first.once('session', resolve));
  await first.close();
  got.length = 0;
  const r = await relay(a.address().port);
  const attacker = await bound();
  try {
    const c = await connect({ host: '127.0.0.1', port: r.port, serverKey: keys.public, session: ticket, earlyData: true });
    assert.is(c.earlyData, 'pending');
    const st = await c.openStream();
    const answer = readAll(st);
    st.end('transfer 100 EUR');
    assert.is(String(await answer), 'ok');
    assert.is(c.earlyData, 'accepted');
    r.stopRecording();
    assert.ok(r.flight.length >= 1);
    // The genuine connection is gone first, so that the replays reach the record at both servers
    // (while it lives, its server routes them to it by connection ID, as duplicates).
    await c.close();
    await waitFor(() => a.stats.connections === 0, 3000, 'the genuine connection to end');
    for (let i = 0; i < 5; i++) {
      for (const d of r.flight) {
        for (const s of [a, b]) await new Promise<void>((done) => attacker.send(d, s.address().port, '127.0.0.1', () => done()));
      }
    }
    await waitFor(() => a.ticketStats!.rejected + b.ticketStats!.rejected + b.ticketStats!.accepted >= 2, 3000, 'the replays to be handled');
    await sleep(200); // anything more would have arrived by now
    return { got: [...got], a, b };
  } catch (e) {
    await a.close({ timeoutMs: 200 });
    await b.close({ timeoutMs: 200 });
    throw e;
  } finally {
    attacker.close();
    r.close();
  }
}

test('a replayed 0-RTT flight, sent to two servers sharing ticket keys and a FileReplayRecord directory, is delivered once', async () => {
  const { got, a, b } = await run(true);
  try {
    assert.equal(got, ['transfer 100 EUR'], 'delivered exactly once');
    assert.is(a.ticketStats!.earlyAccepted, 1, 'the genuine flight');
    assert.equal(a.ticketStats!.rejectedByReason, { replayed: 1 }, 'the replays at the first server');
    assert.equal(b.ticketStats!.rejectedByReason, { replayed: 1 }, 'the replays at the other server');
    assert.is(b.ticketStats!.earlyAccepted, 0);
  } finally {
    await a.close({ timeoutMs: 200 });
    await b.close({ timeoutMs: 200 });
  }
});

test('control: with a record per server, the other server accepts the replay and delivers it again', async () => {
  const { got, a, b } = await run(false);
  try {
    assert.equal(got, ['transfer 100 EUR', 'transfer 100 EUR'], 'once per record: what a shared record prevents');
    assert.equal(a.ticketStats!.rejectedByReason, { replayed: 1 }, 'each record still stops a second replay at its own server');
    assert.is(b.ticketStats!.earlyAccepted, 1);
  } finally {
    await a.close({ timeoutMs: 200 });
    await b.close({ timeoutMs: 200 });
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
