/**
 * Link impairments, each measured end to end through the simulator: delay, jitter, loss,
 * duplication, reordering, corruption, bandwidth, queue tail drop and MTU — with the per-link
 * counters agreeing with what the receiving endpoint saw.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { forEachSeed, Link, Prng, Simulator, traceFromEnv, type LinkConfig } from '../../src/sim/index.ts';
import { pingPayload, Sender, seqOf, Sink } from './toys.ts';

/** A sender A and a sink B over a one-way link; runs to quiescence. */
function oneWay(seed: string, config: LinkConfig, sender: (a: string, b: string) => Sender) {
  const sim = new Simulator({ seed, trace: traceFromEnv(`${seed} `) });
  sim.addEndpoint(sender('A', 'B'));
  const sink = sim.addEndpoint(new Sink('B'));
  const link = sim.linkOneWay('A', 'B', config);
  const r = sim.run();
  assert.is(r.reason, 'quiescent');
  assert.is(link.stats.inFlight, 0);
  return { sim, sink, link, stats: link.stats };
}

const conserved = (l: Link) =>
  assert.is(l.stats.sent + l.stats.duplicated,
    l.stats.delivered + l.stats.unreachable + l.stats.lost + l.stats.mtuDropped + l.stats.queueDropped + l.stats.inFlight, 'every copy is accounted for');

test('delivery takes exactly the configured delay', () => {
  const script = [0, 5, 17.5, 17.5, 100.25].map((at, i) => ({ at, data: pingPayload(i, 16) }));
  const { sink, stats } = oneWay('delay', { delayMs: 30 }, (a, b) => new Sender(a, b, script));
  assert.equal(sink.received.map((r) => r.at), [30, 35, 47.5, 47.5, 130.25]);
  assert.equal(sink.received.map((r) => seqOf(r.data)), [0, 1, 2, 3, 4], 'same-time arrivals in send order');
  assert.is(stats.delivered, 5);
  assert.is(stats.bytesDelivered, 80);
});

test('jitter spreads the delay uniformly over [delay − jitter, delay + jitter] and can reorder', () => {
  const { sink } = oneWay('jitter', { delayMs: 50, jitterMs: 10 }, (a, b) => Sender.burst(a, b, 4000, 8, 0, 1));
  const delays = sink.received.map((r) => r.at - seqOf(r.data));
  assert.is(delays.length, 4000);
  assert.ok(delays.every((d) => d >= 40 && d <= 60), 'within bounds');
  const mean = delays.reduce((x, y) => x + y, 0) / delays.length;
  assert.ok(Math.abs(mean - 50) < 0.5, `mean delay ${mean}`);
  assert.ok(Math.min(...delays) < 41 && Math.max(...delays) > 59, 'the whole range is used');
  const inversions = sink.received.filter((r, i) => i > 0 && seqOf(r.data) < seqOf(sink.received[i - 1].data)).length;
  assert.ok(inversions > 100, `${inversions} datagrams overtaken`);
});

test('loss rate ≈ configured over 10,000 datagrams (within 5σ), for several seeds', () => {
  forEachSeed(4, 'loss', (seed) => {
    const n = 10_000, p = 0.1;
    const { sink, stats, link } = oneWay(seed, { delayMs: 5, lossRate: p }, (a, b) => Sender.burst(a, b, n, 20, 0, 0.5));
    const sigma = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(stats.lost - n * p) < 5 * sigma, `lost ${stats.lost} of ${n}`);
    assert.is(sink.received.length, n - stats.lost);
    assert.is(stats.delivered, sink.received.length);
    conserved(link);
  });
  const all = oneWay('loss-all', { lossRate: 1 }, (a, b) => Sender.burst(a, b, 100, 20));
  assert.is(all.sink.received.length, 0);
  assert.is(all.stats.lost, 100);
});

