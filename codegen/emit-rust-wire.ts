/**
 * The Rust module of one wire file (`frames.rs`, `packets.rs`): enum tables (modules of `u64`
 * constants), a struct per spec struct (the spec docs as `///`), and per struct
 * `read_x(r, params)`, `decode_x(&[u8], params) -> Result<X, DecodeError>`, `put_x`,
 * `encode_x(&X) -> Result<Vec<u8>, EncodeError>`, `x_to_json`; for the union an enum `Frame` with the
 * same functions and `decode_frames`. The decode and encode code follows the Python emitter
 * (`emit-python-wire-read.ts`, `emit-python-wire-write.ts`) statement for statement, so the error
 * precedence is the same (protocol.decode.order). Every expression is evaluated in `i128`: no
 * overflow, and negative computed lengths are seen as such.
 */
import type { GeneratedFile } from './emit.ts';
import type {
  Atom, BitsField, BytesField, Cond, EnumDef, Expr, Field, IntField, IntType, MessageField, Spec, StructField, UintField, WireFile,
} from './ir.ts';
import { INT_TYPE_MAX } from './ir.ts';
import { upper, varintWidth } from './naming.ts';
import { WireModel, type Interval, type StructModel } from './emit-ts-wire-model.ts';
import {
  RsCode, docText, fmt, fmtText, moduleDoc, rsDoc, rsEnum, rsField, rsHeader, rsHex, rsInt, rsLocal, rsStr, rsType, snakeOfType,
} from './emit-rust-common.ts';

const num = (v: bigint): number => (v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v));
const NEGATE = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;
const widthOf = (t: IntType): number | undefined => ({ u8: 1, u16: 2, u32: 4, u64: 8, varint: undefined }[t]);
const usizeBound = (n: number): string => (n === Infinity ? 'u64::MAX' : String(n));

/** The test that u64 `x` is outside a closed enum's table (undefined when no value in `range` can be). */
export function rsEnumTest(x: string, e: EnumDef, range: Interval): string | undefined {
  if (e.unknown === 'keep') return undefined;
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = vals[0];
  const hi = vals[vals.length - 1];
  if (hi - lo + 1n === BigInt(vals.length)) {
    const parts: string[] = [];
    if (Number(lo) > range.lo) parts.push(`${x} < ${rsInt(lo)}`);
    if (Number(hi) < range.hi) parts.push(`${x} > ${rsInt(hi)}`);
    return parts.length ? parts.join(' || ') : undefined;
  }
  return `!matches!(${x}, ${vals.map((v) => rsInt(v)).join(' | ')})`;
}

/** One struct, as the Rust emitter sees it. */
class RsStruct {
  readonly cls: string;
  readonly fn: string;
  private readonly locals = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(readonly sm: StructModel, readonly rw: RsWire) {
    this.cls = sm.name;
    this.fn = snakeOfType(sm.name);
    for (const p of this.s.params) this.local(p.id);
    for (const id of sm.named.keys()) this.local(id);
  }

  get s() { return this.sm.s; }
  get file(): WireFile { return this.sm.m.file; }
  get member(): boolean { return this.sm.member; }

  local(id: string): string { return this.reserve(`field:${id}`, rsLocal(id)); }
  temp(base: string): string { return this.reserve(`temp:${base}`, rsLocal(base)); }
  private reserve(key: string, want: string): string {
    let name = this.locals.get(key);
    if (name) return name;
    name = want;
    while (this.taken.has(name)) name += '_';
    this.locals.set(key, name);
    this.taken.add(name);
    return name;
  }
  what(id: string): string { return rsStr(`${this.s.id}.${id}`); }
  encodedLocal(id: string): string { return this.temp(`${id}_bytes`); }

  isOptional(id: string): boolean {
    const n = this.sm.named.get(id);
    return n?.kind === 'field' && !!n.field.if;
  }

  /** An expression in i128: `decode` reads the decoder's locals, `encode` the fields of `v`. */
  expr(e: Expr, side: 'decode' | 'encode'): string {
    return e.terms.map((t, i) => {
      const a = this.atom(t.atom, side);
      if (i === 0) return t.sign === -1 ? `-${a}` : a;
      return `${t.sign === -1 ? '-' : '+'} ${a}`;
    }).join(' ');
  }

  private atom(a: Atom, side: 'decode' | 'encode'): string {
    switch (a.kind) {
      case 'int': return `${a.value}i128`;
      case 'const': return `(${this.rw.useConstant(a.id)} as i128)`;
      case 'param':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: an encoder has no parameter '${a.id}'`);
        return `(${this.local(a.id)} as i128)`;
      case 'rest':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: 'rest' has no meaning when encoding`);
        return '(r.remaining() as i128)';
      case 'len': case 'count': {
        const opt = this.isOptional(a.id);
        let base: string;
        if (side === 'decode') base = this.local(a.id);
        else {
          const f = this.sm.named.get(a.id);
          base = f?.kind === 'field' && f.field.kind === 'message' ? this.encodedLocal(a.id) : `v.${rsField(a.id)}`;
        }
        return opt ? `(${base}.as_ref().map_or(0, |x| x.len()) as i128)` : `(${base}.len() as i128)`;
      }
      case 'field': return this.fieldAtom(a.id, side);
    }
  }

  private fieldAtom(id: string, side: 'decode' | 'encode'): string {
    const n = this.sm.named.get(id)!;
    if (n.kind === 'flag' || (n.kind === 'bit' && n.bit.bool)) return `(${this.flag(id, side)} as i128)`;
    if (n.kind === 'bit') {
      if (n.bit.const !== undefined) return `${n.bit.const}i128`;
      return `(${side === 'decode' ? this.local(id) : `v.${rsField(id)}`} as i128)`;
    }
    const f = n.field;
    if (f.kind === 'int' && f.const !== undefined) return `${f.const}i128`;
    if (this.sm.isDerived(f)) return side === 'decode' ? `(${this.local(id)} as i128)` : this.local(id);
    const base = side === 'decode' ? this.local(id) : `v.${rsField(id)}`;
    return f.if ? `(${base}.unwrap_or(0) as i128)` : `(${base} as i128)`;
  }

  /** A boolean flag (code flag or bool bit). */
  flag(id: string, side: 'decode' | 'encode'): string {
    const n = this.sm.named.get(id)!;
    if (side === 'decode') return this.local(id);
    if (n.kind === 'flag' && n.flag.presenceOf) return `v.${rsField(n.flag.presenceOf)}.is_some()`;
    return `v.${rsField(id)}`;
  }

  cond(c: Cond, side: 'decode' | 'encode'): string {
    const f = this.flag(c.flag, side);
    if (!c.negate) return f;
    return f.endsWith('.is_some()') ? f.replace(/\.is_some\(\)$/, '.is_none()') : `!${f}`;
  }

  guard(exprs: Expr[], side: 'decode' | 'encode'): string {
    const ids = [...new Set(exprs.flatMap((e) => this.sm.optionalRefs(e)))];
    return ids.map((id) => `${side === 'decode' ? this.local(id) : `v.${rsField(id)}`}.is_some() && `).join('');
  }

  bounds(e: Expr): Interval { return this.sm.bounds(e); }
}

