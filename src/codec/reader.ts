/**
 * Reader: bounds-checked, zero-copy decoding over one Uint8Array.
 *
 * After quinn-proto `coding.rs` (`Codec`, `VarInt::decode`) and rustls `msgs/codec.rs` (`Reader`,
 * `expect_empty`). Bytes are read by index — no DataView, no allocation on the success path. Each
 * method takes `what`, the field path, which is only ever used to build an error message.
 *
 * @module
 */
import { DecodeError, type DecodeErrorKind } from './errors.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** 2^32, as a number. */
const TWO32 = 0x1_0000_0000;

/** One fatal decoder for all strings; ignoreBOM keeps a leading U+FEFF as data (round-trips). */
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A cursor over `buf[pos..end)`. Every read checks bounds first and throws {@link DecodeError} with
 * this reader's `errorCode`; a failed read leaves `pos` unchanged. Offsets in errors are indices
 * into `buf` (so a {@link Reader.sub} reader reports offsets in the whole input).
 */
export class Reader {
  /** The whole input (never copied). */
  readonly buf: Uint8Array;
  /** Index of the next byte to read. */
  pos: number;
  /** One past the last readable byte. */
  readonly end: number;
  /** Wire error code put on every DecodeError this reader throws (e.g. 0x07 FRAME_ENCODING_ERROR). */
  readonly errorCode: number;

