/**
 * Naive reference codec for control messages (`kind: messages`): the proto3 wire format
 * (protobuf.dev/programming-guides/encoding), interpreted straight from the IR.
 *
 * Decoding accepts any valid protobuf encoding (any field order, packed or unpacked repeated
 * numerics, non-minimal LEB128, unknown fields of wire types 0/1/2/5) but is stricter than protobuf
 * on values (spec/messages.yaml `messages.ranges`). Encoding is canonical: fields in number order,
 * repeated numerics packed, implicit-presence defaults omitted, explicit presence written when set.
 *
 * Decisions this reference makes where the spec is silent (the generated codec must agree):
 * - A singular field (scalar or message) that occurs more than once: the LAST occurrence wins.
 *   Messages are not merged (protobuf would merge them).
 * - Every occurrence is range-checked when read, even one a later occurrence overrides.
 * - An implicit-presence field that is absent takes its default, and the default is checked like
 *   any value: a field with `min_size: 64` (e.g. the HelloRetryRequest `cookie`) that is absent is `out_of_range`.
 * - A length (bytes, string, message, packed run) is checked against its limit before the bytes
 *   are looked at: over the limit is `out_of_range` even when the input is also too short.
 * - A varint longer than 10 bytes, or one above 2^64 − 1, is `out_of_range`; a tag above 2^32 − 1 is
 *   `wire_type`. Enums are read as uint32 (a negative int32 enum value is `out_of_range`).
 * - Errors carry the error code of the innermost message being decoded (`transport_parameters`
 *   inside `client_payload` fails with TRANSPORT_PARAMETER_ERROR), unless the message sits inside a
 *   binary struct: then the struct's file code (FRAME_ENCODING_ERROR for a frame) is used for all.
 *
 * @module
 */
import type { EnumDef, Message, MessagesFile, PbField, Spec } from '../../codegen/ir.ts';
import { Input, concat, encodeFail, type SpecObject, type SpecValue } from './values.ts';

const U32 = 0xffff_ffffn;
const U64 = (1n << 64n) - 1n;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function findMessage(spec: Spec, id: string): { file: MessagesFile; message: Message } {
  for (const file of spec.messages) {
    const message = file.messages.find((m) => m.id === id);
    if (message) return { file, message };
  }
  throw new Error(`no message '${id}' in the spec`);
}

export function maxMessageSize(spec: Spec): number {
  const c = spec.constants.constants.find((x) => x.id === 'max_message_size');
  return c ? Number(c.value) : Number.MAX_SAFE_INTEGER;
}

function enumOf(spec: Spec, id: string): EnumDef {
  for (const f of spec.messages) {
    const e = f.enums.find((x) => x.id === id);
    if (e) return e;
  }
  throw new Error(`no enum '${id}'`);
}

/** True for the field types carried as a varint (wire type 0, or packed in wire type 2). */
export function isVarintType(f: PbField): boolean {
  return f.type === 'uint32' || f.type === 'uint64' || f.type === 'bool' || f.type === 'enum';
}

// ───────────────────────────── LEB128 ─────────────────────────────

/** Protobuf base-128 varint; `pad` extra bytes make it non-minimal (still valid protobuf). */
export function leb128(v: bigint, pad = 0): Uint8Array {
  if (v < 0n || v > U64) throw new RangeError(`LEB128 cannot hold ${v}`);
  const out: number[] = [];
  do {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  } while (v > 0n);
  for (let i = 0; i < pad; i++) out.push(0x80);
  out[out.length - 1] &= 0x7f;
  return Uint8Array.from(out);
}

export function readLeb128(inp: Input, where: string): bigint {
  let v = 0n;
  for (let i = 0; i < 10; i++) {
    if (inp.left < 1) inp.fail('truncated', where, 'varint runs past the end');
    const b = inp.buf[inp.pos++];
    v |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) {
      if (v > U64) inp.fail('out_of_range', where, 'varint above 2^64-1');
      return v;
    }
  }
  return inp.fail('out_of_range', where, 'varint longer than 10 bytes');
}

export function pbTag(num: number, wireType: number): Uint8Array {
  return leb128((BigInt(num) << 3n) | BigInt(wireType));
}

// ───────────────────────────── decode ─────────────────────────────

function defaultOf(f: PbField): SpecValue {
  switch (f.type) {
    case 'bool': return false;
    case 'bytes': return new Uint8Array(0);
    case 'string': return '';
    default: return 0n;
  }
}

