/**
 * Naive reference codec for binary layouts (`kind: wire`: frames, packets), interpreted straight
 * from the IR with bigint arithmetic. It is meant to be obviously correct, not fast: every field
 * is read in spec order and checked the moment it is read.
 *
 * Decode order (the first failing check wins):
 * 1. union tag (a minimal varint, else `non_minimal`; no member → `unknown_type`);
 * 2. each field in order: read (`truncated`, `non_minimal`), then `invalid_const`, `out_of_range`
 *    (min/max), `invalid_enum`; a length is checked against its min/max size (`out_of_range`)
 *    before its bytes are taken (`truncated`); a count against max_count (`too_many`) before its
 *    elements are read; `eos` repeats stop at the end of the input;
 * 3. after the last field: derived fields against their expression, then constraints
 *    (`constraint`; skipped when one side names an absent optional field);
 * 4. at top level, bytes left over → `trailing_bytes`.
 *
 * The encoder writes the canonical form (minimal varints, derived fields computed) and, on
 * request, a trace of where each field landed, which the vector generator uses to build invalid
 * inputs by changing one field at a time.
 *
 * @module
 */
import type { Atom, Cond, Expr, Field, IntType, Repeat, Size, Spec, Struct, Union, WireFile } from '../../codegen/ir.ts';
import { decodeMessageBytes, encodeMessageValue, findMessage } from './protobuf.ts';
import { Input, beToBig, bigToBe, concat, encodeFail, type SpecObject, type SpecValue } from './values.ts';

const FIXED_WIDTH: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8 };
const VARINT_MAX = (1n << 62n) - 1n;
const VARINT_PREFIX: Record<number, number> = { 1: 0x00, 2: 0x40, 4: 0x80, 8: 0xc0 };

// ───────────────────────────── integers ─────────────────────────────

/** Bytes of the shortest QUIC varint for v (RFC 9000 §16). */
export function varintWidth(v: bigint): 1 | 2 | 4 | 8 {
  if (v < 0n || v > VARINT_MAX) throw new RangeError(`varint cannot hold ${v}`);
  return v < 64n ? 1 : v < 16384n ? 2 : v < 1n << 30n ? 4 : 8;
}

/** QUIC varint of v in `width` bytes (default: the shortest). */
export function quicVarint(v: bigint, width: number = varintWidth(v)): Uint8Array {
  if (!(width in VARINT_PREFIX) || width < varintWidth(v)) throw new RangeError(`varint ${v} cannot use ${width} bytes`);
  const out = bigToBe(v, width, 'varint');
  out[0] |= VARINT_PREFIX[width];
  return out;
}

function readQuicVarint(inp: Input, where: string): bigint {
  if (inp.left < 1) inp.fail('truncated', where, 'need 1 byte for a varint, 0 left');
  const width = 1 << (inp.buf[inp.pos] >> 6);
  const b = inp.take(width, where);
  let v = BigInt(b[0] & 0x3f);
  for (let i = 1; i < width; i++) v = (v << 8n) | BigInt(b[i]);
  const smallest = width === 1 ? 0n : 1n << BigInt(4 * width - 2);
  if (v < smallest) inp.fail('non_minimal', where, `${width}-byte varint for ${v}`);
  return v;
}

function readIntType(inp: Input, type: IntType, where: string): bigint {
  return type === 'varint' ? readQuicVarint(inp, where) : beToBig(inp.take(FIXED_WIDTH[type], where));
}

/** Encoding of v as the given integer type (throws when the type cannot carry it). */
export function writeIntType(type: IntType, v: bigint, where: string): Uint8Array {
  if (type === 'varint') {
    if (v < 0n || v > VARINT_MAX) encodeFail(where, `${v} does not fit a varint`);
    return quicVarint(v);
  }
  return bigToBe(v, FIXED_WIDTH[type], where);
}

// ───────────────────────────── expressions ─────────────────────────────

