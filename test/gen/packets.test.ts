/**
 * The generated packet codec (src/gen/packets.ts): hand-checked long and short headers (RFC 9000
 * §17 layouts, after header protection is removed), coalesced packets, the short header's
 * dcid_length parameter, every decode error kind a packet can produce (all PROTOCOL_VIOLATION,
 * 0x0a), and EncodeErrors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DecodeError, EncodeError, Reader } from '../../src/codec/index.ts';
import {
  INITIAL_PACKET_MIN_SIZE, LongPacketType, SHORT_HEADER_PACKET_MAX_SIZE, VERSION_1, VERSION_NEGOTIATION_PACKET_MAX_SIZE,
  decodeHandshakePacket, decodeInitialPacket, decodeRetryPacket, decodeShortHeaderPacket, decodeVersionNegotiationPacket,
  decodeZeroRttPacket, encodeHandshakePacket, encodeInitialPacket, encodeRetryPacket, encodeShortHeaderPacket,
  encodeVersionNegotiationPacket, encodeZeroRttPacket, readHandshakePacket, readInitialPacket, sizeInitialPacket,
  type InitialPacket, type RetryPacket, type ShortHeaderPacket, type VersionNegotiationPacket,
} from '../../src/gen/index.ts';
import { toHex as hex } from '../helpers.ts';

const PROTOCOL_VIOLATION = 0x0a;
const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const TAG = 'ff'.repeat(16);

function thrown<E>(Class: new (...a: any[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (e) {
    if (e instanceof Class) return e;
    throw e;
  }
  throw new Error(`expected a ${Class.name}, nothing was thrown`);
}

/** Expect `f` to fail with a PROTOCOL_VIOLATION DecodeError of `kind` at `path`. */
function rejects(f: () => unknown, kind: string, path?: string): DecodeError {
  const e = thrown(DecodeError, f);
  assert.is(e.code, PROTOCOL_VIOLATION, e.message);
  assert.is(e.kind, kind, e.message);
  if (path !== undefined) assert.is(e.path, path, e.message);
  return e;
}

const INITIAL: InitialPacket = {
  packetNumberLength: 1, version: VERSION_1, dcid: h('0102030405060708'), scid: h(''), token: h(''),
  packetNumber: 0x0102, payload: h('aabbccdd'),
};
// c1: long header, fixed bit, type 0 (Initial), reserved 00, packet number length 2 (pnl 1)
// length 06 = 2 bytes of packet number + 4 of payload
const INITIAL_HEX = 'c1 4a535001 08 0102030405060708 00 00 06 0102 aabbccdd';

// ───────────────────────────── hand-checked encodings ─────────────────────────────

test('Initial: header fields, derived lengths, 2-byte packet number', () => {
  const bytes = encodeInitialPacket(INITIAL);
  assert.is(hex(bytes), INITIAL_HEX.replace(/\s+/g, ''));
  assert.is(sizeInitialPacket(INITIAL), bytes.length);
  assert.equal(decodeInitialPacket(bytes), INITIAL);
});

test('Initial with a token and a 1-byte packet number', () => {
  const v: InitialPacket = { packetNumberLength: 0, version: VERSION_1, dcid: h(''), scid: h('a1a2a3a4'), token: h('746f6b'), packetNumber: 5, payload: h('ee') };
  const bytes = encodeInitialPacket(v);
  assert.is(hex(bytes), 'c04a53500100' + '04a1a2a3a4' + '03746f6b' + '02' + '05' + 'ee');
  assert.equal(decodeInitialPacket(bytes), v);
});

test('0-RTT (4-byte packet number) and Handshake packets', () => {
  const z = { packetNumberLength: 3, version: VERSION_1, dcid: h(''), scid: h(''), packetNumber: 0x01020304, payload: h('ff') };
  assert.is(hex(encodeZeroRttPacket(z)), 'd34a5350010000050102030' + '4ff');
  assert.equal(decodeZeroRttPacket(encodeZeroRttPacket(z)), z);
  const hs = { packetNumberLength: 0, version: VERSION_1, dcid: h('aa'), scid: h('bb'), packetNumber: 9, payload: h('ff') };
  assert.is(hex(encodeHandshakePacket(hs)), 'e04a53500101aa01bb0209ff');
  assert.equal(decodeHandshakePacket(encodeHandshakePacket(hs)), hs);
});

