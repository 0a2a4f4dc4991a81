/**
 * src/core/recovery/loss.ts (with sent.ts and persistent.ts): RFC 9002 §6 and Appendix A with
 * hand-computed timelines — loss by packet threshold and by time threshold (and the timer that
 * fires at the exact loss time), RTT samples only from a newly acknowledged, ack-eliciting
 * largest, PTO values, backoff and probes, the application PTO held until the handshake is
 * confirmed, the client's anti-deadlock PTO, persistent congestion (and the two rules whose
 * removal would break it), ECN-CE, discarded spaces, Retry, protocol violations, the order in
 * which a congestion controller is told things, and a NewReno window trajectory driven by ACKs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ackFrameFromRanges, AckRangeError } from '../../src/core/recovery/ack-frame.ts';
import type { CongestionController } from '../../src/core/recovery/congestion.ts';
import type { PacketSpace } from '../../src/core/recovery/constants.ts';
import { LossRecovery } from '../../src/core/recovery/loss.ts';
import { NewReno } from '../../src/core/recovery/new-reno.ts';
import { establishesPersistentCongestion } from '../../src/core/recovery/persistent.ts';
import { ErrorCode, ProtocolViolationError } from '../../src/gen/errors.ts';
import type { AckFrame, EcnCounts } from '../../src/gen/frames.ts';

/** A server (its peer's address counts as validated) with the handshake confirmed at 0. */
function server(): LossRecovery<string> {
  const r = new LossRecovery<string>(0, { isServer: true });
  r.onHandshakeConfirmed(0);
  return r;
}

function send(r: LossRecovery<string>, now: number, pn: number, space: PacketSpace = 'application', ackEliciting = true, bytes = 1200): void {
  r.onPacketSent(now, space, { packetNumber: pn, bytes, ackEliciting, frames: [`p${pn}`] });
}

/** An ACK frame for inclusive ranges given largest first. */
function ack(ranges: [number, number][], ackDelay = 0, ecn?: EcnCounts): AckFrame {
  return ackFrameFromRanges(ranges.map(([start, end]) => ({ start, end })), ackDelay, ecn);
}

const pns = (ps: readonly { packetNumber: number }[]) => ps.map((p) => p.packetNumber);
const frames = (ps: readonly { frames: readonly string[] }[]) => ps.flatMap((p) => p.frames);

test('loss by packet threshold (3 below an acknowledged number) and by time threshold, with the timer at the loss time', () => {
  const r = server();
  for (let pn = 0; pn <= 5; pn++) send(r, pn, pn); // sent at t = pn
  assert.is(r.bytesInFlight, 7200);
  assert.is(r.timeout(), 5 + 1024); // PTO: 333 + 4·166.5 + 25 after the last ack-eliciting packet
  const out = r.onAckReceived(105, 'application', ack([[5, 5]]));
  assert.equal(pns(out.newlyAcked), [5]);
  assert.is(out.rttSampled, true);
  assert.is(r.rtt.latest, 100);
  // 0, 1, 2: 5 >= pn + 3. 3 and 4 are not (5 < 6): they wait for the time threshold,
  // 9/8 · max(smoothed 100, latest 100) = 112.5 ms after they were sent.
  assert.equal(pns(out.lost), [0, 1, 2]);
  assert.equal(frames(out.lost), ['p0', 'p1', 'p2']);
  assert.is(r.bytesInFlight, 2400);
  assert.is(r.timeout(), 3 + 112.5);
  assert.is(r.onTimeout(115.4), undefined); // early wake-up: nothing
  const t1 = r.onTimeout(115.5)!;
  assert.equal(t1.kind === 'loss' && [t1.space, pns(t1.lost), t1.persistentCongestion], ['application', [3], false]);
  assert.is(r.timeout(), 4 + 112.5);
  const t2 = r.onTimeout(116.5)!;
  assert.equal(t2.kind === 'loss' && pns(t2.lost), [4]);
  assert.is(r.timeout(), undefined); // nothing in flight, the server needs no anti-deadlock timer
  assert.is(r.bytesInFlight, 0);
  // One congestion event: 12000 → 6000; the later losses were sent before recovery started (105).
  assert.is(r.congestion.window(), 6000);
});