/** Value of an expression; undefined when an atom is unknown (an absent optional field). */
export function evalExpr(e: Expr, atom: (a: Atom) => bigint | undefined): bigint | undefined {
  let sum = 0n;
  for (const t of e.terms) {
    const v = atom(t.atom);
    if (v === undefined) return undefined;
    sum += t.sign === 1 ? v : -v;
  }
  return sum;
}

export function compare(l: bigint, op: string, r: bigint): boolean {
  switch (op) {
    case '==': return l === r;
    case '!=': return l !== r;
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    case '>=': return l >= r;
  }
  throw new Error(`unknown operator ${op}`);
}

function condHolds(c: Cond, flag: (id: string) => boolean | bigint | undefined): boolean {
  const v = flag(c.flag);
  return (v === true || v === 1n) !== c.negate;
}

export function structOf(file: WireFile, id: string): Struct {
  const st = file.structs.find((s) => s.id === id);
  if (!st) throw new Error(`no struct '${id}' in ${file.path}`);
  return st;
}

function enumHas(file: WireFile, id: string, v: bigint): boolean {
  const e = file.enums.find((x) => x.id === id);
  if (!e) throw new Error(`no enum '${id}' in ${file.path}`);
  return e.unknown === 'keep' || e.values.some((x) => x.value === v);
}

const big = (n: number): bigint => BigInt(n);

// ───────────────────────────── decode ─────────────────────────────

interface Scope {
  env: Map<string, bigint | boolean>;
  lens: Map<string, bigint>;
  counts: Map<string, bigint>;
  params: Map<string, bigint>;
}

function checkInt(file: WireFile, f: { const?: bigint; min?: bigint; max: bigint; enum?: string }, v: bigint, inp: Input, where: string): void {
  if (f.const !== undefined && v !== f.const) inp.fail('invalid_const', where, `must be ${f.const}, got ${v}`);
  if (v < (f.min ?? 0n) || v > f.max) inp.fail('out_of_range', where, `${v} is outside ${f.min ?? 0n}..${f.max}`);
  if (f.enum && !enumHas(file, f.enum, v)) inp.fail('invalid_enum', where, `${v} is not a ${f.enum}`);
}

function repeatLoop(inp: Input, rep: Repeat, min: number, max: number, atom: (a: Atom) => bigint | undefined, where: string, readOne: (i: number) => void): void {
  if (rep.kind === 'count') {
    const n = evalExpr(rep.count, atom);
    if (n === undefined) throw new Error(`${where}: count '${rep.count.text}' is unknown`);
    if (Number.isFinite(max) && n > big(max)) inp.fail('too_many', where, `${n} elements, more than ${max}`);
    if (n < big(min)) inp.fail('out_of_range', where, `${n} elements, fewer than ${min}`);
    for (let i = 0n; i < n; i++) readOne(Number(i));
    return;
  }
  let i = 0;
  while (inp.left > 0) {
    if (i >= max) inp.fail('too_many', where, `more than ${max} elements`);
    readOne(i++);
  }
  if (i < min) inp.fail('out_of_range', where, `${i} elements, fewer than ${min}`);
}

function sizeOf(inp: Input, size: Size, scope: Scope, atom: (a: Atom) => bigint | undefined, where: string): bigint {
  switch (size.kind) {
    case 'fixed': return big(size.n);
    case 'expr': {
      const n = evalExpr(size.expr, atom);
      if (n === undefined) throw new Error(`${where}: size '${size.expr.text}' is unknown`);
      if (n < 0n) inp.fail('out_of_range', where, `length ${size.expr.text} = ${n} is negative`);
      return n;
    }
    case 'prefix':
      if (size.if && !condHolds(size.if, (id) => scope.env.get(id))) return big(inp.left);
      return readIntType(inp, size.type, `${where}.length`);
    case 'rest': {
      const n = inp.left - size.minus;
      if (n < 0) inp.fail('truncated', where, `${size.minus} bytes must follow, ${inp.left} left`);
      return big(n);
    }
  }
}

