/**
 * One direction of a simulated path, with seeded impairments in the manner of Linux netem +
 * a token-less bottleneck: what happens to a datagram sent at `now`, in this order —
 *
 * 1. **MTU**: larger than `mtu` bytes → dropped (`mtuDropped`).
 * 2. **Bottleneck** (when `bandwidthBps` is set): a FIFO that serializes
 *    `(length + overheadBytes) · 8 / bandwidthBps` seconds per datagram; a datagram that would
 *    take the bytes waiting (the one on the wire included) over `queueLimitBytes` is tail-dropped
 *    (`queueDropped`). It leaves the queue when its last bit is out.
 * 3. **Loss** on the wire after the queue (`lost`), with probability `lossRate`.
 * 4. **Duplication**: with probability `duplicateRate` a second copy follows (`duplicated`).
 * 5. Per copy: **corruption** flips one random bit of a private copy of the bytes
 *    (`corrupted`); **delay** is `delayMs` plus a uniform jitter in [−jitterMs, +jitterMs]
 *    (clamped so that it is never negative — jitter alone can reorder); **reordering** adds
 *    `reorderDelayMs` to a `reorderRate` fraction of copies (`reordered`).
 *
 * All random draws come from the link's own {@link Prng}, forked from the simulator's seed and
 * the link's name, and a zero rate draws nothing.
 *
 * @module
 */
import type { Address } from './endpoint.ts';
import type { Prng } from './prng.ts';

/** The impairments of one direction of a link. Every field is optional; the default is a perfect wire. */
export interface LinkConfig {
  /** One-way propagation delay, ms (default 0). */
  delayMs?: number;
  /** Uniform jitter added to the delay, in [−jitterMs, +jitterMs] ms (default 0). */
  jitterMs?: number;
  /** Probability that a datagram is lost on the wire, in [0, 1] (default 0). */
  lossRate?: number;
  /** Probability that a datagram is delivered twice, in [0, 1] (default 0). */
  duplicateRate?: number;
  /** Fraction of datagrams held back by an extra `reorderDelayMs`, in [0, 1] (default 0). */
  reorderRate?: number;
  /** The extra delay of a reordered datagram, ms (default `max(delayMs, 1)`). */
  reorderDelayMs?: number;
  /** Probability that one random bit of a datagram is flipped, in [0, 1] (default 0). */
  corruptRate?: number;
  /** Bottleneck rate in bits per second (default: unlimited, no queue). */
  bandwidthBps?: number;
  /** Bytes the bottleneck queue holds, the datagram being serialized included (default: unlimited). */
  queueLimitBytes?: number;
  /** Bytes counted per datagram on top of its payload for serialization, e.g. 28 for IPv4 + UDP (default 0). */
  overheadBytes?: number;
  /** Largest datagram payload that passes, bytes (default: unlimited). */
  mtu?: number;
}

/** Why a link dropped a datagram. */
export type LinkDropReason = 'mtu' | 'queue' | 'loss';

/** Counters of one link direction. `sent + duplicated = delivered + unreachable + lost + mtuDropped + queueDropped + inFlight`. */
export interface LinkStats {
  sent: number;
  bytesSent: number;
  delivered: number;
  bytesDelivered: number;
  /** Copies that arrived at an address with no endpoint. */
  unreachable: number;
  lost: number;
  duplicated: number;
  reordered: number;
  corrupted: number;
  mtuDropped: number;
  queueDropped: number;
  /** The most bytes the bottleneck queue held at once. */
  maxQueueBytes: number;
  /** Copies scheduled and not yet delivered. */
  inFlight: number;
}

/** One copy of a datagram on its way. */
export interface LinkCopy {
  /** Arrival time, ms. */
  at: number;
  /** A private copy of the bytes (corrupted if `corrupted`). */
  data: Uint8Array;
  corrupted: boolean;
  reordered: boolean;
  /** The second copy of a duplicated datagram. */
  duplicate: boolean;
}

/** What became of a datagram: dropped, or one or two copies on their way. */
export type LinkOutcome = { dropped: LinkDropReason; copies?: undefined } | { dropped?: undefined; copies: LinkCopy[] };

type Resolved = Required<Omit<LinkConfig, 'reorderDelayMs'>> & { reorderDelayMs: number };

const RATES = ['lossRate', 'duplicateRate', 'reorderRate', 'corruptRate'] as const;
const NON_NEGATIVE = ['delayMs', 'jitterMs', 'reorderDelayMs', 'overheadBytes'] as const;

