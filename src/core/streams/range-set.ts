/**
 * A set of stream offsets kept as sorted, disjoint, non-adjacent half-open ranges `[start, end)`:
 * the bytes received (reassembly), acknowledged or waiting for retransmission (send buffer).
 *
 * @module
 */

/** One range of offsets, `start` included, `end` excluded. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** Sorted disjoint ranges; adjacent or overlapping ranges merge on insertion. */
export class RangeSet {
  /** Flat `[start0, end0, start1, end1, …]`, ascending. */
  #r: number[] = [];

  /** Number of disjoint ranges. */
  get count(): number { return this.#r.length / 2; }
  /** Whether the set is empty. */
  get empty(): boolean { return this.#r.length === 0; }
  /** Total number of offsets in the set. */
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.#r.length; i += 2) n += this.#r[i + 1] - this.#r[i];
    return n;
  }
  /** The lowest range, if any. */
  get first(): Range | undefined {
    return this.#r.length ? { start: this.#r[0], end: this.#r[1] } : undefined;
  }
  /** The highest offset in the set plus one (0 when empty). */
  get max(): number { return this.#r.length ? this.#r[this.#r.length - 1] : 0; }

  /** Index (even) of the first range whose end is >= `x`. */
  #firstEndingAtOrAfter(x: number): number {
    let lo = 0, hi = this.#r.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#r[mid * 2 + 1] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo * 2;
  }

  /** Adds `[start, end)`. */
  add(start: number, end: number): void {
    if (end <= start) return;
    const i = this.#firstEndingAtOrAfter(start);
    let j = i;
    let s = start, e = end;
    while (j < this.#r.length && this.#r[j] <= end) {
      s = Math.min(s, this.#r[j]);
      e = Math.max(e, this.#r[j + 1]);
      j += 2;
    }
    this.#r.splice(i, j - i, s, e);
  }

  /** Removes `[start, end)`. */
  remove(start: number, end: number): void {
    if (end <= start) return;
    const i = this.#firstEndingAtOrAfter(start + 1);
    const out: number[] = [];
    let j = i;
    while (j < this.#r.length && this.#r[j] < end) {
      const s = this.#r[j], e = this.#r[j + 1];
      if (s < start) out.push(s, start);
      if (e > end) out.push(end, e);
      j += 2;
    }
    if (j > i) this.#r.splice(i, j - i, ...out);
  }

  /** Removes every offset below `x`. */
  removeBelow(x: number): void {
    if (x > 0) this.remove(0, x);
  }

  /** Whether every offset of `[start, end)` is in the set (true for an empty range). */
  covers(start: number, end: number): boolean {
    if (end <= start) return true;
    const i = this.#firstEndingAtOrAfter(start + 1);
    return i < this.#r.length && this.#r[i] <= start && this.#r[i + 1] >= end;
  }

  /** The end of the run of offsets in the set that starts at `from` (`from` itself when `from` is not in the set). */
  contiguousEnd(from: number): number {
    const i = this.#firstEndingAtOrAfter(from + 1);
    return i < this.#r.length && this.#r[i] <= from ? this.#r[i + 1] : from;
  }

  /** The parts of `[start, end)` that are not in the set, in order. */
  gaps(start: number, end: number): Range[] {
    const out: Range[] = [];
    let at = start;
    for (let i = this.#firstEndingAtOrAfter(start + 1); i < this.#r.length && this.#r[i] < end && at < end; i += 2) {
      if (this.#r[i] > at) out.push({ start: at, end: this.#r[i] });
      at = Math.max(at, this.#r[i + 1]);
    }
    if (at < end) out.push({ start: at, end });
    return out;
  }

  /** Every range, ascending. */
  *[Symbol.iterator](): IterableIterator<Range> {
    for (let i = 0; i < this.#r.length; i += 2) yield { start: this.#r[i], end: this.#r[i + 1] };
  }

  /** Empties the set. */
  clear(): void { this.#r = []; }
}
