/**
 * fast-check arbitraries for every union member, struct, packet and message, derived from the IR:
 * they produce VALID spec values (see conformance/values.ts for the form).
 *
 * - integers within min..max (const and derived fields are not part of values), enum members (plus
 *   any value in range where the enum keeps unknown values), biased to varint and protobuf varint
 *   width edges;
 * - bytes within their size bounds, capped at {@link BYTES_CAP} for speed; repeated fields within
 *   their counts, capped at {@link COUNT_CAP} (but the exact maximum is tried when it is small);
 * - presence: optional fields behind a presence flag are present at random; fields behind a value
 *   flag follow that flag;
 * - then repair (a `uint` is reduced to its width, `x <= expr` clamps x) and filter: every derived
 *   field within its range, every size expression consistent, every constraint true, every
 *   embedded message within its size limit.
 *
 * @module
 */
import fc from 'fast-check';
import type * as ir from '../codegen/ir.ts';
import { SPEC, allTargets, messageOf, structOf, wireFile, type SpecValue, type Target } from './values.ts';

/** Largest byte string generated, unless the spec bound is smaller. */
export const BYTES_CAP = 300;
/** Most elements generated for a repeated field, unless the spec bound is smaller. */
export const COUNT_CAP = 12;
/** The exact maximum count is also tried when it is at most this. */
const EXACT_COUNT_MAX = 64;
const MAX_DEPTH = 4;

type Obj = Record<string, unknown>;

// ───────────────────────────── integers ─────────────────────────────

/** Width edges of QUIC varints (2^6, 2^14, 2^30, 2^62), protobuf varints (2^7k), and fixed widths. */
const EDGE_BITS = [6, 7, 8, 14, 16, 21, 28, 30, 32, 35, 42, 49, 53, 56, 62, 63, 64];

export function intArbitrary(min: bigint, max: bigint): fc.Arbitrary<bigint> {
  if (min > max) throw new Error(`empty integer range ${min}..${max}`);
  const edges = new Set<bigint>([min, max, min + 1n, max - 1n]);
  for (const b of EDGE_BITS) for (const d of [-1n, 0n]) edges.add((1n << BigInt(b)) + d);
  const inRange = [...edges].filter((e) => e >= min && e <= max).sort((a, b) => (a < b ? -1 : 1));
  const small = max - min > 300n ? min + 300n : max;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...inRange) },
    { weight: 3, arbitrary: fc.bigInt({ min, max }) },
    { weight: 1, arbitrary: fc.bigInt({ min, max: small }) },
  );
}

function enumArbitrary(e: ir.EnumDef, min: bigint, max: bigint): fc.Arbitrary<bigint> {
  const known = e.values.map((v) => v.value).filter((v) => v >= min && v <= max);
  if (e.unknown === 'error' || min > max) {
    if (!known.length) throw new Error(`enum '${e.id}' has no value in ${min}..${max}`);
    return fc.constantFrom(...known);
  }
  return known.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: intArbitrary(min, max) }) : intArbitrary(min, max);
}

// ───────────────────────────── bytes, strings, arrays ─────────────────────────────

function bytesArbitrary(minSize: number, maxSize: number): fc.Arbitrary<Uint8Array> {
  const hi = Math.min(maxSize, Math.max(BYTES_CAP, minSize));
  if (minSize > hi) throw new Error(`empty size range ${minSize}..${maxSize}`);
  return fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ minLength: minSize, maxLength: hi }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: hi, maxLength: hi }) },
  );
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/** A Unicode scalar value (no surrogates), biased to UTF-8 width edges and oddities (NUL, BOM, U+FFFF). */
const codePoint = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xffff, 0x10000, 0x10ffff) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff) },
);

/** Well-formed strings (no lone surrogates: protobufjs writes those differently) of minSize..maxSize UTF-8 bytes. */
function stringArbitrary(minSize: number, maxSize: number): fc.Arbitrary<string> {
  const hi = Math.min(maxSize, Math.max(BYTES_CAP, minSize));
  return fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: minSize, maxLength: hi }),
    fc.array(codePoint, { minLength: Math.ceil(minSize / 4), maxLength: Math.max(Math.ceil(minSize / 4), Math.floor(hi / 4)) })
      .map((cps) => String.fromCodePoint(...cps)),
  ).filter((s) => utf8Length(s) >= minSize && utf8Length(s) <= maxSize);
}

