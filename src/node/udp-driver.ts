/**
 * Runs a sans-IO {@link Endpoint} (src/core/connection) over a real UDP socket: the only place
 * with `dgram`, timers and the clock (DESIGN.md). Datagrams in go to `handleDatagram(now, from,
 * bytes)`; after every input the driver drains `pollTransmit` to the socket and re-arms one timer
 * at `pollTimeout()` (never a spinning loop).
 *
 * This is the first, minimal driver for [node]: one socket, no send batching or pacing timers
 * yet.
 *
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { Endpoint } from '../core/connection/index.ts';

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

/** An endpoint bound to a UDP socket. */
export class UdpDriver {
  readonly socket: Socket;
  readonly #make: (address: string) => Endpoint;
  #endpoint: Endpoint | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Datagrams and bytes through the socket. */
  readonly counters = { datagramsIn: 0, bytesIn: 0, datagramsOut: 0, bytesOut: 0, internalErrors: 0 };
  /**
   * Called with an exception the endpoint threw on one datagram (a bug: the core must never throw
   * on peer input). The driver counts it and goes on, so one datagram cannot stop a server.
   */
  onInternalError: (e: unknown) => void = (e) => { console.error('jsp: internal error on a datagram:', e); };
  /** Called after every input, so owners can poll connection events. */
  onActivity: () => void = () => {};

  private constructor(socket: Socket, make: (address: string) => Endpoint) {
    this.socket = socket;
    this.#make = make;
  }

  /**
   * Binds a UDP socket on `host:port` (port 0: any) and creates the endpoint with the bound
   * address (the factory gets `host:port`).
   */
  static async bind(host: string, port: number, make: (address: string) => Endpoint): Promise<UdpDriver> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    const d = new UdpDriver(socket, make);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => { socket.off('error', reject); resolve(); });
    });
    const a = socket.address();
    d.#endpoint = make(formatAddress(a.address, a.port));
    socket.on('message', (msg, rinfo) => {
      if (d.#closed) return;
      d.counters.datagramsIn++;
      d.counters.bytesIn += msg.length;
      try {
        d.endpoint.handleDatagram(d.now(), formatAddress(rinfo.address, rinfo.port), new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
      } catch (e) {
        d.counters.internalErrors++;
        d.onInternalError(e);
      }
      d.#pump();
    });
    socket.on('error', () => { /* a send error on one datagram is a loss; the protocol recovers */ });
    return d;
  }

  get endpoint(): Endpoint { return this.#endpoint!; }
  get address(): string { return this.endpoint.address; }

  /** Milliseconds on the monotonic clock. */
  now(): number { return performance.now(); }

  /** Call after acting on the endpoint directly (connect, ping, close): sends and re-arms the timer. */
  pump(): void { this.#pump(); }

  #pump(): void {
    if (this.#closed) return;
    const now = this.now();
    for (let t = this.endpoint.pollTransmit(now); t; t = this.endpoint.pollTransmit(now)) {
      const { host, port } = parseAddress(t.to);
      this.counters.datagramsOut++;
      this.counters.bytesOut += t.data.length;
      this.socket.send(t.data, port, host);
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const at = this.endpoint.pollTimeout();
    if (at !== undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.endpoint.handleTimeout(this.now());
        this.#pump();
      }, Math.max(0, Math.ceil(at - this.now())));
    }
    this.onActivity();
  }

  /** Stops the timer and closes the socket (connections are not told: close them first). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
