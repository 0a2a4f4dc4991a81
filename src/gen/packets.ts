// GENERATED from spec/packets.yaml (sha256 b386458813f6ee1e) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Packets and headers (spec/packets.yaml, version 1) — RFC 8999; RFC 9000 §17; RFC 9001 §5.4.
 *
 * A UDP datagram carries one or more packets. Packets of the handshake use the long header
 * (Initial, 0-RTT, Handshake, Retry) and may be coalesced in one datagram, each delimited by its
 * Length field; 1-RTT packets use the short header and run to the end of the datagram. The
 * layouts here are those seen after header protection is removed: the low bits of the first
 * byte and the packet number are protected on the wire (see the crypto spec).
 *
 * The first byte tells the forms apart: bit 7 (header_form) is 1 for long headers and 0 for the
 * short header; in a long header, version 0 marks Version Negotiation, otherwise bits 5–4 give
 * the long packet type.
 *
 * @module
 */
import { Reader, Writer, EncodeError, describeValue, rangeError, varintSize } from '../codec/index.ts';
import { ErrorCode } from './errors.ts';

/** Decode errors of this file carry PROTOCOL_VIOLATION (0x0a). */
const ERROR_CODE = ErrorCode.PROTOCOL_VIOLATION;

// ───────────────────────────── helpers ─────────────────────────────

function notBool(path: string, v: unknown): EncodeError {
  return new EncodeError('wrong_type', path, `expected a boolean, got ${describeValue(v)}`);
}

function notBytes(path: string, v: unknown): EncodeError {
  return new EncodeError('wrong_type', path, `expected a Uint8Array, got ${describeValue(v)}`);
}

function sizeError(path: string, n: number, min: number, max: number): EncodeError {
  return new EncodeError('out_of_range', path, `length ${n} not in ${min}..${max}`);
}

/**
 * The packet type of a long header (bits 5–4 of the first byte).
 *
 * A value outside this table is a decode error (`invalid_enum`).
 */
export const LongPacketType = {
  /** First flight of both sides, under keys derived from the client's Destination Connection ID. */
  INITIAL: 0,
  /** Early data from a resuming client. */
  ZERO_RTT: 1,
  /** Rest of the handshake, under handshake keys. */
  HANDSHAKE: 2,
  /** The server's request that the client prove its address. */
  RETRY: 3,
} as const;
/** A long_packet_type value. */
export type LongPacketType = (typeof LongPacketType)[keyof typeof LongPacketType];

/** An Initial packet (long header, type 0). */
export interface InitialPacket {
  /** Length of the packet number field in bytes, minus 1. */
  packetNumberLength: number;
  /** The version of the packet. */
  version: number;
  /** Destination Connection ID. */
  dcid: Uint8Array;
  /** Source Connection ID. */
  scid: Uint8Array;
  /** Address-validation token from a Retry or an earlier connection; empty otherwise. */
  token: Uint8Array;
  /** The truncated packet number. */
  packetNumber: number;
  /** The protected payload (frames and AEAD tag). */
  payload: Uint8Array;
}

/** Fewest bytes of an encoded InitialPacket. */
export const INITIAL_PACKET_MIN_SIZE = 11;
/** Most bytes of an encoded InitialPacket. */
export const INITIAL_PACKET_MAX_SIZE = 66607;

/** A 0-RTT packet (long header, type 1), carrying early data. */
export interface ZeroRttPacket {
  /** Length of the packet number field in bytes, minus 1. */
  packetNumberLength: number;
  /** The version of the packet. */
  version: number;
  /** Destination Connection ID. */
  dcid: Uint8Array;
  /** Source Connection ID. */
  scid: Uint8Array;
  /** The truncated packet number. */
  packetNumber: number;
  /** The protected payload. */
  payload: Uint8Array;
}

/** Fewest bytes of an encoded ZeroRttPacket. */
export const ZERO_RTT_PACKET_MIN_SIZE = 10;
/** Most bytes of an encoded ZeroRttPacket. */
export const ZERO_RTT_PACKET_MAX_SIZE = 65581;

/** A Handshake packet (long header, type 2). */
export interface HandshakePacket {
  /** Length of the packet number field in bytes, minus 1. */
  packetNumberLength: number;
  /** The version of the packet. */
  version: number;
  /** Destination Connection ID. */
  dcid: Uint8Array;
  /** Source Connection ID. */
  scid: Uint8Array;
  /** The truncated packet number. */
  packetNumber: number;
  /** The protected payload. */
  payload: Uint8Array;
}

/** Fewest bytes of an encoded HandshakePacket. */
export const HANDSHAKE_PACKET_MIN_SIZE = 10;
/** Most bytes of an encoded HandshakePacket. */
export const HANDSHAKE_PACKET_MAX_SIZE = 65581;

/**
 * A Retry packet (long header, type 3): the server asks the client to send its Initial again
 * with the token, proving it can receive at its address. The integrity tag binds the packet
 * to the client's original Destination Connection ID.
 */
export interface RetryPacket {
  /** Unused; the sender sets them at random, the receiver ignores them. */
  unused: number;
  /** The version of the packet. */
  version: number;
  /** Destination Connection ID (the client's Source Connection ID). */
  dcid: Uint8Array;
  /** The connection ID the server chose. */
  scid: Uint8Array;
  /** The token the client must echo in its next Initial. */
  retryToken: Uint8Array;
  /** AEAD tag over the pseudo-packet that includes the original DCID. */
  retryIntegrityTag: Uint8Array;
}

/** Fewest bytes of an encoded RetryPacket. */
export const RETRY_PACKET_MIN_SIZE = 24;
/** Most bytes of an encoded RetryPacket. */
export const RETRY_PACKET_MAX_SIZE = 1087;