test('Retry: the token runs to 16 bytes before the end; the unused bits are kept', () => {
  const v: RetryPacket = { unused: 5, version: VERSION_1, dcid: h(''), scid: h('a1a2a3a4'), retryToken: h('746f6b'), retryIntegrityTag: h(TAG) };
  const bytes = encodeRetryPacket(v);
  assert.is(hex(bytes), `f54a53500100 04a1a2a3a4 746f6b ${TAG}`.replace(/\s+/g, ''));
  assert.equal(decodeRetryPacket(bytes), v);
});

test('Version Negotiation: version 0, versions until the end', () => {
  const v: VersionNegotiationPacket = { unused: 0x2a, dcid: h('11'), scid: h('2122'), supportedVersions: [VERSION_1, 0x1a2a3a4a] };
  const bytes = encodeVersionNegotiationPacket(v);
  assert.is(hex(bytes), 'aa' + '00000000' + '0111' + '022122' + '4a535001' + '1a2a3a4a');
  assert.equal(decodeVersionNegotiationPacket(bytes), v);
  assert.not.ok('version' in decodeVersionNegotiationPacket(bytes), 'fixed fields are not properties');
  // connection IDs of any length up to 255 (version-independent, RFC 8999)
  const long = { ...v, dcid: h('00'.repeat(255)) };
  assert.equal(decodeVersionNegotiationPacket(encodeVersionNegotiationPacket(long)), long);
});

test('short header: the dcid length is a decoder parameter', () => {
  const v: ShortHeaderPacket = { spinBit: true, keyPhase: true, packetNumberLength: 0, dcid: h('01020304'), packetNumber: 0x7f, payload: h('616263') };
  const bytes = encodeShortHeaderPacket(v);
  // 64 = 0 fixed(1) spin(1) reserved(00) key phase(1) pnl(00)
  assert.is(hex(bytes), '64010203047f616263');
  assert.equal(decodeShortHeaderPacket(bytes, 4), v);
  // the same bytes read with another dcid length give another split
  const other = decodeShortHeaderPacket(bytes, 0);
  assert.equal(other.dcid, h(''));
  assert.is(other.packetNumber, 0x01);
  assert.equal(other.payload, h('0203047f616263'));
  const flags = decodeShortHeaderPacket(h('41 00 0000 ff'), 1); // pnl 1: a 2-byte packet number
  assert.is(flags.spinBit, false);
  assert.is(flags.keyPhase, false);
  assert.is(flags.packetNumberLength, 1);
  assert.is(flags.packetNumber, 0);
});

test('coalesced packets: readInitialPacket stops at the end of its Length', () => {
  const datagram = h(`${INITIAL_HEX} e04a53500101aa01bb0209ff`);
  const r = new Reader(datagram, PROTOCOL_VIOLATION);
  assert.equal(readInitialPacket(r), INITIAL);
  const hs = readHandshakePacket(r);
  assert.equal(hs.payload, h('ff'));
  assert.is(r.remaining, 0);
  // decodeInitialPacket takes exactly one packet
  rejects(() => decodeInitialPacket(datagram), 'trailing_bytes');
});

test('enum and bounds', () => {
  assert.equal(LongPacketType, { INITIAL: 0, ZERO_RTT: 1, HANDSHAKE: 2, RETRY: 3 });
  assert.is(INITIAL_PACKET_MIN_SIZE, 1 + 4 + 1 + 1 + 1 + 1 + 1 + 1);
  assert.is(SHORT_HEADER_PACKET_MAX_SIZE, Infinity);
  assert.is(VERSION_NEGOTIATION_PACKET_MAX_SIZE, 1 + 4 + 1 + 255 + 1 + 255 + 64 * 4);
});

// ───────────────────────────── decode errors (PROTOCOL_VIOLATION) ─────────────────────────────

