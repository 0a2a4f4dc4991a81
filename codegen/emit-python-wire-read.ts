/**
 * Decoders of the Python wire emitter: the body of `read_x(r, ...params)` for one struct, as
 * straight-line code — one statement (and its checks) per field, in spec order, so that the first
 * defect met is the one reported (protocol.decode.order): within a field, reading (truncated,
 * non_minimal), then invalid_const, out_of_range, invalid_enum; a length against its size bounds
 * before its bytes are taken. Checks the reader already guarantees are left out.
 */
import type { BitsField, BytesField, Field, IntField, MessageField, StructField, UintField } from './ir.ts';
import { fText, pyInt, pyStr } from './emit-python-common.ts';
import { NEGATE, PyCode, naturalMax, pyAttr, pyEnumTest, widthOf, type PyStruct } from './emit-python-wire-model.ts';
import type { Interval } from './emit-ts-wire-model.ts';

/** `Number` of a bigint bound, Infinity above 2^53-1 (bounds are only compared). */
const num = (v: bigint): number => (v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v));

/** The reader call for one int. */
function intRead(ps: PyStruct, f: IntField): string {
  return `r.${f.type}(${ps.what(f.id)})`;
}

/** Checks after reading int `x`: const, range, enum (each only where it can fail). */
function intChecks(c: PyCode, ps: PyStruct, f: IntField, x: string): void {
  const w = ps.what(f.id);
  if (f.const !== undefined) {
    c.when(`${x} != ${pyInt(f.const)}`, `r.fail('invalid_const', ${w}, f'expected ${f.const}, got {${x}}')`);
    return;
  }
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`${x} < ${pyInt(f.min)}`);
  if (f.max < naturalMax(f.type)) tests.push(`${x} > ${pyInt(f.max)}`);
  if (tests.length) {
    c.when(`${tests.join(' or ')}`, `r.fail('out_of_range', ${w}, f'value {${x}} not in ${f.min}..${f.max}')`);
  }
  if (f.enum) {
    const e = ps.file.enums.find((x) => x.id === f.enum)!;
    const t = pyEnumTest(x, e, { lo: num(f.min), hi: num(f.max) });
    if (t) {
      c.when(`${t}`, `r.fail('invalid_enum', ${w}, f'value {${x}} is not a ${e.id} value')`);
    }
  }
}

function readIntField(c: PyCode, ps: PyStruct, f: IntField): void {
  const x = ps.local(f.id);
  if (f.repeat) {
    c.line(`${x}: list[int] = []`);
    const checks = new PyCode();
    intChecks(checks, ps, f, 'x');
    repeatLoop(c, ps, f, x, () => {
      if (!checks.lines.length) {
        c.line(`${x}.append(${intRead(ps, f)})`);
        return;
      }
      c.line(`x = ${intRead(ps, f)}`);
      intChecks(c, ps, f, 'x');
      c.line(`${x}.append(x)`);
    });
    return;
  }
  const checks = new PyCode();
  intChecks(checks, ps, f, x);
  if (f.if) {
    if (!checks.lines.length) {
      c.line(`${x} = ${intRead(ps, f)} if ${ps.cond(f.if, 'decode')} else None`);
      return;
    }
    c.line(`${x} = None`);
    c.block(`if ${ps.cond(f.if, 'decode')}`, () => {
      c.line(`${x} = ${intRead(ps, f)}`);
      intChecks(c, ps, f, x);
    });
    return;
  }
  const note = f.value ? `  # = ${f.value.text}` : f.const !== undefined ? `  # always ${f.const}` : '';
  c.line(`${x} = ${intRead(ps, f)}${note}`);
  intChecks(c, ps, f, x);
}

/**
 * The loop of a repeated field (a count, or until the end of the input), with its element-count
 * limits (protocol.decode.counts): more than max_count is `too_many`, found before the extra element
 * is read; fewer than min_count is `out_of_range`.
 */