test('RTT samples only when the largest acknowledged is newly acknowledged and something ack-eliciting is (§5.1)', () => {
  const r = server();
  send(r, 0, 0);
  send(r, 10, 1, 'application', false); // an ACK-only packet: not ack-eliciting, not in flight
  assert.is(r.bytesInFlight, 1200);
  let out = r.onAckReceived(50, 'application', ack([[1, 1]]));
  assert.equal([pns(out.newlyAcked), out.rttSampled, r.rtt.hasSample], [[1], false, false]);
  out = r.onAckReceived(60, 'application', ack([[0, 1]])); // 0 newly acked, but the largest (1) is not
  assert.equal([pns(out.newlyAcked), out.rttSampled, r.rtt.hasSample], [[0], false, false]);
  send(r, 70, 2);
  send(r, 80, 3, 'application', false);
  out = r.onAckReceived(100, 'application', ack([[2, 3]]));
  assert.is(out.rttSampled, true);
  assert.is(r.rtt.latest, 20); // from the largest (3, sent at 80), not from the ack-eliciting one
  // a duplicate ACK changes nothing
  out = r.onAckReceived(150, 'application', ack([[0, 3]]));
  assert.equal([out.newlyAcked.length, out.rttSampled, r.rtt.latest], [0, false, 20]);
});

test('PTO: 1024 ms before any sample, doubling per expiry, probes past the window, no loss declared; an ACK resets it', () => {
  const r = server();
  send(r, 0, 0);
  assert.is(r.timeout(), 1024);
  assert.is(r.onTimeout(1023), undefined);
  assert.equal(r.onTimeout(1024), { kind: 'pto', space: 'application', probes: 2 });
  assert.is(r.ptoCount, 1);
  assert.equal(pns(r.outstanding('application')), [0]); // §6.2: a PTO MUST NOT mark packets lost
  assert.is(r.timeout(), 2048);
  assert.is(r.probesPending('application'), 2);
  send(r, 1024, 1);
  assert.is(r.probesPending('application'), 1);
  assert.is(r.timeout(), 1024 + 2048);
  send(r, 1030, 2);
  assert.is(r.probesPending('application'), 0);
  assert.is(r.timeout(), 1030 + 2048);
  assert.equal(r.onTimeout(3078), { kind: 'pto', space: 'application', probes: 2 });
  assert.is(r.timeout(), 1030 + 4096);
  // ACK of 2 at 5200: latest_rtt 4170; loss delay 9/8 · 4170 = 4691.25: 0 is lost, 1 waits.
  const out = r.onAckReceived(5200, 'application', ack([[2, 2]]));
  assert.equal(pns(out.lost), [0]);
  assert.is(r.ptoCount, 0);
  assert.is(r.timeout(), 1024 + 4691.25);
});

test('§6.2.1: no application PTO before confirmation; Initial/Handshake PTOs exclude max_ack_delay, the earliest wins', () => {
  const r = new LossRecovery<string>(0, { isServer: true });
  send(r, 0, 0, 'application');
  assert.is(r.timeout(), undefined);
  send(r, 10, 0, 'initial');
  assert.is(r.timeout(), 10 + 999);
  send(r, 20, 0, 'handshake');
  assert.is(r.timeout(), 10 + 999);
  assert.equal(r.onTimeout(1009), { kind: 'pto', space: 'initial', probes: 2 });
  assert.is(r.timeout(), 10 + 1998);
  // Initial keys dropped: its packets leave flight, the backoff resets, the Handshake PTO remains.
  assert.equal(frames(r.discardSpace(1100, 'initial')), ['p0']);
  assert.is(r.bytesInFlight, 2400);
  assert.is(r.ptoCount, 0);
  assert.is(r.timeout(), 20 + 999);
  // confirmed: the application space joins, with max_ack_delay (0 + 999 + 25 > 1019)
  r.onHandshakeConfirmed(1100);
  assert.is(r.timeout(), 1019);
  r.discardSpace(1100, 'handshake');
  assert.is(r.timeout(), 1024);
  assert.throws(() => send(r, 1200, 1, 'initial'), /discarded/);
  assert.equal(r.onAckReceived(1200, 'initial', ack([[0, 0]])).newlyAcked, []); // ignored
  assert.is(r.ptoPeriod('handshake'), 999);
  assert.is(r.ptoPeriod(), 1024);
});

