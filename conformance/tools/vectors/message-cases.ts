/**
 * Vector cases for control messages (protobuf), derived generically from the IR. Encodings are
 * built record by record with the writer of `message-values.ts`, so canonical and non-canonical
 * inputs come from code independent of the reference encoder; the expected value of every valid
 * input and the expected error of every invalid one are predicted from how the input was built.
 *
 * @module
 */
import type { Message, MessagesFile, PbField, Spec } from '../../../codegen/ir.ts';
import type { SpecObject, SpecValue } from '../../reference/interpreter.ts';
import { findMessage, isVarintType, leb128, maxMessageSize } from '../../reference/protobuf.ts';
import { bytesEqual, concat } from '../../reference/values.ts';
import { FileBuilder, Rng, type GroupBuilder } from './common.ts';
import {
  U32, U64, asciiText, canonicalEntries, defaultInvalid, finalCheck, lenBody, normalizeMessage, sampleMessage,
  scalarWire, typeMax, valueOfEntries, writeEntries, type PbEntry,
} from './message-values.ts';

/** An input with one defect, and what a decoder must say about it. */
export interface Defect {
  body: Uint8Array;
  kind: string;
  flags: string[];
  comment: string;
  /** Error code when it differs from the message's own (a defect inside a nested message). */
  code?: string;
}

const LEB_EDGES = [127n, 128n, 16383n, 16384n, 1n << 31n, U32, (1n << 53n) - 1n, 1n << 53n, 1n << 63n, U64];

