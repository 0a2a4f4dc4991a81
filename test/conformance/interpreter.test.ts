/**
 * The naive reference interpreter (conformance/reference/) against examples worked out by hand
 * from RFC 9000 and the protobuf encoding guide, and against every committed golden vector.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec } from '../../codegen/load.ts';
import {
  EncodeFailure, decodeSpecValue, encodeSpecValue, fromJson, hex, toJson, unhex,
  type DecodeResult, type Params, type SpecObject, type Target,
} from '../../conformance/reference/interpreter.ts';
import { buildVectorFiles } from '../../conformance/tools/vectors/build.ts';

const spec = loadSpec();
const FRAME: Target = { kind: 'union', file: 'frames', id: 'frame' };
const packet = (id: string): Target => ({ kind: 'struct', file: 'packets', id });
const message = (id: string): Target => ({ kind: 'message', file: 'messages', id });
const EMPTY = new Uint8Array(0);
const NO_REASON = { message: '', origin: 0n, details: EMPTY };
const TP_DEFAULTS: SpecObject = {
  max_idle_timeout_ms: 0n, max_udp_payload_size: 0n, initial_max_data: 0n, initial_max_stream_data_bidi_local: 0n,
  initial_max_stream_data_bidi_remote: 0n, initial_max_stream_data_uni: 0n, initial_max_streams_bidi: 0n,
  initial_max_streams_uni: 0n, max_datagram_frame_size: 0n, disable_active_migration: false,
  initial_source_connection_id: EMPTY, keep_alive_interval_ms: 0n, partial_reliability: false,
};
/** The 8-byte server_key_id a ClientOffer must carry (the empty default is out of range), and its record. */
const KEY_ID = Uint8Array.from({ length: 8 }, (_, i) => i);
const KEY_ID_HEX = `2208${hex(KEY_ID)}`;
const isEncodeFailure = (e: unknown): boolean => e instanceof EncodeFailure;

function ok(t: Target, input: string, want: SpecObject, params?: Params): void {
  const r = decodeSpecValue(spec, t, unhex(input), params);
  if (!r.ok) return assert.unreachable(`${input}: ${r.detail}`);
  assert.equal(r.value, want, input);
}

function bad(t: Target, input: string, error: string, errorKind: string, params?: Params): void {
  const r: DecodeResult = decodeSpecValue(spec, t, unhex(input), params);
  assert.is(r.ok, false, `${input} decoded`);
  if (!r.ok) {
    assert.is(r.errorKind, errorKind, r.detail);
    assert.is(r.error, error, r.detail);
  }
}

function enc(t: Target, v: SpecObject, want: string, params?: Params): void {
  assert.is(hex(encodeSpecValue(spec, t, v, params)), want);
}

// ───────────────────────────── RFC 9000 §16, Appendix A.1 ─────────────────────────────

test('RFC 9000 A.1 varints: 1-, 2- and 4-byte examples as a PING sequence', () => {
  ok(FRAME, '0125', { type: 'ping', sequence: 37n });
  ok(FRAME, '017bbd', { type: 'ping', sequence: 15293n });
  ok(FRAME, '019d7f3e7d', { type: 'ping', sequence: 494878333n });
  enc(FRAME, { type: 'ping', sequence: 15293n }, '017bbd');
});

test('RFC 9000 A.1 8-byte example 151288809941952652 as a CONNECTION_CLOSE frame type (above 2^53)', () => {
  const v = { type: 'connection_close', application: false, error_code: 0n, frame_type: 151288809941952652n, reason: NO_REASON };
  ok(FRAME, '1c00c2197c5eff14e88c00', v);
  enc(FRAME, v, '1c00c2197c5eff14e88c00');
  assert.equal((toJson(v) as { frame_type: unknown }).frame_type, '151288809941952652');
  // The same value is above max_value for a PING sequence.
  bad(FRAME, '01c2197c5eff14e88c', 'FRAME_ENCODING_ERROR', 'out_of_range');
});

test('RFC 9000 A.1 two-byte 37 (0x4025) is non-minimal and rejected in frames', () => {
  bad(FRAME, '014025', 'FRAME_ENCODING_ERROR', 'non_minimal');
  bad(FRAME, '4001' + '25', 'FRAME_ENCODING_ERROR', 'non_minimal'); // the frame type too
  bad(FRAME, 'c00000000000000125', 'FRAME_ENCODING_ERROR', 'non_minimal');
});

// ───────────────────────────── frames, worked by hand ─────────────────────────────

