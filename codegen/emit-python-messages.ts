/**
 * The Python module of a messages file (`messages.py`): the protobuf (proto3 wire format) codec of the
 * control messages, with the semantics of the TypeScript one (`emit-ts-messages.ts`) and of the spec's
 * reference decoder (conformance/reference/protobuf.ts):
 *
 * - decoding takes any valid encoding (any field order, packed or unpacked repeated scalars, unknown
 *   fields of wire types 0, 1, 2, 5 skipped) and is stricter than protobuf on values: every occurrence
 *   is range-checked (messages.ranges), a closed enum's unknown value is invalid_enum, enums are int32
 *   values in 0..2^31-1 (messages.enum-range), the last occurrence of a singular field wins whole — a
 *   message is not merged (messages.last-wins) — and absent implicit fields take their default, which
 *   is checked too (messages.defaults-checked);
 * - a length is checked against its limit before the input; an element is read before the count is
 *   checked; a nested message fails with its own error code (protocol.decode.nested-error-code);
 * - encoding is canonical: increasing field numbers, packed repeated scalars, defaults of
 *   implicit-presence fields omitted, explicit-presence fields written whenever present.
 */
import type { EnumDef, Message, MessagesFile, PbField, Spec } from './ir.ts';
import type { GeneratedFile } from './emit.ts';
import { pascal } from './naming.ts';
import { PKG, allList, attrDoc, docText, docstring, moduleDocstring, pyEnum, pyHeader, pyHex, pyInt, pyName, pyStr } from './emit-python-common.ts';
import { PyCode, pyAttr } from './emit-python-wire-model.ts';

const U64_MAX = (1n << 64n) - 1n;

interface Ctx {
  spec: Spec;
  file: MessagesFile;
  enums: Map<string, EnumDef>;
  messages: Map<string, Message>;
}

const isVarint = (f: PbField): boolean => f.type === 'uint32' || f.type === 'uint64' || f.type === 'bool' || f.type === 'enum';
const tagOf = (f: PbField, wireType: number): number => f.number * 8 + wireType;

function pyType(f: PbField): string {
  const base = { uint32: 'int', uint64: 'int', enum: 'int', bool: 'bool', bytes: 'bytes', string: 'str', message: f.message ? pascal(f.message) : '' }[f.type];
  return f.repeated ? `list[${base}]` : f.optional ? `${base} | None` : base;
}

/** The value of an absent field: the proto3 default, or None with explicit presence (every message field has it). */
function defaultOf(f: PbField): string {
  if (f.repeated) return '[]';
  if (f.optional || f.type === 'message') return 'None';
  return { uint32: '0', uint64: '0', enum: '0', bool: 'False', bytes: "b''", string: "''", message: 'None' }[f.type];
}

/** `Field 1 (uint32, 0..4294967295, at most 16).` */
function fieldNote(c: Ctx, f: PbField): string {
  const parts: string[] = [f.type === 'enum' ? pascal(f.enum!) : f.type === 'message' ? pascal(f.message!) : f.type];
  if (f.type === 'uint32' || f.type === 'uint64' || f.type === 'enum') parts.push(`${f.min}..${f.max}`);
  if (f.type === 'enum') parts.push(c.enums.get(f.enum!)!.unknown === 'keep' ? 'unknown values kept' : 'unknown values rejected');
  if (f.type === 'bytes' || f.type === 'string') parts.push(f.minSize === f.maxSize ? `exactly ${f.minSize} bytes` : `${f.minSize}..${f.maxSize} bytes`);
  if (f.repeated) parts.push(`at most ${f.maxCount}`);
  if (f.optional) parts.push(f.required ? 'explicit presence, required' : 'explicit presence');
  return `Field ${f.number} (${parts.join(', ')}).`;
}

/** True when the field's default (0, empty) is outside its range: absent is then invalid. */
function defaultInvalid(f: PbField): boolean {
  if (f.repeated || f.optional) return false;
  if (f.type === 'bytes' || f.type === 'string') return f.minSize > 0;
  if (f.type === 'uint32' || f.type === 'uint64' || f.type === 'enum') return f.min > 0n;
  return false;
}

