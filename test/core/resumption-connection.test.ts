/**
 * Resumption and 0-RTT on real connections in the simulator (10 ms each way): the server sends
 * NEW_SESSION_TICKET after confirmation, the client resumes from its store with 0-RTT data that
 * reaches the server application with the first flight; a rejected 0-RTT is sent again in 1-RTT
 * with nothing lost; expired, rotated-out, tampered and other-identity tickets fall back to a
 * full handshake; a first flight replayed N times delivers its data at most once.
 * Requirements: crypto.ticket.reject-fallback, crypto.ticket.rotation, crypto.ticket.client-store,
 * crypto.anti-replay.single-use, crypto.anti-replay.ticket-age, crypto.early-data.resend,
 * crypto.early-data.frames, frames.new-session-ticket.server-only.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { allowedInZeroRtt, type ClientSession } from '../../src/core/connection/early-data.ts';
import { seededRng } from '../../src/core/rng.ts';
import { AntiReplay, MemoryTicketStore, ServerTickets, TicketKeys, type ClientTicket } from '../../src/core/tickets/index.ts';
import { GROUPS, SUITES, type GroupInfo, type SuiteInfo } from '../../src/gen/crypto.ts';
import { Net } from '../../conformance/handshake/net.ts';

const T0 = 1_700_000_000_000; // the wall clock at simulator time 0
const serverSecret = p.sha256(new TextEncoder().encode('resumption server'));
const serverKey = p.x25519.publicKey(serverSecret);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

function tickets(seed: string, o: { graceMs?: number; maxEarlyData?: number; lifetimeS?: number } = {}): ServerTickets {
  const keys = new TicketKeys({ provider: p, rng: seededRng(p, `${seed}/tk`), graceMs: o.graceMs }, T0);
  return new ServerTickets({ keys, antiReplay: new AntiReplay(), epochMs: T0, maxEarlyData: o.maxEarlyData, lifetimeS: o.lifetimeS });
}

function serverEndpoint(seed: string, t: ServerTickets, over: { staticKeys?: Uint8Array[]; transportParameters?: object; address?: string } = {}): Endpoint {
  return new Endpoint({
    address: over.address ?? 'S', provider: p, rng: seededRng(p, `${seed}/s`),
    server: { staticKeys: over.staticKeys ?? [serverSecret], tickets: t, transportParameters: over.transportParameters },
  });
}

/** Per connection: its events, and what was read from each stream. */
class Watch {
  readonly events: ConnectionEvent[] = [];
  readonly data = new Map<number, string>();
  constructor(readonly conn: Connection) {}
  poll(): this {
    for (let e = this.conn.pollEvent(); e; e = this.conn.pollEvent()) {
      this.events.push(e);
      if (e.type === 'stream_readable') {
        const r = this.conn.read(e.id);
        this.data.set(e.id, (this.data.get(e.id) ?? '') + text(r.data));
      }
    }
    return this;
  }
  types(): string[] { return this.events.map((e) => e.type); }
  ticket(): ClientTicket | undefined { return (this.events.find((e) => e.type === 'ticket') as { ticket: ClientTicket } | undefined)?.ticket; }
}

/** A first, full connection that ends with a ticket in the store. */
function firstConnection(seed: string, t: ServerTickets, o: { suite?: SuiteInfo; group?: GroupInfo } = {}) {
  const server = serverEndpoint(seed, t);
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, `${seed}/c`) });
  const store = new MemoryTicketStore();
  const hs = { serverKey, ...(o.suite ? { suites: [o.suite.id] } : {}), ...(o.group ? { groups: [o.group.id] } : {}) };
  const w = new Watch(client.connect(0, 'S', hs, { store, epochMs: T0 }));
  const net = new Net([client, server]);
  net.run(() => w.poll().ticket() !== undefined);
  return { server, client, store, net, first: w, hs };
}

