/**
 * The Go file of one wire file (`frames.go`, `packets.go`): enum tables, a struct per spec struct
 * (the spec docs as comments), and per struct `readX(r, params)`, `DecodeX([]byte, params...) (X,
 * error)`, `putX`, `EncodeX(X) ([]byte, error)`, `JsonX`; for the union an interface `Frame` with the
 * same functions and `DecodeFrames`. Decoders are in `emit-go-wire-read.ts`; this is the encoders
 * (after `emit-rust-wire.ts`), declarations and JSON.
 */
import type { GeneratedFile } from './emit.ts';
import type { BitsField, BytesField, Expr, Field, IntType, MessageField, Spec, WireFile } from './ir.ts';
import { varintWidth } from './naming.ts';
import { WireModel } from './emit-ts-wire-model.ts';
import { GoCode, gfmt, goDoc, goHeader, goName, goStr } from './emit-go-common.ts';
import { goEnum } from './emit-go-messages.ts';
import { GoStruct, GoWire, NEGATE, constraintText, decodeBody, goEnumTest, goHex, num, valueIds, widthOf } from './emit-go-wire-read.ts';

const prop = (id: string): string => `v.${goName(id)}`;
const bound = (n: number): string => (n === Infinity ? '1<<63 - 1' : String(n));

function checkPresence(c: GoCode, ps: GoStruct, f: Field): void {
  if (!f.if) return;
  const flag = ps.sm.named.get(f.if.flag);
  if (flag?.kind === 'flag' && flag.flag.presenceOf === f.id && !f.if.negate) return;
  c.encFail(`(${ps.cond(f.if, 'encode')}) != (${prop(f.id)} != nil)`, 'wrong_type', ps.what(f.id), gfmt(`present exactly when ${f.if.text}`));
}

function enumCheck(c: GoCode, ps: GoStruct, enumId: string, x: string, lo: bigint, hi: bigint, what: string): void {
  const e = ps.file.enums.find((d) => d.id === enumId)!;
  const t = goEnumTest(x, e, { lo: num(lo), hi: num(hi) });
  if (t) c.encFail(t, 'out_of_range', what, gfmt(`value {} is not a ${e.id} value`, x));
}