/**
 * The server's answer to a version it does not support: the versions it does. It is not
 * protected; its Destination and Source Connection IDs echo the client's Source and Destination.
 */
export interface VersionNegotiationPacket {
  /** Unused; set at random by the server. */
  unused: number;
  /** Destination Connection ID (any length up to 255, version-independent). */
  dcid: Uint8Array;
  /** Source Connection ID. */
  scid: Uint8Array;
  /** The versions the server supports. */
  supportedVersions: number[];
}

/** Fewest bytes of an encoded VersionNegotiationPacket. */
export const VERSION_NEGOTIATION_PACKET_MIN_SIZE = 11;
/** Most bytes of an encoded VersionNegotiationPacket. */
export const VERSION_NEGOTIATION_PACKET_MAX_SIZE = 773;

/**
 * A 1-RTT packet (short header). The Destination Connection ID has no length field: the
 * receiver knows the length of the connection IDs it issued.
 */
export interface ShortHeaderPacket {
  /** Latency spin bit (RFC 9000 §17.4). */
  spinBit: boolean;
  /** Key phase; flips at each key update. */
  keyPhase: boolean;
  /** Length of the packet number field in bytes, minus 1. */
  packetNumberLength: number;
  /** Destination Connection ID. */
  dcid: Uint8Array;
  /** The truncated packet number. */
  packetNumber: number;
  /** The protected payload. */
  payload: Uint8Array;
}

/** Fewest bytes of an encoded ShortHeaderPacket. */
export const SHORT_HEADER_PACKET_MIN_SIZE = 3;
/** Most bytes of an encoded ShortHeaderPacket (unbounded: only the packet bounds it). */
export const SHORT_HEADER_PACKET_MAX_SIZE = Infinity;

/** Reads an InitialPacket, advancing the reader. */
export function readInitialPacket(r: Reader): InitialPacket {
  const firstByte = r.u8('initial_packet.first_byte');
  if ((firstByte >> 7) !== 1) r.fail('invalid_const', 'initial_packet.header_form', `expected 1, got ${(firstByte >> 7)}`, r.pos - 1);
  if (((firstByte >> 6) & 0x1) !== 1) r.fail('invalid_const', 'initial_packet.fixed_bit', `expected 1, got ${((firstByte >> 6) & 0x1)}`, r.pos - 1);
  if (((firstByte >> 4) & 0x3) !== 0) r.fail('invalid_const', 'initial_packet.packet_type', `expected 0, got ${((firstByte >> 4) & 0x3)}`, r.pos - 1);
  if (((firstByte >> 2) & 0x3) !== 0) r.fail('invalid_const', 'initial_packet.reserved', `expected 0, got ${((firstByte >> 2) & 0x3)}`, r.pos - 1);
  const packetNumberLength = (firstByte & 0x3);
  const version = r.u32('initial_packet.version');
  if (version < 1) r.fail('out_of_range', 'initial_packet.version', `value ${version} not in 1..4294967295`, r.pos - 4);
  const dcidLength = r.u8('initial_packet.dcid_length'); // = len(dcid)
  if (dcidLength > 20) r.fail('out_of_range', 'initial_packet.dcid_length', `value ${dcidLength} not in 0..20`, r.pos - 1);
  const dcid = r.bytes(dcidLength, 'initial_packet.dcid');
  const scidLength = r.u8('initial_packet.scid_length'); // = len(scid)
  if (scidLength > 20) r.fail('out_of_range', 'initial_packet.scid_length', `value ${scidLength} not in 0..20`, r.pos - 1);
  const scid = r.bytes(scidLength, 'initial_packet.scid');
  const tokenLength = r.varint('initial_packet.token');
  if (tokenLength > 1024) r.fail('out_of_range', 'initial_packet.token', `length ${tokenLength} not in 0..1024`, r.pos - varintSize(tokenLength));
  const token = r.bytes(tokenLength, 'initial_packet.token');
  const length = r.varint('initial_packet.length'); // = packet_number_length + 1 + len(payload)
  if (length > 65527) r.fail('out_of_range', 'initial_packet.length', `value ${length} not in 0..65527`, r.pos - varintSize(length));
  const packetNumber = r.uint(packetNumberLength + 1, 'initial_packet.packet_number'); // packet_number_length + 1 bytes
  const payloadLength = length - packetNumberLength - 1;
  if (payloadLength < 1) r.fail('out_of_range', 'initial_packet.payload', `length ${payloadLength} not in 1..`);
  const payload = r.bytes(payloadLength, 'initial_packet.payload');
  return { packetNumberLength, version, dcid, scid, token, packetNumber, payload };
}

/** Decodes exactly one InitialPacket: leftover bytes are `trailing_bytes`. */
export function decodeInitialPacket(bytes: Uint8Array): InitialPacket {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readInitialPacket(r);
  r.expectEnd('initial_packet.end');
  return v;
}