class RsWire {
  readonly structs = new Map<string, RsStruct>();
  constructor(readonly m: WireModel) {
    for (const s of m.file.structs) this.structs.set(s.id, new RsStruct(m.model(s.id), this));
  }
  get file(): WireFile { return this.m.file; }
  struct(id: string): RsStruct { return this.structs.get(id)!; }
  useConstant(id: string): string { return upper(id); }
}

// ───────────────────────────── decoding ─────────────────────────────

function intRead(ps: RsStruct, f: IntField): string {
  return `r.${f.type}(${ps.what(f.id)})?`;
}

function intChecks(c: RsCode, ps: RsStruct, f: IntField, x: string): void {
  const w = ps.what(f.id);
  if (f.const !== undefined) {
    c.fail(`${x} != ${rsInt(f.const)}`, 'r', 'invalid_const', w, fmt(`expected ${f.const}, got {}`, x));
    return;
  }
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`${x} < ${rsInt(f.min)}`);
  if (f.max < INT_TYPE_MAX[f.type]) tests.push(`${x} > ${rsInt(f.max)}`);
  if (tests.length) c.fail(tests.join(' || '), 'r', 'out_of_range', w, fmt(`value {} not in ${f.min}..${f.max}`, x));
  if (f.enum) {
    const e = ps.file.enums.find((d) => d.id === f.enum)!;
    const t = rsEnumTest(x, e, { lo: num(f.min), hi: num(f.max) });
    if (t) c.fail(t, 'r', 'invalid_enum', w, fmt(`value {} is not a ${e.id} value`, x));
  }
}

function repeatLoop(c: RsCode, ps: RsStruct, f: IntField | StructField, x: string, element: () => void): void {
  const w = ps.what(f.id);
  const rep = f.repeat!;
  const maxCount = f.maxCount ?? Infinity;
  const minCount = f.minCount ?? 0;
  const elemMin = f.kind === 'int' ? (widthOf(f.type) ?? 1) : ps.rw.struct(f.struct).s.minSize;
  if (elemMin === 0 && maxCount === Infinity) throw new Error(`codegen: ${ps.s.id}.${f.id}: elements can be empty, so the repeat needs a max_count to end`);
  if (rep.kind === 'count') {
    const b = ps.bounds(rep.count);
    const count = ps.temp(`${f.id}_count`);
    c.line(`let ${count}: i128 = ${ps.expr(rep.count, 'decode')};`);
    if (b.lo < 0 && minCount === 0) c.fail(`${count} < 0`, 'r', 'out_of_range', w, fmt('count {} is negative', count));
    if (b.hi > maxCount) c.fail(`${count} > ${maxCount}`, 'r', 'too_many', w, fmt(`{} elements, at most ${maxCount}`, count));
    if (b.lo < minCount) c.fail(`${count} < ${minCount}`, 'r', 'out_of_range', w, fmt(`{} elements, at least ${minCount}`, count));
    c.block(`for _ in 0..${count}`, element);
    return;
  }
  c.block('while r.pos < r.end', () => {
    if (maxCount !== Infinity) c.fail(`${x}.len() == ${maxCount}`, 'r', 'too_many', w, fmt(`more than ${maxCount} elements`));
    element();
  });
  if (minCount > 0) c.fail(`${x}.len() < ${minCount}`, 'r', 'out_of_range', w, fmt(`{} elements, at least ${minCount}`, `${x}.len()`));
}

function readIntField(c: RsCode, ps: RsStruct, f: IntField): void {
  const x = ps.local(f.id);
  if (f.repeat) {
    c.line(`let mut ${x}: Vec<u64> = Vec::new();`);
    repeatLoop(c, ps, f, x, () => {
      c.line(`let x = ${intRead(ps, f)};`);
      intChecks(c, ps, f, 'x');
      c.line(`${x}.push(x);`);
    });
    return;
  }
  if (f.if) {
    c.block(`let ${x}: Option<u64> = if ${ps.cond(f.if, 'decode')}`, () => {
      c.line(`let x = ${intRead(ps, f)};`);
      intChecks(c, ps, f, 'x');
      c.line('Some(x)');
    }, ' else { None };');
    return;
  }
  const note = f.value ? ` // = ${f.value.text}` : f.const !== undefined ? ` // always ${f.const}` : '';
  c.line(`let ${x}: u64 = ${intRead(ps, f)};${note}`);
  intChecks(c, ps, f, x);
}

function bitValue(container: string, shift: number, width: number): string {
  const mask = `0x${((1 << width) - 1).toString(16).padStart(2, '0')}`;
  if (shift === 0 && width === 8) return container;
  if (shift + width === 8) return `(${container} >> ${shift})`;
  if (shift === 0) return `(${container} & ${mask})`;
  return `((${container} >> ${shift}) & ${mask})`;
}

