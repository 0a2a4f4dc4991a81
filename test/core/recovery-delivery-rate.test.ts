/**
 * src/core/recovery/delivery-rate.ts: the BBR draft's delivery-rate sampling computed by hand —
 * per-packet snapshots, the newest acknowledged packet choosing the sample, the interval as the
 * longer of send and ACK elapsed (ACK compression cannot inflate the rate), min_rtt filtering,
 * loss counters, and application-limited marking that ends when the bubble is delivered.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryRateEstimator } from '../../src/core/recovery/delivery-rate.ts';

test('snapshots on send: an idle connection starts the interval at the send time', () => {
  const c = new DeliveryRateEstimator();
  const p1 = c.onPacketSent(5, 1000, 0);
  assert.equal(p1, { delivered: 0, deliveredTime: 5, firstSentTime: 5, isAppLimited: false, txInFlight: 1000, lost: 0 });
  const p2 = c.onPacketSent(10, 1000, 1000); // not idle: no restart
  assert.equal(p2, { delivered: 0, deliveredTime: 5, firstSentTime: 5, isAppLimited: false, txInFlight: 2000, lost: 0 });
});

test('rate samples step by step: max(send_elapsed, ack_elapsed), the newest packet of each ACK', () => {
  const c = new DeliveryRateEstimator();
  const p1 = c.onPacketSent(0, 1000, 0);
  const p2 = c.onPacketSent(10, 1000, 1000);
  // ACK of P1 at 100: send_elapsed 0 − 0, ack_elapsed 100 − 0 → 1000 bytes / 100 ms = 10000 B/s.
  c.beginAck();
  c.onPacketAcked(100, 1, 0, 1000, p1);
  const s1 = c.generate(100, 100)!;
  assert.equal([s1.interval, s1.delivered, s1.deliveryRate, s1.sendElapsed, s1.ackElapsed, s1.rtt, s1.newlyAcked], [100, 1000, 10000, 0, 100, 100, 1000]);
  assert.is(c.delivered, 1000);
  assert.is(c.deliveredTime, 100);
  // P3 sent at 100 with P2 in flight: it snapshots delivered 1000 at 100, first_send_time 0 (P1's).
  const p3 = c.onPacketSent(100, 1000, 1000);
  assert.equal(p3, { delivered: 1000, deliveredTime: 100, firstSentTime: 0, isAppLimited: false, txInFlight: 2000, lost: 0 });
  // ACK of P2 at 110: send_elapsed 10 − 0, ack_elapsed 110 − 0 → 2000 bytes / 110 ms.
  c.beginAck();
  c.onPacketAcked(110, 2, 10, 1000, p2);
  const s2 = c.generate(110, 100)!;
  assert.equal([s2.interval, s2.delivered, s2.lastAckedPacketNumber], [110, 2000, 2]);
  assert.is(s2.deliveryRate, 2000_000 / 110);
  // ACK of P3 at 200: send_elapsed 100 − 0 = 100, ack_elapsed 200 − 100 = 100 → 2000 / 100 ms.
  c.beginAck();
  c.onPacketAcked(200, 3, 100, 1000, p3);
  const s3 = c.generate(200, 100)!;
  assert.equal([s3.interval, s3.delivered, s3.deliveryRate, s3.priorDelivered, s3.priorTime], [100, 2000, 20000, 1000, 100]);
  // Below min_rtt: no reliable rate (0), the sample is still reported.
  assert.is(c.generate(200, 150)!.deliveryRate, 0);
  // An ACK that delivered nothing has no sample.
  c.beginAck();
  assert.is(c.generate(210, 100), undefined);
});

test('a stretch ACK: the most recently sent packet sets the sample, whatever the processing order', () => {
  const c = new DeliveryRateEstimator();
  const a = c.onPacketSent(0, 1000, 0);
  const b = c.onPacketSent(20, 1000, 1000);
  const d = c.onPacketSent(20, 1000, 2000);
  c.beginAck();
  c.onPacketAcked(100, 12, 20, 1000, d);
  c.onPacketAcked(100, 10, 0, 1000, a); // older: ignored for the sample
  c.onPacketAcked(100, 11, 20, 1000, b); // same send time, smaller number: ignored
  const s = c.generate(100, 0)!;
  assert.is(s.lastAckedPacketNumber, 12);
  assert.is(s.newlyAcked, 3000);
  assert.is(s.txInFlight, 3000);
  // interval = max(send 20 − 0, ack 100 − 0) = 100; 3000 bytes → 30000 B/s
  assert.equal([s.interval, s.deliveryRate], [100, 30000]);
});

test('ACK compression cannot push the rate above the send rate (interval = send_elapsed)', () => {
  const c = new DeliveryRateEstimator();
  const a = c.onPacketSent(0, 1000, 0);
  const b = c.onPacketSent(10, 1000, 1000);
  // A's ACK was held back (aggregation) and arrives at 150: the knee is at 150, first_send_time 0.
  c.beginAck();
  c.onPacketAcked(150, 0, 0, 1000, a);
  c.generate(150, 0);
  const p = c.onPacketSent(150, 1000, 1000); // B still in flight: no idle restart
  assert.equal([p.deliveredTime, p.firstSentTime, p.delivered], [150, 0, 1000]);
  // B and P acknowledged together 10 ms later: ack rate 2000 B / 10 ms, send rate 2000 B / 150 ms.
  c.beginAck();
  c.onPacketAcked(160, 1, 10, 1000, b);
  c.onPacketAcked(160, 2, 150, 1000, p);
  const s = c.generate(160, 0)!;
  assert.equal([s.ackElapsed, s.sendElapsed, s.interval, s.delivered], [10, 150, 150, 2000]);
  assert.is(s.deliveryRate, 2000_000 / 150); // not 200000
});

test('losses: C.lost, RS.newly_lost and RS.lost = C.lost − P.lost', () => {
  const c = new DeliveryRateEstimator();
  c.onPacketSent(0, 1000, 0);
  c.onPacketLost(500); // lost before P2 was sent
  const p2 = c.onPacketSent(10, 1000, 1000);
  assert.is(p2.lost, 500);
  c.beginAck();
  c.onPacketLost(1000);
  c.onPacketAcked(100, 2, 10, 1000, p2);
  const s = c.generate(100, 0)!;
  assert.equal([c.lost, s.newlyLost, s.lost], [1500, 1000, 1000]);
});

test('application-limited: marked until the data in flight at the mark is delivered', () => {
  const c = new DeliveryRateEstimator();
  const p1 = c.onPacketSent(0, 1000, 0);
  c.markAppLimited(1000); // C.app_limited = delivered 0 + inflight 1000
  assert.is(c.isAppLimited, true);
  assert.is(c.appLimited, 1000);
  const p2 = c.onPacketSent(5, 1000, 1000);
  assert.is(p1.isAppLimited, false);
  assert.is(p2.isAppLimited, true);
  c.beginAck();
  c.onPacketAcked(50, 1, 0, 1000, p1);
  assert.is(c.generate(50, 0)!.isAppLimited, false); // P1 was sent before the bubble
  assert.is(c.isAppLimited, true); // delivered 1000 is not > 1000 yet
  c.beginAck();
  c.onPacketAcked(60, 2, 5, 1000, p2);
  assert.is(c.generate(60, 0)!.isAppLimited, true);
  assert.is(c.isAppLimited, false); // the bubble is gone
  // the mark is never 0 (0 means "not limited")
  const idle = new DeliveryRateEstimator();
  idle.markAppLimited(0);
  assert.is(idle.appLimited, 1);
});

test.run();
