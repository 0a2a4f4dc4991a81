/**
 * The packets sent in one packet number space and not yet acknowledged or declared lost (RFC
 * 9002 Appendix A.1 "Tracking Sent Packets"), with what the connection attached to each: the
 * frames (or records) to retransmit if it is lost, or to mark delivered when it is acknowledged.
 *
 * Packet numbers only grow, so packets are kept in send order in an array and found by binary
 * search; processing an ACK costs O(ranges · log n + packets acknowledged), never a walk over
 * the numbers a range spans (a peer may acknowledge 0 … 2^53 in one range).
 *
 * It also remembers which numbers the peer acknowledged (as ranges) so that persistent
 * congestion can ask whether anything sent between two lost packets was acknowledged (RFC 9002
 * §7.6.2), and which numbers were skipped on purpose, so that an ACK for a number never sent is
 * caught (RFC 9000 §13.1, §21.4: PROTOCOL_VIOLATION).
 *
 * @module
 */
import { ProtocolViolationError } from '../../gen/errors.ts';
import { MAX_ACK_RANGES } from '../../gen/constants.ts';
import type { PacketDeliveryState } from './delivery-rate.ts';
import { RangeSet, type PacketRange } from './ranges.ts';

/** One packet sent (RFC 9002 A.1.1 "Sent Packet Fields") and what the connection attached to it. */
export interface SentPacket<F = unknown> {
  /** packet_number. */
  readonly packetNumber: number;
  /** time_sent (ms). */
  readonly timeSent: number;
  /** sent_bytes: the packet's size, headers and AEAD tag included, UDP/IP not. */
  readonly bytes: number;
  /** ack_eliciting: it carries a frame other than ACK, PADDING or CONNECTION_CLOSE. */
  readonly ackEliciting: boolean;
  /** in_flight: it counts towards bytes in flight (ack-eliciting, or PADDING). */
  readonly inFlight: boolean;
  /** Opaque to recovery: the frames or records to retransmit on loss, or to release on acknowledgement. */
  readonly frames: readonly F[];
  /** The delivery-rate snapshot taken when it was sent (in-flight packets only). */
  readonly delivery: PacketDeliveryState | undefined;
  /** A path MTU probe: its loss is not a congestion signal (RFC 9000 §14.4). */
  readonly mtuProbe?: boolean;
}

/** Most acknowledged ranges remembered for persistent congestion; older knowledge counts as "acknowledged". */
const MAX_ACKED_RANGES = 2 * (MAX_ACK_RANGES + 1);
/** Most deliberately skipped numbers remembered. */
const MAX_SKIPPED = 64;

/** The outstanding packets of one space. */
export class SentPackets<F = unknown> {
  // Send order = packet-number order. Removed entries are holes (undefined) until compaction.
  #pns: number[] = [];
  #packets: (SentPacket<F> | undefined)[] = [];
  #head = 0;
  #live = 0;
  #largestSent = -1;
  #bytesInFlight = 0;
  #ackElicitingInFlight = 0;
  #timeOfLastAckEliciting: number | undefined;
  readonly #acked = new RangeSet();
  /** Below this, what was acknowledged is forgotten (and assumed acknowledged). */
  #ackedFloor = 0;
  #skipped: number[] = [];

  /** The largest packet number sent or skipped, -1 before the first. */
  get largestSent(): number {
    return this.#largestSent;
  }

  /** Packets outstanding. */
  get size(): number {
    return this.#live;
  }

  /** Bytes of the outstanding in-flight packets. */
  get bytesInFlight(): number {
    return this.#bytesInFlight;
  }

  /** Outstanding ack-eliciting packets (all of them in flight). */
  get ackElicitingInFlight(): number {
    return this.#ackElicitingInFlight;
  }

  /** time_of_last_ack_eliciting_packet (A.2): when the last ack-eliciting packet was sent. */
  get timeOfLastAckEliciting(): number | undefined {
    return this.#timeOfLastAckEliciting;
  }