const BAD_UTF8: Array<[string, number[]]> = [
  ['a bad continuation byte (c3 28)', [0xc3, 0x28]],
  ['a lone continuation byte (80)', [0x80]],
  ['an encoded surrogate U+D800 (ed a0 80)', [0xed, 0xa0, 0x80]],
  ['an overlong encoding of "/" (c0 af)', [0xc0, 0xaf]],
  ['a code point above U+10FFFF (f4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
  ['a sequence cut short at the end (e2 82)', [0xe2, 0x82]],
];

function unusedNumber(msg: Message, from: number): number {
  let n = from;
  while (msg.fields.some((f) => f.number === n)) n++;
  return n;
}

function entry(f: PbField, wt: number, body: Uint8Array, contributes?: SpecValue[]): PbEntry {
  return { num: f.number, wt, body, field: f, contributes };
}

/** `prefix` followed by an unknown length-delimited field so that the whole is exactly `total` bytes. */
export function padTo(msg: Message, prefix: Uint8Array, total: number): Uint8Array | undefined {
  const num = unusedNumber(msg, 15);
  const tagLen = leb128(BigInt(num << 3)).length;
  for (let lenLen = 1; lenLen <= 3; lenLen++) {
    const n = total - prefix.length - tagLen - lenLen;
    if (n >= 0 && leb128(BigInt(n)).length === lenLen) return concat([prefix, writeEntries([{ num, wt: 2, body: new Uint8Array(n) }])]);
  }
  return undefined;
}

/** Every single-defect input of a message (defects at its top level, or inside one nested message). */
export function fieldDefects(spec: Spec, msg: Message, rng: Rng): Defect[] {
  const minimal = sampleMessage(spec, msg, 'minimal', rng);
  const base = writeEntries(canonicalEntries(spec, msg, minimal));
  const out: Defect[] = [];
  const add = (es: PbEntry[] | Uint8Array, kind: string, flags: string[], comment: string, code?: string) => {
    out.push({ body: concat([base, es instanceof Uint8Array ? es : writeEntries(es)]), kind, flags, comment, code });
  };
  const unk = unusedNumber(msg, 100);
  for (const f of msg.fields) {
    const n = `${f.id} (${f.number})`;
    if (isVarintType(f)) {
      add([entry(f, 1, new Uint8Array(8))], 'wire_type', ['WireType'], `${n} with wire type 1 (i64)`);
      add([entry(f, 5, new Uint8Array(4))], 'wire_type', ['WireType'], `${n} with wire type 5 (i32)`);
      if (!f.repeated) add([entry(f, 2, Uint8Array.of(1))], 'wire_type', ['WireType'], `singular ${n} with wire type 2 (packed is for repeated fields)`);
      const bad: Array<[bigint, string, string]> = [];
      if (f.type === 'uint32' || f.type === 'enum') bad.push([U32 + 1n, 'out_of_range', '2^32, above uint32']);
      if (f.type === 'enum') bad.push([U64, 'out_of_range', '2^64-1 (a negative int32 on the wire)']);
      if (f.type === 'bool') bad.push([2n, 'out_of_range', '2 (a bool is 0 or 1)']);
      else if (f.max < typeMax(f)) bad.push([f.max + 1n, 'out_of_range', `${f.max + 1n}, one above its maximum`]);
      if (f.min > 0n) bad.push([f.min - 1n, 'out_of_range', `${f.min - 1n}, one below its minimum`]);
      const en = f.type === 'enum' ? spec.messages.flatMap((m) => m.enums).find((e) => e.id === f.enum) : undefined;
      if (en?.unknown === 'error') {
        let x = 0n;
        while (en.values.some((v) => v.value === x)) x++;
        bad.push([x, 'invalid_enum', `${x}, not a ${en.id}`]);
      }
      if (!f.repeated && f.type !== 'bool' && f.max < typeMax(f) && !out.some((d) => d.flags.includes('LastWins'))) {
        add([entry(f, 0, leb128(f.max + 1n)), entry(f, 0, leb128(f.max))], 'out_of_range', ['OutOfRange', 'LastWins'],
          `${n} twice, first ${f.max + 1n} (out of range) then ${f.max}: every occurrence is checked, not only the last`);
      }
      for (const [v, kind, what] of bad) {
        add([entry(f, 0, leb128(v))], kind, [kind === 'invalid_enum' ? 'InvalidEnum' : 'OutOfRange'], `${n} = ${what}`);
        if (f.repeated) add([entry(f, 2, concat([leb128(f.min), leb128(v)]))], kind, [kind === 'invalid_enum' ? 'InvalidEnum' : 'OutOfRange'], `${n} packed, second element ${what}`);
      }
      if (f.repeated) {
        const xs = Array.from({ length: f.maxCount + 1 }, () => (f.type === 'bool' ? 1n : f.max < 100n ? f.max : rng.big(f.min, 100n)));
        const enumOk = en ? en.values.map((v) => v.value) : undefined;
        const elems = enumOk ? xs.map((_, i) => enumOk[i % enumOk.length]) : xs;
        add([entry(f, 2, concat(elems.map((x) => leb128(x))))], 'too_many', ['TooMany'], `${n} with ${f.maxCount + 1} packed elements, one more than its maximum`);
        add(elems.map((x) => entry(f, 0, leb128(x))), 'too_many', ['TooMany', 'Unpacked'], `${n} with ${f.maxCount + 1} unpacked elements, one more than its maximum`);
      }
      continue;
    }
    add([entry(f, 0, Uint8Array.of(0))], 'wire_type', ['WireType'], `${f.type} ${n} with wire type 0 (varint)`);
    add([entry(f, 5, new Uint8Array(4))], 'wire_type', ['WireType'], `${f.type} ${n} with wire type 5 (i32)`);
    if (f.type === 'message') {
      add(concat([leb128(BigInt((f.number << 3) | 2)), Uint8Array.of(2, 0)]), 'truncated', ['LengthPastEnd'], `${n} declaring 2 bytes, 1 present`);
      const sub = findMessage(spec, f.message!).message;
      for (const d of messageDefects(spec, sub)) {
        add([entry(f, 2, d.body)], d.kind, ['NestedMessage', ...d.flags], `${n} holding a ${sub.id} with ${d.comment}`, d.code ?? sub.error);
      }
      continue;
    }
    const text = (k: number) => (f.type === 'string' ? new TextEncoder().encode(asciiText(k, rng)) : rng.bytes(k));
    if (f.minSize > 0) add([entry(f, 2, text(f.minSize - 1))], 'out_of_range', ['SizeOutOfRange'], `${n} of ${f.minSize - 1} bytes, below its minimum ${f.minSize}`);
    if (f.maxSize + 16 < maxMessageSize(spec)) add([entry(f, 2, text(f.maxSize + 1))], 'out_of_range', ['SizeOutOfRange'], `${n} of ${f.maxSize + 1} bytes, above its maximum ${f.maxSize}`);
    const L = Math.max(f.minSize, 1);
    add(concat([leb128(BigInt((f.number << 3) | 2)), leb128(BigInt(L)), text(L - 1)]), 'truncated', ['LengthPastEnd'], `${n} declaring ${L} bytes, ${L - 1} present`);
    if (f.type === 'string') {
      for (const [what, b] of BAD_UTF8) {
        const body = concat([new TextEncoder().encode(asciiText(Math.max(2, f.minSize - b.length), rng)), Uint8Array.from(b)]);
        if (body.length >= f.minSize && body.length <= f.maxSize) add([entry(f, 2, body)], 'invalid_utf8', ['InvalidUtf8'], `${n} with ${what}`);
      }
    }
    if (f.repeated) {
      add(Array.from({ length: f.maxCount + 1 }, () => entry(f, 2, text(Math.max(f.minSize, 1)))), 'too_many', ['TooMany'], `${n} with ${f.maxCount + 1} elements, one more than its maximum`);
    }
  }
  for (const f of msg.fields) {
    if (!f.required) continue;
    const { [f.id]: _gone, ...rest } = minimal;
    out.push({ body: writeEntries(canonicalEntries(spec, msg, rest)), kind: 'missing_field', flags: ['MissingField'], comment: `required ${f.id} absent` });
  }
  const f1 = msg.fields.find((f) => f.number === 1);
  if (f1) {
    add(leb128(BigInt((1 << 3) | 3)), 'wire_type', ['WireType'], `${f1.id} (1) with wire type 3 (start group)`);
    add(leb128(BigInt((1 << 3) | 4)), 'wire_type', ['WireType'], `${f1.id} (1) with wire type 4 (end group)`);
  }
  for (const wt of [3, 4, 6, 7]) add(concat([leb128(BigInt((unk << 3) | wt)), Uint8Array.of(0)]), 'wire_type', ['WireType'], `unknown field ${unk} with wire type ${wt}`);
  add(Uint8Array.of(0x00, 0x00), 'wire_type', ['WireType'], 'field number 0 (tag 00)');
  add(Uint8Array.of(0x02, 0x00), 'wire_type', ['WireType'], 'field number 0 with wire type 2 (tag 02)');
  add(Uint8Array.of(0x80), 'truncated', ['Truncated'], 'a tag varint cut short (80)');
  add(concat([leb128(BigInt(unk << 3)), Uint8Array.of(0xff)]), 'truncated', ['Truncated'], `unknown field ${unk} whose varint value is cut short`);
  add(concat([leb128(BigInt((unk << 3) | 1)), new Uint8Array(5)]), 'truncated', ['Truncated'], `unknown field ${unk} (wire type 1) with 5 of 8 bytes`);
  add(concat([leb128(BigInt((unk << 3) | 5)), new Uint8Array(2)]), 'truncated', ['Truncated'], `unknown field ${unk} (wire type 5) with 2 of 4 bytes`);
  add(concat([leb128(BigInt((unk << 3) | 2)), Uint8Array.of(5, 1, 2)]), 'truncated', ['LengthPastEnd'], `unknown field ${unk} declaring 5 bytes, 2 present`);
  add(concat([leb128(BigInt(unk << 3)), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)]), 'out_of_range', ['VarintOverflow'], `unknown field ${unk} with a 10-byte varint above 2^64-1`);
  add(concat([leb128(BigInt(unk << 3)), Uint8Array.of(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)]), 'out_of_range', ['VarintOverflow'], `unknown field ${unk} with an 11-byte varint`);
  return out;
}

