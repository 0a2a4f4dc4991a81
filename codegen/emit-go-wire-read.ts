/**
 * The Go wire emitter, part 1: the per-struct naming model (`GoStruct`) and the decoders. The code
 * follows the Rust emitter (`emit-rust-wire.ts`) statement for statement, so the error precedence is
 * the same (protocol.decode.order). Expressions are evaluated in int64 (values above 2^63-1 saturate).
 */
import type { Atom, BitsField, BytesField, Cond, EnumDef, Expr, Field, IntField, IntType, MessageField, StructField, UintField, WireFile } from './ir.ts';
import { INT_TYPE_MAX } from './ir.ts';
import { WireModel, type Interval, type StructModel } from './emit-ts-wire-model.ts';
import { GoCode, gfmt, goLocal, goName, goStr } from './emit-go-common.ts';

export const num = (v: bigint): number => (v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v));
export const NEGATE = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;
export const widthOf = (t: IntType): number | undefined => ({ u8: 1, u16: 2, u32: 4, u64: 8, varint: undefined }[t]);
export const goHex = (v: bigint | number): string => `0x${v.toString(16).padStart(2, '0')}`;

/** The test that uint64 `x` is outside a closed enum's table (undefined when no value in `range` can be). */
export function goEnumTest(x: string, e: EnumDef, range: Interval): string | undefined {
  if (e.unknown === 'keep') return undefined;
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = vals[0];
  const hi = vals[vals.length - 1];
  if (hi - lo + 1n === BigInt(vals.length)) {
    const parts: string[] = [];
    if (Number(lo) > range.lo) parts.push(`${x} < ${lo}`);
    if (Number(hi) < range.hi) parts.push(`${x} > ${hi}`);
    return parts.length ? parts.join(' || ') : undefined;
  }
  return `!(${vals.map((v) => `${x} == ${v}`).join(' || ')})`;
}

/** One struct, as the Go emitter sees it. */
export class GoStruct {
  readonly cls: string;
  private readonly locals = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(readonly sm: StructModel, readonly gw: GoWire) {
    this.cls = sm.name;
    for (const p of this.s.params) this.local(p.id);
    for (const id of sm.named.keys()) this.local(id);
  }

  get s() { return this.sm.s; }
  get file(): WireFile { return this.sm.m.file; }
  get member(): boolean { return this.sm.member; }

  local(id: string): string { return this.reserve(`field:${id}`, goLocal(id)); }
  temp(base: string): string { return this.reserve(`temp:${base}`, goLocal(base)); }
  private reserve(key: string, want: string): string {
    let name = this.locals.get(key);
    if (name) return name;
    name = want;
    while (this.taken.has(name)) name += '_';
    this.locals.set(key, name);
    this.taken.add(name);
    return name;
  }
  what(id: string): string { return goStr(`${this.s.id}.${id}`); }
  encodedLocal(id: string): string { return this.temp(`${id}_bytes`); }

  isOptional(id: string): boolean {
    const n = this.sm.named.get(id);
    return n?.kind === 'field' && !!n.field.if;
  }

  /** An int64 expression: `decode` reads the decoder's locals, `encode` the fields of `v`. */
  expr(e: Expr, side: 'decode' | 'encode'): string {
    const s = e.terms.map((t, i) => {
      const a = this.atom(t.atom, side);
      if (i === 0) return t.sign === -1 ? `-${a}` : a;
      return `${t.sign === -1 ? '-' : '+'} ${a}`;
    }).join(' ');
    return `(${s})`;
  }

