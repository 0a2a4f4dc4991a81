// GENERATED from spec/errors.yaml (sha256 f1c138e35f23f207) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Error codes (spec/errors.yaml, version 1) — RFC 9000 §20.1.
 *
 * Transport error codes carried by CONNECTION_CLOSE (transport variant) and reported by every
 * implementation's typed errors. Codes 0x00–0x10 keep the meaning RFC 9000 gives them; JSP's
 * own codes start at 0x100. Application error codes are a separate space chosen by the
 * application and carried by the application variant of CONNECTION_CLOSE, RESET_STREAM and
 * STOP_SENDING.
 *
 * Decode errors themselves are {@link DecodeError} and {@link EncodeError} from `src/codec/`, re-exported here.
 *
 * @module
 */
import { DECODE_ERROR_KINDS, DecodeError, EncodeError, type DecodeErrorKind } from '../codec/errors.ts';

export { DECODE_ERROR_KINDS, DecodeError, EncodeError };
export type { DecodeErrorKind };

/**
 * Every transport error code, by name (RFC 9000 §20.1 for 0x00–0x10, JSP codes from 0x100).
 */
export const ErrorCode = {
  /** The connection closes without an error. */
  NO_ERROR: 0x00,
  /** The endpoint met an error it cannot attribute to the peer. */
  INTERNAL_ERROR: 0x01,
  /** The server refuses to accept a new connection. */
  CONNECTION_REFUSED: 0x02,
  /** The peer sent more data than the limits it was given. */
  FLOW_CONTROL_ERROR: 0x03,
  /** The peer opened more streams than allowed. */
  STREAM_LIMIT_ERROR: 0x04,
  /** A frame arrived for a stream in a state that does not allow it. */
  STREAM_STATE_ERROR: 0x05,
  /** A stream's final size changed, or data arrived beyond it. */
  FINAL_SIZE_ERROR: 0x06,
  /**
   * A frame is badly formatted — truncated, trailing bytes, a value out of range, an unknown type.
   *
   * - MUST (`errors.frame-encoding`): A receiver MUST close the connection with FRAME_ENCODING_ERROR when a frame does not decode.
   */
  FRAME_ENCODING_ERROR: 0x07,
  /** The transport parameters are malformed, invalid or missing. */
  TRANSPORT_PARAMETER_ERROR: 0x08,
  /** The peer supplied more connection IDs than the limit it was given. */
  CONNECTION_ID_LIMIT_ERROR: 0x09,
  /** A protocol rule was broken that no more specific code covers. */
  PROTOCOL_VIOLATION: 0x0a,
  /** A Retry or address-validation token was invalid. */
  INVALID_TOKEN: 0x0b,
  /** The application closed the connection (used when the application code cannot be revealed). */
  APPLICATION_ERROR: 0x0c,
  /** The peer sent more handshake bytes than can be buffered. */
  CRYPTO_BUFFER_EXCEEDED: 0x0d,
  /** A key update was performed wrongly. */
  KEY_UPDATE_ERROR: 0x0e,
  /** Too many packets failed to decrypt under the current keys. */
  AEAD_LIMIT_REACHED: 0x0f,
  /** No network path can carry the connection. */
  NO_VIABLE_PATH: 0x10,
  /** The handshake failed its cryptographic checks (bad MAC, bad key share). */
  HANDSHAKE_FAILED: 0x100,
  /** Client and server share no cipher suite or key-exchange group. */
  NO_COMMON_SUITE: 0x101,
  /** No version is supported by both endpoints. */
  VERSION_MISMATCH: 0x102,
  /** The server did not prove possession of the static key the client pinned. */
  BAD_SERVER_KEY: 0x103,
  /** The negotiated parameters differ from the ones the peer offered. */
  DOWNGRADE_DETECTED: 0x104,
  /** A session ticket was expired, unknown, tampered with or replayed. */
  TICKET_REJECTED: 0x105,
  /** The endpoint refuses more work from this peer for now. */
  RATE_LIMITED: 0x106,
  /** Reported locally when a connection closed after its idle timeout; never sent. */
  IDLE_TIMEOUT: 0x107,
} as const;

/**
 * The name of a transport error code, e.g. `FRAME_ENCODING_ERROR`.
 */
