/**
 * Vector cases for binary layouts (frames, packets), derived generically from the IR: nothing
 * here names a frame or a field. For each union member and each struct the generator builds
 * valid values (typical, per-field edges, all-min/all-max, every code-flag combination, byte and
 * count extremes, constraint boundaries) and invalid inputs with exactly one defect each
 * (truncation at every byte, trailing bytes, non-minimal varints, out-of-range and fixed-value
 * violations, lengths past the end, sizes out of range, constraint violations, too many
 * elements, defective embedded messages, bad parameters).
 *
 * @module
 */
import type { Field, IntType, Spec, Struct, WireFile } from '../../../codegen/ir.ts';
import {
  EncodeFailure, decodeSpecValue, encodeSpecValueTraced, type Params, type SpecObject, type TraceEntry,
} from '../../reference/interpreter.ts';
import { findMessage } from '../../reference/protobuf.ts';
import { bigToBe, concat } from '../../reference/values.ts';
import { evalOnValue, quicVarint, structOf, varintWidth, writeIntType } from '../../reference/wire.ts';
import { FileBuilder, Rng, splice, pathPattern, VectorError, type GroupBuilder } from './common.ts';
import { messageDefects } from './message-cases.ts';
import { normalizeMessage, sampleMessage, writeEntries } from './message-values.ts';
import {
  BREAK_AT, FIXED_MAX, HOLD_AT, LEN_CAP, adjust, difference, effectiveMaxSize, isOpenEnded, paramsFor, presentCount, repair, sampleStruct,
  withType, type Subject,
} from './wire-values.ts';

const EDGE_POINTS = [0n, 63n, 64n, 16383n, 16384n, (1n << 30n) - 1n, 1n << 30n, (1n << 53n) - 1n, 1n << 53n, (1n << 62n) - 1n];
const BIG_CAP = 65535;
const LARGE = 1500;

function intEdges(type: IntType, min: bigint, max: bigint): bigint[] {
  const pts = type === 'varint' ? EDGE_POINTS : [];
  return [...new Set([min, ...pts.filter((p) => p > min && p < max), max])];
}

function fieldExpr(id: string) {
  return { text: id, terms: [{ sign: 1 as const, atom: { kind: 'field' as const, id } }] };
}

function typeCode(st: Struct, v: SpecObject): bigint {
  let code = st.code ?? 0n;
  for (const fl of st.flags) if (fl.presenceOf ? v[fl.presenceOf] !== undefined : v[fl.id] === true) code |= 1n << BigInt(fl.bit);
  return code;
}

function label(s: Subject, v: SpecObject): string {
  if (!s.member) return s.st.id;
  const on = s.st.flags.map((fl) => ((fl.presenceOf ? v[fl.presenceOf] !== undefined : v[fl.id] === true) ? fl.id : `!${fl.id}`));
  return `${s.st.id} (type 0x${typeCode(s.st, v).toString(16).padStart(2, '0')}${on.length ? `: ${on.join(', ')}` : ''})`;
}

class WireCases {
  readonly g: GroupBuilder;
  readonly code: string;
  readonly skipped: string[] = [];
  constructor(readonly s: Subject, fb: FileBuilder) {
    this.g = fb.group(s.target);
    this.code = s.file.error;
  }

  enc(v: SpecObject, check = true): { bytes: Uint8Array; trace: TraceEntry[]; params?: Params } {
    const params = paramsFor(this.s, v);
    return { ...encodeSpecValueTraced(this.s.spec, this.s.target, withType(this.s, v), { check, params }), params };
  }

  valid(v: SpecObject | undefined, what: string, flags: string[]): void {
    if (!v) {
      this.skipped.push(what);
      return;
    }
    const { bytes, params } = this.enc(v);
    this.g.valid({ comment: `${label(this.s, v)}: ${what}`, flags: params ? [...flags, 'Params'] : flags, input: bytes, value: withType(this.s, v), params });
  }

  /** An invalid input from a value the checked encoder refuses (written unchecked). */
  invalidValue(v: SpecObject | undefined, what: string, flags: string[], kind: string, code = this.code): void {
    if (!v) {
      this.skipped.push(what);
      return;
    }
    let e;
    try {
      e = this.enc(v, false);
    } catch (err) {
      if (err instanceof EncodeFailure) {
        this.skipped.push(`${what} (${err.message})`);
        return;
      }
      throw err;
    }
    this.g.invalid({ comment: `${label(this.s, v)}: ${what}`, flags, input: e.bytes, kind, code, params: e.params });
  }
}

