/**
 * src/core/recovery/pacer.ts: the token bucket of RFC 9002 §7.7 with hand-computed numbers
 * (quinn's pacing test case), the burst clamps, a controller-given pacing rate, and the property
 * that matters to an event loop: the time it returns is one at which sending is allowed, so a
 * sender that sleeps until then never spins.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Pacer } from '../../src/core/recovery/pacer.ts';

test('window 2 MB, RTT 50 ms, 1000-byte datagrams: a burst of 80 datagrams, then 1.6 ms to refill', () => {
  const input = { window: 2_000_000, smoothedRtt: 50 };
  const p = new Pacer(0, input, { maxDatagramSize: 1000 });
  // capacity = window · 2 ms / RTT = 80000 bytes; fill rate = 1.25 · window / RTT = 50000 B/ms.
  assert.is(p.capacity, 80_000);
  assert.is(p.tokens, 80_000);
  for (let i = 0; i < 80; i++) {
    assert.is(p.nextSendTime(0, 1000, input), 0, `datagram ${i}`);
    p.onPacketSent(0, 1000);
  }
  // empty: the next send waits for a full burst, 80000 / 50000 = 1.6 ms (= 2 ms · 4/5).
  assert.is(p.nextSendTime(0, 1000, input), 1.6);
  // halfway, half a burst is there: send at once
  assert.is(p.nextSendTime(0.8, 1000, input), 0.8);
  assert.is(p.tokens, 40_000);
  for (let i = 0; i < 40; i++) p.onPacketSent(0.8, 1000);
  assert.ok(Math.abs(p.nextSendTime(0.8, 1000, input) - 2.4) < 1e-9); // 0.8 + 1.6
  // waiting longer than a burst does not store more than a burst
  p.nextSendTime(100, 1000, input);
  assert.is(p.tokens, 80_000);
});

test('burst clamps: at least 10 datagrams, at most 256; no RTT yet → no pacing', () => {
  assert.is(new Pacer(0, { window: 12_000, smoothedRtt: 100 }, { maxDatagramSize: 1200 }).capacity, 12_000); // 240 B → 10 · 1200
  assert.is(new Pacer(0, { window: 1e9, smoothedRtt: 1 }, { maxDatagramSize: 1200 }).capacity, 256 * 1200);
  const p = new Pacer(0, { window: 12_000, smoothedRtt: 0 }, { maxDatagramSize: 1200 });
  for (let i = 0; i < 1000; i++) p.onPacketSent(0, 1200);
  assert.is(p.nextSendTime(0, 1200, { window: 12_000, smoothedRtt: 0 }), 0);
  assert.throws(() => new Pacer(0, { window: 1, smoothedRtt: 1 }, { maxDatagramSize: 0 }), RangeError);
  assert.throws(() => new Pacer(0, { window: 1, smoothedRtt: 1 }, { maxDatagramSize: 1200, rateMultiplier: 0.5 }), RangeError);
});

test('a controller pacing rate (BBR) replaces window / RTT', () => {
  // 12 MB/s = 12000 B/ms: capacity 24000 (2 ms), fill 12000 B/ms, whatever the window says.
  const input = { window: 1_000_000, smoothedRtt: 10, pacingRate: 12_000_000 };
  const p = new Pacer(0, input, { maxDatagramSize: 1200 });
  assert.is(p.capacity, 24_000);
  for (let i = 0; i < 20; i++) p.onPacketSent(0, 1200);
  assert.is(p.nextSendTime(0, 1200, input), 2);
});

test('the window shrinking clamps the tokens to the new burst', () => {
  const p = new Pacer(0, { window: 2_000_000, smoothedRtt: 50 }, { maxDatagramSize: 1000 });
  p.nextSendTime(0, 1000, { window: 1_000_000, smoothedRtt: 50 });
  assert.is(p.capacity, 40_000);
  assert.is(p.tokens, 40_000);
});

test('a datagram larger than a whole burst goes when the bucket is full (no deadlock)', () => {
  const input = { window: 12_000, smoothedRtt: 100 };
  const p = new Pacer(0, input, { maxDatagramSize: 1200, minBurstDatagrams: 1, maxBurstDatagrams: 1 });
  assert.is(p.capacity, 1200);
  p.onPacketSent(0, 1200);
  const t = p.nextSendTime(0, 5000, input);
  assert.ok(t > 0);
  assert.is(p.nextSendTime(t, 5000, input), t);
});

test('never spins: asking again at the returned time allows the send (fast-check)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2400, max: 50_000_000 }),
      fc.double({ min: 0.05, max: 2000, noNaN: true }),
      fc.integer({ min: 1200, max: 9000 }),
      fc.array(fc.tuple(fc.double({ min: 0, max: 5, noNaN: true }), fc.integer({ min: 1, max: 9000 })), { minLength: 1, maxLength: 60 }),
      (window, smoothedRtt, mds, steps) => {
        const input = { window, smoothedRtt };
        const p = new Pacer(0, input, { maxDatagramSize: mds });
        let now = 0;
        for (const [advance, bytes] of steps) {
          now += advance;
          const t = p.nextSendTime(now, bytes, input);
          assert.ok(t >= now);
          if (t > now) {
            assert.is(p.nextSendTime(t, bytes, input), t, 'the returned time allows the send');
            now = t;
          }
          p.onPacketSent(now, bytes);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test.run();
