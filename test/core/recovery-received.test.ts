/**
 * src/core/recovery/received.ts: the receiver side of RFC 9000 §13.2 — duplicates and the floor
 * of dropped ranges (against a model, fast-check), when an ACK is due (max_ack_delay, every
 * second ack-eliciting packet, reordering, gaps, ECN-CE, immediate spaces), the ACK frame built
 * (ranges, ACK Delay, ECN counts) through the generated codec, and §13.2.4 trimming.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ackFrameRanges } from '../../src/core/recovery/ack-frame.ts';
import { ReceivedPackets, type ReceiveVerdict } from '../../src/core/recovery/received.ts';
import type { PacketRange } from '../../src/core/recovery/ranges.ts';
import { DEFAULT_ACK_DELAY_EXPONENT, DEFAULT_MAX_ACK_DELAY, MAX_ACK_RANGES } from '../../src/gen/constants.ts';
import { decodeFrame, encodeFrame, type AckFrame } from '../../src/gen/frames.ts';

function expand(ranges: readonly PacketRange[]): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let n = r.start; n <= r.end; n++) out.push(n);
  return out.sort((a, b) => a - b);
}

/** Encodes and decodes the frame with the generated codec, then reads its ranges back. */
function viaCodec(frame: AckFrame): number[] {
  return expand(ackFrameRanges(decodeFrame(encodeFrame(frame)) as AckFrame));
}

test('defaults come from the spec constants; Initial and Handshake acknowledge at once', () => {
  const app = ReceivedPackets.forSpace('application');
  assert.is(app.maxAckDelay, DEFAULT_MAX_ACK_DELAY);
  assert.is(app.ackDelayExponent, DEFAULT_ACK_DELAY_EXPONENT);
  assert.is(app.maxRanges, MAX_ACK_RANGES + 1);
  assert.is(ReceivedPackets.forSpace('initial', { maxAckDelay: 25 }).maxAckDelay, 0);
  assert.is(ReceivedPackets.forSpace('handshake').maxAckDelay, 0);
  const hs = ReceivedPackets.forSpace('handshake');
  hs.onPacketReceived(7, 0, true);
  assert.is(hs.ackDeadline, 7);
  assert.throws(() => new ReceivedPackets({ maxRanges: MAX_ACK_RANGES + 2 }), /max_ack_ranges/);
  assert.throws(() => new ReceivedPackets({ maxAckDelay: 20000 }), /max_max_ack_delay/);
  assert.throws(() => new ReceivedPackets({ ackDelayExponent: 21 }), /max_ack_delay_exponent/);
});

test('ACK due: max_ack_delay for the first, at once for the second ack-eliciting packet; non-ack-eliciting never sets it', () => {
  const r = new ReceivedPackets({ maxAckDelay: 25 });
  assert.is(r.ackDeadline, undefined);
  assert.is(r.onPacketReceived(0, 0, true), 'new');
  assert.is(r.ackDeadline, 25);
  assert.is(r.onPacketReceived(5, 1, true), 'new');
  assert.is(r.ackDeadline, 5); // §13.2.2: after two ack-eliciting packets
  r.onAckSent();
  assert.is(r.ackDeadline, undefined);
  assert.is(r.hasUnreported, false);
  r.onPacketReceived(10, 2, false); // not ack-eliciting: rides along, no deadline
  assert.is(r.ackDeadline, undefined);
  assert.is(r.hasUnreported, true);
  r.onPacketReceived(12, 3, true);
  assert.is(r.ackDeadline, 37);
  r.onPacketReceived(30, 4, false);
  assert.is(r.ackDeadline, 37); // unchanged
  // a threshold of 3 waits for the third
  const t = new ReceivedPackets({ maxAckDelay: 25, ackElicitingThreshold: 3 });
  t.onPacketReceived(0, 0, true);
  t.onPacketReceived(1, 1, true);
  assert.is(t.ackDeadline, 25);
  t.onPacketReceived(2, 2, true);
  assert.is(t.ackDeadline, 2);
});

test('ACK due at once: reordered below the largest ack-eliciting packet, a gap above it, ECN-CE', () => {
  const r = new ReceivedPackets({ maxAckDelay: 25, ackElicitingThreshold: 100 });
  r.onPacketReceived(0, 0, true);
  assert.is(r.ackDeadline, 25);
  r.onAckSent();
  r.onPacketReceived(1, 1, false); // 1 arrived, not ack-eliciting
  r.onPacketReceived(2, 2, true); // 0 and 1 present below: no gap
  assert.is(r.ackDeadline, 27);
  r.onAckSent();
  r.onPacketReceived(3, 5, true); // 3 and 4 missing: a gap
  assert.is(r.ackDeadline, 3);
  r.onAckSent();
  r.onPacketReceived(4, 4, true); // below the largest ack-eliciting (5): reordered
  assert.is(r.ackDeadline, 4);
  r.onAckSent();
  r.onPacketReceived(5, 6, true);
  assert.is(r.ackDeadline, 30);
  r.onAckSent();
  r.onPacketReceived(6, 7, true, 'ce'); // CE: at once
  assert.is(r.ackDeadline, 6);
  r.onAckSent();
  r.onPacketReceived(7, 8, true, 'ect0');
  assert.is(r.ackDeadline, 32);
});

