/**
 * The Python module of one wire file (`frames.py`, `packets.py`): enum tables, a dataclass per
 * struct, and per struct `read_x(r, ...params)`, `decode_x(data, ...params)`, `write_x(w, v)`,
 * `encode_x(v)` and `X_MIN_SIZE`/`X_MAX_SIZE`; for the union the same plus `FrameType`, the table of
 * type codes, and `decode_frames`. Field code comes from `emit-python-wire-read.ts` and
 * `emit-python-wire-write.ts`; this file lays out the module around it.
 */
import type { GeneratedFile } from './emit.ts';
import type { Field, Spec, WireFile } from './ir.ts';
import { upper } from './naming.ts';
import { WireModel } from './emit-ts-wire-model.ts';
import { PKG, allList, attrDoc, docText, docstring, moduleDocstring, pyEnum, pyHeader, pyHex, pyStr, snakeOfType } from './emit-python-common.ts';
import { PyWire, naturalMax, pyAttr, type PyStruct } from './emit-python-wire-model.ts';
import { pyDecodeBody, pyMemberCodes, valueIds } from './emit-python-wire-read.ts';
import { pyPutBody } from './emit-python-wire-write.ts';

const bound = (n: number): string => (n === Infinity ? 'math.inf' : String(n));
const a = (w: string): string => (/^[aeiou]/i.test(w) ? 'an' : 'a');

/** The Python type of a value attribute, and a note on its range for ints. */
function attrType(ps: PyStruct, id: string): { type: string; note?: string; optional: boolean } {
  const n = ps.sm.named.get(id)!;
  if (n.kind === 'flag') return { type: 'bool', optional: false };
  if (n.kind === 'bit') return n.bit.bool ? { type: 'bool', optional: false } : { type: 'int', note: `Integer 0..${n.bit.max} (${n.bit.width} bits).`, optional: false };
  const f: Field = n.field;
  const opt = !!f.if;
  switch (f.kind) {
    case 'int': {
      const range = f.min > 0n || f.max < naturalMax(f.type) ? `${f.min}..${f.max}` : `0..${f.max}`;
      const note = `Integer ${range} (${f.type}${f.repeat ? ', each' : ''})${f.enum ? `, a ${f.enum} value` : ''}.`;
      return { type: f.repeat ? 'list[int]' : 'int', note, optional: opt };
    }
    case 'uint': return { type: 'int', note: `Integer ${f.min}..${f.max} (${f.width.text} bytes).`, optional: opt };
    case 'bytes': return { type: 'bytes', optional: opt };
    case 'struct': {
      const inner = ps.py.struct(f.struct).cls;
      return { type: f.repeat ? `list[${inner}]` : inner, optional: opt };
    }
    case 'message': return { type: ps.py.useMessage(f.message), optional: opt };
    default: throw new Error('bits fields have no value');
  }
}

function emitClass(ps: PyStruct): string {
  const extra = ps.member
    ? [`Type code ${pyHex(ps.s.code!)}${ps.s.flags.length ? ` (${pyMemberCodes(ps).map((c) => pyHex(c)).join(', ')}: flags in the low bits)` : ''}.`]
    : [];
  const out = [`@dataclass(slots=True, kw_only=True)\nclass ${ps.cls}:\n`, docstring(docText(ps.s, extra), '    ')];
  if (ps.member) out.push(`\n    type: ClassVar[str] = ${pyStr(ps.s.id)}\n`);
  for (const id of valueIds(ps)) {
    const n = ps.sm.named.get(id)!;
    const d = n.kind === 'flag' ? n.flag : n.kind === 'bit' ? n.bit : n.field;
    const t = attrType(ps, id);
    const attr = pyAttr(id);
    const meta = attr !== id ? `metadata={'id': ${pyStr(id)}}` : '';
    const dflt = t.optional ? (meta ? ` = field(default=None, ${meta})` : ' = None') : meta ? ` = field(${meta})` : '';
    out.push('\n' + attrDoc(docText(d, t.note ? [t.note] : []), '    '));
    out.push(`    ${attr}: ${t.type}${t.optional ? ' | None' : ''}${dflt}\n`);
  }
  if (!valueIds(ps).length && !ps.member) out.push('\n    pass\n');
  const U = upper(ps.fn);
  out.push(`\n\n#: Fewest bytes of an encoded ${ps.cls}.\n${U}_MIN_SIZE = ${ps.s.minSize}\n`);
  out.push(`#: Most bytes of an encoded ${ps.cls}${ps.s.maxSize === Infinity ? ' (unbounded: only the packet bounds it)' : ''}.\n${U}_MAX_SIZE = ${bound(ps.s.maxSize)}\n`);
  return out.join('');
}