function repeatLoop(c: PyCode, ps: PyStruct, f: IntField | StructField, x: string, element: () => void): void {
  const w = ps.what(f.id);
  const rep = f.repeat!;
  const maxCount = f.maxCount ?? Infinity;
  const minCount = f.minCount ?? 0;
  const elemMin = f.kind === 'int' ? (widthOf(f.type) ?? 1) : ps.py.struct(f.struct).s.minSize;
  if (elemMin === 0 && maxCount === Infinity) {
    throw new Error(`codegen: ${ps.s.id}.${f.id}: elements can be empty, so the repeat needs a max_count to end`);
  }
  if (rep.kind === 'count') {
    const b = ps.bounds(rep.count);
    let count = ps.expr(rep.count, 'decode');
    if (rep.count.terms.length > 1) {
      const t = ps.temp(`${f.id}_count`);
      c.line(`${t} = ${count}`);
      count = t;
    }
    if (b.lo < 0 && minCount === 0) c.when(`${count} < 0`, `r.fail('out_of_range', ${w}, f'count {${count}} is negative')`);
    if (b.hi > maxCount) c.when(`${count} > ${maxCount}`, `r.fail('too_many', ${w}, f'{${count}} elements, at most ${maxCount}')`);
    if (b.lo < minCount) c.when(`${count} < ${minCount}`, `r.fail('out_of_range', ${w}, f'{${count}} elements, at least ${minCount}')`);
    c.block(`for _ in range(${count})`, element);
    return;
  }
  c.block('while r.pos < r.end', () => {
    if (maxCount !== Infinity) {
      c.when(`len(${x}) == ${maxCount}`, `r.fail('too_many', ${w}, 'more than ${maxCount} elements')`);
    }
    element();
  });
  if (minCount > 0) {
    c.when(`len(${x}) < ${minCount}`, `r.fail('out_of_range', ${w}, f'{len(${x})} elements, at least ${minCount}')`);
  }
}

/** `(b >> 4) & 0x03`, simplified at the edges of the byte. */
function pyBitValue(container: string, shift: number, width: number): string {
  const mask = `0x${((1 << width) - 1).toString(16).padStart(2, '0')}`;
  if (shift === 0 && width === 8) return container;
  if (shift + width === 8) return `${container} >> ${shift}`;
  if (shift === 0) return `${container} & ${mask}`;
  return `(${container} >> ${shift}) & ${mask}`;
}

function readBitsField(c: PyCode, ps: PyStruct, f: BitsField): void {
  const b = ps.local(f.id);
  c.line(`${b} = r.u8(${ps.what(f.id)})`);
  let shift = 8;
  for (const bit of f.bits) {
    shift -= bit.width;
    const w = ps.what(bit.id);
    const value = pyBitValue(b, shift, bit.width);
    if (bit.const !== undefined) {
      c.when(`${/[ &>]/.test(value) ? `(${value})` : value} != ${bit.const}`, `r.fail('invalid_const', ${w}, f'expected ${bit.const}, got {${value}}')`);
      continue;
    }
    const x = ps.local(bit.id);
    if (bit.bool) {
      c.line(`${x} = (${b} & 0x${(1 << shift).toString(16).padStart(2, '0')}) != 0`);
      continue;
    }
    c.line(`${x} = ${value}`);
    if (bit.max < (1n << BigInt(bit.width)) - 1n) {
      c.when(`${x} > ${bit.max}`, `r.fail('out_of_range', ${w}, f'value {${x}} not in 0..${bit.max}')`);
    }
    if (bit.enum) {
      const e = ps.file.enums.find((d) => d.id === bit.enum)!;
      const t = pyEnumTest(x, e, { lo: 0, hi: Number(bit.max) });
      if (t) {
        c.when(`${t}`, `r.fail('invalid_enum', ${w}, f'value {${x}} is not a ${e.id} value')`);
      }
    }
  }
}

function readUintField(c: PyCode, ps: PyStruct, f: UintField): void {
  const x = ps.local(f.id);
  const width = ps.expr(f.width, 'decode');
  const read = `r.uint(${width}, ${ps.what(f.id)})`;
  const natural = (1n << BigInt(8 * Math.min(ps.bounds(f.width).hi, 64))) - 1n;
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`${x} < ${pyInt(f.min)}`);
  if (f.max < natural) tests.push(`${x} > ${pyInt(f.max)}`);
  const checks = () => {
    if (tests.length) {
      c.when(`${tests.join(' or ')}`, `r.fail('out_of_range', ${ps.what(f.id)}, f'value {${x}} not in ${f.min}..${f.max}')`);
    }
  };
  if (f.if) {
    c.line(`${x} = None`);
    c.block(`if ${ps.cond(f.if, 'decode')}`, () => { c.line(`${x} = ${read}`); checks(); });
    return;
  }
  c.line(`${x} = ${read}  # ${f.width.text} bytes`);
  checks();
}

