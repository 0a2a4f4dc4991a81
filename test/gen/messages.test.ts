/**
 * The generated control-message codec (`src/gen/messages.ts`, from `spec/messages.yaml`):
 * hand-checked encodings, one test per decode error kind (with its wire code), non-canonical but
 * valid inputs, encoder validation, and — on a variant spec generated on the fly — the emitter
 * features JSP's spec does not use yet (required fields, bigint uint64, a sparse closed enum,
 * repeated messages and bools). The protobufjs cross-check is `protobufjs-oracle.test.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DecodeError, EncodeError, type DecodeErrorKind, type EncodeErrorKind } from '../../src/codec/index.ts';
import * as M from '../../src/gen/messages.ts';
import { emitTsMessages } from '../../codegen/emit-ts-messages.ts';
import type { Message, PbField } from '../../codegen/ir.ts';
import { loadSpec, ROOT } from '../../codegen/load.ts';

const PROTOCOL_VIOLATION = 0x0a;
const TRANSPORT_PARAMETER_ERROR = 0x08;

/** Hex with spaces and `|` separators allowed, for annotated byte strings. */
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/[\s|]/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fill = (n: number, byte: number): Uint8Array => new Uint8Array(n).fill(byte);

/**
 * By name as well as class: the variant module below is imported by file URL, and tsx may load
 * `src/codec` a second time for it (another class identity).
 */
const isError = (e: unknown, name: string): boolean => e instanceof Error && e.name === name;

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError || isError(e, 'DecodeError')) return e as DecodeError;
    throw e;
  }
  throw new Error('expected a DecodeError, nothing was thrown');
}

function expectDecodeError(f: () => unknown, kind: DecodeErrorKind, code: number, path?: string): DecodeError {
  const e = decodeError(f);
  assert.is(e.kind, kind, e.message);
  assert.is(e.code, code, e.message);
  if (path !== undefined) assert.is(e.path, path, e.message);
  return e;
}

function expectEncodeError(f: () => unknown, kind: EncodeErrorKind, path: string): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EncodeError || isError(e, 'EncodeError'))) throw e;
    assert.is((e as EncodeError).kind, kind, (e as EncodeError).message);
    assert.is((e as EncodeError).path, path, (e as EncodeError).message);
    return;
  }
  throw new Error('expected an EncodeError, nothing was thrown');
}

const tp = (over: Partial<M.TransportParameters> = {}): M.TransportParameters => ({
  maxIdleTimeoutMs: 0, maxUdpPayloadSize: 0, initialMaxData: 0, initialMaxStreamDataBidiLocal: 0,
  initialMaxStreamDataBidiRemote: 0, initialMaxStreamDataUni: 0, initialMaxStreamsBidi: 0, initialMaxStreamsUni: 0,
  ackDelayExponent: undefined, maxAckDelayMs: undefined, activeConnectionIdLimit: undefined, maxDatagramFrameSize: 0,
  disableActiveMigration: false, initialSourceConnectionId: new Uint8Array(0), originalDestinationConnectionId: undefined,
  retrySourceConnectionId: undefined, statelessResetToken: undefined, keepAliveIntervalMs: 0, partialReliability: false,
  ...over,
});

/** The 8-byte server_key_id every ClientOffer carries (its default, empty, is out of range), as a record. */
const KEY_ID = fill(8, 0x5e);
const KEY_ID_HEX = '22 08' + '5e'.repeat(8);
/** The 64-byte cookie every HelloRetryRequest carries, as a record. */
const COOKIE = fill(64, 0x11);
const COOKIE_HEX = '22 40' + '11'.repeat(64);

const clientOffer = (over: Partial<M.ClientOffer> = {}): M.ClientOffer => ({
  versions: [], cipherSuites: [], groups: [], serverKeyId: KEY_ID, clientAuth: false, cookie: new Uint8Array(0),
  pskIdentity: undefined, obfuscatedTicketAge: 0, earlyData: false, ...over,
});

const clientPayload = (over: Partial<M.ClientPayload> = {}): M.ClientPayload => ({ transportParameters: undefined, alpn: [], ...over });

const hrr = (over: Partial<M.HelloRetryRequest> = {}): M.HelloRetryRequest => ({ version: 0, cipherSuite: 0, group: 0, cookie: COOKIE, ...over });

// ───────────────────────────── hand-checked encodings ─────────────────────────────