export type ErrorCodeName = keyof typeof ErrorCode;

/**
 * A transport error code of the table (a peer may still send others).
 */
export type ErrorCodeValue = (typeof ErrorCode)[ErrorCodeName];

const NAMES: ReadonlyMap<number, ErrorCodeName> = new Map(
  (Object.keys(ErrorCode) as ErrorCodeName[]).map((name) => [ErrorCode[name], name]),
);

/**
 * The name of `code`, or `UNKNOWN(0x…)` for a code outside the table (`errors.unknown-code`: still report the number).
 */
export function errorCodeName(code: number): string {
  return NAMES.get(code) ?? `UNKNOWN(0x${code.toString(16)})`;
}

/**
 * What each decode error kind means, from the spec. The kinds are those of {@link DECODE_ERROR_KINDS}
 * (the codec runtime's list, re-exported above): this table does not compile when the two differ.
 */
export const DECODE_ERROR_KIND_DOCS = {
  truncated: "The input ended before the field did, or a length points past the end.",
  trailing_bytes: "Bytes remain after a complete value where none may.",
  non_minimal: "A variable-length integer used more bytes than its value needs.",
  out_of_range: "An integer or length is outside the range the spec allows.",
  unknown_type: "A frame type no member of the union claims.",
  invalid_enum: "A value outside an enum whose unknown values are errors.",
  constraint: "A relation between fields that the spec requires does not hold.",
  invalid_utf8: "A string field is not well-formed UTF-8.",
  wire_type: "A protobuf field has a wire type its declaration does not allow, field number 0, or a group.",
  missing_field: "A required field of a control message is absent.",
  too_many: "A repeated field has more elements than its limit.",
  invalid_const: "A field that must hold a fixed value (a fixed bit, a reserved bit) holds another.",
} as const satisfies Record<DecodeErrorKind, string>;

/**
 * A connection error carrying a transport error code: what a CONNECTION_CLOSE (transport variant)
 * reports. Subclasses name each code, e.g. `throw new FlowControlError('stream 4 exceeded its limit')`;
 * `instanceof TransportError` catches them all.
 */
export class TransportError extends Error {
  override name = 'TransportError';
  /** The wire code, e.g. 0x07. */
  readonly code: number;
  /** The name of {@link code}, e.g. `FRAME_ENCODING_ERROR` (`UNKNOWN(0x…)` outside the table). */
  readonly codeName: string;
  /** Why, in words; sent as the close reason. */
  readonly reason: string;

  constructor(code: number, reason = '', options?: { cause?: unknown }) {
    super(`${errorCodeName(code)}${reason ? `: ${reason}` : ''}`, options);
    this.code = code;
    this.codeName = errorCodeName(code);
    this.reason = reason;
  }

  /** The typed error for a code: its subclass when the table has one, else a plain TransportError. */
  static of(code: number, reason = '', options?: { cause?: unknown }): TransportError {
    const Class = BY_CODE.get(code);
    return Class ? new Class(reason, options) : new TransportError(code, reason, options);
  }

  /** The connection error a decode error leads to: same code, the decoder's message as the reason. */
  static fromDecodeError(e: DecodeError): TransportError {
    return TransportError.of(e.code, e.message, { cause: e });
  }
}

/**
 * The endpoint met an error it cannot attribute to the peer.
 *
 * Code 0x01 (`INTERNAL_ERROR`).
 */
export class InternalError extends TransportError {
  override name = 'InternalError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.INTERNAL_ERROR, reason, options);
  }
}

/**
 * The server refuses to accept a new connection.
 *
 * Code 0x02 (`CONNECTION_REFUSED`).
 */
export class ConnectionRefusedError extends TransportError {
  override name = 'ConnectionRefusedError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.CONNECTION_REFUSED, reason, options);
  }
}

/**
 * The peer sent more data than the limits it was given.
 *
 * Code 0x03 (`FLOW_CONTROL_ERROR`).
 */
export class FlowControlError extends TransportError {
  override name = 'FlowControlError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.FLOW_CONTROL_ERROR, reason, options);
  }
}

/**
 * The peer opened more streams than allowed.
 *
 * Code 0x04 (`STREAM_LIMIT_ERROR`).
 */
export class StreamLimitError extends TransportError {
  override name = 'StreamLimitError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.STREAM_LIMIT_ERROR, reason, options);
  }
}

