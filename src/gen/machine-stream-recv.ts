// GENERATED from spec/machines/stream-recv.yaml (sha256 62389ebb673f9f80) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Stream receiving part (spec/machines/stream-recv.yaml, version 1) — RFC 9000 §3.2, §4.5.
 *
 * The receiving part of a stream (RFC 9000 §3.2) as a table: the receive half of a stream the
 * peer opened, or of a bidirectional stream this endpoint opened. Its events are the peer's
 * frames that carry or end stream data (STREAM, STREAM with FIN, RESET_STREAM, STREAM_SKIP) and
 * the application's calls (read, stop). The guards of a frame are the outcomes of checking it
 * against what the part knows: its final size, the highest offset received, the flow-control
 * limits this endpoint gave (the stream's MAX_STREAM_DATA and the connection's MAX_DATA) and
 * the bytes that have arrived.
 *
 * Bytes arrive in any order, overlapping and duplicated; the part reassembles them, delivers
 * them in order and never buffers beyond the stream's flow-control window. "All data received"
 * is not a separate event: it is what a STREAM, STREAM with FIN or STREAM_SKIP frame does when
 * it fills the last gap below the final size (guard `complete`). Likewise "read all" and "read
 * reset" are the application's read in `data_recvd` and `reset_recvd`.
 *
 * Every frame has a row in every non-terminal state: late, duplicated and reordered frames are
 * normal, and RFC 9000 forbids none of them by state alone. What is forbidden is a frame that
 * contradicts the final size (FINAL_SIZE_ERROR) or exceeds the limits (FLOW_CONTROL_ERROR),
 * and a frame for a receiving part that cannot exist — which is decided from the stream id
 * before the frame reaches a machine and is this machine's `on_invalid` error,
 * STREAM_STATE_ERROR. Terminal states ignore every event.
 *
 * Machines: `recv_stream`.
 *
 * @module
 */
import type { ErrorCodeName } from './errors.ts';

/** Freezes a row and its action list. */
function row<T extends { readonly actions: readonly string[] }>(t: T): T {
  Object.freeze(t.actions);
  return Object.freeze(t);
}

/** The lookup key of a row. */
function key(state: string, event: string, guard: string | undefined): string {
  return guard === undefined ? `${state} ${event}` : `${state} ${event} ${guard}`;
}

// ───────────────────────────── recv_stream (role: receiver) ─────────────────────────────

/**
 * States of the `recv_stream` machine. The receiving part of one stream.
 *
 * - `recv` (initial): Bytes arrive and are reassembled; the final size is not known. The receiver issues MAX_STREAM_DATA as the application reads.
 * - `size_known`: A FIN gave the final size; some bytes below it have not arrived.
 * - `data_recvd`: Every byte below the final size has arrived (or was skipped); the application has not read them all.
 * - `data_read` (terminal): The application read every byte and the end of the stream (or stopped reading once all had arrived).
 * - `reset_recvd`: RESET_STREAM arrived; the buffered bytes are discarded and the application has not been told yet.
 * - `reset_read` (terminal): The application has been told of the reset (or stopped reading).
 * - `failed` (terminal): The peer broke a stream rule; the connection closes with the error.
 */
export type RecvStreamState = 'recv' | 'size_known' | 'data_recvd' | 'data_read' | 'reset_recvd' | 'reset_read' | 'failed';

/**
 * Events of the `recv_stream` machine.
 *
 * - `stream`: A STREAM frame without FIN (offset and bytes).
 * - `stream_fin`: A STREAM frame with FIN; its end offset is the final size.
 * - `reset_stream`: A RESET_STREAM frame (application error code and final size).
 * - `stream_skip`: A STREAM_SKIP frame (partial reliability) with the offset below which the sender abandoned the bytes.
 * - `app_read`: The application reads (up to a number of bytes).
 * - `app_stop`: The application stops reading, with an application error code.
 */
export type RecvStreamEvent = 'stream' | 'stream_fin' | 'reset_stream' | 'stream_skip' | 'app_read' | 'app_stop';

/**
 * Guards of the `recv_stream` machine: outcomes of checking an event, exactly one of which holds.
 *
 * - `ok`: The frame agrees with the final size and the limits; in `recv` and `size_known` it leaves a gap below the final size (or the final size is unknown).
 * - `complete`: The frame agrees with the final size and the limits, and with it every byte below the final size has arrived or was skipped.
 * - `stale`: The STREAM_SKIP's offset is not above the skip offset already known; it changes nothing.
 * - `over_limit`: The frame's end offset, final size or skip offset exceeds the limit this endpoint gave for the stream, or what it adds to the stream's highest offset exceeds the connection's remaining credit.
 * - `bad_final_size`: The frame contradicts the final size: a byte at or beyond a known final size, a FIN or RESET_STREAM with a final size other than the known one or below the highest offset received, or a skip offset beyond a known final size.
 * - `partial`: Bytes remain unread after this read.
 * - `all`: This read reaches the final size; the end of the stream is delivered with it.
 */
export type RecvStreamGuard = 'ok' | 'complete' | 'stale' | 'over_limit' | 'bad_final_size' | 'partial' | 'all';

