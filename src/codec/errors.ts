/**
 * Codec errors: {@link DecodeError} for malformed input, {@link EncodeError} for invalid values.
 *
 * Shaped after rustls `msgs/codec.rs` (`InvalidMessage`) and ws `lib/receiver.js`: every decode error
 * carries a stable string kind, the wire error code the peer is told (e.g. `FRAME_ENCODING_ERROR`
 * 0x07, RFC 9000 §20.1), the field path and the input offset where it was detected.
 *
 * @module
 */

/**
 * Every way decoding can fail, as stable strings (the spec's `decodeErrorKinds` table names the same set).
 */
export const DECODE_ERROR_KINDS = [
  /** The input ended inside a field. */
  'truncated',
  /** Bytes remained after the last field (rustls `expect_empty`). */
  'trailing_bytes',
  /** A varint used more bytes than needed (JSP requires the minimal form of RFC 9000 §16). */
  'non_minimal',
  /** A value outside what the field (or a JS number) can hold. */
  'out_of_range',
  /** A type code that no definition matches, where the spec says unknown types are errors. */
  'unknown_type',
  /** An enum value outside its table, where the spec says unknown values are errors. */
  'invalid_enum',
  /** A spec constraint between fields does not hold. */
  'constraint',
  /** A string field is not well-formed UTF-8. */
  'invalid_utf8',
  /** A protobuf tag has field number 0 or a wire type JSP does not accept. */
  'wire_type',
  /** A required protobuf field was absent. */
  'missing_field',
  /** More elements than the spec's limit allows. */
  'too_many',
  /** A field fixed by the spec to one value held another. */
  'invalid_const',
] as const;

/** A stable string naming why decoding failed; see {@link DECODE_ERROR_KINDS}. */
export type DecodeErrorKind = (typeof DECODE_ERROR_KINDS)[number];

/** Optional parts of a {@link DecodeError}. */
export interface DecodeErrorOptions {
  /** Human detail, shown in parentheses in the message; defaults to `at offset N`. */
  detail?: string;
  /** Name of {@link DecodeError.code} from the spec's error table, e.g. `FRAME_ENCODING_ERROR`. */
  codeName?: string;
  /** Underlying error (e.g. the TextDecoder TypeError). */
  cause?: unknown;
}

/**
 * Malformed input. Thrown by {@link Reader} methods and by generated decoders.
 *
 * The message reads `path: kind (detail)`, e.g.
 * `stream.offset: truncated (need 8 bytes at offset 3, 2 left)`.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  /** Wire error code from the spec's error table, e.g. 0x07 (RFC 9000 §20.1 FRAME_ENCODING_ERROR). */
  readonly code: number;
  /** Stable reason; see {@link DECODE_ERROR_KINDS}. */
  readonly kind: DecodeErrorKind;
  /** Field path, e.g. `stream.offset`. */
  readonly path: string;
  /** Byte offset in the input buffer where the problem was detected (start of the offending field). */
  readonly offset: number;
  /**
   * Name of {@link code} (e.g. `FRAME_ENCODING_ERROR`). The codec runtime does not know the error
   * table; a caller that does may set it here or through {@link DecodeErrorOptions.codeName}.
   */
  codeName?: string;

  constructor(code: number, kind: DecodeErrorKind, path: string, offset: number, options: DecodeErrorOptions = {}) {
    super(`${path}: ${kind} (${options.detail ?? `at offset ${offset}`})`,
      options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = kind;
    this.path = path;
    this.offset = offset;
    if (options.codeName !== undefined) this.codeName = options.codeName;
  }
}

/** Every way an encoder can refuse a value. */
export const ENCODE_ERROR_KINDS = [
  /** A number outside the field's range (or not an integer). */
  'out_of_range',
  /** A value of the wrong JS type (e.g. a number where a bigint is required). */
  'wrong_type',
  /** A byte string whose length differs from the spec's fixed or declared length. */
  'length_mismatch',
  /** A {@link Writer} over a caller-provided buffer ran out of room. */
  'overflow',
] as const;

/** A stable string naming why encoding failed; see {@link ENCODE_ERROR_KINDS}. */
export type EncodeErrorKind = (typeof ENCODE_ERROR_KINDS)[number];

/**
 * An invalid value given to an encoder. A RangeError (noble style): it is the caller's bug, not the
 * peer's, so it carries no wire code.
 *
 * The message reads `path: kind (detail)`, e.g.
 * `stream.offset: out_of_range (value 4611686018427387904 not in 0..4611686018427387903)`.
 */
export class EncodeError extends RangeError {
  override readonly name = 'EncodeError';
  /** Field path, e.g. `stream.offset`. */
  readonly path: string;
  /** Stable reason; see {@link ENCODE_ERROR_KINDS}. */
  readonly kind: EncodeErrorKind;

  constructor(kind: EncodeErrorKind, path: string, detail: string) {
    super(`${path}: ${kind} (${detail})`);
    this.kind = kind;
    this.path = path;
  }
}

/** Render any value for an error message without throwing (bigints get no `n`; strings are quoted). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return String(v);
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  return typeof v;
}

/** The EncodeError for a value outside `min..max` (inclusive). */
export function rangeError(path: string, value: unknown, min: number | bigint, max: number | bigint): EncodeError {
  const kind = typeof value === 'number' || typeof value === 'bigint' ? 'out_of_range' : 'wrong_type';
  return new EncodeError(kind, path, `value ${describeValue(value)} not in ${min}..${max}`);
}

/**
 * Assert `v` is an integer in `0..max` (max at most 2^53-1). For generated encoders, before calling
 * a non-checking {@link Writer} method.
 */
export function assertUint(v: number, max: number, path: string): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= max)) throw rangeError(path, v, 0, max);
}

/** Assert `v` is a bigint in `0..max`. */
export function assertUintBig(v: bigint, max: bigint, path: string): void {
  if (!(typeof v === 'bigint' && v >= 0n && v <= max)) throw rangeError(path, v, 0, max);
}

/** Assert a byte string is a Uint8Array of exactly `expected` bytes. */
export function assertLength(b: Uint8Array, expected: number, path: string): void {
  if (!(b instanceof Uint8Array)) throw new EncodeError('wrong_type', path, `expected Uint8Array, got ${describeValue(b)}`);
  if (b.length !== expected) throw new EncodeError('length_mismatch', path, `expected ${expected} bytes, got ${b.length}`);
}
