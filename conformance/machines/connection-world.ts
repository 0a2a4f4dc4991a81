/**
 * The world the connection lifecycle driver (connection-driver.ts) works in: a real client and
 * server of src/core/connection on the simulator, each with a small application that records the
 * lifecycle steps its connection reports (`Connection.lifecycleObserver`), the events, the
 * datagrams that arrived, and reads its streams when told to; plus the packets a network or an
 * attacker can deliver — a duplicate, a forged Initial or 1-RTT packet, a Version Negotiation.
 *
 * @module
 */
import { Connection, type ConnectionEvent, type LifecycleStep } from '../../src/core/connection/index.ts';
import { FramePlan, sealInitial, sealShort } from '../../src/core/connection/assembler.ts';
import { splitDatagram } from '../../src/core/connection/headers.ts';
import { versionNegotiation } from '../../src/core/connection/version.ts';
import type { HandshakeKeys } from '../../src/core/handshake/index.ts';
import { initialKeys, KeyPhases } from '../../src/core/protection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { AntiReplay, ServerTickets, TicketKeys, type ClientTicket } from '../../src/core/tickets/index.ts';
import { nodeProvider as p } from '../../src/crypto/node.ts';
import type { Frame } from '../../src/gen/frames.ts';
import { Simulator, type Datagram, type SimEndpoint } from '../../src/sim/index.ts';

export type Who = 'C' | 'S';
/** How a world starts: a fresh client, or one resuming with a ticket that allows 0-RTT. */
export type Start = 'fresh' | 'resumed';

/** Both sides' idle timeout; the keep-alive keeps a live path from idling out; a shutdown's time limit outlasts the idle timeout. */
export const IDLE_MS = 3000;
export const KEEP_ALIVE_MS = 1000;
export const SHUTDOWN_MS = 6000;

/** The server's static key pair (shared with test/core/connection-model.test.ts). */
export const serverSecret = p.sha256(new TextEncoder().encode('jsp connection driver server'));
export const serverKey = p.x25519.publicKey(serverSecret);
const ticketKeys = new TicketKeys({ provider: p, rng: seededRng(p, 'jsp connection driver ticket keys') }, 0);
/** The resumed world's wall clock starts this much after the first connection's, so the ticket's age agrees on both sides. */
export const EPOCH_MS = 1000;

/** One side: its connection (the server's is made by the first Initial that arrives) and its application. */
export class Side implements SimEndpoint {
  conn: Connection | undefined;
  readonly steps: LifecycleStep[] = [];
  readonly events: ConnectionEvent[] = [];
  readonly received: Uint8Array[] = [];
  /** The 1-RTT secrets (copied: the connection wipes its own when it ends). */
  keys: HandshakeKeys | undefined;
  /** Whether the application reads what its streams received (else the data waits, unread). */
  reads = true;
  readonly #readable = new Set<number>();

  constructor(readonly address: Who, readonly seed: string, start: Start = 'fresh') {
    if (address === 'C') {
      const session = start === 'resumed' ? { ticket: resumptionTicket(), epochMs: EPOCH_MS } : undefined;
      this.#attach(Connection.client({ ...options(`${seed}/c`), remote: 'S', handshake: { serverKey }, session }, 0));
    }
  }

  get c(): Connection {
    if (!this.conn) throw new Error(`connection driver: side ${this.address} has no connection yet`);
    return this.conn;
  }

