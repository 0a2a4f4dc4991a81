/**
 * An endpoint: the connections behind one UDP socket, sans-IO. It routes each datagram by its
 * Destination Connection ID (or, for a client's Initials before it learned the server's ID, by the
 * original one), creates a server connection for a new client's Initial of at least 1200 bytes,
 * and drops what belongs to no connection. It implements the simulator's endpoint interface.
 *
 * Before a connection exists (spec/protocol.yaml section `address_validation`):
 * - **Version negotiation** (`version.ts`, packets.version.unknown): a long header of another
 *   version, in a datagram of at least 1200 bytes, is answered with a Version Negotiation packet;
 *   smaller ones are dropped.
 * - **Retry** (`requireRetry`; `retry-token.ts`, `retry-packet.ts`, protocol.retry.token): a first
 *   Initial without a token gets a stateless Retry; one with a valid token makes a connection whose
 *   address counts as validated; an invalid, expired or misaddressed token is dropped and counted.
 * - **Rate limits** (`rate-limit.ts`, protocol.limits.rate): inbound datagrams per endpoint and
 *   per connection (packets and bytes), and new handshakes per source address. What is over a
 *   limit is dropped — a handshake too: the client's Initial is sent again on its probe timer —,
 *   counted in {@link EndpointStats}, and reported as a `rate_limited` {@link EndpointEvent},
 *   coalesced per scope and source so that a flood does not grow the event queue.
 *
 * A server connection whose first datagram brought no handshake data (it did not decrypt, or
 * carried none) is forgotten at once, so that forged Initials cost no memory.
 *
 * @module
 */
import { MAX_CID_LENGTH, MIN_INITIAL_DCID_LENGTH, VERSION_1, VERSION_NEGOTIATION } from '../../gen/constants.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import type { ClientHandshakeConfig, ServerHandshakeConfig } from '../handshake/index.ts';
import { Connection, MIN_INITIAL_DATAGRAM, type Address, type ConnectionOptions, type Transmit } from './connection.ts';
import type { ClientSession } from './early-data.ts';
import { CID_LENGTH, splitDatagram, type SplitPacket } from './headers.ts';
import { checkDatagramRate, DatagramLimiter, SourceLimiter, type DatagramRate, type HandshakeRate } from './rate-limit.ts';
import { buildRetry } from './retry-packet.ts';
import { RetryTokens } from './retry-token.ts';
import { readLongHeaderInvariants, versionNegotiation } from './version.ts';

/** A map key for a connection ID (called for every datagram: a plain loop, no arrays). */
function key(cid: Uint8Array): string {
  let k = '';
  for (let i = 0; i < cid.length; i++) k += String.fromCharCode(cid[i]);
  return k;
}

/** The default limit on new handshakes: 1,000 per second per source address, 4,096 sources tracked. */
export const DEFAULT_HANDSHAKE_RATE: HandshakeRate = Object.freeze({ perSecond: 1000, burst: 1000, maxSources: 4096 });
/** Most stateless answers (Version Negotiation, Retry) waiting to be sent; more are dropped. */
const MAX_STATELESS_QUEUE = 256;
/** Most distinct sources with a pending `rate_limited` event; the rest coalesce into one with from `*`. */
const MAX_PENDING_EVENTS = 64;

export interface EndpointConfig {
  readonly address: Address;
  readonly provider: CryptoProvider;
  readonly rng: (n: number) => Uint8Array;
  /** Present on a server: the handshake configuration for accepted connections. */
  readonly server?: Omit<ServerHandshakeConfig, 'provider' | 'rng'>;
  readonly idleTimeoutMs?: number;
  /** Keep-alive interval of every connection, ms (0: none). */
  readonly keepAliveMs?: number;
  /** The congestion controller of every connection (default NewReno). */
  readonly congestion?: ConnectionOptions['congestion'];
  /** Stream configuration of every connection (window maxima, send buffer). */
  readonly streams?: ConnectionOptions['streams'];
  /** Loss-detection thresholds of every connection. */
  readonly recovery?: ConnectionOptions['recovery'];
  /** The largest UDP payload every connection may send; above 1200 it turns on path MTU discovery (pmtu.ts). */
  readonly maxDatagramSize?: number;
  /** An observer of every connection's packets (trace.ts), called with the connection. */
  readonly trace?: ConnectionOptions['trace'];
  /** Server: make every new client prove its address with a Retry token first (default false). */
  readonly requireRetry?: boolean;
  /**
   * Server: the Retry token key (32 bytes; default: drawn from `rng` — give every process of a
   * fleet the same one) and how long a token stays valid (default 10,000 ms).
   */
  readonly retryToken?: { readonly key?: Uint8Array; readonly lifetimeMs?: number };
  /** Inbound datagrams of the whole endpoint (default: unlimited). */
  readonly endpointRate?: DatagramRate;
  /** Inbound datagrams of each connection (default: unlimited). */
  readonly connectionRate?: DatagramRate;
  /** Server: new handshakes per source address (default {@link DEFAULT_HANDSHAKE_RATE}; `{ perSecond: 0 }`: unlimited). */
  readonly handshakeRate?: HandshakeRate;
}

