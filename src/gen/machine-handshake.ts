// GENERATED from spec/machines/handshake.yaml (sha256 ab2b5fb238880735) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Handshake state machines (spec/machines/handshake.yaml, version 1).
 *
 * The client and server sides of the handshake (spec/crypto.yaml), as tables. Each event is
 * something that reaches the handshake: a handshake record (ClientHello, ServerHello,
 * HelloRetryRequest), a frame that matters to it (HANDSHAKE_DONE, CONNECTION_CLOSE), the first
 * authenticated 1-RTT packet, or the application's request to connect. The guards of an event
 * are the mutually exclusive outcomes of checking it in that state; exactly one holds. An event
 * with no transition from a state is a protocol error naming the role, the state and the event
 * (`on_invalid`). Terminal states ignore every event.
 *
 * Machines: `client`, `server`.
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

// ───────────────────────────── client (role: client) ─────────────────────────────

/**
 * States of the `client` machine. The client's handshake. It pins the server key and sends the first message.
 *
 * - `idle` (initial): Nothing sent yet.
 * - `wait_hello`: The first ClientHello is sent; waiting for ServerHello or HelloRetryRequest.
 * - `wait_hello_retried`: The second ClientHello (after a HelloRetryRequest) is sent; waiting for ServerHello.
 * - `wait_hello_resumed`: A ClientHello offering a session ticket (and perhaps 0-RTT) is sent; waiting for ServerHello or HelloRetryRequest.
 * - `established`: The ServerHello is processed and the 1-RTT keys installed; the server is authenticated. Waiting for HANDSHAKE_DONE.
 * - `confirmed` (terminal): HANDSHAKE_DONE received: the handshake is confirmed and its state discarded.
 * - `failed` (terminal): The handshake failed; the connection closes with the error.
 */
export type ClientState = 'idle' | 'wait_hello' | 'wait_hello_retried' | 'wait_hello_resumed' | 'established' | 'confirmed' | 'failed';

/**
 * Events of the `client` machine.
 *
 * - `connect`: The application asks to connect.
 * - `resume`: The application asks to connect with a session ticket of this server (spec/crypto.yaml, crypto.ticket.client-store).
 * - `bad_record`: A handshake record that does not decode, or sets no message or more than one.
 * - `client_hello` (always invalid): A ClientHello record arrived (never valid at a client).
 * - `server_hello`: A ServerHello record arrived.
 * - `hello_retry_request`: A HelloRetryRequest record arrived.
 * - `handshake_done`: A HANDSHAKE_DONE frame arrived in a 1-RTT packet.
 * - `peer_close`: A CONNECTION_CLOSE frame arrived.
 */
export type ClientEvent = 'connect' | 'resume' | 'bad_record' | 'client_hello' | 'server_hello' | 'hello_retry_request' | 'handshake_done' | 'peer_close';

/**
 * Guards of the `client` machine: outcomes of checking an event, exactly one of which holds.
 *
 * - `ok`: The record decodes and every check passes.
 * - `malformed`: The server's Noise payload does not decode.
 * - `decrypt_failed`: The Noise message does not authenticate (wrong server key, tampering) or a key share is invalid.
 * - `bad_transport_parameters`: The peer's transport parameters are invalid.
 * - `downgrade`: What the server says it used, or the offer it saw, differs from what the client sent.
 * - `not_offered`: The HelloRetryRequest names a version, suite or group the client did not offer, or the one it already used.
 * - `early_data`: The ticket allows 0-RTT (max_early_data above 0) and the application asked for it: the ClientHello sets early_data.
 * - `psk_only`: The ticket is offered without 0-RTT (the ticket allows none, or the application did not ask).
 * - `psk_rejected`: The ServerHello checks out and the server did not accept the ticket (psk_accepted false): a full handshake.
 * - `psk_accepted`: The ServerHello checks out, the server resumed from the ticket, and 0-RTT was not offered or not accepted.
 * - `early_data_accepted`: The ServerHello checks out, the server resumed from the ticket and accepted the 0-RTT data.
 * - `psk_unoffered`: The server says it accepted a ticket, or 0-RTT, that this ClientHello did not offer (crypto.resumption.psk).
 */