/** Throws EncodeError for any InitialPacket a decoder would reject. */
function checkInitialPacket(v: InitialPacket): void {
  if (!(Number.isInteger(v.packetNumberLength) && v.packetNumberLength >= 0 && v.packetNumberLength <= 3)) throw rangeError('initial_packet.packet_number_length', v.packetNumberLength, 0, 3);
  if (!(Number.isInteger(v.version) && v.version >= 1 && v.version <= 4294967295)) throw rangeError('initial_packet.version', v.version, 1, 4294967295);
  if (!(v.dcid instanceof Uint8Array)) throw notBytes('initial_packet.dcid', v.dcid);
  if (v.dcid.length > 20) throw sizeError('initial_packet.dcid', v.dcid.length, 0, 20);
  if (!(v.scid instanceof Uint8Array)) throw notBytes('initial_packet.scid', v.scid);
  if (v.scid.length > 20) throw sizeError('initial_packet.scid', v.scid.length, 0, 20);
  if (!(v.token instanceof Uint8Array)) throw notBytes('initial_packet.token', v.token);
  if (v.token.length > 1024) throw sizeError('initial_packet.token', v.token.length, 0, 1024);
  if (!(Number.isInteger(v.packetNumber) && v.packetNumber >= 0 && v.packetNumber <= 4294967295)) throw rangeError('initial_packet.packet_number', v.packetNumber, 0, 4294967295);
  if (!(v.payload instanceof Uint8Array)) throw notBytes('initial_packet.payload', v.payload);
  if (v.payload.length < 1) throw sizeError('initial_packet.payload', v.payload.length, 1, Infinity);
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  if (length > 65527) throw rangeError('initial_packet.length', length, 0, 65527);
  if (v.packetNumber >= 2 ** (8 * (v.packetNumberLength + 1))) throw new EncodeError('out_of_range', 'initial_packet.packet_number', `value ${v.packetNumber} does not fit in packet_number_length + 1 = ${v.packetNumberLength + 1} bytes`);
}

/** The exact encoded size of an InitialPacket (of a valid one: `encodeInitialPacket` checks first). */
export function sizeInitialPacket(v: InitialPacket): number {
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  let n = 7; // first_byte, version, dcid_length, scid_length
  n += v.dcid.length;
  n += v.scid.length;
  n += varintSize(v.token.length) + v.token.length;
  n += varintSize(length);
  n += v.packetNumberLength + 1;
  n += v.payload.length;
  return n;
}

/** Writes an InitialPacket that passed `checkInitialPacket`. */
function putInitialPacket(w: Writer, v: InitialPacket): void {
  const dcidLength = v.dcid.length; // dcid_length = len(dcid)
  const scidLength = v.scid.length; // scid_length = len(scid)
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  w.u8(0xc0 | v.packetNumberLength); // first_byte: header_form=1, fixed_bit=1, packet_type=0, reserved=0
  w.u32(v.version); // 4 bytes
  w.u8(dcidLength); // dcid_length: 1 byte
  w.bytes(v.dcid);
  w.u8(scidLength); // scid_length: 1 byte
  w.bytes(v.scid);
  w.varint(v.token.length); // <= 2 bytes
  w.bytes(v.token);
  w.varint(length); // length: <= 4 bytes
  w.uint(v.packetNumber, v.packetNumberLength + 1); // packet_number_length + 1 bytes
  w.bytes(v.payload);
}

/** Checks an InitialPacket (EncodeError when invalid), then writes it. */
export function writeInitialPacket(w: Writer, v: InitialPacket): void {
  checkInitialPacket(v);
  putInitialPacket(w, v);
}

/** Checks an InitialPacket and encodes it into a buffer of exactly `sizeInitialPacket(v)` bytes. */
export function encodeInitialPacket(v: InitialPacket): Uint8Array {
  checkInitialPacket(v);
  const w = new Writer(new Uint8Array(sizeInitialPacket(v)));
  putInitialPacket(w, v);
  return w.buf;
}

/** Reads a ZeroRttPacket, advancing the reader. */
export function readZeroRttPacket(r: Reader): ZeroRttPacket {
  const firstByte = r.u8('zero_rtt_packet.first_byte');
  if ((firstByte >> 7) !== 1) r.fail('invalid_const', 'zero_rtt_packet.header_form', `expected 1, got ${(firstByte >> 7)}`, r.pos - 1);
  if (((firstByte >> 6) & 0x1) !== 1) r.fail('invalid_const', 'zero_rtt_packet.fixed_bit', `expected 1, got ${((firstByte >> 6) & 0x1)}`, r.pos - 1);
  if (((firstByte >> 4) & 0x3) !== 1) r.fail('invalid_const', 'zero_rtt_packet.packet_type', `expected 1, got ${((firstByte >> 4) & 0x3)}`, r.pos - 1);
  if (((firstByte >> 2) & 0x3) !== 0) r.fail('invalid_const', 'zero_rtt_packet.reserved', `expected 0, got ${((firstByte >> 2) & 0x3)}`, r.pos - 1);
  const packetNumberLength = (firstByte & 0x3);
  const version = r.u32('zero_rtt_packet.version');
  if (version < 1) r.fail('out_of_range', 'zero_rtt_packet.version', `value ${version} not in 1..4294967295`, r.pos - 4);
  const dcidLength = r.u8('zero_rtt_packet.dcid_length'); // = len(dcid)
  if (dcidLength > 20) r.fail('out_of_range', 'zero_rtt_packet.dcid_length', `value ${dcidLength} not in 0..20`, r.pos - 1);
  const dcid = r.bytes(dcidLength, 'zero_rtt_packet.dcid');
  const scidLength = r.u8('zero_rtt_packet.scid_length'); // = len(scid)
  if (scidLength > 20) r.fail('out_of_range', 'zero_rtt_packet.scid_length', `value ${scidLength} not in 0..20`, r.pos - 1);
  const scid = r.bytes(scidLength, 'zero_rtt_packet.scid');
  const length = r.varint('zero_rtt_packet.length'); // = packet_number_length + 1 + len(payload)
  if (length > 65527) r.fail('out_of_range', 'zero_rtt_packet.length', `value ${length} not in 0..65527`, r.pos - varintSize(length));
  const packetNumber = r.uint(packetNumberLength + 1, 'zero_rtt_packet.packet_number'); // packet_number_length + 1 bytes
  const payloadLength = length - packetNumberLength - 1;
  if (payloadLength < 1) r.fail('out_of_range', 'zero_rtt_packet.payload', `length ${payloadLength} not in 1..`);
  const payload = r.bytes(payloadLength, 'zero_rtt_packet.payload');
  return { packetNumberLength, version, dcid, scid, packetNumber, payload };
}

