/**
 * Encoders of the Python wire emitter: the body of `_put_x(w, v)` for one struct, in three parts —
 * checks of each value on its own (type, range, size, enum, presence), the derived values
 * (`dcid_length = len(v.dcid)`) with their ranges, the relations between values (widths, computed
 * sizes, constraints) — then the writes, one per field with its byte budget. An invalid value raises
 * EncodeError, so the encoder never writes bytes a decoder would reject.
 */
import type { BitsField, BytesField, Field, IntField, IntType, MessageField, StructField, UintField } from './ir.ts';
import { varintWidth } from './naming.ts';
import { fText, pyHex, pyInt, pyStr } from './emit-python-common.ts';
import { NEGATE, PyCode, pyAttr, pyEnumTest, widthOf, type PyStruct } from './emit-python-wire-model.ts';
import { constraintText } from './emit-python-wire-read.ts';

const num = (v: bigint): number => (v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v));
/** An upper size bound: `math.inf` for none. */
const bound = (n: number): string => (n === Infinity ? 'math.inf' : String(n));
/** `v.stream_id`. */
const prop = (id: string): string => `v.${pyAttr(id)}`;

/** `if v.x is not None: ` guard text for an optional field, else ''. */
function guard(f: Field): string {
  return f.if ? `${prop(f.id)} is not None` : '';
}

/** Emits `stmt`, under `if <g>:` when g is not empty. */
function guarded(c: PyCode, g: string, stmt: string): void {
  if (g) c.when(g, stmt);
  else c.line(stmt);
}

// ───────────────────────────── checks ─────────────────────────────

function checkPresence(c: PyCode, ps: PyStruct, f: Field): void {
  if (!f.if) return;
  const flag = ps.sm.named.get(f.if.flag);
  if (flag?.kind === 'flag' && flag.flag.presenceOf === f.id && !f.if.negate) return; // the flag is derived from the field
  const cond = ps.cond(f.if, 'encode');
  c.when(`(${cond}) != (${prop(f.id)} is not None)`,
    `raise EncodeError('wrong_type', ${ps.what(f.id)}, f'present exactly when ${fText(f.if.text)}, got {${prop(f.id)}!r}')`);
}

function enumCheck(c: PyCode, ps: PyStruct, enumId: string, x: string, lo: bigint, hi: bigint, what: string, g = ''): void {
  const e = ps.file.enums.find((d) => d.id === enumId)!;
  const t = pyEnumTest(x, e, { lo: num(lo), hi: num(hi) });
  if (t) c.when(`${g ? `${g} and (${t})` : t}`, `raise EncodeError('out_of_range', ${what}, f'value {${x}} is not a ${e.id} value')`);
}

function checkInt(c: PyCode, ps: PyStruct, f: IntField | UintField): void {
  const w = ps.what(f.id);
  if (f.kind === 'int' && f.repeat) {
    c.line(`check_list(${prop(f.id)}, ${f.minCount ?? 0}, ${bound(f.maxCount ?? Infinity)}, ${w})`);
    c.block(`for x in ${prop(f.id)}`, () => {
      c.line(`check_int(x, ${pyInt(f.min)}, ${pyInt(f.max)}, ${w})`);
      if (f.enum) enumCheck(c, ps, f.enum, 'x', f.min, f.max, w);
    });
    return;
  }
  guarded(c, guard(f), `check_int(${prop(f.id)}, ${pyInt(f.min)}, ${pyInt(f.max)}, ${w})`);
  if (f.kind === 'int' && f.enum) enumCheck(c, ps, f.enum, prop(f.id), f.min, f.max, w, guard(f));
}

function checkBits(c: PyCode, ps: PyStruct, f: BitsField): void {
  for (const b of f.bits) {
    if (b.const !== undefined) continue;
    const w = ps.what(b.id);
    if (b.bool) {
      c.line(`check_bool(${prop(b.id)}, ${w})`);
      continue;
    }
    c.line(`check_int(${prop(b.id)}, 0, ${pyInt(b.max)}, ${w})`);
    if (b.enum) enumCheck(c, ps, b.enum, prop(b.id), 0n, b.max, w);
  }
}

