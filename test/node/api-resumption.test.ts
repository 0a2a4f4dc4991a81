/**
 * Session resumption and 0-RTT on the public API over loopback UDP (docs/resumption.md):
 * `connect({ session })` with a store and with an explicit ticket from the `'session'` event,
 * `earlyData: true` handing the connection over before the handshake with the request in 0-RTT
 * (accepted; rejected by a restarted server, by a rotated-out ticket key, by another identity,
 * by a server that lowered its limits —
 * the bytes still arrive whole), `maxEarlyData` (0, and a write far above it), a handshake that
 * fails after the early hand-over, the server's counters and typed errors for bad options.
 * Requirements: crypto.ticket.client-store, crypto.ticket.reject-fallback, crypto.early-data.resend,
 * crypto.early-data.unsafe-parameters, machines.connection.early-limits.
 */
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AntiReplay, ConnectionConfig, connect, generateKeyPair, JspConnectError, JspConnectionClosedError, listen, Logger, MemoryTicketStore, parseTicket, serializeTicket,
  ServerConfig, ServerTickets, TicketFormatError, TicketKeys, ticketFromJSON, ticketToJSON,
  type ClientTicket, type JspCloseInfo, type JspConnection, type JspEarlyDataInfo, type JspServer,
} from '#jetstreamproto';
import { nodeProvider } from '../../src/crypto/index.ts';
import { bytes, client, keys, readAll, server, sha256, sleep } from './api-util.ts';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (e) => { unhandled.push(e); });

/** A first connection to `s` that waits for its session ticket, then closes. */
async function firstTicket(s: JspServer, o: Parameters<typeof client>[1] = {}): Promise<ClientTicket> {
  const c = await client(s, o);
  const [t] = await once(c, 'session') as [ClientTicket];
  await c.close();
  return t;
}

/** Writes `data` on a new stream and ends it; resolves with what comes back (an echo server). */
async function echo(c: JspConnection, data: Uint8Array | string): Promise<Buffer> {
  const st = await c.openStream();
  const back = readAll(st);
  st.end(data);
  return back;
}

function earlyEvents(c: JspConnection): JspEarlyDataInfo[] {
  const seen: JspEarlyDataInfo[] = [];
  c.on('earlyData', (i) => seen.push(i));
  return seen;
}

test('a TicketStore: the first connection fills it, the second resumes from it (1-RTT), the server counts', async () => {
  const s = await server({}, false);
  const serverSide: JspConnection[] = [];
  s.on('connection', (c) => { serverSide.push(c); c.on('stream', (st) => st.pipe(st)); });
  try {
    const store = new MemoryTicketStore();
    const c1 = await client(s, { session: store });
    assert.is(c1.resumed, false);
    const [t] = await once(c1, 'session') as [ClientTicket];
    assert.is(store.count(keys.public), 1, 'the ticket went into the store');
    assert.equal(t.serverKey, keys.public);
    assert.is(t.maxEarlyData, 65536, 'the default max_early_data');
    await c1.close();
    const c2 = await client(s, { session: store });
    assert.is(c2.resumed, true);
    assert.is(c2.earlyData, 'none', 'no earlyData asked for: resumption without 0-RTT');
    assert.ok(c2.handshake, 'resolved after the handshake');
    assert.is(store.count(keys.public), 0, 'the used ticket was taken (single use)');
    const next = new Promise((resolve) => c2.once('session', resolve));
    assert.is(String(await echo(c2, 'resumed hello')), 'resumed hello');
    assert.equal(serverSide.map((c) => c.resumed), [false, true], 'the server side knows too');
    await next;
    assert.is(store.count(keys.public), 1, 'and the new connection left a new one');
    await c2.close();
    const st = s.ticketStats!;
    assert.is(st.issued, 2);
    assert.is(st.accepted, 1);
    assert.is(st.rejected, 0);
    assert.is(st.earlyAccepted, 0);
  } finally {
    await s.close();
  }
});