function arrayArbitrary<T>(elem: fc.Arbitrary<T>, minCount: number, maxCount: number): fc.Arbitrary<T[]> {
  const hi = Math.min(maxCount, Math.max(COUNT_CAP, minCount));
  const arbs: Array<fc.WeightedArbitrary<T[]>> = [{ weight: 6, arbitrary: fc.array(elem, { minLength: minCount, maxLength: hi }) }];
  if (maxCount > hi && maxCount <= EXACT_COUNT_MAX) arbs.push({ weight: 1, arbitrary: fc.array(elem, { minLength: maxCount, maxLength: maxCount }) });
  return fc.oneof(...arbs);
}

// ───────────────────────────── expressions over spec values ─────────────────────────────

/** Evaluates an expression against a struct's spec value. Absent optional fields count as 0. */
export function evalExpr(s: ir.Struct, v: Obj, params: Record<string, bigint>, e: ir.Expr): bigint {
  let acc = 0n;
  for (const { sign, atom } of e.terms) acc += BigInt(sign) * evalAtom(s, v, params, atom);
  return acc;
}

function evalAtom(s: ir.Struct, v: Obj, params: Record<string, bigint>, a: ir.Atom): bigint {
  switch (a.kind) {
    case 'int': case 'const': return a.value;
    case 'param': {
      if (params[a.id] === undefined) throw new Error(`${s.id}: param '${a.id}' unknown`);
      return params[a.id];
    }
    case 'len': {
      const x = v[a.id];
      if (x === undefined) return 0n;
      if (!(x instanceof Uint8Array)) throw new Error(`${s.id}: len(${a.id}) of a non-bytes field`);
      return BigInt(x.length);
    }
    case 'count': return BigInt((v[a.id] as unknown[] | undefined)?.length ?? 0);
    case 'rest': throw new Error(`${s.id}: 'rest' cannot be evaluated on a value`);
    case 'field': {
      const flag = s.flags.find((f) => f.id === a.id);
      if (flag) return (flag.presenceOf ? v[flag.presenceOf] !== undefined : v[a.id] === true) ? 1n : 0n;
      for (const f of s.fields) {
        if (f.kind === 'bits') {
          const b = f.bits.find((x) => x.id === a.id);
          if (b) return b.const ?? toInt(v[a.id]);
        } else if (f.id === a.id) {
          if (f.kind === 'int' && f.const !== undefined) return f.const;
          if (f.kind === 'int' && f.value) return evalExpr(s, v, params, f.value);
          return toInt(v[a.id]);
        }
      }
      throw new Error(`${s.id}: unknown field '${a.id}'`);
    }
  }
}

const toInt = (x: unknown): bigint => (x === undefined || x === false ? 0n : x === true ? 1n : BigInt(x as bigint));

function compare(l: bigint, op: ir.CompareOp, r: bigint): boolean {
  switch (op) {
    case '==': return l === r;
    case '!=': return l !== r;
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    case '>=': return l >= r;
  }
}

/** Params a struct value implies (a param that is alone the size of a bytes field). */
function impliedParams(s: ir.Struct, v: Obj): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const f of s.fields) {
    if (f.kind === 'bytes' && f.size.kind === 'expr' && f.size.expr.terms.length === 1 && f.size.expr.terms[0].atom.kind === 'param') {
      out[f.size.expr.terms[0].atom.id] = BigInt((v[f.id] as Uint8Array).length);
    }
  }
  return out;
}

/**
 * Why a struct's spec value is invalid (undefined when valid), beyond what the field arbitraries
 * already guarantee: derived fields in range, sizes consistent, constraints, embedded messages.
 */