/** Counters of what an endpoint accepted, answered and dropped. */
export interface EndpointStats {
  /** Datagrams that belong to no connection and make none. */
  unroutable: number;
  /** First Initials in datagrams under 1200 bytes. */
  tooSmallInitial: number;
  /** Connections accepted (a server's). */
  accepted: number;
  /** First Initials that did not decrypt or carried no handshake data (their connection was forgotten at once). */
  unauthenticatedInitial: number;
  /** Version Negotiation packets sent. */
  versionNegotiationSent: number;
  /** Long headers of an unknown version in datagrams under 1200 bytes (not answered). */
  unknownVersionDropped: number;
  /** Retry packets sent. */
  retrySent: number;
  /** Initials with a token that did not authenticate or parse. */
  tokenInvalid: number;
  /** Initials with an expired token. */
  tokenExpired: number;
  /** Initials with a token issued to another address. */
  tokenWrongAddress: number;
  /** Initials whose token names another connection ID than their DCID. */
  tokenWrongCid: number;
  /** Stateless answers dropped because too many were waiting. */
  statelessDropped: number;
  /** Datagrams dropped by the endpoint-wide limit. */
  rateLimitedEndpoint: number;
  /** Datagrams dropped by a connection's limit. */
  rateLimitedConnection: number;
  /** First Initials dropped by the per-source handshake limit. */
  rateLimitedHandshake: number;
}

/** What an endpoint tells its owner. */
export type EndpointEvent = {
  type: 'rate_limited';
  /** Which limit: the whole endpoint's, one connection's, or new handshakes of one source. */
  scope: 'endpoint' | 'connection' | 'handshake';
  /** The sender's address (`*`: many senders, coalesced once too many were pending). */
  from: Address;
  /** Datagrams dropped since the last event of this scope and sender, and their bytes. */
  datagrams: number;
  bytes: number;
  /** When the first and the last of them arrived (ms). */
  firstAt: number;
  lastAt: number;
};

type Scope = EndpointEvent['scope'];

export class Endpoint {
  readonly address: Address;
  readonly #c: EndpointConfig;
  readonly #byCid = new Map<string, Connection>();
  readonly #all: Connection[] = [];
  readonly #accepted: Connection[] = [];
  readonly #stateless: Transmit[] = [];
  readonly #tokens: RetryTokens | undefined;
  readonly #endpointLimit: DatagramLimiter | undefined;
  readonly #connectionLimits = new Map<Connection, DatagramLimiter>();
  readonly #perConnection: boolean;
  readonly #sources: SourceLimiter | undefined;
  readonly #events = new Map<string, EndpointEvent>();
  readonly stats: EndpointStats = {
    unroutable: 0, tooSmallInitial: 0, accepted: 0, unauthenticatedInitial: 0,
    versionNegotiationSent: 0, unknownVersionDropped: 0,
    retrySent: 0, tokenInvalid: 0, tokenExpired: 0, tokenWrongAddress: 0, tokenWrongCid: 0, statelessDropped: 0,
    rateLimitedEndpoint: 0, rateLimitedConnection: 0, rateLimitedHandshake: 0,
  };

  constructor(c: EndpointConfig) {
    this.address = c.address;
    this.#c = c;
    if (checkDatagramRate('endpointRate', c.endpointRate)) this.#endpointLimit = new DatagramLimiter(c.endpointRate!, 0);
    this.#perConnection = checkDatagramRate('connectionRate', c.connectionRate);
    if (c.server) this.#sources = new SourceLimiter(c.handshakeRate ?? DEFAULT_HANDSHAKE_RATE);
    if (c.requireRetry) {
      if (!c.server) throw new RangeError('requireRetry: only a server endpoint (with `server`) can require a Retry');
      // Drawn only when a Retry is required, so that the rng stream of every other endpoint is unchanged.
      this.#tokens = new RetryTokens(c.provider, c.rng, c.retryToken?.key ?? c.rng(32), c.retryToken?.lifetimeMs);
    }
  }

