/**
 * src/core/recovery/sent.ts: the outstanding-packet store against a Map model (fast-check) —
 * sends with skipped numbers, ACK ranges that span numbers never stored, removals, compaction —
 * and the acknowledged-number memory persistent congestion relies on.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SentPackets, type SentPacket } from '../../src/core/recovery/sent.ts';
import { ProtocolViolationError } from '../../src/gen/errors.ts';

function packet(pn: number, ackEliciting = true, bytes = 100): SentPacket<number> {
  return { packetNumber: pn, timeSent: pn, bytes, ackEliciting, inFlight: ackEliciting || pn % 3 === 0, frames: [pn], delivery: undefined };
}

test('agrees with a Map model through sends, ACKs, removals and compaction (fast-check)', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), skip: fc.integer({ min: 0, max: 2 }), ackEliciting: fc.boolean(), count: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('ack' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ kind: fc.constant('remove' as const), a: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const s = new SentPackets<number>();
      const model = new Map<number, SentPacket<number>>();
      let next = 0;
      for (const o of ops) {
        if (o.kind === 'send') {
          for (let i = 0; i < o.count; i++) {
            next += o.skip === 2 ? 1 : 0; // a gap in numbering (not declared skipped)
            const p = packet(next++, o.ackEliciting);
            s.add(p);
            model.set(p.packetNumber, p);
          }
        } else if (o.kind === 'ack' && next > 0) {
          const hi = o.a % next;
          const lo = Math.max(0, hi - (o.b % 50));
          const acked = s.onAck([{ start: lo, end: hi }]);
          const expected = [...model.keys()].filter((pn) => pn >= lo && pn <= hi).sort((x, y) => x - y);
          assert.equal(acked.map((p) => p.packetNumber), expected);
          for (const pn of expected) model.delete(pn);
          assert.is(s.ackedBetween(lo, hi), true);
        } else if (o.kind === 'remove' && next > 0) {
          const pn = o.a % next;
          assert.is(s.remove(pn)?.packetNumber, model.has(pn) ? pn : undefined);
          model.delete(pn);
        }
        const live = [...model.values()].sort((x, y) => x.packetNumber - y.packetNumber);
        assert.equal(s.upTo(Number.MAX_SAFE_INTEGER).map((p) => p.packetNumber), live.map((p) => p.packetNumber));
        assert.is(s.size, live.length);
        assert.is(s.bytesInFlight, live.filter((p) => p.inFlight).reduce((n, p) => n + p.bytes, 0));
        assert.is(s.ackElicitingInFlight, live.filter((p) => p.ackEliciting).length);
      }
    }),
    { numRuns: 200 },
  );
});

test('acknowledged numbers are remembered for persistent congestion; never-sent numbers are violations', () => {
  const s = new SentPackets<number>();
  for (let pn = 0; pn < 10; pn++) s.add(packet(pn));
  s.skip(10);
  s.add(packet(11));
  assert.is(s.largestSent, 11);
  s.onAck([{ start: 7, end: 8 }, { start: 2, end: 3 }]);
  assert.is(s.ackedBetween(4, 6), false);
  assert.is(s.ackedBetween(4, 7), true);
  assert.is(s.ackedBetween(0, 1), false);
  assert.is(s.ackedBetween(5, 4), false);
  assert.throws(() => s.onAck([{ start: 12, end: 12 }]), (e: unknown) => e instanceof ProtocolViolationError);
  assert.throws(() => s.onAck([{ start: 9, end: 11 }]), (e: unknown) => e instanceof ProtocolViolationError && /skipped/.test((e as Error).message));
  assert.throws(() => s.add(packet(11)), RangeError);
  assert.throws(() => s.add({ ...packet(12), inFlight: false }), /in flight/);
  assert.is(s.timeOfLastAckEliciting, 11);
  assert.equal(s.removeAll((p) => p.packetNumber % 2 === 0).map((p) => p.packetNumber), [0, 4, 6]);
});

test.run();