test('TransportParameters: hand-checked canonical bytes, and back', () => {
  const v = tp({
    maxIdleTimeoutMs: 30000, maxUdpPayloadSize: 1472, initialMaxData: 1 << 20, initialMaxStreamsBidi: 100,
    ackDelayExponent: 0, disableActiveMigration: true, initialSourceConnectionId: Uint8Array.of(1, 2, 3, 4),
    partialReliability: true,
  });
  const bytes = hex(
    '08 b0ea01' + //      1 max_idle_timeout_ms = 30000 (0x7530: 0x30|0x80, 0xea, 0x01)
    '10 c00b' + //        2 max_udp_payload_size = 1472 (0x5c0)
    '18 808040' + //      3 initial_max_data = 2^20
    '38 64' + //          7 initial_max_streams_bidi = 100
    '48 00' + //          9 ack_delay_exponent = 0: explicit presence, written although 0
    '68 01' + //         13 disable_active_migration = true
    '72 04 01020304' + // 14 initial_source_connection_id
    '9801 01', //        19 partial_reliability: tag 19*8 = 152 takes two bytes
  );
  assert.is(toHex(M.encodeTransportParameters(v)), toHex(bytes));
  assert.is(M.sizeTransportParameters(v), bytes.length);
  assert.equal(M.decodeTransportParameters(bytes), v);
});

test('TransportParameters: all defaults encode to nothing; an empty input decodes to all defaults', () => {
  assert.is(M.encodeTransportParameters(tp()).length, 0);
  assert.equal(M.decodeTransportParameters(new Uint8Array(0)), tp());
  assert.is(M.TRANSPORT_PARAMETERS_MIN_SIZE, 0);
});

test('ClientOffer: packed uint32 and enums, fixed-size bytes, bools', () => {
  const v = clientOffer({
    versions: [0x4a535001],
    cipherSuites: [M.CipherSuite.CHACHA20_POLY1305_SHA256, M.CipherSuite.AES_256_GCM_SHA256],
    groups: [M.KexGroup.X25519_MLKEM768, M.KexGroup.X25519],
    clientAuth: true,
    earlyData: true,
  });
  const bytes = hex(
    '0a 05 81a0cdd204' + //  1 versions, packed: 0x4a535001 in 5 bytes (7-bit groups 01 20 4d 52 04)
    '12 02 0102' + //        2 cipher_suites, packed
    '1a 02 0201' + //        3 groups, packed
    KEY_ID_HEX + //          4 server_key_id, exactly 8 bytes
    '28 01' + //             5 client_auth
    '48 01', //              9 early_data (6 cookie, 7 psk_identity, 8 obfuscated_ticket_age: defaults, omitted)
  );
  assert.is(toHex(M.encodeClientOffer(v)), toHex(bytes));
  assert.is(M.sizeClientOffer(v), 29);
  assert.equal(M.decodeClientOffer(bytes), v);
  assert.is(M.CLIENT_OFFER_MIN_SIZE, 10, 'server_key_id (exactly 8 bytes) is in effect required: 1 + 1 + 8');
});

test('ClientHello: the offer as bytes, then Noise message 1', () => {
  const offer = M.encodeClientOffer(clientOffer({ versions: [0x4a535001] }));
  assert.is(toHex(offer), '0a0581a0cdd204' + '2208' + '5e'.repeat(8));
  const v: M.ClientHello = { offer, noise: fill(32, 0xaa) };
  const bytes = hex(
    '0a 11 0a0581a0cdd204 2208' + '5e'.repeat(8) + // 1 offer: the 17 bytes of the ClientOffer, as they are
    '12 20' + 'aa'.repeat(32), //                     2 noise
  );
  assert.is(toHex(M.encodeClientHello(v)), toHex(bytes));
  assert.equal(M.decodeClientHello(bytes), v);
  assert.is(M.CLIENT_HELLO_MIN_SIZE, 37, 'offer (at least 1 byte) and noise (at least 32): 3 + 34');
  assert.is(M.SERVER_HELLO_MIN_SIZE, 34);
  assert.is(toHex(M.encodeServerHello({ noise: fill(32, 0xbb) })), '0a20' + 'bb'.repeat(32));
});

test('ClientPayload and ServerPayload: a nested TransportParameters, strings', () => {
  const cp = clientPayload({ transportParameters: tp({ maxIdleTimeoutMs: 30000 }), alpn: ['h3', 'jsp'] });
  const cpBytes = hex(
    '0a 04 08b0ea01' + // 1 transport_parameters { 1 max_idle_timeout_ms = 30000 }
    '12 02 6833' + //     2 alpn "h3"
    '12 03 6a7370', //    2 alpn "jsp" (one record per element: strings are never packed)
  );
  assert.is(toHex(M.encodeClientPayload(cp)), toHex(cpBytes));
  assert.equal(M.decodeClientPayload(cpBytes), cp);
  const sp: M.ServerPayload = {
    version: 0x4a535001, cipherSuite: M.CipherSuite.CHACHA20_POLY1305_SHA256, group: M.KexGroup.X25519_MLKEM768,
    transportParameters: tp(), alpn: 'h3', pskAccepted: false, earlyDataAccepted: true,
  };
  const spBytes = hex(
    '08 81a0cdd204' + // 1 version
    '10 01' + //        2 cipher_suite
    '18 02' + //        3 group
    '22 00' + //        4 transport_parameters, all defaults: present, so written, empty
    '2a 02 6833' + //   5 alpn
    '38 01', //         7 early_data_accepted (6 psk_accepted: false, omitted)
  );
  assert.is(toHex(M.encodeServerPayload(sp)), toHex(spBytes));
  assert.equal(M.decodeServerPayload(spBytes), sp);
});

