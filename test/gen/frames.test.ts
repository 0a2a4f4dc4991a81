/**
 * The generated frame codec (src/gen/frames.ts): hand-checked encodings (RFC 9000 §16, §19 byte
 * layouts), round trips, every decode error kind a frame can produce (all FRAME_ENCODING_ERROR,
 * 0x07), and the EncodeErrors that stop invalid values from reaching the wire.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DecodeError, EncodeError, Reader, Writer } from '../../src/codec/index.ts';
import {
  ACK_FRAME_MAX_SIZE, FRAME_MIN_SIZE, FrameType, MAX_STREAM_OFFSET, NEW_CONNECTION_ID_FRAME_MAX_SIZE, STREAM_FRAME_MAX_SIZE,
  decodeAckFrame, decodeFrame, decodeFrames, decodeStreamFrame, encodeFrame, encodeStreamFrame, readFrame, readStreamFrame,
  sizeFrame, writeFrame, type AckFrame, type ConnectionCloseFrame, type Frame, type NewConnectionIdFrame, type StreamFrame,
} from '../../src/gen/index.ts';
import { toHex as hex, decodeError, encodeError } from '../helpers.ts';

const FRAME_ENCODING_ERROR = 0x07;
const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const noReason = { message: '', origin: 0, details: new Uint8Array(0) };


/** Decode `input` as one frame and expect a FRAME_ENCODING_ERROR of `kind` at `path`. */
function rejects(input: string, kind: string, path?: string): DecodeError {
  const e = decodeError(() => decodeFrame(h(input)));
  assert.is(e.code, FRAME_ENCODING_ERROR, e.message);
  assert.is(e.kind, kind, e.message);
  if (path !== undefined) assert.is(e.path, path, e.message);
  return e;
}


/** Encode, compare with the hand-built hex, decode back to the same value. */
function vector(v: Frame, expected: string): void {
  const bytes = encodeFrame(v);
  assert.is(hex(bytes), expected.replace(/\s+/g, ''));
  assert.is(sizeFrame(v), bytes.length);
  assert.equal(decodeFrame(bytes), v);
}

// ───────────────────────────── hand-checked encodings ─────────────────────────────

test('STREAM 0x08: no OFF, no LEN, no FIN — data runs to the end', () => {
  vector({ type: 'stream', hasLength: false, fin: false, streamId: 4, offset: undefined, data: h('68656c6c6f') }, '08 04 68656c6c6f');
});

test('STREAM 0x0f: OFF + LEN + FIN, 2-byte offset varint', () => {
  // offset 1000 = 0x3e8 → 2-byte varint 0x43e8 (RFC 9000 §16: 0b01 prefix)
  vector({ type: 'stream', hasLength: true, fin: true, streamId: 1, offset: 1000, data: h('616263') }, '0f 01 43e8 03 616263');
});

test('STREAM 0x0c: OFF only, 4-byte offset varint', () => {
  vector({ type: 'stream', hasLength: false, fin: false, streamId: 2, offset: 0x12345678, data: h('78') }, '0c 02 92345678 78');
});

test('STREAM 0x0b: LEN + FIN with empty data; 0x09: FIN only', () => {
  vector({ type: 'stream', hasLength: true, fin: true, streamId: 8, offset: undefined, data: h('') }, '0b 08 00');
  vector({ type: 'stream', hasLength: false, fin: true, streamId: 8, offset: undefined, data: h('') }, '09 08');
});

test('STREAM decode: the value has one shape whatever the flags (offset key always set)', () => {
  const v = decodeStreamFrame(h('08 04 ff'));
  assert.equal(Object.keys(v), ['type', 'hasLength', 'fin', 'streamId', 'offset', 'data']);
  assert.is(v.offset, undefined);
});

test('STREAM data is a zero-copy view of the input', () => {
  const input = h('0a 04 02 aabb');
  const v = decodeStreamFrame(input);
  assert.is(v.data.buffer, input.buffer);
  assert.is(v.data.byteOffset, 3);
});

test('ACK 0x02 with two more ranges', () => {
  const ack: AckFrame = {
    type: 'ack', largestAcknowledged: 100, ackDelay: 25, firstAckRange: 3,
    ackRanges: [{ gap: 1, length: 2 }, { gap: 0, length: 5 }], ecn: undefined,
  };
  // 100 = 0x64 → 0x4064; range count 2; ranges (1,2) (0,5)
  vector(ack, '02 4064 19 02 03 01 02 00 05');
});

