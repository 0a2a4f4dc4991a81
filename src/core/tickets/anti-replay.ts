/**
 * The server's anti-replay record (spec/crypto.yaml, crypto.anti-replay.single-use and
 * crypto.anti-replay.bounded; RFC 8446 §8.1): the ids of the tickets accepted in the last
 * `windowMs`, shared by every connection of a server. A ticket id found in it is a replay. An
 * entry can be dropped once the window has passed because the ticket-age check
 * (crypto.anti-replay.ticket-age) rejects 0-RTT of any first flight older than the window.
 * Memory is bounded by `capacity`; when full, {@link AntiReplay.record} answers `full` and the
 * server rejects 0-RTT (fail closed).
 *
 * Sans-IO: times are arguments (wall-clock ms).
 *
 * @module
 */

/**
 * What the record says of a ticket id: `fresh` (recorded now), `replayed` (there already),
 * `full` (no room: nothing recorded), or `unavailable` (a shared record that could not be
 * consulted, e.g. a file system error: nothing recorded). The server rejects 0-RTT on `full`
 * and `unavailable` (fail closed) and refuses the ticket on `replayed`.
 */
export type ReplayCheck = 'fresh' | 'replayed' | 'full' | 'unavailable';

/**
 * The anti-replay record a {@link ServerTickets} consults: an atomic "insert if absent" of a
 * ticket id for `windowMs`. {@link AntiReplay} keeps it in memory (one process); a record shared
 * by several server processes implements the same interface over a shared store (the Node
 * runtime's `FileReplayRecord` does it with one file per id in a directory).
 */
export interface ReplayRecord {
  /** The freshness window in ms: how long an id is remembered, and the ticket-age tolerance. */
  readonly windowMs: number;
  /** Ids held now (an estimate for a record shared with other processes). */
  readonly size: number;
  /** How many ids could not be recorded because the record was full. */
  readonly rejectedFull: number;
  /**
   * Records `ticketId` at wall-clock `now` (ms) unless it is there already and younger than the
   * window. Must never throw: a failure to consult the record answers `unavailable`.
   */
  record(ticketId: Uint8Array, now: number): ReplayCheck;
}

/** Options of {@link AntiReplay}. */
export interface AntiReplayOptions {
  /** The freshness window in ms (default 10 000): how long an id is remembered, and the ticket-age tolerance. */
  readonly windowMs?: number;
  /** Most ids held at once (default 100 000). */
  readonly capacity?: number;
}

function key(id: Uint8Array): string {
  let k = '';
  for (let i = 0; i < id.length; i++) k += String.fromCharCode(id[i]);
  return k;
}

/** Single-use ticket ids within a freshness window, with bounded memory. */
export class AntiReplay implements ReplayRecord {
  readonly windowMs: number;
  readonly capacity: number;
  /** id → when it may be forgotten; insertion order is expiry order (the window is constant). */
  readonly #seen = new Map<string, number>();
  #rejectedFull = 0;

  constructor(o: AntiReplayOptions = {}) {
    const windowMs = o.windowMs ?? 10_000, capacity = o.capacity ?? 100_000;
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`AntiReplay: windowMs must be a positive number of ms, got ${windowMs}`);
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`AntiReplay: capacity must be a positive integer, got ${capacity}`);
    this.windowMs = windowMs;
    this.capacity = capacity;
  }

  /** Ids held now. */
  get size(): number { return this.#seen.size; }
  /** How many ids could not be recorded because the record was full. */
  get rejectedFull(): number { return this.#rejectedFull; }

  /**
   * Records `ticketId` at `now` unless it is there already (`replayed`) or the record is full
   * (`full`, nothing recorded).
   */
  record(ticketId: Uint8Array, now: number): ReplayCheck {
    this.#prune(now);
    const k = key(ticketId);
    if (this.#seen.has(k)) return 'replayed';
    if (this.#seen.size >= this.capacity) {
      this.#rejectedFull++;
      return 'full';
    }
    this.#seen.set(k, now + this.windowMs);
    return 'fresh';
  }

  #prune(now: number): void {
    for (const [k, until] of this.#seen) {
      if (until > now) break;
      this.#seen.delete(k);
    }
  }
}
