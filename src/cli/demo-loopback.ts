/**
 * The part of `npm start` that runs over real UDP on loopback: a server with a fresh static key
 * and clients that pin it — a handshake per suite and group, a HelloRetryRequest, a heartbeat,
 * a graceful close and a refused wrong key — printing what happened with the numbers.
 */
import { nodeProvider as p } from '../crypto/node.ts';
import { Endpoint, type Connection, type ConnectionEvent } from '../core/connection/index.ts';
import type { ClientHandshakeConfig } from '../core/handshake/index.ts';
import { noiseProtocolName } from '../core/handshake/index.ts';
import { UdpDriver } from '../node/udp-driver.ts';

async function waitFor(pred: () => boolean, ms: number): Promise<boolean> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) return false;
    await new Promise((r) => setTimeout(r, 1));
  }
  return true;
}

export async function loopbackDemo(log: (s: string) => void): Promise<number> {
  const serverSecret = p.randomBytes(32);
  const serverKey = p.x25519.publicKey(serverSecret);
  const server = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, server: { staticKeys: [serverSecret], suites: ['chacha20_poly1305_sha256', 'aes_256_gcm_sha256'] } }));
  // A second server that has only ChaCha20 and X25519, to show the HelloRetryRequest.
  const classic = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, server: { staticKeys: [serverSecret], suites: ['chacha20_poly1305_sha256'], groups: ['x25519'] } }));
  const client = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, idleTimeoutMs: 30_000 }));
  log(`   server on udp://${server.address}, static key ${Buffer.from(serverKey).toString('hex').slice(0, 16)}… (fresh, pinned by the clients)`);
  let failures = 0;
  const connect = async (label: string, cfg: Omit<ClientHandshakeConfig, 'provider' | 'rng'>, to = server): Promise<{ conn: Connection; events: ConnectionEvent[]; ms: number }> => {
    const events: ConnectionEvent[] = [];
    const start = client.now();
    const conn = client.endpoint.connect(start, to.address, cfg);
    client.onActivity = () => { for (let e = conn.pollEvent(); e; e = conn.pollEvent()) events.push(e); };
    client.pump();
    await waitFor(() => conn.handshakeState === 'confirmed' || conn.isClosed, 5000);
    const ms = client.now() - start;
    const connected = events.find((e) => e.type === 'connected') as Extract<ConnectionEvent, { type: 'connected' }> | undefined;
    if (connected) {
      const k = connected.keys;
      log(`   ${label}: ${noiseProtocolName(k.suite, k.group, false)} — confirmed in ${ms.toFixed(1)} ms`);
    } else {
      const closed = events.find((e) => e.type === 'closed') as Extract<ConnectionEvent, { type: 'closed' }> | undefined;
      log(`   ${label}: refused with ${closed?.error?.codeName ?? 'nothing'} after ${ms.toFixed(1)} ms${closed?.remote ? ' (sent by the server)' : ''}`);
    }
    return { conn, events, ms };
  };
  try {
    for (const group of ['x25519', 'x25519_mlkem768'] as const) {
      for (const suite of ['chacha20_poly1305_sha256', 'aes_256_gcm_sha256'] as const) {
        const r = await connect(`${suite} × ${group}`.padEnd(44), { serverKey, suites: [suite], groups: [group] });
        if (r.conn.handshakeState !== 'confirmed') failures++;
        r.conn.close(client.now(), 0, 'demo');
        client.pump();
      }
    }
    const before = classic.counters.datagramsIn;
    const retry = await connect('AES + hybrid offered first, to a ChaCha20/X25519-only server', { serverKey, suites: ['aes_256_gcm_sha256', 'chacha20_poly1305_sha256'], groups: ['x25519_mlkem768', 'x25519'] }, classic);
    if (retry.conn.handshakeState !== 'confirmed') failures++;
    log(`      negotiated with one HelloRetryRequest round trip (${classic.counters.datagramsIn - before} datagrams reached that server)`);
    const hb = retry.conn;
    const seq = hb.ping(client.now());
    client.pump();
    await waitFor(() => retry.events.some((e) => e.type === 'pong'), 2000);
    const pong = retry.events.find((e) => e.type === 'pong' && e.sequence === seq) as Extract<ConnectionEvent, { type: 'pong' }> | undefined;
    log(`   heartbeat: PING ${seq} → PONG, RTT ${pong ? pong.rttMs.toFixed(3) : '?'} ms`);
    hb.close(client.now(), 0, 'bye');
    client.pump();
    await waitFor(() => classic.endpoint.connections.length === 0, 2000);
    log(`   graceful close: the server saw CONNECTION_CLOSE and has ${classic.endpoint.connections.length} open connections`);
    const wrong = await connect('a client pinning the wrong key', { serverKey: p.x25519.publicKey(p.randomBytes(32)) });
    if (!wrong.conn.isClosed) failures++;
    failures += await (await import('./demo-resume.ts')).resumeDemo(log);
    log(`   UDP: the client sent ${client.counters.datagramsOut} datagrams (${client.counters.bytesOut} bytes); the servers sent ${server.counters.datagramsOut + classic.counters.datagramsOut} (${server.counters.bytesOut + classic.counters.bytesOut} bytes)`);
  } finally {
    await client.close();
    await server.close();
    await classic.close();
  }
  return failures;
}
