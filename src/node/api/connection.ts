/**
 * A JSP connection for applications: streams to open and accept, a heartbeat, a graceful close,
 * events. Made by `connect()` (client) or handed out by a server (`'connection'`).
 *
 * Every call acts on the sans-IO core at once and lets the UDP driver send what it produced in
 * its next pump; every wait (`openStream` on a full stream limit, `acceptStream`, `ping`,
 * `close`) takes an AbortSignal and ends when the connection closes.
 *
 * **Resumption and 0-RTT** (docs/resumption.md): a client connection emits `'session'` with
 * each session ticket the server sends; `resumed` tells whether the handshake resumed one. A
 * client made with `connect({ session, earlyData: true })` may be handed over while its
 * handshake is still running (`earlyData === 'pending'`): streams opened and written then carry
 * 0-RTT data. {@link JspConnection.handshakeComplete} settles when the handshake completes or
 * fails, and `'earlyData'` tells whether the server accepted the 0-RTT data — if not, the same
 * bytes were sent again in 1-RTT packets, so nothing is lost either way. A handshake that fails
 * after such an early hand-over ends the connection as any close does: `'error'` (when listened
 * to) and `'close'`, its streams destroyed with a {@link JspConnectionClosedError}, and
 * `handshakeComplete` rejected with the {@link JspConnectError} (never an unhandled rejection).
 *
 * @module
 */
import { EventEmitter } from 'node:events';
import type { Connection, ConnectionEvent } from '../../core/connection/index.ts';
import type { SuiteId, GroupId } from '../../core/handshake/index.ts';
import type { ClientTicket } from '../../core/tickets/index.ts';
import { ErrorCode, type TransportError } from '../../gen/errors.ts';
import { parseAddress, type UdpDriver } from '../udp-driver.ts';
import { JspConnectError, JspConnectionClosedError, JspError, JspTimeoutError, onAbort, throwIfAborted } from './errors.ts';
import type { ConnectionObserver, KeyUpdate } from './observe.ts';
import { JspStream, type JspStreamOptions, type StreamHost } from './stream.ts';

/** How a connection ended (the `'close'` event and {@link JspConnection.closed}). */
export interface JspCloseInfo {
  /** Whether the peer closed it (CONNECTION_CLOSE received) rather than this side. */
  readonly remote: boolean;
  /** The reason given with the close. */
  readonly reason: string;
  /** An application close (`close({ code })` with a code other than 0, on either side), rather than a transport one. */
  readonly application: boolean;
  /** The application error code of an application close; the transport error code otherwise (0: no error). */
  readonly code: number;
  /** The protocol error of a transport close other than NO_ERROR (IDLE_TIMEOUT for an idle timeout). */
  readonly error: TransportError | undefined;
}

/** A snapshot of a connection's path and counters. */
export interface JspConnectionStats {
  /** smoothed_rtt, min_rtt, latest_rtt and rttvar in ms (RFC 9002). */
  readonly rttMs: number;
  readonly minRttMs: number;
  readonly latestRttMs: number;
  readonly rttVarMs: number;
  /** The congestion window and the bytes in flight. */
  readonly congestionWindow: number;
  readonly bytesInFlight: number;
  /** Packets and their bytes (headers and AEAD tags included). */
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Streams open here, and the bytes the core holds for them: received and unread, written and unacknowledged. */
  readonly streams: number;
  readonly recvBuffered: number;
  readonly sendBuffered: number;
}

/** What the handshake settled. */
export interface JspHandshakeInfo {
  readonly suite: SuiteId;
  readonly group: GroupId;
  /** The application protocol agreed ('' when none). */
  readonly alpn: string;
}