export type ClientGuard = 'ok' | 'malformed' | 'decrypt_failed' | 'bad_transport_parameters' | 'downgrade' | 'not_offered' | 'early_data' | 'psk_only' | 'psk_rejected' | 'psk_accepted' | 'early_data_accepted' | 'psk_unoffered';

/**
 * Actions of the `client` machine, run in the order a transition lists them.
 *
 * - `send_client_hello`: Generate the ephemeral key(s), write Noise message 1 with the transport parameters, and send the ClientHello.
 * - `send_client_hello_retry`: Start a new Noise handshake for the suite and group named, with the cookie in the offer, and send the second ClientHello.
 * - `read_server_hello`: Read Noise message 2 and check the server's payload.
 * - `install_1rtt_keys`: Split the Noise state and install the 1-RTT keys for both directions.
 * - `report_established`: Tell the application the handshake is complete, with the peer's transport parameters.
 * - `discard_handshake_state`: Wipe the Noise state and drop the Initial keys.
 * - `report_peer_error`: Fail with the error code the peer sent.
 * - `send_client_hello_psk`: As send_client_hello, with the ticket's suite first and the offer carrying psk_identity, obfuscated_ticket_age and early_data.
 * - `install_early_keys`: Derive client_early_secret from the ticket's psk and the ClientHello record as sent, and install the 0-RTT keys.
 * - `install_resumed_1rtt_keys`: Split the Noise state, mix the ticket's psk in (resumed_ck) and install the resumed 1-RTT keys.
 * - `discard_early_keys`: Drop the 0-RTT keys, if any: the 0-RTT data is rejected, reported so, and sent again in 1-RTT packets (crypto.early-data.resend).
 * - `report_early_data_accepted`: Tell the application its 0-RTT data was accepted.
 */
export type ClientAction = 'send_client_hello' | 'send_client_hello_retry' | 'read_server_hello' | 'install_1rtt_keys' | 'report_established' | 'discard_handshake_state' | 'report_peer_error' | 'send_client_hello_psk' | 'install_early_keys' | 'install_resumed_1rtt_keys' | 'discard_early_keys' | 'report_early_data_accepted';

/**
 * Every state of the `client` machine, in spec order.
 */
export const CLIENT_STATES: readonly ClientState[] = Object.freeze(['idle', 'wait_hello', 'wait_hello_retried', 'wait_hello_resumed', 'established', 'confirmed', 'failed']);

/**
 * Every event of the `client` machine, in spec order.
 */
export const CLIENT_EVENTS: readonly ClientEvent[] = Object.freeze(['connect', 'resume', 'bad_record', 'client_hello', 'server_hello', 'hello_retry_request', 'handshake_done', 'peer_close']);

/**
 * Every guard of the `client` machine, in spec order.
 */
export const CLIENT_GUARDS: readonly ClientGuard[] = Object.freeze(['ok', 'malformed', 'decrypt_failed', 'bad_transport_parameters', 'downgrade', 'not_offered', 'early_data', 'psk_only', 'psk_rejected', 'psk_accepted', 'early_data_accepted', 'psk_unoffered']);

/**
 * Every action of the `client` machine, in spec order.
 */
export const CLIENT_ACTIONS: readonly ClientAction[] = Object.freeze(['send_client_hello', 'send_client_hello_retry', 'read_server_hello', 'install_1rtt_keys', 'report_established', 'discard_handshake_state', 'report_peer_error', 'send_client_hello_psk', 'install_early_keys', 'install_resumed_1rtt_keys', 'discard_early_keys', 'report_early_data_accepted']);

/**
 * The state the `client` machine starts in.
 */
