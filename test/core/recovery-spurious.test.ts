/**
 * src/core/recovery/spurious.ts with loss.ts and new-reno.ts: a packet declared lost and then
 * acknowledged is a spurious loss (RFC 9002 §6.1.1, §6.1.2 allow adapting the thresholds). The
 * packet threshold grows to the reordering distance seen, the time threshold to the delay seen
 * (both capped), and a congestion event all of whose losses were spurious is undone — with
 * hand-computed values, and with `adaptiveReordering: false` keeping RFC 9002's fixed behaviour.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ackFrameFromRanges } from '../../src/core/recovery/ack-frame.ts';
import { LossRecovery } from '../../src/core/recovery/loss.ts';
import { NewReno } from '../../src/core/recovery/new-reno.ts';
import { adaptPacketThreshold, adaptTimeThreshold, MAX_PACKET_THRESHOLD, MAX_TIME_THRESHOLD, RecentlyLost } from '../../src/core/recovery/spurious.ts';
import type { SentPacket } from '../../src/core/recovery/sent.ts';
import type { AckFrame } from '../../src/gen/frames.ts';

function ack(ranges: [number, number][]): AckFrame {
  return ackFrameFromRanges(ranges.map(([start, end]) => ({ start, end })), 0);
}

function recovery(adaptiveReordering?: boolean): LossRecovery<string> {
  const r = new LossRecovery<string>(0, { isServer: true, congestion: NewReno.factory(), adaptiveReordering });
  r.onHandshakeConfirmed(0);
  return r;
}

const pkt = (packetNumber: number, timeSent: number) => ({ packetNumber, timeSent }) as SentPacket<string>;

test('RecentlyLost: a later ACK covering a lost packet reports it once; an event is undone only when all its losses were spurious', () => {
  const l = new RecentlyLost();
  const e = l.beginEvent(42);
  l.add(pkt(7, 1), 10, e);
  l.add(pkt(3, 0), 10, e); // kept sorted by packet number
  assert.is(l.size, 2);
  let out = l.onAck([{ start: 20, end: 30 }, { start: 6, end: 8 }]);
  assert.equal(out.spurious.map((r) => r.packetNumber), [7]);
  assert.equal(out.undoneEvents, [], 'packet 3 of the same event is still missing');
  out = l.onAck([{ start: 6, end: 8 }]);
  assert.equal(out.spurious, [], 'reported once');
  out = l.onAck([{ start: 0, end: 5 }]);
  assert.equal(out.spurious.map((r) => [r.packetNumber, r.largestAckedAtLoss]), [[3, 10]]);
  assert.equal(out.undoneEvents, [42], 'the sent time the controller was given');
  assert.is(l.size, 0);
});

test('RecentlyLost: expired and evicted packets can no longer undo their event; memory stays bounded', () => {
  const l = new RecentlyLost();
  const e = l.beginEvent(5);
  l.add(pkt(1, 0), 4, e);
  l.add(pkt(2, 50), 4, e);
  l.expire(10); // packet 1 (sent at 0) was really lost
  assert.is(l.size, 1);
  assert.equal(l.onAck([{ start: 2, end: 2 }]).undoneEvents, [], 'the event had a real loss');
  for (let pn = 0; pn < 1000; pn++) l.add(pkt(pn, pn), pn + 3, undefined);
  assert.is(l.size, 256);
  assert.equal(l.onAck([{ start: 0, end: 743 }]).spurious, [], 'the oldest were forgotten');
});

test('threshold adaptation: grows to what would have waited, never shrinks, capped', () => {
  assert.is(adaptPacketThreshold(3, 10), 11);
  assert.is(adaptPacketThreshold(20, 10), 20);
  assert.is(adaptPacketThreshold(3, 10_000), MAX_PACKET_THRESHOLD);
  assert.is(adaptTimeThreshold(9 / 8, 130, 100), 1.3);
  assert.is(adaptTimeThreshold(9 / 8, 112, 100), 9 / 8, 'already enough');
  assert.is(adaptTimeThreshold(9 / 8, 113, 100), 1.25, 'at least 1/8 more at a time');
  assert.is(adaptTimeThreshold(9 / 8, 10_000, 100), MAX_TIME_THRESHOLD);
});

function reorderedFlight(adaptive?: boolean) {
  const r = recovery(adaptive);
  const cc = r.congestion as NewReno;
  for (let pn = 0; pn < 10; pn++) r.onPacketSent(pn, 'application', { packetNumber: pn, bytes: 1200, ackEliciting: true, frames: [`p${pn}`] });
  const before = cc.window();
  // 0 and 1 arrive late: 2…9 are acknowledged first at t = 100 (0 and 1 are 9 and 8 below 9 ≥ 3).
  const first = r.onAckReceived(100, 'application', ack([[2, 9]]));
  assert.equal(first.lost.map((p) => p.packetNumber), [0, 1]);
  const halved = cc.window();
  assert.is(halved, Math.floor(before / 2));
  // Then the late ACK for them.
  r.onAckReceived(140, 'application', ack([[0, 9]]));
  return { r, cc, before, halved };
}

test('a spurious loss raises the packet threshold to the distance seen and undoes the congestion event', () => {
  const { r, cc, before } = reorderedFlight();
  assert.equal(r.spurious, { spuriousLosses: 2, undoneCongestionEvents: 1 });
  assert.is(r.packetThreshold, 10, 'packet 0 was 9 below the largest acknowledged');
  // Packet 0 was acknowledged 140 ms after it left; the RTT sample was 100 − 9 = 91 ms.
  assert.is(r.timeThreshold, 140 / 91);
  assert.is(cc.window(), before, 'the window halved by a non-loss came back');
  // Now a gap of 9 is tolerated: 10…19 sent, 11…19 acknowledged: 10 is not lost by packet threshold.
  for (let pn = 10; pn < 20; pn++) r.onPacketSent(200, 'application', { packetNumber: pn, bytes: 1200, ackEliciting: true, frames: [] });
  const out = r.onAckReceived(300, 'application', ack([[11, 19]]));
  assert.equal(out.lost, []);
});

test('adaptiveReordering: false keeps RFC 9002 fixed thresholds and the reduction', () => {
  const { r, cc, halved } = reorderedFlight(false);
  assert.equal(r.spurious, { spuriousLosses: 0, undoneCongestionEvents: 0 });
  assert.is(r.packetThreshold, 3);
  assert.is(r.timeThreshold, 9 / 8);
  assert.is(cc.window(), halved);
});

test('persistent congestion is never undone', () => {
  const cc = new NewReno({ maxDatagramSize: 1200 });
  cc.onCongestionEvent(10, 5, true, 'loss');
  assert.is(cc.window(), 2400);
  assert.is(cc.onSpuriousCongestionEvent(20, 5), false);
  assert.is(cc.window(), 2400);
  const fresh = new NewReno({ maxDatagramSize: 1200 });
  fresh.onCongestionEvent(10, 5, false, 'loss');
  assert.is(fresh.onSpuriousCongestionEvent(20, 4), false, 'not the event that reduced');
  assert.is(fresh.onSpuriousCongestionEvent(20, 5), true);
  assert.is(fresh.window(), 12000);
  assert.is(fresh.ssthresh, Infinity);
});

test.run();