  private atom(a: Atom, side: 'decode' | 'encode'): string {
    switch (a.kind) {
      case 'int': return `int64(${a.value})`;
      case 'const': return `I(${goName(a.id)})`;
      case 'param':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: an encoder has no parameter '${a.id}'`);
        return `I(${this.local(a.id)})`;
      case 'rest':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: 'rest' has no meaning when encoding`);
        return 'int64(r.Remaining())';
      case 'len': case 'count': {
        const opt = this.isOptional(a.id);
        let base: string;
        if (side === 'decode') base = this.local(a.id);
        else {
          const f = this.sm.named.get(a.id);
          base = f?.kind === 'field' && f.field.kind === 'message' ? this.encodedLocal(a.id) : `v.${goName(a.id)}`;
        }
        return opt ? `OptLen(${base})` : `int64(len(${base}))`;
      }
      case 'field': return this.fieldAtom(a.id, side);
    }
  }

  private fieldAtom(id: string, side: 'decode' | 'encode'): string {
    const n = this.sm.named.get(id)!;
    if (n.kind === 'flag' || (n.kind === 'bit' && n.bit.bool)) return `I(B2U(${this.flag(id, side)}))`;
    if (n.kind === 'bit') {
      if (n.bit.const !== undefined) return `int64(${n.bit.const})`;
      return `I(${side === 'decode' ? this.local(id) : `v.${goName(id)}`})`;
    }
    const f = n.field;
    if (f.kind === 'int' && f.const !== undefined) return `int64(${f.const})`;
    if (this.sm.isDerived(f)) return side === 'decode' ? `I(${this.local(id)})` : this.local(id);
    const base = side === 'decode' ? this.local(id) : `v.${goName(id)}`;
    return f.if ? `I(OptU(${base}))` : `I(${base})`;
  }

  /** A boolean flag (code flag or bool bit). */
  flag(id: string, side: 'decode' | 'encode'): string {
    const n = this.sm.named.get(id)!;
    if (side === 'decode') return this.local(id);
    if (n.kind === 'flag' && n.flag.presenceOf) return `(v.${goName(n.flag.presenceOf)} != nil)`;
    return `v.${goName(id)}`;
  }

  cond(c: Cond, side: 'decode' | 'encode'): string {
    const f = this.flag(c.flag, side);
    if (!c.negate) return f;
    return f.endsWith(' != nil)') ? f.replace(/ != nil\)$/, ' == nil)') : `!${f}`;
  }

  guard(exprs: Expr[], side: 'decode' | 'encode'): string {
    const ids = [...new Set(exprs.flatMap((e) => this.sm.optionalRefs(e)))];
    return ids.map((id) => `${side === 'decode' ? this.local(id) : `v.${goName(id)}`} != nil && `).join('');
  }

  bounds(e: Expr): Interval { return this.sm.bounds(e); }
}

export class GoWire {
  readonly structs = new Map<string, GoStruct>();
  readonly errorVar: string;
  constructor(readonly m: WireModel) {
    this.errorVar = `${goLocal(m.file.id)}ErrorCode`;
    for (const s of m.file.structs) this.structs.set(s.id, new GoStruct(m.model(s.id), this));
  }
  get file(): WireFile { return this.m.file; }
  struct(id: string): GoStruct { return this.structs.get(id)!; }
}

// ───────────────────────────── decoding ─────────────────────────────

function intRead(ps: GoStruct, f: IntField): string {
  return f.type === 'varint' ? `r.Varint(${ps.what(f.id)})` : `r.Uint(${widthOf(f.type)}, ${ps.what(f.id)})`;
}

function intChecks(c: GoCode, ps: GoStruct, f: IntField, x: string): void {
  const w = ps.what(f.id);
  if (f.const !== undefined) {
    c.fail(`${x} != ${f.const}`, 'r', 'invalid_const', w, gfmt(`expected ${f.const}, got {}`, x));
    return;
  }
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`${x} < ${f.min}`);
  if (f.max < INT_TYPE_MAX[f.type]) tests.push(`${x} > ${f.max}`);
  if (tests.length) c.fail(tests.join(' || '), 'r', 'out_of_range', w, gfmt(`value {} not in ${f.min}..${f.max}`, x));
  if (f.enum) {
    const e = ps.file.enums.find((d) => d.id === f.enum)!;
    const t = goEnumTest(x, e, { lo: num(f.min), hi: num(f.max) });
    if (t) c.fail(t, 'r', 'invalid_enum', w, gfmt(`value {} is not a ${e.id} value`, x));
  }
}