/**
 * A frame arrived for a stream in a state that does not allow it.
 *
 * Code 0x05 (`STREAM_STATE_ERROR`).
 */
export class StreamStateError extends TransportError {
  override name = 'StreamStateError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.STREAM_STATE_ERROR, reason, options);
  }
}

/**
 * A stream's final size changed, or data arrived beyond it.
 *
 * Code 0x06 (`FINAL_SIZE_ERROR`).
 */
export class FinalSizeError extends TransportError {
  override name = 'FinalSizeError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.FINAL_SIZE_ERROR, reason, options);
  }
}

/**
 * A frame is badly formatted — truncated, trailing bytes, a value out of range, an unknown type.
 *
 * Code 0x07 (`FRAME_ENCODING_ERROR`).
 *
 * - MUST (`errors.frame-encoding`): A receiver MUST close the connection with FRAME_ENCODING_ERROR when a frame does not decode.
 */
export class FrameEncodingError extends TransportError {
  override name = 'FrameEncodingError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.FRAME_ENCODING_ERROR, reason, options);
  }
}

/**
 * The transport parameters are malformed, invalid or missing.
 *
 * Code 0x08 (`TRANSPORT_PARAMETER_ERROR`).
 */
export class TransportParameterError extends TransportError {
  override name = 'TransportParameterError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.TRANSPORT_PARAMETER_ERROR, reason, options);
  }
}

/**
 * The peer supplied more connection IDs than the limit it was given.
 *
 * Code 0x09 (`CONNECTION_ID_LIMIT_ERROR`).
 */
export class ConnectionIdLimitError extends TransportError {
  override name = 'ConnectionIdLimitError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.CONNECTION_ID_LIMIT_ERROR, reason, options);
  }
}

/**
 * A protocol rule was broken that no more specific code covers.
 *
 * Code 0x0a (`PROTOCOL_VIOLATION`).
 */
export class ProtocolViolationError extends TransportError {
  override name = 'ProtocolViolationError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.PROTOCOL_VIOLATION, reason, options);
  }
}

/**
 * A Retry or address-validation token was invalid.
 *
 * Code 0x0b (`INVALID_TOKEN`).
 */
export class InvalidTokenError extends TransportError {
  override name = 'InvalidTokenError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.INVALID_TOKEN, reason, options);
  }
}

/**
 * The application closed the connection (used when the application code cannot be revealed).
 *
 * Code 0x0c (`APPLICATION_ERROR`).
 */
export class ApplicationError extends TransportError {
  override name = 'ApplicationError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.APPLICATION_ERROR, reason, options);
  }
}

/**
 * The peer sent more handshake bytes than can be buffered.
 *
 * Code 0x0d (`CRYPTO_BUFFER_EXCEEDED`).
 */
export class CryptoBufferExceededError extends TransportError {
  override name = 'CryptoBufferExceededError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.CRYPTO_BUFFER_EXCEEDED, reason, options);
  }
}

/**
 * A key update was performed wrongly.
 *
 * Code 0x0e (`KEY_UPDATE_ERROR`).
 */
export class KeyUpdateError extends TransportError {
  override name = 'KeyUpdateError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.KEY_UPDATE_ERROR, reason, options);
  }
}

/**
 * Too many packets failed to decrypt under the current keys.
 *
 * Code 0x0f (`AEAD_LIMIT_REACHED`).
 */
export class AeadLimitReachedError extends TransportError {
  override name = 'AeadLimitReachedError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.AEAD_LIMIT_REACHED, reason, options);
  }
}

/**
 * No network path can carry the connection.
 *
 * Code 0x10 (`NO_VIABLE_PATH`).
 */
export class NoViablePathError extends TransportError {
  override name = 'NoViablePathError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.NO_VIABLE_PATH, reason, options);
  }
}

/**
 * The handshake failed its cryptographic checks (bad MAC, bad key share).
 *
 * Code 0x100 (`HANDSHAKE_FAILED`).
 */
export class HandshakeFailedError extends TransportError {
  override name = 'HandshakeFailedError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.HANDSHAKE_FAILED, reason, options);
  }
}

/**
 * Client and server share no cipher suite or key-exchange group.
 *
 * Code 0x101 (`NO_COMMON_SUITE`).
 */
