/**
 * Validated configuration for connections and servers, built fluently:
 *
 * ```ts
 * const config = ConnectionConfig.builder().idleTimeoutMs(30_000).maxStreamsBidi(100).build();
 * const server = ServerConfig.builder().staticKey(secret).alpn(['jsp-demo']).build();
 * ```
 *
 * Every setter checks its value at once and throws a RangeError (or TypeError for the wrong
 * type) naming the option, the value and what is allowed — bad configuration never reaches the
 * protocol. `build()` checks what needs several options together and returns a frozen object.
 *
 * @module
 */
import type { GroupId, SuiteId } from '../core/handshake/index.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { AntiReplay, ServerTickets, TicketKeys, type ReplayRecord } from '../core/tickets/index.ts';
import { GROUPS, SUITES } from '../gen/crypto.ts';
import { MAX_STREAMS, MAX_TICKET_LIFETIME, MAX_VALUE } from '../gen/constants.ts';

/** Log levels, quietest first. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface IntRule { kind: 'int'; min: number; max: number; unit?: string }
interface ListRule<T> { kind: 'list'; allowed: readonly T[]; minLength: number }

function checkInt(option: string, v: unknown, r: IntRule): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${option}: expected a number${r.unit ? ` (${r.unit})` : ''}, got ${typeof v === 'number' ? v : typeof v}`);
  if (!Number.isInteger(v) || v < r.min || v > r.max) {
    throw new RangeError(`${option}: ${v} is out of range; allowed: an integer in ${r.min}..${r.max}${r.unit ? ` ${r.unit}` : ''}`);
  }
  return v;
}

function checkList<T>(option: string, v: unknown, r: ListRule<T>): T[] {
  if (!Array.isArray(v)) throw new TypeError(`${option}: expected an array, got ${typeof v}`);
  if (v.length < r.minLength) throw new RangeError(`${option}: needs at least ${r.minLength} entr${r.minLength === 1 ? 'y' : 'ies'}`);
  const seen = new Set<T>();
  for (const x of v) {
    if (!r.allowed.includes(x)) throw new RangeError(`${option}: ${JSON.stringify(x)} is not allowed; allowed: ${r.allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    if (seen.has(x)) throw new RangeError(`${option}: ${JSON.stringify(x)} is listed twice`);
    seen.add(x);
  }
  return [...v];
}

function checkKey(option: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${option}: expected a Uint8Array of 32 bytes, got ${v === null ? 'null' : typeof v}`);
  if (v.length !== 32) throw new RangeError(`${option}: ${v.length} bytes; allowed: exactly 32 (an X25519 key)`);
  return v.slice();
}

function checkAlpn(option: string, v: unknown): string[] {
  if (!Array.isArray(v)) throw new TypeError(`${option}: expected an array of strings`);
  if (v.length > 16) throw new RangeError(`${option}: ${v.length} protocols; allowed: at most 16`);
  for (const a of v) {
    if (typeof a !== 'string') throw new TypeError(`${option}: expected strings, got ${typeof a}`);
    const n = new TextEncoder().encode(a).length;
    if (n < 1 || n > 255) throw new RangeError(`${option}: ${JSON.stringify(a)} is ${n} bytes; allowed: 1..255 bytes`);
  }
  return [...v];
}

/** Every object a builder's build() returned (so that an API can tell a built config from a plain object). */
const BUILT = new WeakSet<object>();

/** Whether `v` was returned by `ConnectionConfig.builder()…build()` or `ServerConfig.builder()…build()`. */
export function isBuiltConfig(v: unknown): boolean {
  return typeof v === 'object' && v !== null && BUILT.has(v);
}

function built<T extends object>(v: T): T {
  BUILT.add(v);
  return v;
}

/** Methods of a builder that are not option setters. */
const NOT_SETTERS = new Set(['constructor', 'build', 'self', 'common']);

