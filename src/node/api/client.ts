/**
 * `connect()`: a client connection on its own UDP socket (connected to the server), resolved
 * when the handshake completes — or, with `session` and `earlyData: true` and a ticket that
 * allows 0-RTT, at once, so that what is written before the handshake completes travels in
 * 0-RTT packets (as quinn's `into_0rtt`).
 *
 * @module
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Endpoint } from '../../core/connection/index.ts';
import type { ClientSession } from '../../core/connection/early-data.ts';
import type { ClientTicket, TicketStore } from '../../core/tickets/index.ts';
import { ConnectionConfig, type ConnectionOptionsInput, type ConnectionSettings } from '../config.ts';
import type { Logger } from '../log.ts';
import { checkClientTicket, isTicketStore } from '../ticket-store.ts';
import { formatAddress, UdpDriver } from '../udp-driver.ts';
import { JspConnection } from './connection.ts';
import { JspConnectError, JspTimeoutError, onAbort, throwIfAborted } from './errors.ts';
import { endpointOptions, makeLogger, Observers, RUNTIME_KEYS, transportParameters, type RuntimeOptions } from './setup.ts';
import type { JspStreamOptions } from './stream.ts';

/**
 * Options of {@link connect}: where to connect, and either a built `config`
 * (`ConnectionConfig.builder()…build()`) or the same settings as plain keys (`serverKey`,
 * `idleTimeoutMs`, …), each validated by the builder.
 */
export interface ConnectOptions extends ConnectionOptionsInput, RuntimeOptions, JspStreamOptions {
  /** The server's host name or address. */
  readonly host: string;
  /** The server's UDP port. */
  readonly port: number;
  /** A built configuration (instead of the plain settings keys). */
  readonly config?: Readonly<ConnectionSettings>;
  /** Gives up the handshake. */
  readonly signal?: AbortSignal;
  /** The local address to bind (default: any, of the server's family). */
  readonly localHost?: string;
  /** The local port (default: any). */
  readonly localPort?: number;
  /**
   * Resume a session (as Node TLS's `session` option): a {@link ClientTicket} (from the
   * connection's `'session'` event, or `parseTicket`) is offered as it is; a {@link TicketStore}
   * (`MemoryTicketStore`, `FileTicketStore`) gives its newest usable ticket for the pinned
   * `serverKey` and receives the tickets this connection gets. A ticket the server refuses
   * (expired, rotated out, another identity, already used) costs nothing: the handshake is then
   * a full one, in the same round trip.
   */
  readonly session?: ClientTicket | TicketStore;
  /**
   * Send 0-RTT data (default false). When the ticket allows it, `connect` resolves at once, before
   * the first flight leaves: streams opened and written before the handshake completes carry
   * 0-RTT data (what exceeds the ticket's max_early_data waits for 1-RTT), and
   * `conn.handshakeComplete` / the `'earlyData'` event tell the rest. 0-RTT data may be replayed
   * by an attacker: only idempotent requests belong in it (docs/resumption.md). Without a ticket
   * that allows 0-RTT, `connect` resolves after the handshake as usual.
   */
  readonly earlyData?: boolean;
}

const API_KEYS = new Set<string>(['host', 'port', 'config', 'signal', 'localHost', 'localPort', 'session', 'earlyData', 'writableHighWaterMark', 'readableHighWaterMark', ...RUNTIME_KEYS]);