test('duplication: the extra copies are counted and byte-identical to the original', () => {
  const n = 5000, p = 0.2;
  const { sink, stats, link } = oneWay('dup', { delayMs: 10, jitterMs: 2, duplicateRate: p }, (a, b) => Sender.burst(a, b, n, 64, 0, 1));
  assert.ok(Math.abs(stats.duplicated - n * p) < 5 * Math.sqrt(n * p * (1 - p)), `duplicated ${stats.duplicated}`);
  assert.is(sink.received.length, n + stats.duplicated);
  const bySeq = new Map<number, Uint8Array[]>();
  for (const r of sink.received) bySeq.set(seqOf(r.data), [...(bySeq.get(seqOf(r.data)) ?? []), r.data]);
  const twice = [...bySeq.values()].filter((v) => v.length === 2);
  assert.is(twice.length, stats.duplicated);
  for (const [x, y] of twice) {
    assert.equal(x, y);
    assert.ok(x !== y, 'each copy has its own buffer');
  }
  conserved(link);
});

test('reordering holds a fraction back by reorderDelayMs, so later datagrams overtake it', () => {
  const n = 2000, p = 0.1;
  const { sink, stats } = oneWay('reorder', { delayMs: 10, reorderRate: p, reorderDelayMs: 25 }, (a, b) => Sender.burst(a, b, n, 8, 0, 1));
  assert.ok(Math.abs(stats.reordered - n * p) < 5 * Math.sqrt(n * p * (1 - p)), `reordered ${stats.reordered}`);
  const late = sink.received.filter((r) => r.at - seqOf(r.data) === 35);
  const onTime = sink.received.filter((r) => r.at - seqOf(r.data) === 10);
  assert.is(late.length, stats.reordered);
  assert.is(onTime.length + late.length, n);
  // Late k (at k + 35) is overtaken exactly when an on-time datagram k+1 … k+24 exists (k + 25 ties at
  // k + 35 and comes after it, being sent later).
  const lateSeqs = new Set(late.map((r) => seqOf(r.data)));
  const expected = [...lateSeqs].filter((k) => Array.from({ length: 24 }, (_, i) => k + 1 + i).some((j) => j < n && !lateSeqs.has(j))).length;
  let maxSeq = -1, overtaken = 0;
  for (const r of sink.received) {
    if (seqOf(r.data) < maxSeq) overtaken++;
    maxSeq = Math.max(maxSeq, seqOf(r.data));
  }
  assert.is(overtaken, expected, 'arrivals after a later datagram');
  assert.ok(overtaken > stats.reordered - 10);
});

test('corruption flips exactly one bit of a private copy; the sender’s bytes are untouched', () => {
  const link = new Link('A', 'B', { corruptRate: 1 }, new Prng('flip'));
  const original = pingPayload(7, 100);
  const before = original.slice();
  const positions = new Set<number>();
  for (let i = 0; i < 500; i++) {
    const out = link.transmit(0, original);
    const [copy] = out.copies!;
    assert.ok(copy.corrupted);
    let bits = 0;
    for (let j = 0; j < copy.data.length; j++) {
      const x = copy.data[j] ^ original[j];
      if (x) positions.add(j * 8 + Math.log2(x));
      for (let y = x; y; y &= y - 1) bits++;
    }
    assert.is(bits, 1, 'one bit flipped');
  }
  assert.equal(original, before);
  assert.ok(positions.size > 300, `${positions.size} distinct bit positions of 800`);
  assert.equal(link.transmit(0, new Uint8Array(0)).copies![0].corrupted, false, 'an empty datagram has no bit to flip');

  const n = 4000;
  const { sink, stats } = oneWay('corrupt', { delayMs: 1, corruptRate: 0.05 }, (a, b) => Sender.burst(a, b, n, 40, 0, 1));
  const damaged = sink.received.filter((r) => {
    const want = pingPayload(Math.round(r.at - 1), 40);
    return r.data.some((x, i) => x !== want[i]);
  });
  assert.ok(stats.corrupted > 150 && stats.corrupted < 250, `corrupted ${stats.corrupted}`);
  assert.is(damaged.length, stats.corrupted, 'the receiver sees exactly the corrupted ones as damaged');
});