  /** Records a sent packet; its number must be above every number sent or skipped. */
  add(packet: SentPacket<F>): void {
    const pn = packet.packetNumber;
    if (!(Number.isSafeInteger(pn) && pn > this.#largestSent)) {
      throw new RangeError(`SentPackets: packet number ${pn} must be a safe integer above the largest sent (${this.#largestSent})`);
    }
    if (packet.ackEliciting && !packet.inFlight) throw new RangeError(`SentPackets: packet ${pn} is ack-eliciting, so it must count as in flight`);
    this.#largestSent = pn;
    this.#pns.push(pn);
    this.#packets.push(packet);
    this.#live++;
    if (packet.inFlight) this.#bytesInFlight += packet.bytes;
    if (packet.ackEliciting) {
      this.#ackElicitingInFlight++;
      this.#timeOfLastAckEliciting = packet.timeSent;
    }
  }

  /**
   * Skips `pn` (it will never be sent), so that an ACK for it proves the peer acknowledges packets
   * it did not receive (RFC 9000 §21.4 optimistic ACK defence).
   */
  skip(pn: number): void {
    if (!(Number.isSafeInteger(pn) && pn > this.#largestSent)) throw new RangeError(`SentPackets: skipped number ${pn} must be above the largest sent (${this.#largestSent})`);
    this.#largestSent = pn;
    this.#skipped.push(pn);
    if (this.#skipped.length > MAX_SKIPPED) this.#skipped.shift();
  }

  /** The outstanding packet `pn`, if any. */
  get(pn: number): SentPacket<F> | undefined {
    const i = this.#indexOf(pn);
    return i < 0 ? undefined : this.#packets[i];
  }

  /**
   * Applies the ranges of an ACK frame (largest first): returns the packets they newly
   * acknowledge, ascending, removed from this set. Throws ProtocolViolationError when a range
   * covers a number never sent (above the largest sent, or skipped).
   */
  onAck(ranges: readonly PacketRange[]): SentPacket<F>[] {
    if (ranges.length === 0) return [];
    if (ranges[0].end > this.#largestSent) {
      throw new ProtocolViolationError(`ACK of packet ${ranges[0].end}, but the largest sent is ${this.#largestSent}`);
    }
    for (const s of this.#skipped) {
      for (const r of ranges) {
        if (r.start <= s && s <= r.end) throw new ProtocolViolationError(`ACK of packet ${s}, which was never sent (skipped)`);
      }
    }
    const out: SentPacket<F>[] = [];
    for (let k = ranges.length - 1; k >= 0; k--) {
      const r = ranges[k];
      this.#rememberAcked(r);
      for (let i = this.#lowerBound(r.start); i < this.#pns.length && this.#pns[i] <= r.end; i++) {
        const p = this.#packets[i];
        if (p === undefined) continue;
        out.push(p);
        this.#removeAt(i);
      }
    }
    this.#compact();
    return out;
  }

  /** The outstanding packets numbered up to `maxPn`, ascending (loss detection walks these). */
  upTo(maxPn: number): SentPacket<F>[] {
    const out: SentPacket<F>[] = [];
    for (let i = this.#head; i < this.#pns.length && this.#pns[i] <= maxPn; i++) {
      const p = this.#packets[i];
      if (p !== undefined) out.push(p);
    }
    return out;
  }

  /** Removes the outstanding packet `pn` (declared lost, or discarded); returns it. */
  remove(pn: number): SentPacket<F> | undefined {
    const i = this.#indexOf(pn);
    if (i < 0) return undefined;
    const p = this.#packets[i]!;
    this.#removeAt(i);
    this.#compact();
    return p;
  }

  /** Removes and returns every outstanding packet `match` accepts (all of them by default), ascending. */
  removeAll(match: (p: SentPacket<F>) => boolean = () => true): SentPacket<F>[] {
    const out: SentPacket<F>[] = [];
    for (let i = this.#head; i < this.#pns.length; i++) {
      const p = this.#packets[i];
      if (p !== undefined && match(p)) {
        out.push(p);
        this.#removeAt(i);
      }
    }
    this.#compact();
    return out;
  }

  /**
   * Whether the peer acknowledged any number in `lo … hi` (false when `lo > hi`). Numbers whose
   * acknowledgement was forgotten (beyond the remembered ranges) count as acknowledged, which
   * can only make persistent congestion rarer, never wrongly declared.
   */
  ackedBetween(lo: number, hi: number): boolean {
    if (lo > hi) return false;
    if (lo < this.#ackedFloor) return true;
    return this.#acked.intersects(lo, hi);
  }

  #rememberAcked(r: PacketRange): void {
    const start = Math.max(r.start, this.#ackedFloor);
    if (start > r.end) return;
    this.#acked.insert(start, r.end);
    while (this.#acked.rangeCount > MAX_ACKED_RANGES) {
      this.#acked.shift();
      this.#ackedFloor = this.#acked.min!;
    }
  }

  #removeAt(i: number): void {
    const p = this.#packets[i]!;
    this.#packets[i] = undefined;
    this.#live--;
    if (p.inFlight) this.#bytesInFlight -= p.bytes;
    if (p.ackEliciting) this.#ackElicitingInFlight--;
  }

  /** Drops leading holes; rebuilds the arrays when holes outnumber live packets. */
  #compact(): void {
    while (this.#head < this.#packets.length && this.#packets[this.#head] === undefined) this.#head++;
    const holes = this.#packets.length - this.#live;
    if (holes > 64 && holes > this.#live) {
      const pns: number[] = [];
      const packets: SentPacket<F>[] = [];
      for (let i = this.#head; i < this.#packets.length; i++) {
        const p = this.#packets[i];
        if (p !== undefined) {
          pns.push(this.#pns[i]);
          packets.push(p);
        }
      }
      this.#pns = pns;
      this.#packets = packets;
      this.#head = 0;
    }
  }

  /** First index at or after the head whose number is >= pn. */
  #lowerBound(pn: number): number {
    let a = this.#head;
    let b = this.#pns.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (this.#pns[m] < pn) a = m + 1;
      else b = m;
    }
    return a;
  }

  #indexOf(pn: number): number {
    const i = this.#lowerBound(pn);
    return i < this.#pns.length && this.#pns[i] === pn && this.#packets[i] !== undefined ? i : -1;
  }
}