test('STREAM 0x0f: OFF+LEN+FIN, stream 4, offset 64 (0x4040), "abc"', () => {
  const v = { type: 'stream', has_length: true, fin: true, stream_id: 4n, offset: 64n, data: unhex('616263') };
  ok(FRAME, '0f04404003616263', v);
  enc(FRAME, v, '0f04404003616263');
  bad(FRAME, '0f04404004616263', 'FRAME_ENCODING_ERROR', 'truncated'); // length 4, 3 bytes
  bad(FRAME, '0f0440400361626300', 'FRAME_ENCODING_ERROR', 'trailing_bytes');
});

test('STREAM 0x08: no offset, data runs to the end', () => {
  ok(FRAME, '0804616263', { type: 'stream', has_length: false, fin: false, stream_id: 4n, data: unhex('616263') });
  ok(FRAME, '0804', { type: 'stream', has_length: false, fin: false, stream_id: 4n, data: EMPTY });
});

test('STREAM offset + len(data) above max_stream_offset is a constraint error', () => {
  bad(FRAME, '0e04c01fffffffffffff0161', 'FRAME_ENCODING_ERROR', 'constraint');
  ok(FRAME, '0e04c01fffffffffffff00', { type: 'stream', has_length: true, fin: false, stream_id: 4n, offset: (1n << 53n) - 1n, data: EMPTY });
  assert.throws(() => encodeSpecValue(spec, FRAME, { type: 'stream', has_length: true, fin: false, stream_id: 4n, offset: (1n << 53n) - 1n, data: unhex('61') }), isEncodeFailure);
});

test('ACK: one extra range, with and without ECN; first range below 0 is rejected', () => {
  const ranges = [{ gap: 1n, length: 3n }];
  ok(FRAME, '020a0001020103', { type: 'ack', largest_acknowledged: 10n, ack_delay: 0n, first_ack_range: 2n, ack_ranges: ranges });
  const withEcn = { type: 'ack', largest_acknowledged: 10n, ack_delay: 0n, first_ack_range: 2n, ack_ranges: [], ecn: { ect0: 1n, ect1: 2n, ecn_ce: 3n } };
  ok(FRAME, '030a000002010203', withEcn);
  enc(FRAME, withEcn, '030a000002010203');
  bad(FRAME, '020200000300', 'FRAME_ENCODING_ERROR', 'constraint'); // first_ack_range 3 > largest 2
  bad(FRAME, '020a0041010200', 'FRAME_ENCODING_ERROR', 'out_of_range'); // 257 ranges > max_ack_ranges
});

test('NEW_CONNECTION_ID: valid, retire_prior_to above sequence, empty connection ID', () => {
  const token = '000102030405060708090a0b0c0d0e0f';
  ok(FRAME, `1805020401020304${token}`, { type: 'new_connection_id', sequence_number: 5n, retire_prior_to: 2n, connection_id: unhex('01020304'), stateless_reset_token: unhex(token) });
  bad(FRAME, `1805060401020304${token}`, 'FRAME_ENCODING_ERROR', 'constraint');
  bad(FRAME, `180502${'00'}${token}`, 'FRAME_ENCODING_ERROR', 'out_of_range');
});

test('CONNECTION_CLOSE 0x1d carries a CloseReason; defects inside it are FRAME_ENCODING_ERROR', () => {
  const v = { type: 'connection_close', application: true, error_code: 12n, reason: { message: 'hi', origin: 0n, details: EMPTY } };
  ok(FRAME, '1d0c040a026869', v);
  enc(FRAME, v, '1d0c040a026869');
  bad(FRAME, '1d00040a02c328', 'FRAME_ENCODING_ERROR', 'invalid_utf8');
  bad(FRAME, '1d00021003', 'FRAME_ENCODING_ERROR', 'invalid_enum');
});

test('PADDING, HANDSHAKE_DONE and unknown types', () => {
  ok(FRAME, '00', { type: 'padding' });
  ok(FRAME, '1e', { type: 'handshake_done' });
  bad(FRAME, '0000', 'FRAME_ENCODING_ERROR', 'trailing_bytes');
  bad(FRAME, '1f', 'FRAME_ENCODING_ERROR', 'unknown_type');
  bad(FRAME, '4040', 'FRAME_ENCODING_ERROR', 'unknown_type');
  bad(FRAME, '', 'FRAME_ENCODING_ERROR', 'truncated');
});

// ───────────────────────────── packets ─────────────────────────────