/** The test that int `x` is outside a closed enum's table. */
function enumInvalid(e: EnumDef, x: string): string {
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const contiguous = vals.every((v, i) => v === vals[0] + BigInt(i));
  if (contiguous) return vals[0] === 0n ? `${x} > ${vals[vals.length - 1]}` : `${x} < ${vals[0]} or ${x} > ${vals[vals.length - 1]}`;
  return `${x} not in (${vals.join(', ')})`;
}

// ───────────────────────────── decoding ─────────────────────────────

/** Statements reading one varint-typed value into `x` with reader `rd`, and checking it (read, range, enum). */
function readVarint(c: Ctx, L: PyCode, f: PbField, what: string, rd: string): void {
  L.line(`x = ${rd}.pb_varint(${what})`);
  if (f.type === 'bool') {
    L.when('x > 1', `${rd}.fail('out_of_range', ${what}, f'a bool is 0 or 1, got {x}')`);
    return;
  }
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`x < ${pyInt(f.min)}`);
  if (f.max < U64_MAX) tests.push(`x > ${pyInt(f.max)}`);
  if (tests.length) L.when(tests.join(' or '), `${rd}.fail('out_of_range', ${what}, f'value {x} not in ${f.min}..${f.max}')`);
  const e = f.type === 'enum' ? c.enums.get(f.enum!)! : undefined;
  if (e?.unknown === 'error') L.when(enumInvalid(e, 'x'), `${rd}.fail('invalid_enum', ${what}, f'value {x} is not a ${e.id} value')`);
}

/** One branch of the decode loop per wire form of the field: varint, packed run, or LEN. */
function decodeCases(c: Ctx, m: Message, f: PbField, L: PyCode, kw: () => string): void {
  const what = pyStr(`${m.id}.${f.id}`);
  const name = pyName(f.id);
  const countCheck = (rd: string) => {
    if (f.repeated) L.when(`len(${name}) == ${f.maxCount}`, `${rd}.fail('too_many', ${what}, 'more than ${f.maxCount} elements')`);
  };
  const store = (value: string) => L.line(f.repeated ? `${name}.append(${value})` : `${name} = ${value}`);
  if (isVarint(f)) {
    const value = f.type === 'bool' ? 'x == 1' : 'x';
    L.block(`${kw()} tag == ${pyHex(tagOf(f, 0))}  # ${f.number} ${f.id}: varint${f.repeated ? ', one element' : ''}`, () => {
      readVarint(c, L, f, what, 'r');
      countCheck('r');
      store(value);
    });
    if (f.repeated) {
      L.block(`${kw()} tag == ${pyHex(tagOf(f, 2))}  # ${f.number} ${f.id}: packed`, () => {
        L.line(`run = r.pb_run(${what})`);
        L.block('while run.pos < run.end', () => {
          readVarint(c, L, f, what, 'run');
          countCheck('run');
          store(value);
        });
      });
    }
    return;
  }
  const last = f.type === 'message' && !f.repeated ? ', the last occurrence wins whole' : '';
  L.block(`${kw()} tag == ${pyHex(tagOf(f, 2))}  # ${f.number} ${f.id}: LEN${f.repeated ? ', one element' : ''}${last}`, () => {
    let value: string;
    if (f.type === 'bytes') value = `r.pb_bytes(${what}, ${f.minSize}, ${f.maxSize})`;
    else if (f.type === 'string') value = `r.pb_string(${what}, ${f.minSize}, ${f.maxSize})`;
    else {
      const target = c.messages.get(f.message!)!;
      L.line(`n = r.pb_varint(${what})`);
      L.when('n > MAX_MESSAGE_SIZE', `r.fail('out_of_range', ${what}, f'nested message of {n} bytes, max_message_size is {MAX_MESSAGE_SIZE}')`);
      value = `read_${target.id}(r.nested(n, ${what}, ErrorCode.${target.error}))`;
    }
    if (f.repeated) {
      L.line(`x = ${value}`);
      countCheck('r');
      store('x');
    } else store(value);
  });
}

/** Test that the field number of `tag` is one this message declares. */
function knownNumber(m: Message): string {
  const nums = m.fields.map((f) => f.number).sort((a, b) => a - b);
  if (nums.every((n, i) => n === i + 1)) return `tag >> 3 <= ${nums.length}`;
  return `tag >> 3 in (${nums.join(', ')}${nums.length === 1 ? ',' : ''})`;
}

