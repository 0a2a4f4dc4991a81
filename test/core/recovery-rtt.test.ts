/**
 * src/core/recovery/rtt.ts: RFC 9002 §5 step by step with hand-computed values (every number
 * below is a dyadic fraction, so equality is exact), and the PTO of §6.2.1 and the persistent
 * congestion duration of §7.6.1.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RttEstimator } from '../../src/core/recovery/rtt.ts';

const sample = (r: RttEstimator, now: number, latestRtt: number, ackDelay: number, handshakeConfirmed = true, maxAckDelay = 25) =>
  r.update({ now, latestRtt, ackDelay, handshakeConfirmed, maxAckDelay });

test('before any sample: smoothed = kInitialRtt 333, rttvar = 166.5, PTO = 999 (+ max_ack_delay)', () => {
  const r = new RttEstimator();
  assert.is(r.smoothed, 333);
  assert.is(r.rttvar, 166.5);
  assert.is(r.min, 0);
  assert.is(r.latest, 0);
  assert.is(r.hasSample, false);
  assert.is(r.ptoBase(), 999); // 333 + 4 · 166.5: about 1 s, as §6.2.2 intends
  assert.is(r.pto(0), 999);
  assert.is(r.pto(25), 1024);
  assert.is(r.pto(25, 1), 2048); // backoff doubles
  assert.is(r.pto(25, 3), 8192);
  assert.is(new RttEstimator(100).rttvar, 50);
  assert.throws(() => new RttEstimator(0), RangeError);
});

test('§5.3 step by step: first sample, ack delay not capped before confirmation, capped after, min_rtt unadjusted', () => {
  const r = new RttEstimator();
  // 1. First sample resets the estimator; its ack delay is not used.
  sample(r, 1000, 100, 10, false);
  assert.equal([r.latest, r.min, r.smoothed, r.rttvar, r.firstSampleTime], [100, 100, 100, 50, 1000]);
  // 2. latest 120, ack_delay 30 (handshake not confirmed: not capped at 25): 120 < min 100 + 30,
  //    so nothing is subtracted. rttvar = 3/4·50 + 1/4·|100 − 120| = 42.5; smoothed = 7/8·100 + 1/8·120 = 102.5.
  sample(r, 1100, 120, 30, false);
  assert.equal([r.latest, r.min, r.smoothed, r.rttvar], [120, 100, 102.5, 42.5]);
  // 3. Confirmed: latest 140, ack_delay 30 capped to max_ack_delay 25; 140 >= 100 + 25, adjusted = 115.
  //    rttvar = 3/4·42.5 + 1/4·|102.5 − 115| = 35; smoothed = 7/8·102.5 + 1/8·115 = 104.0625.
  sample(r, 1200, 140, 30, true);
  assert.equal([r.latest, r.min, r.smoothed, r.rttvar], [140, 100, 104.0625, 35]);
  // 4. latest 80 becomes min_rtt (the ack delay 5 does not lower it); 80 < 80 + 5, adjusted = 80.
  //    rttvar = 3/4·35 + 1/4·|104.0625 − 80| = 32.265625; smoothed = 7/8·104.0625 + 10 = 101.0546875.
  sample(r, 1300, 80, 5, true);
  assert.equal([r.latest, r.min, r.smoothed, r.rttvar], [80, 80, 101.0546875, 32.265625]);
  // PTO = 101.0546875 + 4 · 32.265625 + 25 = 255.1171875; with backoff 2: 1020.46875.
  assert.is(r.ptoBase(), 230.1171875);
  assert.is(r.pto(25), 255.1171875);
  assert.is(r.pto(25, 2), 1020.46875);
  assert.is(r.pto(0), 230.1171875);
  // persistent congestion duration: (230.1171875 + 25) · 3, max_ack_delay always included.
  assert.is(r.persistentCongestionDuration(25), 765.3515625);
  assert.is(r.firstSampleTime, 1000);
});

test('mutations: the cap only after confirmation, and rttvar from the previous smoothed_rtt (A.7 order)', () => {
  // Same samples, confirmed vs not: 140 with ack_delay 40.
  const a = new RttEstimator();
  const b = new RttEstimator();
  sample(a, 0, 100, 0, false);
  sample(b, 0, 100, 0, true);
  sample(a, 1, 140, 40, false); // 140 >= 100 + 40: adjusted = 100
  sample(b, 1, 140, 40, true); // capped 25: adjusted = 115
  assert.is(a.smoothed, 100);
  assert.is(b.smoothed, 101.875);
  // rttvar of a: 3/4·50 + 1/4·|100 − 100| = 37.5 (using the new smoothed would also give 37.5 here)
  assert.is(a.rttvar, 37.5);
  // b: 3/4·50 + 1/4·|100 − 115| = 41.25; with the new smoothed (101.875) it would be 40.78125.
  assert.is(b.rttvar, 41.25);
});

test('an ack delay that would take the sample below min_rtt is not subtracted', () => {
  const r = new RttEstimator();
  sample(r, 0, 50, 0);
  sample(r, 1, 60, 20); // 60 < 50 + 20: adjusted stays 60
  assert.is(r.smoothed, 51.25); // 7/8·50 + 60/8
  const s = new RttEstimator();
  sample(s, 0, 50, 0);
  sample(s, 1, 70, 20); // 70 >= 50 + 20: adjusted 50
  assert.is(s.smoothed, 50);
});

test('kGranularity: the PTO never collapses below 1 ms of variance', () => {
  const r = new RttEstimator();
  sample(r, 0, 0.1, 0); // smoothed 0.1, rttvar 0.05: 4·rttvar = 0.2 < 1 ms
  assert.is(r.ptoBase(), 1.1);
  assert.is(r.pto(0), 1.1);
  sample(r, 1, 0.1, 0);
  sample(r, 2, 0.1, 0);
  assert.ok(r.pto(0) >= 1);
});

test('reset and resetMinRtt', () => {
  const r = new RttEstimator(200);
  sample(r, 0, 50, 0);
  sample(r, 1, 90, 0);
  assert.is(r.min, 50);
  r.resetMinRtt(); // §5.2: after persistent congestion, min_rtt = the newest sample
  assert.is(r.min, 90);
  r.reset();
  assert.equal([r.latest, r.min, r.smoothed, r.rttvar, r.firstSampleTime], [0, 0, 200, 100, undefined]);
  r.reset(60);
  assert.is(r.smoothed, 60);
});

test.run();