function checkBytes(c: PyCode, ps: PyStruct, f: BytesField): void {
  const w = ps.what(f.id);
  if (f.size.kind === 'fixed') guarded(c, guard(f), `check_bytes(${prop(f.id)}, ${f.size.n}, ${f.size.n}, ${w}, 'length_mismatch')`);
  else guarded(c, guard(f), `check_bytes(${prop(f.id)}, ${f.minSize}, ${bound(f.maxSize)}, ${w})`);
}

/** A message field is encoded here (the encoder validates it); its size is checked against the field's bounds. */
function checkMessage(c: PyCode, ps: PyStruct, f: MessageField): void {
  const x = ps.encodedLocal(f.id);
  const enc = `encode_${f.message}(${prop(f.id)})`;
  ps.py.useMessage(f.message);
  c.line(f.if ? `${x} = ${enc} if ${prop(f.id)} is not None else None` : `${x} = ${enc}`);
  const size = f.size;
  const g = f.if ? `${x} is not None and ` : '';
  if (size.kind === 'fixed') {
    c.when(`${g}len(${x}) != ${size.n}`, `raise EncodeError('length_mismatch', ${ps.what(f.id)}, f'encodes to {len(${x})} bytes, expected ${size.n}')`);
    return;
  }
  const typeMax = size.kind === 'prefix' && size.type !== 'varint' ? 2 ** (8 * widthOf(size.type)!) - 1 : Infinity;
  const max = Math.min(f.maxSize, typeMax);
  if (max !== Infinity) c.when(`${g}len(${x}) > ${max}`, `raise EncodeError('out_of_range', ${ps.what(f.id)}, f'encodes to {len(${x})} bytes, at most ${max}')`);
}

function checkStruct(c: PyCode, ps: PyStruct, f: StructField): void {
  if (f.repeat) c.line(`check_list(${prop(f.id)}, ${f.minCount ?? 0}, ${bound(f.maxCount ?? Infinity)}, ${ps.what(f.id)})`);
}

function checkField(c: PyCode, ps: PyStruct, f: Field): void {
  checkPresence(c, ps, f);
  switch (f.kind) {
    case 'int': if (ps.sm.isProp(f)) checkInt(c, ps, f); return;
    case 'uint': return checkInt(c, ps, f);
    case 'bits': return checkBits(c, ps, f);
    case 'bytes': return checkBytes(c, ps, f);
    case 'message': return checkMessage(c, ps, f);
    case 'struct': return checkStruct(c, ps, f);
  }
}

/** Derived values in dependency order (`length = v.packet_number_length + 1 + len(v.payload)`), range-checked where they can fail. */
function derivedLocals(c: PyCode, ps: PyStruct): void {
  for (const f of ps.sm.derivedOrder()) {
    if (ps.sm.optionalRefs(f.value).length) throw new Error(`codegen: ${ps.s.id}.${f.id}: a derived value cannot use optional fields`);
    const x = ps.local(f.id);
    c.line(`${x} = ${ps.expr(f.value, 'encode')}  # ${f.id} = ${f.value.text}`);
    const b = ps.bounds(f.value);
    const t: string[] = [];
    if (b.lo < num(f.min)) t.push(`${x} < ${pyInt(f.min)}`);
    if (b.hi > num(f.max)) t.push(`${x} > ${pyInt(f.max)}`);
    if (t.length) c.when(t.join(' or '), `raise EncodeError('out_of_range', ${ps.what(f.id)}, f'value {${x}} not in ${f.min}..${f.max}')`);
  }
}

/** True when the linear form of a size/count is exactly `len(id)`/`count(id)`: the derived fields make it hold. */
function implied(ps: PyStruct, e: Parameters<PyStruct['expr']>[0], key: string): boolean {
  const l = ps.sm.linear(e);
  return l.size === 1 && l.get(key) === 1n;
}

