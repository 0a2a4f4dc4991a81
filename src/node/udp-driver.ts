/**
 * Runs a sans-IO {@link Endpoint} (src/core/connection) over a real UDP socket: the only place
 * with `dgram`, timers and the clock (DESIGN.md). Datagrams in go to `handleDatagram(now, from,
 * bytes)`; then the driver pumps:
 *
 * - **Sends in batches**: `pollTransmit` is drained up to {@link UdpDriverOptions.sendBatch}
 *   datagrams at a time; a longer queue continues after `setImmediate`, so received ACKs are read
 *   between batches instead of behind one long burst.
 * - **One pump per burst**: datagrams that arrive together, and calls the application makes in
 *   one tick ({@link UdpDriver.schedule}), share one pump (in `setImmediate`): the endpoint
 *   coalesces what they produced into full packets.
 * - **One timer, never spinning**: a single timer at `pollTimeout()` (which includes the pacer's
 *   wake-up), re-armed only when the deadline moves earlier, and never for a time already due
 *   twice in a row (a deadline that does not move after `handleTimeout` waits at least 1 ms).
 * - **Receive buffer sized for bursts**: {@link UdpDriverOptions.recvBufferSize} (default 4 MiB;
 *   the kernel caps it at net.core.rmem_max).
 * - **Per-connection dispatch**: {@link UdpDriver.attach} registers a handler for one
 *   connection's events; after every pump the driver drains each attached connection's
 *   `pollEvent()` into its handler, hands newly accepted server connections to
 *   {@link UdpDriver.onAccept}, and forgets a connection once it has terminated.
 * - **Connected sockets**: a client driver given `connectTo` connects its socket to the server
 *   (the kernel then drops datagrams from anyone else and skips the route lookup per send).
 *
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { Connection, ConnectionEvent, Endpoint } from '../core/connection/index.ts';

/** `host:port` as the core sees addresses (IPv6 hosts in brackets). */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The inverse of {@link formatAddress}. */
export function parseAddress(a: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(a);
  if (!m) throw new TypeError(`not a host:port address: ${a}`);
  return { host: m[1], port: Number(m[2]) };
}

/** Socket options of a {@link UdpDriver}. */
export interface UdpDriverOptions {
  /** SO_RCVBUF in bytes (default 4 MiB; the kernel caps it at net.core.rmem_max). */
  readonly recvBufferSize?: number;
  /** SO_SNDBUF in bytes (default 4 MiB; capped at net.core.wmem_max). */
  readonly sendBufferSize?: number;
  /** Most datagrams sent per batch before the driver yields to the event loop (default 64). */
  readonly sendBatch?: number;
  /** Connect the socket to this `host:port` (a client talking to one server). */
  readonly connectTo?: string;
}

/** Most parsed peer addresses remembered (a cache, cleared when full). */
const ADDRESS_CACHE = 4096;

/** An endpoint bound to a UDP socket. */
export class UdpDriver {
  readonly socket: Socket;
  readonly #make: (address: string) => Endpoint;
  readonly #batch: number;
  #endpoint: Endpoint | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for. */
  #timerAt = Infinity;
  /** The deadline handled by the last timer, to notice one that does not move. */
  #lastFired: number | undefined;
  #scheduled: NodeJS.Immediate | undefined;
  #closed = false;
  #unref = false;
  #connected: string | undefined;
  readonly #addresses = new Map<string, { host: string; port: number }>();
  readonly #handlers = new Map<Connection, { event: (e: ConnectionEvent) => void; terminated: (() => void) | undefined }>();
  /** Datagrams and bytes through the socket. */
  readonly counters = { datagramsIn: 0, bytesIn: 0, datagramsOut: 0, bytesOut: 0, internalErrors: 0, sendErrors: 0, timerWakeups: 0 };
  /**
   * Called with an exception the endpoint threw on one datagram (a bug: the core must never throw
   * on peer input). The driver counts it and goes on, so one datagram cannot stop a server.
   */
  onInternalError: (e: unknown) => void = (e) => { console.error('jsp: internal error on a datagram:', e); };
  /** Called after every pump, so owners can poll the endpoint. */
  onActivity: () => void = () => {};
  /** Called with each connection the endpoint accepted (a server's), before its events are dispatched. */
  onAccept: ((conn: Connection) => void) | undefined;