/** Decodes exactly one ZeroRttPacket: leftover bytes are `trailing_bytes`. */
export function decodeZeroRttPacket(bytes: Uint8Array): ZeroRttPacket {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readZeroRttPacket(r);
  r.expectEnd('zero_rtt_packet.end');
  return v;
}

/** Throws EncodeError for any ZeroRttPacket a decoder would reject. */
function checkZeroRttPacket(v: ZeroRttPacket): void {
  if (!(Number.isInteger(v.packetNumberLength) && v.packetNumberLength >= 0 && v.packetNumberLength <= 3)) throw rangeError('zero_rtt_packet.packet_number_length', v.packetNumberLength, 0, 3);
  if (!(Number.isInteger(v.version) && v.version >= 1 && v.version <= 4294967295)) throw rangeError('zero_rtt_packet.version', v.version, 1, 4294967295);
  if (!(v.dcid instanceof Uint8Array)) throw notBytes('zero_rtt_packet.dcid', v.dcid);
  if (v.dcid.length > 20) throw sizeError('zero_rtt_packet.dcid', v.dcid.length, 0, 20);
  if (!(v.scid instanceof Uint8Array)) throw notBytes('zero_rtt_packet.scid', v.scid);
  if (v.scid.length > 20) throw sizeError('zero_rtt_packet.scid', v.scid.length, 0, 20);
  if (!(Number.isInteger(v.packetNumber) && v.packetNumber >= 0 && v.packetNumber <= 4294967295)) throw rangeError('zero_rtt_packet.packet_number', v.packetNumber, 0, 4294967295);
  if (!(v.payload instanceof Uint8Array)) throw notBytes('zero_rtt_packet.payload', v.payload);
  if (v.payload.length < 1) throw sizeError('zero_rtt_packet.payload', v.payload.length, 1, Infinity);
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  if (length > 65527) throw rangeError('zero_rtt_packet.length', length, 0, 65527);
  if (v.packetNumber >= 2 ** (8 * (v.packetNumberLength + 1))) throw new EncodeError('out_of_range', 'zero_rtt_packet.packet_number', `value ${v.packetNumber} does not fit in packet_number_length + 1 = ${v.packetNumberLength + 1} bytes`);
}

/** The exact encoded size of a ZeroRttPacket (of a valid one: `encodeZeroRttPacket` checks first). */
export function sizeZeroRttPacket(v: ZeroRttPacket): number {
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  let n = 7; // first_byte, version, dcid_length, scid_length
  n += v.dcid.length;
  n += v.scid.length;
  n += varintSize(length);
  n += v.packetNumberLength + 1;
  n += v.payload.length;
  return n;
}

/** Writes a ZeroRttPacket that passed `checkZeroRttPacket`. */
function putZeroRttPacket(w: Writer, v: ZeroRttPacket): void {
  const dcidLength = v.dcid.length; // dcid_length = len(dcid)
  const scidLength = v.scid.length; // scid_length = len(scid)
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  w.u8(0xd0 | v.packetNumberLength); // first_byte: header_form=1, fixed_bit=1, packet_type=1, reserved=0
  w.u32(v.version); // 4 bytes
  w.u8(dcidLength); // dcid_length: 1 byte
  w.bytes(v.dcid);
  w.u8(scidLength); // scid_length: 1 byte
  w.bytes(v.scid);
  w.varint(length); // length: <= 4 bytes
  w.uint(v.packetNumber, v.packetNumberLength + 1); // packet_number_length + 1 bytes
  w.bytes(v.payload);
}

/** Checks a ZeroRttPacket (EncodeError when invalid), then writes it. */
export function writeZeroRttPacket(w: Writer, v: ZeroRttPacket): void {
  checkZeroRttPacket(v);
  putZeroRttPacket(w, v);
}

/** Checks a ZeroRttPacket and encodes it into a buffer of exactly `sizeZeroRttPacket(v)` bytes. */
export function encodeZeroRttPacket(v: ZeroRttPacket): Uint8Array {
  checkZeroRttPacket(v);
  const w = new Writer(new Uint8Array(sizeZeroRttPacket(v)));
  putZeroRttPacket(w, v);
  return w.buf;
}

