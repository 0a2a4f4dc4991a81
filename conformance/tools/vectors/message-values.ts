/**
 * Control-message values for the vector generator: sampling (typical, minimal), normalization
 * (implicit-presence defaults filled in, as a decoder returns them), and a small entry-level
 * protobuf writer that builds canonical and non-canonical encodings field by field, independent
 * of the reference encoder (the self-check compares the two).
 *
 * @module
 */
import type { Message, PbField, Spec } from '../../../codegen/ir.ts';
import { findMessage, isVarintType, leb128, maxMessageSize } from '../../reference/protobuf.ts';
import { concat, type SpecObject, type SpecValue } from '../../reference/values.ts';
import type { Rng } from './common.ts';

const WORDS = ['jsp', 'h3', 'quic', 'stream', 'ok', 'idle', 'bye', 'retry', 'ticket', 'v1'];

export const U32 = 0xffff_ffffn;
export const U64 = (1n << 64n) - 1n;

export function typeMax(f: PbField): bigint {
  return f.type === 'uint64' ? U64 : f.type === 'bool' ? 1n : U32;
}

/** An ASCII string of exactly n bytes made of words. */
export function asciiText(n: number, rng: Rng): string {
  let s = '';
  while (s.length < n) s += (s ? ' ' : '') + rng.pick(WORDS);
  return s.slice(0, n);
}

export function defaultOf(f: PbField): SpecValue {
  switch (f.type) {
    case 'bool': return false;
    case 'bytes': return new Uint8Array(0);
    case 'string': return '';
    default: return 0n;
  }
}

/** Whether an implicit-presence field's default is outside its own range (then it must be set). */
export function defaultInvalid(f: PbField): boolean {
  if (f.repeated || f.optional) return false;
  if (f.type === 'bytes' || f.type === 'string') return f.minSize > 0;
  if (f.type === 'message') return false;
  return f.min > 0n;
}

/** The value as a decoder returns it: implicit fields defaulted, repeated fields [], nested normalized. */
export function normalizeMessage(spec: Spec, msg: Message, v: SpecObject): SpecObject {
  const out: SpecObject = {};
  for (const f of msg.fields) {
    const x = v[f.id];
    if (x === undefined) {
      if (f.repeated) out[f.id] = [];
      else if (!f.optional) out[f.id] = defaultOf(f);
      continue;
    }
    if (f.type === 'message') {
      const sub = findMessage(spec, f.message!).message;
      out[f.id] = f.repeated ? (x as SpecObject[]).map((e) => normalizeMessage(spec, sub, e)) : normalizeMessage(spec, sub, x as SpecObject);
    } else out[f.id] = x;
  }
  return out;
}

/** What a decoder says about a normalized value whose fields came off the wire: ok, or the final check that fails. */
export function finalCheck(msg: Message, present: Set<string>): 'ok' | 'out_of_range' | 'missing_field' {
  for (const f of msg.fields) {
    if (present.has(f.id)) continue;
    if (f.optional && f.required) return 'missing_field';
    if (defaultInvalid(f)) return 'out_of_range';
  }
  return 'ok';
}

function typicalScalar(spec: Spec, f: PbField, rng: Rng): SpecValue {
  switch (f.type) {
    case 'bool': return true;
    case 'enum': {
      const e = spec.messages.flatMap((m) => m.enums).find((x) => x.id === f.enum)!;
      const vals = e.values.map((x) => x.value).filter((x) => x !== 0n);
      return rng.pick(vals.length ? vals : [0n]);
    }
    case 'bytes': {
      const lo = Math.max(f.minSize, 1);
      return rng.bytes(f.minSize === f.maxSize ? f.minSize : rng.int(lo, Math.min(f.maxSize, lo + 7)));
    }
    case 'string': {
      const lo = Math.max(f.minSize, 1);
      return asciiText(rng.int(lo, Math.min(f.maxSize, lo + 11)), rng);
    }
    case 'message': return sampleMessage(spec, findMessage(spec, f.message!).message, 'full', rng);
    default: {
      const lo = f.min > 1n ? f.min : 1n;
      return rng.big(lo, f.max < lo + 100_000n ? f.max : lo + 100_000n);
    }
  }
}

/** The smallest valid value of a field whose default is invalid (or of a required field). */
function minimalScalar(spec: Spec, f: PbField, rng: Rng): SpecValue {
  switch (f.type) {
    case 'bytes': return rng.bytes(f.minSize);
    case 'string': return asciiText(f.minSize, rng);
    case 'message': return sampleMessage(spec, findMessage(spec, f.message!).message, 'minimal', rng);
    case 'bool': return false;
    default: return f.min;
  }
}