export const CLIENT_INITIAL: ClientState = 'idle';

/**
 * Terminal states of the `client` machine: no transition leaves them and they ignore every event. Read-only.
 */
export const CLIENT_TERMINAL: ReadonlySet<ClientState> = new Set<ClientState>(['confirmed', 'failed']);

/**
 * What the `client` machine does on an event that has no transition from a non-terminal state
 * (the lookup {@link clientTransition} returns undefined): it moves to `failed` and fails with `PROTOCOL_VIOLATION`,
 * reporting the role, the state and the event.
 */
export const CLIENT_ON_INVALID: { readonly next: ClientState; readonly error: ErrorCodeName } = Object.freeze({ next: 'failed', error: 'PROTOCOL_VIOLATION' });

/**
 * One row of the `client` table: in `state`, on `event` (when `guard` holds), run `actions` in order and move to `next`; with `error`, the machine fails with that transport error code.
 */
export interface ClientTransition {
  readonly state: ClientState;
  readonly event: ClientEvent;
  readonly guard?: ClientGuard;
  readonly next: ClientState;
  readonly actions: readonly ClientAction[];
  readonly error?: ErrorCodeName;
}

/**
 * What a transition of the `client` machine does: the next state, the actions to run in order, and the error it fails with, if any.
 */
export interface ClientStep {
  readonly next: ClientState;
  readonly actions: readonly ClientAction[];
  readonly error?: ErrorCodeName;
}

/**
 * The transition table of the `client` machine (role client), in spec order. The client's handshake. It pins the server key and sends the first message.
 */