interface DecCtx { spec: Spec; file: WireFile; inp: Input }

function decodeStruct(ctx: DecCtx, st: Struct, params: Map<string, bigint>, flags: Map<string, boolean>, path: string): SpecObject {
  const { inp, file } = ctx;
  const scope: Scope = { env: new Map(), lens: new Map(), counts: new Map(), params };
  const atom = (a: Atom): bigint | undefined => {
    switch (a.kind) {
      case 'int': case 'const': return a.value;
      case 'param': {
        const p = params.get(a.id);
        if (p === undefined) throw new Error(`${path}: decoding needs the parameter '${a.id}'`);
        return p;
      }
      case 'field': {
        const v = scope.env.get(a.id);
        return typeof v === 'boolean' ? (v ? 1n : 0n) : v;
      }
      case 'len': return scope.lens.get(a.id);
      case 'count': return scope.counts.get(a.id);
      case 'rest': return big(inp.left);
    }
  };
  const out: SpecObject = {};
  for (const fl of st.flags) {
    const on = flags.get(fl.id) ?? false;
    scope.env.set(fl.id, on);
    if (!fl.presenceOf) out[fl.id] = on;
  }
  for (const f of st.fields) {
    const where = `${path}.${f.id}`;
    if (f.if && !condHolds(f.if, (id) => scope.env.get(id))) continue;
    switch (f.kind) {
      case 'int': {
        const readOne = (w: string): bigint => {
          const v = readIntType(inp, f.type, w);
          checkInt(file, f, v, inp, w);
          return v;
        };
        if (f.repeat) {
          const arr: bigint[] = [];
          repeatLoop(inp, f.repeat, f.minCount ?? 0, f.maxCount ?? Infinity, atom, where, (i) => arr.push(readOne(`${where}[${i}]`)));
          scope.counts.set(f.id, big(arr.length));
          out[f.id] = arr;
        } else {
          const v = readOne(where);
          scope.env.set(f.id, v);
          if (f.value === undefined && f.const === undefined) out[f.id] = v;
        }
        break;
      }
      case 'uint': {
        const w = evalExpr(f.width, atom);
        if (w === undefined || w < 1n || w > 8n) throw new Error(`${where}: width ${f.width.text} = ${w}`);
        const v = beToBig(inp.take(w, where));
        checkInt(file, f, v, inp, where);
        scope.env.set(f.id, v);
        out[f.id] = v;
        break;
      }
      case 'bits': {
        const byte = inp.take(1, where)[0];
        let shift = 8;
        for (const b of f.bits) {
          shift -= b.width;
          const v = big((byte >> shift) & ((1 << b.width) - 1));
          checkInt(file, b, v, inp, `${path}.${b.id}`);
          scope.env.set(b.id, b.bool ? v === 1n : v);
          if (b.const === undefined) out[b.id] = b.bool ? v === 1n : v;
        }
        break;
      }
      case 'bytes':
      case 'message': {
        const n = sizeOf(inp, f.size, scope, atom, where);
        const minSize = f.kind === 'bytes' ? f.minSize : 0;
        if (n < big(minSize) || (Number.isFinite(f.maxSize) && n > big(f.maxSize))) {
          inp.fail('out_of_range', where, `length ${n} is outside ${minSize}..${f.maxSize}`);
        }
        const at = inp.pos;
        const data = inp.take(n, where);
        scope.lens.set(f.id, n);
        out[f.id] = f.kind === 'bytes'
          ? data.slice()
          : decodeMessageBytes(ctx.spec, findMessage(ctx.spec, f.message).message, inp.buf, at, inp.pos, file.error);
        break;
      }
      case 'struct': {
        const inner = structOf(file, f.struct);
        if (f.repeat) {
          const arr: SpecObject[] = [];
          repeatLoop(inp, f.repeat, f.minCount ?? 0, f.maxCount ?? Infinity, atom, where,
            (i) => arr.push(decodeStruct(ctx, inner, new Map(), new Map(), `${where}[${i}]`)));
          scope.counts.set(f.id, big(arr.length));
          out[f.id] = arr;
        } else {
          out[f.id] = decodeStruct(ctx, inner, new Map(), new Map(), where);
        }
        break;
      }
    }
  }
  for (const f of st.fields) {
    if (f.kind !== 'int' || !f.value || f.repeat || !scope.env.has(f.id)) continue;
    const want = evalExpr(f.value, atom);
    if (want !== undefined && want !== scope.env.get(f.id)) inp.fail('constraint', `${path}.${f.id}`, `${f.value.text} = ${want}, field says ${scope.env.get(f.id)}`);
  }
  for (const c of st.constraints) {
    const l = evalExpr(c.left, atom);
    const r = evalExpr(c.right, atom);
    if (l === undefined || r === undefined) continue;
    if (!compare(l, c.op, r)) inp.fail('constraint', path, `'${c.text}' does not hold (${l} vs ${r})`);
  }
  return out;
}

