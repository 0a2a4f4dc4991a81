/**
 * The core's `Endpoint` is a {@link SimEndpoint}: real JSP handshakes run in the simulator, on a
 * clean path (two round trips to confirmation) and over a lossy, corrupting, reordering path
 * for several seeds, where they must still complete and be reproducible from the seed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Endpoint } from '../../src/core/connection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { forEachSeed, Simulator, TraceDigest, traceFromEnv, type LinkConfig, type SimEndpoint } from '../../src/sim/index.ts';

const serverSecret = p.sha256(new TextEncoder().encode('sim test server'));
const serverKey = p.x25519.publicKey(serverSecret);

function handshake(seed: string, link: LinkConfig) {
  const digest = new TraceDigest();
  const env = traceFromEnv(`${seed} `);
  const sim = new Simulator({ seed, trace: (e) => { digest.add(e); env?.(e); } });
  const server = sim.addEndpoint(new Endpoint({ address: '10.0.0.1:4433', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [serverSecret] } }));
  const client = sim.addEndpoint(new Endpoint({ address: '10.0.0.2:50000', provider: p, rng: seededRng(p, `${seed}/c`) }));
  sim.link(client.address, server.address, link);
  const conn = client.connect(sim.now, server.address, { serverKey });
  const r = sim.run({ until: () => conn.handshakeState === 'confirmed' && server.connections[0]?.handshakeState === 'confirmed', maxTime: 60_000 });
  return { r, sim, conn, server, digest: digest.hex() };
}

test('the connection Endpoint satisfies SimEndpoint (compile-time) and confirms in two round trips on a clean path', () => {
  const ep: SimEndpoint = new Endpoint({ address: 'x', provider: p, rng: seededRng(p, 'x') });
  assert.is(ep.address, 'x');
  const { r, conn } = handshake('clean', { delayMs: 10 });
  assert.is(r.reason, 'condition');
  assert.is(conn.handshakeState, 'confirmed');
  assert.is(r.now, 40);
});

test('handshakes complete over a lossy, duplicating, reordering, corrupting path, reproducibly per seed', () => {
  const bad: LinkConfig = { delayMs: 25, jitterMs: 5, lossRate: 0.2, duplicateRate: 0.05, reorderRate: 0.1, corruptRate: 0.05, bandwidthBps: 10e6, mtu: 1500 };
  const hit = { lost: 0, corrupted: 0, duplicated: 0 };
  forEachSeed(12, 'hs-lossy', (seed) => {
    const a = handshake(seed, bad);
    for (const l of a.sim.links()) for (const k of ['lost', 'corrupted', 'duplicated'] as const) hit[k] += l.stats[k];
    assert.is(a.r.reason, 'condition', `stopped: ${a.r.reason} at ${a.r.now} ms`);
    const b = handshake(seed, bad);
    assert.is(b.digest, a.digest, 'same seed, same trace');
    assert.is(b.r.now, a.r.now);
  });
  if (!process.env.JSP_SIM_SEED) assert.ok(hit.lost > 3 && hit.corrupted > 0 && hit.duplicated > 0, `impairments met: ${JSON.stringify(hit)}`);
});

test.run();
