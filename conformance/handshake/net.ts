/**
 * A minimal virtual-time network between endpoints for the connection tests and the datagram vectors (the full simulator
 * lives in src/sim): fixed one-way delay, an optional drop/observe hook, time jumps to the next
 * delivery or timer. Datagrams in flight and the clock persist across `run` calls.
 */
import type { Endpoint } from '../../src/core/connection/index.ts';

export interface Sent { at: number; from: string; to: string; data: Uint8Array }

export class Net {
  now = 0;
  readonly log: Sent[] = [];
  drop: (d: Sent, index: number) => boolean = () => false;
  #index = 0;
  readonly #inflight: (Sent & { due: number })[] = [];
  readonly #byAddr: Map<string, Endpoint>;

  constructor(readonly eps: Endpoint[], readonly delayMs = 10) {
    this.#byAddr = new Map(eps.map((e) => [e.address, e]));
  }

  #drain(): void {
    for (const e of this.eps) {
      for (let t = e.pollTransmit(this.now); t; t = e.pollTransmit(this.now)) {
        const d = { at: this.now, from: t.from, to: t.to, data: t.data };
        this.log.push(d);
        if (this.drop(d, this.#index++)) continue;
        this.#inflight.push({ ...d, due: this.now + this.delayMs });
      }
    }
  }

  /** Runs until `until()` holds (checked after every step), nothing is left to do, or `maxTime`. Returns the time. */
  run(until: () => boolean, maxTime = 60_000): number {
    this.#drain();
    for (let steps = 0; steps < 100_000; steps++) {
      if (until()) return this.now;
      this.#inflight.sort((a, b) => a.due - b.due);
      const timers = this.eps.map((e) => e.pollTimeout()).filter((t): t is number => t !== undefined);
      const next = Math.min(this.#inflight[0]?.due ?? Infinity, ...timers);
      if (next === Infinity || next > maxTime) return this.now;
      this.now = Math.max(this.now, next);
      while (this.#inflight.length && this.#inflight[0].due <= this.now) {
        const d = this.#inflight.shift()!;
        this.#byAddr.get(d.to)?.handleDatagram(this.now, d.from, d.data);
      }
      for (const e of this.eps) e.handleTimeout(this.now);
      this.#drain();
    }
    throw new Error('the network did not settle');
  }
}
