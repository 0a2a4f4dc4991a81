/**
 * The receiver side of acknowledgement for one packet number space (RFC 9000 §13.2): which
 * packet numbers arrived, whether one is a duplicate, when an ACK is due, and the ACK frame that
 * reports them.
 *
 * - **Ranges, bounded** (§13.2.3): received numbers are kept as at most `maxRanges` disjoint
 *   ranges (default max_ack_ranges + 1, what one ACK frame carries). When a new range would
 *   exceed that, the oldest range is dropped and a floor is raised to the oldest range kept: "a
 *   minimum packet number that increases as ranges are discarded", below which packets are
 *   refused as `too_old`, so a dropped range can never be accepted (and acknowledged) twice.
 * - **ACK due** (§13.2.1, §13.2.2): an ack-eliciting packet sets a deadline `max_ack_delay` away;
 *   it becomes immediate for the second ack-eliciting packet since the last ACK, for a packet
 *   that arrives out of order (below the largest ack-eliciting one, or above it with a gap), for
 *   an ECN-CE mark, and always in spaces whose `maxAckDelay` is 0 (Initial and Handshake:
 *   "MUST acknowledge ... immediately"). Packets that are not ack-eliciting never set a deadline;
 *   they ride along in the next ACK.
 * - **Trimming after an ACK is acknowledged** (§13.2.4): once a packet carrying our ACK with
 *   largest L is acknowledged, numbers up to L are no longer reported (they are still known for
 *   duplicate detection until the range bound drops them).
 *
 * @module
 */
import { DEFAULT_ACK_DELAY_EXPONENT, DEFAULT_MAX_ACK_DELAY, MAX_ACK_RANGES, MAX_MAX_ACK_DELAY } from '../../gen/constants.ts';
import type { AckFrame, EcnCounts } from '../../gen/frames.ts';
import { ackFrameFromRanges, encodeAckDelay } from './ack-frame.ts';
import { ACK_ELICITING_THRESHOLD, type PacketSpace } from './constants.ts';
import { RangeSet, type PacketRange } from './ranges.ts';

/** The ECN codepoint of the IP header a packet arrived with (RFC 3168; RFC 9000 §13.4). */
export type EcnCodepoint = 'not_ect' | 'ect0' | 'ect1' | 'ce';

/**
 * What {@link ReceivedPackets.onPacketReceived} made of a packet number: `new` (process it),
 * `duplicate` (already received), `too_old` (below the floor: it may have been received, its
 * range was dropped; discard it).
 */
export type ReceiveVerdict = 'new' | 'duplicate' | 'too_old';

/** Options of {@link ReceivedPackets}. */
export interface ReceivedPacketsOptions {
  /**
   * Our max_ack_delay for this space, in ms (the transport parameter we sent; default
   * default_max_ack_delay, 25). 0 acknowledges every ack-eliciting packet at once.
   */
  maxAckDelay?: number;
  /** Our ack_delay_exponent, which scales the ACK Delay field (default default_ack_delay_exponent, 3). */
  ackDelayExponent?: number;
  /** Most ranges kept (1 … max_ack_ranges + 1; default max_ack_ranges + 1). */
  maxRanges?: number;
  /** Ack-eliciting packets after which an ACK is sent at once (default 2, RFC 9000 §13.2.2). */
  ackElicitingThreshold?: number;
}

/** Received packet numbers of one space, and the ACK frames that report them. */
export class ReceivedPackets {
  /** Our max_ack_delay in ms (0: immediate acknowledgement). */
  readonly maxAckDelay: number;
  /** Our ack_delay_exponent. */
  readonly ackDelayExponent: number;
  /** Most ranges kept. */
  readonly maxRanges: number;
  /** Ack-eliciting packets that make an ACK immediate. */
  readonly ackElicitingThreshold: number;

  readonly #ranges = new RangeSet();
  /** Numbers below this are refused (`too_old`): their ranges were dropped. */
  #floor = 0;
  /** Numbers below this are no longer reported (§13.2.4). */
  #ackFloor = 0;
  #largest = -1;
  #largestTime = 0;
  #largestAckEliciting = -1;
  #ackElicitingSinceAck = 0;
  #deadline: number | undefined;
  #unreported = false;
  readonly #ecn = { ect0: 0, ect1: 0, ecnCe: 0 };
  #ecnSeen = false;

  constructor(options: ReceivedPacketsOptions = {}) {
    this.maxAckDelay = options.maxAckDelay ?? DEFAULT_MAX_ACK_DELAY;
    this.ackDelayExponent = options.ackDelayExponent ?? DEFAULT_ACK_DELAY_EXPONENT;
    this.maxRanges = options.maxRanges ?? MAX_ACK_RANGES + 1;
    this.ackElicitingThreshold = options.ackElicitingThreshold ?? ACK_ELICITING_THRESHOLD;
    if (!(this.maxAckDelay >= 0 && this.maxAckDelay <= MAX_MAX_ACK_DELAY)) {
      throw new RangeError(`ReceivedPackets: maxAckDelay must be in 0..max_max_ack_delay (${MAX_MAX_ACK_DELAY}) ms, got ${this.maxAckDelay}`);
    }
    encodeAckDelay(0, this.ackDelayExponent); // validates the exponent
    if (!(Number.isInteger(this.maxRanges) && this.maxRanges >= 1 && this.maxRanges <= MAX_ACK_RANGES + 1)) {
      throw new RangeError(`ReceivedPackets: maxRanges must be an integer in 1..max_ack_ranges + 1 (${MAX_ACK_RANGES + 1}), got ${this.maxRanges}`);
    }
    if (!(Number.isInteger(this.ackElicitingThreshold) && this.ackElicitingThreshold >= 1)) {
      throw new RangeError(`ReceivedPackets: ackElicitingThreshold must be a positive integer, got ${this.ackElicitingThreshold}`);
    }
  }