test('bandwidth: pushing N bytes takes N·8/bps, one serialization time apart', () => {
  const bps = 1_000_000;
  const { sink, stats } = oneWay('bw', { delayMs: 20, bandwidthBps: bps }, (a, b) => Sender.burst(a, b, 100, 1250));
  // 100 × 1250 B = 1,000,000 bits = 1 s at 1 Mbit/s, then the propagation delay.
  const last = sink.received[99].at;
  assert.ok(Math.abs(last - (1000 + 20)) < 1e-6, `last arrival at ${last}`);
  sink.received.forEach((r, i) => assert.ok(Math.abs(r.at - (20 + 10 * (i + 1))) < 1e-6, `datagram ${i} at ${r.at}`));
  assert.is(stats.maxQueueBytes, 125_000);
  // With 28 bytes of IPv4 + UDP overhead a datagram takes (1250 + 28) · 8 / 1e6 s.
  const o = oneWay('bw-overhead', { bandwidthBps: bps, overheadBytes: 28 }, (a, b) => Sender.burst(a, b, 10, 1250));
  assert.ok(Math.abs(o.sink.received[9].at - 10 * 10.224) < 1e-6, `${o.sink.received[9].at}`);
  // Spaced wider than the serialization time, nothing waits.
  const spaced = oneWay('bw-idle', { bandwidthBps: bps }, (a, b) => Sender.burst(a, b, 5, 1250, 0, 50));
  assert.equal(spaced.sink.received.map((r) => r.at), [10, 60, 110, 160, 210]);
});

test('the bottleneck queue tail-drops what exceeds queueLimitBytes, and accepts again as it drains', () => {
  const burst = Array.from({ length: 30 }, (_, i) => ({ at: 0, data: pingPayload(i, 1250) }));
  const later = { at: 20, data: pingPayload(99, 1250) };
  const { sink, stats, link } = oneWay('queue', { bandwidthBps: 1_000_000, queueLimitBytes: 10 * 1250 }, (a, b) => new Sender(a, b, [...burst, later]));
  assert.is(stats.queueDropped, 20);
  assert.is(stats.maxQueueBytes, 12_500);
  assert.equal(sink.received.map((r) => seqOf(r.data)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99], 'the first ten, then the one sent after two left');
  assert.is(sink.received[10].at, 110, 'queued behind the eight still waiting at 20 ms');
  conserved(link);
});

test('datagrams larger than the MTU are dropped', () => {
  const script = [1199, 1200, 1201, 65_000, 0].map((size, i) => ({ at: i, data: new Uint8Array(size) }));
  const { sink, stats, link } = oneWay('mtu', { mtu: 1200 }, (a, b) => new Sender(a, b, script));
  assert.equal(sink.received.map((r) => r.data.length), [1199, 1200, 0]);
  assert.is(stats.mtuDropped, 2);
  conserved(link);
});

test('a bad link config is a RangeError naming the option and the link', () => {
  const sim = new Simulator({ seed: 1 });
  assert.throws(() => sim.link('A', 'B', { lossRate: 2 }), /A -> B: lossRate must be in \[0, 1\], got 2/);
  assert.throws(() => sim.linkOneWay('A', 'C', { delayMs: -1 }), /delayMs/);
  assert.throws(() => sim.linkOneWay('A', 'C', { bandwidthBps: 0 }), /bandwidthBps/);
  assert.throws(() => sim.linkOneWay('A', 'C', { mtu: Number.NaN }), /mtu/);
  sim.linkOneWay('A', 'C', {});
  assert.throws(() => sim.linkOneWay('A', 'C', {}), /linked already/);
  assert.throws(() => sim.getLink('A', 'C')!.reconfigure({ jitterMs: Infinity }), /jitterMs/);
  assert.is(sim.getLink('A', 'C')!.config.jitterMs, 0, 'a rejected change leaves the config as it was');
});

test('reconfigure changes the fate of later datagrams only; the default reorder delay follows the delay', () => {
  const l = new Link('A', 'B', { delayMs: 10 }, new Prng('re'));
  const first = l.transmit(0, new Uint8Array(1)).copies![0];
  l.reconfigure({ delayMs: 40 });
  assert.is(l.config.reorderDelayMs, 40);
  assert.is(l.transmit(0, new Uint8Array(1)).copies![0].at, 40);
  assert.is(first.at, 10);
  l.reconfigure({ reorderDelayMs: 3 });
  l.reconfigure({ delayMs: 5 });
  assert.is(l.config.reorderDelayMs, 3, 'an explicit reorder delay stays');
  l.reconfigure({ lossRate: 1 });
  assert.is(l.transmit(0, new Uint8Array(1)).dropped, 'loss');
});

test.run();