function emitFunctions(ps: PyStruct): string {
  const T = ps.cls;
  const params = ps.s.params.map((p) => `, ${ps.local(p.id)}: int`).join('');
  const args = ps.s.params.map((p) => `, ${ps.local(p.id)}`).join('');
  const paramDocs = ps.s.params.map((p) => `\n\n${ps.local(p.id)}: ${p.doc}`).join('');
  const out: string[] = [];
  if (ps.member) {
    const u = ps.file.union!;
    const mask = ps.s.flags.reduce((m, fl) => m | (1 << fl.bit), 0);
    const test = mask ? `(type_ & ~${pyHex(mask)}) != ${pyHex(ps.s.code!)}` : `type_ != ${pyHex(ps.s.code!)}`;
    out.push(`def read_${ps.fn}(r: Reader) -> ${T}:\n`);
    out.push(docstring(`Reads ${a(T)} ${T}, type code included; a code of another member is unknown_type.`, '    '));
    out.push(`    at = r.pos\n    type_ = r.${u.tag}(${pyStr(`${u.id}.type`)})\n`);
    out.push(`    if ${test}:\n        r.fail('unknown_type', ${pyStr(`${ps.s.id}.type`)}, f'type 0x{type_:x} is not ${a(ps.s.id)} ${ps.s.id} ${u.id}', at)\n`);
    out.push(`    return _read_${ps.fn}_body(r, type_)\n\n\n`);
    out.push(`def _read_${ps.fn}_body(r: Reader, type_: int) -> ${T}:\n`);
    out.push(docstring(`The fields of ${a(T)} ${T}, after its type code${ps.s.flags.length ? ' (whose low bits are flags)' : ''}.`, '    '));
    out.push(pyDecodeBody(ps) + '\n\n');
  } else {
    out.push(`def read_${ps.fn}(r: Reader${params}) -> ${T}:\n`);
    out.push(docstring(`Reads ${a(T)} ${T}, advancing the reader.${paramDocs}`, '    '));
    out.push(pyDecodeBody(ps) + '\n\n');
  }
  out.push(`def decode_${ps.fn}(data: bytes${params}) -> ${T}:\n`);
  out.push(docstring(`Decodes exactly one ${T}: leftover bytes are trailing_bytes.`, '    '));
  out.push(`    r = Reader(data, _ERROR_CODE)\n    v = read_${ps.fn}(r${args})\n    r.expect_end(${pyStr(`${ps.s.id}.end`)})\n    return v\n\n\n`);
  out.push(`def _put_${ps.fn}(w: Writer, v: ${T}) -> None:\n`);
  out.push(docstring(`Checks ${a(T)} ${T} (EncodeError for any value a decoder would reject) and writes it.`, '    '));
  out.push(pyPutBody(ps) + '\n\n');
  out.push(`def write_${ps.fn}(w: Writer, v: ${T}) -> None:\n`);
  out.push(docstring(`Checks ${a(T)} ${T}, then appends its encoding to w (nothing when it is invalid).`, '    '));
  out.push(`    w.bytes(encode_${ps.fn}(v))\n\n\n`);
  out.push(`def encode_${ps.fn}(v: ${T}) -> bytes:\n`);
  out.push(docstring(`Checks ${a(T)} ${T} (EncodeError when invalid) and encodes it.`, '    '));
  out.push(`    w = Writer()\n    _put_${ps.fn}(w, v)\n    return w.getvalue()\n\n\n`);
  return out.join('');
}

