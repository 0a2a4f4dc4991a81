/**
 * The constants of loss detection and congestion control (RFC 9002 Appendix A.2 and B.1) and the
 * packet number spaces they apply to.
 *
 * These are sender-side algorithm parameters, not wire formats: the peer never sees them and two
 * implementations with different values still interoperate. Like every number the protocol
 * names, their values live in spec/constants.yaml and come from the generated
 * `src/gen/constants.ts` (a ratio as a numerator and a denominator); this module gives them
 * RFC 9002's names and shapes. The wire-visible ones (max_ack_ranges, ack_delay_exponent,
 * max_ack_delay) are used from the generated module directly.
 *
 * All times are milliseconds (fractions allowed); all sizes are bytes.
 *
 * @module
 */
import {
  INITIAL_RTT as SPEC_INITIAL_RTT,
  LOSS_REDUCTION_DENOMINATOR, LOSS_REDUCTION_NUMERATOR,
  PACKET_THRESHOLD as SPEC_PACKET_THRESHOLD,
  PERSISTENT_CONGESTION_THRESHOLD as SPEC_PERSISTENT_CONGESTION_THRESHOLD,
  TIME_THRESHOLD_DENOMINATOR, TIME_THRESHOLD_NUMERATOR, TIMER_GRANULARITY,
} from '../../gen/constants.ts';

/**
 * A packet number space (RFC 9000 §12.3). 0-RTT and 1-RTT packets share `application`. Loss
 * detection and acknowledgement run per space; RTT and congestion control are per path.
 */
export type PacketSpace = 'initial' | 'handshake' | 'application';

/** The spaces in the order RFC 9002 Appendix A walks them (Initial, Handshake, ApplicationData). */
export const PACKET_SPACES: readonly PacketSpace[] = ['initial', 'handshake', 'application'];

/** kPacketThreshold (RFC 9002 §6.1.1): reordering, in packets, before a packet is deemed lost. */
export const PACKET_THRESHOLD = SPEC_PACKET_THRESHOLD;

/** kTimeThreshold (RFC 9002 §6.1.2): reordering, as an RTT multiplier, before a packet is deemed lost. */
export const TIME_THRESHOLD = TIME_THRESHOLD_NUMERATOR / TIME_THRESHOLD_DENOMINATOR;

/** kGranularity (RFC 9002 §6.1.2): timer granularity, 1 ms. Loss delay and PTO never go below it. */
export const GRANULARITY = TIMER_GRANULARITY;

/** kInitialRtt (RFC 9002 §6.2.2): the RTT assumed before the first sample, 333 ms (a 1 s first PTO). */
export const INITIAL_RTT = SPEC_INITIAL_RTT;

/** kPersistentCongestionThreshold (RFC 9002 §7.6.1): persistent congestion duration, in PTOs. */
export const PERSISTENT_CONGESTION_THRESHOLD = SPEC_PERSISTENT_CONGESTION_THRESHOLD;

/** kLossReductionFactor (RFC 9002 §7.3.2, B.1): the window multiplier on a congestion event. */
export const LOSS_REDUCTION_FACTOR = LOSS_REDUCTION_NUMERATOR / LOSS_REDUCTION_DENOMINATOR;

/**
 * Ack-eliciting packets a receiver may hold before it acknowledges at once (RFC 9000 §13.2.2: "A
 * receiver SHOULD send an ACK frame after receiving at least two ack-eliciting packets").
 */
export const ACK_ELICITING_THRESHOLD = 2;

/** Probe datagrams a sender may send when the PTO fires (RFC 9002 §6.2.4: "up to two"). */
export const MAX_PTO_PROBES = 2;
