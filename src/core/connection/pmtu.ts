/**
 * Datagram packetization-layer path MTU discovery (DPLPMTUD, RFC 8899 as RFC 9000 §14.3 applies
 * it; shaped after quinn-proto's `MtuDiscovery`), sans-IO: which datagram size the connection uses,
 * and when to send a probe of what size.
 *
 * - Every path starts at the **base** size, min_udp_payload_size (1200): always allowed.
 * - The **search** runs between the largest size acknowledged (`low`) and the smallest size known
 *   too big (`high`: first min(local maximum, the peer's max_udp_payload_size)), probing the
 *   midpoint with an ack-eliciting packet padded to that size (PING + PADDING). An acknowledged
 *   probe raises the size in use at once; a probe lost {@link MAX_PROBES} times lowers `high`. The
 *   search is complete when `high − low` is below {@link SEARCH_GRANULARITY}.
 * - A probe's loss is not a congestion signal (RFC 9000 §14.4): the connection marks probe packets
 *   so loss recovery keeps them out of congestion events.
 * - After {@link RAISE_INTERVAL_MS} the search runs again from the size in use (RFC 8899 §5.1.1's
 *   PMTU_RAISE_TIMER), since paths change.
 * - **Black holes**: if the path stops carrying packets above the base size (persistent congestion
 *   while using a larger size), the size falls back to the base and the search starts over.
 *
 * @module
 */
import { MIN_UDP_PAYLOAD_SIZE } from '../../gen/constants.ts';

/** Probes sent of one size before that size counts as too big (RFC 8899 MAX_PROBES). */
export const MAX_PROBES = 3;
/** The search stops when the unknown interval is narrower than this many bytes. */
export const SEARCH_GRANULARITY = 20;
/** Time between searches once one completed (RFC 8899 PMTU_RAISE_TIMER, 600 s). */
export const RAISE_INTERVAL_MS = 600_000;
/** The largest UDP payload there is (RFC 9000 §18.2, max_udp_payload_size default). */
export const MAX_UDP_PAYLOAD = 65527;
/** The default upper bound of the search: 1500-byte Ethernet less IPv6 (40) and UDP (8) headers. */
export const DEFAULT_MAX_DATAGRAM = 1452;

/** Where the search stands (RFC 8899 §5.2 states, less Error, which the black-hole fallback covers). */
export type PmtuState = 'disabled' | 'searching' | 'complete';

export interface PathMtuOptions {
  /** The largest datagram this endpoint would send (default {@link DEFAULT_MAX_DATAGRAM}); ≤ base disables discovery. */
  maxDatagram?: number;
}

/** The path MTU of one path. */
export class PathMtu {
  readonly base = MIN_UDP_PAYLOAD_SIZE;
  #current = MIN_UDP_PAYLOAD_SIZE;
  #low = MIN_UDP_PAYLOAD_SIZE;
  #high: number;
  #localMax: number;
  /** The peer's max_udp_payload_size. */
  #peerCap = MAX_UDP_PAYLOAD;
  #state: PmtuState;
  /** The size of the probe in flight, and how many times that size was lost. */
  #probe: { size: number; packetNumber: number } | undefined;
  #failures = 0;
  #lastFailedSize = 0;
  #searchAgainAt: number | undefined;
  /** Probes sent, acknowledged and lost; black-hole fallbacks. */
  readonly stats = { probesSent: 0, probesAcked: 0, probesLost: 0, blackHoles: 0 };

  constructor(o: PathMtuOptions = {}) {
    const max = o.maxDatagram ?? DEFAULT_MAX_DATAGRAM;
    if (!(Number.isSafeInteger(max) && max >= MIN_UDP_PAYLOAD_SIZE && max <= MAX_UDP_PAYLOAD)) {
      throw new RangeError(`PathMtu: maxDatagram must be an integer in [${MIN_UDP_PAYLOAD_SIZE}, ${MAX_UDP_PAYLOAD}], got ${max}`);
    }
    this.#localMax = max;
    this.#high = max;
    // Nothing is probed before the peer's limit is known (setPeerMax) and the handshake confirmed.
    this.#state = 'disabled';
  }

