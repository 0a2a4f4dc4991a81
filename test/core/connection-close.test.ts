/**
 * How a connection ends, in the simulator (spec/machines/connection.yaml): application and
 * transport closes reach the peer with their code and reason (and an application close made
 * before the handshake is confirmed reveals nothing in its Initial packet); a graceful shutdown
 * delivers every byte written before it — under loss — and only then closes with NO_ERROR, gives
 * up after its time limit with the code it was given, refuses streams the peer opens meanwhile;
 * bad arguments are typed errors. A lost STREAMS_BLOCKED is sent again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import type { HandshakeKeys } from '../../src/core/handshake/index.ts';
import { KeyPhases } from '../../src/core/protection/index.ts';
import { splitDatagram } from '../../src/core/connection/headers.ts';
import { seededRng } from '../../src/core/rng.ts';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { decodeFrames } from '../../src/gen/frames.ts';
import type { TransportParameters } from '../../src/gen/messages.ts';
import { Simulator, type LinkConfig } from '../../src/sim/index.ts';

const serverSecret = p.sha256(new TextEncoder().encode('connection close server'));
const serverKey = p.x25519.publicKey(serverSecret);
type Closed = Extract<ConnectionEvent, { type: 'closed' }>;

function pair(seed: string, o: { link?: LinkConfig; server?: Partial<TransportParameters>; confirm?: boolean } = {}) {
  const sim = new Simulator({ seed });
  const se = sim.addEndpoint(new Endpoint({ address: 'S', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [serverSecret], transportParameters: o.server } }));
  const ce = sim.addEndpoint(new Endpoint({ address: 'C', provider: p, rng: seededRng(p, `${seed}/c`) }));
  sim.link('C', 'S', { delayMs: 20, ...o.link });
  const conn = ce.connect(0, 'S', { serverKey });
  const log: ConnectionEvent[] = [];
  if (o.confirm !== false) sim.run({ until: () => conn.handshakeState === 'confirmed' && se.connections[0]?.handshakeState === 'confirmed', maxTime: 30_000 });
  return { sim, se, ce, conn, log, server: () => se.connections[0] ?? se.accept() };
}

function events(c: Connection): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}
const closedOf = (evs: ConnectionEvent[]) => evs.find((e) => e.type === 'closed') as Closed | undefined;
const summary = (c: Closed | undefined) => c && { remote: c.remote, application: c.application, code: c.code, reason: c.reason, error: c.error?.codeName };

// machines.connection.close-event
test('application close: the peer learns it was the application, with its code and reason', () => {
  const t = pair('app-close');
  const sc = t.server()!;
  events(t.conn); events(sc);
  t.conn.close(t.sim.now, { code: 42, reason: 'bye from the app' });
  assert.is(t.conn.state, 'closing');
  assert.equal(summary(closedOf(events(t.conn))), { remote: false, application: true, code: 42, reason: 'bye from the app', error: undefined });
  t.sim.run({ until: () => sc.isClosed, maxTime: t.sim.now + 1000 });
  assert.is(sc.state, 'draining');
  assert.equal(summary(closedOf(events(sc))), { remote: true, application: true, code: 42, reason: 'bye from the app', error: undefined });
});

test('transport close through the options, and the older close(now, code, reason): the peer sees a transport code', () => {
  const t = pair('transport-close');
  const sc = t.server()!;
  events(sc);
  t.conn.close(t.sim.now, { code: 0x0a, reason: 'broken', application: false });
  t.sim.run({ until: () => sc.isClosed, maxTime: t.sim.now + 1000 });
  assert.equal(summary(closedOf(events(sc))), { remote: true, application: false, code: 0x0a, reason: 'broken', error: 'PROTOCOL_VIOLATION' });
  const u = pair('legacy-close');
  const sc2 = u.server()!;
  events(sc2);
  u.conn.close(u.sim.now, 0, 'done');
  u.sim.run({ until: () => sc2.isClosed, maxTime: u.sim.now + 1000 });
  assert.equal(summary(closedOf(events(sc2))), { remote: true, application: false, code: 0, reason: 'done', error: undefined });
  // A second close changes nothing and reports nothing.
  u.conn.close(u.sim.now, { code: 7 });
  assert.is(u.conn.state, 'closing');
  assert.equal(events(u.conn).filter((e) => e.type === 'closed').length, 1);
});

// machines.connection.application-close-initial
test('an application close before the client has 1-RTT keys goes in an Initial as APPLICATION_ERROR, without the code or reason', () => {
  const t = pair('early-close', { confirm: false });
  const sent: Uint8Array[] = [];
  t.sim.intercept = (d) => { if (d.from === 'C') sent.push(d.data); };
  t.sim.run({ until: () => t.server() !== undefined, maxTime: 100 }); // the ClientHello arrives at the server
  assert.is(t.conn.state, 'handshaking');
  t.conn.close(t.sim.now, { code: 4242, reason: 'secret reason' });
  const sc = t.server()!;
  t.sim.run({ until: () => sc.isClosed, maxTime: t.sim.now + 1000 });
  const closeDatagram = sent.at(-1)!;
  assert.is(splitDatagram(closeDatagram).length, 1, 'one Initial packet: no 1-RTT keys yet');
  assert.not.ok(new TextDecoder('latin1').decode(closeDatagram).includes('secret'), 'the reason is not in the datagram');
  assert.equal(summary(closedOf(events(sc))), { remote: true, application: false, code: 0x0c, reason: '', error: 'APPLICATION_ERROR' });
  assert.equal(summary(closedOf(events(t.conn))), { remote: false, application: true, code: 4242, reason: 'secret reason', error: undefined });
});

test('bad arguments are typed errors and change nothing', () => {
  const t = pair('bad-args');
  const c = t.conn;
  assert.throws(() => c.close(0, { code: -1 }), (e: unknown) => e instanceof RangeError && /code must be an integer/.test(e.message));
  assert.throws(() => c.close(0, { code: 1.5 }), RangeError);
  assert.throws(() => c.close(0, { code: 2 ** 60 }), RangeError);
  assert.throws(() => c.close(0, { code: 1, reason: 'é'.repeat(300) }), (e: unknown) => e instanceof RangeError && /at most 512 bytes/.test(e.message));
  assert.throws(() => c.close(0, { code: 1, reason: 5 as never }), TypeError);
  assert.throws(() => c.close(0, null as never), TypeError);
  assert.throws(() => c.close(0, { code: 1, application: 'yes' as never }), TypeError);
  assert.throws(() => c.shutdown(0, { timeoutMs: -1 }), (e: unknown) => e instanceof RangeError && /timeoutMs/.test(e.message));
  assert.throws(() => c.shutdown(0, { timeoutMs: Number.NaN }), RangeError);
  assert.throws(() => c.shutdown(0, { timeoutMs: 10, code: -3 }), RangeError);
  assert.throws(() => c.shutdown(0, undefined as never), TypeError);
  assert.is(c.state, 'established');
  // An error's own long reason is cut to fit the close (whole characters), never a crash.
  c.close(t.sim.now, { code: 1, reason: 'é'.repeat(256) });
  assert.is(c.state, 'closing');
});

/** Deterministic bytes of stream `id`, `n` long. */
function bytesOf(id: number, n: number, salt = 0): Uint8Array {
  const b = new Uint8Array(n);
  let x = (id * 2654435761 + salt * 97 + 1) >>> 0;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) { out.set(x, o); o += x.length; }
  return out;
}

