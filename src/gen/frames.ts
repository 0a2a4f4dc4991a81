// GENERATED from spec/frames.yaml (sha256 5788368641ab6c7a) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Frames (spec/frames.yaml, version 1) — RFC 9000 §12.4, §19; RFC 9221; RFC 9002 §13.
 *
 * The payload of every packet, once decrypted, is a sequence of frames. Each frame begins with
 * its type, a variable-length integer; some types carry flags in their low bits. Frames are not
 * self-describing: a receiver that does not know a type cannot skip the frame.
 *
 * @module
 */
import { MAX_SAFE, Reader, Writer, EncodeError, describeValue, rangeError, varintSize, varintSizeBig } from '../codec/index.ts';
import { ErrorCode } from './errors.ts';
import { MAX_HANDSHAKE_OFFSET, MAX_STREAM_OFFSET } from './constants.ts';
import { readCloseReason, sizeCloseReason, writeCloseReason, type CloseReason } from './messages.ts';

/** Decode errors of this file carry FRAME_ENCODING_ERROR (0x07). */
const ERROR_CODE = ErrorCode.FRAME_ENCODING_ERROR;

// ───────────────────────────── helpers ─────────────────────────────

/**
 * A varint length prefix with no size limit. One above 2^53-1 cannot fit in any input, so it is
 * `truncated` (a length pointing past the end), not `out_of_range`.
 */
function readLength(r: Reader, what: string): number {
  if (r.pos < r.end && r.buf[r.pos] >= 0xc0) {
    const at = r.pos;
    const n = r.varintBig(what);
    if (n > BigInt(MAX_SAFE)) r.fail('truncated', what, `length ${n} at offset ${at} exceeds the input`, at);
    return Number(n);
  }
  return r.varint(what);
}

function notBool(path: string, v: unknown): EncodeError {
  return new EncodeError('wrong_type', path, `expected a boolean, got ${describeValue(v)}`);
}

function notBytes(path: string, v: unknown): EncodeError {
  return new EncodeError('wrong_type', path, `expected a Uint8Array, got ${describeValue(v)}`);
}

function sizeError(path: string, n: number, min: number, max: number): EncodeError {
  return new EncodeError('out_of_range', path, `length ${n} not in ${min}..${max}`);
}

function presenceError(path: string, present: boolean, cond: string): EncodeError {
  return new EncodeError('wrong_type', path, present ? `must be absent unless ${cond}` : `required when ${cond}`);
}

/**
 * A frame; the type code chooses the member, and its low bits may carry the member's flags.
 *
 * The base type code of each member (flags, where a member has them, go in the low bits).
 */
export const FrameType = {
  /** {@link PaddingFrame}. */
  PADDING: 0x00,
  /** {@link PingFrame}. */
  PING: 0x01,
  /** {@link AckFrame}: 0x02, 0x03. */
  ACK: 0x02,
  /** {@link ResetStreamFrame}. */
  RESET_STREAM: 0x04,
  /** {@link StopSendingFrame}. */
  STOP_SENDING: 0x05,
  /** {@link HandshakeFrame}. */
  HANDSHAKE: 0x06,
  /** {@link NewSessionTicketFrame}. */
  NEW_SESSION_TICKET: 0x07,
  /** {@link StreamFrame}: 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f. */
  STREAM: 0x08,
  /** {@link MaxDataFrame}. */
  MAX_DATA: 0x10,
  /** {@link MaxStreamDataFrame}. */
  MAX_STREAM_DATA: 0x11,
  /** {@link MaxStreamsFrame}: 0x12, 0x13. */
  MAX_STREAMS: 0x12,
  /** {@link DataBlockedFrame}. */
  DATA_BLOCKED: 0x14,
  /** {@link StreamDataBlockedFrame}. */
  STREAM_DATA_BLOCKED: 0x15,
  /** {@link StreamsBlockedFrame}: 0x16, 0x17. */
  STREAMS_BLOCKED: 0x16,
  /** {@link NewConnectionIdFrame}. */
  NEW_CONNECTION_ID: 0x18,
  /** {@link RetireConnectionIdFrame}. */
  RETIRE_CONNECTION_ID: 0x19,
  /** {@link PathChallengeFrame}. */
  PATH_CHALLENGE: 0x1a,
  /** {@link PathResponseFrame}. */
  PATH_RESPONSE: 0x1b,
  /** {@link ConnectionCloseFrame}: 0x1c, 0x1d. */
  CONNECTION_CLOSE: 0x1c,
  /** {@link HandshakeDoneFrame}. */
  HANDSHAKE_DONE: 0x1e,
  /** {@link PongFrame}. */
  PONG: 0x20,
  /** {@link StreamSkipFrame}. */
  STREAM_SKIP: 0x21,
  /** {@link DatagramFrame}: 0x30, 0x31. */
  DATAGRAM: 0x30,
} as const;

/** A frame; the type code chooses the member, and its low bits may carry the member's flags. */
export type Frame =
  | PaddingFrame
  | PingFrame
  | AckFrame
  | ResetStreamFrame
  | StopSendingFrame
  | HandshakeFrame
  | NewSessionTicketFrame
  | StreamFrame
  | MaxDataFrame
  | MaxStreamDataFrame
  | MaxStreamsFrame
  | DataBlockedFrame
  | StreamDataBlockedFrame
  | StreamsBlockedFrame
  | NewConnectionIdFrame
  | RetireConnectionIdFrame
  | PathChallengeFrame
  | PathResponseFrame
  | ConnectionCloseFrame
  | HandshakeDoneFrame
  | PongFrame
  | StreamSkipFrame
  | DatagramFrame;

/**
 * One byte of padding. It has no content and is not ack-eliciting; runs of PADDING fill a
 * packet to a size.
 *
 * Type code 0x00.
 */
export interface PaddingFrame {
  /** Discriminant: a padding frame. */
  type: 'padding';
}

/** Fewest bytes of an encoded PaddingFrame. */
export const PADDING_FRAME_MIN_SIZE = 1;
/** Most bytes of an encoded PaddingFrame. */
export const PADDING_FRAME_MAX_SIZE = 1;

/**
 * A heartbeat. It is ack-eliciting, so it keeps the path alive and yields an RTT sample from
 * its acknowledgement; the peer also answers with a PONG echoing the sequence, so the
 * application can measure round trips itself.
 *
 * Type code 0x01.
 *
 * - MUST (`frames.ping.pong`): A receiver of PING MUST answer with a PONG carrying the same sequence, in a packet of the same packet number space.
 */
export interface PingFrame {
  /** Discriminant: a ping frame. */
  type: 'ping';
  /** A number the sender chooses, echoed by the PONG that answers this PING. */
  sequence: number;
}

/** Fewest bytes of an encoded PingFrame. */
export const PING_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded PingFrame. */
export const PING_FRAME_MAX_SIZE = 9;

/**
 * Acknowledges received packets as ranges of packet numbers, from the largest down. Type 0x03
 * also carries ECN counts.
 *
 * Type code 0x02 (0x02, 0x03: flags in the low bits).
 */
export interface AckFrame {
  /** Discriminant: an ack frame. */
  type: 'ack';
  /** The largest packet number acknowledged. */
  largestAcknowledged: number;
  /**
   * Time since the largest acknowledged packet was received, in microseconds shifted right by
   * the sender's ack_delay_exponent.
   */
  ackDelay: number;
  /** Packets acknowledged below largest_acknowledged in the first range. */
  firstAckRange: number;
  /** Further ranges, each below the previous one. */
  ackRanges: AckRange[];
  /** Counts of packets received with each ECN codepoint. */
  ecn?: EcnCounts;
}

/** Fewest bytes of an encoded AckFrame. */
export const ACK_FRAME_MIN_SIZE = 5;
/** Most bytes of an encoded AckFrame. */
export const ACK_FRAME_MAX_SIZE = 4147;

/** One more range of an ACK frame, below the previous one. */
export interface AckRange {
  /** Unacknowledged packets between this range and the previous one, minus 1. */
  gap: number;
  /** Packets acknowledged in this range, minus 1. */
  length: number;
}

/** Fewest bytes of an encoded AckRange. */
export const ACK_RANGE_MIN_SIZE = 2;
/** Most bytes of an encoded AckRange. */
export const ACK_RANGE_MAX_SIZE = 16;

/** ECN counts of an ACK frame (RFC 9000 §19.3.2). */
export interface EcnCounts {
  /** Packets received with the ECT(0) codepoint. */
  ect0: number;
  /** Packets received with the ECT(1) codepoint. */
  ect1: number;
  /** Packets received with the ECN-CE codepoint. */
  ecnCe: number;
}

/** Fewest bytes of an encoded EcnCounts. */
export const ECN_COUNTS_MIN_SIZE = 3;
/** Most bytes of an encoded EcnCounts. */
export const ECN_COUNTS_MAX_SIZE = 24;

/**
 * Abruptly ends the sending part of a stream; data not yet delivered may be discarded.
 *
 * Type code 0x04.
 *
 * - MUST (`frames.reset-stream.final-size`): A receiver MUST close with FINAL_SIZE_ERROR when final_size differs from a final size it already knows.
 */
export interface ResetStreamFrame {
  /** Discriminant: a reset_stream frame. */
  type: 'reset_stream';
  /** The stream being reset. */
  streamId: number;
  /** Application error code saying why. */
  errorCode: number;
  /** Final size of the stream in bytes. */
  finalSize: number;
}

/** Fewest bytes of an encoded ResetStreamFrame. */
export const RESET_STREAM_FRAME_MIN_SIZE = 4;
/** Most bytes of an encoded ResetStreamFrame. */
export const RESET_STREAM_FRAME_MAX_SIZE = 25;

/**
 * Asks the peer to stop sending on a stream; the peer answers with RESET_STREAM.
 *
 * Type code 0x05.
 */
export interface StopSendingFrame {
  /** Discriminant: a stop_sending frame. */
  type: 'stop_sending';
  /** The stream to stop. */
  streamId: number;
  /** Application error code saying why. */
  errorCode: number;
}

/** Fewest bytes of an encoded StopSendingFrame. */
export const STOP_SENDING_FRAME_MIN_SIZE = 3;
/** Most bytes of an encoded StopSendingFrame. */
export const STOP_SENDING_FRAME_MAX_SIZE = 17;

/**
 * Handshake message bytes at an offset, in the Initial and Handshake packet spaces (as QUIC's
 * CRYPTO frame). Each encryption level has its own offset space starting at 0.
 *
 * Type code 0x06.
 */
export interface HandshakeFrame {
  /** Discriminant: a handshake frame. */
  type: 'handshake';
  /** Offset of the first byte of data. */
  offset: number;
  /** Handshake message bytes. */
  data: Uint8Array;
}

/** Fewest bytes of an encoded HandshakeFrame. */
export const HANDSHAKE_FRAME_MIN_SIZE = 3;
/** Most bytes of an encoded HandshakeFrame. */
export const HANDSHAKE_FRAME_MAX_SIZE = 65544;

/**
 * A session ticket the client can use to resume (and send 0-RTT data) on a later connection.
 * Only the server sends it, and only after the handshake is confirmed.
 *
 * Type code 0x07.
 *
 * - MUST (`frames.new-session-ticket.server-only`): A server MUST treat a NEW_SESSION_TICKET frame received from a client as a PROTOCOL_VIOLATION.
 */
export interface NewSessionTicketFrame {
  /** Discriminant: a new_session_ticket frame. */
  type: 'new_session_ticket';
  /** Seconds the ticket may be used for. */
  lifetime: number;
  /** Random value added to the ticket age the client reports, to hide it. */
  ageAdd: number;
  /** Most 0-RTT bytes the server accepts with this ticket; 0 disables 0-RTT. */
  maxEarlyData: number;
  /** Distinguishes tickets of one connection in the resumption key schedule. */
  nonce: Uint8Array;
  /** The opaque ticket, encrypted under the server's ticket key. */
  ticket: Uint8Array;
}

/** Fewest bytes of an encoded NewSessionTicketFrame. */
export const NEW_SESSION_TICKET_FRAME_MIN_SIZE = 10;
/** Most bytes of an encoded NewSessionTicketFrame. */
export const NEW_SESSION_TICKET_FRAME_MAX_SIZE = 2323;

/**
 * Stream data. Types 0x08–0x0f: the low three bits are the OFF, LEN and FIN flags.
 *
 * Type code 0x08 (0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f: flags in the low bits).
 */
export interface StreamFrame {
  /** Discriminant: a stream frame. */
  type: 'stream';
  /** LEN — a length prefixes the data; without it the data runs to the end of the packet. */
  hasLength: boolean;
  /** FIN — this frame carries the end of the stream. */
  fin: boolean;
  /** The stream. */
  streamId: number;
  /** Offset in the stream of the first byte of data. */
  offset?: number;
  /** The stream bytes. */
  data: Uint8Array;
}

/** Fewest bytes of an encoded StreamFrame. */
export const STREAM_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded StreamFrame (unbounded: only the packet bounds it). */
export const STREAM_FRAME_MAX_SIZE = Infinity;

/**
 * The most data the peer may send on the whole connection.
 *
 * Type code 0x10.
 */
export interface MaxDataFrame {
  /** Discriminant: a max_data frame. */
  type: 'max_data';
  /** Limit in bytes, counted over all streams. */
  maximumData: number;
}

