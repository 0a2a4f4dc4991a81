/**
 * Persistent congestion (RFC 9002 §7.6.2): the packets declared lost together establish it when
 * two of them are ack-eliciting and
 *
 * 1. nothing sent between them was acknowledged,
 * 2. their send times are more than the persistent congestion duration apart, and
 * 3. an RTT sample existed when each was sent (A.8/B.8: `time_sent > first_rtt_sample`).
 *
 * Only the space of the ACK is looked at ("MAY use state for just the packet number space that
 * was acknowledged", §7.6.2), which may declare persistent congestion where a cross-space view
 * would not, never the reverse.
 *
 * Note on the §7.6.3 example: with the RTT sample at t = 1.2, packet #2 (sent at t = 1) has no
 * prior sample, so by rule 3 the span is #3 … #8 = 6, which does not exceed 6; the example's
 * conclusion needs the sample before t = 1. The rule, not the example, is implemented.
 *
 * @module
 */

/** What persistent congestion needs to know of a lost packet. */
export interface LostPacketInfo {
  readonly packetNumber: number;
  readonly timeSent: number;
  readonly ackEliciting: boolean;
}

/** The context of {@link establishesPersistentCongestion}. */
export interface PersistentCongestionContext {
  /** The persistent congestion duration (ms), `RttEstimator.persistentCongestionDuration`. */
  readonly duration: number;
  /** When the first RTT sample was taken; `undefined`: none yet, no persistent congestion. */
  readonly firstRttSampleTime: number | undefined;
  /** Whether the peer acknowledged any packet numbered `lo … hi` in this space. */
  readonly ackedBetween: (lo: number, hi: number) => boolean;
}

/**
 * Whether `lost` (the packets one ACK or one loss timer declared lost in a space, ascending
 * packet numbers) establish persistent congestion.
 */
export function establishesPersistentCongestion(lost: readonly LostPacketInfo[], ctx: PersistentCongestionContext): boolean {
  if (ctx.firstRttSampleTime === undefined) return false;
  let start: number | undefined; // send time of the first ack-eliciting packet of the current run
  let prev: number | undefined;
  for (const p of lost) {
    // An acknowledged packet between the previous lost one and this one breaks the run.
    if (prev !== undefined && ctx.ackedBetween(prev + 1, p.packetNumber - 1)) start = undefined;
    prev = p.packetNumber;
    if (!p.ackEliciting || !(p.timeSent > ctx.firstRttSampleTime)) continue;
    if (start === undefined) start = p.timeSent;
    else if (p.timeSent - start > ctx.duration) return true;
  }
  return false;
}