function repeatLoop(c: GoCode, ps: GoStruct, f: IntField | StructField, x: string, element: () => void): void {
  const w = ps.what(f.id);
  const rep = f.repeat!;
  const maxCount = f.maxCount ?? Infinity;
  const minCount = f.minCount ?? 0;
  const elemMin = f.kind === 'int' ? (widthOf(f.type) ?? 1) : ps.gw.struct(f.struct).s.minSize;
  if (elemMin === 0 && maxCount === Infinity) throw new Error(`codegen: ${ps.s.id}.${f.id}: elements can be empty, so the repeat needs a max_count to end`);
  if (rep.kind === 'count') {
    const b = ps.bounds(rep.count);
    const count = ps.temp(`${f.id}_count`);
    c.line(`${count} := ${ps.expr(rep.count, 'decode')}`);
    if (b.lo < 0 && minCount === 0) c.fail(`${count} < 0`, 'r', 'out_of_range', w, gfmt('count {} is negative', count));
    if (b.hi > maxCount) c.fail(`${count} > ${maxCount}`, 'r', 'too_many', w, gfmt(`{} elements, at most ${maxCount}`, count));
    if (b.lo < minCount) c.fail(`${count} < ${minCount}`, 'r', 'out_of_range', w, gfmt(`{} elements, at least ${minCount}`, count));
    c.block(`for i := int64(0); i < ${count}; i++`, element);
    return;
  }
  c.block('for r.Pos < r.End', () => {
    if (maxCount !== Infinity) c.fail(`len(${x}) == ${maxCount}`, 'r', 'too_many', w, gfmt(`more than ${maxCount} elements`));
    element();
  });
  if (minCount > 0) c.fail(`len(${x}) < ${minCount}`, 'r', 'out_of_range', w, gfmt(`{} elements, at least ${minCount}`, `len(${x})`));
}

function readIntField(c: GoCode, ps: GoStruct, f: IntField): void {
  const x = ps.local(f.id);
  if (f.repeat) {
    c.line(`${x} := []uint64{}`);
    repeatLoop(c, ps, f, x, () => {
      c.try('x', intRead(ps, f));
      intChecks(c, ps, f, 'x');
      c.line(`${x} = append(${x}, x)`);
    });
    return;
  }
  if (f.if) {
    c.line(`var ${x} *uint64`);
    c.block(`if ${ps.cond(f.if, 'decode')}`, () => {
      c.try('x', intRead(ps, f));
      intChecks(c, ps, f, 'x');
      c.line(`${x} = &x`);
    });
    return;
  }
  c.try(x, intRead(ps, f));
  intChecks(c, ps, f, x);
  c.line(`_ = ${x}`);
}

function bitValue(container: string, shift: number, width: number): string {
  const mask = goHex((1 << width) - 1);
  if (shift === 0 && width === 8) return container;
  if (shift + width === 8) return `(${container} >> ${shift})`;
  if (shift === 0) return `(${container} & ${mask})`;
  return `((${container} >> ${shift}) & ${mask})`;
}

function readBitsField(c: GoCode, ps: GoStruct, f: BitsField): void {
  const b = ps.local(f.id);
  c.try(b, `r.U8(${ps.what(f.id)})`);
  c.line(`_ = ${b}`);
  let shift = 8;
  for (const bit of f.bits) {
    shift -= bit.width;
    const w = ps.what(bit.id);
    const value = bitValue(b, shift, bit.width);
    if (bit.const !== undefined) {
      c.fail(`${value} != ${bit.const}`, 'r', 'invalid_const', w, gfmt(`expected ${bit.const}, got {}`, value));
      continue;
    }
    const x = ps.local(bit.id);
    if (bit.bool) {
      c.line(`${x} := (${b} & ${goHex(1 << shift)}) != 0`);
      continue;
    }
    c.line(`${x} := ${value}`);
    if (bit.max < (1n << BigInt(bit.width)) - 1n) c.fail(`${x} > ${bit.max}`, 'r', 'out_of_range', w, gfmt(`value {} not in 0..${bit.max}`, x));
    if (bit.enum) {
      const e = ps.file.enums.find((d) => d.id === bit.enum)!;
      const t = goEnumTest(x, e, { lo: 0, hi: Number(bit.max) });
      if (t) c.fail(t, 'r', 'invalid_enum', w, gfmt(`value {} is not a ${e.id} value`, x));
    }
  }
}