function readBitsField(c: RsCode, ps: RsStruct, f: BitsField): void {
  const b = ps.local(f.id);
  c.line(`let ${b}: u64 = r.u8(${ps.what(f.id)})?;`);
  let shift = 8;
  for (const bit of f.bits) {
    shift -= bit.width;
    const w = ps.what(bit.id);
    const value = bitValue(b, shift, bit.width);
    if (bit.const !== undefined) {
      c.fail(`${value} != ${bit.const}`, 'r', 'invalid_const', w, fmt(`expected ${bit.const}, got {}`, value));
      continue;
    }
    const x = ps.local(bit.id);
    if (bit.bool) {
      c.line(`let ${x}: bool = (${b} & 0x${(1 << shift).toString(16).padStart(2, '0')}) != 0;`);
      continue;
    }
    c.line(`let ${x}: u64 = ${value};`);
    if (bit.max < (1n << BigInt(bit.width)) - 1n) c.fail(`${x} > ${bit.max}`, 'r', 'out_of_range', w, fmt(`value {} not in 0..${bit.max}`, x));
    if (bit.enum) {
      const e = ps.file.enums.find((d) => d.id === bit.enum)!;
      const t = rsEnumTest(x, e, { lo: 0, hi: Number(bit.max) });
      if (t) c.fail(t, 'r', 'invalid_enum', w, fmt(`value {} is not a ${e.id} value`, x));
    }
  }
}

function readUintField(c: RsCode, ps: RsStruct, f: UintField): void {
  const x = ps.local(f.id);
  const read = `r.uint(${ps.expr(f.width, 'decode')}, ${ps.what(f.id)})?`;
  const natural = (1n << BigInt(8 * Math.min(ps.bounds(f.width).hi, 8))) - 1n;
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`x < ${rsInt(f.min)}`);
  if (f.max < natural) tests.push(`x > ${rsInt(f.max)}`);
  const checks = () => {
    if (tests.length) c.fail(tests.join(' || '), 'r', 'out_of_range', ps.what(f.id), fmt(`value {} not in ${f.min}..${f.max}`, 'x'));
  };
  if (f.if) {
    c.block(`let ${x}: Option<u64> = if ${ps.cond(f.if, 'decode')}`, () => { c.line(`let x = ${read};`); checks(); c.line('Some(x)'); }, ' else { None };');
    return;
  }
  c.block(`let ${x}: u64 =`, () => { c.line(`let x = ${read}; // ${f.width.text} bytes`); checks(); c.line('x'); }, ';');
}

function sizeChecks(c: RsCode, ps: RsStruct, f: BytesField | MessageField, n: string, range: Interval): void {
  const min = f.kind === 'bytes' ? f.minSize : 0;
  const max = f.maxSize;
  const tests: string[] = [];
  if (range.lo < min) tests.push(`${n} < ${min}`);
  if (range.hi > max) tests.push(`${n} > ${max}`);
  if (!tests.length) return;
  c.fail(tests.join(' || '), 'r', 'out_of_range', ps.what(f.id), fmt(`length {} not in ${min}..${max === Infinity ? '' : max}`, n));
}

/** The statements reading a bytes or message field; `assign(value)` stores the value, `take(n)` reads n bytes. */
function readSized(c: RsCode, ps: RsStruct, f: BytesField | MessageField, assign: (value: string) => void, take: (n: string) => string): void {
  const size = f.size;
  const n = ps.temp(`${f.id}_length`);
  switch (size.kind) {
    case 'fixed':
      assign(take(`${size.n}i128`));
      return;
    case 'expr':
      c.line(`let ${n}: i128 = ${ps.expr(size.expr, 'decode')};`);
      sizeChecks(c, ps, f, n, ps.bounds(size.expr));
      assign(take(n));
      return;
    case 'prefix': {
      const prefixed = () => {
        c.line(`let ${n}: i128 = r.${size.type}(${ps.what(f.id)})? as i128; // length prefix`);
        sizeChecks(c, ps, f, n, { lo: 0, hi: num(INT_TYPE_MAX[size.type]) });
        assign(take(n));
      };
      if (!size.if) {
        prefixed();
        return;
      }
      c.ifElse(ps.cond(size.if, 'decode'), prefixed, () => readToEnd(c, ps, f, assign, take));
      return;
    }
    case 'rest':
      if (size.minus === 0) {
        readToEnd(c, ps, f, assign, take);
        return;
      }
      c.line(`let ${n}: i128 = r.remaining() as i128 - ${size.minus}; // the last ${size.minus} bytes belong to the fields after it`);
      c.fail(`${n} < 0`, 'r', 'truncated', ps.what(f.id), fmt(`need ${size.minus} bytes after it, {} left`, 'r.remaining()'));
      sizeChecks(c, ps, f, n, { lo: 0, hi: Infinity });
      assign(take(n));
  }
}

function readToEnd(c: RsCode, ps: RsStruct, f: BytesField | MessageField, assign: (v: string) => void, take: (n: string) => string): void {
  if (f.kind === 'bytes') {
    c.line('let tmp = r.rest(); // runs to the end of the input');
    sizeChecks(c, ps, f, 'tmp.len()', { lo: 0, hi: Infinity });
    assign('tmp');
    return;
  }
  const n = ps.temp(`${f.id}_length`);
  c.line(`let ${n}: i128 = r.remaining() as i128; // runs to the end of the input`);
  sizeChecks(c, ps, f, n, { lo: 0, hi: Infinity });
  assign(take(n));
}

function readBytesOrMessage(c: RsCode, ps: RsStruct, f: BytesField | MessageField): void {
  const x = ps.local(f.id);
  const ty = f.kind === 'bytes' ? 'Vec<u8>' : rsType(f.message);
  const take = f.kind === 'bytes'
    ? (n: string) => `r.bytes(${n}, ${ps.what(f.id)})?`
    // A message embedded in a binary struct fails with this file's code, whatever it nests.
    : (n: string) => `read_${f.message}(&mut r.sub(${n}, ${ps.what(f.id)}, true)?)?`;
  if (!f.if) {
    c.line(`let ${x}: ${ty};`);
    readSized(c, ps, f, (v) => c.line(`${x} = ${v};`), take);
    return;
  }
  c.line(`let mut ${x}: Option<${ty}> = None;`);
  c.block(`if ${ps.cond(f.if, 'decode')}`, () => readSized(c, ps, f, (v) => c.line(`${x} = Some(${v});`), take));
}

