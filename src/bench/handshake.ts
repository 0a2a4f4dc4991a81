/**
 * `jsp bench handshake`: full JSP handshakes per second, in process, next to Node TLS 1.3 full
 * handshakes per second over loopback TCP, measured in the same run.
 *
 * - **JSP** — the sans-IO handshake of `src/core/handshake`, client and server in one process:
 *   the client starts, the server reads the ClientHello and writes the ServerHello, the client
 *   reads it; one handshake counts when both sides are `established` with keys. For each
 *   CryptoProvider (`node`, `noble`) × group (`x25519`, `x25519_mlkem768`), with the default
 *   suite (chacha20_poly1305_sha256) and no client authentication (pattern NK / NKhfs). Every
 *   handshake draws fresh ephemerals from `provider.randomBytes` and builds a new client and a new
 *   server handshake; the server's configuration (static key, cookie key) is made once and shared,
 *   as a real server's is. The records pass through a {@link RecordReader} like the connection's.
 * - **Node TLS 1.3** — a `node:tls` server on 127.0.0.1 with an ECDSA P-256 certificate made at
 *   bench time (a self-signed X.509 built here); clients share one secure context (created once,
 *   as a real client keeps it) whose `ca` is that certificate, with `checkServerIdentity` pinned
 *   to its fingerprint. TLSv1.3 only, TLS_CHACHA20_POLY1305_SHA256 and X25519 (JSP's suite and
 *   group; checked on the first connection). No session is ever offered and the server issues no
 *   stateless tickets; every connection is checked to be a verified full handshake
 *   (`authorized`, `isSessionReused() === false` on both sides). One handshake = TCP connect,
 *   the TLS handshake (both sides done), both sockets destroyed and their `close` awaited; a few
 *   connections in flight at once (default 4: more gains nothing on one thread).
 *
 * Rounds are interleaved like `harness.ts` does (each contender runs one time slice per round, in
 * turn) so a load spike hits every contender alike; each row reports the median rate over the
 * rounds. `ratio` = JSP ÷ TLS handshakes/s (> 1: JSP ahead). The target for the `node` provider
 * with X25519 is ratio ≥ 5.
 */
import { constants as cryptoConstants, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createSecureContext, createServer, type PeerCertificate, type TLSSocket } from 'node:tls';
import { StaticKeySet, ClientHandshake, drainRecords, ServerHandshake, type ClientHandshakeConfig, type GroupId, type ServerHandshakeConfig } from '../core/handshake/index.ts';
import { equalBytes } from '../crypto/ct.ts';
import { PROVIDERS } from '../crypto/index.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { BenchResult } from './harness.ts';

/** The peer's name in the results. */
export const TLS_PEER = 'node:tls 1.3 loopback';
/** Every JSP contender, in report order. */
export const JSP_CASES: readonly { provider: 'node' | 'noble'; group: GroupId }[] = Object.freeze([
  { provider: 'node', group: 'x25519' },
  { provider: 'node', group: 'x25519_mlkem768' },
  { provider: 'noble', group: 'x25519' },
  { provider: 'noble', group: 'x25519_mlkem768' },
]);
const SUITE = 'chacha20_poly1305_sha256' as const;
const UNIT = 'handshakes/s';

export interface HandshakeBenchOptions {
  /** Interleaved rounds (default 8). */
  rounds?: number;
  /** Time slice per contender per round, ms (default 200: 1.6 s per contender, ~10 s in all). */
  sliceMs?: number;
  /** TLS connections in flight at once (default 4). */
  concurrency?: number;
}

// ───────────────────────────────── JSP ─────────────────────────────────

/** A JSP contender: `once()` runs one full handshake and returns both sides' keys. */
export interface JspHandshake {
  readonly name: string;
  once(): { client: ClientHandshake; server: ServerHandshake };
}

/** A JSP handshake contender for one provider and group; the server config is made here, once. */
export function jspHandshake(p: CryptoProvider, group: GroupId): JspHandshake {
  const serverSecret = p.randomBytes(32);
  const serverConfig: ServerHandshakeConfig = {
    // As a real server: its static key is prepared once (StaticKeySet), not per connection.
    provider: p, rng: p.randomBytes, staticKeys: new StaticKeySet(p, [serverSecret]), cookieKey: p.randomBytes(32),
  };
  const clientConfig: ClientHandshakeConfig = {
    provider: p, rng: p.randomBytes, serverKey: p.x25519.publicKey(serverSecret), suites: [SUITE], groups: [group],
  };
  return {
    name: `${p.name} ${group}`,
    once() {
      const client = new ClientHandshake(clientConfig);
      const server = new ServerHandshake(serverConfig);
      client.start();
      for (const b of drainRecords(client)) server.handleRecord(b);
      for (const b of drainRecords(server)) client.handleRecord(b);
      if (client.keys === undefined || server.keys === undefined) {
        throw new Error(`handshake bench: ${p.name} ${group} did not complete (client ${client.state}: ${client.error?.message}; server ${server.state}: ${server.error?.message})`);
      }
      return { client, server };
    },
  };
}

