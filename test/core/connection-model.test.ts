/**
 * Model-based test (fast-check `fc.commands`) of the connection lifecycle: a real client and
 * server (src/core/connection) on the simulator take random commands — close from either side
 * (application or transport), graceful shutdown, opening streams and writing, PING, time passing
 * with the path clean, lossy, one-way or dead, forged packets that break a rule, a Version
 * Negotiation — and after each command every lifecycle step each side took must be the row that
 * the table of spec/machines/connection.yaml gives for its state, event and guard (stepped by the
 * reference interpreter, conformance/reference/machine.ts), and each side's `state` must be the
 * state the table leads to.
 *
 * The steps are the runtime's own report (`Connection.lifecycleObserver`), so on top of the table
 * the test checks, independently of that report, what each command must have caused: a close or
 * a shutdown of an open side is its next step; a close sent on a clean path reaches the peer
 * (draining) within the command; a dead path ends every side within 8 s (idle timeout, then the
 * closing and draining periods); an open side never reports `closed`, a closing, draining or
 * closed side reports it exactly once. Every row of the table must be taken at least once per run.
 *
 * Requirements: machines.connection.no-transition, machines.connection.close-period,
 * machines.connection.closing, machines.connection.draining, machines.connection.idle-silent.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Connection, type ConnectionEvent, type LifecycleStep } from '../../src/core/connection/index.ts';
import { FramePlan, sealInitial, sealShort } from '../../src/core/connection/assembler.ts';
import { splitDatagram } from '../../src/core/connection/headers.ts';
import { versionNegotiation } from '../../src/core/connection/version.ts';
import type { HandshakeKeys } from '../../src/core/handshake/index.ts';
import { initialKeys, KeyPhases } from '../../src/core/protection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import type { Frame } from '../../src/gen/frames.ts';
import { Prng, Simulator, type Datagram, type SimEndpoint } from '../../src/sim/index.ts';
import { MachineTable } from './machine-table.ts';
// The server's key and a ticket allowing 0-RTT (made once by a first connection; each server has its own anti-replay record).
import { EPOCH_MS, resumptionTicket, serverKey, serverSecret, serverTickets } from '../../conformance/machines/connection-world.ts';

const RUNS = Number(process.env.JSP_MODEL_RUNS ?? 1000);
const IDLE_MS = 2000;
const table = new MachineTable('connection', 'lifecycle');
const OPEN = new Set(['handshaking', 'established', 'shutting_down']);
const line = (s: LifecycleStep) => `${s.state} --${s.event}${s.guard ? `[${s.guard}]` : ''}--> ${s.next}`;

type Who = 'C' | 'S';
type Start = 'fresh' | 'established' | 'unconfirmed' | 'unconfirmed_shutting_down' | 'wrong_key' | 'resumed' | 'resumed_shutting_down';

type Drop = 'none' | 'all' | 'c2s' | 's2c' | 'lossy';

/** One side: its connection (the server's is made by the first Initial that arrives), the steps it reported, its application. */
class Side implements SimEndpoint {
  conn: Connection | undefined;
  readonly steps: LifecycleStep[] = [];
  readonly events: ConnectionEvent[] = [];
  closedEvents = 0;
  keys: HandshakeKeys | undefined;
  /** Whether the application ends its side of the peer's bidirectional streams (else they stay open: a shutdown waits). */
  answers = true;
  readonly #tickets = serverTickets(EPOCH_MS);
  constructor(readonly address: Who, readonly seed: string, start: Start) {
    if (address === 'C') {
      const key = start === 'wrong_key' ? p.x25519.publicKey(new Uint8Array(32).fill(9)) : serverKey;
      const session = start.startsWith('resumed') ? { ticket: resumptionTicket(), epochMs: EPOCH_MS } : undefined;
      this.#attach(Connection.client({ provider: p, rng: seededRng(p, `${seed}/c`), remote: 'S', idleTimeoutMs: IDLE_MS, handshake: { serverKey: key }, session }, 0));
    }
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
        provider: p, rng: seededRng(p, `${this.seed}/s`), remote: from, idleTimeoutMs: IDLE_MS,
        handshake: { staticKeys: [serverSecret], tickets: this.#tickets }, clientScid: first.scid, originalDcid: first.dcid,
      }, now));
    }
    this.conn!.handleDatagram(now, from, data);
  }
  pollTransmit(now: number): Datagram | undefined {
    const t = this.conn?.pollTransmit(now);
    return t && { from: this.address, to: t.to, data: t.data };
  }
  pollTimeout(): number | undefined { return this.conn?.pollTimeout(); }
  handleTimeout(now: number): void { this.conn?.handleTimeout(now); }

  /** The application: reads everything readable, and ends its side of a peer's bidirectional stream once the peer ended its own. */
  poll(): void {
    const c = this.conn;
    if (!c) return;
    for (let e = c.pollEvent(); e; e = c.pollEvent()) {
      this.events.push(e);
      if (e.type === 'closed') this.closedEvents++;
      if (e.type === 'connected') this.keys = e.keys;
      if (e.type !== 'stream_readable') continue;
      let fin = false;
      for (;;) {
        let r: ReturnType<Connection['read']> | undefined;
        if (!expectRange(() => { r = c.read(e.id); })) break; // already read to its end and forgotten
        fin ||= r!.fin;
        if (!r!.data.length || r!.fin) break;
      }
      const peers = (e.id % 2 === 1) === (this.address === 'C');
      if (fin && peers && this.answers && e.id % 4 < 2 && !c.isClosed) expectRange(() => c.finish(e.id));
    }
  }
}