test('an explicit ticket from the session event, through serializeTicket/parseTicket and JSON, resumes', async () => {
  const s = await server();
  try {
    const t = await firstTicket(s);
    const wire = serializeTicket(t);
    assert.instance(wire, Uint8Array);
    const parsed = parseTicket(wire);
    assert.equal(ticketToJSON(parsed), ticketToJSON(t));
    assert.equal(parsed.psk, t.psk);
    assert.is(parsed.receivedAtMs, t.receivedAtMs);
    assert.equal(ticketToJSON(ticketFromJSON(JSON.stringify(ticketToJSON(t)))), ticketToJSON(t));
    const c = await client(s, { session: parsed });
    assert.is(c.resumed, true);
    assert.is(String(await echo(c, 'again')), 'again');
    await c.close();
    assert.is(s.ticketStats!.accepted, 1);
  } finally {
    await s.close();
  }
});

test('earlyData: connect resolves before the handshake, the request goes in 0-RTT, accepted and echoed', async () => {
  const s = await server({}, false);
  const seenByServer: { confirmed: boolean; earlyData: string; resumed: boolean }[] = [];
  s.on('connection', (c) => {
    seenByServer.push({ confirmed: c.confirmed, earlyData: c.earlyData, resumed: c.resumed });
    c.on('stream', (st) => st.pipe(st));
  });
  try {
    const t = await firstTicket(s);
    const c = await client(s, { session: t, earlyData: true });
    assert.is(c.earlyData, 'pending');
    assert.is(c.handshake, undefined, 'handed over before the handshake completed');
    const events = earlyEvents(c);
    const request = 'GET /index.html (idempotent)';
    const back = await echo(c, request);
    assert.is(String(back), request);
    const info = await c.handshakeComplete;
    assert.is(info.suite, c.handshake!.suite);
    assert.is(c.earlyData, 'accepted');
    assert.is(c.resumed, true);
    assert.equal(events, [{ accepted: true, bytes: request.length }]);
    assert.is(s.ticketStats!.earlyAccepted, 1);
    assert.equal(seenByServer.at(-1), { confirmed: false, earlyData: 'accepted', resumed: true }, 'handed out at handshake completion, before confirmation');
    await c.close();
  } finally {
    await s.close();
  }
});

test('0-RTT rejected by a server restarted on the same port (new ticket keys): the bytes still arrive whole', async () => {
  const first = await server();
  const port = first.address().port;
  const t = await firstTicket(first);
  await first.close();
  const restarted = await server({ port });
  try {
    const c = await client(restarted, { session: t, earlyData: true });
    assert.is(c.earlyData, 'pending');
    const events = earlyEvents(c);
    const data = bytes(5000, 7);
    const back = await echo(c, data);
    assert.is(sha256(back), sha256(data), 'byte-exact');
    await c.handshakeComplete;
    assert.is(c.earlyData, 'rejected');
    assert.is(c.resumed, false);
    assert.is(events.length, 1);
    assert.is(events[0].accepted, false);
    assert.ok(events[0].bytes > 0 && events[0].bytes <= 5000, `${events[0].bytes} bytes went in 0-RTT`);
    assert.equal(restarted.ticketStats!.rejectedByReason, { unknown_key: 1 });
    await c.close();
  } finally {
    await restarted.close();
  }
});