/**
 * What became of a connection's 0-RTT data ({@link JspConnection.earlyData}):
 * - `none`: no 0-RTT (no ticket, the ticket allows none, `earlyData` not asked for; on a server:
 *   the client offered none);
 * - `pending`: a client whose handshake is still running sends what is written in 0-RTT;
 * - `accepted`: the server took the 0-RTT data (on a server: it accepted 0-RTT);
 * - `rejected`: the server refused it (the bytes went again in 1-RTT), or the handshake failed
 *   before it answered (on a server: the client offered 0-RTT and it declined — a replay, a
 *   stale ticket age, lowered limits, `maxEarlyData: 0`, or a ticket it could not use).
 */
export type JspEarlyDataState = 'none' | 'pending' | 'accepted' | 'rejected';

/** The server's answer to a client's 0-RTT data (the `'earlyData'` event). */
export interface JspEarlyDataInfo {
  /** Whether the server accepted the 0-RTT data. */
  readonly accepted: boolean;
  /** Bytes of STREAM data sent in 0-RTT: arrived a round trip early, or (rejected) sent again in 1-RTT. */
  readonly bytes: number;
}

/** Events of a {@link JspConnection}. */
export interface JspConnectionEvents {
  /** A stream the peer opened (when nobody waits in `acceptStream()`). */
  stream: [stream: JspStream];
  /** The connection closed (last event). */
  close: [info: JspCloseInfo];
  /** The connection closed with an error (emitted only when listened to, before `'close'`). */
  error: [error: JspConnectionClosedError];
  /** A 1-RTT key update, by either side. */
  keyupdate: [update: KeyUpdate];
  /**
   * A client got a session ticket from the server (as Node TLS's `'session'`): pass it later as
   * `connect({ session: ticket })`, or keep it with `serializeTicket`. It is also put in the
   * `TicketStore` given as `session`, if any. Tickets hold a secret: store them like a key.
   */
  session: [ticket: ClientTicket];
  /** A client's 0-RTT data was accepted or rejected by the server (when the handshake completed). */
  earlyData: [info: JspEarlyDataInfo];
}

/** Options of {@link JspConnection.openStream}. */
export interface OpenStreamOptions extends JspStreamOptions {
  /** Bidirectional (default) or unidirectional. */
  readonly bidi?: boolean;
  /** Gives up waiting for the peer's stream limit. */
  readonly signal?: AbortSignal;
}

/** Options of {@link JspConnection.close}. */
export interface CloseOptions {
  /**
   * The application error code sent in CONNECTION_CLOSE (default 0: a clean close, transport
   * NO_ERROR; any other code makes an application close).
   */
  readonly code?: number;
  /** The reason sent with it (at most 200 bytes are sent). */
  readonly reason?: string;
  /**
   * Drain first (default: when `code` is 0): end every stream's writing side and wait until all
   * that was written is acknowledged (or `timeoutMs` passed), then close.
   */
  readonly drain?: boolean;
  /** The longest a drain waits (default 10,000 ms). */
  readonly timeoutMs?: number;
  /** Gives up the drain (the close itself still happens). */
  readonly signal?: AbortSignal;
}

interface Waiter<T> { resolve(v: T): void; reject(e: Error): void }

/** @internal What a connection needs from whoever made it. */
export interface ConnectionContext {
  readonly driver: UdpDriver;
  readonly observer: ConnectionObserver;
  readonly streamOptions: JspStreamOptions;
  /** The connection terminated (nothing more to send): release what it held. */
  terminated(conn: JspConnection): void;
  /** The connection closed for the application (its closing or draining period may follow). */
  closed?(conn: JspConnection): void;
}

