/**
 * Shared fixtures of the resumption tests: a server with tickets, a full handshake that ends with
 * a ticket in the client's hands, and a resumed handshake from it.
 */
import type { CryptoProvider } from '../../src/crypto/index.ts';
import { drainRecords, type ClientHandshakeConfig, type ServerHandshakeConfig } from '../../src/core/handshake/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { AntiReplay, clientTicket, ServerTickets, TicketKeys, type ClientTicket } from '../../src/core/tickets/index.ts';
import { makePair, run, type Pair } from './handshake-fixtures.ts';

/** A ServerTickets with seeded keys; `now` is wall-clock ms. */
export function makeTickets(p: CryptoProvider, now = 1_700_000_000_000, o: { rotationMs?: number; graceMs?: number; maxEarlyData?: number; lifetimeS?: number; windowMs?: number; seed?: string } = {}): ServerTickets {
  const keys = new TicketKeys({ provider: p, rng: seededRng(p, `${o.seed ?? 'tickets'}/keys`), rotationMs: o.rotationMs, graceMs: o.graceMs }, now);
  return new ServerTickets({ keys, antiReplay: new AntiReplay({ windowMs: o.windowMs }), maxEarlyData: o.maxEarlyData, lifetimeS: o.lifetimeS });
}

/** Issues a ticket on an established pair at `now` and returns what the client keeps. */
export function issue(p: CryptoProvider, pair: Pair, tickets: ServerTickets, now: number, seed = 'issue'): ClientTicket {
  const s = pair.server, c = pair.client;
  const keys = s.keys!;
  const frame = tickets.issue(p, seededRng(p, seed), now, {
    serverKey: s.serverKey!, version: keys.version, suite: keys.suite.value, alpn: s.alpn,
    transportParameters: s.localTransportParameters, resumptionSecret: keys.resumptionSecret,
  });
  const ck = c.keys!;
  return clientTicket(p, frame, {
    serverKey: pair.serverPublic, resumptionSecret: ck.resumptionSecret, version: ck.version, suite: ck.suite.value,
    alpn: c.alpn, transportParameters: c.peerTransportParameters!, receivedAtMs: now,
  });
}

/** A full handshake with a ticketing server; returns the pair (established) and a ticket issued at `now`. */
export function firstConnection(p: CryptoProvider, tickets: ServerTickets, now: number, over: { client?: Partial<ClientHandshakeConfig>; server?: Partial<ServerHandshakeConfig>; seed?: string } = {}): { pair: Pair; ticket: ClientTicket } {
  const pair = makePair(p, { ...over, server: { tickets, ...over.server }, seed: over.seed ?? 'first' });
  run(pair);
  return { pair, ticket: issue(p, pair, tickets, now, `${over.seed ?? 'first'}/issue`) };
}

/** A resumed handshake with `ticket`: the pair after the run. */
export function resume(p: CryptoProvider, tickets: ServerTickets, ticket: ClientTicket, nowMs: number, over: { client?: Partial<ClientHandshakeConfig>; server?: Partial<ServerHandshakeConfig>; seed?: string; earlyData?: boolean; serverNow?: number } = {}): Pair {
  const pair = makePair(p, {
    seed: over.seed ?? 'resume',
    client: { resumption: { ticket, nowMs, earlyData: over.earlyData ?? true }, ...over.client },
    server: { tickets, ...over.server },
  });
  pair.client.start();
  const hello = drainRecords(pair.client);
  for (const b of hello) pair.server.handleRecord(b, over.serverNow ?? nowMs);
  for (const b of drainRecords(pair.server)) pair.client.handleRecord(b);
  return pair;
}