test('a ticket whose key rotated out (graceMs 0): full handshake, 0-RTT rejected, data intact', async () => {
  const s = await server({ tickets: { graceMs: 0 } });
  try {
    const t = await firstTicket(s);
    s.tickets!.keys.rotate(performance.timeOrigin + performance.now());
    const atServer: { earlyData: string; resumed: boolean }[] = [];
    s.on('connection', (sc) => atServer.push({ earlyData: sc.earlyData, resumed: sc.resumed }));
    const c = await client(s, { session: t, earlyData: true });
    const data = bytes(3000, 3);
    assert.is(sha256(await echo(c, data)), sha256(data));
    await c.handshakeComplete;
    assert.is(c.earlyData, 'rejected');
    assert.is(c.resumed, false);
    assert.equal(atServer, [{ earlyData: 'rejected', resumed: false }], 'the server knows the client offered 0-RTT and it declined');
    assert.equal(s.ticketStats!.rejectedByReason, { unknown_key: 1 });
    await c.close();
  } finally {
    await s.close();
  }
});

test('0-RTT rejected because the restarted server lowered its limits (same ticket keys): four 0-RTT streams sent again within the new limits, byte-exact', async () => {
  const tk = new TicketKeys({ provider: nodeProvider, rng: nodeProvider.randomBytes }, performance.timeOrigin + performance.now());
  const antiReplay = new AntiReplay(); // shared with the restarted server, which otherwise refuses 0-RTT for one window (crypto.anti-replay.restart)
  const first = await server({ tickets: { keys: tk, antiReplay } });
  const port = first.address().port;
  const t = await firstTicket(first);
  await first.close();
  assert.ok(t.transportParameters.initialMaxStreamsBidi >= 4 && t.maxEarlyData >= 16_000, 'the ticket allows 4 streams of 4,000 bytes in 0-RTT');
  // Same port, same ticket keys, lower limits: the ticket still resumes, its 0-RTT is unsafe.
  const lowered = await server({ port, tickets: { keys: tk, antiReplay }, maxStreamsBidi: 2, initialMaxStreamData: 1000, initialMaxData: 3000 });
  try {
    const c = await client(lowered, { session: t, earlyData: true });
    assert.is(c.earlyData, 'pending');
    const events = earlyEvents(c);
    const sent = [0, 1, 2, 3].map((i) => bytes(4000, 11 + i));
    const back = await Promise.all(sent.map((d) => echo(c, d)));
    for (let i = 0; i < sent.length; i++) assert.is(sha256(back[i]), sha256(sent[i]), `stream ${i}: byte-exact`);
    assert.is(c.earlyData, 'rejected');
    assert.is(c.resumed, true, 'the ticket resumed; only 0-RTT was declined');
    assert.is(events.length, 1);
    assert.is(events[0].accepted, false);
    assert.ok(events[0].bytes > 0, `${events[0].bytes} bytes had gone in 0-RTT`);
    assert.equal(lowered.ticketStats!.earlyRejectedByReason, { transport_parameters: 1 });
    await c.close();
  } finally {
    await lowered.close();
  }
});

test('maxEarlyData 0: tickets resume in 1-RTT only; connect waits for the handshake', async () => {
  const s = await server({ tickets: { maxEarlyData: 0 } });
  try {
    const t = await firstTicket(s);
    assert.is(t.maxEarlyData, 0);
    const c = await client(s, { session: t, earlyData: true });
    assert.is(c.earlyData, 'none');
    assert.ok(c.handshake, 'resolved after the handshake');
    assert.is(c.resumed, true);
    assert.is(String(await echo(c, 'x')), 'x');
    await c.close();
  } finally {
    await s.close();
  }
});

test('a ticket for another server identity falls back to a full handshake (wrong_identity); the data arrives', async () => {
  const other = generateKeyPair();
  const s = await server({ staticKey: undefined, staticKeys: [keys.secret, other.secret] });
  try {
    const t = await firstTicket(s);
    const c = await client(s, { serverKey: other.public, session: t, earlyData: true });
    assert.is(c.earlyData, 'pending');
    assert.is(String(await echo(c, 'to the other identity')), 'to the other identity');
    await c.handshakeComplete;
    assert.is(c.resumed, false);
    assert.is(c.earlyData, 'rejected');
    assert.equal(s.ticketStats!.rejectedByReason, { wrong_identity: 1 });
    await c.close();
  } finally {
    await s.close();
  }
});

