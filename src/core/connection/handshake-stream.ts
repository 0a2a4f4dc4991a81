/**
 * The receive side of one handshake stream (the data of HANDSHAKE frames at one encryption
 * level): reassembles bytes by offset — out of order, duplicated or overlapping — and hands the
 * in-order bytes on. The data a peer may send ahead of what was read is bounded
 * (max_handshake_offset); more is CRYPTO_BUFFER_EXCEEDED.
 *
 * @module
 */
import { MAX_HANDSHAKE_OFFSET } from '../../gen/constants.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';

export class HandshakeStreamReceiver {
  /** Bytes delivered so far (the next offset expected). */
  #read = 0;
  /** Segments beyond `#read`, by offset. */
  readonly #pending = new Map<number, Uint8Array>();

  /** Offset of the next byte to deliver. */
  get offset(): number { return this.#read; }

  /** Accepts one frame's data at `offset`; returns the bytes now deliverable in order (maybe empty). */
  push(offset: number, data: Uint8Array): Uint8Array {
    const end = offset + data.length;
    if (end > MAX_HANDSHAKE_OFFSET) {
      throw TransportError.of(ErrorCode.CRYPTO_BUFFER_EXCEEDED, `handshake data up to offset ${end} exceeds max_handshake_offset ${MAX_HANDSHAKE_OFFSET}`);
    }
    if (end <= this.#read) return new Uint8Array(0); // a duplicate of what was delivered
    if (offset < this.#read) {
      data = data.subarray(this.#read - offset);
      offset = this.#read;
    }
    const held = this.#pending.get(offset);
    if (!held || held.length < data.length) this.#pending.set(offset, data.slice());
    const out: Uint8Array[] = [];
    for (;;) {
      let advanced = false;
      for (const [o, d] of this.#pending) {
        if (o > this.#read) continue;
        this.#pending.delete(o);
        const fresh = d.subarray(this.#read - o);
        if (fresh.length > 0) {
          out.push(fresh);
          this.#read += fresh.length;
        }
        advanced = true;
      }
      if (!advanced) break;
    }
    if (out.length === 1) return out[0];
    const all = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of out) { all.set(b, at); at += b.length; }
    return all;
  }
}
