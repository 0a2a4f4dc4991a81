import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import pb from 'protobufjs/minimal.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EncodeError, MAX_SAFE, PB_VARINT_MAX, Reader, VARINT_MAX, Writer, assertLength, assertUint, assertUintBig,
  pbVarintSize, pbVarintSizeBig, utf8Size, varintSize, varintSizeBig,
} from '../../src/codec/index.ts';
import { toHex, encodeError } from '../helpers.ts';

interface Vec { value?: string; hex: string; source?: string }
const vectors = JSON.parse(readFileSync(new URL('./varint-vectors.json', import.meta.url), 'utf8')) as {
  quic: { valid: Vec[] };
  protobuf: { valid: Vec[] };
};

const write = (f: (w: Writer) => void, cap?: number): string => {
  const w = new Writer(cap);
  f(w);
  return toHex(w.finish());
};
const reader = (w: Writer): Reader => new Reader(w.finish(), 7);

/** Naive reference (RFC 9000 §16 Table 4 / Appendix A.1 in spirit): bigint, smallest width that fits. */
function refVarint(v: bigint): string {
  const [len, prefix] = v < 1n << 6n ? [1, 0n] : v < 1n << 14n ? [2, 1n] : v < 1n << 30n ? [4, 2n] : [8, 3n];
  const x = (prefix << BigInt(len * 8 - 2)) | v;
  return x.toString(16).padStart(len * 2, '0');
}

/** Naive reference LEB128 (protobuf.dev "Base 128 Varints"). */
function refLeb128(v: bigint): string {
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return toHex(Uint8Array.from(out));
}


// ───────────────────────────── vectors ─────────────────────────────

test('varint / varintBig: RFC 9000 A.1 and width edges, minimal width', () => {
  for (const v of vectors.quic.valid) {
    const big = BigInt(v.value!);
    assert.is(write((w) => w.varintBig(big)), v.hex, v.source);
    assert.is(varintSizeBig(big), v.hex.length / 2);
    if (big <= BigInt(MAX_SAFE)) {
      assert.is(write((w) => w.varint(Number(big))), v.hex, v.source);
      assert.is(varintSize(Number(big)), v.hex.length / 2);
    }
  }
});

test('pbVarint / pbVarintBig: protobuf.dev examples (150 = 96 01)', () => {
  for (const v of vectors.protobuf.valid) {
    const big = BigInt(v.value!);
    assert.is(write((w) => w.pbVarintBig(big)), v.hex, v.value);
    assert.is(pbVarintSizeBig(big), v.hex.length / 2);
    if (big <= BigInt(MAX_SAFE)) {
      assert.is(write((w) => w.pbVarint(Number(big))), v.hex, v.value);
      assert.is(pbVarintSize(Number(big)), v.hex.length / 2);
    }
  }
  assert.is(write((w) => w.pbTag(1, 0)), '08');
  assert.is(write((w) => w.pbTag(2, 2)), '12');
  assert.is(write((w) => w.pbTag(2 ** 29 - 1, 5)), 'fdffffff0f');
  assert.is(write((w) => { w.pbTag(2, 2); w.pbString('testing'); }), '120774657374696e67');
  assert.is(write((w) => w.pbBytes(Uint8Array.of(1, 2))), '020102');
});

test('fixed-width big-endian', () => {
  assert.is(write((w) => { w.u8(0xff); w.u16(0xabcd); w.u32(0xffffffff); w.u32(0x80000001); }), 'ffabcdffffffff80000001');
  assert.is(write((w) => w.u64(0x0102030405060708n)), '0102030405060708');
  assert.is(write((w) => w.u64(2n ** 64n - 1n)), 'ffffffffffffffff');
  assert.is(write((w) => w.u64n(MAX_SAFE)), '001fffffffffffff');
  assert.is(write((w) => w.u64n(2 ** 32 + 5)), '0000000100000005');
  assert.is(write((w) => w.uint(0x0102030405ff, 6)), '0102030405ff');
  assert.is(write((w) => w.uint(2 ** 48 - 1, 6)), 'ffffffffffff');
  assert.is(write((w) => w.uint(0x0a0b0c, 3)), '0a0b0c');
  assert.throws(() => new Writer().uint(1, 0), (e: unknown) => e instanceof RangeError);
});

// ───────────────────────────── range checks ─────────────────────────────

