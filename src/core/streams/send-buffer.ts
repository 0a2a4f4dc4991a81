/**
 * The bytes of a sending part, by offset: written by the application, kept until acknowledged
 * (or abandoned), with the ranges acknowledged and the ranges waiting to be retransmitted. It
 * knows nothing of states or flow control; {@link SendStream} drives it.
 *
 * Offsets: `acked` ⊆ [0, sent); bytes below `base` are released (acknowledged or abandoned);
 * `[base, written)` is held; `sent` is the next new offset to transmit.
 *
 * @module
 */
import { RangeSet, type Range } from './range-set.ts';

interface Chunk { offset: number; data: Uint8Array }

/** Unacknowledged bytes of one stream, by offset. */
export class SendBuffer {
  #chunks: Chunk[] = [];
  #base = 0;
  #written = 0;
  #sent = 0;
  #floor = 0;
  readonly #acked = new RangeSet();
  readonly #lost = new RangeSet();

  /** End of the bytes written (the final size, once finished). */
  get written(): number { return this.#written; }
  /** The next new offset to transmit; also the highest offset sent or skipped. */
  get sent(): number { return this.#sent; }
  /** Bytes held: written and neither acknowledged below the first gap nor abandoned. */
  get buffered(): number { return this.#written - this.#base; }
  /** Bytes written but not yet transmitted. */
  get unsent(): number { return this.#written - this.#sent; }
  /** Whether a lost range waits for retransmission. */
  get hasLost(): boolean { return !this.#lost.empty; }
  /** The offset below which bytes are abandoned (partial reliability). */
  get floor(): number { return this.#floor; }

  /** Appends up to `max` bytes of `data` (copied); returns how many. */
  write(data: Uint8Array, max: number): number {
    const n = Math.max(0, Math.min(data.length, max));
    if (n === 0) return 0;
    this.#chunks.push({ offset: this.#written, data: data.slice(0, n) });
    this.#written += n;
    return n;
  }

  /** The bytes `[offset, offset + length)`, all held (a view when they lie in one chunk). */
  bytes(offset: number, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const out = new Uint8Array(length);
    let i = this.#chunkAt(offset);
    let at = 0;
    while (at < length) {
      const c = this.#chunks[i++];
      const from = offset + at - c.offset;
      const take = Math.min(c.data.length - from, length - at);
      if (take === length) return c.data.subarray(from, from + take);
      out.set(c.data.subarray(from, from + take), at);
      at += take;
    }
    return out;
  }

  #chunkAt(offset: number): number {
    let lo = 0, hi = this.#chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#chunks[mid].offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The first lost range, cut to `max` bytes, taken out of the retransmission queue. */
  takeLost(max: number): Range | undefined {
    const r = this.#lost.first;
    if (!r) return undefined;
    const end = Math.min(r.end, r.start + max);
    if (end <= r.start) return undefined;
    this.#lost.remove(r.start, end);
    return { start: r.start, end };
  }

  /** Marks `n` new bytes from {@link sent} as transmitted; returns their range. */
  takeNew(n: number): Range {
    const start = this.#sent;
    this.#sent += n;
    return { start, end: this.#sent };
  }

  /** Moves {@link sent} up to `offset` without transmitting (skipped bytes). */
  advanceSent(offset: number): void {
    this.#sent = Math.max(this.#sent, offset);
  }

  /** `[start, end)` was acknowledged. */
  ack(start: number, end: number): void {
    this.#acked.add(start, end);
    this.#lost.remove(start, end);
    this.#release();
  }

  /** `[start, end)` was lost: its parts neither acknowledged nor abandoned are queued again. */
  lose(start: number, end: number): void {
    for (const g of this.#acked.gaps(Math.max(start, this.#floor), Math.min(end, this.#sent))) this.#lost.add(g.start, g.end);
  }

  /** Abandons every byte below `offset` (partial reliability): dropped, never retransmitted. */
  abandon(offset: number): void {
    this.#floor = Math.max(this.#floor, offset);
    this.#lost.removeBelow(this.#floor);
    this.#release();
  }

  /** Whether every byte below `end` is acknowledged or below `floor`. */
  acknowledged(end: number, floor: number): boolean {
    return end <= floor || this.#acked.covers(floor, end);
  }

  /**
   * Forgets every transmission (0-RTT rejected: the peer saw none of it): {@link sent} goes back
   * to 0 and nothing waits for retransmission. (Nothing was acknowledged: the connection drops
   * the 0-RTT packets before any 1-RTT acknowledgment is read.)
   */
  rewind(): void {
    this.#sent = 0;
    this.#lost.clear();
  }

  /** Drops every held byte and the retransmission queue (a reset). */
  clear(): void {
    this.#chunks = [];
    this.#base = this.#written;
    this.#lost.clear();
  }

  /** Frees the chunks below the first offset still needed. */
  #release(): void {
    const firstGap = this.#acked.contiguousEnd(this.#base);
    const to = Math.max(firstGap, this.#floor);
    if (to <= this.#base) return;
    this.#base = Math.min(to, this.#written);
    while (this.#chunks.length && this.#chunks[0].offset + this.#chunks[0].data.length <= this.#base) this.#chunks.shift();
  }
}
