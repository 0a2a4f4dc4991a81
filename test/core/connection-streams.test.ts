/**
 * Streams through the sans-IO connection on the minimal network (10 ms one way): the API and its
 * events, stream limits with STREAMS_BLOCKED / MAX_STREAMS, reset and STOP_SENDING, urgency, and a
 * peer that breaks the limits — its forged 1-RTT packets (sealed with the keys the test takes from
 * the client's `connected` event) close the connection with the spec's error code.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { FramePlan, sealShort } from '../../src/core/connection/assembler.ts';
import { shortHeader } from '../../src/core/connection/headers.ts';
import type { HandshakeKeys } from '../../src/core/handshake/index.ts';
import { KeyPhases } from '../../src/core/protection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import type { Frame } from '../../src/gen/frames.ts';
import type { TransportParameters } from '../../src/gen/messages.ts';
import { Net } from '../../conformance/handshake/net.ts';

const serverSecret = p.sha256(new TextEncoder().encode('conn streams server'));
const serverKey = p.x25519.publicKey(serverSecret);
type Closed = Extract<ConnectionEvent, { type: 'closed' }>;

function connected(seed: string, o: { server?: Partial<TransportParameters>; client?: Partial<TransportParameters> } = {}) {
  const server = new Endpoint({ address: 'S', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [serverSecret], transportParameters: o.server } });
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, `${seed}/c`) });
  const conn = client.connect(0, 'S', { serverKey, transportParameters: o.client });
  const net = new Net([client, server]);
  net.run(() => conn.handshakeState === 'confirmed' && server.connections[0]?.handshakeState === 'confirmed');
  const sc = server.accept()!;
  const ce = drain(conn), se = drain(sc);
  const keys = (ce.find((e) => e.type === 'connected') as { keys: HandshakeKeys }).keys;
  assert.ok(se.some((e) => e.type === 'connected'));
  return { net, conn, sc, keys, server, client };
}

function drain(c: Connection): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

/** Runs until `pred` holds for an event of `c`; returns the events seen. */
function until(net: Net, c: Connection, pred: (e: ConnectionEvent) => boolean, maxTime = net.now + 10_000): ConnectionEvent[] {
  const seen: ConnectionEvent[] = [];
  net.run(() => { for (const e of drain(c)) seen.push(e); return seen.some(pred); }, maxTime);
  return seen;
}

/** A 1-RTT packet from "the client" with any frames, sealed under its keys, sent to the server. */
function forge(t: ReturnType<typeof connected>, frames: Frame[], pn = 1_000_000): void {
  const kp = new KeyPhases({ provider: p, suite: t.keys.suite, sendSecret: t.keys.clientSecret, receiveSecret: t.keys.serverSecret, previousKeyRetention: 1000 });
  const plan = new FramePlan(1800);
  for (const f of frames) assert.ok(plan.add(f));
  // No frames: an empty payload (sealable with a 4-byte packet number: the sample fits in the tag).
  const packet = frames.length ? sealShort({ keys: kp, dcid: t.sc.localCid, pn, largestAcked: undefined, plan })
    : (({ header, pnOffset }) => kp.protect(header, pnOffset, pn, new Uint8Array(0)))(shortHeader({ dcid: t.sc.localCid, pn, pnLength: 4 }));
  t.server.handleDatagram(t.net.now, 'C', packet);
}

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

test('a bidirectional stream: write, finish, read on the other side, an answer back; stream events in order', () => {
  const t = connected('bidi');
  const id = t.conn.openStream(true)!;
  assert.is(id, 0);
  assert.is(t.conn.write(id, bytes(5000)), 5000);
  t.conn.finish(id);
  const se = until(t.net, t.sc, (e) => e.type === 'stream_readable');
  assert.equal(se.filter((e) => e.type.startsWith('stream')).map((e) => e.type), ['stream_opened', 'stream_readable']);
  let got = new Uint8Array(0), fin = false;
  t.net.run(() => {
    for (const e of drain(t.sc)) void e;
    const r = t.sc.read(id, 100_000);
    got = Uint8Array.from([...got, ...r.data]);
    fin ||= r.fin;
    return fin;
  });
  assert.equal(got, bytes(5000));
  t.sc.write(id, bytes(300, 9));
  t.sc.finish(id);
  const ce = until(t.net, t.conn, (e) => e.type === 'stream_readable');
  assert.ok(ce.some((e) => e.type === 'stream_finished' && e.id === id), 'our data and FIN were acknowledged');
  const r = t.conn.read(id, 1000);
  assert.equal([r.data, r.fin], [bytes(300, 9), true]);
  // Both parts done on the client: the stream is forgotten, and using it is a RangeError.
  assert.throws(() => t.conn.read(id, 1), RangeError);
});

test('stream limits: the third stream waits for MAX_STREAMS (STREAMS_BLOCKED), streams_available says when', () => {
  const t = connected('limits', { server: { initialMaxStreamsUni: 2 } });
  const a = t.conn.openStream(false)!, b = t.conn.openStream(false)!;
  assert.is(t.conn.openStream(false), undefined);
  for (const id of [a, b]) { t.conn.write(id, bytes(10)); t.conn.finish(id); }
  // The server reads both to the end; their credit returns and the client may open the third.
  const seen: ConnectionEvent[] = [];
  t.net.run(() => {
    for (const e of drain(t.sc)) if (e.type === 'stream_readable') t.sc.read(e.id, 100);
    seen.push(...drain(t.conn));
    return seen.some((e) => e.type === 'streams_available');
  });
  assert.ok(seen.some((e) => e.type === 'streams_available' && !e.bidi));
  assert.is(t.conn.openStream(false), 10);
});

