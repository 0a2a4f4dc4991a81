/**
 * The simulator's loop: timers fire at the exact virtual time, runs stop for the reason they
 * report (condition, quiescence, maxTime, maxSteps) and resume where they stopped, same-time
 * events keep their order, routing failures and the intercept hook are counted, scheduled calls
 * run on time, and the same seed gives the same trace.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatTraceEvent, Simulator, TraceDigest, type SimEndpoint, type TraceEvent } from '../../src/sim/index.ts';
import { Echo, Pinger, Sender, seqOf, Sink } from './toys.ts';

function pingPair(seed: string | number = 'pp', o: ConstructorParameters<typeof Pinger>[2] = {}, delayMs = 7) {
  const events: TraceEvent[] = [];
  const sim = new Simulator({ seed, trace: (e) => events.push(e) });
  const pinger = sim.addEndpoint(new Pinger('C', 'S', o));
  const echo = sim.addEndpoint(new Echo('S'));
  sim.link('C', 'S', { delayMs });
  return { sim, pinger, echo, events };
}

test('timers fire at the exact virtual time; each ping’s echo returns one round trip later', () => {
  const { sim, pinger, echo, events } = pingPair('timers', { intervalMs: 10, count: 5, start: 3 });
  const r = sim.run();
  assert.is(r.reason, 'quiescent');
  assert.equal(pinger.timeouts, [3, 13, 23, 33, 43]);
  assert.equal(echo.received.map((x) => x.at), [10, 20, 30, 40, 50]);
  assert.equal(pinger.pongs.map((p) => p.at), [17, 27, 37, 47, 57]);
  assert.ok(pinger.pongs.every((p) => p.intact));
  assert.is(r.now, 57, 'a quiescent run stops at its last event');
  assert.equal(events.filter((e) => e.type === 'timeout').map((e) => e.at), [3, 13, 23, 33, 43]);
  assert.equal(r.stats, { steps: 15, sent: 10, delivered: 10, timeouts: 5, calls: 0, noRoute: 0, intercepted: 0 });
});

test('fractional timer times are honoured as given (no rounding to a tick)', () => {
  const { sim, pinger } = pingPair('frac', { intervalMs: 0.1, count: 4, start: 0.05 });
  sim.run();
  assert.equal(pinger.timeouts, [0.05, 0.05 + 0.1, 0.05 + 0.2, 0.05 + 0.30000000000000004]);
  assert.is(pinger.pongs.length, 4);
});

test('run stops when quiescent: nothing in flight and no timer; an idle simulator stops at once', () => {
  const sim = new Simulator({ seed: 'q' });
  assert.equal(sim.run(), { reason: 'quiescent', now: 0, steps: 0, stats: sim.stats });
  const { sim: s2, pinger } = pingPair('q2', { count: 3 });
  const r = s2.run();
  assert.is(r.reason, 'quiescent');
  assert.is(s2.inFlight, 0);
  assert.is(pinger.pollTimeout(), undefined);
  assert.is(s2.run().steps, 0, 'running again does nothing');
});

test('maxTime stops the clock at maxTime; the next run picks up what is in flight', () => {
  const { sim, pinger, echo } = pingPair('mt', { intervalMs: 10 }); // pings forever
  const r = sim.run({ maxTime: 100 });
  assert.is(r.reason, 'maxTime');
  assert.is(r.now, 100);
  assert.is(sim.now, 100);
  assert.equal(pinger.timeouts.at(-1), 100, 'events at exactly maxTime run');
  assert.is(sim.inFlight, 2, 'the ping sent at 100 and the echo of the one sent at 93 are on their way');
  assert.is(pinger.pongs.length, 9, 'the echoes of the pings sent at 0 … 80');
  const r2 = sim.run({ maxTime: 200 });
  assert.is(r2.reason, 'maxTime');
  assert.is(echo.received[10].at, 107, 'the ping in flight arrived on time');
  assert.is(pinger.pongs.length, 19);
  assert.throws(() => sim.run({ maxTime: Number.NaN }), RangeError);
});

test('maxSteps bounds a run (an endpoint that never goes quiet cannot hang a test)', () => {
  const { sim } = pingPair('ms', { intervalMs: 10 });
  const r = sim.run({ maxSteps: 25 });
  assert.is(r.reason, 'maxSteps');
  assert.is(r.steps, 25);
  const stuck: SimEndpoint = { address: 'X', handleDatagram() {}, pollTransmit: () => undefined, pollTimeout: () => 5, handleTimeout() {} };
  const s2 = new Simulator({ seed: 'stuck' });
  s2.addEndpoint(stuck);
  const r2 = s2.run({ maxSteps: 1000 });
  assert.is(r2.reason, 'maxSteps');
  assert.is(r2.now, 5);
  assert.is(s2.stats.timeouts, 1000);
});

test('until stops the run as soon as the condition holds, at the time it became true', () => {
  const { sim, pinger } = pingPair('until', { intervalMs: 10 });
  const r = sim.run({ until: () => pinger.pongs.length >= 3 });
  assert.is(r.reason, 'condition');
  assert.is(r.now, 34);
  const r0 = sim.run({ until: () => true });
  assert.is(r0.steps, 0);
  assert.is(r0.reason, 'condition');
});

test('what an application queues inside `until` or between runs is sent at that time', () => {
  const sim = new Simulator({ seed: 'app' });
  const out: { from: string; to: string; data: Uint8Array }[] = [];
  const app: SimEndpoint = {
    address: 'A', handleDatagram() {}, pollTimeout: () => undefined, handleTimeout() {}, pollTransmit: () => out.shift(),
  };
  sim.addEndpoint(app);
  const sink = sim.addEndpoint(new Sink('B'));
  sim.link('A', 'B', { delayMs: 5 });
  out.push({ from: 'A', to: 'B', data: Uint8Array.of(0, 0, 0, 1) });
  const r = sim.run({ maxTime: 12 });
  assert.equal([r.reason, r.now], ['quiescent', 5], 'quiescent before maxTime: the clock stays at the last event');
  out.push({ from: 'A', to: 'B', data: Uint8Array.of(0, 0, 0, 2) });
  sim.schedule(12, () => out.push({ from: 'A', to: 'B', data: Uint8Array.of(0, 0, 0, 3) }));
  sim.run({
    until: () => {
      if (sink.received.length === 2 && out.length === 0 && sim.now === 12) out.push({ from: 'A', to: 'B', data: Uint8Array.of(0, 0, 0, 4) });
      return sink.received.length === 4;
    },
  });
  assert.equal(sink.received.map((r) => `${seqOf(r.data)}@${r.at}`), ['1@5', '2@10', '3@17', '4@17']);
});

test('same-time arrivals are delivered in the order they were sent, across senders', () => {
  const sim = new Simulator({ seed: 'ties' });
  sim.addEndpoint(Sender.burst('A', 'Z', 3, 8, 10));
  sim.addEndpoint(Sender.burst('B', 'Z', 3, 8, 10));
  const sink = sim.addEndpoint(new Sink('Z'));
  sim.linkOneWay('A', 'Z', { delayMs: 5 });
  sim.linkOneWay('B', 'Z', { delayMs: 5 });
  sim.run();
  assert.equal(sink.received.map((r) => `${r.from}${seqOf(r.data)}@${r.at}`), ['A0@15', 'A1@15', 'A2@15', 'B0@15', 'B1@15', 'B2@15']);
});

test('a datagram with no link is dropped as no-route; to a linked address with no endpoint, as unreachable', () => {
  const events: string[] = [];
  const sim = new Simulator({ seed: 'route', trace: (e) => events.push(formatTraceEvent(e)) });
  sim.addEndpoint(Sender.burst('A', 'B', 2, 10));
  sim.addEndpoint(Sender.burst('C', 'D', 1, 10));
  const ab = sim.linkOneWay('A', 'B', { delayMs: 1 });
  sim.run();
  assert.is(sim.stats.noRoute, 1);
  assert.is(ab.stats.unreachable, 2);
  assert.is(ab.stats.delivered, 0);
  assert.ok(events.some((l) => /drop +C -> D 10B no-route/.test(l)), events.join('\n'));
  assert.ok(events.some((l) => /1\.000 drop +A -> B 10B unreachable/.test(l)), events.join('\n'));
});

test('the intercept hook drops, rewrites (a NAT rebinding) or passes each datagram', () => {
  const { sim, pinger, echo } = pingPair('nat', { count: 4 });
  sim.link('C2', 'S', { delayMs: 7 });
  let n = 0;
  sim.intercept = (d) => {
    if (d.from === 'C' && n++ === 0) return 'drop';
    if (d.from === 'C' && n === 3) return { ...d, from: 'C2' };
    return undefined;
  };
  sim.run();
  assert.is(sim.stats.intercepted, 1);
  assert.equal(echo.received.map((r) => `${r.from}@${r.at}`), ['C@17', 'C2@27', 'C@37']);
  assert.is(pinger.pongs.length, 2, 'the reply to the rebound address is sent to C2, which is not the pinger');
});

test('scheduled calls run at their time: a link goes down at 20 ms and comes back at 50 ms', () => {
  const { sim, pinger, events } = pingPair('flap', { intervalMs: 10, count: 8 });
  sim.schedule(20, (s) => s.getLink('C', 'S')!.reconfigure({ lossRate: 1 }));
  sim.schedule(50, (s) => s.getLink('C', 'S')!.reconfigure({ lossRate: 0 }));
  sim.run();
  assert.equal(events.filter((e) => e.type === 'call').map((e) => e.at), [20, 50]);
  assert.equal(pinger.pongs.map((p) => p.seq), [0, 1, 5, 6, 7], 'pings 2, 3, 4 (sent at 20, 30, 40) were lost');
  assert.throws(() => sim.schedule(sim.now - 1, () => {}), RangeError);
});

test('inject sends a datagram as if from any address, through the link from that address', () => {
  const sim = new Simulator({ seed: 'inj' });
  const echo = sim.addEndpoint(new Echo('S'));
  sim.link('evil', 'S', { delayMs: 3 });
  sim.inject({ from: 'evil', to: 'S', data: Uint8Array.of(1, 2, 3) });
  sim.run();
  assert.equal(echo.received.map((r) => [r.from, r.at, [...r.data]]), [['evil', 3, [1, 2, 3]]]);
  assert.is(sim.getLink('S', 'evil')!.stats.unreachable, 1, 'the reply goes to an address with no endpoint');
});

test('addEndpoint rejects a taken address; the options are checked', () => {
  const sim = new Simulator({ seed: 0 });
  sim.addEndpoint(new Sink('A'));
  assert.throws(() => sim.addEndpoint(new Sink('A')), /address A is taken/);
  assert.throws(() => new Simulator({ seed: Number.NaN }), TypeError);
  assert.throws(() => new Simulator(undefined as never), TypeError);
  assert.is(new Simulator({ seed: 42 }).seed, '42');
});

/** A network of two pingers and an echo over impaired links; returns the trace digest and the pongs. */
function impaired(seed: string) {
  const digest = new TraceDigest();
  const sim = new Simulator({ seed, trace: digest.trace });
  const a = sim.addEndpoint(new Pinger('A', 'S', { intervalMs: 3, count: 300, size: 200 }));
  const b = sim.addEndpoint(new Pinger('B', 'S', { intervalMs: 5, count: 200, start: 1, size: 900 }));
  sim.addEndpoint(new Echo('S'));
  const bad = { delayMs: 20, jitterMs: 8, lossRate: 0.1, duplicateRate: 0.05, reorderRate: 0.1, corruptRate: 0.05, bandwidthBps: 1e6, queueLimitBytes: 20_000 };
  sim.link('A', 'S', bad);
  sim.link('B', 'S', { ...bad, mtu: 950 }, { ...bad, delayMs: 40 });
  const r = sim.run();
  return { r, digest: digest.hex(), count: digest.count, pongs: [a.pongs, b.pongs], links: sim.links().map((l) => l.stats) };
}