export class NoCommonSuiteError extends TransportError {
  override name = 'NoCommonSuiteError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.NO_COMMON_SUITE, reason, options);
  }
}

/**
 * No version is supported by both endpoints.
 *
 * Code 0x102 (`VERSION_MISMATCH`).
 */
export class VersionMismatchError extends TransportError {
  override name = 'VersionMismatchError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.VERSION_MISMATCH, reason, options);
  }
}

/**
 * The server did not prove possession of the static key the client pinned.
 *
 * Code 0x103 (`BAD_SERVER_KEY`).
 */
export class BadServerKeyError extends TransportError {
  override name = 'BadServerKeyError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.BAD_SERVER_KEY, reason, options);
  }
}

/**
 * The negotiated parameters differ from the ones the peer offered.
 *
 * Code 0x104 (`DOWNGRADE_DETECTED`).
 */
export class DowngradeDetectedError extends TransportError {
  override name = 'DowngradeDetectedError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.DOWNGRADE_DETECTED, reason, options);
  }
}

/**
 * A session ticket was expired, unknown, tampered with or replayed.
 *
 * Code 0x105 (`TICKET_REJECTED`).
 */
export class TicketRejectedError extends TransportError {
  override name = 'TicketRejectedError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.TICKET_REJECTED, reason, options);
  }
}

/**
 * The endpoint refuses more work from this peer for now.
 *
 * Code 0x106 (`RATE_LIMITED`).
 */
export class RateLimitedError extends TransportError {
  override name = 'RateLimitedError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.RATE_LIMITED, reason, options);
  }
}

/**
 * Reported locally when a connection closed after its idle timeout; never sent.
 *
 * Code 0x107 (`IDLE_TIMEOUT`).
 */
export class IdleTimeoutError extends TransportError {
  override name = 'IdleTimeoutError';
  constructor(reason = '', options?: { cause?: unknown }) {
    super(ErrorCode.IDLE_TIMEOUT, reason, options);
  }
}

const BY_CODE: ReadonlyMap<number, new (reason?: string, options?: { cause?: unknown }) => TransportError> = new Map<
  number,
  new (reason?: string, options?: { cause?: unknown }) => TransportError
>([
  [ErrorCode.INTERNAL_ERROR, InternalError],
  [ErrorCode.CONNECTION_REFUSED, ConnectionRefusedError],
  [ErrorCode.FLOW_CONTROL_ERROR, FlowControlError],
  [ErrorCode.STREAM_LIMIT_ERROR, StreamLimitError],
  [ErrorCode.STREAM_STATE_ERROR, StreamStateError],
  [ErrorCode.FINAL_SIZE_ERROR, FinalSizeError],
  [ErrorCode.FRAME_ENCODING_ERROR, FrameEncodingError],
  [ErrorCode.TRANSPORT_PARAMETER_ERROR, TransportParameterError],
  [ErrorCode.CONNECTION_ID_LIMIT_ERROR, ConnectionIdLimitError],
  [ErrorCode.PROTOCOL_VIOLATION, ProtocolViolationError],
  [ErrorCode.INVALID_TOKEN, InvalidTokenError],
  [ErrorCode.APPLICATION_ERROR, ApplicationError],
  [ErrorCode.CRYPTO_BUFFER_EXCEEDED, CryptoBufferExceededError],
  [ErrorCode.KEY_UPDATE_ERROR, KeyUpdateError],
  [ErrorCode.AEAD_LIMIT_REACHED, AeadLimitReachedError],
  [ErrorCode.NO_VIABLE_PATH, NoViablePathError],
  [ErrorCode.HANDSHAKE_FAILED, HandshakeFailedError],
  [ErrorCode.NO_COMMON_SUITE, NoCommonSuiteError],
  [ErrorCode.VERSION_MISMATCH, VersionMismatchError],
  [ErrorCode.BAD_SERVER_KEY, BadServerKeyError],
  [ErrorCode.DOWNGRADE_DETECTED, DowngradeDetectedError],
  [ErrorCode.TICKET_REJECTED, TicketRejectedError],
  [ErrorCode.RATE_LIMITED, RateLimitedError],
  [ErrorCode.IDLE_TIMEOUT, IdleTimeoutError],
]);