  /** The datagram size to use for everything but probes. */
  get current(): number { return this.#current; }
  get state(): PmtuState { return this.#state; }
  /** The size of the probe in flight, if any. */
  get probeInFlight(): number | undefined { return this.#probe?.size; }

  /**
   * Starts the search once the peer's max_udp_payload_size is known (0: the default 65527) and
   * 1-RTT packets flow. Until then only the base size is used.
   */
  start(peerMaxUdpPayload: number): void {
    this.#peerCap = peerMaxUdpPayload === 0 ? MAX_UDP_PAYLOAD : peerMaxUdpPayload;
    this.#high = Math.max(this.base, this.#localMaxCapped());
    this.#state = this.#high - this.#low < SEARCH_GRANULARITY ? 'complete' : 'searching';
    this.#searchAgainAt = undefined;
  }

  /** The size of a probe to send now, if one is due (none is in flight and the search is on). */
  nextProbe(now: number): number | undefined {
    if (this.#state === 'complete' && this.#searchAgainAt !== undefined && now >= this.#searchAgainAt) this.#restartSearch();
    if (this.#state !== 'searching' || this.#probe) return undefined;
    return this.#candidate();
  }

  /** A probe of `size` went out as packet `packetNumber`. */
  onProbeSent(size: number, packetNumber: number): void {
    this.#probe = { size, packetNumber };
    this.stats.probesSent++;
  }

  /** Whether `packetNumber` is the probe in flight. */
  isProbe(packetNumber: number): boolean { return this.#probe?.packetNumber === packetNumber; }

  /** The probe was acknowledged: the path carries its size. */
  onProbeAcked(now: number, packetNumber: number): void {
    if (!this.isProbe(packetNumber)) return;
    const size = this.#probe!.size;
    this.#probe = undefined;
    this.stats.probesAcked++;
    this.#current = Math.max(this.#current, size);
    this.#low = Math.max(this.#low, size);
    this.#failures = 0;
    this.#checkDone(now);
  }

  /** The probe was declared lost (not a congestion signal). */
  onProbeLost(now: number, packetNumber: number): void {
    if (!this.isProbe(packetNumber)) return;
    const size = this.#probe!.size;
    this.#probe = undefined;
    this.stats.probesLost++;
    this.#failures = size === this.#lastFailedSize ? this.#failures + 1 : 1;
    this.#lastFailedSize = size;
    if (this.#failures >= MAX_PROBES) {
      this.#high = size - 1; // too big
      this.#failures = 0;
    }
    this.#checkDone(now);
  }

  /**
   * The path lost what it carried at the current size (persistent congestion above the base
   * size): fall back to the base and search again, from the bottom.
   */
  onBlackHole(now: number): void {
    if (this.#current === this.base) return;
    this.stats.blackHoles++;
    this.#high = this.#current - 1;
    this.#current = this.#low = this.base;
    this.#probe = undefined;
    this.#failures = 0;
    this.#state = this.#high - this.#low < SEARCH_GRANULARITY ? 'complete' : 'searching';
    this.#checkDone(now);
  }

  /** When the search should run again (the owner includes it in its timeout). */
  get searchAgainAt(): number | undefined { return this.#state === 'complete' ? this.#searchAgainAt : undefined; }

  #candidate(): number {
    // The midpoint; but once the gap is small and the top is still the bound (no size failed yet),
    // the bound itself: a path that carries it is found exactly (1452 on Ethernet).
    const gap = this.#high - this.#low;
    return gap <= 2 * SEARCH_GRANULARITY && this.#high === this.#localMaxCapped() ? this.#high : this.#low + Math.ceil(gap / 2);
  }

  #checkDone(now: number): void {
    if (this.#state !== 'searching') return;
    if (this.#high - this.#low < SEARCH_GRANULARITY || this.#current >= this.#high) {
      this.#state = 'complete';
      this.#searchAgainAt = now + RAISE_INTERVAL_MS;
    }
  }

  #restartSearch(): void {
    this.#high = this.#localMaxCapped();
    this.#low = this.#current;
    this.#state = this.#high - this.#low < SEARCH_GRANULARITY ? 'complete' : 'searching';
    this.#searchAgainAt = undefined;
  }

  #localMaxCapped(): number { return Math.min(this.#localMax, this.#peerCap); }
}
