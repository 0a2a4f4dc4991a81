/**
 * A stream transfer between two core Endpoints in the simulator, checked end to end: the client
 * opens streams (as many as the server's limit allows, the rest when `streams_available` says
 * so), writes each stream's bytes as fast as its send buffer takes them and finishes it; the
 * server reads (eagerly, or paced by a slow reader) and, on a bidirectional stream, answers with
 * bytes of its own, which the client reads. Every byte is compared with what was sent; after
 * every step the receivers' flow-control and memory invariants are asserted.
 */
import * as assert from 'uvu/assert';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import type { TransportParameters } from '../../src/gen/messages.ts';
import { Prng, Simulator, TraceDigest, traceFromEnv, type LinkConfig, type RunResult } from '../../src/sim/index.ts';

const serverSecret = p.sha256(new TextEncoder().encode('sim transfer server'));
const serverKey = p.x25519.publicKey(serverSecret);

export interface StreamPlan {
  bidi: boolean;
  /** Bytes the client sends. */
  size: number;
  /** Bytes the server answers with (bidirectional streams only). */
  response?: number;
  urgency?: number;
}

export interface TransferOptions {
  seed: string;
  link: LinkConfig;
  /** The link from server to client (default: `link`). */
  reverse?: LinkConfig;
  streams: StreamPlan[];
  client?: Partial<TransportParameters>;
  server?: Partial<TransportParameters>;
  /** Window maxima and send buffer, both sides. */
  streamConfig?: { maxStreamWindow?: number; maxConnectionWindow?: number; sendBuffer?: number };
  /** The server reads at most this many bytes per stream every `readEveryMs` (default: everything at once). */
  readLimit?: number;
  readEveryMs?: number;
  /** Loss-detection thresholds, both sides (default RFC 9002's). */
  recovery?: { packetThreshold?: number; timeThreshold?: number; adaptiveReordering?: boolean };
  /** Called after every step of the simulation (to change a link mid-transfer, say). */
  during?: (sim: Simulator, client: Connection) => void;
  /** The largest datagram either side may send (above 1200: path MTU discovery). */
  maxDatagramSize?: number;
  /** Simulated time limit, ms (default 600 s). */
  maxTime?: number;
}

export interface TransferResult {
  run: RunResult;
  /** Bytes delivered to the applications (both directions). */
  delivered: number;
  /** The time the last byte was read (ms of simulated time). */
  doneAt: number;
  /** The most bytes the server's receiving parts held at once. */
  maxRecvBuffered: number;
  /** The largest connection window the server reached. */
  maxConnWindow: number;
  /** Wall-clock ms of the run. */
  wallMs: number;
  sim: Simulator;
  client: Connection;
  server: Connection;
  digest: string;
}

/** The bytes of stream `index` in `direction`, reproducible. */
export function streamBytes(seed: string, index: number, direction: 'up' | 'down', size: number): Uint8Array {
  const out = new Uint8Array(size);
  const g = new Prng(`${seed}/${direction}/${index}`);
  for (let i = 0; i < size; i += 4) {
    const x = g.nextU32();
    out[i] = x & 0xff;
    if (i + 1 < size) out[i + 1] = (x >>> 8) & 0xff;
    if (i + 2 < size) out[i + 2] = (x >>> 16) & 0xff;
    if (i + 3 < size) out[i + 3] = x >>> 24;
  }
  return out;
}

interface Sending { id: number; data: Uint8Array; at: number; finished: boolean }
interface Receiving { expected: Uint8Array; at: number; done: boolean }