/** `n` outside min_size..max_size is out_of_range (checked only where the bounds of n allow it). */
function sizeChecks(c: PyCode, ps: PyStruct, f: BytesField | MessageField, n: string, range: Interval): void {
  const min = f.kind === 'bytes' ? f.minSize : 0;
  const max = f.maxSize;
  const tests: string[] = [];
  if (range.lo < min) tests.push(`${n} < ${min}`);
  if (range.hi > max) tests.push(`${n} > ${max}`);
  if (!tests.length) return;
  c.when(`${tests.join(' or ')}`, `r.fail('out_of_range', ${ps.what(f.id)}, f'length {${n}} not in ${min}..${max === Infinity ? '' : max}')`);
}

/**
 * The statements that read a bytes or message field: `assign(value)` stores the result and
 * `take(n)` renders the read of n bytes (`r.bytes(n, …)` or `read_m(r.sub(n, …))`).
 */
function readSized(c: PyCode, ps: PyStruct, f: BytesField | MessageField, assign: (value: string) => void, take: (n: string) => string): void {
  const size = f.size;
  const n = ps.temp(`${f.id}_length`);
  switch (size.kind) {
    case 'fixed':
      assign(take(String(size.n)));
      return;
    case 'expr': {
      const e = ps.expr(size.expr, 'decode');
      const single = size.expr.terms.length === 1 && size.expr.terms[0].sign === 1;
      const len = single ? e : n;
      if (!single) c.line(`${n} = ${e}`);
      // A negative computed length is out_of_range (protocol.decode.sizes): min_size is at least 0.
      sizeChecks(c, ps, f, len, ps.bounds(size.expr));
      assign(take(len));
      return;
    }
    case 'prefix': {
      const prefixed = () => {
        c.line(`${n} = r.${size.type}(${ps.what(f.id)})  # length prefix`);
        sizeChecks(c, ps, f, n, { lo: 0, hi: num(naturalMax(size.type)) });
        assign(take(n));
      };
      if (!size.if) {
        prefixed();
        return;
      }
      c.block(`if ${ps.cond(size.if, 'decode')}`, prefixed);
      c.block('else', () => readToEnd(c, ps, f, assign, take));
      return;
    }
    case 'rest':
      if (size.minus === 0) {
        readToEnd(c, ps, f, assign, take);
        return;
      }
      c.line(`${n} = r.remaining - ${size.minus}  # the last ${size.minus} bytes belong to the fields after it`);
      c.when(`${n} < 0`, `r.fail('truncated', ${ps.what(f.id)}, f'need ${size.minus} bytes after it, {r.remaining} left')`);
      sizeChecks(c, ps, f, n, { lo: 0, hi: Infinity });
      assign(take(n));
  }
}

/** The data runs to the end of the input (size `rest`, or a conditional prefix that is absent). */
function readToEnd(c: PyCode, ps: PyStruct, f: BytesField | MessageField, assign: (v: string) => void, take: (n: string) => string): void {
  if (f.kind === 'bytes') {
    // Nothing can be short: the only checks are the size bounds, on what was taken.
    assign('r.rest()  # runs to the end of the input');
    sizeChecks(c, ps, f, `len(${ps.local(f.id)})`, { lo: 0, hi: Infinity });
    return;
  }
  const n = ps.temp(`${f.id}_length`);
  c.line(`${n} = r.remaining  # runs to the end of the input`);
  sizeChecks(c, ps, f, n, { lo: 0, hi: Infinity });
  assign(take(n));
}

function readBytesOrMessage(c: PyCode, ps: PyStruct, f: BytesField | MessageField): void {
  const x = ps.local(f.id);
  const take = f.kind === 'bytes'
    ? (n: string) => `r.bytes(${n}, ${ps.what(f.id)})`
    // A message embedded in a binary struct fails with this file's code, whatever it nests.
    : (n: string) => { ps.py.useMessage(f.message); return `read_${f.message}(r.sub(${n}, ${ps.what(f.id)}, fixed=True))`; };
  const body = () => readSized(c, ps, f, (v) => c.line(`${x} = ${v}`), take);
  if (!f.if) {
    body();
    return;
  }
  c.line(`${x} = None`);
  c.block(`if ${ps.cond(f.if, 'decode')}`, body);
}

