/**
 * Which stream sends next: strict priority by urgency (0 most urgent … 7, default 3, as the HTTP
 * priority scheme of RFC 9218), then deficit round-robin among the streams of one urgency. Each
 * turn a stream gets a quantum of bytes; {@link Scheduler.next} says how many it may still send
 * (its budget), and {@link Scheduler.sent} moves it to the back of its level once the quantum is
 * spent. Streams that always have data and honour the budget therefore stay within one quantum of
 * each other, whatever sizes their frames have.
 *
 * The scheduler only orders streams; the connection asks it whenever a packet has room for
 * stream data, and tells it which streams have something to send ({@link Scheduler.ready}).
 *
 * @module
 */

/** Most urgent level. */
export const MIN_URGENCY = 0;
/** Least urgent level. */
export const MAX_URGENCY = 7;
/** The urgency of a stream nobody prioritised (RFC 9218 §4.1). */
export const DEFAULT_URGENCY = 3;
/** Default quantum: the bytes of stream data a packet of the smallest size carries, roughly. */
export const DEFAULT_QUANTUM = 1200;

interface Entry { urgency: number; deficit: number; queued: boolean }

function checkUrgency(u: number): number {
  if (!Number.isInteger(u) || u < MIN_URGENCY || u > MAX_URGENCY) throw new RangeError(`urgency must be an integer from ${MIN_URGENCY} to ${MAX_URGENCY}, got ${u}`);
  return u;
}

/** Orders the streams that have data to send. */
export class Scheduler {
  readonly quantum: number;
  readonly #entries = new Map<number, Entry>();
  readonly #levels: number[][] = Array.from({ length: MAX_URGENCY + 1 }, () => []);

  /** @param options.quantum bytes per turn (default {@link DEFAULT_QUANTUM}). */
  constructor(options: { quantum?: number } = {}) {
    const q = options.quantum ?? DEFAULT_QUANTUM;
    if (!Number.isSafeInteger(q) || q < 1) throw new RangeError(`quantum must be a positive integer, got ${q}`);
    this.quantum = q;
  }

  /** Streams known to the scheduler. */
  get size(): number { return this.#entries.size; }

  /** The urgency of stream `id`, if known. */
  urgencyOf(id: number): number | undefined { return this.#entries.get(id)?.urgency; }

  /** Registers stream `id` (no data yet) with an urgency; an existing one keeps its place. */
  add(id: number, urgency = DEFAULT_URGENCY): void {
    if (!this.#entries.has(id)) this.#entries.set(id, { urgency: checkUrgency(urgency), deficit: 0, queued: false });
  }

  /** Changes the urgency of stream `id`; if it is waiting, it moves to the back of its new level. */
  setUrgency(id: number, urgency: number): void {
    const e = this.#entry(id);
    if (e.urgency === checkUrgency(urgency)) return;
    const queued = e.queued;
    if (queued) this.#dequeue(id, e);
    e.urgency = urgency;
    e.deficit = 0;
    if (queued) this.#enqueue(id, e);
  }

  /** Stream `id` has data it can send now: it joins the back of its level (no effect when already waiting). */
  ready(id: number): void {
    const e = this.#entry(id);
    if (!e.queued) this.#enqueue(id, e);
  }

  /** Stream `id` is gone. */
  remove(id: number): void {
    const e = this.#entries.get(id);
    if (!e) return;
    if (e.queued) this.#dequeue(id, e);
    this.#entries.delete(id);
  }

  /**
   * The stream to send from now — the first waiting stream of the most urgent non-empty level —
   * and the bytes it may send in this turn (at least 1). Undefined when no stream is waiting.
   */
  next(): { id: number; budget: number } | undefined {
    for (const level of this.#levels) {
      if (!level.length) continue;
      const id = level[0];
      const e = this.#entries.get(id)!;
      if (e.deficit <= 0) e.deficit += this.quantum;
      if (e.deficit <= 0) {
        // Still in debt from overshooting: skip this turn.
        level.push(level.shift()!);
        return this.next();
      }
      return { id, budget: e.deficit };
    }
    return undefined;
  }

  /**
   * `bytes` were sent from stream `id` (as {@link next} gave it); `more` says whether it still has
   * data it can send now (false when it is done or blocked by flow control: call {@link ready}
   * again when that changes). Its turn ends when its budget is spent or it sent nothing.
   */
  sent(id: number, bytes: number, more: boolean): void {
    const e = this.#entry(id);
    if (!e.queued) return;
    e.deficit -= bytes;
    if (!more) {
      e.deficit = 0;
      this.#dequeue(id, e);
      return;
    }
    if (e.deficit <= 0 || bytes === 0) {
      const level = this.#levels[e.urgency];
      const i = level.indexOf(id);
      level.splice(i, 1);
      level.push(id);
      if (bytes === 0) e.deficit = 0;
    }
  }

  #entry(id: number): Entry {
    const e = this.#entries.get(id);
    if (!e) throw new RangeError(`stream ${id} is not scheduled (add it first)`);
    return e;
  }

  #enqueue(id: number, e: Entry): void {
    this.#levels[e.urgency].push(id);
    e.queued = true;
  }

  #dequeue(id: number, e: Entry): void {
    const level = this.#levels[e.urgency];
    level.splice(level.indexOf(id), 1);
    e.queued = false;
  }
}