  private constructor(socket: Socket, make: (address: string) => Endpoint, o: UdpDriverOptions) {
    this.socket = socket;
    this.#make = make;
    this.#batch = o.sendBatch ?? 64;
    if (!Number.isInteger(this.#batch) || this.#batch < 1) throw new RangeError(`sendBatch: ${this.#batch} is out of range; allowed: an integer ≥ 1`);
  }

  /**
   * Binds a UDP socket on `host:port` (port 0: any) and creates the endpoint with the bound
   * address (the factory gets `host:port`).
   */
  static async bind(host: string, port: number, make: (address: string) => Endpoint, o: UdpDriverOptions = {}): Promise<UdpDriver> {
    const socket = createSocket({
      type: host.includes(':') ? 'udp6' : 'udp4',
      recvBufferSize: o.recvBufferSize ?? 4 << 20,
      sendBufferSize: o.sendBufferSize ?? 4 << 20,
    });
    const d = new UdpDriver(socket, make, o);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => { socket.off('error', reject); resolve(); });
    });
    if (o.connectTo) {
      const to = parseAddress(o.connectTo);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(to.port, to.host, () => { socket.off('error', reject); resolve(); });
      });
      d.#connected = o.connectTo;
    }
    const a = socket.address();
    d.#endpoint = make(formatAddress(a.address, a.port));
    socket.on('message', (msg, rinfo) => d.#receive(msg, rinfo.address, rinfo.port));
    socket.on('error', () => { d.counters.sendErrors++; /* a send error on one datagram is a loss; the protocol recovers */ });
    return d;
  }

  get endpoint(): Endpoint { return this.#endpoint!; }
  get address(): string { return this.endpoint.address; }
  get closed(): boolean { return this.#closed; }

  /** Milliseconds on the monotonic clock. */
  now(): number { return performance.now(); }

  /** Sends what the endpoint has, re-arms the timer and dispatches events, now. */
  pump(): void { this.#pump(); }

  /**
   * Pumps soon (once, after the current burst of calls and datagrams): call after acting on the
   * endpoint or a connection (connect, write, ping, close).
   */
  schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = setImmediate(() => { this.#scheduled = undefined; this.#pump(); });
  }

  /**
   * Dispatches `conn`'s events to `handler` after every pump until the connection terminates,
   * then calls `terminated` once.
   */
  attach(conn: Connection, handler: (e: ConnectionEvent) => void, terminated?: () => void): void {
    this.#handlers.set(conn, { event: handler, terminated });
  }

  /**
   * Lets the process exit while only this driver is left (the socket and the timer no longer
   * hold the event loop): for a client whose connection is closing and only waits out its
   * closing period.
   */
  unref(): void {
    this.#unref = true;
    this.socket.unref();
    this.#timer?.unref();
  }

  /** Stops dispatching `conn`'s events. */
  detach(conn: Connection): void {
    this.#handlers.delete(conn);
  }

  #receive(msg: Buffer, host: string, port: number): void {
    if (this.#closed) return;
    this.counters.datagramsIn++;
    this.counters.bytesIn += msg.length;
    try {
      this.endpoint.handleDatagram(this.now(), this.#connected ?? formatAddress(host, port), new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
    } catch (e) {
      this.counters.internalErrors++;
      this.onInternalError(e);
    }
    this.schedule();
  }

  #pump(): void {
    if (this.#closed) return;
    if (this.#scheduled) { clearImmediate(this.#scheduled); this.#scheduled = undefined; }
    const ep = this.endpoint;
    const now = this.now();
    let sent = 0;
    for (let t = ep.pollTransmit(now); t; t = sent < this.#batch ? ep.pollTransmit(now) : undefined) {
      this.#send(t.to, t.data);
      sent++;
    }
    if (sent >= this.#batch) this.schedule(); // more may wait: after the event loop read what came in
    this.#arm();
    this.#dispatch();
    this.onActivity();
  }

  #send(to: string, data: Uint8Array): void {
    this.counters.datagramsOut++;
    this.counters.bytesOut += data.length;
    if (this.#connected !== undefined && to === this.#connected) {
      this.socket.send(data);
      return;
    }
    let a = this.#addresses.get(to);
    if (!a) {
      if (this.#addresses.size >= ADDRESS_CACHE) this.#addresses.clear();
      a = parseAddress(to);
      this.#addresses.set(to, a);
    }
    this.socket.send(data, a.port, a.host);
  }

  /** One timer at the endpoint's next deadline, moved only when the deadline moves earlier. */
  #arm(): void {
    const at = this.endpoint.pollTimeout();
    if (at === undefined) {
      if (this.#timer) { clearTimeout(this.#timer); this.#timer = undefined; this.#timerAt = Infinity; }
      return;
    }
    if (this.#timer && at >= this.#timerAt) return; // fires earlier than needed: it re-arms then
    if (this.#timer) clearTimeout(this.#timer);
    // A deadline handleTimeout did not move must not make a 0 ms loop: it waits a millisecond.
    const floor = at === this.#lastFired ? 1 : 0;
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(floor, Math.ceil(at - this.now())));
    if (this.#unref) this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#lastFired = this.#timerAt;
    this.#timerAt = Infinity;
    if (this.#closed) return;
    this.counters.timerWakeups++;
    try {
      this.endpoint.handleTimeout(this.now());
    } catch (e) {
      this.counters.internalErrors++;
      this.onInternalError(e);
    }
    this.#pump();
  }

  #dispatch(): void {
    if (this.onAccept) {
      for (let c = this.endpoint.accept(); c; c = this.endpoint.accept()) this.onAccept(c);
    }
    for (const [conn, h] of this.#handlers) {
      for (let e = conn.pollEvent(); e; e = conn.pollEvent()) h.event(e);
      if (conn.isTerminated) {
        this.#handlers.delete(conn);
        h.terminated?.();
      }
    }
  }

  /** Sends still queued in the socket (waiting for the kernel). */
  get sendQueueCount(): number {
    return this.socket.getSendQueueCount();
  }

  /**
   * Stops the timer and closes the socket once the datagrams already handed to it have left
   * (at most `flushMs`, default 200). Connections are not told: close them first.
   */
  async close(flushMs = 200): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#timer = this.#scheduled = undefined;
    this.#handlers.clear();
    // A send to an address reaches the kernel's queue only after its (immediate) address lookup,
    // so first let those complete, then wait for the queue to empty.
    await new Promise((r) => setImmediate(r));
    const until = this.now() + flushMs;
    while (this.socket.getSendQueueCount() > 0 && this.now() < until) await new Promise((r) => setTimeout(r, 1));
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
