/**
 * The client side of the handshake (spec/machines/handshake.yaml, machine `client`): one handler
 * per state, each dispatching the events that state accepts to the action that evaluates the
 * guards, performs the actions and returns the {@link Step} it took; an event the state does not
 * accept is on_invalid, and a terminal state ignores everything. The model-based test checks every
 * step against the table.
 *
 * @module
 */
import { wipe } from '../../crypto/ct.ts';
import { NoiseError } from '../../crypto/noise/index.ts';
import { PROLOGUE_LABEL, type GroupInfo, type SuiteInfo } from '../../gen/crypto.ts';
import {
  decodeHandshakeMessage, decodeServerPayload, encodeClientOffer, encodeClientPayload, encodeHandshakeMessage,
  type HelloRetryRequest, type ServerHello, type TransportParameters,
} from '../../gen/messages.ts';
import { check32, configuredGroups, configuredSuites, configuredVersions, type ClientHandshakeConfig } from './config.ts';
import { cookieMatchesOffer } from './cookie.ts';
import { deriveKeys, type HandshakeKeys } from './keys.ts';
import { noiseSession, type NoiseSession } from './noise.ts';
import { checkPeerParameters, withDefaults } from './params.ts';
import { clientEarlySecret, resumedSecrets } from '../tickets/schedule.ts';
import { obfuscatedAge } from '../tickets/store.ts';
import { encodeRecord } from './records.ts';
import { serverKeyId } from './static-keys.ts';
import { HandshakeMachine } from './machine.ts';
import type { Step } from './step.ts';

/** States of the client machine. */
export type ClientState = 'idle' | 'wait_hello' | 'wait_hello_retried' | 'wait_hello_resumed' | 'established' | 'confirmed' | 'failed';
/** Events of the client machine. */
export type ClientEvent = 'connect' | 'resume' | 'bad_record' | 'client_hello' | 'server_hello' | 'hello_retry_request' | 'handshake_done' | 'peer_close';
/** Guards of the client machine. */
export type ClientGuard =
  | 'ok' | 'malformed' | 'decrypt_failed' | 'bad_transport_parameters' | 'downgrade' | 'not_offered'
  | 'early_data' | 'psk_only' | 'psk_rejected' | 'psk_accepted' | 'early_data_accepted' | 'psk_unoffered';
/** Actions of the client machine. */
export type ClientAction =
  | 'send_client_hello' | 'send_client_hello_retry' | 'read_server_hello' | 'install_1rtt_keys'
  | 'report_established' | 'discard_handshake_state' | 'report_peer_error'
  | 'send_client_hello_psk' | 'install_early_keys' | 'install_resumed_1rtt_keys' | 'discard_early_keys' | 'report_early_data_accepted';
/** A step of the client machine. */
export type ClientStep = Step<ClientState, ClientEvent, ClientGuard, ClientAction>;

/** An event with what it carries. */
type ClientInput =
  | { event: 'connect' }
  | { event: 'resume' }
  | { event: 'bad_record'; reason: string }
  | { event: 'client_hello' }
  | { event: 'server_hello'; message: ServerHello }
  | { event: 'hello_retry_request'; message: HelloRetryRequest }
  | { event: 'handshake_done' }
  | { event: 'peer_close'; code: number; reason: string };

const PROLOGUE = new TextEncoder().encode(PROLOGUE_LABEL);

/** An attempt: one ClientHello and the Noise handshake it started. */
interface Attempt {
  readonly version: number;
  readonly suite: SuiteInfo;
  readonly group: GroupInfo;
  readonly offer: Uint8Array;
  readonly noise: NoiseSession;
  /** Set when this ClientHello offers a ticket: its psk, and whether 0-RTT follows. */
  readonly psk?: { readonly psk: Uint8Array; readonly early: boolean };
}

