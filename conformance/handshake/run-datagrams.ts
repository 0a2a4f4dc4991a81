/**
 * A whole connection handshake over datagrams, deterministic: two endpoints in the simulator
 * (src/sim, one link of 10 ms one way), seeded randomness, fixed keys; every datagram recorded with its time,
 * sender and bytes. The datagram vectors are these runs; the test replays them byte for byte.
 *
 * @module
 */
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { Endpoint } from '../../src/core/connection/index.ts';
import type { GroupId, SuiteId } from '../../src/core/handshake/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { Simulator } from '../../src/sim/index.ts';

export interface DatagramCaseInput {
  server_static_secret: string;
  client_suites: SuiteId[];
  client_groups: GroupId[];
  server_suites: SuiteId[];
  server_groups: GroupId[];
  client_seed: string;
  server_seed: string;
  /** Indexes (in send order) of datagrams the network loses. */
  lost: number[];
}

export interface DatagramOut { at: number; from: string; to: string; hex: string; lost?: true }
export interface DatagramCaseOutput { datagrams: DatagramOut[]; client_state: string; server_state: string; confirmed_at: number; client_1rtt_secret?: string }

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));

export function runDatagramCase(p: CryptoProvider, c: DatagramCaseInput): DatagramCaseOutput {
  const secret = unhex(c.server_static_secret);
  const server = new Endpoint({ address: 'server', provider: p, rng: seededRng(p, c.server_seed), server: { staticKeys: [secret], suites: c.server_suites, groups: c.server_groups } });
  const client = new Endpoint({ address: 'client', provider: p, rng: seededRng(p, c.client_seed) });
  const conn = client.connect(0, 'server', { serverKey: p.x25519.publicKey(secret), suites: c.client_suites, groups: c.client_groups });
  let keys: string | undefined;
  const datagrams: DatagramOut[] = [];
  const sim = new Simulator({
    seed: c.client_seed,
    // Every datagram is recorded in send order; the case's `lost` indexes are dropped.
    intercept: (d, now) => {
      const lost = c.lost.includes(datagrams.length);
      datagrams.push({ at: now, from: d.from, to: d.to, hex: hex(d.data), ...(lost ? { lost: true as const } : {}) });
      return lost ? 'drop' : undefined;
    },
  });
  sim.addEndpoint(client);
  sim.addEndpoint(server);
  sim.link('client', 'server', { delayMs: 10 });
  const t = sim.run({
    until: () => {
      for (let e = conn.pollEvent(); e; e = conn.pollEvent()) if (e.type === 'connected') keys = hex(e.keys.clientSecret);
      const s = server.connections[0];
      return conn.handshakeState === 'confirmed' && s?.handshakeState === 'confirmed';
    },
    maxTime: 30_000,
  }).now;
  return {
    datagrams,
    client_state: conn.handshakeState,
    server_state: server.connections[0]?.handshakeState ?? 'none',
    confirmed_at: t,
    ...(keys ? { client_1rtt_secret: keys } : {}),
  };
}
