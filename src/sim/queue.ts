/**
 * The simulator's pending events: a binary min-heap ordered by time, ties broken by the order
 * of insertion (a sequence number), so events due at the same instant always come out in the
 * order they were scheduled — the determinism of the simulation depends on it.
 *
 * @module
 */

/** What the queue needs of an entry: its due time and insertion number. */
export interface Timed {
  readonly at: number;
  readonly seq: number;
}

const before = (a: Timed, b: Timed): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A min-heap of {@link Timed} entries. */
export class EventQueue<T extends Timed> {
  readonly #h: T[] = [];

  /** How many entries are pending. */
  get size(): number {
    return this.#h.length;
  }

  /** The earliest entry, not removed. */
  peek(): T | undefined {
    return this.#h[0];
  }

  push(e: T): void {
    const h = this.#h;
    let i = h.push(e) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const h = this.#h;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const c = l + 1 < h.length && before(h[l + 1], h[l]) ? l + 1 : l;
      if (!before(h[c], last)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
    return top;
  }

  /** Every pending entry, in no particular order. */
  values(): readonly T[] {
    return this.#h;
  }
}
