/**
 * `npm run bench -- sim`: the core moving data in the simulator (src/sim) over a 20 Mbit/s
 * bottleneck with 50 ms RTT and a queue of about two bandwidth-delay products — goodput as a
 * fraction of the link rate at 0%, 1% and 5% random loss, and the core's CPU time per megabyte
 * moved (both endpoints, crypto included, simulator excluded as far as it is cheap). The
 * simulator's clock is virtual, so goodput does not depend on the machine; CPU time does.
 */
import { Endpoint, type Connection } from '../core/connection/index.ts';
import { seededRng } from '../core/rng.ts';
import { nodeProvider as p } from '../crypto/node.ts';
import { Simulator } from '../sim/index.ts';
import type { BenchResult } from './harness.ts';

const RATE = 20e6;
const RTT = 50;

/** One transfer: `streams` unidirectional streams of `bytes` in total from client to server. */
export function simTransfer(o: { loss: number; bytes: number; streams: number; seed: string; maxTimeMs?: number }): { seconds: number; cpuMs: number; delivered: number } {
  const cpu0 = process.cpuUsage();
  const secret = p.sha256(new TextEncoder().encode('bench sim server'));
  const sim = new Simulator({ seed: o.seed });
  const server = sim.addEndpoint(new Endpoint({ address: 'server', provider: p, rng: seededRng(p, `${o.seed}/s`), server: { staticKeys: [secret] } }));
  const client = sim.addEndpoint(new Endpoint({ address: 'client', provider: p, rng: seededRng(p, `${o.seed}/c`) }));
  const bdp = (RATE / 8) * (RTT / 1000);
  sim.link('client', 'server', { delayMs: RTT / 2, lossRate: o.loss, bandwidthBps: RATE, queueLimitBytes: Math.round(2 * bdp) });
  const conn = client.connect(sim.now, 'server', { serverKey: p.x25519.publicKey(secret) });
  const per = Math.ceil(o.bytes / o.streams);
  const chunk = new Uint8Array(Math.min(per, 64 * 1024)).fill(0x5a);
  const left = new Map<number, number>();
  let toOpen = o.streams, delivered = 0, start: number | undefined;
  let peer: Connection | undefined;
  const finished = new Set<number>();
  const feed = () => {
    if (conn.handshakeState !== 'confirmed' && conn.handshakeState !== 'established') return;
    start ??= sim.now;
    while (toOpen > 0) {
      const id = conn.openStream(false);
      if (id === undefined) break;
      left.set(id, per);
      toOpen--;
    }
    for (const [id, n] of left) {
      let rest = n;
      while (rest > 0) {
        const w = conn.write(id, chunk.subarray(0, Math.min(rest, chunk.length)));
        if (w === 0) break;
        rest -= w;
      }
      if (rest === 0) { conn.finish(id); left.delete(id); } else left.set(id, rest);
    }
    for (let e = conn.pollEvent(); e; e = conn.pollEvent()) { /* writable / available: the loop above retries */ }
    peer ??= server.accept();
    if (peer) {
      for (let e = peer.pollEvent(); e; e = peer.pollEvent()) {
        if ((e.type !== 'stream_readable' && e.type !== 'stream_opened') || finished.has(e.id)) continue;
        for (;;) {
          const r = peer.read(e.id);
          delivered += r.data.length;
          if (r.fin) { finished.add(e.id); break; }
          if (r.data.length === 0) break;
        }
      }
    }
  };
  const r = sim.run({ until: () => { feed(); return delivered >= per * o.streams; }, maxTime: o.maxTimeMs ?? 600_000 });
  const used = process.cpuUsage(cpu0);
  return { seconds: (r.now - (start ?? 0)) / 1000, cpuMs: (used.user + used.system) / 1000, delivered };
}

export function benchSim(): BenchResult[] {
  const out: BenchResult[] = [];
  for (const [loss, bytes] of [[0, 10e6], [0.01, 2e6], [0.05, 1e6]] as const) {
    const t = simTransfer({ loss, bytes, streams: 16, seed: `bench ${loss}` });
    const goodput = (t.delivered * 8) / t.seconds;
    out.push({ name: `sim goodput, ${loss * 100}% loss, 50 ms RTT, 20 Mbit/s (${(t.delivered / 1e6).toFixed(0)} MB)`, value: Math.round((goodput / RATE) * 1000) / 10, unit: '% of link' });
    if (loss === 0) out.push({ name: 'sim core CPU per MB moved (both endpoints, node provider)', value: Math.round((t.cpuMs / (t.delivered / 1e6)) * 10) / 10, unit: 'ms/MB' });
  }
  return out;
}