test('HelloRetryRequest, HandshakeMessage and CloseReason: hand-checked bytes', () => {
  const r = hrr({ version: 0x4a535001, cipherSuite: M.CipherSuite.AES_256_GCM_SHA256, group: M.KexGroup.X25519 });
  const rBytes = '0881a0cdd204' + '1002' + '1801' + '2240' + '11'.repeat(64);
  assert.is(toHex(M.encodeHelloRetryRequest(r)), rBytes);
  assert.is(M.HELLO_RETRY_REQUEST_MIN_SIZE, 66, 'the cookie (exactly 64 bytes) is in effect required');
  const hm: M.HandshakeMessage = { clientHello: undefined, serverHello: undefined, helloRetryRequest: r };
  assert.is(toHex(M.encodeHandshakeMessage(hm)), '1a4c' + rBytes, '3 hello_retry_request: 76 bytes');
  assert.equal(M.decodeHandshakeMessage(hex('1a4c' + rBytes)), hm);
  const cr: M.CloseReason = { message: 'bye', origin: M.CloseOrigin.APPLICATION, details: new Uint8Array(0) };
  assert.is(toHex(M.encodeCloseReason(cr)), '0a03627965' + '1002');
  assert.equal(M.decodeCloseReason(hex('0a03627965 1002')), cr);
});

test('HandshakeMessage: the codec decodes any set of its fields (choosing one is the handshake\'s rule)', () => {
  const none: M.HandshakeMessage = { clientHello: undefined, serverHello: undefined, helloRetryRequest: undefined };
  assert.equal(M.decodeHandshakeMessage(new Uint8Array(0)), none);
  assert.is(M.HANDSHAKE_MESSAGE_MIN_SIZE, 0);
  const two = M.decodeHandshakeMessage(hex('0a 25 0a01ff 1220' + 'aa'.repeat(32) + '| 12 22 0a20' + 'bb'.repeat(32)));
  assert.equal(two, { clientHello: { offer: hex('ff'), noise: fill(32, 0xaa) }, serverHello: { noise: fill(32, 0xbb) }, helloRetryRequest: undefined });
});

test('decoded bytes are zero-copy views into the input', () => {
  const input = hex('0a 01 ab | 12 20' + 'cc'.repeat(32));
  const ch = M.decodeClientHello(input);
  assert.is(ch.noise.buffer, input.buffer);
  assert.is(ch.noise.byteOffset, 5);
  assert.is(ch.offer.byteOffset, 2);
});

// ───────────────────────────── non-canonical but valid ─────────────────────────────

test('unpacked repeated scalars decode, and mix with packed runs', () => {
  const v = M.decodeClientOffer(hex('1001 1002 | 12 02 0300 |' + KEY_ID_HEX));
  assert.equal(v.cipherSuites, [1, 2, 3, 0]);
  assert.is(toHex(M.encodeClientOffer(v)), toHex(hex('12 04 01020300 |' + KEY_ID_HEX)), 're-encoded packed');
});

test('fields in reverse order decode to the same value', () => {
  assert.equal(M.decodeHelloRetryRequest(hex(COOKIE_HEX + '| 1802 | 0801')), hrr({ version: 1, group: 2 }));
  const rev = hex('9801 01 | 72 01 07 | 48 03 | 08 05');
  assert.equal(M.decodeTransportParameters(rev), tp({ partialReliability: true, initialSourceConnectionId: hex('07'), ackDelayExponent: 3, maxIdleTimeoutMs: 5 }));
});

test('unknown fields of wire types 0, 1, 2 and 5 are skipped', () => {
  const withUnknown = hex(
    'a001 05' + //               20: varint
    '1801' + //                   3 group = 1
    'a901 0102030405060708' + // 21: I64
    'b201 03 ffffff' + //        22: LEN
    'bd01 01020304' + //         23: I32
    COOKIE_HEX + //               4 cookie
    'f8ffffff0f 01', //           536870911 (the largest field number): varint
  );
  assert.equal(M.decodeHelloRetryRequest(withUnknown), hrr({ group: 1 }));
});

