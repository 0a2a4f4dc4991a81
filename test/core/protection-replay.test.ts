/**
 * src/core/protection/replay.ts: the sliding replay window against a Set-based model
 * (fast-check), and its edges: the spec's REPLAY_WINDOW, the oldest number still tracked, jumps
 * larger than the ring, and the ring's reuse of bits.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ReplayWindow, type ReplayVerdict } from '../../src/core/protection/replay.ts';
import { REPLAY_WINDOW } from '../../src/gen/crypto.ts';

/**
 * The model: every accepted number in a Set; "too old" = more than `size` below the largest,
 * whether or not it was seen (a window cannot tell, and need not: both are refused).
 */
class Model {
  readonly seen = new Set<number>();
  largest = -1;
  constructor(readonly size: number) {}
  accept(pn: number): ReplayVerdict {
    if (this.largest >= 0 && this.largest - pn > this.size) return 'too_old';
    if (this.seen.has(pn)) return 'duplicate';
    this.seen.add(pn);
    this.largest = Math.max(this.largest, pn);
    return 'new';
  }
}

test('default size is the spec REPLAY_WINDOW (4096)', () => {
  assert.is(new ReplayWindow().size, REPLAY_WINDOW);
  assert.is(REPLAY_WINDOW, 4096);
});

test('duplicates are refused; numbers up to exactly size below the largest are tracked, older ones refused', () => {
  const w = new ReplayWindow();
  assert.is(w.largest, undefined);
  assert.is(w.accept(10_000), 'new');
  assert.is(w.accept(10_000), 'duplicate');
  assert.is(w.largest, 10_000);
  assert.is(w.check(10_000 - 4096), 'new');
  assert.is(w.accept(10_000 - 4096), 'new');
  assert.is(w.accept(10_000 - 4096), 'duplicate');
  assert.is(w.accept(10_000 - 4097), 'too_old');
  assert.is(w.accept(0), 'too_old');
  assert.is(w.accept(9_999), 'new');
  assert.is(w.check(9_999), 'duplicate');
  // a jump far beyond the ring forgets everything below the new window
  assert.is(w.accept(10_000_000), 'new');
  assert.is(w.accept(10_000_000 - 4096), 'new');
  assert.is(w.accept(9_999), 'too_old');
  // the ring reuses bits: numbers exactly one ring apart are not confused
  const v = new ReplayWindow(32);
  for (let pn = 0; pn < 200; pn++) assert.is(v.accept(pn), 'new', `pn ${pn}`);
  for (let pn = 200 - 33; pn < 200; pn++) assert.is(v.accept(pn), 'duplicate', `pn ${pn}`);
  assert.is(v.accept(200 - 34), 'too_old');
});

test('check() does not record; bad numbers are a RangeError', () => {
  const w = new ReplayWindow(64);
  assert.is(w.check(5), 'new');
  assert.is(w.check(5), 'new');
  assert.is(w.largest, undefined);
  assert.throws(() => w.check(-1), RangeError);
  assert.throws(() => w.accept(2 ** 53), RangeError);
  assert.throws(() => new ReplayWindow(0), RangeError);
});

test('agrees with the Set model on random sequences (fast-check), window sizes 1..300 and 4096', () => {
  const pns = (span: number) => fc.array(fc.oneof(
    fc.integer({ min: 0, max: span }), // anywhere
    fc.integer({ min: -40, max: 40 }), // near the current largest (made relative below)
  ), { maxLength: 400 });
  // check() then accept() against the model, near the largest and anywhere
  fc.assert(fc.property(fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constant(4096)), fc.integer({ min: 100, max: 100_000 }),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: -400, max: 40 }).map((d) => ({ d }))), { maxLength: 400 }),
    (size, span, seq) => {
      const w = new ReplayWindow(size), m = new Model(size);
      for (const x of seq) {
        const pn = typeof x === 'number' ? x % (span + 1) : Math.max(0, m.largest + x.d);
        const before = w.check(pn);
        const verdict = m.accept(pn);
        assert.is(before, verdict, `check ${pn}`);
        assert.is(w.accept(pn), verdict, `accept ${pn}`);
      }
    }), { numRuns: 200 });
  // accept() against the model, verdict by verdict
  fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 500 }), (size, seq) => {
    const w = new ReplayWindow(size), m = new Model(size);
    for (const pn of seq) assert.is(w.accept(pn), m.accept(pn), `pn ${pn}`);
    assert.is(w.largest, m.largest < 0 ? undefined : m.largest);
  }), { numRuns: 300 });
  // mostly increasing with reordering and duplicates, as on a real path
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 60 }), fc.boolean()), { maxLength: 2000 }),
    (steps) => {
      const w = new ReplayWindow(), m = new Model(REPLAY_WINDOW);
      let next = 0;
      for (const [gap, back, dup] of steps) {
        next += gap * 1000; // some jumps beyond the 4096 window
        const pn = dup ? Math.max(0, next - back) : next++;
        assert.is(w.accept(pn), m.accept(pn), `pn ${pn}`);
      }
    }), { numRuns: 100 });
});

test.run();
