/**
 * Session tickets outside the process: a {@link TicketStore} in a file, for the CLI and other
 * clients that resume across processes (spec/crypto.yaml, crypto.ticket.client-store), and the
 * functions that turn one {@link ClientTicket} into JSON or bytes and back — so an application
 * that keeps tickets itself (from the connection's `'session'` event) can store them where it
 * likes and pass one back as `connect({ session })`.
 *
 * Tickets hold their psk (a secret): protect whatever they are written to like a key file. The
 * file store writes with mode 0600, whole, through a temporary file renamed into place. Format:
 * JSON `{"type":"jsp-ticket-store","version":1,"tickets":[…]}`, each ticket's fields as in
 * {@link ClientTicket} with bytes as `{"$hex": "…"}`; one serialized ticket is
 * `{"type":"jsp-ticket","version":1,"ticket":{…}}` in UTF-8.
 *
 * @module
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { defaultTransportParameters } from '../core/handshake/params.ts';
import { MemoryTicketStore, ticketUsable, type ClientTicket, type TicketStore } from '../core/tickets/index.ts';

const TYPE = 'jsp-ticket-store';
const TICKET_TYPE = 'jsp-ticket';

/** A ticket store file that cannot be read (the message names the file and the problem). */
export class TicketStoreError extends Error {
  override name = 'TicketStoreError';
  /** Stable: `ERR_JSP_TICKET_STORE`. */
  readonly code = 'ERR_JSP_TICKET_STORE';
}

/** A serialized ticket (or a value given as one) that is not a valid {@link ClientTicket}; the message names the field. */
export class TicketFormatError extends TypeError {
  override name = 'TicketFormatError';
  /** Stable: `ERR_JSP_BAD_TICKET`. */
  readonly code = 'ERR_JSP_BAD_TICKET';
}

const BYTES = '$hex';

/** JSON.stringify replacer: a Uint8Array becomes `{"$hex": "…"}`. */
function replacer(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? { [BYTES]: Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex') } : v;
}

/** JSON.parse reviver: `{"$hex": "…"}` becomes a Uint8Array. */
function reviver(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as Record<string, unknown>)[BYTES] === 'string') {
    const h = (v as Record<string, string>)[BYTES];
    if (!/^([0-9a-f]{2})*$/i.test(h)) throw new TicketFormatError(`bad hex '${h.slice(0, 16)}…'`);
    return Uint8Array.from(Buffer.from(h, 'hex'));
  }
  return v;
}

/** Converts `{"$hex"}` objects (as JSON.parse without the reviver leaves them) into bytes, recursively. */
function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = revive(x);
    return reviver('', out);
  }
  return v;
}

const TP_DEFAULTS = defaultTransportParameters();
/** The optional transport parameters and their kinds (the rest are in the defaults). */
const TP_OPTIONAL: Record<string, 'number' | 'bytes'> = {
  ackDelayExponent: 'number', maxAckDelayMs: 'number', activeConnectionIdLimit: 'number',
  originalDestinationConnectionId: 'bytes', retrySourceConnectionId: 'bytes', statelessResetToken: 'bytes',
};

function checkTransportParameters(v: unknown, where: string): void {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new TicketFormatError(`${where} must be an object`);
  const o = v as Record<string, unknown>;
  for (const [k, d] of Object.entries(TP_DEFAULTS)) {
    const x = o[k];
    const kind = d instanceof Uint8Array ? 'bytes' : typeof d;
    if (kind === 'number' ? !Number.isSafeInteger(x) || (x as number) < 0 : kind === 'bytes' ? !(x instanceof Uint8Array) : typeof x !== kind) {
      throw new TicketFormatError(`${where}.${k} must be ${kind === 'number' ? 'a non-negative integer' : kind === 'bytes' ? 'bytes' : `a ${kind}`}`);
    }
  }
  for (const [k, x] of Object.entries(o)) {
    if (k in TP_DEFAULTS || x === undefined) continue;
    const kind = TP_OPTIONAL[k];
    if (kind === undefined) throw new TicketFormatError(`${where}.${k} is not a transport parameter`);
    if (kind === 'number' ? !Number.isSafeInteger(x) || (x as number) < 0 : !(x instanceof Uint8Array)) throw new TicketFormatError(`${where}.${k} must be ${kind === 'number' ? 'a non-negative integer' : 'bytes'}`);
  }
}

/**
 * Checks that `v` is a well-formed {@link ClientTicket} (bytes as Uint8Array) and returns it
 * typed; throws a {@link TicketFormatError} naming the first bad field (`where` prefixes it).
 * Used on every ticket read from a file or given to `connect({ session })`.
 */