/** Runs `f`, which may only fail with a RangeError (a stream already forgotten, a refused call). */
function expectRange(f: () => void): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return false;
  }
}

class World {
  readonly sim: Simulator;
  readonly sides: Record<Who, Side>;
  drop: Drop = 'none';
  readonly #prng: Prng;
  readonly log: string[] = [];
  #forged = 0;

  constructor(seed: string, start: Start) {
    this.sim = new Simulator({ seed });
    this.#prng = new Prng(`${seed}/drop`);
    this.sides = { C: new Side('C', seed, start), S: new Side('S', seed, 'fresh') };
    this.sim.addEndpoint(this.sides.C);
    this.sim.addEndpoint(this.sides.S);
    this.sim.link('C', 'S', { delayMs: 10 });
    this.sim.intercept = (d) => (this.#dropped(d.from as Who) ? 'drop' : undefined);
    if (start === 'established') this.run(200);
    if (start === 'unconfirmed' || start === 'unconfirmed_shutting_down') {
      // The client's 1-RTT packets are lost: the server stays established but unconfirmed, with its Initial keys.
      this.sim.intercept = (d, now) => (d.from === 'C' && now > 0 ? 'drop' : undefined);
      this.run(15);
      this.sim.intercept = (d) => (this.#dropped(d.from as Who) ? 'drop' : undefined);
      this.drop = 'c2s';
    }
    if (start === 'unconfirmed_shutting_down') {
      // … and the server shuts down with a stream whose data the client cannot acknowledge.
      const s = this.sides.S.conn!;
      const id = s.openStream(false)!;
      s.write(id, new Uint8Array(1000));
      s.shutdown(this.sim.now, { timeoutMs: 3000, code: 5 });
    }
    if (start === 'resumed_shutting_down') {
      // A resumed client writes 0-RTT data and shuts down before the handshake ends: the shutdown waits for it.
      const c = this.sides.C.conn!;
      const id = c.openStream(true)!;
      c.write(id, new Uint8Array(1000));
      c.finish(id);
      c.shutdown(this.sim.now, { timeoutMs: 3000, code: 5 });
    }
  }

  #dropped(from: Who): boolean {
    switch (this.drop) {
      case 'none': return false;
      case 'all': return true;
      case 'c2s': return from === 'C';
      case 's2c': return from === 'S';
      case 'lossy': return this.#prng.next() < 0.2;
    }
  }

  run(ms: number): void {
    this.poll();
    this.sim.run({ until: () => { this.poll(); return false; }, maxTime: this.sim.now + ms });
    this.poll();
  }

  poll(): void { this.sides.C.poll(); this.sides.S.poll(); }

  /** A packet that breaks a rule, to `to` as if from its peer: an Initial with a frame not allowed there, or a 1-RTT packet opening a stream far beyond the limit. */
  forge(to: Who): void {
    const side = this.sides[to];
    const c = side.conn;
    const keys = this.sides.C.keys;
    if (!c) return;
    const from: Who = to === 'C' ? 'S' : 'C';
    const pn = 1_000_000 + this.#forged++;
    let packet: Uint8Array;
    if (!keys) {
      const ik = initialKeys(p, c.originalDcid);
      const plan = new FramePlan(1200);
      plan.add({ type: 'max_data', maximumData: 1 });
      packet = sealInitial({ keys: to === 'C' ? ik.server : ik.client, dcid: c.localCid, scid: new Uint8Array(8).fill(1), pn, largestAcked: undefined, plan, padTo: 1200 });
    } else {
      const kp = new KeyPhases({ provider: p, suite: keys.suite, sendSecret: to === 'S' ? keys.clientSecret : keys.serverSecret, receiveSecret: to === 'S' ? keys.serverSecret : keys.clientSecret, previousKeyRetention: 1000 });
      const plan = new FramePlan(1200);
      const id = 4 * 50_000 + (from === 'S' ? 1 : 0); // a bidirectional stream of the sender, index 50,000: STREAM_LIMIT_ERROR
      plan.add({ type: 'stream', hasLength: true, fin: false, streamId: id, data: new Uint8Array(10) } as Frame);
      packet = sealShort({ keys: kp, dcid: c.localCid, pn, largestAcked: undefined, plan });
    }
    side.handleDatagram(this.sim.now, from, packet);
  }

  /** A Version Negotiation from "the server" that does not list version 1. */
  versionNegotiation(): void {
    const c = this.sides.C.conn!;
    const vn = versionNegotiation({ version: 1, dcid: c.originalDcid, scid: c.localCid }, 5, [0x0a0a0a0a]);
    this.sides.C.handleDatagram(this.sim.now, 'S', vn);
  }

  /** A handshake record that does not decode, at the next offset of the client's handshake stream, to the server (while it has Initial keys). */
  badRecord(): void {
    const s = this.sides.S.conn;
    if (!s) return;
    const ik = initialKeys(p, s.originalDcid);
    const plan = new FramePlan(1200);
    plan.add({ type: 'handshake', offset: s.handshakeReceived, data: Uint8Array.of(3, 0xff, 0xff, 0xff) });
    const packet = sealInitial({ keys: ik.client, dcid: s.localCid, scid: new Uint8Array(8).fill(2), pn: 1_000_000 + this.#forged++, largestAcked: undefined, plan, padTo: 1200 });
    this.sides.S.handleDatagram(this.sim.now, 'C', packet);
  }
}

interface Model { C: string | undefined; S: string | undefined }
interface Real { w: World; reached: Set<string> }

/**
 * After a command: each side's reported steps, one by one, against the table (from the model's
 * state), then the runtime's state against the model's, and the `closed` events.
 */
function check(m: Model, r: Real, what: string): void {
  for (const who of ['C', 'S'] as const) {
    const side = r.w.sides[who];
    if (!side.conn) continue;
    let state = m[who] ?? table.initial;
    for (const s of side.steps.splice(0)) {
      const where = `${who} after ${what}: ${line(s)}\n  after ${r.w.log.join('\n        ')}`;
      if (s.state !== state) throw new Error(`${where}: the step starts in ${s.state}, the model is in ${state}`);
      const exp = table.expect(state, s.event, s.guard);
      const got = { next: s.next, actions: [...s.actions] };
      const want = { next: exp.next, actions: exp.actions };
      if (exp.ignored || exp.guard !== s.guard || JSON.stringify(got) !== JSON.stringify(want)) {
        throw new Error(`${where}: runtime and table disagree:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify({ ...want, ignored: exp.ignored, error: exp.error })}`);
      }
      r.reached.add(line(s));
      state = exp.next;
    }
    m[who] = state;
    assert.is(side.conn.state, state, `${who} after ${what}: the runtime's state is the table's`);
    assert.is(side.closedEvents, OPEN.has(state) ? 0 : 1, `${who} after ${what}: 'closed' reported once, on leaving the open states (${state})`);
  }
}

/** The steps a side reported since the last check, without consuming them. */
const pending = (r: Real, who: Who) => r.w.sides[who].steps.map((s) => s.event);

abstract class Cmd implements fc.Command<Model, Real> {
  abstract label(): string;
  abstract act(m: Model, r: Real): void;
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    r.w.log.push(this.label());
    try {
      this.act(m, r);
      check(m, r, this.label());
    } catch (e) {
      if (process.env.JSP_MODEL_DEBUG) console.error(String((e as Error).stack ?? e));
      throw e;
    }
  }
  toString(): string { return this.label(); }
}

class Close extends Cmd {
  constructor(readonly who: Who, readonly application: boolean, readonly code: number, readonly ms: number, readonly drop: Drop) { super(); }
  label() { return `close(${this.who}, ${this.application ? 'app' : 'transport'} ${this.code}) + ${this.ms} ms ${this.drop}`; }
  act(m: Model, r: Real): void {
    const side = r.w.sides[this.who];
    if (!side.conn) return;
    const before = m[this.who] ?? 'handshaking';
    side.conn.close(r.w.sim.now, { code: this.code, reason: 'model', application: this.application });
    if (OPEN.has(before)) {
      assert.equal(pending(r, this.who), ['local_close'], 'a close of an open side is its next step');
      assert.is(side.conn.state, 'closing');
    }
    const peer = r.w.sides[this.who === 'C' ? 'S' : 'C'].conn;
    const peerOpen = peer !== undefined && OPEN.has(peer.state);
    const sent = this.who === 'C' || side.conn.amplification.validated;
    r.w.drop = this.drop;
    r.w.run(this.ms);
    if (OPEN.has(before) && peerOpen && sent && this.drop === 'none' && this.ms >= 30) {
      assert.ok(!OPEN.has(peer!.state), `the peer learned of the close (it is ${peer!.state})`);
    }
  }
}

class Shutdown extends Cmd {
  constructor(readonly who: Who, readonly timeoutMs: number, readonly ms: number, readonly drop: Drop) { super(); }
  label() { return `shutdown(${this.who}, ${this.timeoutMs} ms) + ${this.ms} ms ${this.drop}`; }
  act(m: Model, r: Real): void {
    const side = r.w.sides[this.who];
    if (!side.conn) return;
    const before = m[this.who] ?? 'handshaking';
    side.conn.shutdown(r.w.sim.now, { timeoutMs: this.timeoutMs, code: 5 });
    if (before === 'handshaking' || before === 'established') assert.is(pending(r, this.who)[0], 'shutdown', 'a shutdown of an open side is its next step');
    r.w.drop = this.drop;
    r.w.run(this.ms);
  }
}

class Open extends Cmd {
  constructor(readonly who: Who, readonly bidi: boolean, readonly size: number, readonly fin: boolean, readonly ms: number) { super(); }
  label() { return `open(${this.who}, ${this.bidi ? 'bidi' : 'uni'}, ${this.size}${this.fin ? ', fin' : ''}) + ${this.ms} ms`; }
  act(m: Model, r: Real): void {
    const c = r.w.sides[this.who].conn;
    if (!c) return;
    const before = c.state;
    const early = c.earlyData === 'pending';
    let id: number | undefined;
    const ok = expectRange(() => { id = c.openStream(this.bidi); });
    assert.is(ok, before === 'established' || early, `openStream in ${before}${early ? ' with 0-RTT' : ''}`);
    if (before !== 'closed') assert.equal(pending(r, this.who).at(-1), 'app_open_stream');
    if (id !== undefined) {
      c.write(id, new Uint8Array(this.size).fill(7));
      if (this.fin) c.finish(id);
    }
    r.w.run(this.ms);
  }
}

class Ping extends Cmd {
  constructor(readonly who: Who, readonly ms: number) { super(); }
  label() { return `ping(${this.who}) + ${this.ms} ms`; }
  act(_m: Model, r: Real): void {
    r.w.sides[this.who].conn?.ping(r.w.sim.now);
    r.w.run(this.ms);
  }
}

class Run extends Cmd {
  constructor(readonly ms: number, readonly drop: Drop) { super(); }
  label() { return `run ${this.ms} ms ${this.drop}`; }
  act(_m: Model, r: Real): void {
    r.w.drop = this.drop;
    r.w.run(this.ms);
    if (this.drop === 'all' && this.ms >= 8000) {
      for (const who of ['C', 'S'] as const) {
        const c = r.w.sides[who].conn;
        if (c) assert.is(c.state, 'closed', `${who}: a dead path for ${this.ms} ms ends the connection`);
      }
    }
  }
}

class Answer extends Cmd {
  constructor(readonly who: Who, readonly on: boolean) { super(); }
  label() { return `answers(${this.who}, ${this.on})`; }
  act(_m: Model, r: Real): void { r.w.sides[this.who].answers = this.on; }
}

class Forge extends Cmd {
  constructor(readonly who: Who, readonly kind: 'violation' | 'version_negotiation' | 'bad_record') { super(); }
  label() { return `forge ${this.kind} to ${this.who}`; }
  act(_m: Model, r: Real): void {
    if (this.kind === 'violation') r.w.forge(this.who);
    else if (this.kind === 'version_negotiation') r.w.versionNegotiation();
    else r.w.badRecord();
    r.w.run(1);
  }
}

const who = fc.constantFrom<Who>('C', 'S');
const drop = fc.constantFrom<Drop>('none', 'none', 'none', 'all', 'c2s', 's2c', 'lossy');
const ms = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 60, max: 1500 }));
const commands = [
  fc.tuple(who, fc.boolean(), fc.integer({ min: 0, max: 0x20 }), ms, drop).map(([w, a, c, t, d]) => new Close(w, a, c, t, d)),
  fc.tuple(who, fc.integer({ min: 100, max: 3000 }), ms, drop).map(([w, to, t, d]) => new Shutdown(w, to, t, d)),
  fc.tuple(who, fc.boolean(), fc.integer({ min: 0, max: 60_000 }), fc.boolean(), ms).map(([w, b, s, f, t]) => new Open(w, b, s, f, t)),
  fc.tuple(who, fc.boolean(), fc.integer({ min: 0, max: 60_000 }), fc.boolean(), ms).map(([w, b, s, f, t]) => new Open(w, b, s, f, t)),
  fc.tuple(who, ms).map(([w, t]) => new Ping(w, t)),
  fc.tuple(who, fc.boolean()).map(([w, on]) => new Answer(w, on)),
  fc.tuple(fc.oneof(ms, fc.constant(9000)), drop).map(([t, d]) => new Run(t, d)),
  fc.tuple(who, fc.constantFrom('violation', 'violation', 'version_negotiation', 'bad_record' as const)).map(([w, k]) => new Forge(w, k)),
];

test(`the runtime's lifecycle agrees with spec/machines/connection.yaml on ${RUNS} random command sequences`, () => {
  const reached = new Set<string>();
  let n = 0;
  fc.assert(fc.property(fc.constantFrom<Start>('fresh', 'established', 'established', 'unconfirmed', 'unconfirmed_shutting_down', 'wrong_key', 'resumed', 'resumed', 'resumed_shutting_down'), fc.commands(commands, { maxCommands: 12 }), (start, cmds) => {
    const w = new World(`model ${n++}`, start);
    const model: Model = { C: undefined, S: undefined };
    const real: Real = { w, reached };
    check(model, real, `start ${start}`);
    fc.modelRun(() => ({ model, real }), cmds);
  }), { numRuns: RUNS, verbose: 1 });
  const missing = table.machine.transitions.map((t) => `${t.state} --${t.event}${t.guard ? `[${t.guard}]` : ''}--> ${t.next}`).filter((l) => !reached.has(l));
  assert.equal(missing, [], `every row is taken at least once (${reached.size} distinct)`);
});

test.run();