test('ACK 0x03 carries ECN counts', () => {
  const ack: AckFrame = {
    type: 'ack', largestAcknowledged: 10, ackDelay: 0, firstAckRange: 10, ackRanges: [],
    ecn: { ect0: 1, ect1: 2, ecnCe: 300 },
  };
  vector(ack, '03 0a 00 00 0a 01 02 412c');
});

test('CONNECTION_CLOSE 0x1c (transport) carries frame_type as a bigint', () => {
  const v: ConnectionCloseFrame = { type: 'connection_close', application: false, errorCode: 0x07, frameType: 8n, reason: noReason };
  vector(v, '1c 07 08 00');
  // a frame type above 2^53 survives
  vector({ ...v, frameType: 0x3fff_ffff_ffff_ffffn }, '1c 07 ffffffffffffffff 00');
});

test('CONNECTION_CLOSE 0x1d (application) has no frame_type; the reason is a CloseReason message', () => {
  vector({ type: 'connection_close', application: true, errorCode: 0x100, frameType: undefined, reason: noReason }, '1d 4100 00');
  // reason: protobuf field 1 (string) "bad" = 0a 03 626164, field 2 (enum) 2 = 10 02
  const v = decodeFrame(h('1d 4100 07 0a03626164 1002')) as ConnectionCloseFrame;
  assert.is(v.application, true);
  assert.is(v.frameType, undefined);
  assert.equal(v.reason, { message: 'bad', origin: 2, details: new Uint8Array(0) });
});

test('CONNECTION_CLOSE with a non-empty reason encodes exactly', () => {
  const v: ConnectionCloseFrame = {
    type: 'connection_close', application: false, errorCode: 0x0a, frameType: 0x1en,
    reason: { message: 'bad', origin: 1, details: new Uint8Array(0) },
  };
  vector(v, '1c 0a 1e 07 0a03626164 1001');
});

test('NEW_CONNECTION_ID: length is derived from the connection ID', () => {
  const v: NewConnectionIdFrame = {
    type: 'new_connection_id', sequenceNumber: 5, retirePriorTo: 2, connectionId: h('01020304'),
    statelessResetToken: h('000102030405060708090a0b0c0d0e0f'),
  };
  vector(v, '18 05 02 04 01020304 000102030405060708090a0b0c0d0e0f');
  assert.not.ok('length' in decodeFrame(encodeFrame(v)), 'derived fields are not properties');
});

test('small frames: PADDING, PING, MAX_STREAMS uni, DATAGRAM with and without LEN, HANDSHAKE, NEW_SESSION_TICKET', () => {
  vector({ type: 'padding' }, '00');
  vector({ type: 'ping', sequence: 0x3fff }, '01 7fff');
  vector({ type: 'max_streams', uni: true, maximumStreams: 100 }, '13 4064');
  vector({ type: 'datagram', hasLength: true, data: h('ff') }, '31 01 ff');
  vector({ type: 'datagram', hasLength: false, data: h('ffee') }, '30 ffee');
  vector({ type: 'handshake', offset: 0, data: h('0102') }, '06 00 02 0102');
  vector({ type: 'new_session_ticket', lifetime: 604800, ageAdd: 0xdeadbeef, maxEarlyData: 0, nonce: h('aa'), ticket: h('bbcc') },
    '07 80093a80 deadbeef 00 01 aa 02 bbcc');
  vector({ type: 'path_challenge', data: h('0001020304050607') }, '1a 0001020304050607');
  vector({ type: 'handshake_done' }, '1e');
  vector({ type: 'stream_skip', streamId: 3, skipOffset: 1 << 20 }, '21 03 80100000');
});

test('FrameType lists the base codes', () => {
  assert.is(FrameType.PADDING, 0x00);
  assert.is(FrameType.STREAM, 0x08);
  assert.is(FrameType.CONNECTION_CLOSE, 0x1c);
  assert.is(FrameType.DATAGRAM, 0x30);
});

test('size bounds', () => {
  assert.is(FRAME_MIN_SIZE, 1);
  assert.is(STREAM_FRAME_MAX_SIZE, Infinity);
  assert.is(NEW_CONNECTION_ID_FRAME_MAX_SIZE, 1 + 8 + 8 + 1 + 20 + 16);
  // type + 4 varints of 8 bytes except the range count (2 bytes) + 256 ranges of 16 + 3 ECN counts of 8
  assert.is(ACK_FRAME_MAX_SIZE, 1 + 8 + 8 + 2 + 8 + 256 * 16 + 24);
});

// ───────────────────────────── round trips and streams of frames ─────────────────────────────

