/**
 * Shared machinery of the codec vector generator: a seeded PRNG, the flag notes, and the
 * file/group builders that SELF-CHECK every case before it is written:
 *
 * - valid: `decode(input)` must equal the value the generator constructed (or, for a prefix
 *   that happens to be valid, the round trip must hold); `encode(value)` must equal `canonical`
 *   (or `input`); the canonical bytes must decode to the same value; the JSON form must convert
 *   back to the same value.
 * - invalid: the generator states the error kind it expects from the way it built the input
 *   (one defect per case); the reference decoder must fail with exactly that code and kind, on
 *   the input and on a copy at a non-zero byte offset; the unmutated base input must be valid.
 *
 * A failed check stops the generator: a vector is never written from a result nobody predicted.
 *
 * @module
 */
import type { Spec, SpecFile } from '../../../codegen/ir.ts';
import { requirementsFor } from './requirements.ts';
import {
  decodeSpecValue, encodeSpecValue, fromJson, hex, specValueEquals, toJson,
  type DecodeResult, type Json, type Params, type SpecObject, type Target,
} from '../../reference/interpreter.ts';

// ───────────────────────────── PRNG ─────────────────────────────

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32, seeded from a string so that each target's cases do not shift when others change. */
export class Rng {
  private s: number;
  constructor(seed: string) {
    this.s = fnv1a(seed);
  }

  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform-ish integer in lo..hi (inclusive). */
  big(lo: bigint, hi: bigint): bigint {
    if (hi <= lo) return lo;
    const r = (BigInt(this.u32()) << 64n) | (BigInt(this.u32()) << 32n) | BigInt(this.u32());
    return lo + (r % (hi - lo + 1n));
  }

  int(lo: number, hi: number): number {
    return Number(this.big(BigInt(lo), BigInt(hi)));
  }