/**
 * Actions of the `recv_stream` machine, run in the order a transition lists them.
 *
 * - `buffer_data`: Keep the frame's bytes that are new (not below the read offset, not already buffered) in the reassembly buffer, and raise the highest offset received; the bytes it adds count against the connection's credit. Once the application stopped reading, the bytes are counted and dropped.
 * - `set_final_size`: Record the final size (the FIN's end offset, or RESET_STREAM's final size); it never changes afterwards.
 * - `skip_data`: Drop the buffered bytes below the skip offset, move the read offset to it (the bytes count as received and read for flow control), and tell the application on its next read which range was skipped.
 * - `discard_data`: Drop the reassembly buffer; the bytes up to the final size (or the highest offset received) count as read, which returns their connection credit.
 * - `deliver_data`: Hand the application the contiguous bytes from the read offset (after any skipped range), and count them as read: MAX_STREAM_DATA and MAX_DATA are issued when half a window has been read, and the window grows when it is read faster than about two round trips.
 * - `deliver_fin`: Tell the application the stream ended, after its last byte.
 * - `report_reset`: Tell the application the peer reset the stream, with the peer's error code.
 * - `send_stop_sending`: Queue STOP_SENDING with the application's error code (once); the peer answers with RESET_STREAM.
 */
export type RecvStreamAction = 'buffer_data' | 'set_final_size' | 'skip_data' | 'discard_data' | 'deliver_data' | 'deliver_fin' | 'report_reset' | 'send_stop_sending';

/**
 * Every state of the `recv_stream` machine, in spec order.
 */
export const RECV_STREAM_STATES: readonly RecvStreamState[] = Object.freeze(['recv', 'size_known', 'data_recvd', 'data_read', 'reset_recvd', 'reset_read', 'failed']);

/**
 * Every event of the `recv_stream` machine, in spec order.
 */
export const RECV_STREAM_EVENTS: readonly RecvStreamEvent[] = Object.freeze(['stream', 'stream_fin', 'reset_stream', 'stream_skip', 'app_read', 'app_stop']);

/**
 * Every guard of the `recv_stream` machine, in spec order.
 */
export const RECV_STREAM_GUARDS: readonly RecvStreamGuard[] = Object.freeze(['ok', 'complete', 'stale', 'over_limit', 'bad_final_size', 'partial', 'all']);

/**
 * Every action of the `recv_stream` machine, in spec order.
 */
export const RECV_STREAM_ACTIONS: readonly RecvStreamAction[] = Object.freeze(['buffer_data', 'set_final_size', 'skip_data', 'discard_data', 'deliver_data', 'deliver_fin', 'report_reset', 'send_stop_sending']);

/**
 * The state the `recv_stream` machine starts in.
 */
export const RECV_STREAM_INITIAL: RecvStreamState = 'recv';

/**
 * Terminal states of the `recv_stream` machine: no transition leaves them and they ignore every event. Read-only.
 */
export const RECV_STREAM_TERMINAL: ReadonlySet<RecvStreamState> = new Set<RecvStreamState>(['data_read', 'reset_read', 'failed']);

/**
 * What the `recv_stream` machine does on an event that has no transition from a non-terminal state
 * (the lookup {@link recvStreamTransition} returns undefined): it moves to `failed` and fails with `STREAM_STATE_ERROR`,
 * reporting the role, the state and the event.
 */
export const RECV_STREAM_ON_INVALID: { readonly next: RecvStreamState; readonly error: ErrorCodeName } = Object.freeze({ next: 'failed', error: 'STREAM_STATE_ERROR' });

/**
 * One row of the `recv_stream` table: in `state`, on `event` (when `guard` holds), run `actions` in order and move to `next`; with `error`, the machine fails with that transport error code.
 */
export interface RecvStreamTransition {
  readonly state: RecvStreamState;
  readonly event: RecvStreamEvent;
  readonly guard?: RecvStreamGuard;
  readonly next: RecvStreamState;
  readonly actions: readonly RecvStreamAction[];
  readonly error?: ErrorCodeName;
}

/**
 * What a transition of the `recv_stream` machine does: the next state, the actions to run in order, and the error it fails with, if any.
 */
export interface RecvStreamStep {
  readonly next: RecvStreamState;
  readonly actions: readonly RecvStreamAction[];
  readonly error?: ErrorCodeName;
}

/**
 * The transition table of the `recv_stream` machine (role receiver), in spec order. The receiving part of one stream.
 */