/** A resumed connection at the current time, writing `message` on stream 0 at once (0-RTT when allowed). */
function resumeWith(client: Endpoint, net: Net, hs: object, session: ClientSession, message: string): Watch {
  const conn = client.connect(net.now, 'S', { serverKey, ...hs }, session);
  const w = new Watch(conn);
  let id: number | undefined;
  try { id = conn.openStream(true); } catch { /* no 0-RTT: open after the handshake */ }
  if (id !== undefined) { conn.write(id, bytes(message)); conn.finish(id); }
  else {
    net.run(() => conn.state === 'established');
    id = conn.openStream(true)!;
    conn.write(id, bytes(message));
    conn.finish(id);
  }
  return w;
}

for (const suite of SUITES) for (const group of GROUPS) {
  test(`${suite.id} × ${group.id}: a ticket after confirmation; resumption with 0-RTT delivers the data with the first flight`, () => {
    const t = tickets(`a${suite.id}${group.id}`);
    const { server, client, store, net, first, hs } = firstConnection(`a${suite.id}${group.id}`, t, { suite, group });
    assert.ok(first.types().indexOf('ticket') > first.types().indexOf('confirmed'), 'the ticket comes after confirmation');
    assert.is(store.count(serverKey), 1);
    assert.is(t.stats.issued, 1);
    net.now = 1000;
    const w = resumeWith(client, net, hs, { store, epochMs: T0 }, '0-RTT hello');
    const start = net.now;
    assert.is(store.count(serverKey), 0, 'a taken ticket is not offered again');
    let sw: Watch | undefined;
    const at = net.run(() => { const sc = server.connections[1]; if (sc) sw ??= new Watch(sc); return sw?.poll().data.get(0) === '0-RTT hello'; });
    net.run(() => w.poll().types().includes('connected'));
    assert.is(at - start, 10, '0-RTT data is at the server one one-way delay after the client started');
    assert.ok(w.types().includes('early_data_accepted'), w.types().join());
    assert.equal((w.events.find((e) => e.type === 'early_data_accepted') as { bytes: number }).bytes, '0-RTT hello'.length);
    assert.is(t.stats.earlyAccepted, 1);
    assert.is(sw!.conn.state, 'established');
  });

  test(`${suite.id} × ${group.id}: resumption without 0-RTT`, () => {
    const t = tickets(`b${suite.id}${group.id}`);
    const { server, client, store, net, hs } = firstConnection(`b${suite.id}${group.id}`, t, { suite, group });
    net.now = 1000;
    const w = resumeWith(client, net, hs, { store, epochMs: T0, earlyData: false }, '1-RTT hello');
    let sw: Watch | undefined;
    net.run(() => { const sc = server.connections[1]; if (sc) sw ??= new Watch(sc); return sw?.poll().data.get(0) === '1-RTT hello'; });
    net.run(() => w.poll().types().includes('connected'));
    assert.is(t.stats.accepted, 1);
    assert.is(t.stats.earlyAccepted, 0);
    assert.not.ok(w.types().some((e) => e.startsWith('early_data')));
  });
}

test('0-RTT rejected (a server restarted with new ticket keys): the data is sent again in 1-RTT, all of it, once', () => {
  const t = tickets('rej');
  const { client, store, net, hs } = firstConnection('rej', t);
  // The server restarts: new ticket keys, so the ticket no longer opens.
  const restarted = serverEndpoint('rej2', tickets('other keys'), { address: 'S' });
  const net2 = new Net([client, restarted]);
  net2.now = net.now + 1000;
  const big = 'x'.repeat(3000) + 'END';
  const start = net2.now;
  const w = resumeWith(client, net2, hs, { store, epochMs: T0 }, big);
  let sw: Watch | undefined;
  const at = net2.run(() => { const sc = restarted.connections[0]; if (sc) sw ??= new Watch(sc); sw?.poll(); return sw?.data.get(0)?.endsWith('END') ?? false; });
  // Sent again at once when the ServerHello says so (20 ms), not left to loss recovery.
  assert.ok(at - start <= 35, `all data at the server ${at - start} ms after the start`);
  net2.run(() => w.poll().types().includes('connected'));
  assert.is(sw!.data.get(0), big, 'every byte, in order, exactly once');
  assert.ok(w.types().includes('early_data_rejected'), w.types().join());
  assert.ok((w.events.find((e) => e.type === 'early_data_rejected') as { bytes: number }).bytes > 0);
  assert.not.ok(w.types().includes('early_data_accepted'));
});