  #attach(c: Connection): void {
    this.conn = c;
    c.lifecycleObserver = (s) => this.steps.push(s);
  }

  handleDatagram(now: number, from: string, data: Uint8Array): void {
    if (!this.conn) {
      const first = splitDatagram(data)[0];
      if (first?.form !== 'initial') return;
      this.#attach(Connection.server({
        ...options(`${this.seed}/s`), remote: from, handshake: { staticKeys: [serverSecret], tickets: serverTickets(EPOCH_MS) },
        clientScid: first.scid, originalDcid: first.dcid,
      }, now));
    }
    this.received.push(data.slice());
    this.conn!.handleDatagram(now, from, data);
  }
  pollTransmit(now: number): Datagram | undefined {
    const t = this.conn?.pollTransmit(now);
    return t && { from: this.address, to: t.to, data: t.data };
  }
  pollTimeout(): number | undefined { return this.conn?.pollTimeout(); }
  handleTimeout(now: number): void { this.conn?.handleTimeout(now); }

  /** The application: takes the events, and reads every readable stream to its end when it reads at all. */
  poll(): void {
    const c = this.conn;
    if (!c) return;
    for (let e = c.pollEvent(); e; e = c.pollEvent()) {
      this.events.push(e);
      if (e.type === 'connected') this.keys = { ...e.keys, clientSecret: e.keys.clientSecret.slice(), serverSecret: e.keys.serverSecret.slice() };
      if (e.type === 'stream_readable') this.#readable.add(e.id);
    }
    if (!this.reads) return;
    for (const id of this.#readable) {
      try {
        for (let r = c.read(id); ; r = c.read(id)) {
          if (r.fin || r.resetCode !== undefined) { this.#readable.delete(id); break; }
          if (r.data.length === 0) break;
        }
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        this.#readable.delete(id); // read to its end and forgotten
      }
    }
  }
}

function options(seed: string) {
  return { provider: p, rng: seededRng(p, seed), idleTimeoutMs: IDLE_MS, keepAliveMs: KEEP_ALIVE_MS };
}

/** A server's tickets: the shared ticket keys, an anti-replay record of its own, its wall clock at time 0. */
export function serverTickets(epochMs: number): ServerTickets {
  return new ServerTickets({ keys: ticketKeys, antiReplay: new AntiReplay(), epochMs });
}

let ticket: ClientTicket | undefined;

/** A genuine ticket allowing 0-RTT: a first connection to a server of the same ticket keys, made once. */
export function resumptionTicket(): ClientTicket {
  if (ticket) return ticket;
  const sim = new Simulator({ seed: 'jsp connection driver ticket' });
  const c = Connection.client({ provider: p, rng: seededRng(p, 'ticket/c'), remote: 'S', handshake: { serverKey } }, 0);
  let s: Connection | undefined;
  sim.addEndpoint({
    address: 'C', handleDatagram: (now, from, d) => c.handleDatagram(now, from, d), handleTimeout: (now) => c.handleTimeout(now), pollTimeout: () => c.pollTimeout(),
    pollTransmit: (now) => { const t = c.pollTransmit(now); return t && { from: 'C', to: t.to, data: t.data }; },
  });
  sim.addEndpoint({
    address: 'S',
    handleDatagram: (now, from, d) => {
      if (!s) {
        const first = splitDatagram(d)[0];
        if (first?.form !== 'initial') return;
        s = Connection.server({ provider: p, rng: seededRng(p, 'ticket/s'), remote: from, handshake: { staticKeys: [serverSecret], tickets: serverTickets(0) }, clientScid: first.scid, originalDcid: first.dcid }, now);
      }
      s.handleDatagram(now, from, d);
    },
    handleTimeout: (now) => s?.handleTimeout(now), pollTimeout: () => s?.pollTimeout(),
    pollTransmit: (now) => { const t = s?.pollTransmit(now); return t && { from: 'S', to: t.to, data: t.data }; },
  });
  sim.link('C', 'S', { delayMs: 10 });
  let got: ClientTicket | undefined;
  sim.run({ until: () => { for (let e = c.pollEvent(); e; e = c.pollEvent()) if (e.type === 'ticket') got = e.ticket; return got !== undefined; }, maxTime: 1000 });
  if (!got || got.maxEarlyData === 0) throw new Error('connection driver: the first connection gave no ticket allowing 0-RTT');
  return (ticket = got);
}