export function transfer(o: TransferOptions): TransferResult {
  const t0 = performance.now();
  const digest = new TraceDigest();
  const env = traceFromEnv(`${o.seed} `);
  const sim = new Simulator({ seed: o.seed, trace: (e) => { digest.add(e); env?.(e); } });
  const config = { streams: o.streamConfig, recovery: o.recovery, maxDatagramSize: o.maxDatagramSize };
  const se = sim.addEndpoint(new Endpoint({ address: '10.0.0.1:4433', provider: p, rng: seededRng(p, `${o.seed}/s`), server: { staticKeys: [serverSecret], transportParameters: o.server }, ...config }));
  const ce = sim.addEndpoint(new Endpoint({ address: '10.0.0.2:50000', provider: p, rng: seededRng(p, `${o.seed}/c`), ...config }));
  sim.link(ce.address, se.address, o.link, o.reverse ?? o.link);
  const client = ce.connect(sim.now, se.address, { serverKey, transportParameters: o.client });
  let server: Connection | undefined;

  const up = o.streams.map((s, i) => streamBytes(o.seed, i, 'up', s.size));
  const down = o.streams.map((s, i) => streamBytes(o.seed, i, 'down', s.bidi ? s.response ?? 0 : 0));
  const toOpen = o.streams.map((_, i) => i);
  const sending = new Map<number, Sending>(); // client streams by id
  const serverSending = new Map<number, Sending>();
  const atServer = new Map<number, Receiving>();
  const atClient = new Map<number, Receiving>();
  const indexOf = new Map<number, number>(); // stream id → plan index
  let delivered = 0, doneAt = 0, readersDone = 0;
  const readersExpected = o.streams.length + o.streams.filter((s) => s.bidi).length;
  let maxRecvBuffered = 0, maxConnWindow = 0;
  let connected = false;
  const failures: string[] = [];

  const pump = (c: Connection, m: Map<number, Sending>, id: number) => {
    const s = m.get(id);
    if (!s || s.finished) return;
    while (s.at < s.data.length) {
      const n = c.write(id, s.data.subarray(s.at));
      if (n === 0) return;
      s.at += n;
    }
    c.finish(id);
    s.finished = true;
  };
  const openMore = () => {
    while (toOpen.length) {
      const i = toOpen[0];
      const id = client.openStream(o.streams[i].bidi);
      if (id === undefined) return;
      toOpen.shift();
      indexOf.set(id, i);
      if (o.streams[i].urgency !== undefined) client.setUrgency(id, o.streams[i].urgency!);
      sending.set(id, { id, data: up[i], at: 0, finished: false });
      if (o.streams[i].bidi) atClient.set(id, { expected: down[i], at: 0, done: false });
      pump(client, sending, id);
    }
  };
  const drain = (c: Connection, m: Map<number, Receiving>, id: number, limit = Number.MAX_SAFE_INTEGER) => {
    const r = m.get(id);
    if (!r || r.done) return;
    let budget = limit;
    while (budget > 0) {
      const got = c.read(id, budget);
      if (got.resetCode !== undefined) { failures.push(`stream ${id} reset with ${got.resetCode}`); r.done = true; return; }
      const exp = r.expected.subarray(r.at, r.at + got.data.length);
      if (got.data.length !== exp.length || !got.data.every((b, k) => b === exp[k])) {
        failures.push(`stream ${id}: bytes ${r.at}..${r.at + got.data.length} differ from what was sent`);
      }
      r.at += got.data.length;
      delivered += got.data.length;
      budget -= got.data.length;
      if (got.fin) {
        if (r.at !== r.expected.length) failures.push(`stream ${id}: FIN after ${r.at} of ${r.expected.length} bytes`);
        r.done = true;
        readersDone++;
        doneAt = sim.now;
        return;
      }
      if (got.data.length === 0) return;
    }
  };
  const onServerEvent = (sc: Connection, e: ConnectionEvent) => {
    switch (e.type) {
      case 'stream_readable':
        if (!atServer.has(e.id)) {
          // The client's i-th stream of a kind is the i-th of our plan of that kind: find it by id.
          const idx = clientIndex(o.streams, e.id);
          atServer.set(e.id, { expected: up[idx], at: 0, done: false });
          if (o.streams[idx].bidi) {
            serverSending.set(e.id, { id: e.id, data: down[idx], at: 0, finished: false });
            pump(sc, serverSending, e.id);
          }
        }
        if (o.readLimit === undefined) drain(sc, atServer, e.id);
        return;
      case 'stream_writable': pump(sc, serverSending, e.id); return;
      case 'closed': if (!(readersDone === readersExpected)) failures.push(`server closed: ${e.error?.message ?? e.reason}`); return;
      default: return;
    }
  };
  const onClientEvent = (e: ConnectionEvent) => {
    switch (e.type) {
      case 'connected': connected = true; openMore(); return;
      case 'streams_available': openMore(); return;
      case 'stream_writable': pump(client, sending, e.id); return;
      case 'stream_readable': drain(client, atClient, e.id); return;
      case 'stream_reset': case 'stream_stopped': failures.push(`client: ${e.type} on ${e.id}`); return;
      case 'closed': if (!(readersDone === readersExpected)) failures.push(`client closed: ${e.error?.message ?? e.reason}`); return;
      default: return;
    }
  };
  if (o.readLimit !== undefined) {
    const every = o.readEveryMs ?? 5;
    const tick = (s: Simulator) => {
      if (server) for (const id of [...atServer.keys()]) drain(server, atServer, id, o.readLimit);
      if (readersDone < readersExpected && failures.length === 0) s.schedule(s.now + every, tick);
    };
    sim.schedule(every, tick);
  }

  const run = sim.run({
    maxTime: o.maxTime ?? 600_000,
    until: () => {
      o.during?.(sim, client);
      for (let e = client.pollEvent(); e; e = client.pollEvent()) onClientEvent(e);
      server ??= se.accept();
      if (server) {
        for (let e = server.pollEvent(); e; e = server.pollEvent()) onServerEvent(server, e);
        const st = server.streamStats();
        if (st) {
          if (st.overLimit || st.overWindow) failures.push(`server: ${st.overLimit} streams beyond their limit, ${st.overWindow} holding more than their window`);
          if (st.connReceived > st.connLimit) failures.push(`server: ${st.connReceived} bytes received, limit ${st.connLimit}`);
          if (st.recvBuffered > st.connWindow) failures.push(`server: ${st.recvBuffered} bytes buffered, window ${st.connWindow}`);
          maxRecvBuffered = Math.max(maxRecvBuffered, st.recvBuffered);
          maxConnWindow = Math.max(maxConnWindow, st.connWindow);
        }
      }
      const cs = connected ? client.streamStats() : undefined;
      if (cs && (cs.overLimit || cs.overWindow || cs.connReceived > cs.connLimit)) failures.push('client: a receive limit was exceeded');
      return failures.length > 0 || readersDone === readersExpected;
    },
  });
  assert.equal(failures, [], failures.join('; '));
  assert.is(run.reason, 'condition', `transfer stopped (${run.reason}) at ${run.now.toFixed(0)} ms with ${readersDone}/${readersExpected} streams read; ${toOpen.length} never opened`);
  return { run, delivered, doneAt, maxRecvBuffered, maxConnWindow, wallMs: performance.now() - t0, sim, client, server: server!, digest: digest.hex() };
}

/** The plan index of the client's stream `id`: the n-th stream of its kind is the n-th of that kind in the plan. */
function clientIndex(plan: StreamPlan[], id: number): number {
  const bidi = (id & 2) === 0;
  let n = Math.floor(id / 4);
  for (let i = 0; i < plan.length; i++) {
    if (plan[i].bidi !== bidi) continue;
    if (n-- === 0) return i;
  }
  throw new Error(`stream ${id} is not in the plan`);
}
