/**
 * The network simulator: sans-IO endpoints ({@link SimEndpoint}) on a virtual clock, joined by
 * one-way {@link Link}s with seeded impairments. Like quinn-proto's test `Pair`, time does not
 * pass between events: the clock jumps to the next delivery, timer or scheduled call.
 *
 * One step of {@link Simulator.run}:
 * 1. every endpoint's `pollTransmit(now)` is drained (in the order the endpoints were added) and
 *    each datagram is put on the link from its source to its destination;
 * 2. the `until` condition is checked (and what it made an endpoint queue is sent at once);
 * 3. the clock jumps to the earliest pending event — a datagram's arrival, a scheduled call, or
 *    an endpoint's `pollTimeout()`;
 * 4. the arrivals and calls due are run in time order, ties in the order they were scheduled;
 * 5. each endpoint whose `pollTimeout()` is now due gets `handleTimeout(now)`.
 *
 * Every endpoint is drained in step 1, not only those the step touched: an application call made
 * from `until`, a scheduled call or between two runs (opening a stream, closing) must be sent at
 * the time it was made, and a poll that returns nothing costs little.
 *
 * Nothing here reads a real clock, a timer or global randomness: a run is a pure function of
 * the seed, the endpoints and the links, so the same seed gives the same event trace.
 *
 * @module
 */
import type { Address, Datagram, SimEndpoint } from './endpoint.ts';
import { Link, type LinkConfig } from './link.ts';
import { Prng } from './prng.ts';
import { EventQueue } from './queue.ts';
import type { DropReason, TraceFn } from './trace.ts';

/**
 * A hook on every datagram sent, before its link: return `'drop'` to drop it, a datagram to
 * send that one instead (a NAT rebinding rewrites `from`, an attacker rewrites bytes), or
 * nothing to let it pass.
 */
export type InterceptFn = (d: Datagram, now: number) => Datagram | 'drop' | undefined | void;

/** Options of a {@link Simulator}. */
export interface SimulatorOptions {
  /** The seed of every random draw (each link forks its own stream from it). */
  seed: string | number;
  /** Called for each send, drop, delivery, timeout and scheduled call (see `formatTraceEvent`). */
  trace?: TraceFn;
  /** See {@link InterceptFn}; can also be set later through {@link Simulator.intercept}. */
  intercept?: InterceptFn;
}

/** Limits of one {@link Simulator.run}. */
export interface RunOptions {
  /** Stop as soon as this holds (checked before every step, after sending what is ready). */
  until?: (sim: Simulator) => boolean;
  /** Absolute virtual time (ms): events after it are not run, and the clock stops there (default: none). */
  maxTime?: number;
  /** Steps (clock jumps) this run may take (default 1,000,000) — catches an endpoint that never goes quiet. */
  maxSteps?: number;
}

/** Why a run stopped: `until` held; no timer and nothing in flight; the next event is past `maxTime`; `maxSteps` taken. */
export type StopReason = 'condition' | 'quiescent' | 'maxTime' | 'maxSteps';

/** Counters of a simulator since it was made. */
export interface SimStats {
  /** Clock jumps taken. */
  steps: number;
  /** Datagrams endpoints sent (or {@link Simulator.inject}ed). */
  sent: number;
  /** Datagrams handed to an endpoint (duplicates count twice). */
  delivered: number;
  timeouts: number;
  calls: number;
  /** Datagrams with no link from their source to their destination. */
  noRoute: number;
  /** Datagrams the intercept hook dropped. */
  intercepted: number;
}

/** What a {@link Simulator.run} returns. */
export interface RunResult {
  reason: StopReason;
  /** The virtual time at which it stopped. */
  now: number;
  /** Steps taken by this run. */
  steps: number;
  /** The simulator's counters at the end (a copy). */
  stats: SimStats;
}

type Pending =
  | { kind: 'deliver'; at: number; seq: number; link: Link; from: Address; to: Address; data: Uint8Array; sentAt: number; corrupted: boolean; reordered: boolean; duplicate: boolean }
  | { kind: 'call'; at: number; seq: number; fn: (sim: Simulator) => void };

const linkKey = (from: Address, to: Address): string => `${from}\u0000${to}`;

