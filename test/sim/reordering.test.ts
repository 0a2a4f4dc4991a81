/**
 * Reordering without loss, through the whole sans-IO core in the simulator (20 Mbit/s, 50 ms
 * RTT): 2% of datagrams arrive 10 ms late, i.e. about 20 datagrams behind. RFC 9002's fixed
 * kPacketThreshold of 3 calls each of them lost and halves the window each time; with spurious-loss
 * detection (src/core/recovery/spurious.ts) the sender learns the reordering distance, stops
 * declaring late packets lost and undoes the reductions. Both runs deliver every byte; the adaptive
 * one keeps most of the link.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { transfer, type StreamPlan } from './transfer-util.ts';

const RATE = 20e6;
const plan: StreamPlan[] = Array.from({ length: 16 }, (_, i) => ({ bidi: i % 2 === 0, size: 250_000 }));
const link = { delayMs: 25, bandwidthBps: RATE, queueLimitBytes: 250_000, overheadBytes: 28, mtu: 1500, reorderRate: 0.02, reorderDelayMs: 10 };

function run(adaptiveReordering: boolean) {
  const r = transfer({ seed: 'reorder', link, streams: plan, recovery: { adaptiveReordering } });
  assert.is(r.delivered, 4_000_000);
  const goodput = (r.delivered * 8) / (r.doneAt / 1000);
  const rec = r.client.recovery;
  console.log(`    adaptive ${adaptiveReordering}: ${(goodput / 1e6).toFixed(2)} Mbit/s (${(100 * goodput / RATE).toFixed(1)}% of the link); `
    + `${rec.spurious.spuriousLosses} spurious losses, ${rec.spurious.undoneCongestionEvents} events undone, packet threshold ${rec.packetThreshold}, time threshold ${rec.timeThreshold.toFixed(3)}`);
  return { goodput, rec };
}

test('2% of datagrams 10 ms late: adaptive thresholds keep ≥ 70% of the link; fixed RFC 9002 thresholds do not', () => {
  const fixed = run(false);
  const adaptive = run(true);
  assert.is(fixed.rec.packetThreshold, 3);
  assert.ok(adaptive.rec.packetThreshold > 3, 'the threshold learned the reordering distance');
  assert.ok(adaptive.rec.spurious.undoneCongestionEvents > 0);
  assert.ok(adaptive.goodput >= 0.7 * RATE, `adaptive goodput ${adaptive.goodput}`);
  assert.ok(adaptive.goodput >= 1.5 * fixed.goodput, 'the mechanism is what makes the difference');
});

test.run();