test('a 0-RTT write far above max_early_data arrives whole: the first bytes in 0-RTT, the rest in 1-RTT', async () => {
  const s = await server({ tickets: { maxEarlyData: 4096 } });
  try {
    const t = await firstTicket(s);
    const c = await client(s, { session: t, earlyData: true });
    assert.is(c.earlyData, 'pending');
    const events = earlyEvents(c);
    const data = bytes(300_000, 11);
    assert.is(sha256(await echo(c, data)), sha256(data));
    assert.is(c.earlyData, 'accepted');
    assert.is(events.length, 1);
    assert.ok(events[0].accepted);
    assert.ok(events[0].bytes > 0 && events[0].bytes <= 4096, `${events[0].bytes} bytes in 0-RTT, at most max_early_data`);
    await c.close();
  } finally {
    await s.close();
  }
});

test('a handshake that fails after the early hand-over: close and error events, the stream errors, handshakeComplete rejects, nothing unhandled', async () => {
  const s = await server();
  const port = s.address().port;
  const t = await firstTicket(s);
  await s.close(); // nobody listens any more: ICMP port unreachable
  const before = unhandled.length;
  const c = await client(s, { session: t, earlyData: true, handshakeTimeoutMs: 2000 });
  assert.is(c.earlyData, 'pending');
  assert.is(c.remoteAddress.port, port);
  const errors: Error[] = [];
  c.on('error', (e) => errors.push(e));
  const closed = new Promise<[JspCloseInfo]>((resolve) => c.once('close', (i) => resolve([i])));
  const st = await c.openStream();
  const streamError = new Promise<Error>((resolve) => st.on('error', resolve));
  st.write('lost request');
  const [info] = await closed;
  assert.ok(info.error, 'closed with an error');
  assert.instance(await streamError, JspConnectionClosedError);
  assert.is(errors.length, 1);
  const e = await c.handshakeComplete.then(() => undefined, (x: unknown) => x);
  assert.instance(e, JspConnectError);
  assert.match((e as Error).message, /ECONNREFUSED|failed/);
  assert.is(c.earlyData, 'rejected');
  const opened = await c.openStream().then(() => 'opened', (x: unknown) => x);
  assert.instance(opened, JspConnectionClosedError);
  await sleep(50);
  assert.is(unhandled.length, before, 'no unhandled rejection');
});

test('an abort after the early hand-over gives up the handshake: AbortError from handshakeComplete, the connection closes', async () => {
  const s = await server();
  try {
    const t = await firstTicket(s);
    const ac = new AbortController();
    const c = await client(s, { session: t, earlyData: true, signal: ac.signal });
    assert.is(c.earlyData, 'pending');
    const closed = c.closed;
    ac.abort();
    const e = await c.handshakeComplete.then(() => undefined, (x: Error) => x);
    assert.is(e?.name, 'AbortError');
    assert.ok((await closed).error, 'closed with HANDSHAKE_FAILED');
    assert.is((await closed).error?.codeName, 'HANDSHAKE_FAILED');
  } finally {
    await s.close();
  }
});

test('a TicketStore whose put throws: the connection goes on, the failure is logged, the event still comes', async () => {
  const s = await server();
  try {
    const lines: string[] = [];
    const logger = new Logger({ level: 'warn', sink: (r) => lines.push(r.msg) });
    const broken = { put: () => { throw new Error('disk full'); }, take: () => undefined };
    const c = await client(s, { session: broken, logger });
    const [t] = await once(c, 'session') as [ClientTicket];
    assert.is(t.serverKey.length, 32);
    assert.is(String(await echo(c, 'still fine')), 'still fine');
    assert.equal(lines, ['session: the ticket store refused a ticket']);
    await c.close();
  } finally {
    await s.close();
  }
});

