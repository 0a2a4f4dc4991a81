/**
 * Bulk transfer through the whole sans-IO core in the simulator: 100 streams (half
 * bidirectional, half unidirectional) move 10 MB from client to server over a 20 Mbit/s path
 * with 50 ms RTT, under 0%, 1%, 5% and 20% loss with reordering, duplication and corruption.
 * Every byte is compared with what was sent; the server's receive windows are checked after
 * every step (never exceeded, buffers never above the window); the run must end because every
 * stream was read to its FIN — not by quiescence (a deadlock) or the time limit.
 *
 * Goodput (bytes delivered / simulated time to the last byte) is printed against the link rate.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LinkConfig } from '../../src/sim/index.ts';
import { transfer, type StreamPlan } from './transfer-util.ts';

const RATE = 20e6; // bits/s
const TOTAL = 10_000_000;
const STREAMS = 100;
const plan: StreamPlan[] = Array.from({ length: STREAMS }, (_, i) => ({ bidi: i % 2 === 0, size: TOTAL / STREAMS }));

function path(lossRate: number, impaired = true): LinkConfig {
  // 25 ms each way; the bottleneck queue holds about two bandwidth-delay products.
  const wire: LinkConfig = { delayMs: 25, bandwidthBps: RATE, queueLimitBytes: 250_000, overheadBytes: 28, mtu: 1500 };
  if (!impaired) return wire;
  return { ...wire, lossRate, duplicateRate: 0.005, reorderRate: 0.005, reorderDelayMs: 5, corruptRate: lossRate > 0 ? 0.001 : 0 };
}

function report(label: string, r: ReturnType<typeof transfer>): number {
  const goodput = (r.delivered * 8) / (r.doneAt / 1000);
  const s = r.sim.links()[0].stats;
  console.log(`    ${label}: ${(goodput / 1e6).toFixed(2)} Mbit/s = ${(100 * goodput / RATE).toFixed(1)}% of ${RATE / 1e6} Mbit/s`
    + ` in ${(r.doneAt / 1000).toFixed(1)} s simulated, ${r.wallMs.toFixed(0)} ms wall; ${s.lost} lost, ${s.corrupted} corrupted, ${s.reordered} reordered,`
    + ` ${s.duplicated} duplicated of ${s.sent} datagrams; peak receive buffer ${(r.maxRecvBuffered / 1024).toFixed(0)} KiB, window ${(r.maxConnWindow / 1024).toFixed(0)} KiB`);
  return goodput;
}

function check(r: ReturnType<typeof transfer>): void {
  assert.is(r.delivered, TOTAL);
  // Memory: what the receiver buffered never went beyond its (auto-tuned, bounded) connection window.
  assert.ok(r.maxRecvBuffered <= r.maxConnWindow);
  assert.not.ok(r.client.isClosed || r.server.isClosed, 'no connection closed');
  const st = r.server.streamStats()!;
  assert.is(st.streams, 0, 'every stream was forgotten once both its parts were done');
  assert.is(st.connReceived, TOTAL);
}

test('100 streams move 10 MB byte-exact on a clean 20 Mbit/s path: most of the link rate', () => {
  const r = transfer({ seed: 'bulk-clean', link: path(0, false), streams: plan });
  check(r);
  assert.ok(report('clean      ', r) >= 0.8 * RATE, 'goodput below 80% of the link');
});

/**
 * Goodput floors, as a fraction of the link rate. Reordering alone costs little: a datagram 5 ms
 * late (10 datagrams at this rate) is first declared lost, then its late ACK raises the
 * reordering thresholds and undoes the window reduction (src/core/recovery/spurious.ts; see
 * reordering.test.ts); the lossy floors are below NewReno's Mathis bound (1200 B / 50 ms · 1.22 / √p).
 */
const FLOORS: Record<number, number> = { 0: 0.7, 0.01: 0.05, 0.05: 0.015, 0.2: 0.005 };

for (const loss of [0, 0.01, 0.05, 0.2]) {
  test(`100 streams move 10 MB byte-exact at ${loss * 100}% loss with reordering, duplication${loss ? ' and corruption' : ''}`, () => {
    const r = transfer({ seed: `bulk-${loss}`, link: path(loss), streams: plan, maxTime: 900_000 });
    check(r);
    const goodput = report(`${(loss * 100).toFixed(0).padStart(2)}% loss   `, r);
    assert.ok(goodput >= FLOORS[loss] * RATE, `goodput ${goodput.toFixed(0)} bit/s below ${FLOORS[loss] * 100}% of the link`);
  });
}

test('the same seed gives the same trace (a lossy transfer replays exactly)', () => {
  const small = plan.slice(0, 10).map((s) => ({ ...s, size: 20_000, response: 5_000 }));
  const a = transfer({ seed: 'replay', link: path(0.05), streams: small });
  const b = transfer({ seed: 'replay', link: path(0.05), streams: small });
  assert.is(a.digest, b.digest);
  assert.is(a.doneAt, b.doneAt);
});

test.run();