test('reset reaches the reader as stream_reset with the code; STOP_SENDING resets the writer with its code', () => {
  const t = connected('reset');
  const id = t.conn.openStream(true)!;
  t.conn.write(id, bytes(3000));
  t.conn.reset(id, 77);
  const se = until(t.net, t.sc, (e) => e.type === 'stream_reset');
  assert.ok(se.some((e) => e.type === 'stream_reset' && e.id === id && e.code === 77));
  assert.is(t.sc.read(id, 100).resetCode, 77);
  const id2 = t.conn.openStream(false)!;
  t.conn.write(id2, bytes(100));
  until(t.net, t.sc, (e) => e.type === 'stream_readable');
  t.sc.stopSending(id2, 9);
  const ce = until(t.net, t.conn, (e) => e.type === 'stream_stopped');
  assert.ok(ce.some((e) => e.type === 'stream_stopped' && e.id === id2 && e.code === 9));
  assert.is(t.conn.write(id2, bytes(10)), 0, 'a reset stream takes no more bytes');
});

test('urgency: of two streams with data waiting, the more urgent one is sent first', () => {
  const t = connected('urgency');
  const lazy = t.conn.openStream(false)!, hurry = t.conn.openStream(false)!;
  t.conn.setUrgency(lazy, 7);
  t.conn.setUrgency(hurry, 0);
  for (const id of [lazy, hurry]) { t.conn.write(id, bytes(200_000)); t.conn.finish(id); }
  const order: number[] = [];
  t.net.run(() => {
    for (const e of drain(t.sc)) {
      if (e.type !== 'stream_readable') continue;
      for (;;) { const r = t.sc.read(e.id, 1 << 20); if (r.fin) { order.push(e.id); break; } if (!r.data.length) break; }
    }
    return order.length === 2;
  });
  assert.equal(order, [hurry, lazy]);
});

test('a write beyond the send buffer is cut short; stream_writable follows when acknowledgements free room', () => {
  const server = new Endpoint({ address: 'S', provider: p, rng: seededRng(p, 'wb/s'), server: { staticKeys: [serverSecret] } });
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, 'wb/c'), streams: { sendBuffer: 4000 } });
  const conn = client.connect(0, 'S', { serverKey });
  const net = new Net([client, server]);
  net.run(() => conn.handshakeState === 'confirmed');
  const id = conn.openStream(false)!;
  assert.is(conn.write(id, bytes(10_000)), 4000);
  const seen = until(net, conn, (e) => e.type === 'stream_writable');
  assert.ok(seen.some((e) => e.type === 'stream_writable' && e.id === id));
  assert.ok(conn.write(id, bytes(10_000).subarray(4000)) > 0);
});

for (const [name, setup, frames, code] of [
  ['beyond a stream\'s limit', { initialMaxStreamDataUni: 1000 }, [{ type: 'stream', hasLength: true, fin: false, streamId: 2, offset: 900, data: new Uint8Array(101) }], 'FLOW_CONTROL_ERROR'],
  ['beyond the connection\'s limit', { initialMaxData: 1500, initialMaxStreamDataUni: 1000 },
    [2, 6].map((streamId) => ({ type: 'stream', hasLength: true, fin: false, streamId, data: new Uint8Array(800) })), 'FLOW_CONTROL_ERROR'],
  ['on a stream beyond the stream limit', { initialMaxStreamsUni: 2 }, [{ type: 'stream', hasLength: true, fin: false, streamId: 10, data: new Uint8Array(1) }], 'STREAM_LIMIT_ERROR'],
  ['on the server\'s own unidirectional stream', {}, [{ type: 'stream', hasLength: true, fin: false, streamId: 3, data: new Uint8Array(1) }], 'STREAM_STATE_ERROR'],
  ['past the final size', {}, [
    { type: 'stream', hasLength: true, fin: true, streamId: 2, data: new Uint8Array(10) },
    { type: 'stream', hasLength: true, fin: false, streamId: 2, offset: 10, data: new Uint8Array(1) }], 'FINAL_SIZE_ERROR'],
  ['MAX_STREAM_DATA for a receive-only stream', {}, [{ type: 'max_stream_data', streamId: 2, maximumStreamData: 10 }], 'STREAM_STATE_ERROR'],
  ['HANDSHAKE_DONE (frames.handshake-done.server-only)', {}, [{ type: 'handshake_done' }], 'PROTOCOL_VIOLATION'],
  ['a packet with no frames (frames.payload.non-empty)', {}, [], 'PROTOCOL_VIOLATION'],
] as [string, Partial<TransportParameters>, Frame[], string][]) {
  test(`a peer sending ${name}: the server closes with ${code} and the client learns it`, () => {
    const t = connected(`bad-${name}`, { server: setup });
    forge(t, frames);
    const closed = drain(t.sc).find((e) => e.type === 'closed') as Closed | undefined;
    assert.ok(closed, 'the server closed');
    assert.is(closed!.error!.codeName, code);
    assert.not.ok(closed!.remote);
    const seen = until(t.net, t.conn, (e) => e.type === 'closed');
    const c = seen.find((e) => e.type === 'closed') as Closed;
    assert.ok(c.remote);
    assert.is(c.error!.codeName, code);
  });
}

test('stream calls before the handshake or after the close are RangeErrors', () => {
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, 'early/c') });
  const conn = client.connect(0, 'S', { serverKey });
  assert.throws(() => conn.openStream(true), /before the handshake/);
  const t = connected('late');
  t.conn.close(t.net.now);
  assert.throws(() => t.conn.openStream(true), /closing/);
});

test.run();