/** The 0-RTT keys of a resumption: the ticket's suite and client_early_secret. */
export interface EarlyKeys {
  readonly suite: SuiteInfo;
  readonly secret: Uint8Array;
}

/** The client side of a JSP handshake. Sans-IO: records in, records and keys out. */
export class ClientHandshake extends HandshakeMachine<ClientState, ClientEvent, ClientGuard, ClientAction> {
  readonly #config: ClientHandshakeConfig;
  readonly #versions: readonly number[];
  readonly #suites: readonly SuiteInfo[];
  readonly #groups: readonly GroupInfo[];
  readonly #keyId: Uint8Array;
  readonly #out: Uint8Array[] = [];
  #attempt: Attempt | undefined;
  #keys: HandshakeKeys | undefined;
  #peerParameters: TransportParameters | undefined;
  #alpn = '';
  #early: EarlyKeys | undefined;
  #resumed = false;
  #earlyAccepted = false;

  constructor(config: ClientHandshakeConfig) {
    super('client', 'idle', 'failed', ['confirmed', 'failed']);
    check32('serverKey', config.serverKey);
    if (config.clientKey !== undefined) check32('clientKey', config.clientKey);
    this.#config = config;
    this.#versions = configuredVersions(config);
    this.#suites = configuredSuites(config);
    this.#groups = configuredGroups(config);
    this.#keyId = serverKeyId(config.provider, config.serverKey);
  }