function readStructField(c: PyCode, ps: PyStruct, f: StructField): void {
  const x = ps.local(f.id);
  const inner = ps.py.struct(f.struct);
  if (inner.s.params.length) throw new Error(`codegen: ${ps.s.id}.${f.id}: nested struct '${f.struct}' takes parameters`);
  const read = `read_${inner.fn}(r)`;
  if (f.repeat) {
    c.line(`${x}: list[${inner.cls}] = []`);
    repeatLoop(c, ps, f, x, () => c.line(`${x}.append(${read})`));
    return;
  }
  if (f.if) {
    c.line(`${x} = ${read} if ${ps.cond(f.if, 'decode')} else None`);
    return;
  }
  c.line(`${x} = ${read}`);
}

function readField(c: PyCode, ps: PyStruct, f: Field): void {
  switch (f.kind) {
    case 'int': return readIntField(c, ps, f);
    case 'uint': return readUintField(c, ps, f);
    case 'bits': return readBitsField(c, ps, f);
    case 'bytes': case 'message': return readBytesOrMessage(c, ps, f);
    case 'struct': return readStructField(c, ps, f);
  }
}

/** A constraint's text with the requirement ids it carries. */
export function constraintText(text: string, reqs: Array<{ id: string }>): string {
  return `${text}${reqs.length ? ` (${reqs.map((r) => r.id).join(', ')})` : ''}`;
}

/**
 * The body of a decoder: the type-code flags, every field, then derived fields that no later size
 * or count makes hold by construction, then the constraints (skipped when they name an absent
 * optional field), then the value.
 */
export function pyDecodeBody(ps: PyStruct): string {
  const c = new PyCode();
  if (ps.member) {
    for (const fl of ps.s.flags) c.line(`${ps.local(fl.id)} = (type_ & 0x${(1 << fl.bit).toString(16).padStart(2, '0')}) != 0`);
  }
  for (const f of ps.s.fields) readField(c, ps, f);
  for (const f of ps.sm.derivedOrder()) {
    if (ps.sm.impliedOnDecode(f.id)) continue;
    const e = ps.expr(f.value, 'decode');
    c.when(`${ps.local(f.id)} != ${e}`, `r.fail('constraint', ${ps.what(f.id)}, f'value {${ps.local(f.id)}} is not ${fText(f.value.text)} = {${e}}')`);
  }
  for (const k of ps.s.constraints) {
    const test = `${ps.expr(k.left, 'decode')} ${NEGATE[k.op]} ${ps.expr(k.right, 'decode')}`;
    c.when(`${ps.guard([k.left, k.right], 'decode')}${test}`, `r.fail('constraint', ${pyStr(ps.s.id)}, ${pyStr(constraintText(k.text, k.req))})`);
  }
  const args = valueArgs(ps, (id) => ps.local(id));
  const one = `return ${ps.cls}(${args.join(', ')})`;
  if (one.length + 4 <= 110) c.line(one);
  else {
    c.line(`return ${ps.cls}(`);
    for (const a of args) c.line(`    ${a},`);
    c.line(')');
  }
  return c.text();
}

/** `attr=local` for every value attribute of the struct, in declaration order. */
function valueArgs(ps: PyStruct, local: (id: string) => string): string[] {
  return valueIds(ps).map((id) => `${pyAttr(id)}=${local(id)}`);
}

/** Spec ids of the struct's value attributes: non-presence code flags, non-const bits, stored fields. */
export function valueIds(ps: PyStruct): string[] {
  const out: string[] = [];
  for (const fl of ps.s.flags) if (!fl.presenceOf) out.push(fl.id);
  for (const f of ps.s.fields) {
    if (f.kind === 'bits') for (const b of f.bits) { if (b.const === undefined) out.push(b.id); }
    else if (ps.sm.isProp(f)) out.push(f.id);
  }
  return out;
}

/** Every code a member claims: the base code with each combination of its flag bits. */
export function pyMemberCodes(ps: PyStruct): number[] {
  const mask = ps.s.flags.reduce((a, fl) => a | (1 << fl.bit), 0);
  const out: number[] = [];
  for (let sub = 0; sub <= mask; sub++) if ((sub & mask) === sub) out.push(Number(ps.s.code!) | sub);
  return out;
}
