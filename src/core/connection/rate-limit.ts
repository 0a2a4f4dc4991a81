/**
 * Rate limits of an endpoint (spec/protocol.yaml `protocol.limits.rate`; issue #4 point 6), with
 * the time passed in (ms) like everything in the sans-IO core.
 *
 * - {@link TokenBucket}: `rate` tokens per second up to `burst`, refilled lazily when asked.
 * - {@link DatagramLimiter}: two buckets, one by packets (datagrams) and one by bytes; a datagram
 *   passes only when both hold enough (neither is charged otherwise).
 * - {@link SourceLimiter}: a bucket per source address for new handshakes, in an LRU map of at
 *   most `maxSources` entries, so that a flood from many addresses costs bounded memory (an
 *   address pushed out starts again with a full bucket: the endpoint-wide limit still holds).
 *
 * A rate of 0 or undefined means unlimited.
 *
 * @module
 */

/** A token bucket: `rate` tokens per second, at most `burst` stored; it starts full. */
export class TokenBucket {
  #tokens: number;
  #last: number;

  /**
   * @param rate tokens added per second (> 0)
   * @param burst most tokens held (≥ 1); the bucket starts with this many
   */
  constructor(readonly rate: number, readonly burst: number, now: number) {
    if (!(Number.isFinite(rate) && rate > 0)) throw new RangeError(`TokenBucket: rate must be a finite number > 0, got ${rate}`);
    if (!(Number.isFinite(burst) && burst >= 1)) throw new RangeError(`TokenBucket: burst must be a finite number ≥ 1, got ${burst}`);
    this.#tokens = burst;
    this.#last = now;
  }

  /** Tokens available at `now`. */
  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Takes `n` tokens if there are that many at `now`; returns whether it did. */
  take(now: number, n = 1): boolean {
    this.#refill(now);
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }

  /** Takes `n` tokens without checking (the bucket may go negative: a debt paid back by refills). */
  charge(n: number): void { this.#tokens -= n; }

  #refill(now: number): void {
    if (now > this.#last) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * this.rate) / 1000);
      this.#last = now;
    }
  }
}

/** A limit on inbound datagrams: per second, by count and by bytes; 0 or absent: unlimited. */
export interface DatagramRate {
  /** Datagrams per second (0: unlimited). */
  readonly packetsPerSecond?: number;
  /** Bytes per second, UDP payload (0: unlimited). */
  readonly bytesPerSecond?: number;
  /** How far above the rate a burst may go, in seconds of the rate (default 1). */
  readonly burstSeconds?: number;
}

/** A limit on new handshakes per source address. */
export interface HandshakeRate {
  /** New handshakes (first Initials, Retries included) per second per source (0: unlimited). */
  readonly perSecond?: number;
  /** Most handshakes one source may start at once (default: `perSecond`, at least 1). */
  readonly burst?: number;
  /** Most source addresses tracked (default 4096); the least recently seen is forgotten first. */
  readonly maxSources?: number;
  /** The source of an address (default: the address without a trailing `:port`). */
  readonly sourceOf?: (address: string) => string;
}

function checkRate(what: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${what} must be a finite number ≥ 0 (0: unlimited), got ${v}`);
  return v;
}

/** Checks a {@link DatagramRate} (RangeError naming the option); true when it limits anything. */
export function checkDatagramRate(name: string, r: DatagramRate | undefined): boolean {
  if (r === undefined) return false;
  const p = checkRate(`${name}.packetsPerSecond`, r.packetsPerSecond), b = checkRate(`${name}.bytesPerSecond`, r.bytesPerSecond);
  if (r.burstSeconds !== undefined && !(Number.isFinite(r.burstSeconds) && r.burstSeconds > 0)) {
    throw new RangeError(`${name}.burstSeconds must be a finite number > 0, got ${r.burstSeconds}`);
  }
  return p > 0 || b > 0;
}

/** Inbound datagrams against a packet bucket and a byte bucket. */
export class DatagramLimiter {
  readonly #packets: TokenBucket | undefined;
  readonly #bytes: TokenBucket | undefined;

  constructor(r: DatagramRate, now: number) {
    const burst = r.burstSeconds ?? 1;
    if (r.packetsPerSecond) this.#packets = new TokenBucket(r.packetsPerSecond, Math.max(1, r.packetsPerSecond * burst), now);
    // A byte bucket holds at least one largest datagram, or a datagram could never pass.
    if (r.bytesPerSecond) this.#bytes = new TokenBucket(r.bytesPerSecond, Math.max(65_527, r.bytesPerSecond * burst), now);
  }

  /** Whether a datagram of `bytes` may be taken in at `now` (both buckets are charged when it may). */
  admit(now: number, bytes: number): boolean {
    if (this.#packets && this.#packets.available(now) < 1) return false;
    if (this.#bytes && this.#bytes.available(now) < bytes) return false;
    this.#packets?.charge(1);
    this.#bytes?.charge(bytes);
    return true;
  }
}

/** The default source of an address: `host:port` → `host` (`[v6]:port` → `[v6]`); other forms as they are. */
export function defaultSourceOf(address: string): string {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) return address;
  const port = address.slice(colon + 1);
  if (!/^\d{1,5}$/.test(port)) return address;
  const host = address.slice(0, colon);
  // A bare IPv6 address has colons of its own and no port.
  return host.includes(':') && !host.startsWith('[') ? address : host;
}

/** New handshakes per source address, in bounded memory (an LRU map of buckets). */
export class SourceLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #max: number;
  readonly #sourceOf: (address: string) => string;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(r: HandshakeRate) {
    this.#rate = checkRate('handshakeRate.perSecond', r.perSecond);
    const burst = r.burst ?? Math.max(1, this.#rate);
    if (!(Number.isFinite(burst) && burst >= 1)) throw new RangeError(`handshakeRate.burst must be a finite number ≥ 1, got ${r.burst}`);
    const max = r.maxSources ?? 4096;
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`handshakeRate.maxSources must be an integer ≥ 1, got ${r.maxSources}`);
    this.#burst = burst;
    this.#max = max;
    this.#sourceOf = r.sourceOf ?? defaultSourceOf;
  }

  /** Source addresses tracked now (never more than `maxSources`). */
  get size(): number { return this.#buckets.size; }

  /** Whether `address` may start a handshake at `now` (it is charged one when it may). */
  admit(now: number, address: string): boolean {
    if (this.#rate === 0) return true;
    const source = this.#sourceOf(address);
    let b = this.#buckets.get(source);
    if (b) {
      this.#buckets.delete(source); // re-inserted last: most recently seen
    } else {
      if (this.#buckets.size >= this.#max) this.#buckets.delete(this.#buckets.keys().next().value!);
      b = new TokenBucket(this.#rate, this.#burst, now);
    }
    this.#buckets.set(source, b);
    return b.take(now);
  }
}