test('a server at its anti-amplification limit arms no PTO (§6.2.2.1)', () => {
  const r = new LossRecovery<string>(0, { isServer: true });
  send(r, 0, 0, 'initial');
  assert.is(r.timeout(), 999);
  r.setAmplificationLimited(10, true);
  assert.is(r.timeout(), undefined);
  assert.is(r.onTimeout(5000), undefined);
  r.setAmplificationLimited(5000, false);
  assert.is(r.timeout(), 999); // in the past: the connection runs it at once
  assert.equal(r.onTimeout(5000), { kind: 'pto', space: 'initial', probes: 2 });
});

test('client anti-deadlock PTO: armed with nothing in flight until the server has validated the address', () => {
  const r = new LossRecovery<string>(0, { isServer: false });
  send(r, 0, 0, 'initial');
  r.onAckReceived(100, 'initial', ack([[0, 0]], 5000)); // Initial ACK delay ignored: smoothed 100, rttvar 50
  assert.equal([r.rtt.smoothed, r.rtt.rttvar], [100, 50]);
  assert.is(r.peerCompletedAddressValidation, false);
  assert.is(r.timeout(), 100 + 300); // now + smoothed + 4·rttvar
  assert.equal(r.onTimeout(400), { kind: 'anti_deadlock', space: 'initial', probes: 1 });
  send(r, 400, 1, 'initial');
  assert.is(r.timeout(), 400 + 600);
  // An Initial ACK does not reset the backoff at a client (A.7): latest 50 → smoothed 93.75,
  // rttvar 50, and the timer is 450 + (93.75 + 200) · 2.
  r.onAckReceived(450, 'initial', ack([[0, 1]]));
  assert.is(r.ptoCount, 1);
  assert.is(r.timeout(), 450 + 587.5);
  r.onHandshakeKeysAvailable();
  assert.equal(r.onTimeout(1037.5), { kind: 'anti_deadlock', space: 'handshake', probes: 1 });
  send(r, 1040, 0, 'handshake');
  // A Handshake ACK validates the address: the backoff resets and, with nothing in flight, no timer.
  r.onAckReceived(1100, 'handshake', ack([[0, 0]]));
  assert.is(r.peerCompletedAddressValidation, true);
  assert.is(r.ptoCount, 0);
  assert.is(r.timeout(), undefined);
});

