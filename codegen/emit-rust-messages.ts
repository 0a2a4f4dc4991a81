/**
 * The Rust module of a messages file (`messages.rs`): the protobuf (proto3 wire format) codec of the
 * control messages, statement for statement the Python one (`emit-python-messages.ts`), so with the
 * semantics of the TypeScript codec and of the reference decoder: any valid encoding decodes (any
 * field order, packed or unpacked repeated scalars, unknown fields skipped), values are strictly
 * range-checked at every occurrence, the last occurrence of a singular field wins whole, absent
 * implicit fields take their default which is checked too, a nested message fails with its own
 * error code; encoding is canonical.
 */
import type { EnumDef, Message, MessagesFile, PbField, Spec } from './ir.ts';
import type { GeneratedFile } from './emit.ts';
import { RsCode, docText, fmt, moduleDoc, rsDoc, rsEnum, rsField, rsHeader, rsHex, rsInt, rsLocal, rsStr, rsType } from './emit-rust-common.ts';

const U64_MAX = (1n << 64n) - 1n;

interface Ctx {
  spec: Spec;
  file: MessagesFile;
  enums: Map<string, EnumDef>;
  messages: Map<string, Message>;
}

const isVarint = (f: PbField): boolean => f.type === 'uint32' || f.type === 'uint64' || f.type === 'bool' || f.type === 'enum';
const tagOf = (f: PbField, wireType: number): number => f.number * 8 + wireType;

function baseType(f: PbField): string {
  return { uint32: 'u64', uint64: 'u64', enum: 'u64', bool: 'bool', bytes: 'Vec<u8>', string: 'String', message: f.message ? rsType(f.message) : '' }[f.type];
}

function rsFieldType(f: PbField): string {
  const base = baseType(f);
  return f.repeated ? `Vec<${base}>` : f.optional || f.type === 'message' ? `Option<${base}>` : base;
}

function defaultOf(f: PbField): string {
  if (f.repeated) return 'Vec::new()';
  if (f.optional || f.type === 'message') return 'None';
  return { uint32: '0', uint64: '0', enum: '0', bool: 'false', bytes: 'Vec::new()', string: 'String::new()', message: 'None' }[f.type];
}

function fieldNote(c: Ctx, f: PbField): string {
  const parts: string[] = [f.type === 'enum' ? rsType(f.enum!) : f.type === 'message' ? rsType(f.message!) : f.type];
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

function enumInvalid(e: EnumDef, x: string): string {
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const contiguous = vals.every((v, i) => v === vals[0] + BigInt(i));
  if (contiguous) return vals[0] === 0n ? `${x} > ${vals[vals.length - 1]}` : `${x} < ${vals[0]} || ${x} > ${vals[vals.length - 1]}`;
  return `!matches!(${x}, ${vals.join(' | ')})`;
}

// ───────────────────────────── decoding ─────────────────────────────

function readVarint(c: Ctx, L: RsCode, f: PbField, what: string, rd: string): void {
  L.line(`let x: u64 = ${rd}.pb_varint(${what})?;`);
  if (f.type === 'bool') {
    L.fail('x > 1', rd, 'out_of_range', what, fmt('a bool is 0 or 1, got {}', 'x'));
    return;
  }
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`x < ${rsInt(f.min)}`);
  if (f.max < U64_MAX) tests.push(`x > ${rsInt(f.max)}`);
  if (tests.length) L.fail(tests.join(' || '), rd, 'out_of_range', what, fmt(`value {} not in ${f.min}..${f.max}`, 'x'));
  const e = f.type === 'enum' ? c.enums.get(f.enum!)! : undefined;
  if (e?.unknown === 'error') L.fail(enumInvalid(e, 'x'), rd, 'invalid_enum', what, fmt(`value {} is not a ${e.id} value`, 'x'));
}