/** All cases of one union member or struct. */
function subjectCases(fb: FileBuilder, s: Subject): string[] {
  const c = new WireCases(s, fb);
  const { st } = s;

  // ── shapes: every combination of the code flags ──
  const shapes: Array<{ flags: Map<string, boolean>; v: SpecObject }> = [];
  for (let mask = 0; mask < 1 << st.flags.length; mask++) {
    const flags = new Map(st.flags.map((fl, i) => [fl.id, ((mask >> i) & 1) === 1]));
    const v = repair(s, sampleStruct(s, st, flags, 'typical'), new Set());
    if (v) shapes.push({ flags, v });
  }
  shapes.sort((a, b) => Number(typeCode(st, a.v) - typeCode(st, b.v)));
  for (const sh of shapes) c.valid(sh.v, 'typical values', [st.flags.length ? 'CodeFlags' : 'Representative']);
  const ranked = [...shapes].sort((a, b) => Number(isOpenEnded(s, st, a.v)) - Number(isOpenEnded(s, st, b.v)) || presentCount(st, b.v) - presentCount(st, a.v));
  const { flags: shape, v: base } = ranked[0];
  const baseEnc = c.enc(base);
  const open = isOpenEnded(s, st, base);

  // ── integer edges ──
  for (const f of st.fields) {
    if (f.if && base[f.id] === undefined) continue;
    if (f.kind === 'int' && !f.repeat && f.const === undefined) {
      for (const e of intEdges(f.type, f.min, f.max)) {
        const flags = [...(EDGE_POINTS.includes(e) && f.type === 'varint' ? ['VarintEdge'] : []), ...(e === f.min ? ['MinValue'] : []), ...(e === f.max ? ['MaxValue'] : [])];
        const what = `${f.id} = ${e}${f.type === 'varint' ? ` (${varintWidth(e)}-byte varint)` : ''}${e === f.max ? ', its maximum' : e === f.min ? ', its minimum' : ''}`;
        if (f.value) {
          const ids = new Set(f.value.terms.map((t) => (t.atom as { id?: string }).id ?? ''));
          let v = adjust(s, base, f.value, e, new Set(), e === f.max ? BIG_CAP : LEN_CAP);
          v = v && repair(s, v, ids, BIG_CAP);
          if (v && evalOnValue(s.spec, s.file, st, v, f.value) === e) c.valid(v, `derived ${what}`, ['DerivedEdge', ...flags]);
          else c.skipped.push(`derived ${what}`);
        } else {
          c.valid(repair(s, { ...base, [f.id]: e }, new Set([f.id])), what, flags.length ? flags : ['VarintEdge']);
        }
      }
    }
    if (f.kind === 'uint') {
      for (let w = 1n; w <= 8n; w++) {
        const v = adjust(s, base, f.width, w, new Set([f.id]));
        if (!v || evalOnValue(s.spec, s.file, st, v, f.width) !== w) continue;
        const top = (1n << (8n * w)) - 1n;
        for (const x of [f.min, top < f.max ? top : f.max]) c.valid({ ...v, [f.id]: x }, `${f.id} = ${x} in ${w} byte(s)`, ['UintWidth']);
      }
    }
    if (f.kind === 'bits') {
      for (const b of f.bits) {
        if (b.const !== undefined) continue;
        if (b.bool) {
          for (const x of [false, true]) c.valid({ ...base, [b.id]: x }, `${b.id} = ${x}`, ['BitField']);
        } else {
          for (const x of [0n, b.max]) c.valid(adjust(s, base, fieldExpr(b.id), x, new Set()), `${b.id} = ${x}`, ['BitField']);
        }
      }
    }
  }

  // ── all minimum / all maximum ──
  c.valid(repair(s, sampleStruct(s, st, shape, 'min'), new Set()), 'every field at its minimum', ['AllMin']);
  const maxV = sampleStruct(s, st, shape, 'max');
  const intIds = new Set(Object.keys(maxV).filter((k) => typeof maxV[k] === 'bigint'));
  c.valid(repair(s, maxV, intIds) ?? repair(s, maxV, new Set()), 'every integer at its maximum', ['AllMax']);

  // ── byte strings, embedded messages, repeated fields ──
  for (const f of st.fields) {
    if (base[f.id] === undefined) continue;
    if (f.kind === 'bytes' && f.size.kind !== 'fixed') {
      c.valid(repair(s, { ...base, [f.id]: s.rng.bytes(f.minSize) }, new Set([f.id])), `${f.id} of ${f.minSize} bytes (its minimum)`, ['EmptyBytes']);
      const eff = effectiveMaxSize(st, f.id);
      const n = Number.isFinite(f.maxSize) ? Math.min(f.maxSize, BIG_CAP) : Math.min(eff, LARGE);
      const flag = n === eff || n === f.maxSize ? 'MaxBytes' : 'LargeBytes';
      c.valid(repair(s, { ...base, [f.id]: s.rng.bytes(n) }, new Set([f.id]), BIG_CAP), `${f.id} of ${n} bytes${flag === 'MaxBytes' ? ' (its maximum)' : ''}`, [flag]);
    }
    if (f.kind === 'message') {
      const msg = findMessage(s.spec, f.message).message;
      c.valid({ ...base, [f.id]: normalizeMessage(s.spec, msg, {}) }, `${f.id} is an empty ${f.message}`, ['EmbeddedMessage']);
      c.valid({ ...base, [f.id]: sampleMessage(s.spec, msg, 'full', s.rng) }, `${f.id} is a ${f.message} with every field set`, ['EmbeddedMessage']);
    }
    if ((f.kind === 'struct' || f.kind === 'int') && f.repeat) {
      const max = f.maxCount ?? Infinity;
      const counts = [...new Set([f.minCount ?? 0, 1, ...(max <= 1024 ? [max] : [])])].filter((n) => n >= (f.minCount ?? 0) && n <= max);
      for (const n of counts) {
        const elems = Array.from({ length: n }, () => (f.kind === 'struct' ? sampleStruct(s, structOf(s.file, f.struct), new Map(), 'typical') : s.rng.big(f.min, f.max)));
        c.valid(repair(s, { ...base, [f.id]: elems }, new Set()), `${f.id} with ${n} element(s)`, ['RepeatedCount']);
      }
    }
  }
  for (const k of st.constraints) {
    c.valid(adjust(s, base, difference(k), HOLD_AT[k.op], new Set()), `'${k.text}' holds with equality`, ['ConstraintBoundary']);
  }

  // ── invalid: truncation at every byte ──
  const n = baseEnc.bytes.length;
  for (let k = 0; k < n; k++) {
    const input = baseEnc.bytes.subarray(0, k);
    const r = decodeSpecValue(s.spec, s.target, input, baseEnc.params);
    const what = `${label(s, base)}: the first ${k} of ${n} bytes of a valid encoding`;
    if (r.ok || r.errorKind !== 'truncated') {
      if (!open) throw new VectorError(`${st.id}: prefix ${k} of a closed layout gave ${r.ok ? 'a value' : r.errorKind}`);
      if (r.ok) c.g.valid({ comment: `${what} (still valid: the last field runs to the end)`, flags: ['ValidPrefix'], input, value: r.value, params: baseEnc.params });
      else c.g.invalid({ comment: `${what} (${r.detail.replace(/ \[.*\]$/, '').replace(/, at offset \d+\)$/, ')')})`, flags: ['Truncated'], input, kind: r.errorKind, code: r.error, params: baseEnc.params, base: baseEnc.bytes });
      continue;
    }
    c.g.invalid({ comment: what, flags: ['Truncated'], input, kind: 'truncated', code: c.code, params: baseEnc.params, base: baseEnc.bytes });
  }

  // ── invalid: trailing bytes ──
  const closed = shapes.find((sh) => !isOpenEnded(s, st, sh.v));
  if (closed) {
    const e = c.enc(closed.v);
    c.g.invalid({ comment: `${label(s, closed.v)}: a valid encoding followed by one 0x00 byte`, flags: ['TrailingBytes'], input: concat([e.bytes, Uint8Array.of(0)]), kind: 'trailing_bytes', code: c.code, params: e.params, base: e.bytes });
  }

  // ── invalid: one field changed in place (trace splicing) ──
  const bad = (entry: TraceEntry, repl: Uint8Array, what: string, flags: string[], kind: string) => {
    c.g.invalid({ comment: `${label(s, base)}: ${what}`, flags, input: splice(baseEnc.bytes, entry.start, entry.end, repl), kind, code: c.code, params: baseEnc.params, base: baseEnc.bytes });
  };
  const done = new Set<string>();
  for (const e of baseEnc.trace) {
    const pat = pathPattern(e.path);
    if (done.has(pat)) continue;
    done.add(pat);
    if (e.type === 'varint' && e.value !== undefined) {
      const w = e.end - e.start;
      const widths = e.role === 'tag' ? [2, 4, 8].filter((x) => x > w) : [...new Set([w * 2, 8])].filter((x) => x > w && x <= 8);
      for (const x of widths) {
        bad(e, quicVarint(e.value, x), `${e.path} = ${e.value} as a ${x}-byte varint (shortest is ${w})`, [e.role === 'tag' ? 'NonMinimalType' : 'NonMinimalVarint'], 'non_minimal');
      }
    }
    const f = e.field as Field | undefined;
    if (e.role === 'const' && f?.kind === 'int' && f.const! < FIXED_MAX[f.type]) {
      bad(e, writeIntType(f.type, f.const! + 1n, e.path), `${e.path} = ${f.const! + 1n} (must be ${f.const})`, ['InvalidConst'], 'invalid_const');
    }
    if ((e.role === 'value' || e.role === 'derived') && f?.kind === 'int') {
      if (f.max < FIXED_MAX[f.type]) bad(e, writeIntType(f.type, f.max + 1n, e.path), `${e.path} = ${f.max + 1n}, one above its maximum`, ['OutOfRange'], 'out_of_range');
      if (f.min > 0n) bad(e, writeIntType(f.type, f.min - 1n, e.path), `${e.path} = ${f.min - 1n}, one below its minimum`, ['OutOfRange'], 'out_of_range');
      const en = f.enum ? s.file.enums.find((x) => x.id === f.enum) : undefined;
      if (en?.unknown === 'error') {
        let x = f.min;
        while (en.values.some((y) => y.value === x)) x++;
        if (x <= f.max) bad(e, writeIntType(f.type, x, e.path), `${e.path} = ${x}, not a ${en.id}`, ['InvalidEnum'], 'invalid_enum');
      }
    }
    if (e.role === 'uint' && f?.kind === 'uint' && f.max < (1n << BigInt(8 * (e.end - e.start))) - 1n) {
      bad(e, bigToBe(f.max + 1n, e.end - e.start, e.path), `${e.path} = ${f.max + 1n}, one above its maximum`, ['OutOfRange'], 'out_of_range');
    }
    if (e.role === 'bits' && f?.kind === 'bits') {
      let shift = 8;
      const byte = Number(e.value);
      for (const b of f.bits) {
        shift -= b.width;
        const cur = (byte >> shift) & ((1 << b.width) - 1);
        const put = (x: number) => Uint8Array.of((byte & ~(((1 << b.width) - 1) << shift)) | (x << shift));
        if (b.const !== undefined) {
          for (let i = 0; i < b.width; i++) bad(e, put(cur ^ (1 << i)), `${st.id}.${b.id} = ${cur ^ (1 << i)} (must be ${b.const})`, ['InvalidConst'], 'invalid_const');
        } else if (b.max < BigInt((1 << b.width) - 1)) {
          bad(e, put(Number(b.max) + 1), `${st.id}.${b.id} = ${b.max + 1n}, one above its maximum`, ['OutOfRange'], 'out_of_range');
        }
      }
    }
    if (e.role === 'prefix' && f && (f.kind === 'bytes' || f.kind === 'message') && e.type) {
      const len = BigInt(n - e.end + 1);
      if (len <= BigInt(Math.min(f.maxSize, Number.MAX_SAFE_INTEGER)) && len <= FIXED_MAX[e.type]) {
        bad(e, writeIntType(e.type, len, e.path), `${e.path} = ${len}, one byte past the end of the input`, ['LengthPastEnd'], 'truncated');
      }
    }
  }

  // ── invalid: sizes, constraints, counts, embedded messages, parameters ──
  for (const f of st.fields) {
    if (base[f.id] === undefined) continue;
    if (f.kind === 'bytes' && f.size.kind !== 'fixed') {
      if (f.minSize > 0) c.invalidValue({ ...base, [f.id]: s.rng.bytes(f.minSize - 1) }, `${f.id} of ${f.minSize - 1} bytes, below its minimum ${f.minSize}`, ['SizeOutOfRange'], 'out_of_range');
      if (Number.isFinite(f.maxSize) && f.maxSize < BIG_CAP + 1) {
        c.invalidValue({ ...base, [f.id]: s.rng.bytes(f.maxSize + 1) }, `${f.id} of ${f.maxSize + 1} bytes, above its maximum ${f.maxSize}`, ['SizeOutOfRange'], 'out_of_range');
      }
    }
    if (f.kind === 'message') {
      const msg = findMessage(s.spec, f.message).message;
      if (Number.isFinite(f.maxSize)) {
        const pad = f.maxSize + 1 - 1 - (f.maxSize + 1 > 129 ? 2 : 1);
        const raw = writeEntries([{ num: 15, wt: 2, body: new Uint8Array(pad) }]);
        if (raw.length === f.maxSize + 1) c.invalidValue({ ...base, [f.id]: raw }, `${f.id} of ${f.maxSize + 1} bytes (an unknown field as padding), above its maximum ${f.maxSize}`, ['SizeOutOfRange'], 'out_of_range');
      }
      for (const d of messageDefects(s.spec, msg)) {
        c.invalidValue({ ...base, [f.id]: d.body }, `${f.id} is a ${f.message} with ${d.comment}`, ['NestedMessage', ...d.flags], d.kind);
      }
    }
    if ((f.kind === 'struct' || f.kind === 'int') && f.repeat) {
      const max = f.maxCount ?? Infinity;
      const elem = () => (f.kind === 'struct' ? sampleStruct(s, structOf(s.file, f.struct), new Map(), 'typical') : s.rng.big(f.min, f.max));
      if (max <= 1024) {
        let kind = 'too_many';
        const t = f.repeat.kind === 'count' && f.repeat.count.terms.length === 1 ? f.repeat.count.terms[0].atom : undefined;
        const counter = t?.kind === 'field' ? st.fields.find((x) => x.id === t.id) : undefined;
        if (counter?.kind === 'int' && counter.max < BigInt(max + 1)) kind = 'out_of_range';
        c.invalidValue({ ...base, [f.id]: Array.from({ length: max + 1 }, elem) }, `${f.id} with ${max + 1} elements, one more than its maximum ${max}${kind === 'out_of_range' ? ` (the count field's maximum is ${counter && 'max' in counter ? counter.max : '?'})` : ''}`, ['TooMany'], kind);
      }
      if ((f.minCount ?? 0) > 0) c.invalidValue({ ...base, [f.id]: Array.from({ length: f.minCount! - 1 }, elem) }, `${f.id} with ${f.minCount! - 1} elements, fewer than its minimum ${f.minCount}`, ['TooFew'], 'out_of_range');
    }
  }
  for (const k of st.constraints) {
    c.invalidValue(adjust(s, base, difference(k), BREAK_AT[k.op], new Set()), `'${k.text}' violated by one`, ['Constraint'], 'constraint');
  }
  for (const p of st.params) {
    const f = st.fields.find((x) => x.kind === 'bytes' && x.size.kind === 'expr' && x.size.expr.text === p.id);
    if (f?.kind === 'bytes' && Number.isFinite(f.maxSize)) {
      c.g.invalid({ comment: `${st.id}: parameter ${p.id} = ${f.maxSize + 1}, above the maximum size of ${f.id}`, flags: ['ParamOutOfRange'], input: baseEnc.bytes, kind: 'out_of_range', code: c.code, params: { ...baseEnc.params, [p.id]: f.maxSize + 1 } });
    }
  }
  return c.skipped.map((x) => `${st.id}: ${x}`);
}

/** Frame types no member claims. */
function unionCases(fb: FileBuilder, spec: Spec, file: WireFile): void {
  const u = file.union!;
  const g = fb.group({ kind: 'union', file: file.id, id: u.id });
  const claimed = new Set<bigint>();
  for (const id of u.members) {
    const st = structOf(file, id);
    const mask = st.flags.reduce((a, fl) => a | (1n << BigInt(fl.bit)), 0n);
    for (let sub = 0n; sub <= mask; sub++) if ((sub & mask) === sub) claimed.add(st.code! | sub);
  }
  const codes = [...Array(64).keys()].map(BigInt).filter((x) => !claimed.has(x));
  for (const x of [...codes, 0x40n, 0x3fffn, 0x4000n, 1n << 30n, (1n << 62n) - 1n]) {
    if (claimed.has(x)) continue;
    g.invalid({ comment: `unknown ${u.id} type 0x${x.toString(16)} (${varintWidth(x)}-byte varint)`, flags: ['UnknownType'], input: quicVarint(x), kind: 'unknown_type', code: file.error });
  }
}

/** Every vector of one wire file; returns what could not be built, for the generator's log. */
export function wireVectors(spec: Spec, file: WireFile): { fb: FileBuilder; skipped: string[] } {
  const fb = new FileBuilder(spec, file);
  const skipped: string[] = [];
  const subject = (st: Struct, member: boolean): Subject => ({
    spec, file, st, member, rng: new Rng(`${file.id}/${st.id}`),
    target: member ? { kind: 'union', file: file.id, id: file.union!.id } : { kind: 'struct', file: file.id, id: st.id },
  });
  if (file.union) for (const id of file.union.members) skipped.push(...subjectCases(fb, subject(structOf(file, id), true)));
  if (file.union) unionCases(fb, spec, file);
  for (const st of file.structs) if (st.code === undefined) skipped.push(...subjectCases(fb, subject(st, false)));
  return { fb, skipped };
}