/** Checks one varint-carried value and converts it (bool → boolean). */
function scalarValue(spec: Spec, f: PbField, v: bigint, inp: Input, where: string): SpecValue {
  if ((f.type === 'uint32' || f.type === 'enum') && v > U32) inp.fail('out_of_range', where, `${v} does not fit a uint32`);
  if (f.type === 'bool' && v > 1n) inp.fail('out_of_range', where, `bool must be 0 or 1, got ${v}`);
  if (v < f.min || v > f.max) inp.fail('out_of_range', where, `${v} is outside ${f.min}..${f.max}`);
  if (f.type === 'enum') {
    const e = enumOf(spec, f.enum!);
    if (e.unknown === 'error' && !e.values.some((x) => x.value === v)) inp.fail('invalid_enum', where, `${v} is not a ${e.id}`);
  }
  return f.type === 'bool' ? v === 1n : v;
}

function skipField(inp: Input, wireType: number, where: string): void {
  switch (wireType) {
    case 0: readLeb128(inp, where); return;
    case 1: inp.take(8, where); return;
    case 2: inp.take(readLeb128(inp, where), where); return;
    case 5: inp.take(4, where); return;
  }
  inp.fail('wire_type', where, `wire type ${wireType}`);
}

/**
 * Decodes one message from `buf[start..end)`. `override` (a binary file's error code) replaces the
 * error code of this message and of every message nested in it.
 */
export function decodeMessageBytes(spec: Spec, msg: Message, buf: Uint8Array, start: number, end: number, override?: string): SpecObject {
  const inp = new Input(buf, start, end, override ?? msg.error);
  const path = msg.id;
  if (inp.left > maxMessageSize(spec)) inp.fail('out_of_range', path, `message of ${inp.left} bytes exceeds max_message_size`);
  const byNumber = new Map(msg.fields.map((f) => [BigInt(f.number), f]));
  const got = new Map<string, SpecValue>();
  const add = (f: PbField, v: SpecValue, where: string) => {
    if (!f.repeated) {
      got.set(f.id, v);
      return;
    }
    const arr = (got.get(f.id) ?? []) as SpecValue[];
    if (arr.length >= f.maxCount) inp.fail('too_many', where, `more than ${f.maxCount} elements`);
    arr.push(v);
    got.set(f.id, arr);
  };
  while (inp.left > 0) {
    const tag = readLeb128(inp, `${path}.<tag>`);
    if (tag > U32) inp.fail('wire_type', `${path}.<tag>`, `tag ${tag} above 2^32-1`);
    const num = tag >> 3n;
    const wt = Number(tag & 7n);
    const where = `${path}.${byNumber.get(num)?.id ?? `<${num}>`}`;
    if (num === 0n) inp.fail('wire_type', where, 'field number 0');
    if (wt === 3 || wt === 4 || wt > 5) inp.fail('wire_type', where, `wire type ${wt}`);
    const f = byNumber.get(num);
    if (!f) {
      skipField(inp, wt, where);
      continue;
    }
    if (isVarintType(f)) {
      if (wt === 0) {
        add(f, scalarValue(spec, f, readLeb128(inp, where), inp, where), where);
      } else if (wt === 2 && f.repeated) {
        const run = inp.sub(readLeb128(inp, where), where);
        while (run.left > 0) add(f, scalarValue(spec, f, readLeb128(run, where), run, where), where);
      } else {
        inp.fail('wire_type', where, `wire type ${wt} for a ${f.type}${f.repeated ? ' (repeated)' : ''}`);
      }
      continue;
    }
    if (wt !== 2) inp.fail('wire_type', where, `wire type ${wt} for a ${f.type}`);
    const n = readLeb128(inp, where);
    if (f.type === 'message') {
      if (n > BigInt(maxMessageSize(spec))) inp.fail('out_of_range', where, `message of ${n} bytes exceeds max_message_size`);
      const at = inp.pos;
      inp.take(n, where);
      add(f, decodeMessageBytes(spec, findMessage(spec, f.message!).message, buf, at, inp.pos, override), where);
      continue;
    }
    if (n < BigInt(f.minSize) || n > BigInt(f.maxSize)) inp.fail('out_of_range', where, `length ${n} is outside ${f.minSize}..${f.maxSize}`);
    const data = inp.take(n, where);
    if (f.type === 'bytes') {
      add(f, data.slice(), where);
    } else {
      let s: string;
      try {
        s = utf8.decode(data);
      } catch {
        return inp.fail('invalid_utf8', where, 'string is not well-formed UTF-8');
      }
      add(f, s, where);
    }
  }
  const out: SpecObject = {};
  for (const f of msg.fields) {
    const where = `${path}.${f.id}`;
    const v = got.get(f.id);
    if (v !== undefined) {
      out[f.id] = v;
    } else if (f.repeated) {
      out[f.id] = [];
    } else if (f.optional) {
      if (f.required) inp.fail('missing_field', where, 'required field is absent');
    } else {
      const d = defaultOf(f);
      if (d instanceof Uint8Array || typeof d === 'string') {
        if (f.minSize > 0) inp.fail('out_of_range', where, `absent, and the empty default is shorter than ${f.minSize}`);
      } else if (typeof d === 'bigint' && d < f.min) {
        inp.fail('out_of_range', where, `absent, and the default 0 is below ${f.min}`);
      }
      out[f.id] = d;
    }
  }
  return out;
}