const SAMPLE: Frame[] = [
  { type: 'ping', sequence: 7 },
  { type: 'stream', hasLength: true, fin: false, streamId: 4, offset: 2 ** 40, data: h('01020304') },
  { type: 'ack', largestAcknowledged: 2 ** 50, ackDelay: 1, firstAckRange: 2 ** 49, ackRanges: [{ gap: 2 ** 30, length: 63 }], ecn: undefined },
  { type: 'reset_stream', streamId: 2 ** 53 - 1, errorCode: 0, finalSize: 16384 },
  { type: 'stop_sending', streamId: 9, errorCode: 0x3fff },
  { type: 'max_data', maximumData: 2 ** 30 },
  { type: 'max_stream_data', streamId: 1, maximumStreamData: 64 },
  { type: 'max_streams', uni: false, maximumStreams: 2 ** 51 },
  { type: 'data_blocked', maximumData: 16383 },
  { type: 'stream_data_blocked', streamId: 0, maximumStreamData: 16384 },
  { type: 'streams_blocked', uni: true, maximumStreams: 0 },
  { type: 'retire_connection_id', sequenceNumber: 1 },
  { type: 'path_response', data: h('f0f1f2f3f4f5f6f7') },
  { type: 'pong', sequence: 7 },
  { type: 'datagram', hasLength: false, data: h('c0ffee') },
];

test('round trip: decode(encode(v)) == v and size(v) == encoded length', () => {
  for (const v of SAMPLE) {
    const b = encodeFrame(v);
    assert.is(sizeFrame(v), b.length, v.type);
    assert.equal(decodeFrame(b), v, v.type);
  }
});

test('decodeFrames reads a whole payload; writeFrame appends', () => {
  const w = new Writer();
  for (const v of SAMPLE) writeFrame(w, v);
  assert.equal(decodeFrames(w.finish()), SAMPLE);
  assert.equal(decodeFrames(new Uint8Array(0)), []);
  assert.equal(decodeFrames(h('00 00 01 05')), [{ type: 'padding' }, { type: 'padding' }, { type: 'ping', sequence: 5 }]);
});

test('readFrame advances the reader frame by frame; member readers check their own code', () => {
  const r = new Reader(h('01 05 0a 04 01 ff 00'), FRAME_ENCODING_ERROR);
  assert.equal(readFrame(r), { type: 'ping', sequence: 5 });
  const s = readStreamFrame(r);
  assert.equal(s, { type: 'stream', hasLength: true, fin: false, streamId: 4, offset: undefined, data: h('ff') });
  assert.is(r.pos, 6);
  const e = decodeError(() => readStreamFrame(r));
  assert.is(e.kind, 'unknown_type');
  assert.is(e.offset, 6);
  assert.equal(decodeAckFrame(h('03 00 00 00 00 00 00 00')).ecn, { ect0: 0, ect1: 0, ecnCe: 0 });
});

test('every flag combination of STREAM decodes to the flags it encodes', () => {
  for (let type = 0x08; type <= 0x0f; type++) {
    const off = (type & 4) !== 0;
    const len = (type & 2) !== 0;
    const input = h(`${type.toString(16).padStart(2, '0')} 01 ${off ? '05' : ''} ${len ? '01' : ''} aa`);
    const v = decodeStreamFrame(input);
    assert.is(v.offset, off ? 5 : undefined);
    assert.is(v.hasLength, len);
    assert.is(v.fin, (type & 1) !== 0);
    assert.is(hex(encodeStreamFrame(v)), hex(input));
  }
});

// ───────────────────────────── decode errors (FRAME_ENCODING_ERROR) ─────────────────────────────

test('truncated: a field cut short, a length pointing past the end, an empty input', () => {
  rejects('', 'truncated', 'frame.type');
  rejects('08', 'truncated', 'stream.stream_id');
  rejects('1a 0102', 'truncated', 'path_challenge.data');
  rejects('0a 04 05 aabb', 'truncated', 'stream.data');
  rejects('02 05 00 01 00 01', 'truncated', 'ack_range.length'); // the one range stops after its gap
  // a length above 2^53-1 (no max_size) points past any input: truncated, not out_of_range
  rejects('0a 04 c100400000000100 aa', 'truncated', 'stream.data');
  const e = rejects('0a 04 4040 aabb', 'truncated', 'stream.data'); // 64 bytes announced, 2 there
  assert.is(e.offset, 4);
});

test('trailing_bytes: decodeFrame takes exactly one frame', () => {
  rejects('01 00 ff', 'trailing_bytes');
  rejects('00 00', 'trailing_bytes');
});