function readStructField(c: RsCode, ps: RsStruct, f: StructField): void {
  const x = ps.local(f.id);
  const inner = ps.rw.struct(f.struct);
  if (inner.s.params.length) throw new Error(`codegen: ${ps.s.id}.${f.id}: nested struct '${f.struct}' takes parameters`);
  const read = `read_${inner.fn}(r)?`;
  if (f.repeat) {
    c.line(`let mut ${x}: Vec<${inner.cls}> = Vec::new();`);
    repeatLoop(c, ps, f, x, () => c.line(`${x}.push(${read});`));
    return;
  }
  if (f.if) {
    c.line(`let ${x}: Option<${inner.cls}> = if ${ps.cond(f.if, 'decode')} { Some(${read}) } else { None };`);
    return;
  }
  c.line(`let ${x}: ${inner.cls} = ${read};`);
}

function readField(c: RsCode, ps: RsStruct, f: Field): void {
  switch (f.kind) {
    case 'int': return readIntField(c, ps, f);
    case 'uint': return readUintField(c, ps, f);
    case 'bits': return readBitsField(c, ps, f);
    case 'bytes': case 'message': return readBytesOrMessage(c, ps, f);
    case 'struct': return readStructField(c, ps, f);
  }
}

function constraintText(text: string, reqs: Array<{ id: string }>): string {
  return `${text}${reqs.length ? ` (${reqs.map((r) => r.id).join(', ')})` : ''}`;
}

/** Spec ids of the struct's value fields: non-presence code flags, non-const bits, stored fields. */
function valueIds(ps: RsStruct): string[] {
  const out: string[] = [];
  for (const fl of ps.s.flags) if (!fl.presenceOf) out.push(fl.id);
  for (const f of ps.s.fields) {
    if (f.kind === 'bits') for (const b of f.bits) { if (b.const === undefined) out.push(b.id); }
    else if (ps.sm.isProp(f)) out.push(f.id);
  }
  return out;
}

function decodeBody(ps: RsStruct): string {
  const c = new RsCode();
  if (ps.member) for (const fl of ps.s.flags) c.line(`let ${ps.local(fl.id)}: bool = (type_ & 0x${(1 << fl.bit).toString(16).padStart(2, '0')}) != 0;`);
  for (const f of ps.s.fields) readField(c, ps, f);
  for (const f of ps.sm.derivedOrder()) {
    if (ps.sm.impliedOnDecode(f.id)) continue;
    const e = ps.expr(f.value, 'decode');
    c.fail(`(${ps.local(f.id)} as i128) != ${e}`, 'r', 'constraint', ps.what(f.id), fmt(`value {} is not ${fmtText(f.value.text)} = {}`, ps.local(f.id), e));
  }
  for (const k of ps.s.constraints) {
    const test = `${ps.expr(k.left, 'decode')} ${NEGATE[k.op]} ${ps.expr(k.right, 'decode')}`;
    c.fail(`${ps.guard([k.left, k.right], 'decode')}${test}`, 'r', 'constraint', rsStr(ps.s.id), fmt(constraintText(k.text, k.req).replace(/[{}]/g, (m) => m + m)));
  }
  const args = valueIds(ps).map((id) => (rsField(id) === ps.local(id) ? rsField(id) : `${rsField(id)}: ${ps.local(id)}`));
  c.line(`Ok(${ps.cls} { ${args.join(', ')} })`);
  return c.text();
}

// ───────────────────────────── encoding ─────────────────────────────

const prop = (id: string): string => `v.${rsField(id)}`;

function checkPresence(c: RsCode, ps: RsStruct, f: Field): void {
  if (!f.if) return;
  const flag = ps.sm.named.get(f.if.flag);
  if (flag?.kind === 'flag' && flag.flag.presenceOf === f.id && !f.if.negate) return;
  c.encFail(`(${ps.cond(f.if, 'encode')}) != ${prop(f.id)}.is_some()`, 'wrong_type', ps.what(f.id), fmt(`present exactly when ${fmtText(f.if.text)}`));
}

function enumCheck(c: RsCode, ps: RsStruct, enumId: string, x: string, lo: bigint, hi: bigint, what: string): void {
  const e = ps.file.enums.find((d) => d.id === enumId)!;
  const t = rsEnumTest(x, e, { lo: num(lo), hi: num(hi) });
  if (t) c.encFail(t, 'out_of_range', what, fmt(`value {} is not a ${e.id} value`, x));
}

function checkField(c: RsCode, ps: RsStruct, f: Field): void {
  checkPresence(c, ps, f);
  const w = ps.what(f.id);
  switch (f.kind) {
    case 'int':
      if (!ps.sm.isProp(f)) return;
      if (f.repeat) {
        c.line(`check_len(${prop(f.id)}.len(), ${f.minCount ?? 0}, ${usizeBound(f.maxCount ?? Infinity)}, ${w}, "out_of_range")?;`);
        c.block(`for &x in &${prop(f.id)}`, () => {
          c.line(`check_int(x, ${rsInt(f.min)}, ${rsInt(f.max)}, ${w})?;`);
          if (f.enum) enumCheck(c, ps, f.enum, 'x', f.min, f.max, w);
        });
        return;
      }
      if (!f.if) {
        c.line(`check_int(${prop(f.id)}, ${rsInt(f.min)}, ${rsInt(f.max)}, ${w})?;`);
        if (f.enum) enumCheck(c, ps, f.enum, prop(f.id), f.min, f.max, w);
        return;
      }
      c.block(`if let Some(x) = ${prop(f.id)}`, () => {
        c.line(`check_int(x, ${rsInt(f.min)}, ${rsInt(f.max)}, ${w})?;`);
        if (f.enum) enumCheck(c, ps, f.enum, 'x', f.min, f.max, w);
      });
      return;
    case 'uint':
      if (f.if) c.when(`let Some(x) = ${prop(f.id)}`, `check_int(x, ${rsInt(f.min)}, ${rsInt(f.max)}, ${w})?;`);
      else c.line(`check_int(${prop(f.id)}, ${rsInt(f.min)}, ${rsInt(f.max)}, ${w})?;`);
      return;
    case 'bits':
      for (const b of f.bits) {
        if (b.const !== undefined || b.bool) continue;
        c.line(`check_int(${prop(b.id)}, 0, ${rsInt(b.max)}, ${ps.what(b.id)})?;`);
        if (b.enum) enumCheck(c, ps, b.enum, prop(b.id), 0n, b.max, ps.what(b.id));
      }
      return;
    case 'bytes': {
      const [lo, hi, kind] = f.size.kind === 'fixed' ? [f.size.n, f.size.n, 'length_mismatch'] : [f.minSize, f.maxSize, 'out_of_range'];
      if (lo === 0 && hi === Infinity) return; // any length
      const stmt = `check_len(x.len(), ${lo}, ${usizeBound(hi)}, ${w}, ${rsStr(kind)})?;`;
      if (f.if) c.when(`let Some(x) = &${prop(f.id)}`, stmt);
      else c.line(stmt.replace('x.len()', `${prop(f.id)}.len()`));
      return;
    }
    case 'message': {
      const x = ps.encodedLocal(f.id);
      const enc = `encode_${f.message}`;
      if (f.if) c.line(`let ${x}: Option<Vec<u8>> = match &${prop(f.id)} { Some(m) => Some(${enc}(m)?), None => None };`);
      else c.line(`let ${x}: Vec<u8> = ${enc}(&${prop(f.id)})?;`);
      const len = f.if ? `${x}.as_ref().map_or(0, |b| b.len())` : `${x}.len()`;
      if (f.size.kind === 'fixed') {
        c.encFail(`${f.if ? `${x}.is_some() && ` : ''}${len} != ${f.size.n}`, 'length_mismatch', w, fmt(`encodes to {} bytes, expected ${f.size.n}`, len));
        return;
      }
      const typeMax = f.size.kind === 'prefix' && f.size.type !== 'varint' ? 2 ** (8 * widthOf(f.size.type)!) - 1 : Infinity;
      const max = Math.min(f.maxSize, typeMax);
      if (max !== Infinity) c.encFail(`${len} > ${max}`, 'out_of_range', w, fmt(`encodes to {} bytes, at most ${max}`, len));
      return;
    }
    case 'struct':
      if (f.repeat) c.line(`check_len(${prop(f.id)}.len(), ${f.minCount ?? 0}, ${usizeBound(f.maxCount ?? Infinity)}, ${w}, "out_of_range")?;`);
  }
}