function decodeUnion(ctx: DecCtx, u: Union, params: Map<string, bigint>): SpecObject {
  const tag = readIntType(ctx.inp, u.tag, `${u.id}.type`);
  for (const id of u.members) {
    const st = structOf(ctx.file, id);
    const mask = st.flags.reduce((a, fl) => a | (1n << big(fl.bit)), 0n);
    if ((tag & ~mask) !== st.code) continue;
    const flags = new Map(st.flags.map((fl) => [fl.id, ((tag >> big(fl.bit)) & 1n) === 1n]));
    return { type: st.id, ...decodeStruct(ctx, st, params, flags, st.id) };
  }
  return ctx.inp.fail('unknown_type', `${u.id}.type`, `no ${u.id} has type 0x${tag.toString(16)}`);
}

/** Decodes a whole input as a union (`id` = the union's id) or a struct of a wire file. */
export function decodeWire(spec: Spec, file: WireFile, kind: 'union' | 'struct', id: string, bytes: Uint8Array, params: Map<string, bigint>): SpecObject {
  const ctx: DecCtx = { spec, file, inp: new Input(bytes, 0, bytes.length, file.error) };
  let value: SpecObject;
  if (kind === 'union') {
    if (!file.union || file.union.id !== id) throw new Error(`${file.path} has no union '${id}'`);
    value = decodeUnion(ctx, file.union, params);
  } else {
    value = decodeStruct(ctx, structOf(file, id), params, new Map(), id);
  }
  if (ctx.inp.left > 0) ctx.inp.fail('trailing_bytes', id, `${ctx.inp.left} bytes after the end`);
  return value;
}


// ───────────────────────────── encode ─────────────────────────────

/** Where one piece of an encoding landed (for building invalid inputs one field at a time). */
export interface TraceEntry {
  path: string;
  role: 'tag' | 'value' | 'derived' | 'const' | 'prefix' | 'bits' | 'uint' | 'bytes' | 'message';
  start: number;
  end: number;
  struct: Struct;
  field?: Field;
  type?: IntType;
  value?: bigint;
  /** For bytes/message: the data runs to the end of the input (no length on the wire). */
  open?: boolean;
}

interface EncCtx { spec: Spec; file: WireFile; parts: Uint8Array[]; size: number; trace: TraceEntry[]; check: boolean }

function emit(ctx: EncCtx, bytes: Uint8Array, entry: Omit<TraceEntry, 'start' | 'end'>): void {
  ctx.trace.push({ ...entry, start: ctx.size, end: ctx.size + bytes.length });
  ctx.parts.push(bytes);
  ctx.size += bytes.length;
}