test('non_minimal: varints must be shortest, type included', () => {
  rejects('01 4001', 'non_minimal', 'ping.sequence');
  rejects('4001 00', 'non_minimal', 'frame.type');
  rejects('0c 04 80000001 aa', 'non_minimal', 'stream.offset');
});

test('out_of_range: values above their maximum, lengths outside their bounds', () => {
  rejects('12 c008000000000001', 'out_of_range', 'max_streams.maximum_streams'); // 2^51 + 1 > max_streams
  rejects('01 c020000000000000', 'out_of_range', 'ping.sequence'); // 2^53 > max_value
  rejects('07 80093a81 00000000 00 00 01 aa', 'out_of_range', 'new_session_ticket.lifetime'); // 604801 s
  rejects('07 00 00000000 00 00 00', 'out_of_range', 'new_session_ticket.ticket'); // empty ticket, min 1
  rejects('18 00 00 00 0102030405060708090a0b0c0d0e0f10', 'out_of_range', 'new_connection_id.length');
  rejects(`18 00 00 15 ${'00'.repeat(21 + 16)}`, 'out_of_range', 'new_connection_id.length');
  rejects('02 00 00 4101 00', 'out_of_range', 'ack.ack_range_count'); // 257 ranges > max_ack_ranges
  rejects('1d 00 4401 00', 'out_of_range', 'connection_close.reason'); // 1025 > max_reason_length
});

test('unknown_type: codes no member claims, including 8-byte ones', () => {
  const e = rejects('1f', 'unknown_type', 'frame.type');
  assert.is(e.offset, 0);
  rejects('22', 'unknown_type');
  rejects('4040', 'unknown_type');
  rejects('c000000040000000', 'unknown_type');
  rejects('ffffffffffffffff', 'unknown_type');
});

test('constraint: relations between fields', () => {
  rejects('02 05 00 00 06', 'constraint', 'ack'); // first range reaches below 0
  rejects('18 01 02 01 aa 000102030405060708090a0b0c0d0e0f', 'constraint', 'new_connection_id');
  rejects('0e 00 c01fffffffffffff 01 aa', 'constraint', 'stream'); // offset 2^53-1 + 1 byte
  rejects('06 8000ffff 01 aa', 'constraint', 'handshake'); // 65535 + 1 ends past max_handshake_offset
  // at the limits exactly it is fine
  assert.equal(decodeFrame(h('0c 00 c01fffffffffffff')), {
    type: 'stream', hasLength: false, fin: false, streamId: 0, offset: MAX_STREAM_OFFSET, data: h(''),
  });
});

test('a malformed CloseReason inside CONNECTION_CLOSE is a frame error (the frame\'s code)', () => {
  const e = rejects('1d 00 02 1003', 'invalid_enum'); // origin 3 is not a close_origin
  assert.match(e.path, /origin/);
});

// ───────────────────────────── encode errors ─────────────────────────────

test('EncodeError: ranges, naming the path and the allowed range', () => {
  let e = encodeError(() => encodeFrame({ type: 'ping', sequence: 2 ** 53 }));
  assert.is(e.path, 'ping.sequence');
  assert.is(e.kind, 'out_of_range');
  assert.match(e.message, /9007199254740992 not in 0\.\.9007199254740991/);
  e = encodeError(() => encodeFrame({ type: 'max_streams', uni: false, maximumStreams: 2 ** 51 + 1 }));
  assert.is(e.path, 'max_streams.maximum_streams');
  e = encodeError(() => encodeFrame({ type: 'ping', sequence: -1 }));
  assert.is(e.path, 'ping.sequence');
  e = encodeError(() => encodeFrame({ type: 'ping', sequence: 1.5 }));
  assert.is(e.path, 'ping.sequence');
  e = encodeError(() => encodeFrame({ type: 'new_session_ticket', lifetime: 604801, ageAdd: 0, maxEarlyData: 0, nonce: h(''), ticket: h('aa') }));
  assert.is(e.path, 'new_session_ticket.lifetime');
  e = encodeError(() => encodeFrame({ type: 'connection_close', application: false, errorCode: 0, frameType: 1n << 62n, reason: noReason }));
  assert.is(e.path, 'connection_close.frame_type');
});