  /** The 1-RTT keys, once `established`. */
  get keys(): HandshakeKeys | undefined { return this.#keys; }
  /** The server's transport parameters, once `established`. */
  get peerTransportParameters(): TransportParameters | undefined { return this.#peerParameters; }
  /** The application protocol the server chose ('' when none). */
  get alpn(): string { return this.#alpn; }
  /** The server's static public key this client pins (the identity its tickets belong to). */
  get serverKey(): Uint8Array { return this.#config.serverKey; }
  /** The 0-RTT keys, from `resume` with 0-RTT until the ServerHello (or a HelloRetryRequest) is read. */
  get earlyKeys(): EarlyKeys | undefined { return this.#early; }
  /** Whether the server resumed from the offered ticket (psk_accepted), once `established`. */
  get resumed(): boolean { return this.#resumed; }
  /** Whether the server accepted the 0-RTT data, once `established`. */
  get earlyDataAccepted(): boolean { return this.#earlyAccepted; }

  /** The next handshake record to send (varint length ‖ HandshakeMessage), if any. */
  pollOutput(): Uint8Array | undefined { return this.#out.shift(); }

  /**
   * Event `connect` (a full handshake) or `resume` (with the configured ticket; the default when
   * one is configured): writes the first ClientHello.
   */
  start(event: 'connect' | 'resume' = this.#config.resumption ? 'resume' : 'connect'): ClientStep {
    if (event === 'resume' && this.current === 'idle' && !this.#config.resumption) throw new RangeError('ClientHandshake.start: resume needs config.resumption (a ticket)');
    return this.#dispatch({ event });
  }

  /** A complete handshake record body (events client_hello / server_hello / hello_retry_request / bad_record). */
  handleRecord(body: Uint8Array, _now?: number): ClientStep {
    let m;
    try {
      m = decodeHandshakeMessage(body);
    } catch (e) {
      return this.#dispatch({ event: 'bad_record', reason: `handshake record does not decode: ${(e as Error).message}` });
    }
    const set = [m.clientHello, m.serverHello, m.helloRetryRequest].filter((x) => x !== undefined).length;
    if (set !== 1) return this.#dispatch({ event: 'bad_record', reason: `handshake record sets ${set} messages, not exactly one` });
    if (m.serverHello) return this.#dispatch({ event: 'server_hello', message: m.serverHello });
    if (m.helloRetryRequest) return this.#dispatch({ event: 'hello_retry_request', message: m.helloRetryRequest });
    return this.#dispatch({ event: 'client_hello' });
  }

  /** Event `handshake_done`: a HANDSHAKE_DONE frame arrived. */
  handleHandshakeDone(): ClientStep {
    return this.#dispatch({ event: 'handshake_done' });
  }

  /** Event `peer_close`: the peer closed with `code` during the handshake. */
  handlePeerClose(code: number, reason = ''): ClientStep {
    return this.#dispatch({ event: 'peer_close', code, reason });
  }

  // ── one handler per state (spec/machines/handshake.yaml, machine client) ──

  #dispatch(input: ClientInput): ClientStep {
    return this.#handlers[this.current](input);
  }

  readonly #handlers: Record<ClientState, (input: ClientInput) => ClientStep> = {
    idle: (i) => (i.event === 'connect' ? this.#connect() : i.event === 'resume' ? this.#resume() : this.invalid(i.event)),
    wait_hello: (i) => this.#waitHello(i),
    // The same events as wait_hello: #readServerHello tells a resumed ServerHello by the state.
    wait_hello_resumed: (i) => this.#waitHello(i),
    wait_hello_retried: (i) => {
      switch (i.event) {
        case 'server_hello': return this.#readServerHello(i.message);
        case 'peer_close': return this.peerClosed(i.code, i.reason, 'report_peer_error');
        case 'bad_record': return this.fail('bad_record', undefined, 'PROTOCOL_VIOLATION', i.reason);
        default: return this.invalid(i.event);
      }
    },
    established: (i) => {
      switch (i.event) {
        case 'handshake_done': return this.#confirm();
        case 'peer_close': return this.peerClosed(i.code, i.reason, 'report_peer_error');
        default: return this.invalid(i.event);
      }
    },
    confirmed: (i) => this.ignore(i.event),
    failed: (i) => this.ignore(i.event),
  };

  #waitHello(i: ClientInput): ClientStep {
    switch (i.event) {
      case 'server_hello': return this.#readServerHello(i.message);
      case 'hello_retry_request': return this.#readRetry(i.message);
      case 'peer_close': return this.peerClosed(i.code, i.reason, 'report_peer_error');
      case 'bad_record': return this.fail('bad_record', undefined, 'PROTOCOL_VIOLATION', i.reason);
      default: return this.invalid(i.event);
    }
  }

  // ── actions ──

  #connect(): ClientStep {
    const suite = this.#suites[0], group = this.#groups[0];
    this.#send(this.#hello(this.#versions[0], suite, group, this.#versions, this.#suites, this.#groups, new Uint8Array(0)));
    return this.go('connect', undefined, 'wait_hello', ['send_client_hello']);
  }

  /** Event `resume`: the ClientHello offers the ticket (its suite first), with 0-RTT when it allows and the application asked. */
  #resume(): ClientStep {
    const r = this.#config.resumption!;
    const t = r.ticket;
    const ticketSuite = this.#suites.find((s) => s.value === t.suite);
    const early = (r.earlyData ?? true) && t.maxEarlyData > 0 && ticketSuite !== undefined && t.version === this.#versions[0];
    const suites = ticketSuite ? [ticketSuite, ...this.#suites.filter((s) => s !== ticketSuite)] : this.#suites;
    const { record, body } = this.#helloRecord(this.#versions[0], suites[0], this.#groups[0], this.#versions, suites, this.#groups, new Uint8Array(0),
      { psk: t.psk, early, ticket: t.ticket, age: obfuscatedAge(t, r.nowMs) });
    this.#send(record);
    if (!early) return this.go('resume', 'psk_only', 'wait_hello_resumed', ['send_client_hello_psk']);
    this.#early = { suite: ticketSuite!, secret: clientEarlySecret(this.#config.provider, t.psk, body) };
    return this.go('resume', 'early_data', 'wait_hello_resumed', ['send_client_hello_psk', 'install_early_keys']);
  }

  #dropEarly(): void {
    if (this.#early) wipe(this.#early.secret);
    this.#early = undefined;
  }

  #confirm(): ClientStep {
    this.discard();
    return this.go('handshake_done', undefined, 'confirmed', ['discard_handshake_state']);
  }


  #readServerHello(sh: ServerHello): ClientStep {
    const ev = 'server_hello';
    const a = this.#attempt!;
    let payloadBytes: Uint8Array;
    try {
      payloadBytes = a.noise.readMessage(sh.noise);
    } catch (e) {
      if (e instanceof NoiseError) return this.fail(ev, 'decrypt_failed', 'HANDSHAKE_FAILED', `Noise message 2 rejected: ${e.message}`, e);
      throw e;
    }
    let payload;
    try {
      payload = decodeServerPayload(payloadBytes);
    } catch (e) {
      return this.fail(ev, 'malformed', 'PROTOCOL_VIOLATION', `server payload does not decode: ${(e as Error).message}`, e);
    }
    if (payload.version !== a.version || payload.cipherSuite !== a.suite.value || payload.group !== a.group.value) {
      return this.fail(ev, 'downgrade', 'DOWNGRADE_DETECTED',
        `server says version 0x${payload.version.toString(16)}, suite ${payload.cipherSuite}, group ${payload.group}; the client used 0x${a.version.toString(16)}, ${a.suite.value}, ${a.group.value}`);
    }
    if ((payload.pskAccepted && !a.psk) || (payload.earlyDataAccepted && !(a.psk?.early && payload.pskAccepted))) {
      return this.fail(ev, 'psk_unoffered', 'PROTOCOL_VIOLATION', `the server says psk_accepted ${payload.pskAccepted}, early_data_accepted ${payload.earlyDataAccepted}; the ClientHello offered ${a.psk ? (a.psk.early ? 'a ticket and 0-RTT' : 'a ticket without 0-RTT') : 'no ticket'}`);
    }
    const params = withDefaults(payload.transportParameters);
    const bad = checkPeerParameters(params, 'server');
    if (bad) return this.fail(ev, 'bad_transport_parameters', 'TRANSPORT_PARAMETER_ERROR', bad);
    const p = this.#config.provider;
    const out = a.noise.finish();
    this.#peerParameters = params;
    this.#alpn = payload.alpn;
    if (!a.psk) {
      // read_server_hello done; install_1rtt_keys; report_established.
      this.#keys = deriveKeys(p, { version: a.version, suite: a.suite, group: a.group }, out);
      return this.go(ev, 'ok', 'established', ['read_server_hello', 'install_1rtt_keys', 'report_established']);
    }
    if (!payload.pskAccepted) {
      this.#keys = deriveKeys(p, { version: a.version, suite: a.suite, group: a.group }, out);
      this.#dropEarly();
      return this.go(ev, 'psk_rejected', 'established', ['read_server_hello', 'install_1rtt_keys', 'discard_early_keys', 'report_established']);
    }
    // crypto.resumption.psk: the ticket's psk mixed into the final chaining key.
    const r = resumedSecrets(p, out.ck, out.h, a.psk.psk);
    wipe(out.k1, out.k2, out.ck);
    this.#keys = deriveKeys(p, { version: a.version, suite: a.suite, group: a.group }, { k1: r.clientSecret, k2: r.serverSecret, ck: r.ck, h: out.h });
    this.#resumed = true;
    if (!payload.earlyDataAccepted) {
      this.#dropEarly();
      return this.go(ev, 'psk_accepted', 'established', ['read_server_hello', 'install_resumed_1rtt_keys', 'discard_early_keys', 'report_established']);
    }
    this.#earlyAccepted = true;
    return this.go(ev, 'early_data_accepted', 'established', ['read_server_hello', 'install_resumed_1rtt_keys', 'report_early_data_accepted', 'report_established']);
  }

  #readRetry(hrr: HelloRetryRequest): ClientStep {
    const ev = 'hello_retry_request';
    const a = this.#attempt!;
    const suite = this.#suites.find((s) => s.value === hrr.cipherSuite);
    const group = this.#groups.find((g) => g.value === hrr.group);
    if (!this.#versions.includes(hrr.version) || !suite || !group) {
      return this.fail(ev, 'not_offered', 'PROTOCOL_VIOLATION', `HelloRetryRequest names version 0x${hrr.version.toString(16)}, suite ${hrr.cipherSuite}, group ${hrr.group}, not all offered`);
    }
    if (suite === a.suite && group === a.group && hrr.version === a.version) {
      return this.fail(ev, 'not_offered', 'PROTOCOL_VIOLATION', 'HelloRetryRequest names the suite and group already used');
    }
    if (!cookieMatchesOffer(this.#config.provider, hrr.cookie, a.offer)) {
      return this.fail(ev, 'downgrade', 'DOWNGRADE_DETECTED', 'the server saw a different first offer than the client sent');
    }
    a.noise.destroy();
    const resumed = this.current === 'wait_hello_resumed';
    this.#dropEarly(); // crypto.resumption.no-ticket-after-retry
    this.#send(this.#hello(hrr.version, suite, group, [hrr.version], [suite], [group], hrr.cookie));
    return this.go(ev, 'ok', 'wait_hello_retried', resumed ? ['discard_early_keys', 'send_client_hello_retry'] : ['send_client_hello_retry']);
  }

  // ── helpers ──

  /** Builds a ClientHello and starts its Noise handshake (message 1). */
  #hello(version: number, suite: SuiteInfo, group: GroupInfo, versions: readonly number[], suites: readonly SuiteInfo[], groups: readonly GroupInfo[], cookie: Uint8Array): Uint8Array {
    return this.#helloRecord(version, suite, group, versions, suites, groups, cookie).record;
  }

  /** {@link #hello}, optionally offering a ticket; also returns the record body (client_hello_hash is over it). */
  #helloRecord(version: number, suite: SuiteInfo, group: GroupInfo, versions: readonly number[], suites: readonly SuiteInfo[], groups: readonly GroupInfo[], cookie: Uint8Array,
    psk?: { psk: Uint8Array; early: boolean; ticket: Uint8Array; age: number }): { record: Uint8Array; body: Uint8Array } {
    const c = this.#config;
    const clientAuth = c.clientKey !== undefined;
    const offer = encodeClientOffer({
      versions: [...versions],
      cipherSuites: suites.map((s) => s.value),
      groups: groups.map((g) => g.value),
      serverKeyId: this.#keyId,
      clientAuth,
      cookie,
      ...(psk ? { pskIdentity: psk.ticket } : {}),
      obfuscatedTicketAge: psk?.age ?? 0,
      earlyData: psk?.early ?? false,
    }).slice();
    const prologue = new Uint8Array(PROLOGUE.length + offer.length);
    prologue.set(PROLOGUE);
    prologue.set(offer, PROLOGUE.length);
    const noise = noiseSession({
      provider: c.provider, rng: c.rng, suite, group, clientAuth, initiator: true, prologue,
      staticKey: c.clientKey, remoteStatic: c.serverKey,
    });
    const payload = encodeClientPayload({ transportParameters: withDefaults(c.transportParameters), alpn: [...(c.alpn ?? [])] });
    const message = noise.writeMessage(payload);
    this.#attempt = { version, suite, group, offer, noise, ...(psk ? { psk: { psk: psk.psk, early: psk.early } } : {}) };
    const m = { clientHello: { offer, noise: message } };
    return { record: encodeRecord(m), body: encodeHandshakeMessage(m).slice() };
  }

  #send(record: Uint8Array): void {
    this.#out.push(record);
  }

  protected discard(): void {
    this.#attempt?.noise.destroy();
    if (this.#attempt) wipe(this.#attempt.offer);
    this.#attempt = undefined;
    this.#dropEarly();
  }




}