function checkField(c: GoCode, ps: GoStruct, f: Field): void {
  checkPresence(c, ps, f);
  const w = ps.what(f.id);
  switch (f.kind) {
    case 'int':
      if (!ps.sm.isProp(f)) return;
      if (f.repeat) {
        c.check(`CheckLen(len(${prop(f.id)}), ${f.minCount ?? 0}, ${bound(f.maxCount ?? Infinity)}, ${w}, "out_of_range")`);
        c.block(`for _, x := range ${prop(f.id)}`, () => {
          c.check(`CheckInt(x, ${f.min}, ${f.max}, ${w})`);
          if (f.enum) enumCheck(c, ps, f.enum, 'x', f.min, f.max, w);
        });
        return;
      }
      if (!f.if) {
        c.check(`CheckInt(${prop(f.id)}, ${f.min}, ${f.max}, ${w})`);
        if (f.enum) enumCheck(c, ps, f.enum, prop(f.id), f.min, f.max, w);
        return;
      }
      c.block(`if ${prop(f.id)} != nil`, () => {
        c.line(`x := *${prop(f.id)}`);
        c.check(`CheckInt(x, ${f.min}, ${f.max}, ${w})`);
        if (f.enum) enumCheck(c, ps, f.enum, 'x', f.min, f.max, w);
      });
      return;
    case 'uint':
      if (f.if) c.block(`if ${prop(f.id)} != nil`, () => c.check(`CheckInt(*${prop(f.id)}, ${f.min}, ${f.max}, ${w})`));
      else c.check(`CheckInt(${prop(f.id)}, ${f.min}, ${f.max}, ${w})`);
      return;
    case 'bits':
      for (const b of f.bits) {
        if (b.const !== undefined || b.bool) continue;
        c.check(`CheckInt(${prop(b.id)}, 0, ${b.max}, ${ps.what(b.id)})`);
        if (b.enum) enumCheck(c, ps, b.enum, prop(b.id), 0n, b.max, ps.what(b.id));
      }
      return;
    case 'bytes': {
      const [lo, hi, kind] = f.size.kind === 'fixed' ? [f.size.n, f.size.n, 'length_mismatch'] : [f.minSize, f.maxSize, 'out_of_range'];
      if (lo === 0 && hi === Infinity) return;
      if (f.if) c.block(`if ${prop(f.id)} != nil`, () => c.check(`CheckLen(len(*${prop(f.id)}), ${lo}, ${bound(hi)}, ${w}, ${goStr(kind)})`));
      else c.check(`CheckLen(len(${prop(f.id)}), ${lo}, ${bound(hi)}, ${w}, ${goStr(kind)})`);
      return;
    }
    case 'message': {
      const x = ps.encodedLocal(f.id);
      const enc = `Encode${goName(f.message)}`;
      if (f.if) {
        c.line(`var ${x} *[]byte`);
        c.block(`if ${prop(f.id)} != nil`, () => { c.try('b', `${enc}(*${prop(f.id)})`); c.line(`${x} = &b`); });
      } else c.try(x, `${enc}(${prop(f.id)})`);
      const len = f.if ? `OptLen(${x})` : `int64(len(${x}))`;
      if (f.size.kind === 'fixed') {
        c.encFail(`${f.if ? `${x} != nil && ` : ''}${len} != ${f.size.n}`, 'length_mismatch', w, gfmt(`encodes to {} bytes, expected ${f.size.n}`, len));
        return;
      }
      const typeMax = f.size.kind === 'prefix' && f.size.type !== 'varint' ? 2 ** (8 * widthOf(f.size.type)!) - 1 : Infinity;
      const max = Math.min(f.maxSize, typeMax);
      if (max !== Infinity) c.encFail(`${len} > ${max}`, 'out_of_range', w, gfmt(`encodes to {} bytes, at most ${max}`, len));
      return;
    }
    case 'struct':
      if (f.repeat) c.check(`CheckLen(len(${prop(f.id)}), ${f.minCount ?? 0}, ${bound(f.maxCount ?? Infinity)}, ${w}, "out_of_range")`);
  }
}

function derivedLocals(c: GoCode, ps: GoStruct): void {
  for (const f of ps.sm.derivedOrder()) {
    if (ps.sm.optionalRefs(f.value).length) throw new Error(`codegen: ${ps.s.id}.${f.id}: a derived value cannot use optional fields`);
    const x = ps.local(f.id);
    c.line(`${x} := ${ps.expr(f.value, 'encode')} // ${f.id} = ${f.value.text}`);
    const b = ps.bounds(f.value);
    const t: string[] = [];
    if (b.lo < num(f.min)) t.push(`${x} < ${f.min}`);
    if (b.hi > num(f.max)) t.push(`${x} > ${f.max}`);
    if (t.length) c.encFail(t.join(' || '), 'out_of_range', ps.what(f.id), gfmt(`value {} not in ${f.min}..${f.max}`, x));
  }
}

function implied(ps: GoStruct, e: Expr, key: string): boolean {
  const l = ps.sm.linear(e);
  return l.size === 1 && l.get(key) === 1n;
}

