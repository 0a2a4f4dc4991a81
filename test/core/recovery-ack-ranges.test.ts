/**
 * src/core/recovery/ranges.ts and ack-frame.ts: the RangeSet against a Set model, ACK frame
 * values ↔ ranges exactly as RFC 9000 §19.3.1 lays them out (a hand-encoded example), round trips
 * through the generated codec (encodeFrame / decodeFrame), and the FRAME_ENCODING_ERROR of ranges
 * below 0.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ackFrameFromRanges, ackFrameRanges, AckRangeError, decodeAckDelay, encodeAckDelay } from '../../src/core/recovery/ack-frame.ts';
import { RangeSet, type PacketRange } from '../../src/core/recovery/ranges.ts';
import { MAX_ACK_RANGES } from '../../src/gen/constants.ts';
import { ErrorCode, FrameEncodingError } from '../../src/gen/errors.ts';
import { decodeFrame, encodeFrame, type AckFrame } from '../../src/gen/frames.ts';

/** The numbers of `ranges`, ascending. */
function expand(ranges: readonly PacketRange[]): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let n = r.start; n <= r.end; n++) out.push(n);
  return out.sort((a, b) => a - b);
}

/** The maximal runs of a sorted unique list, largest first. */
function runsDescending(sorted: readonly number[]): PacketRange[] {
  const out: PacketRange[] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last.end + 1 === n) out[out.length - 1] = { start: last.start, end: n };
    else out.push({ start: n, end: n });
  }
  return out.reverse();
}

test('RangeSet: merges touching and overlapping ranges, answers has/intersects/rangeOf', () => {
  const s = new RangeSet();
  assert.is(s.insert(5), true);
  assert.is(s.insert(5), false);
  assert.is(s.insert(7), true);
  assert.equal(s.ascending(), [{ start: 5, end: 5 }, { start: 7, end: 7 }]);
  assert.is(s.insert(6), true); // touches both: one range
  assert.equal(s.ascending(), [{ start: 5, end: 7 }]);
  assert.is(s.insert(1, 3), true);
  assert.is(s.insert(10, 20), true);
  assert.is(s.insert(2, 12), true); // swallows [1,3], [5,7], joins [10,20]
  assert.equal(s.ascending(), [{ start: 1, end: 20 }]);
  assert.is(s.insert(4, 9), false);
  s.insert(30, 31);
  assert.equal(s.descending(), [{ start: 30, end: 31 }, { start: 1, end: 20 }]);
  assert.equal(s.descending(1), [{ start: 30, end: 31 }]);
  assert.is(s.intersects(21, 29), false);
  assert.is(s.intersects(21, 30), true);
  assert.is(s.intersects(5, 4), false);
  assert.equal(s.rangeOf(15), { start: 1, end: 20 });
  assert.is(s.rangeOf(25), undefined);
  s.removeBelow(10);
  assert.equal(s.ascending(), [{ start: 10, end: 20 }, { start: 30, end: 31 }]);
  assert.equal(s.shift(), { start: 10, end: 20 });
  assert.is(s.min, 30);
  assert.is(s.max, 31);
  assert.throws(() => s.insert(-1), RangeError);
  assert.throws(() => s.insert(3, 2), RangeError);
});

test('RangeSet: agrees with a Set model on any insertions (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 6 })), { maxLength: 80 }), fc.integer({ min: 0, max: 310 }), (ops, cut) => {
      const s = new RangeSet();
      const model = new Set<number>();
      for (const [lo, len] of ops) {
        let fresh = false;
        for (let n = lo; n <= lo + len; n++) if (!model.has(n)) (fresh = true), model.add(n);
        assert.is(s.insert(lo, lo + len), fresh);
      }
      const sorted = [...model].sort((a, b) => a - b);
      assert.equal(s.descending(), runsDescending(sorted));
      for (let n = 0; n < 310; n++) assert.is(s.has(n), model.has(n));
      s.removeBelow(cut);
      assert.equal(expand(s.ascending()), sorted.filter((n) => n >= cut));
    }),
  );
});

test('RFC 9000 §19.3.1 by hand: ranges 10–12, 5–7, 1 → largest 12, first range 2, (gap 1, length 2), (gap 2, length 0)', () => {
  const ranges = [{ start: 10, end: 12 }, { start: 5, end: 7 }, { start: 1, end: 1 }];
  const frame = ackFrameFromRanges(ranges, 0);
  assert.equal(frame, { type: 'ack', largestAcknowledged: 12, ackDelay: 0, firstAckRange: 2, ackRanges: [{ gap: 1, length: 2 }, { gap: 2, length: 0 }], ecn: undefined });
  // type 0x02, largest 12, delay 0, range count 2, first range 2, gap 1, length 2, gap 2, length 0
  assert.equal([...encodeFrame(frame)], [0x02, 0x0c, 0x00, 0x02, 0x02, 0x01, 0x02, 0x02, 0x00]);
  assert.equal(ackFrameRanges(frame), ranges);
  // gap 0 = exactly one missing number
  assert.equal(ackFrameFromRanges([{ start: 3, end: 3 }, { start: 1, end: 1 }], 0).ackRanges, [{ gap: 0, length: 0 }]);
  // with ECN counts: type 0x03
  const ecn = ackFrameFromRanges([{ start: 0, end: 0 }], 5, { ect0: 1, ect1: 0, ecnCe: 2 });
  assert.equal([...encodeFrame(ecn)], [0x03, 0x00, 0x05, 0x00, 0x00, 0x01, 0x00, 0x02]);
});