test('Initial packet: 4-byte DCID, no SCID, no token, 1-byte packet number', () => {
  const v = { packet_number_length: 0n, version: 0x4a535001n, dcid: unhex('01020304'), scid: EMPTY, token: EMPTY, packet_number: 0n, payload: unhex('aa') };
  ok(packet('initial_packet'), 'c04a5350010401020304000002' + '00aa', v);
  enc(packet('initial_packet'), v, 'c04a535001040102030400000200aa');
  bad(packet('initial_packet'), 'c44a535001040102030400000200aa', 'PROTOCOL_VIOLATION', 'invalid_const'); // reserved bit
  bad(packet('initial_packet'), 'c04a535001040102030400000100', 'PROTOCOL_VIOLATION', 'out_of_range'); // empty payload
});

test('Short header needs the DCID length as a parameter', () => {
  const v = { spin_bit: false, key_phase: false, packet_number_length: 1n, dcid: unhex('aabbccdd'), packet_number: 258n, payload: unhex('ff') };
  ok(packet('short_header_packet'), '41aabbccdd0102ff', v, { dcid_length: 4 });
  enc(packet('short_header_packet'), v, '41aabbccdd0102ff');
  assert.throws(() => decodeSpecValue(spec, packet('short_header_packet'), unhex('41aabbccdd0102ff')), /dcid_length/);
  bad(packet('short_header_packet'), '41aabbccdd0102ff', 'PROTOCOL_VIOLATION', 'out_of_range', { dcid_length: 21 });
});

test('Version Negotiation: fixed version 0, at least one version', () => {
  ok(packet('version_negotiation_packet'), '800000000000004a535001', { unused: 0n, dcid: EMPTY, scid: EMPTY, supported_versions: [0x4a535001n] });
  bad(packet('version_negotiation_packet'), '800000000100004a535001', 'PROTOCOL_VIOLATION', 'invalid_const');
  bad(packet('version_negotiation_packet'), '80000000000000', 'PROTOCOL_VIOLATION', 'out_of_range');
  bad(packet('version_negotiation_packet'), '8000000000000004a535', 'PROTOCOL_VIOLATION', 'truncated');
});

// ───────────────────────────── protobuf (protobuf.dev encoding guide) ─────────────────────────────

test('protobuf: field 1 varint 150 is 08 96 01', () => {
  ok(message('transport_parameters'), '089601', { ...TP_DEFAULTS, max_idle_timeout_ms: 150n });
  enc(message('transport_parameters'), { ...TP_DEFAULTS, max_idle_timeout_ms: 150n }, '089601');
  // non-minimal LEB128, an unknown field, and a repeated occurrence are all accepted
  ok(message('transport_parameters'), '08968100', { ...TP_DEFAULTS, max_idle_timeout_ms: 150n });
  ok(message('transport_parameters'), '089601a00601', { ...TP_DEFAULTS, max_idle_timeout_ms: 150n });
  ok(message('transport_parameters'), '08010802', { ...TP_DEFAULTS, max_idle_timeout_ms: 2n });
});

test('protobuf: string "testing", BOM kept, invalid UTF-8 and unknown enum rejected', () => {
  ok(message('close_reason'), '0a0774657374696e67', { message: 'testing', origin: 0n, details: EMPTY });
  ok(message('close_reason'), '0a03efbbbf', { message: '\ufeff', origin: 0n, details: EMPTY });
  bad(message('close_reason'), '0a02c328', 'PROTOCOL_VIOLATION', 'invalid_utf8');
  bad(message('close_reason'), '1003', 'PROTOCOL_VIOLATION', 'invalid_enum');
  bad(message('close_reason'), '0b', 'PROTOCOL_VIOLATION', 'wire_type');
  bad(message('close_reason'), '0800', 'PROTOCOL_VIOLATION', 'wire_type');
});

test('protobuf: packed repeated [3, 270, 86942] (03 8e 02 9e a7 05), unpacked accepted', () => {
  const v = fromJson(spec, message('client_offer'), { versions: [3, 270, 86942], server_key_id: hex(KEY_ID) });
  const r = decodeSpecValue(spec, message('client_offer'), unhex(`0a06038e029ea705${KEY_ID_HEX}`));
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal(r.value.versions, [3n, 270n, 86942n]);
    assert.equal(r.value.cipher_suites, []);
    assert.is(r.value.psk_identity, undefined);
  }
  const unpacked = decodeSpecValue(spec, message('client_offer'), unhex(`0803088e02089ea705${KEY_ID_HEX}`));
  assert.ok(unpacked.ok && unpacked.ok === r.ok);
  if (unpacked.ok && r.ok) assert.equal(unpacked.value, r.value);
  if (r.ok) assert.is(hex(encodeSpecValue(spec, message('client_offer'), r.value)), `0a06038e029ea705${KEY_ID_HEX}`);
  assert.equal(toJson(v), { versions: [3, 270, 86942], server_key_id: hex(KEY_ID) });
});

