/**
 * How a connection ends (spec/machines/connection.yaml, RFC 9000 §10): the options of
 * `Connection.close` and `Connection.shutdown`, checked; what a close says (application or
 * transport, code, reason) and the CONNECTION_CLOSE frames that say it; and the lifecycle steps
 * the connection reports to an observer.
 *
 * @module
 */
import { ErrorCode, TransportError } from '../../gen/errors.ts';
import type { ConnectionCloseFrame } from '../../gen/frames.ts';
import type { LifecycleAction, LifecycleEvent, LifecycleGuard, LifecycleState } from '../../gen/machine-connection.ts';
import type { MachineStep } from '../machine-step.ts';

/** One step of the lifecycle table, as the connection took it (see `Connection.lifecycleObserver`). */
export type LifecycleStep = MachineStep<LifecycleState, LifecycleEvent, LifecycleGuard, LifecycleAction>;

/** How {@link Connection.close} closes. */
export interface CloseOptions {
  /**
   * The error code: an application error code (any value up to 2^53 − 1) when `application`, else
   * a transport error code (spec/errors.yaml; NO_ERROR, 0, for a close without error).
   */
  readonly code: number;
  /** Why, for the peer (at most {@link MAX_REASON_BYTES} bytes of UTF-8; default none). */
  readonly reason?: string;
  /**
   * An application close (CONNECTION_CLOSE type 0x1d, the default for this form) or a transport
   * one (type 0x1c).
   */
  readonly application?: boolean;
}

/** How {@link Connection.shutdown} shuts down. */
export interface ShutdownOptions {
  /** How long to wait for the streams (ms from the call); then the connection closes with `code`. */
  readonly timeoutMs: number;
  /**
   * The code of the close when the time limit passes, and of the STOP_SENDING / RESET_STREAM
   * that refuse streams the peer opens meanwhile: an application error code (default 0).
   */
  readonly code?: number;
  /** The reason sent with the close, drained or not (default none). */
  readonly reason?: string;
  /** Whether the close after the time limit is an application close (default true) or a transport one. */
  readonly application?: boolean;
}

/** What a close says, ours or the peer's: what the `closed` event reports. */
export interface CloseInfo {
  readonly application: boolean;
  readonly code: number;
  readonly reason: string;
  /** The typed error of a transport close with a code other than NO_ERROR. */
  readonly error?: TransportError;
}

/** Most bytes of UTF-8 in a close reason's message (spec/messages.yaml close_reason.message). */
export const MAX_REASON_BYTES = 512;

const utf8 = new TextEncoder();

/** A transport close for an error found by this endpoint or reported to it. */
export function transportClose(e: TransportError): CloseInfo {
  return { application: false, code: e.code, reason: e.reason, error: e };
}

/** A transport close without error (after a drained shutdown). */
export function noErrorClose(reason: string): CloseInfo {
  return { application: false, code: ErrorCode.NO_ERROR, reason };
}

/** What the peer's CONNECTION_CLOSE says. */
export function peerClose(f: ConnectionCloseFrame): CloseInfo {
  const reason = f.reason?.message ?? '';
  if (f.application) return { application: true, code: f.errorCode, reason };
  return f.errorCode === ErrorCode.NO_ERROR ? noErrorClose(reason) : transportClose(TransportError.of(f.errorCode, reason));
}

/** The application's {@link CloseOptions}, checked (RangeError / TypeError naming the option). */
export function checkClose(op: string, o: CloseOptions): CloseInfo {
  if (typeof o !== 'object' || o === null) throw new TypeError(`${op}: options must be an object, got ${o === null ? 'null' : typeof o}`);
  const application = o.application ?? true;
  if (typeof application !== 'boolean') throw new TypeError(`${op}: application must be a boolean, got ${typeof application}`);
  const code = checkCode(op, 'code', o.code);
  const reason = checkReason(op, o.reason);
  if (application || code === ErrorCode.NO_ERROR) return { application, code, reason };
  return transportClose(TransportError.of(code, reason));
}

/** The application's {@link ShutdownOptions}, checked: the close after the time limit and the limit. */
export function checkShutdown(o: ShutdownOptions): { timeoutMs: number; close: CloseInfo } {
  if (typeof o !== 'object' || o === null) throw new TypeError(`shutdown: options must be an object, got ${o === null ? 'null' : typeof o}`);
  const t = o.timeoutMs;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new RangeError(`shutdown: timeoutMs must be a finite number of ms >= 0, got ${String(t)}`);
  return { timeoutMs: t, close: checkClose('shutdown', { code: o.code ?? 0, reason: o.reason, application: o.application }) };
}

function checkCode(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`${op}: ${name} must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${String(v)}`);
  return v;
}

function checkReason(op: string, v: unknown): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new TypeError(`${op}: reason must be a string, got ${typeof v}`);
  const n = utf8.encode(v).length;
  if (n > MAX_REASON_BYTES) throw new RangeError(`${op}: reason must be at most ${MAX_REASON_BYTES} bytes of UTF-8, got ${n}`);
  return v;
}

/** The longest prefix of `s` (whole code points) whose UTF-8 fits `max` bytes: an error's reason may be long. */
export function utf8Prefix(s: string, max: number): string {
  if (s.length * 3 <= max) return s;
  let bytes = 0, end = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > max) break;
    bytes += n;
    end += ch.length;
  }
  return s.slice(0, end);
}

function closeFrame(application: boolean, code: number, message: string): ConnectionCloseFrame {
  const reason = { message: utf8Prefix(message, MAX_REASON_BYTES), origin: application ? 2 : 1, details: new Uint8Array(0) };
  return application ? { type: 'connection_close', application, errorCode: code, reason } : { type: 'connection_close', application, errorCode: code, frameType: 0n, reason };
}

/**
 * The CONNECTION_CLOSE frames of a local close: the one for a 1-RTT packet, and the one for an
 * Initial packet, where an application close becomes a transport close with APPLICATION_ERROR
 * and no reason (machines.connection.application-close-initial, RFC 9000 §10.2.3).
 */
export function closeFrames(c: CloseInfo): { oneRtt: ConnectionCloseFrame; initial: ConnectionCloseFrame } {
  const oneRtt = closeFrame(c.application, c.code, c.reason);
  return { oneRtt, initial: c.application ? closeFrame(false, ErrorCode.APPLICATION_ERROR, '') : oneRtt };
}

/** The actions of a row that enters `closing` (spec/machines/connection.yaml). */
export const CLOSE_ACTIONS: readonly LifecycleAction[] = ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'];
/** … of a row that enters `closing` after a drain (or a shutdown with nothing to drain). */
export const DRAINED_CLOSE_ACTIONS: readonly LifecycleAction[] = ['report_drained', ...CLOSE_ACTIONS];
/** … of a row that enters `draining`. */
export const DRAIN_ACTIONS: readonly LifecycleAction[] = ['report_closed', 'drop_keys', 'start_close_timer'];