/** Keys a value of this struct may carry. */
export function valueKeys(st: Struct): string[] {
  const keys = st.flags.filter((fl) => !fl.presenceOf).map((fl) => fl.id);
  for (const f of st.fields) {
    if (f.kind === 'bits') keys.push(...f.bits.filter((b) => b.const === undefined).map((b) => b.id));
    else if (!(f.kind === 'int' && (f.value || f.const !== undefined))) keys.push(f.id);
  }
  return keys;
}

function messageBytes(ctx: EncCtx, f: Field & { kind: 'message' }, v: SpecValue | undefined, where: string): Uint8Array {
  if (v instanceof Uint8Array && !ctx.check) return v; // raw bytes, to embed an invalid message
  if (typeof v !== 'object' || v instanceof Uint8Array || Array.isArray(v)) encodeFail(where, 'expected a message object');
  return encodeMessageValue(ctx.spec, findMessage(ctx.spec, f.message).message, v as SpecObject, where);
}

/** An expression atom evaluated on a value being encoded (derived fields computed on demand). */
function valueAtom(ctx: EncCtx, st: Struct, value: SpecObject, flags: Map<string, boolean>, params: Map<string, bigint>, a: Atom, depth = 0): bigint | undefined {
  const again = (x: Atom) => valueAtom(ctx, st, value, flags, params, x, depth + 1);
  if (depth > 16) throw new Error(`${st.id}: derived fields refer to each other in a cycle`);
  switch (a.kind) {
    case 'int': case 'const': return a.value;
    case 'param': return params.get(a.id);
    case 'rest': return undefined;
    case 'count': {
      const v = value[a.id];
      return Array.isArray(v) ? big(v.length) : undefined;
    }
    case 'len': {
      const f = st.fields.find((x) => x.id === a.id);
      const v = value[a.id];
      if (v === undefined) return undefined;
      if (f?.kind === 'message') return big(messageBytes(ctx, f, v, `${st.id}.${a.id}`).length);
      return v instanceof Uint8Array ? big(v.length) : undefined;
    }
    case 'field': {
      if (flags.has(a.id)) return flags.get(a.id) ? 1n : 0n;
      for (const f of st.fields) {
        if (f.kind === 'bits') {
          const b = f.bits.find((x) => x.id === a.id);
          if (!b) continue;
          if (b.const !== undefined) return b.const;
          const v = value[b.id];
          return typeof v === 'boolean' ? (v ? 1n : 0n) : typeof v === 'bigint' ? v : undefined;
        }
        if (f.id !== a.id) continue;
        if (f.kind === 'int' && f.const !== undefined) return f.const;
        if (f.kind === 'int' && f.value) return evalExpr(f.value, again);
        const v = value[f.id];
        return typeof v === 'bigint' ? v : undefined;
      }
      return undefined;
    }
  }
}

function needBig(v: SpecValue | undefined, where: string): bigint {
  if (typeof v !== 'bigint') encodeFail(where, `expected a bigint, got ${typeof v}`);
  return v;
}

function checkIntValue(ctx: EncCtx, f: { const?: bigint; min?: bigint; max: bigint; enum?: string }, v: bigint, where: string): void {
  if (!ctx.check) return;
  if (v < (f.min ?? 0n) || v > f.max) encodeFail(where, `${v} is outside ${f.min ?? 0n}..${f.max}`);
  if (f.enum && !enumHas(ctx.file, f.enum, v)) encodeFail(where, `${v} is not a ${f.enum}`);
}

function checkCount(ctx: EncCtx, f: { minCount?: number; maxCount?: number }, n: number, where: string): void {
  if (ctx.check && (n < (f.minCount ?? 0) || n > (f.maxCount ?? Infinity))) encodeFail(where, `${n} elements, allowed ${f.minCount ?? 0}..${f.maxCount}`);
}

