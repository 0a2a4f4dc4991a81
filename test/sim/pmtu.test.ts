/**
 * Path MTU discovery through the whole sans-IO core in the simulator (pmtu.ts wired into the
 * sender and connection; RFC 9000 §14.3, RFC 8899): the search finds the largest datagram the
 * path carries within the granularity, never above what either side allows; probes lost to the
 * MTU are no congestion signal; bulk data then moves in the larger datagrams, byte-exact.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SEARCH_GRANULARITY } from '../../src/core/connection/pmtu.ts';
import { transfer, type StreamPlan } from './transfer-util.ts';

const plan: StreamPlan[] = Array.from({ length: 4 }, (_, i) => ({ bidi: i % 2 === 0, size: 2_500_000 }));
const wire = { delayMs: 10, bandwidthBps: 100e6, queueLimitBytes: 500_000 };

function sizes(r: ReturnType<typeof transfer>) {
  const s = r.sim.links()[0].stats;
  return { client: r.client.pathMtu, server: r.server.pathMtu, mtuDropped: s.mtuDropped };
}

test('a 9000-byte path: both sides find it (within the granularity) and move 10 MB in large datagrams', () => {
  // A queue that never overflows: every loss on this path is a probe too big for it.
  const r = transfer({ seed: 'pmtu-9000', link: { ...wire, mtu: 9000, queueLimitBytes: 50_000_000 }, streams: plan, maxDatagramSize: 65507 });
  assert.is(r.delivered, 10_000_000);
  r.sim.run({ until: () => r.client.pathMtu.state === 'complete', maxTime: r.sim.now + 5_000 }); // keep-alive-free: probes alone
  const { client, server, mtuDropped } = sizes(r);
  for (const m of [client, server]) {
    assert.is(m.state, 'complete');
    assert.ok(m.current <= 9000 && m.current > 9000 - SEARCH_GRANULARITY, `found ${m.current}`);
    assert.ok(m.probesLost >= 3, 'sizes above the path were probed and lost');
  }
  assert.ok(mtuDropped > 0 && mtuDropped === client.probesLost, 'only probes were too big for the link');
  // The client's congestion controller never saw those losses: no recovery period.
  assert.is(r.client.recovery.congestion.name, 'new_reno');
  assert.is((r.client.recovery.congestion as unknown as { ssthresh: number }).ssthresh, Infinity, 'lost probes made no congestion event');
});

test('the bound of each side holds: 1452 by default on the internet, and without the option the core never probes', () => {
  const r = transfer({ seed: 'pmtu-1500', link: { ...wire, mtu: 1500 }, streams: plan, maxDatagramSize: 1452 });
  assert.is(r.delivered, 10_000_000);
  assert.is(r.client.pathMtu.current, 1452);
  assert.is(r.sim.links()[0].stats.mtuDropped, 0, 'never above the bound, so nothing too big');
  const off = transfer({ seed: 'pmtu-off', link: { ...wire, mtu: 9000 }, streams: plan });
  assert.equal([off.client.pathMtu.current, off.client.pathMtu.state, off.client.pathMtu.probesSent], [1200, 'disabled', 0]);
});

test('larger datagrams: the same transfer needs far fewer datagrams', () => {
  const small = transfer({ seed: 'pmtu-count', link: { ...wire, mtu: 9000 }, streams: plan });
  const large = transfer({ seed: 'pmtu-count', link: { ...wire, mtu: 9000 }, streams: plan, maxDatagramSize: 65507 });
  const n = (r: ReturnType<typeof transfer>) => r.sim.links()[0].stats.sent;
  // The search takes some round trips (three losses per size too big), so part of the transfer
  // still goes in 1200-byte datagrams.
  assert.ok(n(large) * 1.5 < n(small), `${n(large)} datagrams with discovery vs ${n(small)} without`);
});

test('a black hole: the path MTU shrinks mid-transfer; the sender falls back to 1200 and every byte still arrives', () => {
  let shrunk = false;
  const r = transfer({
    seed: 'pmtu-black-hole', link: { ...wire, mtu: 9000, queueLimitBytes: 50_000_000 }, streams: plan, maxDatagramSize: 65507, maxTime: 120_000,
    during: (sim, client) => {
      if (!shrunk && client.pathMtu.current > 8000) {
        shrunk = true;
        for (const l of sim.links()) l.reconfigure({ mtu: 1500 });
      }
    },
  });
  assert.ok(shrunk, 'the search got above 8000 first');
  assert.is(r.delivered, 10_000_000);
  assert.ok(r.client.pathMtu.blackHoles >= 1, 'persistent congestion at the large size was taken for a black hole');
  assert.ok(r.client.pathMtu.current <= 1500 - 0, `back within the path: ${r.client.pathMtu.current}`);
});

test.run();
