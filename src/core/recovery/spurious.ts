/**
 * Spurious-loss detection and adaptive reordering thresholds (RFC 9002 §6.1.1, §6.1.2: "implementations
 * can detect spurious retransmissions and increase the packet reordering threshold"; the shape
 * follows quiche's GeneralLossAlgorithm and Linux RACK).
 *
 * A packet declared lost is remembered for a while ({@link RecentlyLost}). When an ACK later covers
 * it, the loss was spurious: the packet was only late. The sender then learns how late:
 *
 * - **Packet threshold**: the packet was `distance` numbers below the largest acknowledged when it
 *   was declared lost, so a threshold of `distance + 1` would have waited for it. The threshold
 *   grows to that (never shrinks), up to {@link MAX_PACKET_THRESHOLD}.
 * - **Time threshold**: the ACK came `ackTime − timeSent` after the packet left; a time threshold
 *   of that over max(smoothed_rtt, latest_rtt) would have waited for it. It grows to that (at
 *   least ×1/8 more each time), up to {@link MAX_TIME_THRESHOLD}.
 * - **Congestion**: when every packet whose loss started a congestion event turns out to have been
 *   delivered, the event was not one; the controller may undo its reduction
 *   (`CongestionController.onSpuriousCongestionEvent`).
 *
 * @module
 */
import type { SentPacket } from './sent.ts';
import type { PacketRange } from './ranges.ts';

/** The largest packet reordering threshold adaptation may reach. */
export const MAX_PACKET_THRESHOLD = 256;
/** The largest time threshold adaptation may reach (a whole extra RTT of waiting). */
export const MAX_TIME_THRESHOLD = 2;
/** Lost packets remembered per packet number space (the oldest are forgotten first). */
const REMEMBERED = 256;

/** A packet declared lost, remembered to recognize a late ACK for it. */
export interface LostRecord {
  readonly packetNumber: number;
  readonly timeSent: number;
  /** The largest acknowledged packet number when it was declared lost. */
  readonly largestAckedAtLoss: number;
  /** The congestion event its loss belonged to (an id of {@link RecentlyLost.beginEvent}), if any. */
  readonly event: number | undefined;
}

/** A congestion event whose every lost packet may yet prove to have arrived. */
interface PendingEvent {
  /** The sent time the controller was given (`onCongestionEvent(now, sentTime, …)`). */
  readonly sentTime: number;
  /** Lost packets of the event not yet acknowledged late. */
  outstanding: number;
}

/** Remembers recently lost packets of one space and recognizes spurious losses among ACKed ranges. */
export class RecentlyLost {
  // Ascending by packet number; a bounded ring would reorder, a sorted array with rare inserts does not.
  #records: LostRecord[] = [];
  readonly #events = new Map<number, PendingEvent>();
  #nextEvent = 0;

  /** How many lost packets are remembered. */
  get size(): number {
    return this.#records.length;
  }

  /** Opens a congestion event for the packets about to be recorded; returns its id. */
  beginEvent(sentTime: number): number {
    const id = this.#nextEvent++;
    this.#events.set(id, { sentTime, outstanding: 0 });
    // Only the newest events can still be undone; forget old ones so the map stays small.
    if (this.#events.size > 8) this.#events.delete(this.#events.keys().next().value!);
    return id;
  }

  /** Records a packet declared lost while `largestAcked` was the largest acknowledged. */
  add<F>(p: SentPacket<F>, largestAcked: number, event: number | undefined): void {
    const r: LostRecord = { packetNumber: p.packetNumber, timeSent: p.timeSent, largestAckedAtLoss: largestAcked, event };
    const recs = this.#records;
    let i = recs.length;
    while (i > 0 && recs[i - 1].packetNumber > r.packetNumber) i--;
    recs.splice(i, 0, r);
    if (event !== undefined) {
      const e = this.#events.get(event);
      if (e) e.outstanding++;
    }
    if (recs.length > REMEMBERED) this.#forget(recs.shift()!);
  }

  /**
   * The remembered packets that `ranges` (descending, as an ACK frame gives them) acknowledge,
   * removed; and the congestion events all of whose lost packets have now been acknowledged, as
   * the sent times the controller was given for them.
   */
  onAck(ranges: readonly PacketRange[]): { spurious: LostRecord[]; undoneEvents: number[] } {
    const spurious: LostRecord[] = [];
    const undoneEvents: number[] = [];
    const recs = this.#records;
    if (recs.length === 0) return { spurious, undoneEvents };
    const lo = recs[0].packetNumber, hi = recs[recs.length - 1].packetNumber;
    const kept: LostRecord[] = [];
    for (const r of recs) {
      if (r.packetNumber >= lo && r.packetNumber <= hi && covered(ranges, r.packetNumber)) spurious.push(r);
      else kept.push(r);
    }
    if (spurious.length === 0) return { spurious, undoneEvents };
    this.#records = kept;
    for (const r of spurious) {
      if (r.event === undefined) continue;
      const e = this.#events.get(r.event);
      if (e && --e.outstanding === 0) {
        this.#events.delete(r.event);
        undoneEvents.push(e.sentTime);
      }
    }
    return { spurious, undoneEvents };
  }

  /** Forgets packets sent before `before` (they were really lost, or it no longer matters). */
  expire(before: number): void {
    const recs = this.#records;
    if (recs.length === 0 || recs[0].timeSent >= before) return;
    const kept: LostRecord[] = [];
    for (const r of recs) if (r.timeSent >= before) kept.push(r); else this.#forget(r);
    this.#records = kept;
  }

  /** Forgets everything (a space discarded, a Retry). */
  clear(): void {
    this.#records = [];
    this.#events.clear();
  }

  #forget(r: LostRecord): void {
    // A forgotten packet can no longer prove its event spurious: the event stays a real one.
    if (r.event !== undefined) this.#events.delete(r.event);
  }
}

function covered(ranges: readonly PacketRange[], pn: number): boolean {
  for (const r of ranges) if (r.start <= pn && pn <= r.end) return true;
  return false;
}

/** The packet threshold after a spurious loss of a packet `distance` numbers below the largest acknowledged. */
export function adaptPacketThreshold(current: number, distance: number): number {
  return Math.min(MAX_PACKET_THRESHOLD, Math.max(current, distance + 1));
}

/**
 * The time threshold after a spurious loss: `waited` ms passed between sending the packet and its
 * late ACK, with `rtt` = max(smoothed_rtt, latest_rtt).
 */
export function adaptTimeThreshold(current: number, waited: number, rtt: number): number {
  if (!(rtt > 0)) return current;
  const needed = waited / rtt;
  if (needed <= current) return current;
  return Math.min(MAX_TIME_THRESHOLD, Math.max(needed, current + 1 / 8));
}
