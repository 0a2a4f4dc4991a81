/**
 * From validated settings (src/node/config.ts) to what the core takes: transport parameters,
 * stream configuration, endpoint options, the logger. Shared by `listen` and `connect`.
 *
 * @module
 */
import type { Connection, EndpointConfig, StreamConfig } from '../../core/connection/index.ts';
import type { TransportParameters } from '../../gen/messages.ts';
import { nodeProvider } from '../../crypto/node.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import type { CommonSettings } from '../config.ts';
import { jsonLinesSink, Logger, loggerFromEnv } from '../log.ts';
import { ConnectionObserver, qlogDirectory } from './observe.ts';

/** Options of `listen` and `connect` that are not protocol settings. */
export interface RuntimeOptions {
  /** Where logs go (default: JSON lines on stderr at the config's `logLevel`, or `JSP_LOG`). */
  readonly logger?: Logger;
  /** The crypto provider (default: node:crypto). */
  readonly provider?: CryptoProvider;
  /** Most bytes a stream holds written and not yet acknowledged (default 1 MiB): the core's send buffer. */
  readonly sendBuffer?: number;
  /** SO_RCVBUF of the socket (default 4 MiB, capped by the kernel). */
  readonly recvBufferSize?: number;
}

/** The names of {@link RuntimeOptions} (kept apart from the settings the builders validate). */
export const RUNTIME_KEYS = ['logger', 'provider', 'sendBuffer', 'recvBufferSize'] as const;

/** The transport parameters this side announces for its settings. */
export function transportParameters(s: CommonSettings): Partial<TransportParameters> {
  return {
    initialMaxData: s.initialMaxData,
    initialMaxStreamDataBidiLocal: s.initialMaxStreamData,
    initialMaxStreamDataBidiRemote: s.initialMaxStreamData,
    initialMaxStreamDataUni: s.initialMaxStreamData,
    initialMaxStreamsBidi: s.maxStreamsBidi,
    initialMaxStreamsUni: s.maxStreamsUni,
    maxUdpPayloadSize: s.maxUdpPayloadSize,
    // The connection does not carry DATAGRAM frames yet: announcing a size would invite them.
    maxDatagramFrameSize: 0,
  };
}

/** The streams' local configuration: auto-tuning maxima and the send buffer. */
export function streamConfig(s: CommonSettings, sendBuffer: number | undefined): StreamConfig {
  if (sendBuffer !== undefined && (!Number.isInteger(sendBuffer) || sendBuffer < 1024 || sendBuffer > 1 << 30)) {
    throw new RangeError(`sendBuffer: ${sendBuffer} is out of range; allowed: an integer in 1024..${1 << 30} bytes`);
  }
  return { maxStreamWindow: s.maxStreamWindow, maxConnectionWindow: Math.max(24 << 20, Math.ceil(s.maxStreamWindow * 1.5)), sendBuffer };
}

/** The endpoint options both sides share. */
export function endpointOptions(s: CommonSettings, r: RuntimeOptions, trace: EndpointConfig['trace']): Omit<EndpointConfig, 'address'> {
  const provider = r.provider ?? nodeProvider;
  return {
    provider,
    rng: (n) => provider.randomBytes(n),
    idleTimeoutMs: s.idleTimeoutMs,
    keepAliveMs: s.keepAliveIntervalMs,
    streams: streamConfig(s, r.sendBuffer),
    trace,
  };
}

/** The logger for a config: the one given, else JSON lines on stderr at `logLevel`, else `JSP_LOG`. */
export function makeLogger(s: CommonSettings, given: Logger | undefined): Logger {
  if (given !== undefined) {
    if (!(given instanceof Logger)) throw new TypeError('logger: expected a Logger (src/node/log.ts)');
    return given;
  }
  if (s.logLevel !== 'silent') return new Logger({ level: s.logLevel, sink: jsonLinesSink(process.stderr) });
  return loggerFromEnv();
}

/**
 * The observers of an endpoint's connections, made on a connection's first trace event (a
 * server's connection traces its first packet before anyone else sees it).
 */
export class Observers {
  readonly #map = new Map<Connection, ConnectionObserver>();
  readonly #logger: Logger;
  readonly #qlogDir: string | undefined;
  readonly #now: () => number;

  constructor(logger: Logger, qlogDir: string | undefined, now: () => number) {
    this.#logger = logger;
    this.#qlogDir = qlogDirectory(qlogDir);
    this.#now = now;
  }

  /** The trace sink for the endpoint. */
  readonly trace: NonNullable<EndpointConfig['trace']> = (e, conn) => this.of(conn, e.now).onTrace(e);

  /** The observer of `conn` (made on first use; its trace starts at `now`, default the clock). */
  of(conn: Connection, now?: number): ConnectionObserver {
    let o = this.#map.get(conn);
    if (!o) {
      o = new ConnectionObserver(conn, { logger: this.#logger, qlogDir: this.#qlogDir, now: now ?? this.#now() });
      this.#map.set(conn, o);
    }
    return o;
  }

  /** Closes `conn`'s trace and forgets it. */
  release(conn: Connection): void {
    this.#map.get(conn)?.close();
    this.#map.delete(conn);
  }

  /** Closes every trace. */
  releaseAll(): void {
    for (const o of this.#map.values()) o.close();
    this.#map.clear();
  }
}
