/**
 * Hand-written codec runtime that generated encoders/decoders (`src/gen/`) call: a zero-copy
 * {@link Reader}, a growable {@link Writer}, size functions, and the codec error types.
 *
 * QUIC varints follow RFC 9000 §16 with JSP's minimal-encoding rule; protobuf helpers follow
 * https://protobuf.dev/programming-guides/encoding/.
 *
 * @module
 */
export {
  DECODE_ERROR_KINDS,
  DecodeError,
  ENCODE_ERROR_KINDS,
  EncodeError,
  assertLength,
  assertUint,
  assertUintBig,
  describeValue,
  rangeError,
} from './errors.ts';
export type { DecodeErrorKind, DecodeErrorOptions, EncodeErrorKind } from './errors.ts';
export { Reader } from './reader.ts';
export {
  MAX_SAFE,
  PB_VARINT_MAX,
  VARINT_MAX,
  Writer,
  pbVarintSize,
  pbVarintSizeBig,
  utf8Size,
  varintSize,
  varintSizeBig,
} from './writer.ts';
