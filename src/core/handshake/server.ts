/**
 * The server side of the handshake (spec/machines/handshake.yaml, machine `server`): one handler
 * per state, as in client.ts.
 *
 * @module
 */
import { equalBytes, wipe } from '../../crypto/ct.ts';
import { NoiseError } from '../../crypto/noise/index.ts';
import { PROLOGUE_LABEL, type GroupInfo, type SuiteInfo } from '../../gen/crypto.ts';
import {
  decodeClientOffer, decodeClientPayload, decodeHandshakeMessage, encodeServerPayload,
  type ClientHello, type ClientOffer, type TransportParameters,
} from '../../gen/messages.ts';
import { check32, configuredGroups, configuredSuites, configuredVersions, type ServerHandshakeConfig } from './config.ts';
import { makeCookie, type RetrySelection } from './cookie.ts';
import { deriveKeys, type HandshakeKeys } from './keys.ts';
import { noiseSession, type NoiseSession } from './noise.ts';
import { checkPeerParameters, withDefaults } from './params.ts';
import { clientEarlySecret, resumedSecrets } from '../tickets/schedule.ts';
import type { TicketDecision } from '../tickets/server.ts';
import type { EarlyKeys } from './client.ts';
import { encodeRecord } from './records.ts';
import { StaticKeySet, type StaticKey } from './static-keys.ts';
import { HandshakeMachine } from './machine.ts';
import type { Step } from './step.ts';

/** States of the server machine. */
export type ServerState = 'idle' | 'wait_hello_retried' | 'established' | 'confirmed' | 'failed';
/** Events of the server machine. */
export type ServerEvent = 'bad_record' | 'client_hello' | 'server_hello' | 'hello_retry_request' | 'handshake_done' | 'one_rtt_packet' | 'peer_close';
/** Guards of the server machine. */
export type ServerGuard =
  | 'ok' | 'retry' | 'malformed' | 'no_common_version' | 'no_common_suite' | 'unknown_server_key'
  | 'decrypt_failed' | 'bad_transport_parameters' | 'client_refused' | 'downgrade'
  | 'psk_rejected' | 'psk_accepted' | 'early_data_accepted';
/** Actions of the server machine. */
export type ServerAction =
  | 'read_client_hello' | 'send_server_hello' | 'send_hello_retry_request' | 'install_1rtt_keys'
  | 'report_established' | 'send_handshake_done' | 'discard_handshake_state' | 'report_peer_error'
  | 'accept_ticket' | 'reject_ticket' | 'install_early_keys' | 'install_resumed_1rtt_keys';
/** A step of the server machine. */
export type ServerStep = Step<ServerState, ServerEvent, ServerGuard, ServerAction>;

/** An event with what it carries. */
type ServerInput =
  | { event: 'bad_record'; reason: string }
  | { event: 'client_hello'; message: ClientHello; body: Uint8Array; now: number }
  | { event: 'server_hello' | 'hello_retry_request' | 'handshake_done' | 'one_rtt_packet' }
  | { event: 'peer_close'; code: number; reason: string };

const PROLOGUE = new TextEncoder().encode(PROLOGUE_LABEL);

/** The server side of a JSP handshake. Sans-IO: records in, records and keys out. */
export class ServerHandshake extends HandshakeMachine<ServerState, ServerEvent, ServerGuard, ServerAction> {
  readonly #config: ServerHandshakeConfig;
  readonly #versions: readonly number[];
  readonly #suites: readonly SuiteInfo[];
  readonly #groups: readonly GroupInfo[];
  readonly #statics: StaticKeySet;
  readonly #cookieKey: Uint8Array;
  readonly #out: Uint8Array[] = [];
  #retry: { selection: RetrySelection; cookie: Uint8Array } | undefined;
  #noise: NoiseSession | undefined;
  #keys: HandshakeKeys | undefined;
  #peerParameters: TransportParameters | undefined;
  #peerStatic: Uint8Array | undefined;
  #alpn = '';
  #serverKey: Uint8Array | undefined;
  #ticket: TicketDecision | undefined;
  #early: EarlyKeys | undefined;
  #earlyOffered = false;

  constructor(config: ServerHandshakeConfig) {
    super('server', 'idle', 'failed', ['confirmed', 'failed']);
    if (config.cookieKey !== undefined) check32('cookieKey', config.cookieKey);
    this.#config = config;
    this.#versions = configuredVersions(config);
    this.#suites = configuredSuites(config);
    this.#groups = configuredGroups(config);
    this.#statics = config.staticKeys instanceof StaticKeySet ? config.staticKeys : new StaticKeySet(config.provider, config.staticKeys);
    this.#cookieKey = config.cookieKey ?? config.rng(32);
  }

