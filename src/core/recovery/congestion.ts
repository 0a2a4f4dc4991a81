/**
 * The congestion controller interface (RFC 9002 §7; shaped after quinn-proto's `Controller` and
 * the event points of draft-ietf-ccwg-bbr "Algorithm Organization"), so NewReno and BBR plug into
 * the same loss recovery:
 *
 * | event                         | RFC 9002           | BBR draft                      |
 * |-------------------------------|--------------------|--------------------------------|
 * | {@link CongestionController.onPacketSent}      | OnPacketSentCC     | OnTransmit (restart from idle) |
 * | {@link CongestionController.onPacketsLost}     | OnPacketsLost      | HandleLostPacket per packet    |
 * | {@link CongestionController.onCongestionEvent} | OnCongestionEvent  | (loss/ECN signals)             |
 * | {@link CongestionController.onAck}             | OnPacketsAcked     | UpdateOnACK with the rate sample |
 * | {@link CongestionController.onAppLimited}      | §7.8 under-utilised | MarkConnectionAppLimited      |
 *
 * Loss recovery owns bytes in flight and the delivery-rate sampler; it hands the controller the
 * acknowledged and lost packets with their send times, sizes and delivery snapshots, the rate
 * sample of the ACK, and the RTT estimator. The controller owns the window and pacing rate.
 *
 * @module
 */
import type { PacketSpace } from './constants.ts';
import type { PacketDeliveryState, RateSample } from './delivery-rate.ts';
import type { RttStats } from './rtt.ts';

/** An in-flight packet just sent, as the controller sees it. */
export interface SentPacketEvent {
  readonly packetNumber: number;
  readonly space: PacketSpace;
  /** Bytes in flight after this packet was added. */
  readonly bytesInFlight: number;
  /** The delivery snapshot taken for it. */
  readonly delivery: PacketDeliveryState;
}

/** An in-flight packet newly acknowledged or declared lost. */
export interface PacketOutcome {
  readonly packetNumber: number;
  readonly space: PacketSpace;
  /** When it was sent (ms). */
  readonly timeSent: number;
  /** Its size (sent_bytes). */
  readonly bytes: number;
  /** The delivery snapshot taken when it was sent. */
  readonly delivery: PacketDeliveryState;
}

/** What else the controller learns with the acknowledged packets of one ACK. */
export interface AckSummary {
  readonly space: PacketSpace;
  /** Bytes in flight before this ACK's acknowledged and lost packets were removed. */
  readonly priorBytesInFlight: number;
  /** Bytes in flight after. */
  readonly bytesInFlight: number;
  /** The delivery-rate sample of this ACK, `undefined` when it delivered no in-flight data. */
  readonly rateSample: RateSample | undefined;
}

/** Why the controller is told of congestion. */
export type CongestionCause = 'loss' | 'ecn';

/** A congestion controller for one path. Times in ms, sizes in bytes. */
export interface CongestionController {
  /** A short name for logs and qlog (`new_reno`, `bbr`). */
  readonly name: string;

  /** An in-flight packet of `bytes` was sent at `now` (RFC 9002 B.4). */
  onPacketSent(now: number, bytes: number, event: SentPacketEvent): void;

  /**
   * In-flight packets were declared lost (RFC 9002 B.8), before {@link onCongestionEvent} for
   * them; a BBR uses each packet's snapshot (P.tx_in_flight, P.lost) to bound inflight.
   */
  onPacketsLost(now: number, lost: readonly PacketOutcome[], rtt: RttStats): void;

  /**
   * A congestion event (RFC 9002 B.6): in-flight packets were lost — the latest sent at
   * `sentTime` — or the peer's ECN-CE count grew. `isPersistent` when the losses establish
   * persistent congestion (§7.6).
   */
  onCongestionEvent(now: number, sentTime: number, isPersistent: boolean, cause: CongestionCause): void;

  /**
   * Optional: every packet whose loss made the congestion event of `sentTime` (the value
   * {@link onCongestionEvent} was given) has since been acknowledged — the losses were spurious
   * (reordering, not congestion). A controller may undo that event's reduction; returns whether it did.
   */
  onSpuriousCongestionEvent?(now: number, sentTime: number): boolean;

  /**
   * In-flight packets were newly acknowledged (RFC 9002 B.5), ascending packet numbers, after any
   * losses the same ACK revealed. `rtt` has already taken this ACK's sample.
   */
  onAck(now: number, acked: readonly PacketOutcome[], rtt: RttStats, summary: AckSummary): void;

  /**
   * The sender had nothing to send while the window and pacer would have allowed it (RFC 9002
   * §7.8; BBR draft CheckIfApplicationLimited). Until it is window-limited again, the window
   * should not grow on ACKs.
   */
  onAppLimited(now: number, bytesInFlight: number): void;

  /** Whether the controller currently treats the sender as application-limited. */
  readonly isAppLimited: boolean;

  /** The path's max_datagram_size changed (RFC 9002 §7.2: windows are recomputed from it). */
  onMaxDatagramSizeChanged(maxDatagramSize: number): void;

  /** The congestion window: bytes that may be in flight. */
  window(): number;

  /**
   * The pacing rate in bytes per second, or `undefined` to let the pacer derive one from the
   * window and smoothed RTT (RFC 9002 §7.7).
   */
  pacingRate(): number | undefined;
}

/** What a factory gets to build a controller for a new path (or after a Retry). */
export interface CongestionInit {
  readonly now: number;
  readonly maxDatagramSize: number;
}

/** Builds a controller; loss recovery calls it at start and when it resets (Retry). */
export type CongestionControllerFactory = (init: CongestionInit) => CongestionController;

/**
 * The initial window (RFC 9002 §7.2): ten datagrams, limited to the larger of 14720 bytes and two
 * datagrams: `min(10·mds, max(14720, 2·mds))`.
 */
export function initialWindow(maxDatagramSize: number): number {
  return Math.min(10 * maxDatagramSize, Math.max(14720, 2 * maxDatagramSize));
}

/** The minimum window (RFC 9002 §7.2, kMinimumWindow): two datagrams. */
export function minimumWindow(maxDatagramSize: number): number {
  return 2 * maxDatagramSize;
}
