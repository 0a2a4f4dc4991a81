/**
 * `npm run bench -- resume`: time to first byte in the simulator (src/sim) with a 50 ms round
 * trip, for the three ways a client can start: a fresh handshake, a resumption without 0-RTT, and
 * a resumption with its request in 0-RTT. The client writes a 200-byte request as soon as it may
 * (at once with 0-RTT, else when the handshake completes); the server answers 1 KB as soon as it
 * reads the request; time to first byte is when the client reads the first byte of the answer. The
 * clock is virtual, so the numbers are exact and the same on every machine.
 */
import { Endpoint, type Connection } from '../core/connection/index.ts';
import { seededRng } from '../core/rng.ts';
import { AntiReplay, MemoryTicketStore, ServerTickets, TicketKeys } from '../core/tickets/index.ts';
import { nodeProvider as p } from '../crypto/node.ts';
import { Simulator } from '../sim/index.ts';
import type { BenchResult } from './harness.ts';

const RTT = 50;
const EPOCH = 1_700_000_000_000;

type Mode = 'fresh' | 'resumed' | '0-rtt';

/** One connection from a client that holds a ticket (unless fresh); the time to first byte of the answer, ms. */
export function timeToFirstByte(mode: Mode, rttMs = RTT, seed = 'bench resume'): number {
  const secret = p.sha256(new TextEncoder().encode('bench resume server'));
  const serverKey = p.x25519.publicKey(secret);
  const tickets = new ServerTickets({ keys: new TicketKeys({ provider: p, rng: seededRng(p, `${seed}/tk`) }, EPOCH), antiReplay: new AntiReplay(), epochMs: EPOCH });
  const sim = new Simulator({ seed });
  const server = sim.addEndpoint(new Endpoint({ address: 'server', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [secret], tickets, transportParameters: { initialMaxData: 1 << 20, initialMaxStreamsBidi: 16, initialMaxStreamDataBidiRemote: 1 << 18 } } }));
  const client = sim.addEndpoint(new Endpoint({ address: 'client', provider: p, rng: seededRng(p, `${seed}/c`) }));
  sim.link('client', 'server', { delayMs: rttMs / 2 });
  const store = new MemoryTicketStore();
  if (mode !== 'fresh') {
    // An earlier connection leaves a ticket in the store.
    const first = client.connect(sim.now, 'server', { serverKey }, { store, epochMs: EPOCH });
    sim.run({ until: () => { for (let e = first.pollEvent(); e; e = first.pollEvent()) { /* the ticket goes to the store */ } return store.count(serverKey) > 0; }, maxTime: 10_000 });
    first.close(sim.now, 0, 'done');
    sim.run({ until: () => false, maxTime: sim.now + 10 * rttMs });
  }
  const start = sim.now;
  const conn = client.connect(start, 'server', { serverKey }, mode === 'fresh' ? undefined : { store, epochMs: EPOCH, earlyData: mode === '0-rtt' });
  const request = new Uint8Array(200).fill(0x71), answer = new Uint8Array(1024).fill(0x61);
  let sent = false, firstByte: number | undefined;
  const send = () => { const id = conn.openStream(true)!; conn.write(id, request); conn.finish(id); sent = true; };
  if (mode === '0-rtt') send();
  const served = new Set<Connection>();
  const step = () => {
    if (!sent && conn.state === 'established') send();
    for (let e = conn.pollEvent(); e; e = conn.pollEvent()) {
      if (e.type === 'stream_readable' && conn.read(e.id).data.length > 0) firstByte ??= sim.now;
    }
    for (const sc of server.connections) {
      for (let e = sc.pollEvent(); e; e = sc.pollEvent()) {
        if (e.type !== 'stream_readable' || served.has(sc)) continue;
        const r = sc.read(e.id);
        if (r.fin) { served.add(sc); sc.write(e.id, answer); sc.finish(e.id); }
      }
    }
    return firstByte !== undefined;
  };
  sim.run({ until: step, maxTime: start + 100 * rttMs });
  if (firstByte === undefined) throw new Error(`bench resume: no answer in ${mode}`);
  return firstByte - start;
}

export function benchResume(): BenchResult[] {
  const fresh = timeToFirstByte('fresh'), resumed = timeToFirstByte('resumed'), early = timeToFirstByte('0-rtt');
  const row = (name: string, v: number): BenchResult => ({ name: `time to first byte, ${name} (simulator, ${RTT} ms RTT)`, value: v, unit: 'ms', peer: 'fresh handshake', ratio: Math.round((fresh / v) * 100) / 100 });
  return [
    { name: `time to first byte, fresh handshake (simulator, ${RTT} ms RTT)`, value: fresh, unit: 'ms' },
    row('resumed, 1-RTT', resumed),
    row('resumed, request in 0-RTT', early),
    { name: 'round trips saved by 0-RTT against a fresh handshake', value: Math.round(((fresh - early) / RTT) * 100) / 100, unit: 'RTT' },
  ];
}