/** An application on one side: reads every readable stream, remembers the bytes and the FIN; answers finished bidi streams when `answer`. */
class App {
  readonly got = new Map<number, { parts: Uint8Array[]; fin: boolean; reset?: number }>();
  readonly log: ConnectionEvent[] = [];
  constructor(readonly conn: Connection, readonly answer: number | undefined) {}
  poll(): void {
    for (let e = this.conn.pollEvent(); e; e = this.conn.pollEvent()) {
      this.log.push(e);
      if (e.type !== 'stream_readable') continue;
      const s = this.got.get(e.id) ?? { parts: [], fin: false };
      this.got.set(e.id, s);
      for (;;) {
        const r = this.conn.read(e.id);
        if (r.resetCode !== undefined) s.reset = r.resetCode;
        if (r.data.length) s.parts.push(r.data);
        if (r.fin) s.fin = true;
        if (!r.data.length || r.fin) break;
      }
      if (s.fin && this.answer !== undefined && e.id % 4 === 0 && !this.conn.isClosed) { // a client bidi stream: answer it
        this.conn.write(e.id, bytesOf(e.id, this.answer, 1));
        this.conn.finish(e.id);
      }
    }
  }
  bytes(id: number): Uint8Array { return concat(this.got.get(id)?.parts ?? []); }
}

/**
 * The drain test: the client writes to uni and bidi streams (some finished, some not), then at
 * once shuts down on a lossy link. Returns what each side's application saw.
 */
