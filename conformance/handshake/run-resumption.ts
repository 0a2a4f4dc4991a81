/**
 * Runs one resumption vector case through the runtime (src/core/handshake, src/core/tickets): a
 * full handshake between a client and a ticketing server, a ticket issued at `issued_at_ms`, then
 * a resumed handshake offering it — optionally edited first (the ticket tampered with, its time
 * moved past its lifetime, the ticket keys rotated, the server's identity or limits changed, the
 * same first flight replayed). Returns every record, the decision on both sides and the secrets.
 * The vector generator records what this returns; the vector test compares it with the vectors.
 *
 * @module
 */
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { ClientHandshake, drainRecords, ServerHandshake, type SuiteId, type GroupId } from '../../src/core/handshake/index.ts';
import { AntiReplay, clientTicket, ServerTickets, TicketKeys, type ClientTicket } from '../../src/core/tickets/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { ErrorCode } from '../../src/gen/errors.ts';
import { decodeClientOffer, decodeHandshakeMessage, encodeClientOffer, encodeHandshakeMessage } from '../../src/gen/messages.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));

/** What a resumption case fixes. */
export interface ResumptionInput {
  suite: SuiteId;
  group: GroupId;
  server_static_secret: string;
  /** Another static key the server also holds (for the wrong-identity case), optional. */
  other_static_secret?: string;
  ticket_key_secret: string;
  seed: string;
  issued_at_ms: number;
  /** When the client resumes (its wall clock) and when the server reads the ClientHello (its own). */
  client_now_ms: number;
  server_now_ms: number;
  early_data: boolean;
  lifetime_s: number;
  max_early_data: number;
  freshness_window_ms: number;
  grace_ms: number;
  /** Server limits at resumption (initial_max_data); the first connection used 2 MiB. */
  server_initial_max_data: number;
  /** Changes before the resumed handshake. */
  edit?: 'flip_ticket_byte' | 'rotate_past_grace' | 'other_identity' | 'replay_first_flight' | 'early_data_without_ticket';
}

export interface ResumptionOutput {
  ticket: string;
  ticket_psk: string;
  records: { from: 'client' | 'server'; hex: string }[];
  server_guard: string;
  client_guard: string;
  /** The server's local report: 'accepted' with the 0-RTT decision, or the rejection reason (code TICKET_REJECTED). */
  server_decision: string;
  error?: string;
  client_early_secret?: string;
  client_1rtt_secret?: string;
  server_1rtt_secret?: string;
  resumption_secret?: string;
}

