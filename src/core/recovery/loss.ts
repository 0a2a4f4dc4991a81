/**
 * Loss recovery of one path (RFC 9002 §6 and Appendix A), sans-IO: the three packet number
 * spaces' sent packets, the RTT estimator, the congestion controller and the delivery-rate
 * sampler, driven by the connection through four calls —
 *
 * - {@link LossRecovery.onPacketSent} after each packet (A.5 OnPacketSent),
 * - {@link LossRecovery.onAckReceived} for each ACK frame (A.7 OnAckReceived),
 * - {@link LossRecovery.timeout} / {@link LossRecovery.onTimeout} for the one loss-detection timer
 *   (A.8 SetLossDetectionTimer, A.9 OnLossDetectionTimeout),
 * - {@link LossRecovery.discardSpace} when Initial or Handshake keys are dropped (A.11).
 *
 * Loss is declared by packet threshold (kPacketThreshold = 3 numbers below an acknowledged one)
 * or time threshold (sent more than max(9/8 · max(smoothed_rtt, latest_rtt), 1 ms) before now
 * with a later packet acknowledged, §6.1); lost packets come back with the frames the connection
 * attached, to retransmit. The PTO (§6.2) asks for one or two ack-eliciting probes, which the
 * congestion window must not block ({@link LossRecovery.probesPending}).
 *
 * @module
 */
import { DEFAULT_ACK_DELAY_EXPONENT, DEFAULT_MAX_ACK_DELAY, MIN_UDP_PAYLOAD_SIZE } from '../../gen/constants.ts';
import type { AckFrame } from '../../gen/frames.ts';
import { ackFrameRanges, decodeAckDelay } from './ack-frame.ts';
import type { CongestionController, CongestionControllerFactory, PacketOutcome } from './congestion.ts';
import { GRANULARITY, MAX_PTO_PROBES, PACKET_SPACES, PACKET_THRESHOLD, TIME_THRESHOLD, type PacketSpace } from './constants.ts';
import { DeliveryRateEstimator } from './delivery-rate.ts';
import { NewReno } from './new-reno.ts';
import { establishesPersistentCongestion } from './persistent.ts';
import { RttEstimator } from './rtt.ts';
import { SentPackets, type SentPacket } from './sent.ts';
import { adaptPacketThreshold, adaptTimeThreshold, RecentlyLost } from './spurious.ts';

/** Options of {@link LossRecovery}. */
export interface LossRecoveryOptions {
  /** Whether this endpoint is the server (a server's peer address counts as validated, A.9). */
  isServer: boolean;
  /** Builds the congestion controller (default {@link NewReno}). */
  congestion?: CongestionControllerFactory;
  /** The path's max_datagram_size (default min_udp_payload_size, 1200). */
  maxDatagramSize?: number;
  /** kInitialRtt, or a resumed connection's RTT (default 333 ms, §6.2.2). */
  initialRtt?: number;
  /** The peer's max_ack_delay in ms (default 25) — update with {@link LossRecovery.setPeerAckParameters}. */
  peerMaxAckDelay?: number;
  /** The peer's ack_delay_exponent (default 3). */
  peerAckDelayExponent?: number;
  /** kPacketThreshold (default 3; RFC 9002 §6.1.1: SHOULD NOT be below 3). */
  packetThreshold?: number;
  /** kTimeThreshold (default 9/8). */
  timeThreshold?: number;
  /**
   * Learn from spurious losses (default true, spurious.ts): a packet declared lost and then
   * acknowledged raises the packet and time thresholds to what would have waited for it, and a
   * congestion event all of whose losses were spurious is undone.
   */
  adaptiveReordering?: boolean;
}

/** A packet just sent, as {@link LossRecovery.onPacketSent} takes it. */
export interface PacketSent<F> {
  readonly packetNumber: number;
  /** Bytes of the packet (headers and AEAD tag included, UDP/IP not). */
  readonly bytes: number;
  /** It carries a frame other than ACK, PADDING or CONNECTION_CLOSE. */
  readonly ackEliciting: boolean;
  /** It counts towards bytes in flight: ack-eliciting, or PADDING (default: `ackEliciting`). */
  readonly inFlight?: boolean;
  /** Frames or records to get back when the packet is acknowledged or lost. */
  readonly frames?: readonly F[];
  /** A path MTU probe (pmtu.ts): in flight like any packet, but its loss is no congestion signal (RFC 9000 §14.4). */
  readonly mtuProbe?: boolean;
}

