/**
 * The sans-IO connection carries the handshake over datagrams: Initial packets (padded to 1200
 * bytes, protected with the Initial keys) with HANDSHAKE frames, then 1-RTT packets, the client's
 * first 1-RTT packet confirming it and the server's HANDSHAKE_DONE confirming the server. Lost
 * flights are sent again on the probe timer; failures reach the peer as CONNECTION_CLOSE.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { GROUPS, SUITES } from '../../src/gen/crypto.ts';
import { toHex } from '../helpers.ts';
import { Net } from '../../conformance/handshake/net.ts';

const serverSecret = p.sha256(new TextEncoder().encode('conn test server'));
const serverKey = p.x25519.publicKey(serverSecret);

function setup(seed = 'c', over: { client?: object; server?: object; idle?: number } = {}) {
  const server = new Endpoint({ address: 'S', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [serverSecret], ...over.server }, idleTimeoutMs: over.idle });
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, `${seed}/c`), idleTimeoutMs: over.idle });
  const conn = client.connect(0, 'S', { serverKey, ...over.client });
  return { server, client, conn };
}

function events(c: Connection): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

for (const suite of SUITES) {
  for (const group of GROUPS) {
    test(`${suite.id} × ${group.id}: the handshake completes over datagrams; both sides confirmed with the same keys`, () => {
      const { server, client, conn } = setup(`${suite.id}${group.id}`, { client: { suites: [suite.id], groups: [group.id] } });
      const net = new Net([client, server]);
      const t = net.run(() => conn.handshakeState === 'confirmed' && server.connections[0]?.handshakeState === 'confirmed');
      const log = net.log;
      const sc = server.connections[0];
      assert.is(conn.handshakeState, 'confirmed');
      assert.is(sc.handshakeState, 'confirmed');
      assert.is(t, 40, 'the client is confirmed by HANDSHAKE_DONE two round trips (of 20 ms) after it started');
      const ce = events(conn), se = events(sc);
      assert.equal(ce.map((e) => e.type), ['connected', 'confirmed']);
      assert.equal(se.map((e) => e.type), ['connected', 'confirmed']);
      const ck = (ce[0] as { keys: { clientSecret: Uint8Array } }).keys, sk = (se[0] as { keys: { clientSecret: Uint8Array } }).keys;
      assert.is(toHex(ck.clientSecret), toHex(sk.clientSecret));
      // constants.initial.padding: every client datagram with an Initial packet has at least 1200 bytes.
      for (const d of log.filter((d) => d.from === 'C' && (d.data[0] & 0x80))) assert.ok(d.data.length >= 1200, `client Initial datagram of ${d.data.length} bytes`);
      assert.is(server.stats.accepted, 1);
    });
  }
}

test('a lost first flight is sent again on the probe timer, and the handshake completes', () => {
  for (const which of ['C', 'S']) {
    const { server, client, conn } = setup(`loss${which}`);
    const net = new Net([client, server]);
    let dropped = false;
    net.drop = (d) => !dropped && d.from === which && (dropped = true);
    const t = net.run(() => conn.handshakeState === 'confirmed');
    assert.ok(dropped);
    assert.is(conn.handshakeState, 'confirmed', `lost from ${which}`);
    assert.ok(t >= 999, `completed at ${t} ms, after a probe timeout`);
  }
});

test('a lost first 1-RTT packet of the client: its confirmation probe brings another, and both sides confirm', () => {
  // No application PTO before confirmation (RFC 9002 §6.2.1) and no Handshake space in JSP: without
  // the client's confirmation probe the server would never see a 1-RTT packet, nor confirm.
  const { server, client, conn } = setup('lost1rtt');
  const net = new Net([client, server]);
  let dropped = false;
  net.drop = (d) => !dropped && d.from === 'C' && d.at > 0 && (dropped = true);
  const t = net.run(() => conn.handshakeState === 'confirmed' && server.connections[0]?.handshakeState === 'confirmed', 10_000);
  assert.ok(dropped);
  assert.is(conn.handshakeState, 'confirmed');
  assert.is(server.connections[0].handshakeState, 'confirmed');
  // The RTT sample of the ClientHello (20 ms) makes the PTO 60 ms: probe at 80 ms, HANDSHAKE_DONE at 100 ms.
  assert.is(t, 100, `confirmed at ${t} ms, one probe timeout later`);
});

test('a client pinning the wrong key: the server closes with BAD_SERVER_KEY and the client learns it', () => {
  const { server, client, conn } = setup('wrong', { client: { serverKey: p.x25519.publicKey(new Uint8Array(32).fill(7)) } });
  new Net([client, server]).run(() => conn.isClosed);
  const closed = events(conn).find((e) => e.type === 'closed') as Extract<ConnectionEvent, { type: 'closed' }>;
  assert.ok(closed.remote);
  assert.is(closed.error!.codeName, 'BAD_SERVER_KEY');
  assert.is(conn.handshakeState, 'failed');
});

test('PING/PONG gives an RTT sample; close() reaches the peer; idle timeout closes both', () => {
  const { server, client, conn } = setup('ping', { idle: 5000 });
  const net = new Net([client, server]);
  net.run(() => conn.handshakeState === 'confirmed');
  events(conn);
  conn.ping(net.now);
  let rtt: number | undefined;
  net.run(() => { for (const e of events(conn)) if (e.type === 'pong') rtt = e.rttMs; return rtt !== undefined; });
  assert.is(rtt, 20);
  const sc = server.connections[0];
  const t = net.run(() => conn.isClosed && sc.isClosed, 20_000);
  assert.ok(conn.isClosed && sc.isClosed);
  assert.ok(t >= 5000 && t <= 5200, `idle close at ${t}`);
  const closed = events(conn).find((e) => e.type === 'closed') as Extract<ConnectionEvent, { type: 'closed' }>;
  assert.is(closed.error!.codeName, 'IDLE_TIMEOUT');
  assert.not.ok(closed.remote);
  const { server: s2, client: c2, conn: k2 } = setup('close');
  const net2 = new Net([c2, s2]);
  net2.run(() => k2.handshakeState === 'confirmed');
  const peer = s2.connections[0];
  events(peer);
  k2.close(net2.now, 0, 'bye');
  net2.run(() => peer.isClosed);
  const ev = events(peer).find((e) => e.type === 'closed') as Extract<ConnectionEvent, { type: 'closed' }>;
  assert.ok(ev.remote);
  assert.is(ev.error, undefined);
});

test('anti-amplification (constants.amplification.limit): a server whose client goes silent after its ClientHello stops at 3× the bytes received', () => {
  const { server, client, conn } = setup('amp');
  const net = new Net([client, server]);
  net.drop = (d) => d.from === 'C' && d.at > 0; // only the first flight reaches the server
  net.run(() => false, 60_000);
  const sc = server.connections[0] ?? server.accept();
  assert.ok(sc, 'the server accepted the connection');
  const { received, sent, validated } = sc.amplification;
  const fromServer = net.log.filter((d) => d.from === 'S');
  assert.is(received, 1200);
  assert.not.ok(validated);
  assert.is(sent, fromServer.reduce((n, d) => n + d.data.length, 0));
  assert.ok(sent <= 3 * received, `sent ${sent} > 3 × ${received}`);
  assert.ok(sent > 2 * received, `the server used its allowance (sent ${sent}): the ServerHello and its probes`);
  // Without the limit the probe timer would go on (1 s, 2 s, 4 s, … within the minute).
  assert.ok(fromServer.at(-1)!.at < 5000, `the server stopped sending (last datagram at ${fromServer.at(-1)!.at} ms)`);
  assert.is(conn.handshakeState, 'established', 'the client got the ServerHello');
});

test('anti-amplification: a repeated first ClientHello earns allowance but does not validate; the reply to the server\'s CID does', () => {
  const { server, client } = setup('amp2');
  const net = new Net([client, server]);
  const first = client.pollTransmit(0)!;
  server.handleDatagram(0, 'C', first.data);
  server.handleDatagram(0, 'C', first.data); // a replay of the same datagram (the same DCID)
  const sc = server.accept()!;
  assert.is(sc.amplification.received, 2400);
  assert.not.ok(sc.amplification.validated);
  // The real exchange: once the client answers to the server's connection ID, the limit is gone.
  for (let t = server.pollTransmit(0); t; t = server.pollTransmit(0)) client.handleDatagram(10, 'S', t.data);
  net.now = 10;
  net.run(() => sc.amplification.validated, 1000);
  assert.ok(sc.amplification.validated);
});

test('garbage datagrams are ignored and counted while a connection carries on', () => {
  const { server, client, conn } = setup('garbage');
  for (const g of [new Uint8Array(0), Uint8Array.of(0xff), new Uint8Array(1300).fill(0xc3), new Uint8Array(50).fill(0x41)]) server.handleDatagram(0, 'X', g);
  new Net([client, server]).run(() => conn.handshakeState === 'confirmed');
  assert.is(conn.handshakeState, 'confirmed');
  assert.ok(server.stats.unroutable + server.stats.tooSmallInitial >= 2);
});

test.run();