test('persistent congestion: lost ack-eliciting packets spanning more than 3 PTOs, nothing acknowledged between', () => {
  const run = (ranges: [number, number][], withFirstSample = true) => {
    const r = server();
    if (withFirstSample) {
      send(r, 0, 0);
      r.onAckReceived(10, 'application', ack([[0, 0]])); // first sample 10 ms at t = 10; window 13200
    }
    for (let k = 1; k <= 10; k++) send(r, 30 * k, k);
    const out = r.onAckReceived(310, 'application', ack(ranges));
    return { r, out };
  };
  // ACK of 10 at 310: 1–7 lost by packet threshold, 8 and 9 by time (9/8 · 10 = 11.25 ms).
  // Duration (10 + max(4 · 3.75, 1) + 25) · 3 = 150 < 270 − 30: persistent.
  const { r, out } = run([[10, 10]]);
  assert.equal(pns(out.lost), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.is(out.persistentCongestion, true);
  assert.is(r.rtt.persistentCongestionDuration(25), 150);
  // B.8 then B.5: halve to 6600, collapse to 2400, then the ACK of 10 (no recovery left) adds 1200.
  const cc = r.congestion as NewReno;
  assert.equal([cc.window(), cc.ssthresh, cc.state], [3600, 6600, 'slow_start']);

  // Mutation: packet 5 acknowledged in between splits the run into two spans of 90 ms.
  const split = run([[10, 10], [5, 5]]);
  assert.equal(pns(split.out.lost), [1, 2, 3, 4, 6, 7, 8, 9]);
  assert.is(split.out.persistentCongestion, false);
  assert.is(split.r.congestion.window(), 6600);

  // Mutation: no RTT sample before the losses were sent → not persistent, though the span (240 ms)
  // exceeds the duration computed from this ACK's first sample ((10 + 20 + 25) · 3 = 165 ms).
  const noSample = run([[10, 10]], false);
  assert.is(noSample.out.lost.length, 9);
  assert.is(noSample.r.rtt.persistentCongestionDuration(25), 165);
  assert.is(noSample.out.persistentCongestion, false);
});

test('§7.6.3 example (duration 6): #2 … #8 lost, nothing acknowledged between; the first-sample rule decides', () => {
  const lost = [1, 2, 3, 4, 5, 6].map((t, i) => ({ packetNumber: i + 2, timeSent: t, ackEliciting: true })); // #2 … #7
  lost.push({ packetNumber: 8, timeSent: 8, ackEliciting: true }); // the first PTO probe
  const ctx = (first: number | undefined) => ({ duration: 6, firstRttSampleTime: first, ackedBetween: () => false });
  // Sample at 1.2 (as in the example): #2, sent at 1, had no prior sample; #3 … #8 span 6, not > 6.
  assert.is(establishesPersistentCongestion(lost, ctx(1.2)), false);
  // Had the sample come before t = 1, #2 … #8 span 7 > 6.
  assert.is(establishesPersistentCongestion(lost, ctx(0.9)), true);
  assert.is(establishesPersistentCongestion(lost, ctx(undefined)), false);
  // Only ack-eliciting packets count as the ends of the period.
  const tail = lost.map((p) => (p.packetNumber === 8 ? { ...p, ackEliciting: false } : p));
  assert.is(establishesPersistentCongestion(tail, ctx(0.9)), false); // #2 … #7 span 5
  // #5 acknowledged: the runs #2 … #4 and #6 … #8 span 2 and 3. Had #5 been lost earlier instead
  // (not acknowledged), the run holds.
  const withoutFive = lost.filter((p) => p.packetNumber !== 5);
  assert.is(establishesPersistentCongestion(withoutFive, { duration: 6, firstRttSampleTime: 0.9, ackedBetween: (lo, hi) => lo <= 5 && 5 <= hi }), false);
  assert.is(establishesPersistentCongestion(withoutFive, ctx(0.9)), true);
});

test('ECN-CE growth is a congestion event once per count increase (B.7)', () => {
  const r = server();
  for (let pn = 0; pn < 3; pn++) send(r, 0, pn);
  let out = r.onAckReceived(50, 'application', ack([[0, 2]], 0, { ect0: 2, ect1: 0, ecnCe: 1 }));
  assert.is(out.ecnCongestion, true);
  assert.is(r.congestion.window(), 6000); // and no growth from ACKs of packets sent before it
  send(r, 60, 3);
  out = r.onAckReceived(100, 'application', ack([[0, 3]], 0, { ect0: 3, ect1: 0, ecnCe: 1 }));
  assert.is(out.ecnCongestion, false);
  assert.equal([r.congestion.window(), (r.congestion as NewReno).state], [6000, 'congestion_avoidance']);
  send(r, 110, 4);
  out = r.onAckReceived(150, 'application', ack([[0, 4]], 0, { ect0: 3, ect1: 0, ecnCe: 2 }));
  assert.is(out.ecnCongestion, true);
  assert.is(r.congestion.window(), 3000);
});

test('protocol violations: an ACK of a number never sent, or skipped; ranges below 0', () => {
  const r = server();
  send(r, 0, 0);
  r.skipPacketNumber('application', 1);
  send(r, 1, 2);
  try {
    r.onAckReceived(10, 'application', ack([[3, 3]]));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ProtocolViolationError);
    assert.is((e as ProtocolViolationError).code, ErrorCode.PROTOCOL_VIOLATION);
  }
  assert.throws(() => r.onAckReceived(10, 'application', ack([[0, 2]])), (e: unknown) => e instanceof ProtocolViolationError && /skipped/.test((e as Error).message));
  assert.throws(() => r.onAckReceived(10, 'application', { type: 'ack', largestAcknowledged: 2, ackDelay: 0, firstAckRange: 3, ackRanges: [] }), (e: unknown) => e instanceof AckRangeError);
  assert.is(r.bytesInFlight, 2400); // nothing changed
  assert.equal(pns(r.onAckReceived(10, 'application', ack([[2, 2], [0, 0]])).newlyAcked), [0, 2]);
  assert.throws(() => send(r, 11, 2), RangeError); // numbers only grow
});