export function structViolation(s: ir.Struct, v: Obj): string | undefined {
  const params = impliedParams(s, v);
  for (const f of s.fields) {
    if (f.if && !present(s, f, v)) continue;
    if (f.kind === 'int' && f.value) {
      const x = evalExpr(s, v, params, f.value);
      if (x < f.min || x > f.max) return `${f.id} = ${f.value.text} = ${x} not in ${f.min}..${f.max}`;
      if (f.type === 'varint' && x >= 1n << 62n) return `${f.id} = ${x} does not fit a varint`;
    }
    if ((f.kind === 'bytes' || f.kind === 'message') && f.size.kind === 'expr') {
      if (f.kind === 'message') return `${f.id}: message with an expression size is not supported by the arbitraries`;
      const n = evalExpr(s, v, params, f.size.expr);
      if (n !== BigInt((v[f.id] as Uint8Array).length)) return `${f.id}: size ${f.size.expr.text} = ${n}, but ${(v[f.id] as Uint8Array).length} bytes`;
    }
    if (f.kind === 'message' && v[f.id] !== undefined) {
      const n = pbSize(messageOf(SPEC, f.message).message, v[f.id] as Obj);
      if (n > f.maxSize) return `${f.id}: encoded message ${n} bytes > ${f.maxSize}`;
      if (f.size.kind === 'prefix' && f.size.type !== 'varint' && BigInt(n) > { u8: 0xffn, u16: 0xffffn, u32: 0xffff_ffffn, u64: 1n << 64n }[f.size.type]) return `${f.id}: too long for its prefix`;
    }
  }
  for (const c of s.constraints) {
    if (!compare(evalExpr(s, v, params, c.left), c.op, evalExpr(s, v, params, c.right))) return `constraint ${c.text} fails`;
  }
  return undefined;
}

function present(s: ir.Struct, f: ir.Field, v: Obj): boolean {
  if (!f.if) return true;
  const flag = s.flags.find((x) => x.id === f.if!.flag);
  if (flag?.presenceOf === f.id) return v[f.id] !== undefined;
  return (v[f.if.flag] === true) !== f.if.negate;
}

/** Repairs `field <= expr` (and `<`, `>=`, `>`) by moving a single-field left side to the bound. */
function repairConstraints(s: ir.Struct, v: Obj): void {
  const params = impliedParams(s, v);
  for (const c of s.constraints) {
    const l = evalExpr(s, v, params, c.left);
    const r = evalExpr(s, v, params, c.right);
    if (compare(l, c.op, r) || c.left.terms.length !== 1 || c.left.terms[0].sign !== 1 || c.left.terms[0].atom.kind !== 'field') continue;
    const id = c.left.terms[0].atom.id;
    const f = s.fields.find((x) => x.id === id);
    if (!f || f.kind !== 'int' || f.value || f.const !== undefined || f.repeat || v[id] === undefined) continue;
    const target = c.op === '<' ? r - 1n : c.op === '>' ? r + 1n : r;
    if (target >= f.min && target <= f.max) v[id] = target;
  }
}

// ───────────────────────────── protobuf sizes (for embedded message limits) ─────────────────────────────

const pbVarintSize = (x: bigint) => { let n = 1; while (x >= 128n) { x >>= 7n; n++; } return n; };

/** Canonical protobuf size of a message spec value (implicit defaults omitted, numeric repeated packed). */
export function pbSize(m: ir.Message, v: Obj): number {
  let n = 0;
  for (const f of m.fields) {
    const x = v[f.id];
    if (x === undefined) continue;
    const tag = (wt: number) => pbVarintSize(BigInt((f.number << 3) | wt));
    const scalar = (e: unknown): number => {
      if (f.type === 'bool') return 1;
      if (f.type === 'bytes') return pbVarintSize(BigInt((e as Uint8Array).length)) + (e as Uint8Array).length;
      if (f.type === 'string') { const l = utf8Length(e as string); return pbVarintSize(BigInt(l)) + l; }
      if (f.type === 'message') { const l = pbSize(messageOf(SPEC, f.message!).message, e as Obj); return pbVarintSize(BigInt(l)) + l; }
      return pbVarintSize(e as bigint);
    };
    const lenType = f.type === 'bytes' || f.type === 'string' || f.type === 'message';
    if (f.repeated) {
      const xs = x as unknown[];
      if (!xs.length) continue;
      if (lenType) for (const e of xs) n += tag(2) + scalar(e);
      else { const body = xs.reduce((a: number, e) => a + scalar(e), 0); n += tag(2) + pbVarintSize(BigInt(body)) + body; }
      continue;
    }
    if (!f.optional) {
      const isDefault = x === false || x === 0n || x === '' || (x instanceof Uint8Array && x.length === 0);
      if (isDefault) continue;
    }
    n += tag(lenType ? 2 : 0) + scalar(x);
  }
  return n;
}

// ───────────────────────────── structs and unions ─────────────────────────────

const structCache = new Map<ir.Struct, fc.Arbitrary<Obj>>();