/** Reads a HandshakePacket, advancing the reader. */
export function readHandshakePacket(r: Reader): HandshakePacket {
  const firstByte = r.u8('handshake_packet.first_byte');
  if ((firstByte >> 7) !== 1) r.fail('invalid_const', 'handshake_packet.header_form', `expected 1, got ${(firstByte >> 7)}`, r.pos - 1);
  if (((firstByte >> 6) & 0x1) !== 1) r.fail('invalid_const', 'handshake_packet.fixed_bit', `expected 1, got ${((firstByte >> 6) & 0x1)}`, r.pos - 1);
  if (((firstByte >> 4) & 0x3) !== 2) r.fail('invalid_const', 'handshake_packet.packet_type', `expected 2, got ${((firstByte >> 4) & 0x3)}`, r.pos - 1);
  if (((firstByte >> 2) & 0x3) !== 0) r.fail('invalid_const', 'handshake_packet.reserved', `expected 0, got ${((firstByte >> 2) & 0x3)}`, r.pos - 1);
  const packetNumberLength = (firstByte & 0x3);
  const version = r.u32('handshake_packet.version');
  if (version < 1) r.fail('out_of_range', 'handshake_packet.version', `value ${version} not in 1..4294967295`, r.pos - 4);
  const dcidLength = r.u8('handshake_packet.dcid_length'); // = len(dcid)
  if (dcidLength > 20) r.fail('out_of_range', 'handshake_packet.dcid_length', `value ${dcidLength} not in 0..20`, r.pos - 1);
  const dcid = r.bytes(dcidLength, 'handshake_packet.dcid');
  const scidLength = r.u8('handshake_packet.scid_length'); // = len(scid)
  if (scidLength > 20) r.fail('out_of_range', 'handshake_packet.scid_length', `value ${scidLength} not in 0..20`, r.pos - 1);
  const scid = r.bytes(scidLength, 'handshake_packet.scid');
  const length = r.varint('handshake_packet.length'); // = packet_number_length + 1 + len(payload)
  if (length > 65527) r.fail('out_of_range', 'handshake_packet.length', `value ${length} not in 0..65527`, r.pos - varintSize(length));
  const packetNumber = r.uint(packetNumberLength + 1, 'handshake_packet.packet_number'); // packet_number_length + 1 bytes
  const payloadLength = length - packetNumberLength - 1;
  if (payloadLength < 1) r.fail('out_of_range', 'handshake_packet.payload', `length ${payloadLength} not in 1..`);
  const payload = r.bytes(payloadLength, 'handshake_packet.payload');
  return { packetNumberLength, version, dcid, scid, packetNumber, payload };
}

/** Decodes exactly one HandshakePacket: leftover bytes are `trailing_bytes`. */
export function decodeHandshakePacket(bytes: Uint8Array): HandshakePacket {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readHandshakePacket(r);
  r.expectEnd('handshake_packet.end');
  return v;
}

/** Throws EncodeError for any HandshakePacket a decoder would reject. */
function checkHandshakePacket(v: HandshakePacket): void {
  if (!(Number.isInteger(v.packetNumberLength) && v.packetNumberLength >= 0 && v.packetNumberLength <= 3)) throw rangeError('handshake_packet.packet_number_length', v.packetNumberLength, 0, 3);
  if (!(Number.isInteger(v.version) && v.version >= 1 && v.version <= 4294967295)) throw rangeError('handshake_packet.version', v.version, 1, 4294967295);
  if (!(v.dcid instanceof Uint8Array)) throw notBytes('handshake_packet.dcid', v.dcid);
  if (v.dcid.length > 20) throw sizeError('handshake_packet.dcid', v.dcid.length, 0, 20);
  if (!(v.scid instanceof Uint8Array)) throw notBytes('handshake_packet.scid', v.scid);
  if (v.scid.length > 20) throw sizeError('handshake_packet.scid', v.scid.length, 0, 20);
  if (!(Number.isInteger(v.packetNumber) && v.packetNumber >= 0 && v.packetNumber <= 4294967295)) throw rangeError('handshake_packet.packet_number', v.packetNumber, 0, 4294967295);
  if (!(v.payload instanceof Uint8Array)) throw notBytes('handshake_packet.payload', v.payload);
  if (v.payload.length < 1) throw sizeError('handshake_packet.payload', v.payload.length, 1, Infinity);
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  if (length > 65527) throw rangeError('handshake_packet.length', length, 0, 65527);
  if (v.packetNumber >= 2 ** (8 * (v.packetNumberLength + 1))) throw new EncodeError('out_of_range', 'handshake_packet.packet_number', `value ${v.packetNumber} does not fit in packet_number_length + 1 = ${v.packetNumberLength + 1} bytes`);
}

/** The exact encoded size of a HandshakePacket (of a valid one: `encodeHandshakePacket` checks first). */
export function sizeHandshakePacket(v: HandshakePacket): number {
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  let n = 7; // first_byte, version, dcid_length, scid_length
  n += v.dcid.length;
  n += v.scid.length;
  n += varintSize(length);
  n += v.packetNumberLength + 1;
  n += v.payload.length;
  return n;
}

/** Writes a HandshakePacket that passed `checkHandshakePacket`. */
function putHandshakePacket(w: Writer, v: HandshakePacket): void {
  const dcidLength = v.dcid.length; // dcid_length = len(dcid)
  const scidLength = v.scid.length; // scid_length = len(scid)
  const length = v.packetNumberLength + 1 + v.payload.length; // length = packet_number_length + 1 + len(payload)
  w.u8(0xe0 | v.packetNumberLength); // first_byte: header_form=1, fixed_bit=1, packet_type=2, reserved=0
  w.u32(v.version); // 4 bytes
  w.u8(dcidLength); // dcid_length: 1 byte
  w.bytes(v.dcid);
  w.u8(scidLength); // scid_length: 1 byte
  w.bytes(v.scid);
  w.varint(length); // length: <= 4 bytes
  w.uint(v.packetNumber, v.packetNumberLength + 1); // packet_number_length + 1 bytes
  w.bytes(v.payload);
}

/** Checks a HandshakePacket (EncodeError when invalid), then writes it. */
export function writeHandshakePacket(w: Writer, v: HandshakePacket): void {
  checkHandshakePacket(v);
  putHandshakePacket(w, v);
}

/** Checks a HandshakePacket and encodes it into a buffer of exactly `sizeHandshakePacket(v)` bytes. */
export function encodeHandshakePacket(v: HandshakePacket): Uint8Array {
  checkHandshakePacket(v);
  const w = new Writer(new Uint8Array(sizeHandshakePacket(v)));
  putHandshakePacket(w, v);
  return w.buf;
}

