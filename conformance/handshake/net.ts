/**
 * The connection tests' network: the simulator (src/sim) with one link of fixed delay between
 * endpoints, a drop hook and a log of every datagram sent, behind the small interface the tests
 * were written against. The clock and what is in flight persist across `run` calls.
 */
import type { Endpoint } from '../../src/core/connection/index.ts';
import { Simulator } from '../../src/sim/index.ts';

export interface Sent { at: number; from: string; to: string; data: Uint8Array }

export class Net {
  readonly log: Sent[] = [];
  /** Return true to lose a datagram (`index` counts every datagram sent, in order). */
  drop: (d: Sent, index: number) => boolean = () => false;
  readonly #sim: Simulator;

  constructor(readonly eps: Endpoint[], readonly delayMs = 10) {
    this.#sim = new Simulator({
      seed: 'net',
      intercept: (d, now) => {
        const sent = { at: now, from: d.from, to: d.to, data: d.data };
        this.log.push(sent);
        return this.drop(sent, this.log.length - 1) ? 'drop' : undefined;
      },
    });
    for (const e of eps) this.#sim.addEndpoint(e);
    for (let i = 0; i < eps.length; i++) for (let j = i + 1; j < eps.length; j++) this.#sim.link(eps[i].address, eps[j].address, { delayMs });
  }

  get now(): number { return this.#sim.now; }
  /** Moves the clock forward to `t`, running whatever is due on the way. */
  set now(t: number) { if (t > this.#sim.now) this.#sim.run({ until: () => false, maxTime: t }); }

  /** Runs until `until()` holds, nothing is left to do, or `maxTime` (absolute). Returns the time. */
  run(until: () => boolean, maxTime = 60_000): number {
    return this.#sim.run({ until: () => until(), maxTime }).now;
  }
}
