/**
 * The client's side of tickets: what it keeps of a NEW_SESSION_TICKET ({@link ClientTicket}) and
 * a pluggable store keyed by server identity (spec/crypto.yaml, crypto.ticket.client-store). The
 * default store keeps tickets in memory; a file store (for the CLI) implements the same interface
 * in `src/node`.
 *
 * @module
 */
import type { TransportParameters } from '../../gen/messages.ts';

/** A ticket as the client keeps it: the opaque ticket, its psk and what 0-RTT may rely on. */
export interface ClientTicket {
  /** The server's static public key (32 bytes): the identity the ticket belongs to. */
  readonly serverKey: Uint8Array;
  /** The opaque ticket, offered as psk_identity. */
  readonly ticket: Uint8Array;
  /** ticket_psk (spec step), computed from the connection's resumption secret and the frame's nonce. */
  readonly psk: Uint8Array;
  readonly version: number;
  /** The cipher suite value of the connection the ticket came from (0-RTT uses it). */
  readonly suite: number;
  readonly alpn: string;
  /** The server's transport parameters of that connection: the limits of 0-RTT data (RFC 9000 §7.4.1). */
  readonly transportParameters: TransportParameters;
  /** When the ticket arrived, wall-clock ms. */
  readonly receivedAtMs: number;
  readonly lifetimeS: number;
  readonly ageAdd: number;
  /** Most 0-RTT bytes; 0 when the server allows none. */
  readonly maxEarlyData: number;
}

/** Whether `t` may still be offered at wall-clock `nowMs`. */
export function ticketUsable(t: ClientTicket, nowMs: number): boolean {
  return nowMs >= t.receivedAtMs && nowMs - t.receivedAtMs < t.lifetimeS * 1000;
}

/** The obfuscated_ticket_age of `t` at wall-clock `nowMs`: the age in ms plus age_add, modulo 2^32. */
export function obfuscatedAge(t: ClientTicket, nowMs: number): number {
  return (Math.max(0, Math.floor(nowMs - t.receivedAtMs)) + t.ageAdd) >>> 0;
}

/** Where a client keeps its tickets. Implementations may persist them (they hold secrets: protect the storage). */
export interface TicketStore {
  /** Adds a ticket for its server (`ticket.serverKey`). */
  put(ticket: ClientTicket): void;
  /**
   * Takes (removes and returns) the newest usable ticket for `serverKey` at `nowMs`, if any:
   * tickets are single-use, so a taken ticket is not offered again.
   */
  take(serverKey: Uint8Array, nowMs: number): ClientTicket | undefined;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The default store: in memory, at most `perServer` tickets per server (the oldest go first). */
export class MemoryTicketStore implements TicketStore {
  readonly #byServer = new Map<string, ClientTicket[]>();
  readonly perServer: number;

  constructor(perServer = 4) {
    if (!Number.isSafeInteger(perServer) || perServer < 1) throw new RangeError(`MemoryTicketStore: perServer must be a positive integer, got ${perServer}`);
    this.perServer = perServer;
  }

  put(ticket: ClientTicket): void {
    const k = hex(ticket.serverKey);
    const list = this.#byServer.get(k) ?? [];
    list.push(ticket);
    while (list.length > this.perServer) list.shift();
    this.#byServer.set(k, list);
  }

  take(serverKey: Uint8Array, nowMs: number): ClientTicket | undefined {
    const k = hex(serverKey);
    const list = (this.#byServer.get(k) ?? []).filter((t) => ticketUsable(t, nowMs));
    const t = list.pop();
    if (list.length) this.#byServer.set(k, list);
    else this.#byServer.delete(k);
    return t;
  }

  /** Tickets held for `serverKey` (usable or not). */
  count(serverKey: Uint8Array): number { return this.#byServer.get(hex(serverKey))?.length ?? 0; }
}