/** Fewest bytes of an encoded MaxDataFrame. */
export const MAX_DATA_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded MaxDataFrame. */
export const MAX_DATA_FRAME_MAX_SIZE = 9;

/**
 * The most data the peer may send on one stream.
 *
 * Type code 0x11.
 */
export interface MaxStreamDataFrame {
  /** Discriminant: a max_stream_data frame. */
  type: 'max_stream_data';
  /** The stream. */
  streamId: number;
  /** Limit in bytes. */
  maximumStreamData: number;
}

/** Fewest bytes of an encoded MaxStreamDataFrame. */
export const MAX_STREAM_DATA_FRAME_MIN_SIZE = 3;
/** Most bytes of an encoded MaxStreamDataFrame. */
export const MAX_STREAM_DATA_FRAME_MAX_SIZE = 17;

/**
 * The cumulative number of streams of one direction the peer may open. Types 0x12 (bidirectional) and 0x13 (unidirectional).
 *
 * Type code 0x12 (0x12, 0x13: flags in the low bits).
 *
 * - MUST (`frames.max-streams.limit`): A receiver MUST reject a MAX_STREAMS value above max_streams.
 */
export interface MaxStreamsFrame {
  /** Discriminant: a max_streams frame. */
  type: 'max_streams';
  /** Set for unidirectional streams. */
  uni: boolean;
  /** Streams the peer may open in total. */
  maximumStreams: number;
}

/** Fewest bytes of an encoded MaxStreamsFrame. */
export const MAX_STREAMS_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded MaxStreamsFrame. */
export const MAX_STREAMS_FRAME_MAX_SIZE = 9;

/**
 * The sender has data to send but the connection limit blocks it.
 *
 * Type code 0x14.
 */
export interface DataBlockedFrame {
  /** Discriminant: a data_blocked frame. */
  type: 'data_blocked';
  /** The limit at which the sender is blocked. */
  maximumData: number;
}

/** Fewest bytes of an encoded DataBlockedFrame. */
export const DATA_BLOCKED_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded DataBlockedFrame. */
export const DATA_BLOCKED_FRAME_MAX_SIZE = 9;

/**
 * The sender has data to send on a stream but its limit blocks it.
 *
 * Type code 0x15.
 */
export interface StreamDataBlockedFrame {
  /** Discriminant: a stream_data_blocked frame. */
  type: 'stream_data_blocked';
  /** The stream. */
  streamId: number;
  /** The limit at which the sender is blocked. */
  maximumStreamData: number;
}

/** Fewest bytes of an encoded StreamDataBlockedFrame. */
export const STREAM_DATA_BLOCKED_FRAME_MIN_SIZE = 3;
/** Most bytes of an encoded StreamDataBlockedFrame. */
export const STREAM_DATA_BLOCKED_FRAME_MAX_SIZE = 17;

/**
 * The sender wants to open a stream but the stream limit blocks it. Types 0x16 (bidirectional) and 0x17 (unidirectional).
 *
 * Type code 0x16 (0x16, 0x17: flags in the low bits).
 */
export interface StreamsBlockedFrame {
  /** Discriminant: a streams_blocked frame. */
  type: 'streams_blocked';
  /** Set for unidirectional streams. */
  uni: boolean;
  /** The stream limit at which the sender is blocked. */
  maximumStreams: number;
}

/** Fewest bytes of an encoded StreamsBlockedFrame. */
export const STREAMS_BLOCKED_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded StreamsBlockedFrame. */
export const STREAMS_BLOCKED_FRAME_MAX_SIZE = 9;

/**
 * Gives the peer another connection ID it may use to address this endpoint, with its stateless reset token.
 *
 * Type code 0x18.
 */
export interface NewConnectionIdFrame {
  /** Discriminant: a new_connection_id frame. */
  type: 'new_connection_id';
  /** Sequence number of this connection ID. */
  sequenceNumber: number;
  /** Connection IDs with lower sequence numbers are to be retired. */
  retirePriorTo: number;
  /** The connection ID. */
  connectionId: Uint8Array;
  /** Token for a stateless reset of this connection ID. */
  statelessResetToken: Uint8Array;
}

/** Fewest bytes of an encoded NewConnectionIdFrame. */
export const NEW_CONNECTION_ID_FRAME_MIN_SIZE = 21;
/** Most bytes of an encoded NewConnectionIdFrame. */
export const NEW_CONNECTION_ID_FRAME_MAX_SIZE = 54;

/**
 * Says the sender will no longer use a connection ID the peer issued.
 *
 * Type code 0x19.
 */
export interface RetireConnectionIdFrame {
  /** Discriminant: a retire_connection_id frame. */
  type: 'retire_connection_id';
  /** Sequence number of the retired connection ID. */
  sequenceNumber: number;
}

/** Fewest bytes of an encoded RetireConnectionIdFrame. */
export const RETIRE_CONNECTION_ID_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded RetireConnectionIdFrame. */
export const RETIRE_CONNECTION_ID_FRAME_MAX_SIZE = 9;

/**
 * Checks reachability of a path; the peer echoes the data in PATH_RESPONSE.
 *
 * Type code 0x1a.
 */
export interface PathChallengeFrame {
  /** Discriminant: a path_challenge frame. */
  type: 'path_challenge';
  /** Unpredictable bytes. */
  data: Uint8Array;
}

/** Fewest bytes of an encoded PathChallengeFrame. */
export const PATH_CHALLENGE_FRAME_MIN_SIZE = 9;
/** Most bytes of an encoded PathChallengeFrame. */
export const PATH_CHALLENGE_FRAME_MAX_SIZE = 9;

/**
 * Answers a PATH_CHALLENGE.
 *
 * Type code 0x1b.
 */
export interface PathResponseFrame {
  /** Discriminant: a path_response frame. */
  type: 'path_response';
  /** The data of the PATH_CHALLENGE answered. */
  data: Uint8Array;
}

/** Fewest bytes of an encoded PathResponseFrame. */
export const PATH_RESPONSE_FRAME_MIN_SIZE = 9;
/** Most bytes of an encoded PathResponseFrame. */
export const PATH_RESPONSE_FRAME_MAX_SIZE = 9;

/**
 * Closes the connection. Type 0x1c reports a transport error (with the frame type that caused
 * it); type 0x1d reports an application error.
 *
 * Type code 0x1c (0x1c, 0x1d: flags in the low bits).
 */
export interface ConnectionCloseFrame {
  /** Discriminant: a connection_close frame. */
  type: 'connection_close';
  /** Set when error_code is an application error code. */
  application: boolean;
  /** Transport error code (see errors) or application error code. */
  errorCode: number;
  /** Type of the frame that caused the error, or 0 when unknown. */
  frameType?: bigint;
  /** Why the connection closed, as a CloseReason control message (empty when there is nothing to say). */
  reason: CloseReason;
}

/** Fewest bytes of an encoded ConnectionCloseFrame. */
export const CONNECTION_CLOSE_FRAME_MIN_SIZE = 3;
/** Most bytes of an encoded ConnectionCloseFrame. */
export const CONNECTION_CLOSE_FRAME_MAX_SIZE = 1043;

/**
 * Sent by the server to confirm the handshake to the client.
 *
 * Type code 0x1e.
 *
 * - MUST (`frames.handshake-done.server-only`): A server MUST treat a HANDSHAKE_DONE frame from a client as a PROTOCOL_VIOLATION.
 */
export interface HandshakeDoneFrame {
  /** Discriminant: a handshake_done frame. */
  type: 'handshake_done';
}

/** Fewest bytes of an encoded HandshakeDoneFrame. */
export const HANDSHAKE_DONE_FRAME_MIN_SIZE = 1;
/** Most bytes of an encoded HandshakeDoneFrame. */
export const HANDSHAKE_DONE_FRAME_MAX_SIZE = 1;

/**
 * Answers a PING, echoing its sequence.
 *
 * Type code 0x20.
 */
export interface PongFrame {
  /** Discriminant: a pong frame. */
  type: 'pong';
  /** The sequence of the PING answered. */
  sequence: number;
}

/** Fewest bytes of an encoded PongFrame. */
export const PONG_FRAME_MIN_SIZE = 2;
/** Most bytes of an encoded PongFrame. */
export const PONG_FRAME_MAX_SIZE = 9;

/**
 * Partial reliability: the sender has abandoned the stream bytes below skip_offset (their TTL
 * or retransmission budget ran out) and will not send them again. The receiver advances its
 * read position to skip_offset and tells the application which range was lost.
 *
 * Type code 0x21.
 *
 * - MUST (`frames.stream-skip.monotonic`): A receiver MUST ignore a STREAM_SKIP whose skip_offset is not above the skip offset it already has.
 * - MUST (`frames.stream-skip.final-size`): A receiver MUST close with FINAL_SIZE_ERROR when skip_offset exceeds a known final size.
 */
export interface StreamSkipFrame {
  /** Discriminant: a stream_skip frame. */
  type: 'stream_skip';
  /** The stream. */
  streamId: number;
  /** Offset of the first byte the sender still delivers. */
  skipOffset: number;
}

/** Fewest bytes of an encoded StreamSkipFrame. */
export const STREAM_SKIP_FRAME_MIN_SIZE = 3;
/** Most bytes of an encoded StreamSkipFrame. */
export const STREAM_SKIP_FRAME_MAX_SIZE = 17;

/**
 * An unreliable datagram (RFC 9221). Type 0x30 runs to the end of the packet; 0x31 has a length.
 *
 * Type code 0x30 (0x30, 0x31: flags in the low bits).
 */
export interface DatagramFrame {
  /** Discriminant: a datagram frame. */
  type: 'datagram';
  /** LEN — a length prefixes the data. */
  hasLength: boolean;
  /** The datagram payload. */
  data: Uint8Array;
}

/** Fewest bytes of an encoded DatagramFrame. */
export const DATAGRAM_FRAME_MIN_SIZE = 1;
/** Most bytes of an encoded DatagramFrame (unbounded: only the packet bounds it). */
export const DATAGRAM_FRAME_MAX_SIZE = Infinity;

/**
 * Reads the frame type (a varint, minimal encoding required). No member's code needs 8 bytes, so an
 * 8-byte type is read whole and reported as `unknown_type` (not as a value too large for a number).
 */
function readType(r: Reader): number {
  if (r.pos < r.end && r.buf[r.pos] >= 0xc0) {
    const at = r.pos;
    const type = r.varintBig('frame.type');
    r.fail('unknown_type', 'frame.type', `type 0x${type.toString(16)}`, at);
  }
  return r.varint('frame.type');
}

/** Reads a PaddingFrame, type code included; a code of another member is `unknown_type`. */
export function readPaddingFrame(r: Reader): PaddingFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x00) r.fail('unknown_type', 'padding.type', `type 0x${type.toString(16)} is not a padding frame`, at);
  return readPaddingFrameBody(r);
}

/** The fields of a PaddingFrame, after its type code. */
function readPaddingFrameBody(_r: Reader): PaddingFrame {
  return { type: 'padding' };
}

/** Decodes exactly one PaddingFrame: leftover bytes are `trailing_bytes`. */
export function decodePaddingFrame(bytes: Uint8Array): PaddingFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readPaddingFrame(r);
  r.expectEnd('padding.end');
  return v;
}

/** Throws EncodeError for any PaddingFrame a decoder would reject. */
function checkPaddingFrame(_v: PaddingFrame): void {
  // nothing to check: every value of the type is valid
}

/** The exact encoded size of a PaddingFrame (of a valid one: `encodePaddingFrame` checks first). */
export function sizePaddingFrame(_v: PaddingFrame): number {
  return 1; // type
}

/** Writes a PaddingFrame that passed `checkPaddingFrame`. */
function putPaddingFrame(w: Writer, _v: PaddingFrame): void {

  w.u8(0x00); // type: 1 byte
}

/** Checks a PaddingFrame (EncodeError when invalid), then writes it. */
export function writePaddingFrame(w: Writer, v: PaddingFrame): void {
  checkPaddingFrame(v);
  putPaddingFrame(w, v);
}

/** Checks a PaddingFrame and encodes it into a buffer of exactly `sizePaddingFrame(v)` bytes. */
export function encodePaddingFrame(v: PaddingFrame): Uint8Array {
  checkPaddingFrame(v);
  const w = new Writer(new Uint8Array(sizePaddingFrame(v)));
  putPaddingFrame(w, v);
  return w.buf;
}

/** Reads a PingFrame, type code included; a code of another member is `unknown_type`. */
export function readPingFrame(r: Reader): PingFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x01) r.fail('unknown_type', 'ping.type', `type 0x${type.toString(16)} is not a ping frame`, at);
  return readPingFrameBody(r);
}

/** The fields of a PingFrame, after its type code. */
function readPingFrameBody(r: Reader): PingFrame {
  const sequence = r.varint('ping.sequence');
  return { type: 'ping', sequence };
}

/** Decodes exactly one PingFrame: leftover bytes are `trailing_bytes`. */
export function decodePingFrame(bytes: Uint8Array): PingFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readPingFrame(r);
  r.expectEnd('ping.end');
  return v;
}