function readUintField(c: GoCode, ps: GoStruct, f: UintField): void {
  const x = ps.local(f.id);
  const read = `r.Uint(${ps.expr(f.width, 'decode')}, ${ps.what(f.id)})`;
  const natural = (1n << BigInt(8 * Math.min(ps.bounds(f.width).hi, 8))) - 1n;
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`x < ${f.min}`);
  if (f.max < natural) tests.push(`x > ${f.max}`);
  const checks = () => {
    if (tests.length) c.fail(tests.join(' || '), 'r', 'out_of_range', ps.what(f.id), gfmt(`value {} not in ${f.min}..${f.max}`, 'x'));
  };
  if (f.if) {
    c.line(`var ${x} *uint64`);
    c.block(`if ${ps.cond(f.if, 'decode')}`, () => { c.try('x', read); checks(); c.line(`${x} = &x`); });
    return;
  }
  c.line(`var ${x} uint64`);
  c.block('', () => { c.try('x', read); checks(); c.line(`${x} = x`); });
}

function sizeChecks(c: GoCode, ps: GoStruct, f: BytesField | MessageField, n: string, range: Interval): void {
  const min = f.kind === 'bytes' ? f.minSize : 0;
  const max = f.maxSize;
  const tests: string[] = [];
  if (range.lo < min) tests.push(`${n} < ${min}`);
  if (range.hi > max) tests.push(`${n} > ${max}`);
  if (!tests.length) return;
  c.fail(tests.join(' || '), 'r', 'out_of_range', ps.what(f.id), gfmt(`length {} not in ${min}..${max === Infinity ? '' : max}`, n));
}

type Take = (n: string) => string;

function readSized(c: GoCode, ps: GoStruct, f: BytesField | MessageField, assign: (value: string) => void, take: Take): void {
  const size = f.size;
  const n = ps.temp(`${f.id}_length`);
  switch (size.kind) {
    case 'fixed':
      assign(take(`int64(${size.n})`));
      return;
    case 'expr':
      c.line(`${n} := ${ps.expr(size.expr, 'decode')}`);
      sizeChecks(c, ps, f, n, ps.bounds(size.expr));
      assign(take(n));
      return;
    case 'prefix': {
      const prefixed = () => {
        const read = size.type === 'varint' ? `r.Varint(${ps.what(f.id)})` : `r.Uint(${widthOf(size.type)}, ${ps.what(f.id)})`;
        c.try(`${n}U`, read);
        c.line(`${n} := I(${n}U) // length prefix`);
        sizeChecks(c, ps, f, n, { lo: 0, hi: num(INT_TYPE_MAX[size.type]) });
        assign(take(n));
      };
      if (!size.if) {
        c.block('', prefixed);
        return;
      }
      c.block(`if ${ps.cond(size.if, 'decode')}`, prefixed, ' else {');
      c.lines.pop();
      c.line('} else {');
      c.block('', () => readToEnd(c, ps, f, assign, take));
      c.line('}');
      return;
    }
    case 'rest':
      if (size.minus === 0) {
        readToEnd(c, ps, f, assign, take);
        return;
      }
      c.line(`${n} := int64(r.Remaining()) - ${size.minus} // the last ${size.minus} bytes belong to the fields after it`);
      c.fail(`${n} < 0`, 'r', 'truncated', ps.what(f.id), gfmt(`need ${size.minus} bytes after it, {} left`, 'r.Remaining()'));
      sizeChecks(c, ps, f, n, { lo: 0, hi: Infinity });
      assign(take(n));
  }
}

function readToEnd(c: GoCode, ps: GoStruct, f: BytesField | MessageField, assign: (v: string) => void, take: Take): void {
  if (f.kind === 'bytes') {
    c.line('tmp := r.Rest() // runs to the end of the input');
    sizeChecks(c, ps, f, 'len(tmp)', { lo: 0, hi: Infinity });
    assign('tmp');
    return;
  }
  const n = ps.temp(`${f.id}_length`);
  c.line(`${n} := int64(r.Remaining()) // runs to the end of the input`);
  sizeChecks(c, ps, f, n, { lo: 0, hi: Infinity });
  assign(take(n));
}

