/**
 * Loss recovery and congestion control (RFC 9002; RFC 9000 §13.2 for the receiver), sans-IO: no
 * `node:*` import, no clock (every time is an argument, in milliseconds), no randomness.
 *
 * - **Receiver** (`received.ts`): {@link ReceivedPackets} — received numbers as bounded ranges per
 *   space, duplicates, when an ACK is due, the ACK frame to send; `ack-frame.ts` converts ACK
 *   frames to ranges and back ({@link ackFrameRanges} throws {@link AckRangeError},
 *   FRAME_ENCODING_ERROR).
 * - **RTT** (`rtt.ts`): {@link RttEstimator} (§5) and the PTO period (§6.2.1).
 * - **Sender** (`sent.ts`, `loss.ts`): {@link SentPackets} per space and {@link LossRecovery}, which
 *   processes ACKs, declares losses by packet and time threshold, runs the loss-detection and PTO
 *   timer, and detects persistent congestion (`persistent.ts`).
 * - **Congestion** (`congestion.ts`, `new-reno.ts`, `delivery-rate.ts`): the
 *   {@link CongestionController} interface, {@link NewReno}, and the delivery-rate sampler of the
 *   BBR draft ({@link DeliveryRateEstimator}) that feeds a BBR later.
 * - **Pacing** (`pacer.ts`): {@link Pacer}, a token bucket that returns the next send time.
 *
 * @module
 */
export { ackFrameFromRanges, ackFrameRanges, AckRangeError, decodeAckDelay, encodeAckDelay } from './ack-frame.ts';
export {
  initialWindow,
  minimumWindow,
  type AckSummary,
  type CongestionCause,
  type CongestionController,
  type CongestionControllerFactory,
  type CongestionInit,
  type PacketOutcome,
  type SentPacketEvent,
} from './congestion.ts';
export {
  ACK_ELICITING_THRESHOLD,
  GRANULARITY,
  INITIAL_RTT,
  LOSS_REDUCTION_FACTOR,
  MAX_PTO_PROBES,
  PACKET_SPACES,
  PACKET_THRESHOLD,
  PERSISTENT_CONGESTION_THRESHOLD,
  TIME_THRESHOLD,
  type PacketSpace,
} from './constants.ts';
export { DeliveryRateEstimator, type PacketDeliveryState, type RateSample } from './delivery-rate.ts';
export { LossRecovery, type AckOutcome, type LossRecoveryOptions, type PacketSent, type SpuriousLossStats, type TimeoutOutcome } from './loss.ts';
export { NewReno, type NewRenoOptions, type NewRenoState } from './new-reno.ts';
export { Pacer, type PacerOptions, type PacingInput } from './pacer.ts';
export { establishesPersistentCongestion, type LostPacketInfo, type PersistentCongestionContext } from './persistent.ts';
export { RangeSet, type PacketRange } from './ranges.ts';
export { ReceivedPackets, type EcnCodepoint, type ReceivedPacketsOptions, type ReceiveVerdict } from './received.ts';
export { RttEstimator, type RttStats, type RttUpdate } from './rtt.ts';
export { SentPackets, type SentPacket } from './sent.ts';
export { adaptPacketThreshold, adaptTimeThreshold, MAX_PACKET_THRESHOLD, MAX_TIME_THRESHOLD, RecentlyLost, type LostRecord } from './spurious.ts';
