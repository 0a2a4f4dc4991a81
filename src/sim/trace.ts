/**
 * The simulator's event trace: one {@link TraceEvent} per send, drop, delivery and timer, a
 * compact one-line rendering for debugging ({@link formatTraceEvent}), and a running digest of
 * a trace ({@link TraceDigest}) so that tests can state "same seed → identical trace" in one
 * comparison.
 *
 * @module
 */
import type { Address } from './endpoint.ts';
import type { LinkDropReason } from './link.ts';

/** Why the simulator dropped a datagram: a link's impairment, no link from its source to its destination, or the intercept hook. */
export type DropReason = LinkDropReason | 'no-route' | 'unreachable' | 'intercepted';

/** Something that happened in the simulation, at virtual time `at` (ms). */
export type TraceEvent =
  | { type: 'send'; at: number; from: Address; to: Address; data: Uint8Array }
  | { type: 'drop'; at: number; from: Address; to: Address; data: Uint8Array; reason: DropReason }
  | {
      type: 'deliver'; at: number; from: Address; to: Address; data: Uint8Array;
      sentAt: number; corrupted: boolean; reordered: boolean; duplicate: boolean;
    }
  | { type: 'timeout'; at: number; address: Address }
  | { type: 'call'; at: number };

/** A trace sink, e.g. `(e) => console.log(formatTraceEvent(e))`. */
export type TraceFn = (event: TraceEvent) => void;

/** One compact line: `    12.500 deliver C -> S 1200B (sent 2.500) dup,corrupt`. */
export function formatTraceEvent(e: TraceEvent): string {
  const t = e.at.toFixed(3).padStart(10);
  switch (e.type) {
    case 'send':
      return `${t} send    ${e.from} -> ${e.to} ${e.data.length}B`;
    case 'drop':
      return `${t} drop    ${e.from} -> ${e.to} ${e.data.length}B ${e.reason}`;
    case 'deliver': {
      const flags = [e.duplicate && 'dup', e.reordered && 'reorder', e.corrupted && 'corrupt'].filter(Boolean).join(',');
      return `${t} deliver ${e.from} -> ${e.to} ${e.data.length}B (sent ${e.sentAt.toFixed(3)})${flags ? ` ${flags}` : ''}`;
    }
    case 'timeout':
      return `${t} timeout ${e.address}`;
    case 'call':
      return `${t} call`;
  }
}

const utf8 = new TextEncoder();

/**
 * A 64-bit digest (two FNV-1a lanes) of every event's line and payload bytes. Not
 * cryptographic: it tells traces apart, it does not resist forgery.
 */
export class TraceDigest {
  #a = 0x811c9dc5;
  #b = 0x050c5d1f;
  /** Events absorbed. */
  count = 0;
  /** A {@link TraceFn} that feeds this digest. */
  readonly trace: TraceFn = (e) => this.add(e);

  add(e: TraceEvent): void {
    this.count++;
    this.#absorb(utf8.encode(formatTraceEvent(e)));
    if ('data' in e) this.#absorb(e.data);
  }

  #absorb(bytes: Uint8Array): void {
    let a = this.#a, b = this.#b;
    for (const x of bytes) {
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x ^ (a >>> 24), 0x01000193);
    }
    a = Math.imul(a ^ 0xff, 0x01000193); // an end-of-field byte so that boundaries count
    this.#a = a >>> 0;
    this.#b = b >>> 0;
  }

  /** The digest so far, 16 hex digits. */
  hex(): string {
    return this.#a.toString(16).padStart(8, '0') + this.#b.toString(16).padStart(8, '0');
  }
}