function emitUnion(py: PyWire): { text: string; names: string[] } {
  const u = py.file.union!;
  const U = u.id.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  const fn = snakeOfType(U);
  const members = u.members.map((id) => py.struct(id));
  const out: string[] = [];
  out.push(`# ───────────────────────────── the ${u.id} union ─────────────────────────────\n\n`);
  out.push(attrDoc(docText(u)));
  out.push(`${U} = Union[\n${members.map((m) => `    ${m.cls},`).join('\n')}\n]\n\n`);
  const minSize = Math.min(...members.map((x) => x.s.minSize));
  const maxSize = Math.max(...members.map((x) => x.s.maxSize));
  out.push(`#: Fewest bytes of an encoded ${U}.\n${upper(fn)}_MIN_SIZE = ${minSize}\n`);
  out.push(`#: Most bytes of an encoded ${U}${maxSize === Infinity ? ' (unbounded: only the packet bounds it)' : ''}.\n${upper(fn)}_MAX_SIZE = ${bound(maxSize)}\n\n`);
  out.push(`#: The body reader of every type code a member claims (flags in the low bits).\n`);
  out.push(`_${upper(fn)}_READERS: dict[int, Callable[[Reader, int], ${U}]] = {\n`);
  for (const m of members) for (const code of pyMemberCodes(m)) out.push(`    ${pyHex(code)}: _read_${m.fn}_body,\n`);
  out.push('}\n\n\n');
  out.push(`def read_${fn}(r: Reader) -> ${U}:\n`);
  out.push(docstring(`Reads one ${U}: its type code chooses the member; a code no member claims is unknown_type.`, '    '));
  out.push(`    at = r.pos\n    type_ = r.${u.tag}(${pyStr(`${u.id}.type`)})\n    read = _${upper(fn)}_READERS.get(type_)\n`);
  out.push(`    if read is None:\n        r.fail('unknown_type', ${pyStr(`${u.id}.type`)}, f'unknown ${u.id} type 0x{type_:x}', at)\n`);
  out.push('    return read(r, type_)\n\n\n');
  out.push(`def decode_${fn}(data: bytes) -> ${U}:\n`);
  out.push(docstring(`Decodes exactly one ${U}: leftover bytes are trailing_bytes.`, '    '));
  out.push(`    r = Reader(data, _ERROR_CODE)\n    v = read_${fn}(r)\n    r.expect_end(${pyStr(`${u.id}.end`)})\n    return v\n\n\n`);
  out.push(`def decode_${fn}s(data: bytes) -> list[${U}]:\n`);
  out.push(docstring(`Decodes a packet payload: ${u.id}s until the end of the input.`, '    '));
  out.push(`    r = Reader(data, _ERROR_CODE)\n    out: list[${U}] = []\n    while r.pos < r.end:\n        out.append(read_${fn}(r))\n    return out\n\n\n`);
  out.push(`#: The checking writer of each member class.\n_${upper(fn)}_WRITERS: dict[type, Callable[[Writer, Any], None]] = {\n`);
  for (const m of members) out.push(`    ${m.cls}: _put_${m.fn},\n`);
  out.push('}\n\n\n');
  out.push(`def encode_${fn}(v: ${U}) -> bytes:\n`);
  out.push(docstring(`Checks a ${U} (EncodeError when invalid) and encodes it.`, '    '));
  out.push(`    put = _${upper(fn)}_WRITERS.get(type(v))\n    if put is None:\n`);
  out.push(`        raise EncodeError('wrong_type', ${pyStr(`${u.id}.type`)}, f'not a ${u.id}: {v!r:.60}')\n`);
  out.push('    w = Writer()\n    put(w, v)\n    return w.getvalue()\n\n\n');
  out.push(`def write_${fn}(w: Writer, v: ${U}) -> None:\n`);
  out.push(docstring(`Checks a ${U}, then appends its encoding to w (nothing when it is invalid).`, '    '));
  out.push(`    w.bytes(encode_${fn}(v))\n`);
  return { text: out.join(''), names: [U, `${upper(fn)}_MIN_SIZE`, `${upper(fn)}_MAX_SIZE`, `read_${fn}`, `decode_${fn}`, `decode_${fn}s`, `encode_${fn}`, `write_${fn}`] };
}