function emitRead(c: Ctx, m: Message): string {
  const P = pascal(m.id);
  const L = new PyCode();
  L.when('r.remaining > MAX_MESSAGE_SIZE', `r.fail('out_of_range', ${pyStr(m.id)}, f'{r.remaining} bytes, max_message_size is {MAX_MESSAGE_SIZE}')`);
  for (const f of m.fields) L.line(`${pyName(f.id)}: ${pyType(f)} = ${defaultOf(f)}`);
  L.block('while r.pos < r.end', () => {
    L.line(`tag = r.pb_tag(${pyStr(m.id)})`);
    let first = true;
    const kw = () => { const k = first ? 'if' : 'elif'; first = false; return k; };
    for (const f of [...m.fields].sort((a, b) => a.number - b.number)) decodeCases(c, m, f, L, kw);
    if (m.fields.length) {
      L.block(`elif ${knownNumber(m)}  # a declared field with a wire type its type does not allow`, () =>
        L.line(`r.fail('wire_type', ${pyStr(m.id)}, f'field {tag >> 3} with wire type {tag & 7}')`));
      L.block('else', () => L.line(`r.pb_skip(tag & 7, ${pyStr(m.id)})  # an unknown field (messages.unknown-fields)`));
    } else L.line(`r.pb_skip(tag & 7, ${pyStr(m.id)})  # an unknown field (messages.unknown-fields)`);
  });
  for (const f of m.fields) {
    const what = pyStr(`${m.id}.${f.id}`);
    const name = pyName(f.id);
    if (f.required) L.when(`${name} is None`, `r.fail('missing_field', ${what}, 'required field ${f.number} is absent')`);
    else if (defaultInvalid(f)) {
      const lenType = f.type === 'bytes' || f.type === 'string';
      const need = lenType ? `${f.minSize}..${f.maxSize} bytes` : `${f.min}..${f.max}`;
      L.when(lenType ? `len(${name}) == 0` : `${name} == 0`, `r.fail('out_of_range', ${what}, 'absent (so ${lenType ? 'empty' : '0'}), needs ${need}')`);
    }
  }
  const args = m.fields.map((f) => `${pyAttr(f.id)}=${pyName(f.id)}`);
  const one = `return ${P}(${args.join(', ')})`;
  if (one.length + 4 <= 110) L.line(one);
  else {
    L.line(`return ${P}(`);
    for (const x of args) L.line(`    ${x},`);
    L.line(')');
  }
  const doc = docstring(`Reads ${/^[AEIOU]/.test(P) ? 'an' : 'a'} ${P} from r up to r.end (at most max_message_size bytes).\n\n` +
    'Takes any valid protobuf encoding: any field order, packed or unpacked repeated scalars, unknown fields\n' +
    '(skipped). A singular field seen twice: the last occurrence wins — whole, for a message (no merge).', '    ');
  return `def read_${m.id}(r: Reader) -> ${P}:\n${doc}${L.text()}`;
}

// ───────────────────────────── encoding ─────────────────────────────

/** Statements validating one scalar value `x` (an int, enum or bool) before it is written. */
function checkScalar(c: Ctx, L: PyCode, f: PbField, x: string, what: string): void {
  if (f.type === 'bool') {
    L.line(`check_bool(${x}, ${what})`);
    return;
  }
  L.line(`check_int(${x}, ${pyInt(f.min)}, ${pyInt(f.max)}, ${what})`);
  const e = f.type === 'enum' ? c.enums.get(f.enum!)! : undefined;
  if (e?.unknown === 'error') L.when(enumInvalid(e, x), `raise EncodeError('out_of_range', ${what}, f'value {${x}} is not a ${e.id} value')`);
}

/** `(check, bytes)`: statements validating a LEN value and the expression of its bytes. */
function lenValue(f: PbField, x: string, what: string): { check?: string; data: string } {
  if (f.type === 'bytes') return { check: `check_bytes(${x}, ${f.minSize}, ${f.maxSize}, ${what}, 'length_mismatch')`, data: x };
  if (f.type === 'string') return { data: `check_str(${x}, ${f.minSize}, ${f.maxSize}, ${what})` };
  return { data: `encode_${f.message}(${x})` };
}

