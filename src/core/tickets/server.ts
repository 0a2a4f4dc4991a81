/**
 * The server's ticket policy (spec/crypto.yaml: crypto.ticket.*, crypto.anti-replay.*,
 * crypto.early-data.unsafe-parameters): issuing a ticket after a handshake, and deciding, for an
 * offered one, whether to resume and whether to take 0-RTT. One {@link ServerTickets} serves
 * every connection of a server (its keys and anti-replay record are shared).
 *
 * Time: every method takes the connection's `now`; the wall clock is `epochMs + now` (the
 * driver sets `epochMs`, so the core never reads a clock).
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { equalBytes } from '../../crypto/ct.ts';
import { MAX_TICKET_LIFETIME } from '../../gen/constants.ts';
import { decodeSessionTicket, encodeSessionTicket, type SessionTicket, type TransportParameters } from '../../gen/messages.ts';
import type { NewSessionTicketFrame } from '../../gen/frames.ts';
import { withDefaults } from '../handshake/params.ts';
import { AntiReplay, type ReplayRecord } from './anti-replay.ts';
import { ticketPsk } from './schedule.ts';
import type { ClientTicket } from './store.ts';
import { TicketKeys } from './ticket-keys.ts';

/** Why an offered ticket was not accepted (reported with the code TICKET_REJECTED). */
export type TicketRejection = 'disabled' | 'malformed' | 'unknown_key' | 'tampered' | 'expired' | 'wrong_identity' | 'version' | 'replayed';
/** Why 0-RTT was not accepted although the ticket was (or was not offered). */
export type EarlyDataRejection = 'not_offered' | 'disabled' | 'ticket_age' | 'anti_replay_full' | 'anti_replay_unavailable' | 'anti_replay_restart' | 'transport_parameters' | 'alpn' | 'suite' | 'version';

/** Options of {@link ServerTickets}. */
export interface ServerTicketsOptions {
  readonly keys: TicketKeys;
  /**
   * The anti-replay record (default: a new in-memory {@link AntiReplay} with a 10 s window).
   * Servers that share ticket keys must share one record (crypto.anti-replay.single-use).
   */
  readonly antiReplay?: ReplayRecord;
  /** Lifetime of the tickets issued, seconds (default and most: max_ticket_lifetime, 7 days). */
  readonly lifetimeS?: number;
  /** Most 0-RTT bytes a ticket allows (default 65 536; 0 disables 0-RTT). */
  readonly maxEarlyData?: number;
  /** Tickets sent after each handshake (default 1). */
  readonly ticketsPerConnection?: number;
  /** Wall-clock ms at connection time 0 (default 0: the connection's clock is the wall clock). */
  readonly epochMs?: number;
  /**
   * Wall-clock ms before which 0-RTT is refused, tickets still resuming in 1-RTT
   * (crypto.anti-replay.restart; default 0). Set it to start + the record's window when the
   * keys outlive the record: keys from a root secret after a restart, or keys shared with
   * servers that do not share the record.
   */
  readonly earlyDataFromMs?: number;
}

/** The decision on an offered ticket. */
export type TicketDecision =
  | { readonly accepted: false; readonly reason: TicketRejection }
  | { readonly accepted: true; readonly ticket: SessionTicket; readonly earlyData: true }
  | { readonly accepted: true; readonly ticket: SessionTicket; readonly earlyData: false; readonly earlyReason: EarlyDataRejection };

/** What a server connection is resuming with. */
export interface TicketOffer {
  readonly ticket: Uint8Array;
  readonly obfuscatedAge: number;
  readonly earlyData: boolean;
}

/** The handshake's context for a decision: what it would use now. */
export interface TicketContext {
  readonly serverKey: Uint8Array;
  readonly version: number;
  readonly suite: number;
  readonly alpn: string;
  readonly transportParameters: TransportParameters;
}