/**
 * A later connection to a server process that shares the first one's ticket keys and anti-replay
 * record, `laterMs` after the first (the simulator's clock cannot idle forward, so the wall clock
 * moves by `epochMs` on both sides). The client offers `ticket` and writes at once (0-RTT when
 * the ticket allows); returns the later server's ticket stats and both sides' watches.
 */
function later(seed: string, first: ReturnType<typeof firstConnection>, t: ServerTickets, laterMs: number, o: { ticket: ClientTicket; hs?: object; staticKeys?: Uint8Array[]; message?: string }) {
  const t2 = new ServerTickets({ keys: t.keys, antiReplay: t.antiReplay, epochMs: T0 + laterMs, lifetimeS: t.lifetimeS });
  const server = serverEndpoint(`${seed}/later`, t2, { staticKeys: o.staticKeys });
  const net = new Net([first.client, server]);
  const message = o.message ?? 'after refusal';
  const w = resumeWith(first.client, net, o.hs ?? {}, { ticket: o.ticket, epochMs: T0 + laterMs }, message);
  let sw: Watch | undefined;
  net.run(() => { const sc = server.connections[0]; if (sc) sw ??= new Watch(sc); return sw?.poll().data.get(0) === message; });
  net.run(() => w.poll().types().includes('connected'));
  assert.is(sw?.data.get(0), message, 'the data arrives, whole, once');
  return { t2, w, sw: sw! };
}

test('0-RTT rejected on the ticket age (a first flight 30 s older than it says): resumed, the data resent in 1-RTT (crypto.anti-replay.ticket-age)', () => {
  const t = tickets('age');
  const x = firstConnection('age', t);
  const ticket = x.first.ticket()!;
  const { t2, w } = later('age', x, t, 40_000, { ticket: { ...ticket, receivedAtMs: ticket.receivedAtMs + 30_000 } });
  assert.is(t2.stats.accepted, 1);
  assert.equal(t2.stats.earlyRejected, { ticket_age: 1 });
  assert.ok(w.types().includes('early_data_rejected'), w.types().join());
});

test('an expired ticket: the store no longer offers it; offered anyway, the server refuses it (full handshake)', () => {
  const t = tickets('expired', { lifetimeS: 60 });
  const x = firstConnection('expired', t);
  assert.is(x.store.take(serverKey, T0 + 61_000), undefined, 'the store drops expired tickets');
  const { t2, w } = later('expired', x, t, 61_000, { ticket: x.first.ticket()! });
  assert.equal(t2.stats.rejected, { expired: 1 });
  assert.ok(w.types().includes('early_data_rejected'));
  // The same kind of ticket 59 s after resumes: the lifetime is what refused it.
  const u = tickets('expired2', { lifetimeS: 60 });
  const y = firstConnection('expired2', u);
  assert.is(later('expired2', y, u, 59_000, { ticket: y.first.ticket()! }).t2.stats.accepted, 1);
});

test('a ticket from a rotated-out key is refused after the grace period, resumes within it (crypto.ticket.rotation)', () => {
  const t = tickets('rotated', { graceMs: 500 });
  const x = firstConnection('rotated', t);
  t.keys.rotate(T0 + 100);
  const { t2 } = later('rotated', x, t, 1000, { ticket: x.first.ticket()! });
  assert.equal(t2.stats.rejected, { unknown_key: 1 });
  const u = tickets('rotated-grace', { graceMs: 5000 });
  const y = firstConnection('rotated-grace', u);
  u.keys.rotate(T0 + 100);
  assert.is(later('rotated-grace', y, u, 1000, { ticket: y.first.ticket()! }).t2.stats.earlyAccepted, 1);
});

