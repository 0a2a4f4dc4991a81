/**
 * The handshake stream (the data of HANDSHAKE frames in Initial packets), both ways.
 *
 * - {@link HandshakeStreamReceiver} reassembles bytes by offset — out of order, duplicated or
 *   overlapping — and hands the in-order bytes on. The data a peer may send ahead of what was
 *   read is bounded (max_handshake_offset); more is CRYPTO_BUFFER_EXCEEDED.
 * - {@link HandshakeStreamSender} cuts records into frames and sends lost ones again.
 *
 * @module
 */
import { MAX_HANDSHAKE_OFFSET } from '../../gen/constants.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';
import type { Frame, HandshakeFrame } from '../../gen/frames.ts';
import type { SentItem } from './spaces.ts';

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

/** A queued frame with what it attaches for loss recovery (see spaces.ts). */
interface Queued { frame: Frame; item?: SentItem }

/**
 * The send side of the handshake stream: records cut into HANDSHAKE frames that fit an Initial
 * packet of a 1200-byte datagram, which of them the peer acknowledged, and the resending of a
 * lost one — in offset order, once, and not when a copy of it was acknowledged meanwhile.
 */
export class HandshakeStreamSender {
  #offset = 0;
  readonly #acked = new Set<number>();

  /** Queues `record` as HANDSHAKE frames of at most `chunk` bytes of data. */
  queue(record: Uint8Array, chunk: number, queue: Queued[]): void {
    for (let at = 0; at < record.length; at += chunk) {
      const frame: HandshakeFrame = { type: 'handshake', offset: this.#offset, data: record.subarray(at, at + chunk) };
      queue.push({ frame, item: { kind: 'handshake', frame } });
      this.#offset += frame.data.length;
    }
  }

  onAcked(frame: HandshakeFrame): void { this.#acked.add(frame.offset); }

  /** Puts `frame` (lost, or still in flight when a probe is due) back into `queue`, older data first. */
  requeue(frame: HandshakeFrame, queue: Queued[]): void {
    if (this.#acked.has(frame.offset)) return;
    if (queue.some((e) => e.frame.type === 'handshake' && e.frame.offset === frame.offset)) return;
    let at = queue.findIndex((e) => e.frame.type === 'handshake' && e.frame.offset > frame.offset);
    if (at < 0) at = queue.length;
    queue.splice(at, 0, { frame, item: { kind: 'handshake', frame } });
  }

  /** The Initial space is gone: nothing more will be sent or acknowledged. */
  clear(): void { this.#acked.clear(); }
}