/** Throws EncodeError for any PingFrame a decoder would reject. */
function checkPingFrame(v: PingFrame): void {
  if (!(Number.isSafeInteger(v.sequence) && v.sequence >= 0)) throw rangeError('ping.sequence', v.sequence, 0, MAX_SAFE);
}

/** The exact encoded size of a PingFrame (of a valid one: `encodePingFrame` checks first). */
export function sizePingFrame(v: PingFrame): number {
  let n = 1; // type
  n += varintSize(v.sequence);
  return n;
}

/** Writes a PingFrame that passed `checkPingFrame`. */
function putPingFrame(w: Writer, v: PingFrame): void {

  w.u8(0x01); // type: 1 byte
  w.varint(v.sequence); // <= 8 bytes
}

/** Checks a PingFrame (EncodeError when invalid), then writes it. */
export function writePingFrame(w: Writer, v: PingFrame): void {
  checkPingFrame(v);
  putPingFrame(w, v);
}

/** Checks a PingFrame and encodes it into a buffer of exactly `sizePingFrame(v)` bytes. */
export function encodePingFrame(v: PingFrame): Uint8Array {
  checkPingFrame(v);
  const w = new Writer(new Uint8Array(sizePingFrame(v)));
  putPingFrame(w, v);
  return w.buf;
}

/** Reads an AckFrame, type code included; a code of another member is `unknown_type`. */
export function readAckFrame(r: Reader): AckFrame {
  const at = r.pos;
  const type = readType(r);
  if (type - (type & 0x01) !== 0x02) r.fail('unknown_type', 'ack.type', `type 0x${type.toString(16)} is not an ack frame`, at);
  return readAckFrameBody(r, type);
}

/** The fields of an AckFrame, after its type code (whose low bits are flags). */
function readAckFrameBody(r: Reader, type: number): AckFrame {
  const hasEcn = (type & 0x1) !== 0;
  const largestAcknowledged = r.varint('ack.largest_acknowledged');
  const ackDelay = r.varint('ack.ack_delay');
  const ackRangeCount = r.varint('ack.ack_range_count'); // = count(ack_ranges)
  if (ackRangeCount > 256) r.fail('out_of_range', 'ack.ack_range_count', `value ${ackRangeCount} not in 0..256`, r.pos - varintSize(ackRangeCount));
  const firstAckRange = r.varint('ack.first_ack_range');
  const ackRanges: AckRange[] = [];
  for (let i = 0; i < ackRangeCount; i++) ackRanges.push(readAckRange(r));
  const ecn = hasEcn ? readEcnCounts(r) : undefined;
  if (firstAckRange > largestAcknowledged) r.fail('constraint', 'ack', 'first_ack_range <= largest_acknowledged (frames.ack.first-range)');
  return { type: 'ack', largestAcknowledged, ackDelay, firstAckRange, ackRanges, ecn };
}

/** Decodes exactly one AckFrame: leftover bytes are `trailing_bytes`. */
export function decodeAckFrame(bytes: Uint8Array): AckFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readAckFrame(r);
  r.expectEnd('ack.end');
  return v;
}

/** Throws EncodeError for any AckFrame a decoder would reject. */
function checkAckFrame(v: AckFrame): void {
  if (!(Number.isSafeInteger(v.largestAcknowledged) && v.largestAcknowledged >= 0)) throw rangeError('ack.largest_acknowledged', v.largestAcknowledged, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.ackDelay) && v.ackDelay >= 0)) throw rangeError('ack.ack_delay', v.ackDelay, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.firstAckRange) && v.firstAckRange >= 0)) throw rangeError('ack.first_ack_range', v.firstAckRange, 0, MAX_SAFE);
  if (!Array.isArray(v.ackRanges)) throw new EncodeError('wrong_type', 'ack.ack_ranges', `expected an array, got ${describeValue(v.ackRanges)}`);
  if (v.ackRanges.length > 256) throw new EncodeError('out_of_range', 'ack.ack_ranges', `${v.ackRanges.length} elements, at most 256`);
  for (let i = 0; i < v.ackRanges.length; i++) checkAckRange(v.ackRanges[i]);
  if (v.ecn !== undefined) checkEcnCounts(v.ecn);
  if (v.firstAckRange > v.largestAcknowledged) throw new EncodeError('out_of_range', 'ack', `first_ack_range <= largest_acknowledged (frames.ack.first-range) does not hold: ${v.firstAckRange} <= ${v.largestAcknowledged}`);
}

/** The exact encoded size of an AckFrame (of a valid one: `encodeAckFrame` checks first). */
export function sizeAckFrame(v: AckFrame): number {
  const ackRangeCount = v.ackRanges.length; // ack_range_count = count(ack_ranges)
  let n = 1; // type
  n += varintSize(v.largestAcknowledged);
  n += varintSize(v.ackDelay);
  n += varintSize(ackRangeCount);
  n += varintSize(v.firstAckRange);
  for (let i = 0; i < v.ackRanges.length; i++) n += sizeAckRange(v.ackRanges[i]);
  if (v.ecn !== undefined) n += sizeEcnCounts(v.ecn);
  return n;
}

/** Writes an AckFrame that passed `checkAckFrame`. */
function putAckFrame(w: Writer, v: AckFrame): void {
  const ackRangeCount = v.ackRanges.length; // ack_range_count = count(ack_ranges)
  w.u8(0x02 | (v.ecn !== undefined ? 0x01 : 0)); // type: 1 byte
  w.varint(v.largestAcknowledged); // <= 8 bytes
  w.varint(v.ackDelay); // <= 8 bytes
  w.varint(ackRangeCount); // ack_range_count: <= 2 bytes
  w.varint(v.firstAckRange); // <= 8 bytes
  for (let i = 0; i < v.ackRanges.length; i++) putAckRange(w, v.ackRanges[i]);
  if (v.ecn !== undefined) putEcnCounts(w, v.ecn);
}

/** Checks an AckFrame (EncodeError when invalid), then writes it. */
export function writeAckFrame(w: Writer, v: AckFrame): void {
  checkAckFrame(v);
  putAckFrame(w, v);
}

/** Checks an AckFrame and encodes it into a buffer of exactly `sizeAckFrame(v)` bytes. */
export function encodeAckFrame(v: AckFrame): Uint8Array {
  checkAckFrame(v);
  const w = new Writer(new Uint8Array(sizeAckFrame(v)));
  putAckFrame(w, v);
  return w.buf;
}

/** Reads an AckRange, advancing the reader. */
export function readAckRange(r: Reader): AckRange {
  const gap = r.varint('ack_range.gap');
  const length = r.varint('ack_range.length');
  return { gap, length };
}

/** Decodes exactly one AckRange: leftover bytes are `trailing_bytes`. */
export function decodeAckRange(bytes: Uint8Array): AckRange {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readAckRange(r);
  r.expectEnd('ack_range.end');
  return v;
}

/** Throws EncodeError for any AckRange a decoder would reject. */
function checkAckRange(v: AckRange): void {
  if (!(Number.isSafeInteger(v.gap) && v.gap >= 0)) throw rangeError('ack_range.gap', v.gap, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.length) && v.length >= 0)) throw rangeError('ack_range.length', v.length, 0, MAX_SAFE);
}

/** The exact encoded size of an AckRange (of a valid one: `encodeAckRange` checks first). */
export function sizeAckRange(v: AckRange): number {
  let n = 0;
  n += varintSize(v.gap);
  n += varintSize(v.length);
  return n;
}

/** Writes an AckRange that passed `checkAckRange`. */
function putAckRange(w: Writer, v: AckRange): void {

  w.varint(v.gap); // <= 8 bytes
  w.varint(v.length); // <= 8 bytes
}

/** Checks an AckRange (EncodeError when invalid), then writes it. */
export function writeAckRange(w: Writer, v: AckRange): void {
  checkAckRange(v);
  putAckRange(w, v);
}

/** Checks an AckRange and encodes it into a buffer of exactly `sizeAckRange(v)` bytes. */
export function encodeAckRange(v: AckRange): Uint8Array {
  checkAckRange(v);
  const w = new Writer(new Uint8Array(sizeAckRange(v)));
  putAckRange(w, v);
  return w.buf;
}

/** Reads an EcnCounts, advancing the reader. */
export function readEcnCounts(r: Reader): EcnCounts {
  const ect0 = r.varint('ecn_counts.ect0');
  const ect1 = r.varint('ecn_counts.ect1');
  const ecnCe = r.varint('ecn_counts.ecn_ce');
  return { ect0, ect1, ecnCe };
}

/** Decodes exactly one EcnCounts: leftover bytes are `trailing_bytes`. */
export function decodeEcnCounts(bytes: Uint8Array): EcnCounts {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readEcnCounts(r);
  r.expectEnd('ecn_counts.end');
  return v;
}

/** Throws EncodeError for any EcnCounts a decoder would reject. */
function checkEcnCounts(v: EcnCounts): void {
  if (!(Number.isSafeInteger(v.ect0) && v.ect0 >= 0)) throw rangeError('ecn_counts.ect0', v.ect0, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.ect1) && v.ect1 >= 0)) throw rangeError('ecn_counts.ect1', v.ect1, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.ecnCe) && v.ecnCe >= 0)) throw rangeError('ecn_counts.ecn_ce', v.ecnCe, 0, MAX_SAFE);
}

/** The exact encoded size of an EcnCounts (of a valid one: `encodeEcnCounts` checks first). */
export function sizeEcnCounts(v: EcnCounts): number {
  let n = 0;
  n += varintSize(v.ect0);
  n += varintSize(v.ect1);
  n += varintSize(v.ecnCe);
  return n;
}

/** Writes an EcnCounts that passed `checkEcnCounts`. */
function putEcnCounts(w: Writer, v: EcnCounts): void {

  w.varint(v.ect0); // <= 8 bytes
  w.varint(v.ect1); // <= 8 bytes
  w.varint(v.ecnCe); // <= 8 bytes
}

/** Checks an EcnCounts (EncodeError when invalid), then writes it. */
export function writeEcnCounts(w: Writer, v: EcnCounts): void {
  checkEcnCounts(v);
  putEcnCounts(w, v);
}

/** Checks an EcnCounts and encodes it into a buffer of exactly `sizeEcnCounts(v)` bytes. */
export function encodeEcnCounts(v: EcnCounts): Uint8Array {
  checkEcnCounts(v);
  const w = new Writer(new Uint8Array(sizeEcnCounts(v)));
  putEcnCounts(w, v);
  return w.buf;
}

/** Reads a ResetStreamFrame, type code included; a code of another member is `unknown_type`. */
export function readResetStreamFrame(r: Reader): ResetStreamFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x04) r.fail('unknown_type', 'reset_stream.type', `type 0x${type.toString(16)} is not a reset_stream frame`, at);
  return readResetStreamFrameBody(r);
}

/** The fields of a ResetStreamFrame, after its type code. */
function readResetStreamFrameBody(r: Reader): ResetStreamFrame {
  const streamId = r.varint('reset_stream.stream_id');
  const errorCode = r.varint('reset_stream.error_code');
  const finalSize = r.varint('reset_stream.final_size');
  return { type: 'reset_stream', streamId, errorCode, finalSize };
}

/** Decodes exactly one ResetStreamFrame: leftover bytes are `trailing_bytes`. */
export function decodeResetStreamFrame(bytes: Uint8Array): ResetStreamFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readResetStreamFrame(r);
  r.expectEnd('reset_stream.end');
  return v;
}

/** Throws EncodeError for any ResetStreamFrame a decoder would reject. */
function checkResetStreamFrame(v: ResetStreamFrame): void {
  if (!(Number.isSafeInteger(v.streamId) && v.streamId >= 0)) throw rangeError('reset_stream.stream_id', v.streamId, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.errorCode) && v.errorCode >= 0)) throw rangeError('reset_stream.error_code', v.errorCode, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.finalSize) && v.finalSize >= 0)) throw rangeError('reset_stream.final_size', v.finalSize, 0, MAX_SAFE);
}

/** The exact encoded size of a ResetStreamFrame (of a valid one: `encodeResetStreamFrame` checks first). */
export function sizeResetStreamFrame(v: ResetStreamFrame): number {
  let n = 1; // type
  n += varintSize(v.streamId);
  n += varintSize(v.errorCode);
  n += varintSize(v.finalSize);
  return n;
}

/** Writes a ResetStreamFrame that passed `checkResetStreamFrame`. */
function putResetStreamFrame(w: Writer, v: ResetStreamFrame): void {

  w.u8(0x04); // type: 1 byte
  w.varint(v.streamId); // <= 8 bytes
  w.varint(v.errorCode); // <= 8 bytes
  w.varint(v.finalSize); // <= 8 bytes
}

/** Checks a ResetStreamFrame (EncodeError when invalid), then writes it. */
export function writeResetStreamFrame(w: Writer, v: ResetStreamFrame): void {
  checkResetStreamFrame(v);
  putResetStreamFrame(w, v);
}

/** Checks a ResetStreamFrame and encodes it into a buffer of exactly `sizeResetStreamFrame(v)` bytes. */
export function encodeResetStreamFrame(v: ResetStreamFrame): Uint8Array {
  checkResetStreamFrame(v);
  const w = new Writer(new Uint8Array(sizeResetStreamFrame(v)));
  putResetStreamFrame(w, v);
  return w.buf;
}

