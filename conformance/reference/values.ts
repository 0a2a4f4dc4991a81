/**
 * Spec values and the byte cursor of the naive reference codec.
 *
 * A *spec value* is the language-neutral value of the golden vectors (codegen/README.md,
 * "Golden vectors"), held in memory with exact types: integers are `bigint`, bytes are
 * `Uint8Array`, strings (protobuf `string`) are JS strings, booleans are booleans, repeated
 * fields are arrays and structs/messages are plain objects keyed by the spec's snake_case ids.
 *
 * Nothing here is shared with `src/codec` or `src/gen`: the reference must stay independent of
 * the code it checks.
 *
 * @module
 */

export type SpecValue = bigint | boolean | string | Uint8Array | SpecValue[] | SpecObject;
export interface SpecObject { [key: string]: SpecValue }

/** A decode error of the reference: the spec error code name and the decode error kind. */
export class DecodeFailure extends Error {
  override name = 'DecodeFailure';
  constructor(readonly kind: string, readonly code: string, readonly where: string, readonly detail: string) {
    super(`${where}: ${kind} (${detail}) [${code}]`);
  }
}

/** A value the reference refuses to encode. */
export class EncodeFailure extends Error {
  override name = 'EncodeFailure';
}

export function encodeFail(where: string, message: string): never {
  throw new EncodeFailure(`${where}: ${message}`);
}

/** A window `buf[pos..end)` that fails with one error code. */
export class Input {
  constructor(readonly buf: Uint8Array, public pos: number, readonly end: number, readonly code: string) {}

  get left(): number {
    return this.end - this.pos;
  }

  fail(kind: string, where: string, detail: string): never {
    throw new DecodeFailure(kind, this.code, where, `${detail}, at offset ${this.pos}`);
  }

  /** The next `n` bytes (a view), or 'truncated'. */
  take(n: bigint | number, where: string): Uint8Array {
    const k = BigInt(n);
    if (k < 0n) this.fail('out_of_range', where, `negative length ${k}`);
    if (k > BigInt(this.left)) this.fail('truncated', where, `need ${k} bytes, ${this.left} left`);
    const out = this.buf.subarray(this.pos, this.pos + Number(k));
    this.pos += Number(k);
    return out;
  }

  /** A child window over the next `n` bytes (advancing past them), failing with `code`. */
  sub(n: bigint, where: string, code = this.code): Input {
    const start = this.pos;
    this.take(n, where);
    return new Input(this.buf, start, this.pos, code);
  }
}

/** Big-endian unsigned integer of the given bytes. */
export function beToBig(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** `v` as `n` big-endian bytes; throws when it does not fit. */
export function bigToBe(v: bigint, n: number, where: string): Uint8Array {
  if (v < 0n || v >= 1n << BigInt(8 * n)) encodeFail(where, `${v} does not fit in ${n} bytes`);
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function unhex(s: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(s)) throw new TypeError(`not lowercase hex: '${s.slice(0, 40)}'`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Structural equality of spec values (key order does not matter). */
export function specValueEquals(a: SpecValue | undefined, b: SpecValue | undefined): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => specValueEquals(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => specValueEquals(a[k], b[k]));
  }
  return false;
}

/** Largest integer a JSON number carries exactly. */
export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The vector-file form of a value: integers as numbers up to 2^53 − 1 and decimal strings above,
 * bytes as lowercase hex, everything else as is.
 */
export function toJson(v: SpecValue): Json {
  if (typeof v === 'bigint') return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const o: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toJson(x);
    return o;
  }
  return v;
}

/** A JSON integer (number or decimal string) as a bigint. */
export function jsonInt(j: Json, where: string): bigint {
  if (typeof j === 'number' && Number.isSafeInteger(j)) return BigInt(j);
  if (typeof j === 'string' && /^(0|[1-9][0-9]*)$/.test(j)) return BigInt(j);
  throw new TypeError(`${where}: expected an integer, got ${JSON.stringify(j)}`);
}