function checkRelations(c: GoCode, ps: GoStruct): void {
  for (const f of ps.s.fields) {
    const g = f.if ? `${prop(f.id)} != nil && ` : '';
    if (f.kind === 'uint') {
      const b = ps.bounds(f.width);
      if (f.max >= 1n << BigInt(8 * b.lo)) {
        const width = ps.expr(f.width, 'encode');
        const val = f.if ? `OptU(${prop(f.id)})` : prop(f.id);
        c.encFail(`${g}(${width} < 8 && ${val} >= uint64(1)<<uint(8*${width}))`, 'out_of_range', ps.what(f.id), gfmt(`value {} does not fit in ${f.width.text} = {} bytes`, val, width));
      }
    }
    const sizeExpr = (f.kind === 'bytes' || f.kind === 'message') && f.size.kind === 'expr' ? f.size.expr : undefined;
    if (sizeExpr && !implied(ps, sizeExpr, `len:${f.id}`)) {
      if (sizeExpr.terms.some((t) => t.atom.kind === 'param')) {
        c.line(`// ${f.id}: its size (${sizeExpr.text}) is a decoder parameter, which the encoder cannot check.`);
      } else {
        const base = f.kind === 'message' ? ps.encodedLocal(f.id) : prop(f.id);
        const actual = f.if ? `OptLen(${base})` : `int64(len(${base}))`;
        const e = ps.expr(sizeExpr, 'encode');
        c.encFail(`${g}${actual} != ${e}`, 'length_mismatch', ps.what(f.id), gfmt(`{} bytes, but ${sizeExpr.text} = {}`, actual, e));
      }
    }
    const count = (f.kind === 'int' || f.kind === 'struct') && f.repeat?.kind === 'count' ? f.repeat.count : undefined;
    if (count && !implied(ps, count, `count:${f.id}`)) {
      const e = ps.expr(count, 'encode');
      c.encFail(`int64(len(${prop(f.id)})) != ${e}`, 'length_mismatch', ps.what(f.id), gfmt(`{} elements, but ${count.text} = {}`, `len(${prop(f.id)})`, e));
    }
  }
  for (const k of ps.s.constraints) {
    const left = ps.expr(k.left, 'encode');
    const right = ps.expr(k.right, 'encode');
    c.encFail(`${ps.guard([k.left, k.right], 'encode')}${left} ${NEGATE[k.op]} ${right}`, 'out_of_range', goStr(ps.s.id),
      gfmt(`${constraintText(k.text, k.req)} does not hold: {} ${k.op} {}`, left, right));
  }
}

function intWrite(type: IntType, x: string): string {
  return type === 'varint' ? `w.Varint(${x})` : `w.Uint(${x}, ${widthOf(type)})`;
}

function typeCode(ps: GoStruct): string {
  const parts = ps.s.flags.map((fl) => `${goHex(1 << fl.bit)}*B2U(${ps.flag(fl.id, 'encode')})`);
  return [`uint64(${goHex(ps.s.code!)})`, ...parts].join(' | ');
}

function bitsWrite(f: BitsField): string {
  let constant = 0;
  const parts: string[] = [];
  let shift = 8;
  for (const b of f.bits) {
    shift -= b.width;
    if (b.const !== undefined) constant |= Number(b.const) << shift;
    else if (b.bool) parts.push(`${goHex(1 << shift)}*B2U(${prop(b.id)})`);
    else parts.push(shift === 0 ? prop(b.id) : `(${prop(b.id)} << ${shift})`);
  }
  return `w.U8(${[`uint64(${goHex(constant)})`, ...parts].join(' | ')}) // ${f.id}`;
}

function prefixWrite(c: GoCode, ps: GoStruct, f: BytesField | MessageField, n: string): void {
  if (f.size.kind !== 'prefix') return;
  const stmt = `${intWrite(f.size.type, `uint64(${n})`)} // length of ${f.id}`;
  if (f.size.if) c.when(ps.cond(f.size.if, 'encode'), stmt);
  else c.line(stmt);
}