/** Reads a StopSendingFrame, type code included; a code of another member is `unknown_type`. */
export function readStopSendingFrame(r: Reader): StopSendingFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x05) r.fail('unknown_type', 'stop_sending.type', `type 0x${type.toString(16)} is not a stop_sending frame`, at);
  return readStopSendingFrameBody(r);
}

/** The fields of a StopSendingFrame, after its type code. */
function readStopSendingFrameBody(r: Reader): StopSendingFrame {
  const streamId = r.varint('stop_sending.stream_id');
  const errorCode = r.varint('stop_sending.error_code');
  return { type: 'stop_sending', streamId, errorCode };
}

/** Decodes exactly one StopSendingFrame: leftover bytes are `trailing_bytes`. */
export function decodeStopSendingFrame(bytes: Uint8Array): StopSendingFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readStopSendingFrame(r);
  r.expectEnd('stop_sending.end');
  return v;
}

/** Throws EncodeError for any StopSendingFrame a decoder would reject. */
function checkStopSendingFrame(v: StopSendingFrame): void {
  if (!(Number.isSafeInteger(v.streamId) && v.streamId >= 0)) throw rangeError('stop_sending.stream_id', v.streamId, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.errorCode) && v.errorCode >= 0)) throw rangeError('stop_sending.error_code', v.errorCode, 0, MAX_SAFE);
}

/** The exact encoded size of a StopSendingFrame (of a valid one: `encodeStopSendingFrame` checks first). */
export function sizeStopSendingFrame(v: StopSendingFrame): number {
  let n = 1; // type
  n += varintSize(v.streamId);
  n += varintSize(v.errorCode);
  return n;
}

/** Writes a StopSendingFrame that passed `checkStopSendingFrame`. */
function putStopSendingFrame(w: Writer, v: StopSendingFrame): void {

  w.u8(0x05); // type: 1 byte
  w.varint(v.streamId); // <= 8 bytes
  w.varint(v.errorCode); // <= 8 bytes
}

/** Checks a StopSendingFrame (EncodeError when invalid), then writes it. */
export function writeStopSendingFrame(w: Writer, v: StopSendingFrame): void {
  checkStopSendingFrame(v);
  putStopSendingFrame(w, v);
}

/** Checks a StopSendingFrame and encodes it into a buffer of exactly `sizeStopSendingFrame(v)` bytes. */
export function encodeStopSendingFrame(v: StopSendingFrame): Uint8Array {
  checkStopSendingFrame(v);
  const w = new Writer(new Uint8Array(sizeStopSendingFrame(v)));
  putStopSendingFrame(w, v);
  return w.buf;
}

/** Reads a HandshakeFrame, type code included; a code of another member is `unknown_type`. */
export function readHandshakeFrame(r: Reader): HandshakeFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x06) r.fail('unknown_type', 'handshake.type', `type 0x${type.toString(16)} is not a handshake frame`, at);
  return readHandshakeFrameBody(r);
}

/** The fields of a HandshakeFrame, after its type code. */
function readHandshakeFrameBody(r: Reader): HandshakeFrame {
  const offset = r.varint('handshake.offset');
  if (offset > 65535) r.fail('out_of_range', 'handshake.offset', `value ${offset} not in 0..65535`, r.pos - varintSize(offset));
  const dataLength = r.varint('handshake.data');
  if (dataLength > 65535) r.fail('out_of_range', 'handshake.data', `length ${dataLength} not in 0..65535`, r.pos - varintSize(dataLength));
  const data = r.bytes(dataLength, 'handshake.data');
  if (offset + data.length > MAX_HANDSHAKE_OFFSET) r.fail('constraint', 'handshake', 'offset + len(data) <= max_handshake_offset (frames.handshake.limit)');
  return { type: 'handshake', offset, data };
}

/** Decodes exactly one HandshakeFrame: leftover bytes are `trailing_bytes`. */
export function decodeHandshakeFrame(bytes: Uint8Array): HandshakeFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readHandshakeFrame(r);
  r.expectEnd('handshake.end');
  return v;
}

/** Throws EncodeError for any HandshakeFrame a decoder would reject. */
function checkHandshakeFrame(v: HandshakeFrame): void {
  if (!(Number.isInteger(v.offset) && v.offset >= 0 && v.offset <= 65535)) throw rangeError('handshake.offset', v.offset, 0, 65535);
  if (!(v.data instanceof Uint8Array)) throw notBytes('handshake.data', v.data);
  if (v.data.length > 65535) throw sizeError('handshake.data', v.data.length, 0, 65535);
  if (v.offset + v.data.length > MAX_HANDSHAKE_OFFSET) throw new EncodeError('out_of_range', 'handshake', `offset + len(data) <= max_handshake_offset (frames.handshake.limit) does not hold: ${v.offset + v.data.length} <= ${MAX_HANDSHAKE_OFFSET}`);
}

/** The exact encoded size of a HandshakeFrame (of a valid one: `encodeHandshakeFrame` checks first). */
export function sizeHandshakeFrame(v: HandshakeFrame): number {
  let n = 1; // type
  n += varintSize(v.offset);
  n += varintSize(v.data.length) + v.data.length;
  return n;
}

/** Writes a HandshakeFrame that passed `checkHandshakeFrame`. */
function putHandshakeFrame(w: Writer, v: HandshakeFrame): void {

  w.u8(0x06); // type: 1 byte
  w.varint(v.offset); // <= 4 bytes
  w.varint(v.data.length); // <= 4 bytes
  w.bytes(v.data);
}

/** Checks a HandshakeFrame (EncodeError when invalid), then writes it. */
export function writeHandshakeFrame(w: Writer, v: HandshakeFrame): void {
  checkHandshakeFrame(v);
  putHandshakeFrame(w, v);
}

/** Checks a HandshakeFrame and encodes it into a buffer of exactly `sizeHandshakeFrame(v)` bytes. */
export function encodeHandshakeFrame(v: HandshakeFrame): Uint8Array {
  checkHandshakeFrame(v);
  const w = new Writer(new Uint8Array(sizeHandshakeFrame(v)));
  putHandshakeFrame(w, v);
  return w.buf;
}

/** Reads a NewSessionTicketFrame, type code included; a code of another member is `unknown_type`. */
export function readNewSessionTicketFrame(r: Reader): NewSessionTicketFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x07) r.fail('unknown_type', 'new_session_ticket.type', `type 0x${type.toString(16)} is not a new_session_ticket frame`, at);
  return readNewSessionTicketFrameBody(r);
}

/** The fields of a NewSessionTicketFrame, after its type code. */
function readNewSessionTicketFrameBody(r: Reader): NewSessionTicketFrame {
  const lifetime = r.varint('new_session_ticket.lifetime');
  if (lifetime > 604800) r.fail('out_of_range', 'new_session_ticket.lifetime', `value ${lifetime} not in 0..604800`, r.pos - varintSize(lifetime));
  const ageAdd = r.u32('new_session_ticket.age_add');
  const maxEarlyData = r.varint('new_session_ticket.max_early_data');
  const nonceLength = r.u8('new_session_ticket.nonce');
  const nonce = r.bytes(nonceLength, 'new_session_ticket.nonce');
  const ticketLength = r.varint('new_session_ticket.ticket');
  if (ticketLength < 1 || ticketLength > 2048) r.fail('out_of_range', 'new_session_ticket.ticket', `length ${ticketLength} not in 1..2048`, r.pos - varintSize(ticketLength));
  const ticket = r.bytes(ticketLength, 'new_session_ticket.ticket');
  return { type: 'new_session_ticket', lifetime, ageAdd, maxEarlyData, nonce, ticket };
}

/** Decodes exactly one NewSessionTicketFrame: leftover bytes are `trailing_bytes`. */
export function decodeNewSessionTicketFrame(bytes: Uint8Array): NewSessionTicketFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readNewSessionTicketFrame(r);
  r.expectEnd('new_session_ticket.end');
  return v;
}

/** Throws EncodeError for any NewSessionTicketFrame a decoder would reject. */
function checkNewSessionTicketFrame(v: NewSessionTicketFrame): void {
  if (!(Number.isInteger(v.lifetime) && v.lifetime >= 0 && v.lifetime <= 604800)) throw rangeError('new_session_ticket.lifetime', v.lifetime, 0, 604800);
  if (!(Number.isInteger(v.ageAdd) && v.ageAdd >= 0 && v.ageAdd <= 4294967295)) throw rangeError('new_session_ticket.age_add', v.ageAdd, 0, 4294967295);
  if (!(Number.isSafeInteger(v.maxEarlyData) && v.maxEarlyData >= 0)) throw rangeError('new_session_ticket.max_early_data', v.maxEarlyData, 0, MAX_SAFE);
  if (!(v.nonce instanceof Uint8Array)) throw notBytes('new_session_ticket.nonce', v.nonce);
  if (v.nonce.length > 255) throw sizeError('new_session_ticket.nonce', v.nonce.length, 0, 255);
  if (!(v.ticket instanceof Uint8Array)) throw notBytes('new_session_ticket.ticket', v.ticket);
  if (v.ticket.length < 1 || v.ticket.length > 2048) throw sizeError('new_session_ticket.ticket', v.ticket.length, 1, 2048);
}

/** The exact encoded size of a NewSessionTicketFrame (of a valid one: `encodeNewSessionTicketFrame` checks first). */
export function sizeNewSessionTicketFrame(v: NewSessionTicketFrame): number {
  let n = 5; // type, age_add
  n += varintSize(v.lifetime);
  n += varintSize(v.maxEarlyData);
  n += 1 + v.nonce.length;
  n += varintSize(v.ticket.length) + v.ticket.length;
  return n;
}

/** Writes a NewSessionTicketFrame that passed `checkNewSessionTicketFrame`. */
function putNewSessionTicketFrame(w: Writer, v: NewSessionTicketFrame): void {

  w.u8(0x07); // type: 1 byte
  w.varint(v.lifetime); // <= 4 bytes
  w.u32(v.ageAdd); // 4 bytes
  w.varint(v.maxEarlyData); // <= 8 bytes
  w.u8(v.nonce.length); // 1 byte
  w.bytes(v.nonce);
  w.varint(v.ticket.length); // <= 2 bytes
  w.bytes(v.ticket);
}

/** Checks a NewSessionTicketFrame (EncodeError when invalid), then writes it. */
export function writeNewSessionTicketFrame(w: Writer, v: NewSessionTicketFrame): void {
  checkNewSessionTicketFrame(v);
  putNewSessionTicketFrame(w, v);
}

/** Checks a NewSessionTicketFrame and encodes it into a buffer of exactly `sizeNewSessionTicketFrame(v)` bytes. */
export function encodeNewSessionTicketFrame(v: NewSessionTicketFrame): Uint8Array {
  checkNewSessionTicketFrame(v);
  const w = new Writer(new Uint8Array(sizeNewSessionTicketFrame(v)));
  putNewSessionTicketFrame(w, v);
  return w.buf;
}

/** Reads a StreamFrame, type code included; a code of another member is `unknown_type`. */
export function readStreamFrame(r: Reader): StreamFrame {
  const at = r.pos;
  const type = readType(r);
  if (type - (type & 0x07) !== 0x08) r.fail('unknown_type', 'stream.type', `type 0x${type.toString(16)} is not a stream frame`, at);
  return readStreamFrameBody(r, type);
}

/** The fields of a StreamFrame, after its type code (whose low bits are flags). */
function readStreamFrameBody(r: Reader, type: number): StreamFrame {
  const hasOffset = (type & 0x4) !== 0;
  const hasLength = (type & 0x2) !== 0;
  const fin = (type & 0x1) !== 0;
  const streamId = r.varint('stream.stream_id');
  const offset = hasOffset ? r.varint('stream.offset') : undefined;
  let data: Uint8Array;
  if (hasLength) {
    const dataLength = readLength(r, 'stream.data');
    data = r.bytes(dataLength, 'stream.data');
  } else {
    data = r.rest();
  }
  if (offset !== undefined && offset + data.length > MAX_STREAM_OFFSET) r.fail('constraint', 'stream', 'offset + len(data) <= max_stream_offset (frames.stream.offset-limit)');
  return { type: 'stream', hasLength, fin, streamId, offset, data };
}

/** Decodes exactly one StreamFrame: leftover bytes are `trailing_bytes`. */
export function decodeStreamFrame(bytes: Uint8Array): StreamFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readStreamFrame(r);
  r.expectEnd('stream.end');
  return v;
}

/** Throws EncodeError for any StreamFrame a decoder would reject. */
function checkStreamFrame(v: StreamFrame): void {
  if (typeof v.hasLength !== 'boolean') throw notBool('stream.has_length', v.hasLength);
  if (typeof v.fin !== 'boolean') throw notBool('stream.fin', v.fin);
  if (!(Number.isSafeInteger(v.streamId) && v.streamId >= 0)) throw rangeError('stream.stream_id', v.streamId, 0, MAX_SAFE);
  if (v.offset !== undefined && !(Number.isSafeInteger(v.offset) && v.offset >= 0)) throw rangeError('stream.offset', v.offset, 0, MAX_SAFE);
  if (!(v.data instanceof Uint8Array)) throw notBytes('stream.data', v.data);
  if (v.offset !== undefined && v.offset + v.data.length > MAX_STREAM_OFFSET) throw new EncodeError('out_of_range', 'stream', `offset + len(data) <= max_stream_offset (frames.stream.offset-limit) does not hold: ${v.offset + v.data.length} <= ${MAX_STREAM_OFFSET}`);
}

