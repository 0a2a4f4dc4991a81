/**
 * 0-RTT rejected by a server that lowered its limits, and a shutdown asked for before the
 * handshake completes, on real connections in the simulator (10 ms each way).
 *
 * A client writes on several streams in 0-RTT within the limits its ticket remembered; the server
 * restarted with lower transport parameters (fewer streams, smaller stream and connection
 * windows), so it rejects 0-RTT (crypto.early-data.unsafe-parameters). The client must then send
 * everything again within the handshake's limits — never more stream data or more streams than
 * they allow — and still deliver every byte (machines.connection.early-limits,
 * machines.stream-send.early-rewind). A shutdown while 0-RTT streams hold data waits for the
 * handshake and drains them (lifecycle action defer_shutdown).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, type Connection, type ConnectionEvent, type LifecycleStep } from '../../src/core/connection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { AntiReplay, MemoryTicketStore, ServerTickets, TicketKeys } from '../../src/core/tickets/index.ts';
import { Net } from '../../conformance/handshake/net.ts';

const T0 = 1_700_000_000_000;
const serverSecret = p.sha256(new TextEncoder().encode('early limits server'));
const serverKey = p.x25519.publicKey(serverSecret);

const keys = new TicketKeys({ provider: p, rng: seededRng(p, 'early limits/tk') }, T0);
const tickets = (epochMs: number) => new ServerTickets({ keys, antiReplay: new AntiReplay(), epochMs });

/** A server whose wall clock is `epochMs` at simulator time 0 (each test's second simulator starts at 0 again). */
function serverEndpoint(seed: string, epochMs: number, transportParameters?: object): Endpoint {
  return new Endpoint({ address: 'S', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [serverSecret], tickets: tickets(epochMs), transportParameters } });
}

/** The server's application: reads everything and ends its side of each stream once the client's ended. */
class ServerApp {
  readonly data = new Map<number, number[]>();
  readonly errors: ConnectionEvent[] = [];
  readonly finished = new Set<number>();
  #conn: Connection | undefined;
  get conn(): Connection | undefined { return this.#conn; }
  /** Polls the server's connection (kept once seen: a closed one leaves `Endpoint.connections`). */
  poll(seen: Connection | undefined): void {
    const conn = (this.#conn ??= seen);
    if (!conn) return;
    for (let e = conn.pollEvent(); e; e = conn.pollEvent()) {
      if (e.type === 'closed') this.errors.push(e);
      if (e.type !== 'stream_readable') continue;
      for (;;) {
        const r = conn.read(e.id);
        const got = this.data.get(e.id) ?? [];
        for (const b of r.data) got.push(b);
        this.data.set(e.id, got);
        if (r.fin) { this.finished.add(e.id); conn.finish(e.id); break; }
        if (r.data.length === 0) break;
      }
    }
  }
}

/** A ticket from a first connection to a server with roomy limits; `epochMs`: the wall clock for the next simulator. */
function ticketStore(seed: string): { store: MemoryTicketStore; client: Endpoint; epochMs: number } {
  const server = serverEndpoint(seed, T0, { initialMaxData: 1 << 20, initialMaxStreamDataBidiRemote: 256 << 10, initialMaxStreamsBidi: 100 });
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, `${seed}/c`) });
  const store = new MemoryTicketStore();
  const conn = client.connect(0, 'S', { serverKey }, { store, epochMs: T0 });
  const net = new Net([client, server]);
  net.run(() => { for (let e = conn.pollEvent(); e; e = conn.pollEvent()) { /* drain */ } return store.count(serverKey) > 0; });
  conn.close(net.now, 0, 'done');
  net.run(() => conn.isTerminated);
  return { store, client, epochMs: T0 + net.now + 10 };
}

const pattern = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);

