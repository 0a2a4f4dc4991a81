/**
 * A {@link TicketStore} in a file, for the CLI and other clients that resume across processes
 * (spec/crypto.yaml, crypto.ticket.client-store). Tickets hold their psk, so the file is written
 * with mode 0600, whole, through a temporary file renamed into place. Format: JSON
 * `{"type":"jsp-ticket-store","version":1,"tickets":[…]}`, each ticket's fields as in
 * {@link ClientTicket} with bytes as hex strings.
 *
 * @module
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { MemoryTicketStore, ticketUsable, type ClientTicket, type TicketStore } from '../core/tickets/index.ts';

const TYPE = 'jsp-ticket-store';

/** A ticket store file that cannot be read (the message names the file and the problem). */
export class TicketStoreError extends Error {
  override name = 'TicketStoreError';
}

const BYTES = '$hex';

function replacer(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? { [BYTES]: Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex') } : v;
}

function reviver(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as Record<string, unknown>)[BYTES] === 'string') {
    const h = (v as Record<string, string>)[BYTES];
    if (!/^([0-9a-f]{2})*$/i.test(h)) throw new TypeError(`bad hex '${h.slice(0, 16)}…'`);
    return Uint8Array.from(Buffer.from(h, 'hex'));
  }
  return v;
}

function checkTicket(t: unknown, i: number): ClientTicket {
  const o = t as Record<string, unknown>;
  const bytes = (k: string, n?: number) => {
    if (!(o[k] instanceof Uint8Array) || (n !== undefined && (o[k] as Uint8Array).length !== n)) throw new TypeError(`tickets[${i}].${k} must be ${n ?? 'some'} bytes`);
  };
  const num = (k: string) => { if (!Number.isSafeInteger(o[k]) || (o[k] as number) < 0) throw new TypeError(`tickets[${i}].${k} must be a non-negative integer`); };
  if (!o || typeof o !== 'object') throw new TypeError(`tickets[${i}] is not an object`);
  bytes('serverKey', 32); bytes('ticket'); bytes('psk', 32);
  for (const k of ['version', 'suite', 'receivedAtMs', 'lifetimeS', 'ageAdd', 'maxEarlyData']) num(k);
  if (typeof o.alpn !== 'string') throw new TypeError(`tickets[${i}].alpn must be a string`);
  if (!o.transportParameters || typeof o.transportParameters !== 'object') throw new TypeError(`tickets[${i}].transportParameters must be an object`);
  return o as unknown as ClientTicket;
}

/** Tickets kept in `path`: read at construction, written after every change. */
export class FileTicketStore implements TicketStore {
  readonly path: string;
  readonly #memory: MemoryTicketStore;
  #all: ClientTicket[];

  constructor(path: string, perServer = 4) {
    this.path = path;
    this.#memory = new MemoryTicketStore(perServer);
    this.#all = existsSync(path) ? FileTicketStore.#read(path) : [];
    for (const t of this.#all) this.#memory.put(t);
  }

  static #read(path: string): ClientTicket[] {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'), reviver);
    } catch (e) {
      throw new TicketStoreError(`${path}: not a ticket store (${(e as Error).message})`);
    }
    const d = doc as { type?: unknown; version?: unknown; tickets?: unknown };
    if (d?.type !== TYPE || d.version !== 1 || !Array.isArray(d.tickets)) throw new TicketStoreError(`${path}: not a ${TYPE} file of version 1`);
    try {
      return d.tickets.map(checkTicket);
    } catch (e) {
      throw new TicketStoreError(`${path}: ${(e as Error).message}`);
    }
  }

  put(ticket: ClientTicket): void {
    this.#memory.put(ticket);
    this.#all.push(ticket);
    const same = this.#all.filter((x) => sameKey(x.serverKey, ticket.serverKey));
    if (same.length > this.#memory.perServer) this.#all = this.#all.filter((x) => x !== same[0]); // the oldest, as the memory store drops it
    this.#save();
  }

  take(serverKey: Uint8Array, nowMs: number): ClientTicket | undefined {
    const t = this.#memory.take(serverKey, nowMs);
    // What the memory store dropped (taken or expired for this server) leaves the file too.
    this.#all = this.#all.filter((x) => x !== t && (ticketUsable(x, nowMs) || !sameKey(x.serverKey, serverKey)));
    this.#save();
    return t;
  }

  /** Tickets held for `serverKey`. */
  count(serverKey: Uint8Array): number { return this.#memory.count(serverKey); }

  #save(): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ type: TYPE, version: 1, tickets: this.#all }, replacer) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