  constructor(buf: Uint8Array, errorCode: number, start = 0, end = buf.length) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= buf.length)) {
      throw new RangeError(`Reader: bad window ${start}..${end} over ${buf.length} bytes`);
    }
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.errorCode = errorCode;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /**
   * Throw a DecodeError with this reader's error code, at `offset` (default: the current position).
   * For generated code: `r.fail('invalid_enum', 'close.reason', \`value ${v}\`)`.
   */
  fail(kind: DecodeErrorKind, what: string, detail?: string, offset: number = this.pos): never {
    throw new DecodeError(this.errorCode, kind, what, offset, { detail: detail ?? `at offset ${offset}` });
  }

  /** Throw 'truncated' for a read of `n` bytes at the current position. */
  private short(n: number, what: string): never {
    return this.fail('truncated', what, `need ${n} bytes at offset ${this.pos}, ${this.end - this.pos} left`);
  }

  // ───────────────────────────── fixed-width big-endian integers ─────────────────────────────

  /** One byte. */
  u8(what: string): number {
    if (this.pos >= this.end) this.short(1, what);
    return this.buf[this.pos++];
  }

  /** Big-endian u16 (RFC 9000 §1.3 network byte order). */
  u16(what: string): number {
    const p = this.pos;
    if (this.end - p < 2) this.short(2, what);
    const b = this.buf;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  /** Big-endian u32, unsigned. */
  u32(what: string): number {
    const p = this.pos;
    if (this.end - p < 4) this.short(4, what);
    const b = this.buf;
    this.pos = p + 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /** Big-endian u64 as a bigint. */
  u64(what: string): bigint {
    const p = this.pos;
    if (this.end - p < 8) this.short(8, what);
    const hi = this.be32(p);
    const lo = this.be32(p + 4);
    this.pos = p + 8;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Big-endian u64 as a number; a value above 2^53-1 is 'out_of_range'. */
  u64n(what: string): number {
    const p = this.pos;
    if (this.end - p < 8) this.short(8, what);
    const hi = this.be32(p);
    if (hi > 0x1f_ffff) this.fail('out_of_range', what, `u64 at offset ${p} exceeds 2^53-1`, p);
    this.pos = p + 8;
    return hi * TWO32 + this.be32(p + 4);
  }

  /** Big-endian unsigned integer of `n` bytes, 1 <= n <= 6 (at most 48 bits, always a safe number). */
  uint(n: number, what: string): number {
    if (!(n >= 1 && n <= 6)) throw new RangeError(`Reader.uint: width ${n} not in 1..6`);
    const p = this.pos;
    if (this.end - p < n) this.short(n, what);
    const b = this.buf;
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + b[p + i];
    this.pos = p + n;
    return v;
  }

  /** The big-endian u32 at index p, unchecked. */
  private be32(p: number): number {
    const b = this.buf;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  // ───────────────────────────── QUIC varints (RFC 9000 §16) ─────────────────────────────

  /**
   * A QUIC variable-length integer (RFC 9000 §16) as a number. The two high bits of the first byte
   * give the length (1, 2, 4 or 8 bytes). JSP requires the minimal length: a longer encoding is
   * 'non_minimal'. A value above 2^53-1 is 'out_of_range' (use {@link varintBig}).
   */
  varint(what: string): number {
    const p = this.pos;
    if (p >= this.end) this.short(1, what);
    const b = this.buf;
    const first = b[p];
    switch (first >> 6) {
      case 0:
        this.pos = p + 1;
        return first;
      case 1: {
        if (this.end - p < 2) this.short(2, what);
        const v = ((first & 0x3f) << 8) | b[p + 1];
        if (v < 0x40) this.nonMinimal(2, v, p, what);
        this.pos = p + 2;
        return v;
      }
      case 2: {
        if (this.end - p < 4) this.short(4, what);
        const v = (((first & 0x3f) << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
        if (v < 0x4000) this.nonMinimal(4, v, p, what);
        this.pos = p + 4;
        return v;
      }
      default: {
        if (this.end - p < 8) this.short(8, what);
        const hi = this.be32(p) & 0x3fff_ffff;
        const lo = this.be32(p + 4);
        if (hi === 0 && lo < 0x4000_0000) this.nonMinimal(8, lo, p, what);
        if (hi > 0x1f_ffff) {
          this.fail('out_of_range', what, `varint at offset ${p} exceeds 2^53-1 (use a u62 field)`, p);
        }
        this.pos = p + 8;
        return hi * TWO32 + lo;
      }
    }
  }

  /** A QUIC varint (RFC 9000 §16) as a bigint, 0..2^62-1; minimal encoding required as in {@link varint}. */
  varintBig(what: string): bigint {
    const p = this.pos;
    if (p >= this.end) this.short(1, what);
    if (this.buf[p] < 0xc0) return BigInt(this.varint(what));
    if (this.end - p < 8) this.short(8, what);
    const hi = this.be32(p) & 0x3fff_ffff;
    const lo = this.be32(p + 4);
    if (hi === 0 && lo < 0x4000_0000) this.nonMinimal(8, lo, p, what);
    this.pos = p + 8;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  private nonMinimal(len: number, v: number, p: number, what: string): never {
    return this.fail('non_minimal', what, `${len}-byte varint encoding of ${v} at offset ${p}`, p);
  }

  // ───────────────────────────── byte strings and sub-readers ─────────────────────────────

  /** The next `n` bytes as a zero-copy subarray (shares memory with the input; copy to keep). */
  bytes(n: number, what: string): Uint8Array {
    const p = this.pos;
    if (!(n >= 0 && n <= this.end - p)) this.badLength(n, what);
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }

  /** All remaining bytes, zero-copy; the reader ends up empty. */
  rest(): Uint8Array {
    const p = this.pos;
    this.pos = this.end;
    return this.buf.subarray(p, this.end);
  }

  /** A reader over the next `n` bytes (same buffer and error code); this one skips past them. */
  sub(n: number, what: string): Reader {
    const p = this.pos;
    if (!(n >= 0 && n <= this.end - p)) this.badLength(n, what);
    this.pos = p + n;
    return new Reader(this.buf, this.errorCode, p, p + n);
  }

  /** Moves past the next `n` bytes without reading them; 'truncated' when fewer remain. */
  advance(n: number, what: string): void {
    const p = this.pos;
    if (!(n >= 0 && n <= this.end - p)) this.badLength(n, what);
    this.pos = p + n;
  }

  /** Require that nothing remains (rustls `expect_empty`); else 'trailing_bytes'. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) {
      this.fail('trailing_bytes', what, `${this.end - this.pos} bytes left at offset ${this.pos}`);
    }
  }

  private badLength(n: number, what: string): never {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`Reader: ${what}: bad length ${n}`);
    return this.short(n, what);
  }

  // ───────────────────────────── protobuf wire format ─────────────────────────────
  // https://protobuf.dev/programming-guides/encoding/ — LEB128 varints (non-minimal forms allowed),
  // tags `fieldNumber << 3 | wireType`, wire types VARINT 0, I64 1, LEN 2, I32 5.

  /**
   * Scan a LEB128 varint at `pos` and return its value as a float (exact up to 2^53-1, above that
   * rounded but still > 2^53-1), advancing `pos`. At most 10 bytes; a 10th byte above 1 (more than
   * 64 bits, or an 11th byte) is 'out_of_range'.
   */
  private pbRaw(what: string): number {
    const b = this.buf;
    const end = this.end;
    const start = this.pos;
    let p = start;
    let v = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (p >= end) this.short(i + 1, what);
      const byte = b[p++];
      if (i === 9 && byte > 1) this.fail('out_of_range', what, `protobuf varint at offset ${start} exceeds 64 bits`, start);
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) break;
      mul *= 128;
    }
    this.pos = p;
    return v;
  }

  /** A protobuf varint as a number; a value above 2^53-1 is 'out_of_range' (use {@link pbVarintBig}). */
  pbVarint(what: string): number {
    const p = this.pos;
    if (p < this.end && this.buf[p] < 0x80) {
      this.pos = p + 1;
      return this.buf[p];
    }
    const v = this.pbRaw(what);
    if (v > MAX_SAFE) {
      this.pos = p;
      this.fail('out_of_range', what, `protobuf varint at offset ${p} exceeds 2^53-1`, p);
    }
    return v;
  }

  /** A protobuf varint as a bigint, 0..2^64-1. */
  pbVarintBig(what: string): bigint {
    const start = this.pos;
    const b = this.buf;
    const end = this.end;
    let p = start;
    let low = 0; // bits 0..48 (7 bytes), exact
    let high = 0; // bits 49..63 (3 bytes)
    let mul = 1;
    for (let i = 0; ; i++) {
      if (p >= end) this.short(i + 1, what);
      const byte = b[p++];
      if (i === 9 && byte > 1) this.fail('out_of_range', what, `protobuf varint at offset ${start} exceeds 64 bits`, start);
      if (i === 7) mul = 1;
      if (i < 7) low += (byte & 0x7f) * mul;
      else high += (byte & 0x7f) * mul;
      if (byte < 0x80) break;
      mul *= 128;
    }
    this.pos = p;
    return high === 0 ? BigInt(low) : BigInt(low) + (BigInt(high) << 49n);
  }

  /** A protobuf varint that must fit in 32 bits (uint32 fields); above 2^32-1 is 'out_of_range'. */
  pbUint32(what: string): number {
    const p = this.pos;
    const v = this.pbVarint0(what);
    if (v > 0xffff_ffff) {
      this.pos = p;
      this.fail('out_of_range', what, `protobuf uint32 at offset ${p} exceeds 2^32-1`, p);
    }
    return v;
  }

  /** pbRaw with the one-byte fast path, no range check. */
  private pbVarint0(what: string): number {
    const p = this.pos;
    if (p < this.end && this.buf[p] < 0x80) {
      this.pos = p + 1;
      return this.buf[p];
    }
    return this.pbRaw(what);
  }

  /**
   * A protobuf tag, returned raw: field number is `tag >>> 3`, wire type `tag & 7`. Field number 0
   * and wire types 3, 4 (groups), 6 and 7 are 'wire_type'.
   */
  pbTag(what: string): number {
    const p = this.pos;
    const tag = this.pbUint32(what);
    const wt = tag & 7;
    if (tag < 8 || wt === 3 || wt === 4 || wt > 5) {
      this.pos = p;
      this.fail('wire_type', what, `tag ${tag} (field ${tag >>> 3}, wire type ${wt}) at offset ${p}`, p);
    }
    return tag;
  }

  /** A protobuf LEN prefix, checked against the bytes remaining ('truncated' if it overruns). */
  pbLen(what: string): number {
    const p = this.pos;
    const n = this.pbVarint0(what);
    if (n > this.end - this.pos) {
      const left = this.end - this.pos;
      this.pos = p;
      this.fail('truncated', what, `length ${n} at offset ${p} exceeds ${left} bytes left`, p);
    }
    return n;
  }

  /** A protobuf LEN field's bytes, zero-copy. */
  pbBytes(what: string): Uint8Array {
    const n = this.pbLen(what);
    const p = this.pos;
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }

  /** A protobuf LEN field decoded as UTF-8; malformed UTF-8 is 'invalid_utf8'. */
  pbString(what: string): string {
    const start = this.pos;
    const n = this.pbLen(what);
    const p = this.pos;
    try {
      const s = utf8Decoder.decode(this.buf.subarray(p, p + n));
      this.pos = p + n;
      return s;
    } catch (cause) {
      this.pos = start;
      throw new DecodeError(this.errorCode, 'invalid_utf8', what, p, {
        detail: `${n}-byte string at offset ${p} is not valid UTF-8`, cause,
      });
    }
  }

  /** Skip the value of an unknown field of wire type 0, 1, 2 or 5 (others are 'wire_type'). */
  pbSkip(wireType: number, what: string): void {
    switch (wireType) {
      case 0:
        this.pbRaw(what);
        return;
      case 1:
        this.advance(8, what);
        return;
      case 2: {
        const n = this.pbLen(what); // read before touching pos: `pos += pbLen()` would use the old pos
        this.pos += n;
        return;
      }
      case 5:
        this.advance(4, what);
        return;
      default:
        this.fail('wire_type', what, `cannot skip wire type ${wireType} at offset ${this.pos}`);
    }
  }
}
