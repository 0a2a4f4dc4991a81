/**
 * protobufjs as the oracle for the generated control-message codec (`src/gen/messages.ts`).
 *
 * protobufjs reads the generated `schema/jetstream.proto`; fast-check draws values from
 * arbitraries built by ONE generic walker over the spec IR (field types, min/max, sizes, counts,
 * presence), so a new message or field is covered without touching this file. Per message:
 *   1. ours.encode(v) → protobufjs.decode → equals v (after representation mapping), and
 *      protobufjs re-encodes the same bytes;
 *   2. protobufjs.encode(fromObject(v without implicit defaults)) gives exactly ours.encode(v)
 *      (both canonical), and ours.decode of those bytes is v; with the defaults written
 *      (non-canonical), ours still decodes v.
 *
 * protobufjs representation, as found in 8.8: field names are camelCase of the .proto names;
 * uint64 decodes to `Long` (the `long` package is installed), and `fromObject` takes numbers
 * or bigints; bytes decode to Uint8Array/Buffer; enums stay numbers, unknown ones included;
 * an absent proto3 `optional` or message field is `null` (a prototype default), a present one
 * an own property; an implicit-presence field is written whenever it is an own property, even
 * when it holds the default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emitProtoFile, PROTO_PATH, protoEnumValueName } from '../../codegen/emit-proto.ts';
import type { Message, PbField } from '../../codegen/ir.ts';
import { loadSpec, ROOT } from '../../codegen/load.ts';
import { camel, pascal } from '../../codegen/naming.ts';
import * as M from '../../src/gen/messages.ts';

const RUNS = 200;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT32_MAX = 0x7fff_ffffn;

const spec = loadSpec();
const file = spec.messages[0];
const messages = new Map(file.messages.map((m) => [m.id, m]));
const enums = new Map(file.enums.map((e) => [e.id, e]));
const root = protobuf.loadSync(join(ROOT, PROTO_PATH));
const pbType = (id: string): protobuf.Type => root.lookupType(`${file.package}.${pascal(id)}`);
/** protobufjs's property name for a field (found by number, not by assuming its naming rule). */
const pbName = (m: Message, f: PbField): string => pbType(m.id).fieldsById[f.number].name;

type Value = Record<string, unknown>;
type Codec = { encode(v: Value): Uint8Array; decode(b: Uint8Array): Value };
const codec = (id: string): Codec => {
  const mod = M as unknown as Record<string, (x: any) => any>;
  return { encode: mod[`encode${pascal(id)}`], decode: mod[`decode${pascal(id)}`] };
};

// ───────────────────────────── representation per the README contract ─────────────────────────────

/** uint64 is a number when its max is at most 2^53-1, else a bigint. */
const isBig = (f: PbField): boolean => f.type === 'uint64' && f.max > MAX_SAFE;
/** Implicit-presence fields have a value always; explicit ones are undefined when absent. */
const hasExplicitPresence = (f: PbField): boolean => f.optional || (f.type === 'message' && !f.repeated);

function isDefault(f: PbField, x: unknown): boolean {
  if (f.repeated) return (x as unknown[]).length === 0;
  if (hasExplicitPresence(f)) return x === undefined;
  if (x instanceof Uint8Array || typeof x === 'string') return x.length === 0;
  return x === 0 || x === 0n || x === false;
}

// ───────────────────────────── arbitraries derived from the IR ─────────────────────────────

function arbInt(min: bigint, max: bigint, big: boolean): fc.Arbitrary<number | bigint> {
  const edges = [min, max, min + 1n, max - 1n, 127n, 128n, 16383n, 16384n, 2n ** 31n - 1n, 2n ** 32n - 1n, MAX_SAFE]
    .filter((x) => x >= min && x <= max);
  const a = fc.oneof({ arbitrary: fc.bigInt({ min, max }), weight: 4 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
  return big ? a : a.map(Number);
}

function arbBytes(min: number, max: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.uint8Array({ minLength: min, maxLength: max }), weight: 4 },
    { arbitrary: fc.uint8Array({ minLength: max, maxLength: max }), weight: 1 },
  );
}

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

function arbString(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', maxLength: Math.min(max, 64) }), weight: 4 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: max }), weight: 2 },
    { arbitrary: fc.constant('x'.repeat(max)), weight: 1 },
  ).filter((s) => utf8Length(s) >= min && utf8Length(s) <= max);
}

function arbScalar(f: PbField, depth: number): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'uint32': case 'uint64': return arbInt(f.min, f.max, isBig(f));
    case 'bool': return fc.boolean();
    case 'bytes': return arbBytes(f.minSize, f.maxSize);
    case 'string': return arbString(f.minSize, f.maxSize);
    case 'enum': {
      const e = enums.get(f.enum!)!;
      const known = fc.constantFrom(...e.values.map((x) => Number(x.value)));
      if (e.unknown === 'error') return known;
      return fc.oneof(known, arbInt(f.min, f.max < INT32_MAX ? f.max : INT32_MAX, false)); // proto3 enums are int32
    }
    case 'message': return arbMessage(messages.get(f.message!)!, depth + 1);
  }
}

function arbField(f: PbField, depth: number): fc.Arbitrary<unknown> {
  const one = arbScalar(f, depth);
  if (f.repeated) return fc.array(one, { maxLength: f.maxCount });
  if (hasExplicitPresence(f) && !f.required) return fc.option(one, { nil: undefined, freq: 3 });
  return one;
}

/**
 * Every key present (an absent explicit-presence field is `undefined`), as our decoders return.
 * fc.record builds null-prototype objects, which deep equality tells apart from plain ones: spread.
 */
