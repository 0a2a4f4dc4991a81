/**
 * The server's ticket keys (spec/crypto.yaml, crypto.ticket.encryption and crypto.ticket.rotation):
 * tickets are sealed as `ticket_key_id (8) ‖ nonce (12) ‖ AES-256-GCM(ticket_key, nonce,
 * SessionTicket, aad = ticket_key_id)` under the current key; the key rotates after
 * `rotationMs`, and a retired key still opens tickets for `graceMs` after its retirement, then
 * it is wiped. Sans-IO: every call takes the wall-clock time in ms; new secrets come from the
 * injected `rng` (or are given). Servers that share a `rootSecret` — a fleet, or one server
 * across restarts — derive the key of each rotation period from it instead
 * (crypto.ticket.fleet-keys): they all seal under the same key in a period and open each other's
 * tickets without talking to each other.
 *
 * @module
 */
import type { AeadKey, CryptoProvider } from '../../crypto/provider.ts';
import { equalBytes, wipe } from '../../crypto/ct.ts';
import { LENGTHS } from '../../gen/crypto.ts';
import { MAX_TICKET_LIFETIME } from '../../gen/constants.ts';
import { periodTicketKeySecret, ticketKeyMaterial } from './schedule.ts';

/** Bytes of the random AEAD nonce in a ticket. */
export const TICKET_NONCE_LENGTH = 12;
const TAG = 16;
/** The AEAD of every ticket, whatever suite the connection uses. */
const TICKET_AEAD = 'aes-256-gcm';

/** Why a ticket did not open. */
export type TicketOpenFailure = 'malformed' | 'unknown_key' | 'tampered';

/** Options of {@link TicketKeys}. */
export interface TicketKeysOptions {
  readonly provider: CryptoProvider;
  /** Source of new ticket key secrets and nonces. */
  readonly rng: (n: number) => Uint8Array;
  /** How long a key seals new tickets before the next one takes over (default 12 h). */
  readonly rotationMs?: number;
  /**
   * How long a retired key still opens tickets (default: max_ticket_lifetime, 7 days, so no
   * ticket dies early because of a rotation). 0 rejects every ticket of a retired key.
   */
  readonly graceMs?: number;
  /**
   * A 32-byte secret shared by the servers of a fleet (crypto.ticket.fleet-keys): the key of
   * rotation period n = floor(now / rotationMs) is derived from it, the keys of the periods that
   * ended less than `graceMs` ago still open tickets, and `rotate()` is refused. Keep it like a
   * private key.
   */
  readonly rootSecret?: Uint8Array;
}

interface Key {
  readonly id: Uint8Array;
  readonly aead: AeadKey;
  readonly createdAt: number;
  /** When the next key took over (undefined for the current key). */
  retiredAt: number | undefined;
}

/** A rotating set of ticket keys. */
export class TicketKeys {
  readonly rotationMs: number;
  readonly graceMs: number;
  readonly #p: CryptoProvider;
  readonly #rng: (n: number) => Uint8Array;
  /** Oldest first; the last one is current. */
  #keys: Key[] = [];
  /** The root secret and the period of the current key, when the keys are derived from one. */
  readonly #root: Uint8Array | undefined;
  #period = -1;

