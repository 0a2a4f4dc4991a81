/**
 * The end of a connection, in the simulator (50 ms RTT): the idle timeout (negotiated as the
 * smaller of both sides' values) closes both sides silently and the endpoints forget them;
 * heartbeats keep a quiet connection alive until the path dies; close() sends CONNECTION_CLOSE,
 * the closer waits out a closing period and the peer a draining period (3 PTO each), a lost
 * CONNECTION_CLOSE is repeated when the peer's packets keep arriving, and then nothing is left —
 * no timer, no connection, nothing on the wire.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Simulator } from '../../src/sim/index.ts';

const serverSecret = p.sha256(new TextEncoder().encode('sim lifecycle server'));
const serverKey = p.x25519.publicKey(serverSecret);
type Closed = Extract<ConnectionEvent, { type: 'closed' }>;

function pair(seed: string, idle: { client?: number; server?: number; keepAlive?: number } = {}) {
  const sim = new Simulator({ seed });
  const se = sim.addEndpoint(new Endpoint({ address: 'S', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [serverSecret] }, idleTimeoutMs: idle.server }));
  const ce = sim.addEndpoint(new Endpoint({ address: 'C', provider: p, rng: seededRng(p, `${seed}/c`), idleTimeoutMs: idle.client, keepAliveMs: idle.keepAlive }));
  sim.link('C', 'S', { delayMs: 25 });
  const conn = ce.connect(0, 'S', { serverKey });
  sim.run({ until: () => conn.handshakeState === 'confirmed' && se.connections[0]?.handshakeState === 'confirmed' });
  const sc = se.accept()!;
  return { sim, se, ce, conn, sc };
}

function events(c: Connection): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

const closedOf = (c: Connection) => events(c).find((e) => e.type === 'closed') as Closed | undefined;

test('idle timeout: the smaller value wins; both sides close silently and the endpoints forget them', () => {
  const t = pair('idle', { client: 3000, server: 2000 });
  const closedAt: Record<string, number> = {};
  let late = 0;
  t.sim.intercept = (_d, now) => { if (now >= 1000) late++; };
  const r = t.sim.run({
    until: () => {
      if (t.conn.isClosed && closedAt.C === undefined) closedAt.C = t.sim.now;
      if (t.sc.isClosed && closedAt.S === undefined) closedAt.S = t.sim.now;
      return false;
    },
    maxTime: 60_000,
  });
  assert.is(r.reason, 'quiescent', 'nothing left to do: no timer, no connection');
  for (const [side, c] of [['C', t.conn], ['S', t.sc]] as const) {
    const e = closedOf(c)!;
    assert.is(e.error!.codeName, 'IDLE_TIMEOUT', side);
    assert.not.ok(e.remote);
    assert.ok(closedAt[side] >= 2000 && closedAt[side] <= 2300, `${side} closed at ${closedAt[side]} ms (2000 ms after the last packet)`);
  }
  assert.is(t.ce.connections.length + t.se.connections.length, 0);
  assert.is(t.ce.pollTimeout(), undefined);
  assert.is(late, 0, 'nothing was sent once the connection went quiet, the close included (silent)');
});

test('heartbeats keep a quiet connection open; when the path dies the idle timeout closes it', () => {
  const t = pair('heartbeat', { client: 2000, server: 2000 });
  let pongs = 0;
  const beat = (s: Simulator) => {
    if (t.conn.isClosed) return;
    t.conn.ping(s.now);
    s.schedule(s.now + 500, beat);
  };
  t.sim.schedule(t.sim.now + 500, beat);
  t.sim.run({ until: () => { pongs += events(t.conn).filter((e) => e.type === 'pong').length; return false; }, maxTime: 10_000 });
  assert.not.ok(t.conn.isClosed || t.sc.isClosed, 'alive after 10 s of heartbeats');
  assert.ok(pongs >= 15, `${pongs} PONGs`);
  // The path dies: heartbeats are lost, and the idle timer ends both sides about 2 s later.
  t.sim.intercept = () => 'drop';
  const died = t.sim.now;
  t.sim.run({ until: () => t.conn.isClosed && t.sc.isClosed, maxTime: 30_000 });
  assert.ok(t.conn.isClosed && t.sc.isClosed);
  assert.ok(t.sim.now - died <= 2600, `closed ${t.sim.now - died} ms after the path died`);
  assert.is(closedOf(t.conn)!.error!.codeName, 'IDLE_TIMEOUT');
});

test('keep-alive: a client with a 500 ms keep-alive keeps an idle connection open (both sides) until the path dies', () => {
  const t = pair('keepalive', { client: 2000, server: 2000, keepAlive: 500 });
  let sent = 0;
  t.sim.intercept = (d) => { if (d.from === 'C') sent++; };
  t.sim.run({ maxTime: 10_000 });
  assert.not.ok(t.conn.isClosed || t.sc.isClosed, 'alive after 10 s without application traffic');
  // A PING every 500 ms after the last packet (the PONG re-arms it: a cycle is 550 ms), and the ACK of each PONG.
  assert.ok(sent >= 30 && sent <= 40, `${sent} client datagrams in 10 s`);
  t.sim.intercept = () => 'drop';
  const died = t.sim.now;
  t.sim.run({ until: () => t.conn.isClosed && t.sc.isClosed, maxTime: 30_000 });
  assert.ok(t.conn.isClosed && t.sc.isClosed && t.sim.now - died <= 2600);
});

test('close: CONNECTION_CLOSE with code and reason; the closer waits out its closing period, the peer drains; then nothing is left', () => {
  const t = pair('close');
  const id = t.conn.openStream(false)!;
  t.conn.write(id, new Uint8Array(50_000));
  t.sim.run({ maxTime: t.sim.now + 30 }); // data on its way
  t.conn.close(t.sim.now, 0x0c, 'going away');
  assert.is(t.conn.state, 'closing');
  const local = closedOf(t.conn)!;
  assert.equal([local.remote, local.error!.code, local.reason], [false, 0x0c, 'going away']);
  const closedAt = t.sim.now;
  t.sim.run({ until: () => t.sc.isClosed });
  assert.is(t.sc.state, 'draining');
  const remote = closedOf(t.sc)!;
  assert.equal([remote.remote, remote.error!.code, remote.reason], [true, 0x0c, 'going away']);
  const sentBefore = t.sim.stats.sent;
  const r = t.sim.run({ maxTime: 60_000 });
  assert.is(r.reason, 'quiescent');
  assert.ok(t.conn.isTerminated && t.sc.isTerminated);
  const pto = t.conn.recovery.ptoPeriod();
  assert.ok(r.now - closedAt >= 3 * pto * 0.9, 'the closing period lasted about 3 PTO');
  assert.is(t.ce.connections.length + t.se.connections.length, 0);
  assert.ok(t.sim.stats.sent - sentBefore <= 1, 'a draining peer sends nothing');
});

test('a lost CONNECTION_CLOSE is sent again when the peer\'s packets keep arriving', () => {
  const t = pair('close-lost');
  // The server keeps talking (a stream of data), so packets reach the closing client.
  const id = t.sc.openStream(false)!;
  t.sc.write(id, new Uint8Array(200_000));
  t.sim.run({ maxTime: t.sim.now + 60 });
  let dropped = 0;
  t.sim.intercept = (d) => (d.from === 'C' && dropped++ === 0 ? 'drop' : undefined);
  t.conn.close(t.sim.now, 0, 'bye');
  t.sim.run({ until: () => t.sc.isClosed, maxTime: t.sim.now + 5_000 });
  assert.is(dropped > 1, true, 'the client sent the close more than once');
  assert.ok(t.sc.isClosed, 'the server learned of the close');
  const e = closedOf(t.sc)!;
  assert.equal([e.remote, e.error, e.reason], [true, undefined, 'bye']);
});

test.run();