/** Transport parameters that bound what 0-RTT may send; a lower value now makes 0-RTT unsafe. */
const EARLY_LIMITS = [
  'initialMaxData', 'initialMaxStreamDataBidiLocal', 'initialMaxStreamDataBidiRemote', 'initialMaxStreamDataUni',
  'initialMaxStreamsBidi', 'initialMaxStreamsUni', 'maxDatagramFrameSize',
] as const;

/** The name of the first remembered limit that `now` lowers, if any (crypto.early-data.unsafe-parameters). */
export function loweredLimit(remembered: TransportParameters, now: TransportParameters): string | undefined {
  return EARLY_LIMITS.find((k) => now[k] < remembered[k]);
}

/** A server's tickets: keys, anti-replay record and policy. */
export class ServerTickets {
  readonly keys: TicketKeys;
  readonly antiReplay: ReplayRecord;
  readonly lifetimeS: number;
  readonly maxEarlyData: number;
  readonly ticketsPerConnection: number;
  readonly epochMs: number;
  /** Wall-clock ms before which 0-RTT is refused (crypto.anti-replay.restart); 0: from the start. */
  readonly earlyDataFromMs: number;
  /** Counters: tickets issued, resumptions accepted, rejections by reason, 0-RTT accepted. */
  readonly stats = { issued: 0, accepted: 0, earlyAccepted: 0, rejected: {} as Record<string, number>, earlyRejected: {} as Record<string, number> };

  constructor(o: ServerTicketsOptions) {
    const lifetimeS = o.lifetimeS ?? MAX_TICKET_LIFETIME;
    if (!Number.isSafeInteger(lifetimeS) || lifetimeS < 1 || lifetimeS > MAX_TICKET_LIFETIME) {
      throw new RangeError(`ServerTickets: lifetimeS must be 1..${MAX_TICKET_LIFETIME} (max_ticket_lifetime), got ${lifetimeS}`); // constants.ticket.max-lifetime
    }
    const maxEarlyData = o.maxEarlyData ?? 65536;
    if (!Number.isSafeInteger(maxEarlyData) || maxEarlyData < 0 || maxEarlyData > 0xffffffff) throw new RangeError(`ServerTickets: maxEarlyData must be 0..2^32-1, got ${maxEarlyData}`);
    const per = o.ticketsPerConnection ?? 1;
    if (!Number.isSafeInteger(per) || per < 0 || per > 8) throw new RangeError(`ServerTickets: ticketsPerConnection must be 0..8, got ${per}`);
    this.keys = o.keys;
    this.antiReplay = o.antiReplay ?? new AntiReplay();
    this.lifetimeS = lifetimeS;
    this.maxEarlyData = maxEarlyData;
    this.ticketsPerConnection = per;
    this.epochMs = o.epochMs ?? 0;
    const from = o.earlyDataFromMs ?? 0;
    if (!Number.isFinite(from)) throw new RangeError(`ServerTickets: earlyDataFromMs must be a finite wall-clock time in ms, got ${from}`);
    this.earlyDataFromMs = from;
  }

  /**
   * A NEW_SESSION_TICKET frame for a confirmed connection: a fresh nonce, ticket id and age_add
   * from `rng`, the ticket's psk from the connection's resumption secret, sealed under the
   * current ticket key.
   */
  issue(p: CryptoProvider, rng: (n: number) => Uint8Array, now: number, c: TicketContext & { resumptionSecret: Uint8Array }): NewSessionTicketFrame {
    const nonce = rng(8);
    const ageAdd = new DataView(rng(4).buffer).getUint32(0);
    const t: SessionTicket = {
      version: c.version,
      cipherSuite: c.suite,
      resumptionSecret: ticketPsk(p, c.resumptionSecret, nonce),
      createdAtMs: Math.floor(this.epochMs + now),
      lifetimeS: this.lifetimeS,
      ageAdd,
      maxEarlyData: this.maxEarlyData,
      alpn: c.alpn,
      transportParameters: c.transportParameters,
      serverIdentity: c.serverKey.slice(),
      ticketId: rng(16),
    };
    const ticket = this.keys.seal(this.epochMs + now, encodeSessionTicket(t));
    this.stats.issued++;
    return { type: 'new_session_ticket', lifetime: t.lifetimeS, ageAdd, maxEarlyData: t.maxEarlyData, nonce, ticket };
  }