/** A deterministic network of sans-IO endpoints on a virtual clock. */
export class Simulator {
  /** The seed, as a string. */
  readonly seed: string;
  /** The hook on every datagram sent (see {@link InterceptFn}). */
  intercept: InterceptFn | undefined;
  readonly stats: SimStats = { steps: 0, sent: 0, delivered: 0, timeouts: 0, calls: 0, noRoute: 0, intercepted: 0 };
  readonly #trace: TraceFn | undefined;
  readonly #root: Prng;
  readonly #endpoints = new Map<Address, SimEndpoint>();
  readonly #links = new Map<string, Link>();
  readonly #queue = new EventQueue<Pending>();
  #seq = 0;
  #now = 0;

  constructor(options: SimulatorOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('Simulator: options { seed } are required');
    const { seed } = options;
    if (typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed))) {
      throw new TypeError(`Simulator: seed must be a string or a finite number, got ${String(seed)}`);
    }
    this.seed = String(seed);
    this.#root = new Prng(this.seed);
    this.#trace = options.trace;
    this.intercept = options.intercept;
  }

  /** The virtual time, ms (0 at the start). */
  get now(): number {
    return this.#now;
  }

  /** Datagram copies on their way. */
  get inFlight(): number {
    let n = 0;
    for (const e of this.#queue.values()) if (e.kind === 'deliver') n++;
    return n;
  }

  /** A generator for a scenario's own randomness, forked from the seed by `label` (independent of the links'). */
  prng(label: string): Prng {
    return this.#root.fork(`user/${label}`);
  }

  /** Adds an endpoint at its address; returns it. */
  addEndpoint<E extends SimEndpoint>(ep: E): E {
    if (typeof ep?.address !== 'string') throw new TypeError('Simulator.addEndpoint: the endpoint needs a string address');
    if (this.#endpoints.has(ep.address)) throw new RangeError(`Simulator.addEndpoint: address ${ep.address} is taken`);
    this.#endpoints.set(ep.address, ep);
    return ep;
  }

  /** The endpoint at `address`, if any. */
  endpoint(address: Address): SimEndpoint | undefined {
    return this.#endpoints.get(address);
  }

  /** Joins `a` and `b` both ways: `config` from a to b, `reverse` (default the same) from b to a. */
  link(a: Address, b: Address, config: LinkConfig, reverse: LinkConfig = config): [Link, Link] {
    return [this.linkOneWay(a, b, config), this.linkOneWay(b, a, reverse)];
  }

  /** A link from `from` to `to` only. Addresses need no endpoint yet. */
  linkOneWay(from: Address, to: Address, config: LinkConfig): Link {
    const k = linkKey(from, to);
    if (this.#links.has(k)) throw new RangeError(`Simulator.link: ${from} -> ${to} is linked already (use getLink(…).reconfigure)`);
    const link = new Link(from, to, config, this.#root.fork(`link/${from}->${to}`));
    this.#links.set(k, link);
    return link;
  }

  /** The link from `from` to `to`, if any. */
  getLink(from: Address, to: Address): Link | undefined {
    return this.#links.get(linkKey(from, to));
  }

  /** Every link, in the order they were made. */
  links(): Link[] {
    return [...this.#links.values()];
  }

  /** Runs `fn(sim)` at virtual time `at` (not before now), after the datagrams and calls scheduled earlier for that time. */
  schedule(at: number, fn: (sim: Simulator) => void): void {
    if (!(typeof at === 'number' && at >= this.#now)) throw new RangeError(`Simulator.schedule: time ${at} is before now (${this.#now})`);
    this.#queue.push({ kind: 'call', at, seq: this.#seq++, fn });
  }

  /** Sends a datagram now as if an endpoint had (a spoofed or injected packet): through the intercept hook and the link `from → to`. */
  inject(d: Datagram): void {
    this.#send(d);
  }

  /** Runs the simulation until a {@link StopReason}; the clock and what is in flight carry over to the next run. */
  run(options: RunOptions = {}): RunResult {
    const maxTime = options.maxTime ?? Infinity;
    const maxSteps = options.maxSteps ?? 1_000_000;
    if (typeof maxTime !== 'number' || Number.isNaN(maxTime)) throw new RangeError(`Simulator.run: bad maxTime ${maxTime}`);
    if (!Number.isInteger(maxSteps) || maxSteps < 0) throw new RangeError(`Simulator.run: maxSteps must be an integer ≥ 0, got ${maxSteps}`);
    let steps = 0;
    const stop = (reason: StopReason): RunResult => ({ reason, now: this.#now, steps, stats: { ...this.stats } });
    for (;;) {
      this.#drainAll();
      if (options.until) {
        if (options.until(this)) return stop('condition');
        this.#drainAll(); // what `until` itself made the application send
      }
      const next = this.#nextEvent();
      if (next === undefined) return stop('quiescent');
      if (next > maxTime) {
        this.#now = Math.max(this.#now, maxTime);
        return stop('maxTime');
      }
      if (steps >= maxSteps) return stop('maxSteps');
      this.#now = Math.max(this.#now, next);
      steps++;
      this.stats.steps++;
      this.#runDue();
      this.#fireTimers();
    }
  }

  #nextEvent(): number | undefined {
    let next = this.#queue.peek()?.at;
    for (const ep of this.#endpoints.values()) {
      const t = ep.pollTimeout();
      if (t === undefined) continue;
      if (typeof t !== 'number' || Number.isNaN(t)) throw new TypeError(`Simulator: ${ep.address}.pollTimeout() returned ${String(t)}`);
      if (next === undefined || t < next) next = t;
    }
    return next;
  }

  #runDue(): void {
    for (let e = this.#queue.peek(); e && e.at <= this.#now; e = this.#queue.peek()) {
      this.#queue.pop();
      if (e.kind === 'call') {
        this.stats.calls++;
        this.#trace?.({ type: 'call', at: this.#now });
        e.fn(this);
        continue;
      }
      const s = e.link.stats;
      s.inFlight--;
      const ep = this.#endpoints.get(e.to);
      if (!ep) {
        s.unreachable++;
        this.#trace?.({ type: 'drop', at: this.#now, from: e.from, to: e.to, data: e.data, reason: 'unreachable' });
        continue;
      }
      s.delivered++;
      s.bytesDelivered += e.data.length;
      this.stats.delivered++;
      this.#trace?.({
        type: 'deliver', at: this.#now, from: e.from, to: e.to, data: e.data,
        sentAt: e.sentAt, corrupted: e.corrupted, reordered: e.reordered, duplicate: e.duplicate,
      });
      ep.handleDatagram(this.#now, e.from, e.data);
    }
  }

  #fireTimers(): void {
    for (const ep of this.#endpoints.values()) {
      const t = ep.pollTimeout();
      if (t === undefined || t > this.#now) continue;
      this.stats.timeouts++;
      this.#trace?.({ type: 'timeout', at: this.#now, address: ep.address });
      ep.handleTimeout(this.#now);
    }
  }

  #drainAll(): void {
    for (const ep of this.#endpoints.values()) {
      for (let d = ep.pollTransmit(this.#now); d; d = ep.pollTransmit(this.#now)) this.#send(d);
    }
  }

  #send(original: Datagram): void {
    const now = this.#now;
    this.stats.sent++;
    this.#trace?.({ type: 'send', at: now, from: original.from, to: original.to, data: original.data });
    let d = original;
    if (this.intercept) {
      const r = this.intercept(d, now);
      if (r === 'drop') {
        this.stats.intercepted++;
        this.#drop(d, 'intercepted');
        return;
      }
      if (r) d = r;
    }
    const link = this.#links.get(linkKey(d.from, d.to));
    if (!link) {
      this.stats.noRoute++;
      this.#drop(d, 'no-route');
      return;
    }
    const out = link.transmit(now, d.data);
    if (out.dropped) {
      this.#drop(d, out.dropped);
      return;
    }
    for (const c of out.copies) {
      link.stats.inFlight++;
      this.#queue.push({
        kind: 'deliver', at: c.at, seq: this.#seq++, link, from: d.from, to: d.to, data: c.data,
        sentAt: now, corrupted: c.corrupted, reordered: c.reordered, duplicate: c.duplicate,
      });
    }
  }

  #drop(d: Datagram, reason: DropReason): void {
    this.#trace?.({ type: 'drop', at: this.#now, from: d.from, to: d.to, data: d.data, reason });
  }
}
