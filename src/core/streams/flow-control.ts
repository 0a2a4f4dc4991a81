/**
 * Flow control (RFC 9000 §4), per stream and per connection, as two small counters:
 *
 * - {@link SendCredit}, the sending side: the limit the peer gave (MAX_STREAM_DATA / MAX_DATA),
 *   the credit used, and when to say it is blocked (STREAM_DATA_BLOCKED / DATA_BLOCKED, once per
 *   limit) — `machines.stream-send.flow-limit`, `machines.stream-send.blocked`.
 * - {@link RecvWindow}, the receiving side: the limit this endpoint advertised, the bytes received
 *   and consumed, and when to advertise a new limit — when the application has consumed half the
 *   window. The window auto-tunes as in Chromium's `QuicFlowController` and quinn: when an update
 *   is due less than two round trips after the previous one, the peer is being held back by the
 *   window rather than by the path, so the window doubles, up to a configured maximum. One fast
 *   stream is therefore not capped at its initial window, and a slow one never grows.
 *
 * Both count in bytes: a stream counts offsets (its highest offset received or sent), the
 * connection the sum over its streams. Sans-IO: the caller passes the time (`now`, ms) and the
 * smoothed RTT (ms).
 *
 * @module
 */
import { MAX_VALUE } from '../../gen/constants.ts';

