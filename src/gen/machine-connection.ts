// GENERATED from spec/machines/connection.yaml (sha256 1f88bcf99f182b44) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Connection lifecycle (spec/machines/connection.yaml, version 1) — RFC 9000 §10.
 *
 * The life of one connection (RFC 9000 §10) as a table, from its first packet to the moment the
 * endpoint may forget it. The handshake itself is spec/machines/handshake.yaml: here it is one
 * state, `handshaking`, left when the handshake installs the 1-RTT keys or fails. The streams
 * are spec/machines/stream-send.yaml and stream-recv.yaml: here they matter only as a whole,
 * when the application asks for a graceful shutdown and the connection waits for them.
 *
 * A connection ends in one of three ways (RFC 9000 §10):
 *
 * - **Idle timeout** (§10.1): no packet arrived for the negotiated idle timeout (the smaller of
 *   both sides' non-zero values, and never less than three PTOs). The connection ends at once
 *   and silently: nothing is sent.
 * - **Immediate close** (§10.2): the application closes, or the endpoint finds an error. It
 *   sends CONNECTION_CLOSE — a transport close (frame type 0x1c, a transport error code) or an
 *   application close (0x1d, an application error code) — and waits in `closing` for three
 *   PTOs, answering what still arrives with the same CONNECTION_CLOSE. The peer that receives it
 *   waits in `draining` for three PTOs and sends nothing.
 * - **Graceful shutdown** (JSP's own): the application asks the connection to finish what it
 *   has. No stream can be opened any more (streams the peer opens are refused), every sending
 *   part is finished, and in `shutting_down` the connection goes on working until every stream
 *   is done — every byte and FIN it wrote acknowledged, every byte and FIN the peer wrote read —
 *   and then closes with NO_ERROR. A time limit caps the wait; when it passes, the connection
 *   closes with the code the application gave.
 *
 * The events are the application's calls (close, shutdown, opening a stream), what arrives (a
 * packet, a CONNECTION_CLOSE, a frame opening a peer stream), what the handshake and the
 * connection's own checks decide, and the timers (idle, closing or draining period, shutdown
 * limit). An event a state cannot receive has no row: it means the endpoint's own bookkeeping is
 * broken, and the connection closes with INTERNAL_ERROR (`on_invalid`). `closed` is terminal
 * and ignores every event.
 *
 * The error code of a close is not a guard: `local_close`, `protocol_error` and
 * `handshake_failed` carry their code (an application code, a transport error, or the
 * handshake's error) into the CONNECTION_CLOSE and the `closed` event as they are.
 *
 * Machines: `lifecycle`.
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

// ───────────────────────────── lifecycle (role: endpoint) ─────────────────────────────

/**
 * States of the `lifecycle` machine. The lifecycle of one connection, the same at the client and the server.
 *
 * - `handshaking` (initial): The handshake runs in Initial packets; there are no 1-RTT keys yet, so no streams. A client starts here when it sends its first flight; a server when a client's first Initial arrives.
 * - `established`: The 1-RTT keys are installed: streams open, data flows, and the handshake is confirmed on the way (HANDSHAKE_DONE) without leaving this state.
 * - `shutting_down`: The application asked for a graceful shutdown. Every sending part was finished (a FIN after what was written), no stream can be opened, streams the peer opens are refused, and everything else works as in `established` until every stream is done or the shutdown's time limit passes.
 * - `closing`: This endpoint sent CONNECTION_CLOSE (RFC 9000 §10.2.1). Its keys are dropped; it sends nothing but the same datagram with the CONNECTION_CLOSE again, in answer to packets that still arrive, and processes none of them. It lasts three PTOs.
 * - `draining`: The peer's CONNECTION_CLOSE arrived (RFC 9000 §10.2.2). This endpoint sends nothing and discards what arrives, for three PTOs.
 * - `closed` (terminal): Nothing is left to do: the keys and the handshake's secrets are wiped, no timer is armed, and the endpoint may forget the connection.
 */
export type LifecycleState = 'handshaking' | 'established' | 'shutting_down' | 'closing' | 'draining' | 'closed';

/**
 * Events of the `lifecycle` machine.
 *
 * - `handshake_complete`: The handshake installed the 1-RTT keys (spec/machines/handshake.yaml reached `established`).
 * - `handshake_failed`: The handshake failed by a check of this endpoint (a record that does not decode or does not authenticate, no common suite, …), with the handshake's error. A failure the peer reports arrives as `peer_close`.
 * - `protocol_error`: The connection found an error, with its transport error code: a frame that does not decode or is not allowed in its packet, a flow-control, stream-limit, stream-state or final-size violation, a key-update violation, an AEAD limit, an acknowledgment of a packet never sent.
 * - `local_close`: The application closes the connection now, with a code and a reason: an application close (an application error code) or a transport one (a transport error code).
 * - `shutdown`: The application asks for a graceful shutdown, with a time limit, a code for when it passes, and a reason.
 * - `app_open_stream`: The application opens a stream.
 * - `peer_stream_opened`: A frame from the peer opens one of its streams (that stream, and any lower-numbered one of its kind not yet open).
 * - `streams_drained`: Every stream is done: what this endpoint wrote, with the FIN, is acknowledged (or the part was reset and the reset acknowledged), and what the peer wrote has been read to its end (or its reset read). Checked after every datagram and timer and before every datagram sent, which covers the application's calls on streams.
 * - `shutdown_timeout`: The shutdown's time limit passed with streams not done.
 * - `peer_close`: A CONNECTION_CLOSE frame arrived (either type), with the peer's code and reason.
 * - `packet_received`: A datagram addressed to the connection arrived.
 * - `version_negotiation`: A client only: before any other packet from the server, a Version Negotiation packet that does not list the version the client chose arrived. The attempt ends at once with VERSION_MISMATCH; nothing is sent, as the server does not speak that version.
 * - `idle_timeout`: The idle timer fired: no packet arrived for the idle timeout (the smaller of both sides' non-zero max_idle_timeout_ms, at least three PTOs), counted from the last packet received or the first ack-eliciting packet sent after it.
 * - `close_timer_expired`: The closing or draining period (three PTOs) is over.
 */
export type LifecycleEvent = 'handshake_complete' | 'handshake_failed' | 'protocol_error' | 'local_close' | 'shutdown' | 'app_open_stream' | 'peer_stream_opened' | 'streams_drained' | 'shutdown_timeout' | 'peer_close' | 'packet_received' | 'version_negotiation' | 'idle_timeout' | 'close_timer_expired';

/**
 * Guards of the `lifecycle` machine: outcomes of checking an event, exactly one of which holds.
 *
 * - `drained`: No stream is open: nothing to wait for.
 * - `busy`: Some stream is not done (before the handshake completes: a client wrote on streams it opened in 0-RTT).
 * - `early_data`: A client holds 0-RTT keys: its ticket allows early data and the ServerHello has not arrived (crypto.early-data.*).
 * - `no_early_data`: No 0-RTT keys: a server, a client without a ticket allowing early data, or one whose ServerHello arrived.
 */
export type LifecycleGuard = 'drained' | 'busy' | 'early_data' | 'no_early_data';

/**
 * Actions of the `lifecycle` machine, run in the order a transition lists them.
 *
 * - `start_streams`: Create the streams from both sides' transport parameters (limits and windows); streams can now be opened. After 0-RTT the streams exist already: the peer's limits of the handshake replace the ones the ticket remembered. When the server rejected 0-RTT, every sending part is rewound (stream-send event `early_rejected`): what 0-RTT carried is sent again as new data under the handshake's limits, which may be lower, and a stream beyond the handshake's stream limit waits for MAX_STREAMS (crypto.early-data.resend).
 * - `defer_shutdown`: Remember the shutdown (its time limit runs from now): when the handshake completes it is taken again as a `shutdown` in `established` with the time left, so the 0-RTT streams are drained rather than abandoned. If the handshake fails, the connection closes as usual.
 * - `report_connected`: Tell the application the connection is established, with the negotiated keys and ALPN.
 * - `process_packet`: Open the packet and process its frames, which may raise other events; an authenticated packet restarts the idle timer (and the keep-alive timer).
 * - `open_stream`: Open the next local stream of the direction asked for, or report it held back by the peer's MAX_STREAMS (STREAMS_BLOCKED goes out).
 * - `accept_stream`: Create the peer's stream and tell the application (`stream_opened`).
 * - `refuse_stream`: Create the peer's stream only to refuse it: STOP_SENDING for its receiving part and, for a bidirectional stream, RESET_STREAM for its sending part, with the shutdown's code. The application is not told.
 * - `refuse_app`: Fail the application's call with a RangeError naming the state; nothing changes.
 * - `finish_streams`: End every sending part the application has not finished (a FIN after what was written); later writes fail.
 * - `start_shutdown_timer`: Arm the shutdown's time limit.
 * - `report_drained`: Tell the application its streams are done (`drained`) before the close goes out.
 * - `send_close`: Make the datagram with CONNECTION_CLOSE once and send it: in a 1-RTT packet, and while the handshake is not confirmed also in an Initial packet (where an application close becomes a transport close with APPLICATION_ERROR, RFC 9000 §10.2.3). The code is the application's, the error's, or NO_ERROR after a drain.
 * - `repeat_close`: Send the same CONNECTION_CLOSE datagram again when the number of packets received in `closing` is a power of two.
 * - `discard_packet`: Discard the packet unread.
 * - `report_closed`: Tell the application the connection closed (`closed`): local or remote, application or transport, the code and the reason.
 * - `drop_keys`: Wipe the packet protection keys (Initial and 1-RTT); no packet can be sent or opened any more but the close made already.
 * - `start_close_timer`: Stop every other timer and arm the end of the closing or draining period, three PTOs from now.
 * - `release`: Wipe the handshake's secrets and the close datagram; no timer remains and the endpoint may forget the connection.
 */
export type LifecycleAction = 'start_streams' | 'defer_shutdown' | 'report_connected' | 'process_packet' | 'open_stream' | 'accept_stream' | 'refuse_stream' | 'refuse_app' | 'finish_streams' | 'start_shutdown_timer' | 'report_drained' | 'send_close' | 'repeat_close' | 'discard_packet' | 'report_closed' | 'drop_keys' | 'start_close_timer' | 'release';

/**
 * Every state of the `lifecycle` machine, in spec order.
 */
export const LIFECYCLE_STATES: readonly LifecycleState[] = Object.freeze(['handshaking', 'established', 'shutting_down', 'closing', 'draining', 'closed']);

/**
 * Every event of the `lifecycle` machine, in spec order.
 */
export const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = Object.freeze(['handshake_complete', 'handshake_failed', 'protocol_error', 'local_close', 'shutdown', 'app_open_stream', 'peer_stream_opened', 'streams_drained', 'shutdown_timeout', 'peer_close', 'packet_received', 'version_negotiation', 'idle_timeout', 'close_timer_expired']);

/**
 * Every guard of the `lifecycle` machine, in spec order.
 */
export const LIFECYCLE_GUARDS: readonly LifecycleGuard[] = Object.freeze(['drained', 'busy', 'early_data', 'no_early_data']);

/**
 * Every action of the `lifecycle` machine, in spec order.
 */
export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = Object.freeze(['start_streams', 'defer_shutdown', 'report_connected', 'process_packet', 'open_stream', 'accept_stream', 'refuse_stream', 'refuse_app', 'finish_streams', 'start_shutdown_timer', 'report_drained', 'send_close', 'repeat_close', 'discard_packet', 'report_closed', 'drop_keys', 'start_close_timer', 'release']);

/**
 * The state the `lifecycle` machine starts in.
 */
export const LIFECYCLE_INITIAL: LifecycleState = 'handshaking';

/**
 * Terminal states of the `lifecycle` machine: no transition leaves them and they ignore every event. Read-only.
 */
export const LIFECYCLE_TERMINAL: ReadonlySet<LifecycleState> = new Set<LifecycleState>(['closed']);

/**
 * What the `lifecycle` machine does on an event that has no transition from a non-terminal state
 * (the lookup {@link lifecycleTransition} returns undefined): it moves to `closing` and fails with `INTERNAL_ERROR`,
 * reporting the role, the state and the event.
 */
export const LIFECYCLE_ON_INVALID: { readonly next: LifecycleState; readonly error: ErrorCodeName } = Object.freeze({ next: 'closing', error: 'INTERNAL_ERROR' });

/**
 * One row of the `lifecycle` table: in `state`, on `event` (when `guard` holds), run `actions` in order and move to `next`; with `error`, the machine fails with that transport error code.
 */
export interface LifecycleTransition {
  readonly state: LifecycleState;
  readonly event: LifecycleEvent;
  readonly guard?: LifecycleGuard;
  readonly next: LifecycleState;
  readonly actions: readonly LifecycleAction[];
  readonly error?: ErrorCodeName;
}

/**
 * What a transition of the `lifecycle` machine does: the next state, the actions to run in order, and the error it fails with, if any.
 */
export interface LifecycleStep {
  readonly next: LifecycleState;
  readonly actions: readonly LifecycleAction[];
  readonly error?: ErrorCodeName;
}

/**
 * The transition table of the `lifecycle` machine (role endpoint), in spec order. The lifecycle of one connection, the same at the client and the server.
 *
 * - MUST (`machines.connection.close-period`): An endpoint MUST stay in `closing` or `draining` for at least three times the current PTO before it discards the connection's state, so that packets still in flight find it (RFC 9000 §10.2).
 * - MUST (`machines.connection.close-event`): An implementation MUST tell its application how the connection ended: whether the close was local or the peer's, an application close (with its application error code) or a transport one (with its transport error code, IDLE_TIMEOUT for an idle timeout), and the reason text.
 */
export const LIFECYCLE_TRANSITIONS: readonly LifecycleTransition[] = Object.freeze([
  row<LifecycleTransition>({ state: 'handshaking', event: 'handshake_complete', next: 'established', actions: ['start_streams', 'report_connected'] }),
  row<LifecycleTransition>({ state: 'handshaking', event: 'handshake_failed', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'handshaking', event: 'protocol_error', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'handshaking', event: 'local_close', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  /** No stream was opened in 0-RTT: nothing to drain. */
  row<LifecycleTransition>({ state: 'handshaking', event: 'shutdown', guard: 'drained', next: 'closing', actions: ['report_drained', 'send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  /** 0-RTT streams hold data: the shutdown waits for the handshake. */
  row<LifecycleTransition>({ state: 'handshaking', event: 'shutdown', guard: 'busy', next: 'handshaking', actions: ['defer_shutdown'] }),
  /** A 0-RTT stream, within the ticket's remembered limits and max_early_data. */
  row<LifecycleTransition>({ state: 'handshaking', event: 'app_open_stream', guard: 'early_data', next: 'handshaking', actions: ['open_stream'] }),
  /** No streams before the 1-RTT keys without 0-RTT keys. */
  row<LifecycleTransition>({ state: 'handshaking', event: 'app_open_stream', guard: 'no_early_data', next: 'handshaking', actions: ['refuse_app'] }),
  row<LifecycleTransition>({ state: 'handshaking', event: 'peer_close', next: 'draining', actions: ['report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'handshaking', event: 'packet_received', next: 'handshaking', actions: ['process_packet'] }),
  row<LifecycleTransition>({ state: 'handshaking', event: 'idle_timeout', next: 'closed', actions: ['report_closed', 'release'] }),
  row<LifecycleTransition>({ state: 'handshaking', event: 'version_negotiation', next: 'closed', actions: ['report_closed', 'release'] }),
  /** A handshake record the server's handshake cannot take after its ServerHello. */
  row<LifecycleTransition>({ state: 'established', event: 'handshake_failed', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'established', event: 'protocol_error', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'established', event: 'local_close', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'established', event: 'shutdown', guard: 'drained', next: 'closing', actions: ['report_drained', 'send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'established', event: 'shutdown', guard: 'busy', next: 'shutting_down', actions: ['finish_streams', 'start_shutdown_timer'] }),
  row<LifecycleTransition>({ state: 'established', event: 'app_open_stream', next: 'established', actions: ['open_stream'] }),
  row<LifecycleTransition>({ state: 'established', event: 'peer_stream_opened', next: 'established', actions: ['accept_stream'] }),
  row<LifecycleTransition>({ state: 'established', event: 'peer_close', next: 'draining', actions: ['report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'established', event: 'packet_received', next: 'established', actions: ['process_packet'] }),
  row<LifecycleTransition>({ state: 'established', event: 'idle_timeout', next: 'closed', actions: ['report_closed', 'release'] }),
  row<LifecycleTransition>({ state: 'shutting_down', event: 'handshake_failed', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'shutting_down', event: 'protocol_error', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  /** The application gives up waiting. */
  row<LifecycleTransition>({ state: 'shutting_down', event: 'local_close', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  /** Already shutting down: the first time limit and code stay. */
  row<LifecycleTransition>({ state: 'shutting_down', event: 'shutdown', next: 'shutting_down', actions: [] }),
  row<LifecycleTransition>({ state: 'shutting_down', event: 'app_open_stream', next: 'shutting_down', actions: ['refuse_app'] }),
  row<LifecycleTransition>({ state: 'shutting_down', event: 'peer_stream_opened', next: 'shutting_down', actions: ['refuse_stream'] }),
  /** The close is a transport close with NO_ERROR. */
  row<LifecycleTransition>({ state: 'shutting_down', event: 'streams_drained', next: 'closing', actions: ['report_drained', 'send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  /** The close carries the shutdown's code and reason. */
  row<LifecycleTransition>({ state: 'shutting_down', event: 'shutdown_timeout', next: 'closing', actions: ['send_close', 'report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'shutting_down', event: 'peer_close', next: 'draining', actions: ['report_closed', 'drop_keys', 'start_close_timer'] }),
  row<LifecycleTransition>({ state: 'shutting_down', event: 'packet_received', next: 'shutting_down', actions: ['process_packet'] }),
  row<LifecycleTransition>({ state: 'shutting_down', event: 'idle_timeout', next: 'closed', actions: ['report_closed', 'release'] }),
  /** Already closed: nothing to do. */
  row<LifecycleTransition>({ state: 'closing', event: 'local_close', next: 'closing', actions: [] }),
  /** Already closed: nothing to do. */
  row<LifecycleTransition>({ state: 'closing', event: 'shutdown', next: 'closing', actions: [] }),
  row<LifecycleTransition>({ state: 'closing', event: 'app_open_stream', next: 'closing', actions: ['refuse_app'] }),
  row<LifecycleTransition>({ state: 'closing', event: 'packet_received', next: 'closing', actions: ['repeat_close'] }),
  row<LifecycleTransition>({ state: 'closing', event: 'close_timer_expired', next: 'closed', actions: ['release'] }),
  /** Already closed: nothing to do, and nothing may be sent. */
  row<LifecycleTransition>({ state: 'draining', event: 'local_close', next: 'draining', actions: [] }),
  /** Already closed: nothing to do. */
  row<LifecycleTransition>({ state: 'draining', event: 'shutdown', next: 'draining', actions: [] }),
  row<LifecycleTransition>({ state: 'draining', event: 'app_open_stream', next: 'draining', actions: ['refuse_app'] }),
  row<LifecycleTransition>({ state: 'draining', event: 'packet_received', next: 'draining', actions: ['discard_packet'] }),
  row<LifecycleTransition>({ state: 'draining', event: 'close_timer_expired', next: 'closed', actions: ['release'] }),
]);

const LIFECYCLE_BY_KEY: ReadonlyMap<string, LifecycleTransition> = new Map(LIFECYCLE_TRANSITIONS.map((t) => [key(t.state, t.event, t.guard), t]));

/**
 * The transition of the `lifecycle` machine from `state` on `event` when `guard` holds (no guard for an unguarded row),
 * or undefined when the table has none: then, unless `state` is terminal (`closed` ignore every event),
 * apply {@link LIFECYCLE_ON_INVALID}. {@link lifecycleGuards} says which guards a (state, event) pair checks.
 */
export function lifecycleTransition(state: LifecycleState, event: LifecycleEvent, guard?: LifecycleGuard): LifecycleStep | undefined {
  return LIFECYCLE_BY_KEY.get(key(state, event, guard));
}

/**
 * The guards the `lifecycle` table checks for `event` in `state`, in spec order: empty when the pair has one unguarded row or none.
 */
export function lifecycleGuards(state: LifecycleState, event: LifecycleEvent): readonly LifecycleGuard[] {
  return LIFECYCLE_TRANSITIONS.filter((t) => t.state === state && t.event === event && t.guard !== undefined).map((t) => t.guard!);
}