/** Reads a RetryPacket, advancing the reader. */
export function readRetryPacket(r: Reader): RetryPacket {
  const firstByte = r.u8('retry_packet.first_byte');
  if ((firstByte >> 7) !== 1) r.fail('invalid_const', 'retry_packet.header_form', `expected 1, got ${(firstByte >> 7)}`, r.pos - 1);
  if (((firstByte >> 6) & 0x1) !== 1) r.fail('invalid_const', 'retry_packet.fixed_bit', `expected 1, got ${((firstByte >> 6) & 0x1)}`, r.pos - 1);
  if (((firstByte >> 4) & 0x3) !== 3) r.fail('invalid_const', 'retry_packet.packet_type', `expected 3, got ${((firstByte >> 4) & 0x3)}`, r.pos - 1);
  const unused = (firstByte & 0xf);
  const version = r.u32('retry_packet.version');
  if (version < 1) r.fail('out_of_range', 'retry_packet.version', `value ${version} not in 1..4294967295`, r.pos - 4);
  const dcidLength = r.u8('retry_packet.dcid_length'); // = len(dcid)
  if (dcidLength > 20) r.fail('out_of_range', 'retry_packet.dcid_length', `value ${dcidLength} not in 0..20`, r.pos - 1);
  const dcid = r.bytes(dcidLength, 'retry_packet.dcid');
  const scidLength = r.u8('retry_packet.scid_length'); // = len(scid)
  if (scidLength > 20) r.fail('out_of_range', 'retry_packet.scid_length', `value ${scidLength} not in 0..20`, r.pos - 1);
  const scid = r.bytes(scidLength, 'retry_packet.scid');
  const retryTokenLength = r.remaining - 16; // the last 16 bytes belong to the fields after it
  if (retryTokenLength < 0) r.fail('truncated', 'retry_packet.retry_token', `need 16 bytes after it, ${r.remaining} left`);
  if (retryTokenLength < 1 || retryTokenLength > 1024) r.fail('out_of_range', 'retry_packet.retry_token', `length ${retryTokenLength} not in 1..1024`);
  const retryToken = r.bytes(retryTokenLength, 'retry_packet.retry_token');
  const retryIntegrityTag = r.bytes(16, 'retry_packet.retry_integrity_tag');
  return { unused, version, dcid, scid, retryToken, retryIntegrityTag };
}

/** Decodes exactly one RetryPacket: leftover bytes are `trailing_bytes`. */
export function decodeRetryPacket(bytes: Uint8Array): RetryPacket {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readRetryPacket(r);
  r.expectEnd('retry_packet.end');
  return v;
}

/** Throws EncodeError for any RetryPacket a decoder would reject. */
function checkRetryPacket(v: RetryPacket): void {
  if (!(Number.isInteger(v.unused) && v.unused >= 0 && v.unused <= 15)) throw rangeError('retry_packet.unused', v.unused, 0, 15);
  if (!(Number.isInteger(v.version) && v.version >= 1 && v.version <= 4294967295)) throw rangeError('retry_packet.version', v.version, 1, 4294967295);
  if (!(v.dcid instanceof Uint8Array)) throw notBytes('retry_packet.dcid', v.dcid);
  if (v.dcid.length > 20) throw sizeError('retry_packet.dcid', v.dcid.length, 0, 20);
  if (!(v.scid instanceof Uint8Array)) throw notBytes('retry_packet.scid', v.scid);
  if (v.scid.length > 20) throw sizeError('retry_packet.scid', v.scid.length, 0, 20);
  if (!(v.retryToken instanceof Uint8Array)) throw notBytes('retry_packet.retry_token', v.retryToken);
  if (v.retryToken.length < 1 || v.retryToken.length > 1024) throw sizeError('retry_packet.retry_token', v.retryToken.length, 1, 1024);
  if (!(v.retryIntegrityTag instanceof Uint8Array)) throw notBytes('retry_packet.retry_integrity_tag', v.retryIntegrityTag);
  if (v.retryIntegrityTag.length !== 16) throw new EncodeError('length_mismatch', 'retry_packet.retry_integrity_tag', `expected 16 bytes, got ${v.retryIntegrityTag.length}`);
}

/** The exact encoded size of a RetryPacket (of a valid one: `encodeRetryPacket` checks first). */
export function sizeRetryPacket(v: RetryPacket): number {
  let n = 23; // first_byte, version, dcid_length, scid_length, retry_integrity_tag
  n += v.dcid.length;
  n += v.scid.length;
  n += v.retryToken.length;
  return n;
}

/** Writes a RetryPacket that passed `checkRetryPacket`. */
function putRetryPacket(w: Writer, v: RetryPacket): void {
  const dcidLength = v.dcid.length; // dcid_length = len(dcid)
  const scidLength = v.scid.length; // scid_length = len(scid)
  w.u8(0xf0 | v.unused); // first_byte: header_form=1, fixed_bit=1, packet_type=3
  w.u32(v.version); // 4 bytes
  w.u8(dcidLength); // dcid_length: 1 byte
  w.bytes(v.dcid);
  w.u8(scidLength); // scid_length: 1 byte
  w.bytes(v.scid);
  w.bytes(v.retryToken);
  w.bytes(v.retryIntegrityTag);
}

/** Checks a RetryPacket (EncodeError when invalid), then writes it. */
export function writeRetryPacket(w: Writer, v: RetryPacket): void {
  checkRetryPacket(v);
  putRetryPacket(w, v);
}

