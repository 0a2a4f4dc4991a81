import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DecodeError, Reader, type DecodeErrorKind } from '../../src/codec/index.ts';
import { fromHex as hex, decodeError } from '../helpers.ts';

interface Vec { value?: string; hex: string; source?: string }
const vectors = JSON.parse(readFileSync(new URL('./varint-vectors.json', import.meta.url), 'utf8')) as {
  quic: { valid: Vec[]; nonMinimal: Vec[] };
  protobuf: { valid: Vec[]; nonMinimalAccepted: Vec[]; outOfRange: Vec[] };
};

const FRAME_ENCODING_ERROR = 0x07;
const rd = (s: string | number[]): Reader =>
  new Reader(typeof s === 'string' ? hex(s) : Uint8Array.from(s), FRAME_ENCODING_ERROR);


function expectFail(f: () => unknown, kind: DecodeErrorKind, offset: number, path = 'x'): DecodeError {
  const e = decodeError(f);
  assert.is(e.kind, kind, e.message);
  assert.is(e.offset, offset, e.message);
  assert.is(e.path, path);
  assert.is(e.code, FRAME_ENCODING_ERROR);
  return e;
}

// ───────────────────────────── errors ─────────────────────────────

test('DecodeError: message names path, kind, need/left and offset', () => {
  const r = new Reader(new Uint8Array(5), 0x07, 3);
  const e = expectFail(() => r.u64('stream.offset'), 'truncated', 3, 'stream.offset');
  assert.is(e.message, 'stream.offset: truncated (need 8 bytes at offset 3, 2 left)');
  assert.is(e.name, 'DecodeError');
  assert.ok(e instanceof Error);
  assert.is(e.codeName, undefined);
  assert.is(r.pos, 3, 'a failed read does not advance');
  const named = new DecodeError(0x07, 'constraint', 'ack.range', 9, { codeName: 'FRAME_ENCODING_ERROR' });
  assert.is(named.codeName, 'FRAME_ENCODING_ERROR');
  assert.is(named.message, 'ack.range: constraint (at offset 9)');
});

test('fail: uses reader error code and current position', () => {
  const r = new Reader(hex('0102'), 0x0a);
  r.u8('a');
  const e = decodeError(() => r.fail('invalid_enum', 'close.kind', 'value 9'));
  assert.is(e.code, 0x0a);
  assert.is(e.offset, 1);
  assert.is(e.message, 'close.kind: invalid_enum (value 9)');
});

// ───────────────────────────── fixed-width ─────────────────────────────

test('u8/u16/u32 big-endian, unsigned', () => {
  const r = rd('ff' + 'abcd' + 'ffffffff' + '80000001');
  assert.is(r.u8('x'), 255);
  assert.is(r.u16('x'), 0xabcd);
  assert.is(r.u32('x'), 4294967295);
  assert.is(r.u32('x'), 0x80000001);
  assert.is(r.remaining, 0);
});

test('u64 / u64n round values and limits', () => {
  assert.is(rd('0102030405060708').u64('x'), 0x0102030405060708n);
  assert.is(rd('ffffffffffffffff').u64('x'), 2n ** 64n - 1n);
  assert.is(rd('001fffffffffffff').u64n('x'), Number.MAX_SAFE_INTEGER);
  assert.is(rd('0000000100000000').u64n('x'), 2 ** 32);
  expectFail(() => rd('0020000000000000').u64n('x'), 'out_of_range', 0);
});

test('uint(n) for n = 1..6', () => {
  const b = hex('0102030405ff');
  const want = [0x01, 0x0102, 0x010203, 0x01020304, 0x0102030405, 0x0102030405ff];
  for (let n = 1; n <= 6; n++) assert.is(new Reader(b, 7).uint(n, 'x'), want[n - 1], `n=${n}`);
  assert.is(rd('ffffffffffff').uint(6, 'x'), 2 ** 48 - 1);
  expectFail(() => rd('0102').uint(3, 'x'), 'truncated', 0);
  assert.throws(() => rd('00').uint(7, 'x'), (e: unknown) => e instanceof RangeError);
});

test('fixed-width truncation at every length', () => {
  const readers: Array<[number, (r: Reader) => unknown]> = [
    [1, (r) => r.u8('x')], [2, (r) => r.u16('x')], [4, (r) => r.u32('x')],
    [8, (r) => r.u64('x')], [8, (r) => r.u64n('x')],
  ];
  for (const [size, read] of readers) {
    for (let len = 0; len < size; len++) {
      const e = expectFail(() => read(new Reader(new Uint8Array(len), 7)), 'truncated', 0);
      assert.is(e.message, `x: truncated (need ${size} bytes at offset 0, ${len} left)`);
    }
  }
});

// ───────────────────────────── QUIC varint ─────────────────────────────