  bool(): boolean {
    return (this.u32() & 1) === 1;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
}

// ───────────────────────────── flags ─────────────────────────────

/** Every flag a case may carry, with the note written into each vector file that uses it. */
export const NOTES: Record<string, string> = {
  Representative: 'Typical values for every field (seeded pseudo-random, within the spec ranges).',
  CodeFlags: 'One combination of the flags carried in the low bits of the frame type (e.g. STREAM OFF/LEN/FIN).',
  VarintEdge: 'An integer at a boundary of its encoding width (QUIC varint 63/64, 16383/16384, 2^30-1/2^30; protobuf LEB128 127/128, ...) or at 2^53-1/2^53, the JSON number limit.',
  MinValue: 'An integer field at the minimum the spec allows.',
  MaxValue: 'An integer field at the maximum the spec allows.',
  AllMin: 'Every integer at its minimum, every byte string at its minimum length, repeated fields at their minimum count.',
  AllMax: 'Every integer at its maximum (other fields adjusted only as far as constraints require).',
  DerivedEdge: 'A derived field (length or count, computed by the encoder) at an edge, reached by sizing the field it measures.',
  BitField: 'A bit field of the first byte at its minimum or maximum, or a boolean bit set or clear.',
  UintWidth: 'A packet number of each width the packet number length allows, at 0 and at its largest value.',
  EmptyBytes: 'A byte string of length 0 (or of its minimum length).',
  MaxBytes: 'A byte string at its maximum length.',
  LargeBytes: 'A byte string with no spec maximum, at a representative large size (1500 bytes).',
  EmbeddedMessage: 'A protobuf control message carried inside a binary field (empty or with every field set).',
  RepeatedCount: 'A repeated field with 0, 1 or the maximum number of elements.',
  ConstraintBoundary: 'A constraint between fields holds with equality (the largest allowed value).',
  Params: 'The decoder needs context parameters, given in `params` (e.g. a short header\'s dcid_length).',
  ValidPrefix: 'A prefix of a longer valid encoding that is itself valid, because the last field runs to the end of the input or the protobuf message ends at a field boundary.',
  EmptyMessage: 'The empty input as a control message (every field absent or default).',
  MinimalMessage: 'The smallest valid message: only the fields whose default is out of range are set.',
  AllFields: 'A control message with every field set, nested messages included.',
  ExplicitPresence: 'A field with explicit presence set to its default value: it is present and is encoded.',
  EnumKnown: 'An enum field holding a value of its table.',
  EnumUnknownKept: 'An enum whose unknown values are kept (`unknown: keep`) holding a value outside its table.',
  Utf8: 'A string with multi-byte UTF-8, a leading U+FEFF (kept as data), U+0000, or at its maximum length in bytes.',
  EmptySubmessage: 'A nested message that is present but empty (encoded as a zero length).',
  NonCanonical: 'A valid but non-canonical protobuf encoding; `canonical` gives the encoding an encoder must produce.',
  FieldOrder: 'Fields in decreasing field-number order.',
  Unpacked: 'Repeated numeric fields written unpacked (one tag per element).',
  PackedSplit: 'A packed repeated field split into several packed records, or an empty packed record.',
  UnknownField: 'Fields with numbers the message does not declare (wire types 0, 1, 2, 5), which a decoder skips.',
  ExplicitDefault: 'A field without explicit presence written with its default value; an encoder omits it.',
  NonMinimalProtobufVarint: 'A protobuf varint (tag, value or length) with redundant continuation bytes, which protobuf allows.',
  LastWins: 'A singular field that occurs twice: the last occurrence wins. For a message field JSP takes the last occurrence whole (it does NOT merge, unlike protobuf).',
  MaxMessageSize: 'A control message of exactly max_message_size bytes.',
  Truncated: 'The input is cut short: every prefix of a representative valid encoding, one case per length. Usually `truncated`; a prefix can fail another check first (e.g. a `rest` payload left empty is `out_of_range`).',
  TrailingBytes: 'A complete value followed by an extra byte.',
  NonMinimalVarint: 'A QUIC varint written in more bytes than its value needs (JSP requires the shortest form).',
  NonMinimalType: 'A frame type written as a longer varint than needed.',
  UnknownType: 'A frame type no frame claims.',
  OutOfRange: 'An integer outside the range the spec allows (max + 1, min - 1, a uint32 above 2^32-1, a bool other than 0 or 1).',
  InvalidConst: 'A field with a fixed value (a fixed bit, a packet type bit, a reserved bit, a fixed version) holding another value.',
  InvalidEnum: 'An enum whose unknown values are errors holding a value outside its table.',
  LengthPastEnd: 'A length prefix that points one byte past the end of the input.',
  SizeOutOfRange: 'A byte string, string or embedded message shorter than its minimum or longer than its maximum size.',
  Constraint: 'A constraint between fields is violated by the smallest amount (e.g. first_ack_range = largest_acknowledged + 1).',
  TooMany: 'A repeated field with one element more than its maximum count (an ACK range count above max_ack_ranges is `out_of_range` on the count field).',
  TooFew: 'A repeated field with one element fewer than its minimum count.',
  ParamOutOfRange: 'A context parameter (e.g. the short header dcid_length) above the maximum of the field it sizes.',
  WireType: 'A protobuf tag with a wire type the field does not allow, a group wire type (3, 4), an undefined wire type (6, 7) or field number 0.',
  InvalidUtf8: 'A string field holding bytes that are not well-formed UTF-8 (bad continuation, lone continuation, surrogate, overlong form, above U+10FFFF, cut sequence).',
  MissingField: 'A required field is absent, or a field without explicit presence is absent and its default is outside its range (e.g. the 64-byte `cookie` of a HelloRetryRequest).',
  VarintOverflow: 'A protobuf varint above 2^64-1 or longer than 10 bytes.',
  MessageTooLarge: 'A control message longer than max_message_size bytes.',
  NestedMessage: 'The defect sits in a nested message; the error carries the nested message\'s code, or the enclosing binary file\'s code when the message is embedded in a frame.',
};

// ───────────────────────────── builders ─────────────────────────────

export interface CaseJson {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid';
  input: string;
  canonical?: string;
  params?: { [k: string]: Json };
  value?: Json;
  error?: string;
  errorKind?: string;
  /** Requirement ids the case exercises (requirements.ts derives them). */
  reqs?: string[];
}

export class VectorError extends Error {
  override name = 'VectorError';
}

function shiftedDecode(spec: Spec, t: Target, input: Uint8Array, params?: Params): DecodeResult {
  const buf = new Uint8Array(input.length + 7).fill(0xa5);
  buf.set(input, 5);
  return decodeSpecValue(spec, t, buf.subarray(5, 5 + input.length), params);
}

function paramsJson(p: Params | undefined): { [k: string]: Json } | undefined {
  if (!p || Object.keys(p).length === 0) return undefined;
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Number(v)]));
}

function describe(r: DecodeResult): string {
  return r.ok ? `ok ${JSON.stringify(toJson(r.value)).slice(0, 300)}` : `${r.error}/${r.errorKind} (${r.detail})`;
}

const withReqs = (reqs: string[]) => (reqs.length ? { reqs } : {});

export interface ValidCase {
  comment: string;
  flags: string[];
  input: Uint8Array;
  value: SpecObject;
  canonical?: Uint8Array;
  params?: Params;
}

export interface InvalidCase {
  comment: string;
  flags: string[];
  input: Uint8Array;
  kind: string;
  code: string;
  params?: Params;
  /** The valid input this one was derived from, if any (it must decode). */
  base?: Uint8Array;
}

export class GroupBuilder {
  readonly tests: CaseJson[] = [];
  constructor(readonly file: FileBuilder, readonly kind: Target['kind'], readonly t: Target) {}

  private key(input: Uint8Array, params?: Params): string {
    return `${this.t.kind}:${this.t.id}:${hex(input)}:${JSON.stringify(paramsJson(params) ?? {})}`;
  }

  private flagsOk(flags: string[]): void {
    for (const f of flags) if (!(f in NOTES)) throw new VectorError(`unknown flag '${f}'`);
    for (const f of flags) this.file.usedFlags.add(f);
  }