test('duplicates are refused and change nothing (counts, deadline, ECN)', () => {
  const r = new ReceivedPackets({ maxAckDelay: 25 });
  r.onPacketReceived(0, 4, true, 'ect0');
  r.onAckSent();
  assert.is(r.onPacketReceived(1, 4, true, 'ce'), 'duplicate');
  assert.is(r.ackDeadline, undefined);
  assert.equal(r.ecnCounts, { ect0: 1, ect1: 0, ecnCe: 0 });
  assert.is(r.check(4), 'duplicate');
  assert.is(r.check(3), 'new');
  assert.throws(() => r.check(-1), RangeError);
  assert.throws(() => r.check(1.5), RangeError);
});

test('the ACK frame: ranges largest first, ACK Delay from the largest packet, ECN counts; through the codec', () => {
  const r = new ReceivedPackets({ maxAckDelay: 25, ackDelayExponent: 3 });
  assert.is(r.buildAck(0), undefined);
  for (const pn of [1, 5, 6, 7, 10, 11, 12]) r.onPacketReceived(100, pn, true);
  r.onPacketReceived(100.4, 9, true, 'ect1'); // not the largest: the delay still runs from 12's arrival
  const frame = r.buildAck(101.6)!;
  assert.equal(frame, { type: 'ack', largestAcknowledged: 12, ackDelay: 200, firstAckRange: 3, ackRanges: [{ gap: 0, length: 2 }, { gap: 2, length: 0 }], ecn: { ect0: 0, ect1: 1, ecnCe: 0 } });
  assert.equal(viaCodec(frame), [1, 5, 6, 7, 9, 10, 11, 12]);
  // fewer ranges to fit a packet: the newest are kept
  assert.equal(expand(ackFrameRanges(r.buildAck(101.6, 2)!)), [5, 6, 7, 9, 10, 11, 12]);
  // building is side-effect free
  assert.is(r.hasUnreported, true);
  assert.is(r.ackDeadline, 100);
});

test('§13.2.3 bound: past maxRanges the oldest range goes and the floor rises; below it is too_old', () => {
  const r = new ReceivedPackets({ maxRanges: 3 });
  for (const pn of [0, 2, 4]) assert.is(r.onPacketReceived(0, pn, false), 'new');
  assert.is(r.floor, 0);
  assert.is(r.onPacketReceived(0, 6, false), 'new'); // 4 ranges: [0] goes
  assert.equal(r.ranges(), [{ start: 6, end: 6 }, { start: 4, end: 4 }, { start: 2, end: 2 }]);
  assert.is(r.floor, 2);
  assert.is(r.check(0), 'too_old'); // received, forgotten: must not be accepted again
  assert.is(r.check(1), 'too_old');
  assert.is(r.onPacketReceived(0, 3, false), 'new'); // fills a gap: 2–4 merge
  assert.equal(r.ranges(), [{ start: 6, end: 6 }, { start: 2, end: 4 }]);
});

test('bounded ranges agree with a model of sets and a rising floor (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 150 }), fc.integer({ min: 1, max: 6 }), (pns, maxRanges) => {
      const r = new ReceivedPackets({ maxRanges });
      const held = new Set<number>();
      let floor = 0;
      for (const pn of pns) {
        let expected: ReceiveVerdict;
        if (pn < floor) expected = 'too_old';
        else if (held.has(pn)) expected = 'duplicate';
        else {
          expected = 'new';
          held.add(pn);
          // drop whole lowest runs while there are too many
          for (;;) {
            const sorted = [...held].sort((a, b) => a - b);
            const runs = sorted.filter((n, i) => i === 0 || sorted[i - 1] !== n - 1).length;
            if (runs <= maxRanges) break;
            let n = sorted[0];
            while (held.has(n)) held.delete(n++);
            floor = Math.min(...held);
          }
        }
        assert.is(r.onPacketReceived(0, pn, true), expected, `pn ${pn}`);
      }
      const reported = r.buildAck(1);
      assert.equal(reported ? viaCodec(reported) : [], [...held].sort((a, b) => a - b));
    }),
    { numRuns: 300 },
  );
});

test('any set of packet numbers → ACK frame → codec → the same set, within the range limit (fast-check)', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 4000 }), { maxLength: 400 }), (pns) => {
      const r = new ReceivedPackets();
      for (const pn of pns) assert.is(r.onPacketReceived(0, pn, false), 'new');
      const frame = r.buildAck(0);
      if (pns.length === 0) return assert.is(frame, undefined);
      const sorted = [...pns].sort((a, b) => a - b);
      const runs = sorted.filter((n, i) => i === 0 || sorted[i - 1] !== n - 1).length;
      if (runs <= MAX_ACK_RANGES + 1) assert.equal(viaCodec(frame!), sorted);
      else assert.ok(frame!.ackRanges.length === MAX_ACK_RANGES); // bounded: the newest ranges only
    }),
    { numRuns: 200 },
  );
});

test('§13.2.4: once our ACK with largest L is acknowledged, numbers up to L are no longer reported (still duplicates)', () => {
  const r = new ReceivedPackets();
  for (const pn of [0, 1, 2, 5, 6]) r.onPacketReceived(0, pn, true);
  r.onAckSent();
  r.onAckFrameAcked(5);
  assert.equal(r.buildAck(0)!.largestAcknowledged, 6);
  assert.equal(expand(ackFrameRanges(r.buildAck(0)!)), [6]);
  assert.is(r.check(1), 'duplicate');
  r.onAckFrameAcked(6);
  assert.is(r.buildAck(0), undefined);
  assert.is(r.onPacketReceived(1, 3, true), 'new'); // a late packet below the trim: processed, not reported
  assert.is(r.buildAck(1), undefined);
  r.onPacketReceived(2, 9, true);
  assert.equal(expand(ackFrameRanges(r.buildAck(2)!)), [9]);
});

test.run();