function encodeField(c: Ctx, m: Message, f: PbField, L: PyCode): void {
  const what = pyStr(`${m.id}.${f.id}`);
  const x = `v.${pyAttr(f.id)}`;
  const tag0 = pyHex(tagOf(f, 0));
  const tag2 = pyHex(tagOf(f, 2));
  L.line(`# ${f.number} ${f.id}`);
  if (f.repeated) {
    L.line(`check_list(${x}, 0, ${f.maxCount}, ${what})`);
    if (isVarint(f)) {
      L.block(`if ${x}`, () => {
        L.line('run = Writer()');
        L.block(`for x in ${x}`, () => {
          checkScalar(c, L, f, 'x', what);
          L.line(`run.pb_varint(${f.type === 'bool' ? '1 if x else 0' : 'x'})`);
        });
        L.line(`w.pb_len(${tag2}, run.buf)  # packed`);
      });
      return;
    }
    L.block(`for x in ${x}`, () => {
      const lv = lenValue(f, 'x', what);
      if (lv.check) L.line(lv.check);
      L.line(`w.pb_len(${tag2}, ${lv.data})`);
    });
    return;
  }
  if (f.optional) {
    if (f.required) L.when(`${x} is None`, `raise EncodeError('wrong_type', ${what}, 'required field is absent')`);
    L.block(`if ${x} is not None`, () => {
      if (isVarint(f)) {
        checkScalar(c, L, f, x, what);
        L.line(`w.pb_uint(${tag0}, ${f.type === 'bool' ? `1 if ${x} else 0` : x})`);
      } else {
        const lv = lenValue(f, x, what);
        if (lv.check) L.line(lv.check);
        L.line(`w.pb_len(${tag2}, ${lv.data})`);
      }
    });
    return;
  }
  // Implicit presence: validated even when it holds the default, which is then not written.
  if (isVarint(f)) {
    checkScalar(c, L, f, x, what);
    L.when(f.type === 'bool' ? x : `${x} != 0`, `w.pb_uint(${tag0}, ${f.type === 'bool' ? '1' : x})`);
    return;
  }
  const lv = lenValue(f, x, what);
  if (f.type === 'string') {
    L.line(`data = ${lv.data}`);
    L.when('data', `w.pb_len(${tag2}, data)`);
    return;
  }
  if (lv.check) L.line(lv.check);
  L.when(x, `w.pb_len(${tag2}, ${x})`);
}

function emitEncode(c: Ctx, m: Message): string {
  const P = pascal(m.id);
  const L = new PyCode();
  L.line(`check_type(v, ${P}, ${pyStr(m.id)})`);
  for (const f of [...m.fields].sort((a, b) => a.number - b.number)) encodeField(c, m, f, L);
  const out: string[] = [];
  out.push(`def _put_${m.id}(w: Writer, v: ${P}) -> None:\n`);
  out.push(docstring(`Checks ${/^[AEIOU]/.test(P) ? 'an' : 'a'} ${P} (EncodeError when invalid) and writes its canonical encoding.`, '    '));
  out.push(L.text() + '\n\n');
  out.push(`def encode_${m.id}(v: ${P}) -> bytes:\n`);
  out.push(docstring(`Checks ${/^[AEIOU]/.test(P) ? 'an' : 'a'} ${P} and encodes it canonically (no length prefix).`, '    '));
  out.push(`    w = Writer()\n    _put_${m.id}(w, v)\n`);
  out.push(`    if len(w.buf) > MAX_MESSAGE_SIZE:\n        raise EncodeError('out_of_range', ${pyStr(m.id)}, f'{len(w.buf)} bytes, max_message_size is {MAX_MESSAGE_SIZE}')\n`);
  out.push('    return w.getvalue()\n\n\n');
  out.push(`def write_${m.id}(w: Writer, v: ${P}) -> None:\n`);
  out.push(docstring(`Checks ${/^[AEIOU]/.test(P) ? 'an' : 'a'} ${P}, then appends its encoding to w (nothing when it is invalid).`, '    '));
  out.push(`    w.bytes(encode_${m.id}(v))\n\n\n`);
  out.push(`def decode_${m.id}(data: bytes) -> ${P}:\n`);
  out.push(docstring(`Decodes a whole ${P}; errors carry ${m.error}. Input over max_message_size is out_of_range.`, '    '));
  out.push(`    return read_${m.id}(Reader(data, ErrorCode.${m.error}))\n\n\n`);
  return out.join('');
}

