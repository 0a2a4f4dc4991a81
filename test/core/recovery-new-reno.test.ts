/**
 * src/core/recovery/new-reno.ts: RFC 9002 §7 window trajectories computed by hand — initial and
 * minimum windows, slow start, a loss entering recovery, the recovery period's two rules (no
 * reduction for losses of packets sent before it, no growth from their ACKs: each has a test that
 * fails if the rule is removed), congestion avoidance at one datagram per window, ECN-CE, the
 * persistent congestion collapse, application-limited periods and a new max_datagram_size.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initialWindow, minimumWindow, type PacketOutcome } from '../../src/core/recovery/congestion.ts';
import { NewReno } from '../../src/core/recovery/new-reno.ts';
import { RttEstimator } from '../../src/core/recovery/rtt.ts';

const MDS = 1200;
const rtt = new RttEstimator();
const delivery = { delivered: 0, deliveredTime: 0, firstSentTime: 0, isAppLimited: false, txInFlight: 0, lost: 0 };
let pn = 0;

/** Acknowledges `count` packets of `bytes`, all sent at `timeSent`, at `now`. */
function ack(cc: NewReno, now: number, timeSent: number, count = 1, bytes = MDS): void {
  const acked: PacketOutcome[] = Array.from({ length: count }, () => ({ packetNumber: pn++, space: 'application', timeSent, bytes, delivery }));
  cc.onAck(now, acked, rtt, { space: 'application', priorBytesInFlight: 0, bytesInFlight: 0, rateSample: undefined });
}

test('§7.2: initial window min(10·mds, max(14720, 2·mds)); minimum window 2·mds', () => {
  assert.is(initialWindow(1200), 12000);
  assert.is(initialWindow(1472), 14720);
  assert.is(initialWindow(1500), 14720);
  assert.is(initialWindow(9000), 18000);
  assert.is(initialWindow(1000), 10000);
  assert.is(minimumWindow(1200), 2400);
  const cc = new NewReno({ maxDatagramSize: MDS });
  assert.is(cc.window(), 12000);
  assert.is(cc.ssthresh, Infinity);
  assert.is(cc.state, 'slow_start');
  assert.is(cc.pacingRate(), undefined);
  assert.is(cc.name, 'new_reno');
  assert.throws(() => new NewReno({ maxDatagramSize: MDS, initialWindow: 2000 }), /minimum window/);
});

test('slow start → loss → recovery → congestion avoidance → loss → persistent congestion → slow start', () => {
  const cc = new NewReno({ maxDatagramSize: MDS });
  // Slow start: +bytes acknowledged.
  ack(cc, 100, 0, 10);
  assert.is(cc.window(), 24000);
  assert.is(cc.state, 'slow_start');
  // A loss of a packet sent at 150, detected at 200: ssthresh = 24000 / 2, window = 12000.
  cc.onCongestionEvent(200, 150, false, 'loss');
  assert.equal([cc.window(), cc.ssthresh, cc.state, cc.recoveryStartTime], [12000, 12000, 'recovery', 200]);
  // ACKs of packets sent before recovery started do not grow the window, nor end recovery.
  ack(cc, 250, 150, 5);
  assert.equal([cc.window(), cc.state], [12000, 'recovery']);
  // A packet sent during recovery (at 210) is acknowledged: recovery ends; window = ssthresh, so avoidance.
  ack(cc, 300, 210);
  assert.equal([cc.window(), cc.state], [12000, 'congestion_avoidance']);
  // Avoidance: one mds per window of bytes acknowledged. 1200 counted already; 9 more make 12000.
  ack(cc, 310, 220, 8);
  assert.is(cc.window(), 12000);
  ack(cc, 320, 220);
  assert.is(cc.window(), 13200);
  ack(cc, 330, 230, 10); // 12000 of 13200
  assert.is(cc.window(), 13200);
  ack(cc, 340, 230);
  assert.is(cc.window(), 14400);
  // Loss of a packet sent at 400: window 7200.
  cc.onCongestionEvent(500, 400, false, 'loss');
  assert.equal([cc.window(), cc.ssthresh, cc.state], [7200, 7200, 'recovery']);
  // Persistent congestion with losses sent after that recovery started: halve again, then collapse.
  cc.onCongestionEvent(600, 550, true, 'loss');
  assert.equal([cc.window(), cc.ssthresh, cc.state, cc.recoveryStartTime], [2400, 3600, 'slow_start', undefined]);
  // Slow start back to ssthresh, then avoidance.
  ack(cc, 700, 560);
  assert.equal([cc.window(), cc.state], [3600, 'congestion_avoidance']);
  ack(cc, 710, 560, 2);
  assert.is(cc.window(), 3600);
  ack(cc, 720, 560);
  assert.is(cc.window(), 4800);
});