function decodeCases(c: Ctx, m: Message, f: PbField, L: RsCode, kw: () => string): void {
  const what = rsStr(`${m.id}.${f.id}`);
  const name = rsLocal(f.id);
  const countCheck = (rd: string) => {
    if (f.repeated) L.fail(`${name}.len() == ${f.maxCount}`, rd, 'too_many', what, fmt(`more than ${f.maxCount} elements`));
  };
  const store = (value: string) => L.line(f.repeated ? `${name}.push(${value});` : f.optional || f.type === 'message' ? `${name} = Some(${value});` : `${name} = ${value};`);
  if (isVarint(f)) {
    const value = f.type === 'bool' ? 'x == 1' : 'x';
    L.block(`${kw()} tag == ${rsHex(tagOf(f, 0))}`, () => {
      L.line(`// ${f.number} ${f.id}: varint${f.repeated ? ', one element' : ''}`);
      readVarint(c, L, f, what, 'r');
      countCheck('r');
      store(value);
    });
    if (f.repeated) {
      L.block(`${kw()} tag == ${rsHex(tagOf(f, 2))}`, () => {
        L.line(`// ${f.number} ${f.id}: packed`);
        L.line(`let mut run = r.pb_run(${what})?;`);
        L.block('while run.pos < run.end', () => {
          readVarint(c, L, f, what, 'run');
          countCheck('run');
          store(value);
        });
      });
    }
    return;
  }
  L.block(`${kw()} tag == ${rsHex(tagOf(f, 2))}`, () => {
    L.line(`// ${f.number} ${f.id}: LEN${f.repeated ? ', one element' : ''}${f.type === 'message' && !f.repeated ? ', the last occurrence wins whole' : ''}`);
    if (f.type === 'bytes') L.line(`let x = r.pb_bytes(${what}, ${f.minSize}, ${f.maxSize})?;`);
    else if (f.type === 'string') L.line(`let x = r.pb_string(${what}, ${f.minSize}, ${f.maxSize})?;`);
    else {
      const target = c.messages.get(f.message!)!;
      L.line(`let n = r.pb_varint(${what})?;`);
      L.fail('n > MAX_MESSAGE_SIZE', 'r', 'out_of_range', what, fmt('nested message of {} bytes, max_message_size is {}', 'n', 'MAX_MESSAGE_SIZE'));
      L.line(`let x = read_${target.id}(&mut r.nested(n, ${what}, ${target.error})?)?;`);
    }
    countCheck('r');
    store('x');
  });
}

function knownNumber(m: Message): string {
  const nums = m.fields.map((f) => f.number).sort((a, b) => a - b);
  if (nums.every((n, i) => n === i + 1)) return `tag >> 3 <= ${nums.length}`;
  return `matches!(tag >> 3, ${nums.join(' | ')})`;
}

function emitRead(c: Ctx, m: Message): string {
  const P = rsType(m.id);
  const L = new RsCode();
  L.fail('r.remaining() as u64 > MAX_MESSAGE_SIZE', 'r', 'out_of_range', rsStr(m.id), fmt('{} bytes, max_message_size is {}', 'r.remaining()', 'MAX_MESSAGE_SIZE'));
  for (const f of m.fields) L.line(`let mut ${rsLocal(f.id)}: ${rsFieldType(f)} = ${defaultOf(f)};`);
  L.block('while r.pos < r.end', () => {
    L.line(`let tag = r.pb_tag(${rsStr(m.id)})?;`);
    let first = true;
    const kw = () => { const k = first ? 'if' : '} else if'; first = false; return k; };
    // RsCode.block closes each branch with `}`; else-if chains are built by hand below instead.
    const sorted = [...m.fields].sort((a, b) => a.number - b.number);
    const B = new RsCode('');
    for (const f of sorted) decodeCases(c, m, f, B, kw);
    // Turn `if … {` … `}` `} else if … {` sequences into one chain: drop the `}` before each `} else if`.
    const lines = B.lines;
    const chain: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === '}' && lines[i + 1]?.startsWith('} else if')) continue;
      chain.push(lines[i]);
    }
    if (m.fields.length) {
      chain[chain.length - 1] = `} else if ${knownNumber(m)} {`;
      chain.push('    // a declared field with a wire type its type does not allow');
      chain.push(`    return Err(r.fail("wire_type", ${rsStr(m.id)}, format!("field {} with wire type {}", tag >> 3, tag & 7)));`);
      chain.push('} else {');
      chain.push(`    r.pb_skip(tag & 7, ${rsStr(m.id)})?; // an unknown field (messages.unknown-fields)`);
      chain.push('}');
    } else chain.push(`r.pb_skip(tag & 7, ${rsStr(m.id)})?; // an unknown field (messages.unknown-fields)`);
    for (const l of chain) L.line(l);
  });
  for (const f of m.fields) {
    const what = rsStr(`${m.id}.${f.id}`);
    const name = rsLocal(f.id);
    if (f.required) L.fail(`${name}.is_none()`, 'r', 'missing_field', what, fmt(`required field ${f.number} is absent`));
    else if (defaultInvalid(f)) {
      const lenType = f.type === 'bytes' || f.type === 'string';
      const need = lenType ? `${f.minSize}..${f.maxSize} bytes` : `${f.min}..${f.max}`;
      L.fail(lenType ? `${name}.is_empty()` : `${name} == 0`, 'r', 'out_of_range', what, fmt(`absent (so ${lenType ? 'empty' : '0'}), needs ${need}`));
    }
  }
  const args = m.fields.map((f) => (rsField(f.id) === rsLocal(f.id) ? rsField(f.id) : `${rsField(f.id)}: ${rsLocal(f.id)}`));
  L.line(`Ok(${P} { ${args.join(', ')} })`);
  const doc = rsDoc(`Reads a ${P} from r up to r.end (at most max_message_size bytes).\n\n` +
    'Takes any valid protobuf encoding: any field order, packed or unpacked repeated scalars, unknown fields\n' +
    '(skipped). A singular field seen twice: the last occurrence wins — whole, for a message (no merge).');
  return `${doc}pub fn read_${m.id}(r: &mut Reader<'_>) -> Result<${P}, DecodeError> {\n${L.text()}}\n`;
}