  /**
   * The receiver of a space with the defaults RFC 9000 §13.2.1 sets: Initial and Handshake
   * acknowledge at once (`maxAckDelay` 0, whatever `options` says); the application space uses
   * `options.maxAckDelay`.
   */
  static forSpace(space: PacketSpace, options: ReceivedPacketsOptions = {}): ReceivedPackets {
    return new ReceivedPackets(space === 'application' ? options : { ...options, maxAckDelay: 0 });
  }

  /** The largest packet number received, `undefined` before the first. */
  get largest(): number | undefined {
    return this.#largest < 0 ? undefined : this.#largest;
  }

  /** Numbers below this are refused as `too_old`. */
  get floor(): number {
    return this.#floor;
  }

  /** When an ACK must be sent (ms; `<= now` means now), `undefined` when none is due. */
  get ackDeadline(): number | undefined {
    return this.#deadline;
  }

  /** Whether packets arrived that no ACK has reported yet (an ACK may ride along with other frames). */
  get hasUnreported(): boolean {
    return this.#unreported;
  }

  /** ECN counts of the packets received so far (RFC 9000 §13.4.1), `undefined` until one carried ECT or CE. */
  get ecnCounts(): EcnCounts | undefined {
    return this.#ecnSeen ? { ...this.#ecn } : undefined;
  }

  /** The ranges held, largest first. */
  ranges(): PacketRange[] {
    return this.#ranges.descending();
  }

  /** What {@link onPacketReceived} would say of `pn`, without recording it. */
  check(pn: number): ReceiveVerdict {
    if (!(Number.isSafeInteger(pn) && pn >= 0)) throw new RangeError(`ReceivedPackets: packet number must be a non-negative safe integer, got ${pn}`);
    if (pn < this.#floor) return 'too_old';
    return this.#ranges.has(pn) ? 'duplicate' : 'new';
  }

  /**
   * Records a packet that authenticated (call it after decryption, so a forgery cannot move the
   * floor or fake an ACK). Returns the verdict; only `new` packets are recorded, and only those
   * should be processed.
   */
  onPacketReceived(now: number, pn: number, ackEliciting: boolean, ecn: EcnCodepoint = 'not_ect'): ReceiveVerdict {
    const verdict = this.check(pn);
    if (verdict !== 'new') return verdict;
    this.#ranges.insert(pn);
    if (pn > this.#largest) {
      this.#largest = pn;
      this.#largestTime = now;
    }
    // §13.2.3: bounded state; the floor keeps a dropped range from being accepted again.
    while (this.#ranges.rangeCount > this.maxRanges) {
      this.#ranges.shift();
      this.#floor = this.#ranges.min!;
    }
    if (ecn !== 'not_ect') {
      this.#ecnSeen = true;
      if (ecn === 'ect0') this.#ecn.ect0++;
      else if (ecn === 'ect1') this.#ecn.ect1++;
      else this.#ecn.ecnCe++;
    }
    if (pn >= this.#ackFloor) this.#unreported = true;
    if (ackEliciting) this.#onAckEliciting(now, pn, ecn === 'ce');
    return 'new';
  }

  /** RFC 9000 §13.2.1 and §13.2.2: when the ACK for an ack-eliciting packet is due. */
  #onAckEliciting(now: number, pn: number, ce: boolean): void {
    this.#ackElicitingSinceAck++;
    const prior = this.#largestAckEliciting;
    let immediate = this.maxAckDelay === 0 || this.#ackElicitingSinceAck >= this.ackElicitingThreshold || ce;
    if (prior >= 0) {
      if (pn < prior) immediate = true; // reordered: below an ack-eliciting packet already received
      else if (pn > prior + 1) {
        // A gap below it: its run does not reach down to the previous one (or was just dropped).
        const run = this.#ranges.rangeOf(pn);
        if (run === undefined || run.start > prior + 1) immediate = true;
      }
    }
    if (pn > prior) this.#largestAckEliciting = pn;
    const due = immediate ? now : now + this.maxAckDelay;
    this.#deadline = this.#deadline === undefined ? due : Math.min(this.#deadline, due);
  }

  /**
   * The ACK frame reporting what was received (largest first, at most `maxRanges` ranges — pass
   * fewer to fit a packet), with ACK Delay measured from the arrival of the largest and ECN
   * counts once any packet carried a codepoint. `undefined` when there is nothing to report.
   * Building does not change state: call {@link onAckSent} when the frame is sent.
   */
  buildAck(now: number, maxRanges: number = this.maxRanges): AckFrame | undefined {
    const limit = Math.max(1, Math.min(maxRanges, this.maxRanges));
    const out: PacketRange[] = [];
    for (const r of this.#ranges.descending(limit)) {
      if (r.end < this.#ackFloor) break;
      out.push(r.start >= this.#ackFloor ? r : { start: this.#ackFloor, end: r.end });
    }
    if (out.length === 0) return undefined;
    const delay = encodeAckDelay(now - this.#largestTime, this.ackDelayExponent);
    return ackFrameFromRanges(out, delay, this.ecnCounts);
  }

  /** An ACK frame was sent: the deadline and the ack-eliciting count start over (§13.2.1). */
  onAckSent(): void {
    this.#ackElicitingSinceAck = 0;
    this.#deadline = undefined;
    this.#unreported = false;
  }

  /**
   * A packet that carried our ACK frame with `largestAcknowledged` was itself acknowledged: stop
   * reporting numbers up to it (RFC 9000 §13.2.4).
   */
  onAckFrameAcked(largestAcknowledged: number): void {
    this.#ackFloor = Math.max(this.#ackFloor, largestAcknowledged + 1);
  }
}