test('varint rejects values outside 0..2^53-1 (number) / 0..2^62-1 (bigint), naming path and value', () => {
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53, 2 ** 62]) {
    const e = encodeError(() => new Writer().varint(bad, 'stream.offset'));
    assert.is(e.path, 'stream.offset');
    assert.is(e.kind, 'out_of_range');
    assert.is(e.message, `stream.offset: out_of_range (value ${bad} not in 0..9007199254740991)`);
    assert.ok(e instanceof RangeError);
    assert.throws(() => varintSize(bad), (e: unknown) => e instanceof EncodeError);
    assert.throws(() => new Writer().pbVarint(bad), (e: unknown) => e instanceof EncodeError);
    assert.throws(() => pbVarintSize(bad), (e: unknown) => e instanceof EncodeError);
  }
  const e = encodeError(() => new Writer().varintBig(2n ** 62n, 'ack.largest'));
  assert.is(e.message, 'ack.largest: out_of_range (value 4611686018427387904 not in 0..4611686018427387903)');
  assert.throws(() => new Writer().varintBig(-1n), (e: unknown) => e instanceof EncodeError);
  assert.throws(() => varintSizeBig(VARINT_MAX + 1n), (e: unknown) => e instanceof EncodeError);
  assert.throws(() => new Writer().pbVarintBig(PB_VARINT_MAX + 1n), (e: unknown) => e instanceof EncodeError);
  assert.throws(() => pbVarintSizeBig(-1n), (e: unknown) => e instanceof EncodeError);
  const w = new Writer();
  assert.is(encodeError(() => w.varintBig(5 as unknown as bigint, 'f')).kind, 'out_of_range');
  assert.is(encodeError(() => w.varint('5' as unknown as number, 'f')).kind, 'wrong_type');
  assert.is(w.length, 0, 'nothing written on failure');
});

test('assert helpers', () => {
  assertUint(255, 255, 'x');
  assert.is(encodeError(() => assertUint(256, 255, 'hdr.type')).message, 'hdr.type: out_of_range (value 256 not in 0..255)');
  assert.throws(() => assertUint(1.5, 255, 'x'), (e: unknown) => e instanceof EncodeError);
  assertUintBig(2n ** 64n - 1n, 2n ** 64n - 1n, 'x');
  assert.throws(() => assertUintBig(2n ** 64n, 2n ** 64n - 1n, 'x'), (e: unknown) => e instanceof EncodeError);
  assertLength(new Uint8Array(16), 16, 'x');
  const e = encodeError(() => assertLength(new Uint8Array(15), 16, 'token'));
  assert.is(e.kind, 'length_mismatch');
  assert.is(e.message, 'token: length_mismatch (expected 16 bytes, got 15)');
});

// ───────────────────────────── buffer management ─────────────────────────────

test('growth preserves earlier bytes; finish is a zero-copy view', () => {
  for (const cap of [0, 1, 3]) {
    const w = new Writer(cap);
    for (let i = 0; i < 100; i++) w.u8(i);
    w.u64n(MAX_SAFE);
    assert.is(w.length, 108);
    const out = w.finish();
    assert.equal([...out.subarray(0, 100)], Array.from({ length: 100 }, (_, i) => i));
    assert.is(toHex(out.subarray(100)), '001fffffffffffff');
    assert.is(out.buffer, w.buf.buffer);
  }
});

test('fixed caller buffer: writes in place, overflow is an EncodeError', () => {
  const buf = new Uint8Array(4);
  const w = new Writer(buf);
  w.u16(0x0102);
  w.varint(64);
  assert.is(toHex(buf), '01024040');
  assert.is(w.finish().buffer, buf.buffer);
  const e = encodeError(() => w.u8(1));
  assert.is(e.kind, 'overflow');
  assert.is(e.message, 'writer: overflow (need 5 bytes, buffer holds 4)');
  assert.is(w.length, 4);
});