/** Checks a RetryPacket and encodes it into a buffer of exactly `sizeRetryPacket(v)` bytes. */
export function encodeRetryPacket(v: RetryPacket): Uint8Array {
  checkRetryPacket(v);
  const w = new Writer(new Uint8Array(sizeRetryPacket(v)));
  putRetryPacket(w, v);
  return w.buf;
}

/** Reads a VersionNegotiationPacket, advancing the reader. */
export function readVersionNegotiationPacket(r: Reader): VersionNegotiationPacket {
  const firstByte = r.u8('version_negotiation_packet.first_byte');
  if ((firstByte >> 7) !== 1) r.fail('invalid_const', 'version_negotiation_packet.header_form', `expected 1, got ${(firstByte >> 7)}`, r.pos - 1);
  const unused = (firstByte & 0x7f);
  const version = r.u32('version_negotiation_packet.version'); // always 0
  if (version !== 0) r.fail('invalid_const', 'version_negotiation_packet.version', `expected 0, got ${version}`, r.pos - 4);
  const dcidLength = r.u8('version_negotiation_packet.dcid_length'); // = len(dcid)
  const dcid = r.bytes(dcidLength, 'version_negotiation_packet.dcid');
  const scidLength = r.u8('version_negotiation_packet.scid_length'); // = len(scid)
  const scid = r.bytes(scidLength, 'version_negotiation_packet.scid');
  const supportedVersions: number[] = [];
  while (r.remaining > 0) {
    if (supportedVersions.length === 64) r.fail('too_many', 'version_negotiation_packet.supported_versions', 'more than 64 elements');
    supportedVersions.push(r.u32('version_negotiation_packet.supported_versions'));
  }
  if (supportedVersions.length < 1) r.fail('out_of_range', 'version_negotiation_packet.supported_versions', `${supportedVersions.length} elements, at least 1`);
  return { unused, dcid, scid, supportedVersions };
}

/** Decodes exactly one VersionNegotiationPacket: leftover bytes are `trailing_bytes`. */
export function decodeVersionNegotiationPacket(bytes: Uint8Array): VersionNegotiationPacket {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readVersionNegotiationPacket(r);
  r.expectEnd('version_negotiation_packet.end');
  return v;
}

/** Throws EncodeError for any VersionNegotiationPacket a decoder would reject. */
function checkVersionNegotiationPacket(v: VersionNegotiationPacket): void {
  if (!(Number.isInteger(v.unused) && v.unused >= 0 && v.unused <= 127)) throw rangeError('version_negotiation_packet.unused', v.unused, 0, 127);
  if (!(v.dcid instanceof Uint8Array)) throw notBytes('version_negotiation_packet.dcid', v.dcid);
  if (!(v.scid instanceof Uint8Array)) throw notBytes('version_negotiation_packet.scid', v.scid);
  if (!Array.isArray(v.supportedVersions)) throw new EncodeError('wrong_type', 'version_negotiation_packet.supported_versions', `expected an array, got ${describeValue(v.supportedVersions)}`);
  if (v.supportedVersions.length > 64) throw new EncodeError('out_of_range', 'version_negotiation_packet.supported_versions', `${v.supportedVersions.length} elements, at most 64`);
  if (v.supportedVersions.length < 1) throw new EncodeError('out_of_range', 'version_negotiation_packet.supported_versions', `${v.supportedVersions.length} elements, at least 1`);
  for (let i = 0; i < v.supportedVersions.length; i++) {
    if (!(Number.isInteger(v.supportedVersions[i]) && v.supportedVersions[i] >= 0 && v.supportedVersions[i] <= 4294967295)) throw rangeError('version_negotiation_packet.supported_versions', v.supportedVersions[i], 0, 4294967295);
  }
  const dcidLength = v.dcid.length; // dcid_length = len(dcid)
  if (dcidLength > 255) throw rangeError('version_negotiation_packet.dcid_length', dcidLength, 0, 255);
  const scidLength = v.scid.length; // scid_length = len(scid)
  if (scidLength > 255) throw rangeError('version_negotiation_packet.scid_length', scidLength, 0, 255);
}

/** The exact encoded size of a VersionNegotiationPacket (of a valid one: `encodeVersionNegotiationPacket` checks first). */
export function sizeVersionNegotiationPacket(v: VersionNegotiationPacket): number {
  let n = 7; // first_byte, version, dcid_length, scid_length
  n += v.dcid.length;
  n += v.scid.length;
  n += 4 * v.supportedVersions.length;
  return n;
}

/** Writes a VersionNegotiationPacket that passed `checkVersionNegotiationPacket`. */
function putVersionNegotiationPacket(w: Writer, v: VersionNegotiationPacket): void {
  const dcidLength = v.dcid.length; // dcid_length = len(dcid)
  const scidLength = v.scid.length; // scid_length = len(scid)
  w.u8(0x80 | v.unused); // first_byte: header_form=1
  w.u32(0); // version, always 0: 4 bytes
  w.u8(dcidLength); // dcid_length: 1 byte
  w.bytes(v.dcid);
  w.u8(scidLength); // scid_length: 1 byte
  w.bytes(v.scid);
  for (let i = 0; i < v.supportedVersions.length; i++) w.u32(v.supportedVersions[i]); // 4 bytes each
}

/** Checks a VersionNegotiationPacket (EncodeError when invalid), then writes it. */
export function writeVersionNegotiationPacket(w: Writer, v: VersionNegotiationPacket): void {
  checkVersionNegotiationPacket(v);
  putVersionNegotiationPacket(w, v);
}

/** Checks a VersionNegotiationPacket and encodes it into a buffer of exactly `sizeVersionNegotiationPacket(v)` bytes. */
export function encodeVersionNegotiationPacket(v: VersionNegotiationPacket): Uint8Array {
  checkVersionNegotiationPacket(v);
  const w = new Writer(new Uint8Array(sizeVersionNegotiationPacket(v)));
  putVersionNegotiationPacket(w, v);
  return w.buf;
}

