/**
 * The handshake over real UDP on loopback (src/node/udp-driver.ts around the sans-IO Endpoint):
 * the pinned key completes, a wrong key is refused with BAD_SERVER_KEY, a PING gives an RTT
 * sample, garbage datagrams are ignored while a real connection carries on.
 */
import { createSocket } from 'node:dgram';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { parseAddress, UdpDriver } from '../../src/node/udp-driver.ts';

const serverSecret = p.randomBytes(32);
const serverKey = p.x25519.publicKey(serverSecret);

async function waitFor(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function collect(c: Connection, into: ConnectionEvent[]): () => void {
  return () => { for (let e = c.pollEvent(); e; e = c.pollEvent()) into.push(e); };
}

async function pair() {
  const server = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, server: { staticKeys: [serverSecret] } }));
  const client = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes }));
  return { server, client };
}

test('the handshake completes over loopback UDP with the pinned key; PING gives an RTT sample', async () => {
  const { server, client } = await pair();
  try {
    const conn = client.endpoint.connect(client.now(), server.address, { serverKey });
    const events: ConnectionEvent[] = [];
    client.onActivity = collect(conn, events);
    client.pump();
    await waitFor(() => conn.handshakeState === 'confirmed' && server.endpoint.connections[0]?.handshakeState === 'confirmed', 5000, 'confirmation');
    assert.equal(events.map((e) => e.type), ['connected', 'confirmed']);
    conn.ping(client.now());
    client.pump();
    await waitFor(() => events.some((e) => e.type === 'pong'), 5000, 'pong');
    const pong = events.find((e) => e.type === 'pong') as Extract<ConnectionEvent, { type: 'pong' }>;
    assert.ok(pong.rttMs > 0 && pong.rttMs < 1000, `rtt ${pong.rttMs}`);
    conn.close(client.now(), 0, 'done');
    client.pump();
    await waitFor(() => server.endpoint.connections.length === 0, 5000, 'the server to see the close');
  } finally {
    await client.close();
    await server.close();
  }
});

test('a client pinning the wrong key is refused: BAD_SERVER_KEY', async () => {
  const { server, client } = await pair();
  try {
    const conn = client.endpoint.connect(client.now(), server.address, { serverKey: p.x25519.publicKey(p.randomBytes(32)) });
    const events: ConnectionEvent[] = [];
    client.onActivity = collect(conn, events);
    client.pump();
    await waitFor(() => conn.isClosed, 5000, 'the refusal');
    const closed = events.find((e) => e.type === 'closed') as Extract<ConnectionEvent, { type: 'closed' }>;
    assert.is(closed.error!.codeName, 'BAD_SERVER_KEY');
    assert.ok(closed.remote);
  } finally {
    await client.close();
    await server.close();
  }
});

test('garbage datagrams are ignored while a real connection completes', async () => {
  const { server, client } = await pair();
  const junk = createSocket('udp4');
  try {
    const { port } = parseAddress(server.address);
    for (let i = 0; i < 200; i++) {
      const n = [0, 1, 20, 1200, 1400][i % 5];
      junk.send(p.randomBytes(n), port, '127.0.0.1');
    }
    const conn = client.endpoint.connect(client.now(), server.address, { serverKey });
    client.pump();
    await waitFor(() => conn.handshakeState === 'confirmed', 5000, 'confirmation');
    const s = server.endpoint.stats;
    assert.ok(s.unroutable + s.tooSmallInitial > 0, JSON.stringify(s));
    assert.is(server.counters.internalErrors, 0, 'no datagram made the endpoint throw');
  } finally {
    junk.close();
    await client.close();
    await server.close();
  }
});

test.run();
