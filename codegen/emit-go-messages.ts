/**
 * The Go file of a messages file (`messages.go`): the protobuf codec of the control messages,
 * statement for statement the Rust one (`emit-rust-messages.ts`), so with the same strictness and
 * error precedence: any valid encoding decodes, values are range-checked at every occurrence, the
 * last occurrence of a singular field wins whole, encoding is canonical.
 */
import type { EnumDef, Message, MessagesFile, PbField, Spec } from './ir.ts';
import type { GeneratedFile } from './emit.ts';
import { GoCode, gfmt, goDoc, goHeader, goLocal, goName, goStr } from './emit-go-common.ts';

const U64_MAX = (1n << 64n) - 1n;

interface Ctx { spec: Spec; file: MessagesFile; enums: Map<string, EnumDef>; messages: Map<string, Message> }

const isVarint = (f: PbField): boolean => f.type === 'uint32' || f.type === 'uint64' || f.type === 'bool' || f.type === 'enum';
const tagOf = (f: PbField, wireType: number): number => f.number * 8 + wireType;
const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const optional = (f: PbField): boolean => f.optional || f.type === 'message';

function baseType(f: PbField): string {
  return { uint32: 'uint64', uint64: 'uint64', enum: 'uint64', bool: 'bool', bytes: '[]byte', string: 'string', message: f.message ? goName(f.message) : '' }[f.type];
}

function goFieldType(f: PbField): string {
  const base = baseType(f);
  return f.repeated ? `[]${base}` : optional(f) ? `*${base}` : base;
}

function fieldNote(c: Ctx, f: PbField): string {
  const parts: string[] = [f.type === 'enum' ? goName(f.enum!) : f.type === 'message' ? goName(f.message!) : f.type];
  if (f.type === 'uint32' || f.type === 'uint64' || f.type === 'enum') parts.push(`${f.min}..${f.max}`);
  if (f.type === 'enum') parts.push(c.enums.get(f.enum!)!.unknown === 'keep' ? 'unknown values kept' : 'unknown values rejected');
  if (f.type === 'bytes' || f.type === 'string') parts.push(f.minSize === f.maxSize ? `exactly ${f.minSize} bytes` : `${f.minSize}..${f.maxSize} bytes`);
  if (f.repeated) parts.push(`at most ${f.maxCount}`);
  if (f.optional) parts.push(f.required ? 'explicit presence, required' : 'explicit presence');
  return `Field ${f.number} (${parts.join(', ')}).`;
}

function defaultInvalid(f: PbField): boolean {
  if (f.repeated || f.optional) return false;
  if (f.type === 'bytes' || f.type === 'string') return f.minSize > 0;
  if (f.type === 'uint32' || f.type === 'uint64' || f.type === 'enum') return f.min > 0n;
  return false;
}

export function goEnumInvalid(e: EnumDef, x: string): string {
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const contiguous = vals.every((v, i) => v === vals[0] + BigInt(i));
  if (contiguous) return vals[0] === 0n ? `${x} > ${vals[vals.length - 1]}` : `${x} < ${vals[0]} || ${x} > ${vals[vals.length - 1]}`;
  return `!(${vals.map((v) => `${x} == ${v}`).join(' || ')})`;
}

export function goEnum(e: EnumDef, rule: string): string {
  let s = goDoc([e.doc.trim(), rule].join('\n')) + 'const (\n';
  for (const v of e.values) s += goDoc(v.doc, '\t') + `\t${goName(e.id)}${goName(v.id)} uint64 = ${v.value}\n`;
  return s + ')\n';
}

function readVarint(c: Ctx, L: GoCode, f: PbField, what: string, rd: string): void {
  L.try('x', `${rd}.PbVarint(${what})`);
  if (f.type === 'bool') {
    L.fail('x > 1', rd, 'out_of_range', what, gfmt('a bool is 0 or 1, got {}', 'x'));
    return;
  }
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`x < ${f.min}`);
  if (f.max < U64_MAX) tests.push(`x > ${f.max}`);
  if (tests.length) L.fail(tests.join(' || '), rd, 'out_of_range', what, gfmt(`value {} not in ${f.min}..${f.max}`, 'x'));
  const e = f.type === 'enum' ? c.enums.get(f.enum!)! : undefined;
  if (e?.unknown === 'error') L.fail(goEnumInvalid(e, 'x'), rd, 'invalid_enum', what, gfmt(`value {} is not a ${e.id} value`, 'x'));
}

