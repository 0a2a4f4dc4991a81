/**
 * Delivery-rate sampling (draft-ietf-ccwg-bbr, "Delivery Rate Samples" and "Detailed Delivery
 * Rate Sampling Algorithm"): per-connection counters, a snapshot of them in every in-flight
 * packet sent, and on each ACK a rate sample — the data delivered over the longer of the send
 * and ACK intervals of the most recently sent packet acknowledged — marked application-limited
 * when the sender ran out of data during it.
 *
 * Names follow the draft (C.delivered → `delivered`, P.first_send_time → `firstSentTime`, …).
 * Times are ms; rates are bytes per second. Only in-flight packets take part (C.delivered "MUST
 * NOT include pure ACK packets").
 *
 * The draft uses 0 as "unset" for times and for `P.delivered_time` of an acknowledged packet;
 * here a virtual clock may start at 0, so a rate sample carries an explicit `hasData` instead, and
 * an acknowledged packet is simply removed by its owner (it cannot be acknowledged twice).
 *
 * @module
 */

/** The per-packet state (draft: "Per-packet (P) state"), snapshotted when the packet is sent. */
export interface PacketDeliveryState {
  /** P.delivered: C.delivered when the packet was sent. */
  readonly delivered: number;
  /** P.delivered_time: C.delivered_time when the packet was sent. */
  readonly deliveredTime: number;
  /** P.first_send_time: C.first_send_time when the packet was sent. */
  readonly firstSentTime: number;
  /** P.is_app_limited: whether the connection was application-limited when it was sent. */
  readonly isAppLimited: boolean;
  /** P.tx_in_flight: C.inflight right after the packet was sent (its own bytes included). */
  readonly txInFlight: number;
  /** P.lost: C.lost when the packet was sent. */
  readonly lost: number;
}

/** The rate sample of one ACK (draft: "Rate Sample (rs) Output" and "Per-ACK Rate Sample State"). */
export interface RateSample {
  /** RS.delivery_rate in bytes/s: `delivered / interval`; 0 when the interval is shorter than min_rtt (no reliable sample). */
  readonly deliveryRate: number;
  /** RS.is_app_limited: P.is_app_limited of the most recently sent packet acknowledged. */
  readonly isAppLimited: boolean;
  /** RS.interval (ms): max(send_elapsed, ack_elapsed). */
  readonly interval: number;
  /** RS.delivered: bytes delivered over the interval. */
  readonly delivered: number;
  /** RS.prior_delivered: P.delivered of the most recently sent packet acknowledged. */
  readonly priorDelivered: number;
  /** RS.prior_time: P.delivered_time of that packet. */
  readonly priorTime: number;
  /** RS.send_elapsed (ms). */
  readonly sendElapsed: number;
  /** RS.ack_elapsed (ms). */
  readonly ackElapsed: number;
  /** RS.last_acked_packet_id: that packet's number. */
  readonly lastAckedPacketNumber: number;
  /** RS.rtt (ms): now minus that packet's send time. */
  readonly rtt: number;
  /** RS.newly_acked: bytes acknowledged by this ACK. */
  readonly newlyAcked: number;
  /** RS.newly_lost: bytes declared lost while processing this ACK. */
  readonly newlyLost: number;
  /** RS.tx_in_flight: P.tx_in_flight of that packet. */
  readonly txInFlight: number;
  /** RS.lost: bytes declared lost between that packet's sending and now (C.lost − P.lost). */
  readonly lost: number;
}

interface Newest {
  packetNumber: number;
  sentTime: number;
  state: PacketDeliveryState;
}

/** The connection (C) state of delivery-rate sampling and the rate sample being built per ACK. */
export class DeliveryRateEstimator {
  /** C.delivered: bytes delivered (acknowledged) over the connection's life. */
  delivered = 0;
  /** C.delivered_time: when `delivered` last grew. */
  deliveredTime = 0;
  /** C.first_send_time: send time of the packet most recently marked delivered (or sent after idle). */
  firstSentTime = 0;
  /** C.lost: bytes declared lost over the connection's life. */
  lost = 0;
  /** C.app_limited: 0, or the `delivered` mark that ends the current application-limited phase. */
  appLimited = 0;