test('varint: RFC 9000 A.1 and width edges', () => {
  for (const v of vectors.quic.valid) {
    const want = BigInt(v.value!);
    const r = rd(v.hex);
    assert.is(r.varintBig('x'), want, v.source);
    assert.is(r.remaining, 0);
    if (want <= BigInt(Number.MAX_SAFE_INTEGER)) {
      const r2 = rd(v.hex);
      assert.is(r2.varint('x'), Number(want), v.source);
      assert.is(r2.pos, v.hex.length / 2);
    } else {
      const e = expectFail(() => rd(v.hex).varint('x'), 'out_of_range', 0);
      assert.match(e.message, /exceeds 2\^53-1/);
    }
  }
});

test('varint: non-minimal rejected at every width (incl. RFC 0x4025), offset, path, message', () => {
  for (const v of vectors.quic.nonMinimal) {
    for (const read of [(r: Reader) => r.varint('ack.delay'), (r: Reader) => r.varintBig('ack.delay')]) {
      const r = rd('00' + v.hex);
      r.u8('pad');
      const e = expectFail(() => read(r), 'non_minimal', 1, 'ack.delay');
      assert.is(e.message, `ack.delay: non_minimal (${v.hex.length / 2}-byte varint encoding of ${v.value} at offset 1)`);
      assert.is(r.pos, 1);
    }
  }
});

test('varint: truncation at each length', () => {
  for (const full of ['4040', '80004000', 'c000000040000000']) {
    const size = full.length / 2;
    for (let len = 1; len < size; len++) {
      const b = hex(full).subarray(0, len);
      for (const read of [(r: Reader) => r.varint('x'), (r: Reader) => r.varintBig('x')]) {
        const e = expectFail(() => read(new Reader(b, 7)), 'truncated', 0);
        assert.is(e.message, `x: truncated (need ${size} bytes at offset 0, ${len} left)`);
      }
    }
  }
  expectFail(() => rd('').varint('x'), 'truncated', 0);
  expectFail(() => rd('').varintBig('x'), 'truncated', 0);
});

test('varint: respects reader window end', () => {
  const b = hex('00' + '4040' + 'ff');
  const r = new Reader(b, 7, 1, 2); // only the first byte of the 2-byte varint
  expectFail(() => r.varint('x'), 'truncated', 1);
  assert.is(new Reader(b, 7, 1, 3).varint('x'), 64);
});

// ───────────────────────────── bytes, sub, end ─────────────────────────────

test('bytes / rest are zero-copy views', () => {
  const b = hex('0102030405');
  const r = new Reader(b, 7);
  r.u8('x');
  const two = r.bytes(2, 'x');
  assert.equal([...two], [2, 3]);
  assert.is(two.buffer, b.buffer);
  assert.is(two.byteOffset, 1);
  const rest = r.rest();
  assert.equal([...rest], [4, 5]);
  assert.is(rest.byteOffset, 3);
  assert.is(r.remaining, 0);
  assert.equal([...r.rest()], []);
  assert.equal([...rd('').bytes(0, 'x')], []);
  const e = expectFail(() => rd('0102').bytes(3, 'frame.data'), 'truncated', 0, 'frame.data');
  assert.is(e.message, 'frame.data: truncated (need 3 bytes at offset 0, 2 left)');
  assert.throws(() => rd('01').bytes(-1, 'x'), (e: unknown) => e instanceof RangeError);
});

test('sub: window over next n bytes, offsets stay absolute', () => {
  const r = new Reader(hex('aa02bbccdd'), 0x0b);
  r.u8('x');
  const n = r.u8('len');
  const s = r.sub(n, 'body');
  assert.is(r.pos, 4);
  assert.is(s.pos, 2);
  assert.is(s.end, 4);
  assert.is(s.errorCode, 0x0b);
  assert.is(s.u16('body.v'), 0xbbcc);
  const e = decodeError(() => s.u8('body.w'));
  assert.is(e.offset, 4);
  assert.is(e.code, 0x0b);
  assert.is(r.u8('x'), 0xdd);
  expectFail(() => rd('01').sub(2, 'x'), 'truncated', 0);
});

test('expectEnd: trailing bytes', () => {
  rd('').expectEnd('x');
  const r = rd('0102');
  r.u8('x');
  const e = expectFail(() => r.expectEnd('ping'), 'trailing_bytes', 1, 'ping');
  assert.is(e.message, 'ping: trailing_bytes (1 bytes left at offset 1)');
});

test('constructor validates its window', () => {
  assert.throws(() => new Reader(new Uint8Array(2), 7, 3), (e: unknown) => e instanceof RangeError);
  assert.throws(() => new Reader(new Uint8Array(2), 7, 1, 0), (e: unknown) => e instanceof RangeError);
  assert.is(new Reader(new Uint8Array(4), 7, 1, 3).remaining, 2);
});

// ───────────────────────────── protobuf ─────────────────────────────