test('mutation: losses of packets sent before the recovery period started do not reduce the window again', () => {
  const cc = new NewReno({ maxDatagramSize: MDS });
  cc.onCongestionEvent(100, 90, false, 'loss');
  assert.is(cc.window(), 6000);
  cc.onCongestionEvent(120, 95, false, 'loss'); // sent at 95 <= 100
  cc.onCongestionEvent(130, 100, false, 'ecn'); // sent exactly at the start: still in recovery (B.5: <=)
  assert.equal([cc.window(), cc.ssthresh], [6000, 6000]);
  cc.onCongestionEvent(140, 101, false, 'loss'); // sent after: a new event
  assert.equal([cc.window(), cc.ssthresh, cc.recoveryStartTime], [3000, 3000, 140]);
  cc.onCongestionEvent(150, 141, false, 'loss');
  assert.is(cc.window(), 2400); // never below the minimum window (ssthresh 1500)
  assert.is(cc.ssthresh, 1500);
});

test('mutation: ACKs of packets sent before recovery do not grow the window', () => {
  const cc = new NewReno({ maxDatagramSize: MDS });
  cc.onCongestionEvent(100, 50, false, 'loss');
  ack(cc, 150, 60, 20);
  ack(cc, 160, 100, 1);
  assert.is(cc.window(), 6000);
  ack(cc, 170, 101, 1);
  assert.is(cc.state, 'congestion_avoidance');
});

test('persistent congestion while already in recovery: collapse only (no second halving)', () => {
  const cc = new NewReno({ maxDatagramSize: MDS });
  cc.onCongestionEvent(100, 50, false, 'loss');
  cc.onCongestionEvent(200, 80, true, 'loss');
  assert.equal([cc.window(), cc.ssthresh, cc.recoveryStartTime, cc.state], [2400, 6000, undefined, 'slow_start']);
  // recovery cleared: an ACK of an old packet grows the window again
  ack(cc, 210, 80);
  assert.is(cc.window(), 3600);
});

test('ECN-CE is a congestion event like a loss', () => {
  const cc = new NewReno({ maxDatagramSize: MDS });
  cc.onCongestionEvent(10, 5, false, 'ecn');
  assert.equal([cc.window(), cc.state], [6000, 'recovery']);
});

test('§7.8: no growth while application-limited; sending again lifts it', () => {
  const cc = new NewReno({ maxDatagramSize: MDS });
  cc.onAppLimited(0, 1200);
  assert.is(cc.isAppLimited, true);
  ack(cc, 10, 0, 5);
  assert.is(cc.window(), 12000);
  cc.onPacketSent(20, 1200, { packetNumber: 99, space: 'application', bytesInFlight: 1200, delivery });
  assert.is(cc.isAppLimited, false);
  ack(cc, 30, 20);
  assert.is(cc.window(), 13200);
});

test('§7.2: a new max_datagram_size recomputes an untouched initial window, else keeps the minimum', () => {
  const a = new NewReno({ maxDatagramSize: 1200 });
  a.onMaxDatagramSizeChanged(1500);
  assert.is(a.window(), 14720);
  const b = new NewReno({ maxDatagramSize: 1200 });
  b.onCongestionEvent(10, 5, false, 'loss');
  b.onCongestionEvent(20, 15, true, 'loss');
  assert.is(b.window(), 2400);
  b.onMaxDatagramSizeChanged(1500);
  assert.is(b.window(), 3000); // raised to the new minimum
  const f = NewReno.factory({ lossReductionFactor: 0.7 })({ now: 0, maxDatagramSize: 1000 });
  f.onCongestionEvent(1, 0, false, 'loss');
  assert.is(f.window(), 7000);
});

test.run();