export function checkClientTicket(v: unknown, where = 'ticket'): ClientTicket {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new TicketFormatError(`${where} is not an object`);
  const o = v as Record<string, unknown>;
  const bytes = (k: string, n?: number) => {
    if (!(o[k] instanceof Uint8Array) || (n !== undefined && (o[k] as Uint8Array).length !== n) || (o[k] as Uint8Array).length === 0) {
      throw new TicketFormatError(`${where}.${k} must be ${n ?? 'some'} bytes`);
    }
  };
  const num = (k: string, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isSafeInteger(o[k]) || (o[k] as number) < 0 || (o[k] as number) > max) throw new TicketFormatError(`${where}.${k} must be an integer in 0..${max}`);
  };
  bytes('serverKey', 32); bytes('ticket'); bytes('psk', 32);
  num('version', 0xffffffff); num('suite', 0xffff);
  // Wall-clock ms from the driver's clock (performance.timeOrigin + now): not a whole number.
  if (typeof o.receivedAtMs !== 'number' || !Number.isFinite(o.receivedAtMs) || o.receivedAtMs < 0) throw new TicketFormatError(`${where}.receivedAtMs must be a non-negative number of ms`); num('lifetimeS', 0xffffffff); num('ageAdd', 0xffffffff); num('maxEarlyData', 0xffffffff);
  if (typeof o.alpn !== 'string') throw new TicketFormatError(`${where}.alpn must be a string`);
  checkTransportParameters(o.transportParameters, `${where}.transportParameters`);
  return o as unknown as ClientTicket;
}

/**
 * A ticket as a JSON-safe object (bytes as `{"$hex": "…"}`), e.g. to keep in an application's
 * own JSON store; {@link ticketFromJSON} reads it back.
 */
export function ticketToJSON(t: ClientTicket): Record<string, unknown> {
  return JSON.parse(JSON.stringify(checkClientTicket(t), replacer)) as Record<string, unknown>;
}

/** The ticket of a {@link ticketToJSON} object (or of its JSON text); a {@link TicketFormatError} when it is not one. */
export function ticketFromJSON(v: unknown): ClientTicket {
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (e) {
      throw new TicketFormatError(`ticket: not JSON (${(e as Error).message})`);
    }
  }
  return checkClientTicket(revive(v));
}

/**
 * A ticket as bytes (UTF-8 JSON `{"type":"jsp-ticket","version":1,"ticket":{…}}`), as Node TLS
 * gives a session as a Buffer. It holds the ticket's psk: store it like a secret.
 */
export function serializeTicket(t: ClientTicket): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ type: TICKET_TYPE, version: 1, ticket: checkClientTicket(t) }, replacer));
}

/** The ticket of {@link serializeTicket}'s bytes; a {@link TicketFormatError} for anything else. */
export function parseTicket(bytes: Uint8Array | string): ClientTicket {
  if (!(bytes instanceof Uint8Array) && typeof bytes !== 'string') throw new TicketFormatError(`ticket: expected bytes or a string, got ${bytes === null ? 'null' : typeof bytes}`);
  let doc: unknown;
  try {
    doc = JSON.parse(typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes), reviver);
  } catch (e) {
    if (e instanceof TicketFormatError) throw e;
    throw new TicketFormatError(`ticket: not a serialized ticket (${(e as Error).message})`);
  }
  const d = doc as { type?: unknown; version?: unknown; ticket?: unknown } | null;
  if (d?.type !== TICKET_TYPE || d.version !== 1) throw new TicketFormatError(`ticket: not a ${TICKET_TYPE} of version 1`);
  return checkClientTicket(d.ticket);
}

/** Whether `v` looks like a {@link TicketStore} (has `put` and `take` functions). */
export function isTicketStore(v: unknown): v is TicketStore {
  return typeof v === 'object' && v !== null && typeof (v as TicketStore).put === 'function' && typeof (v as TicketStore).take === 'function';
}

/** Tickets kept in `path`: read at construction, written after every change. */
export class FileTicketStore implements TicketStore {
  readonly path: string;
  readonly #memory: MemoryTicketStore;
  #all: ClientTicket[];

  /**
   * Reads `path` if it exists (a {@link TicketStoreError} when it is not a ticket store); keeps
   * at most `perServer` tickets per server, the newest.
   */
  constructor(path: string, perServer = 4) {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('FileTicketStore: expected a file path');
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
      return d.tickets.map((t, i) => checkClientTicket(t, `tickets[${i}]`));
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
