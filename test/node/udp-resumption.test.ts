/**
 * Resumption and 0-RTT over real UDP on loopback (src/node/udp-driver.ts around the sans-IO
 * Endpoint): a ticket after the first connection, resumption with and without 0-RTT for each
 * suite, 0-RTT rejected by a restarted server and sent again with nothing lost, expired /
 * rotated-out / tampered / other-identity tickets falling back to a full handshake, and a first
 * flight replayed by an attacker's socket 5 times to the server and 5 times to a second server
 * process sharing the ticket keys and the anti-replay record — its data delivered once.
 * Requirements: crypto.ticket.reject-fallback, crypto.anti-replay.single-use, crypto.early-data.resend.
 */
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import type { ClientSession } from '../../src/core/connection/early-data.ts';
import { AntiReplay, MemoryTicketStore, ServerTickets, TicketKeys, type ClientTicket, type ReplayRecord } from '../../src/core/tickets/index.ts';
import { SUITES } from '../../src/gen/crypto.ts';
import { parseAddress, UdpDriver } from '../../src/node/udp-driver.ts';

const EPOCH = performance.timeOrigin; // wall-clock ms at performance.now() 0: the drivers' clock
const serverSecret = p.randomBytes(32);
const serverKey = p.x25519.publicKey(serverSecret);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function waitFor(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Events and stream data of every connection seen. */
class Seen {
  readonly events = new Map<Connection, ConnectionEvent[]>();
  readonly data = new Map<Connection, string>();
  poll(conns: readonly Connection[]): this {
    for (const c of conns) {
      const ev = this.events.get(c) ?? [];
      this.events.set(c, ev);
      for (let e = c.pollEvent(); e; e = c.pollEvent()) {
        ev.push(e);
        if (e.type === 'stream_readable') this.data.set(c, (this.data.get(c) ?? '') + text(c.read(e.id).data));
      }
    }
    return this;
  }
  types(c: Connection): string[] { return (this.events.get(c) ?? []).map((e) => e.type); }
  delivered(): string[] { return [...this.data.values()]; }
}

function serverTickets(o: { keys?: TicketKeys; antiReplay?: ReplayRecord; laterMs?: number; lifetimeS?: number } = {}): ServerTickets {
  return new ServerTickets({ keys: o.keys ?? new TicketKeys({ provider: p, rng: p.randomBytes, graceMs: 0 }, EPOCH + performance.now()), antiReplay: o.antiReplay ?? new AntiReplay(), epochMs: EPOCH + (o.laterMs ?? 0), lifetimeS: o.lifetimeS });
}

async function server(t: ServerTickets, staticKeys = [serverSecret]): Promise<UdpDriver> {
  return UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, server: { staticKeys, tickets: t } }));
}

/** A client connection that writes `message` on its first stream at once (0-RTT when it can, else once established) and finishes it. */
function open(client: UdpDriver, to: string, session: ClientSession, message: string, hs: object = {}): Connection {
  const conn = client.endpoint.connect(client.now(), to, { serverKey, ...hs }, session);
  let written = false;
  const write = () => { const id = conn.openStream(true)!; conn.write(id, new TextEncoder().encode(message)); conn.finish(id); written = true; };
  try { write(); } catch { /* no 0-RTT: openStream refuses before the handshake; written once established */ }
  client.onActivity = () => { if (!written && conn.state === 'established') { write(); client.schedule(); } };
  client.pump();
  return conn;
}

/** Runs a first connection to `srv` and returns its ticket (also in `store`). */
async function firstTicket(client: UdpDriver, srv: UdpDriver, store: MemoryTicketStore, hs: object = {}): Promise<ClientTicket> {
  const conn = client.endpoint.connect(client.now(), srv.address, { serverKey, ...hs }, { store, epochMs: EPOCH });
  const seen = new Seen();
  client.pump();
  let ticket: ClientTicket | undefined;
  await waitFor(() => { seen.poll([conn]); ticket = (seen.events.get(conn)!.find((e) => e.type === 'ticket') as { ticket: ClientTicket } | undefined)?.ticket; return ticket !== undefined; }, 5000, 'a ticket');
  conn.close(client.now(), 0, 'done');
  client.pump();
  return ticket!;
}

async function clientDriver(): Promise<UdpDriver> {
  return UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes }));
}

for (const suite of SUITES) {
  for (const early of [true, false]) {
    test(`${suite.id}: resumption over loopback UDP ${early ? 'with' : 'without'} 0-RTT`, async () => {
      const t = serverTickets();
      const srv = await server(t), client = await clientDriver();
      try {
        const store = new MemoryTicketStore();
        await firstTicket(client, srv, store, { suites: [suite.id] });
        const conn = open(client, srv.address, { store, epochMs: EPOCH, earlyData: early }, `hello ${suite.id}`, { suites: [suite.id] });
        const ss = new Seen(), cs = new Seen();
        await waitFor(() => ss.poll(srv.endpoint.connections).delivered().includes(`hello ${suite.id}`) && cs.poll([conn]).types(conn).includes('connected'), 5000, 'the data');
        assert.is(t.stats.accepted, 1);
        assert.is(t.stats.earlyAccepted, early ? 1 : 0);
        assert.is(cs.types(conn).includes('early_data_accepted'), early);
        assert.equal(ss.delivered().filter((d) => d.startsWith('hello')), [`hello ${suite.id}`]);
      } finally {
        await client.close();
        await srv.close();
      }
    });
  }
}

