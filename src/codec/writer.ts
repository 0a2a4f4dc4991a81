/**
 * Writer: a growable (or fixed, caller-provided) byte buffer, plus the size functions that let
 * generated encoders compute length prefixes before writing.
 *
 * After quinn-proto `coding.rs` (`BufMutExt`, `VarInt::encode`) and noble `utils.ts` hygiene.
 * Fixed-width writes do not range-check (generated code checks with `assertUint`); varint writes do,
 * because a silently wrong length byte corrupts everything after it.
 *
 * @module
 */
import { EncodeError, rangeError } from './errors.ts';

/** Largest QUIC varint value, 2^62-1 (RFC 9000 §16). */
export const VARINT_MAX: bigint = 2n ** 62n - 1n;
/** Largest integer a number path handles exactly, 2^53-1. */
export const MAX_SAFE: number = Number.MAX_SAFE_INTEGER;
/** Largest protobuf varint, 2^64-1 (https://protobuf.dev/programming-guides/encoding/#varints). */
export const PB_VARINT_MAX: bigint = 2n ** 64n - 1n;

const MAX_SAFE_BIG = BigInt(MAX_SAFE);
/** 2^32, as a number. */
const TWO32 = 0x1_0000_0000;

/**
 * Byte sink. `new Writer()` / `new Writer(capacity)` grows by doubling; `new Writer(buf)` writes
 * into `buf` and throws EncodeError 'overflow' when it is full.
 */
export class Writer {
  /** Current storage; bytes `0..length` are written. Replaced when the writer grows. */
  buf: Uint8Array;
  /** Number of bytes written. */
  pos = 0;
  private readonly fixed: boolean;

  constructor(init: number | Uint8Array = 256) {
    if (init instanceof Uint8Array) {
      this.buf = init;
      this.fixed = true;
    } else {
      if (!(Number.isInteger(init) && init >= 0)) throw new RangeError(`Writer: bad capacity ${init}`);
      this.buf = new Uint8Array(init);
      this.fixed = false;
    }
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** The written bytes, zero-copy (a later write may grow into a new buffer; this view stays valid). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Make room for `n` more bytes. */
  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const need = this.pos + n;
    if (this.fixed) {
      throw new EncodeError('overflow', 'writer', `need ${need} bytes, buffer holds ${this.buf.length}`);
    }
    let cap = Math.max(this.buf.length * 2, 16);
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  // ───────────────────────────── fixed-width big-endian integers ─────────────────────────────

  /** One byte (low 8 bits of v). */
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** Big-endian u16 (RFC 9000 §1.3 network byte order). */
  u16(v: number): void {
    this.ensure(2);
    const b = this.buf, p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.pos = p + 2;
  }

  /** Big-endian u32. */
  u32(v: number): void {
    this.ensure(4);
    this.be32(this.pos, v);
    this.pos += 4;
  }

  /** Big-endian u64 from a bigint (0..2^64-1). */
  u64(v: bigint): void {
    this.ensure(8);
    this.be32(this.pos, Number((v >> 32n) & 0xffff_ffffn));
    this.be32(this.pos + 4, Number(v & 0xffff_ffffn));
    this.pos += 8;
  }

  /** Big-endian u64 from a number (0..2^53-1). */
  u64n(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / TWO32);
    this.be32(this.pos, hi);
    this.be32(this.pos + 4, v - hi * TWO32);
    this.pos += 8;
  }

  /** Big-endian unsigned integer `v` in `n` bytes, 1 <= n <= 6. */
  uint(v: number, n: number): void {
    if (!(n >= 1 && n <= 6)) throw new RangeError(`Writer.uint: width ${n} not in 1..6`);
    this.ensure(n);
    const b = this.buf, p = this.pos;
    for (let i = n - 1; i >= 0; i--) {
      b[p + i] = v & 0xff; // ToInt32 keeps the low 32 bits exactly, so the low 8 are right
      v = Math.floor(v / 256);
    }
    this.pos = p + n;
  }

  /** Raw bytes. */
  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Write u32 `v` at index p, unchecked. */
  private be32(p: number, v: number): void {
    const b = this.buf;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
  }

  // ───────────────────────────── QUIC varints (RFC 9000 §16) ─────────────────────────────

  /**
   * A QUIC varint (RFC 9000 §16) in its minimal length: 1 byte for < 2^6, 2 for < 2^14, 4 for
   * < 2^30, else 8. `v` must be an integer in 0..2^53-1 (use {@link varintBig} above that).
   */
  varint(v: number, what = 'varint'): void {
    if (v >>> 0 === v) {
      // integer in 0..2^32-1
      if (v < 0x40) {
        this.ensure(1);
        this.buf[this.pos++] = v; // <= 1 byte
      } else if (v < 0x4000) {
        this.ensure(2);
        const b = this.buf, p = this.pos;
        b[p] = 0x40 | (v >>> 8);
        b[p + 1] = v;
        this.pos = p + 2;
      } else if (v < 0x4000_0000) {
        this.ensure(4);
        this.be32(this.pos, (v | 0x8000_0000) >>> 0);
        this.pos += 4;
      } else {
        this.varint8(v);
      }
    } else if (Number.isSafeInteger(v) && v > 0) {
      this.varint8(v);
    } else {
      throw rangeError(what, v, 0, MAX_SAFE);
    }
  }