test('invalid_const: header form, fixed bit, packet type, reserved bits, VN version', () => {
  const e = rejects(() => decodeInitialPacket(h('81 4a535001 00 00 00 02 00 ff')), 'invalid_const', 'initial_packet.fixed_bit');
  assert.is(e.offset, 0);
  rejects(() => decodeInitialPacket(h('c4 4a535001 00 00 00 02 00 ff')), 'invalid_const', 'initial_packet.reserved');
  rejects(() => decodeInitialPacket(h('e0 4a535001 00 00 00 02 00 ff')), 'invalid_const', 'initial_packet.packet_type');
  rejects(() => decodeHandshakePacket(h('c0 4a535001 00 00 02 00 ff')), 'invalid_const', 'handshake_packet.packet_type');
  rejects(() => decodeShortHeaderPacket(h('c0 00 ff'), 0), 'invalid_const', 'short_header_packet.header_form');
  rejects(() => decodeShortHeaderPacket(h('58 00 ff'), 0), 'invalid_const', 'short_header_packet.reserved');
  rejects(() => decodeVersionNegotiationPacket(h('80 00000001 00 00 4a535001')), 'invalid_const', 'version_negotiation_packet.version');
  rejects(() => decodeVersionNegotiationPacket(h('00 00000000 00 00 4a535001')), 'invalid_const', 'version_negotiation_packet.header_form');
});

test('out_of_range: version 0, long connection IDs, lengths outside their bounds', () => {
  rejects(() => decodeInitialPacket(h('c0 00000000 00 00 00 02 00 ff')), 'out_of_range', 'initial_packet.version');
  rejects(() => decodeInitialPacket(h(`c0 4a535001 15 ${'00'.repeat(21)} 00 00 02 00 ff`)), 'out_of_range', 'initial_packet.dcid_length');
  rejects(() => decodeInitialPacket(h('c0 4a535001 00 00 4401')), 'out_of_range', 'initial_packet.token'); // 1025 > max_token_length
  rejects(() => decodeInitialPacket(h('c0 4a535001 00 00 00 8000fff8')), 'out_of_range', 'initial_packet.length'); // 65528
  // Length covers the packet number but leaves no payload (min 1 byte), or not even the packet number
  rejects(() => decodeInitialPacket(h('c1 4a535001 00 00 00 02 0102')), 'out_of_range', 'initial_packet.payload');
  rejects(() => decodeInitialPacket(h('c3 4a535001 00 00 00 01 01020304')), 'out_of_range', 'initial_packet.payload');
  rejects(() => decodeRetryPacket(h(`f0 4a535001 00 00 ${TAG}`)), 'out_of_range', 'retry_packet.retry_token'); // empty token
  rejects(() => decodeVersionNegotiationPacket(h('80 00000000 00 00')), 'out_of_range', 'version_negotiation_packet.supported_versions');
  rejects(() => decodeShortHeaderPacket(h(`40 ${'00'.repeat(21)} 00 ff`), 21), 'out_of_range', 'short_header_packet.dcid');
  rejects(() => decodeShortHeaderPacket(h('40 00'), 0), 'out_of_range', 'short_header_packet.payload'); // no payload
});

test('truncated: fields cut short, a Length past the end', () => {
  rejects(() => decodeInitialPacket(h('')), 'truncated', 'initial_packet.first_byte');
  rejects(() => decodeInitialPacket(h('c0 4a5350')), 'truncated', 'initial_packet.version');
  rejects(() => decodeInitialPacket(h('c0 4a535001 08 0102')), 'truncated', 'initial_packet.dcid');
  rejects(() => decodeInitialPacket(h('c1 4a535001 00 00 00 0a 0102 aabb')), 'truncated', 'initial_packet.payload');
  rejects(() => decodeInitialPacket(h('c3 4a535001 00 00 00 0a 0102')), 'truncated', 'initial_packet.packet_number');
  rejects(() => decodeRetryPacket(h('f0 4a535001 00 00 aabb')), 'truncated', 'retry_packet.retry_token');
  rejects(() => decodeVersionNegotiationPacket(h('80 00000000 00 00 4a535001 4a53')), 'truncated', 'version_negotiation_packet.supported_versions');
  rejects(() => decodeShortHeaderPacket(h('40 0102'), 8), 'truncated', 'short_header_packet.dcid');
});