/** Runs a case. Deterministic: the same input gives the same output, byte for byte. */
export function runResumption(p: CryptoProvider, i: ResumptionInput): ResumptionOutput {
  const serverSecret = unhex(i.server_static_secret);
  const serverPublic = p.x25519.publicKey(serverSecret);
  const other = i.other_static_secret ? unhex(i.other_static_secret) : undefined;
  const keys = new TicketKeys({ provider: p, rng: seededRng(p, `${i.seed}/ticket keys`), graceMs: i.grace_ms }, i.issued_at_ms, unhex(i.ticket_key_secret));
  const tickets = new ServerTickets({ keys, antiReplay: new AntiReplay({ windowMs: i.freshness_window_ms }), lifetimeS: i.lifetime_s, maxEarlyData: i.max_early_data });
  const cfg = { suites: [i.suite], groups: [i.group] };
  const tp1 = { initialMaxData: 2 << 20, initialMaxStreamsBidi: 100, maxIdleTimeoutMs: 10_000 };
  // The first connection: a full handshake.
  const c1 = new ClientHandshake({ provider: p, rng: seededRng(p, `${i.seed}/first client`), serverKey: serverPublic, ...cfg, transportParameters: { initialMaxData: 1 << 20 } });
  const s1 = new ServerHandshake({ provider: p, rng: seededRng(p, `${i.seed}/first server`), staticKeys: other ? [serverSecret, other] : [serverSecret], ...cfg, transportParameters: tp1, tickets });
  c1.start();
  for (const b of drainRecords(c1)) s1.handleRecord(b, i.issued_at_ms);
  for (const b of drainRecords(s1)) c1.handleRecord(b);
  const frame = tickets.issue(p, seededRng(p, `${i.seed}/issue`), i.issued_at_ms, {
    serverKey: s1.serverKey!, version: s1.keys!.version, suite: s1.keys!.suite.value, alpn: s1.alpn,
    transportParameters: s1.localTransportParameters, resumptionSecret: s1.keys!.resumptionSecret,
  });
  let ticket: ClientTicket = clientTicket(p, frame, {
    serverKey: serverPublic, resumptionSecret: c1.keys!.resumptionSecret, version: c1.keys!.version, suite: c1.keys!.suite.value,
    alpn: c1.alpn, transportParameters: c1.peerTransportParameters!, receivedAtMs: i.issued_at_ms,
  });
  if (i.edit === 'flip_ticket_byte') { const t = ticket.ticket.slice(); t[t.length - 5] ^= 1; ticket = { ...ticket, ticket: t }; }
  if (i.edit === 'rotate_past_grace') keys.rotate(i.issued_at_ms + 1);
  const pinned = i.edit === 'other_identity' && other ? p.x25519.publicKey(other) : serverPublic;
  // The resumed connection.
  const c2 = new ClientHandshake({
    provider: p, rng: seededRng(p, `${i.seed}/resumed client`), serverKey: pinned, ...cfg, transportParameters: { initialMaxData: 1 << 20 },
    resumption: { ticket: { ...ticket, serverKey: pinned }, nowMs: i.client_now_ms, earlyData: i.early_data },
  });
  const serverFor = (seed: string) => new ServerHandshake({
    provider: p, rng: seededRng(p, seed), staticKeys: other ? [serverSecret, other] : [serverSecret], ...cfg,
    transportParameters: { ...tp1, initialMaxData: i.server_initial_max_data }, tickets,
  });
  const records: ResumptionOutput['records'] = [];
  const step1 = c2.start();
  let hello = drainRecords(c2);
  if (i.edit === 'early_data_without_ticket') {
    const ch = decodeHandshakeMessage(hello[0]).clientHello!;
    const { pskIdentity: _dropped, ...offer } = decodeClientOffer(ch.offer);
    hello = [encodeHandshakeMessage({ clientHello: { offer: encodeClientOffer({ ...offer, earlyData: true }).slice(), noise: ch.noise } }).slice()];
  }
  let s2 = serverFor(`${i.seed}/resumed server`);
  if (i.edit === 'replay_first_flight') {
    // The first flight reaches one server process, then the same bytes a second (the attacker's copy).
    for (const b of hello) s2.handleRecord(b, i.server_now_ms);
    drainRecords(s2);
    s2 = serverFor(`${i.seed}/replay server`);
  }
  let sStep;
  for (const b of hello) { records.push({ from: 'client', hex: hex(b) }); sStep = s2.handleRecord(b, i.server_now_ms); }
  let cStep;
  for (const b of drainRecords(s2)) {
    records.push({ from: 'server', hex: hex(b) });
    cStep = c2.handleRecord(b);
  }
  const d = s2.ticketDecision;
  const out: ResumptionOutput = {
    ticket: hex(ticket.ticket),
    ticket_psk: hex(ticket.psk),
    records,
    server_guard: sStep?.guard ?? '',
    client_guard: `${step1.guard}/${cStep?.guard ?? ''}`,
    server_decision: !d ? 'none' : d.accepted ? (d.earlyData ? 'accepted, 0-RTT accepted' : `accepted, 0-RTT rejected: ${d.earlyReason}`) : `TICKET_REJECTED: ${d.reason}`,
  };
  const err = s2.error ?? c2.error;
  if (err) out.error = `${s2.error ? 'server' : 'client'}: ${Object.entries(ErrorCode).find(([, v]) => v === err.code)?.[0] ?? String(err.code)}`;
  if (s2.earlyKeys) out.client_early_secret = hex(s2.earlyKeys.secret);
  if (c2.keys && s2.keys) {
    out.client_1rtt_secret = hex(c2.keys.clientSecret);
    out.server_1rtt_secret = hex(c2.keys.serverSecret);
    out.resumption_secret = hex(c2.keys.resumptionSecret);
    if (hex(c2.keys.clientSecret) !== hex(s2.keys.clientSecret)) throw new Error('resumed keys differ between the sides');
  }
  return out;
}
