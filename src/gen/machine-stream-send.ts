// GENERATED from spec/machines/stream-send.yaml (sha256 1cfef80a2a3897fa) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Stream sending part (spec/machines/stream-send.yaml, version 1) — RFC 9000 §3.1, §4.
 *
 * The sending part of a stream (RFC 9000 §3.1) as a table: the send half of a stream this
 * endpoint opened, or of a bidirectional stream the peer opened. Its events are the
 * application's calls (write, finish, reset, skip), the peer's frames that address a sending
 * part (STOP_SENDING, MAX_STREAM_DATA), and what loss recovery learns about the frames the part
 * sent (acknowledged, or declared lost).
 *
 * The states are RFC 9000's, with one difference it permits ("an implementation MAY define a
 * different state machine as long as its behavior is consistent"): the moves that RFC 9000 ties
 * to *transmitting* a frame happen here when the application acts, as in quinn. `ready` becomes
 * `send` on the first write and `data_sent` on finish, because what the protocol depends on is
 * whether the final size is fixed, not whether the packet with the FIN has left yet; in `send`
 * and `data_sent` the part transmits what flow control allows and retransmits what is lost, in
 * any order. Flow control (the stream's MAX_STREAM_DATA and the connection's MAX_DATA) and the
 * blocked frames are not states: they decide what the part may transmit.
 *
 * Partial reliability (the `partial_reliability` transport parameter): the sender may abandon
 * the bytes below an offset (a message's time-to-live or retransmission budget ran out). It
 * stops retransmitting them and tells the receiver with STREAM_SKIP; skipped bytes count as sent
 * for flow control and for the final size.
 *
 * Terminal states ignore every event. An acknowledgment or a loss of a frame the part never
 * sent has no row: the endpoint's own bookkeeping is broken, and it fails with INTERNAL_ERROR
 * (`on_invalid`).
 *
 * Machines: `send_stream`.
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

// ───────────────────────────── send_stream (role: sender) ─────────────────────────────

/**
 * States of the `send_stream` machine. The sending part of one stream.
 *
 * - `ready` (initial): The part exists (the application opened the stream, or the peer opened a bidirectional one) and nothing has been written: nothing of it is on the wire.
 * - `send`: The application is writing. Bytes are buffered until acknowledged, transmitted as flow control allows and retransmitted when lost. The final size is not known yet.
 * - `data_sent`: The application finished the stream: the final size is the number of bytes written, and the FIN goes with the last byte (or alone). The part transmits what remains and retransmits what is lost until everything is acknowledged.
 * - `data_recvd` (terminal): Every byte and the FIN are acknowledged (bytes abandoned with an acknowledged STREAM_SKIP count as acknowledged). The part is done and its state can be freed.
 * - `reset_sent`: The part was reset, by the application or in answer to STOP_SENDING: its buffer is discarded and RESET_STREAM is sent, and resent until acknowledged.
 * - `reset_recvd` (terminal): The RESET_STREAM is acknowledged. The part is done and its state can be freed.
 * - `failed` (terminal): An acknowledgment or loss of a frame the part never sent arrived; the connection closes with INTERNAL_ERROR.
 */
export type SendStreamState = 'ready' | 'send' | 'data_sent' | 'data_recvd' | 'reset_sent' | 'reset_recvd' | 'failed';

/**
 * Events of the `send_stream` machine.
 *
 * - `app_write`: The application writes bytes (possibly none). The part takes as many as its send buffer bound allows and says how many.
 * - `app_finish`: The application ends the stream: no more bytes.
 * - `app_reset`: The application abandons the stream with an application error code.
 * - `app_skip`: Partial reliability: the application gives up on the bytes below an offset it has written (their time-to-live or retransmission budget ran out).
 * - `stop_sending`: A STOP_SENDING frame for this stream arrived.
 * - `max_stream_data`: A MAX_STREAM_DATA frame for this stream arrived.
 * - `data_acked`: An acknowledgment covers a STREAM or STREAM_SKIP frame the part sent.
 * - `data_lost`: A STREAM or STREAM_SKIP frame the part sent is declared lost.
 * - `reset_acked`: An acknowledgment covers the RESET_STREAM the part sent.
 * - `reset_lost`: The RESET_STREAM the part sent is declared lost.
 * - `early_rejected`: A client's part of a stream it opened in 0-RTT: the server rejected the 0-RTT data, so nothing the part sent reached it (crypto.early-data.resend). The handshake's transport parameters give the stream's limit, which may be lower than the ticket's.
 */
export type SendStreamEvent = 'app_write' | 'app_finish' | 'app_reset' | 'app_skip' | 'stop_sending' | 'max_stream_data' | 'data_acked' | 'data_lost' | 'reset_acked' | 'reset_lost' | 'early_rejected';

/**
 * Guards of the `send_stream` machine: outcomes of checking an event, exactly one of which holds.
 *
 * - `advance`: The skip offset is above the one the part already abandoned to.
 * - `stale`: The skip offset is not above the one the part already abandoned to: it changes nothing.
 * - `partial`: Bytes or the FIN remain unacknowledged.
 * - `all`: With this acknowledgment every byte below the final size and the FIN are acknowledged (or abandoned with an acknowledged STREAM_SKIP).
 */
export type SendStreamGuard = 'advance' | 'stale' | 'partial' | 'all';

/**
 * Actions of the `send_stream` machine, run in the order a transition lists them.
 *
 * - `buffer_data`: Append the bytes to the send buffer, up to its bound (the call reports how many it took), and schedule the stream.
 * - `refuse_app`: Fail the application's call and change nothing: the stream is finished, or reset (with the peer's STOP_SENDING code when that caused it).
 * - `set_final_size`: Fix the final size at the number of bytes written; the FIN goes with the last byte, or alone.
 * - `discard_range`: Drop the bytes below the skip offset from the send buffer and from the retransmission queue; they will never be sent again.
 * - `send_stream_skip`: Queue STREAM_SKIP with the skip offset, resent until acknowledged. Its offset is capped by the flow-control credit (skipped bytes consume credit as sent bytes do); the rest is announced as credit arrives.
 * - `report_stopped`: Tell the application the peer stopped reading, with the peer's error code; later writes fail with it.
 * - `send_reset_stream`: Discard the send buffer and the retransmission queue and queue RESET_STREAM with the application error code and the final size: the highest offset sent or skipped (again, when the previous one was lost).
 * - `raise_limit`: Raise the stream's send limit to the frame's maximum when that is larger (a smaller or equal one is ignored), which may unblock the stream.
 * - `mark_acked`: Record the acknowledged range (or skip offset); acknowledged bytes leave the send buffer.
 * - `queue_retransmit`: Queue the lost bytes that are neither acknowledged nor abandoned (and the FIN, if lost and not acknowledged) to be sent again, ahead of new bytes; a lost STREAM_SKIP is queued again with the current skip offset.
 * - `release_stream`: The part is complete; free its state (and, once both parts of the stream are, the stream's id counts as closed).
 * - `rewind`: Forget every transmission: the bytes written, the FIN and any STREAM_SKIP are unsent again and nothing waits for retransmission; the credit starts over at the handshake's limit and is consumed again as the bytes go out. A reset part queues its RESET_STREAM again with final size 0 (nothing was sent that the peer saw).
 */
export type SendStreamAction = 'buffer_data' | 'refuse_app' | 'set_final_size' | 'discard_range' | 'send_stream_skip' | 'report_stopped' | 'send_reset_stream' | 'raise_limit' | 'mark_acked' | 'queue_retransmit' | 'release_stream' | 'rewind';

/**
 * Every state of the `send_stream` machine, in spec order.
 */
export const SEND_STREAM_STATES: readonly SendStreamState[] = Object.freeze(['ready', 'send', 'data_sent', 'data_recvd', 'reset_sent', 'reset_recvd', 'failed']);

/**
 * Every event of the `send_stream` machine, in spec order.
 */
export const SEND_STREAM_EVENTS: readonly SendStreamEvent[] = Object.freeze(['app_write', 'app_finish', 'app_reset', 'app_skip', 'stop_sending', 'max_stream_data', 'data_acked', 'data_lost', 'reset_acked', 'reset_lost', 'early_rejected']);

/**
 * Every guard of the `send_stream` machine, in spec order.
 */
export const SEND_STREAM_GUARDS: readonly SendStreamGuard[] = Object.freeze(['advance', 'stale', 'partial', 'all']);

/**
 * Every action of the `send_stream` machine, in spec order.
 */
export const SEND_STREAM_ACTIONS: readonly SendStreamAction[] = Object.freeze(['buffer_data', 'refuse_app', 'set_final_size', 'discard_range', 'send_stream_skip', 'report_stopped', 'send_reset_stream', 'raise_limit', 'mark_acked', 'queue_retransmit', 'release_stream', 'rewind']);

/**
 * The state the `send_stream` machine starts in.
 */
export const SEND_STREAM_INITIAL: SendStreamState = 'ready';

/**
 * Terminal states of the `send_stream` machine: no transition leaves them and they ignore every event. Read-only.
 */
export const SEND_STREAM_TERMINAL: ReadonlySet<SendStreamState> = new Set<SendStreamState>(['data_recvd', 'reset_recvd', 'failed']);

/**
 * What the `send_stream` machine does on an event that has no transition from a non-terminal state
 * (the lookup {@link sendStreamTransition} returns undefined): it moves to `failed` and fails with `INTERNAL_ERROR`,
 * reporting the role, the state and the event.
 */
export const SEND_STREAM_ON_INVALID: { readonly next: SendStreamState; readonly error: ErrorCodeName } = Object.freeze({ next: 'failed', error: 'INTERNAL_ERROR' });

/**
 * One row of the `send_stream` table: in `state`, on `event` (when `guard` holds), run `actions` in order and move to `next`; with `error`, the machine fails with that transport error code.
 */
export interface SendStreamTransition {
  readonly state: SendStreamState;
  readonly event: SendStreamEvent;
  readonly guard?: SendStreamGuard;
  readonly next: SendStreamState;
  readonly actions: readonly SendStreamAction[];
  readonly error?: ErrorCodeName;
}

/**
 * What a transition of the `send_stream` machine does: the next state, the actions to run in order, and the error it fails with, if any.
 */
export interface SendStreamStep {
  readonly next: SendStreamState;
  readonly actions: readonly SendStreamAction[];
  readonly error?: ErrorCodeName;
}

/**
 * The transition table of the `send_stream` machine (role sender), in spec order. The sending part of one stream.
 *
 * - MUST NOT (`machines.stream-send.flow-limit`): A sender MUST NOT send a stream byte (or skip one) at an offset at or beyond the limit the peer gave for the stream (MAX_STREAM_DATA), and MUST NOT let the sum over its streams of the highest offsets sent exceed the connection limit (MAX_DATA).
 * - SHOULD (`machines.stream-send.blocked`): A sender that has bytes to send but no credit SHOULD send STREAM_DATA_BLOCKED (for the stream's limit) or DATA_BLOCKED (for the connection's) with the limit it is blocked at, once per limit.
 */
export const SEND_STREAM_TRANSITIONS: readonly SendStreamTransition[] = Object.freeze([
  row<SendStreamTransition>({ state: 'ready', event: 'app_write', next: 'send', actions: ['buffer_data'] }),
  row<SendStreamTransition>({ state: 'ready', event: 'app_finish', next: 'data_sent', actions: ['set_final_size'] }),
  row<SendStreamTransition>({ state: 'ready', event: 'app_reset', next: 'reset_sent', actions: ['send_reset_stream'] }),
  /** Nothing written, so nothing to abandon. */
  row<SendStreamTransition>({ state: 'ready', event: 'app_skip', next: 'ready', actions: [] }),
  row<SendStreamTransition>({ state: 'ready', event: 'stop_sending', next: 'reset_sent', actions: ['report_stopped', 'send_reset_stream'] }),
  row<SendStreamTransition>({ state: 'ready', event: 'max_stream_data', next: 'ready', actions: ['raise_limit'] }),
  /** Nothing was written; the limit is the handshake's. */
  row<SendStreamTransition>({ state: 'ready', event: 'early_rejected', next: 'ready', actions: ['rewind'] }),
  row<SendStreamTransition>({ state: 'send', event: 'app_write', next: 'send', actions: ['buffer_data'] }),
  row<SendStreamTransition>({ state: 'send', event: 'app_finish', next: 'data_sent', actions: ['set_final_size'] }),
  row<SendStreamTransition>({ state: 'send', event: 'app_reset', next: 'reset_sent', actions: ['send_reset_stream'] }),
  row<SendStreamTransition>({ state: 'send', event: 'app_skip', guard: 'advance', next: 'send', actions: ['discard_range', 'send_stream_skip'] }),
  row<SendStreamTransition>({ state: 'send', event: 'app_skip', guard: 'stale', next: 'send', actions: [] }),
  /**
   * - MUST (`machines.stream-send.stop-sending`): An endpoint that receives STOP_SENDING for a stream whose sending part is in `ready`, `send` or `data_sent` MUST reset it (RESET_STREAM), and SHOULD carry the error code of the STOP_SENDING.
   */
  row<SendStreamTransition>({ state: 'send', event: 'stop_sending', next: 'reset_sent', actions: ['report_stopped', 'send_reset_stream'] }),
  row<SendStreamTransition>({ state: 'send', event: 'max_stream_data', next: 'send', actions: ['raise_limit'] }),
  /** The final size is not known, so something always remains. */
  row<SendStreamTransition>({ state: 'send', event: 'data_acked', next: 'send', actions: ['mark_acked'] }),
  row<SendStreamTransition>({ state: 'send', event: 'data_lost', next: 'send', actions: ['queue_retransmit'] }),
  row<SendStreamTransition>({ state: 'send', event: 'early_rejected', next: 'send', actions: ['rewind'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'app_write', next: 'data_sent', actions: ['refuse_app'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'app_finish', next: 'data_sent', actions: ['refuse_app'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'app_reset', next: 'reset_sent', actions: ['send_reset_stream'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'app_skip', guard: 'advance', next: 'data_sent', actions: ['discard_range', 'send_stream_skip'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'app_skip', guard: 'stale', next: 'data_sent', actions: [] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'stop_sending', next: 'reset_sent', actions: ['report_stopped', 'send_reset_stream'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'max_stream_data', next: 'data_sent', actions: ['raise_limit'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'data_acked', guard: 'partial', next: 'data_sent', actions: ['mark_acked'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'data_acked', guard: 'all', next: 'data_recvd', actions: ['mark_acked', 'release_stream'] }),
  row<SendStreamTransition>({ state: 'data_sent', event: 'data_lost', next: 'data_sent', actions: ['queue_retransmit'] }),
  /** The FIN goes again with the last byte. */
  row<SendStreamTransition>({ state: 'data_sent', event: 'early_rejected', next: 'data_sent', actions: ['rewind'] }),
  row<SendStreamTransition>({ state: 'reset_sent', event: 'app_write', next: 'reset_sent', actions: ['refuse_app'] }),
  row<SendStreamTransition>({ state: 'reset_sent', event: 'app_finish', next: 'reset_sent', actions: ['refuse_app'] }),
  /** Already reset: nothing to do. */
  row<SendStreamTransition>({ state: 'reset_sent', event: 'app_reset', next: 'reset_sent', actions: [] }),
  /** The reset abandoned everything already. */
  row<SendStreamTransition>({ state: 'reset_sent', event: 'app_skip', next: 'reset_sent', actions: [] }),
  /** Already reset. */
  row<SendStreamTransition>({ state: 'reset_sent', event: 'stop_sending', next: 'reset_sent', actions: [] }),
  /** Nothing more will be sent. */
  row<SendStreamTransition>({ state: 'reset_sent', event: 'max_stream_data', next: 'reset_sent', actions: [] }),
  /** Acknowledgments of bytes sent before the reset change nothing. */
  row<SendStreamTransition>({ state: 'reset_sent', event: 'data_acked', next: 'reset_sent', actions: [] }),
  /** Bytes sent before the reset are not retransmitted. */
  row<SendStreamTransition>({ state: 'reset_sent', event: 'data_lost', next: 'reset_sent', actions: [] }),
  row<SendStreamTransition>({ state: 'reset_sent', event: 'reset_acked', next: 'reset_recvd', actions: ['release_stream'] }),
  row<SendStreamTransition>({ state: 'reset_sent', event: 'reset_lost', next: 'reset_sent', actions: ['send_reset_stream'] }),
  row<SendStreamTransition>({ state: 'reset_sent', event: 'early_rejected', next: 'reset_sent', actions: ['rewind'] }),
]);

const SEND_STREAM_BY_KEY: ReadonlyMap<string, SendStreamTransition> = new Map(SEND_STREAM_TRANSITIONS.map((t) => [key(t.state, t.event, t.guard), t]));

/**
 * The transition of the `send_stream` machine from `state` on `event` when `guard` holds (no guard for an unguarded row),
 * or undefined when the table has none: then, unless `state` is terminal (`data_recvd`, `reset_recvd`, `failed` ignore every event),
 * apply {@link SEND_STREAM_ON_INVALID}. {@link sendStreamGuards} says which guards a (state, event) pair checks.
 */
export function sendStreamTransition(state: SendStreamState, event: SendStreamEvent, guard?: SendStreamGuard): SendStreamStep | undefined {
  return SEND_STREAM_BY_KEY.get(key(state, event, guard));
}

/**
 * The guards the `send_stream` table checks for `event` in `state`, in spec order: empty when the pair has one unguarded row or none.
 */
export function sendStreamGuards(state: SendStreamState, event: SendStreamEvent): readonly SendStreamGuard[] {
  return SEND_STREAM_TRANSITIONS.filter((t) => t.state === state && t.event === event && t.guard !== undefined).map((t) => t.guard!);
}