test('protobuf: defaults must be valid, nested codes, last message wins whole', () => {
  bad(message('client_offer'), '', 'PROTOCOL_VIOLATION', 'out_of_range'); // server_key_id (8 bytes) absent
  bad(message('hello_retry_request'), '1801', 'PROTOCOL_VIOLATION', 'out_of_range'); // cookie (64 bytes) absent
  bad(message('handshake_message'), '0a00', 'PROTOCOL_VIOLATION', 'out_of_range'); // an empty client_hello: offer and noise absent
  bad(message('client_payload'), '0a025801', 'TRANSPORT_PARAMETER_ERROR', 'out_of_range'); // active_connection_id_limit 1
  bad(message('transport_parameters'), '6802', 'TRANSPORT_PARAMETER_ERROR', 'out_of_range'); // bool 2
  const r = decodeSpecValue(spec, message('client_payload'), unhex('0a04080518070a00'));
  assert.ok(r.ok);
  if (r.ok) assert.equal(r.value.transport_parameters, TP_DEFAULTS);
  const offer = decodeSpecValue(spec, message('client_offer'), unhex(KEY_ID_HEX));
  assert.ok(offer.ok);
  if (offer.ok) assert.is(hex(encodeSpecValue(spec, message('client_offer'), offer.value)), KEY_ID_HEX);
  assert.throws(() => encodeSpecValue(spec, message('client_offer'), { ...(offer.ok ? offer.value : {}), server_key_id: EMPTY }), isEncodeFailure);
  assert.throws(() => encodeSpecValue(spec, FRAME, { type: 'ping', sequence: 1n << 53n }), isEncodeFailure);
  assert.throws(() => encodeSpecValue(spec, FRAME, { type: 'ping', sequence: 1n, extra: 1n }), isEncodeFailure);
});

// ───────────────────────────── the committed vectors ─────────────────────────────

interface VectorCase { tcId: number; comment: string; result: string; input: string; canonical?: string; value?: any; params?: Params; error?: string; errorKind?: string }
interface VectorFile { schema: string; specFile: string; specSha256: string; numberOfTests: number; notes: Record<string, string>; testGroups: Array<{ kind: Target['kind']; target: string; tests: VectorCase[] }> }

const FILES = ['frames.json', 'packets.json', 'messages.json'];
const read = (name: string): string => readFileSync(new URL(`../../conformance/vectors/codec/${name}`, import.meta.url), 'utf8');

for (const name of FILES) {
  test(`vectors/${name}: the interpreter agrees with every case`, () => {
    const v = JSON.parse(read(name)) as VectorFile;
    const file = spec.files.find((f) => f.path === v.specFile);
    assert.ok(file, v.specFile);
    assert.is(v.schema, 'codec_vectors_v1');
    assert.is(v.specSha256, file!.sha256, `${name} is stale: run npm run vectors`);
    const all = v.testGroups.flatMap((g) => g.tests);
    assert.is(all.length, v.numberOfTests);
    assert.equal(all.map((t) => t.tcId), all.map((_, i) => i + 1));
    const failures: string[] = [];
    for (const g of v.testGroups) {
      const t: Target = { kind: g.kind, file: file!.id, id: g.target };
      for (const c of g.tests) {
        const where = `tcId ${c.tcId} (${c.comment})`;
        const r = decodeSpecValue(spec, t, unhex(c.input), c.params);
        if (c.result === 'valid') {
          if (!r.ok) { failures.push(`${where}: ${r.detail}`); continue; }
          if (JSON.stringify(toJson(r.value)) !== JSON.stringify(c.value)) failures.push(`${where}: decoded ${JSON.stringify(toJson(r.value)).slice(0, 200)}`);
          const e = hex(encodeSpecValue(spec, t, fromJson(spec, t, c.value), c.params));
          if (e !== (c.canonical ?? c.input)) failures.push(`${where}: encoded ${e.slice(0, 200)}`);
        } else if (r.ok || r.error !== c.error || r.errorKind !== c.errorKind) {
          failures.push(`${where}: ${r.ok ? 'decoded' : `${r.error}/${r.errorKind}`}, want ${c.error}/${c.errorKind}`);
        }
        for (const f of (c as { flags?: string[] }).flags ?? []) if (!(f in v.notes)) failures.push(`${where}: flag ${f} has no note`);
      }
    }
    assert.equal(failures, []);
    assert.ok(all.filter((c) => c.result === 'valid').length > 100 && all.filter((c) => c.result === 'invalid').length > 200);
  });
}

test('vectors: the committed files are exactly what the generator writes', () => {
  for (const f of buildVectorFiles(spec)) assert.ok(read(f.name) === f.text, `${f.name} is stale: run npm run vectors`);
});

test.run();