/** Relations between values: packet-number widths, computed sizes and counts, constraints. */
function checkRelations(c: PyCode, ps: PyStruct): void {
  for (const f of ps.s.fields) {
    if (f.kind === 'uint') {
      const b = ps.bounds(f.width);
      if (f.max >= 1n << BigInt(8 * b.lo)) {
        const width = ps.expr(f.width, 'encode');
        c.when(`${guard(f) ? `${guard(f)} and ` : ''}${prop(f.id)} >= 1 << (8 * (${width}))`,
          `raise EncodeError('out_of_range', ${ps.what(f.id)}, f'value {${prop(f.id)}} does not fit in ${fText(f.width.text)} = {${width}} bytes')`);
      }
    }
    const sizeExpr = (f.kind === 'bytes' || f.kind === 'message') && f.size.kind === 'expr' ? f.size.expr : undefined;
    if (sizeExpr && !implied(ps, sizeExpr, `len:${f.id}`)) {
      if (sizeExpr.terms.some((t) => t.atom.kind === 'param')) {
        c.line(`# ${f.id}: its size (${sizeExpr.text}) is a decoder parameter, which the encoder cannot check.`);
      } else {
        const actual = f.kind === 'message' ? `len(${ps.encodedLocal(f.id)})` : `len(${prop(f.id)})`;
        const e = ps.expr(sizeExpr, 'encode');
        c.when(`${guard(f) ? `${guard(f)} and ` : ''}${actual} != ${e}`,
          `raise EncodeError('length_mismatch', ${ps.what(f.id)}, f'{${actual}} bytes, but ${fText(sizeExpr.text)} = {${e}}')`);
      }
    }
    const count = (f.kind === 'int' || f.kind === 'struct') && f.repeat?.kind === 'count' ? f.repeat.count : undefined;
    if (count && !implied(ps, count, `count:${f.id}`)) {
      const e = ps.expr(count, 'encode');
      c.when(`len(${prop(f.id)}) != ${e}`, `raise EncodeError('length_mismatch', ${ps.what(f.id)}, f'{len(${prop(f.id)})} elements, but ${fText(count.text)} = {${e}}')`);
    }
  }
  for (const k of ps.s.constraints) {
    const left = ps.expr(k.left, 'encode');
    const right = ps.expr(k.right, 'encode');
    c.when(`${ps.guard([k.left, k.right], 'encode')}${left} ${NEGATE[k.op]} ${right}`,
      `raise EncodeError('out_of_range', ${pyStr(ps.s.id)}, f'${fText(constraintText(k.text, k.req))} does not hold: {${left}} ${k.op} {${right}}')`);
  }
}

// ───────────────────────────── writes ─────────────────────────────

const budget = (n: number): string => `${n} byte${n === 1 ? '' : 's'}`;

/** The write of an int and its byte budget: `['w.varint(v.x)', '<= 8 bytes']`. */
function intWrite(type: IntType, x: string, max: bigint): [string, string] {
  if (type === 'varint') return [`w.varint(${x})`, `<= ${budget(varintWidth(max > (1n << 62n) - 1n ? (1n << 62n) - 1n : max))}`];
  return [`w.${type}(${x})`, budget(widthOf(type)!)];
}

/** The tag of a union member: base code | flag bits. */
function pyTypeCode(ps: PyStruct): string {
  const parts = ps.s.flags.map((fl) => `(${pyHex(1 << fl.bit)} if ${ps.flag(fl.id, 'encode')} else 0)`);
  return [pyHex(ps.s.code!), ...parts].join(' | ');
}