/** Checks a config and fills the defaults; throws RangeError naming the option. */
export function resolveLinkConfig(c: LinkConfig, name = 'link'): Resolved {
  if (c === null || typeof c !== 'object') throw new TypeError(`${name}: the link config must be an object`);
  for (const k of RATES) {
    const v = c[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) throw new RangeError(`${name}: ${k} must be in [0, 1], got ${v}`);
  }
  for (const k of NON_NEGATIVE) {
    const v = c[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new RangeError(`${name}: ${k} must be a finite number ≥ 0, got ${v}`);
  }
  for (const k of ['bandwidthBps', 'queueLimitBytes', 'mtu'] as const) {
    const v = c[k];
    if (v !== undefined && !(typeof v === 'number' && v > 0)) throw new RangeError(`${name}: ${k} must be a number > 0, got ${v}`);
  }
  const delayMs = c.delayMs ?? 0;
  return {
    delayMs,
    jitterMs: c.jitterMs ?? 0,
    lossRate: c.lossRate ?? 0,
    duplicateRate: c.duplicateRate ?? 0,
    reorderRate: c.reorderRate ?? 0,
    reorderDelayMs: c.reorderDelayMs ?? Math.max(delayMs, 1),
    corruptRate: c.corruptRate ?? 0,
    bandwidthBps: c.bandwidthBps ?? Infinity,
    queueLimitBytes: c.queueLimitBytes ?? Infinity,
    overheadBytes: c.overheadBytes ?? 0,
    mtu: c.mtu ?? Infinity,
  };
}

/** One direction `from → to` of a simulated path. */
export class Link {
  readonly from: Address;
  readonly to: Address;
  readonly stats: LinkStats = {
    sent: 0, bytesSent: 0, delivered: 0, bytesDelivered: 0, unreachable: 0, lost: 0, duplicated: 0,
    reordered: 0, corrupted: 0, mtuDropped: 0, queueDropped: 0, maxQueueBytes: 0, inFlight: 0,
  };
  #raw: LinkConfig;
  #config: Resolved;
  readonly #rng: Prng;
  /** The bottleneck FIFO: when each waiting datagram's last bit leaves, and its bytes. */
  #fifo: { done: number; bytes: number }[] = [];
  #head = 0;
  #queued = 0;
  #busyUntil = -Infinity;

  constructor(from: Address, to: Address, config: LinkConfig, rng: Prng) {
    this.from = from;
    this.to = to;
    this.#config = resolveLinkConfig(config, `link ${from} -> ${to}`);
    this.#raw = { ...config };
    this.#rng = rng;
  }

  /** The configuration in force, defaults filled in. */
  get config(): Readonly<Resolved> {
    return this.#config;
  }

  /** Changes some impairments from now on (datagrams already on their way keep their fate). */
  reconfigure(change: LinkConfig): void {
    const raw = { ...this.#raw, ...change };
    this.#config = resolveLinkConfig(raw, `link ${this.from} -> ${this.to}`);
    this.#raw = raw;
  }

  /** Bytes waiting in the bottleneck at `now` (the datagram being serialized included). */
  queuedBytes(now: number): number {
    while (this.#head < this.#fifo.length && this.#fifo[this.#head].done <= now) {
      this.#queued -= this.#fifo[this.#head++].bytes;
    }
    if (this.#head > 64 && this.#head * 2 > this.#fifo.length) {
      this.#fifo = this.#fifo.slice(this.#head);
      this.#head = 0;
    }
    return this.#queued;
  }

  /** Decides the fate of `data` sent at `now`. The caller's bytes are never modified or kept. */
  transmit(now: number, data: Uint8Array): LinkOutcome {
    const c = this.#config, s = this.stats, rng = this.#rng;
    s.sent++;
    s.bytesSent += data.length;
    if (data.length > c.mtu) {
      s.mtuDropped++;
      return { dropped: 'mtu' };
    }
    let departure = now;
    if (c.bandwidthBps !== Infinity) {
      const bytes = data.length + c.overheadBytes;
      const queued = this.queuedBytes(now);
      if (queued + bytes > c.queueLimitBytes) {
        s.queueDropped++;
        return { dropped: 'queue' };
      }
      departure = Math.max(now, this.#busyUntil) + (bytes * 8 * 1000) / c.bandwidthBps;
      this.#busyUntil = departure;
      this.#fifo.push({ done: departure, bytes });
      this.#queued += bytes;
      if (this.#queued > s.maxQueueBytes) s.maxQueueBytes = this.#queued;
    }
    if (rng.chance(c.lossRate)) {
      s.lost++;
      return { dropped: 'loss' };
    }
    const n = rng.chance(c.duplicateRate) ? 2 : 1;
    if (n === 2) s.duplicated++;
    const copies: LinkCopy[] = [];
    for (let i = 0; i < n; i++) {
      const bytes = data.slice();
      const corrupted = bytes.length > 0 && rng.chance(c.corruptRate);
      if (corrupted) {
        const bit = rng.int(bytes.length * 8);
        bytes[bit >> 3] ^= 1 << (bit & 7);
        s.corrupted++;
      }
      let delay = c.delayMs;
      if (c.jitterMs > 0) delay = Math.max(0, delay + rng.uniform(-c.jitterMs, c.jitterMs));
      const reordered = rng.chance(c.reorderRate);
      if (reordered) {
        delay += c.reorderDelayMs;
        s.reordered++;
      }
      copies.push({ at: departure + delay, data: bytes, corrupted, reordered, duplicate: i === 1 });
    }
    return { copies };
  }
}
