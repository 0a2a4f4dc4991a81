/**
 * Drives the hand-written handshake runtime (src/core/handshake) through the events of
 * spec/machines/handshake.yaml with real inputs: each event comes with the guard it is meant to
 * satisfy, and the driver builds an input that does (a genuine ServerHello, a flipped byte, a
 * forged cookie, …). The model-based test, the state-machine vectors test and the TypeScript
 * conformance adapter all use it, so the runtime — not the table — answers.
 *
 * @module
 */
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { ClientHandshake, defaultTransportParameters, drainRecords, ServerHandshake, withDefaults, type Step } from '../../src/core/handshake/index.ts';
import { AntiReplay, clientTicket, ServerTickets, TicketKeys, type ClientTicket } from '../../src/core/tickets/index.ts';
import { noiseSession } from '../../src/core/handshake/noise.ts';
import { seededRng } from '../../src/core/rng.ts';
import { VERSION_1 } from '../../src/gen/constants.ts';
import { GROUPS, PROLOGUE_LABEL, SUITES, type SuiteInfo } from '../../src/gen/crypto.ts';
import { ErrorCode } from '../../src/gen/errors.ts';
import {
  decodeClientOffer, decodeHandshakeMessage, encodeClientOffer, encodeHandshakeMessage, encodeServerPayload,
  type ClientHello, type ClientOffer,
} from '../../src/gen/messages.ts';

const AES = SUITES.find((s) => s.id === 'aes_256_gcm_sha256')!;
const CHACHA = SUITES.find((s) => s.id === 'chacha20_poly1305_sha256')!;
const X25519 = GROUPS.find((g) => g.id === 'x25519')!;
const enc = (m: Parameters<typeof encodeHandshakeMessage>[0]) => encodeHandshakeMessage(m).slice();
const flipLast = (b: Uint8Array) => { const c = b.slice(); c[c.length - 1] ^= 1; return c; };
const otherSuite = (s: SuiteInfo) => (s === AES ? CHACHA : AES);
const prologueOf = (offer: Uint8Array) => {
  const l = new TextEncoder().encode(PROLOGUE_LABEL);
  const o = new Uint8Array(l.length + offer.length);
  o.set(l);
  o.set(offer, l.length);
  return o;
};

/** Keys and randomness shared by the drivers of one run. */
class Keys {
  readonly serverSecret: Uint8Array;
  readonly serverPublic: Uint8Array;
  readonly goodClient: Uint8Array;
  readonly badClient: Uint8Array;
  readonly goodClientPublic: Uint8Array;
  #seq = 0;
  constructor(readonly p: CryptoProvider, readonly seed: string) {
    const k = (label: string) => p.sha256(new TextEncoder().encode(`jsp driver key ${label}`));
    this.serverSecret = k('server');
    this.serverPublic = p.x25519.publicKey(this.serverSecret);
    this.goodClient = k('good client');
    this.badClient = k('bad client');
    this.goodClientPublic = p.x25519.publicKey(this.goodClient);
  }
  rng(): (n: number) => Uint8Array {
    return seededRng(this.p, `${this.seed} ${this.#seq++}`);
  }
  secret(label: string): Uint8Array {
    return this.p.sha256(new TextEncoder().encode(`jsp driver key ${label}`));
  }
}

// ─────────────────────────────── client ───────────────────────────────

/** The client runtime plus what it sent, driven event by event. */
export class ClientDriver {
  #client: ClientHandshake;
  #hello: ClientHello | undefined;
  readonly #k: Keys;

  constructor(p: CryptoProvider, seed = 'driver') {
    this.#k = new Keys(p, seed);
    this.#client = this.#newClient();
  }