function writeField(c: GoCode, ps: GoStruct, f: Field): void {
  const x = prop(f.id);
  switch (f.kind) {
    case 'int':
      if (f.repeat) c.block(`for _, x := range ${x}`, () => c.line(intWrite(f.type, 'x')));
      else if (f.const !== undefined) c.line(`${intWrite(f.type, `uint64(${f.const})`)} // ${f.id}, always ${f.const}`);
      else if (ps.sm.isDerived(f)) c.line(`${intWrite(f.type, `uint64(${ps.local(f.id)})`)} // ${f.id}`);
      else if (f.if) c.when(`${x} != nil`, intWrite(f.type, `*${x}`));
      else c.line(intWrite(f.type, x));
      return;
    case 'uint': {
      const stmt = (val: string) => `w.Uint(${val}, int(${ps.expr(f.width, 'encode')})) // ${f.id}: ${f.width.text} bytes`;
      if (f.if) c.when(`${x} != nil`, stmt(`*${x}`));
      else c.line(stmt(x));
      return;
    }
    case 'bits':
      c.line(bitsWrite(f));
      return;
    case 'bytes': {
      const body = (d: string) => { prefixWrite(c, ps, f, `len(${d})`); c.line(`w.Bytes(${d}) // ${f.id}`); };
      if (f.if) c.block(`if ${x} != nil`, () => body(`(*${x})`));
      else body(x);
      return;
    }
    case 'struct': {
      const inner = ps.gw.struct(f.struct);
      if (f.repeat) c.block(`for _, x := range ${x}`, () => c.check(`put${inner.cls}(w, x)`));
      else if (f.if) c.block(`if ${x} != nil`, () => c.check(`put${inner.cls}(w, *${x})`));
      else c.check(`put${inner.cls}(w, ${x})`);
      return;
    }
    case 'message': {
      const data = ps.encodedLocal(f.id);
      const body = (d: string) => { prefixWrite(c, ps, f, `len(${d})`); c.line(`w.Bytes(${d}) // ${f.id}`); };
      if (f.if) c.block(`if ${data} != nil`, () => body(`(*${data})`));
      else body(data);
    }
  }
}

function putBody(ps: GoStruct): string {
  const c = new GoCode('');
  for (const f of ps.s.fields) checkField(c, ps, f);
  derivedLocals(c, ps);
  checkRelations(c, ps);
  if (ps.member) c.line(`${intWrite(ps.file.union!.tag, typeCode(ps))} // type`);
  for (const f of ps.s.fields) writeField(c, ps, f);
  c.line('return nil');
  return c.text();
}

function fieldType(ps: GoStruct, id: string): { type: string; note?: string } {
  const n = ps.sm.named.get(id)!;
  if (n.kind === 'flag') return { type: 'bool' };
  if (n.kind === 'bit') return n.bit.bool ? { type: 'bool' } : { type: 'uint64', note: `Integer 0..${n.bit.max} (${n.bit.width} bits).` };
  const f = n.field;
  const opt = (t: string) => (f.if ? `*${t}` : t);
  switch (f.kind) {
    case 'int': return { type: opt(f.repeat ? '[]uint64' : 'uint64'), note: `Integer ${f.min}..${f.max} (${f.type}${f.repeat ? ', each' : ''})${f.enum ? `, a ${f.enum} value` : ''}.` };
    case 'uint': return { type: opt('uint64'), note: `Integer ${f.min}..${f.max} (${f.width.text} bytes).` };
    case 'bytes': return { type: opt('[]byte') };
    case 'struct': { const inner = ps.gw.struct(f.struct).cls; return { type: opt(f.repeat ? `[]${inner}` : inner) }; }
    case 'message': return { type: opt(goName(f.message)) };
    default: throw new Error('bits fields have no value');
  }
}