/** One JSP connection (see the module comment). */
export class JspConnection extends EventEmitter<JspConnectionEvents> implements StreamHost {
  /** @internal */
  readonly core: Connection;
  readonly #ctx: ConnectionContext;
  readonly #streams = new Map<number, JspStream>();
  readonly #incoming: JspStream[] = [];
  readonly #acceptWaiters: Waiter<JspStream>[] = [];
  readonly #openWaiters: Waiter<void>[] = [];
  readonly #pings = new Map<number, Waiter<number>>();
  #handshake: JspHandshakeInfo | undefined;
  #confirmed = false;
  readonly #handshakeComplete: Promise<JspHandshakeInfo>;
  #settleHandshake: ((e?: Error) => void) | undefined;
  #closedInfo: JspCloseInfo | undefined;
  #closedError: JspConnectionClosedError | undefined;
  #closing: Promise<void> | undefined;
  #draining = false;
  #drainDone: (() => void) | undefined;
  readonly #closed: Promise<JspCloseInfo>;
  #resolveClosed!: (i: JspCloseInfo) => void;
  /** @internal Hooks for `connect` and the server. */
  onConnected: (() => void) | undefined;
  /** @internal */
  onConfirmed: (() => void) | undefined;
  /** @internal */
  onClosed: ((info: JspCloseInfo, error: JspConnectionClosedError) => void) | undefined;