test('trailing_bytes, non_minimal, too_many', () => {
  rejects(() => decodeHandshakePacket(h('e0 4a535001 00 00 02 09 ff 00')), 'trailing_bytes', 'handshake_packet.end');
  rejects(() => decodeInitialPacket(h('c0 4a535001 00 00 4000 02 00 ff')), 'non_minimal', 'initial_packet.token');
  rejects(() => decodeInitialPacket(h('c0 4a535001 00 00 00 4002 00 ff')), 'non_minimal', 'initial_packet.length');
  const versions = '4a535001'.repeat(65);
  rejects(() => decodeVersionNegotiationPacket(h(`80 00000000 00 00 ${versions}`)), 'too_many', 'version_negotiation_packet.supported_versions');
  assert.is(decodeVersionNegotiationPacket(h(`80 00000000 00 00 ${'4a535001'.repeat(64)}`)).supportedVersions.length, 64);
});

// ───────────────────────────── encode errors ─────────────────────────────

test('EncodeError: the packet number must fit its length', () => {
  let e = thrown(EncodeError, () => encodeInitialPacket({ ...INITIAL, packetNumber: 0x10000 }));
  assert.is(e.path, 'initial_packet.packet_number');
  assert.match(e.message, /does not fit in packet_number_length \+ 1 = 2 bytes/);
  e = thrown(EncodeError, () => encodeInitialPacket({ ...INITIAL, packetNumberLength: 4 }));
  assert.is(e.path, 'initial_packet.packet_number_length');
  e = thrown(EncodeError, () => encodeShortHeaderPacket({ spinBit: false, keyPhase: false, packetNumberLength: 0, dcid: h(''), packetNumber: 256, payload: h('00') }));
  assert.is(e.path, 'short_header_packet.packet_number');
  // first byte, version, dcid length + 8, scid length, token length, Length, 4-byte packet number, payload
  assert.is(encodeInitialPacket({ ...INITIAL, packetNumberLength: 3, packetNumber: 0xffff_ffff }).length, 1 + 4 + 9 + 1 + 1 + 1 + 4 + 4);
});

test('EncodeError: header values', () => {
  assert.is(thrown(EncodeError, () => encodeInitialPacket({ ...INITIAL, version: 0 })).path, 'initial_packet.version');
  assert.is(thrown(EncodeError, () => encodeInitialPacket({ ...INITIAL, dcid: h('00'.repeat(21)) })).path, 'initial_packet.dcid');
  assert.is(thrown(EncodeError, () => encodeInitialPacket({ ...INITIAL, payload: h('') })).path, 'initial_packet.payload');
  assert.is(thrown(EncodeError, () => encodeInitialPacket({ ...INITIAL, token: h('00'.repeat(1025)) })).path, 'initial_packet.token');
  // Length (packet number + payload) above max_udp_payload_size
  const big = thrown(EncodeError, () => encodeInitialPacket({ ...INITIAL, payload: new Uint8Array(65526) }));
  assert.is(big.path, 'initial_packet.length');
  const flag = { spinBit: 'yes', keyPhase: false, packetNumberLength: 0, dcid: h(''), packetNumber: 0, payload: h('00') } as unknown as ShortHeaderPacket;
  assert.is(thrown(EncodeError, () => encodeShortHeaderPacket(flag)).kind, 'wrong_type');
  const retry: RetryPacket = { unused: 16, version: VERSION_1, dcid: h(''), scid: h(''), retryToken: h('aa'), retryIntegrityTag: h(TAG) };
  assert.is(thrown(EncodeError, () => encodeRetryPacket(retry)).path, 'retry_packet.unused');
  assert.is(thrown(EncodeError, () => encodeRetryPacket({ ...retry, unused: 0, retryToken: h('') })).path, 'retry_packet.retry_token');
  const tag = thrown(EncodeError, () => encodeRetryPacket({ ...retry, unused: 0, retryIntegrityTag: h('ff') }));
  assert.is(tag.kind, 'length_mismatch');
  const vn: VersionNegotiationPacket = { unused: 0, dcid: h(''), scid: h(''), supportedVersions: [] };
  assert.is(thrown(EncodeError, () => encodeVersionNegotiationPacket(vn)).path, 'version_negotiation_packet.supported_versions');
  assert.is(thrown(EncodeError, () => encodeVersionNegotiationPacket({ ...vn, supportedVersions: [2 ** 32] })).path,
    'version_negotiation_packet.supported_versions');
  assert.is(thrown(EncodeError, () => encodeVersionNegotiationPacket({ ...vn, supportedVersions: [1], dcid: new Uint8Array(256) })).path,
    'version_negotiation_packet.dcid_length');
});

test.run();
