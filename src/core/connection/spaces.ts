/**
 * A packet-number space, minimal: the next packet number, the packets received (for ACK frames)
 * and the retransmittable frames of each packet sent and not yet acknowledged. Full loss
 * recovery (RFC 9002) replaces the timer logic here in [core]; the bookkeeping stays.
 *
 * @module
 */
import type { AckFrame, Frame } from '../../gen/frames.ts';

/** Frames worth sending again when the packet carrying them is lost. */
export function isRetransmittable(f: Frame): boolean {
  return f.type === 'handshake' || f.type === 'handshake_done' || f.type === 'ping' || f.type === 'connection_close';
}

/** Whether a frame makes its packet ack-eliciting (RFC 9000 §13.2: all but ACK, PADDING, CONNECTION_CLOSE). */
export function isAckEliciting(f: Frame): boolean {
  return f.type !== 'ack' && f.type !== 'padding' && f.type !== 'connection_close';
}

export class PacketSpace {
  nextPn = 0;
  /** Largest packet number received (for decoding truncated numbers). */
  largestReceived: number | undefined;
  /** Largest of our packet numbers the peer acknowledged. */
  largestAcked: number | undefined;
  /** Received packet numbers, sorted, bounded. */
  readonly #received: number[] = [];
  /** An ack-eliciting packet arrived since the last ACK we sent. */
  ackPending = false;
  /** Our unacknowledged packets: their retransmittable frames and send time. */
  readonly sent = new Map<number, { frames: Frame[]; time: number }>();

  /** Records a received packet number; false when it is a duplicate. */
  onReceived(pn: number, ackEliciting: boolean): boolean {
    const r = this.#received;
    let lo = 0, hi = r.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (r[mid] < pn) lo = mid + 1; else hi = mid; }
    if (r[lo] === pn) return false;
    r.splice(lo, 0, pn);
    if (r.length > 1024) r.shift();
    this.largestReceived = Math.max(this.largestReceived ?? pn, pn);
    if (ackEliciting) this.ackPending = true;
    return true;
  }

  /** An ACK frame for what was received (ranges, newest first), or undefined when nothing was. */
  ackFrame(): AckFrame | undefined {
    const r = this.#received;
    if (r.length === 0) return undefined;
    const ranges: [number, number][] = []; // [smallest, largest], descending
    let hi = r[r.length - 1], lo = hi;
    for (let i = r.length - 2; i >= 0; i--) {
      if (r[i] === lo - 1) lo = r[i];
      else { ranges.push([lo, hi]); hi = lo = r[i]; }
      if (ranges.length >= 32) break;
    }
    if (ranges.length < 32) ranges.push([lo, hi]);
    const [first, ...rest] = ranges;
    const ackRanges = [];
    let prevSmallest = first[0];
    for (const [s, l] of rest) {
      ackRanges.push({ gap: prevSmallest - l - 2, length: l - s });
      prevSmallest = s;
    }
    return { type: 'ack', largestAcknowledged: first[1], ackDelay: 0, firstAckRange: first[1] - first[0], ackRanges };
  }

  /** Applies an ACK from the peer: forgets the acknowledged packets and returns their numbers. */
  onAck(ack: AckFrame): number[] {
    const acked: number[] = [];
    let largest = ack.largestAcknowledged;
    let smallest = largest - ack.firstAckRange;
    const take = (s: number, l: number) => {
      for (const pn of this.sent.keys()) if (pn >= s && pn <= l) acked.push(pn);
    };
    take(smallest, largest);
    for (const r of ack.ackRanges) {
      largest = smallest - r.gap - 2;
      smallest = largest - r.length;
      take(smallest, largest);
    }
    for (const pn of acked) this.sent.delete(pn);
    this.largestAcked = Math.max(this.largestAcked ?? ack.largestAcknowledged, ack.largestAcknowledged);
    return acked;
  }
}