/** The exact encoded size of a StreamFrame (of a valid one: `encodeStreamFrame` checks first). */
export function sizeStreamFrame(v: StreamFrame): number {
  let n = 1; // type
  n += varintSize(v.streamId);
  if (v.offset !== undefined) n += varintSize(v.offset);
  if (v.hasLength) n += varintSize(v.data.length);
  n += v.data.length;
  return n;
}

/** Writes a StreamFrame that passed `checkStreamFrame`. */
function putStreamFrame(w: Writer, v: StreamFrame): void {

  w.u8(0x08 | (v.offset !== undefined ? 0x04 : 0) | (v.hasLength ? 0x02 : 0) | (v.fin ? 0x01 : 0)); // type: 1 byte
  w.varint(v.streamId); // <= 8 bytes
  if (v.offset !== undefined) w.varint(v.offset); // <= 8 bytes
  if (v.hasLength) w.varint(v.data.length); // <= 8 bytes
  w.bytes(v.data);
}

/** Checks a StreamFrame (EncodeError when invalid), then writes it. */
export function writeStreamFrame(w: Writer, v: StreamFrame): void {
  checkStreamFrame(v);
  putStreamFrame(w, v);
}

/** Checks a StreamFrame and encodes it into a buffer of exactly `sizeStreamFrame(v)` bytes. */
export function encodeStreamFrame(v: StreamFrame): Uint8Array {
  checkStreamFrame(v);
  const w = new Writer(new Uint8Array(sizeStreamFrame(v)));
  putStreamFrame(w, v);
  return w.buf;
}

/** Reads a MaxDataFrame, type code included; a code of another member is `unknown_type`. */
export function readMaxDataFrame(r: Reader): MaxDataFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x10) r.fail('unknown_type', 'max_data.type', `type 0x${type.toString(16)} is not a max_data frame`, at);
  return readMaxDataFrameBody(r);
}

/** The fields of a MaxDataFrame, after its type code. */
function readMaxDataFrameBody(r: Reader): MaxDataFrame {
  const maximumData = r.varint('max_data.maximum_data');
  return { type: 'max_data', maximumData };
}

/** Decodes exactly one MaxDataFrame: leftover bytes are `trailing_bytes`. */
export function decodeMaxDataFrame(bytes: Uint8Array): MaxDataFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readMaxDataFrame(r);
  r.expectEnd('max_data.end');
  return v;
}

/** Throws EncodeError for any MaxDataFrame a decoder would reject. */
function checkMaxDataFrame(v: MaxDataFrame): void {
  if (!(Number.isSafeInteger(v.maximumData) && v.maximumData >= 0)) throw rangeError('max_data.maximum_data', v.maximumData, 0, MAX_SAFE);
}

/** The exact encoded size of a MaxDataFrame (of a valid one: `encodeMaxDataFrame` checks first). */
export function sizeMaxDataFrame(v: MaxDataFrame): number {
  let n = 1; // type
  n += varintSize(v.maximumData);
  return n;
}

/** Writes a MaxDataFrame that passed `checkMaxDataFrame`. */
function putMaxDataFrame(w: Writer, v: MaxDataFrame): void {

  w.u8(0x10); // type: 1 byte
  w.varint(v.maximumData); // <= 8 bytes
}

/** Checks a MaxDataFrame (EncodeError when invalid), then writes it. */
export function writeMaxDataFrame(w: Writer, v: MaxDataFrame): void {
  checkMaxDataFrame(v);
  putMaxDataFrame(w, v);
}

/** Checks a MaxDataFrame and encodes it into a buffer of exactly `sizeMaxDataFrame(v)` bytes. */
export function encodeMaxDataFrame(v: MaxDataFrame): Uint8Array {
  checkMaxDataFrame(v);
  const w = new Writer(new Uint8Array(sizeMaxDataFrame(v)));
  putMaxDataFrame(w, v);
  return w.buf;
}

/** Reads a MaxStreamDataFrame, type code included; a code of another member is `unknown_type`. */
export function readMaxStreamDataFrame(r: Reader): MaxStreamDataFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x11) r.fail('unknown_type', 'max_stream_data.type', `type 0x${type.toString(16)} is not a max_stream_data frame`, at);
  return readMaxStreamDataFrameBody(r);
}

/** The fields of a MaxStreamDataFrame, after its type code. */
function readMaxStreamDataFrameBody(r: Reader): MaxStreamDataFrame {
  const streamId = r.varint('max_stream_data.stream_id');
  const maximumStreamData = r.varint('max_stream_data.maximum_stream_data');
  return { type: 'max_stream_data', streamId, maximumStreamData };
}

/** Decodes exactly one MaxStreamDataFrame: leftover bytes are `trailing_bytes`. */
export function decodeMaxStreamDataFrame(bytes: Uint8Array): MaxStreamDataFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readMaxStreamDataFrame(r);
  r.expectEnd('max_stream_data.end');
  return v;
}

/** Throws EncodeError for any MaxStreamDataFrame a decoder would reject. */
function checkMaxStreamDataFrame(v: MaxStreamDataFrame): void {
  if (!(Number.isSafeInteger(v.streamId) && v.streamId >= 0)) throw rangeError('max_stream_data.stream_id', v.streamId, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.maximumStreamData) && v.maximumStreamData >= 0)) throw rangeError('max_stream_data.maximum_stream_data', v.maximumStreamData, 0, MAX_SAFE);
}

/** The exact encoded size of a MaxStreamDataFrame (of a valid one: `encodeMaxStreamDataFrame` checks first). */
export function sizeMaxStreamDataFrame(v: MaxStreamDataFrame): number {
  let n = 1; // type
  n += varintSize(v.streamId);
  n += varintSize(v.maximumStreamData);
  return n;
}

/** Writes a MaxStreamDataFrame that passed `checkMaxStreamDataFrame`. */
function putMaxStreamDataFrame(w: Writer, v: MaxStreamDataFrame): void {

  w.u8(0x11); // type: 1 byte
  w.varint(v.streamId); // <= 8 bytes
  w.varint(v.maximumStreamData); // <= 8 bytes
}

/** Checks a MaxStreamDataFrame (EncodeError when invalid), then writes it. */
export function writeMaxStreamDataFrame(w: Writer, v: MaxStreamDataFrame): void {
  checkMaxStreamDataFrame(v);
  putMaxStreamDataFrame(w, v);
}

/** Checks a MaxStreamDataFrame and encodes it into a buffer of exactly `sizeMaxStreamDataFrame(v)` bytes. */
export function encodeMaxStreamDataFrame(v: MaxStreamDataFrame): Uint8Array {
  checkMaxStreamDataFrame(v);
  const w = new Writer(new Uint8Array(sizeMaxStreamDataFrame(v)));
  putMaxStreamDataFrame(w, v);
  return w.buf;
}

/** Reads a MaxStreamsFrame, type code included; a code of another member is `unknown_type`. */
export function readMaxStreamsFrame(r: Reader): MaxStreamsFrame {
  const at = r.pos;
  const type = readType(r);
  if (type - (type & 0x01) !== 0x12) r.fail('unknown_type', 'max_streams.type', `type 0x${type.toString(16)} is not a max_streams frame`, at);
  return readMaxStreamsFrameBody(r, type);
}

/** The fields of a MaxStreamsFrame, after its type code (whose low bits are flags). */
function readMaxStreamsFrameBody(r: Reader, type: number): MaxStreamsFrame {
  const uni = (type & 0x1) !== 0;
  const maximumStreams = r.varint('max_streams.maximum_streams');
  if (maximumStreams > 2251799813685248) r.fail('out_of_range', 'max_streams.maximum_streams', `value ${maximumStreams} not in 0..2251799813685248`, r.pos - varintSize(maximumStreams));
  return { type: 'max_streams', uni, maximumStreams };
}

/** Decodes exactly one MaxStreamsFrame: leftover bytes are `trailing_bytes`. */
export function decodeMaxStreamsFrame(bytes: Uint8Array): MaxStreamsFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readMaxStreamsFrame(r);
  r.expectEnd('max_streams.end');
  return v;
}

/** Throws EncodeError for any MaxStreamsFrame a decoder would reject. */
function checkMaxStreamsFrame(v: MaxStreamsFrame): void {
  if (typeof v.uni !== 'boolean') throw notBool('max_streams.uni', v.uni);
  if (!(Number.isInteger(v.maximumStreams) && v.maximumStreams >= 0 && v.maximumStreams <= 2251799813685248)) throw rangeError('max_streams.maximum_streams', v.maximumStreams, 0, 2251799813685248);
}

/** The exact encoded size of a MaxStreamsFrame (of a valid one: `encodeMaxStreamsFrame` checks first). */
export function sizeMaxStreamsFrame(v: MaxStreamsFrame): number {
  let n = 1; // type
  n += varintSize(v.maximumStreams);
  return n;
}

/** Writes a MaxStreamsFrame that passed `checkMaxStreamsFrame`. */
function putMaxStreamsFrame(w: Writer, v: MaxStreamsFrame): void {

  w.u8(0x12 | (v.uni ? 0x01 : 0)); // type: 1 byte
  w.varint(v.maximumStreams); // <= 8 bytes
}

/** Checks a MaxStreamsFrame (EncodeError when invalid), then writes it. */
export function writeMaxStreamsFrame(w: Writer, v: MaxStreamsFrame): void {
  checkMaxStreamsFrame(v);
  putMaxStreamsFrame(w, v);
}

/** Checks a MaxStreamsFrame and encodes it into a buffer of exactly `sizeMaxStreamsFrame(v)` bytes. */
export function encodeMaxStreamsFrame(v: MaxStreamsFrame): Uint8Array {
  checkMaxStreamsFrame(v);
  const w = new Writer(new Uint8Array(sizeMaxStreamsFrame(v)));
  putMaxStreamsFrame(w, v);
  return w.buf;
}

/** Reads a DataBlockedFrame, type code included; a code of another member is `unknown_type`. */
export function readDataBlockedFrame(r: Reader): DataBlockedFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x14) r.fail('unknown_type', 'data_blocked.type', `type 0x${type.toString(16)} is not a data_blocked frame`, at);
  return readDataBlockedFrameBody(r);
}

/** The fields of a DataBlockedFrame, after its type code. */
function readDataBlockedFrameBody(r: Reader): DataBlockedFrame {
  const maximumData = r.varint('data_blocked.maximum_data');
  return { type: 'data_blocked', maximumData };
}

/** Decodes exactly one DataBlockedFrame: leftover bytes are `trailing_bytes`. */
export function decodeDataBlockedFrame(bytes: Uint8Array): DataBlockedFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readDataBlockedFrame(r);
  r.expectEnd('data_blocked.end');
  return v;
}

/** Throws EncodeError for any DataBlockedFrame a decoder would reject. */
function checkDataBlockedFrame(v: DataBlockedFrame): void {
  if (!(Number.isSafeInteger(v.maximumData) && v.maximumData >= 0)) throw rangeError('data_blocked.maximum_data', v.maximumData, 0, MAX_SAFE);
}

/** The exact encoded size of a DataBlockedFrame (of a valid one: `encodeDataBlockedFrame` checks first). */
export function sizeDataBlockedFrame(v: DataBlockedFrame): number {
  let n = 1; // type
  n += varintSize(v.maximumData);
  return n;
}

/** Writes a DataBlockedFrame that passed `checkDataBlockedFrame`. */
function putDataBlockedFrame(w: Writer, v: DataBlockedFrame): void {

  w.u8(0x14); // type: 1 byte
  w.varint(v.maximumData); // <= 8 bytes
}

/** Checks a DataBlockedFrame (EncodeError when invalid), then writes it. */
export function writeDataBlockedFrame(w: Writer, v: DataBlockedFrame): void {
  checkDataBlockedFrame(v);
  putDataBlockedFrame(w, v);
}

/** Checks a DataBlockedFrame and encodes it into a buffer of exactly `sizeDataBlockedFrame(v)` bytes. */
export function encodeDataBlockedFrame(v: DataBlockedFrame): Uint8Array {
  checkDataBlockedFrame(v);
  const w = new Writer(new Uint8Array(sizeDataBlockedFrame(v)));
  putDataBlockedFrame(w, v);
  return w.buf;
}

/** Reads a StreamDataBlockedFrame, type code included; a code of another member is `unknown_type`. */
export function readStreamDataBlockedFrame(r: Reader): StreamDataBlockedFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x15) r.fail('unknown_type', 'stream_data_blocked.type', `type 0x${type.toString(16)} is not a stream_data_blocked frame`, at);
  return readStreamDataBlockedFrameBody(r);
}

/** The fields of a StreamDataBlockedFrame, after its type code. */
function readStreamDataBlockedFrameBody(r: Reader): StreamDataBlockedFrame {
  const streamId = r.varint('stream_data_blocked.stream_id');
  const maximumStreamData = r.varint('stream_data_blocked.maximum_stream_data');
  return { type: 'stream_data_blocked', streamId, maximumStreamData };
}

/** Decodes exactly one StreamDataBlockedFrame: leftover bytes are `trailing_bytes`. */
export function decodeStreamDataBlockedFrame(bytes: Uint8Array): StreamDataBlockedFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readStreamDataBlockedFrame(r);
  r.expectEnd('stream_data_blocked.end');
  return v;
}