test('0-RTT rejected because the server lowered its limits: everything is sent again within the new limits, every byte delivered', () => {
  const { store, client, epochMs } = ticketStore('lowered');
  const ticket = store.take(serverKey, epochMs)!;
  assert.ok(ticket.maxEarlyData >= 12_000 && ticket.transportParameters.initialMaxStreamsBidi >= 4, 'the ticket allows 4 streams of 3,000 bytes in 0-RTT');
  store.put(ticket);
  // Restarted with lower limits: 2 streams, 1,000 bytes a stream, 2,500 bytes on the connection at first.
  const lowered = { initialMaxData: 2500, initialMaxStreamDataBidiRemote: 1000, initialMaxStreamsBidi: 2 };
  const server = serverEndpoint('lowered later', epochMs, lowered);
  const net = new Net([client, server]);
  const conn = client.connect(net.now, 'S', { serverKey }, { store, epochMs });
  assert.is(conn.earlyData, 'pending');
  const sent = new Map<number, Uint8Array>();
  for (let i = 0; i < 4; i++) {
    const id = conn.openStream(true)!;
    const data = pattern(3000, i);
    assert.is(conn.write(id, data), data.length);
    conn.finish(id);
    sent.set(id, data);
  }
  const app = new ServerApp();
  const clientEvents: ConnectionEvent[] = [];
  // The server's view of the peer's flow control, checked on every packet: never beyond what it allowed.
  net.run(() => {
    for (let e = conn.pollEvent(); e; e = conn.pollEvent()) clientEvents.push(e);
    app.poll(server.connections[0]);
    return app.finished.size === 4 || conn.isClosed;
  }, 20_000);
  assert.equal(app.errors, [], 'the server saw no error');
  assert.not.ok(conn.isClosed, `the client is ${conn.state}`);
  assert.is(conn.earlyData, 'rejected');
  assert.is(conn.resumed, true, 'the ticket resumed the session; only its 0-RTT data was declined');
  assert.is(app.conn?.earlyData, 'rejected', 'the server knows it declined offered 0-RTT');
  assert.is(app.conn?.resumed, true);
  const rejected = clientEvents.find((e) => e.type === 'early_data_rejected') as { bytes: number } | undefined;
  assert.ok(rejected && rejected.bytes > 0, 'the application is told 0-RTT was rejected');
  for (const [id, data] of sent) assert.equal(Uint8Array.from(app.data.get(id) ?? []), data, `stream ${id}: every byte, in order, once`);
});

test('0-RTT rejected with lowered limits: a stream beyond the new stream limit waits for MAX_STREAMS (STREAMS_BLOCKED goes out), then sends', () => {
  const { store, client, epochMs } = ticketStore('held');
  const server = serverEndpoint('held later', epochMs, { initialMaxStreamsBidi: 1 });
  const net = new Net([client, server]);
  const conn = client.connect(net.now, 'S', { serverKey }, { store, epochMs });
  const ids = [conn.openStream(true)!, conn.openStream(true)!, conn.openStream(true)!];
  for (const id of ids) { conn.write(id, pattern(500, id)); conn.finish(id); }
  const app = new ServerApp();
  const order: number[] = [];
  net.run(() => {
    for (let e = conn.pollEvent(); e; e = conn.pollEvent()) { /* drain */ }
    app.poll(server.connections[0]);
    for (const id of app.finished) if (!order.includes(id)) order.push(id);
    return app.finished.size === 3 || conn.isClosed;
  }, 20_000);
  assert.equal(app.errors, [], 'no STREAM_LIMIT_ERROR at the server');
  assert.equal(order, ids, 'the streams reach the server one at a time, in order, as the limit frees');
  for (const id of ids) assert.equal(Uint8Array.from(app.data.get(id)!), pattern(500, id));
});

test('a shutdown while 0-RTT streams hold data waits for the handshake, then drains them (defer_shutdown)', () => {
  const { store, client, epochMs } = ticketStore('deferred');
  const server = serverEndpoint('deferred later', epochMs);
  const net = new Net([client, server]);
  const conn = client.connect(net.now, 'S', { serverKey }, { store, epochMs });
  const steps: LifecycleStep[] = [];
  conn.lifecycleObserver = (s) => steps.push(s);
  const id = conn.openStream(true)!;
  const data = pattern(5000, 3);
  conn.write(id, data);
  conn.shutdown(net.now, { timeoutMs: 5000, code: 9 });
  assert.equal(steps.map((s) => `${s.event}[${s.guard}] ${s.next}`), ['app_open_stream[early_data] handshaking', 'shutdown[busy] handshaking']);
  const app = new ServerApp();
  const events: string[] = [];
  net.run(() => {
    for (let e = conn.pollEvent(); e; e = conn.pollEvent()) {
      events.push(e.type);
      if (e.type === 'stream_readable') conn.read(e.id); // the server's side of the stream: its FIN
    }
    app.poll(server.connections[0]);
    return conn.isTerminated;
  }, 20_000);
  assert.equal(Uint8Array.from(app.data.get(id) ?? []), data, 'the 0-RTT stream was drained, not abandoned');
  assert.ok(app.finished.has(id), 'with its FIN');
  assert.ok(events.includes('drained'), events.join());
  const closed = steps.map((s) => s.event);
  assert.ok(closed.indexOf('handshake_complete') < closed.lastIndexOf('shutdown'), 'the shutdown is taken again after the handshake');
  assert.ok(closed.includes('streams_drained'), closed.join());
});

test('without 0-RTT keys, opening a stream before the handshake completes is refused (guard no_early_data)', () => {
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, 'no early/c') });
  const conn = client.connect(0, 'S', { serverKey });
  const steps: LifecycleStep[] = [];
  conn.lifecycleObserver = (s) => steps.push(s);
  assert.is(conn.earlyData, 'none');
  assert.throws(() => conn.openStream(true), (e: unknown) => e instanceof RangeError && /before the handshake/.test(e.message));
  assert.equal(steps.map((s) => `${s.event}[${s.guard}]`), ['app_open_stream[no_early_data]']);
});

test.run();
