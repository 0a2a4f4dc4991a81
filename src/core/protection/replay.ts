/**
 * The replay filter of a packet number space (spec/crypto.yaml `replay_window`, requirement
 * `crypto.replay`; RFC 9000 §12.3): a packet number already received, or more than
 * `REPLAY_WINDOW` below the largest one received, is discarded — after the packet authenticated,
 * so a forgery can neither advance the window nor mark a number as seen.
 *
 * A bitmap ring, as IPsec's anti-replay window (RFC 4303 §3.4.3): bit `pn mod R` for the `W + 1`
 * numbers `largest − W … largest` (R ≥ W + 1, a multiple of 32). Checking is O(1); advancing the
 * largest clears the bits of the numbers it uncovers — each at most once per advance, so O(1)
 * amortised and never more than R / 32 words.
 *
 * @module
 */
import { REPLAY_WINDOW } from '../../gen/crypto.ts';

/** Why {@link ReplayWindow.check} refuses a number, or `'new'`. */
export type ReplayVerdict = 'new' | 'duplicate' | 'too_old';

export class ReplayWindow {
  /** W: how many packet numbers below the largest are tracked. */
  readonly size: number;
  readonly #bits: Uint32Array;
  /** R, the ring length in bits. */
  readonly #ring: number;
  #largest = -1;

  /** A window of `size` packet numbers (default `REPLAY_WINDOW` from the spec). */
  constructor(size: number = REPLAY_WINDOW) {
    if (!Number.isInteger(size) || size < 1 || size > 2 ** 24) throw new RangeError(`ReplayWindow: size must be an integer in 1..2^24, got ${size}`);
    this.size = size;
    this.#ring = Math.ceil((size + 1) / 32) * 32;
    this.#bits = new Uint32Array(this.#ring / 32);
  }

  /** The largest packet number accepted so far, `undefined` before the first. */
  get largest(): number | undefined {
    return this.#largest < 0 ? undefined : this.#largest;
  }

  /** Whether `pn` would be accepted, without recording it. */
  check(pn: number): ReplayVerdict {
    if (!Number.isSafeInteger(pn) || pn < 0) throw new RangeError(`ReplayWindow: packet number must be a non-negative safe integer, got ${pn}`);
    if (pn > this.#largest) return 'new';
    if (this.#largest - pn > this.size) return 'too_old';
    const i = pn % this.#ring;
    return (this.#bits[i >>> 5] & (1 << (i & 31))) !== 0 ? 'duplicate' : 'new';
  }

  /** Records `pn` when it is new; returns the verdict either way (only `'new'` records). */
  accept(pn: number): ReplayVerdict {
    const verdict = this.check(pn);
    if (verdict !== 'new') return verdict;
    if (pn > this.#largest) {
      const advance = this.#largest < 0 ? this.#ring : pn - this.#largest;
      if (advance >= this.#ring) {
        this.#bits.fill(0);
      } else {
        // Clear the bits of largest+1 … pn: they still hold numbers R below, now out of the window.
        for (let n = this.#largest + 1; n <= pn; n++) {
          const i = n % this.#ring;
          this.#bits[i >>> 5] &= ~(1 << (i & 31));
        }
      }
      this.#largest = pn;
    }
    const i = pn % this.#ring;
    this.#bits[i >>> 5] |= 1 << (i & 31);
    return 'new';
  }
}