  /** Opens a client connection to `remote`. */
  connect(now: number, remote: Address, handshake: Omit<ClientHandshakeConfig, 'provider' | 'rng'>, session?: ClientSession): Connection {
    const conn = Connection.client({ ...this.#options(), remote, handshake, session }, now);
    this.#add(conn, [conn.localCid]);
    return conn;
  }

  /** The next connection a server accepted, if any. */
  accept(): Connection | undefined { return this.#accepted.shift(); }

  /** Every live connection. */
  get connections(): readonly Connection[] { return this.#all.filter((c) => !c.isClosed); }

  /** Connections held, terminated ones not yet forgotten included (for memory checks). */
  get connectionCount(): number { return this.#all.length; }
  /** Connection IDs routed (for memory checks). */
  get routeCount(): number { return this.#byCid.size; }
  /** Source addresses the handshake limit tracks now (never more than its `maxSources`). */
  get trackedSources(): number { return this.#sources?.size ?? 0; }
  /** `rate_limited` events waiting for {@link pollEvent}. */
  get pendingEvents(): number { return this.#events.size; }

  /** The next endpoint event, if any (coalesced: at most one pending per scope and sender). */
  pollEvent(): EndpointEvent | undefined {
    for (const [k, e] of this.#events) {
      this.#events.delete(k);
      return e;
    }
    return undefined;
  }

  handleDatagram(now: number, from: Address, data: Uint8Array): void {
    if (this.#endpointLimit && !this.#endpointLimit.admit(now, data.length)) {
      this.stats.rateLimitedEndpoint++;
      this.#limited('endpoint', from, now, data.length);
      return;
    }
    if ((data[0] & 0x80) !== 0 && data.length >= 5) {
      const version = ((data[1] << 24) | (data[2] << 16) | (data[3] << 8) | data[4]) >>> 0;
      if (version !== VERSION_1 && version !== VERSION_NEGOTIATION) { this.#unknownVersion(now, from, data); return; }
    }
    const first = splitDatagram(data)[0];
    if (!first) { this.stats.unroutable++; return; }
    const conn = this.#byCid.get(key(first.dcid));
    if (!conn) {
      if (first.form === 'initial' && this.#c.server) this.#firstInitial(now, from, data, first);
      else this.stats.unroutable++;
      return;
    }
    const limit = this.#connectionLimits.get(conn);
    if (limit && !limit.admit(now, data.length)) {
      this.stats.rateLimitedConnection++;
      this.#limited('connection', from, now, data.length);
      return;
    }
    conn.handleDatagram(now, from, data);
    if (conn.isTerminated) this.#sweep(); // e.g. a client abandoned by Version Negotiation
  }

  /** A client's first Initial (no connection has its DCID): maybe a new connection. */
  #firstInitial(now: number, from: Address, data: Uint8Array, first: Extract<SplitPacket, { form: 'initial' }>): void {
    if (data.length < MIN_INITIAL_DATAGRAM) { this.stats.tooSmallInitial++; return; }
    // A first Initial must have connection IDs in range (constants.cid.max-length; the client's
    // first DCID is at least min_initial_dcid_length): anything else is not a client.
    if (first.dcid.length < MIN_INITIAL_DCID_LENGTH || first.dcid.length > MAX_CID_LENGTH || first.scid.length > MAX_CID_LENGTH) {
      this.stats.unroutable++;
      return;
    }
    if (this.#sources && !this.#sources.admit(now, from)) {
      this.stats.rateLimitedHandshake++;
      this.#limited('handshake', from, now, data.length);
      return;
    }
    let retry: { originalDcid: Uint8Array; sourceCid: Uint8Array } | undefined;
    if (this.#tokens) {
      if (first.token.length === 0) { this.#sendRetry(now, from, first); return; }
      const r = this.#tokens.open(now, first.token, from);
      if (!r.ok) {
        if (r.why === 'expired') this.stats.tokenExpired++;
        else if (r.why === 'wrong_address') this.stats.tokenWrongAddress++;
        else this.stats.tokenInvalid++;
        return; // protocol.retry.token: dropped, not answered with another Retry
      }
      if (!equal(r.contents.retryScid, first.dcid)) { this.stats.tokenWrongCid++; return; }
      retry = { originalDcid: r.contents.originalDcid, sourceCid: r.contents.retryScid };
    }
    const conn = Connection.server({ ...this.#options(), remote: from, handshake: this.#c.server!, clientScid: first.scid, originalDcid: first.dcid, retry }, now);
    this.#add(conn, [conn.localCid, first.dcid]);
    conn.handleDatagram(now, from, data);
    if (conn.handshakeReceived === 0) { // forged, garbage, or no ClientHello: keep nothing
      this.stats.unauthenticatedInitial++;
      this.#remove(conn, [conn.localCid, first.dcid]);
      return;
    }
    this.#accepted.push(conn);
    this.stats.accepted++;
  }

  /** protocol.retry.token: a stateless Retry with a new SCID and a token bound to `from`. */
  #sendRetry(now: number, from: Address, first: Extract<SplitPacket, { form: 'initial' }>): void {
    const scid = this.#c.rng(CID_LENGTH);
    const token = this.#tokens!.seal(now, { address: from, originalDcid: first.dcid, retryScid: scid });
    const data = buildRetry(this.#c.provider, { dcid: first.scid, scid, token, originalDcid: first.dcid, unusedBits: this.#c.rng(1)[0] });
    if (this.#queueStateless(from, data)) this.stats.retrySent++;
  }

  /** packets.version.unknown: Version Negotiation for a datagram of at least 1200 bytes; else dropped. */
  #unknownVersion(now: number, from: Address, data: Uint8Array): void {
    const h = readLongHeaderInvariants(data);
    if (!this.#c.server || !h || data.length < MIN_INITIAL_DATAGRAM) { this.stats.unknownVersionDropped++; return; }
    if (this.#queueStateless(from, versionNegotiation(h, this.#c.rng(1)[0]))) this.stats.versionNegotiationSent++;
  }

  #queueStateless(to: Address, data: Uint8Array): boolean {
    if (this.#stateless.length >= MAX_STATELESS_QUEUE) { this.stats.statelessDropped++; return false; }
    this.#stateless.push({ to, data });
    return true;
  }

  /** Records a drop by a rate limit as a pending event, coalesced per scope and sender. */
  #limited(scope: Scope, from: Address, now: number, bytes: number): void {
    let k = `${scope}\0${from}`;
    let e = this.#events.get(k);
    if (!e && this.#events.size >= MAX_PENDING_EVENTS) {
      k = `${scope}\0*`;
      e = this.#events.get(k);
      from = '*';
    }
    if (!e) this.#events.set(k, e = { type: 'rate_limited', scope, from, datagrams: 0, bytes: 0, firstAt: now, lastAt: now });
    e.datagrams++;
    e.bytes += bytes;
    e.lastAt = now;
  }

  pollTransmit(now: number): (Transmit & { from: Address }) | undefined {
    const s = this.#stateless.shift();
    if (s) return { ...s, from: this.address };
    for (const c of this.#all) {
      const t = c.pollTransmit(now);
      if (t) return { ...t, from: this.address };
    }
    return undefined;
  }

  pollTimeout(): number | undefined {
    let t: number | undefined;
    for (const c of this.#all) {
      const x = c.pollTimeout();
      if (x !== undefined && (t === undefined || x < t)) t = x;
    }
    return t;
  }

  handleTimeout(now: number): void {
    let ended = false;
    for (const c of this.#all) {
      const t = c.pollTimeout();
      if (t !== undefined && t <= now) c.handleTimeout(now);
      ended ||= c.isTerminated;
    }
    if (ended) this.#sweep();
  }

  /** Forgets terminated connections (their closing or draining period is over, or they timed out). */
  #sweep(): void {
    for (let i = this.#all.length - 1; i >= 0; i--) if (this.#all[i].isTerminated) this.#all.splice(i, 1);
    for (const [k, c] of this.#byCid) if (c.isTerminated) this.#byCid.delete(k);
    for (const c of this.#connectionLimits.keys()) if (c.isTerminated) this.#connectionLimits.delete(c);
  }

  #options(): ConnectionOptions {
    return { provider: this.#c.provider, rng: this.#c.rng, idleTimeoutMs: this.#c.idleTimeoutMs, keepAliveMs: this.#c.keepAliveMs, congestion: this.#c.congestion, streams: this.#c.streams, recovery: this.#c.recovery, trace: this.#c.trace, maxDatagramSize: this.#c.maxDatagramSize };
  }

  #add(conn: Connection, cids: Uint8Array[]): void {
    this.#all.push(conn);
    for (const cid of cids) this.#byCid.set(key(cid), conn);
    if (this.#perConnection) this.#connectionLimits.set(conn, new DatagramLimiter(this.#c.connectionRate!, 0));
  }

  #remove(conn: Connection, cids: Uint8Array[]): void {
    const i = this.#all.lastIndexOf(conn);
    if (i >= 0) this.#all.splice(i, 1);
    for (const cid of cids) this.#byCid.delete(key(cid));
    this.#connectionLimits.delete(conn);
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