/** `0xc0 | (0x20 if v.spin_bit else 0) | v.packet_number_length` for a bits field. */
function bitsWrite(f: BitsField): string {
  let constant = 0;
  const parts: string[] = [];
  let shift = 8;
  for (const b of f.bits) {
    shift -= b.width;
    if (b.const !== undefined) constant |= Number(b.const) << shift;
    else if (b.bool) parts.push(`(${pyHex(1 << shift)} if ${prop(b.id)} else 0)`);
    else parts.push(shift === 0 ? prop(b.id) : `(${prop(b.id)} << ${shift})`);
  }
  const consts = f.bits.filter((b) => b.const !== undefined).map((b) => `${b.id}=${b.const}`).join(', ');
  return `w.u8(${[pyHex(constant), ...parts].join(' | ')})  # ${f.id}${consts ? `: ${consts}` : ''}`;
}

function prefixWrite(c: PyCode, ps: PyStruct, f: BytesField | MessageField, n: string): void {
  if (f.size.kind !== 'prefix') return;
  const [call, b] = intWrite(f.size.type, n, f.maxSize === Infinity ? (1n << 62n) - 1n : BigInt(f.maxSize));
  const stmt = `${call}  # length of ${f.id}: ${b}`;
  if (f.size.if) c.when(ps.cond(f.size.if, 'encode'), stmt);
  else c.line(stmt);
}

function writeField(c: PyCode, ps: PyStruct, f: Field): void {
  const x = prop(f.id);
  const g = guard(f);
  const under = (body: () => void) => (g ? c.block(`if ${g}`, body) : body());
  switch (f.kind) {
    case 'int': {
      if (f.repeat) {
        const [call, b] = intWrite(f.type, 'x', f.max);
        c.block(`for x in ${x}`, () => c.line(`${call}  # ${b} each`));
      } else if (f.const !== undefined) {
        const [call, b] = intWrite(f.type, pyInt(f.const), f.const);
        c.line(`${call}  # ${f.id}, always ${f.const}: ${b}`);
      } else if (ps.sm.isDerived(f)) {
        const [call, b] = intWrite(f.type, ps.local(f.id), f.max);
        c.line(`${call}  # ${f.id}: ${b}`);
      } else {
        const [call, b] = intWrite(f.type, x, f.max);
        guarded(c, g, `${call}  # ${f.id}: ${b}`);
      }
      return;
    }
    case 'uint':
      guarded(c, g, `w.uint(${x}, ${ps.expr(f.width, 'encode')})  # ${f.id}: ${f.width.text} bytes`);
      return;
    case 'bits':
      c.line(bitsWrite(f));
      return;
    case 'bytes':
      under(() => {
        prefixWrite(c, ps, f, `len(${x})`);
        c.line(`w.bytes(${x})  # ${f.id}`);
      });
      return;
    case 'struct': {
      const inner = ps.py.struct(f.struct);
      if (f.repeat) c.block(`for x in ${x}`, () => c.line(`_put_${inner.fn}(w, x)`));
      else guarded(c, g, `_put_${inner.fn}(w, ${x})`);
      return;
    }
    case 'message': {
      const data = ps.encodedLocal(f.id);
      under(() => {
        prefixWrite(c, ps, f, `len(${data})`);
        c.line(`w.bytes(${data})  # ${f.id}`);
      });
    }
  }
}

/** The body of `_put_x(w, v)`: checks, derived values, relations, then the writes. */
export function pyPutBody(ps: PyStruct): string {
  const c = new PyCode();
  c.line(`check_type(v, ${ps.cls}, ${pyStr(ps.s.id)})`);
  for (const fl of ps.s.flags) if (!fl.presenceOf) c.line(`check_bool(${prop(fl.id)}, ${ps.what(fl.id)})`);
  for (const f of ps.s.fields) checkField(c, ps, f);
  derivedLocals(c, ps);
  checkRelations(c, ps);
  if (ps.member) {
    const tag = ps.file.union!.tag;
    const [call] = intWrite(tag, pyTypeCode(ps), (1n << 62n) - 1n);
    c.line(`${call}  # type`);
  }
  for (const f of ps.s.fields) writeField(c, ps, f);
  return c.text();
}