  /** The 1-RTT keys, once `established`. */
  get keys(): HandshakeKeys | undefined { return this.#keys; }
  /** The client's transport parameters, once `established`. */
  get peerTransportParameters(): TransportParameters | undefined { return this.#peerParameters; }
  /** The client's static public key when it authenticated (IK), once `established`. */
  get peerStaticKey(): Uint8Array | undefined { return this.#peerStatic; }
  /** The application protocol chosen ('' when none). */
  get alpn(): string { return this.#alpn; }
  /** The static public key the client named, once `established` (the identity tickets are issued for). */
  get serverKey(): Uint8Array | undefined { return this.#serverKey; }
  /** What became of an offered ticket (undefined when none was offered), once `established`. */
  get ticketDecision(): TicketDecision | undefined { return this.#ticket; }
  /** Whether the connection resumed from a ticket. */
  get resumed(): boolean { return this.#ticket?.accepted === true; }
  /** Whether the ClientHello offered 0-RTT (accepted or not), once `established`. */
  get earlyDataOffered(): boolean { return this.#earlyOffered; }
  /** The 0-RTT receive keys when 0-RTT was accepted (until the handshake state is discarded). */
  get earlyKeys(): EarlyKeys | undefined { return this.#early; }
  /** The transport parameters this server sends (its config over the defaults). */
  get localTransportParameters(): TransportParameters { return withDefaults(this.#config.transportParameters); }
  /** The session tickets configuration, if any. */
  get tickets(): ServerHandshakeConfig['tickets'] { return this.#config.tickets; }

  /** The next handshake record to send, if any. */
  pollOutput(): Uint8Array | undefined { return this.#out.shift(); }

  /** A complete handshake record body; `now` is the connection's time (ticket ages; default 0). */
  handleRecord(body: Uint8Array, now = 0): ServerStep {
    let m;
    try {
      m = decodeHandshakeMessage(body);
    } catch (e) {
      return this.#dispatch({ event: 'bad_record', reason: `handshake record does not decode: ${(e as Error).message}` });
    }
    const set = [m.clientHello, m.serverHello, m.helloRetryRequest].filter((x) => x !== undefined).length;
    if (set !== 1) return this.#dispatch({ event: 'bad_record', reason: `handshake record sets ${set} messages, not exactly one` });
    if (m.clientHello) return this.#dispatch({ event: 'client_hello', message: m.clientHello, body, now });
    return this.#dispatch({ event: m.serverHello ? 'server_hello' : 'hello_retry_request' });
  }

  /** Event `handshake_done` (never valid at a server). */
  handleHandshakeDone(): ServerStep { return this.#dispatch({ event: 'handshake_done' }); }

  /** Event `one_rtt_packet`: the first packet from the client opened under the 1-RTT keys. */
  handleOneRttPacket(): ServerStep { return this.#dispatch({ event: 'one_rtt_packet' }); }

  /** Event `peer_close`. */
  handlePeerClose(code: number, reason = ''): ServerStep { return this.#dispatch({ event: 'peer_close', code, reason }); }

  // ── one handler per state (spec/machines/handshake.yaml, machine server) ──

  #dispatch(input: ServerInput): ServerStep {
    return this.#handlers[this.current](input);
  }

  readonly #handlers: Record<ServerState, (input: ServerInput) => ServerStep> = {
    idle: (i) => {
      switch (i.event) {
        case 'client_hello': return this.#onFirstHello(i.message, i.body, i.now);
        case 'peer_close': return this.peerClosed(i.code, i.reason, 'report_peer_error');
        case 'bad_record': return this.fail('bad_record', undefined, 'PROTOCOL_VIOLATION', i.reason);
        default: return this.invalid(i.event);
      }
    },
    wait_hello_retried: (i) => {
      switch (i.event) {
        case 'client_hello': return this.#onSecondHello(i.message, i.body, i.now);
        case 'peer_close': return this.peerClosed(i.code, i.reason, 'report_peer_error');
        case 'bad_record': return this.fail('bad_record', undefined, 'PROTOCOL_VIOLATION', i.reason);
        default: return this.invalid(i.event);
      }
    },
    established: (i) => {
      switch (i.event) {
        case 'one_rtt_packet': return this.#confirm();
        case 'peer_close': return this.peerClosed(i.code, i.reason, 'report_peer_error');
        default: return this.invalid(i.event);
      }
    },
    confirmed: (i) => this.ignore(i.event),
    failed: (i) => this.ignore(i.event),
  };

  // ── actions ──

  #confirm(): ServerStep {
    this.discard();
    return this.go('one_rtt_packet', undefined, 'confirmed', ['send_handshake_done', 'discard_handshake_state']);
  }


  #onFirstHello(ch: ClientHello, body: Uint8Array, now: number): ServerStep {
    const ev = 'client_hello';
    let offer: ClientOffer;
    try {
      offer = decodeClientOffer(ch.offer);
    } catch (e) {
      return this.fail(ev, 'malformed', 'PROTOCOL_VIOLATION', `offer does not decode: ${(e as Error).message}`, e);
    }
    if (offer.cookie.length !== 0) return this.fail(ev, 'malformed', 'PROTOCOL_VIOLATION', 'a first ClientHello carries a cookie');
    if (offer.earlyData && offer.pskIdentity === undefined) return this.fail(ev, 'malformed', 'PROTOCOL_VIOLATION', 'a ClientHello sets early_data without a ticket');
    const version = offer.versions.find((v) => this.#versions.includes(v));
    if (version === undefined) return this.fail(ev, 'no_common_version', 'VERSION_MISMATCH', `no common version in [${offer.versions.map((v) => '0x' + v.toString(16)).join(', ')}]`);
    const suite = this.#firstShared(offer.cipherSuites, this.#suites);
    const group = this.#firstShared(offer.groups, this.#groups);
    if (!suite || !group) {
      return this.fail(ev, 'no_common_suite', 'NO_COMMON_SUITE', `no common ${!suite ? `cipher suite in [${offer.cipherSuites.join(', ')}]` : `group in [${offer.groups.join(', ')}]`}`);
    }
    const key = this.#staticKey(offer);
    if (!key) return this.fail(ev, 'unknown_server_key', 'BAD_SERVER_KEY', 'the client pinned a server key this server does not hold');
    if (offer.versions[0] !== version || offer.cipherSuites[0] !== suite.value || offer.groups[0] !== group.value) {
      const selection = { version, suite: suite.value, group: group.value };
      const cookie = makeCookie(this.#config.provider, this.#cookieKey, ch.offer, selection);
      this.#retry = { selection, cookie };
      this.#out.push(encodeRecord({ helloRetryRequest: { version, cipherSuite: suite.value, group: group.value, cookie } }));
      return this.go(ev, 'retry', 'wait_hello_retried', ['send_hello_retry_request']);
    }
    return this.#accept(ch, offer, key, version, suite, group, body, now);
  }

  #onSecondHello(ch: ClientHello, body: Uint8Array, now: number): ServerStep {
    const ev = 'client_hello';
    let offer: ClientOffer;
    try {
      offer = decodeClientOffer(ch.offer);
    } catch (e) {
      return this.fail(ev, 'malformed', 'PROTOCOL_VIOLATION', `offer does not decode: ${(e as Error).message}`, e);
    }
    if (offer.pskIdentity !== undefined || offer.earlyData) return this.fail(ev, 'malformed', 'PROTOCOL_VIOLATION', 'a second ClientHello offers a ticket (crypto.resumption.no-ticket-after-retry)');
    const r = this.#retry!;
    const exact = offer.versions.length === 1 && offer.versions[0] === r.selection.version
      && offer.cipherSuites.length === 1 && offer.cipherSuites[0] === r.selection.suite
      && offer.groups.length === 1 && offer.groups[0] === r.selection.group;
    if (!equalBytes(offer.cookie, r.cookie) || !exact) {
      return this.fail(ev, 'downgrade', 'DOWNGRADE_DETECTED', 'the second ClientHello does not echo the cookie and the choice of the HelloRetryRequest');
    }
    const key = this.#staticKey(offer);
    if (!key) return this.fail(ev, 'unknown_server_key', 'BAD_SERVER_KEY', 'the client pinned a server key this server does not hold');
    const suite = this.#suites.find((s) => s.value === r.selection.suite)!;
    const group = this.#groups.find((g) => g.value === r.selection.group)!;
    return this.#accept(ch, offer, key, r.selection.version, suite, group, body, now);
  }

  /** Reads Noise message 1 and, when every check passes, answers with the ServerHello. */
  #accept(ch: ClientHello, offer: ClientOffer, key: StaticKey, version: number, suite: SuiteInfo, group: GroupInfo, body: Uint8Array, now: number): ServerStep {
    const ev = 'client_hello';
    const c = this.#config;
    const prologue = new Uint8Array(PROLOGUE.length + ch.offer.length);
    prologue.set(PROLOGUE);
    prologue.set(ch.offer, PROLOGUE.length);
    const noise = noiseSession({ provider: c.provider, rng: c.rng, suite, group, clientAuth: offer.clientAuth, initiator: false, prologue, staticKey: key.handle });
    this.#noise = noise;
    let payloadBytes: Uint8Array;
    try {
      payloadBytes = noise.readMessage(ch.noise);
    } catch (e) {
      if (e instanceof NoiseError) return this.fail(ev, 'decrypt_failed', 'HANDSHAKE_FAILED', `Noise message 1 rejected: ${e.message}`, e);
      throw e;
    }
    let payload;
    try {
      payload = decodeClientPayload(payloadBytes);
    } catch (e) {
      return this.fail(ev, 'malformed', 'PROTOCOL_VIOLATION', `client payload does not decode: ${(e as Error).message}`, e);
    }
    const peerStatic = noise.remoteStatic();
    if (offer.clientAuth ? !(c.authorizeClient?.(peerStatic!) ?? true) : c.requireClientAuth === true) {
      return this.fail(ev, 'client_refused', 'CONNECTION_REFUSED', offer.clientAuth ? 'the client key is not authorized' : 'this server requires client authentication');
    }
    const params = withDefaults(payload.transportParameters);
    const bad = checkPeerParameters(params, 'client');
    if (bad) return this.fail(ev, 'bad_transport_parameters', 'TRANSPORT_PARAMETER_ERROR', bad);
    // read_client_hello done; the ticket, if offered (accept_ticket / reject_ticket); send_server_hello; the keys; report_established.
    const alpn = (c.alpn ?? []).find((a) => payload.alpn.includes(a)) ?? '';
    const local = withDefaults(c.transportParameters);
    const decision: TicketDecision | undefined = offer.pskIdentity === undefined ? undefined
      : c.tickets ? c.tickets.decide(now, { ticket: offer.pskIdentity, obfuscatedAge: offer.obfuscatedTicketAge, earlyData: offer.earlyData }, { serverKey: key.publicKey, version, suite: suite.value, alpn, transportParameters: local })
      : { accepted: false, reason: 'disabled' };
    const accepted = decision?.accepted === true, early = decision?.accepted === true && decision.earlyData;
    this.#earlyOffered = offer.earlyData;
    const reply = noise.writeMessage(encodeServerPayload({
      version, cipherSuite: suite.value, group: group.value, transportParameters: local,
      alpn, pskAccepted: accepted, earlyDataAccepted: early,
    }));
    this.#out.push(encodeRecord({ serverHello: { noise: reply } }));
    const out = noise.finish();
    this.#peerParameters = params;
    this.#peerStatic = peerStatic;
    this.#alpn = alpn;
    this.#serverKey = key.publicKey;
    this.#ticket = decision;
    if (decision?.accepted !== true) {
      this.#keys = deriveKeys(c.provider, { version, suite, group }, out);
      if (!decision) return this.go(ev, 'ok', 'established', ['read_client_hello', 'send_server_hello', 'install_1rtt_keys', 'report_established']);
      return this.go(ev, 'psk_rejected', 'established', ['read_client_hello', 'reject_ticket', 'send_server_hello', 'install_1rtt_keys', 'report_established']);
    }
    const psk = decision.ticket.resumptionSecret;
    const r = resumedSecrets(c.provider, out.ck, out.h, psk);
    wipe(out.k1, out.k2, out.ck);
    this.#keys = deriveKeys(c.provider, { version, suite, group }, { k1: r.clientSecret, k2: r.serverSecret, ck: r.ck, h: out.h });
    if (!early) return this.go(ev, 'psk_accepted', 'established', ['read_client_hello', 'accept_ticket', 'send_server_hello', 'install_resumed_1rtt_keys', 'report_established']);
    this.#early = { suite, secret: clientEarlySecret(c.provider, psk, body) };
    return this.go(ev, 'early_data_accepted', 'established', ['read_client_hello', 'accept_ticket', 'install_early_keys', 'send_server_hello', 'install_resumed_1rtt_keys', 'report_established']);
  }

  // ── helpers ──

  #firstShared<T extends { value: number }>(offered: readonly number[], supported: readonly T[]): T | undefined {
    for (const v of offered) {
      const s = supported.find((x) => x.value === v);
      if (s) return s;
    }
    return undefined;
  }

  #staticKey(offer: ClientOffer): StaticKey | undefined {
    return this.#statics.byId(offer.serverKeyId);
  }

  protected discard(): void {
    this.#noise?.destroy();
    this.#noise = undefined;
    if (this.#retry) wipe(this.#retry.cookie);
    this.#retry = undefined;
    if (this.#early) wipe(this.#early.secret);
    this.#early = undefined;
  }




}