// ───────────────────────────── encoding ─────────────────────────────

function checkScalar(c: Ctx, L: RsCode, f: PbField, x: string, what: string): void {
  if (f.type === 'bool') return;
  L.line(`check_int(${x}, ${rsInt(f.min)}, ${rsInt(f.max)}, ${what})?;`);
  const e = f.type === 'enum' ? c.enums.get(f.enum!)! : undefined;
  if (e?.unknown === 'error') L.encFail(enumInvalid(e, x), 'out_of_range', what, fmt(`value {} is not a ${e.id} value`, x));
}

/** Statements validating a LEN value `x` (a reference), then the expression of its bytes. */
function lenValue(L: RsCode, f: PbField, x: string, what: string): string {
  if (f.type === 'bytes') {
    L.line(`check_len(${x}.len(), ${f.minSize}, ${f.maxSize}, ${what}, "length_mismatch")?;`);
    return `&${x}`;
  }
  if (f.type === 'string') {
    L.line(`check_len(${x}.len(), ${f.minSize}, ${f.maxSize}, ${what}, "length_mismatch")?;`);
    return `${x}.as_bytes()`;
  }
  L.line(`let data = encode_${f.message}(&${x})?;`);
  return '&data';
}

function encodeField(c: Ctx, m: Message, f: PbField, L: RsCode): void {
  const what = rsStr(`${m.id}.${f.id}`);
  const x = `v.${rsField(f.id)}`;
  const tag0 = rsHex(tagOf(f, 0));
  const tag2 = rsHex(tagOf(f, 2));
  const asInt = (y: string) => (f.type === 'bool' ? `${y} as u64` : y);
  L.line(`// ${f.number} ${f.id}`);
  if (f.repeated) {
    L.line(`check_len(${x}.len(), 0, ${f.maxCount}, ${what}, "out_of_range")?;`);
    if (isVarint(f)) {
      L.block(`if !${x}.is_empty()`, () => {
        L.line('let mut run = Writer::new();');
        L.block(`for &x in &${x}`, () => {
          checkScalar(c, L, f, 'x', what);
          L.line(`run.pb_varint(${asInt('x')});`);
        });
        L.line(`w.pb_len(${tag2}, &run.buf); // packed`);
      });
      return;
    }
    L.block(`for x in &${x}`, () => {
      const data = lenValue(L, f, 'x', what);
      L.line(`w.pb_len(${tag2}, ${data});`);
    });
    return;
  }
  if (f.optional || f.type === 'message') {
    if (f.required) L.encFail(`${x}.is_none()`, 'wrong_type', what, fmt('required field is absent'));
    if (isVarint(f)) {
      L.block(`if let Some(x) = ${x}`, () => {
        checkScalar(c, L, f, 'x', what);
        L.line(`w.pb_uint(${tag0}, ${asInt('x')});`);
      });
    } else {
      L.block(`if let Some(x) = &${x}`, () => {
        const data = lenValue(L, f, 'x', what);
        L.line(`w.pb_len(${tag2}, ${data});`);
      });
    }
    return;
  }
  // Implicit presence: validated even when it holds the default, which is then not written.
  if (isVarint(f)) {
    checkScalar(c, L, f, x, what);
    L.when(f.type === 'bool' ? x : `${x} != 0`, `w.pb_uint(${tag0}, ${asInt(x)});`);
    return;
  }
  L.block('', () => {
    const data = lenValue(L, f, x, what);
    L.when(`!${x}.is_empty()`, `w.pb_len(${tag2}, ${data});`);
  });
}