/** The `session` option: a ticket to offer, or a store to take one from and put new ones in. */
function sessionOf(v: unknown): { ticket?: ClientTicket; store?: TicketStore } {
  if (v === undefined) return {};
  if (isTicketStore(v)) return { store: v };
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'ticket' in v && 'psk' in v) return { ticket: checkClientTicket(v, 'session') };
  throw new TypeError(`session: expected a ClientTicket (from the 'session' event or parseTicket) or a TicketStore (with put and take), got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
}

/**
 * The application's store as the core uses it: a failing `put` is logged, not thrown into the
 * datagram path; `take` answers nothing (`connect` took its ticket already).
 */
function guardedStore(store: TicketStore, log: Logger): TicketStore {
  return {
    put: (t) => {
      try {
        store.put(t);
      } catch (e) {
        log.warn('session: the ticket store refused a ticket', { err: e });
      }
    },
    take: () => undefined,
  };
}

/** Splits options into the API's own keys and the settings the builder validates. */
function settingsOf(o: ConnectOptions): Readonly<ConnectionSettings> {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!API_KEYS.has(k)) rest[k] = v;
  if (o.config !== undefined) {
    if (Object.keys(rest).length > 0) throw new TypeError(`connect: give either config or settings keys, not both (got config and ${Object.keys(rest).join(', ')})`);
    return ConnectionConfig.from(o.config, 'connect');
  }
  return ConnectionConfig.from(rest as ConnectionOptionsInput, 'connect');
}

function checkPort(option: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 65535) throw new RangeError(`${option}: ${String(v)} is out of range; allowed: an integer in ${min}..65535`);
  return v;
}

/** The server's numeric address. */
async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  if (typeof host !== 'string' || host.length === 0) throw new TypeError('host: expected a host name or address');
  const v = isIP(host);
  if (v !== 0) return { address: host, family: v as 4 | 6 };
  const r = await lookup(host);
  return { address: r.address, family: r.family === 6 ? 6 : 4 };
}

/**
 * Connects to a JSP server whose static public key the client pins (`serverKey`). Resolves with
 * the connection once the handshake completes; rejects with a {@link JspConnectError} when the
 * server refuses (a wrong pinned key gives `code` `ERR_JSP_BAD_SERVER_KEY`) or nobody answers
 * the port, a {@link JspTimeoutError} after `handshakeTimeoutMs`, or an `AbortError` when
 * `signal` fires.
 *
 * With `session` it resumes from a ticket (`conn.resumed`); with `earlyData: true` too and a
 * ticket that allows 0-RTT it resolves at once instead (`conn.earlyData === 'pending'`): write
 * the request right away and it travels in 0-RTT. The handshake's failure then arrives as the
 * connection's `'error'`/`'close'`, stream errors, and the rejection of `conn.handshakeComplete`;
 * `signal` and `handshakeTimeoutMs` still bound the handshake.
 *
 * ```ts
 * const store = new MemoryTicketStore();            // or new FileTicketStore(path)
 * const first = await connect({ host, port, serverKey, session: store });
 * // … a ticket arrives ('session' event) and goes into the store …
 * const conn = await connect({ host, port, serverKey, session: store, earlyData: true });
 * const s = await conn.openStream();
 * s.end('GET /index.html');                         // in 0-RTT when conn.earlyData === 'pending'
 * await conn.handshakeComplete;                     // conn.earlyData: 'accepted' or 'rejected'
 * ```
 *
 * ```ts
 * const conn = await connect({ host: '127.0.0.1', port: 4433, serverKey });
 * const stream = await conn.openStream();
 * stream.end('hello');
 * for await (const chunk of stream) process.stdout.write(chunk);
 * ```
 */
export async function connect(options: ConnectOptions): Promise<JspConnection> {
  if (typeof options !== 'object' || options === null) throw new TypeError('connect: expected an options object with host, port and serverKey');
  const settings = settingsOf(options);
  const port = checkPort('port', options.port, 1);
  const localPort = checkPort('localPort', options.localPort ?? 0, 0);
  const session = sessionOf(options.session);
  if (options.earlyData !== undefined && typeof options.earlyData !== 'boolean') throw new TypeError(`earlyData: expected a boolean, got ${typeof options.earlyData}`);
  throwIfAborted(options.signal, 'connect');
  const server = await resolveHost(options.host);
  const remote = formatAddress(server.address, port);
  const logger = makeLogger(settings, options.logger);
  const observers = new Observers(logger, settings.qlogDir, () => performance.now());
  const common = endpointOptions(settings, options, observers.trace);
  const driver = await UdpDriver.bind(options.localHost ?? (server.family === 6 ? '::' : '0.0.0.0'), localPort, (address) => new Endpoint({ address, ...common }), {
    connectTo: remote, recvBufferSize: options.recvBufferSize,
  });
  // The session: the ticket given, or the newest usable one of the store (taken: tickets are single-use).
  const epochMs = performance.timeOrigin; // wall-clock ms at the driver's clock 0
  let ticket = session.ticket;
  if (!ticket && session.store) {
    try {
      const t = session.store.take(settings.serverKey, epochMs + driver.now());
      if (t !== undefined) ticket = checkClientTicket(t, 'session store ticket');
    } catch (e) {
      logger.warn('session: no ticket from the store; a full handshake follows', { err: e });
    }
  }
  // Always a session: epochMs makes the tickets this connection gets carry wall-clock times
  // (receivedAtMs), which the ticket age of a later resumption is measured from.
  const coreSession: ClientSession = { ticket, store: session.store && guardedStore(session.store, logger), earlyData: options.earlyData === true, epochMs };
  let core;
  try {
    core = driver.endpoint.connect(driver.now(), remote, {
      serverKey: settings.serverKey, clientKey: settings.clientKey,
      suites: settings.suites, groups: settings.groups, alpn: settings.alpn,
      transportParameters: transportParameters(settings),
    }, coreSession);
  } catch (e) {
    await driver.close();
    throw e;
  }
  const conn = new JspConnection(core, {
    driver,
    observer: observers.of(core),
    streamOptions: { writableHighWaterMark: options.writableHighWaterMark, readableHighWaterMark: options.readableHighWaterMark },
    terminated: () => { observers.releaseAll(); void driver.close(); },
    closed: () => driver.unref(), // the closing period does not keep the process alive
  });
  // The handshake's watchers, until it completes or fails (also after an early hand-over).
  const timer = setTimeout(() => conn.failHandshake(new JspTimeoutError('the handshake', settings.handshakeTimeoutMs)), settings.handshakeTimeoutMs);
  const detach = onAbort(options.signal, 'connect', (e) => conn.failHandshake(e));
  // A connected socket learns of an ICMP port unreachable: nobody listens there.
  const onSocketError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'ECONNREFUSED') conn.failHandshake(new JspConnectError(`no JSP server answers at ${remote} (ECONNREFUSED)`, { cause: e }));
  };
  driver.socket.on('error', onSocketError);
  const cleanup = () => { clearTimeout(timer); detach(); driver.socket.off('error', onSocketError); };
  conn.handshakeComplete.then(cleanup, cleanup);
  if (conn.earlyData === 'pending') {
    // 0-RTT: hand the connection over now; the first flight leaves in the next pump, with what
    // the application writes in this tick.
    driver.schedule();
    return conn;
  }
  driver.pump();
  await conn.handshakeComplete;
  return conn;
}