/** Like with like only: the handshake must complete on the intended suite and group, keys agreeing. */
function check(h: JspHandshake, group: GroupId): void {
  const { client, server } = h.once();
  const c = client.keys!, s = server.keys!;
  if (client.state !== 'established' || server.state !== 'established' || c.suite.id !== SUITE || c.group.id !== group
    || s.suite.id !== SUITE || s.group.id !== group || !equalBytes(c.clientSecret, s.clientSecret) || !equalBytes(c.serverSecret, s.serverSecret)) {
    throw new Error(`handshake bench: ${h.name} negotiated ${c.suite.id}/${c.group.id} or the two sides' keys differ`);
  }
}

/** Handshakes for `ms` (synchronously); returns handshakes and seconds. */
function jspSlice(h: JspHandshake, ms: number): { n: number; s: number } {
  const start = performance.now();
  let n = 0;
  do {
    h.once();
    n++;
  } while (performance.now() - start < ms);
  return { n, s: (performance.now() - start) / 1000 };
}

// ───────────────────────────────── TLS ─────────────────────────────────

/** DER: tag, definite length, contents. */
function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((a, p) => a + p.length, 0);
  const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const seq = (...parts: Uint8Array[]) => der(0x30, ...parts);
const oid = (dotted: string): Uint8Array => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) groups.unshift(0x80 | (v & 0x7f));
    bytes.push(...groups);
  }
  return der(0x06, Uint8Array.from(bytes));
};
const utf8 = (s: string) => new TextEncoder().encode(s);
/** UTCTime YYMMDDHHMMSSZ (dates before 2050). */
const utcTime = (d: Date) => der(0x17, utf8(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));

/**
 * A self-signed X.509 v3 certificate for CN=localhost (SAN DNS:localhost, basicConstraints CA)
 * with a fresh ECDSA P-256 key, signed ecdsa-with-SHA256: what `openssl req -x509` would make,
 * without needing the binary.
 */
