/**
 * `connect()`: a client connection on its own UDP socket (connected to the server), resolved
 * when the handshake completes.
 *
 * @module
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Endpoint } from '../../core/connection/index.ts';
import { ErrorCode } from '../../gen/errors.ts';
import { ConnectionConfig, type ConnectionOptionsInput, type ConnectionSettings } from '../config.ts';
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
}

const API_KEYS = new Set<string>(['host', 'port', 'config', 'signal', 'localHost', 'localPort', 'writableHighWaterMark', 'readableHighWaterMark', ...RUNTIME_KEYS]);

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
  throwIfAborted(options.signal, 'connect');
  const server = await resolveHost(options.host);
  const remote = formatAddress(server.address, port);
  const logger = makeLogger(settings, options.logger);
  const observers = new Observers(logger, settings.qlogDir, () => performance.now());
  const common = endpointOptions(settings, options, observers.trace);
  const driver = await UdpDriver.bind(options.localHost ?? (server.family === 6 ? '::' : '0.0.0.0'), localPort, (address) => new Endpoint({ address, ...common }), {
    connectTo: remote, recvBufferSize: options.recvBufferSize,
  });
  let core;
  try {
    core = driver.endpoint.connect(driver.now(), remote, {
      serverKey: settings.serverKey, clientKey: settings.clientKey,
      suites: settings.suites, groups: settings.groups, alpn: settings.alpn,
      transportParameters: transportParameters(settings),
    });
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
  driver.pump();
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      detach();
      driver.socket.off('error', onSocketError);
      conn.onConnected = conn.onClosed = undefined;
    };
    const fail = (e: Error) => {
      cleanup();
      if (!conn.closeInfo) {
        core.close(driver.now(), ErrorCode.HANDSHAKE_FAILED, e.message);
        driver.pump();
      }
      reject(e);
    };
    const timer = setTimeout(() => fail(new JspTimeoutError('the handshake', settings.handshakeTimeoutMs)), settings.handshakeTimeoutMs);
    const detach = onAbort(options.signal, 'connect', fail);
    // A connected socket learns of an ICMP port unreachable: nobody listens there.
    const onSocketError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') fail(new JspConnectError(`no JSP server answers at ${remote} (ECONNREFUSED)`, { cause: e }));
    };
    driver.socket.on('error', onSocketError);
    conn.onConnected = () => { cleanup(); resolve(); };
    conn.onClosed = (info) => {
      cleanup();
      const what = info.error ? `${info.error.codeName}${info.reason ? `: ${info.reason}` : ''}` : `closed${info.reason ? `: ${info.reason}` : ''}`;
      reject(new JspConnectError(`the handshake with ${remote} failed (${what}${info.remote ? ', sent by the server' : ''})`, { transportError: info.error, remote: info.remote }));
    };
  });
  return conn;
}