function encodeStruct(ctx: EncCtx, st: Struct, value: SpecObject, flags: Map<string, boolean>, params: Map<string, bigint>, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) encodeFail(path, 'expected an object');
  const atom = (a: Atom) => valueAtom(ctx, st, value, flags, params, a);
  const flag = (id: string): boolean | undefined => (flags.has(id) ? flags.get(id) : value[id] === true);
  if (ctx.check) {
    const keys = new Set(valueKeys(st));
    for (const k of Object.keys(value)) if (value[k] !== undefined && !keys.has(k)) encodeFail(`${path}.${k}`, `'${st.id}' has no value field '${k}'`);
    for (const c of st.constraints) {
      const l = evalExpr(c.left, atom);
      const r = evalExpr(c.right, atom);
      if (l !== undefined && r !== undefined && !compare(l, c.op, r)) encodeFail(path, `constraint '${c.text}' does not hold (${l} vs ${r})`);
    }
  }
  for (const f of st.fields) {
    const where = `${path}.${f.id}`;
    if (f.if && !condHolds(f.if, flag)) {
      if (ctx.check && value[f.id] !== undefined) encodeFail(where, `must be absent when '${f.if.text}' does not hold`);
      continue;
    }
    switch (f.kind) {
      case 'int': {
        if (f.repeat) {
          const arr = value[f.id];
          if (!Array.isArray(arr)) encodeFail(where, 'expected an array');
          checkCount(ctx, f, arr.length, where);
          arr.forEach((x, i) => {
            const v = needBig(x, `${where}[${i}]`);
            checkIntValue(ctx, f, v, `${where}[${i}]`);
            emit(ctx, writeIntType(f.type, v, `${where}[${i}]`), { path: `${where}[${i}]`, role: 'value', struct: st, field: f, type: f.type, value: v });
          });
          break;
        }
        let v: bigint;
        let role: TraceEntry['role'] = 'value';
        if (f.const !== undefined) {
          v = f.const;
          role = 'const';
        } else if (f.value) {
          const d = evalExpr(f.value, atom);
          if (d === undefined) encodeFail(where, `cannot compute '${f.value.text}'`);
          v = d;
          role = 'derived';
        } else {
          v = needBig(value[f.id], where);
        }
        checkIntValue(ctx, f, v, where);
        emit(ctx, writeIntType(f.type, v, where), { path: where, role, struct: st, field: f, type: f.type, value: v });
        break;
      }
      case 'uint': {
        const w = evalExpr(f.width, atom);
        if (w === undefined) encodeFail(where, `cannot compute width '${f.width.text}'`);
        const v = needBig(value[f.id], where);
        checkIntValue(ctx, f, v, where);
        emit(ctx, bigToBe(v, Number(w), where), { path: where, role: 'uint', struct: st, field: f, value: v });
        break;
      }
      case 'bits': {
        let byte = 0;
        let shift = 8;
        for (const b of f.bits) {
          shift -= b.width;
          const bw = `${path}.${b.id}`;
          let v: bigint;
          if (b.const !== undefined) v = b.const;
          else if (b.bool) {
            const x = value[b.id];
            if (typeof x !== 'boolean') encodeFail(bw, 'expected a boolean');
            v = x ? 1n : 0n;
          } else {
            v = needBig(value[b.id], bw);
            checkIntValue(ctx, b, v, bw);
          }
          if (v < 0n || v >= 1n << big(b.width)) encodeFail(bw, `${v} does not fit ${b.width} bits`);
          byte |= Number(v) << shift;
        }
        emit(ctx, Uint8Array.of(byte), { path: where, role: 'bits', struct: st, field: f, value: big(byte) });
        break;
      }
      case 'bytes':
      case 'message': {
        const data = f.kind === 'message' ? messageBytes(ctx, f, value[f.id], where) : value[f.id];
        if (!(data instanceof Uint8Array)) encodeFail(where, 'expected bytes');
        const minSize = f.kind === 'bytes' ? f.minSize : 0;
        if (ctx.check && (data.length < minSize || data.length > f.maxSize)) encodeFail(where, `length ${data.length} is outside ${minSize}..${f.maxSize}`);
        let open = false;
        if (f.size.kind === 'fixed' && ctx.check && data.length !== f.size.n) encodeFail(where, `must be ${f.size.n} bytes`);
        if (f.size.kind === 'expr' && ctx.check) {
          const want = evalExpr(f.size.expr, atom);
          if (want !== undefined && want !== big(data.length)) encodeFail(where, `length must be ${f.size.expr.text} = ${want}`);
        }
        if (f.size.kind === 'prefix') {
          if (!f.size.if || condHolds(f.size.if, flag)) {
            emit(ctx, writeIntType(f.size.type, big(data.length), `${where}.length`), {
              path: `${where}.length`, role: 'prefix', struct: st, field: f, type: f.size.type, value: big(data.length),
            });
          } else open = true;
        }
        if (f.size.kind === 'rest') open = true;
        emit(ctx, data, { path: where, role: f.kind, struct: st, field: f, open });
        break;
      }
      case 'struct': {
        const inner = structOf(ctx.file, f.struct);
        if (f.repeat) {
          const arr = value[f.id];
          if (!Array.isArray(arr)) encodeFail(where, 'expected an array');
          checkCount(ctx, f, arr.length, where);
          arr.forEach((x, i) => encodeStruct(ctx, inner, x as SpecObject, new Map(), new Map(), `${where}[${i}]`));
        } else {
          encodeStruct(ctx, inner, value[f.id] as SpecObject, new Map(), new Map(), where);
        }
        break;
      }
    }
  }
}