function derivedLocals(c: RsCode, ps: RsStruct): void {
  for (const f of ps.sm.derivedOrder()) {
    if (ps.sm.optionalRefs(f.value).length) throw new Error(`codegen: ${ps.s.id}.${f.id}: a derived value cannot use optional fields`);
    const x = ps.local(f.id);
    c.line(`let ${x}: i128 = ${ps.expr(f.value, 'encode')}; // ${f.id} = ${f.value.text}`);
    const b = ps.bounds(f.value);
    const t: string[] = [];
    if (b.lo < num(f.min)) t.push(`${x} < ${f.min}`);
    if (b.hi > num(f.max)) t.push(`${x} > ${f.max}`);
    if (t.length) c.encFail(t.join(' || '), 'out_of_range', ps.what(f.id), fmt(`value {} not in ${f.min}..${f.max}`, x));
  }
}

function implied(ps: RsStruct, e: Expr, key: string): boolean {
  const l = ps.sm.linear(e);
  return l.size === 1 && l.get(key) === 1n;
}

function checkRelations(c: RsCode, ps: RsStruct): void {
  for (const f of ps.s.fields) {
    const g = f.if ? `${prop(f.id)}.is_some() && ` : '';
    if (f.kind === 'uint') {
      const b = ps.bounds(f.width);
      if (f.max >= 1n << BigInt(8 * b.lo)) {
        const width = ps.expr(f.width, 'encode');
        const val = f.if ? `(${prop(f.id)}.unwrap_or(0) as i128)` : `(${prop(f.id)} as i128)`;
        c.encFail(`${g}${val} >= (1i128 << (8 * (${width})))`, 'out_of_range', ps.what(f.id), fmt(`value {} does not fit in ${fmtText(f.width.text)} = {} bytes`, val, width));
      }
    }
    const sizeExpr = (f.kind === 'bytes' || f.kind === 'message') && f.size.kind === 'expr' ? f.size.expr : undefined;
    if (sizeExpr && !implied(ps, sizeExpr, `len:${f.id}`)) {
      if (sizeExpr.terms.some((t) => t.atom.kind === 'param')) {
        c.line(`// ${f.id}: its size (${sizeExpr.text}) is a decoder parameter, which the encoder cannot check.`);
      } else {
        const base = f.kind === 'message' ? ps.encodedLocal(f.id) : prop(f.id);
        const actual = f.if ? `(${base}.as_ref().map_or(0, |b| b.len()) as i128)` : `(${base}.len() as i128)`;
        const e = ps.expr(sizeExpr, 'encode');
        c.encFail(`${g}${actual} != ${e}`, 'length_mismatch', ps.what(f.id), fmt(`{} bytes, but ${fmtText(sizeExpr.text)} = {}`, actual, e));
      }
    }
    const count = (f.kind === 'int' || f.kind === 'struct') && f.repeat?.kind === 'count' ? f.repeat.count : undefined;
    if (count && !implied(ps, count, `count:${f.id}`)) {
      const e = ps.expr(count, 'encode');
      c.encFail(`(${prop(f.id)}.len() as i128) != ${e}`, 'length_mismatch', ps.what(f.id), fmt(`{} elements, but ${fmtText(count.text)} = {}`, `${prop(f.id)}.len()`, e));
    }
  }
  for (const k of ps.s.constraints) {
    const left = ps.expr(k.left, 'encode');
    const right = ps.expr(k.right, 'encode');
    c.encFail(`${ps.guard([k.left, k.right], 'encode')}${left} ${NEGATE[k.op]} ${right}`, 'out_of_range', rsStr(ps.s.id),
      fmt(`${fmtText(constraintText(k.text, k.req))} does not hold: {} ${k.op} {}`, left, right));
  }
}

const budget = (n: number): string => `${n} byte${n === 1 ? '' : 's'}`;

function intWrite(type: IntType, x: string, max: bigint): [string, string] {
  if (type === 'varint') return [`w.varint(${x});`, `<= ${budget(varintWidth(max > (1n << 62n) - 1n ? (1n << 62n) - 1n : max))}`];
  return [`w.${type}(${x});`, budget(widthOf(type)!)];
}

function typeCode(ps: RsStruct): string {
  const parts = ps.s.flags.map((fl) => `(if ${ps.flag(fl.id, 'encode')} { ${rsHex(1 << fl.bit)} } else { 0 })`);
  return [rsHex(ps.s.code!), ...parts].join(' | ');
}

