/**
 * 1,000 seeded random small scenarios — one to three pingers and an echo server over links with
 * random impairments — each run to quiescence and checked against invariants that hold whatever
 * the seed: every copy accounted for, time never goes backwards, no datagram arrives before its
 * minimum delay, timers fire exactly on schedule, a lossless path answers every ping. A failing
 * seed names itself; replay it with `JSP_SIM_SEED=<seed> [JSP_SIM_TRACE=1] node --import tsx
 * test/sim/scenarios.test.ts`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { forEachSeed, Simulator, TraceDigest, traceFromEnv, type LinkConfig, type Prng, type TraceEvent } from '../../src/sim/index.ts';
import { Echo, Pinger } from './toys.ts';

/** A link with each impairment switched on with probability ½. */
function randomLink(g: Prng): LinkConfig {
  const on = () => g.chance(0.5);
  const c: LinkConfig = { delayMs: g.int(4) === 0 ? 0 : g.uniform(0, 80) };
  if (on()) c.jitterMs = g.uniform(0, 20);
  if (on()) c.lossRate = g.uniform(0, 0.4);
  if (on()) c.duplicateRate = g.uniform(0, 0.2);
  if (on()) c.reorderRate = g.uniform(0, 0.3);
  if (on()) c.corruptRate = g.uniform(0, 0.2);
  if (on()) {
    c.bandwidthBps = g.uniform(1e5, 1e8);
    if (on()) c.queueLimitBytes = 1000 + g.int(20_000);
  }
  if (on()) c.mtu = 500 + g.int(1000);
  return c;
}

function scenario(seed: string) {
  const digest = new TraceDigest();
  const env = traceFromEnv(`${seed} `);
  let last = 0;
  const violations: string[] = [];
  const sim: Simulator = new Simulator({
    seed,
    trace: (e: TraceEvent) => {
      digest.add(e);
      env?.(e);
      if (e.at < last) violations.push(`time went back from ${last} to ${e.at}`);
      last = e.at;
      if (e.type === 'deliver') {
        const c = sim.getLink(e.from, e.to)!.config;
        if (e.at < e.sentAt + Math.max(0, c.delayMs - c.jitterMs) - 1e-9) violations.push(`${e.from}->${e.to} arrived after ${e.at - e.sentAt} ms`);
      }
    },
  });
  const g = sim.prng('scenario');
  sim.addEndpoint(new Echo('S'));
  const pingers: { p: Pinger; o: { intervalMs: number; count: number; start: number } }[] = [];
  for (let i = 1 + g.int(3); i > 0; i--) {
    const o = { intervalMs: 0.5 + g.int(20), count: 1 + g.int(20), start: g.uniform(0, 10), size: 4 + g.int(1400) };
    const p = sim.addEndpoint(new Pinger(`C${i}`, 'S', o));
    sim.link(p.address, 'S', randomLink(g), randomLink(g));
    pingers.push({ p, o });
  }
  const r = sim.run({ maxTime: 1e6 });
  return { sim, r, pingers, violations, digest: digest.hex() };
}

test('1,000 random small scenarios keep the invariants, in well under 10 s', () => {
  const started = performance.now();
  let datagrams = 0, events = 0;
  const seeds = forEachSeed(1000, 'scenario', (seed) => {
    const { sim, r, pingers, violations } = scenario(seed);
    assert.is(r.reason, 'quiescent');
    assert.equal(violations, []);
    for (const l of sim.links()) {
      const s = l.stats;
      assert.is(s.inFlight, 0);
      assert.is(s.sent + s.duplicated, s.delivered + s.unreachable + s.lost + s.mtuDropped + s.queueDropped, `${l.from}->${l.to} conserves copies`);
      assert.is(s.unreachable, 0);
    }
    for (const { p, o } of pingers) {
      assert.is(p.sent, o.count);
      assert.equal(p.timeouts, Array.from({ length: o.count }, (_, k) => o.start + k * o.intervalMs), 'timers on schedule');
      const up = sim.getLink(p.address, 'S')!, down = sim.getLink('S', p.address)!;
      assert.is(up.stats.sent, o.count);
      assert.is(down.stats.sent, up.stats.delivered, 'the echo answered every arrival');
      assert.is(p.pongs.length, down.stats.delivered);
      // A damaged echo comes from a corruption on either leg (an echo duplicated on the way back counts twice).
      const damaged = p.pongs.filter((x) => !x.intact).length;
      assert.ok(damaged <= up.stats.corrupted + down.stats.corrupted + down.stats.duplicated, `${damaged} damaged echoes`);
      if (up.stats.corrupted + down.stats.corrupted === 0) assert.is(damaged, 0);
      const perfect = (c: typeof up.config) => c.lossRate === 0 && c.mtu === Infinity && c.queueLimitBytes === Infinity;
      if (perfect(up.config) && perfect(down.config)) assert.ok(p.pongs.length >= o.count, 'a lossless path answers every ping');
    }
    datagrams += sim.stats.sent;
    events += sim.stats.steps;
  });
  const ms = performance.now() - started;
  console.log(`  ${seeds.length} scenarios, ${datagrams} datagrams, ${events} steps in ${ms.toFixed(0)} ms`);
  assert.ok(ms < 10_000, `${ms} ms`);
});

test('scenarios are reproducible: the same seed gives the same trace digest', () => {
  forEachSeed(50, 'scenario', (seed) => {
    assert.is(scenario(seed).digest, scenario(seed).digest);
  });
  if (!process.env.JSP_SIM_SEED) assert.is.not(scenario('scenario-1').digest, scenario('scenario-2').digest);
});

test.run();