function jsonValue(ps: GoStruct, id: string, x: string): string {
  const n = ps.sm.named.get(id)!;
  if (n.kind === 'flag' || (n.kind === 'bit' && n.bit.bool)) return `j.Bool(${x})`;
  if (n.kind === 'bit') return `j.Int(${x})`;
  const f = n.field;
  const one = (y: string): string => {
    switch (f.kind) {
      case 'int': case 'uint': return `j.Int(${y})`;
      case 'bytes': return `j.Hex(${y})`;
      case 'struct': return `Json${ps.gw.struct(f.struct).cls}(${y}, j)`;
      case 'message': return `Json${goName(f.message)}(${y}, j)`;
      default: throw new Error('bits fields have no value');
    }
  };
  if ((f.kind === 'int' || f.kind === 'struct') && f.repeat) {
    return `j.WriteByte('[')\n\tfor i, y := range ${x} {\n\t\tif i > 0 {\n\t\t\tj.WriteByte(',')\n\t\t}\n\t\t${one('y')}\n\t}\n\tj.WriteByte(']')`;
  }
  return one(x);
}

function memberCodes(ps: GoStruct): number[] {
  const mask = ps.s.flags.reduce((a, fl) => a | (1 << fl.bit), 0);
  const out: number[] = [];
  for (let sub = 0; sub <= mask; sub++) if ((sub & mask) === sub) out.push(Number(ps.s.code!) | sub);
  return out;
}

function emitStruct(ps: GoStruct): string {
  const extra = ps.member ? `Type code ${goHex(ps.s.code!)}${ps.s.flags.length ? ` (${memberCodes(ps).map((c) => goHex(c)).join(', ')}: flags in the low bits)` : ''}.` : '';
  const out = [goDoc([ps.s.doc.trim(), extra, ...ps.s.req.map((r) => `${r.id} (${r.level}): ${r.text}`)].filter(Boolean).join('\n')), `type ${ps.cls} struct {\n`];
  for (const id of valueIds(ps)) {
    const n = ps.sm.named.get(id)!;
    const d = n.kind === 'flag' ? n.flag : n.kind === 'bit' ? n.bit : n.field;
    const t = fieldType(ps, id);
    out.push(goDoc([d.doc.trim(), t.note ?? ''].filter(Boolean).join('\n'), '\t'));
    out.push(`\t${goName(id)} ${t.type}\n`);
  }
  out.push('}\n\n');
  if (ps.member) out.push(`func (${ps.cls}) is${goName(ps.file.union!.id)}() {}\n\n`);
  out.push(`// ${ps.cls}MinSize is the fewest bytes of an encoded ${ps.cls}.\nconst ${ps.cls}MinSize = ${ps.s.minSize}\n\n`);
  out.push(`// ${ps.cls}MaxSize is the most bytes of an encoded ${ps.cls}${ps.s.maxSize === Infinity ? ' (unbounded)' : ''}.\nconst ${ps.cls}MaxSize = ${bound(ps.s.maxSize)}\n`);
  return out.join('');
}