test('EncodeError: wrong JS types', () => {
  const bad = { type: 'stream', hasLength: 1, fin: false, streamId: 0, offset: undefined, data: h('') } as unknown as StreamFrame;
  assert.is(encodeError(() => encodeFrame(bad)).path, 'stream.has_length');
  const noBytes = { type: 'path_challenge', data: [1, 2, 3, 4, 5, 6, 7, 8] } as unknown as Frame;
  assert.is(encodeError(() => encodeFrame(noBytes)).kind, 'wrong_type');
  const numberFrameType = { type: 'connection_close', application: false, errorCode: 0, frameType: 8, reason: noReason } as unknown as Frame;
  assert.is(encodeError(() => encodeFrame(numberFrameType)).kind, 'wrong_type');
  const unknown = { type: 'nope' } as unknown as Frame;
  assert.is(encodeError(() => encodeFrame(unknown)).path, 'frame.type');
});

test('EncodeError: sizes and counts', () => {
  const ncid: NewConnectionIdFrame = {
    type: 'new_connection_id', sequenceNumber: 1, retirePriorTo: 0, connectionId: h('00'.repeat(21)),
    statelessResetToken: h('00'.repeat(16)),
  };
  assert.is(encodeError(() => encodeFrame(ncid)).path, 'new_connection_id.connection_id');
  assert.is(encodeError(() => encodeFrame({ ...ncid, connectionId: h('') })).path, 'new_connection_id.connection_id');
  const e = encodeError(() => encodeFrame({ ...ncid, connectionId: h('01'), statelessResetToken: h('00'.repeat(15)) }));
  assert.is(e.kind, 'length_mismatch');
  assert.is(e.path, 'new_connection_id.stateless_reset_token');
  const ranges = Array.from({ length: 257 }, () => ({ gap: 0, length: 0 }));
  const ack: AckFrame = { type: 'ack', largestAcknowledged: 0, ackDelay: 0, firstAckRange: 0, ackRanges: ranges, ecn: undefined };
  assert.is(encodeError(() => encodeFrame(ack)).path, 'ack.ack_ranges');
  assert.is(encodeError(() => encodeFrame({ ...ack, ackRanges: [{ gap: -1, length: 0 }] })).path, 'ack_range.gap');
  assert.is(encodeError(() => encodeFrame({ type: 'new_session_ticket', lifetime: 1, ageAdd: 0, maxEarlyData: 0, nonce: h('00'.repeat(256)), ticket: h('aa') })).path,
    'new_session_ticket.nonce');
  // the CloseReason is checked by the messages module (message: at most 512 bytes)
  const long = encodeError(() => encodeFrame({ type: 'connection_close', application: true, errorCode: 0, frameType: undefined,
    reason: { message: 'x'.repeat(513), origin: 0, details: new Uint8Array(0) } }));
  assert.match(long.path, /message/);
});

test('EncodeError: presence of an optional field must match its flag', () => {
  let e = encodeError(() => encodeFrame({ type: 'connection_close', application: true, errorCode: 0, frameType: 0n, reason: noReason }));
  assert.is(e.path, 'connection_close.frame_type');
  assert.match(e.message, /must be absent/);
  e = encodeError(() => encodeFrame({ type: 'connection_close', application: false, errorCode: 0, frameType: undefined, reason: noReason }));
  assert.match(e.message, /required when !application/);
});

test('EncodeError: constraints', () => {
  let e = encodeError(() => encodeFrame({ type: 'ack', largestAcknowledged: 1, ackDelay: 0, firstAckRange: 2, ackRanges: [], ecn: undefined }));
  assert.is(e.path, 'ack');
  assert.match(e.message, /first_ack_range <= largest_acknowledged/);
  e = encodeError(() => encodeFrame({ type: 'stream', hasLength: true, fin: false, streamId: 0, offset: MAX_STREAM_OFFSET, data: h('00') }));
  assert.is(e.path, 'stream');
  e = encodeError(() => encodeFrame({ type: 'handshake', offset: 65535, data: h('00') }));
  assert.is(e.path, 'handshake');
  // a constraint naming an absent optional field is skipped
  assert.is(encodeFrame({ type: 'stream', hasLength: false, fin: false, streamId: 0, offset: undefined, data: h('00') }).length, 3);
});

test('writeFrame checks before writing: a failed write leaves the writer untouched', () => {
  const w = new Writer();
  writeFrame(w, { type: 'ping', sequence: 1 });
  encodeError(() => writeFrame(w, { type: 'ack', largestAcknowledged: 1, ackDelay: 0, firstAckRange: 0, ackRanges: [{ gap: 2 ** 53, length: 0 }], ecn: undefined }));
  assert.is(hex(w.finish()), '0101');
});

test.run();