/**
 * Encodes a union or struct value of a wire file. With `check: false` values are written even when
 * out of range, over limits or violating constraints (as long as the wire can carry them): the
 * generator uses that to build invalid inputs.
 */
export function encodeWire(spec: Spec, file: WireFile, kind: 'union' | 'struct', id: string, value: SpecObject,
  opts: { check?: boolean; params?: Map<string, bigint> } = {}): { bytes: Uint8Array; trace: TraceEntry[] } {
  const ctx: EncCtx = { spec, file, parts: [], size: 0, trace: [], check: opts.check ?? true };
  const params = opts.params ?? new Map<string, bigint>();
  if (kind === 'union') {
    const u = file.union;
    if (!u || u.id !== id) throw new Error(`${file.path} has no union '${id}'`);
    const type = value.type;
    if (typeof type !== 'string' || !u.members.includes(type)) encodeFail(`${id}.type`, `unknown member ${JSON.stringify(type)}`);
    const st = structOf(file, type);
    const { type: _type, ...rest } = value;
    const flags = new Map<string, boolean>();
    let code = st.code!;
    for (const fl of st.flags) {
      const v = fl.presenceOf ? rest[fl.presenceOf] !== undefined : rest[fl.id];
      if (typeof v !== 'boolean') encodeFail(`${type}.${fl.id}`, 'expected a boolean');
      flags.set(fl.id, v);
      if (v) code |= 1n << big(fl.bit);
    }
    emit(ctx, writeIntType(u.tag, code, `${type}.type`), { path: `${type}.type`, role: 'tag', struct: st, type: u.tag, value: code });
    encodeStruct(ctx, st, rest, flags, params, type);
  } else {
    encodeStruct(ctx, structOf(file, id), value, new Map(), params, id);
  }
  return { bytes: concat(ctx.parts), trace: ctx.trace };
}

/**
 * An expression evaluated on a struct value as the encoder sees it (derived fields computed,
 * flags taken from the value); undefined when it names an absent field. For the generator.
 */
export function evalOnValue(spec: Spec, file: WireFile, st: Struct, value: SpecObject, expr: Expr, params = new Map<string, bigint>()): bigint | undefined {
  const ctx: EncCtx = { spec, file, parts: [], size: 0, trace: [], check: true };
  const flags = new Map(st.flags.map((fl) => [fl.id, fl.presenceOf ? value[fl.presenceOf] !== undefined : value[fl.id] === true]));
  return evalExpr(expr, (a) => valueAtom(ctx, st, value, flags, params, a));
}