  get client(): ClientHandshake { return this.#client; }
  get state(): string { return this.client.state; }

  /** A client; with `early` defined, one resuming with a ticket (0-RTT when `early`). */
  #newClient(early?: boolean): ClientHandshake {
    return new ClientHandshake({
      provider: this.#k.p, rng: this.#k.rng(), serverKey: this.#k.serverPublic,
      suites: ['aes_256_gcm_sha256', 'chacha20_poly1305_sha256'], groups: ['x25519'],
      ...(early === undefined ? {} : { resumption: { ticket: this.#ticket(), nowMs: 1000, earlyData: early } }),
    });
  }

  /** A ticket as a client keeps it (the client never reads the opaque part). */
  #ticket(): ClientTicket {
    return {
      serverKey: this.#k.serverPublic, ticket: this.#k.secret('opaque ticket'), psk: this.#k.secret('psk'), version: VERSION_1, suite: AES.value,
      alpn: '', transportParameters: defaultTransportParameters(), receivedAtMs: 0, lifetimeS: 3600, ageAdd: 7, maxEarlyData: 1000,
    };
  }

  /** Takes the runtime from idle to `state` along the shortest path of genuine events. */
  reach(state: string): this {
    const path: Record<string, [string, string?][]> = {
      idle: [],
      wait_hello: [['connect']],
      wait_hello_retried: [['connect'], ['hello_retry_request', 'ok']],
      wait_hello_resumed: [['resume', 'early_data']],
      established: [['connect'], ['server_hello', 'ok']],
      confirmed: [['connect'], ['server_hello', 'ok'], ['handshake_done']],
      failed: [['connect'], ['peer_close']],
    };
    const steps = path[state];
    if (!steps) throw new RangeError(`client: no path to state '${state}'`);
    for (const [e, g] of steps) this.apply(e, g);
    if (this.state !== state) throw new Error(`client: reached ${this.state}, not ${state}`);
    return this;
  }

  /**
   * Whether a genuine input can satisfy `guard` now: a ServerHello cannot honestly accept 0-RTT
   * data the ClientHello did not offer (that input is the `psk_unoffered` guard's).
   */
  feasible(event: string, guard: string | undefined): boolean {
    return !(event === 'server_hello' && guard === 'early_data_accepted' && !(this.#hello && decodeClientOffer(this.#hello.offer).earlyData));
  }

  /** Applies `event`, with an input built to satisfy `guard` where the event has guards. */
  apply(event: string, guard?: string): Step {
    const c = this.client;
    let step: Step;
    switch (event) {
      case 'connect': step = c.start('connect'); break;
      case 'resume':
        if (c.state === 'idle') this.#client = this.#newClient(guard !== 'psk_only');
        step = this.client.start('resume');
        break;
      case 'bad_record': step = c.handleRecord(Uint8Array.of(0x0a, 0x05, 0x01)); break;
      case 'client_hello': step = c.handleRecord(enc({ clientHello: this.#sideHello() })); break;
      case 'server_hello': step = c.handleRecord(this.#serverHello(guard ?? 'ok')); break;
      case 'hello_retry_request': step = c.handleRecord(this.#retry(guard ?? 'ok')); break;
      case 'handshake_done': step = c.handleHandshakeDone(); break;
      case 'peer_close': step = c.handlePeerClose(ErrorCode.NO_COMMON_SUITE, 'driver'); break;
      default: throw new RangeError(`client: unknown event '${event}'`);
    }
    for (const body of drainRecords(this.client)) this.#hello = decodeHandshakeMessage(body).clientHello;
    return step;
  }

  #sideHello(): ClientHello {
    const other = this.#newClient();
    other.start();
    return decodeHandshakeMessage(drainRecords(other)[0]).clientHello!;
  }

  #serverHello(guard: string): Uint8Array {
    const hello = this.#hello ?? this.#sideHello();
    const offer = decodeClientOffer(hello.offer);
    const suite = SUITES.find((s) => s.value === offer.cipherSuites[0])!;
    const responder = noiseSession({ provider: this.#k.p, rng: this.#k.rng(), suite, group: X25519, clientAuth: false, initiator: false, prologue: prologueOf(hello.offer), staticKey: this.#k.serverSecret });
    responder.readMessage(hello.noise);
    const payload = guard === 'malformed'
      ? Uint8Array.of(0xff, 0xff)
      : encodeServerPayload({
        version: VERSION_1, cipherSuite: guard === 'downgrade' ? otherSuite(suite).value : suite.value, group: X25519.value,
        transportParameters: guard === 'bad_transport_parameters' ? { ...defaultTransportParameters(), maxUdpPayloadSize: 1000 } : undefined,
        alpn: '',
        pskAccepted: guard === 'psk_accepted' || guard === 'early_data_accepted',
        earlyDataAccepted: guard === 'early_data_accepted' || guard === 'psk_unoffered',
      });
    const message = responder.writeMessage(payload);
    responder.destroy();
    return enc({ serverHello: { noise: guard === 'decrypt_failed' ? flipLast(message) : message } });
  }

  #retry(guard: string): Uint8Array {
    const hello = this.#hello ?? this.#sideHello();
    const offer = decodeClientOffer(hello.offer);
    const cookie = new Uint8Array(64);
    cookie.set(this.#k.p.sha256(hello.offer));
    if (guard === 'downgrade') cookie[0] ^= 1;
    const suite = guard === 'not_offered' ? 77 : otherSuite(SUITES.find((s) => s.value === offer.cipherSuites[0])!).value;
    return enc({ helloRetryRequest: { version: VERSION_1, cipherSuite: suite, group: X25519.value, cookie } });
  }
}

// ─────────────────────────────── server ───────────────────────────────

/** The server runtime, driven event by event. It supports only ChaCha20 and X25519, so an offer of AES first needs a retry. */
export class ServerDriver {
  readonly server: ServerHandshake;
  #hrr: Uint8Array | undefined;
  readonly #k: Keys;
  readonly #tickets: ServerTickets;

  constructor(p: CryptoProvider, seed = 'driver') {
    this.#k = new Keys(p, seed);
    const good = this.#k.goodClientPublic;
    this.#tickets = new ServerTickets({ keys: new TicketKeys({ provider: p, rng: this.#k.rng() }, 0), antiReplay: new AntiReplay() });
    this.server = new ServerHandshake({
      provider: p, rng: this.#k.rng(), staticKeys: [this.#k.serverSecret], suites: ['chacha20_poly1305_sha256'], groups: ['x25519'],
      authorizeClient: (key) => key.length === good.length && key.every((b, i) => b === good[i]),
      tickets: this.#tickets,
    });
  }

  /** A genuine ticket of this server (ChaCha20, as the server speaks), issued at time 0. */
  #ticket(): ClientTicket {
    const k = this.#k;
    const resumptionSecret = k.secret(`resumption ${k.rng()(8).join('.')}`);
    const c = { serverKey: k.serverPublic, version: VERSION_1, suite: CHACHA.value, alpn: '', transportParameters: withDefaults(undefined) };
    const frame = this.#tickets.issue(k.p, k.rng(), 0, { ...c, resumptionSecret });
    return clientTicket(k.p, frame, { ...c, resumptionSecret, receivedAtMs: 0 });
  }

  get state(): string { return this.server.state; }

  reach(state: string): this {
    const path: Record<string, [string, string?][]> = {
      idle: [],
      wait_hello_retried: [['client_hello', 'retry']],
      established: [['client_hello', 'ok']],
      confirmed: [['client_hello', 'ok'], ['one_rtt_packet']],
      failed: [['peer_close']],
    };
    const steps = path[state];
    if (!steps) throw new RangeError(`server: no path to state '${state}'`);
    for (const [e, g] of steps) this.apply(e, g);
    if (this.state !== state) throw new Error(`server: reached ${this.state}, not ${state}`);
    return this;
  }

  apply(event: string, guard?: string): Step {
    const s = this.server;
    let step: Step;
    switch (event) {
      case 'bad_record': step = s.handleRecord(Uint8Array.of(0x12, 0x00, 0x0a, 0x00)); break;
      case 'client_hello': step = s.handleRecord(this.#clientHello(guard ?? 'ok')); break;
      case 'server_hello': step = s.handleRecord(this.#anyServerHello()); break;
      case 'hello_retry_request': step = s.handleRecord(enc({ helloRetryRequest: { version: VERSION_1, cipherSuite: 1, group: 1, cookie: new Uint8Array(64) } })); break;
      case 'handshake_done': step = s.handleHandshakeDone(); break;
      case 'one_rtt_packet': step = s.handleOneRttPacket(); break;
      case 'peer_close': step = s.handlePeerClose(ErrorCode.INTERNAL_ERROR, 'driver'); break;
      default: throw new RangeError(`server: unknown event '${event}'`);
    }
    const out = drainRecords(s);
    if (step.actions.includes('send_hello_retry_request')) this.#hrr = out[0];
    return step;
  }

  /** A client for a ClientHello guard; retry clients offer AES first and authenticate with the good key. */
  #client(guard: string, retrying: boolean): ClientHandshake {
    const k = this.#k;
    return new ClientHandshake({
      provider: k.p, rng: k.rng(),
      serverKey: guard === 'unknown_server_key' && !retrying ? k.p.x25519.publicKey(k.secret('elsewhere')) : k.serverPublic,
      suites: guard === 'retry' || retrying ? ['aes_256_gcm_sha256', 'chacha20_poly1305_sha256'] : guard === 'no_common_suite' ? ['aes_256_gcm_sha256'] : ['chacha20_poly1305_sha256'],
      groups: ['x25519'],
      clientKey: guard === 'client_refused' ? k.badClient : retrying || guard === 'retry' ? k.goodClient : undefined,
      transportParameters: guard === 'bad_transport_parameters' ? { statelessResetToken: new Uint8Array(16) } : undefined,
      ...(guard === 'psk_rejected' || guard === 'psk_accepted' || guard === 'early_data_accepted' ? {
        resumption: { ticket: this.#resumptionTicket(guard), nowMs: 500, earlyData: guard === 'early_data_accepted' },
      } : {}),
    });
  }

  #resumptionTicket(guard: string): ClientTicket {
    const t = this.#ticket();
    return guard === 'psk_rejected' ? { ...t, ticket: flipLast(t.ticket) } : t;
  }

  #clientHello(guard: string): Uint8Array {
    const retrying = this.server.state === 'wait_hello_retried' && this.#hrr !== undefined;
    const c = this.#client(guard, retrying);
    c.start();
    let hello = decodeHandshakeMessage(drainRecords(c)[0]).clientHello!;
    if (retrying) {
      c.handleRecord(this.#hrr!);
      hello = decodeHandshakeMessage(drainRecords(c)[0]).clientHello!;
    }
    const reencode = (f: (o: ClientOffer) => ClientOffer): ClientHello => ({ offer: encodeClientOffer(f(decodeClientOffer(hello.offer))).slice(), noise: hello.noise });
    switch (guard) {
      case 'malformed': hello = { offer: Uint8Array.of(0xff), noise: hello.noise }; break;
      case 'no_common_version': hello = reencode((o) => ({ ...o, versions: [7] })); break;
      case 'decrypt_failed': hello = { offer: hello.offer, noise: flipLast(hello.noise) }; break;
      case 'downgrade': hello = reencode((o) => { const cookie = o.cookie.slice(); cookie[40] ^= 1; return { ...o, cookie }; }); break;
      case 'unknown_server_key': if (retrying) hello = reencode((o) => ({ ...o, serverKeyId: new Uint8Array(8) })); break;
    }
    return enc({ clientHello: hello });
  }

  #anyServerHello(): Uint8Array {
    const other = new ServerDriver(this.#k.p, `${this.#k.seed}/side`);
    const c = other.#client('ok', false);
    c.start();
    other.server.handleRecord(drainRecords(c)[0]);
    return drainRecords(other.server)[0];
  }
}

/** A driver for machine `client` or `server` of spec/machines/handshake.yaml. */
export function handshakeDriver(machine: string, p: CryptoProvider, seed?: string): ClientDriver | ServerDriver {
  if (machine === 'client') return new ClientDriver(p, seed);
  if (machine === 'server') return new ServerDriver(p, seed);
  throw new RangeError(`no handshake machine '${machine}'`);
}