test('last occurrence of a singular scalar wins; non-minimal varints and explicit defaults are accepted', () => {
  assert.is(M.decodeHelloRetryRequest(hex('1801 1802' + COOKIE_HEX)).group, 2);
  assert.is(M.decodeHelloRetryRequest(hex('188100' + COOKIE_HEX)).group, 1, 'non-minimal 1');
  const zero = M.decodeHelloRetryRequest(hex('0800 1000 1800' + COOKIE_HEX));
  assert.equal(zero, hrr());
  assert.is(toHex(M.encodeHelloRetryRequest(zero)), toHex(hex(COOKIE_HEX)), 'defaults are omitted on re-encoding');
  const offer = M.decodeClientOffer(hex(KEY_ID_HEX + '| 2800 | 3200 | 4000 | 4800'));
  assert.equal(offer, clientOffer());
  assert.is(toHex(M.encodeClientOffer(offer)), toHex(hex(KEY_ID_HEX)), 'an explicit empty cookie and false bools are omitted');
});

test('a nested message that appears twice: the last occurrence wins whole (no protobuf merge)', () => {
  const v = M.decodeClientPayload(hex('0a 02 0805 | 0a 02 1807'));
  assert.equal(v.transportParameters, tp({ initialMaxData: 7 }), 'max_idle_timeout_ms 5 of the first occurrence is not kept');
  const hm = M.decodeHandshakeMessage(hex('0a 25 0a01ff 1220' + 'aa'.repeat(32) + '| 0a 25 0a01ee 1220' + 'dd'.repeat(32)));
  assert.equal(hm.clientHello, { offer: hex('ee'), noise: fill(32, 0xdd) });
});

test('unknown values of open enums are kept', () => {
  assert.is(M.decodeHelloRetryRequest(hex('18 ffffffff07' + COOKIE_HEX)).group, 0x7fff_ffff);
  assert.equal(M.decodeClientOffer(hex('12 02 0763' + KEY_ID_HEX)).cipherSuites, [7, 99]);
  assert.is(toHex(M.encodeHelloRetryRequest(hrr({ group: 77 }))), '184d' + toHex(hex(COOKIE_HEX)));
});

// ───────────────────────────── decode errors ─────────────────────────────

test('truncated: a tag with no value, a length past the end, a packed varint crossing its run', () => {
  expectDecodeError(() => M.decodeTransportParameters(hex('08')), 'truncated', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.max_idle_timeout_ms');
  expectDecodeError(() => M.decodeClientOffer(hex('32 05 0102')), 'truncated', PROTOCOL_VIOLATION, 'client_offer.cookie');
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('08ff')), 'truncated', PROTOCOL_VIOLATION);
  const e = expectDecodeError(() => M.decodeClientOffer(hex('0a 01 ff | 01')), 'truncated', PROTOCOL_VIOLATION, 'client_offer.versions');
  assert.is(e.offset, 2, 'the varint crossing the end of its packed run');
  // The 17th element is read before the count is checked: broken, it is 'truncated', not 'too_many'.
  expectDecodeError(() => M.decodeClientOffer(hex('0a 11' + '01'.repeat(16) + 'ff')), 'truncated', PROTOCOL_VIOLATION);
});

test('error precedence: a length outside its limits is out_of_range even when the input is also short', () => {
  expectDecodeError(() => M.decodeTransportParameters(hex('72 15 00')), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.initial_source_connection_id');
  expectDecodeError(() => M.decodeTransportParameters(hex('72 14 00')), 'truncated', TRANSPORT_PARAMETER_ERROR);
  expectDecodeError(() => M.decodeCloseReason(hex('0a 8104 61')), 'out_of_range', PROTOCOL_VIOLATION, 'close_reason.message'); // 513 > 512
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('22 41 00')), 'out_of_range', PROTOCOL_VIOLATION, 'hello_retry_request.cookie'); // 65 > 64
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('22 3f 00')), 'out_of_range', PROTOCOL_VIOLATION, 'hello_retry_request.cookie'); // 63 < 64
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('22 40 00')), 'truncated', PROTOCOL_VIOLATION, 'hello_retry_request.cookie');
  expectDecodeError(() => M.decodeClientPayload(hex('0a 818001 08')), 'out_of_range', PROTOCOL_VIOLATION, 'client_payload.transport_parameters'); // 16385
  expectDecodeError(() => M.decodeClientPayload(hex('0a 808001 08')), 'truncated', PROTOCOL_VIOLATION, 'client_payload.transport_parameters'); // 16384, 1 left
});