test('regression: pb varints fill an exact-size buffer (no worst-case reservation)', () => {
  for (const v of [0, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
    const w = new Writer(new Uint8Array(pbVarintSize(v)));
    w.pbVarint(v);
    assert.is(w.length, pbVarintSize(v), `pbVarint(${v})`);
  }
  for (const v of [2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]) {
    const w = new Writer(new Uint8Array(pbVarintSizeBig(v)));
    w.pbVarintBig(v);
    assert.is(w.length, pbVarintSizeBig(v), `pbVarintBig(${v})`);
  }
});

test('utf8Size and pbString match TextEncoder, lone surrogates as U+FFFD', () => {
  const enc = new TextEncoder();
  for (const s of ['', 'a', 'é', '€', '😀', '\ud800', '\udc00x', '\ud83d\ude00\ud83d', '\ufeffabc']) {
    const want = enc.encode(s);
    assert.is(utf8Size(s), want.length, JSON.stringify(s));
    const w = new Writer();
    w.pbString(s);
    assert.is(toHex(w.finish()), refLeb128(BigInt(want.length)) + toHex(want));
  }
});

// ───────────────────────────── properties ─────────────────────────────

const safe = fc.maxSafeNat();
const u62 = fc.bigInt({ min: 0n, max: VARINT_MAX });
const u64 = fc.bigInt({ min: 0n, max: PB_VARINT_MAX });

test('property: varint(number) round-trips, minimal width = reference', () => {
  fc.assert(fc.property(safe, (v) => {
    const w = new Writer(1);
    w.varint(v);
    assert.is(toHex(w.finish()), refVarint(BigInt(v)));
    assert.is(w.length, varintSize(v));
    const r = reader(w);
    assert.is(r.varint('x'), v);
    r.expectEnd('x');
  }), { numRuns: 2000 });
});

test('property: varintBig round-trips over 0..2^62-1', () => {
  fc.assert(fc.property(u62, (v) => {
    const w = new Writer(1);
    w.varintBig(v);
    assert.is(toHex(w.finish()), refVarint(v));
    assert.is(w.length, varintSizeBig(v));
    assert.is(reader(w).varintBig('x'), v);
  }), { numRuns: 2000 });
});

test('property: pbVarint / pbVarintBig round-trip, equal reference and protobufjs', () => {
  fc.assert(fc.property(safe, (v) => {
    const w = new Writer(1);
    w.pbVarint(v);
    assert.is(toHex(w.finish()), refLeb128(BigInt(v)));
    assert.is(w.length, pbVarintSize(v));
    assert.is(reader(w).pbVarint('x'), v);
  }), { numRuns: 2000 });
  fc.assert(fc.property(u64, (v) => {
    const w = new Writer(1);
    w.pbVarintBig(v);
    assert.is(toHex(w.finish()), toHex(pb.Writer.create().uint64(v.toString()).finish()));
    assert.is(w.length, pbVarintSizeBig(v));
    assert.is(reader(w).pbVarintBig('x'), v);
  }), { numRuns: 2000 });
});

test('property: uint(n) round-trips for n = 1..6', () => {
  const arb = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: 2 ** (8 * n) - 1 })));
  fc.assert(fc.property(arb, ([n, v]) => {
    const w = new Writer(1);
    w.uint(v, n);
    assert.is(w.length, n);
    assert.is(toHex(w.finish()), v.toString(16).padStart(2 * n, '0'));
    assert.is(reader(w).uint(n, 'x'), v);
  }), { numRuns: 2000 });
});

test('property: u64 / u64n / u32 / u16 round-trip', () => {
  fc.assert(fc.property(u64, safe, fc.nat({ max: 0xffff }), fc.integer({ min: 0, max: 0xffffffff }), (a, b, c, d) => {
    const w = new Writer(2);
    w.u64(a);
    w.u64n(b);
    w.u16(c);
    w.u32(d);
    assert.is(toHex(w.finish().subarray(0, 8)), a.toString(16).padStart(16, '0'));
    const r = reader(w);
    assert.is(r.u64('x'), a);
    assert.is(r.u64n('x'), b);
    assert.is(r.u16('x'), c);
    assert.is(r.u32('x'), d);
    r.expectEnd('x');
  }), { numRuns: 2000 });
});

test('property: pbString round-trips any UTF-16 (lone surrogates → U+FFFD)', () => {
  const units = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  const enc = new TextEncoder();
  fc.assert(fc.property(fc.oneof(units, fc.string({ unit: 'binary' })), (s) => {
    const want = enc.encode(s);
    assert.is(utf8Size(s), want.length);
    const w = new Writer(1);
    w.pbString(s);
    const r = reader(w);
    assert.is(r.pbString('x'), new TextDecoder().decode(want));
    r.expectEnd('x');
  }), { numRuns: 2000 });
});

test('property: Reader.varint on arbitrary bytes agrees with a naive decoder', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 9 }), (b) => {
    const len = b.length === 0 ? 1 : 1 << (b[0] >> 6);
    let want: bigint | string;
    if (b.length < len) want = 'truncated';
    else {
      let v = BigInt(b[0] & 0x3f);
      for (let i = 1; i < len; i++) v = (v << 8n) | BigInt(b[i]);
      want = refVarint(v).length / 2 !== len ? 'non_minimal' : v;
    }
    let got: bigint | string;
    try {
      got = new Reader(b, 7).varintBig('x');
    } catch (e) {
      got = (e as { kind: string }).kind;
    }
    assert.is(got, want);
  }), { numRuns: 3000 });
});

test.run();