test('pbVarint / pbVarintBig: protobuf.dev examples and limits', () => {
  for (const v of vectors.protobuf.valid) {
    const want = BigInt(v.value!);
    const r = rd(v.hex);
    assert.is(r.pbVarintBig('x'), want, v.hex);
    assert.is(r.remaining, 0);
    if (want <= BigInt(Number.MAX_SAFE_INTEGER)) {
      const r2 = rd(v.hex);
      assert.is(r2.pbVarint('x'), Number(want), v.hex);
      assert.is(r2.remaining, 0);
    } else {
      const r2 = rd(v.hex);
      expectFail(() => r2.pbVarint('x'), 'out_of_range', 0);
      assert.is(r2.pos, 0);
    }
  }
});

test('pbVarint: non-minimal LEB128 is accepted', () => {
  for (const v of vectors.protobuf.nonMinimalAccepted) {
    assert.is(rd(v.hex).pbVarint('x'), Number(v.value), v.hex);
    assert.is(rd(v.hex).pbVarintBig('x'), BigInt(v.value!), v.hex);
  }
});

test('pbVarint: over 64 bits, 11 bytes, truncation', () => {
  for (const v of vectors.protobuf.outOfRange) {
    expectFail(() => rd(v.hex).pbVarint('x'), 'out_of_range', 0);
    expectFail(() => rd(v.hex).pbVarintBig('x'), 'out_of_range', 0);
    expectFail(() => rd(v.hex).pbSkip(0, 'x'), 'out_of_range', 0);
  }
  for (const h of ['', '80', 'ffff', 'ffffffffffffffffff']) {
    expectFail(() => rd(h).pbVarint('x'), 'truncated', 0);
    expectFail(() => rd(h).pbVarintBig('x'), 'truncated', 0);
  }
});

test('pbUint32: 2^32-1 ok, 2^32 out_of_range', () => {
  assert.is(rd('ffffffff0f').pbUint32('x'), 4294967295);
  const r = rd('8080808010');
  expectFail(() => r.pbUint32('x'), 'out_of_range', 0);
  assert.is(r.pos, 0);
});

test('pbTag: field number and wire type; invalid ones rejected', () => {
  const t = rd('08').pbTag('x');
  assert.is(t >>> 3, 1);
  assert.is(t & 7, 0);
  const t2 = rd('9a05').pbTag('x'); // field 83, wire type 2
  assert.is(t2 >>> 3, 83);
  assert.is(t2 & 7, 2);
  const big = rd('f9ffffff0f').pbTag('x'); // field 2^29-1, wire type 1
  assert.is(big >>> 3, 2 ** 29 - 1);
  assert.is(big & 7, 1);
  for (const wt of [0, 1, 2, 5]) assert.is(rd([(3 << 3) | wt]).pbTag('x') & 7, wt);
  for (const bad of [0x00, 0x02, 0x0b, 0x0c, 0x0e, 0x0f]) {
    const e = expectFail(() => rd([bad]).pbTag('msg.tag'), 'wire_type', 0, 'msg.tag');
    assert.match(e.message, `field ${bad >>> 3}, wire type ${bad & 7}`);
  }
});

test('pbLen / pbBytes: length checked against remaining', () => {
  const r = rd('03616263');
  assert.equal([...r.pbBytes('x')], [0x61, 0x62, 0x63]);
  const e = expectFail(() => rd('0461').pbLen('m.name'), 'truncated', 0, 'm.name');
  assert.is(e.message, 'm.name: truncated (length 4 at offset 0 exceeds 1 bytes left)');
});

test('pbString: protobuf.dev "testing", UTF-8, BOM kept, invalid rejected', () => {
  const r = rd('120774657374696e67');
  const tag = r.pbTag('x');
  assert.is(tag >>> 3, 2);
  assert.is(tag & 7, 2);
  assert.is(r.pbString('x'), 'testing');
  r.expectEnd('x');
  assert.is(rd('08e282ac20f09f9880').pbString('x'), '€ 😀');
  assert.is(rd('03efbbbf').pbString('x'), '\ufeff');
  for (const bad of ['01ff', '02c080', '03eda080', '02e282']) {
    const r2 = rd('00' + bad);
    r2.u8('pad');
    const e = expectFail(() => r2.pbString('m.s'), 'invalid_utf8', 2, 'm.s');
    assert.ok(e.cause instanceof TypeError);
    assert.is(r2.pos, 1);
  }
});

test('pbSkip: each wire type, and invalid ones', () => {
  const cases: Array<[number, string]> = [[0, 'ffffffffffffffffff01'], [1, '0102030405060708'], [2, '03aabbcc'], [5, '01020304']];
  for (const [wt, h] of cases) {
    const r = rd(h + '7e');
    r.pbSkip(wt, 'x');
    assert.is(r.u8('x'), 0x7e, `wire type ${wt}`);
  }
  expectFail(() => rd('01020304050607').pbSkip(1, 'x'), 'truncated', 0);
  expectFail(() => rd('040102').pbSkip(2, 'x'), 'truncated', 0);
  for (const wt of [3, 4, 6, 7]) expectFail(() => rd('00').pbSkip(wt, 'x'), 'wire_type', 0);
});

test.run();