/** Default initial receive window of a stream (256 KiB). Local configuration, not a protocol constant. */
export const DEFAULT_STREAM_WINDOW = 256 * 1024;
/** Default initial receive window of a connection (384 KiB, 1.5 × a stream's). */
export const DEFAULT_CONNECTION_WINDOW = 384 * 1024;
/** Default largest receive window auto-tuning may grow a stream's to (16 MiB). */
export const DEFAULT_MAX_STREAM_WINDOW = 16 * 1024 * 1024;
/** Default largest receive window auto-tuning may grow a connection's to (24 MiB). */
export const DEFAULT_MAX_CONNECTION_WINDOW = 24 * 1024 * 1024;
/** The connection window is kept at least this many times the largest stream window (Chromium's kSessionFlowControlMultiplier). */
export const CONNECTION_WINDOW_FACTOR = 1.5;

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${n}`);
}

/** The sending side's credit: what the peer allows (a stream's MAX_STREAM_DATA or the connection's MAX_DATA). */
export class SendCredit {
  #limit: number;
  #used = 0;
  #blockedNoted = false;
  #reportedAt = -1;

  /** @param limit the peer's initial limit (a transport parameter). */
  constructor(limit: number) {
    checkCount('limit', limit);
    this.#limit = limit;
  }

  /** The peer's current limit. */
  get limit(): number { return this.#limit; }
  /** Credit used: the highest offset sent (stream) or the sum of them (connection). */
  get used(): number { return this.#used; }
  /** Credit left. */
  get available(): number { return this.#limit - this.#used; }

  /**
   * A MAX_STREAM_DATA / MAX_DATA frame: raises the limit when `max` is larger and says whether it
   * did (`machines.stream-send.limit-monotonic`: a smaller value is ignored).
   */
  raise(max: number): boolean {
    checkCount('max', max);
    if (max <= this.#limit) return false;
    this.#limit = max;
    this.#blockedNoted = false;
    return true;
  }

  /**
   * Starts over at `limit` with nothing used: a client's 0-RTT was rejected, so the peer saw none
   * of the credit used, and the handshake's limit replaces the remembered one even when lower
   * (machines.stream-send.early-rewind).
   */
  restart(limit: number): void {
    checkCount('limit', limit);
    this.#limit = limit;
    this.#used = 0;
    this.#blockedNoted = false;
    this.#reportedAt = -1;
  }

  /** Uses `n` bytes of credit. Using more than is available is a bug of the caller (RangeError). */
  consume(n: number): void {
    checkCount('n', n);
    if (n > this.available) throw new RangeError(`flow control: ${n} bytes exceed the ${this.available} bytes of credit left (limit ${this.#limit})`);
    this.#used += n;
  }

  /** The sender has bytes that this credit holds back: remember it, so that {@link pollBlocked} reports it. */
  noteBlocked(): void {
    if (this.available === 0) this.#blockedNoted = true;
  }

  /**
   * The limit to put in a STREAM_DATA_BLOCKED / DATA_BLOCKED frame, once per limit: defined when
   * the sender noted it was blocked at the current limit and has not reported that limit yet.
   */
  pollBlocked(): number | undefined {
    if (!this.#blockedNoted || this.available > 0 || this.#reportedAt === this.#limit) return undefined;
    this.#reportedAt = this.#limit;
    return this.#limit;
  }

  /** A *_BLOCKED frame sent at `limit` was lost: report it again if the sender is still blocked there. */
  blockedLost(limit: number): void {
    if (this.#reportedAt === limit) this.#reportedAt = -1;
  }
}

/** Configuration of a {@link RecvWindow}. */
export interface RecvWindowConfig {
  /** The initial window, which is also the initial limit advertised (a transport parameter). */
  readonly window: number;
  /** The largest window auto-tuning may grow to; `window` disables auto-tuning. Default: `window`. */
  readonly maxWindow?: number;
}

/** The receiving side's window: the limit advertised, the bytes received and consumed, auto-tuned. */
export class RecvWindow {
  #window: number;
  readonly #maxWindow: number;
  #limit: number;
  #received = 0;
  #consumed = 0;
  #lastUpdate: number | undefined;

  constructor(config: RecvWindowConfig) {
    checkCount('window', config.window);
    const max = config.maxWindow ?? config.window;
    checkCount('maxWindow', max);
    if (max < config.window) throw new RangeError(`maxWindow (${max}) must be at least window (${config.window})`);
    this.#window = config.window;
    this.#maxWindow = max;
    this.#limit = config.window;
  }

  /** The limit advertised to the peer. */
  get limit(): number { return this.#limit; }
  /** The current window (the distance from the consumed offset to the next limit advertised). */
  get window(): number { return this.#window; }
  /** The largest window auto-tuning may reach. */
  get maxWindow(): number { return this.#maxWindow; }
  /** Bytes received: the highest offset (stream) or the sum of them (connection). */
  get received(): number { return this.#received; }
  /** Bytes consumed: read, skipped or discarded. */
  get consumed(): number { return this.#consumed; }
  /** Bytes the peer may still send under the advertised limit. */
  get available(): number { return this.#limit - this.#received; }

  /** Whether `n` more bytes fit under the advertised limit. */
  allows(n: number): boolean { return n <= this.available; }

  /** Counts `n` more bytes received; more than {@link available} is a bug of the caller (check {@link allows} first). */
  receive(n: number): void {
    checkCount('n', n);
    if (n > this.available) throw new RangeError(`flow control: ${n} bytes exceed the ${this.available} bytes the limit ${this.#limit} leaves`);
    this.#received += n;
  }

  /** Counts `n` more bytes consumed (read, skipped or discarded); never more than received. */
  consume(n: number): void {
    checkCount('n', n);
    if (this.#consumed + n > this.#received) throw new RangeError(`flow control: consumed ${this.#consumed + n} bytes but received only ${this.#received}`);
    this.#consumed += n;
  }

  /** Grows the window to at least `window` (capped at the maximum): the connection's follows its largest stream's. */
  ensureWindow(window: number): void {
    this.#window = Math.min(this.#maxWindow, Math.max(this.#window, Math.floor(window)));
  }

  /**
   * The new limit to advertise (MAX_STREAM_DATA / MAX_DATA), when at least half the window has
   * been consumed since the last one; undefined otherwise. When the previous update was less than
   * two round trips ago the window doubles first (auto-tuning), up to the maximum. `now` and
   * `rtt` in ms; an `rtt` of 0 (no sample yet) disables growth.
   */
  pollUpdate(now: number, rtt: number): number | undefined {
    if (this.#limit - this.#consumed > this.#window / 2) return undefined;
    if (this.#lastUpdate !== undefined && rtt > 0 && now - this.#lastUpdate < 2 * rtt) {
      this.#window = Math.min(this.#window * 2, this.#maxWindow);
    }
    this.#lastUpdate = now;
    const next = Math.min(this.#consumed + this.#window, MAX_VALUE);
    if (next <= this.#limit) return undefined;
    this.#limit = next;
    return next;
  }
}