test('ackFrameFromRanges refuses misuse: empty, unsorted, touching, too many ranges', () => {
  assert.throws(() => ackFrameFromRanges([], 0), RangeError);
  assert.throws(() => ackFrameFromRanges([{ start: 1, end: 1 }, { start: 5, end: 5 }], 0), RangeError);
  assert.throws(() => ackFrameFromRanges([{ start: 3, end: 4 }, { start: 1, end: 2 }], 0), RangeError); // touching: one range
  const many = Array.from({ length: MAX_ACK_RANGES + 2 }, (_, i) => ({ start: 2 * (MAX_ACK_RANGES + 2 - i), end: 2 * (MAX_ACK_RANGES + 2 - i) }));
  assert.throws(() => ackFrameFromRanges(many, 0), /at most max_ack_ranges \+ 1/);
  assert.not.throws(() => ackFrameFromRanges(many.slice(1), 0));
});

test('a range below 0 is an AckRangeError with FRAME_ENCODING_ERROR, naming the range and field', () => {
  const check = (frame: AckFrame, rangeIndex: number, field: string) => {
    try {
      ackFrameRanges(frame);
      assert.unreachable('should throw');
    } catch (e) {
      assert.instance(e, AckRangeError);
      assert.instance(e, FrameEncodingError);
      assert.is((e as AckRangeError).code, ErrorCode.FRAME_ENCODING_ERROR);
      assert.is((e as AckRangeError).rangeIndex, rangeIndex);
      assert.is((e as AckRangeError).field, field);
    }
  };
  check({ type: 'ack', largestAcknowledged: 3, ackDelay: 0, firstAckRange: 4, ackRanges: [] }, -1, 'first_ack_range');
  // first range 5–10; gap 3 puts the next largest at 5 − 3 − 2 = 0, length 1 reaches −1
  check({ type: 'ack', largestAcknowledged: 10, ackDelay: 0, firstAckRange: 5, ackRanges: [{ gap: 3, length: 1 }] }, 0, 'length');
  // gap 4: next largest 5 − 4 − 2 = −1
  check({ type: 'ack', largestAcknowledged: 10, ackDelay: 0, firstAckRange: 5, ackRanges: [{ gap: 0, length: 0 }, { gap: 4, length: 0 }] }, 1, 'gap');
  // the boundary: reaching exactly 0 is fine
  assert.equal(ackFrameRanges({ type: 'ack', largestAcknowledged: 10, ackDelay: 0, firstAckRange: 5, ackRanges: [{ gap: 3, length: 0 }] }), [{ start: 5, end: 10 }, { start: 0, end: 0 }]);
  // the generated decoder already refuses the first-range case on the wire (frames.ack.first-range)
  assert.throws(() => decodeFrame(new Uint8Array([0x02, 0x03, 0x00, 0x00, 0x04])), /first_ack_range <= largest_acknowledged/);
});

test('any ranges → ACK frame → encodeFrame → decodeFrame → ackFrameRanges → the same ranges (fast-check)', () => {
  const rangesArb = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: MAX_ACK_RANGES + 1 })
    .chain((steps) => fc.integer({ min: 0, max: 2 ** 40 }).map((base) => ({ steps, base })))
    .map(({ steps, base }) => {
      // ascending: each range starts at least 2 above the previous end (a gap of >= 1 number)
      const out: PacketRange[] = [];
      let next = base;
      for (const [gap, len] of steps) {
        const start = next + (out.length === 0 ? 0 : gap + 1);
        out.push({ start, end: start + len });
        next = start + len + 1;
      }
      return out.reverse();
    });
  fc.assert(
    fc.property(rangesArb, fc.integer({ min: 0, max: 2 ** 30 }), fc.option(fc.record({ ect0: fc.nat(), ect1: fc.nat(), ecnCe: fc.nat() }), { nil: undefined }), (ranges, delay, ecn) => {
      const frame = ackFrameFromRanges(ranges, delay, ecn);
      const decoded = decodeFrame(encodeFrame(frame));
      assert.equal(decoded, frame);
      assert.equal(ackFrameRanges(decoded as AckFrame), ranges);
    }),
    { numRuns: 200 },
  );
});

test('ACK Delay: microseconds shifted by the exponent, truncated; decoding multiplies back', () => {
  assert.is(encodeAckDelay(1.6, 3), 200); // 1600 µs / 8
  assert.is(encodeAckDelay(0.992, 5), 31); // 992 µs / 32 = 31
  assert.is(encodeAckDelay(0.999, 3), 124); // 999 / 8 = 124.875 → 124 (never more delay than taken)
  assert.is(encodeAckDelay(-5, 3), 0);
  assert.is(decodeAckDelay(31, 5), 0.992);
  assert.is(decodeAckDelay(200, 3), 1.6);
  assert.is(decodeAckDelay(1, 20), 1048.576);
  assert.throws(() => encodeAckDelay(1, 21), /max_ack_delay_exponent/);
  assert.throws(() => decodeAckDelay(1, -1), RangeError);
});

test.run();