function intFieldArbitrary(file: ir.WireFile | ir.MessagesFile, enumId: string | undefined, min: bigint, max: bigint): fc.Arbitrary<bigint> {
  if (!enumId) return intArbitrary(min, max);
  const e = file.enums.find((x) => x.id === enumId);
  if (!e) throw new Error(`${file.path}: unknown enum '${enumId}'`);
  return enumArbitrary(e, min, max);
}

/** The spec values of one struct (without a `type`). */
export function structArbitrary(file: ir.WireFile, s: ir.Struct, depth = 0): fc.Arbitrary<Obj> {
  const hit = structCache.get(s);
  if (hit) return hit;
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const fl of s.flags) if (!fl.presenceOf) parts[fl.id] = fc.boolean();
  for (const f of s.fields) {
    if (f.if && s.flags.some((fl) => fl.presenceOf === f.id)) parts[`?${f.id}`] = fc.boolean();
    switch (f.kind) {
      case 'bits':
        for (const b of f.bits) {
          if (b.const !== undefined) continue;
          parts[b.id] = b.bool ? fc.boolean() : intFieldArbitrary(file, b.enum, 0n, b.max);
        }
        break;
      case 'int': {
        if (f.const !== undefined || f.value) break;
        const elem = intFieldArbitrary(file, f.enum, f.min, f.max);
        parts[f.id] = f.repeat ? arrayArbitrary(elem, countBounds(s, f).lo, countBounds(s, f).hi) : elem;
        break;
      }
      case 'uint':
        parts[f.id] = intArbitrary(f.min, f.max);
        break;
      case 'bytes': {
        const { lo, hi } = sizeBounds(s, f);
        parts[f.id] = bytesArbitrary(lo, hi);
        break;
      }
      case 'struct': {
        const inner = structOf(file, f.struct);
        const elem = structArbitrary(file, inner, depth + 1);
        parts[f.id] = f.repeat ? arrayArbitrary(elem, countBounds(s, f).lo, countBounds(s, f).hi) : elem;
        break;
      }
      case 'message':
        parts[f.id] = messageArbitrary(messageOf(SPEC, f.message).message, depth + 1);
        break;
    }
  }
  const arb = fc.record(parts).map((raw) => build(s, raw)).filter((v) => structViolation(s, v) === undefined);
  structCache.set(s, arb);
  return arb;
}

/** Count bounds of a repeated field: min/max_count and, for a count from a derived field, that field's range. */
function countBounds(s: ir.Struct, f: ir.IntField | ir.StructField): { lo: number; hi: number } {
  let lo = f.minCount ?? 0;
  let hi = f.maxCount ?? Infinity;
  if (f.repeat?.kind === 'count') {
    const d = derivedOf(s, f.repeat.count, 'count', f.id);
    if (!d) throw new Error(`${s.id}.${f.id}: count '${f.repeat.count.text}' is not a derived count(${f.id}); arbitraries cannot generate it`);
    lo = Math.max(lo, Number(d.min));
    hi = Math.min(hi, Number(d.max));
  }
  return { lo, hi };
}

/** Size bounds of a bytes field: min/max_size and, for a size that is a derived len(field), that field's range. */
function sizeBounds(s: ir.Struct, f: ir.BytesField): { lo: number; hi: number } {
  let lo = f.minSize;
  let hi = f.maxSize;
  if (f.size.kind === 'expr') {
    const d = derivedOf(s, f.size.expr, 'len', f.id);
    if (d) { lo = Math.max(lo, Number(d.min)); hi = Math.min(hi, Number(d.max)); }
  }
  return { lo, hi };
}

/** The derived int field `e` names alone, when its value is `kind(id)`. */
function derivedOf(s: ir.Struct, e: ir.Expr, kind: 'len' | 'count', id: string): ir.IntField | undefined {
  if (e.terms.length !== 1 || e.terms[0].sign !== 1 || e.terms[0].atom.kind !== 'field') return undefined;
  const name = e.terms[0].atom.id;
  const d = s.fields.find((x) => x.id === name);
  if (!d || d.kind !== 'int' || !d.value || d.value.terms.length !== 1) return undefined;
  const a = d.value.terms[0].atom;
  return a.kind === kind && a.id === id ? d : undefined;
}