export const CLIENT_TRANSITIONS: readonly ClientTransition[] = Object.freeze([
  row<ClientTransition>({ state: 'idle', event: 'connect', next: 'wait_hello', actions: ['send_client_hello'] }),
  row<ClientTransition>({ state: 'idle', event: 'resume', guard: 'early_data', next: 'wait_hello_resumed', actions: ['send_client_hello_psk', 'install_early_keys'] }),
  row<ClientTransition>({ state: 'idle', event: 'resume', guard: 'psk_only', next: 'wait_hello_resumed', actions: ['send_client_hello_psk'] }),
  row<ClientTransition>({ state: 'wait_hello', event: 'server_hello', guard: 'ok', next: 'established', actions: ['read_server_hello', 'install_1rtt_keys', 'report_established'] }),
  row<ClientTransition>({ state: 'wait_hello', event: 'server_hello', guard: 'malformed', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello', event: 'server_hello', guard: 'decrypt_failed', next: 'failed', actions: [], error: 'HANDSHAKE_FAILED' }),
  row<ClientTransition>({ state: 'wait_hello', event: 'server_hello', guard: 'bad_transport_parameters', next: 'failed', actions: [], error: 'TRANSPORT_PARAMETER_ERROR' }),
  row<ClientTransition>({ state: 'wait_hello', event: 'server_hello', guard: 'downgrade', next: 'failed', actions: [], error: 'DOWNGRADE_DETECTED' }),
  row<ClientTransition>({ state: 'wait_hello', event: 'hello_retry_request', guard: 'ok', next: 'wait_hello_retried', actions: ['send_client_hello_retry'] }),
  row<ClientTransition>({ state: 'wait_hello', event: 'hello_retry_request', guard: 'not_offered', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello', event: 'hello_retry_request', guard: 'downgrade', next: 'failed', actions: [], error: 'DOWNGRADE_DETECTED' }),
  row<ClientTransition>({ state: 'wait_hello', event: 'peer_close', next: 'failed', actions: ['report_peer_error'] }),
  row<ClientTransition>({ state: 'wait_hello', event: 'bad_record', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello', event: 'server_hello', guard: 'psk_unoffered', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'psk_rejected', next: 'established', actions: ['read_server_hello', 'install_1rtt_keys', 'discard_early_keys', 'report_established'] }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'psk_accepted', next: 'established', actions: ['read_server_hello', 'install_resumed_1rtt_keys', 'discard_early_keys', 'report_established'] }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'early_data_accepted', next: 'established', actions: ['read_server_hello', 'install_resumed_1rtt_keys', 'report_early_data_accepted', 'report_established'] }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'malformed', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'decrypt_failed', next: 'failed', actions: [], error: 'HANDSHAKE_FAILED' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'bad_transport_parameters', next: 'failed', actions: [], error: 'TRANSPORT_PARAMETER_ERROR' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'downgrade', next: 'failed', actions: [], error: 'DOWNGRADE_DETECTED' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'server_hello', guard: 'psk_unoffered', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'hello_retry_request', guard: 'ok', next: 'wait_hello_retried', actions: ['discard_early_keys', 'send_client_hello_retry'] }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'hello_retry_request', guard: 'not_offered', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'hello_retry_request', guard: 'downgrade', next: 'failed', actions: [], error: 'DOWNGRADE_DETECTED' }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'peer_close', next: 'failed', actions: ['report_peer_error'] }),
  row<ClientTransition>({ state: 'wait_hello_resumed', event: 'bad_record', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'server_hello', guard: 'ok', next: 'established', actions: ['read_server_hello', 'install_1rtt_keys', 'report_established'] }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'server_hello', guard: 'malformed', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'server_hello', guard: 'decrypt_failed', next: 'failed', actions: [], error: 'HANDSHAKE_FAILED' }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'server_hello', guard: 'bad_transport_parameters', next: 'failed', actions: [], error: 'TRANSPORT_PARAMETER_ERROR' }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'server_hello', guard: 'downgrade', next: 'failed', actions: [], error: 'DOWNGRADE_DETECTED' }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'peer_close', next: 'failed', actions: ['report_peer_error'] }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'bad_record', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'wait_hello_retried', event: 'server_hello', guard: 'psk_unoffered', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ClientTransition>({ state: 'established', event: 'handshake_done', next: 'confirmed', actions: ['discard_handshake_state'] }),
  row<ClientTransition>({ state: 'established', event: 'peer_close', next: 'failed', actions: ['report_peer_error'] }),
]);

const CLIENT_BY_KEY: ReadonlyMap<string, ClientTransition> = new Map(CLIENT_TRANSITIONS.map((t) => [key(t.state, t.event, t.guard), t]));

/**
 * The transition of the `client` machine from `state` on `event` when `guard` holds (no guard for an unguarded row),
 * or undefined when the table has none: then, unless `state` is terminal (`confirmed`, `failed` ignore every event),
 * apply {@link CLIENT_ON_INVALID}. {@link clientGuards} says which guards a (state, event) pair checks.
 */
export function clientTransition(state: ClientState, event: ClientEvent, guard?: ClientGuard): ClientStep | undefined {
  return CLIENT_BY_KEY.get(key(state, event, guard));
}

/**
 * The guards the `client` table checks for `event` in `state`, in spec order: empty when the pair has one unguarded row or none.
 */
export function clientGuards(state: ClientState, event: ClientEvent): readonly ClientGuard[] {
  return CLIENT_TRANSITIONS.filter((t) => t.state === state && t.event === event && t.guard !== undefined).map((t) => t.guard!);
}

// ───────────────────────────── server (role: server) ─────────────────────────────

/**
 * States of the `server` machine. The server's handshake. It holds one or more static keys and answers the first message.
 *
 * - `idle` (initial): Waiting for the first ClientHello.
 * - `wait_hello_retried`: A HelloRetryRequest is sent; waiting for the second ClientHello.
 * - `established`: ServerHello sent, 1-RTT keys installed; waiting for the client's first 1-RTT packet (key confirmation).
 * - `confirmed` (terminal): The client proved its keys; HANDSHAKE_DONE sent and the handshake state discarded.
 * - `failed` (terminal): The handshake failed; the connection closes with the error.
 */
export type ServerState = 'idle' | 'wait_hello_retried' | 'established' | 'confirmed' | 'failed';

/**
 * Events of the `server` machine.
 *
 * - `bad_record`: A handshake record that does not decode, or sets no message or more than one.
 * - `client_hello`: A ClientHello record arrived.
 * - `server_hello` (always invalid): A ServerHello record arrived (never valid at a server).
 * - `hello_retry_request` (always invalid): A HelloRetryRequest record arrived (never valid at a server).
 * - `handshake_done` (always invalid): A HANDSHAKE_DONE frame arrived (never valid at a server).
 * - `one_rtt_packet`: The first 1-RTT packet from the client opened under the 1-RTT keys.
 * - `peer_close`: A CONNECTION_CLOSE frame arrived.
 */
export type ServerEvent = 'bad_record' | 'client_hello' | 'server_hello' | 'hello_retry_request' | 'handshake_done' | 'one_rtt_packet' | 'peer_close';

/**
 * Guards of the `server` machine: outcomes of checking an event, exactly one of which holds.
 *
 * - `ok`: The ClientHello decodes, its first suite and group are supported, and every check passes.
 * - `retry`: The first suite or group is not supported, but an offered one is.
 * - `malformed`: The offer or the Noise payload does not decode, or a first ClientHello carries a cookie.
 * - `no_common_version`: No offered version is supported.
 * - `no_common_suite`: No offered suite, or no offered group, is supported.
 * - `unknown_server_key`: The offer's server_key_id names no static key the server holds.
 * - `decrypt_failed`: The Noise message does not authenticate (tampering, wrong key) or a key share is invalid.
 * - `bad_transport_parameters`: The client's transport parameters are invalid.
 * - `client_refused`: The client authenticated with a static key the server does not accept (IK).
 * - `downgrade`: The second ClientHello's cookie or its suite and group are not what the HelloRetryRequest named.
 * - `psk_rejected`: As ok, with a ticket offered that the server does not accept (crypto.ticket.reject-fallback): a full handshake, 0-RTT dropped.
 * - `psk_accepted`: As ok, with an offered ticket accepted (and its id recorded, crypto.anti-replay.single-use); 0-RTT not offered or rejected.
 * - `early_data_accepted`: As psk_accepted, and the 0-RTT data accepted too (crypto.anti-replay.ticket-age, crypto.early-data.unsafe-parameters).
 */
export type ServerGuard = 'ok' | 'retry' | 'malformed' | 'no_common_version' | 'no_common_suite' | 'unknown_server_key' | 'decrypt_failed' | 'bad_transport_parameters' | 'client_refused' | 'downgrade' | 'psk_rejected' | 'psk_accepted' | 'early_data_accepted';

/**
 * Actions of the `server` machine, run in the order a transition lists them.
 *
 * - `read_client_hello`: Choose the static key by key id, read Noise message 1 and the client's transport parameters.
 * - `send_server_hello`: Write Noise message 2 with the server's payload and send the ServerHello.
 * - `send_hello_retry_request`: Send a HelloRetryRequest naming the suite and group, with the cookie.
 * - `install_1rtt_keys`: Split the Noise state and install the 1-RTT keys for both directions.
 * - `report_established`: Tell the application a connection is established, with the client's transport parameters (and static key, for IK).
 * - `send_handshake_done`: Send HANDSHAKE_DONE in a 1-RTT packet.
 * - `discard_handshake_state`: Wipe the Noise state and drop the Initial keys.
 * - `report_peer_error`: Fail with the error code the peer sent.
 * - `accept_ticket`: Open and check the ticket, record its id with the anti-replay record, and take its psk.
 * - `reject_ticket`: Ignore the offered ticket (reported locally as TICKET_REJECTED with the reason); 0-RTT packets are dropped.
 * - `install_early_keys`: Derive client_early_secret from the ticket's psk and the ClientHello record as received, and install the 0-RTT receive keys.
 * - `install_resumed_1rtt_keys`: Split the Noise state, mix the ticket's psk in (resumed_ck) and install the resumed 1-RTT keys.
 */
export type ServerAction = 'read_client_hello' | 'send_server_hello' | 'send_hello_retry_request' | 'install_1rtt_keys' | 'report_established' | 'send_handshake_done' | 'discard_handshake_state' | 'report_peer_error' | 'accept_ticket' | 'reject_ticket' | 'install_early_keys' | 'install_resumed_1rtt_keys';

/**
 * Every state of the `server` machine, in spec order.
 */
export const SERVER_STATES: readonly ServerState[] = Object.freeze(['idle', 'wait_hello_retried', 'established', 'confirmed', 'failed']);

/**
 * Every event of the `server` machine, in spec order.
 */
export const SERVER_EVENTS: readonly ServerEvent[] = Object.freeze(['bad_record', 'client_hello', 'server_hello', 'hello_retry_request', 'handshake_done', 'one_rtt_packet', 'peer_close']);

/**
 * Every guard of the `server` machine, in spec order.
 */
export const SERVER_GUARDS: readonly ServerGuard[] = Object.freeze(['ok', 'retry', 'malformed', 'no_common_version', 'no_common_suite', 'unknown_server_key', 'decrypt_failed', 'bad_transport_parameters', 'client_refused', 'downgrade', 'psk_rejected', 'psk_accepted', 'early_data_accepted']);

/**
 * Every action of the `server` machine, in spec order.
 */
export const SERVER_ACTIONS: readonly ServerAction[] = Object.freeze(['read_client_hello', 'send_server_hello', 'send_hello_retry_request', 'install_1rtt_keys', 'report_established', 'send_handshake_done', 'discard_handshake_state', 'report_peer_error', 'accept_ticket', 'reject_ticket', 'install_early_keys', 'install_resumed_1rtt_keys']);

/**
 * The state the `server` machine starts in.
 */
export const SERVER_INITIAL: ServerState = 'idle';

/**
 * Terminal states of the `server` machine: no transition leaves them and they ignore every event. Read-only.
 */
export const SERVER_TERMINAL: ReadonlySet<ServerState> = new Set<ServerState>(['confirmed', 'failed']);

/**
 * What the `server` machine does on an event that has no transition from a non-terminal state
 * (the lookup {@link serverTransition} returns undefined): it moves to `failed` and fails with `PROTOCOL_VIOLATION`,
 * reporting the role, the state and the event.
 */
export const SERVER_ON_INVALID: { readonly next: ServerState; readonly error: ErrorCodeName } = Object.freeze({ next: 'failed', error: 'PROTOCOL_VIOLATION' });

/**
 * One row of the `server` table: in `state`, on `event` (when `guard` holds), run `actions` in order and move to `next`; with `error`, the machine fails with that transport error code.
 */
export interface ServerTransition {
  readonly state: ServerState;
  readonly event: ServerEvent;
  readonly guard?: ServerGuard;
  readonly next: ServerState;
  readonly actions: readonly ServerAction[];
  readonly error?: ErrorCodeName;
}

/**
 * What a transition of the `server` machine does: the next state, the actions to run in order, and the error it fails with, if any.
 */
export interface ServerStep {
  readonly next: ServerState;
  readonly actions: readonly ServerAction[];
  readonly error?: ErrorCodeName;
}

/**
 * The transition table of the `server` machine (role server), in spec order. The server's handshake. It holds one or more static keys and answers the first message.
 */
export const SERVER_TRANSITIONS: readonly ServerTransition[] = Object.freeze([
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'psk_rejected', next: 'established', actions: ['read_client_hello', 'reject_ticket', 'send_server_hello', 'install_1rtt_keys', 'report_established'] }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'psk_accepted', next: 'established', actions: ['read_client_hello', 'accept_ticket', 'send_server_hello', 'install_resumed_1rtt_keys', 'report_established'] }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'early_data_accepted', next: 'established', actions: ['read_client_hello', 'accept_ticket', 'install_early_keys', 'send_server_hello', 'install_resumed_1rtt_keys', 'report_established'] }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'ok', next: 'established', actions: ['read_client_hello', 'send_server_hello', 'install_1rtt_keys', 'report_established'] }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'retry', next: 'wait_hello_retried', actions: ['send_hello_retry_request'] }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'malformed', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'no_common_version', next: 'failed', actions: [], error: 'VERSION_MISMATCH' }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'no_common_suite', next: 'failed', actions: [], error: 'NO_COMMON_SUITE' }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'unknown_server_key', next: 'failed', actions: [], error: 'BAD_SERVER_KEY' }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'decrypt_failed', next: 'failed', actions: [], error: 'HANDSHAKE_FAILED' }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'bad_transport_parameters', next: 'failed', actions: [], error: 'TRANSPORT_PARAMETER_ERROR' }),
  row<ServerTransition>({ state: 'idle', event: 'client_hello', guard: 'client_refused', next: 'failed', actions: [], error: 'CONNECTION_REFUSED' }),
  row<ServerTransition>({ state: 'idle', event: 'peer_close', next: 'failed', actions: ['report_peer_error'] }),
  row<ServerTransition>({ state: 'idle', event: 'bad_record', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'client_hello', guard: 'ok', next: 'established', actions: ['read_client_hello', 'send_server_hello', 'install_1rtt_keys', 'report_established'] }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'client_hello', guard: 'malformed', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'client_hello', guard: 'downgrade', next: 'failed', actions: [], error: 'DOWNGRADE_DETECTED' }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'client_hello', guard: 'unknown_server_key', next: 'failed', actions: [], error: 'BAD_SERVER_KEY' }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'client_hello', guard: 'decrypt_failed', next: 'failed', actions: [], error: 'HANDSHAKE_FAILED' }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'client_hello', guard: 'bad_transport_parameters', next: 'failed', actions: [], error: 'TRANSPORT_PARAMETER_ERROR' }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'client_hello', guard: 'client_refused', next: 'failed', actions: [], error: 'CONNECTION_REFUSED' }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'peer_close', next: 'failed', actions: ['report_peer_error'] }),
  row<ServerTransition>({ state: 'wait_hello_retried', event: 'bad_record', next: 'failed', actions: [], error: 'PROTOCOL_VIOLATION' }),
  row<ServerTransition>({ state: 'established', event: 'one_rtt_packet', next: 'confirmed', actions: ['send_handshake_done', 'discard_handshake_state'] }),
  row<ServerTransition>({ state: 'established', event: 'peer_close', next: 'failed', actions: ['report_peer_error'] }),
]);

const SERVER_BY_KEY: ReadonlyMap<string, ServerTransition> = new Map(SERVER_TRANSITIONS.map((t) => [key(t.state, t.event, t.guard), t]));

/**
 * The transition of the `server` machine from `state` on `event` when `guard` holds (no guard for an unguarded row),
 * or undefined when the table has none: then, unless `state` is terminal (`confirmed`, `failed` ignore every event),
 * apply {@link SERVER_ON_INVALID}. {@link serverGuards} says which guards a (state, event) pair checks.
 */
export function serverTransition(state: ServerState, event: ServerEvent, guard?: ServerGuard): ServerStep | undefined {
  return SERVER_BY_KEY.get(key(state, event, guard));
}

/**
 * The guards the `server` table checks for `event` in `state`, in spec order: empty when the pair has one unguarded row or none.
 */
export function serverGuards(state: ServerState, event: ServerEvent): readonly ServerGuard[] {
  return SERVER_TRANSITIONS.filter((t) => t.state === state && t.event === event && t.guard !== undefined).map((t) => t.guard!);
}