test('0-RTT refused: its packets leave flight without a loss signal; Retry starts over', () => {
  const r = new LossRecovery<string>(0, { isServer: false });
  send(r, 0, 0, 'initial');
  send(r, 1, 0, 'application');
  send(r, 2, 1, 'application');
  const removed = r.removePackets(5, 'application', () => true);
  assert.equal(frames(removed), ['p0', 'p1']);
  assert.is(r.bytesInFlight, 1200);
  assert.is(r.congestion.window(), 12000);
  send(r, 6, 2, 'application');
  const before = r.congestion;
  const all = r.onRetry(50, 50);
  assert.equal(frames(all), ['p0', 'p2']);
  assert.is(r.bytesInFlight, 0);
  assert.is(r.rtt.smoothed, 50);
  assert.ok(r.congestion !== before);
  assert.is(r.largestAcked('initial'), undefined);
  send(r, 51, 1, 'initial'); // packet numbers keep growing
  assert.is(r.timeout(), 51 + 150);
});

test('the controller hears of an ACK in BBR order: losses, the congestion event, then the ACK with its rate sample', () => {
  const calls: string[] = [];
  let lastSummary: unknown;
  const spy: CongestionController = {
    name: 'spy',
    isAppLimited: false,
    onPacketSent: (_n, bytes, e) => calls.push(`sent ${e.packetNumber} ${bytes} inflight ${e.bytesInFlight} tx ${e.delivery.txInFlight}`),
    onPacketsLost: (_n, lost) => calls.push(`lost ${lost.map((p) => `${p.packetNumber}@${p.delivery.txInFlight}`).join(',')}`),
    onCongestionEvent: (_n, sent, pc, cause) => calls.push(`event ${sent} ${pc} ${cause}`),
    onAck: (_n, acked, rtt, summary) => {
      calls.push(`ack ${acked.map((p) => p.packetNumber).join(',')} rtt ${rtt.latest}`);
      lastSummary = summary;
    },
    onAppLimited: (_n, inflight) => calls.push(`app-limited ${inflight}`),
    onMaxDatagramSizeChanged: () => {},
    window: () => 100_000,
    pacingRate: () => undefined,
  };
  const r = new LossRecovery<string>(0, { isServer: true, congestion: () => spy });
  r.onHandshakeConfirmed(0);
  for (let pn = 0; pn < 5; pn++) send(r, pn * 10, pn, 'application', true, 1000);
  r.onAppLimited(45);
  // ACK of 3 and 4 at 240: latest_rtt 200, loss delay 225 — 0 and 1 lost by packet threshold, 2 (sent at 20) not yet.
  r.onAckReceived(240, 'application', ack([[3, 4]]));
  assert.equal(calls, [
    'sent 0 1000 inflight 1000 tx 1000',
    'sent 1 1000 inflight 2000 tx 2000',
    'sent 2 1000 inflight 3000 tx 3000',
    'sent 3 1000 inflight 4000 tx 4000',
    'sent 4 1000 inflight 5000 tx 5000',
    'app-limited 5000',
    'lost 0@1000,1@2000',
    'event 10 false loss',
    'ack 3,4 rtt 200',
  ]);
  // Rate sample of 4 (the newest): delivered 2000 since its snapshot (0 at 0), interval max(40 − 0, 240 − 0).
  assert.equal(lastSummary, {
    space: 'application',
    priorBytesInFlight: 5000,
    bytesInFlight: 1000,
    rateSample: {
      deliveryRate: 2000_000 / 240,
      isAppLimited: false,
      interval: 240,
      delivered: 2000,
      priorDelivered: 0,
      priorTime: 0,
      sendElapsed: 40,
      ackElapsed: 240,
      lastAckedPacketNumber: 4,
      rtt: 200,
      newlyAcked: 2000,
      newlyLost: 2000,
      txInFlight: 5000,
      lost: 2000,
    },
  });
  assert.is(r.delivery.isAppLimited, true); // delivered 2000 < the mark 0 + 5000
});