function emitFunctions(ps: GoStruct, gw: GoWire): string {
  const T = ps.cls;
  const params = ps.s.params.map((p) => `, ${ps.local(p.id)} uint64`).join('');
  const args = ps.s.params.map((p) => `, ${ps.local(p.id)}`).join('');
  const out: string[] = [];
  if (ps.member) {
    const u = ps.file.union!;
    const mask = ps.s.flags.reduce((m, fl) => m | (1 << fl.bit), 0);
    const test = mask ? `(typ &^ ${goHex(mask)}) != ${goHex(ps.s.code!)}` : `typ != ${goHex(ps.s.code!)}`;
    const read = u.tag === 'varint' ? `r.Varint(${goStr(`${u.id}.type`)})` : `r.Uint(${widthOf(u.tag)}, ${goStr(`${u.id}.type`)})`;
    out.push(`// read${T} reads a ${T}, type code included; a code of another member is unknown_type.\n`);
    out.push(`func read${T}(r *Reader) (${T}, error) {\n\tat := r.Pos\n\ttyp, err := ${read}\n\tif err != nil {\n\t\treturn ${T}{}, err\n\t}\n`);
    out.push(`\tif ${test} {\n\t\treturn ${T}{}, r.FailAt("unknown_type", ${goStr(`${ps.s.id}.type`)}, fmt.Sprintf("type 0x%x is not a ${ps.s.id} ${u.id}", typ), at)\n\t}\n`);
    out.push(`\treturn read${T}Body(r, typ)\n}\n\n`);
    out.push(`func read${T}Body(r *Reader, typ uint64) (out ${T}, err error) {\n\t_ = typ\n${decodeBody(ps)}}\n\n`);
  } else {
    out.push(`// read${T} reads a ${T}, advancing the reader.\n${ps.s.params.map((p) => goDoc(`${ps.local(p.id)}: ${p.doc}`)).join('')}`);
    out.push(`func read${T}(r *Reader${params}) (out ${T}, err error) {\n${decodeBody(ps)}}\n\n`);
  }
  out.push(`// Decode${T} decodes exactly one ${T}: leftover bytes are trailing_bytes.\n`);
  out.push(`func Decode${T}(input []byte${params}) (${T}, error) {\n\tr := NewReader(input, ${gw.errorVar})\n\tv, err := read${T}(r${args})\n\tif err != nil {\n\t\treturn v, err\n\t}\n\treturn v, r.ExpectEnd(${goStr(`${ps.s.id}.end`)})\n}\n\n`);
  out.push(`// put${T} checks a ${T} (EncodeError for any value a decoder would reject) and writes it.\n`);
  out.push(`func put${T}(w *Writer, v ${T}) error {\n${putBody(ps)}}\n\n`);
  out.push(`// Encode${T} checks a ${T} (EncodeError when invalid) and encodes it.\n`);
  out.push(`func Encode${T}(v ${T}) ([]byte, error) {\n\tw := &Writer{}\n\tif err := put${T}(w, v); err != nil {\n\t\treturn nil, err\n\t}\n\treturn w.Buf, nil\n}\n\n`);
  out.push(`// Json${T} writes a ${T} in the vector JSON format (codegen/README.md, "Golden vectors").\n`);
  out.push(`func Json${T}(v ${T}, j *JSON) {\n\tj.WriteByte('{')\n\tfirst := true\n`);
  if (ps.member) out.push(`\tj.Key(&first, "type")\n\tj.Str(${goStr(ps.s.id)})\n`);
  for (const id of valueIds(ps)) {
    const key = `j.Key(&first, ${goStr(id)})`;
    const n = ps.sm.named.get(id)!;
    if (n.kind === 'field' && n.field.if) out.push(`\tif v.${goName(id)} != nil {\n\t\t${key}\n\t\t${jsonValue(ps, id, `*v.${goName(id)}`)}\n\t}\n`);
    else out.push(`\t${key}\n\t${jsonValue(ps, id, `v.${goName(id)}`)}\n`);
  }
  out.push(`\t_ = first\n\tj.WriteByte('}')\n}\n\n`);
  return out.join('');
}