/** Throws EncodeError for any StreamDataBlockedFrame a decoder would reject. */
function checkStreamDataBlockedFrame(v: StreamDataBlockedFrame): void {
  if (!(Number.isSafeInteger(v.streamId) && v.streamId >= 0)) throw rangeError('stream_data_blocked.stream_id', v.streamId, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.maximumStreamData) && v.maximumStreamData >= 0)) throw rangeError('stream_data_blocked.maximum_stream_data', v.maximumStreamData, 0, MAX_SAFE);
}

/** The exact encoded size of a StreamDataBlockedFrame (of a valid one: `encodeStreamDataBlockedFrame` checks first). */
export function sizeStreamDataBlockedFrame(v: StreamDataBlockedFrame): number {
  let n = 1; // type
  n += varintSize(v.streamId);
  n += varintSize(v.maximumStreamData);
  return n;
}

/** Writes a StreamDataBlockedFrame that passed `checkStreamDataBlockedFrame`. */
function putStreamDataBlockedFrame(w: Writer, v: StreamDataBlockedFrame): void {

  w.u8(0x15); // type: 1 byte
  w.varint(v.streamId); // <= 8 bytes
  w.varint(v.maximumStreamData); // <= 8 bytes
}

/** Checks a StreamDataBlockedFrame (EncodeError when invalid), then writes it. */
export function writeStreamDataBlockedFrame(w: Writer, v: StreamDataBlockedFrame): void {
  checkStreamDataBlockedFrame(v);
  putStreamDataBlockedFrame(w, v);
}

/** Checks a StreamDataBlockedFrame and encodes it into a buffer of exactly `sizeStreamDataBlockedFrame(v)` bytes. */
export function encodeStreamDataBlockedFrame(v: StreamDataBlockedFrame): Uint8Array {
  checkStreamDataBlockedFrame(v);
  const w = new Writer(new Uint8Array(sizeStreamDataBlockedFrame(v)));
  putStreamDataBlockedFrame(w, v);
  return w.buf;
}

/** Reads a StreamsBlockedFrame, type code included; a code of another member is `unknown_type`. */
export function readStreamsBlockedFrame(r: Reader): StreamsBlockedFrame {
  const at = r.pos;
  const type = readType(r);
  if (type - (type & 0x01) !== 0x16) r.fail('unknown_type', 'streams_blocked.type', `type 0x${type.toString(16)} is not a streams_blocked frame`, at);
  return readStreamsBlockedFrameBody(r, type);
}

/** The fields of a StreamsBlockedFrame, after its type code (whose low bits are flags). */
function readStreamsBlockedFrameBody(r: Reader, type: number): StreamsBlockedFrame {
  const uni = (type & 0x1) !== 0;
  const maximumStreams = r.varint('streams_blocked.maximum_streams');
  if (maximumStreams > 2251799813685248) r.fail('out_of_range', 'streams_blocked.maximum_streams', `value ${maximumStreams} not in 0..2251799813685248`, r.pos - varintSize(maximumStreams));
  return { type: 'streams_blocked', uni, maximumStreams };
}

/** Decodes exactly one StreamsBlockedFrame: leftover bytes are `trailing_bytes`. */
export function decodeStreamsBlockedFrame(bytes: Uint8Array): StreamsBlockedFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readStreamsBlockedFrame(r);
  r.expectEnd('streams_blocked.end');
  return v;
}

/** Throws EncodeError for any StreamsBlockedFrame a decoder would reject. */
function checkStreamsBlockedFrame(v: StreamsBlockedFrame): void {
  if (typeof v.uni !== 'boolean') throw notBool('streams_blocked.uni', v.uni);
  if (!(Number.isInteger(v.maximumStreams) && v.maximumStreams >= 0 && v.maximumStreams <= 2251799813685248)) throw rangeError('streams_blocked.maximum_streams', v.maximumStreams, 0, 2251799813685248);
}

/** The exact encoded size of a StreamsBlockedFrame (of a valid one: `encodeStreamsBlockedFrame` checks first). */
export function sizeStreamsBlockedFrame(v: StreamsBlockedFrame): number {
  let n = 1; // type
  n += varintSize(v.maximumStreams);
  return n;
}

/** Writes a StreamsBlockedFrame that passed `checkStreamsBlockedFrame`. */
function putStreamsBlockedFrame(w: Writer, v: StreamsBlockedFrame): void {

  w.u8(0x16 | (v.uni ? 0x01 : 0)); // type: 1 byte
  w.varint(v.maximumStreams); // <= 8 bytes
}

/** Checks a StreamsBlockedFrame (EncodeError when invalid), then writes it. */
export function writeStreamsBlockedFrame(w: Writer, v: StreamsBlockedFrame): void {
  checkStreamsBlockedFrame(v);
  putStreamsBlockedFrame(w, v);
}

/** Checks a StreamsBlockedFrame and encodes it into a buffer of exactly `sizeStreamsBlockedFrame(v)` bytes. */
export function encodeStreamsBlockedFrame(v: StreamsBlockedFrame): Uint8Array {
  checkStreamsBlockedFrame(v);
  const w = new Writer(new Uint8Array(sizeStreamsBlockedFrame(v)));
  putStreamsBlockedFrame(w, v);
  return w.buf;
}

/** Reads a NewConnectionIdFrame, type code included; a code of another member is `unknown_type`. */
export function readNewConnectionIdFrame(r: Reader): NewConnectionIdFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x18) r.fail('unknown_type', 'new_connection_id.type', `type 0x${type.toString(16)} is not a new_connection_id frame`, at);
  return readNewConnectionIdFrameBody(r);
}

/** The fields of a NewConnectionIdFrame, after its type code. */
function readNewConnectionIdFrameBody(r: Reader): NewConnectionIdFrame {
  const sequenceNumber = r.varint('new_connection_id.sequence_number');
  const retirePriorTo = r.varint('new_connection_id.retire_prior_to');
  const length = r.u8('new_connection_id.length'); // = len(connection_id)
  if (length < 1 || length > 20) r.fail('out_of_range', 'new_connection_id.length', `value ${length} not in 1..20`, r.pos - 1);
  const connectionId = r.bytes(length, 'new_connection_id.connection_id');
  const statelessResetToken = r.bytes(16, 'new_connection_id.stateless_reset_token');
  if (retirePriorTo > sequenceNumber) r.fail('constraint', 'new_connection_id', 'retire_prior_to <= sequence_number (frames.new-connection-id.retire-prior-to)');
  return { type: 'new_connection_id', sequenceNumber, retirePriorTo, connectionId, statelessResetToken };
}

/** Decodes exactly one NewConnectionIdFrame: leftover bytes are `trailing_bytes`. */
export function decodeNewConnectionIdFrame(bytes: Uint8Array): NewConnectionIdFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readNewConnectionIdFrame(r);
  r.expectEnd('new_connection_id.end');
  return v;
}

/** Throws EncodeError for any NewConnectionIdFrame a decoder would reject. */
function checkNewConnectionIdFrame(v: NewConnectionIdFrame): void {
  if (!(Number.isSafeInteger(v.sequenceNumber) && v.sequenceNumber >= 0)) throw rangeError('new_connection_id.sequence_number', v.sequenceNumber, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.retirePriorTo) && v.retirePriorTo >= 0)) throw rangeError('new_connection_id.retire_prior_to', v.retirePriorTo, 0, MAX_SAFE);
  if (!(v.connectionId instanceof Uint8Array)) throw notBytes('new_connection_id.connection_id', v.connectionId);
  if (v.connectionId.length < 1 || v.connectionId.length > 20) throw sizeError('new_connection_id.connection_id', v.connectionId.length, 1, 20);
  if (!(v.statelessResetToken instanceof Uint8Array)) throw notBytes('new_connection_id.stateless_reset_token', v.statelessResetToken);
  if (v.statelessResetToken.length !== 16) throw new EncodeError('length_mismatch', 'new_connection_id.stateless_reset_token', `expected 16 bytes, got ${v.statelessResetToken.length}`);
  if (v.retirePriorTo > v.sequenceNumber) throw new EncodeError('out_of_range', 'new_connection_id', `retire_prior_to <= sequence_number (frames.new-connection-id.retire-prior-to) does not hold: ${v.retirePriorTo} <= ${v.sequenceNumber}`);
}

/** The exact encoded size of a NewConnectionIdFrame (of a valid one: `encodeNewConnectionIdFrame` checks first). */
export function sizeNewConnectionIdFrame(v: NewConnectionIdFrame): number {
  let n = 18; // type, length, stateless_reset_token
  n += varintSize(v.sequenceNumber);
  n += varintSize(v.retirePriorTo);
  n += v.connectionId.length;
  return n;
}

/** Writes a NewConnectionIdFrame that passed `checkNewConnectionIdFrame`. */
function putNewConnectionIdFrame(w: Writer, v: NewConnectionIdFrame): void {
  const length = v.connectionId.length; // length = len(connection_id)
  w.u8(0x18); // type: 1 byte
  w.varint(v.sequenceNumber); // <= 8 bytes
  w.varint(v.retirePriorTo); // <= 8 bytes
  w.u8(length); // length: 1 byte
  w.bytes(v.connectionId);
  w.bytes(v.statelessResetToken);
}

/** Checks a NewConnectionIdFrame (EncodeError when invalid), then writes it. */
export function writeNewConnectionIdFrame(w: Writer, v: NewConnectionIdFrame): void {
  checkNewConnectionIdFrame(v);
  putNewConnectionIdFrame(w, v);
}

/** Checks a NewConnectionIdFrame and encodes it into a buffer of exactly `sizeNewConnectionIdFrame(v)` bytes. */
export function encodeNewConnectionIdFrame(v: NewConnectionIdFrame): Uint8Array {
  checkNewConnectionIdFrame(v);
  const w = new Writer(new Uint8Array(sizeNewConnectionIdFrame(v)));
  putNewConnectionIdFrame(w, v);
  return w.buf;
}

/** Reads a RetireConnectionIdFrame, type code included; a code of another member is `unknown_type`. */
export function readRetireConnectionIdFrame(r: Reader): RetireConnectionIdFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x19) r.fail('unknown_type', 'retire_connection_id.type', `type 0x${type.toString(16)} is not a retire_connection_id frame`, at);
  return readRetireConnectionIdFrameBody(r);
}

/** The fields of a RetireConnectionIdFrame, after its type code. */
function readRetireConnectionIdFrameBody(r: Reader): RetireConnectionIdFrame {
  const sequenceNumber = r.varint('retire_connection_id.sequence_number');
  return { type: 'retire_connection_id', sequenceNumber };
}

/** Decodes exactly one RetireConnectionIdFrame: leftover bytes are `trailing_bytes`. */
export function decodeRetireConnectionIdFrame(bytes: Uint8Array): RetireConnectionIdFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readRetireConnectionIdFrame(r);
  r.expectEnd('retire_connection_id.end');
  return v;
}

/** Throws EncodeError for any RetireConnectionIdFrame a decoder would reject. */
function checkRetireConnectionIdFrame(v: RetireConnectionIdFrame): void {
  if (!(Number.isSafeInteger(v.sequenceNumber) && v.sequenceNumber >= 0)) throw rangeError('retire_connection_id.sequence_number', v.sequenceNumber, 0, MAX_SAFE);
}

/** The exact encoded size of a RetireConnectionIdFrame (of a valid one: `encodeRetireConnectionIdFrame` checks first). */
export function sizeRetireConnectionIdFrame(v: RetireConnectionIdFrame): number {
  let n = 1; // type
  n += varintSize(v.sequenceNumber);
  return n;
}

/** Writes a RetireConnectionIdFrame that passed `checkRetireConnectionIdFrame`. */
function putRetireConnectionIdFrame(w: Writer, v: RetireConnectionIdFrame): void {

  w.u8(0x19); // type: 1 byte
  w.varint(v.sequenceNumber); // <= 8 bytes
}

/** Checks a RetireConnectionIdFrame (EncodeError when invalid), then writes it. */
export function writeRetireConnectionIdFrame(w: Writer, v: RetireConnectionIdFrame): void {
  checkRetireConnectionIdFrame(v);
  putRetireConnectionIdFrame(w, v);
}

/** Checks a RetireConnectionIdFrame and encodes it into a buffer of exactly `sizeRetireConnectionIdFrame(v)` bytes. */
export function encodeRetireConnectionIdFrame(v: RetireConnectionIdFrame): Uint8Array {
  checkRetireConnectionIdFrame(v);
  const w = new Writer(new Uint8Array(sizeRetireConnectionIdFrame(v)));
  putRetireConnectionIdFrame(w, v);
  return w.buf;
}

/** Reads a PathChallengeFrame, type code included; a code of another member is `unknown_type`. */
export function readPathChallengeFrame(r: Reader): PathChallengeFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x1a) r.fail('unknown_type', 'path_challenge.type', `type 0x${type.toString(16)} is not a path_challenge frame`, at);
  return readPathChallengeFrameBody(r);
}

/** The fields of a PathChallengeFrame, after its type code. */
function readPathChallengeFrameBody(r: Reader): PathChallengeFrame {
  const data = r.bytes(8, 'path_challenge.data');
  return { type: 'path_challenge', data };
}