export function selfSignedCertificate(): { keyPem: string; certPem: string; fingerprint256: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, utf8('localhost')))));
  const serial = randomBytes(8);
  serial[0] &= 0x7f;
  serial[0] |= 0x01;
  const now = Date.now();
  const tbs = seq(
    der(0xa0, der(0x02, Uint8Array.of(2))), // version v3
    der(0x02, serial),
    ecdsaSha256,
    name,
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 86400_000))),
    name,
    new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    der(0xa3, seq(
      seq(oid('2.5.29.19'), der(0x01, Uint8Array.of(0xff)), der(0x04, seq(der(0x01, Uint8Array.of(0xff))))),
      seq(oid('2.5.29.17'), der(0x04, seq(der(0x82, utf8('localhost'))))),
    )),
  );
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value
  const cert = seq(tbs, ecdsaSha256, der(0x03, Uint8Array.of(0), signature));
  const b64 = Buffer.from(cert).toString('base64').replace(/.{64}/g, '$&\n');
  const fingerprint256 = createHash('sha256').update(cert).digest('hex').toUpperCase().match(/../g)!.join(':');
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { keyPem, certPem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`, fingerprint256 };
}

/** Resolves when `socket` has closed (never rejects: the handshake's own errors are reported elsewhere). */
const closed = (socket: TLSSocket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

/** A TLS 1.3 server on loopback and a function that runs one checked full handshake against it. */
export interface TlsPeer {
  readonly name: string;
  /** TCP connect + full TLS 1.3 handshake (both sides done) + close of both sockets. */
  once(): Promise<void>;
  close(): Promise<void>;
}

export async function tlsPeer(): Promise<TlsPeer> {
  const { keyPem, certPem, fingerprint256 } = selfSignedCertificate();
  // SSL_OP_NO_TICKET: no stateless (encrypted) tickets. OpenSSL still sends its two TLS 1.3
  // NewSessionTickets, stateful ones that Node's server keeps nowhere without a 'resumeSession'
  // listener (Node cannot turn them off); the clients never offer a session anyway.
  const server = createServer({
    key: keyPem, cert: certPem, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256',
    secureOptions: cryptoConstants.SSL_OP_NO_TICKET, sessionTimeout: 0,
  });
  let checked = false;
  /** Server sockets whose handshake finished, by the client's local port. */
  const waiting = new Map<number, (s: TLSSocket) => void>();
  const early = new Map<number, TLSSocket>();
  let serverError: Error | undefined;
  /** Every server-side socket still open, so that close() never waits on a leftover. */
  const open = new Set<TLSSocket>();
  server.on('secureConnection', (s: TLSSocket) => {
    open.add(s);
    s.once('close', () => open.delete(s));
    const port = s.remotePort!;
    const w = waiting.get(port);
    if (w) {
      waiting.delete(port);
      w(s);
    } else early.set(port, s);
  });
  server.on('tlsClientError', (e) => { serverError = e; });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const serverSide = (p: number) => new Promise<TLSSocket>((resolve) => {
    const s = early.get(p);
    if (s) {
      early.delete(p);
      resolve(s);
    } else waiting.set(p, resolve);
  });
  // One client context for every connection (trust store parsed once), as a real client keeps.
  const clientContext = createSecureContext({ ca: certPem, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
  const checkServerIdentity = (_host: string, cert: PeerCertificate) =>
    cert.fingerprint256 === fingerprint256 ? undefined : new Error(`unexpected certificate ${cert.fingerprint256}`);
  return {
    name: TLS_PEER,
    async once() {
      const client = connect({ host: '127.0.0.1', port, servername: 'localhost', secureContext: clientContext, checkServerIdentity });
      const clientClosed = closed(client);
      try {
        await once(client, 'secureConnect');
      } catch (e) {
        client.destroy();
        throw new Error(`handshake bench: TLS client failed: ${(e as Error).message}${serverError ? ` (server: ${serverError.message})` : ''}`);
      }
      if (!client.authorized || client.isSessionReused() || client.getProtocol() !== 'TLSv1.3') {
        client.destroy();
        throw new Error(`handshake bench: TLS connection not a verified full 1.3 handshake (authorized ${client.authorized}, reused ${client.isSessionReused()}, ${client.getProtocol()})`);
      }
      if (!checked) {
        // Like with like, checked once: the same key exchange and AEAD as the JSP x25519 rows.
        const cipher = client.getCipher().name, group = client.getEphemeralKeyInfo() as { name?: string };
        if (cipher !== 'TLS_CHACHA20_POLY1305_SHA256' || group.name !== 'X25519') {
          client.destroy();
          throw new Error(`handshake bench: TLS negotiated ${cipher} with ${group.name}, not TLS_CHACHA20_POLY1305_SHA256 with X25519`);
        }
        checked = true;
      }
      const s = await serverSide(client.localPort!);
      if (s.isSessionReused()) throw new Error('handshake bench: the TLS server resumed a session');
      const serverClosed = closed(s);
      client.destroy();
      s.destroy();
      await Promise.all([clientClosed, serverClosed]);
    },
    async close() {
      for (const s of [...open, ...early.values()]) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** TLS handshakes for `ms` with `concurrency` in flight; the slice ends when the last one closed. */
async function tlsSlice(peer: TlsPeer, ms: number, concurrency: number): Promise<{ n: number; s: number }> {
  const start = performance.now();
  let n = 0;
  const lane = async () => {
    do {
      await peer.once();
      n++;
    } while (performance.now() - start < ms);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { n, s: (performance.now() - start) / 1000 };
}

// ─────────────────────────────── together ───────────────────────────────

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Every JSP contender and the TLS peer, interleaved round by round; one row per JSP contender
 * (ratio against TLS) and one for TLS.
 */
export async function benchHandshake(opts: HandshakeBenchOptions = {}): Promise<BenchResult[]> {
  const rounds = opts.rounds ?? 8;
  const sliceMs = opts.sliceMs ?? 200;
  const concurrency = opts.concurrency ?? 4;
  const jsp = JSP_CASES.map((c) => {
    const h = jspHandshake(PROVIDERS[c.provider], c.group);
    check(h, c.group);
    return h;
  });
  const tls = await tlsPeer();
  try {
    // Warm-up (JIT, OpenSSL contexts, TCP): one short slice each, not recorded.
    const warm = Math.max(1, Math.min(sliceMs, 100));
    await tlsSlice(tls, warm, concurrency);
    for (const h of jsp) jspSlice(h, warm);
    const tlsRates: number[] = [];
    const jspRates = jsp.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      const t = await tlsSlice(tls, sliceMs, concurrency);
      tlsRates.push(t.n / t.s);
      jsp.forEach((h, i) => {
        const j = jspSlice(h, sliceMs);
        jspRates[i].push(j.n / j.s);
      });
    }
    const peerRate = median(tlsRates);
    return [
      ...jsp.map((h, i): BenchResult => {
        const value = median(jspRates[i]);
        return { name: `handshake ${h.name}`, value, unit: UNIT, peer: TLS_PEER, ratio: value / peerRate };
      }),
      { name: `handshake ${TLS_PEER} (ECDSA P-256, ${concurrency} in flight)`, value: peerRate, unit: UNIT },
    ];
  } finally {
    await tls.close();
  }
}