function arbMessage(m: Message, depth = 0): fc.Arbitrary<Value> {
  if (depth > 4) throw new Error(`message nesting too deep at '${m.id}'`);
  return fc.record(Object.fromEntries(m.fields.map((f) => [camel(f.id), arbField(f, depth)]))).map((o) => ({ ...o }));
}

// ───────────────────────────── mapping to and from protobufjs ─────────────────────────────

/** protobufjs `fromObject` input for v: implicit defaults left out unless `withDefaults`. */
function toPb(m: Message, v: Value, withDefaults = false): Value {
  const out: Value = {};
  for (const f of m.fields) {
    const x = v[camel(f.id)];
    if (x === undefined || (isDefault(f, x) && !(withDefaults && !f.repeated))) continue;
    const conv = (y: unknown) => (f.type === 'message' ? toPb(messages.get(f.message!)!, y as Value, withDefaults) : y);
    out[pbName(m, f)] = f.repeated ? (x as unknown[]).map(conv) : conv(x);
  }
  return out;
}

/** Our representation of a message protobufjs decoded. */
function fromPb(m: Message, msg: Value): Value {
  const out: Value = {};
  for (const f of m.fields) {
    const name = pbName(m, f);
    const raw = msg[name];
    const conv = (y: any): unknown => {
      switch (f.type) {
        case 'uint64': { const b = BigInt(String(y)); return isBig(f) ? b : Number(b); } // Long or number
        case 'bytes': return Uint8Array.from(y as Uint8Array);
        case 'message': return fromPb(messages.get(f.message!)!, y as Value);
        default: return y;
      }
    };
    if (f.repeated) out[camel(f.id)] = ((raw ?? []) as unknown[]).map(conv);
    else if (hasExplicitPresence(f)) out[camel(f.id)] = Object.prototype.hasOwnProperty.call(msg, name) && raw != null ? conv(raw) : undefined;
    else out[camel(f.id)] = conv(raw); // absent: the prototype's default (0, Long 0, false, '', empty bytes)
  }
  return out;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
/** A plain Uint8Array copy (protobufjs returns Buffers; our views of a Buffer would be Buffers too). */
const plain = (b: Uint8Array): Uint8Array => Uint8Array.from(b);

// ───────────────────────────── the schema itself ─────────────────────────────

test('schema/jetstream.proto is what the emitter produces from the spec', () => {
  assert.is(readFileSync(join(ROOT, PROTO_PATH), 'utf8'), emitProtoFile(file));
});

test('the .proto parses and declares every spec message, field and enum value with the right numbers', () => {
  for (const e of file.enums) {
    const pe = root.lookupEnum(`${file.package}.${pascal(e.id)}`);
    assert.equal(Object.keys(pe.values).sort(), e.values.map((v) => protoEnumValueName(e.id, v.id)).sort());
    for (const v of e.values) assert.is(pe.values[protoEnumValueName(e.id, v.id)], Number(v.value), `${e.id}.${v.id}`);
  }
  for (const m of file.messages) {
    const t = pbType(m.id);
    assert.is(t.fieldsArray.length, m.fields.length, m.id);
    for (const f of m.fields) {
      const pf = t.fieldsById[f.number];
      const where = `${m.id}.${f.id}`;
      assert.ok(pf, `${where}: field ${f.number} missing`);
      assert.is(pf.name, camel(f.id), where);
      assert.is(pf.repeated, f.repeated, where);
      assert.is(pf.options?.proto3_optional === true, f.optional && f.type !== 'message', `${where}: proto3 optional`);
      if (f.repeated && f.type !== 'message' && f.type !== 'string' && f.type !== 'bytes') assert.ok(pf.packed, `${where}: packed`);
      const expectType = f.type === 'enum' ? pascal(f.enum!) : f.type === 'message' ? pascal(f.message!) : f.type;
      assert.is(pf.type, expectType, where);
      if (f.type === 'enum' || f.type === 'message') assert.is(pf.resolve().resolvedType?.name, expectType, where);
    }
  }
});

// ───────────────────────────── properties, per message ─────────────────────────────

for (const m of file.messages) {
  const T = pbType(m.id);
  const ours = codec(m.id);
  const arb = arbMessage(m);

  test(`${m.id}: ours.encode → protobufjs.decode equals the value, and protobufjs re-encodes the same bytes`, () => {
    fc.assert(fc.property(arb, (v) => {
      const bytes = ours.encode(v);
      const msg = T.decode(bytes) as unknown as Value;
      assert.equal(fromPb(m, msg), v);
      assert.is(hex(T.encode(msg).finish()), hex(bytes));
    }), { numRuns: RUNS });
  });

  test(`${m.id}: protobufjs.encode(fromObject(v)) is byte-identical to ours, and ours decodes it to v`, () => {
    fc.assert(fc.property(arb, (v) => {
      const obj = toPb(m, v);
      assert.is(T.verify(T.fromObject(obj)), null);
      const theirs = plain(T.encode(T.fromObject(obj)).finish());
      assert.is(hex(theirs), hex(ours.encode(v)));
      assert.equal(ours.decode(theirs), v);
      // Non-canonical: implicit-presence defaults written out (protobufjs writes every own property).
      const verbose = plain(T.encode(T.fromObject(toPb(m, v, true))).finish());
      assert.equal(ours.decode(verbose), v);
    }), { numRuns: RUNS });
  });
}

test('the generic arbitrary reaches every field with a non-default value', () => {
  // Guards the walker: a field it never fills would make the properties above vacuous for it.
  for (const m of file.messages) {
    const seen = new Set<string>();
    for (const v of fc.sample(arbMessage(m), { numRuns: 300, seed: 42 })) {
      for (const f of m.fields) if (!isDefault(f, v[camel(f.id)])) seen.add(f.id);
    }
    assert.equal([...seen].sort(), m.fields.map((f) => f.id).sort(), m.id);
  }
});

test.run();