test('NewReno driven by ACKs: slow start → loss → recovery → congestion avoidance', () => {
  const r = new LossRecovery<string>(0, { isServer: true, congestion: NewReno.factory() });
  r.onHandshakeConfirmed(0);
  const cc = r.congestion as NewReno;
  let pn = 0;
  const windows: [number, string][] = [];
  // Each round sends what the window allows at s, all acknowledged 100 ms later except packet 30.
  for (let round = 0, s = 0; round < 5; round++, s += 101) {
    const first = pn;
    const n = Math.floor(r.congestionBudget / 1200);
    for (let i = 0; i < n; i++) send(r, s, pn++);
    const ranges: [number, number][] = first <= 30 && 30 < pn ? [[31, pn - 1], [first, 29]] : [[first, pn - 1]];
    const out = r.onAckReceived(s + 100, 'application', ack(ranges.filter(([a, b]) => a <= b)));
    if (round === 2) assert.equal(frames(out.lost), ['p30']);
    windows.push([cc.window(), cc.state]);
  }
  assert.equal(windows, [
    [24000, 'slow_start'], // 10 packets acknowledged
    [48000, 'slow_start'], // 20
    [24000, 'recovery'], // 40 sent, 30 lost: halved; the 39 ACKs of that flight add nothing
    [25200, 'congestion_avoidance'], // 20 sent after recovery began: a whole window acknowledged, + 1 mds
    [26400, 'congestion_avoidance'], // 21 more: + 1 mds
  ]);
});

test('a lost path MTU probe leaves bytes in flight but is no congestion event (RFC 9000 §14.4)', () => {
  const r = new LossRecovery<string>(0, { isServer: true, congestion: NewReno.factory() });
  r.onHandshakeConfirmed(0);
  const cc = r.congestion as NewReno;
  r.onPacketSent(0, 'application', { packetNumber: 0, bytes: 1400, ackEliciting: true, mtuProbe: true });
  for (let pn = 1; pn <= 4; pn++) send(r, pn, pn);
  assert.is(r.bytesInFlight, 1400 + 4 * 1200);
  const w = cc.window();
  const out = r.onAckReceived(100, 'application', ack([[1, 4]]));
  assert.equal(pns(out.lost), [0], 'the probe is declared lost like any packet');
  assert.is(r.bytesInFlight, 0);
  assert.is(cc.window() >= w, true, 'no reduction');
  assert.is(cc.state, 'slow_start');
  // The same loss without the mark halves the window.
  const q = new LossRecovery<string>(0, { isServer: true, congestion: NewReno.factory() });
  q.onHandshakeConfirmed(0);
  q.onPacketSent(0, 'application', { packetNumber: 0, bytes: 1400, ackEliciting: true });
  for (let pn = 1; pn <= 4; pn++) send(q, pn, pn);
  q.onAckReceived(100, 'application', ack([[1, 4]]));
  assert.is((q.congestion as NewReno).state, 'recovery');
});

test.run();