function shutdownUnderLoss(seed: string, lossRate: number) {
  const t = pair(seed, { link: { delayMs: 20, lossRate, bandwidthBps: 20e6 } });
  const sc = t.server()!;
  const capp = new App(t.conn, undefined), sapp = new App(sc, 30_000);
  capp.poll(); sapp.poll();
  const written = new Map<number, Uint8Array>();
  for (let i = 0; i < 6; i++) {
    const bidi = i % 3 === 0;
    const id = t.conn.openStream(bidi)!;
    const data = bytesOf(id, 40_000 + 7_919 * i);
    assert.is(t.conn.write(id, data), data.length);
    written.set(id, data);
    if (i % 2 === 0) t.conn.finish(id); // the others are finished by the shutdown
  }
  const started = t.sim.now;
  t.conn.shutdown(t.sim.now, { timeoutMs: 120_000, code: 99, reason: 'maintenance' });
  const stateAfter = t.conn.state;
  let drainedAt: number | undefined;
  const r = t.sim.run({
    until: () => {
      capp.poll(); sapp.poll();
      if (drainedAt === undefined && capp.log.some((e) => e.type === 'drained')) drainedAt = t.sim.now;
      return t.conn.isTerminated && sc.isTerminated;
    },
    maxTime: 600_000,
  });
  capp.poll(); sapp.poll();
  return { t, sc, capp, sapp, written, started, drainedAt, stateAfter, r };
}

// machines.connection.shutdown-drain
test('shutdown drains first: under 5% loss every byte and FIN written before it arrives exactly, answers included; then NO_ERROR closes both sides', () => {
  const { t, sc, capp, sapp, written, started, drainedAt, stateAfter } = shutdownUnderLoss('drain', 0.05);
  for (const [id, data] of written) {
    const got = sapp.got.get(id);
    assert.ok(got?.fin, `stream ${id}: the FIN arrived`);
    assert.ok(Buffer.from(sapp.bytes(id)).equals(Buffer.from(data)), `stream ${id}: ${sapp.bytes(id).length} of ${data.length} bytes, byte-exact`);
    if (id % 4 === 0) {
      assert.ok(capp.got.get(id)?.fin, `stream ${id}: the answer's FIN arrived`);
      assert.ok(Buffer.from(capp.bytes(id)).equals(Buffer.from(bytesOf(id, 30_000, 1))), `stream ${id}: the answer is byte-exact`);
    }
  }
  assert.is(stateAfter, 'shutting_down');
  assert.ok(t.conn.isTerminated && sc.isTerminated, `both sides closed (client ${t.conn.state}, server ${sc.state})`);
  const types = capp.log.map((e) => e.type);
  assert.ok(types.indexOf('drained') >= 0 && types.indexOf('drained') === types.indexOf('closed') - 1, `drained, then closed: ${types.slice(-4).join(', ')}`);
  assert.ok(drainedAt! - started > 100, `the drain took ${drainedAt! - started} ms of simulated time`);
  assert.equal(summary(closedOf(capp.log)), { remote: false, application: false, code: 0, reason: 'maintenance', error: undefined });
  assert.equal(summary(closedOf(sapp.log)), { remote: true, application: false, code: 0, reason: 'maintenance', error: undefined });
});

test('shutdown with nothing open closes at once with NO_ERROR (drained); in the handshake too', () => {
  const t = pair('drain-empty');
  t.conn.shutdown(t.sim.now, { timeoutMs: 5000 });
  assert.is(t.conn.state, 'closing');
  assert.equal(events(t.conn).map((e) => e.type).slice(-2), ['drained', 'closed']);
  const u = pair('drain-handshaking', { confirm: false });
  u.conn.shutdown(0, { timeoutMs: 5000, code: 3 });
  assert.is(u.conn.state, 'closing');
  assert.equal(summary(closedOf(events(u.conn))), { remote: false, application: false, code: 0, reason: '', error: undefined });
});

test('shutdown gives up after its time limit: the close carries its code and reason (an application close); no drained event', () => {
  const t = pair('drain-timeout');
  const sc = t.server()!;
  const capp = new App(t.conn, undefined), sapp = new App(sc, undefined); // the server never answers
  const id = t.conn.openStream(true)!;
  t.conn.write(id, bytesOf(id, 1000));
  t.conn.shutdown(t.sim.now, { timeoutMs: 2000, code: 9, reason: 'gave up' });
  const at = t.sim.now;
  t.sim.run({ until: () => { capp.poll(); sapp.poll(); return t.conn.isClosed && sc.isClosed; }, maxTime: at + 10_000 });
  capp.poll(); sapp.poll();
  assert.ok(t.conn.isClosed && sc.isClosed);
  const c = closedOf(capp.log)!;
  assert.equal(summary(c), { remote: false, application: true, code: 9, reason: 'gave up', error: undefined });
  assert.not.ok(capp.log.some((e) => e.type === 'drained'));
  assert.ok(Buffer.from(sapp.bytes(id)).equals(Buffer.from(bytesOf(id, 1000))), 'what was written still arrived');
  assert.equal(summary(closedOf(sapp.log)), { remote: true, application: true, code: 9, reason: 'gave up', error: undefined });
});