test('wire_type: a declared field with the wrong wire type, field 0, groups', () => {
  const e = expectDecodeError(() => M.decodeHelloRetryRequest(hex('0a 01 01')), 'wire_type', PROTOCOL_VIOLATION, 'hello_retry_request');
  assert.match(e.message, /field 1 with wire type 2/);
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('20 01')), 'wire_type', PROTOCOL_VIOLATION, 'hello_retry_request'); // bytes as varint
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('0d 01020304')), 'wire_type', PROTOCOL_VIOLATION); // I32
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('00 00')), 'wire_type', PROTOCOL_VIOLATION); // field 0
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('a301 a401')), 'wire_type', PROTOCOL_VIOLATION); // unknown group 20
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('8080808010 00')), 'wire_type', PROTOCOL_VIOLATION, 'hello_retry_request'); // tag 2^32
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('ffffffffffffffffff7f')), 'out_of_range', PROTOCOL_VIOLATION); // tag over 64 bits
  expectDecodeError(() => M.decodeHandshakeMessage(hex('08 01')), 'wire_type', PROTOCOL_VIOLATION, 'handshake_message'); // message as varint
  expectDecodeError(() => M.decodeTransportParameters(hex('78 00')), 'wire_type', TRANSPORT_PARAMETER_ERROR); // bytes field 15 as a varint
});