function decodeCases(c: Ctx, m: Message, f: PbField, L: GoCode, kw: () => string): void {
  const what = goStr(`${m.id}.${f.id}`);
  const name = goLocal(f.id);
  const countCheck = (rd: string) => {
    if (f.repeated) L.fail(`len(${name}) == ${f.maxCount}`, rd, 'too_many', what, gfmt(`more than ${f.maxCount} elements`));
  };
  const store = (value: string) => {
    if (f.repeated) L.line(`${name} = append(${name}, ${value})`);
    else if (optional(f)) L.line(`{\n${'\t'.repeat(3)}y := ${value}\n${'\t'.repeat(3)}${name} = &y\n\t\t}`);
    else L.line(`${name} = ${value}`);
  };
  if (isVarint(f)) {
    const value = f.type === 'bool' ? 'x == 1' : 'x';
    L.block(`${kw()} tag == ${hex(tagOf(f, 0))}`, () => {
      readVarint(c, L, f, what, 'r');
      countCheck('r');
      store(value);
    });
    if (f.repeated) {
      L.block(`${kw()} tag == ${hex(tagOf(f, 2))}`, () => {
        L.try('run', `r.PbRun(${what})`);
        L.block('for run.Pos < run.End', () => {
          readVarint(c, L, f, what, 'run');
          countCheck('run');
          store(value);
        });
      });
    }
    return;
  }
  L.block(`${kw()} tag == ${hex(tagOf(f, 2))}`, () => {
    if (f.type === 'bytes') L.try('x', `r.PbBytes(${what}, ${f.minSize}, ${f.maxSize})`);
    else if (f.type === 'string') L.try('x', `r.PbString(${what}, ${f.minSize}, ${f.maxSize})`);
    else {
      const target = c.messages.get(f.message!)!;
      L.try('n', `r.PbVarint(${what})`);
      L.fail('n > MaxMessageSize', 'r', 'out_of_range', what, gfmt('nested message of {} bytes, max_message_size is {}', 'n', 'MaxMessageSize'));
      L.try('sub', `r.Nested(n, ${what}, Err${goName(target.error.toLowerCase())})`);
      L.try('x', `read${goName(target.id)}(sub)`);
    }
    countCheck('r');
    store('x');
  });
}

function knownNumber(m: Message): string {
  const nums = m.fields.map((f) => f.number).sort((a, b) => a - b);
  if (nums.every((n, i) => n === i + 1)) return `tag>>3 <= ${nums.length}`;
  return `(${nums.map((n) => `tag>>3 == ${n}`).join(' || ')})`;
}

function emitRead(c: Ctx, m: Message): string {
  const P = goName(m.id);
  const L = new GoCode('out, ');
  L.fail('uint64(r.Remaining()) > MaxMessageSize', 'r', 'out_of_range', goStr(m.id), gfmt('{} bytes, max_message_size is {}', 'r.Remaining()', 'MaxMessageSize'));
  for (const f of m.fields) L.line(`var ${goLocal(f.id)} ${goFieldType(f)}`);
  L.block('for r.Pos < r.End', () => {
    L.try('tag', `r.PbTag(${goStr(m.id)})`);
    let first = true;
    const kw = () => { const k = first ? 'if' : '} else if'; first = false; return k; };
    const sorted = [...m.fields].sort((a, b) => a.number - b.number);
    const B = new GoCode('out, ', '');
    for (const f of sorted) decodeCases(c, m, f, B, kw);
    const lines = B.lines;
    const chain: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === '}' && lines[i + 1]?.startsWith('} else if')) continue;
      chain.push(lines[i]);
    }
    if (m.fields.length) {
      chain[chain.length - 1] = `} else if ${knownNumber(m)} {`;
      chain.push(`\treturn out, r.Fail("wire_type", ${goStr(m.id)}, fmt.Sprintf("field %d with wire type %d", tag>>3, tag&7))`);
      chain.push('} else {');
      chain.push(`\tif err := r.PbSkip(tag&7, ${goStr(m.id)}); err != nil {\n\t\t\treturn out, err\n\t\t}`);
      chain.push('}');
    } else chain.push(`if err := r.PbSkip(tag&7, ${goStr(m.id)}); err != nil {\n\t\t\treturn out, err\n\t\t}`);
    for (const l of chain) L.line(l);
  });
  for (const f of m.fields) {
    const what = goStr(`${m.id}.${f.id}`);
    const name = goLocal(f.id);
    if (f.required) L.fail(`${name} == nil`, 'r', 'missing_field', what, gfmt(`required field ${f.number} is absent`));
    else if (defaultInvalid(f)) {
      const lenType = f.type === 'bytes' || f.type === 'string';
      const need = lenType ? `${f.minSize}..${f.maxSize} bytes` : `${f.min}..${f.max}`;
      L.fail(lenType ? `len(${name}) == 0` : `${name} == 0`, 'r', 'out_of_range', what, gfmt(`absent (so ${lenType ? 'empty' : '0'}), needs ${need}`));
    }
  }
  L.line(`return ${P}{${m.fields.map((f) => `${goName(f.id)}: ${goLocal(f.id)}`).join(', ')}}, nil`);
  return `// read${P} reads a ${P} from r up to r.End (any valid protobuf encoding; unknown fields skipped).\n` +
    `func read${P}(r *Reader) (out ${P}, err error) {\n${L.text()}}\n`;
}