/** What one ACK frame did. */
export interface AckOutcome<F> {
  /** Packets newly acknowledged, ascending (release their frames; an ACK frame among them → ReceivedPackets.onAckFrameAcked). */
  readonly newlyAcked: readonly SentPacket<F>[];
  /** Packets declared lost, ascending: retransmit what their frames need. */
  readonly lost: readonly SentPacket<F>[];
  /** Whether the ACK gave an RTT sample (largest newly acknowledged and ack-eliciting, §5.1). */
  readonly rttSampled: boolean;
  /** Whether the peer's ECN-CE count grew (a congestion event, §7.1). */
  readonly ecnCongestion: boolean;
  /** Whether the losses established persistent congestion (§7.6). */
  readonly persistentCongestion: boolean;
}

/** What the loss-detection timer asked for. */
export type TimeoutOutcome<F> =
  /** Time-threshold loss (§6.1.2): retransmit the frames of `lost`. */
  | { readonly kind: 'loss'; readonly space: PacketSpace; readonly lost: readonly SentPacket<F>[]; readonly persistentCongestion: boolean }
  /** PTO (§6.2.4): send `probes` ack-eliciting packets in `space` (new data, else old, else PING), not blocked by the window. */
  | { readonly kind: 'pto'; readonly space: PacketSpace; readonly probes: number }
  /** Client anti-deadlock PTO (§6.2.2.1): one ack-eliciting Handshake packet, or a padded Initial. */
  | { readonly kind: 'anti_deadlock'; readonly space: 'initial' | 'handshake'; readonly probes: number };

interface Space<F> {
  sent: SentPackets<F>;
  largestAcked: number | undefined;
  /** loss_time: when the next packet may be declared lost by time threshold. */
  lossTime: number | undefined;
  /** The largest ECN-CE count the peer reported (B.2 ecn_ce_counters). */
  ecnCe: number;
  /** Probe packets still allowed past the congestion window. */
  probes: number;
  discarded: boolean;
  /** Packets declared lost lately, to recognize a late ACK (spurious.ts). */
  recentlyLost: RecentlyLost;
}

function newSpace<F>(): Space<F> {
  return { sent: new SentPackets<F>(), largestAcked: undefined, lossTime: undefined, ecnCe: 0, probes: 0, discarded: false, recentlyLost: new RecentlyLost() };
}

/** Counters of spurious-loss detection. */
export interface SpuriousLossStats {
  /** Packets declared lost and acknowledged afterwards. */
  spuriousLosses: number;
  /** Congestion events undone because all their losses were spurious. */
  undoneCongestionEvents: number;
}

/** Loss detection, RTT, PTO and congestion control of one path. `F` is what the connection attaches to packets. */
export class LossRecovery<F = unknown> {
  readonly isServer: boolean;
  readonly adaptiveReordering: boolean;
  #packetThreshold: number;
  #timeThreshold: number;
  /** Spurious-loss counters (spurious.ts). */
  readonly spurious: SpuriousLossStats = { spuriousLosses: 0, undoneCongestionEvents: 0 };
  /** The path's RTT estimator (§5). */
  readonly rtt: RttEstimator;
  #delivery = new DeliveryRateEstimator();
  #factory: CongestionControllerFactory;
  #cc: CongestionController;
  #maxDatagramSize: number;
  #spaces: Record<PacketSpace, Space<F>> = { initial: newSpace(), handshake: newSpace(), application: newSpace() };
  #bytesInFlight = 0;
  #ptoCount = 0;
  #timer: number | undefined;
  #peerMaxAckDelay: number;
  #peerAckDelayExponent: number;
  #handshakeConfirmed = false;
  #handshakeAckReceived = false;
  #hasHandshakeKeys = false;
  #amplificationLimited = false;