  /**
   * The first key is made at `now` (wall-clock ms), from `secret` or the rng; with a
   * `rootSecret`, the keys of the current period and of the past ones still within the grace.
   */
  constructor(o: TicketKeysOptions, now: number, secret?: Uint8Array) {
    const rotationMs = o.rotationMs ?? 12 * 3600_000;
    const graceMs = o.graceMs ?? MAX_TICKET_LIFETIME * 1000;
    if (!Number.isFinite(rotationMs) || rotationMs <= 0) throw new RangeError(`TicketKeys: rotationMs must be a positive number of ms, got ${rotationMs}`);
    if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError(`TicketKeys: graceMs must be a non-negative number of ms, got ${graceMs}`);
    this.rotationMs = rotationMs;
    this.graceMs = graceMs;
    this.#p = o.provider;
    this.#rng = o.rng;
    if (o.rootSecret === undefined) {
      this.rotate(now, secret);
      return;
    }
    check32('a ticket root secret', o.rootSecret);
    if (secret !== undefined) throw new TypeError('TicketKeys: give either a rootSecret or a first secret, not both');
    this.#root = o.rootSecret.slice();
    this.#advance(now);
    if (this.#keys.length === 0) throw new RangeError(`TicketKeys: no rotation period at ${now} ms (a wall-clock time since the Unix epoch is needed)`);
  }

  /** Whether the keys are derived from a root secret (crypto.ticket.fleet-keys). */
  get derived(): boolean { return this.#root !== undefined; }

  /** The ids of the keys that still open tickets, oldest first (the last seals). */
  get ids(): Uint8Array[] { return this.#keys.map((k) => k.id.slice()); }

  /** Retires the current key now and makes `secret` (32 bytes; default from the rng) the current one. */
  rotate(now: number, secret?: Uint8Array): void {
    if (this.#root) throw new TypeError('TicketKeys: keys derived from a root secret follow its rotation periods; rotate() is for random keys');
    if (secret !== undefined) check32('a ticket key secret', secret);
    this.#add(now, secret?.slice() ?? this.#rng(32));
    this.#prune(now);
  }

  /** Rotates when the current key is older than `rotationMs` (with a root secret: when a new period began), and forgets keys past their grace. */
  tick(now: number): void {
    if (this.#root) return this.#advance(now);
    const current = this.#keys[this.#keys.length - 1];
    if (now - current.createdAt >= this.rotationMs) this.rotate(now);
    else this.#prune(now);
  }

  /** Seals an encoded SessionTicket under the current key (rotating first when due). */
  seal(now: number, plaintext: Uint8Array): Uint8Array {
    this.tick(now);
    const k = this.#keys[this.#keys.length - 1];
    const nonce = this.#rng(TICKET_NONCE_LENGTH);
    const sealed = k.aead.seal(nonce, plaintext, k.id);
    const out = new Uint8Array(k.id.length + nonce.length + sealed.length);
    out.set(k.id);
    out.set(nonce, k.id.length);
    out.set(sealed, k.id.length + nonce.length);
    return out;
  }

  /** Opens a ticket: the SessionTicket bytes, or why not. Never throws on any input. */
  open(now: number, ticket: Uint8Array): { ok: true; plaintext: Uint8Array } | { ok: false; reason: TicketOpenFailure } {
    this.tick(now);
    const idLength = LENGTHS.ticket_key_id;
    if (ticket.length < idLength + TICKET_NONCE_LENGTH + TAG + 1) return { ok: false, reason: 'malformed' };
    const id = ticket.subarray(0, idLength);
    const k = this.#keys.find((x) => equalBytes(x.id, id));
    if (!k) return { ok: false, reason: 'unknown_key' };
    const plaintext = k.aead.open(ticket.subarray(idLength, idLength + TICKET_NONCE_LENGTH), ticket.subarray(idLength + TICKET_NONCE_LENGTH), id);
    return plaintext ? { ok: true, plaintext } : { ok: false, reason: 'tampered' };
  }

  /** Wipes every key; the set is unusable afterwards. */
  wipe(): void {
    for (const k of this.#keys) k.aead.wipe();
    this.#keys = [];
    if (this.#root) wipe(this.#root);
  }

  /** Makes `secret` (wiped here) the current key from `at`, retiring the one before. */
  #add(at: number, secret: Uint8Array): void {
    const m = ticketKeyMaterial(this.#p, secret);
    const aead = this.#p.aead(TICKET_AEAD, m.key);
    wipe(secret, m.key);
    const current = this.#keys[this.#keys.length - 1];
    if (current) current.retiredAt = at;
    this.#keys.push({ id: m.id, aead, createdAt: at, retiredAt: undefined });
  }

  /**
   * With a root secret: brings the keys to the period of `now` — the key of each period since the
   * current one that is still within the grace (a clock that jumps ahead skips the rest), each
   * retired when the next period began. A clock that goes back keeps the current key.
   */
  #advance(now: number): void {
    const period = Math.floor(now / this.rotationMs);
    if (period > this.#period) {
      // Period k's key is retired at (k + 1)·rotationMs and kept while now − that ≤ graceMs: k ≥ period − ⌈grace / rotation⌉ − 1 at most.
      const back = Math.ceil(this.graceMs / this.rotationMs) + 1;
      for (let n = Math.max(this.#period + 1, period - back, 0); n <= period; n++) {
        this.#add(n * this.rotationMs, periodTicketKeySecret(this.#p, this.#root!, n));
      }
      this.#period = period;
    }
    this.#prune(now);
  }

  #prune(now: number): void {
    // A retired key is kept while now − retiredAt ≤ graceMs.
    const keep: Key[] = [];
    for (const k of this.#keys) {
      if (k.retiredAt !== undefined && now - k.retiredAt > this.graceMs) k.aead.wipe();
      else keep.push(k);
    }
    this.#keys = keep;
  }
}

function check32(what: string, b: unknown): asserts b is Uint8Array {
  if (!(b instanceof Uint8Array) || b.length !== 32) throw new TypeError(`TicketKeys: ${what} must be a 32-byte Uint8Array`);
}