function emitUnion(gw: GoWire): string {
  const u = gw.file.union!;
  const U = goName(u.id);
  const members = u.members.map((id) => gw.struct(id));
  const out: string[] = [];
  out.push(goDoc(u), `type ${U} interface {\n\tis${U}()\n}\n\n`);
  out.push(`// ${U}MinSize is the fewest bytes of an encoded ${U}.\nconst ${U}MinSize = ${Math.min(...members.map((x) => x.s.minSize))}\n\n`);
  out.push(`// ${U}MaxSize is the most bytes of an encoded ${U}.\nconst ${U}MaxSize = ${bound(Math.max(...members.map((x) => x.s.maxSize)))}\n\n`);
  out.push(`// The base type code of each ${u.id} (flags, where a member has them, go in the low bits).\nconst (\n`);
  for (const m of members) out.push(`\t${U}Type${goName(m.s.id)} uint64 = ${goHex(m.s.code!)}\n`);
  out.push(')\n\n');
  const read = u.tag === 'varint' ? `r.Varint(${goStr(`${u.id}.type`)})` : `r.Uint(${widthOf(u.tag)}, ${goStr(`${u.id}.type`)})`;
  out.push(`// read${U} reads one ${U}: its type code chooses the member; a code no member claims is unknown_type.\n`);
  out.push(`func read${U}(r *Reader) (${U}, error) {\n\tat := r.Pos\n\ttyp, err := ${read}\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tswitch typ {\n`);
  for (const m of members) out.push(`\tcase ${memberCodes(m).map((c) => goHex(c)).join(', ')}:\n\t\tv, err := read${m.cls}Body(r, typ)\n\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\treturn v, nil\n`);
  out.push(`\t}\n\treturn nil, r.FailAt("unknown_type", ${goStr(`${u.id}.type`)}, fmt.Sprintf("unknown ${u.id} type 0x%x", typ), at)\n}\n\n`);
  out.push(`// Decode${U} decodes exactly one ${U}: leftover bytes are trailing_bytes.\n`);
  out.push(`func Decode${U}(input []byte) (${U}, error) {\n\tr := NewReader(input, ${gw.errorVar})\n\tv, err := read${U}(r)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn v, r.ExpectEnd(${goStr(`${u.id}.end`)})\n}\n\n`);
  out.push(`// Decode${U}s decodes a packet payload: ${u.id}s until the end of the input.\n`);
  out.push(`func Decode${U}s(input []byte) ([]${U}, error) {\n\tr := NewReader(input, ${gw.errorVar})\n\tout := []${U}{}\n\tfor r.Pos < r.End {\n\t\tv, err := read${U}(r)\n\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\tout = append(out, v)\n\t}\n\treturn out, nil\n}\n\n`);
  out.push(`func put${U}(w *Writer, v ${U}) error {\n\tswitch x := v.(type) {\n`);
  for (const m of members) out.push(`\tcase ${m.cls}:\n\t\treturn put${m.cls}(w, x)\n`);
  out.push(`\t}\n\treturn encErr("wrong_type", ${goStr(u.id)}, fmt.Sprintf("%T is not a ${u.id}", v))\n}\n\n`);
  out.push(`// Encode${U} checks a ${U} (EncodeError when invalid) and encodes it.\nfunc Encode${U}(v ${U}) ([]byte, error) {\n\tw := &Writer{}\n\tif err := put${U}(w, v); err != nil {\n\t\treturn nil, err\n\t}\n\treturn w.Buf, nil\n}\n\n`);
  out.push(`// Json${U} writes a ${U} in the vector JSON format (with its "type").\nfunc Json${U}(v ${U}, j *JSON) {\n\tswitch x := v.(type) {\n`);
  for (const m of members) out.push(`\tcase ${m.cls}:\n\t\tJson${m.cls}(x, j)\n`);
  out.push('\t}\n}\n');
  return out.join('');
}

export function emitGoWire(spec: Spec, file: WireFile): GeneratedFile {
  const gw = new GoWire(new WireModel(spec, file));
  const body: string[] = [];
  for (const e of file.enums) body.push(goEnum(e, e.unknown === 'error' ? 'A value outside this table is a decode error (invalid_enum).' : 'Values outside this table are kept.') + '\n');
  for (const s of file.structs) body.push(emitStruct(gw.struct(s.id)) + '\n');
  for (const s of file.structs) body.push(emitFunctions(gw.struct(s.id), gw));
  if (file.union) body.push(emitUnion(gw));
  const errorLine = `// Decode errors of this file carry ${file.error}.\nvar ${gw.errorVar} = Err${goName(file.error.toLowerCase())}\n\n`;
  const content = `${goHeader([file])}${goDoc(`${file.title} (${file.path}, version ${file.version}).\n${file.doc}`)}\npackage jspcodec\n\nimport "fmt"\n\n${errorLine}${body.join('')}`;
  void varintWidth;
  return { path: `${file.id}.go`, content: content.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n') };
}