test('bad ticket options and sessions: typed errors naming the option', async () => {
  const throwsWith = async (f: () => unknown, cls: new (...a: never[]) => Error, re: RegExp) => {
    let err: unknown;
    try { await f(); } catch (e) { err = e; }
    assert.ok(err instanceof cls && re.test((err as Error).message), `${re.source}: got ${String(err)}`);
  };
  const base = { host: '127.0.0.1', port: 0, staticKey: keys.secret };
  await throwsWith(() => listen({ ...base, tickets: { lifetimeS: 0 } }), RangeError, /^tickets\.lifetimeS: 0 is out of range; allowed: an integer in 1\.\.604800 s$/);
  await throwsWith(() => listen({ ...base, tickets: { maxEarlyData: -1 } }), RangeError, /^tickets\.maxEarlyData: -1 is out of range/);
  await throwsWith(() => listen({ ...base, tickets: { ticketsPerConnection: 9 } }), RangeError, /tickets\.ticketsPerConnection: 9 is out of range; allowed: an integer in 0\.\.8/);
  await throwsWith(() => listen({ ...base, tickets: { antiReplayWindowMs: '10s' as never } }), TypeError, /tickets\.antiReplayWindowMs: expected a number/);
  await throwsWith(() => listen({ ...base, tickets: { lifetime: 5 } as never }), TypeError, /tickets: unknown option "lifetime"; known options: .*lifetimeS/);
  await throwsWith(() => listen({ ...base, tickets: 'yes' as never }), TypeError, /tickets: expected false, true, an options object or a ServerTickets, got string/);
  await throwsWith(() => listen({ ...base, tickets: { keys: {} as never } }), TypeError, /tickets\.keys: expected a TicketKeys/);
  const tk = new TicketKeys({ provider: nodeProvider, rng: nodeProvider.randomBytes }, Date.now());
  await throwsWith(() => listen({ ...base, tickets: { keys: tk, rotationMs: 5000 } }), TypeError, /give either keys or rotationMs\/graceMs/);
  await throwsWith(() => listen({ ...base, tickets: new ServerTickets({ keys: tk }) }), RangeError, /tickets: a shared ServerTickets must have epochMs = performance\.timeOrigin/);
  await throwsWith(() => ServerConfig.builder().tickets({ graceMs: -5 }), RangeError, /tickets\.graceMs: -5 is out of range/);
  assert.is(ServerConfig.builder().staticKey(keys.secret).tickets(false).build().tickets, false);
  assert.is((ServerConfig.builder().staticKey(keys.secret).build().tickets as { maxEarlyData: number }).maxEarlyData, 65536, 'on by default');
  const copt = { host: '127.0.0.1', port: 9, serverKey: keys.public };
  await throwsWith(() => connect({ ...copt, session: 42 as never }), TypeError, /session: expected a ClientTicket .* or a TicketStore .*, got number/);
  await throwsWith(() => connect({ ...copt, session: { ticket: new Uint8Array(4), psk: 'secret' } as never }), TicketFormatError, /session\.serverKey must be 32 bytes/);
  await throwsWith(() => connect({ ...copt, earlyData: 'yes' as never }), TypeError, /earlyData: expected a boolean, got string/);
  await throwsWith(() => connect({ ...copt, config: ConnectionConfig.builder().serverKey(keys.public).build(), session: new MemoryTicketStore(), serverKey: keys.public }), TypeError, /give either config or settings keys/);
  await throwsWith(() => parseTicket(new TextEncoder().encode('{"type":"jsp-ticket","version":2}')), TicketFormatError, /not a jsp-ticket of version 1/);
  await throwsWith(() => parseTicket(Uint8Array.of(0xff, 0xfe)), TicketFormatError, /not a serialized ticket/);
  await throwsWith(() => ticketFromJSON({ serverKey: { $hex: 'zz' } }), TicketFormatError, /bad hex/);
});

test('nothing was left unhandled', () => {
  assert.equal(unhandled, []);
});

test.run();