/** From independently generated parts to a consistent value: presence, uint widths, constraint repair. */
function build(s: ir.Struct, raw: Obj): Obj {
  const v: Obj = {};
  for (const fl of s.flags) if (!fl.presenceOf) v[fl.id] = raw[fl.id];
  for (const f of s.fields) {
    if (f.kind === 'bits') {
      for (const b of f.bits) if (b.const === undefined) v[b.id] = raw[b.id];
      continue;
    }
    if (!(f.id in raw)) continue;
    if (f.if) {
      const byPresence = s.flags.some((fl) => fl.presenceOf === f.id);
      const on = byPresence ? raw[`?${f.id}`] === true : (v[f.if.flag] === true) !== f.if.negate;
      if (!on) continue;
    }
    let x = raw[f.id];
    if (f.kind === 'uint') {
      const width = evalExpr(s, v, impliedParams(s, { ...v, ...raw }), f.width);
      const top = (1n << (8n * width)) - 1n;
      x = (x as bigint) & top;
      if ((x as bigint) < f.min) x = f.min;
      if ((x as bigint) > f.max) x = f.max;
    }
    v[f.id] = x;
  }
  repairConstraints(s, v);
  return v;
}

/** A union member's spec values, with their `type`. */
export function memberArbitrary(file: ir.WireFile, memberId: string): fc.Arbitrary<Obj> {
  return structArbitrary(file, structOf(file, memberId)).map((v) => ({ type: memberId, ...v }));
}

// ───────────────────────────── messages ─────────────────────────────

const messageCache = new Map<string, fc.Arbitrary<Obj>>();

/** A control message's spec values: implicit fields always present, optional ones at random, within limits. */
export function messageArbitrary(m: ir.Message, depth = 0): fc.Arbitrary<Obj> {
  const key = `${m.id}@${Math.min(depth, MAX_DEPTH + 1)}`;
  const hit = messageCache.get(key);
  if (hit) return hit;
  const file = messageOf(SPEC, m.id).file;
  const maxMessage = Number(SPEC.constants.constants.find((c) => c.id === 'max_message_size')?.value ?? 16384n);
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const f of m.fields) {
    let elem: fc.Arbitrary<unknown>;
    switch (f.type) {
      case 'bool': elem = fc.boolean(); break;
      case 'bytes': elem = bytesArbitrary(f.minSize, f.maxSize); break;
      case 'string': elem = stringArbitrary(f.minSize, f.maxSize); break;
      case 'message':
        if (depth >= MAX_DEPTH && !f.required) continue;
        elem = fc.constant(null).chain(() => messageArbitrary(messageOf(SPEC, f.message!).message, depth + 1));
        break;
      default: elem = intFieldArbitrary(file, f.type === 'enum' ? f.enum : undefined, f.min, f.max);
    }
    if (f.repeated) parts[f.id] = arrayArbitrary(elem, 0, f.maxCount);
    else parts[f.id] = elem;
    if (f.required || !f.optional) required.push(f.id);
  }
  const arb = fc.record(parts, { requiredKeys: required })
    .map((v) => v as Obj)
    .filter((v) => pbSize(m, v) <= maxMessage);
  messageCache.set(key, arb);
  return arb;
}

// ───────────────────────────── targets ─────────────────────────────

/** Valid spec values of any target. */
export function arbitraryFor(t: Target, spec: ir.Spec = SPEC): fc.Arbitrary<SpecValue> {
  if (t.kind === 'message') return messageArbitrary(messageOf(spec, t.id).message);
  const file = wireFile(spec, t.file);
  if (t.kind === 'struct') return structArbitrary(file, structOf(file, t.id));
  if (!file.union || file.union.id !== t.id) throw new Error(`${file.path}: no union '${t.id}'`);
  return fc.oneof(...file.union.members.map((id) => memberArbitrary(file, id)));
}

/** One property-test subject: a target, and the arbitrary of its values (a single member, for a union). */
export interface PropertyCase {
  /** e.g. `frame/stream`, `packets/initial_packet`, `messages/client_hello`. */
  name: string;
  target: Target;
  /** For a union case: the member every value has. */
  member?: string;
  arb: fc.Arbitrary<SpecValue>;
}