/** Decodes exactly one PathChallengeFrame: leftover bytes are `trailing_bytes`. */
export function decodePathChallengeFrame(bytes: Uint8Array): PathChallengeFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readPathChallengeFrame(r);
  r.expectEnd('path_challenge.end');
  return v;
}

/** Throws EncodeError for any PathChallengeFrame a decoder would reject. */
function checkPathChallengeFrame(v: PathChallengeFrame): void {
  if (!(v.data instanceof Uint8Array)) throw notBytes('path_challenge.data', v.data);
  if (v.data.length !== 8) throw new EncodeError('length_mismatch', 'path_challenge.data', `expected 8 bytes, got ${v.data.length}`);
}

/** The exact encoded size of a PathChallengeFrame (of a valid one: `encodePathChallengeFrame` checks first). */
export function sizePathChallengeFrame(_v: PathChallengeFrame): number {
  return 9; // type, data
}

/** Writes a PathChallengeFrame that passed `checkPathChallengeFrame`. */
function putPathChallengeFrame(w: Writer, v: PathChallengeFrame): void {

  w.u8(0x1a); // type: 1 byte
  w.bytes(v.data);
}

/** Checks a PathChallengeFrame (EncodeError when invalid), then writes it. */
export function writePathChallengeFrame(w: Writer, v: PathChallengeFrame): void {
  checkPathChallengeFrame(v);
  putPathChallengeFrame(w, v);
}

/** Checks a PathChallengeFrame and encodes it into a buffer of exactly `sizePathChallengeFrame(v)` bytes. */
export function encodePathChallengeFrame(v: PathChallengeFrame): Uint8Array {
  checkPathChallengeFrame(v);
  const w = new Writer(new Uint8Array(sizePathChallengeFrame(v)));
  putPathChallengeFrame(w, v);
  return w.buf;
}

/** Reads a PathResponseFrame, type code included; a code of another member is `unknown_type`. */
export function readPathResponseFrame(r: Reader): PathResponseFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x1b) r.fail('unknown_type', 'path_response.type', `type 0x${type.toString(16)} is not a path_response frame`, at);
  return readPathResponseFrameBody(r);
}

/** The fields of a PathResponseFrame, after its type code. */
function readPathResponseFrameBody(r: Reader): PathResponseFrame {
  const data = r.bytes(8, 'path_response.data');
  return { type: 'path_response', data };
}

/** Decodes exactly one PathResponseFrame: leftover bytes are `trailing_bytes`. */
export function decodePathResponseFrame(bytes: Uint8Array): PathResponseFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readPathResponseFrame(r);
  r.expectEnd('path_response.end');
  return v;
}

/** Throws EncodeError for any PathResponseFrame a decoder would reject. */
function checkPathResponseFrame(v: PathResponseFrame): void {
  if (!(v.data instanceof Uint8Array)) throw notBytes('path_response.data', v.data);
  if (v.data.length !== 8) throw new EncodeError('length_mismatch', 'path_response.data', `expected 8 bytes, got ${v.data.length}`);
}

/** The exact encoded size of a PathResponseFrame (of a valid one: `encodePathResponseFrame` checks first). */
export function sizePathResponseFrame(_v: PathResponseFrame): number {
  return 9; // type, data
}

/** Writes a PathResponseFrame that passed `checkPathResponseFrame`. */
function putPathResponseFrame(w: Writer, v: PathResponseFrame): void {

  w.u8(0x1b); // type: 1 byte
  w.bytes(v.data);
}

/** Checks a PathResponseFrame (EncodeError when invalid), then writes it. */
export function writePathResponseFrame(w: Writer, v: PathResponseFrame): void {
  checkPathResponseFrame(v);
  putPathResponseFrame(w, v);
}

/** Checks a PathResponseFrame and encodes it into a buffer of exactly `sizePathResponseFrame(v)` bytes. */
export function encodePathResponseFrame(v: PathResponseFrame): Uint8Array {
  checkPathResponseFrame(v);
  const w = new Writer(new Uint8Array(sizePathResponseFrame(v)));
  putPathResponseFrame(w, v);
  return w.buf;
}

/** Reads a ConnectionCloseFrame, type code included; a code of another member is `unknown_type`. */
export function readConnectionCloseFrame(r: Reader): ConnectionCloseFrame {
  const at = r.pos;
  const type = readType(r);
  if (type - (type & 0x01) !== 0x1c) r.fail('unknown_type', 'connection_close.type', `type 0x${type.toString(16)} is not a connection_close frame`, at);
  return readConnectionCloseFrameBody(r, type);
}

/** The fields of a ConnectionCloseFrame, after its type code (whose low bits are flags). */
function readConnectionCloseFrameBody(r: Reader, type: number): ConnectionCloseFrame {
  const application = (type & 0x1) !== 0;
  const errorCode = r.varint('connection_close.error_code');
  const frameType = !application ? r.varintBig('connection_close.frame_type') : undefined;
  const reasonLength = r.varint('connection_close.reason');
  if (reasonLength > 1024) r.fail('out_of_range', 'connection_close.reason', `length ${reasonLength} not in 0..1024`, r.pos - varintSize(reasonLength));
  const reason = readCloseReason(r.sub(reasonLength, 'connection_close.reason'));
  return { type: 'connection_close', application, errorCode, frameType, reason };
}

/** Decodes exactly one ConnectionCloseFrame: leftover bytes are `trailing_bytes`. */
export function decodeConnectionCloseFrame(bytes: Uint8Array): ConnectionCloseFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readConnectionCloseFrame(r);
  r.expectEnd('connection_close.end');
  return v;
}

/** Throws EncodeError for any ConnectionCloseFrame a decoder would reject. */
function checkConnectionCloseFrame(v: ConnectionCloseFrame): void {
  if (typeof v.application !== 'boolean') throw notBool('connection_close.application', v.application);
  if (!(Number.isSafeInteger(v.errorCode) && v.errorCode >= 0)) throw rangeError('connection_close.error_code', v.errorCode, 0, MAX_SAFE);
  if ((!v.application) !== (v.frameType !== undefined)) throw presenceError('connection_close.frame_type', v.frameType !== undefined, '!application');
  if (v.frameType !== undefined && typeof v.frameType !== 'bigint') throw new EncodeError('wrong_type', 'connection_close.frame_type', `expected a bigint, got ${describeValue(v.frameType)}`);
  if (v.frameType !== undefined && v.frameType > 4611686018427387903n) throw rangeError('connection_close.frame_type', v.frameType, 0n, 4611686018427387903n);
  const reasonSize = sizeCloseReason(v.reason);
  if (reasonSize > 1024) throw sizeError('connection_close.reason', reasonSize, 0, 1024);
}

/** The exact encoded size of a ConnectionCloseFrame (of a valid one: `encodeConnectionCloseFrame` checks first). */
export function sizeConnectionCloseFrame(v: ConnectionCloseFrame): number {
  let n = 1; // type
  n += varintSize(v.errorCode);
  if (v.frameType !== undefined) n += varintSizeBig(v.frameType);
  const reasonSize = sizeCloseReason(v.reason);
  n += varintSize(reasonSize) + reasonSize;
  return n;
}

/** Writes a ConnectionCloseFrame that passed `checkConnectionCloseFrame`. */
function putConnectionCloseFrame(w: Writer, v: ConnectionCloseFrame): void {

  w.u8(0x1c | (v.application ? 0x01 : 0)); // type: 1 byte
  w.varint(v.errorCode); // <= 8 bytes
  if (v.frameType !== undefined) w.varintBig(v.frameType); // <= 8 bytes
  w.varint(sizeCloseReason(v.reason)); // <= 2 bytes
  writeCloseReason(w, v.reason);
}

/** Checks a ConnectionCloseFrame (EncodeError when invalid), then writes it. */
export function writeConnectionCloseFrame(w: Writer, v: ConnectionCloseFrame): void {
  checkConnectionCloseFrame(v);
  putConnectionCloseFrame(w, v);
}

/** Checks a ConnectionCloseFrame and encodes it into a buffer of exactly `sizeConnectionCloseFrame(v)` bytes. */
export function encodeConnectionCloseFrame(v: ConnectionCloseFrame): Uint8Array {
  checkConnectionCloseFrame(v);
  const w = new Writer(new Uint8Array(sizeConnectionCloseFrame(v)));
  putConnectionCloseFrame(w, v);
  return w.buf;
}

/** Reads a HandshakeDoneFrame, type code included; a code of another member is `unknown_type`. */
export function readHandshakeDoneFrame(r: Reader): HandshakeDoneFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x1e) r.fail('unknown_type', 'handshake_done.type', `type 0x${type.toString(16)} is not a handshake_done frame`, at);
  return readHandshakeDoneFrameBody(r);
}

/** The fields of a HandshakeDoneFrame, after its type code. */
function readHandshakeDoneFrameBody(_r: Reader): HandshakeDoneFrame {
  return { type: 'handshake_done' };
}

/** Decodes exactly one HandshakeDoneFrame: leftover bytes are `trailing_bytes`. */
export function decodeHandshakeDoneFrame(bytes: Uint8Array): HandshakeDoneFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readHandshakeDoneFrame(r);
  r.expectEnd('handshake_done.end');
  return v;
}

/** Throws EncodeError for any HandshakeDoneFrame a decoder would reject. */
function checkHandshakeDoneFrame(_v: HandshakeDoneFrame): void {
  // nothing to check: every value of the type is valid
}

/** The exact encoded size of a HandshakeDoneFrame (of a valid one: `encodeHandshakeDoneFrame` checks first). */
export function sizeHandshakeDoneFrame(_v: HandshakeDoneFrame): number {
  return 1; // type
}

/** Writes a HandshakeDoneFrame that passed `checkHandshakeDoneFrame`. */
function putHandshakeDoneFrame(w: Writer, _v: HandshakeDoneFrame): void {

  w.u8(0x1e); // type: 1 byte
}

/** Checks a HandshakeDoneFrame (EncodeError when invalid), then writes it. */
export function writeHandshakeDoneFrame(w: Writer, v: HandshakeDoneFrame): void {
  checkHandshakeDoneFrame(v);
  putHandshakeDoneFrame(w, v);
}

/** Checks a HandshakeDoneFrame and encodes it into a buffer of exactly `sizeHandshakeDoneFrame(v)` bytes. */
export function encodeHandshakeDoneFrame(v: HandshakeDoneFrame): Uint8Array {
  checkHandshakeDoneFrame(v);
  const w = new Writer(new Uint8Array(sizeHandshakeDoneFrame(v)));
  putHandshakeDoneFrame(w, v);
  return w.buf;
}

/** Reads a PongFrame, type code included; a code of another member is `unknown_type`. */
export function readPongFrame(r: Reader): PongFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x20) r.fail('unknown_type', 'pong.type', `type 0x${type.toString(16)} is not a pong frame`, at);
  return readPongFrameBody(r);
}

/** The fields of a PongFrame, after its type code. */
function readPongFrameBody(r: Reader): PongFrame {
  const sequence = r.varint('pong.sequence');
  return { type: 'pong', sequence };
}

/** Decodes exactly one PongFrame: leftover bytes are `trailing_bytes`. */
export function decodePongFrame(bytes: Uint8Array): PongFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readPongFrame(r);
  r.expectEnd('pong.end');
  return v;
}

/** Throws EncodeError for any PongFrame a decoder would reject. */
function checkPongFrame(v: PongFrame): void {
  if (!(Number.isSafeInteger(v.sequence) && v.sequence >= 0)) throw rangeError('pong.sequence', v.sequence, 0, MAX_SAFE);
}

/** The exact encoded size of a PongFrame (of a valid one: `encodePongFrame` checks first). */
export function sizePongFrame(v: PongFrame): number {
  let n = 1; // type
  n += varintSize(v.sequence);
  return n;
}

/** Writes a PongFrame that passed `checkPongFrame`. */
function putPongFrame(w: Writer, v: PongFrame): void {

  w.u8(0x20); // type: 1 byte
  w.varint(v.sequence); // <= 8 bytes
}

/** Checks a PongFrame (EncodeError when invalid), then writes it. */
export function writePongFrame(w: Writer, v: PongFrame): void {
  checkPongFrame(v);
  putPongFrame(w, v);
}

/** Checks a PongFrame and encodes it into a buffer of exactly `sizePongFrame(v)` bytes. */
export function encodePongFrame(v: PongFrame): Uint8Array {
  checkPongFrame(v);
  const w = new Writer(new Uint8Array(sizePongFrame(v)));
  putPongFrame(w, v);
  return w.buf;
}

/** Reads a StreamSkipFrame, type code included; a code of another member is `unknown_type`. */
export function readStreamSkipFrame(r: Reader): StreamSkipFrame {
  const at = r.pos;
  const type = readType(r);
  if (type !== 0x21) r.fail('unknown_type', 'stream_skip.type', `type 0x${type.toString(16)} is not a stream_skip frame`, at);
  return readStreamSkipFrameBody(r);
}

/** The fields of a StreamSkipFrame, after its type code. */
function readStreamSkipFrameBody(r: Reader): StreamSkipFrame {
  const streamId = r.varint('stream_skip.stream_id');
  const skipOffset = r.varint('stream_skip.skip_offset');
  return { type: 'stream_skip', streamId, skipOffset };
}