/** A client and a server on a 10 ms link; `drop` says which direction loses everything. */
export class World {
  readonly sim: Simulator;
  readonly sides: Record<Who, Side>;
  drop: 'none' | 'all' | 'c2s' | 's2c' = 'none';
  #forged = 0;

  constructor(seed: string, start: Start) {
    this.sim = new Simulator({ seed });
    this.sides = { C: new Side('C', seed, start), S: new Side('S', seed) };
    this.sim.addEndpoint(this.sides.C);
    this.sim.addEndpoint(this.sides.S);
    this.sim.link('C', 'S', { delayMs: 10 });
    this.sim.intercept = (d) => (this.drop === 'all' || (this.drop === 'c2s' && d.from === 'C') || (this.drop === 's2c' && d.from === 'S') ? 'drop' : undefined);
  }

  get now(): number { return this.sim.now; }

  poll(): void { this.sides.C.poll(); this.sides.S.poll(); }

  /** Runs until `done` holds (checked after every event) or `ms` pass; whether it held. */
  run(ms: number, done: () => boolean = () => false): boolean {
    this.poll();
    const r = this.sim.run({ until: () => { this.poll(); return done(); }, maxTime: this.sim.now + ms });
    this.poll();
    return r.reason === 'condition';
  }

  /** `packet` delivered to `to` now, as if from its peer. */
  deliver(to: Who, packet: Uint8Array): void {
    this.sides[to].handleDatagram(this.now, to === 'C' ? 'S' : 'C', packet);
  }

  /** An Initial packet from `to`'s peer under the Initial keys of the connection, carrying `frames`. */
  forgeInitial(to: Who, frames: Frame[]): Uint8Array {
    const c = this.sides[to].c;
    const ik = initialKeys(p, c.originalDcid);
    const plan = new FramePlan(1200);
    for (const f of frames) plan.add(f);
    return sealInitial({ keys: to === 'C' ? ik.server : ik.client, dcid: c.localCid, scid: new Uint8Array(8).fill(1), pn: 1_000_000 + this.#forged++, largestAcked: undefined, plan, padTo: 1200 });
  }

  /** A 1-RTT packet from `to`'s peer under the handshake's 1-RTT keys, carrying `frames`. */
  forgeOneRtt(to: Who, frames: Frame[]): Uint8Array {
    const keys = this.sides.C.keys ?? this.sides.S.keys;
    if (!keys) throw new Error('connection driver: no 1-RTT keys to forge a packet with');
    const toServer = to === 'S';
    const kp = new KeyPhases({ provider: p, suite: keys.suite, sendSecret: toServer ? keys.clientSecret : keys.serverSecret, receiveSecret: toServer ? keys.serverSecret : keys.clientSecret, previousKeyRetention: 1000 });
    const plan = new FramePlan(1200);
    for (const f of frames) plan.add(f);
    return sealShort({ keys: kp, dcid: this.sides[to].c.localCid, pn: 1_000_000 + this.#forged++, largestAcked: undefined, plan });
  }

  /** A handshake record that does not decode, at the next offset of `to`'s handshake stream. */
  badRecord(to: Who): Uint8Array {
    const c = this.sides[to].c;
    return this.forgeInitial(to, [{ type: 'handshake', offset: c.handshakeReceived, data: Uint8Array.of(3, 0xff, 0xff, 0xff) }]);
  }

  /** A STREAM frame of bidirectional stream `index` of `to`'s peer. */
  streamFrame(to: Who, index: number): Frame {
    return { type: 'stream', hasLength: true, fin: false, streamId: 4 * index + (to === 'C' ? 1 : 0), data: new Uint8Array(10) } as Frame;
  }

  /** A Version Negotiation from "the server" that does not list version 1. */
  versionNegotiation(): Uint8Array {
    const c = this.sides.C.c;
    return versionNegotiation({ version: 1, dcid: c.originalDcid, scid: c.localCid }, 5, [0x0a0a0a0a]);
  }
}