function setterNames(proto: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (!NOT_SETTERS.has(n)) names.add(n);
  }
  return [...names].sort();
}

/**
 * Applies a plain options object to a builder, one setter per key, so that every value is
 * validated exactly as the fluent form validates it. `aliases` maps a settings field to its
 * setter when they differ (`staticKeys` → `staticKey`, called once per key); an unknown key is a
 * TypeError that lists the known ones.
 */
function applyOptions(builder: object, options: Record<string, unknown>, where: string, aliases: Record<string, string> = {}): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${where}: expected an options object, got ${options === null ? 'null' : typeof options}`);
  const known = setterNames(Object.getPrototypeOf(builder));
  const b = builder as Record<string, (v: unknown) => unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const setter = aliases[key] ?? key;
    if (!known.includes(setter)) {
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}; known options: ${[...known, ...Object.keys(aliases)].sort().join(', ')}`);
    }
    if (setter !== key) {
      if (!Array.isArray(value)) throw new TypeError(`${key}: expected an array, got ${typeof value}`);
      for (const v of value) b[setter](v);
    } else {
      b[setter](value);
    }
  }
}

const MS_DAY = 86_400_000;
const RULES = {
  idleTimeoutMs: { kind: 'int', min: 0, max: MS_DAY, unit: 'ms' },
  keepAliveIntervalMs: { kind: 'int', min: 0, max: MS_DAY, unit: 'ms' },
  handshakeTimeoutMs: { kind: 'int', min: 100, max: 600_000, unit: 'ms' },
  maxStreamsBidi: { kind: 'int', min: 0, max: Number(MAX_STREAMS) },
  maxStreamsUni: { kind: 'int', min: 0, max: Number(MAX_STREAMS) },
  initialMaxData: { kind: 'int', min: 0, max: MAX_VALUE, unit: 'bytes' },
  initialMaxStreamData: { kind: 'int', min: 0, max: MAX_VALUE, unit: 'bytes' },
  maxStreamWindow: { kind: 'int', min: 1024, max: 1 << 30, unit: 'bytes' },
  maxUdpPayloadSize: { kind: 'int', min: 1200, max: 65527, unit: 'bytes' },
  maxDatagramFrameSize: { kind: 'int', min: 0, max: 65527, unit: 'bytes' },
} as const satisfies Record<string, IntRule>;

type IntOption = keyof typeof RULES;

/** The settings both sides have. */
export interface CommonSettings {
  readonly idleTimeoutMs: number;
  readonly keepAliveIntervalMs: number;
  readonly handshakeTimeoutMs: number;
  readonly maxStreamsBidi: number;
  readonly maxStreamsUni: number;
  readonly initialMaxData: number;
  readonly initialMaxStreamData: number;
  readonly maxStreamWindow: number;
  readonly maxUdpPayloadSize: number;
  readonly maxDatagramFrameSize: number;
  readonly suites: readonly SuiteId[];
  readonly groups: readonly GroupId[];
  readonly alpn: readonly string[];
  readonly logLevel: LogLevel;
  /** Directory for qlog traces (`.sqlog`), or undefined for none. */
  readonly qlogDir: string | undefined;
}

const DEFAULTS: CommonSettings = Object.freeze({
  idleTimeoutMs: 30_000,
  keepAliveIntervalMs: 0,
  handshakeTimeoutMs: 10_000,
  maxStreamsBidi: 100,
  maxStreamsUni: 100,
  initialMaxData: 1 << 20,
  initialMaxStreamData: 256 << 10,
  maxStreamWindow: 16 << 20,
  maxUdpPayloadSize: 1472,
  maxDatagramFrameSize: 1200,
  suites: SUITES.map((s) => s.id),
  groups: GROUPS.map((g) => g.id),
  alpn: [],
  logLevel: 'silent' as LogLevel,
  qlogDir: undefined,
});

/** The fluent setters shared by both builders. */
abstract class Builder<T extends CommonSettings, Self> {
  protected values: { -readonly [K in keyof T]?: T[K] } = {};
  protected abstract self(): Self;