/** A few defects of a message, one of each kind, to embed in other messages and frames. */
export function messageDefects(spec: Spec, msg: Message): Defect[] {
  const seen = new Set<string>();
  return fieldDefects(spec, msg, new Rng(`defects/${msg.id}`)).filter((d) => {
    if (d.body.length > 64 || seen.has(d.kind) || d.flags.includes('NestedMessage')) return false;
    seen.add(d.kind);
    return true;
  });
}

/** A message field's sub-message, the value its empty encoding decodes to, and whether that value is valid. */
function emptyOf(spec: Spec, f: PbField): { sub: Message; value: SpecObject; status: ReturnType<typeof finalCheck> } {
  const sub = findMessage(spec, f.message!).message;
  return { sub, value: normalizeMessage(spec, sub, {}), status: finalCheck(sub, new Set()) };
}

function edgesOf(f: PbField): bigint[] {
  const lo = f.optional ? f.min : f.min > 1n ? f.min : 1n;
  return [...new Set([lo, ...LEB_EDGES.filter((e) => e > lo && e < f.max), f.max])];
}

function messageCases(fb: FileBuilder, spec: Spec, file: MessagesFile, msg: Message, withSizeCases: boolean): void {
  const g: GroupBuilder = fb.group({ kind: 'message', file: file.id, id: msg.id });
  const rng = new Rng(`${file.id}/${msg.id}`);
  const code = msg.error;
  const minimal = sampleMessage(spec, msg, 'minimal', rng);
  const full = sampleMessage(spec, msg, 'full', rng);
  const canon = (v: SpecObject) => writeEntries(canonicalEntries(spec, msg, v));
  const valid = (v: SpecObject, comment: string, flags: string[], input?: Uint8Array) => {
    const c = canon(v);
    g.valid({ comment: `${msg.id}: ${comment}`, flags, input: input ?? c, value: v, canonical: input && !bytesEqual(input, c) ? c : undefined });
  };

  const empty = normalizeMessage(spec, msg, {});
  const emptyStatus = finalCheck(msg, new Set());
  if (emptyStatus === 'ok') valid(empty, 'the empty message', ['EmptyMessage']);
  else g.invalid({ comment: `${msg.id}: the empty message (a field that must be set is absent)`, flags: ['EmptyMessage', 'MissingField'], input: new Uint8Array(0), kind: emptyStatus, code });
  valid(minimal, 'only the fields that must be set', ['MinimalMessage']);
  valid(full, 'every field set', ['AllFields']);

  // ── one field at a time, on the minimal message ──
  for (const f of msg.fields) {
    const set = (x: SpecValue, what: string, flags: string[]) => valid(normalizeMessage(spec, msg, { ...minimal, [f.id]: f.repeated ? [x] : x }), `${f.id} = ${what}`, flags);
    if (f.repeated) {
      const one = sampleMessage(spec, msg, 'full', rng)[f.id] as SpecValue[];
      const many = Array.from({ length: f.maxCount }, (_, i) => one[i % one.length]);
      valid(normalizeMessage(spec, msg, { ...minimal, [f.id]: [one[0]] }), `${f.id} with 1 element`, ['RepeatedCount']);
      valid(normalizeMessage(spec, msg, { ...minimal, [f.id]: many }), `${f.id} with ${f.maxCount} elements, its maximum`, ['RepeatedCount']);
      if (f.type === 'uint32' || f.type === 'uint64') set(f.max, `[${f.max}] (its maximum)`, ['MaxValue']);
      continue;
    }
    if (f.type === 'uint32' || f.type === 'uint64') {
      for (const e of edgesOf(f)) {
        const flags = [...(LEB_EDGES.includes(e) ? ['VarintEdge'] : []), ...(e === f.min ? ['MinValue'] : []), ...(e === f.max ? ['MaxValue'] : []), ...(f.optional && e === 0n ? ['ExplicitPresence'] : [])];
        set(e, `${e}${e === f.max ? ' (its maximum)' : ''}`, flags.length ? flags : ['VarintEdge']);
      }
    } else if (f.type === 'bool') {
      set(true, 'true', ['MaxValue']);
      if (f.optional) set(false, 'false, present', ['ExplicitPresence']);
    } else if (f.type === 'enum') {
      const en = spec.messages.flatMap((m) => m.enums).find((e) => e.id === f.enum)!;
      for (const v of en.values) if (v.value !== 0n || f.optional) set(v.value, `${v.value} (${v.id})`, ['EnumKnown']);
      if (en.unknown === 'keep') {
        const top = en.values.reduce((a, v) => (v.value > a ? v.value : a), 0n);
        for (const x of [top + 1n, 0x7fff_ffffn]) set(x, `${x}, not in ${en.id} (kept)`, ['EnumUnknownKept']);
      }
    } else if (f.type === 'bytes' || f.type === 'string') {
      const make = (k: number) => (f.type === 'string' ? asciiText(k, rng) : rng.bytes(k));
      const lens = [...new Set([f.minSize, Math.max(f.minSize, 1), f.maxSize])].filter((k) => k + 16 < maxMessageSize(spec) && (k > 0 || f.optional));
      for (const k of lens) {
        const flags = k === f.maxSize ? ['MaxBytes'] : k === f.minSize ? ['EmptyBytes'] : ['Representative'];
        set(make(k), `${k} bytes${k === f.maxSize ? ' (its maximum)' : k === f.minSize ? ' (its minimum)' : ''}`, [...flags, ...(k === 0 ? ['ExplicitPresence'] : [])]);
      }
      if (f.type === 'string') {
        const texts = ['é', 'héllo wörld ✓ 😀', '\ufeffleading BOM', 'nul \u0000 inside'];
        if (f.maxSize >= 4) texts.push(`${asciiText(f.maxSize - 4, rng)}😀`);
        for (const t of texts) {
          const k = new TextEncoder().encode(t).length;
          if (k >= f.minSize && k <= f.maxSize) set(t, `${JSON.stringify(t).slice(0, 40)} (${k} UTF-8 bytes)`, ['Utf8']);
        }
      }
    } else if (f.type === 'message') {
      const e = emptyOf(spec, f);
      if (e.status === 'ok') set(e.value, 'an empty message (present)', ['EmptySubmessage']);
      else {
        g.invalid({
          comment: `${msg.id}: ${f.id} = an empty ${e.sub.id} (present; a field of it that must be set is absent)`,
          flags: ['EmptySubmessage', 'NestedMessage', 'MissingField'], input: canon({ ...minimal, [f.id]: e.value }), kind: e.status, code: e.sub.error,
        });
      }
    }
  }

  // ── valid but not canonical ──
  const E = canonicalEntries(spec, msg, full);
  const nc = (es: PbEntry[], what: string, flags: string[], value = full) => valid(value, what, ['NonCanonical', ...flags], writeEntries(es));
  if (E.length > 1) nc([...E].sort((a, b) => b.num - a.num), 'fields in decreasing number order', ['FieldOrder']);
  const packed = E.filter((e) => e.wt === 2 && e.field && isVarintType(e.field));
  if (packed.length) {
    nc(E.flatMap((e) => (packed.includes(e) ? e.contributes!.map((x) => entry(e.field!, 0, scalarWire(e.field!, x), [x])) : [e])), 'repeated numerics unpacked', ['Unpacked']);
    nc(E.flatMap((e) => {
      if (!packed.includes(e)) return [e];
      const xs = e.contributes!;
      const f = e.field!;
      return [entry(f, 2, new Uint8Array(0), []), entry(f, 2, concat(xs.slice(0, 1).map((x) => scalarWire(f, x)))), entry(f, 2, concat(xs.slice(1).map((x) => scalarWire(f, x))))];
    }), 'packed records split in two, after an empty packed record', ['PackedSplit']);
  }
  const unknown = (num: number, wt: number, body: Uint8Array): PbEntry => ({ num, wt, body });
  const u = unusedNumber(msg, 100);
  nc([unknown(u, 0, leb128(150n)), ...E.slice(0, 1), unknown(unusedNumber(msg, 2047), 1, rng.bytes(8)), ...E.slice(1),
    unknown(536870911, 2, new TextEncoder().encode('future')), unknown(unusedNumber(msg, 16), 5, rng.bytes(4))],
  `unknown fields ${u} (varint), ${unusedNumber(msg, 2047)} (i64), 536870911 (len) and ${unusedNumber(msg, 16)} (i32)`, ['UnknownField']);
  const first = E[0];
  if (first) {
    const tagged = { ...first, tag: leb128(BigInt((first.num << 3) | first.wt), 1) };
    const padded = first.wt === 0 ? { ...tagged, body: leb128(BigInt(scalarValueOf(first)), 3) } : { ...tagged, len: leb128(BigInt(first.body.length), 2) };
    nc([padded, ...E.slice(1)], `${first.field?.id}: tag and ${first.wt === 0 ? 'value' : 'length'} with redundant continuation bytes`, ['NonMinimalProtobufVarint']);
  }
  const wt0 = E.find((e) => e.wt === 0);
  if (wt0) nc(E.map((e) => (e === wt0 ? { ...e, body: leb128(scalarValueOf(e), 10 - e.body.length) } : e)), `${wt0.field?.id} as a 10-byte varint`, ['NonMinimalProtobufVarint']);
  for (const f of msg.fields.filter((x) => !x.repeated && !x.optional && !defaultInvalid(x)).slice(0, 3)) {
    const body = isVarintType(f) ? Uint8Array.of(0) : new Uint8Array(0);
    valid(minimal, `${f.id} written with its default value`, ['NonCanonical', 'ExplicitDefault'], writeEntries([entry(f, isVarintType(f) ? 0 : 2, body), ...canonicalEntries(spec, msg, minimal)]));
  }
  for (const e of E.filter((x) => x.field && !x.field.repeated).slice(0, 2)) {
    const f = e.field!;
    const other = sampleMessage(spec, msg, 'full', new Rng(`other/${msg.id}`))[f.id];
    const earlier = isVarintType(f) ? entry(f, 0, scalarWire(f, other)) : entry(f, 2, lenBody(spec, f, other));
    nc([earlier, ...E], `${f.id} twice; the last occurrence wins`, ['LastWins']);
  }
  const mf = E.find((x) => x.field?.type === 'message');
  if (mf) {
    const f = mf.field!;
    const e = emptyOf(spec, f);
    if (e.status === 'ok') nc([...E, entry(f, 2, new Uint8Array(0))], `${f.id} twice, the second empty: the last wins whole (no merge)`, ['LastWins'], { ...full, [f.id]: e.value });
    else {
      // An empty one would be invalid: the second occurrence is the sub-message with only what must be set.
      const second = sampleMessage(spec, e.sub, 'minimal', new Rng(`last/${msg.id}`));
      nc([...E, entry(f, 2, lenBody(spec, f, second))], `${f.id} twice, the second a minimal ${e.sub.id}: the last wins whole (no merge)`, ['LastWins'], { ...full, [f.id]: second });
    }
  }

  // ── size limit ──
  if (withSizeCases) {
    const max = maxMessageSize(spec);
    const atMax = padTo(msg, canon(minimal), max);
    const over = padTo(msg, canon(minimal), max + 1);
    if (atMax) valid(minimal, `exactly ${max} bytes (an unknown field as padding)`, ['MaxMessageSize', 'UnknownField'], atMax);
    if (over) g.invalid({ comment: `${msg.id}: ${max + 1} bytes, one above max_message_size`, flags: ['MessageTooLarge'], input: over, kind: 'out_of_range', code });
  }

  // ── truncation of the full encoding: value at record boundaries, truncated elsewhere ──
  const bytes = writeEntries(E);
  const cuts = new Map<number, number>();
  let at = 0;
  E.forEach((e, i) => {
    cuts.set(at, i);
    at += writeEntries([e]).length;
  });
  for (let k = 0; k < bytes.length; k++) {
    const input = bytes.subarray(0, k);
    const what = `${msg.id}: the first ${k} of ${bytes.length} bytes of the every-field encoding`;
    const i = cuts.get(k);
    if (i === undefined) {
      g.invalid({ comment: what, flags: ['Truncated'], input, kind: 'truncated', code, base: bytes });
      continue;
    }
    const { value, present } = valueOfEntries(spec, msg, E.slice(0, i));
    const status = finalCheck(msg, present);
    if (status === 'ok') valid(value, `${what.slice(msg.id.length + 2)} (ends at a field boundary)`, ['ValidPrefix'], input);
    else g.invalid({ comment: `${what} (ends at a field boundary; a field that must be set is absent)`, flags: ['Truncated', 'MissingField'], input, kind: status, code, base: bytes });
  }

  // ── one defect each ──
  for (const d of fieldDefects(spec, msg, rng)) {
    g.invalid({ comment: `${msg.id}: ${d.comment}`, flags: d.flags, input: d.body, kind: d.kind, code: d.code ?? code });
  }
}

function scalarValueOf(e: PbEntry): bigint {
  const v = e.contributes![0];
  return typeof v === 'boolean' ? (v ? 1n : 0n) : (v as bigint);
}

export function messageVectors(spec: Spec, file: MessagesFile): FileBuilder {
  const fb = new FileBuilder(spec, file);
  const codes = new Set<string>();
  for (const msg of file.messages) {
    messageCases(fb, spec, file, msg, !codes.has(msg.error));
    codes.add(msg.error);
  }
  return fb;
}