// machines.connection.shutdown-refuse
test('a shutting-down side refuses the streams the peer opens (STOP_SENDING, RESET_STREAM with its code) and still drains', () => {
  const t = pair('drain-refuse');
  const sc = t.server()!;
  const capp = new App(t.conn, undefined), sapp = new App(sc, 500);
  const mine = t.conn.openStream(true)!;
  t.conn.write(mine, bytesOf(mine, 5000));
  t.conn.shutdown(t.sim.now, { timeoutMs: 60_000, code: 77 });
  assert.is(t.conn.state, 'shutting_down');
  assert.throws(() => t.conn.openStream(false), (e: unknown) => e instanceof RangeError && /shutting_down/.test(e.message));
  assert.throws(() => t.conn.write(mine, new Uint8Array(1)), (e: unknown) => e instanceof RangeError && /shutting down/.test(e.message));
  t.conn.shutdown(t.sim.now, { timeoutMs: 1, code: 1 }); // a second shutdown changes nothing
  // The server opens streams of its own after the client's shutdown.
  const uni = sc.openStream(false)!, bidi = sc.openStream(true)!;
  sc.write(uni, bytesOf(uni, 3000));
  sc.write(bidi, bytesOf(bidi, 3000));
  t.sim.run({ until: () => { capp.poll(); sapp.poll(); return t.conn.isTerminated && sc.isTerminated; }, maxTime: t.sim.now + 30_000 });
  capp.poll(); sapp.poll();
  assert.ok(t.conn.isTerminated, `the client's shutdown completed (${t.conn.state})`);
  assert.not.ok(capp.log.some((e) => e.type === 'stream_opened'), 'the client application never heard of the refused streams');
  const stopped = sapp.log.filter((e) => e.type === 'stream_stopped') as Extract<ConnectionEvent, { type: 'stream_stopped' }>[];
  assert.equal(stopped.map((e) => [e.id, e.code]).sort(), [[bidi, 77], [uni, 77]].sort());
  assert.is(sapp.got.get(bidi)?.reset, 77, 'the refused bidirectional stream was reset towards the server');
  assert.equal(summary(closedOf(capp.log)), { remote: false, application: false, code: 0, reason: '', error: undefined });
  assert.ok(Buffer.from(sapp.bytes(mine)).equals(Buffer.from(bytesOf(mine, 5000))));
});

test('STREAMS_BLOCKED is sent again when lost, and the peer then gives the credit it held back', () => {
  for (const dropIt of [false, true]) {
    const t = pair(`streams-blocked-${dropIt}`, { server: { initialMaxStreamsUni: 4 } });
    const sc = t.server()!;
    const keys = (events(t.conn).find((e) => e.type === 'connected') as { keys: HandshakeKeys } | undefined)?.keys;
    assert.ok(keys);
    const ids = [0, 1, 2, 3].map(() => t.conn.openStream(false)!);
    for (const id of ids) { t.conn.write(id, bytesOf(id, 100)); t.conn.finish(id); }
    // The server application reads the first stream only: one stream's credit is not enough for a MAX_STREAMS batch.
    let readAll = false;
    t.sim.run({
      until: () => {
        for (const e of events(sc)) if (e.type === 'stream_readable' && e.id === ids[0]) readAll ||= sc.read(ids[0]).fin;
        return readAll;
      },
      maxTime: t.sim.now + 2000,
    });
    assert.ok(readAll);
    t.sim.run({ maxTime: t.sim.now + 500 });
    assert.is(t.conn.openStream(false), undefined, 'the fifth stream is held back');
    // Watch the client's packets: drop the first that carries STREAMS_BLOCKED.
    const watch = new KeyPhases({ provider: p, suite: keys!.suite, sendSecret: keys!.serverSecret, receiveSecret: keys!.clientSecret, previousKeyRetention: 1000 });
    let blockedSeen = 0, dropped = 0;
    t.sim.intercept = (d, now) => {
      if (d.from !== 'C') return undefined;
      for (const pkt of splitDatagram(d.data)) {
        if (pkt.form !== 'short') continue;
        const r = watch.open(now, pkt.packet.slice(), pkt.pnOffset);
        if (!r.ok || !decodeFrames(r.payload).some((f) => f.type === 'streams_blocked')) continue;
        blockedSeen++;
        if (dropIt && dropped === 0) { dropped++; return 'drop'; }
      }
      return undefined;
    };
    let available = false;
    t.sim.run({ until: () => { available ||= events(t.conn).some((e) => e.type === 'streams_available'); return available; }, maxTime: t.sim.now + 10_000 });
    assert.ok(available, `streams_available arrived (dropped ${dropped}, STREAMS_BLOCKED seen ${blockedSeen} times)`);
    assert.is(blockedSeen, dropIt ? 2 : 1, 'sent once, and once more after its loss');
    assert.ok(t.conn.openStream(false) !== undefined);
  }
});

test.run();