export function decodeMessage(spec: Spec, id: string, bytes: Uint8Array): SpecObject {
  return decodeMessageBytes(spec, findMessage(spec, id).message, bytes, 0, bytes.length);
}

// ───────────────────────────── encode ─────────────────────────────

function checkScalar(spec: Spec, f: PbField, v: SpecValue | undefined, where: string): bigint {
  if (f.type === 'bool') {
    if (typeof v !== 'boolean') encodeFail(where, 'expected a boolean');
    return v ? 1n : 0n;
  }
  if (typeof v !== 'bigint') encodeFail(where, 'expected a bigint');
  const typeMax = f.type === 'uint64' ? U64 : U32;
  if (v < 0n || v > typeMax || v < f.min || v > f.max) encodeFail(where, `${v} is outside ${f.min}..${f.max}`);
  if (f.type === 'enum') {
    const e = enumOf(spec, f.enum!);
    if (e.unknown === 'error' && !e.values.some((x) => x.value === v)) encodeFail(where, `${v} is not a ${e.id}`);
  }
  return v;
}

function lenBytes(spec: Spec, f: PbField, v: SpecValue | undefined, where: string): Uint8Array {
  if (f.type === 'message') {
    if (typeof v !== 'object' || v instanceof Uint8Array || Array.isArray(v)) encodeFail(where, 'expected a message object');
    return encodeMessageValue(spec, findMessage(spec, f.message!).message, v as SpecObject, where);
  }
  let data: Uint8Array;
  if (f.type === 'bytes') {
    if (!(v instanceof Uint8Array)) encodeFail(where, 'expected bytes');
    data = v;
  } else {
    if (typeof v !== 'string') encodeFail(where, 'expected a string');
    if (LONE_SURROGATE.test(v)) encodeFail(where, 'string has a lone surrogate (not encodable as UTF-8)');
    data = new TextEncoder().encode(v);
  }
  if (data.length < f.minSize || data.length > f.maxSize) encodeFail(where, `length ${data.length} is outside ${f.minSize}..${f.maxSize}`);
  return data;
}

/** Canonical encoding of a message value; throws {@link EncodeFailure} on an invalid value. */
export function encodeMessageValue(spec: Spec, msg: Message, value: SpecObject, path = msg.id): Uint8Array {
  for (const k of Object.keys(value)) {
    if (value[k] !== undefined && !msg.fields.some((f) => f.id === k)) encodeFail(`${path}.${k}`, `'${msg.id}' has no field '${k}'`);
  }
  const parts: Uint8Array[] = [];
  for (const f of [...msg.fields].sort((a, b) => a.number - b.number)) {
    const where = `${path}.${f.id}`;
    const v = value[f.id];
    if (f.repeated) {
      if (!Array.isArray(v)) encodeFail(where, 'expected an array');
      if (v.length > f.maxCount) encodeFail(where, `${v.length} elements, more than ${f.maxCount}`);
      if (isVarintType(f)) {
        if (v.length === 0) continue;
        const run = concat(v.map((x, i) => leb128(checkScalar(spec, f, x, `${where}[${i}]`))));
        parts.push(pbTag(f.number, 2), leb128(BigInt(run.length)), run);
      } else {
        v.forEach((x, i) => {
          const data = lenBytes(spec, f, x, `${where}[${i}]`);
          parts.push(pbTag(f.number, 2), leb128(BigInt(data.length)), data);
        });
      }
      continue;
    }
    if (v === undefined) {
      if (f.optional) {
        if (f.required) encodeFail(where, 'required field is absent');
        continue;
      }
      encodeFail(where, 'missing (a field with implicit presence always has a value)');
    }
    if (isVarintType(f)) {
      const n = checkScalar(spec, f, v, where);
      if (!f.optional && n === 0n) continue;
      parts.push(pbTag(f.number, 0), leb128(n));
    } else {
      const data = lenBytes(spec, f, v, where);
      if (!f.optional && data.length === 0) continue;
      parts.push(pbTag(f.number, 2), leb128(BigInt(data.length)), data);
    }
  }
  const out = concat(parts);
  if (out.length > maxMessageSize(spec)) encodeFail(path, `encoding of ${out.length} bytes exceeds max_message_size`);
  return out;
}

