/**
 * `listen()`: a JSP server on one UDP socket. It hands out each connection once its handshake
 * is confirmed (the client proved it holds the keys) — as a `'connection'` event, through
 * `accept()`, or by async iteration — and `close()` drains and closes them all.
 *
 * Session tickets are on by default (`tickets` option): each server draws a fresh random ticket
 * key at start and keeps an in-memory anti-replay record, so a restart just invalidates the
 * tickets of before — unless `tickets.rootSecret` derives the keys from a secret shared by a
 * fleet or kept across restarts (docs/resumption.md, fleet ticket keys). A connection that resumed with 0-RTT accepted is handed out as soon as its
 * handshake completes, one round trip before confirmation (`conn.confirmed` is still false,
 * `conn.earlyData` is `'accepted'`), so that its 0-RTT requests are answered at once. 0-RTT
 * data may be a replay (docs/resumption.md): act only on idempotent requests before
 * `conn.confirmed`, or set `tickets: { maxEarlyData: 0 }`.
 *
 * @module
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Endpoint, type Connection } from '../../core/connection/index.ts';
import { StaticKeySet } from '../../core/handshake/index.ts';
import type { ServerTickets } from '../../core/tickets/index.ts';
import { ErrorCode } from '../../gen/errors.ts';
import { isBuiltConfig, makeServerTickets, ServerConfig, type ServerOptionsInput, type ServerSettings } from '../config.ts';
import { UdpDriver } from '../udp-driver.ts';
import { JspConnection } from './connection.ts';
import { JspError, onAbort, throwIfAborted } from './errors.ts';
import { endpointOptions, makeLogger, Observers, RUNTIME_KEYS, transportParameters, type RuntimeOptions } from './setup.ts';
import type { JspStreamOptions } from './stream.ts';
import type { Logger } from '../log.ts';

/**
 * Options of {@link listen}: where to bind, and either a built `config`
 * (`ServerConfig.builder()…build()`) or the same settings as plain keys (`staticKeys` or
 * `staticKey`, `idleTimeoutMs`, …), each validated by the builder.
 */
export interface ListenOptions extends ServerOptionsInput, RuntimeOptions, JspStreamOptions {
  /** The address to bind (default `0.0.0.0`, every IPv4 interface). */
  readonly host?: string;
  /** The UDP port (default 0: any free port; see `address()`). */
  readonly port?: number;
  /** A built configuration (instead of the plain settings keys). */
  readonly config?: Readonly<ServerSettings>;
}

/** Options of {@link JspServer.close}. */
export interface ServerCloseOptions {
  /** The longest each connection's drain waits (default 10,000 ms); then it closes anyway. */
  readonly timeoutMs?: number;
  /** The reason sent to the clients (default `server closing`). */
  readonly reason?: string;
}

/** Counters of a server's socket and endpoint. */
export interface JspServerStats {
  /** Datagrams and bytes through the socket, and datagrams the endpoint threw on (always 0). */
  readonly datagramsIn: number;
  readonly datagramsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly internalErrors: number;
  /** Connections accepted by the endpoint, and datagrams it could route to none. */
  readonly accepted: number;
  readonly unroutable: number;
  /** Connections open now (handshaking ones included), and refused for `maxConnections`. */
  readonly connections: number;
  readonly refused: number;
}

/** Counters of a server's session tickets ({@link JspServer.ticketStats}; shared with every server sharing its `ServerTickets`). */
export interface JspTicketStats {
  /** Tickets sent to clients. */
  readonly issued: number;
  /** Resumptions accepted (a ticket opened, fresh, for this identity). */
  readonly accepted: number;
  /** Tickets refused (the client got a full handshake), and why: `expired`, `unknown_key`, `replayed`, `wrong_identity`, … */
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** Resumptions whose 0-RTT data was accepted. */
  readonly earlyAccepted: number;
  /** Resumptions that offered 0-RTT and had it refused, and why: `ticket_age`, `disabled`, `anti_replay_full`, … */
  readonly earlyRejected: number;
  readonly earlyRejectedByReason: Readonly<Record<string, number>>;
}

/** Events of a {@link JspServer}. */
export interface JspServerEvents {
  /** A connection whose handshake is confirmed (when nobody waits in `accept()`). */
  connection: [connection: JspConnection];
  /** The server closed: every connection is closed and the socket released. */
  close: [];
}

interface Waiter { resolve(c: JspConnection): void; reject(e: Error): void }

const API_KEYS = new Set<string>(['host', 'port', 'config', 'writableHighWaterMark', 'readableHighWaterMark', ...RUNTIME_KEYS]);

