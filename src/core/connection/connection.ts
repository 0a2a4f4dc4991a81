/**
 * One JSP connection, sans-IO (DESIGN.md: quinn-proto / h11 style): `handleDatagram(now, from,
 * bytes)`, `pollTransmit(now)`, `pollTimeout()`, `handleTimeout(now)`, `pollEvent()`. Time is an
 * argument, randomness comes from the injected `rng`, crypto from the injected provider.
 *
 * - **Handshake** (spec/machines/handshake.yaml) in HANDSHAKE frames of Initial packets under the
 *   Initial keys; then 1-RTT packets under the handshake's keys with key phases. The client's
 *   first 1-RTT packet confirms the server, the server's HANDSHAKE_DONE confirms the client, and
 *   each side discards the Initial space when it is confirmed.
 * - **Recovery** (`src/core/recovery`, RFC 9002): ReceivedPackets per space (`spaces.ts`: ACK
 *   ranges, ack delay, max_ack_delay), one {@link LossRecovery} for the path (loss by packet and
 *   time threshold, PTO with probes, persistent congestion, NewReno). What loss recovery reports
 *   lost is sent again — HANDSHAKE data, HANDSHAKE_DONE, stream data and control frames.
 * - **Sending** (`sender.ts`): datagrams assembled at `pollTransmit`, gated by the congestion
 *   window and the pacer (probes excepted) and the anti-amplification limit (`amplification.ts`).
 * - **Streams** (`streams.ts`): the stream API, frames and flow control over `src/core/streams`.
 * - **Liveness and shutdown** (spec/machines/connection.yaml, `close.ts`): PING/PONG, the idle
 *   timeout (at least 3 PTO), CONNECTION_CLOSE — transport or application — with the closing
 *   period (the close is repeated, backing off, to packets that still arrive) and the draining
 *   period, each 3 PTO long, and the graceful {@link Connection.shutdown} that lets every stream
 *   finish first. Each lifecycle transition is a row of the table ({@link Connection.lifecycleObserver}).
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { DEFAULT_ACK_DELAY_EXPONENT, DEFAULT_MAX_ACK_DELAY, VERSION_1, VERSION_NEGOTIATION } from '../../gen/constants.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';
import { decodeFrames, type Frame } from '../../gen/frames.ts';
import type { TransportParameters } from '../../gen/messages.ts';
import {
  ClientHandshake, RecordReader, ServerHandshake, wipeKeys,
  type ClientHandshakeConfig, type HandshakeKeys, type ServerHandshakeConfig, type Step,
} from '../handshake/index.ts';
import { initialKeys, KeyPhases, unprotect, type PacketKeys } from '../protection/index.ts';
import { LossRecovery, type CongestionControllerFactory, type LossRecoveryOptions, type SentPacket } from '../recovery/index.ts';
import { AmplificationLimit } from './amplification.ts';
import { FramePlan, sealInitial, sealShort } from './assembler.ts';
import { acceptRetry, checkServerConnectionIds } from './retry-packet.ts';
import { judgeVersionNegotiation } from './version.ts';
import { HandshakeStreamReceiver, HandshakeStreamSender } from './handshake-stream.ts';
import { CID_LENGTH, splitDatagram, type SplitPacket } from './headers.ts';
import { concat, MAX_DATAGRAM, MIN_INITIAL_DATAGRAM, Sender } from './sender.ts';
import { PathMtu, type PmtuState } from './pmtu.ts';
import { allowedAt, isAckEliciting, recoverySpace, Space, type Level, type SentItem } from './spaces.ts';
import {
  CLOSE_ACTIONS, DRAIN_ACTIONS, DRAINED_CLOSE_ACTIONS, checkClose, checkShutdown, closeFrames, noErrorClose, peerClose, transportClose,
  type CloseInfo, type CloseOptions, type LifecycleStep, type ShutdownOptions,
} from './close.ts';
import type { LifecycleAction, LifecycleEvent, LifecycleGuard, LifecycleState } from '../../gen/machine-connection.ts';
import { ClientEarlyData, earlyPeerParameters, ServerEarlyData, zeroRttPnOffset, type ClientSession, type ResumptionEvent } from './early-data.ts';
import { clientTicket } from '../tickets/index.ts';
import { ConnectionStreams, isStreamFrame, localTransportParameters, type StreamConfig, type StreamEvent, type StreamRead, type StreamStats } from './streams.ts';
import type { TraceSink } from './trace.ts';

/** A peer address, opaque to the core (e.g. '127.0.0.1:4433'). */
export type Address = string;
/** A datagram to send. */
export interface Transmit { to: Address; data: Uint8Array }

/** What a connection tells its owner. */
export type ConnectionEvent =
  | { type: 'connected'; keys: HandshakeKeys; alpn: string }
  | { type: 'confirmed' }
  | { type: 'pong'; sequence: number; rttMs: number }
  /**
   * The connection closed, by this side (`remote` false) or the peer: an application close
   * (`application`, with the application's error code) or a transport one (a transport error
   * code: NO_ERROR for none, IDLE_TIMEOUT after an idle timeout), the reason, and for a transport
   * error its typed `error`.
   */
  | { type: 'closed'; remote: boolean; application: boolean; code: number; reason: string; error?: TransportError }
  /** A {@link Connection.shutdown} found every stream done; the close with NO_ERROR follows at once. */
  | { type: 'drained' }
  | ResumptionEvent
  | StreamEvent;

/**
 * The connection's lifecycle (spec/machines/connection.yaml): `handshaking` until the 1-RTT keys
 * are installed, `established`, `shutting_down` while a {@link Connection.shutdown} waits for the
 * streams, then `closing` (after a local close: CONNECTION_CLOSE sent) or `draining` (after the
 * peer's), each 3 PTO long, and `closed` (nothing more to do; an idle timeout goes straight there).
 */
export type ConnectionState = LifecycleState;
export type { CloseOptions, LifecycleStep, ShutdownOptions };

export { MIN_INITIAL_DATAGRAM };

/** Most payload bytes of handshake data in one HANDSHAKE frame (it fits an Initial of a 1200-byte datagram). */
const HANDSHAKE_CHUNK = 1100;
/** Consecutive PTOs above the base datagram size after which the path counts as a black hole (pmtu.ts). */
const BLACK_HOLE_PTOS = 2;
/** The closing and draining periods, in PTOs (RFC 9000 §10.2). */
const CLOSE_PTOS = 3;

/** Options shared by clients and servers. */
export interface ConnectionOptions {
  provider: CryptoProvider;
  rng: (n: number) => Uint8Array;
  /** Idle timeout of this side in ms (0: none); the connection uses the minimum of both sides' non-zero values. */
  idleTimeoutMs?: number;
  /**
   * Keep-alive: send a PING after this many ms without sending an ack-eliciting packet or
   * receiving one (0: none). Announced as keep_alive_interval_ms. Keep it below the idle timeout.
   */
  keepAliveMs?: number;
  /** The congestion controller (default NewReno). */
  congestion?: CongestionControllerFactory;
  /** Local stream configuration: window maxima for auto-tuning, send buffer. */
  streams?: StreamConfig;
  /** Loss-detection thresholds (default RFC 9002's kPacketThreshold 3 and kTimeThreshold 9/8, adapted on spurious losses). */
  recovery?: Pick<LossRecoveryOptions, 'packetThreshold' | 'timeThreshold' | 'adaptiveReordering'>;
  /** An observer of packets sent, received and lost (qlog, logs; see trace.ts). */
  trace?: TraceSink;
  /**
   * The largest UDP payload this side would send (default 1200: no path MTU discovery). Above
   * 1200, path MTU discovery (pmtu.ts) searches up to it — and the peer's max_udp_payload_size —
   * once the handshake is confirmed, e.g. 1452 on the internet, 65507 on loopback.
   */
  maxDatagramSize?: number;
}