function bitsWrite(f: BitsField): string {
  let constant = 0;
  const parts: string[] = [];
  let shift = 8;
  for (const b of f.bits) {
    shift -= b.width;
    if (b.const !== undefined) constant |= Number(b.const) << shift;
    else if (b.bool) parts.push(`(if ${prop(b.id)} { ${rsHex(1 << shift)} } else { 0 })`);
    else parts.push(shift === 0 ? prop(b.id) : `(${prop(b.id)} << ${shift})`);
  }
  const consts = f.bits.filter((b) => b.const !== undefined).map((b) => `${b.id}=${b.const}`).join(', ');
  return `w.u8(${[rsHex(constant), ...parts].join(' | ')}); // ${f.id}${consts ? `: ${consts}` : ''}`;
}

function prefixWrite(c: RsCode, ps: RsStruct, f: BytesField | MessageField, n: string): void {
  if (f.size.kind !== 'prefix') return;
  const [call, b] = intWrite(f.size.type, `${n} as u64`, f.maxSize === Infinity ? (1n << 62n) - 1n : BigInt(f.maxSize));
  const stmt = `${call} // length of ${f.id}: ${b}`;
  if (f.size.if) c.when(ps.cond(f.size.if, 'encode'), stmt);
  else c.line(stmt);
}

function writeField(c: RsCode, ps: RsStruct, f: Field): void {
  const x = prop(f.id);
  switch (f.kind) {
    case 'int': {
      if (f.repeat) {
        const [call, b] = intWrite(f.type, 'x', f.max);
        c.block(`for &x in &${x}`, () => c.line(`${call} // ${b} each`));
      } else if (f.const !== undefined) {
        const [call, b] = intWrite(f.type, rsInt(f.const), f.const);
        c.line(`${call} // ${f.id}, always ${f.const}: ${b}`);
      } else if (ps.sm.isDerived(f)) {
        const [call, b] = intWrite(f.type, `${ps.local(f.id)} as u64`, f.max);
        c.line(`${call} // ${f.id}: ${b}`);
      } else if (f.if) {
        const [call, b] = intWrite(f.type, 'x', f.max);
        c.when(`let Some(x) = ${x}`, `${call} // ${f.id}: ${b}`);
      } else {
        const [call, b] = intWrite(f.type, x, f.max);
        c.line(`${call} // ${f.id}: ${b}`);
      }
      return;
    }
    case 'uint': {
      const stmt = (val: string) => `w.uint(${val}, (${ps.expr(f.width, 'encode')}) as usize); // ${f.id}: ${f.width.text} bytes`;
      if (f.if) c.when(`let Some(x) = ${x}`, stmt('x'));
      else c.line(stmt(x));
      return;
    }
    case 'bits':
      c.line(bitsWrite(f));
      return;
    case 'bytes': {
      const body = (d: string) => { prefixWrite(c, ps, f, `${d}.len()`); c.line(`w.bytes(&${d}); // ${f.id}`); };
      if (f.if) c.block(`if let Some(x) = &${x}`, () => body('x'));
      else body(x);
      return;
    }
    case 'struct': {
      const inner = ps.rw.struct(f.struct);
      if (f.repeat) c.block(`for x in &${x}`, () => c.line(`put_${inner.fn}(w, x)?;`));
      else if (f.if) c.when(`let Some(x) = &${x}`, `put_${inner.fn}(w, x)?;`);
      else c.line(`put_${inner.fn}(w, &${x})?;`);
      return;
    }
    case 'message': {
      const data = ps.encodedLocal(f.id);
      const body = (d: string) => { prefixWrite(c, ps, f, `${d}.len()`); c.line(`w.bytes(&${d}); // ${f.id}`); };
      if (f.if) c.block(`if let Some(x) = &${data}`, () => body('x'));
      else body(data);
    }
  }
}

function putBody(ps: RsStruct): string {
  const c = new RsCode();
  for (const f of ps.s.fields) checkField(c, ps, f);
  derivedLocals(c, ps);
  checkRelations(c, ps);
  if (ps.member) {
    const [call] = intWrite(ps.file.union!.tag, typeCode(ps), (1n << 62n) - 1n);
    c.line(`${call} // type`);
  }
  for (const f of ps.s.fields) writeField(c, ps, f);
  c.line('Ok(())');
  return c.text();
}

// ───────────────────────────── declarations and JSON ─────────────────────────────

function fieldType(ps: RsStruct, id: string): { type: string; note?: string } {
  const n = ps.sm.named.get(id)!;
  if (n.kind === 'flag') return { type: 'bool' };
  if (n.kind === 'bit') return n.bit.bool ? { type: 'bool' } : { type: 'u64', note: `Integer 0..${n.bit.max} (${n.bit.width} bits).` };
  const f = n.field;
  const opt = (t: string) => (f.if ? `Option<${t}>` : t);
  switch (f.kind) {
    case 'int': {
      const note = `Integer ${f.min}..${f.max} (${f.type}${f.repeat ? ', each' : ''})${f.enum ? `, a ${f.enum} value` : ''}.`;
      return { type: opt(f.repeat ? 'Vec<u64>' : 'u64'), note };
    }
    case 'uint': return { type: opt('u64'), note: `Integer ${f.min}..${f.max} (${f.width.text} bytes).` };
    case 'bytes': return { type: opt('Vec<u8>') };
    case 'struct': {
      const inner = ps.rw.struct(f.struct).cls;
      return { type: opt(f.repeat ? `Vec<${inner}>` : inner) };
    }
    case 'message': return { type: opt(rsType(f.message)) };
    default: throw new Error('bits fields have no value');
  }
}