/** Every union member (each through its union's codec), every struct outside a union, every message. */
export function propertyCases(spec: ir.Spec = SPEC): PropertyCase[] {
  const out: PropertyCase[] = [];
  for (const t of allTargets(spec)) {
    if (t.kind === 'union') {
      const file = wireFile(spec, t.file);
      for (const m of file.union!.members) out.push({ name: `${t.id}/${m}`, target: t, member: m, arb: memberArbitrary(file, m) });
    } else out.push({ name: `${t.file.replace(/^spec\/|\.yaml$/g, '')}/${t.id}`, target: t, arb: arbitraryFor(t, spec) });
  }
  return out;
}

// ───────────────────────────── invalid-ish inputs: random bytes and mutations ─────────────────────────────

/** A union tag as bytes (a minimal varint, or big-endian). */
export function tagBytes(type: ir.IntType, v: bigint): number[] {
  if (type !== 'varint') {
    const n = { u8: 1, u16: 2, u32: 4, u64: 8 }[type];
    return Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));
  }
  const n = v < 64n ? 1 : v < 1n << 14n ? 2 : v < 1n << 30n ? 4 : 8;
  const prefix = BigInt([0, 1, 0, 2, 0, 0, 0, 3][n - 1]) << BigInt(8 * n - 2);
  return tagBytes(({ 1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64' } as const)[n as 1 | 2 | 4 | 8], prefix | v);
}

/** A union's type codes, each member's base code with any of its flag bits, as tag bytes. */
function unionCodes(file: ir.WireFile): number[][] {
  const out: number[][] = [];
  for (const id of file.union!.members) {
    const s = structOf(file, id);
    const mask = s.flags.reduce((a, f) => a | (1n << BigInt(f.bit)), 0n);
    for (let sub = mask; ; sub = (sub - 1n) & mask) {
      out.push(tagBytes(file.union!.tag, s.code! | sub));
      if (sub === 0n) break;
    }
  }
  return out;
}

/** Protobuf-looking input: tags of declared (and a few unknown) field numbers, any wire type, random payloads. */
function protobufish(m: ir.Message): fc.Arbitrary<Uint8Array> {
  const numbers = [...m.fields.map((f) => f.number), 0, 15, 16, 1000, 0x1fffffff];
  const leb = (v: number): number[] => { const o: number[] = []; do { o.push((v & 0x7f) | (v > 0x7f ? 0x80 : 0)); v = Math.floor(v / 128); } while (v > 0); return o; };
  const entry = fc.tuple(fc.constantFrom(...numbers), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 12 }), fc.nat({ max: 40 }))
    .map(([n, wt, payload, len]) => {
      const tag = leb(n * 8 + wt);
      if (wt === 2) return [...tag, ...leb(Math.min(len, payload.length + 2)), ...payload];
      return [...tag, ...payload.subarray(0, wt === 1 ? 8 : wt === 5 ? 4 : 3)];
    });
  return fc.array(entry, { maxLength: 6 }).map((es) => Uint8Array.from(es.flat()));
}

/**
 * Random input for a target's decoder: raw bytes; for a union, mostly behind a real type code (so
 * member decoders run); for a message, mostly tags of declared field numbers with random wire types.
 */
export function randomInput(t: Target): fc.Arbitrary<Uint8Array> {
  const raw = fc.uint8Array({ maxLength: 64 });
  if (t.kind === 'message') return fc.oneof(raw, protobufish(messageOf(SPEC, t.id).message));
  if (t.kind === 'union') {
    const codes = unionCodes(wireFile(SPEC, t.file));
    return fc.oneof({ weight: 1, arbitrary: raw }, {
      weight: 4, arbitrary: fc.tuple(fc.constantFrom(...codes), raw).map(([c, rest]) => Uint8Array.from([...c, ...rest])),
    });
  }
  return raw;
}

export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; n: number }
  | { op: 'set'; at: number; byte: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff) }),
);

/** Applies bit flips, truncations, insertions, deletions and edge bytes to a copy of `input`. */
export function mutate(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Array.from(input);
  for (const m of ms) {
    const at = b.length ? m.at % (b.length + (m.op === 'insert' ? 1 : 0)) : 0;
    switch (m.op) {
      case 'flip': if (b.length) b[at] ^= 1 << m.bit; break;
      case 'truncate': b = b.slice(0, at); break;
      case 'insert': b.splice(at, 0, ...m.bytes); break;
      case 'delete': b.splice(at, m.n); break;
      case 'set': if (b.length) b[at] = m.byte; break;
    }
  }
  return Uint8Array.from(b);
}

/** One to three mutations. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 3 });