  /** @internal made by `connect` or a server */
  constructor(core: Connection, ctx: ConnectionContext) {
    super();
    this.core = core;
    this.#ctx = ctx;
    this.#closed = new Promise((r) => { this.#resolveClosed = r; });
    this.#handshakeComplete = new Promise<JspHandshakeInfo>((resolve, reject) => {
      this.#settleHandshake = (e) => {
        this.#settleHandshake = undefined;
        if (e) reject(e); else resolve(this.#handshake!);
      };
    });
    this.#handshakeComplete.catch(() => {}); // observed or not, a failed handshake is never an unhandled rejection
    ctx.observer.onKeyUpdate = (u) => this.emit('keyupdate', u);
    ctx.driver.attach(core, (e) => this.#onEvent(e), () => this.#onTerminated());
    (this as EventEmitter).on('newListener', (name: string | symbol) => {
      if (name === 'stream' && this.#incoming.length > 0) setImmediate(() => this.#flushIncoming());
    });
  }

  // ───────────────────────────── properties ─────────────────────────────

  /** `client` or `server`: which side of the connection this is. */
  get role(): 'client' | 'server' { return this.core.role; }
  /** The peer's address (the last one a packet came from). */
  get remoteAddress(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    const { host, port } = parseAddress(this.core.remote);
    return { address: host, port, family: host.includes(':') ? 'IPv6' : 'IPv4' };
  }
  /** This side's socket address. */
  get localAddress(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    const { host, port } = parseAddress(this.#ctx.driver.address);
    return { address: host, port, family: host.includes(':') ? 'IPv6' : 'IPv4' };
  }
  /** Suite, group and ALPN, once the handshake completed. */
  get handshake(): JspHandshakeInfo | undefined { return this.#handshake; }
  /** Whether the handshake is confirmed (both sides know the other has the keys). */
  get confirmed(): boolean { return this.#confirmed; }
  /**
   * Resolves with suite, group and ALPN when the handshake completes; rejects with the
   * {@link JspConnectError} (or {@link JspTimeoutError}, `AbortError`) of a handshake that
   * failed. Already resolved for a connection `connect()` handed over after its handshake and for
   * every server connection; useful after `connect({ session, earlyData: true })`, which may hand
   * the connection over first. Never an unhandled rejection when nobody awaits it.
   */
  get handshakeComplete(): Promise<JspHandshakeInfo> { return this.#handshakeComplete; }
  /** Whether the handshake resumed a session from a ticket (false until it completed). */
  get resumed(): boolean { return this.core.resumed; }
  /**
   * What became of the 0-RTT data (see {@link JspEarlyDataState}). 0-RTT data can be replayed by
   * an attacker (docs/resumption.md): put only idempotent requests in it.
   */
  get earlyData(): JspEarlyDataState { return this.core.earlyData; }
  /** How the connection ended, once it did. */
  get closeInfo(): JspCloseInfo | undefined { return this.#closedInfo; }
  /** Resolves when the connection closes (never rejects). */
  get closed(): Promise<JspCloseInfo> { return this.#closed; }
  /** The qlog trace file, when one is written (`QLOGDIR` or the `qlogDir` option). */
  get qlogPath(): string | undefined { return this.#ctx.observer.qlogPath; }

  /** A snapshot of RTT, window, counters and stream buffers. */
  get stats(): JspConnectionStats {
    const r = this.core.recovery;
    const c = this.#ctx.observer.counters;
    const s = this.core.streamStats();
    return {
      rttMs: r.rtt.smoothed, minRttMs: r.rtt.min, latestRttMs: r.rtt.latest, rttVarMs: r.rtt.rttvar,
      congestionWindow: r.congestion.window(), bytesInFlight: r.bytesInFlight,
      packetsSent: c.packetsSent, packetsReceived: c.packetsReceived, packetsLost: c.packetsLost,
      bytesSent: c.bytesSent, bytesReceived: c.bytesReceived,
      streams: this.#streams.size, recvBuffered: s?.recvBuffered ?? 0, sendBuffered: s?.sendBuffered ?? 0,
    };
  }

  // ───────────────────────────── streams ─────────────────────────────

  /**
   * Opens a stream. When the peer's stream limit is reached it waits (STREAMS_BLOCKED tells the
   * peer) until the peer allows more, the signal aborts or the connection closes.
   */
  async openStream(o: OpenStreamOptions = {}): Promise<JspStream> {
    const bidi = o.bidi ?? true;
    if (typeof bidi !== 'boolean') throw new TypeError(`openStream: bidi must be a boolean, got ${typeof bidi}`);
    throwIfAborted(o.signal, 'openStream');
    for (;;) {
      this.#throwIfUnusable('openStream');
      const id = this.core.openStream(bidi);
      this.pumpSoon();
      if (id !== undefined) return this.#add(id, bidi, true, o);
      await this.#wait(this.#openWaiters, o.signal, 'openStream');
    }
  }

  /** The next stream the peer opens (those not taken by a `'stream'` listener). */
  async acceptStream(o: { signal?: AbortSignal } = {}): Promise<JspStream> {
    throwIfAborted(o.signal, 'acceptStream');
    const s = this.#incoming.shift();
    if (s) return s;
    if (this.#closedError) throw this.#closedError;
    return this.#wait(this.#acceptWaiters, o.signal, 'acceptStream');
  }

  /** The streams the peer opens, until the connection closes. */
  async *[Symbol.asyncIterator](): AsyncIterator<JspStream> {
    for (;;) {
      let s: JspStream;
      try {
        s = await this.acceptStream();
      } catch (e) {
        if (e === this.#closedError) return;
        throw e;
      }
      yield s;
    }
  }

  // ───────────────────────────── liveness ─────────────────────────────

  /** Sends a PING and resolves with the round-trip time in ms when its PONG arrives. */
  async ping(o: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<number> {
    throwIfAborted(o.signal, 'ping');
    this.#throwIfUnusable('ping');
    const timeoutMs = o.timeoutMs ?? 10_000;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`timeoutMs: ${timeoutMs} is out of range; allowed: an integer ≥ 1 ms`);
    const seq = this.core.ping(this.#ctx.driver.now());
    this.pumpSoon();
    return new Promise<number>((resolve, reject) => {
      const done = () => { clearTimeout(timer); detach(); this.#pings.delete(seq); };
      const timer = setTimeout(() => { done(); reject(new JspTimeoutError(`ping ${seq}`, timeoutMs)); }, timeoutMs);
      const detach = onAbort(o.signal, 'ping', reject, done);
      this.#pings.set(seq, { resolve: (v) => { done(); resolve(v); }, reject: (e) => { done(); reject(e); } });
    });
  }

  /**
   * Closes the connection: by default (code 0) after draining — every stream's writing side is
   * ended and what was written is acknowledged — then with CONNECTION_CLOSE. Resolves once the
   * close is sent. A second call returns the first one's promise.
   */
  async close(o: CloseOptions = {}): Promise<void> {
    const code = o.code ?? 0;
    const reason = o.reason ?? '';
    if (!Number.isSafeInteger(code) || code < 0) throw new RangeError(`code: ${code} is out of range; allowed: an integer in 0..${Number.MAX_SAFE_INTEGER}`);
    if (typeof reason !== 'string') throw new TypeError(`reason: expected a string, got ${typeof reason}`);
    const timeoutMs = o.timeoutMs ?? 10_000;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) throw new RangeError(`timeoutMs: ${timeoutMs} is out of range; allowed: an integer ≥ 0 ms`);
    if (this.#closing) return this.#closing;
    if (this.#closedInfo) return;
    const drain = o.drain ?? code === ErrorCode.NO_ERROR;
    this.#closing = (async () => {
      if (drain) await this.#drain(timeoutMs, o.signal);
      if (this.#closedInfo) return;
      this.core.close(this.#ctx.driver.now(), { code, reason, application: code !== ErrorCode.NO_ERROR });
      this.#ctx.driver.pump();
    })();
    return this.#closing;
  }

  // ───────────────────────────── StreamHost ─────────────────────────────

  /**
   * @internal Gives up a handshake still running (a timeout, an abort, ICMP unreachable):
   * `handshakeComplete` rejects with `error` and the connection closes with HANDSHAKE_FAILED.
   */
  failHandshake(error: Error): void {
    if (!this.#settleHandshake) return;
    this.#settleHandshake(error);
    if (!this.#closedInfo) {
      this.core.close(this.#ctx.driver.now(), ErrorCode.HANDSHAKE_FAILED, error.message);
      this.#ctx.driver.pump();
    }
  }

  /** @internal */
  pumpSoon(): void { this.#ctx.driver.schedule(); }
  /** @internal */
  closedError(): Error | undefined { return this.#closedError; }
  /** @internal */
  closeFault(): Error | undefined {
    const i = this.#closedInfo;
    return i && (i.error || (i.application && i.code !== 0)) ? this.#closedError : undefined;
  }
  /** @internal */
  forget(id: number): void {
    this.#streams.delete(id);
    this.#checkDrain();
  }

  // ───────────────────────────── internals ─────────────────────────────

  #throwIfUnusable(op: string): void {
    if (this.#closedError) throw this.#closedError;
    if (this.#closing) throw new JspError('ERR_JSP_CLOSING', `${op}: the connection is closing`);
  }

  #wait<T>(list: Waiter<T>[], signal: AbortSignal | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = {
        resolve: (v) => { detach(); resolve(v); },
        reject: (e) => { detach(); reject(e); },
      };
      const detach = onAbort(signal, what, reject, () => { const i = list.indexOf(w); if (i >= 0) list.splice(i, 1); });
      list.push(w);
    });
  }

  #add(id: number, bidi: boolean, local: boolean, o: JspStreamOptions): JspStream {
    const s = new JspStream(this, id, { bidi, local, writableHighWaterMark: o.writableHighWaterMark ?? this.#ctx.streamOptions.writableHighWaterMark, readableHighWaterMark: o.readableHighWaterMark ?? this.#ctx.streamOptions.readableHighWaterMark });
    this.#streams.set(id, s);
    return s;
  }

  #onEvent(e: ConnectionEvent): void {
    this.#ctx.observer.onEvent(this.#ctx.driver.now(), e);
    switch (e.type) {
      case 'connected':
        this.#handshake = { suite: e.keys.suite.id, group: e.keys.group.id, alpn: e.alpn };
        this.#settleHandshake?.();
        this.onConnected?.();
        return;
      case 'early_data_accepted':
      case 'early_data_rejected': {
        const accepted = e.type === 'early_data_accepted';
        this.emit('earlyData', { accepted, bytes: e.bytes });
        return;
      }
      case 'ticket':
        this.emit('session', e.ticket);
        return;
      case 'confirmed':
        this.#confirmed = true;
        this.onConfirmed?.();
        return;
      case 'pong':
        this.#pings.get(e.sequence)?.resolve(e.rttMs);
        return;
      case 'closed':
        this.#onClosed({ remote: e.remote, reason: e.reason, application: e.application, code: e.code, error: e.error });
        return;
      case 'stream_opened': {
        const s = this.#add(e.id, e.bidi, false, {});
        if (this.#closing) { s.destroy(); return; } // no new work while closing
        this.#deliver(s);
        return;
      }
      case 'stream_readable':
        this.#streams.get(e.id)?.onReadable();
        return;
      case 'stream_writable':
        this.#streams.get(e.id)?.onWritable();
        return;
      case 'stream_finished':
        this.#streams.get(e.id)?.onFinished();
        this.#checkDrain();
        return;
      case 'stream_stopped':
        this.#streams.get(e.id)?.onStopped(e.code);
        return;
      case 'stream_reset':
        this.#streams.get(e.id)?.onReadable(); // the reset is read in order, after the data before it
        return;
      case 'streams_available':
        for (const w of this.#openWaiters.splice(0)) w.resolve();
        return;
    }
  }

  #deliver(s: JspStream): void {
    const w = this.#acceptWaiters.shift();
    if (w) w.resolve(s);
    else if (this.listenerCount('stream') > 0) this.emit('stream', s);
    else this.#incoming.push(s);
  }

  #flushIncoming(): void {
    while (this.#incoming.length > 0 && this.listenerCount('stream') > 0) this.emit('stream', this.#incoming.shift()!);
  }

  /** Ends every writing side and resolves when all sent data is acknowledged, the connection closed, or the time ran out. */
  #drain(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    this.#draining = true;
    for (const s of this.#streams.values()) if (s.writable && !s.writableEnded && !s.destroyed) s.end();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#drainDone?.(), timeoutMs);
      const detach = onAbort(signal, 'close', () => this.#drainDone?.());
      this.#drainDone = () => { clearTimeout(timer); detach(); this.#drainDone = undefined; resolve(); };
      this.pumpSoon();
      this.#checkDrain();
    });
  }

  #checkDrain(): void {
    if (!this.#draining || !this.#drainDone) return;
    if (!this.#closedInfo) {
      for (const s of this.#streams.values()) if (!s.sendSettled) return;
    }
    this.#drainDone();
  }

  #onClosed(info: JspCloseInfo): void {
    if (this.#closedInfo) return;
    this.#closedInfo = info;
    const err = new JspConnectionClosedError({ transportError: info.error, remote: info.remote, reason: info.reason, applicationCode: info.application ? info.code : undefined });
    this.#closedError = err;
    if (this.#settleHandshake) {
      const what = info.error ? `${info.error.codeName}${info.reason ? `: ${info.reason}` : ''}` : `closed${info.reason ? `: ${info.reason}` : ''}`;
      this.#settleHandshake(new JspConnectError(`the handshake with ${this.core.remote} failed (${what}${info.remote ? `, sent by the ${this.role === 'client' ? 'server' : 'client'}` : ''})`, { transportError: info.error, remote: info.remote }));
    }
    // Streams the application never took are dropped quietly; the others learn of the close.
    for (const s of this.#incoming.splice(0)) { this.#streams.delete(s.id); s.destroy(); }
    for (const s of [...this.#streams.values()]) {
      s.onConnectionClosed();
      if (s.destroyed) this.#streams.delete(s.id);
    }
    for (const w of this.#openWaiters.splice(0)) w.resolve(); // they see the close and throw it
    for (const w of this.#acceptWaiters.splice(0)) w.reject(err);
    for (const w of [...this.#pings.values()]) w.reject(err);
    this.#drainDone?.();
    this.#ctx.closed?.(this);
    this.onClosed?.(info, err);
    if (this.closeFault() && this.listenerCount('error') > 0) this.emit('error', err);
    this.emit('close', info);
    this.#resolveClosed(info);
  }

  #onTerminated(): void {
    this.#ctx.terminated(this);
  }
}