function checkScalar(c: Ctx, L: GoCode, f: PbField, x: string, what: string): void {
  if (f.type === 'bool') return;
  L.check(`CheckInt(${x}, ${f.min}, ${f.max}, ${what})`);
  const e = f.type === 'enum' ? c.enums.get(f.enum!)! : undefined;
  if (e?.unknown === 'error') L.encFail(goEnumInvalid(e, x), 'out_of_range', what, gfmt(`value {} is not a ${e.id} value`, x));
}

function lenValue(L: GoCode, f: PbField, x: string, what: string): string {
  if (f.type === 'bytes' || f.type === 'string') {
    L.check(`CheckLen(len(${x}), ${f.minSize}, ${f.maxSize}, ${what}, "length_mismatch")`);
    return f.type === 'bytes' ? x : `[]byte(${x})`;
  }
  L.try('data', `Encode${goName(f.message!)}(${x})`);
  return 'data';
}

function encodeField(c: Ctx, m: Message, f: PbField, L: GoCode): void {
  const what = goStr(`${m.id}.${f.id}`);
  const x = `v.${goName(f.id)}`;
  const tag0 = hex(tagOf(f, 0));
  const tag2 = hex(tagOf(f, 2));
  const asInt = (y: string) => (f.type === 'bool' ? `B2U(${y})` : y);
  L.line(`// ${f.number} ${f.id}`);
  if (f.repeated) {
    L.check(`CheckLen(len(${x}), 0, ${f.maxCount}, ${what}, "out_of_range")`);
    if (isVarint(f)) {
      L.block(`if len(${x}) > 0`, () => {
        L.line('run := &Writer{}');
        L.block(`for _, x := range ${x}`, () => {
          checkScalar(c, L, f, 'x', what);
          L.line(`run.PbVarint(${asInt('x')})`);
        });
        L.line(`w.PbLen(${tag2}, run.Buf) // packed`);
      });
      return;
    }
    L.block(`for _, x := range ${x}`, () => {
      const data = lenValue(L, f, 'x', what);
      L.line(`w.PbLen(${tag2}, ${data})`);
    });
    return;
  }
  if (optional(f)) {
    if (f.required) L.encFail(`${x} == nil`, 'wrong_type', what, gfmt('required field is absent'));
    L.block(`if ${x} != nil`, () => {
      L.line(`x := *${x}`);
      if (isVarint(f)) {
        checkScalar(c, L, f, 'x', what);
        L.line(`w.PbUint(${tag0}, ${asInt('x')})`);
      } else {
        const data = lenValue(L, f, 'x', what);
        L.line(`w.PbLen(${tag2}, ${data})`);
      }
    });
    return;
  }
  if (isVarint(f)) {
    checkScalar(c, L, f, x, what);
    L.when(f.type === 'bool' ? x : `${x} != 0`, `w.PbUint(${tag0}, ${asInt(x)})`);
    return;
  }
  L.block('', () => {
    const data = lenValue(L, f, x, what);
    L.when(`len(${x}) > 0`, `w.PbLen(${tag2}, ${data})`);
  });
}