function readBytesOrMessage(c: GoCode, ps: GoStruct, f: BytesField | MessageField): void {
  const x = ps.local(f.id);
  const ty = f.kind === 'bytes' ? '[]byte' : goName(f.message);
  const take: Take = f.kind === 'bytes'
    ? (n) => { c.try('tmp', `r.Bytes(${n}, ${ps.what(f.id)})`); return 'tmp'; }
    // A message embedded in a binary struct fails with this file's code, whatever it nests.
    : (n) => { c.try('sub', `r.Sub(${n}, ${ps.what(f.id)}, true)`); c.try('tmp', `read${goName(f.message)}(sub)`); return 'tmp'; };
  if (!f.if) {
    c.line(`var ${x} ${ty}`);
    c.block('', () => readSized(c, ps, f, (v) => c.line(`${x} = ${v}`), take));
    return;
  }
  c.line(`var ${x} *${ty}`);
  c.block(`if ${ps.cond(f.if, 'decode')}`, () => readSized(c, ps, f, (v) => c.line(`${x} = &${v}`), take));
}

function readStructField(c: GoCode, ps: GoStruct, f: StructField): void {
  const x = ps.local(f.id);
  const inner = ps.gw.struct(f.struct);
  if (inner.s.params.length) throw new Error(`codegen: ${ps.s.id}.${f.id}: nested struct '${f.struct}' takes parameters`);
  const read = `read${inner.cls}(r)`;
  if (f.repeat) {
    c.line(`${x} := []${inner.cls}{}`);
    repeatLoop(c, ps, f, x, () => { c.try('x', read); c.line(`${x} = append(${x}, x)`); });
    return;
  }
  if (f.if) {
    c.line(`var ${x} *${inner.cls}`);
    c.block(`if ${ps.cond(f.if, 'decode')}`, () => { c.try('x', read); c.line(`${x} = &x`); });
    return;
  }
  c.try(x, read);
}

export function readField(c: GoCode, ps: GoStruct, f: Field): void {
  switch (f.kind) {
    case 'int': return readIntField(c, ps, f);
    case 'uint': return readUintField(c, ps, f);
    case 'bits': return readBitsField(c, ps, f);
    case 'bytes': case 'message': return readBytesOrMessage(c, ps, f);
    case 'struct': return readStructField(c, ps, f);
  }
}

export function constraintText(text: string, reqs: Array<{ id: string }>): string {
  return `${text}${reqs.length ? ` (${reqs.map((r) => r.id).join(', ')})` : ''}`;
}

/** Spec ids of the struct's value fields: non-presence code flags, non-const bits, stored fields. */
export function valueIds(ps: GoStruct): string[] {
  const out: string[] = [];
  for (const fl of ps.s.flags) if (!fl.presenceOf) out.push(fl.id);
  for (const f of ps.s.fields) {
    if (f.kind === 'bits') for (const b of f.bits) { if (b.const === undefined) out.push(b.id); }
    else if (ps.sm.isProp(f)) out.push(f.id);
  }
  return out;
}

export function decodeBody(ps: GoStruct): string {
  const c = new GoCode('out, ');
  if (ps.member) for (const fl of ps.s.flags) c.line(`${ps.local(fl.id)} := (typ & ${goHex(1 << fl.bit)}) != 0`);
  for (const f of ps.s.fields) readField(c, ps, f);
  for (const f of ps.sm.derivedOrder()) {
    if (ps.sm.impliedOnDecode(f.id)) continue;
    const e = ps.expr(f.value, 'decode');
    c.fail(`I(${ps.local(f.id)}) != ${e}`, 'r', 'constraint', ps.what(f.id), gfmt(`value {} is not ${f.value.text} = {}`, ps.local(f.id), e));
  }
  for (const k of ps.s.constraints) {
    const test = `${ps.expr(k.left, 'decode')} ${NEGATE[k.op]} ${ps.expr(k.right, 'decode')}`;
    c.fail(`${ps.guard([k.left, k.right], 'decode')}${test}`, 'r', 'constraint', goStr(ps.s.id), goStr(constraintText(k.text, k.req)));
  }
  for (const fl of ps.s.flags) if (fl.presenceOf) c.line(`_ = ${ps.local(fl.id)}`);
  c.line(`return ${ps.cls}{${valueIds(ps).map((id) => `${goName(id)}: ${ps.local(id)}`).join(', ')}}, nil`);
  return c.text();
}
