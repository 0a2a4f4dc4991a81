/**
 * NewReno (RFC 9002 §7, Appendix B): slow start, a recovery period per congestion event,
 * congestion avoidance, and the collapse to the minimum window on persistent congestion.
 *
 * - Initial window `min(10·mds, max(14720, 2·mds))`, minimum window `2·mds` (§7.2).
 * - Slow start (§7.3.1): while window < ssthresh, the window grows by the bytes acknowledged.
 * - Recovery (§7.3.2): a loss or an ECN-CE increase of a packet sent after the current recovery
 *   started halves the window (ssthresh = window · kLossReductionFactor, window = max(ssthresh,
 *   minimum)); losses of packets sent before that moment change nothing, and acknowledgements of
 *   them do not grow the window. The period ends when a packet sent during it is acknowledged.
 * - Congestion avoidance (§7.3.3): at most one datagram per window acknowledged, counted in bytes
 *   (RFC 3465 §2.1, which B.5 suggests for integer windows): every `window` bytes acknowledged
 *   add `mds`.
 * - Persistent congestion (§7.6.2): window = minimum, recovery cleared; ssthresh stays, so the
 *   sender slow-starts back to it.
 * - Under-utilisation (§7.8): while application-limited the window does not grow.
 *
 * @module
 */
import {
  initialWindow,
  minimumWindow,
  type AckSummary,
  type CongestionCause,
  type CongestionController,
  type CongestionControllerFactory,
  type PacketOutcome,
  type SentPacketEvent,
} from './congestion.ts';
import { LOSS_REDUCTION_FACTOR } from './constants.ts';
import type { RttStats } from './rtt.ts';

/** Options of {@link NewReno}. */
export interface NewRenoOptions {
  /** max_datagram_size of the path (bytes). */
  maxDatagramSize: number;
  /** Override of the initial window (default RFC 9002 §7.2). */
  initialWindow?: number;
  /** kLossReductionFactor (default 0.5). */
  lossReductionFactor?: number;
}

/** The three states of RFC 9002 §7.3 (Figure 3). */
export type NewRenoState = 'slow_start' | 'recovery' | 'congestion_avoidance';

/** RFC 9002 NewReno. */
export class NewReno implements CongestionController {
  readonly name = 'new_reno';
  readonly lossReductionFactor: number;
  #mds: number;
  #window: number;
  #ssthresh = Infinity;
  /** congestion_recovery_start_time; `undefined` for "0" (none), since 0 is a valid virtual time. */
  #recoveryStart: number | undefined;
  /** Whether no packet sent after #recoveryStart has been acknowledged yet. */
  #inRecovery = false;
  /** Bytes acknowledged in congestion avoidance not yet turned into window (RFC 3465 §2.1). */
  #bytesAcked = 0;
  #appLimited = false;
  /** Window never changed by an ACK or a congestion event: a new mds recomputes it (§7.2). */
  #pristine: boolean;
  /** What the last congestion event reduced, to undo it if its losses prove spurious. */
  #undo: { sentTime: number; window: number; ssthresh: number } | undefined;