function emitEncode(c: Ctx, m: Message): string {
  const P = goName(m.id);
  const L = new GoCode('');
  for (const f of [...m.fields].sort((a, b) => a.number - b.number)) encodeField(c, m, f, L);
  L.line('return nil');
  const out: string[] = [];
  out.push(`// put${P} checks a ${P} (EncodeError when invalid) and writes its canonical encoding.\n`);
  out.push(`func put${P}(w *Writer, v ${P}) error {\n${L.text()}}\n\n`);
  out.push(`// Encode${P} checks a ${P} and encodes it canonically (no length prefix).\n`);
  out.push(`func Encode${P}(v ${P}) ([]byte, error) {\n\tw := &Writer{}\n\tif err := put${P}(w, v); err != nil {\n\t\treturn nil, err\n\t}\n`);
  out.push(`\tif uint64(len(w.Buf)) > MaxMessageSize {\n\t\treturn nil, encErr("out_of_range", ${goStr(m.id)}, fmt.Sprintf("%d bytes, max_message_size is %d", len(w.Buf), MaxMessageSize))\n\t}\n\treturn w.Buf, nil\n}\n\n`);
  out.push(`// Decode${P} decodes a whole ${P}; errors carry ${m.error}.\n`);
  out.push(`func Decode${P}(input []byte) (${P}, error) {\n\treturn read${P}(NewReader(input, Err${goName(m.error.toLowerCase())}))\n}\n\n`);
  out.push(`// Json${P} writes a ${P} in the vector JSON format.\n`);
  out.push(`func Json${P}(v ${P}, j *JSON) {\n\tj.WriteByte('{')\n\tfirst := true\n`);
  for (const f of m.fields) {
    const one = (y: string): string => ({
      uint32: `j.Int(${y})`, uint64: `j.Int(${y})`, enum: `j.Int(${y})`, bool: `j.Bool(${y})`,
      bytes: `j.Hex(${y})`, string: `j.Str(${y})`, message: `Json${goName(f.message ?? "")}(${y}, j)`,
    }[f.type]);
    const key = `j.Key(&first, ${goStr(f.id)})`;
    const x = `v.${goName(f.id)}`;
    if (f.repeated) out.push(`\t${key}\n\tj.WriteByte('[')\n\tfor i, y := range ${x} {\n\t\tif i > 0 {\n\t\t\tj.WriteByte(',')\n\t\t}\n\t\t${one('y')}\n\t}\n\tj.WriteByte(']')\n`);
    else if (optional(f)) out.push(`\tif ${x} != nil {\n\t\t${key}\n\t\t${one(`*${x}`)}\n\t}\n`);
    else out.push(`\t${key}\n\t${one(x)}\n`);
  }
  out.push(`\t_ = first\n\tj.WriteByte('}')\n}\n\n`);
  return out.join('');
}

function emitStruct(c: Ctx, m: Message): string {
  const P = goName(m.id);
  const out = [goDoc(m), `type ${P} struct {\n`];
  for (const f of m.fields) {
    out.push(goDoc([f.doc.trim(), fieldNote(c, f)].filter(Boolean).join('\n'), '\t'));
    out.push(`\t${goName(f.id)} ${goFieldType(f)}\n`);
  }
  out.push('}\n');
  return out.join('');
}

export function emitGoMessages(spec: Spec, file: MessagesFile): GeneratedFile {
  if (!spec.constants.constants.some((k) => k.id === 'max_message_size')) throw new Error('emit-go-messages: constant max_message_size is missing');
  const c: Ctx = { spec, file, enums: new Map(file.enums.map((e) => [e.id, e])), messages: new Map(file.messages.map((m) => [m.id, m])) };
  const body: string[] = [];
  for (const e of file.enums) body.push(goEnum(e, e.unknown === 'keep' ? 'Decoders keep values outside this table.' : 'A value outside this table is a decode error (invalid_enum).') + '\n');
  for (const m of file.messages) body.push(emitStruct(c, m) + '\n');
  for (const m of file.messages) body.push(emitRead(c, m) + '\n', emitEncode(c, m));
  const content = `${goHeader([file, spec.constants, spec.errors])}${goDoc(`${file.title} (${file.path}).`)}\npackage jspcodec\n\nimport "fmt"\n\n${body.join('')}`;
  return { path: `${file.id}.go`, content: content.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n') };
}
