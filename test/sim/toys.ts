/**
 * Toy sans-IO endpoints for the simulator tests: an echo server, a pinger on a timer, a sink
 * that records arrivals, and a scripted sender.
 */
import type { Address, Datagram, SimEndpoint } from '../../src/sim/index.ts';

/** A datagram as an endpoint saw it arrive. */
export interface Arrival { at: number; from: Address; data: Uint8Array }

/** Replies to every datagram with the same bytes, at once. */
export class Echo implements SimEndpoint {
  readonly received: Arrival[] = [];
  readonly #out: Datagram[] = [];
  constructor(readonly address: Address) {}
  handleDatagram(now: number, from: Address, data: Uint8Array): void {
    this.received.push({ at: now, from, data });
    this.#out.push({ from: this.address, to: from, data });
  }
  pollTransmit(): Datagram | undefined { return this.#out.shift(); }
  pollTimeout(): number | undefined { return undefined; }
  handleTimeout(): void {}
}

/** The payload of ping `seq`: the sequence number (4 bytes) then a pattern derived from it. */
export function pingPayload(seq: number, size: number): Uint8Array {
  const b = new Uint8Array(Math.max(4, size));
  new DataView(b.buffer).setUint32(0, seq);
  for (let i = 4; i < b.length; i++) b[i] = (seq * 31 + i * 7) & 0xff;
  return b;
}

export interface PingerOptions { intervalMs?: number; count?: number; start?: number; size?: number }

/** Sends ping 0, 1, … to `peer` every `intervalMs` from `start`, `count` times, on its timer; records the replies. */
export class Pinger implements SimEndpoint {
  readonly timeouts: number[] = [];
  readonly sentAt: number[] = [];
  readonly pongs: { seq: number; at: number; intact: boolean }[] = [];
  readonly #out: Datagram[] = [];
  #next: number;
  readonly #o: Required<PingerOptions>;
  constructor(readonly address: Address, readonly peer: Address, o: PingerOptions = {}) {
    this.#o = { intervalMs: 10, count: Infinity, start: 0, size: 32, ...o };
    this.#next = this.#o.start;
  }
  get sent(): number { return this.sentAt.length; }
  pollTimeout(): number | undefined { return this.sent < this.#o.count ? this.#next : undefined; }
  handleTimeout(now: number): void {
    this.timeouts.push(now);
    while (this.sent < this.#o.count && this.#next <= now) {
      const seq = this.sent;
      this.sentAt.push(now);
      this.#out.push({ from: this.address, to: this.peer, data: pingPayload(seq, this.#o.size) });
      this.#next = this.#o.start + (seq + 1) * this.#o.intervalMs;
    }
  }
  handleDatagram(now: number, _from: Address, data: Uint8Array): void {
    const seq = data.length >= 4 ? new DataView(data.buffer, data.byteOffset).getUint32(0) : -1;
    const want = seq >= 0 && seq < this.sent ? pingPayload(seq, this.#o.size) : undefined;
    const intact = !!want && want.length === data.length && want.every((x, i) => x === data[i]);
    this.pongs.push({ seq, at: now, intact });
  }
  pollTransmit(): Datagram | undefined { return this.#out.shift(); }
}

/** Records what arrives; sends nothing. */
export class Sink implements SimEndpoint {
  readonly received: Arrival[] = [];
  constructor(readonly address: Address) {}
  handleDatagram(now: number, from: Address, data: Uint8Array): void { this.received.push({ at: now, from, data }); }
  pollTransmit(): undefined { return undefined; }
  pollTimeout(): undefined { return undefined; }
  handleTimeout(): void {}
}

/** Sends scripted datagrams (`at` in ms, ascending) to `to` on its timer. */
export class Sender implements SimEndpoint {
  readonly #script: { at: number; data: Uint8Array }[];
  readonly #out: Datagram[] = [];
  #i = 0;
  constructor(readonly address: Address, readonly to: Address, script: { at: number; data: Uint8Array }[]) {
    this.#script = script;
  }
  /** `count` datagrams of `size` bytes (the first 4 bytes number them), all at time `at`, or one every `every` ms. */
  static burst(address: Address, to: Address, count: number, size: number, at = 0, every = 0): Sender {
    return new Sender(address, to, Array.from({ length: count }, (_, i) => ({ at: at + i * every, data: pingPayload(i, size).subarray(0, size) })));
  }
  pollTimeout(): number | undefined { return this.#script[this.#i]?.at; }
  handleTimeout(now: number): void {
    for (; this.#i < this.#script.length && this.#script[this.#i].at <= now; this.#i++) {
      this.#out.push({ from: this.address, to: this.to, data: this.#script[this.#i].data });
    }
  }
  handleDatagram(): void {}
  pollTransmit(): Datagram | undefined { return this.#out.shift(); }
}

/** The sequence number a toy payload starts with. */
export const seqOf = (data: Uint8Array): number => new DataView(data.buffer, data.byteOffset).getUint32(0);
