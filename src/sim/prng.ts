/**
 * The simulator's pseudo-random numbers: xoshiro128** (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", 2018; https://prng.di.unimi.it/xoshiro128starstar.c), a
 * 128-bit state generator with 32-bit output, seeded from a string.
 *
 * Seeding: the seed's UTF-8 bytes are absorbed by four chained FNV-1a passes (each pass starts
 * from the previous pass's hash, so the four words differ), then every word goes through the
 * splitmix32 finalizer (murmur3 `fmix32` constants) so that seeds differing in one character
 * give unrelated states. A state of all zeros (which xoshiro cannot leave) is replaced by a
 * fixed non-zero one.
 *
 * Not cryptographic — its purposes are speed and reproducibility: the same seed gives the same
 * sequence on every platform (only 32-bit integer arithmetic with `Math.imul` and `>>> 0`).
 * {@link Prng.fork} derives an independent stream from the seed and a label, so each link owns
 * its stream and adding a link or a datagram elsewhere does not shift anyone else's draws.
 *
 * @module
 */

const utf8 = new TextEncoder();

/** FNV-1a 32 over `bytes`, starting from `basis`. */
function fnv1a(bytes: Uint8Array, basis: number): number {
  let h = basis >>> 0;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The murmur3 / splitmix32 finalizer: a bijection on 32-bit words that mixes every bit. */
function fmix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** A seeded xoshiro128** generator. */
export class Prng {
  /** The seed this generator was made from (forks append `/label`). */
  readonly seed: string;
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  constructor(seed: string) {
    if (typeof seed !== 'string') throw new TypeError(`Prng: the seed must be a string, got ${typeof seed}`);
    this.seed = seed;
    const bytes = utf8.encode(seed);
    let h = 0x811c9dc5; // FNV offset basis
    const w: number[] = [];
    for (let i = 0; i < 4; i++) {
      h = fnv1a(bytes, h ^ Math.imul(i + 1, 0x9e3779b9));
      w.push(fmix32(h));
    }
    if ((w[0] | w[1] | w[2] | w[3]) === 0) w[0] = 0x9e3779b9;
    [this.#s0, this.#s1, this.#s2, this.#s3] = w as [number, number, number, number];
  }

  /**
   * A generator with the raw xoshiro state `[s0, s1, s2, s3]` (not all zero) — for checking
   * against the reference C implementation; simulations seed from strings.
   */
  static fromState(state: readonly [number, number, number, number]): Prng {
    if (state.every((x) => (x >>> 0) === 0)) throw new RangeError('Prng.fromState: the state must not be all zero');
    const g = new Prng(`state:${state.join(',')}`);
    [g.#s0, g.#s1, g.#s2, g.#s3] = state.map((x) => x >>> 0) as [number, number, number, number];
    return g;
  }

  /** The next 32-bit unsigned integer (xoshiro128** `next`). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.#s1 << 9) >>> 0;
    this.#s2 = (this.#s2 ^ this.#s0) >>> 0;
    this.#s3 = (this.#s3 ^ this.#s1) >>> 0;
    this.#s1 = (this.#s1 ^ this.#s2) >>> 0;
    this.#s0 = (this.#s0 ^ this.#s3) >>> 0;
    this.#s2 = (this.#s2 ^ t) >>> 0;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A float uniform in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** True with probability `p` (no draw when `p` is 0 or 1, so a disabled impairment costs nothing). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  /** An integer uniform in [0, n) for 1 ≤ n ≤ 2^32 (multiply-shift; bias below 2^-32·n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) throw new RangeError(`Prng.int: bad bound ${n}`);
    return Math.floor(this.next() * n);
  }

  /** A float uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A new generator on the seed `${seed}/${label}`, independent of this one's position. */
  fork(label: string): Prng {
    return new Prng(`${this.seed}/${label}`);
  }
}