  /** Adds a valid case after checking it; returns false for a duplicate input. */
  valid(c: ValidCase): boolean {
    const spec = this.file.spec;
    const k = this.key(c.input, c.params);
    if (this.file.seen.has(k)) return false;
    const fail = (why: string) => { throw new VectorError(`${this.t.id}: valid case '${c.comment}': ${why}`); };
    const r = decodeSpecValue(spec, this.t, c.input, c.params);
    if (!r.ok || !specValueEquals(r.value, c.value)) {
      fail(`decode gave ${describe(r)}, expected ${JSON.stringify(toJson(c.value)).slice(0, 300)}`);
    }
    const s = shiftedDecode(spec, this.t, c.input, c.params);
    if (!s.ok || !specValueEquals(s.value, c.value)) fail(`decode at an offset gave ${describe(s)}`);
    const enc = encodeSpecValue(spec, this.t, c.value, c.params);
    const want = c.canonical ?? c.input;
    if (hex(enc) !== hex(want)) fail(`encode gave ${hex(enc).slice(0, 200)}, expected ${hex(want).slice(0, 200)}`);
    if (c.canonical) {
      const rc = decodeSpecValue(spec, this.t, c.canonical, c.params);
      if (!rc.ok || !specValueEquals(rc.value, c.value)) fail(`canonical decodes to ${describe(rc)}`);
    }
    const json = toJson(c.value);
    if (!specValueEquals(fromJson(spec, this.t, json), c.value)) fail('JSON form does not convert back');
    this.flagsOk(c.flags);
    this.file.seen.add(k);
    this.tests.push({
      tcId: 0, comment: c.comment, flags: c.flags, result: 'valid', input: hex(c.input),
      ...(c.canonical ? { canonical: hex(c.canonical) } : {}),
      ...(paramsJson(c.params) ? { params: paramsJson(c.params) } : {}),
      value: json,
      ...withReqs(requirementsFor(spec, { result: 'valid', flags: c.flags, owner: typeof c.value.type === 'string' ? c.value.type : this.t.id })),
    });
    return true;
  }

  /** Adds an invalid case after checking the decoder fails exactly as predicted. */
  invalid(c: InvalidCase): boolean {
    const spec = this.file.spec;
    const k = this.key(c.input, c.params);
    if (this.file.seen.has(k)) return false;
    const fail = (why: string) => { throw new VectorError(`${this.t.id}: invalid case '${c.comment}' (${hex(c.input).slice(0, 120)}): ${why}`); };
    const r = decodeSpecValue(spec, this.t, c.input, c.params);
    if (r.ok || r.error !== c.code || r.errorKind !== c.kind) fail(`decode gave ${describe(r)}, expected ${c.code}/${c.kind}`);
    const s = shiftedDecode(spec, this.t, c.input, c.params);
    if (s.ok || s.error !== c.code || s.errorKind !== c.kind) fail(`decode at an offset gave ${describe(s)}`);
    if (c.base) {
      const b = decodeSpecValue(spec, this.t, c.base, c.params);
      if (!b.ok) fail(`its base input does not decode: ${describe(b)}`);
    }
    this.flagsOk(c.flags);
    this.file.seen.add(k);
    this.tests.push({
      tcId: 0, comment: c.comment, flags: c.flags, result: 'invalid', input: hex(c.input),
      ...(paramsJson(c.params) ? { params: paramsJson(c.params) } : {}),
      error: c.code, errorKind: c.kind,
      ...withReqs(requirementsFor(spec, { result: 'invalid', flags: c.flags, errorKind: c.kind, detail: r.ok ? undefined : r.detail })),
    });
    return true;
  }
}

export class FileBuilder {
  readonly groups: GroupBuilder[] = [];
  readonly seen = new Set<string>();
  readonly usedFlags = new Set<string>();
  constructor(readonly spec: Spec, readonly specFile: SpecFile) {}

  group(t: Target): GroupBuilder {
    const g = new GroupBuilder(this, t.kind, t);
    this.groups.push(g);
    return g;
  }

  /** The vector file, with tcIds numbered in order. */
  toJson(): Json {
    let id = 0;
    const groups = this.groups.filter((g) => g.tests.length > 0).map((g) => ({
      kind: g.kind,
      target: g.t.id,
      tests: g.tests.map((t) => ({ ...t, tcId: ++id })),
    }));
    const notes = Object.fromEntries([...this.usedFlags].sort().map((f) => [f, NOTES[f]]));
    return {
      schema: 'codec_vectors_v1',
      specFile: this.specFile.path,
      specSha256: this.specFile.sha256,
      numberOfTests: id,
      notes,
      testGroups: groups,
    } as unknown as Json;
  }
}

/** Replaces `bytes[start..end)` with `repl`. */
export function splice(bytes: Uint8Array, start: number, end: number, repl: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - (end - start) + repl.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(repl, start);
  out.set(bytes.subarray(end), start + repl.length);
  return out;
}

/** Strips element indices from a field path: `ack.ack_ranges[3].gap` → `ack.ack_ranges[].gap`. */
export function pathPattern(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}