  // The rate sample under construction (InitRateSample … GenerateRateSample).
  #newest: Newest | undefined;
  #newlyAcked = 0;
  #newlyLost = 0;

  /** Whether the connection is in an application-limited phase (C.app_limited != 0). */
  get isAppLimited(): boolean {
    return this.appLimited !== 0;
  }

  /**
   * Draft "Transmitting a data packet" (OnPacketSent): snapshot for an in-flight packet of
   * `bytes` sent at `sentTime`, `bytesInFlight` being C.inflight before it.
   */
  onPacketSent(sentTime: number, bytes: number, bytesInFlight: number): PacketDeliveryState {
    if (bytesInFlight === 0) {
      this.firstSentTime = sentTime;
      this.deliveredTime = sentTime;
    }
    return {
      delivered: this.delivered,
      deliveredTime: this.deliveredTime,
      firstSentTime: this.firstSentTime,
      isAppLimited: this.appLimited !== 0,
      txInFlight: bytesInFlight + bytes,
      lost: this.lost,
    };
  }

  /** InitRateSample: an ACK is about to be processed. */
  beginAck(): void {
    this.#newest = undefined;
    this.#newlyAcked = 0;
    this.#newlyLost = 0;
  }

  /** UpdateRateSample: an in-flight packet was newly acknowledged at `now`. */
  onPacketAcked(now: number, packetNumber: number, sentTime: number, bytes: number, state: PacketDeliveryState): void {
    this.delivered += bytes;
    this.deliveredTime = now;
    this.#newlyAcked += bytes;
    // Keep the most recently sent packet (IsNewestPacket): later send time, or same time and larger number.
    const n = this.#newest;
    if (n === undefined || sentTime > this.firstSentTime || (sentTime === this.firstSentTime && packetNumber > n.packetNumber)) {
      this.#newest = { packetNumber, sentTime, state };
      this.firstSentTime = sentTime;
    }
  }

  /** An in-flight packet of `bytes` was declared lost (C.lost, RS.newly_lost). */
  onPacketLost(bytes: number): void {
    this.lost += bytes;
    this.#newlyLost += bytes;
  }

  /**
   * GenerateRateSample, after every newly acknowledged packet of the ACK went through
   * {@link onPacketAcked}: ends an application-limited phase whose data is now delivered, and
   * returns the sample, or `undefined` when this ACK delivered nothing. The rate is 0 when the
   * interval is shorter than `minRtt` (draft: "no reliable rate sample").
   */
  generate(now: number, minRtt: number): RateSample | undefined {
    // Clear the app-limited mark once the bubble is acknowledged and gone.
    if (this.appLimited !== 0 && this.delivered > this.appLimited) this.appLimited = 0;
    const n = this.#newest;
    if (n === undefined) return undefined;
    const sendElapsed = n.sentTime - n.state.firstSentTime;
    const ackElapsed = this.deliveredTime - n.state.deliveredTime;
    const interval = Math.max(sendElapsed, ackElapsed);
    const delivered = this.delivered - n.state.delivered;
    const deliveryRate = interval < minRtt || interval <= 0 ? 0 : (delivered * 1000) / interval;
    return {
      deliveryRate,
      isAppLimited: n.state.isAppLimited,
      interval,
      delivered,
      priorDelivered: n.state.delivered,
      priorTime: n.state.deliveredTime,
      sendElapsed,
      ackElapsed,
      lastAckedPacketNumber: n.packetNumber,
      rtt: now - n.sentTime,
      newlyAcked: this.#newlyAcked,
      newlyLost: this.#newlyLost,
      txInFlight: n.state.txInFlight,
      lost: this.lost - n.state.lost,
    };
  }

  /**
   * MarkConnectionAppLimited: the sender had nothing to send though the window and pacer allowed
   * it (draft "Detecting application-limited phases"); samples until the data now in flight is
   * delivered are application-limited.
   */
  markAppLimited(bytesInFlight: number): void {
    this.appLimited = Math.max(this.delivered + bytesInFlight, 1);
  }
}