/** Decodes exactly one StreamSkipFrame: leftover bytes are `trailing_bytes`. */
export function decodeStreamSkipFrame(bytes: Uint8Array): StreamSkipFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readStreamSkipFrame(r);
  r.expectEnd('stream_skip.end');
  return v;
}

/** Throws EncodeError for any StreamSkipFrame a decoder would reject. */
function checkStreamSkipFrame(v: StreamSkipFrame): void {
  if (!(Number.isSafeInteger(v.streamId) && v.streamId >= 0)) throw rangeError('stream_skip.stream_id', v.streamId, 0, MAX_SAFE);
  if (!(Number.isSafeInteger(v.skipOffset) && v.skipOffset >= 0)) throw rangeError('stream_skip.skip_offset', v.skipOffset, 0, MAX_SAFE);
}

/** The exact encoded size of a StreamSkipFrame (of a valid one: `encodeStreamSkipFrame` checks first). */
export function sizeStreamSkipFrame(v: StreamSkipFrame): number {
  let n = 1; // type
  n += varintSize(v.streamId);
  n += varintSize(v.skipOffset);
  return n;
}

/** Writes a StreamSkipFrame that passed `checkStreamSkipFrame`. */
function putStreamSkipFrame(w: Writer, v: StreamSkipFrame): void {

  w.u8(0x21); // type: 1 byte
  w.varint(v.streamId); // <= 8 bytes
  w.varint(v.skipOffset); // <= 8 bytes
}

/** Checks a StreamSkipFrame (EncodeError when invalid), then writes it. */
export function writeStreamSkipFrame(w: Writer, v: StreamSkipFrame): void {
  checkStreamSkipFrame(v);
  putStreamSkipFrame(w, v);
}

/** Checks a StreamSkipFrame and encodes it into a buffer of exactly `sizeStreamSkipFrame(v)` bytes. */
export function encodeStreamSkipFrame(v: StreamSkipFrame): Uint8Array {
  checkStreamSkipFrame(v);
  const w = new Writer(new Uint8Array(sizeStreamSkipFrame(v)));
  putStreamSkipFrame(w, v);
  return w.buf;
}

/** Reads a DatagramFrame, type code included; a code of another member is `unknown_type`. */
export function readDatagramFrame(r: Reader): DatagramFrame {
  const at = r.pos;
  const type = readType(r);
  if (type - (type & 0x01) !== 0x30) r.fail('unknown_type', 'datagram.type', `type 0x${type.toString(16)} is not a datagram frame`, at);
  return readDatagramFrameBody(r, type);
}

/** The fields of a DatagramFrame, after its type code (whose low bits are flags). */
function readDatagramFrameBody(r: Reader, type: number): DatagramFrame {
  const hasLength = (type & 0x1) !== 0;
  let data: Uint8Array;
  if (hasLength) {
    const dataLength = readLength(r, 'datagram.data');
    data = r.bytes(dataLength, 'datagram.data');
  } else {
    data = r.rest();
  }
  return { type: 'datagram', hasLength, data };
}

/** Decodes exactly one DatagramFrame: leftover bytes are `trailing_bytes`. */
export function decodeDatagramFrame(bytes: Uint8Array): DatagramFrame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readDatagramFrame(r);
  r.expectEnd('datagram.end');
  return v;
}

/** Throws EncodeError for any DatagramFrame a decoder would reject. */
function checkDatagramFrame(v: DatagramFrame): void {
  if (typeof v.hasLength !== 'boolean') throw notBool('datagram.has_length', v.hasLength);
  if (!(v.data instanceof Uint8Array)) throw notBytes('datagram.data', v.data);
}

/** The exact encoded size of a DatagramFrame (of a valid one: `encodeDatagramFrame` checks first). */
export function sizeDatagramFrame(v: DatagramFrame): number {
  let n = 1; // type
  if (v.hasLength) n += varintSize(v.data.length);
  n += v.data.length;
  return n;
}

/** Writes a DatagramFrame that passed `checkDatagramFrame`. */
function putDatagramFrame(w: Writer, v: DatagramFrame): void {

  w.u8(0x30 | (v.hasLength ? 0x01 : 0)); // type: 1 byte
  if (v.hasLength) w.varint(v.data.length); // <= 8 bytes
  w.bytes(v.data);
}

/** Checks a DatagramFrame (EncodeError when invalid), then writes it. */
export function writeDatagramFrame(w: Writer, v: DatagramFrame): void {
  checkDatagramFrame(v);
  putDatagramFrame(w, v);
}

/** Checks a DatagramFrame and encodes it into a buffer of exactly `sizeDatagramFrame(v)` bytes. */
export function encodeDatagramFrame(v: DatagramFrame): Uint8Array {
  checkDatagramFrame(v);
  const w = new Writer(new Uint8Array(sizeDatagramFrame(v)));
  putDatagramFrame(w, v);
  return w.buf;
}

/** Fewest bytes of an encoded Frame. */
export const FRAME_MIN_SIZE = 1;
/** Most bytes of an encoded Frame (unbounded: only the packet bounds it). */
export const FRAME_MAX_SIZE = Infinity;

/** Reads one Frame: its type code chooses the member; a code no member claims is `unknown_type`. */
export function readFrame(r: Reader): Frame {
  const at = r.pos;
  const type = readType(r);
  switch (type) {
    case 0x00:
      return readPaddingFrameBody(r);
    case 0x01:
      return readPingFrameBody(r);
    case 0x02:
    case 0x03:
      return readAckFrameBody(r, type);
    case 0x04:
      return readResetStreamFrameBody(r);
    case 0x05:
      return readStopSendingFrameBody(r);
    case 0x06:
      return readHandshakeFrameBody(r);
    case 0x07:
      return readNewSessionTicketFrameBody(r);
    case 0x08:
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x0e:
    case 0x0f:
      return readStreamFrameBody(r, type);
    case 0x10:
      return readMaxDataFrameBody(r);
    case 0x11:
      return readMaxStreamDataFrameBody(r);
    case 0x12:
    case 0x13:
      return readMaxStreamsFrameBody(r, type);
    case 0x14:
      return readDataBlockedFrameBody(r);
    case 0x15:
      return readStreamDataBlockedFrameBody(r);
    case 0x16:
    case 0x17:
      return readStreamsBlockedFrameBody(r, type);
    case 0x18:
      return readNewConnectionIdFrameBody(r);
    case 0x19:
      return readRetireConnectionIdFrameBody(r);
    case 0x1a:
      return readPathChallengeFrameBody(r);
    case 0x1b:
      return readPathResponseFrameBody(r);
    case 0x1c:
    case 0x1d:
      return readConnectionCloseFrameBody(r, type);
    case 0x1e:
      return readHandshakeDoneFrameBody(r);
    case 0x20:
      return readPongFrameBody(r);
    case 0x21:
      return readStreamSkipFrameBody(r);
    case 0x30:
    case 0x31:
      return readDatagramFrameBody(r, type);
    default:
      return r.fail('unknown_type', 'frame.type', `unknown frame type 0x${type.toString(16)}`, at);
  }
}

/** Decodes exactly one Frame: leftover bytes are `trailing_bytes`. */
export function decodeFrame(bytes: Uint8Array): Frame {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readFrame(r);
  r.expectEnd('frame.end');
  return v;
}

/** Decodes a packet payload: frames until the end of the input. */
export function decodeFrames(bytes: Uint8Array): Frame[] {
  const r = new Reader(bytes, ERROR_CODE);
  const out: Frame[] = [];
  while (r.pos < r.end) out.push(readFrame(r));
  return out;
}

/** The exact encoded size of a Frame. */
export function sizeFrame(v: Frame): number {
  switch (v.type) {
    case 'padding':
      return sizePaddingFrame(v);
    case 'ping':
      return sizePingFrame(v);
    case 'ack':
      return sizeAckFrame(v);
    case 'reset_stream':
      return sizeResetStreamFrame(v);
    case 'stop_sending':
      return sizeStopSendingFrame(v);
    case 'handshake':
      return sizeHandshakeFrame(v);
    case 'new_session_ticket':
      return sizeNewSessionTicketFrame(v);
    case 'stream':
      return sizeStreamFrame(v);
    case 'max_data':
      return sizeMaxDataFrame(v);
    case 'max_stream_data':
      return sizeMaxStreamDataFrame(v);
    case 'max_streams':
      return sizeMaxStreamsFrame(v);
    case 'data_blocked':
      return sizeDataBlockedFrame(v);
    case 'stream_data_blocked':
      return sizeStreamDataBlockedFrame(v);
    case 'streams_blocked':
      return sizeStreamsBlockedFrame(v);
    case 'new_connection_id':
      return sizeNewConnectionIdFrame(v);
    case 'retire_connection_id':
      return sizeRetireConnectionIdFrame(v);
    case 'path_challenge':
      return sizePathChallengeFrame(v);
    case 'path_response':
      return sizePathResponseFrame(v);
    case 'connection_close':
      return sizeConnectionCloseFrame(v);
    case 'handshake_done':
      return sizeHandshakeDoneFrame(v);
    case 'pong':
      return sizePongFrame(v);
    case 'stream_skip':
      return sizeStreamSkipFrame(v);
    case 'datagram':
      return sizeDatagramFrame(v);
    default:
      throw unknownMember(v);
  }
}

/** Checks a Frame (EncodeError when invalid), then writes it. */
export function writeFrame(w: Writer, v: Frame): void {
  switch (v.type) {
    case 'padding':
      writePaddingFrame(w, v);
      return;
    case 'ping':
      writePingFrame(w, v);
      return;
    case 'ack':
      writeAckFrame(w, v);
      return;
    case 'reset_stream':
      writeResetStreamFrame(w, v);
      return;
    case 'stop_sending':
      writeStopSendingFrame(w, v);
      return;
    case 'handshake':
      writeHandshakeFrame(w, v);
      return;
    case 'new_session_ticket':
      writeNewSessionTicketFrame(w, v);
      return;
    case 'stream':
      writeStreamFrame(w, v);
      return;
    case 'max_data':
      writeMaxDataFrame(w, v);
      return;
    case 'max_stream_data':
      writeMaxStreamDataFrame(w, v);
      return;
    case 'max_streams':
      writeMaxStreamsFrame(w, v);
      return;
    case 'data_blocked':
      writeDataBlockedFrame(w, v);
      return;
    case 'stream_data_blocked':
      writeStreamDataBlockedFrame(w, v);
      return;
    case 'streams_blocked':
      writeStreamsBlockedFrame(w, v);
      return;
    case 'new_connection_id':
      writeNewConnectionIdFrame(w, v);
      return;
    case 'retire_connection_id':
      writeRetireConnectionIdFrame(w, v);
      return;
    case 'path_challenge':
      writePathChallengeFrame(w, v);
      return;
    case 'path_response':
      writePathResponseFrame(w, v);
      return;
    case 'connection_close':
      writeConnectionCloseFrame(w, v);
      return;
    case 'handshake_done':
      writeHandshakeDoneFrame(w, v);
      return;
    case 'pong':
      writePongFrame(w, v);
      return;
    case 'stream_skip':
      writeStreamSkipFrame(w, v);
      return;
    case 'datagram':
      writeDatagramFrame(w, v);
      return;
    default:
      throw unknownMember(v);
  }
}

/** Checks a Frame and encodes it into a buffer of exactly `sizeFrame(v)` bytes. */
export function encodeFrame(v: Frame): Uint8Array {
  switch (v.type) {
    case 'padding':
      return encodePaddingFrame(v);
    case 'ping':
      return encodePingFrame(v);
    case 'ack':
      return encodeAckFrame(v);
    case 'reset_stream':
      return encodeResetStreamFrame(v);
    case 'stop_sending':
      return encodeStopSendingFrame(v);
    case 'handshake':
      return encodeHandshakeFrame(v);
    case 'new_session_ticket':
      return encodeNewSessionTicketFrame(v);
    case 'stream':
      return encodeStreamFrame(v);
    case 'max_data':
      return encodeMaxDataFrame(v);
    case 'max_stream_data':
      return encodeMaxStreamDataFrame(v);
    case 'max_streams':
      return encodeMaxStreamsFrame(v);
    case 'data_blocked':
      return encodeDataBlockedFrame(v);
    case 'stream_data_blocked':
      return encodeStreamDataBlockedFrame(v);
    case 'streams_blocked':
      return encodeStreamsBlockedFrame(v);
    case 'new_connection_id':
      return encodeNewConnectionIdFrame(v);
    case 'retire_connection_id':
      return encodeRetireConnectionIdFrame(v);
    case 'path_challenge':
      return encodePathChallengeFrame(v);
    case 'path_response':
      return encodePathResponseFrame(v);
    case 'connection_close':
      return encodeConnectionCloseFrame(v);
    case 'handshake_done':
      return encodeHandshakeDoneFrame(v);
    case 'pong':
      return encodePongFrame(v);
    case 'stream_skip':
      return encodeStreamSkipFrame(v);
    case 'datagram':
      return encodeDatagramFrame(v);
    default:
      throw unknownMember(v);
  }
}

function unknownMember(v: never): EncodeError {
  return new EncodeError('wrong_type', 'frame.type', `unknown frame type ${describeValue((v as { type: unknown }).type)}`);
}
