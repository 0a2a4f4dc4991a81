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
import { GROUPS, SUITES } from '../gen/crypto.ts';
import { MAX_STREAMS, MAX_VALUE } from '../gen/constants.ts';

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
  build(): Readonly<ServerSettings> {
    const staticKeys = this.values.staticKeys;
    if (!staticKeys?.length) throw new TypeError('staticKey: required — a server needs at least one static key (jsp keygen makes one)');
    return built(Object.freeze({
      ...this.common(), staticKeys: Object.freeze([...staticKeys]),
      requireClientAuth: this.values.requireClientAuth ?? false,
      handshakesPerSecondPerSource: this.values.handshakesPerSecondPerSource ?? 10,
      maxConnections: this.values.maxConnections ?? 10_000,
    }));
  }
}

/** A server's settings as a plain object (`staticKeys: [secret]`, or one `staticKey`). */
export type ServerOptionsInput = { -readonly [K in keyof ServerSettings]?: ServerSettings[K] } & { staticKey?: Uint8Array };

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