/** Statements appending the JSON of `x` (a reference to a value of field `id`) to `out`. */
function jsonValue(ps: RsStruct, id: string, x: string): string {
  const n = ps.sm.named.get(id)!;
  if (n.kind === 'flag' || (n.kind === 'bit' && n.bit.bool)) return `json_bool(out, *${x});`;
  if (n.kind === 'bit') return `json_u64(out, *${x});`;
  const f = n.field;
  const one = (y: string): string => {
    switch (f.kind) {
      case 'int': case 'uint': return `json_u64(out, *${y});`;
      case 'bytes': return `json_hex(out, ${y});`;
      case 'struct': return `${ps.rw.struct(f.struct).fn}_to_json(${y}, out);`;
      case 'message': return `${f.message}_to_json(${y}, out);`;
      default: throw new Error('bits fields have no value');
    }
  };
  if ((f.kind === 'int' || f.kind === 'struct') && f.repeat) {
    return `out.push('['); for (i, y) in ${x}.iter().enumerate() { if i > 0 { out.push(','); } ${one('y')} } out.push(']');`;
  }
  return one(x);
}

function emitStruct(ps: RsStruct): string {
  const extra = ps.member ? [`Type code ${rsHex(ps.s.code!)}${ps.s.flags.length ? ` (${memberCodes(ps).map((c) => rsHex(c)).join(', ')}: flags in the low bits)` : ''}.`] : [];
  const out = [rsDoc(docText(ps.s, extra)), `#[derive(Debug, Clone, PartialEq, Eq, Default)]\npub struct ${ps.cls} {\n`];
  for (const id of valueIds(ps)) {
    const n = ps.sm.named.get(id)!;
    const d = n.kind === 'flag' ? n.flag : n.kind === 'bit' ? n.bit : n.field;
    const t = fieldType(ps, id);
    out.push(rsDoc(docText(d, t.note ? [t.note] : []), '    '));
    out.push(`    pub ${rsField(id)}: ${t.type},\n`);
  }
  out.push('}\n\n');
  const U = upper(ps.fn);
  out.push(`/// Fewest bytes of an encoded ${ps.cls}.\npub const ${U}_MIN_SIZE: usize = ${ps.s.minSize};\n`);
  out.push(`/// Most bytes of an encoded ${ps.cls}${ps.s.maxSize === Infinity ? ' (usize::MAX: unbounded, only the packet bounds it)' : ''}.\npub const ${U}_MAX_SIZE: usize = ${ps.s.maxSize === Infinity ? 'usize::MAX' : ps.s.maxSize};\n`);
  return out.join('');
}

function memberCodes(ps: RsStruct): number[] {
  const mask = ps.s.flags.reduce((a, fl) => a | (1 << fl.bit), 0);
  const out: number[] = [];
  for (let sub = 0; sub <= mask; sub++) if ((sub & mask) === sub) out.push(Number(ps.s.code!) | sub);
  return out;
}

function emitFunctions(ps: RsStruct): string {
  const T = ps.cls;
  const params = ps.s.params.map((p) => `, ${ps.local(p.id)}: u64`).join('');
  const args = ps.s.params.map((p) => `, ${ps.local(p.id)}`).join('');
  const paramDocs = ps.s.params.map((p) => `\n\n${ps.local(p.id)}: ${p.doc}`).join('');
  const out: string[] = [];
  if (ps.member) {
    const u = ps.file.union!;
    const mask = ps.s.flags.reduce((m, fl) => m | (1 << fl.bit), 0);
    const test = mask ? `(type_ & !${rsHex(mask)}) != ${rsHex(ps.s.code!)}` : `type_ != ${rsHex(ps.s.code!)}`;
    out.push(`/// Reads a ${T}, type code included; a code of another member is unknown_type.\n`);
    out.push(`pub fn read_${ps.fn}(r: &mut Reader<'_>) -> Result<${T}, DecodeError> {\n`);
    out.push(`    let at = r.pos;\n    let type_ = r.${u.tag}(${rsStr(`${u.id}.type`)})?;\n`);
    out.push(`    if ${test} {\n        return Err(r.fail_at("unknown_type", ${rsStr(`${ps.s.id}.type`)}, format!("type 0x{:x} is not a ${ps.s.id} ${u.id}", type_), at));\n    }\n`);
    out.push(`    read_${ps.fn}_body(r, type_)\n}\n\n`);
    out.push(`/// The fields of a ${T}, after its type code${ps.s.flags.length ? ' (whose low bits are flags)' : ''}.\n`);
    out.push(`fn read_${ps.fn}_body(r: &mut Reader<'_>, type_: u64) -> Result<${T}, DecodeError> {\n`);
    out.push(`${ps.s.flags.length ? '' : '    let _ = type_; // no flags in the type code\n'}${decodeBody(ps)}}\n\n`);
  } else {
    out.push(rsDoc(`Reads a ${T}, advancing the reader.${paramDocs}`));
    out.push(`pub fn read_${ps.fn}(r: &mut Reader<'_>${params}) -> Result<${T}, DecodeError> {\n${decodeBody(ps)}}\n\n`);
  }
  out.push(`/// Decodes exactly one ${T}: leftover bytes are trailing_bytes.\n`);
  out.push(`pub fn decode_${ps.fn}(input: &[u8]${params}) -> Result<${T}, DecodeError> {\n`);
  out.push(`    let mut r = Reader::new(input, ERROR_CODE);\n    let v = read_${ps.fn}(&mut r${args})?;\n    r.expect_end(${rsStr(`${ps.s.id}.end`)})?;\n    Ok(v)\n}\n\n`);
  out.push(`/// Checks a ${T} (EncodeError for any value a decoder would reject) and writes it.\n`);
  out.push(`pub fn put_${ps.fn}(w: &mut Writer, v: &${T}) -> Result<(), EncodeError> {\n${putBody(ps)}}\n\n`);
  out.push(`/// Checks a ${T} (EncodeError when invalid) and encodes it.\n`);
  out.push(`pub fn encode_${ps.fn}(v: &${T}) -> Result<Vec<u8>, EncodeError> {\n    let mut w = Writer::new();\n    put_${ps.fn}(&mut w, v)?;\n    Ok(w.buf)\n}\n\n`);
  out.push(`/// Appends a ${T} in the vector JSON format (codegen/README.md, "Golden vectors").\n`);
  out.push(`pub fn ${ps.fn}_to_json(v: &${T}, out: &mut String) {\n    out.push('{');\n    let mut first = true;\n`);
  if (ps.member) out.push(`    json_key(out, &mut first, "type");\n    json_str(out, ${rsStr(ps.s.id)});\n`);
  for (const id of valueIds(ps)) {
    const key = `json_key(out, &mut first, ${rsStr(id)});`;
    const n = ps.sm.named.get(id)!;
    if (n.kind === 'field' && n.field.if) out.push(`    if let Some(x) = &v.${rsField(id)} {\n        ${key}\n        ${jsonValue(ps, id, 'x')}\n    }\n`);
    else out.push(`    ${key}\n    { let x = &v.${rsField(id)}; ${jsonValue(ps, id, 'x')} }\n`);
  }
  out.push(`    let _ = first;\n    out.push('}');\n}\n\n`);
  return out.join('');
}