/** The sans-IO connection. Create it with {@link Connection.client} or through an Endpoint (server). */
export class Connection {
  readonly role: 'client' | 'server';
  readonly #p: CryptoProvider;
  readonly #handshake: ClientHandshake | ServerHandshake;
  #remote: Address;
  readonly localCid: Uint8Array;
  #remoteCid: Uint8Array;
  /** The DCID of the client's first Initial: the Initial keys come from it (until a Retry). */
  readonly originalDcid: Uint8Array;
  /** Client: the Retry it accepted (its SCID is the DCID since, its token goes in every Initial). */
  #retry: { scid: Uint8Array; token: Uint8Array } | undefined;
  #initial: { send: PacketKeys; recv: PacketKeys } | undefined;
  #oneRtt: KeyPhases | undefined;
  readonly #local: TransportParameters;
  readonly #streamConfig: StreamConfig | undefined;
  #streams: ConnectionStreams | undefined;
  readonly #spaces: Record<Level, Space> = {
    initial: new Space('initial', 0, DEFAULT_ACK_DELAY_EXPONENT),
    app: new Space('app', DEFAULT_MAX_ACK_DELAY, DEFAULT_ACK_DELAY_EXPONENT),
  };
  readonly #recovery: LossRecovery<SentItem>;
  readonly #amp: AmplificationLimit;
  readonly #sender: Sender;
  /** Path MTU discovery, when maxDatagramSize allows more than 1200 bytes. */
  readonly #pmtu: PathMtu | undefined;
  #mtuInUse = MAX_DATAGRAM;
  readonly #hsRecv = new HandshakeStreamReceiver();
  readonly #records = new RecordReader();
  readonly #hsSend = new HandshakeStreamSender();
  #handshakeDoneAcked = false;
  readonly #events: ConnectionEvent[] = [];
  #state: ConnectionState = 'handshaking';
  #idleTimeoutMs: number;
  #idleAt: number | undefined;
  readonly #keepAliveMs: number;
  #keepAliveAt: number | undefined;
  /** An ack-eliciting packet was sent since the last packet received (the idle timer restarts on the first). */
  #elicitedSinceReceive = false;
  /** Client, established, not confirmed: when to probe with a 1-RTT packet (see {@link #armConfirmProbe}). */
  #confirmProbeAt: number | undefined;
  #confirmProbe = false;
  #confirmProbeCount = 0;
  /** The datagram with our CONNECTION_CLOSE (closing period), and whether it is due. */
  #closeDatagram: Uint8Array | undefined;
  #closePending = false;
  #closeEnd: number | undefined;
  #closingReceived = 0;
  /** A shutdown waiting for the streams: when it gives up, and the close it then makes. */
  #shutdown: { at: number; close: CloseInfo } | undefined;
  /** A shutdown asked for while 0-RTT streams held data (`defer_shutdown`): taken again at `established`. */
  #deferredShutdown: { at: number; close: CloseInfo } | undefined;
  #earlyOutcome: 'none' | 'accepted' | 'rejected' = 'none';
  /** Told of every lifecycle transition (a row of spec/machines/connection.yaml) as it is taken: for tests and qlog. */
  lifecycleObserver: ((step: LifecycleStep) => void) | undefined;
  #pingSeq = 0;
  readonly #pingSent = new Map<number, number>();
  /** 0-RTT state (early-data.ts): the client's send side until the ServerHello, the server's receive side until confirmation. */
  #early: ClientEarlyData | ServerEarlyData | undefined;
  /** The client's resumption options (its ticket store). */
  #session: ClientSession | undefined;
  readonly #rng: (n: number) => Uint8Array;
  readonly #trace: TraceSink | undefined;
  /** Every handshake step taken, in order (for tests and qlog). */
  readonly steps: Step[] = [];

  private constructor(role: 'client' | 'server', o: ConnectionOptions, handshake: ClientHandshake | ServerHandshake, local: TransportParameters, remote: Address, localCid: Uint8Array, remoteCid: Uint8Array, originalDcid: Uint8Array, now: number) {
    this.role = role;
    this.#local = local;
    this.#streamConfig = o.streams;
    this.#p = o.provider;
    this.#rng = o.rng;
    this.#handshake = handshake;
    this.#remote = remote;
    this.localCid = localCid;
    this.#remoteCid = remoteCid;
    this.originalDcid = originalDcid;
    const keys = initialKeys(o.provider, originalDcid);
    this.#initial = role === 'client' ? { send: keys.client, recv: keys.server } : { send: keys.server, recv: keys.client };
    this.#idleTimeoutMs = o.idleTimeoutMs ?? 0;
    this.#keepAliveMs = o.keepAliveMs ?? 0;
    this.#trace = o.trace;
    this.#recovery = new LossRecovery<SentItem>(now, { ...o.recovery, isServer: role === 'server', maxDatagramSize: MAX_DATAGRAM, congestion: o.congestion });
    this.#amp = new AmplificationLimit(role === 'client');
    this.#pmtu = (o.maxDatagramSize ?? MAX_DATAGRAM) > MAX_DATAGRAM ? new PathMtu({ maxDatagram: o.maxDatagramSize }) : undefined;
    this.#sender = new Sender(now, {
      role, recovery: this.#recovery, spaces: this.#spaces, amp: this.#amp, localCid, pmtu: this.#pmtu,
      initialKeys: () => this.#initial?.send,
      initialToken: () => this.#retry?.token,
      oneRtt: () => this.#oneRtt,
      earlyKeys: () => (this.#early instanceof ClientEarlyData ? this.#early.keys : undefined),
      remoteCid: () => this.#remoteCid,
      streams: () => this.#streams,
      confirmProbe: () => this.#confirmProbe,
      nextPingSequence: () => this.#pingSeq++,
      onElicitingSent: (t, level) => this.#onElicitingSent(t, level),
      trace: o.trace && ((e) => o.trace!(e, this)),
    });
    // The idle timer runs from the start: a connection that never gets a packet it can open (a
    // server made for a forged or undecryptable first Initial, a client whose server is gone)
    // still ends, instead of waiting forever with no timer armed.
    this.#restartIdle(now);
  }

  /** A client connection to `remote`; its first flight is ready for `pollTransmit` at once. */
  static client(o: ConnectionOptions & { remote: Address; handshake: Omit<ClientHandshakeConfig, 'provider' | 'rng'>; session?: ClientSession }, now: number): Connection {
    const dcid = o.rng(CID_LENGTH), scid = o.rng(CID_LENGTH);
    const tp = localTransportParameters(o.handshake.transportParameters, { maxIdleTimeoutMs: o.idleTimeoutMs ?? 0, keepAliveIntervalMs: o.keepAliveMs ?? 0, initialSourceConnectionId: scid });
    // A session resumes with its ticket, or the newest usable one of its store (crypto.ticket.client-store).
    const nowMs = (o.session?.epochMs ?? 0) + now;
    const ticket = o.handshake.resumption?.ticket ?? o.session?.ticket ?? o.session?.store?.take(o.handshake.serverKey, nowMs);
    const resumption = o.handshake.resumption ?? (ticket && { ticket, nowMs, earlyData: o.session?.earlyData ?? true });
    const hs = new ClientHandshake({ ...o.handshake, provider: o.provider, rng: o.rng, transportParameters: tp, resumption });
    const c = new Connection('client', o, hs, tp, o.remote, scid, dcid, dcid, now);
    c.#session = o.session;
    c.#step(hs.start());
    if (hs.earlyKeys && ticket) { // 0-RTT: streams within the remembered limits, capped at max_early_data
      c.#early = new ClientEarlyData(o.provider, hs.earlyKeys, ticket.maxEarlyData);
      c.#streams = c.#makeStreams(earlyPeerParameters(ticket));
    }
    c.#afterHandshakeStep(now);
    return c;
  }

  /** A server connection for a client's first Initial (the Endpoint calls this). */
  /**
   * A server connection for a client's first Initial (the Endpoint calls this). `originalDcid` is
   * that Initial's DCID (the Initial keys come from it); after a Retry, `retry` names the client's
   * very first DCID and the Retry's SCID, for the transport parameters (protocol.retry.transport-parameters),
   * and the token has validated the client's address.
   */
  static server(o: ConnectionOptions & { remote: Address; handshake: Omit<ServerHandshakeConfig, 'provider' | 'rng'>; clientScid: Uint8Array; originalDcid: Uint8Array; retry?: { originalDcid: Uint8Array; sourceCid: Uint8Array } }, now: number): Connection {
    const scid = o.rng(CID_LENGTH);
    const tp = localTransportParameters(o.handshake.transportParameters, {
      maxIdleTimeoutMs: o.idleTimeoutMs ?? 0, keepAliveIntervalMs: o.keepAliveMs ?? 0, initialSourceConnectionId: scid,
      originalDestinationConnectionId: o.retry?.originalDcid ?? o.originalDcid, retrySourceConnectionId: o.retry?.sourceCid,
    });
    const hs = new ServerHandshake({ ...o.handshake, provider: o.provider, rng: o.rng, transportParameters: tp });
    const c = new Connection('server', o, hs, tp, o.remote, scid, o.clientScid.slice(), o.originalDcid.slice(), now);
    if (o.retry) c.#amp.validate(); // the Retry token proved the address (RFC 9000 §8.1.2)
    return c;
  }

  /** The handshake state (spec/machines/handshake.yaml). */
  get handshakeState(): string { return this.#handshake.state; }
  /** The lifecycle state. */
  get state(): ConnectionState { return this.#state; }
  /**
   * 0-RTT. At a client: `pending` while streams opened and written now go in 0-RTT (the ticket
   * allows early data and the ServerHello has not come), then `accepted` or `rejected`. At a
   * server, once established: `accepted` when it takes the client's 0-RTT data, `rejected` when
   * the client offered 0-RTT and it declined. `none` without an offer of 0-RTT. A client whose
   * connection ended before the ServerHello answered reports `rejected`.
   */
  get earlyData(): 'none' | 'pending' | 'accepted' | 'rejected' {
    if (this.#early instanceof ClientEarlyData) return this.#state === 'handshaking' ? 'pending' : 'rejected';
    return this.#earlyOutcome;
  }
  /** Whether the handshake resumed a session from a ticket (known once established). */
  get resumed(): boolean { return this.#handshake.resumed; }
  /** Closed for the application: closing, draining or closed. */
  get isClosed(): boolean { return this.#state === 'closing' || this.#state === 'draining' || this.#state === 'closed'; }
  /** Nothing left to do: the owner may forget the connection. */
  get isTerminated(): boolean { return this.#state === 'closed'; }
  get remote(): Address { return this.#remote; }
  /** Bytes of the peer's handshake data received in order (an endpoint forgets a new connection that has none). */
  get handshakeReceived(): number { return this.#hsRecv.offset; }
  /** Loss recovery of the path (read-only use: RTT, window, bytes in flight). */
  get recovery(): LossRecovery<SentItem> { return this.#recovery; }
  /** Bytes received from and sent to the peer (the anti-amplification counters), and whether its address is validated. */
  get amplification(): { received: number; sent: number; validated: boolean } {
    return { received: this.#amp.received, sent: this.#amp.sent, validated: this.#amp.validated };
  }

  /** The next event, if any. */
  pollEvent(): ConnectionEvent | undefined { return this.#events.shift(); }

  /** Sends a PING with a sequence; the PONG gives an RTT sample (a `pong` event). */
  ping(now: number): number {
    const sequence = this.#pingSeq++;
    this.#pingSent.set(sequence, now);
    this.#spaces[this.#oneRtt ? 'app' : 'initial'].queue.push({ frame: { type: 'ping', sequence } });
    return sequence;
  }

  /**
   * Closes now; the peer is told in a CONNECTION_CLOSE. The application's form,
   * `close(now, { code, reason, application })`, makes an application close (type 0x1d, an
   * application error code) unless `application: false`. The older form `close(now, code, reason)`
   * makes a transport close (type 0x1c, a transport error code, NO_ERROR by default).
   * Nothing happens once the connection is closing, draining or closed.
   */
  close(now: number, options: CloseOptions): void;
  close(now: number, code?: number, reason?: string): void;
  close(now: number, a: CloseOptions | number = ErrorCode.NO_ERROR, reason = ''): void {
    const info = typeof a === 'object' ? checkClose('close', a) : checkClose('close', { code: a, reason, application: false });
    if (this.#state === 'closed') return;
    if (this.isClosed) this.#go('local_close', undefined, this.#state, NO_ACTIONS);
    else this.#closeLocally(now, 'local_close', undefined, info);
  }

  /**
   * A graceful shutdown: no stream can be opened any more, streams the peer opens are refused
   * (STOP_SENDING / RESET_STREAM with `code`), every sending part is finished (later writes
   * throw), and the connection works on until every stream is done — all it wrote, with the FIN,
   * acknowledged, all the peer wrote read to the end. Then a `drained` event, and a transport
   * close with NO_ERROR. If `timeoutMs` passes first, it closes with `code` (an application
   * close unless `application: false`). With no stream open it closes at once. Nothing happens
   * once the connection is shutting down, closing, draining or closed.
   */
  shutdown(now: number, options: ShutdownOptions): void {
    const { timeoutMs, close } = checkShutdown(options);
    if (this.#state === 'closed') return;
    if (this.#state !== 'handshaking' && this.#state !== 'established') {
      this.#go('shutdown', undefined, this.#state, NO_ACTIONS);
      return;
    }
    if (this.#streams === undefined || this.#streams.drained) {
      this.#closeLocally(now, 'shutdown', 'drained', noErrorClose(close.reason));
      return;
    }
    if (this.#state === 'handshaking') { // 0-RTT streams hold data: drain them once the handshake completes
      this.#go('shutdown', 'busy', 'handshaking', DEFER_SHUTDOWN);
      this.#deferredShutdown ??= { at: now + timeoutMs, close };
      return;
    }
    this.#startShutdown(now, now + timeoutMs, close);
  }

  #startShutdown(now: number, at: number, close: CloseInfo): void {
    this.#go('shutdown', 'busy', 'shutting_down', SHUTDOWN_ACTIONS);
    this.#streams!.shutdown(close.code);
    this.#shutdown = { at, close };
    this.#checkDrained(now);
  }

  // ─────────────────────────────── streams ───────────────────────────────

  /**
   * Opens a stream (bidirectional or unidirectional): its id, or undefined while the peer's
   * stream limit holds it back (STREAMS_BLOCKED is sent; a `streams_available` event follows).
   * Streams open once the connection is established, or before, in 0-RTT, at a client whose
   * ticket allows early data (lifecycle `app_open_stream [early_data]`); otherwise a RangeError.
   */
  openStream(bidi: boolean): number | undefined {
    if (this.#state === 'handshaking' && this.#early instanceof ClientEarlyData) { // 0-RTT (early-data.ts)
      this.#go('app_open_stream', 'early_data', 'handshaking', OPEN_STREAM);
      return this.#streams!.open(bidi);
    }
    if (this.#state !== 'established') {
      if (this.#state !== 'closed') this.#go('app_open_stream', this.#state === 'handshaking' ? 'no_early_data' : undefined, this.#state, REFUSE_APP);
      throw new RangeError(this.#state === 'handshaking' ? 'openStream: no streams before the handshake has completed' : `openStream: the connection is ${this.#state}`);
    }
    this.#go('app_open_stream', undefined, 'established', OPEN_STREAM);
    return this.#streams!.open(bidi);
  }
  /** Writes to a stream; returns the bytes taken (fewer when its send buffer is full: `stream_writable` follows). */
  write(id: number, data: Uint8Array): number {
    if (this.#state === 'shutting_down') throw new RangeError(`write: the connection is shutting down: stream ${id} was finished`);
    return this.#s('write').write(id, data);
  }
  /** Ends a stream's sending part (FIN after what was written). */
  finish(id: number): void { this.#s('finish').finish(id); }
  /** Resets a stream's sending part with an application error code. */
  reset(id: number, code: number): void { this.#s('reset').reset(id, code); }
  /** Asks the peer to stop sending on a stream, with an application error code. */
  stopSending(id: number, code: number): void { this.#s('stopSending').stopSending(id, code); }
  /**
   * Reads up to `max` bytes of a stream (`fin` when it ended, `resetCode` when the peer reset it).
   * What arrived before the connection closed stays readable after it closed.
   */
  read(id: number, max: number = Number.MAX_SAFE_INTEGER): StreamRead { return this.#s('read', true).read(id, max); }
  /** Sets a stream's urgency, 0 (most urgent) … 7 (default 3); streams of one urgency share round-robin. */
  setUrgency(id: number, urgency: number): void { this.#s('setUrgency').setUrgency(id, urgency); }
  /** Receive-side counters of the streams (buffered bytes, windows, limits), for tests and qlog. */
  streamStats(): StreamStats | undefined { return this.#streams?.stats(); }

  #s(op: string, afterClose = false): ConnectionStreams {
    if (this.isClosed && !afterClose) throw new RangeError(`${op}: the connection is ${this.#state}`);
    if (!this.#streams) throw new RangeError(`${op}: no streams before the handshake has completed`);
    return this.#streams;
  }

  // ─────────────────────────────── timers ───────────────────────────────

  /** When {@link handleTimeout} must next be called (absolute ms), if ever. */
  pollTimeout(): number | undefined {
    if (this.#state === 'closed') return undefined;
    if (this.#state === 'closing' || this.#state === 'draining') return this.#closeEnd;
    let t = min(this.#recovery.timeout(), this.#idleAt);
    t = min(t, this.#keepAliveAt);
    t = min(t, this.#oneRtt?.pollTimeout());
    t = min(t, this.#confirmProbeAt);
    t = min(t, this.#sender.pacerWake);
    t = min(t, this.#shutdown?.at);
    if (!this.#sender.amplificationLimited) {
      if (this.#initial) t = min(t, this.#spaces.initial.received.ackDeadline);
      if (this.#oneRtt) t = min(t, this.#spaces.app.received.ackDeadline);
    }
    return t;
  }

  handleTimeout(now: number): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'closing' || this.#state === 'draining') {
      if (this.#closeEnd !== undefined && now >= this.#closeEnd) {
        this.#go('close_timer_expired', undefined, 'closed', RELEASE);
        this.#terminate();
      }
      return;
    }
    if (this.#idleAt !== undefined && now >= this.#idleAt) {
      // RFC 9000 §10.1 (machines.connection.idle-silent): an idle timeout closes silently.
      this.#go('idle_timeout', undefined, 'closed', REPORT_RELEASE);
      this.#reportClosed(transportClose(TransportError.of(ErrorCode.IDLE_TIMEOUT, `no packet for ${this.#idleTimeoutMs} ms`)), false);
      this.#terminate();
      return;
    }
    if (this.#shutdown && now >= this.#shutdown.at) {
      this.#closeLocally(now, 'shutdown_timeout', undefined, this.#shutdown.close);
      return;
    }
    this.#oneRtt?.handleTimeout(now);
    this.#sender.onTimeout(now);
    if (this.#keepAliveAt !== undefined && now >= this.#keepAliveAt) {
      this.#keepAliveAt = undefined; // sending the PING arms it again
      this.#spaces.app.queue.push({ frame: { type: 'ping', sequence: this.#pingSeq++ } });
    }
    if (this.#confirmProbeAt !== undefined && now >= this.#confirmProbeAt) {
      this.#confirmProbeAt = undefined;
      this.#confirmProbe = true;
      this.#confirmProbeCount++;
    }
    const rt = this.#recovery.timeout();
    if (rt !== undefined && now >= rt) {
      const out = this.#recovery.onTimeout(now);
      if (out?.kind === 'loss') {
        this.#onLost(out.lost);
        this.#mtuLost(now, out.lost, out.persistentCongestion);
        if (this.#trace) this.#traceLost(now, out.space === 'initial' ? 'initial' : 'app', out.lost, 'timer');
      }
      else if (out?.kind === 'pto' && out.space === 'initial') this.#requeueHandshakeInFlight();
      else if (out?.kind === 'pto' && this.#recovery.ptoCount >= BLACK_HOLE_PTOS) this.#mtuBlackHole(now);
    }
    this.#checkDrained(now);
  }

  // ─────────────────────────────── receiving ───────────────────────────────

  handleDatagram(now: number, from: Address, data: Uint8Array): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'draining') {
      this.#go('packet_received', undefined, 'draining', DISCARD); // machines.connection.draining
      return;
    }
    this.#amp.onReceived(data.length);
    if (this.#state === 'closing') {
      // RFC 9000 §10.2.1 (machines.connection.closing): answer what still arrives with the CONNECTION_CLOSE, less and less often.
      this.#go('packet_received', undefined, 'closing', REPEAT_CLOSE);
      this.#closingReceived++;
      if ((this.#closingReceived & (this.#closingReceived - 1)) === 0) this.#closePending = true;
      return;
    }
    this.#go('packet_received', undefined, this.#state, PROCESS);
    for (const pkt of splitDatagram(data)) {
      if (this.isClosed) break;
      this.#handlePacket(now, from, pkt);
    }
    this.#sender.updateAmplification(now);
    this.#checkDrained(now);
  }

  #handlePacket(now: number, from: Address, pkt: SplitPacket): void {
    if (pkt.form === 'long-other') { // 0-RTT (early-data.ts); no Handshake packets in JSP
      if (pkt.type === 1 && this.role === 'server') this.#onZeroRtt(now, pkt.packet);
      if (this.role === 'client' && pkt.type === 3) this.#onRetry(now, pkt.packet);
      else if (this.role === 'client' && pkt.version === VERSION_NEGOTIATION) this.#onVersionNegotiation(pkt.packet);
      return;
    }
    let level: Level, payload: Uint8Array, pn: number, keyPhase: number | undefined;
    if (pkt.form === 'initial') {
      if (!this.#initial || pkt.version !== VERSION_1) return;
      const opened = unprotect(this.#initial.recv, pkt.packet, pkt.pnOffset, this.#spaces.initial.received.largest);
      if (!opened) return; // does not authenticate: discard (RFC 9001 §5.5)
      if (this.role === 'client' && !equal(pkt.scid, this.#remoteCid)) this.#remoteCid = pkt.scid.slice(); // the server's chosen CID
      // An Initial to the CID this server chose proves the client read the server's reply (amplification.ts).
      if (this.role === 'server' && equal(pkt.dcid, this.localCid)) this.#amp.validate();
      level = 'initial';
      payload = opened.payload;
      pn = opened.packetNumber;
    } else {
      if (!this.#oneRtt) return;
      let r;
      try {
        r = this.#oneRtt.open(now, pkt.packet, pkt.pnOffset);
      } catch (e) {
        this.#fatal(now, e as TransportError); // key update violation or AEAD integrity limit
        return;
      }
      if (!r.ok) return;
      this.#amp.validate(); // 1-RTT keys prove the client read the server's reply
      level = 'app';
      payload = r.payload;
      pn = r.packetNumber;
      keyPhase = r.generation;
    }
    let frames: Frame[];
    try {
      frames = decodeFrames(payload);
    } catch (e) {
      this.#fatal(now, TransportError.fromDecodeError(e as never));
      return;
    }
    if (frames.length === 0) { // frames.payload.non-empty
      this.#fatal(now, TransportError.of(ErrorCode.PROTOCOL_VIOLATION, 'a packet with no frames'));
      return;
    }
    const space = this.#spaces[level];
    if (space.received.onPacketReceived(now, pn, frames.some(isAckEliciting)) !== 'new') return;
    this.#trace?.({ type: 'packet_received', now, level, packetNumber: pn, bytes: pkt.packet.length, frames, keyPhase }, this);
    this.#remote = from;
    this.#elicitedSinceReceive = false;
    this.#restartIdle(now);
    this.#armKeepAlive(now);
    if (level === 'app' && this.role === 'server' && this.#handshake.state === 'established') {
      const step = (this.#handshake as ServerHandshake).handleOneRttPacket();
      this.#step(step);
      if (step.next === 'confirmed') this.#onConfirmed(now);
    }
    for (const f of frames) {
      if (this.isClosed) return;
      if (!allowedAt(level, f)) {
        this.#fatal(now, TransportError.of(ErrorCode.PROTOCOL_VIOLATION, `${f.type.toUpperCase()} frame in an Initial packet`));
        return;
      }
      this.#handleFrame(now, level, f);
    }
  }

  /**
   * protocol.retry.client (RFC 9000 §17.2.5.2): before any other packet from the server, one Retry
   * whose tag verifies for our original DCID switches the DCID and the Initial keys to its SCID;
   * loss recovery starts over and the first flight goes again, with the token in every Initial.
   */
  #onRetry(now: number, packet: Uint8Array): void {
    if (this.#retry || !this.#initial || this.#spaces.initial.received.largest !== undefined) return;
    const r = acceptRetry(this.#p, packet, { originalDcid: this.originalDcid, localCid: this.localCid });
    if (!r.ok) return;
    this.#retry = { scid: r.scid, token: r.token };
    this.#remoteCid = r.scid;
    const keys = initialKeys(this.#p, r.scid);
    this.#initial = { send: keys.client, recv: keys.server };
    for (const p of this.#recovery.onRetry(now)) {
      for (const item of p.frames) if (item.kind === 'handshake') this.#hsSend.requeue(item.frame, this.#spaces.initial.queue);
    }
  }

  /**
   * RFC 9000 §6.2 (packets.version.unknown, protocol.versions.negotiation): before any other packet
   * from the server, a Version Negotiation that does not list our version abandons the attempt
   * with VERSION_MISMATCH naming the server's versions (nothing is sent: the server does not
   * speak ours). Any other is discarded.
   */
  #onVersionNegotiation(packet: Uint8Array): void {
    if (this.#spaces.initial.received.largest !== undefined) return;
    const v = judgeVersionNegotiation(packet, { chosen: VERSION_1, localCid: this.localCid, sentDcid: this.#retry?.scid ?? this.originalDcid });
    if (v.kind === 'ignore') return;
    this.#go('version_negotiation', undefined, 'closed', REPORT_RELEASE);
    this.#reportClosed(transportClose(v.error), true);
    this.#terminate();
  }

  #handleFrame(now: number, level: Level, f: Frame): void {
    switch (f.type) {
      case 'padding': return;
      case 'ack': this.#onAck(now, level, f); return;
      case 'ping': this.#spaces[level].queue.push({ frame: { type: 'pong', sequence: f.sequence } }); return;
      case 'pong': {
        const sent = this.#pingSent.get(f.sequence);
        if (sent !== undefined) { this.#pingSent.delete(f.sequence); this.#events.push({ type: 'pong', sequence: f.sequence, rttMs: now - sent }); }
        return;
      }
      case 'handshake': {
        let bodies: Uint8Array[];
        try {
          bodies = this.#records.push(this.#hsRecv.push(f.offset, f.data));
        } catch (e) {
          this.#fatal(now, e as TransportError);
          return;
        }
        for (const b of bodies) {
          this.#step(this.#handshake.handleRecord(b, now));
          if (this.#afterHandshakeStep(now)) return;
        }
        return;
      }
      case 'new_session_ticket':
        if (this.role === 'server') this.#fatal(now, TransportError.of(ErrorCode.PROTOCOL_VIOLATION, 'a client sent NEW_SESSION_TICKET')); // frames.new-session-ticket.server-only
        else this.#onTicket(now, f);
        return;
      case 'handshake_done': {
        if (this.role === 'server') { this.#fatal(now, TransportError.of(ErrorCode.PROTOCOL_VIOLATION, 'a client sent HANDSHAKE_DONE')); return; }
        const step = (this.#handshake as ClientHandshake).handleHandshakeDone();
        this.#step(step);
        if (step.next === 'confirmed' && step.state !== 'confirmed') this.#onConfirmed(now);
        return;
      }
      case 'connection_close': {
        if (!this.#handshake.done) this.#step(this.#handshake.handlePeerClose(f.errorCode, f.reason?.message ?? ''));
        this.#drain(now, peerClose(f));
        return;
      }
      default:
        if (isStreamFrame(f)) {
          try {
            this.#streams!.onFrame(f); // 1-RTT only (allowedAt), so the streams exist
          } catch (e) {
            if (!(e instanceof TransportError)) throw e;
            this.#fatal(now, e); // flow control, final size, stream limit or state
          }
        }
        // Connection IDs, tickets, datagrams and the rest arrive with later issues; until then a
        // frame the connection cannot act on is ignored rather than misread.
        return;
    }
  }

  #onAck(now: number, level: Level, f: Extract<Frame, { type: 'ack' }>): void {
    let out;
    try {
      out = this.#recovery.onAckReceived(now, recoverySpace(level), f);
    } catch (e) {
      this.#fatal(now, e as TransportError); // a range below 0, or a packet never sent
      return;
    }
    for (const p of out.newlyAcked) {
      if (level === 'app') this.#oneRtt?.onPacketAcked(p.packetNumber);
      if (level === 'app' && this.#pmtu?.isProbe(p.packetNumber)) this.#mtuProbeAcked(now, p.packetNumber);
      for (const item of p.frames) this.#onItemAcked(level, item);
    }
    this.#onLost(out.lost);
    this.#mtuLost(now, out.lost, out.persistentCongestion);
    if (this.#trace) this.#traceLost(now, level, out.lost, 'ack');
    if (out.rttSampled) this.#oneRtt?.setPreviousKeyRetention(CLOSE_PTOS * this.#recovery.ptoPeriod());
  }

  #onItemAcked(level: Level, item: SentItem): void {
    switch (item.kind) {
      case 'ack': this.#spaces[level].received.onAckFrameAcked(item.largest); return;
      case 'handshake': this.#hsSend.onAcked(item.frame); return;
      case 'handshake_done': this.#handshakeDoneAcked = true; return;
      default: this.#streams?.onAcked(item); return;
    }
  }

  /** Packets declared lost: what they carried that still matters is queued again. */
  #onLost(lost: readonly SentPacket<SentItem>[]): void {
    for (const p of lost) {
      for (const item of p.frames) {
        switch (item.kind) {
          case 'handshake': if (this.#initial) this.#hsSend.requeue(item.frame, this.#spaces.initial.queue); break;
          case 'handshake_done':
            if (!this.#handshakeDoneAcked) this.#spaces.app.queue.push({ frame: { type: 'handshake_done' }, item });
            break;
          case 'ack': break;
          case 'ticket': this.#spaces.app.queue.push({ frame: item.frame, item }); break;
          default: this.#streams?.onLost(item); break;
        }
      }
    }
  }

  #traceLost(now: number, level: Level, lost: readonly SentPacket<SentItem>[], trigger: 'ack' | 'timer'): void {
    for (const p of lost) this.#trace!({ type: 'packet_lost', now, level, packetNumber: p.packetNumber, bytes: p.bytes, trigger }, this);
  }

  /** An Initial PTO: the probes carry the handshake data still in flight (RFC 9002 §6.2.4), not just a PING. */
  #requeueHandshakeInFlight(): void {
    for (const p of this.#recovery.outstanding('initial')) {
      for (const item of p.frames) if (item.kind === 'handshake') this.#hsSend.requeue(item.frame, this.#spaces.initial.queue);
    }
  }

  /** After a handshake step: send what it produced, install keys, or fail. True when the connection ended. */
  #afterHandshakeStep(now: number): boolean {
    const hs = this.#handshake;
    for (let r = hs.pollOutput(); r !== undefined; r = hs.pollOutput()) this.#hsSend.queue(r, HANDSHAKE_CHUNK, this.#spaces.initial.queue);
    if (hs.state === 'failed') {
      const e = hs.error!;
      if (e.remote) this.#drain(now, transportClose(e));
      else this.#closeLocally(now, 'handshake_failed', undefined, transportClose(e));
      return true;
    }
    if (hs.state === 'established' && !this.#oneRtt) {
      const keys = hs.keys!;
      const client = this.role === 'client';
      const cids = client ? checkServerConnectionIds(hs.peerTransportParameters!, { originalDcid: this.originalDcid, retryScid: this.#retry?.scid, serverScid: this.#remoteCid }) : undefined;
      if (cids) { this.#fatal(now, TransportError.of(ErrorCode.TRANSPORT_PARAMETER_ERROR, cids)); return true; }
      this.#oneRtt = new KeyPhases({
        provider: this.#p, suite: keys.suite,
        sendSecret: client ? keys.clientSecret : keys.serverSecret,
        receiveSecret: client ? keys.serverSecret : keys.clientSecret,
        previousKeyRetention: CLOSE_PTOS * this.#recovery.ptoPeriod(),
      });
      const peer = hs.peerTransportParameters!;
      if (peer.maxIdleTimeoutMs > 0) this.#idleTimeoutMs = this.#idleTimeoutMs > 0 ? Math.min(this.#idleTimeoutMs, peer.maxIdleTimeoutMs) : peer.maxIdleTimeoutMs;
      this.#restartIdle(now);
      this.#recovery.setPeerAckParameters({ maxAckDelay: peer.maxAckDelayMs, ackDelayExponent: peer.ackDelayExponent });
      this.#go('handshake_complete', undefined, 'established', COMPLETE);
      this.#streams ??= this.#makeStreams(peer); // after 0-RTT, #afterEarly brings the streams to the handshake's limits
      this.#events.push({ type: 'connected', keys, alpn: hs.alpn });
      this.#afterEarly(now, peer);
      const deferred = this.#deferredShutdown;
      if (deferred) { // defer_shutdown: taken again with the time left
        this.#deferredShutdown = undefined;
        if (this.#streams.drained) this.#closeLocally(now, 'shutdown', 'drained', noErrorClose(deferred.close.reason));
        else this.#startShutdown(now, Math.max(now, deferred.at), deferred.close);
      }
      // The client's first 1-RTT packet confirms its keys to the server.
      if (client) this.#spaces.app.queue.push({ frame: { type: 'ping', sequence: this.#pingSeq++ } });
    }
    return false;
  }

  // ─────────────────────────────── path MTU ───────────────────────────────

  /** Path MTU discovery (pmtu.ts): the datagram size in use, where the search stands, and its counters. */
  get pathMtu(): { current: number; state: PmtuState; probesSent: number; probesAcked: number; probesLost: number; blackHoles: number } {
    const m = this.#pmtu;
    return m ? { current: m.current, state: m.state, ...m.stats } : { current: MAX_DATAGRAM, state: 'disabled', probesSent: 0, probesAcked: 0, probesLost: 0, blackHoles: 0 };
  }

  #mtuProbeAcked(now: number, packetNumber: number): void {
    this.#pmtu!.onProbeAcked(now, packetNumber);
    this.#applyMtu();
  }

  /** Lost probes lower the search's ceiling; persistent congestion above the base size is a black hole. */
  #mtuLost(now: number, lost: readonly SentPacket<SentItem>[], persistentCongestion: boolean): void {
    const m = this.#pmtu;
    if (!m) return;
    for (const p of lost) if (m.isProbe(p.packetNumber)) m.onProbeLost(now, p.packetNumber);
    if (persistentCongestion) m.onBlackHole(now);
    this.#applyMtu();
  }

  /**
   * Consecutive PTOs with nothing acknowledged while sending above 1200 bytes: the path may have
   * shrunk (a black hole). Nothing is lost-and-acknowledged to declare persistent congestion by,
   * so fall back now; the next probes go at 1200 and the search starts over.
   */
  #mtuBlackHole(now: number): void {
    const m = this.#pmtu;
    if (!m || m.current === m.base) return;
    m.onBlackHole(now);
    this.#applyMtu();
  }

  #applyMtu(): void {
    const size = this.#pmtu!.current;
    if (size === this.#mtuInUse) return;
    this.#mtuInUse = size;
    this.#recovery.setMaxDatagramSize(size);
    this.#sender.onMaxDatagramChanged(size);
  }

  #makeStreams(peer: TransportParameters): ConnectionStreams {
    return new ConnectionStreams({
      role: this.role, local: this.#local, peer, config: this.#streamConfig, emit: (e) => this.#events.push(e),
      onPeerStream: (_id, refused) => this.#go('peer_stream_opened', undefined, this.#state, refused ? REFUSE_STREAM : ACCEPT_STREAM),
    });
  }

  // ─────────────────────────────── 0-RTT and tickets (early-data.ts) ───────────────────────────────

  /**
   * At `established`: a client learns whether its 0-RTT data was accepted — if not, every 0-RTT
   * packet is forgotten without a congestion signal and what it carried is sent again in 1-RTT
   * (crypto.early-data.resend); a server that accepted 0-RTT installs the early receive keys.
   */
  #afterEarly(now: number, peer: TransportParameters): void {
    const hs = this.#handshake;
    if (hs instanceof ServerHandshake) {
      const d = hs.ticketDecision;
      if (hs.earlyKeys && d?.accepted) this.#early = new ServerEarlyData(this.#p, hs.earlyKeys, d.ticket.maxEarlyData);
      if (hs.earlyDataOffered) this.#earlyOutcome = this.#early ? 'accepted' : 'rejected';
      return;
    }
    const early = this.#early;
    if (!(early instanceof ClientEarlyData)) return;
    this.#early = undefined;
    const sent = this.#recovery.outstanding('application');
    const bytes = sent.reduce((n, p) => n + p.frames.reduce((m, i) => m + (i.kind === 'stream' && i.frame.type === 'stream' ? i.frame.length : 0), 0), 0);
    this.#earlyOutcome = hs.earlyDataAccepted ? 'accepted' : 'rejected';
    if (hs.earlyDataAccepted) {
      this.#streams!.updatePeer(peer); // the remembered limits give way to the handshake's, which a server accepting 0-RTT did not lower
      this.#events.push({ type: 'early_data_accepted', bytes });
    } else {
      // Every 0-RTT packet is forgotten without a congestion signal; its control frames are queued
      // again, and the streams are rewound to send their bytes as new data under the handshake's limits.
      this.#onLost(this.#recovery.removePackets(now, 'application', () => true));
      this.#streams!.earlyRejected(peer);
      this.#events.push({ type: 'early_data_rejected', bytes });
    }
    early.keys.wipeAll();
  }

  /** A 0-RTT packet at a server: opened under the early keys when 0-RTT was accepted, dropped otherwise. */
  #onZeroRtt(now: number, packet: Uint8Array): void {
    const early = this.#early;
    if (!(early instanceof ServerEarlyData) || !this.#oneRtt) return; // not accepted (crypto.ticket.reject-fallback), or ahead of its ClientHello
    const pnOffset = zeroRttPnOffset(packet);
    if (pnOffset === undefined) return;
    const opened = unprotect(early.keys, packet, pnOffset, this.#spaces.app.received.largest);
    if (!opened) return;
    let frames: Frame[];
    try {
      frames = decodeFrames(opened.payload);
    } catch (e) {
      this.#fatal(now, TransportError.fromDecodeError(e as never));
      return;
    }
    if (frames.length === 0) { this.#fatal(now, TransportError.of(ErrorCode.PROTOCOL_VIOLATION, 'a packet with no frames')); return; }
    if (this.#spaces.app.received.onPacketReceived(now, opened.packetNumber, frames.some(isAckEliciting)) !== 'new') return;
    const bad = early.check(frames); // crypto.early-data.frames, max_early_data
    if (bad) { this.#fatal(now, bad); return; }
    this.#restartIdle(now);
    for (const f of frames) {
      if (this.isClosed) return;
      this.#handleFrame(now, 'app', f);
    }
  }

  /** A server, confirmed: NEW_SESSION_TICKET frames for the client, when tickets are configured. */
  #issueTickets(now: number): void {
    const hs = this.#handshake as ServerHandshake;
    const t = hs.tickets, keys = hs.keys;
    if (!t || !keys || !hs.serverKey) return;
    for (let i = 0; i < t.ticketsPerConnection; i++) {
      const frame = t.issue(this.#p, this.#rng, now, {
        serverKey: hs.serverKey, version: keys.version, suite: keys.suite.value, alpn: hs.alpn, transportParameters: this.#local, resumptionSecret: keys.resumptionSecret,
      });
      this.#spaces.app.queue.push({ frame, item: { kind: 'ticket', frame } });
    }
  }

  /** A client got NEW_SESSION_TICKET: what it keeps of it goes to the store and to the application. */
  #onTicket(now: number, f: Extract<Frame, { type: 'new_session_ticket' }>): void {
    const hs = this.#handshake as ClientHandshake;
    const keys = hs.keys;
    if (!keys || !hs.peerTransportParameters) return;
    const ticket = clientTicket(this.#p, f, {
      serverKey: hs.serverKey, resumptionSecret: keys.resumptionSecret, version: keys.version, suite: keys.suite.value,
      alpn: hs.alpn, transportParameters: hs.peerTransportParameters, receivedAtMs: (this.#session?.epochMs ?? 0) + now,
    });
    this.#session?.store?.put(ticket);
    this.#events.push({ type: 'ticket', ticket });
  }

  #onConfirmed(now: number): void {
    if (this.#early instanceof ServerEarlyData) { this.#early.keys.wipeAll(); this.#early = undefined; } // RFC 9001 §4.9.3
    this.#pmtu?.start(this.#handshake.peerTransportParameters!.maxUdpPayloadSize);
    this.#oneRtt?.confirmHandshake();
    this.#recovery.onHandshakeConfirmed(now);
    // discard_handshake_state: the Initial keys and what was in flight under them (RFC 9002 §6.4).
    this.#recovery.discardSpace(now, 'initial');
    this.#initial = undefined;
    this.#spaces.initial.queue.length = 0;
    this.#hsSend.clear();
    this.#confirmProbeAt = undefined;
    this.#confirmProbe = false;
    if (this.role === 'server') this.#spaces.app.queue.push({ frame: { type: 'handshake_done' }, item: { kind: 'handshake_done' } });
    if (this.role === 'server') this.#issueTickets(now); // after HANDSHAKE_DONE: the client is confirmed first
    this.#events.push({ type: 'confirmed' });
  }

  // ─────────────────────────────── sending ───────────────────────────────

  /** The next datagram to send at `now`, if any: assembled now, within the window, the pacer and the amplification limit. */
  pollTransmit(now: number): Transmit | undefined {
    if (this.#state === 'closing') {
      const data = this.#closeDatagram;
      if (!this.#closePending || !data || data.length > this.#amp.allowance) return undefined;
      this.#closePending = false;
      this.#amp.onSent(data.length);
      return { to: this.#remote, data };
    }
    if (this.#state === 'shutting_down') {
      this.#checkDrained(now); // an application call may have finished the last stream
      if (this.isClosed) return this.pollTransmit(now); // the close goes out
    }
    if (this.isClosed) return undefined;
    let data;
    try {
      data = this.#sender.poll(now);
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      this.#fatal(now, e); // the AEAD confidentiality limit, with no key update possible
      return this.pollTransmit(now);
    }
    return data && { to: this.#remote, data };
  }

  /** An ack-eliciting packet went out: the idle timer restarts on the first since a packet arrived (RFC 9000 §10.1). */
  #onElicitingSent(now: number, level: Level): void {
    if (!this.#elicitedSinceReceive) this.#restartIdle(now);
    this.#elicitedSinceReceive = true;
    if (level === 'app') {
      this.#confirmProbe = false;
      this.#armConfirmProbe(now);
      this.#armKeepAlive(now);
    }
  }

  #armKeepAlive(now: number): void {
    if (this.#keepAliveMs > 0 && this.#oneRtt && !this.isClosed) this.#keepAliveAt = now + this.#keepAliveMs;
  }

  /**
   * RFC 9002 §6.2.1 arms no application PTO before the handshake is confirmed, and JSP has no
   * Handshake space to carry the client's last flight: its first 1-RTT packet is what confirms
   * the server. So until HANDSHAKE_DONE arrives, a client that sent 1-RTT packets and has no
   * loss-detection timer armed probes with another one after a PTO (backing off), the way the
   * anti-deadlock timer of §6.2.2.1 probes when nothing is in flight.
   */
  #armConfirmProbe(now: number): void {
    if (this.role !== 'client' || this.#handshake.state === 'confirmed' || this.#state !== 'established') return;
    this.#confirmProbeAt = now + this.#recovery.ptoPeriod('initial') * 2 ** Math.min(this.#confirmProbeCount, 16);
  }

  #restartIdle(now: number): void {
    // RFC 9000 §10.1: never shorter than three PTOs, so probes get their chance.
    if (this.#idleTimeoutMs > 0) this.#idleAt = now + Math.max(this.#idleTimeoutMs, CLOSE_PTOS * this.#recovery.ptoPeriod());
  }

  #step(s: Step): void {
    this.steps.push(s);
  }

  // ─────────────────────────────── closing ───────────────────────────────

  /**
   * A row of spec/machines/connection.yaml is taken: the state moves to `next` and the observer
   * (if any) hears of the step. The caller runs the row's actions.
   */
  #go(event: LifecycleEvent, guard: LifecycleGuard | undefined, next: LifecycleState, actions: readonly LifecycleAction[]): void {
    const state = this.#state;
    this.#state = next;
    const o = this.lifecycleObserver;
    if (o) o(guard === undefined ? { state, event, next, actions } : { state, event, guard, next, actions });
  }

  /**
   * A local close (`event`: the application's close, a shutdown, or an error): the datagram with
   * our CONNECTION_CLOSE is made once — in a 1-RTT packet, and before confirmation in an Initial
   * packet too, as the peer may not have 1-RTT keys yet — and sent again as it is in the closing
   * period (RFC 9000 §10.2.1 allows this one repeated packet number); the keys are dropped at once.
   */
  #closeLocally(now: number, event: LifecycleEvent, guard: LifecycleGuard | undefined, close: CloseInfo): void {
    if (this.isClosed) return;
    const drained = event === 'shutdown' || event === 'streams_drained';
    this.#go(event, guard, 'closing', drained ? DRAINED_CLOSE_ACTIONS : CLOSE_ACTIONS);
    if (drained) this.#events.push({ type: 'drained' });
    const frames = closeFrames(close);
    const plan = new FramePlan(MAX_DATAGRAM);
    plan.add(frames.oneRtt);
    const app = this.#oneRtt ? sealShort({ keys: this.#oneRtt, dcid: this.#remoteCid, pn: this.#spaces.app.nextPn++, largestAcked: this.#recovery.largestAcked('application'), plan }) : undefined;
    const parts = app ? [app] : [];
    if (this.#initial && this.#handshake.state !== 'confirmed') {
      const padTo = this.role === 'client' ? MIN_INITIAL_DATAGRAM - (app?.length ?? 0) : undefined;
      const initialPlan = frames.initial === frames.oneRtt ? plan : new FramePlan(MAX_DATAGRAM);
      if (initialPlan !== plan) initialPlan.add(frames.initial);
      parts.unshift(sealInitial({ keys: this.#initial.send, dcid: this.#remoteCid, scid: this.localCid, token: this.#retry?.token, pn: this.#spaces.initial.nextPn++, largestAcked: this.#recovery.largestAcked('initial'), plan: initialPlan, padTo }));
    }
    this.#closeDatagram = parts.length === 2 ? concat(parts[0], parts[1]) : parts[0];
    this.#closePending = true;
    this.#enterClosed(now, close, false);
  }

  /** An error this endpoint found: it closes with the error's code. */
  #fatal(now: number, e: TransportError): void {
    this.#closeLocally(now, 'protocol_error', undefined, transportClose(e));
  }

  /** The peer closed: the draining period, sending nothing. */
  #drain(now: number, close: CloseInfo): void {
    if (this.isClosed) return;
    this.#go('peer_close', undefined, 'draining', DRAIN_ACTIONS);
    this.#enterClosed(now, close, true);
  }

  /** Shutting down and every stream done: the close with NO_ERROR. */
  #checkDrained(now: number): void {
    if (this.#state === 'shutting_down' && this.#streams!.drained) this.#closeLocally(now, 'streams_drained', undefined, noErrorClose(this.#shutdown!.close.reason));
  }

  #reportClosed(close: CloseInfo, remote: boolean): void {
    const { application, code, reason, error } = close;
    this.#events.push(error ? { type: 'closed', remote, application, code, reason, error } : { type: 'closed', remote, application, code, reason });
  }

  /** report_closed, drop_keys, start_close_timer (and send_close before, for a local close). */
  #enterClosed(now: number, close: CloseInfo, remote: boolean): void {
    this.#reportClosed(close, remote);
    this.#oneRtt?.wipe();
    this.#initial = undefined;
    this.#closeEnd = now + CLOSE_PTOS * this.#recovery.ptoPeriod();
    this.#idleAt = this.#confirmProbeAt = this.#keepAliveAt = this.#shutdown = undefined;
    this.#sender.stop();
  }

  /** release: the handshake's secrets, the keys and the close datagram are gone; no timer is left. */
  #terminate(): void {
    const keys = this.#handshake.keys;
    if (keys) wipeKeys(keys); // the handshake's secrets end with the connection
    this.#idleAt = this.#confirmProbeAt = this.#closeEnd = this.#keepAliveAt = undefined;
    this.#closeDatagram = undefined;
    this.#oneRtt?.wipe();
    this.#initial = undefined;
  }
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// The actions of the lifecycle rows (spec/machines/connection.yaml) other than the closing ones (close.ts).
const NO_ACTIONS: readonly LifecycleAction[] = [];
const COMPLETE: readonly LifecycleAction[] = ['start_streams', 'report_connected'];
const PROCESS: readonly LifecycleAction[] = ['process_packet'];
const REPEAT_CLOSE: readonly LifecycleAction[] = ['repeat_close'];
const DISCARD: readonly LifecycleAction[] = ['discard_packet'];
const OPEN_STREAM: readonly LifecycleAction[] = ['open_stream'];
const REFUSE_APP: readonly LifecycleAction[] = ['refuse_app'];
const ACCEPT_STREAM: readonly LifecycleAction[] = ['accept_stream'];
const REFUSE_STREAM: readonly LifecycleAction[] = ['refuse_stream'];
const SHUTDOWN_ACTIONS: readonly LifecycleAction[] = ['finish_streams', 'start_shutdown_timer'];
const DEFER_SHUTDOWN: readonly LifecycleAction[] = ['defer_shutdown'];
const RELEASE: readonly LifecycleAction[] = ['release'];
const REPORT_RELEASE: readonly LifecycleAction[] = ['report_closed', 'release'];