  /** 8-byte varint of a safe integer >= 2^30. */
  private varint8(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / TWO32);
    this.be32(this.pos, (hi | 0xc000_0000) >>> 0);
    this.be32(this.pos + 4, v - hi * TWO32);
    this.pos += 8;
  }

  /** A QUIC varint (RFC 9000 §16) from a bigint in 0..2^62-1, minimal length. */
  varintBig(v: bigint, what = 'varint'): void {
    if (typeof v !== 'bigint' || v < 0n || v > VARINT_MAX) throw rangeError(what, v, 0n, VARINT_MAX);
    if (v <= MAX_SAFE_BIG) {
      this.varint(Number(v), what);
      return;
    }
    this.ensure(8);
    this.be32(this.pos, (Number(v >> 32n) | 0xc000_0000) >>> 0);
    this.be32(this.pos + 4, Number(v & 0xffff_ffffn));
    this.pos += 8;
  }

  // ───────────────────────────── protobuf wire format ─────────────────────────────

  /** A protobuf LEB128 varint of an integer in 0..2^53-1 (minimal length, 1..8 bytes). */
  pbVarint(v: number, what = 'varint'): void {
    if (v >>> 0 === v) {
      // Reserve exactly what is written, so a writer over an exact-size buffer never overflows.
      this.ensure(v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5);
      const b = this.buf;
      let p = this.pos;
      while (v > 0x7f) {
        b[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[p++] = v;
      this.pos = p;
    } else if (Number.isSafeInteger(v) && v > 0) {
      this.ensure(pbVarintSize(v)); // 5..8 bytes for 33..53 bits
      const b = this.buf;
      let p = this.pos;
      while (v > 0x7f) {
        b[p++] = (v & 0x7f) | 0x80;
        v = Math.floor(v / 128);
      }
      b[p++] = v;
      this.pos = p;
    } else {
      throw rangeError(what, v, 0, MAX_SAFE);
    }
  }

  /** A protobuf LEB128 varint of a bigint in 0..2^64-1 (for int64, pass `BigInt.asUintN(64, v)`). */
  pbVarintBig(v: bigint, what = 'varint'): void {
    if (typeof v !== 'bigint' || v < 0n || v > PB_VARINT_MAX) throw rangeError(what, v, 0n, PB_VARINT_MAX);
    if (v <= MAX_SAFE_BIG) {
      this.pbVarint(Number(v), what);
      return;
    }
    this.ensure(pbVarintSizeBig(v)); // 8..10 bytes above 2^53
    const b = this.buf;
    let p = this.pos;
    while (v > 0x7fn) {
      b[p++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    b[p++] = Number(v);
    this.pos = p;
  }

  /** A protobuf tag `fieldNumber << 3 | wireType` (field 1..2^29-1, wire type 0..5). */
  pbTag(fieldNumber: number, wireType: number): void {
    this.pbVarint(fieldNumber * 8 + wireType, 'tag');
  }

  /** A protobuf LEN field body: length prefix, then the bytes. */
  pbBytes(src: Uint8Array): void {
    this.pbVarint(src.length);
    this.bytes(src);
  }

  /**
   * A protobuf string: LEN prefix, then UTF-8. Lone surrogates become U+FFFD, as TextEncoder does
   * (WHATWG Encoding §4.3); {@link utf8Size} gives the same byte count.
   */
  pbString(s: string): void {
    const n = utf8Size(s);
    this.pbVarint(n);
    this.ensure(n);
    this.pos = writeUtf8(this.buf, this.pos, s);
  }
}

/** Encode `s` as UTF-8 into `b` at `p` (room already checked); return the new position. */
function writeUtf8(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[p++] = c;
    } else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          b[p++] = 0xf0 | (c >> 18);
          b[p++] = 0x80 | ((c >> 12) & 0x3f);
          b[p++] = 0x80 | ((c >> 6) & 0x3f);
          b[p++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd; // lone surrogate
      }
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

// ───────────────────────────── sizes ─────────────────────────────

/** Bytes {@link Writer.varint} writes for `v` (RFC 9000 §16 Table 4): 1, 2, 4 or 8. */
export function varintSize(v: number): number {
  if (v >>> 0 === v) return v < 0x40 ? 1 : v < 0x4000 ? 2 : v < 0x4000_0000 ? 4 : 8;
  if (Number.isSafeInteger(v) && v > 0) return 8;
  throw rangeError('varint', v, 0, MAX_SAFE);
}

/** Bytes {@link Writer.varintBig} writes for `v` in 0..2^62-1. */
export function varintSizeBig(v: bigint): number {
  if (typeof v !== 'bigint' || v < 0n || v > VARINT_MAX) throw rangeError('varint', v, 0n, VARINT_MAX);
  return v < 0x40n ? 1 : v < 0x4000n ? 2 : v < 0x4000_0000n ? 4 : 8;
}

/** Bytes {@link Writer.pbVarint} writes for `v` in 0..2^53-1 (1..8). */
export function pbVarintSize(v: number): number {
  if (!(Number.isSafeInteger(v) && v >= 0)) throw rangeError('varint', v, 0, MAX_SAFE);
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x20_0000) return 3;
  if (v < 0x1000_0000) return 4;
  let n = 4;
  for (v = Math.floor(v / 0x1000_0000); v > 0; v = Math.floor(v / 128)) n++;
  return n;
}

/** Bytes {@link Writer.pbVarintBig} writes for `v` in 0..2^64-1 (1..10). */
export function pbVarintSizeBig(v: bigint): number {
  if (typeof v !== 'bigint' || v < 0n || v > PB_VARINT_MAX) throw rangeError('varint', v, 0n, PB_VARINT_MAX);
  if (v <= MAX_SAFE_BIG) return pbVarintSize(Number(v));
  let n = 1;
  for (v >>= 7n; v > 0n; v >>= 7n) n++;
  return n;
}

/**
 * UTF-8 length of `s` without encoding it. Matches TextEncoder: a lone surrogate counts as U+FFFD
 * (3 bytes), a surrogate pair as 4.
 */
export function utf8Size(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
