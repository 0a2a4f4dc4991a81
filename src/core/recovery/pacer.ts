/**
 * A token-bucket pacer (RFC 9002 §7.7; after quinn-proto's `connection/pacing.rs`).
 *
 * The bucket fills at the pacing rate — the controller's own {@link CongestionController.pacingRate}
 * when it has one (BBR), else `N · window / smoothed_rtt` with N = 5/4 (§7.7: "a value for N that
 * is small, but at least 1 (for example, 1.25)") — and holds one burst: the data the rate
 * carries in `burstInterval` (2 ms), clamped to 10 … 256 datagrams. Ten datagrams is about the
 * initial window, the burst §7.7 says senders SHOULD limit themselves to.
 *
 * {@link Pacer.nextSendTime} answers with a time, never a busy flag: `now` when the datagram may
 * go, else the moment the bucket will have refilled to a full burst (so the sender wakes once per
 * burst, not once per datagram), and at that moment the same query answers `now` — it cannot
 * spin. Packets carrying only ACK frames SHOULD not be paced (§7.7): don't ask for them.
 *
 * @module
 */

/** Options of {@link Pacer}. */
export interface PacerOptions {
  /** max_datagram_size (bytes). */
  maxDatagramSize: number;
  /** The time a full burst stands for, in ms (default 2). */
  burstInterval?: number;
  /** Smallest burst, in datagrams (default 10). */
  minBurstDatagrams?: number;
  /** Largest burst, in datagrams (default 256). */
  maxBurstDatagrams?: number;
  /** N of §7.7, the rate multiplier over window / smoothed_rtt (default 1.25). */
  rateMultiplier?: number;
}

/** What the pacer needs of the path on each query. */
export interface PacingInput {
  /** The congestion window (bytes). */
  window: number;
  /** smoothed_rtt (ms). */
  smoothedRtt: number;
  /** The controller's pacing rate (bytes/s), when it sets one. */
  pacingRate?: number | undefined;
}

/** Slack for float rounding, in bytes: far below one byte, far above double-precision error. */
const EPSILON = 1e-6;

/** A token-bucket pacer; sizes in bytes, times in ms. */
export class Pacer {
  #mds: number;
  readonly burstInterval: number;
  readonly minBurstDatagrams: number;
  readonly maxBurstDatagrams: number;
  readonly rateMultiplier: number;
  #capacity: number;
  #tokens: number;
  #last: number;
  #rate = 0;

  /** A pacer with a full bucket at `now` for `input`. */
  constructor(now: number, input: PacingInput, options: PacerOptions) {
    this.#mds = options.maxDatagramSize;
    this.burstInterval = options.burstInterval ?? 2;
    this.minBurstDatagrams = options.minBurstDatagrams ?? 10;
    this.maxBurstDatagrams = options.maxBurstDatagrams ?? 256;
    this.rateMultiplier = options.rateMultiplier ?? 1.25;
    if (!(Number.isSafeInteger(this.#mds) && this.#mds > 0)) throw new RangeError(`Pacer: maxDatagramSize must be a positive integer, got ${this.#mds}`);
    if (!(this.burstInterval > 0)) throw new RangeError(`Pacer: burstInterval must be positive, got ${this.burstInterval}`);
    if (!(this.minBurstDatagrams >= 1 && this.maxBurstDatagrams >= this.minBurstDatagrams)) {
      throw new RangeError(`Pacer: need 1 <= minBurstDatagrams <= maxBurstDatagrams, got ${this.minBurstDatagrams}, ${this.maxBurstDatagrams}`);
    }
    if (!(this.rateMultiplier >= 1)) throw new RangeError(`Pacer: rateMultiplier must be at least 1, got ${this.rateMultiplier}`);
    this.#capacity = this.#update(input);
    this.#tokens = this.#capacity;
    this.#last = now;
  }

  /** Bytes one burst may carry. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Bytes the bucket held at the last query or send. */
  get tokens(): number {
    return this.#tokens;
  }

  /** The path's max_datagram_size changed. */
  setMaxDatagramSize(maxDatagramSize: number): void {
    this.#mds = maxDatagramSize;
  }

  /**
   * The earliest time a datagram of `bytes` may be sent: `now` when it may go now, else a later
   * time at which it will. With no RTT or rate to pace by, it is always `now`.
   */
  nextSendTime(now: number, bytes: number, input: PacingInput): number {
    this.#refill(now, input);
    if (this.#rate === Infinity) return now;
    // A datagram larger than a whole burst goes when the bucket is full.
    const needed = Math.min(bytes, this.#capacity);
    if (this.#tokens + EPSILON >= needed) return now;
    // Wait for a full burst (at least the datagram), at the fill rate.
    const deficit = Math.max(needed, this.#capacity) - this.#tokens;
    return this.#last + deficit / this.#rate;
  }

  /** A paced datagram of `bytes` was sent at `now`. */
  onPacketSent(now: number, bytes: number): void {
    if (now > this.#last) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#last) * this.#rate);
      this.#last = now;
    }
    this.#tokens = Math.max(0, this.#tokens - bytes);
  }

  /** Recomputes rate and capacity from `input`; clamps the tokens to the new capacity; adds what elapsed. */
  #refill(now: number, input: PacingInput): void {
    const elapsed = Math.max(0, now - this.#last); // a clock going back adds nothing
    this.#capacity = this.#update(input);
    const added = this.#rate === Infinity ? Infinity : elapsed * this.#rate;
    this.#tokens = Math.min(this.#capacity, this.#tokens + added);
    if (now > this.#last) this.#last = now;
  }

  /** Sets the fill rate (bytes/ms) and returns the burst capacity for `input`. */
  #update(input: PacingInput): number {
    // The base rate is the controller's, or window / smoothed_rtt; the bucket fills N times faster
    // than window / smoothed_rtt so RTT jitter does not leave the window unused (§7.7).
    let base: number;
    let rate: number;
    if (input.pacingRate !== undefined) {
      base = input.pacingRate / 1000;
      rate = base;
    } else {
      base = input.smoothedRtt > 0 ? input.window / input.smoothedRtt : Infinity;
      rate = this.rateMultiplier * base;
    }
    if (!(rate > 0 && base > 0)) rate = base = Infinity; // a zero or absurd rate would block forever: don't pace
    this.#rate = rate;
    const burst = base * this.burstInterval;
    const min = this.minBurstDatagrams * this.#mds;
    const max = this.maxBurstDatagrams * this.#mds;
    return Math.min(max, Math.max(min, burst));
  }
}
