/**
 * Shared fixtures of the handshake tests: deterministic keys and configs, and a driver that
 * passes records between a client and a server (optionally through a tamper function).
 */
import { nobleProvider, nodeProvider, type CryptoProvider } from '../../src/crypto/index.ts';
import {
  ClientHandshake, drainRecords, ServerHandshake,
  type ClientHandshakeConfig, type ServerHandshakeConfig,
} from '../../src/core/handshake/index.ts';
import { seededRng } from '../../src/core/rng.ts';

export const PROVIDERS: Record<string, CryptoProvider> = { noble: nobleProvider, node: nodeProvider };

/** A deterministic 32-byte secret from a label. */
export function secretFrom(p: CryptoProvider, label: string): Uint8Array {
  return p.sha256(new TextEncoder().encode(`jsp test key ${label}`));
}

export interface Pair {
  client: ClientHandshake;
  server: ServerHandshake;
  serverSecret: Uint8Array;
  serverPublic: Uint8Array;
}

/** A client and a server with fixed keys and seeded randomness; overrides go to either config. */
export function makePair(
  p: CryptoProvider,
  over: { client?: Partial<ClientHandshakeConfig>; server?: Partial<ServerHandshakeConfig>; seed?: string } = {},
): Pair {
  const seed = over.seed ?? 'seed';
  const serverSecret = secretFrom(p, 'server');
  const serverPublic = p.x25519.publicKey(serverSecret);
  const client = new ClientHandshake({
    provider: p, rng: seededRng(p, `${seed}/client`), serverKey: serverPublic,
    transportParameters: { initialMaxData: 1 << 20, maxIdleTimeoutMs: 30_000 }, ...over.client,
  });
  const server = new ServerHandshake({
    provider: p, rng: seededRng(p, `${seed}/server`), staticKeys: [serverSecret],
    transportParameters: { initialMaxData: 2 << 20, maxIdleTimeoutMs: 10_000 }, ...over.server,
  });
  return { client, server, serverSecret, serverPublic };
}

/** The records of one full run, with a tamper hook on each flight; returns every flight sent. */
export function run(pair: Pair, tamper: (flight: number, body: Uint8Array) => Uint8Array = (_f, b) => b): Uint8Array[][] {
  const flights: Uint8Array[][] = [];
  pair.client.start();
  for (let flight = 0; flight < 8; flight++) {
    const fromClient = flight % 2 === 0;
    const bodies = drainRecords(fromClient ? pair.client : pair.server);
    if (bodies.length === 0) break;
    flights.push(bodies);
    for (const b of bodies) {
      const t = tamper(flight, b);
      if (fromClient) pair.server.handleRecord(t);
      else pair.client.handleRecord(t);
    }
    if (pair.client.done || pair.server.done) break;
  }
  return flights;
}
