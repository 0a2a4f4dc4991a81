/**
 * Reassembly of a stream's bytes: segments arrive at any offset, in any order, overlapping and
 * duplicated; the buffer keeps each byte once (copied out of the packet, so a datagram is not
 * pinned by one byte of it) and hands them out in order from the read offset.
 *
 * It tracks two things: the offsets *received* (stored, read, skipped, or dropped after the
 * application stopped reading) and the bytes *stored*. Stored bytes lie between the read offset
 * and the highest offset received, so the caller bounds the buffer by bounding that distance —
 * flow control does (`machines.stream-recv.buffer-bound`). An explicit `bound` makes the
 * invariant checked: a segment ending beyond `readOffset + bound` is a RangeError.
 *
 * @module
 */
import { RangeSet, type Range } from './range-set.ts';

interface Chunk { offset: number; data: Uint8Array }

/** Ordered reassembly of one stream's bytes. */
export class Reassembly {
  readonly #received = new RangeSet();
  /** Stored chunks, ascending and disjoint, all at or above the read offset. */
  #chunks: Chunk[] = [];
  #readOffset = 0;
  #buffered = 0;

  /** @param bound the most bytes past the read offset a segment may reach (default: unbounded). */
  constructor(readonly bound = Number.MAX_SAFE_INTEGER) {}

  /** Offset of the next byte to read. */
  get readOffset(): number { return this.#readOffset; }
  /** Bytes stored, waiting to be read. */
  get buffered(): number { return this.#buffered; }
  /** Highest offset received plus one (0 when nothing arrived). */
  get highest(): number { return this.#received.max; }
  /** End of the bytes that can be read now: the run of received offsets from the read offset. */
  get readableEnd(): number { return this.#received.contiguousEnd(this.#readOffset); }
  /** Number of stored chunks (fragmentation). */
  get chunks(): number { return this.#chunks.length; }

  /** Whether every offset below `end` has been received, read or skipped. */
  complete(end: number): boolean {
    return end <= this.#readOffset || this.#received.covers(this.#readOffset, end);
  }

  /**
   * A segment `[offset, offset + data.length)`: its bytes not received before are stored (with
   * `store` false they are only recorded as received — the application stopped reading).
   */
  insert(offset: number, data: Uint8Array, store = true): void {
    const end = offset + data.length;
    if (end > this.#readOffset + this.bound) throw new RangeError(`reassembly: segment ends at ${end}, beyond the bound (read offset ${this.#readOffset} + ${this.bound})`);
    if (end <= this.#readOffset || data.length === 0) return;
    if (store) {
      for (const g of this.#received.gaps(Math.max(offset, this.#readOffset), end)) {
        this.#store({ offset: g.start, data: data.slice(g.start - offset, g.end - offset) });
      }
    }
    this.#received.add(Math.max(offset, this.#readOffset), end);
  }

  #store(c: Chunk): void {
    let lo = 0, hi = this.#chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#chunks[mid].offset < c.offset) lo = mid + 1;
      else hi = mid;
    }
    this.#chunks.splice(lo, 0, c);
    this.#buffered += c.data.length;
  }

  /** Up to `max` bytes from the read offset, in order (empty when the next byte has not arrived). */
  read(max = Number.MAX_SAFE_INTEGER): Uint8Array {
    const parts: Uint8Array[] = [];
    let n = 0;
    while (n < max && this.#chunks.length && this.#chunks[0].offset === this.#readOffset) {
      const c = this.#chunks[0];
      const take = Math.min(c.data.length, max - n);
      parts.push(take === c.data.length ? c.data : c.data.subarray(0, take));
      if (take === c.data.length) this.#chunks.shift();
      else this.#chunks[0] = { offset: c.offset + take, data: c.data.subarray(take) };
      this.#readOffset += take;
      this.#buffered -= take;
      n += take;
    }
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  /**
   * STREAM_SKIP: every offset below `offset` counts as received; stored bytes below it are
   * dropped and the read offset moves up to it. Returns the range the read offset jumped over.
   */
  skipTo(offset: number): Range | undefined {
    if (offset > this.#readOffset) this.#received.add(this.#readOffset, offset);
    if (offset <= this.#readOffset) return undefined;
    const from = this.#readOffset;
    this.#dropBelow(offset);
    this.#readOffset = offset;
    return { start: from, end: offset };
  }

  /** Drops every stored byte (the offsets stay received); returns how many. */
  discard(): number {
    const n = this.#buffered;
    this.#chunks = [];
    this.#buffered = 0;
    return n;
  }

  /** Moves the read offset over the received run without delivering (after a stop): returns how far it moved. */
  dropReadable(): number {
    const end = this.readableEnd;
    const n = end - this.#readOffset;
    this.#dropBelow(end);
    this.#readOffset = end;
    return n;
  }

  #dropBelow(offset: number): void {
    while (this.#chunks.length && this.#chunks[0].offset < offset) {
      const c = this.#chunks[0];
      const cut = Math.min(c.data.length, offset - c.offset);
      this.#buffered -= cut;
      if (cut === c.data.length) this.#chunks.shift();
      else this.#chunks[0] = { offset: c.offset + cut, data: c.data.subarray(cut) };
    }
  }
}