test('out_of_range: integers beyond their bounds, uint32 beyond 2^32-1, bools other than 0/1', () => {
  const e = expectDecodeError(() => M.decodeTransportParameters(hex('0801 | 48 15')), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.ack_delay_exponent');
  assert.is(e.offset, 2, 'offset of the offending field');
  expectDecodeError(() => M.decodeTransportParameters(hex('58 01')), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.active_connection_id_limit'); // min 2
  expectDecodeError(() => M.decodeTransportParameters(hex('10 f8ff03')), 'out_of_range', TRANSPORT_PARAMETER_ERROR); // 65528 > max_udp_payload_size
  expectDecodeError(() => M.decodeTransportParameters(hex('08 80808080808080 10')), 'out_of_range', TRANSPORT_PARAMETER_ERROR); // 2^53 > max_value
  expectDecodeError(() => M.decodeTransportParameters(hex('38 8180808080808004')), 'out_of_range', TRANSPORT_PARAMETER_ERROR); // 2^51 + 1 over max_streams
  expectDecodeError(() => M.decodeClientOffer(hex('40 8080808010')), 'out_of_range', PROTOCOL_VIOLATION, 'client_offer.obfuscated_ticket_age'); // 2^32
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('18 8080808008')), 'out_of_range', PROTOCOL_VIOLATION, 'hello_retry_request.group'); // 2^31: proto3 enums are int32
  expectDecodeError(() => M.decodeClientOffer(hex('28 02')), 'out_of_range', PROTOCOL_VIOLATION, 'client_offer.client_auth');
  expectDecodeError(() => M.decodeTransportParameters(hex('68 02')), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.disable_active_migration');
});

test('out_of_range: bytes and strings outside min_size..max_size; an absent field whose default is invalid', () => {
  expectDecodeError(() => M.decodeTransportParameters(hex('72 15' + '00'.repeat(21))), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.initial_source_connection_id');
  expectDecodeError(() => M.decodeTransportParameters(hex('8a01 0f' + '00'.repeat(15))), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.stateless_reset_token');
  expectDecodeError(() => M.decodeClientPayload(hex('12 8002' + '61'.repeat(256))), 'out_of_range', PROTOCOL_VIOLATION, 'client_payload.alpn');
  expectDecodeError(() => M.decodeClientOffer(hex('22 07' + '5e'.repeat(7))), 'out_of_range', PROTOCOL_VIOLATION, 'client_offer.server_key_id');
  expectDecodeError(() => M.decodeClientOffer(hex(KEY_ID_HEX + '32 8002' + '00'.repeat(256))), 'out_of_range', PROTOCOL_VIOLATION, 'client_offer.cookie');
  expectDecodeError(() => M.decodeHelloRetryRequest(hex('22 3f' + '11'.repeat(63))), 'out_of_range', PROTOCOL_VIOLATION, 'hello_retry_request.cookie');
  expectDecodeError(() => M.decodeClientHello(hex('0a 01 ff | 12 1f' + 'aa'.repeat(31))), 'out_of_range', PROTOCOL_VIOLATION, 'client_hello.noise');
  const e = expectDecodeError(() => M.decodeHelloRetryRequest(hex('18 01')), 'out_of_range', PROTOCOL_VIOLATION, 'hello_retry_request.cookie');
  assert.match(e.message, /absent/);
  const o = expectDecodeError(() => M.decodeClientHello(hex('12 20' + 'aa'.repeat(32))), 'out_of_range', PROTOCOL_VIOLATION, 'client_hello.offer');
  assert.match(o.message, /absent/, 'min_size 1: an absent offer is the empty default, too short');
});

test('out_of_range: input longer than max_message_size', () => {
  const big = new Uint8Array(16385);
  big.set(hex('b201 fc7f'), 0); // field 22 LEN 16380: an unknown field filling the input
  expectDecodeError(() => M.decodeClientPayload(big), 'out_of_range', PROTOCOL_VIOLATION, 'client_payload');
  expectDecodeError(() => M.decodeTransportParameters(big), 'out_of_range', TRANSPORT_PARAMETER_ERROR);
  assert.equal(M.decodeClientPayload(big.subarray(0, 16384)), clientPayload());
});

test('invalid_utf8 and invalid_enum', () => {
  expectDecodeError(() => M.decodeCloseReason(hex('0a 02 c328')), 'invalid_utf8', PROTOCOL_VIOLATION, 'close_reason.message');
  expectDecodeError(() => M.decodeCloseReason(hex('0a 03 eda080')), 'invalid_utf8', PROTOCOL_VIOLATION); // a UTF-16 surrogate
  expectDecodeError(() => M.decodeClientPayload(hex('12 02 c328')), 'invalid_utf8', PROTOCOL_VIOLATION, 'client_payload.alpn');
  expectDecodeError(() => M.decodeCloseReason(hex('10 03')), 'invalid_enum', PROTOCOL_VIOLATION, 'close_reason.origin');
});

test('too_many: more elements than max_count, packed or not', () => {
  assert.is(M.decodeClientOffer(hex('0a 10' + '01'.repeat(16) + KEY_ID_HEX)).versions.length, 16);
  expectDecodeError(() => M.decodeClientOffer(hex('0a 11' + '01'.repeat(17) + KEY_ID_HEX)), 'too_many', PROTOCOL_VIOLATION, 'client_offer.versions');
  expectDecodeError(() => M.decodeClientOffer(hex('0a 10' + '01'.repeat(16) + '08 01')), 'too_many', PROTOCOL_VIOLATION);
  expectDecodeError(() => M.decodeClientOffer(hex('1a 11' + '01'.repeat(17))), 'too_many', PROTOCOL_VIOLATION, 'client_offer.groups');
  expectDecodeError(() => M.decodeClientPayload(hex('1200'.repeat(17))), 'too_many', PROTOCOL_VIOLATION, 'client_payload.alpn');
});

test('a nested message reports its own error code; its container keeps its own', () => {
  // ClientPayload { transport_parameters { ack_delay_exponent = 21 } }
  expectDecodeError(() => M.decodeClientPayload(hex('0a 02 4815')), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.ack_delay_exponent');
  expectDecodeError(() => M.decodeClientPayload(hex('0a 05 4815')), 'truncated', PROTOCOL_VIOLATION, 'client_payload.transport_parameters');
  // SessionTicket { transport_parameters { active_connection_id_limit = 1 } }, before its own absent resumption_secret
  expectDecodeError(() => M.decodeSessionTicket(hex('4a 02 5801')), 'out_of_range', TRANSPORT_PARAMETER_ERROR, 'transport_parameters.active_connection_id_limit');
  expectDecodeError(() => M.decodeSessionTicket(hex('4a 02 0a00')), 'wire_type', TRANSPORT_PARAMETER_ERROR, 'transport_parameters');
  expectDecodeError(() => M.decodeSessionTicket(hex('4a 00')), 'out_of_range', PROTOCOL_VIOLATION, 'session_ticket.resumption_secret');
  // HandshakeMessage { hello_retry_request { version as LEN } } and { client_hello {} }: the inner message's defects
  expectDecodeError(() => M.decodeHandshakeMessage(hex('1a 02 0a00')), 'wire_type', PROTOCOL_VIOLATION, 'hello_retry_request');
  expectDecodeError(() => M.decodeHandshakeMessage(hex('0a 00')), 'out_of_range', PROTOCOL_VIOLATION, 'client_hello.offer');
});

// ───────────────────────────── encode errors ─────────────────────────────

test('encoders validate as decoders do and throw EncodeError', () => {
  expectEncodeError(() => M.encodeTransportParameters(tp({ ackDelayExponent: 21 })), 'out_of_range', 'transport_parameters.ack_delay_exponent');
  expectEncodeError(() => M.encodeTransportParameters(tp({ activeConnectionIdLimit: 1 })), 'out_of_range', 'transport_parameters.active_connection_id_limit');
  expectEncodeError(() => M.encodeTransportParameters(tp({ maxIdleTimeoutMs: 2 ** 53 })), 'out_of_range', 'transport_parameters.max_idle_timeout_ms');
  expectEncodeError(() => M.encodeTransportParameters(tp({ maxUdpPayloadSize: 1.5 })), 'out_of_range', 'transport_parameters.max_udp_payload_size');
  expectEncodeError(() => M.encodeTransportParameters(tp({ initialSourceConnectionId: new Uint8Array(21) })), 'length_mismatch', 'transport_parameters.initial_source_connection_id');
  expectEncodeError(() => M.encodeTransportParameters(tp({ disableActiveMigration: 1 as unknown as boolean })), 'wrong_type', 'transport_parameters.disable_active_migration');
  expectEncodeError(() => M.encodeHelloRetryRequest(hrr({ cookie: new Uint8Array(0) })), 'length_mismatch', 'hello_retry_request.cookie');
  expectEncodeError(() => M.encodeClientOffer(clientOffer({ serverKeyId: new Uint8Array(7) })), 'length_mismatch', 'client_offer.server_key_id');
  expectEncodeError(() => M.encodeClientHello({ offer: new Uint8Array(1), noise: new Uint8Array(31) }), 'length_mismatch', 'client_hello.noise');
  expectEncodeError(() => M.encodeClientHello({ offer: new Uint8Array(0), noise: new Uint8Array(32) }), 'length_mismatch', 'client_hello.offer');
  expectEncodeError(() => M.encodeClientOffer(clientOffer({ versions: new Array(17).fill(1) })), 'out_of_range', 'client_offer.versions');
  expectEncodeError(() => M.encodeClientOffer(clientOffer({ cipherSuites: [2 ** 31] })), 'out_of_range', 'client_offer.cipher_suites');
  expectEncodeError(() => M.encodeClientPayload(clientPayload({ alpn: ['\ud800'] })), 'wrong_type', 'client_payload.alpn');
  expectEncodeError(() => M.encodeClientPayload(clientPayload({ alpn: ['é'.repeat(128)] })), 'length_mismatch', 'client_payload.alpn');
  expectEncodeError(() => M.encodeHandshakeMessage({ clientHello: undefined, serverHello: undefined, helloRetryRequest: hrr({ group: -1 }) }), 'out_of_range', 'hello_retry_request.group');
  expectEncodeError(() => M.encodeCloseReason({ message: '', origin: 3, details: new Uint8Array(0) }), 'out_of_range', 'close_reason.origin');
});

test('strings of 1-, 2-, 3- and 4-byte UTF-8 characters: hand-checked bytes', () => {
  const cr: M.CloseReason = { message: 'aé✓😀', origin: 0, details: new Uint8Array(0) };
  assert.is(toHex(M.encodeCloseReason(cr)), '0a0a' + '61' + 'c3a9' + 'e29c93' + 'f09f9880');
  assert.is(M.sizeCloseReason(cr), 12);
  assert.equal(M.decodeCloseReason(M.encodeCloseReason(cr)), cr);
});

test('a string exactly at max_size in UTF-8 bytes is accepted by both sides', () => {
  const alpn = 'é'.repeat(127) + 'a'; // 255 bytes in 128 UTF-16 units
  const v = clientPayload({ alpn: [alpn] });
  assert.equal(M.decodeClientPayload(M.encodeClientPayload(v)), v);
});

test('the largest ClientOffer, ClientHello and ClientPayload stay within their MAX_SIZE', () => {
  const offer = clientOffer({
    versions: new Array(16).fill(0xffff_ffff), cipherSuites: new Array(16).fill(0x7fff_ffff), groups: new Array(16).fill(0x7fff_ffff),
    serverKeyId: fill(8, 1), clientAuth: true, cookie: fill(255, 5), pskIdentity: fill(2048, 2), obfuscatedTicketAge: 0xffff_ffff, earlyData: true,
  });
  assert.is(M.encodeClientOffer(offer).length, M.CLIENT_OFFER_MAX_SIZE, 'every field at its largest reaches the bound exactly');
  assert.equal(M.decodeClientOffer(M.encodeClientOffer(offer)), offer);
  const hello: M.ClientHello = { offer: fill(1024, 6), noise: fill(4096, 7) };
  assert.is(M.encodeClientHello(hello).length, M.CLIENT_HELLO_MAX_SIZE);
  assert.equal(M.decodeClientHello(M.encodeClientHello(hello)), hello);
  const payload = clientPayload({
    alpn: new Array(16).fill('a'.repeat(255)), transportParameters: tp({
      maxIdleTimeoutMs: 2 ** 53 - 1, maxUdpPayloadSize: 65527, initialMaxData: 2 ** 53 - 1, ackDelayExponent: 20, maxAckDelayMs: 16383,
      activeConnectionIdLimit: 64, initialSourceConnectionId: fill(20, 3), statelessResetToken: fill(16, 4), keepAliveIntervalMs: 0xffff_ffff,
    }),
  });
  const n = M.encodeClientPayload(payload).length;
  assert.ok(n <= M.CLIENT_PAYLOAD_MAX_SIZE, `${n} <= ${M.CLIENT_PAYLOAD_MAX_SIZE}`);
  assert.equal(M.decodeClientPayload(M.encodeClientPayload(payload)), payload);
});

// ───────────────────────────── emitter features on a variant spec ─────────────────────────────

/** Generates the codec for a variant of the spec (extra message `variant`) and imports it. */
async function variantModule(): Promise<any> {
  const spec = loadSpec();
  const file = structuredClone(spec.messages[0]);
  const base: Omit<PbField, 'id' | 'number' | 'type'> = {
    doc: 'x', req: [], repeated: false, optional: false, required: false, min: 0n, max: 0xffff_ffffn, minSize: 0, maxSize: 16384, maxCount: 1,
  };
  file.enums.push({ id: 'sparse', unknown: 'error', doc: 'Sparse.', req: [], values: [0n, 5n, 9n].map((value) => ({ id: `v${value}`, value, doc: 'v', req: [] })) });
  const variant: Message = {
    id: 'variant', error: 'FRAME_ENCODING_ERROR', doc: 'Emitter features the spec does not use yet.', req: [], fields: [
      { ...base, id: 'big', number: 1, type: 'uint64', max: 0xffff_ffff_ffff_ffffn },
      { ...base, id: 'share', number: 2, type: 'message', message: 'close_reason', optional: true, required: true },
      { ...base, id: 'flags', number: 3, type: 'bool', repeated: true, maxCount: 4 },
      { ...base, id: 'shares', number: 4, type: 'message', message: 'close_reason', repeated: true, maxCount: 2 },
      { ...base, id: 'sparse', number: 6, type: 'enum', enum: 'sparse' },
      { ...base, id: 'level', number: 7, type: 'uint32', min: 1n, max: 9n },
    ],
  };
  file.messages.push(variant);
  const { content } = emitTsMessages(spec, file);
  const dir = mkdtempSync(join(tmpdir(), 'jsp-variant-'));
  const codec = pathToFileURL(join(ROOT, 'src/codec/index.ts')).href;
  writeFileSync(join(dir, 'messages.ts'), content.replace("'../codec/index.ts'", `'${codec}'`));
  try {
    return await import(pathToFileURL(join(dir, 'messages.ts')).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('variant spec: required fields, bigint uint64, repeated bools and messages, a sparse closed enum', async () => {
  const V = await variantModule();
  const FRAME_ENCODING_ERROR = 0x07;
  const reason = (origin: number, details: Uint8Array = new Uint8Array(0)) => ({ message: '', origin, details });
  const v = { big: 2n ** 64n - 1n, share: reason(1, hex('ab')), flags: [true, false], shares: [reason(2)], sparse: 9, level: 3 };
  const bytes = hex('08 ffffffffffffffffff01 | 12 05 1001 1a01ab | 1a 02 0100 | 22 02 1002 | 30 09 | 38 03');
  assert.is(toHex(V.encodeVariant(v)), toHex(bytes));
  assert.equal(V.decodeVariant(bytes), v);
  assert.equal(V.decodeVariant(hex('1800 1801 | 12 00 | 38 01')).flags, [false, true], 'unpacked bools');
  assert.equal(V.decodeVariant(hex('12 02 1001 | 12 00 | 38 01')).share, reason(0), 'last wins whole');
  expectDecodeError(() => V.decodeVariant(hex('38 01')), 'missing_field', FRAME_ENCODING_ERROR, 'variant.share');
  expectDecodeError(() => V.decodeVariant(hex('12 00')), 'out_of_range', FRAME_ENCODING_ERROR, 'variant.level'); // absent: 0 < min 1
  expectDecodeError(() => V.decodeVariant(hex('12 00 | 38 01 | 30 05 | 30 04')), 'invalid_enum', FRAME_ENCODING_ERROR, 'variant.sparse');
  expectDecodeError(() => V.decodeVariant(hex('12 00 | 38 01 | 1a 01 02')), 'out_of_range', FRAME_ENCODING_ERROR, 'variant.flags');
  expectDecodeError(() => V.decodeVariant(hex('12 00 | 38 01 | 1a 05 0101010101')), 'too_many', FRAME_ENCODING_ERROR, 'variant.flags');
  expectDecodeError(() => V.decodeVariant(hex('12 00 | 38 01 | 2200 2200 2200')), 'too_many', FRAME_ENCODING_ERROR, 'variant.shares');
  expectDecodeError(() => V.decodeVariant(hex('08 ffffffffffffffffff02')), 'out_of_range', FRAME_ENCODING_ERROR, 'variant.big'); // 65 bits
  expectDecodeError(() => V.decodeVariant(hex('12 02 0800 | 38 01')), 'wire_type', PROTOCOL_VIOLATION, 'close_reason'); // nested: its own code
  expectEncodeError(() => V.encodeVariant({ ...v, share: undefined }), 'wrong_type', 'variant.share');
  expectEncodeError(() => V.encodeVariant({ ...v, big: 2n ** 64n }), 'out_of_range', 'variant.big');
  expectEncodeError(() => V.encodeVariant({ ...v, sparse: 4 }), 'out_of_range', 'variant.sparse');
  assert.is(V.VARIANT_MIN_SIZE, 4, 'share (2 bytes, empty) + level (2 bytes)');
});

test.run();