function emitEncode(c: Ctx, m: Message): string {
  const P = rsType(m.id);
  const L = new RsCode();
  for (const f of [...m.fields].sort((a, b) => a.number - b.number)) encodeField(c, m, f, L);
  L.line('Ok(())');
  const out: string[] = [];
  out.push(`/// Checks a ${P} (EncodeError when invalid) and writes its canonical encoding.\n`);
  out.push(`pub fn put_${m.id}(w: &mut Writer, v: &${P}) -> Result<(), EncodeError> {\n${L.text()}}\n\n`);
  out.push(`/// Checks a ${P} and encodes it canonically (no length prefix).\n`);
  out.push(`pub fn encode_${m.id}(v: &${P}) -> Result<Vec<u8>, EncodeError> {\n    let mut w = Writer::new();\n    put_${m.id}(&mut w, v)?;\n`);
  out.push(`    if w.buf.len() as u64 > MAX_MESSAGE_SIZE {\n        return Err(enc_err("out_of_range", ${rsStr(m.id)}, format!("{} bytes, max_message_size is {}", w.buf.len(), MAX_MESSAGE_SIZE)));\n    }\n`);
  out.push('    Ok(w.buf)\n}\n\n');
  out.push(`/// Decodes a whole ${P}; errors carry ${m.error}. Input over max_message_size is out_of_range.\n`);
  out.push(`pub fn decode_${m.id}(input: &[u8]) -> Result<${P}, DecodeError> {\n    read_${m.id}(&mut Reader::new(input, ${m.error}))\n}\n\n`);
  // JSON
  out.push(`/// Appends a ${P} in the vector JSON format: every implicit-presence field, present explicit ones.\n`);
  out.push(`pub fn ${m.id}_to_json(v: &${P}, out: &mut String) {\n    out.push('{');\n    let mut first = true;\n`);
  for (const f of m.fields) {
    const one = (y: string): string => ({
      uint32: `json_u64(out, *${y});`, uint64: `json_u64(out, *${y});`, enum: `json_u64(out, *${y});`, bool: `json_bool(out, *${y});`,
      bytes: `json_hex(out, ${y});`, string: `json_str(out, ${y});`, message: `${f.message}_to_json(${y}, out);`,
    }[f.type]);
    const key = `json_key(out, &mut first, ${rsStr(f.id)});`;
    if (f.repeated) out.push(`    ${key}\n    out.push('[');\n    for (i, y) in v.${rsField(f.id)}.iter().enumerate() {\n        if i > 0 {\n            out.push(',');\n        }\n        ${one('y')}\n    }\n    out.push(']');\n`);
    else if (f.optional || f.type === 'message') out.push(`    if let Some(x) = &v.${rsField(f.id)} {\n        ${key}\n        ${one('x')}\n    }\n`);
    else out.push(`    ${key}\n    { let x = &v.${rsField(f.id)}; ${one('x')} }\n`);
  }
  out.push(`    let _ = first;\n    out.push('}');\n}\n\n`);
  return out.join('');
}

function emitStruct(c: Ctx, m: Message): string {
  const P = rsType(m.id);
  const out = [rsDoc(docText(m, m.error !== c.file.error ? [`Decode errors carry ${m.error}.`] : [])), `#[derive(Debug, Clone, PartialEq, Eq, Default)]\npub struct ${P} {\n`];
  for (const f of m.fields) {
    out.push(rsDoc(docText(f, [fieldNote(c, f)]), '    '));
    out.push(`    pub ${rsField(f.id)}: ${rsFieldType(f)},\n`);
  }
  out.push('}\n');
  return out.join('');
}

export function emitRsMessages(spec: Spec, file: MessagesFile): GeneratedFile {
  const maxMessage = spec.constants.constants.find((k) => k.id === 'max_message_size');
  if (!maxMessage) throw new Error('emit-rust-messages: constant max_message_size is missing');
  const c: Ctx = { spec, file, enums: new Map(file.enums.map((e) => [e.id, e])), messages: new Map(file.messages.map((m) => [m.id, m])) };
  const body: string[] = [];
  for (const e of file.enums) {
    for (const v of e.values) if (v.value > 0x7fff_ffffn) throw new Error(`enum '${e.id}': value ${v.value} does not fit a proto3 enum (int32)`);
    body.push(rsEnum(e, e.unknown === 'keep' ? 'Decoders keep values outside this table (0..2^31-1).' : 'A value outside this table is a decode error (invalid_enum).') + '\n');
  }
  body.push('// ───────────────────────────── values ─────────────────────────────\n\n');
  for (const m of file.messages) body.push(emitStruct(c, m) + '\n');
  for (const m of file.messages) {
    body.push(`// ───────────────────────────── ${m.id} ─────────────────────────────\n\n`);
    body.push(emitRead(c, m) + '\n', emitEncode(c, m));
  }
  const header = `${rsHeader([file, spec.constants, spec.errors])}${moduleDoc(file, [
    'Encoders write the canonical encoding: fields in increasing field-number order, repeated scalars packed,',
    'implicit-presence fields omitted when they hold their default, explicit-presence fields whenever present.',
    'Decoders accept any valid protobuf encoding and are stricter than protobuf on values (messages.ranges).',
  ].join('\n'))}`;
  const imports = ['use crate::constants::*;', 'use crate::errors::*;', 'use crate::runtime::*;'];
  const content = `${header}\n${imports.join('\n')}\n\n${body.join('')}`;
  void maxMessage;
  return { path: `src/${file.id}.rs`, content: content.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n') };
}