test('determinism: the same seed gives an identical trace (digest), a different seed a different one', () => {
  const x = impaired('det'), y = impaired('det'), z = impaired('det2');
  assert.is(x.r.reason, 'quiescent');
  assert.is(x.digest, y.digest);
  assert.is(x.count, y.count);
  assert.equal(x.pongs, y.pongs);
  assert.equal(x.links, y.links);
  assert.is.not(x.digest, z.digest);
  for (const k of ['lost', 'duplicated', 'reordered', 'corrupted', 'queueDropped'] as const) {
    assert.ok(x.links.some((s) => s[k] > 0), `some ${k}`);
  }
  assert.ok(x.count > 1500, `${x.count} events`);
});

test('trace lines are compact and readable', () => {
  const lines: string[] = [];
  const sim = new Simulator({ seed: 'fmt', trace: (e) => lines.push(formatTraceEvent(e)) });
  sim.addEndpoint(new Pinger('C', 'S', { count: 1, start: 2.5, size: 12 }));
  sim.addEndpoint(new Echo('S'));
  sim.link('C', 'S', { delayMs: 10 });
  sim.run();
  assert.equal(lines, [
    '     2.500 timeout C',
    '     2.500 send    C -> S 12B',
    '    12.500 deliver C -> S 12B (sent 2.500)',
    '    12.500 send    S -> C 12B',
    '    22.500 deliver S -> C 12B (sent 12.500)',
  ]);
});

test.run();