function emitTypeEnum(py: PyWire): string {
  const u = py.file.union!;
  const U = u.id.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  let s = `class ${U}Type(IntEnum):\n${docstring(`The base type code of each ${u.id} (flags, where a member has them, go in the low bits).`, '    ')}\n`;
  for (const id of u.members) {
    const m = py.struct(id);
    s += `    #: ${m.cls}${m.s.flags.length ? `: ${pyMemberCodes(m).map((c) => pyHex(c)).join(', ')}` : ''}.\n    ${upper(id)} = ${pyHex(m.s.code!)}\n`;
  }
  return s;
}

const RUNTIME_NAMES = ['EncodeError', 'Reader', 'Writer', 'check_bool', 'check_bytes', 'check_int', 'check_list', 'check_type'];

export function emitPyWireModule(spec: Spec, file: WireFile): GeneratedFile {
  const py = new PyWire(new WireModel(spec, file));
  const names: string[] = [];
  const body: string[] = [];
  for (const e of file.enums) {
    body.push(pyEnum(e, e.unknown === 'error' ? 'A value outside this table is a decode error (invalid_enum).' : 'Values outside this table are kept as ints.') + '\n\n');
    names.push(e.id.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()));
  }
  if (file.union) {
    body.push(emitTypeEnum(py) + '\n\n');
    names.push(`${file.union.id.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}Type`);
  }
  body.push('# ───────────────────────────── values ─────────────────────────────\n\n\n');
  for (const s of file.structs) {
    const ps = py.struct(s.id);
    body.push(emitClass(ps) + '\n\n');
    names.push(ps.cls, `${upper(ps.fn)}_MIN_SIZE`, `${upper(ps.fn)}_MAX_SIZE`);
  }
  body.push('# ───────────────────────────── decoders and encoders ─────────────────────────────\n\n\n');
  for (const s of file.structs) {
    const ps = py.struct(s.id);
    body.push(emitFunctions(ps));
    names.push(`read_${ps.fn}`, `decode_${ps.fn}`, `write_${ps.fn}`, `encode_${ps.fn}`);
  }
  if (file.union) {
    const u = emitUnion(py);
    body.push(u.text);
    names.push(...u.names);
  }
  const text = body.join('');
  const used = (n: string) => new RegExp(`(?<![\\w.])${n}\\b`).test(text);
  const imports = ['from __future__ import annotations', ''];
  if (used('math')) imports.push('import math');
  imports.push(`from dataclasses import dataclass${used('field\\(') || /= field\(/.test(text) ? ', field' : ''}`);
  if (file.enums.length || file.union) imports.push('from enum import IntEnum');
  const typing = ['Any', 'Callable', 'ClassVar', 'Union'].filter((n) => used(n));
  if (typing.length) imports.push(`from typing import ${typing.join(', ')}`);
  imports.push('');
  imports.push(`from ._runtime import ${RUNTIME_NAMES.filter(used).join(', ')}`);
  const consts = [...py.constants].sort().map(upper);
  if (consts.length) imports.push(`from .constants import ${consts.join(', ')}`);
  imports.push('from .errors import ErrorCode');
  const byModule = new Map<string, string[]>();
  for (const id of py.messages) {
    const mf = spec.messages.find((f) => f.messages.some((m) => m.id === id));
    if (!mf) throw new Error(`codegen: message '${id}' is in no messages file`);
    const cls = py.useMessage(id);
    byModule.set(mf.id, [...(byModule.get(mf.id) ?? []), cls, `encode_${id}`, `read_${id}`]);
  }
  for (const [mod, ns] of byModule) imports.push(`from .${mod} import ${ns.sort().join(', ')}`);
  const code = spec.errors.codes.find((c) => c.id === file.error)!;
  const errorLine = `\n#: Decode errors of this file carry ${file.error} (${pyHex(code.code)}).\n_ERROR_CODE = ErrorCode.${file.error}\n\n\n`;
  const content = `${pyHeader([file])}${moduleDocstring(file)}\n${imports.join('\n')}\n${errorLine}${text}\n\n${allList(names)}`;
  return { path: `${PKG}/${file.id}.py`, content: content.replace(/\n{4,}/g, '\n\n\n').replace(/\n+$/, '\n') };
}