export const RECV_STREAM_TRANSITIONS: readonly RecvStreamTransition[] = Object.freeze([
  row<RecvStreamTransition>({ state: 'recv', event: 'stream', guard: 'ok', next: 'recv', actions: ['buffer_data'] }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream', guard: 'over_limit', next: 'failed', actions: [], error: 'FLOW_CONTROL_ERROR' }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream_fin', guard: 'ok', next: 'size_known', actions: ['buffer_data', 'set_final_size'] }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream_fin', guard: 'complete', next: 'data_recvd', actions: ['buffer_data', 'set_final_size'] }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream_fin', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream_fin', guard: 'over_limit', next: 'failed', actions: [], error: 'FLOW_CONTROL_ERROR' }),
  row<RecvStreamTransition>({ state: 'recv', event: 'reset_stream', guard: 'ok', next: 'reset_recvd', actions: ['set_final_size', 'discard_data'] }),
  row<RecvStreamTransition>({ state: 'recv', event: 'reset_stream', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'recv', event: 'reset_stream', guard: 'over_limit', next: 'failed', actions: [], error: 'FLOW_CONTROL_ERROR' }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream_skip', guard: 'ok', next: 'recv', actions: ['skip_data'] }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream_skip', guard: 'stale', next: 'recv', actions: [] }),
  row<RecvStreamTransition>({ state: 'recv', event: 'stream_skip', guard: 'over_limit', next: 'failed', actions: [], error: 'FLOW_CONTROL_ERROR' }),
  row<RecvStreamTransition>({ state: 'recv', event: 'app_read', next: 'recv', actions: ['deliver_data'] }),
  row<RecvStreamTransition>({ state: 'recv', event: 'app_stop', next: 'recv', actions: ['send_stop_sending', 'discard_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream', guard: 'ok', next: 'size_known', actions: ['buffer_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream', guard: 'complete', next: 'data_recvd', actions: ['buffer_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream_fin', guard: 'ok', next: 'size_known', actions: ['buffer_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream_fin', guard: 'complete', next: 'data_recvd', actions: ['buffer_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream_fin', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'reset_stream', guard: 'ok', next: 'reset_recvd', actions: ['discard_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'reset_stream', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream_skip', guard: 'ok', next: 'size_known', actions: ['skip_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream_skip', guard: 'complete', next: 'data_recvd', actions: ['skip_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream_skip', guard: 'stale', next: 'size_known', actions: [] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'stream_skip', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'app_read', next: 'size_known', actions: ['deliver_data'] }),
  row<RecvStreamTransition>({ state: 'size_known', event: 'app_stop', next: 'size_known', actions: ['send_stop_sending', 'discard_data'] }),
  /** A duplicate: every byte is here already. */
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'stream', guard: 'ok', next: 'data_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'stream', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'stream_fin', guard: 'ok', next: 'data_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'stream_fin', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  /**
   * Every byte arrived before the reset did; the part keeps delivering them (RFC 9000
   * §3.2 leaves the choice to the implementation).
   */
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'reset_stream', guard: 'ok', next: 'data_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'reset_stream', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  /** Every byte is here already; the skip changes nothing. */
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'stream_skip', guard: 'ok', next: 'data_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'stream_skip', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'app_read', guard: 'partial', next: 'data_recvd', actions: ['deliver_data'] }),
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'app_read', guard: 'all', next: 'data_read', actions: ['deliver_data', 'deliver_fin'] }),
  /** Every byte is here, so nothing is asked of the peer. */
  row<RecvStreamTransition>({ state: 'data_recvd', event: 'app_stop', next: 'data_read', actions: ['discard_data'] }),
  /** Bytes that arrive after the reset are dropped. */
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'stream', guard: 'ok', next: 'reset_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'stream', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'stream_fin', guard: 'ok', next: 'reset_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'stream_fin', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  /** A duplicate RESET_STREAM. */
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'reset_stream', guard: 'ok', next: 'reset_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'reset_stream', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'stream_skip', guard: 'ok', next: 'reset_recvd', actions: [] }),
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'stream_skip', guard: 'bad_final_size', next: 'failed', actions: [], error: 'FINAL_SIZE_ERROR' }),
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'app_read', next: 'reset_read', actions: ['report_reset'] }),
  /** The application gave up on the stream; there is nothing to tell it. */
  row<RecvStreamTransition>({ state: 'reset_recvd', event: 'app_stop', next: 'reset_read', actions: [] }),
]);

const RECV_STREAM_BY_KEY: ReadonlyMap<string, RecvStreamTransition> = new Map(RECV_STREAM_TRANSITIONS.map((t) => [key(t.state, t.event, t.guard), t]));

/**
 * The transition of the `recv_stream` machine from `state` on `event` when `guard` holds (no guard for an unguarded row),
 * or undefined when the table has none: then, unless `state` is terminal (`data_read`, `reset_read`, `failed` ignore every event),
 * apply {@link RECV_STREAM_ON_INVALID}. {@link recvStreamGuards} says which guards a (state, event) pair checks.
 */
export function recvStreamTransition(state: RecvStreamState, event: RecvStreamEvent, guard?: RecvStreamGuard): RecvStreamStep | undefined {
  return RECV_STREAM_BY_KEY.get(key(state, event, guard));
}

/**
 * The guards the `recv_stream` table checks for `event` in `state`, in spec order: empty when the pair has one unguarded row or none.
 */
export function recvStreamGuards(state: RecvStreamState, event: RecvStreamEvent): readonly RecvStreamGuard[] {
  return RECV_STREAM_TRANSITIONS.filter((t) => t.state === state && t.event === event && t.guard !== undefined).map((t) => t.guard!);
}