/** 'full': every field set (repeated with 2 elements); 'minimal': only what validity requires. */
export function sampleMessage(spec: Spec, msg: Message, mode: 'full' | 'minimal', rng: Rng): SpecObject {
  const v: SpecObject = {};
  for (const f of msg.fields) {
    if (mode === 'minimal') {
      if (defaultInvalid(f) || (f.optional && f.required)) v[f.id] = minimalScalar(spec, f, rng);
      continue;
    }
    if (f.repeated) {
      const n = Math.min(2, f.maxCount);
      const xs: SpecValue[] = [];
      for (let i = 0; i < n; i++) xs.push(typicalScalar(spec, f, rng));
      v[f.id] = xs;
    } else v[f.id] = typicalScalar(spec, f, rng);
  }
  return normalizeMessage(spec, msg, v);
}

// ───────────────────────────── entry-level writer ─────────────────────────────

/** One protobuf record: tag and body, with optional hand-made tag/length bytes. */
export interface PbEntry {
  num: number;
  wt: number;
  /** wt 0: the varint bytes; wt 2: the data (the length is added when written); wt 1/5: raw. */
  body: Uint8Array;
  /** Replaces the canonical tag bytes (e.g. non-minimal). */
  tag?: Uint8Array;
  /** Replaces the canonical length bytes of a wt 2 record. */
  len?: Uint8Array;
  /** The field and the elements/value this record contributes (for predicting prefixes). */
  field?: PbField;
  contributes?: SpecValue[];
}

export function writeEntries(entries: PbEntry[]): Uint8Array {
  return concat(entries.flatMap((e) => [
    e.tag ?? leb128((BigInt(e.num) << 3n) | BigInt(e.wt)),
    ...(e.wt === 2 ? [e.len ?? leb128(BigInt(e.body.length))] : []),
    e.body,
  ]));
}

export function scalarWire(f: PbField, v: SpecValue): Uint8Array {
  return leb128(typeof v === 'boolean' ? (v ? 1n : 0n) : (v as bigint));
}

export function lenBody(spec: Spec, f: PbField, v: SpecValue): Uint8Array {
  if (f.type === 'bytes') return v as Uint8Array;
  if (f.type === 'string') return new TextEncoder().encode(v as string);
  const sub = findMessage(spec, f.message!).message;
  return writeEntries(canonicalEntries(spec, sub, v as SpecObject));
}

/** Canonical records of a (normalized) value: number order, packed numerics, implicit defaults omitted. */
export function canonicalEntries(spec: Spec, msg: Message, v: SpecObject): PbEntry[] {
  const out: PbEntry[] = [];
  for (const f of [...msg.fields].sort((a, b) => a.number - b.number)) {
    const x = v[f.id];
    if (x === undefined) continue;
    if (f.repeated) {
      const xs = x as SpecValue[];
      if (isVarintType(f)) {
        if (xs.length) out.push({ num: f.number, wt: 2, body: concat(xs.map((e) => scalarWire(f, e))), field: f, contributes: xs });
      } else {
        for (const e of xs) out.push({ num: f.number, wt: 2, body: lenBody(spec, f, e), field: f, contributes: [e] });
      }
      continue;
    }
    if (isVarintType(f)) {
      const body = scalarWire(f, x);
      if (!f.optional && body.length === 1 && body[0] === 0) continue;
      out.push({ num: f.number, wt: 0, body, field: f, contributes: [x] });
    } else {
      const body = lenBody(spec, f, x);
      if (!f.optional && body.length === 0) continue;
      out.push({ num: f.number, wt: 2, body, field: f, contributes: [x] });
    }
  }
  return out;
}

/** The value a decoder builds from the records (repeated: appended; singular: last wins), normalized. */
export function valueOfEntries(spec: Spec, msg: Message, entries: PbEntry[]): { value: SpecObject; present: Set<string> } {
  const v: SpecObject = {};
  const present = new Set<string>();
  for (const e of entries) {
    if (!e.field || !e.contributes) continue;
    present.add(e.field.id);
    if (e.field.repeated) v[e.field.id] = [...((v[e.field.id] as SpecValue[] | undefined) ?? []), ...e.contributes];
    else v[e.field.id] = e.contributes[e.contributes.length - 1];
  }
  return { value: normalizeMessage(spec, msg, v), present };
}

export { maxMessageSize };