  #int(option: IntOption, v: number): Self {
    (this.values as Record<string, unknown>)[option] = checkInt(option, v, RULES[option]);
    return this.self();
  }
  /** Close after this long without a packet (0: never); the connection uses the smaller of both sides' values. */
  idleTimeoutMs(v: number): Self { return this.#int('idleTimeoutMs', v); }
  /** Send a PING after this long without sending (0: off); must be below the idle timeout. */
  keepAliveIntervalMs(v: number): Self { return this.#int('keepAliveIntervalMs', v); }
  /** Give up on a handshake after this long. */
  handshakeTimeoutMs(v: number): Self { return this.#int('handshakeTimeoutMs', v); }
  /** Bidirectional streams the peer may open at once. */
  maxStreamsBidi(v: number): Self { return this.#int('maxStreamsBidi', v); }
  /** Unidirectional streams the peer may open at once. */
  maxStreamsUni(v: number): Self { return this.#int('maxStreamsUni', v); }
  /** Initial connection-level flow-control window. */
  initialMaxData(v: number): Self { return this.#int('initialMaxData', v); }
  /** Initial per-stream flow-control window (auto-tuning grows it up to maxStreamWindow). */
  initialMaxStreamData(v: number): Self { return this.#int('initialMaxStreamData', v); }
  /** Largest per-stream window auto-tuning may grow to. */
  maxStreamWindow(v: number): Self { return this.#int('maxStreamWindow', v); }
  /** Largest UDP payload this side receives. */
  maxUdpPayloadSize(v: number): Self { return this.#int('maxUdpPayloadSize', v); }
  /** Largest DATAGRAM frame accepted (0: unreliable datagrams off). */
  maxDatagramFrameSize(v: number): Self { return this.#int('maxDatagramFrameSize', v); }
  /** Cipher suites, most preferred first. */
  suites(v: readonly SuiteId[]): Self { (this.values as Record<string, unknown>).suites = checkList('suites', v, { kind: 'list', allowed: SUITES.map((s) => s.id), minLength: 1 }); return this.self(); }
  /** Key-exchange groups, most preferred first. */
  groups(v: readonly GroupId[]): Self { (this.values as Record<string, unknown>).groups = checkList('groups', v, { kind: 'list', allowed: GROUPS.map((g) => g.id), minLength: 1 }); return this.self(); }
  /** Application protocols, most preferred first. */
  alpn(v: readonly string[]): Self { (this.values as Record<string, unknown>).alpn = checkAlpn('alpn', v); return this.self(); }
  /** Log level (default silent). */
  logLevel(v: LogLevel): Self {
    if (!LOG_LEVELS.includes(v)) throw new RangeError(`logLevel: ${JSON.stringify(v)} is not allowed; allowed: ${LOG_LEVELS.join(', ')}`);
    (this.values as Record<string, unknown>).logLevel = v;
    return this.self();
  }
  /** Write qlog traces into this directory. */
  qlogDir(v: string): Self {
    if (typeof v !== 'string' || v.length === 0) throw new TypeError('qlogDir: expected a non-empty directory path');
    (this.values as Record<string, unknown>).qlogDir = v;
    return this.self();
  }

  protected common(): CommonSettings {
    const c = { ...DEFAULTS, ...this.values } as CommonSettings;
    if (c.keepAliveIntervalMs > 0 && c.idleTimeoutMs > 0 && c.keepAliveIntervalMs >= c.idleTimeoutMs) {
      throw new RangeError(`keepAliveIntervalMs: ${c.keepAliveIntervalMs} must be below idleTimeoutMs (${c.idleTimeoutMs}) or the connection idles out between keep-alives`);
    }
    if (c.initialMaxStreamData > c.maxStreamWindow) {
      throw new RangeError(`initialMaxStreamData: ${c.initialMaxStreamData} is above maxStreamWindow (${c.maxStreamWindow})`);
    }
    return c;
  }
}

/** A client connection's settings. */
export interface ConnectionSettings extends CommonSettings {
  /** The server's static public key, pinned. */
  readonly serverKey: Uint8Array;
  /** The client's static secret key, to authenticate (pattern IK). */
  readonly clientKey: Uint8Array | undefined;
}

/** The fluent builder of a client's settings (`ConnectionConfig.builder()`); `build()` needs `serverKey`. */
export class ConnectionConfigBuilder extends Builder<ConnectionSettings, ConnectionConfigBuilder> {
  protected self(): this { return this; }
  /** The server's static X25519 public key to pin (required). */
  serverKey(v: Uint8Array): this { (this.values as Record<string, unknown>).serverKey = checkKey('serverKey', v); return this; }
  /** A static X25519 secret key to authenticate the client with. */
  clientKey(v: Uint8Array): this { (this.values as Record<string, unknown>).clientKey = checkKey('clientKey', v); return this; }
  build(): Readonly<ConnectionSettings> {
    const serverKey = this.values.serverKey;
    if (!serverKey) throw new TypeError('serverKey: required — the client pins the server\'s static public key (jsp keygen makes one)');
    return built(Object.freeze({ ...this.common(), serverKey, clientKey: this.values.clientKey }));
  }
}

/** A client's settings as a plain object: any subset, each validated by its builder setter. */
export type ConnectionOptionsInput = { -readonly [K in keyof ConnectionSettings]?: ConnectionSettings[K] };

/** Client connection configuration. */
export const ConnectionConfig = Object.freeze({
  builder: () => new ConnectionConfigBuilder(),
  defaults: DEFAULTS,
  /**
   * A built config as it is, or a plain options object run through the builder (each key to its
   * setter, so the same RangeError/TypeError naming option, value and range; unknown keys are a
   * TypeError). `where` prefixes the unknown-option message.
   */
  from(input: Readonly<ConnectionSettings> | ConnectionOptionsInput, where = 'ConnectionConfig'): Readonly<ConnectionSettings> {
    if (isBuiltConfig(input)) return input as Readonly<ConnectionSettings>;
    const b = new ConnectionConfigBuilder();
    applyOptions(b, input as Record<string, unknown>, where);
    return b.build();
  },
});

/** A server's settings. */
export interface ServerSettings extends CommonSettings {
  readonly staticKeys: readonly Uint8Array[];
  readonly requireClientAuth: boolean;
  /** New connections accepted per second from one source address (0: no limit). */
  readonly handshakesPerSecondPerSource: number;
  /** Connections open at once (0: no limit). */
  readonly maxConnections: number;
  /**
   * Session tickets and 0-RTT (docs/resumption.md): the validated {@link TicketSettings}
   * (the default: on), a shared `ServerTickets` used as it is, or `false` (off).
   */
  readonly tickets: Readonly<TicketSettings> | ServerTickets | false;
}

/**
 * How a server issues and accepts session tickets (`listen({ tickets })`,
 * `ServerConfig.builder().tickets(…)`). Unless `keys` or `rootSecret` is given, each server made
 * with these settings draws a fresh random ticket key at start, so a restart simply invalidates
 * the tickets of before (nothing old can be replayed); unless `antiReplay` is given, it keeps
 * its own in-memory record. When the keys outlive that record — a `rootSecret` (tickets survive
 * restarts and work on every server of a fleet) or shared `keys` — and no shared `antiReplay`
 * is given, the server refuses 0-RTT for one anti-replay window after it starts
 * (crypto.anti-replay.restart; tickets still resume in 1-RTT).
 */
export interface TicketSettings {
  /** Lifetime of the tickets issued, seconds (default and most: 604800, 7 days). */
  readonly lifetimeS: number;
  /** Most 0-RTT bytes a ticket allows (default 65536; 0 disables 0-RTT, tickets still resume in 1-RTT). */
  readonly maxEarlyData: number;
  /** How long a ticket key seals new tickets before the next one takes over (default 12 h). */
  readonly rotationMs: number;
  /** How long a retired ticket key still opens tickets (default 7 days; 0: never). */
  readonly graceMs: number;
  /** The anti-replay freshness window (default 10 s): single-use ticket ids, and the ticket-age tolerance. */
  readonly antiReplayWindowMs: number;
  /** Most ticket ids the in-memory anti-replay record holds (default 100 000); when full, 0-RTT is refused. */
  readonly antiReplayCapacity: number;
  /** Tickets sent after each handshake (default 1; 0 sends none but still accepts tickets). */
  readonly ticketsPerConnection: number;
  /** Ticket keys shared with other servers (instead of a fresh key per server; then `rotationMs`/`graceMs` are the keys' own). */
  readonly keys: TicketKeys | undefined;
  /**
   * A 32-byte root secret shared by a fleet and kept across restarts (crypto.ticket.fleet-keys):
   * the ticket key of each `rotationMs` period is derived from it, so every server holding it
   * opens every other's tickets, before and after a restart. Keep it like a private key.
   */
  readonly rootSecret: Uint8Array | undefined;
  /**
   * An anti-replay record shared with other servers (an `AntiReplay` for servers in one process,
   * a `FileReplayRecord` for processes on one host): servers sharing ticket keys must share it.
   */
  readonly antiReplay: ReplayRecord | undefined;
}

/** The tickets options as a plain object: any subset of {@link TicketSettings}, each validated. */
export type TicketOptions = { -readonly [K in keyof TicketSettings]?: TicketSettings[K] };

const TICKET_RULES = {
  lifetimeS: { kind: 'int', min: 1, max: MAX_TICKET_LIFETIME, unit: 's' },
  maxEarlyData: { kind: 'int', min: 0, max: 0xffffffff, unit: 'bytes' },
  rotationMs: { kind: 'int', min: 1000, max: 30 * MS_DAY, unit: 'ms' },
  graceMs: { kind: 'int', min: 0, max: 30 * MS_DAY, unit: 'ms' },
  antiReplayWindowMs: { kind: 'int', min: 100, max: 600_000, unit: 'ms' },
  antiReplayCapacity: { kind: 'int', min: 1, max: 10_000_000 },
  ticketsPerConnection: { kind: 'int', min: 0, max: 8 },
} as const satisfies Record<string, IntRule>;

/** The defaults of {@link TicketSettings}. */
export const TICKET_DEFAULTS: Readonly<TicketSettings> = Object.freeze({
  lifetimeS: MAX_TICKET_LIFETIME,
  maxEarlyData: 65536,
  rotationMs: 12 * 3_600_000,
  graceMs: MAX_TICKET_LIFETIME * 1000,
  antiReplayWindowMs: 10_000,
  antiReplayCapacity: 100_000,
  ticketsPerConnection: 1,
  keys: undefined,
  rootSecret: undefined,
  antiReplay: undefined,
});

function isReplayRecord(v: unknown): v is ReplayRecord {
  return typeof v === 'object' && v !== null && typeof (v as ReplayRecord).record === 'function' && typeof (v as ReplayRecord).windowMs === 'number';
}

/** Validates the `tickets` option: false, a ServerTickets, or an object of {@link TicketOptions}. */
function checkTickets(v: unknown): Readonly<TicketSettings> | ServerTickets | false {
  if (v === false) return false;
  if (v === true) return TICKET_DEFAULTS;
  if (v instanceof ServerTickets) return v;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TypeError(`tickets: expected false, true, an options object or a ServerTickets, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  }
  const o = v as Record<string, unknown>;
  const known = [...Object.keys(TICKET_RULES), 'keys', 'rootSecret', 'antiReplay'];
  const out: Record<string, unknown> = { ...TICKET_DEFAULTS };
  for (const [k, x] of Object.entries(o)) {
    if (x === undefined) continue;
    if (!known.includes(k)) throw new TypeError(`tickets: unknown option ${JSON.stringify(k)}; known options: ${known.sort().join(', ')}`);
    if (k === 'keys') {
      if (!(x instanceof TicketKeys)) throw new TypeError(`tickets.keys: expected a TicketKeys, got ${x === null ? 'null' : typeof x}`);
    } else if (k === 'rootSecret') {
      if (!(x instanceof Uint8Array) || x.length !== 32) throw new TypeError(`tickets.rootSecret: expected a 32-byte Uint8Array, got ${x instanceof Uint8Array ? `${x.length} bytes` : x === null ? 'null' : typeof x}`);
      out[k] = x.slice();
      continue;
    } else if (k === 'antiReplay') {
      if (!isReplayRecord(x)) throw new TypeError('tickets.antiReplay: expected an anti-replay record (AntiReplay, FileReplayRecord or another ReplayRecord)');
    } else {
      checkInt(`tickets.${k}`, x, TICKET_RULES[k as keyof typeof TICKET_RULES]);
    }
    out[k] = x;
  }
  if (o.keys !== undefined && (o.rotationMs !== undefined || o.graceMs !== undefined)) {
    throw new TypeError('tickets: rotationMs and graceMs belong to the keys; give either keys or rotationMs/graceMs, not both');
  }
  if (o.keys !== undefined && o.rootSecret !== undefined) {
    throw new TypeError('tickets: give either keys or rootSecret, not both');
  }
  if (o.antiReplay !== undefined && (o.antiReplayWindowMs !== undefined || o.antiReplayCapacity !== undefined)) {
    throw new TypeError('tickets: antiReplayWindowMs and antiReplayCapacity belong to the record; give either antiReplay or those, not both');
  }
  return Object.freeze(out) as unknown as Readonly<TicketSettings>;
}

/**
 * The {@link ServerTickets} a server runs with for its `tickets` setting (undefined: off): a
 * given ServerTickets as it is, else one made now with the settings, fresh random ticket keys
 * (unless shared `keys` are given) and an in-memory anti-replay record (unless a shared one is).
 * `epochMs` maps the driver's clock to wall-clock ms (performance.timeOrigin).
 */
export function makeServerTickets(t: ServerSettings['tickets'], o: { provider: CryptoProvider; epochMs: number; now: number }): ServerTickets | undefined {
  if (t === false) return undefined;
  if (t instanceof ServerTickets) {
    if (Math.abs(t.epochMs - o.epochMs) > 1) {
      throw new RangeError(`tickets: a shared ServerTickets must have epochMs = performance.timeOrigin (${o.epochMs}), the clock of the UDP driver; got ${t.epochMs}`);
    }
    return t;
  }
  const wall = o.epochMs + o.now;
  const keys = t.keys ?? new TicketKeys({ provider: o.provider, rng: (n) => o.provider.randomBytes(n), rotationMs: t.rotationMs, graceMs: t.graceMs, rootSecret: t.rootSecret }, wall);
  const antiReplay = t.antiReplay ?? new AntiReplay({ windowMs: t.antiReplayWindowMs, capacity: t.antiReplayCapacity });
  // Keys that outlive a record of this server's own: it may have lost ids of tickets accepted just before (crypto.anti-replay.restart).
  const earlyDataFromMs = (t.keys || t.rootSecret) && !t.antiReplay ? wall + antiReplay.windowMs : 0;
  return new ServerTickets({ keys, antiReplay, lifetimeS: t.lifetimeS, maxEarlyData: t.maxEarlyData, ticketsPerConnection: t.ticketsPerConnection, epochMs: o.epochMs, earlyDataFromMs });
}

/** The fluent builder of a server's settings (`ServerConfig.builder()`); `build()` needs a `staticKey`. */
export class ServerConfigBuilder extends Builder<ServerSettings, ServerConfigBuilder> {
  protected self(): this { return this; }
  /** A static X25519 secret key (call again to add keys during a rotation). */
  staticKey(v: Uint8Array): this {
    const keys = [...(this.values.staticKeys ?? []), checkKey('staticKey', v)];
    if (keys.length > 8) throw new RangeError('staticKey: at most 8 keys at once');
    (this.values as Record<string, unknown>).staticKeys = keys;
    return this;
  }
  /** Require clients to authenticate with a static key (pattern IK). */
  requireClientAuth(v: boolean): this {
    if (typeof v !== 'boolean') throw new TypeError(`requireClientAuth: expected a boolean, got ${typeof v}`);
    (this.values as Record<string, unknown>).requireClientAuth = v;
    return this;
  }
  /** New handshakes accepted per second from one source address (0: no limit). */
  handshakesPerSecondPerSource(v: number): this { (this.values as Record<string, unknown>).handshakesPerSecondPerSource = checkInt('handshakesPerSecondPerSource', v, { kind: 'int', min: 0, max: 1_000_000 }); return this; }
  /** Connections open at once; more are refused with CONNECTION_REFUSED (0: no limit). */
  maxConnections(v: number): this { (this.values as Record<string, unknown>).maxConnections = checkInt('maxConnections', v, { kind: 'int', min: 0, max: 10_000_000 }); return this; }
  /**
   * Session tickets and 0-RTT (default: on, with a fresh random ticket key per server and an
   * in-memory anti-replay record). `false` turns them off; an object of {@link TicketOptions}
   * (`{ lifetimeS, maxEarlyData, rotationMs, graceMs, antiReplayWindowMs, antiReplayCapacity,
   * ticketsPerConnection, keys, rootSecret, antiReplay }`) sets them, each value checked at once (RangeError
   * naming `tickets.<option>`, TypeError for the wrong type or an unknown option); a
   * `ServerTickets` (made with `epochMs: performance.timeOrigin`) is shared as it is, counters
   * included. `maxEarlyData: 0` keeps resumption but turns 0-RTT off.
   */
  tickets(v: TicketOptions | ServerTickets | boolean): this {
    (this.values as Record<string, unknown>).tickets = checkTickets(v);
    return this;
  }
  build(): Readonly<ServerSettings> {
    const staticKeys = this.values.staticKeys;
    if (!staticKeys?.length) throw new TypeError('staticKey: required — a server needs at least one static key (jsp keygen makes one)');
    return built(Object.freeze({
      ...this.common(), staticKeys: Object.freeze([...staticKeys]),
      requireClientAuth: this.values.requireClientAuth ?? false,
      handshakesPerSecondPerSource: this.values.handshakesPerSecondPerSource ?? 10,
      maxConnections: this.values.maxConnections ?? 10_000,
      tickets: this.values.tickets ?? TICKET_DEFAULTS,
    }));
  }
}

/** A server's settings as a plain object (`staticKeys: [secret]`, or one `staticKey`; `tickets` as the builder's setter takes it). */
export type ServerOptionsInput = { -readonly [K in Exclude<keyof ServerSettings, 'tickets'>]?: ServerSettings[K] } & { staticKey?: Uint8Array; tickets?: TicketOptions | ServerTickets | boolean };

/** Server configuration. */
export const ServerConfig = Object.freeze({
  builder: () => new ServerConfigBuilder(),
  defaults: DEFAULTS,
  /** A built config as it is, or a plain options object run through the builder (see `ConnectionConfig.from`). */
  from(input: Readonly<ServerSettings> | ServerOptionsInput, where = 'ServerConfig'): Readonly<ServerSettings> {
    if (isBuiltConfig(input)) return input as Readonly<ServerSettings>;
    const b = new ServerConfigBuilder();
    applyOptions(b, input as Record<string, unknown>, where, { staticKeys: 'staticKey' });
    return b.build();
  },
});
