/**
 * An endpoint: the connections behind one UDP socket, sans-IO. It routes each datagram by its
 * Destination Connection ID (or, for a client's Initials before it learned the server's ID, by the
 * original one), creates a server connection for a new client's Initial of at least 1200 bytes,
 * and drops what belongs to no connection. It implements the simulator's endpoint interface.
 *
 * @module
 */
import { MAX_CID_LENGTH, MIN_INITIAL_DCID_LENGTH, VERSION_1 } from '../../gen/constants.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import type { ClientHandshakeConfig, ServerHandshakeConfig } from '../handshake/index.ts';
import { Connection, MIN_INITIAL_DATAGRAM, type Address, type ConnectionOptions, type Transmit } from './connection.ts';
import { splitDatagram } from './headers.ts';

/** A map key for a connection ID (called for every datagram: a plain loop, no arrays). */
function key(cid: Uint8Array): string {
  let k = '';
  for (let i = 0; i < cid.length; i++) k += String.fromCharCode(cid[i]);
  return k;
}

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
}

/** Counters of what an endpoint dropped. */
export interface EndpointStats { unroutable: number; tooSmallInitial: number; accepted: number }

export class Endpoint {
  readonly address: Address;
  readonly #c: EndpointConfig;
  readonly #byCid = new Map<string, Connection>();
  readonly #all: Connection[] = [];
  readonly #accepted: Connection[] = [];
  readonly stats: EndpointStats = { unroutable: 0, tooSmallInitial: 0, accepted: 0 };

  constructor(c: EndpointConfig) {
    this.address = c.address;
    this.#c = c;
  }

  /** Opens a client connection to `remote`. */
  connect(now: number, remote: Address, handshake: Omit<ClientHandshakeConfig, 'provider' | 'rng'>): Connection {
    const conn = Connection.client({ ...this.#options(), remote, handshake }, now);
    this.#add(conn, [conn.localCid]);
    return conn;
  }

  /** The next connection a server accepted, if any. */
  accept(): Connection | undefined { return this.#accepted.shift(); }

  /** Every live connection. */
  get connections(): readonly Connection[] { return this.#all.filter((c) => !c.isClosed); }

  handleDatagram(now: number, from: Address, data: Uint8Array): void {
    const first = splitDatagram(data)[0];
    if (!first) { this.stats.unroutable++; return; }
    let conn = this.#byCid.get(key(first.dcid));
    if (!conn && first.form === 'initial' && this.#c.server) {
      if (data.length < MIN_INITIAL_DATAGRAM) { this.stats.tooSmallInitial++; return; }
      // A first Initial must be of our version with connection IDs in range (constants.cid.max-length;
      // the client's first DCID is at least min_initial_dcid_length): anything else is not a client.
      if (first.version !== VERSION_1 || first.dcid.length < MIN_INITIAL_DCID_LENGTH || first.dcid.length > MAX_CID_LENGTH || first.scid.length > MAX_CID_LENGTH) {
        this.stats.unroutable++;
        return;
      }
      conn = Connection.server({ ...this.#options(), remote: from, handshake: this.#c.server, clientScid: first.scid, originalDcid: first.dcid }, now);
      this.#add(conn, [conn.localCid, first.dcid]);
      this.#accepted.push(conn);
      this.stats.accepted++;
    }
    if (!conn) { this.stats.unroutable++; return; }
    conn.handleDatagram(now, from, data);
  }

  pollTransmit(now: number): (Transmit & { from: Address }) | undefined {
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
  }

  #options(): ConnectionOptions {
    return { provider: this.#c.provider, rng: this.#c.rng, idleTimeoutMs: this.#c.idleTimeoutMs, keepAliveMs: this.#c.keepAliveMs, congestion: this.#c.congestion, streams: this.#c.streams, recovery: this.#c.recovery };
  }

  #add(conn: Connection, cids: Uint8Array[]): void {
    this.#all.push(conn);
    for (const cid of cids) this.#byCid.set(key(cid), conn);
  }
}
