/**
 * The TypeScript module of one wire file (`frames.ts`, `packets.ts`), per the contract in
 * `codegen/README.md`: value interfaces, enum tables, and for every struct `readX`, `writeX`,
 * `sizeX`, `decodeX`, `encodeX`, `X_MIN_SIZE`, `X_MAX_SIZE`; for the union the same, plus the
 * table of type codes and `decodeFrames`. Field code comes from `emit-ts-wire-read.ts` and
 * `emit-ts-wire-write.ts`; this file lays out the module around it.
 */
import type { GeneratedFile } from './emit.ts';
import type { Spec, WireFile } from './ir.ts';
import { header, pascal, upper } from './naming.ts';
import { article, docBlock, hex2, moduleDoc } from './emit-ts-common.ts';
import { WireModel, type StructModel } from './emit-ts-wire-model.ts';
import { decodeBody, memberCodes, memberTest, paramArgs, paramList } from './emit-ts-wire-read.ts';
import { checkBody, putBody, sizeBody } from './emit-ts-wire-write.ts';

/** `Infinity`, or the number. */
const bound = (n: number) => (n === Infinity ? 'Infinity' : String(n));

/** `STREAM_FRAME` from `StreamFrame`. */
export function upperOfType(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function emitEnums(m: WireModel): string {
  const out: string[] = [];
  for (const e of m.file.enums) {
    const name = pascal(e.id);
    out.push(docBlock(e, '', [e.unknown === 'error' ? 'A value outside this table is a decode error (`invalid_enum`).' : 'Values outside this table are kept as numbers.']));
    out.push(`export const ${name} = {\n`);
    for (const v of e.values) out.push(docBlock(v, '  ') + `  ${upper(v.id)}: ${v.value},\n`);
    out.push('} as const;\n');
    out.push(`/** A ${e.id} value${e.unknown === 'keep' ? ' (or an unknown one, kept as a number)' : ''}. */\n`);
    out.push(e.unknown === 'error' ? `export type ${name} = (typeof ${name})[keyof typeof ${name}];\n\n` : `export type ${name} = number;\n\n`);
  }
  return out.join('');
}

function emitInterface(sm: StructModel): string {
  const out = [docBlock(sm.s, '', sm.member ? [`Type code ${hex2(sm.s.code!)}${sm.s.flags.length ? ` (${memberCodes(sm).map((c) => hex2(c)).join(', ')}: flags in the low bits)` : ''}.`] : [])];
  out.push(`export interface ${sm.name} {\n`);
  for (const p of sm.props) {
    out.push(docBlock({ doc: p.doc, req: p.req }, '  '));
    out.push(`  ${p.key}${p.optional ? '?' : ''}: ${p.tsType};\n`);
  }
  out.push('}\n\n');
  const U = upperOfType(sm.name);
  out.push(`/** Fewest bytes of an encoded ${sm.name}. */\nexport const ${U}_MIN_SIZE = ${sm.s.minSize};\n`);
  out.push(`/** Most bytes of an encoded ${sm.name}${sm.s.maxSize === Infinity ? ' (unbounded: only the packet bounds it)' : ''}. */\nexport const ${U}_MAX_SIZE = ${bound(sm.s.maxSize)};\n\n`);
  return out.join('');
}

/** `v` (or `_v` when the body never reads it, as for a frame without fields). */
function param(name: string, body: string): string {
  return new RegExp(`\\b${name}\\b`).test(body) ? name : `_${name}`;
}

function emitStructFunctions(sm: StructModel): string {
  const T = sm.name;
  const out: string[] = [];
  const params = paramList(sm);
  const args = paramArgs(sm);
  const paramDocs = sm.s.params.map((p) => ` * @param ${sm.local(p.id)} ${p.doc}\n`).join('');
  if (sm.member) {
    out.push(`/** Reads ${article(T)} ${T}, type code included; a code of another member is \`unknown_type\`. */\n`);
    out.push(`export function read${T}(r: Reader): ${T} {\n`);
    out.push(`  const at = r.pos;\n  const type = readType(r);\n`);
    out.push(`  if (${memberTest(sm, 'type')}) r.fail('unknown_type', ${sm.what('type')}, \`type 0x\${type.toString(16)} is not ${article(sm.s.id)} ${sm.s.id} ${sm.m.file.union!.id}\`, at);\n`);
    out.push(`  return read${T}Body(r${sm.s.flags.length ? ', type' : ''});\n}\n\n`);
    out.push(`/** The fields of ${article(T)} ${T}, after its type code${sm.s.flags.length ? ' (whose low bits are flags)' : ''}. */\n`);
    const body = decodeBody(sm);
    out.push(`function read${T}Body(${param('r', body)}: Reader${sm.s.flags.length ? ', type: number' : ''}): ${T} {\n${body}}\n\n`);
  } else {
    out.push(paramDocs ? `/**\n * Reads ${article(T)} ${T}, advancing the reader.\n *\n${paramDocs} */\n` : `/** Reads ${article(T)} ${T}, advancing the reader. */\n`);
    out.push(`export function read${T}(r: Reader${params}): ${T} {\n${decodeBody(sm)}}\n\n`);
  }
  out.push(`/** Decodes exactly one ${T}: leftover bytes are \`trailing_bytes\`. */\n`);
  out.push(`export function decode${T}(bytes: Uint8Array${params}): ${T} {\n`);
  out.push(`  const r = new Reader(bytes, ERROR_CODE);\n  const v = read${T}(r${args});\n  r.expectEnd(${sm.what('end')});\n  return v;\n}\n\n`);

  out.push(`/** Throws EncodeError for any ${T} a decoder would reject. */\n`);
  const check = checkBody(sm);
  out.push(`function check${T}(${param('v', check)}: ${T}): void {\n${check}}\n\n`);
  out.push(`/** The exact encoded size of ${article(T)} ${T} (of a valid one: \`encode${T}\` checks first). */\n`);
  const size = sizeBody(sm);
  out.push(`export function size${T}(${param('v', size)}: ${T}): number {\n${size}}\n\n`);
  out.push(`/** Writes ${article(T)} ${T} that passed \`check${T}\`. */\n`);
  const put = putBody(sm);
  out.push(`function put${T}(w: Writer, ${param('v', put)}: ${T}): void {\n${put}}\n\n`);
  out.push(`/** Checks ${article(T)} ${T} (EncodeError when invalid), then writes it. */\n`);
  out.push(`export function write${T}(w: Writer, v: ${T}): void {\n  check${T}(v);\n  put${T}(w, v);\n}\n\n`);
  out.push(`/** Checks ${article(T)} ${T} and encodes it into a buffer of exactly \`size${T}(v)\` bytes. */\n`);
  out.push(`export function encode${T}(v: ${T}): Uint8Array {\n  check${T}(v);\n`);
  out.push(`  const w = new Writer(new Uint8Array(size${T}(v)));\n  put${T}(w, v);\n  return w.buf;\n}\n\n`);
  return out.join('');
}

/** `readType`: the union tag, with the wide-varint case reported as unknown_type rather than out_of_range. */
function emitReadType(m: WireModel): string {
  const u = m.file.union!;
  const what = `'${u.id}.type'`;
  if (u.tag !== 'varint') return `/** Reads the ${u.id} type code. */\nfunction readType(r: Reader): number {\n  return r.${u.tag === 'u64' ? 'u64n' : u.tag}(${what});\n}\n\n`;
  return [
    `/**\n * Reads the ${u.id} type (a varint, minimal encoding required). No member's code needs 8 bytes, so an\n`,
    ` * 8-byte type is read whole and reported as \`unknown_type\` (not as a value too large for a number).\n */\n`,
    `function readType(r: Reader): number {\n`,
    `  if (r.pos < r.end && r.buf[r.pos] >= 0xc0) {\n`,
    `    const at = r.pos;\n`,
    `    const type = r.varintBig(${what});\n`,
    `    r.fail('unknown_type', ${what}, \`type 0x\${type.toString(16)}\`, at);\n  }\n`,
    `  return r.varint(${what});\n}\n\n`,
  ].join('');
}

function emitUnion(m: WireModel): string {
  const u = m.file.union!;
  const U = pascal(u.id);
  const members = u.members.map((id) => m.model(id));
  const out: string[] = [];
  const minSize = Math.min(...members.map((x) => x.s.minSize));
  const maxSize = Math.max(...members.map((x) => x.s.maxSize));
  out.push(`/** Fewest bytes of an encoded ${U}. */\nexport const ${upper(u.id)}_MIN_SIZE = ${minSize};\n`);
  out.push(`/** Most bytes of an encoded ${U}${maxSize === Infinity ? ' (unbounded: only the packet bounds it)' : ''}. */\nexport const ${upper(u.id)}_MAX_SIZE = ${bound(maxSize)};\n\n`);

  out.push(`/** Reads one ${U}: its type code chooses the member; a code no member claims is \`unknown_type\`. */\n`);
  out.push(`export function read${U}(r: Reader): ${U} {\n  const at = r.pos;\n  const type = readType(r);\n  switch (type) {\n`);
  for (const sm of members) {
    const codes = memberCodes(sm);
    for (let i = 0; i < codes.length; i++) {
      out.push(`    case ${hex2(codes[i])}:${i === codes.length - 1 ? `\n      return read${sm.name}Body(r${sm.s.flags.length ? ', type' : ''});` : ''}\n`);
    }
  }
  out.push(`    default:\n      return r.fail('unknown_type', '${u.id}.type', \`unknown ${u.id} type 0x\${type.toString(16)}\`, at);\n  }\n}\n\n`);

  out.push(`/** Decodes exactly one ${U}: leftover bytes are \`trailing_bytes\`. */\n`);
  out.push(`export function decode${U}(bytes: Uint8Array): ${U} {\n  const r = new Reader(bytes, ERROR_CODE);\n  const v = read${U}(r);\n  r.expectEnd('${u.id}.end');\n  return v;\n}\n\n`);
  out.push(`/** Decodes a packet payload: ${u.id}s until the end of the input. */\n`);
  out.push(`export function decode${U}s(bytes: Uint8Array): ${U}[] {\n  const r = new Reader(bytes, ERROR_CODE);\n  const out: ${U}[] = [];\n  while (r.pos < r.end) out.push(read${U}(r));\n  return out;\n}\n\n`);

  const sw = (fn: string, ret: string) => members.map((sm) => `    case '${sm.s.id}':\n      ${ret}${fn}${sm.name}(${fn === 'write' ? 'w, ' : ''}v);${ret ? '' : '\n      return;'}\n`).join('');
  const bad = `    default:\n      throw unknownMember(v);\n`;
  out.push(`/** The exact encoded size of a ${U}. */\nexport function size${U}(v: ${U}): number {\n  switch (v.type) {\n${sw('size', 'return ')}${bad}  }\n}\n\n`);
  out.push(`/** Checks a ${U} (EncodeError when invalid), then writes it. */\nexport function write${U}(w: Writer, v: ${U}): void {\n  switch (v.type) {\n${sw('write', '')}${bad}  }\n}\n\n`);
  out.push(`/** Checks a ${U} and encodes it into a buffer of exactly \`size${U}(v)\` bytes. */\nexport function encode${U}(v: ${U}): Uint8Array {\n  switch (v.type) {\n${sw('encode', 'return ')}${bad}  }\n}\n\n`);
  out.push(`function unknownMember(v: never): EncodeError {\n  return new EncodeError('wrong_type', '${u.id}.type', \`unknown ${u.id} type \${describeValue((v as { type: unknown }).type)}\`);\n}\n`);
  return out.join('');
}

function emitUnionTypes(m: WireModel): string {
  const u = m.file.union!;
  const U = pascal(u.id);
  const members = u.members.map((id) => m.model(id));
  const out: string[] = [];
  out.push(docBlock(u, '', ['The base type code of each member (flags, where a member has them, go in the low bits).']));
  out.push(`export const ${U}Type = {\n`);
  for (const sm of members) {
    out.push(`  /** {@link ${sm.name}}${sm.s.flags.length ? `: ${memberCodes(sm).map((c) => hex2(c)).join(', ')}` : ''}. */\n`);
    out.push(`  ${upper(sm.s.id)}: ${hex2(sm.s.code!)},\n`);
  }
  out.push('} as const;\n\n');
  out.push(docBlock(u));
  out.push(`export type ${U} =\n${members.map((sm) => `  | ${sm.name}`).join('\n')};\n\n`);
  return out.join('');
}

/** Small helpers the generated functions share: length prefixes, and error builders (cold paths only). */
const HELPERS: Record<string, string> = {
  readLength: `/**
 * A varint length prefix with no size limit. One above 2^53-1 cannot fit in any input, so it is
 * \`truncated\` (a length pointing past the end), not \`out_of_range\`.
 */
function readLength(r: Reader, what: string): number {
  if (r.pos < r.end && r.buf[r.pos] >= 0xc0) {
    const at = r.pos;
    const n = r.varintBig(what);
    if (n > BigInt(MAX_SAFE)) r.fail('truncated', what, \`length \${n} at offset \${at} exceeds the input\`, at);
    return Number(n);
  }
  return r.varint(what);
}
`,
  readLength64: `/** A u64 length prefix with no size limit: above 2^53-1 it is \`truncated\` (see readLength). */
function readLength64(r: Reader, what: string): number {
  const at = r.pos;
  const n = r.u64(what);
  if (n > BigInt(MAX_SAFE)) r.fail('truncated', what, \`length \${n} at offset \${at} exceeds the input\`, at);
  return Number(n);
}
`,
  notBool: `function notBool(path: string, v: unknown): EncodeError {\n  return new EncodeError('wrong_type', path, \`expected a boolean, got \${describeValue(v)}\`);\n}\n`,
  notBytes: `function notBytes(path: string, v: unknown): EncodeError {\n  return new EncodeError('wrong_type', path, \`expected a Uint8Array, got \${describeValue(v)}\`);\n}\n`,
  sizeError: `function sizeError(path: string, n: number, min: number, max: number): EncodeError {\n  return new EncodeError('out_of_range', path, \`length \${n} not in \${min}..\${max}\`);\n}\n`,
  presenceError: `function presenceError(path: string, present: boolean, cond: string): EncodeError {\n  return new EncodeError('wrong_type', path, present ? \`must be absent unless \${cond}\` : \`required when \${cond}\`);\n}\n`,
};

const used = (body: string, name: string) => new RegExp(`\\b${name}\\b`).test(body);

export function emitWireModule(spec: Spec, file: WireFile): GeneratedFile {
  const m = new WireModel(spec, file);
  if (file.union) {
    for (const id of file.union.members) {
      const sm = m.model(id);
      if (sm.s.params.length) throw new Error(`codegen: ${file.path}: union member '${id}' cannot take parameters`);
      if (sm.props.some((p) => p.key === 'type' && p.id !== undefined)) throw new Error(`codegen: ${file.path}: member '${id}' has a field named 'type'`);
    }
  }
  const body: string[] = [];
  body.push(emitEnums(m));
  if (file.union) body.push(emitUnionTypes(m));
  for (const s of file.structs) body.push(emitInterface(m.model(s.id)));
  if (file.union) body.push(emitReadType(m));
  for (const s of file.structs) body.push(emitStructFunctions(m.model(s.id)));
  if (file.union) body.push(emitUnion(m));
  let text = body.join('');

  const helpers = Object.entries(HELPERS).filter(([name]) => text.includes(`${name}(`)).map(([, code]) => code);
  if (helpers.length) text = `// ───────────────────────────── helpers ─────────────────────────────\n\n${helpers.join('\n')}\n${text}`;

  const codec = ['MAX_SAFE', 'Reader', 'Writer', 'EncodeError', 'describeValue', 'rangeError', 'varintSize', 'varintSizeBig'].filter((n) => used(text, n));
  const imports: string[] = [];
  imports.push(`import { ${codec.join(', ')} } from '../codec/index.ts';`);
  imports.push(`import { ErrorCode } from './errors.ts';`);
  const consts = [...m.constants].sort().map(upper);
  if (consts.length) imports.push(`import { ${consts.join(', ')} } from './constants.ts';`);
  const byModule = new Map<string, string[]>();
  for (const [id, mod] of m.messages) {
    const P = pascal(id);
    const names = [`read${P}`, `size${P}`, `write${P}`, `type ${P}`];
    byModule.set(mod, [...(byModule.get(mod) ?? []), ...names]);
  }
  for (const [mod, names] of byModule) imports.push(`import { ${names.join(', ')} } from './${mod}.ts';`);

  const errorCode = `/** Decode errors of this file carry ${file.error} (${hex2(spec.errors.codes.find((c) => c.id === file.error)!.code)}). */\nconst ERROR_CODE = ErrorCode.${file.error};\n\n`;
  const content = `${header([file])}${moduleDoc(file)}${imports.join('\n')}\n\n${errorCode}${text}`;
  return { path: `src/gen/${file.id}.ts`, content: content.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n') };
}
