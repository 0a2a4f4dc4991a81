/**
 * A set of packet numbers kept as disjoint ranges, the shape an ACK frame carries (RFC 9000
 * §19.3.1). Ranges are sorted, never overlap and never touch (`[1,3]` and `[4,5]` merge into
 * `[1,5]`), so the set has one representation and the ranges map one-to-one onto ACK ranges.
 *
 * Lookups are binary searches; insertion splices, O(ranges) — the owners bound the number of
 * ranges (max_ack_ranges), so that is a few hundred moves at worst.
 *
 * @module
 */

/** Packet numbers `start … end`, both included (`start <= end`). */
export interface PacketRange {
  readonly start: number;
  readonly end: number;
}

export class RangeSet {
  // Parallel arrays, ascending: range i is lo[i] … hi[i], and hi[i] + 1 < lo[i + 1].
  #lo: number[] = [];
  #hi: number[] = [];

  /** Number of disjoint ranges. */
  get rangeCount(): number {
    return this.#lo.length;
  }

  /** Smallest number in the set, `undefined` when empty. */
  get min(): number | undefined {
    return this.#lo.length === 0 ? undefined : this.#lo[0];
  }

  /** Largest number in the set, `undefined` when empty. */
  get max(): number | undefined {
    return this.#hi.length === 0 ? undefined : this.#hi[this.#hi.length - 1];
  }

  /** Whether `n` is in the set. */
  has(n: number): boolean {
    const i = this.#lastStartAtMost(n);
    return i >= 0 && n <= this.#hi[i];
  }

  /** The range holding `n`, `undefined` when `n` is not in the set. */
  rangeOf(n: number): PacketRange | undefined {
    const i = this.#lastStartAtMost(n);
    return i >= 0 && n <= this.#hi[i] ? { start: this.#lo[i], end: this.#hi[i] } : undefined;
  }

  /** Whether any number of `lo … hi` is in the set (false when `lo > hi`). */
  intersects(lo: number, hi: number): boolean {
    if (lo > hi) return false;
    const i = this.#firstEndAtLeast(lo);
    return i < this.#lo.length && this.#lo[i] <= hi;
  }

  /**
   * Adds `lo … hi` (default: the single number `lo`), merging with every range it overlaps or
   * touches. Returns whether any number was new.
   */
  insert(lo: number, hi: number = lo): boolean {
    if (!(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo >= 0 && lo <= hi)) {
      throw new RangeError(`RangeSet.insert: need safe integers 0 <= lo <= hi, got ${lo} … ${hi}`);
    }
    const first = this.#firstEndAtLeast(lo - 1); // first range touching or right of lo
    const last = this.#lastStartAtMost(hi + 1); // last range touching or left of hi
    if (first > last) {
      this.#lo.splice(first, 0, lo);
      this.#hi.splice(first, 0, hi);
      return true;
    }
    const covered = first === last && this.#lo[first] <= lo && hi <= this.#hi[first];
    const newLo = Math.min(lo, this.#lo[first]);
    const newHi = Math.max(hi, this.#hi[last]);
    this.#lo.splice(first, last - first + 1, newLo);
    this.#hi.splice(first, last - first + 1, newHi);
    return !covered;
  }

  /** Removes every number below `n`. */
  removeBelow(n: number): void {
    const i = this.#firstEndAtLeast(n);
    this.#lo.splice(0, i);
    this.#hi.splice(0, i);
    if (this.#lo.length > 0 && this.#lo[0] < n) this.#lo[0] = n;
  }

  /** Removes and returns the lowest range. */
  shift(): PacketRange | undefined {
    if (this.#lo.length === 0) return undefined;
    return { start: this.#lo.shift()!, end: this.#hi.shift()! };
  }

  /** The ranges from the largest down (the order of an ACK frame), at most `limit` of them. */
  descending(limit = Infinity): PacketRange[] {
    const out: PacketRange[] = [];
    for (let i = this.#lo.length - 1; i >= 0 && out.length < limit; i--) out.push({ start: this.#lo[i], end: this.#hi[i] });
    return out;
  }

  /** The ranges from the smallest up. */
  ascending(): PacketRange[] {
    return this.#lo.map((start, i) => ({ start, end: this.#hi[i] }));
  }

  /** Index of the last range with `lo <= n`, or -1. */
  #lastStartAtMost(n: number): number {
    let a = 0;
    let b = this.#lo.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (this.#lo[m] <= n) a = m + 1;
      else b = m;
    }
    return a - 1;
  }

  /** Index of the first range with `hi >= n`, or the range count. */
  #firstEndAtLeast(n: number): number {
    let a = 0;
    let b = this.#hi.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (this.#hi[m] < n) a = m + 1;
      else b = m;
    }
    return a;
  }
}