  constructor(now: number, options: LossRecoveryOptions) {
    this.isServer = options.isServer;
    this.#packetThreshold = options.packetThreshold ?? PACKET_THRESHOLD;
    this.#timeThreshold = options.timeThreshold ?? TIME_THRESHOLD;
    this.adaptiveReordering = options.adaptiveReordering ?? true;
    if (!(Number.isInteger(this.#packetThreshold) && this.#packetThreshold >= 1)) throw new RangeError(`LossRecovery: packetThreshold must be a positive integer, got ${this.#packetThreshold}`);
    if (!(this.#timeThreshold >= 1)) throw new RangeError(`LossRecovery: timeThreshold must be at least 1, got ${this.#timeThreshold}`);
    this.rtt = new RttEstimator(options.initialRtt);
    this.#maxDatagramSize = options.maxDatagramSize ?? MIN_UDP_PAYLOAD_SIZE;
    this.#factory = options.congestion ?? NewReno.factory();
    this.#cc = this.#factory({ now, maxDatagramSize: this.#maxDatagramSize });
    this.#peerMaxAckDelay = options.peerMaxAckDelay ?? DEFAULT_MAX_ACK_DELAY;
    this.#peerAckDelayExponent = options.peerAckDelayExponent ?? DEFAULT_ACK_DELAY_EXPONENT;
  }

  // ───────────────────────────── state the connection reads ─────────────────────────────

  /** kPacketThreshold now: the configured value, raised by spurious losses when adaptive. */
  get packetThreshold(): number {
    return this.#packetThreshold;
  }

  /** kTimeThreshold now: the configured value, raised by spurious losses when adaptive. */
  get timeThreshold(): number {
    return this.#timeThreshold;
  }

  /** The congestion controller. */
  get congestion(): CongestionController {
    return this.#cc;
  }

  /** The delivery-rate sampler (read-only use: its counters and app-limited mark). */
  get delivery(): DeliveryRateEstimator {
    return this.#delivery;
  }

  /** bytes_in_flight across all spaces. */
  get bytesInFlight(): number {
    return this.#bytesInFlight;
  }

  /** pto_count: PTOs since the last acknowledgement that reset it. */
  get ptoCount(): number {
    return this.#ptoCount;
  }

  /** Bytes the congestion window still allows in flight (probes aside). */
  get congestionBudget(): number {
    return Math.max(0, this.#cc.window() - this.#bytesInFlight);
  }

  /** A9 PeerCompletedAddressValidation: server, or a Handshake ACK received, or handshake confirmed. */
  get peerCompletedAddressValidation(): boolean {
    return this.isServer || this.#handshakeAckReceived || this.#handshakeConfirmed;
  }

  /** The largest packet number the peer acknowledged in `space` (for packet number encoding). */
  largestAcked(space: PacketSpace): number | undefined {
    return this.#spaces[space].largestAcked;
  }

  /** Probe packets `space` may still send past the congestion window after a PTO. */
  probesPending(space: PacketSpace): number {
    return this.#spaces[space].probes;
  }

  /** Outstanding packets of `space` (read-only; for inspection and tests). */
  outstanding(space: PacketSpace): readonly SentPacket<F>[] {
    return this.#spaces[space].sent.upTo(Number.MAX_SAFE_INTEGER);
  }

  /**
   * The current PTO period of `space` without backoff (§6.2.1): max_ack_delay counts only in the
   * application space. Three of these time the closing and draining periods (RFC 9000 §10.2).
   */
  ptoPeriod(space: PacketSpace = 'application'): number {
    return this.rtt.pto(space === 'application' ? this.#peerMaxAckDelay : 0);
  }

  /** When the loss-detection timer fires (ms), `undefined` when it is not armed. */
  timeout(): number | undefined {
    return this.#timer;
  }

  // ───────────────────────────── connection state changes ─────────────────────────────

  /** The peer's transport parameters arrived: its max_ack_delay (ms) and ack_delay_exponent. */
  setPeerAckParameters(params: { maxAckDelay?: number; ackDelayExponent?: number }): void {
    if (params.maxAckDelay !== undefined) this.#peerMaxAckDelay = params.maxAckDelay;
    if (params.ackDelayExponent !== undefined) {
      decodeAckDelay(0, params.ackDelayExponent); // validates
      this.#peerAckDelayExponent = params.ackDelayExponent;
    }
  }

  /** Handshake keys are available (the anti-deadlock probe then goes in a Handshake packet). */
  onHandshakeKeysAvailable(): void {
    this.#hasHandshakeKeys = true;
  }

  /** The handshake is confirmed: application PTO may be armed, ack delay is capped (§5.3, §6.2.1). */
  onHandshakeConfirmed(now: number): void {
    this.#handshakeConfirmed = true;
    this.#setTimer(now);
  }

  /**
   * A server hit, or left, its anti-amplification limit (§6.2.2.1). On leaving it, call
   * {@link onTimeout} at once if {@link timeout} is already past (A.6 OnDatagramReceived).
   */
  setAmplificationLimited(now: number, limited: boolean): void {
    this.#amplificationLimited = limited;
    this.#setTimer(now);
  }

  /** The path's max_datagram_size changed (PMTU discovery). */
  setMaxDatagramSize(maxDatagramSize: number): void {
    this.#maxDatagramSize = maxDatagramSize;
    this.#cc.onMaxDatagramSizeChanged(maxDatagramSize);
  }

  /**
   * The sender had nothing to send though the window and pacer allowed it: the delivery-rate
   * sampler marks the bubble (BBR draft MarkConnectionAppLimited), the controller stops growing.
   */
  onAppLimited(now: number): void {
    this.#delivery.markAppLimited(this.#bytesInFlight);
    this.#cc.onAppLimited(now, this.#bytesInFlight);
  }

  // ───────────────────────────── the four events ─────────────────────────────

  /** A.5 OnPacketSent: records a packet sent in `space` at `now`. */
  onPacketSent(now: number, space: PacketSpace, packet: PacketSent<F>): void {
    const s = this.#live(space, 'onPacketSent');
    const inFlight = packet.inFlight ?? packet.ackEliciting;
    if (!(Number.isSafeInteger(packet.bytes) && packet.bytes >= 0)) throw new RangeError(`LossRecovery.onPacketSent: bytes must be a non-negative integer, got ${packet.bytes}`);
    const delivery = inFlight ? this.#delivery.onPacketSent(now, packet.bytes, this.#bytesInFlight) : undefined;
    s.sent.add({
      packetNumber: packet.packetNumber,
      timeSent: now,
      bytes: packet.bytes,
      ackEliciting: packet.ackEliciting,
      inFlight,
      frames: packet.frames ?? [],
      delivery,
      ...(packet.mtuProbe ? { mtuProbe: true } : {}),
    });
    if (packet.ackEliciting && s.probes > 0) s.probes--;
    if (inFlight) {
      this.#bytesInFlight += packet.bytes;
      this.#cc.onPacketSent(now, packet.bytes, { packetNumber: packet.packetNumber, space, bytesInFlight: this.#bytesInFlight, delivery: delivery! });
      this.#setTimer(now);
    }
  }

  /** Skips packet number `pn` in `space` on purpose; an ACK for it is a PROTOCOL_VIOLATION. */
  skipPacketNumber(space: PacketSpace, pn: number): void {
    this.#live(space, 'skipPacketNumber').sent.skip(pn);
  }

  /**
   * A.7 OnAckReceived: processes an ACK frame received in `space` at `now`. Throws AckRangeError
   * (FRAME_ENCODING_ERROR) for ranges below 0 and ProtocolViolationError for a packet never sent.
   * ACKs in a discarded space are ignored.
   */
  onAckReceived(now: number, space: PacketSpace, frame: AckFrame): AckOutcome<F> {
    const s = this.#spaces[space];
    const nothing: AckOutcome<F> = { newlyAcked: [], lost: [], rttSampled: false, ecnCongestion: false, persistentCongestion: false };
    if (s.discarded) return nothing;
    const ranges = ackFrameRanges(frame);
    const largest = ranges[0].end;
    const newlyAcked = s.sent.onAck(ranges); // throws on a number never sent
    if (this.adaptiveReordering) this.#detectSpurious(now, s, ranges);
    const wasValidated = this.peerCompletedAddressValidation;
    if (space === 'handshake') this.#handshakeAckReceived = true; // A.9: the client's address is validated
    s.largestAcked = s.largestAcked === undefined ? largest : Math.max(s.largestAcked, largest);
    if (newlyAcked.length === 0) {
      // A.7 returns here; but a first Handshake ACK may have disarmed the client's anti-deadlock timer.
      if (!wasValidated && this.peerCompletedAddressValidation) this.#setTimer(now);
      return nothing;
    }

    // §5.1: an RTT sample when the largest acknowledged is newly acknowledged and something ack-eliciting is.
    const newest = newlyAcked[newlyAcked.length - 1];
    let rttSampled = false;
    if (newest.packetNumber === largest && newlyAcked.some((p) => p.ackEliciting)) {
      // §5.3: the ack delay of Initial ACKs MAY be ignored (they are never delayed on purpose).
      const ackDelay = space === 'initial' ? 0 : decodeAckDelay(frame.ackDelay, this.#peerAckDelayExponent);
      this.rtt.update({ now, latestRtt: now - newest.timeSent, ackDelay, handshakeConfirmed: this.#handshakeConfirmed, maxAckDelay: this.#peerMaxAckDelay });
      rttSampled = true;
    }

    const priorBytesInFlight = this.#bytesInFlight;
    this.#delivery.beginAck();
    const acked: PacketOutcome[] = [];
    for (const p of newlyAcked) {
      if (!p.inFlight) continue;
      this.#bytesInFlight -= p.bytes;
      this.#delivery.onPacketAcked(now, p.packetNumber, p.timeSent, p.bytes, p.delivery!);
      acked.push(outcome(space, p));
    }

    // B.7 ProcessECN: a grown ECN-CE count is a congestion event, dated by the largest acknowledged.
    let ecnCongestion = false;
    if (frame.ecn !== undefined && frame.ecn.ecnCe > s.ecnCe) {
      s.ecnCe = frame.ecn.ecnCe;
      this.#cc.onCongestionEvent(now, newest.timeSent, false, 'ecn');
      ecnCongestion = true;
    }

    const lost = this.#detectAndRemoveLost(now, space);
    const persistentCongestion = this.#onPacketsLost(now, space, lost);
    const rateSample = this.#delivery.generate(now, this.rtt.min);
    this.#cc.onAck(now, acked, this.rtt, { space, priorBytesInFlight, bytesInFlight: this.#bytesInFlight, rateSample });

    // A.7: reset pto_count unless the client is unsure the server validated its address.
    if (this.peerCompletedAddressValidation) this.#ptoCount = 0;
    this.#setTimer(now);
    return { newlyAcked, lost, rttSampled, ecnCongestion, persistentCongestion };
  }

  /**
   * A.9 OnLossDetectionTimeout. Call when `now >= timeout()`; returns what to do, or `undefined`
   * when the timer is not due (a stale wake-up is harmless).
   */
  onTimeout(now: number): TimeoutOutcome<F> | undefined {
    if (this.#timer === undefined || now < this.#timer) return undefined;
    const [lossTime, lossSpace] = this.#earliestLossTime();
    if (lossTime !== undefined) {
      const lost = this.#detectAndRemoveLost(now, lossSpace);
      const persistentCongestion = this.#onPacketsLost(now, lossSpace, lost);
      this.#setTimer(now);
      return { kind: 'loss', space: lossSpace, lost, persistentCongestion };
    }
    let out: TimeoutOutcome<F>;
    if (this.#ackElicitingInFlight() === 0) {
      // A client's anti-deadlock probe: a Handshake packet proves its address, an Initial earns credit.
      const space = this.#hasHandshakeKeys && !this.#spaces.handshake.discarded ? 'handshake' : 'initial';
      this.#spaces[space].probes = 1;
      out = { kind: 'anti_deadlock', space, probes: 1 };
    } else {
      const [, space] = this.#ptoTimeAndSpace(now);
      this.#spaces[space].probes = MAX_PTO_PROBES;
      out = { kind: 'pto', space, probes: MAX_PTO_PROBES };
    }
    this.#ptoCount++;
    this.#setTimer(now);
    return out;
  }

  /**
   * A.11 OnPacketNumberSpaceDiscarded: Initial or Handshake keys were dropped. Its packets leave
   * bytes in flight (they are neither acknowledged nor lost) and are returned; the timers reset.
   */
  discardSpace(now: number, space: 'initial' | 'handshake'): SentPacket<F>[] {
    const s = this.#spaces[space];
    if (s.discarded) return [];
    const removed = s.sent.removeAll();
    for (const p of removed) if (p.inFlight) this.#bytesInFlight -= p.bytes;
    s.discarded = true;
    s.recentlyLost.clear();
    s.lossTime = undefined;
    s.probes = 0;
    this.#ptoCount = 0;
    this.#setTimer(now);
    return removed;
  }

  /**
   * Forgets the outstanding packets of `space` that `match` selects, without a loss signal — e.g.
   * the 0-RTT packets when the server refuses 0-RTT (§6.4). Returns them, to resend their data.
   */
  removePackets(now: number, space: PacketSpace, match: (p: SentPacket<F>) => boolean): SentPacket<F>[] {
    const removed = this.#spaces[space].sent.removeAll(match);
    for (const p of removed) if (p.inFlight) this.#bytesInFlight -= p.bytes;
    this.#setTimer(now);
    return removed;
  }

  /**
   * A Retry arrived (§6.3): congestion control and loss recovery start over (a new controller,
   * `initialRtt` — e.g. the time to the Retry — or the configured one). Packet numbers keep
   * growing. Returns the packets that were outstanding, to resend their frames.
   */
  onRetry(now: number, initialRtt?: number): SentPacket<F>[] {
    const removed: SentPacket<F>[] = [];
    for (const space of PACKET_SPACES) {
      const s = this.#spaces[space];
      removed.push(...s.sent.removeAll());
      s.largestAcked = undefined;
      s.lossTime = undefined;
      s.ecnCe = 0;
      s.probes = 0;
      s.recentlyLost.clear();
    }
    this.#bytesInFlight = 0;
    this.#ptoCount = 0;
    this.rtt.reset(initialRtt);
    this.#delivery = new DeliveryRateEstimator();
    this.#cc = this.#factory({ now, maxDatagramSize: this.#maxDatagramSize });
    this.#setTimer(now);
    return removed;
  }

  // ───────────────────────────── RFC 9002 Appendix A internals ─────────────────────────────

  #live(space: PacketSpace, what: string): Space<F> {
    const s = this.#spaces[space];
    if (s.discarded) throw new RangeError(`LossRecovery.${what}: the ${space} space was discarded`);
    return s;
  }

  #ackElicitingInFlight(): number {
    let n = 0;
    for (const space of PACKET_SPACES) if (!this.#spaces[space].discarded) n += this.#spaces[space].sent.ackElicitingInFlight;
    return n;
  }

  /** A.10 DetectAndRemoveLostPackets. */
  #detectAndRemoveLost(now: number, space: PacketSpace): SentPacket<F>[] {
    const s = this.#spaces[space];
    s.lossTime = undefined;
    if (s.largestAcked === undefined) return [];
    const largestAcked = s.largestAcked;
    // §6.1.2: max(kTimeThreshold · max(smoothed_rtt, latest_rtt), kGranularity).
    const lossDelay = Math.max(this.#timeThreshold * Math.max(this.rtt.latest, this.rtt.smoothed), GRANULARITY);
    const lost: SentPacket<F>[] = [];
    for (const p of s.sent.upTo(largestAcked)) {
      // The same sum as loss_time below, so a timer set at it always finds the packet lost.
      const lostAt = p.timeSent + lossDelay;
      if (lostAt <= now || largestAcked >= p.packetNumber + this.#packetThreshold) lost.push(p);
      else s.lossTime = s.lossTime === undefined ? lostAt : Math.min(s.lossTime, lostAt);
    }
    for (const p of lost) s.sent.remove(p.packetNumber);
    return lost;
  }

  /** Packets remembered lost that this ACK covers: raise the thresholds, undo spurious congestion events. */
  #detectSpurious(now: number, s: Space<F>, ranges: readonly { start: number; end: number }[]): void {
    const lost = s.recentlyLost;
    if (lost.size === 0) return;
    // A packet still unacknowledged several PTOs after it left was lost indeed.
    lost.expire(now - 4 * this.rtt.ptoBase());
    const { spurious, undoneEvents } = lost.onAck(ranges);
    if (spurious.length === 0) return;
    const rtt = Math.max(this.rtt.latest, this.rtt.smoothed);
    for (const r of spurious) {
      this.spurious.spuriousLosses++;
      this.#packetThreshold = adaptPacketThreshold(this.#packetThreshold, r.largestAckedAtLoss - r.packetNumber);
      this.#timeThreshold = adaptTimeThreshold(this.#timeThreshold, now - r.timeSent, rtt);
    }
    for (const sentTime of undoneEvents) {
      if (this.#cc.onSpuriousCongestionEvent?.(now, sentTime)) this.spurious.undoneCongestionEvents++;
    }
  }

  /** B.8 OnPacketsLost; returns whether persistent congestion was established. */
  #onPacketsLost(now: number, space: PacketSpace, lost: readonly SentPacket<F>[]): boolean {
    const inFlight: PacketOutcome[] = [];
    let lastLossSent = -Infinity;
    let probes = 0;
    for (const p of lost) {
      if (!p.inFlight) continue;
      this.#bytesInFlight -= p.bytes;
      if (p.mtuProbe) { probes++; continue; } // too big for the path, not congestion
      this.#delivery.onPacketLost(p.bytes);
      inFlight.push(outcome(space, p));
      lastLossSent = Math.max(lastLossSent, p.timeSent);
    }
    const s = this.#spaces[space];
    if (this.adaptiveReordering && s.largestAcked !== undefined) {
      const event = inFlight.length > 0 ? s.recentlyLost.beginEvent(lastLossSent) : undefined;
      for (const p of lost) s.recentlyLost.add(p, s.largestAcked, p.inFlight && !p.mtuProbe ? event : undefined);
    }
    if (inFlight.length === 0) return false;
    const persistent = establishesPersistentCongestion(probes > 0 ? lost.filter((p) => !p.mtuProbe) : lost, {
      duration: this.rtt.persistentCongestionDuration(this.#peerMaxAckDelay),
      firstRttSampleTime: this.rtt.firstSampleTime,
      ackedBetween: (lo, hi) => s.sent.ackedBetween(lo, hi),
    });
    this.#cc.onPacketsLost(now, inFlight, this.rtt);
    this.#cc.onCongestionEvent(now, lastLossSent, persistent, 'loss');
    if (persistent) this.rtt.resetMinRtt();
    return persistent;
  }

  /** A.8 GetLossTimeAndSpace. */
  #earliestLossTime(): [number | undefined, PacketSpace] {
    let time: number | undefined;
    let space: PacketSpace = 'initial';
    for (const sp of PACKET_SPACES) {
      const t = this.#spaces[sp].lossTime;
      if (t !== undefined && (time === undefined || t < time)) {
        time = t;
        space = sp;
      }
    }
    return [time, space];
  }

  /** A.8 GetPtoTimeAndSpace. */
  #ptoTimeAndSpace(now: number): [number, PacketSpace] {
    const backoff = 2 ** this.#ptoCount;
    let duration = this.rtt.ptoBase() * backoff;
    if (this.#ackElicitingInFlight() === 0) {
      // Anti-deadlock PTO: from now (only a client not yet sure of its address gets here).
      return [now + duration, this.#hasHandshakeKeys ? 'handshake' : 'initial'];
    }
    let ptoTimeout = Infinity;
    let ptoSpace: PacketSpace = 'initial';
    for (const space of PACKET_SPACES) {
      const s = this.#spaces[space];
      if (s.discarded || s.sent.ackElicitingInFlight === 0) continue;
      if (space === 'application') {
        // §6.2.1: no application PTO before the handshake is confirmed; max_ack_delay counts here only.
        if (!this.#handshakeConfirmed) return [ptoTimeout, ptoSpace];
        duration += this.#peerMaxAckDelay * backoff;
      }
      const t = s.sent.timeOfLastAckEliciting! + duration;
      if (t < ptoTimeout) {
        ptoTimeout = t;
        ptoSpace = space;
      }
    }
    return [ptoTimeout, ptoSpace];
  }

  /** A.8 SetLossDetectionTimer. */
  #setTimer(now: number): void {
    const [lossTime] = this.#earliestLossTime();
    if (lossTime !== undefined) {
      this.#timer = lossTime; // time-threshold loss detection; the PTO is not armed with it
      return;
    }
    if (this.isServer && this.#amplificationLimited) {
      this.#timer = undefined; // nothing could be sent anyway
      return;
    }
    if (this.#ackElicitingInFlight() === 0 && this.peerCompletedAddressValidation) {
      this.#timer = undefined; // nothing to detect lost
      return;
    }
    const [t] = this.#ptoTimeAndSpace(now);
    this.#timer = Number.isFinite(t) ? t : undefined;
  }
}

function outcome<F>(space: PacketSpace, p: SentPacket<F>): PacketOutcome {
  return { packetNumber: p.packetNumber, space, timeSent: p.timeSent, bytes: p.bytes, delivery: p.delivery! };
}
