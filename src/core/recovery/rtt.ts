/**
 * The RTT estimator of a path (RFC 9002 §5) and the periods derived from it: the PTO (§6.2.1)
 * and the persistent congestion duration (§7.6.1).
 *
 * Follows Appendix A.7 `UpdateRtt` step by step; times are milliseconds.
 *
 * @module
 */
import { GRANULARITY, INITIAL_RTT, PERSISTENT_CONGESTION_THRESHOLD } from './constants.ts';

/** A read-only view of the estimator, what congestion controllers get. */
export interface RttStats {
  /** latest_rtt: the most recent sample, 0 before the first (§5.1). */
  readonly latest: number;
  /** smoothed_rtt (§5.3); kInitialRtt before the first sample. */
  readonly smoothed: number;
  /** rttvar (§5.3); kInitialRtt / 2 before the first sample. */
  readonly rttvar: number;
  /** min_rtt (§5.2): the smallest sample, ack delay not subtracted; 0 before the first sample. */
  readonly min: number;
  /** When the first sample was taken (first_rtt_sample, A.3), `undefined` before. */
  readonly firstSampleTime: number | undefined;
}

/** Everything {@link RttEstimator.update} needs besides the sample. */
export interface RttUpdate {
  /** When the ACK was processed (ms). */
  now: number;
  /** latest_rtt: ACK receipt time minus the send time of the largest newly acknowledged packet. */
  latestRtt: number;
  /** The peer's reported ack delay, decoded to ms (pass 0 to ignore it, as for Initial ACKs). */
  ackDelay: number;
  /** Whether the handshake is confirmed: only then is ack_delay capped by max_ack_delay (§5.3). */
  handshakeConfirmed: boolean;
  /** The peer's max_ack_delay (ms). */
  maxAckDelay: number;
}

/** RFC 9002 §5: latest, min, smoothed RTT and RTT variation of one path. */
export class RttEstimator implements RttStats {
  latest = 0;
  smoothed: number;
  rttvar: number;
  min = 0;
  firstSampleTime: number | undefined;
  /** The initial RTT this estimator starts from (and {@link reset} returns to). */
  readonly initialRtt: number;

  /** An estimator before any sample: smoothed = initialRtt, rttvar = initialRtt / 2 (§5.3). */
  constructor(initialRtt: number = INITIAL_RTT) {
    if (!(initialRtt > 0 && Number.isFinite(initialRtt))) throw new RangeError(`RttEstimator: initialRtt must be a positive number of ms, got ${initialRtt}`);
    this.initialRtt = initialRtt;
    this.smoothed = initialRtt;
    this.rttvar = initialRtt / 2;
  }

  /** Whether a sample has been taken. */
  get hasSample(): boolean {
    return this.firstSampleTime !== undefined;
  }

  /** Back to the state before any sample (§5.3: on a new path, or after a Retry). */
  reset(initialRtt: number = this.initialRtt): void {
    this.latest = 0;
    this.smoothed = initialRtt;
    this.rttvar = initialRtt / 2;
    this.min = 0;
    this.firstSampleTime = undefined;
  }

  /** Takes an RTT sample (RFC 9002 A.7 `UpdateRtt`). */
  update(u: RttUpdate): void {
    if (!(u.latestRtt >= 0 && Number.isFinite(u.latestRtt))) throw new RangeError(`RttEstimator: latestRtt must be a finite number >= 0, got ${u.latestRtt}`);
    this.latest = u.latestRtt;
    // §5.3: the first sample resets the estimator.
    if (this.firstSampleTime === undefined) {
      this.min = u.latestRtt;
      this.smoothed = u.latestRtt;
      this.rttvar = u.latestRtt / 2;
      this.firstSampleTime = u.now;
      return;
    }
    // §5.2: min_rtt ignores the acknowledgement delay.
    this.min = Math.min(this.min, u.latestRtt);
    // §5.3: the delay is capped by max_ack_delay once the handshake is confirmed.
    let ackDelay = Math.max(0, u.ackDelay);
    if (u.handshakeConfirmed) ackDelay = Math.min(ackDelay, u.maxAckDelay);
    // §5.3: subtract it only when the result stays at or above min_rtt.
    const adjusted = u.latestRtt >= this.min + ackDelay ? u.latestRtt - ackDelay : u.latestRtt;
    // A.7 (RFC 6298 order): rttvar from the previous smoothed_rtt, then smoothed_rtt.
    this.rttvar = (3 / 4) * this.rttvar + (1 / 4) * Math.abs(this.smoothed - adjusted);
    this.smoothed = (7 / 8) * this.smoothed + (1 / 8) * adjusted;
  }

  /**
   * After persistent congestion (§5.2: "Endpoints SHOULD set the min_rtt to the newest RTT sample
   * after persistent congestion is established").
   */
  resetMinRtt(): void {
    if (this.firstSampleTime !== undefined) this.min = this.latest;
  }

  /** smoothed_rtt + max(4 · rttvar, kGranularity): the PTO without max_ack_delay and backoff. */
  ptoBase(): number {
    return this.smoothed + Math.max(4 * this.rttvar, GRANULARITY);
  }

  /**
   * The PTO period (§6.2.1): `(smoothed_rtt + max(4·rttvar, kGranularity) + maxAckDelay) · 2^backoff`.
   * Pass `maxAckDelay` 0 for the Initial and Handshake spaces. Never below kGranularity.
   */
  pto(maxAckDelay: number, backoff = 0): number {
    return (this.ptoBase() + maxAckDelay) * 2 ** backoff;
  }

  /**
   * The persistent congestion duration (§7.6.1): `(smoothed_rtt + max(4·rttvar, kGranularity) +
   * max_ack_delay) · kPersistentCongestionThreshold`, max_ack_delay included whatever the space.
   */
  persistentCongestionDuration(maxAckDelay: number): number {
    return (this.ptoBase() + maxAckDelay) * PERSISTENT_CONGESTION_THRESHOLD;
  }
}