  constructor(options: NewRenoOptions) {
    checkMds(options.maxDatagramSize);
    this.#mds = options.maxDatagramSize;
    this.lossReductionFactor = options.lossReductionFactor ?? LOSS_REDUCTION_FACTOR;
    if (!(this.lossReductionFactor > 0 && this.lossReductionFactor < 1)) throw new RangeError(`NewReno: lossReductionFactor must be in (0, 1), got ${this.lossReductionFactor}`);
    this.#window = options.initialWindow ?? initialWindow(this.#mds);
    if (!(this.#window >= minimumWindow(this.#mds))) throw new RangeError(`NewReno: initialWindow ${this.#window} is below the minimum window ${minimumWindow(this.#mds)}`);
    this.#pristine = options.initialWindow === undefined;
  }

  /** A factory for loss recovery, with `options` applied to every controller it builds. */
  static factory(options: Omit<NewRenoOptions, 'maxDatagramSize'> = {}): CongestionControllerFactory {
    return ({ maxDatagramSize }) => new NewReno({ ...options, maxDatagramSize });
  }

  /** The slow start threshold (Infinity until the first congestion event). */
  get ssthresh(): number {
    return this.#ssthresh;
  }

  /** When the current recovery period started, `undefined` when none has (or after persistent congestion). */
  get recoveryStartTime(): number | undefined {
    return this.#recoveryStart;
  }

  /** Which state of §7.3 the controller is in. */
  get state(): NewRenoState {
    if (this.#inRecovery) return 'recovery';
    return this.#window < this.#ssthresh ? 'slow_start' : 'congestion_avoidance';
  }

  get isAppLimited(): boolean {
    return this.#appLimited;
  }

  window(): number {
    return this.#window;
  }

  pacingRate(): number | undefined {
    return undefined;
  }

  onPacketSent(_now: number, _bytes: number, _event: SentPacketEvent): void {
    // The sender had data again: it is no longer application-limited until it says so.
    this.#appLimited = false;
  }

  onAppLimited(_now: number, _bytesInFlight: number): void {
    this.#appLimited = true;
  }

  onPacketsLost(_now: number, _lost: readonly PacketOutcome[], _rtt: RttStats): void {
    // NewReno reacts once per event, in onCongestionEvent.
  }

  /** B.5 InCongestionRecovery: a packet sent at or before the start of the current recovery. */
  #inCongestionRecovery(sentTime: number): boolean {
    return this.#recoveryStart !== undefined && sentTime <= this.#recoveryStart;
  }

  onCongestionEvent(now: number, sentTime: number, isPersistent: boolean, _cause: CongestionCause): void {
    // B.6: no reaction to packets sent before the current recovery period started.
    if (!this.#inCongestionRecovery(sentTime)) {
      this.#undo = { sentTime, window: this.#window, ssthresh: this.#ssthresh };
      this.#recoveryStart = now;
      this.#inRecovery = true;
      this.#ssthresh = Math.floor(this.#window * this.lossReductionFactor);
      this.#window = Math.max(this.#ssthresh, minimumWindow(this.#mds));
      this.#bytesAcked = 0;
      this.#pristine = false;
    }
    // B.8: persistent congestion collapses the window and ends recovery.
    if (isPersistent) {
      this.#undo = undefined; // persistent congestion is never undone
      this.#window = minimumWindow(this.#mds);
      this.#recoveryStart = undefined;
      this.#inRecovery = false;
      this.#bytesAcked = 0;
      this.#pristine = false;
    }
  }

  /**
   * Undoes the reduction of the latest congestion event when it is the one of `sentTime`: the window
   * and ssthresh go back to what they were (as Linux's TCP undo and quinn do); the recovery period
   * stays, so the same flight is not reacted to again.
   */
  onSpuriousCongestionEvent(_now: number, sentTime: number): boolean {
    const u = this.#undo;
    if (!u || u.sentTime !== sentTime) return false;
    this.#undo = undefined;
    this.#window = Math.max(this.#window, u.window);
    this.#ssthresh = u.ssthresh;
    return true;
  }

  onAck(_now: number, acked: readonly PacketOutcome[], _rtt: RttStats, _summary: AckSummary): void {
    for (const p of acked) {
      // B.5: no growth for packets sent before the recovery period started.
      if (this.#inCongestionRecovery(p.timeSent)) continue;
      // §7.3.2: a packet sent during recovery is acknowledged — recovery ends.
      this.#inRecovery = false;
      // §7.8: no growth while the window is under-used.
      if (this.#appLimited) continue;
      this.#pristine = false;
      if (this.#window < this.#ssthresh) {
        this.#window += p.bytes; // slow start
      } else {
        this.#bytesAcked += p.bytes; // congestion avoidance: one mds per window acknowledged
        while (this.#bytesAcked >= this.#window) {
          this.#bytesAcked -= this.#window;
          this.#window += this.#mds;
        }
      }
    }
  }

  onMaxDatagramSizeChanged(maxDatagramSize: number): void {
    checkMds(maxDatagramSize);
    this.#mds = maxDatagramSize;
    // §7.2: the initial window is recalculated with the new size; never below the minimum.
    this.#window = this.#pristine ? initialWindow(maxDatagramSize) : Math.max(this.#window, minimumWindow(maxDatagramSize));
  }
}

function checkMds(mds: number): void {
  if (!(Number.isSafeInteger(mds) && mds > 0)) throw new RangeError(`max_datagram_size must be a positive integer, got ${mds}`);
}
