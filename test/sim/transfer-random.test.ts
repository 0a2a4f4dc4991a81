/**
 * Seeded random scenarios through the whole core: each seed draws a path (delay, jitter, loss,
 * duplication, reordering, corruption, a bottleneck with a small or large queue), a set of
 * streams (bidirectional or not, sizes, answers, urgencies), tight or loose limits on both
 * sides (initial_max_data, initial_max_stream_data_*, initial_max_streams_* — small enough to
 * block on every one of them), send buffers, and an eager or a slow reader. Every scenario must
 * deliver every byte in order, within the receive windows, and end by completion (not by a
 * deadlock or the time limit). A failure names its seed; replay it with JSP_SIM_SEED=<seed>
 * (and JSP_SIM_TRACE=1 for the event trace).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envVar, forEachSeed, Prng, type LinkConfig } from '../../src/sim/index.ts';
import { transfer, type StreamPlan, type TransferOptions } from './transfer-util.ts';

/** Scenarios per run (JSP_SIM_SCENARIOS overrides it). */
const COUNT = Number(envVar('JSP_SIM_SCENARIOS') ?? 1000);

function scenario(seed: string): TransferOptions {
  const g = new Prng(`scenario/${seed}`);
  const pick = <T>(xs: readonly T[]): T => xs[g.int(xs.length)];
  const maybe = (p: number, v: number): number => (g.chance(p) ? v : 0);
  const link = (): LinkConfig => ({
    delayMs: g.uniform(1, 60),
    jitterMs: maybe(0.3, g.uniform(0, 3)),
    lossRate: maybe(0.7, g.uniform(0, 0.15)),
    duplicateRate: maybe(0.3, g.uniform(0, 0.05)),
    reorderRate: maybe(0.3, g.uniform(0, 0.05)),
    corruptRate: maybe(0.3, g.uniform(0, 0.02)),
    bandwidthBps: g.chance(0.5) ? g.uniform(0.5e6, 50e6) : undefined,
    queueLimitBytes: pick([undefined, 8_000, 30_000, 200_000]),
    mtu: 1500,
  });
  const streams: StreamPlan[] = Array.from({ length: 1 + g.int(12) }, () => ({
    bidi: g.chance(0.5),
    size: pick([0, 1, 100, 1200, 5_000, 20_000, 60_000]) + g.int(1000),
    response: pick([0, 10, 3_000, 15_000]),
    urgency: g.chance(0.3) ? g.int(8) : undefined,
  }));
  const limits = () => ({
    initialMaxData: pick([1_000, 8_000, 50_000, 400_000]),
    initialMaxStreamDataBidiLocal: pick([500, 4_000, 64_000]),
    initialMaxStreamDataBidiRemote: pick([500, 4_000, 64_000]),
    initialMaxStreamDataUni: pick([500, 4_000, 64_000]),
    initialMaxStreamsBidi: 1 + g.int(5),
    initialMaxStreamsUni: 1 + g.int(5),
  });
  const up = link();
  return {
    seed,
    link: up,
    reverse: g.chance(0.5) ? up : link(),
    streams,
    client: g.chance(0.6) ? limits() : undefined,
    server: g.chance(0.6) ? limits() : undefined,
    streamConfig: g.chance(0.5) ? { maxStreamWindow: pick([4_000, 100_000]), maxConnectionWindow: pick([10_000, 300_000]), sendBuffer: pick([1_000, 16_000, 200_000]) } : undefined,
    readLimit: g.chance(0.3) ? pick([200, 2_000, 20_000]) : undefined,
    readEveryMs: 1 + g.int(20),
    maxTime: 1_800_000,
  };
}

test(`${COUNT} random transfer scenarios complete byte-exact within their windows`, () => {
  const t0 = performance.now();
  let bytes = 0, lost = 0, blocked = 0;
  forEachSeed(COUNT, 'transfer', (seed) => {
    const o = scenario(seed);
    const r = transfer(o);
    const expected = o.streams.reduce((n, s) => n + s.size + (s.bidi ? s.response ?? 0 : 0), 0);
    assert.is(r.delivered, expected);
    bytes += r.delivered;
    for (const l of r.sim.links()) lost += l.stats.lost + l.stats.queueDropped + l.stats.corrupted;
    if ((o.server?.initialMaxStreamsBidi ?? 100) < o.streams.length) blocked++;
  });
  if (!envVar('JSP_SIM_SEED')) {
    console.log(`    ${COUNT} scenarios, ${(bytes / 1e6).toFixed(1)} MB, ${lost} datagrams lost, dropped or corrupted, ${blocked} with fewer streams allowed than used, ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(lost > COUNT && blocked > COUNT / 10, 'the scenarios met loss and stream limits');
  }
});

test.run();