// ───────────────────────────── declarations ─────────────────────────────

function emitClass(c: Ctx, m: Message): string {
  const P = pascal(m.id);
  const out = [`@dataclass(slots=True, kw_only=True)\nclass ${P}:\n`, docstring(docText(m, m.error !== c.file.error ? [`Decode errors carry ${m.error}.`] : []), '    ')];
  for (const f of m.fields) {
    const attr = pyAttr(f.id);
    const meta = attr !== f.id ? `metadata={'id': ${pyStr(f.id)}}` : '';
    let dflt: string;
    if (f.repeated) dflt = `field(default_factory=list${meta ? `, ${meta}` : ''})`;
    else dflt = meta ? `field(default=${defaultOf(f)}, ${meta})` : defaultOf(f);
    out.push('\n' + attrDoc(docText(f, [fieldNote(c, f)]), '    '));
    out.push(`    ${attr}: ${pyType(f)} = ${dflt}\n`);
  }
  if (!m.fields.length) out.push('\n    pass\n');
  return out.join('');
}

export function emitPyMessages(spec: Spec, file: MessagesFile): GeneratedFile {
  const maxMessage = spec.constants.constants.find((k) => k.id === 'max_message_size');
  if (!maxMessage) throw new Error('emit-python-messages: constant max_message_size is missing');
  const c: Ctx = { spec, file, enums: new Map(file.enums.map((e) => [e.id, e])), messages: new Map(file.messages.map((m) => [m.id, m])) };
  const names: string[] = [];
  const body: string[] = [];
  for (const e of file.enums) {
    for (const v of e.values) if (v.value > 0x7fff_ffffn) throw new Error(`enum '${e.id}': value ${v.value} does not fit a proto3 enum (int32)`);
    body.push(pyEnum(e, e.unknown === 'keep' ? 'Decoders keep values outside this table (0..2^31-1).' : 'A value outside this table is a decode error (invalid_enum).') + '\n\n');
    names.push(pascal(e.id));
  }
  body.push('# ───────────────────────────── values ─────────────────────────────\n\n\n');
  for (const m of file.messages) {
    body.push(emitClass(c, m) + '\n\n');
    names.push(pascal(m.id));
  }
  for (const m of file.messages) {
    body.push(`# ───────────────────────────── ${m.id} ─────────────────────────────\n\n\n`);
    body.push(emitRead(c, m) + '\n\n', emitEncode(c, m));
    names.push(`read_${m.id}`, `decode_${m.id}`, `write_${m.id}`, `encode_${m.id}`);
  }
  const text = body.join('');
  const runtime = ['EncodeError', 'Reader', 'Writer', 'check_bool', 'check_bytes', 'check_int', 'check_list', 'check_str', 'check_type']
    .filter((n) => new RegExp(`\\b${n}\\b`).test(text));
  const imports = [
    'from __future__ import annotations', '',
    `from dataclasses import dataclass${/field\(/.test(text) ? ', field' : ''}`,
    ...(file.enums.length ? ['from enum import IntEnum'] : []), '',
    `from ._runtime import ${runtime.join(', ')}`,
    'from .errors import ErrorCode',
  ];
  const header = `${pyHeader([file, spec.constants, spec.errors])}${moduleDocstring(file, [
    'Encoders write the canonical encoding: fields in increasing field-number order, repeated scalars packed,',
    'implicit-presence fields omitted when they hold their default, explicit-presence fields whenever present.',
    'Decoders accept any valid protobuf encoding and are stricter than protobuf on values (messages.ranges):',
    "a wrong wire type is 'wire_type', a value outside its range (or a bool other than 0/1) 'out_of_range',",
    "an unknown value of a closed enum 'invalid_enum', too many elements 'too_many'.",
  ].join('\n'))}`;
  const maxLine = `\n#: max_message_size (${spec.constants.path}): ${maxMessage.doc.split('\n')[0].trim()}\nMAX_MESSAGE_SIZE = ${pyInt(maxMessage.value)}\n\n\n`;
  const content = `${header}\n${imports.join('\n')}\n${maxLine}${text}${allList(names)}`;
  return { path: `${PKG}/${file.id}.py`, content: content.replace(/\n{4,}/g, '\n\n\n').replace(/\n+$/, '\n') };
}