test('0-RTT rejected by a restarted server (new ticket keys): sent again in 1-RTT, all of it, once', async () => {
  const first = await server(serverTickets()), client = await clientDriver();
  const restarted = await server(serverTickets());
  try {
    const store = new MemoryTicketStore();
    await firstTicket(client, first, store);
    const big = 'y'.repeat(5000) + 'END';
    const conn = open(client, restarted.address, { store, epochMs: EPOCH }, big);
    const ss = new Seen(), cs = new Seen();
    await waitFor(() => ss.poll(restarted.endpoint.connections).delivered().some((d) => d.endsWith('END')) && cs.poll([conn]).types(conn).includes('connected'), 5000, 'the data');
    assert.equal(ss.delivered(), [big]);
    assert.ok(cs.types(conn).includes('early_data_rejected'), cs.types(conn).join());
  } finally {
    await client.close();
    await first.close();
    await restarted.close();
  }
});

for (const [name, reason, prep] of [
  ['an expired ticket', 'expired', { laterMs: 8 * 86400_000 }],
  ['a ticket from a rotated-out key', 'unknown_key', { rotate: true }],
  ['a tampered ticket', 'tampered', { tamper: true }],
  ['a ticket for another server identity', 'wrong_identity', { other: true }],
] as const) {
  test(`${name} is refused over loopback UDP: a full handshake carries the data (${reason})`, async () => {
    const t = serverTickets();
    const first = await server(t), client = await clientDriver();
    const other = p.randomBytes(32), otherKey = p.x25519.publicKey(other);
    const o = prep as { laterMs?: number; rotate?: boolean; tamper?: boolean; other?: boolean };
    const t2 = serverTickets({ keys: t.keys, antiReplay: t.antiReplay, laterMs: o.laterMs });
    const later = await server(t2, o.other ? [serverSecret, other] : [serverSecret]);
    try {
      const store = new MemoryTicketStore();
      let ticket = await firstTicket(client, first, store);
      if (o.rotate) t.keys.rotate(EPOCH + performance.now());
      if (o.tamper) { const b = ticket.ticket.slice(); b[10] ^= 0x80; ticket = { ...ticket, ticket: b }; }
      const conn = open(client, later.address, { ticket, epochMs: EPOCH + (o.laterMs ?? 0) }, `refused: ${reason}`, o.other ? { serverKey: otherKey } : {});
      const ss = new Seen(), cs = new Seen();
      await waitFor(() => ss.poll(later.endpoint.connections).delivered().includes(`refused: ${reason}`) && cs.poll([conn]).types(conn).includes('connected'), 5000, 'the data');
      assert.equal(t2.stats.rejected, { [reason]: 1 });
      assert.ok(cs.types(conn).includes('early_data_rejected'));
    } finally {
      await client.close();
      await first.close();
      await later.close();
    }
  });
}

test('a first flight replayed 5 times to the server and 5 times to a second process sharing its record: delivered once', async () => {
  const t = serverTickets();
  const srv = await server(t), client = await clientDriver();
  const twinTickets = serverTickets({ keys: t.keys, antiReplay: t.antiReplay });
  const twin = await server(twinTickets);
  const attacker = createSocket('udp4');
  try {
    const store = new MemoryTicketStore();
    await firstTicket(client, srv, store);
    // Record what the client sends in its first flight.
    const ep = client.endpoint;
    const orig = ep.pollTransmit.bind(ep);
    const flight: Uint8Array[] = [];
    let recording = true;
    ep.pollTransmit = (now: number) => { const x = orig(now); if (x && recording) flight.push(x.data.slice()); return x; };
    const conn = open(client, srv.address, { store, epochMs: EPOCH }, 'transfer 100 EUR');
    recording = false;
    const ss = new Seen(), cs = new Seen();
    await waitFor(() => ss.poll(srv.endpoint.connections).delivered().includes('transfer 100 EUR') && cs.poll([conn]).types(conn).includes('early_data_accepted'), 5000, 'the data');
    assert.ok(flight.length >= 1);
    for (let i = 0; i < 5; i++) {
      for (const d of flight) {
        for (const to of [srv.address, twin.address]) {
          const { host, port } = parseAddress(to);
          await new Promise<void>((r) => attacker.send(d, port, host, () => r()));
        }
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    const ts = new Seen();
    ss.poll(srv.endpoint.connections);
    ts.poll(twin.endpoint.connections);
    assert.equal([...ss.delivered(), ...ts.delivered()], ['transfer 100 EUR'], 'delivered exactly once');
    assert.equal(twinTickets.stats.rejected, { replayed: 1 });
    assert.is(twinTickets.stats.earlyAccepted, 0);
  } finally {
    attacker.close();
    await client.close();
    await srv.close();
    await twin.close();
  }
});

test.run();