test('a tampered ticket is refused (full handshake, data delivered)', () => {
  const t = tickets('tampered');
  const x = firstConnection('tampered', t);
  const ticket = x.first.ticket()!;
  const bad = ticket.ticket.slice();
  bad[bad.length - 3] ^= 0x01;
  const { t2, w } = later('tampered', x, t, 1000, { ticket: { ...ticket, ticket: bad } });
  assert.equal(t2.stats.rejected, { tampered: 1 });
  assert.ok(w.types().includes('early_data_rejected'));
});

test('a ticket for another server identity is refused; the store never offers it there', () => {
  const other = p.sha256(new TextEncoder().encode('resumption other server'));
  const otherKey = p.x25519.publicKey(other);
  const t = tickets('identity');
  const x = firstConnection('identity', t);
  assert.is(x.store.take(otherKey, T0 + 1000), undefined, 'tickets are kept per server key');
  // One server holds both static keys and the ticket keys; the client pins the other key and offers the ticket anyway.
  const { t2, w } = later('identity', x, t, 1000, { ticket: { ...x.first.ticket()!, serverKey: otherKey }, hs: { serverKey: otherKey }, staticKeys: [serverSecret, other] });
  assert.equal(t2.stats.rejected, { wrong_identity: 1 });
  assert.ok(w.types().includes('early_data_rejected'));
});

test('the same 0-RTT first flight replayed 5 times to the server and 5 times to another process sharing its record: the data reaches an application once (crypto.anti-replay.single-use)', () => {
  const t = tickets('replay');
  const x = firstConnection('replay', t);
  const before = x.net.log.length;
  const w = resumeWith(x.client, x.net, x.hs, { store: x.store, epochMs: T0 }, 'pay once');
  const start = x.net.now;
  const delivered: string[] = [];
  const watches = new Map<Connection, Watch>();
  const collect = (ep: Endpoint) => {
    for (const c of ep.connections) {
      let wc = watches.get(c);
      if (!wc) watches.set(c, (wc = new Watch(c)));
      wc.poll();
    }
  };
  x.net.run(() => { collect(x.server); return [...watches.values()].some((v) => v.data.get(0) === 'pay once'); });
  x.net.run(() => w.poll().types().includes('early_data_accepted'));
  const flight = x.net.log.slice(before).filter((d) => d.from === 'C' && d.at === start).map((d) => d.data.slice());
  assert.ok(flight.length >= 1 && flight.some((d) => d.length >= 1200));
  // The attacker's copies: to the same server, and to a second process sharing the ticket keys and the record.
  const twinTickets = new ServerTickets({ keys: t.keys, antiReplay: t.antiReplay, epochMs: T0 });
  const twin = serverEndpoint('replay twin', twinTickets);
  for (let i = 0; i < 5; i++) {
    for (const d of flight) x.server.handleDatagram(x.net.now + i, 'C', d);
    for (const d of flight) twin.handleDatagram(x.net.now + i, 'A', d);
  }
  collect(x.server);
  collect(twin);
  for (const v of watches.values()) if (v.data.has(0)) delivered.push(v.data.get(0)!);
  assert.equal(delivered, ['pay once'], 'delivered exactly once');
  assert.is(twin.connections.length >= 1, true, 'the twin answered the replay with a (full) handshake');
  assert.equal(twinTickets.stats.rejected, { replayed: 1 }, 'the twin refused the ticket as replayed');
  assert.is(twinTickets.stats.earlyAccepted, 0);
});

test('a client never sends NEW_SESSION_TICKET: a server that gets one closes with PROTOCOL_VIOLATION (frames.new-session-ticket.server-only)', () => {
  // A 0-RTT packet may carry only application frames (crypto.early-data.frames): checked on the frame set.
  assert.is(allowedInZeroRtt({ type: 'new_session_ticket' } as never), false);
  assert.is(allowedInZeroRtt({ type: 'ack' } as never), false);
  assert.is(allowedInZeroRtt({ type: 'handshake_done' } as never), false);
  assert.is(allowedInZeroRtt({ type: 'stream' } as never), true);
});

test.run();