function emitUnion(rw: RsWire): string {
  const u = rw.file.union!;
  const U = rsType(u.id);
  const fn = snakeOfType(U);
  const members = u.members.map((id) => rw.struct(id));
  const out: string[] = [];
  out.push(`// ───────────────────────────── the ${u.id} union ─────────────────────────────\n\n`);
  out.push(rsDoc(docText(u)));
  out.push(`#[derive(Debug, Clone, PartialEq, Eq)]\npub enum ${U} {\n`);
  for (const m of members) out.push(`    ${rsType(m.s.id)}(${m.cls}),\n`);
  out.push('}\n\n');
  const minSize = Math.min(...members.map((x) => x.s.minSize));
  const maxSize = Math.max(...members.map((x) => x.s.maxSize));
  out.push(`/// Fewest bytes of an encoded ${U}.\npub const ${upper(fn)}_MIN_SIZE: usize = ${minSize};\n`);
  out.push(`/// Most bytes of an encoded ${U}.\npub const ${upper(fn)}_MAX_SIZE: usize = ${maxSize === Infinity ? 'usize::MAX' : maxSize};\n\n`);
  out.push(`/// The base type code of each ${u.id} (flags, where a member has them, go in the low bits).\npub mod ${fn}_type {\n`);
  for (const m of members) out.push(`    /// ${m.cls}${m.s.flags.length ? `: ${memberCodes(m).map((c) => rsHex(c)).join(', ')}` : ''}.\n    pub const ${upper(m.s.id)}: u64 = ${rsHex(m.s.code!)};\n`);
  out.push('}\n\n');
  out.push(`/// Reads one ${U}: its type code chooses the member; a code no member claims is unknown_type.\n`);
  out.push(`pub fn read_${fn}(r: &mut Reader<'_>) -> Result<${U}, DecodeError> {\n`);
  out.push(`    let at = r.pos;\n    let type_ = r.${u.tag}(${rsStr(`${u.id}.type`)})?;\n    match type_ {\n`);
  for (const m of members) out.push(`        ${memberCodes(m).map((c) => rsHex(c)).join(' | ')} => Ok(${U}::${rsType(m.s.id)}(read_${m.fn}_body(r, type_)?)),\n`);
  out.push(`        _ => Err(r.fail_at("unknown_type", ${rsStr(`${u.id}.type`)}, format!("unknown ${u.id} type 0x{:x}", type_), at)),\n    }\n}\n\n`);
  out.push(`/// Decodes exactly one ${U}: leftover bytes are trailing_bytes.\n`);
  out.push(`pub fn decode_${fn}(input: &[u8]) -> Result<${U}, DecodeError> {\n    let mut r = Reader::new(input, ERROR_CODE);\n    let v = read_${fn}(&mut r)?;\n    r.expect_end(${rsStr(`${u.id}.end`)})?;\n    Ok(v)\n}\n\n`);
  out.push(`/// Decodes a packet payload: ${u.id}s until the end of the input.\n`);
  out.push(`pub fn decode_${fn}s(input: &[u8]) -> Result<Vec<${U}>, DecodeError> {\n    let mut r = Reader::new(input, ERROR_CODE);\n    let mut out = Vec::new();\n    while r.pos < r.end {\n        out.push(read_${fn}(&mut r)?);\n    }\n    Ok(out)\n}\n\n`);
  out.push(`/// Checks a ${U} (EncodeError when invalid) and writes it.\npub fn put_${fn}(w: &mut Writer, v: &${U}) -> Result<(), EncodeError> {\n    match v {\n`);
  for (const m of members) out.push(`        ${U}::${rsType(m.s.id)}(x) => put_${m.fn}(w, x),\n`);
  out.push('    }\n}\n\n');
  out.push(`/// Checks a ${U} (EncodeError when invalid) and encodes it.\npub fn encode_${fn}(v: &${U}) -> Result<Vec<u8>, EncodeError> {\n    let mut w = Writer::new();\n    put_${fn}(&mut w, v)?;\n    Ok(w.buf)\n}\n\n`);
  out.push(`/// Appends a ${U} in the vector JSON format (with its "type").\npub fn ${fn}_to_json(v: &${U}, out: &mut String) {\n    match v {\n`);
  for (const m of members) out.push(`        ${U}::${rsType(m.s.id)}(x) => ${m.fn}_to_json(x, out),\n`);
  out.push('    }\n}\n');
  return out.join('');
}

export function emitRsWireModule(spec: Spec, file: WireFile): GeneratedFile {
  const rw = new RsWire(new WireModel(spec, file));
  const body: string[] = [];
  for (const e of file.enums) body.push(rsEnum(e, e.unknown === 'error' ? 'A value outside this table is a decode error (invalid_enum).' : 'Values outside this table are kept.') + '\n');
  body.push('// ───────────────────────────── values ─────────────────────────────\n\n');
  for (const s of file.structs) body.push(emitStruct(rw.struct(s.id)) + '\n');
  body.push('// ───────────────────────────── decoders and encoders ─────────────────────────────\n\n');
  for (const s of file.structs) body.push(emitFunctions(rw.struct(s.id)));
  if (file.union) body.push(emitUnion(rw));
  const code = spec.errors.codes.find((c) => c.id === file.error)!;
  const imports = ['use crate::constants::*;', 'use crate::errors::*;', 'use crate::runtime::*;', ...spec.messages.map((m) => `use crate::${m.id}::*;`)];
  const errorLine = `\n/// Decode errors of this file carry ${file.error} (${rsHex(code.code)}).\nconst ERROR_CODE: ErrorCode = ${file.error};\n\n`;
  const content = `${rsHeader([file])}${moduleDoc(file)}\n${imports.join('\n')}\n${errorLine}${body.join('')}`;
  return { path: `src/${file.id}.rs`, content: content.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n') };
}
