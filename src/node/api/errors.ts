/**
 * The errors of the public API. Each has a stable string `code` (`ERR_JSP_…`, or Node's
 * `ABORT_ERR`) to branch on, and — when the protocol produced it — the {@link TransportError}
 * with the spec's wire code (`transportError.codeName`, e.g. `BAD_SERVER_KEY`).
 *
 * Misuse of the API (a bad option, a call on the wrong object) throws TypeError/RangeError at
 * once instead; these are for what happens on the network.
 *
 * @module
 */
import { ErrorCode, TransportError } from '../../gen/errors.ts';

/** The base class: `code` is stable across versions. */
export class JspError extends Error {
  override name = 'JspError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A handshake that did not complete: the server refused it (`transportError` says why, e.g.
 * `BAD_SERVER_KEY` when the pinned key is not the server's — `code` is then
 * `ERR_JSP_BAD_SERVER_KEY`), the client gave up on it locally, or the path died.
 */
export class JspConnectError extends JspError {
  override name = 'JspConnectError';
  /** The protocol error behind it, if any. */
  readonly transportError: TransportError | undefined;
  /** Whether the peer reported the error (a CONNECTION_CLOSE) rather than this side. */
  readonly remote: boolean;
  constructor(message: string, o: { transportError?: TransportError; remote?: boolean; cause?: unknown } = {}) {
    super(o.transportError ? `ERR_JSP_${o.transportError.codeName}` : 'ERR_JSP_CONNECT', message, { cause: o.cause ?? o.transportError });
    this.transportError = o.transportError;
    this.remote = o.remote ?? false;
  }
}

/** Something did not happen in time: a handshake (`handshakeTimeoutMs`), a ping, a drain. */
export class JspTimeoutError extends JspError {
  override name = 'JspTimeoutError';
  /** The limit that ran out, in ms. */
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super('ERR_JSP_TIMEOUT', `${what} did not complete within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** A wait given up because its AbortSignal fired (name `AbortError`, code `ABORT_ERR`, as Node's own). */
export class JspAbortError extends JspError {
  override name = 'AbortError';
  constructor(what: string, reason: unknown) {
    super('ABORT_ERR', `${what} was aborted`, { cause: reason });
  }
}

/**
 * The connection is closed: what a stream, a pending wait or a call on it reports. `remote` tells
 * whether the peer closed it; `transportError` carries the code when the close was not a clean
 * NO_ERROR one (IDLE_TIMEOUT for an idle timeout).
 */
export class JspConnectionClosedError extends JspError {
  override name = 'JspConnectionClosedError';
  readonly transportError: TransportError | undefined;
  readonly remote: boolean;
  readonly reason: string;
  /** The application error code of an application close. */
  readonly applicationCode: number | undefined;
  constructor(o: { transportError?: TransportError; remote: boolean; reason: string; applicationCode?: number }) {
    const why = o.transportError ? o.transportError.message
      : o.applicationCode !== undefined ? `application error ${o.applicationCode}${o.reason ? `: ${o.reason}` : ''}`
        : `closed${o.reason ? `: ${o.reason}` : ''}`;
    super(o.transportError?.code === ErrorCode.IDLE_TIMEOUT ? 'ERR_JSP_IDLE_TIMEOUT' : 'ERR_JSP_CONNECTION_CLOSED', `the connection was closed ${o.remote ? 'by the peer' : 'locally'} (${why})`, { cause: o.transportError });
    this.transportError = o.transportError;
    this.remote = o.remote;
    this.reason = o.reason;
    this.applicationCode = o.applicationCode;
  }
}

/** The peer reset its sending part of a stream (RESET_STREAM): the data after what was read is gone. */
export class JspStreamResetError extends JspError {
  override name = 'JspStreamResetError';
  /** The stream id. */
  readonly streamId: number;
  /** The application error code the peer gave. */
  readonly errorCode: number;
  constructor(streamId: number, errorCode: number) {
    super('ERR_JSP_STREAM_RESET', `stream ${streamId} was reset by the peer with code ${errorCode}`);
    this.streamId = streamId;
    this.errorCode = errorCode;
  }
}

/** The peer asked this side to stop sending on a stream (STOP_SENDING): the writes are abandoned. */
export class JspStreamStoppedError extends JspError {
  override name = 'JspStreamStoppedError';
  readonly streamId: number;
  readonly errorCode: number;
  constructor(streamId: number, errorCode: number) {
    super('ERR_JSP_STREAM_STOPPED', `the peer stopped stream ${streamId} with code ${errorCode}`);
    this.streamId = streamId;
    this.errorCode = errorCode;
  }
}

/** Rejects with a {@link JspAbortError} when `signal` fires, with `cleanup` run first; returns a detach function. */
export function onAbort(signal: AbortSignal | undefined, what: string, reject: (e: Error) => void, cleanup: () => void = () => {}): () => void {
  if (!signal) return () => {};
  if (!(signal instanceof AbortSignal)) throw new TypeError(`${what}: signal must be an AbortSignal`);
  const listener = () => { cleanup(); reject(new JspAbortError(what, signal.reason)); };
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** Throws a {@link JspAbortError} when `signal` already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal === undefined) return;
  if (!(signal instanceof AbortSignal)) throw new TypeError(`${what}: signal must be an AbortSignal`);
  if (signal.aborted) throw new JspAbortError(what, signal.reason);
}