/** A listening JSP server (see the module comment). */
export class JspServer extends EventEmitter<JspServerEvents> {
  /** The validated settings it runs with. */
  readonly settings: Readonly<ServerSettings>;
  /** Its logger. */
  readonly log: Logger;
  readonly #driver: UdpDriver;
  readonly #tickets: ServerTickets | undefined;
  readonly #address: { address: string; port: number; family: 'IPv4' | 'IPv6' };
  readonly #observers: Observers;
  readonly #streamOptions: JspStreamOptions;
  readonly #live = new Set<JspConnection>();
  readonly #incoming: JspConnection[] = [];
  readonly #waiters: Waiter[] = [];
  #refused = 0;
  #closing: Promise<void> | undefined;

  /** @internal made by {@link listen} */
  constructor(driver: UdpDriver, settings: Readonly<ServerSettings>, observers: Observers, log: Logger, streamOptions: JspStreamOptions, tickets?: ServerTickets) {
    super();
    this.#driver = driver;
    this.#tickets = tickets;
    const a = driver.socket.address();
    this.#address = { address: a.address, port: a.port, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4' };
    this.settings = settings;
    this.#observers = observers;
    this.log = log;
    this.#streamOptions = streamOptions;
    driver.onAccept = (core) => this.#onAccept(core);
    (this as EventEmitter).on('newListener', (name: string | symbol) => {
      if (name === 'connection' && this.#incoming.length > 0) setImmediate(() => this.#flushIncoming());
    });
  }

  /** The bound address (as `net.Server.address()`; still answered after close). */
  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { ...this.#address };
  }

  /** Whether `close()` was called. */
  get closing(): boolean { return this.#closing !== undefined; }

  /** Counters of the socket, the endpoint and the connections. */
  get stats(): JspServerStats {
    const c = this.#driver.counters, s = this.#driver.endpoint.stats;
    return {
      datagramsIn: c.datagramsIn, datagramsOut: c.datagramsOut, bytesIn: c.bytesIn, bytesOut: c.bytesOut, internalErrors: c.internalErrors,
      accepted: s.accepted, unroutable: s.unroutable, connections: this.#live.size, refused: this.#refused,
    };
  }

  /**
   * The session tickets' keys, record and policy this server runs with (undefined: tickets off).
   * Pass it as `listen({ tickets: server.tickets })` to let another server in this process
   * accept the same tickets (one key set, one anti-replay record, shared counters).
   */
  get tickets(): ServerTickets | undefined { return this.#tickets; }

  /** Counters of the session tickets (undefined when tickets are off). */
  get ticketStats(): JspTicketStats | undefined {
    const t = this.#tickets;
    if (!t) return undefined;
    const s = t.stats;
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    const earlyRejectedByReason = Object.fromEntries(Object.entries(s.earlyRejected).filter(([k]) => k !== 'not_offered'));
    return {
      issued: s.issued, accepted: s.accepted, rejected: sum(s.rejected), rejectedByReason: { ...s.rejected },
      earlyAccepted: s.earlyAccepted, earlyRejected: sum(earlyRejectedByReason), earlyRejectedByReason,
    };
  }

  /** The next confirmed connection not taken by a `'connection'` listener. */
  async accept(o: { signal?: AbortSignal } = {}): Promise<JspConnection> {
    throwIfAborted(o.signal, 'accept');
    const c = this.#incoming.shift();
    if (c) return c;
    if (this.#closing) throw new JspError('ERR_JSP_SERVER_CLOSED', 'accept: the server is closed');
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve: (v) => { detach(); resolve(v); }, reject: (e) => { detach(); reject(e); } };
      const detach = onAbort(o.signal, 'accept', reject, () => { const i = this.#waiters.indexOf(w); if (i >= 0) this.#waiters.splice(i, 1); });
      this.#waiters.push(w);
    });
  }

  /** Connections as they are confirmed, until the server closes. */
  async *[Symbol.asyncIterator](): AsyncIterator<JspConnection> {
    for (;;) {
      let c: JspConnection;
      try {
        c = await this.accept();
      } catch (e) {
        if (e instanceof JspError && e.code === 'ERR_JSP_SERVER_CLOSED') return;
        throw e;
      }
      yield c;
    }
  }

  /**
   * Stops accepting, closes every connection gracefully — each drains first: its streams'
   * writing sides are ended and what was written is acknowledged (at most `timeoutMs`) — then
   * releases the socket. Resolves when all of that is done; a second call returns the same promise.
   */
  close(o: ServerCloseOptions = {}): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      for (const w of this.#waiters.splice(0)) w.reject(new JspError('ERR_JSP_SERVER_CLOSED', 'accept: the server is closed'));
      const closes = [...this.#live].map((c) => c.close({ reason: o.reason ?? 'server closing', timeoutMs: o.timeoutMs }).catch(() => {}));
      await Promise.all(closes);
      for (const c of this.#incoming.splice(0)) void c.close({ drain: false });
      this.#observers.releaseAll();
      await this.#driver.close();
      this.#live.clear(); // their closing periods end with the socket
      this.log.info('server closed');
      this.emit('close');
    })();
    return this.#closing;
  }

  #onAccept(core: Connection): void {
    const conn = new JspConnection(core, {
      driver: this.#driver,
      observer: this.#observers.of(core),
      streamOptions: this.#streamOptions,
      terminated: (c) => { this.#live.delete(c); this.#observers.release(c.core); },
    });
    const limit = this.settings.maxConnections;
    if (this.#closing || (limit > 0 && this.#live.size >= limit)) {
      this.#refused++;
      core.close(this.#driver.now(), ErrorCode.CONNECTION_REFUSED, this.#closing ? 'server closing' : 'too many connections');
      this.#driver.schedule();
      return;
    }
    this.#live.add(conn);
    const timer = setTimeout(() => {
      if (!conn.confirmed && !conn.closeInfo) {
        core.close(this.#driver.now(), ErrorCode.HANDSHAKE_FAILED, `handshake not confirmed within ${this.settings.handshakeTimeoutMs} ms`);
        this.#driver.schedule();
      }
    }, this.settings.handshakeTimeoutMs);
    let delivered = false;
    const deliver = () => {
      if (delivered) return;
      delivered = true;
      if (this.#closing) { void conn.close({ drain: false, reason: 'server closing' }); return; }
      this.#deliver(conn);
    };
    // 0-RTT accepted: hand the connection out now, so its early requests are answered at once.
    conn.onConnected = () => { if (conn.earlyData === 'accepted') deliver(); };
    conn.onConfirmed = () => {
      clearTimeout(timer);
      deliver();
    };
    conn.onClosed = () => {
      clearTimeout(timer);
      const i = this.#incoming.indexOf(conn);
      if (i >= 0) this.#incoming.splice(i, 1);
    };
  }

  #deliver(c: JspConnection): void {
    const w = this.#waiters.shift();
    if (w) w.resolve(c);
    else if (this.listenerCount('connection') > 0) this.emit('connection', c);
    else this.#incoming.push(c);
  }

  #flushIncoming(): void {
    while (this.#incoming.length > 0 && this.listenerCount('connection') > 0) this.emit('connection', this.#incoming.shift()!);
  }
}

/**
 * Starts a JSP server. Takes a built config (`ServerConfig.builder().staticKey(secret).build()`)
 * or options (`{ port, staticKey, … }`); resolves once the socket is bound. Session tickets and
 * 0-RTT are on unless `tickets: false` (see `ServerConfigBuilder.tickets` for their options).
 *
 * ```ts
 * const server = await listen({ port: 4433, staticKey: secret });
 * server.on('connection', (conn) => {
 *   conn.on('stream', (stream) => stream.pipe(stream)); // echo
 * });
 * ```
 */
export async function listen(options: Readonly<ServerSettings> | ListenOptions): Promise<JspServer> {
  if (typeof options !== 'object' || options === null) throw new TypeError('listen: expected a config or an options object');
  let settings: Readonly<ServerSettings>;
  let o: ListenOptions;
  if (isBuiltConfig(options)) {
    settings = options as Readonly<ServerSettings>;
    o = {};
  } else {
    o = options as ListenOptions;
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (!API_KEYS.has(k)) rest[k] = v;
    if (o.config !== undefined) {
      if (Object.keys(rest).length > 0) throw new TypeError(`listen: give either config or settings keys, not both (got config and ${Object.keys(rest).join(', ')})`);
      settings = ServerConfig.from(o.config, 'listen');
    } else {
      settings = ServerConfig.from(rest as ServerOptionsInput, 'listen');
    }
  }
  const port = o.port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port: ${String(port)} is out of range; allowed: an integer in 0..65535`);
  const host = o.host ?? '0.0.0.0';
  if (typeof host !== 'string' || host.length === 0) throw new TypeError('host: expected an address to bind');
  const log = makeLogger(settings, o.logger);
  const observers = new Observers(log, settings.qlogDir, () => performance.now());
  const common = endpointOptions(settings, o, observers.trace);
  const staticKeys = new StaticKeySet(common.provider, settings.staticKeys);
  const tickets = makeServerTickets(settings.tickets, { provider: common.provider, epochMs: performance.timeOrigin, now: performance.now() });
  const driver = await UdpDriver.bind(host, port, (address) => new Endpoint({
    address, ...common,
    server: {
      staticKeys, suites: settings.suites, groups: settings.groups, alpn: settings.alpn,
      requireClientAuth: settings.requireClientAuth, transportParameters: transportParameters(settings), tickets,
    },
  }), { recvBufferSize: o.recvBufferSize });
  const server = new JspServer(driver, settings, observers, log, { writableHighWaterMark: o.writableHighWaterMark, readableHighWaterMark: o.readableHighWaterMark }, tickets);
  log.info('listening', { address: driver.address });
  return server;
}