/**
 * Reads a ShortHeaderPacket, advancing the reader.
 *
 * @param dcidLength Length of the connection IDs the receiver issued.
 */
export function readShortHeaderPacket(r: Reader, dcidLength: number): ShortHeaderPacket {
  const firstByte = r.u8('short_header_packet.first_byte');
  if ((firstByte >> 7) !== 0) r.fail('invalid_const', 'short_header_packet.header_form', `expected 0, got ${(firstByte >> 7)}`, r.pos - 1);
  if (((firstByte >> 6) & 0x1) !== 1) r.fail('invalid_const', 'short_header_packet.fixed_bit', `expected 1, got ${((firstByte >> 6) & 0x1)}`, r.pos - 1);
  const spinBit = (firstByte & 0x20) !== 0;
  if (((firstByte >> 3) & 0x3) !== 0) r.fail('invalid_const', 'short_header_packet.reserved', `expected 0, got ${((firstByte >> 3) & 0x3)}`, r.pos - 1);
  const keyPhase = (firstByte & 0x4) !== 0;
  const packetNumberLength = (firstByte & 0x3);
  if (dcidLength < 0 || dcidLength > 20) r.fail('out_of_range', 'short_header_packet.dcid', `length ${dcidLength} not in 0..20`);
  const dcid = r.bytes(dcidLength, 'short_header_packet.dcid');
  const packetNumber = r.uint(packetNumberLength + 1, 'short_header_packet.packet_number'); // packet_number_length + 1 bytes
  const payload = r.rest();
  if (payload.length < 1) r.fail('out_of_range', 'short_header_packet.payload', `length ${payload.length} not in 1..`, r.pos - payload.length);
  return { spinBit, keyPhase, packetNumberLength, dcid, packetNumber, payload };
}

/** Decodes exactly one ShortHeaderPacket: leftover bytes are `trailing_bytes`. */
export function decodeShortHeaderPacket(bytes: Uint8Array, dcidLength: number): ShortHeaderPacket {
  const r = new Reader(bytes, ERROR_CODE);
  const v = readShortHeaderPacket(r, dcidLength);
  r.expectEnd('short_header_packet.end');
  return v;
}

/** Throws EncodeError for any ShortHeaderPacket a decoder would reject. */
function checkShortHeaderPacket(v: ShortHeaderPacket): void {
  if (typeof v.spinBit !== 'boolean') throw notBool('short_header_packet.spin_bit', v.spinBit);
  if (typeof v.keyPhase !== 'boolean') throw notBool('short_header_packet.key_phase', v.keyPhase);
  if (!(Number.isInteger(v.packetNumberLength) && v.packetNumberLength >= 0 && v.packetNumberLength <= 3)) throw rangeError('short_header_packet.packet_number_length', v.packetNumberLength, 0, 3);
  if (!(v.dcid instanceof Uint8Array)) throw notBytes('short_header_packet.dcid', v.dcid);
  if (v.dcid.length > 20) throw sizeError('short_header_packet.dcid', v.dcid.length, 0, 20);
  if (!(Number.isInteger(v.packetNumber) && v.packetNumber >= 0 && v.packetNumber <= 4294967295)) throw rangeError('short_header_packet.packet_number', v.packetNumber, 0, 4294967295);
  if (!(v.payload instanceof Uint8Array)) throw notBytes('short_header_packet.payload', v.payload);
  if (v.payload.length < 1) throw sizeError('short_header_packet.payload', v.payload.length, 1, Infinity);
  // dcid: its size (dcid_length) is a decoder parameter, which the encoder cannot check.
  if (v.packetNumber >= 2 ** (8 * (v.packetNumberLength + 1))) throw new EncodeError('out_of_range', 'short_header_packet.packet_number', `value ${v.packetNumber} does not fit in packet_number_length + 1 = ${v.packetNumberLength + 1} bytes`);
}

/** The exact encoded size of a ShortHeaderPacket (of a valid one: `encodeShortHeaderPacket` checks first). */
export function sizeShortHeaderPacket(v: ShortHeaderPacket): number {
  let n = 1; // first_byte
  n += v.dcid.length;
  n += v.packetNumberLength + 1;
  n += v.payload.length;
  return n;
}

/** Writes a ShortHeaderPacket that passed `checkShortHeaderPacket`. */
function putShortHeaderPacket(w: Writer, v: ShortHeaderPacket): void {

  w.u8(0x40 | (v.spinBit ? 0x20 : 0) | (v.keyPhase ? 0x04 : 0) | v.packetNumberLength); // first_byte: header_form=0, fixed_bit=1, reserved=0
  w.bytes(v.dcid);
  w.uint(v.packetNumber, v.packetNumberLength + 1); // packet_number_length + 1 bytes
  w.bytes(v.payload);
}

/** Checks a ShortHeaderPacket (EncodeError when invalid), then writes it. */
export function writeShortHeaderPacket(w: Writer, v: ShortHeaderPacket): void {
  checkShortHeaderPacket(v);
  putShortHeaderPacket(w, v);
}

/** Checks a ShortHeaderPacket and encodes it into a buffer of exactly `sizeShortHeaderPacket(v)` bytes. */
export function encodeShortHeaderPacket(v: ShortHeaderPacket): Uint8Array {
  checkShortHeaderPacket(v);
  const w = new Writer(new Uint8Array(sizeShortHeaderPacket(v)));
  putShortHeaderPacket(w, v);
  return w.buf;
}