  /**
   * Decides on an offered ticket (crypto.ticket.reject-fallback, crypto.anti-replay.*,
   * crypto.early-data.unsafe-parameters). An accepted ticket's id is recorded: a second offer
   * of it within the window is `replayed`.
   */
  decide(now: number, offer: TicketOffer, c: TicketContext): TicketDecision {
    const d = this.#decide(this.epochMs + now, offer, c);
    if (!d.accepted) this.stats.rejected[d.reason] = (this.stats.rejected[d.reason] ?? 0) + 1;
    else {
      this.stats.accepted++;
      if (d.earlyData) this.stats.earlyAccepted++;
      else this.stats.earlyRejected[d.earlyReason] = (this.stats.earlyRejected[d.earlyReason] ?? 0) + 1;
    }
    return d;
  }

  #decide(wall: number, offer: TicketOffer, c: TicketContext): TicketDecision {
    const opened = this.keys.open(wall, offer.ticket);
    if (!opened.ok) return { accepted: false, reason: opened.reason };
    let t: SessionTicket;
    try {
      t = decodeSessionTicket(opened.plaintext);
    } catch {
      return { accepted: false, reason: 'malformed' }; // authentic but unreadable: another implementation's layout
    }
    if (wall >= t.createdAtMs + t.lifetimeS * 1000 || wall < t.createdAtMs - this.antiReplay.windowMs) return { accepted: false, reason: 'expired' };
    if (!equalBytes(t.serverIdentity, c.serverKey)) return { accepted: false, reason: 'wrong_identity' };
    if (t.version !== c.version) return { accepted: false, reason: 'version' };
    const seen = this.antiReplay.record(t.ticketId, wall);
    if (seen === 'replayed') return { accepted: false, reason: 'replayed' };
    const no = (earlyReason: EarlyDataRejection): TicketDecision => ({ accepted: true, ticket: t, earlyData: false, earlyReason });
    if (!offer.earlyData) return no('not_offered');
    if (t.maxEarlyData === 0 || this.maxEarlyData === 0) return no('disabled');
    const clientAge = (offer.obfuscatedAge - t.ageAdd) >>> 0;
    const serverAge = wall - t.createdAtMs;
    if (Math.abs(serverAge - clientAge) > this.antiReplay.windowMs) return no('ticket_age');
    if (seen === 'full') return no('anti_replay_full');
    if (seen === 'unavailable') return no('anti_replay_unavailable');
    if (wall < this.earlyDataFromMs) return no('anti_replay_restart');
    if (t.cipherSuite !== c.suite) return no('suite');
    if (t.alpn !== c.alpn) return no('alpn');
    if (loweredLimit(withDefaults(t.transportParameters), c.transportParameters) !== undefined) return no('transport_parameters');
    return { accepted: true, ticket: t, earlyData: true };
  }
}

/**
 * The client's {@link ClientTicket} for a NEW_SESSION_TICKET frame of a connection: its psk
 * from the connection's resumption secret and the frame's nonce (step ticket_psk).
 */
export function clientTicket(p: CryptoProvider, f: NewSessionTicketFrame, c: {
  serverKey: Uint8Array; resumptionSecret: Uint8Array; version: number; suite: number; alpn: string; transportParameters: TransportParameters; receivedAtMs: number;
}): ClientTicket {
  return {
    serverKey: c.serverKey.slice(),
    ticket: f.ticket.slice(),
    psk: ticketPsk(p, c.resumptionSecret, f.nonce),
    version: c.version,
    suite: c.suite,
    alpn: c.alpn,
    transportParameters: c.transportParameters,
    receivedAtMs: c.receivedAtMs,
    lifetimeS: f.lifetime,
    ageAdd: f.ageAdd,
    maxEarlyData: f.maxEarlyData,
  };
}
