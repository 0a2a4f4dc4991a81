/**
 * Emits `schema/jetstream.proto` (proto3) from the `messages` spec files: the schema any protobuf
 * library — and our protobufjs oracle test — reads JSP control messages with.
 *
 * Names follow the protobuf style guide (https://protobuf.dev/programming-guides/style/):
 * messages and enums in PascalCase, fields in snake_case (the spec ids), enum values in
 * UPPER_SNAKE prefixed by their enum's name (`CIPHER_SUITE_CHACHA20_POLY1305_SHA256`), so that
 * values of different enums cannot collide in the package scope (C++ enum scoping rules).
 * Explicit-presence scalars get proto3 `optional`; repeated scalars are packed by default.
 * What protobuf cannot express (ranges, sizes, counts, required) is written as a comment.
 */
import type { Emitter, GeneratedFile } from './emit.ts';
import type { EnumDef, Message, MessagesFile, PbField, Spec } from './ir.ts';
import { header, pascal, upper } from './naming.ts';

/** The committed location of the generated schema. */
export const PROTO_PATH = 'schema/jetstream.proto';

/** `cipher_suite` + `chacha20_poly1305_sha256` → `CIPHER_SUITE_CHACHA20_POLY1305_SHA256`. */
export function protoEnumValueName(enumId: string, valueId: string): string {
  return `${upper(enumId)}_${upper(valueId)}`;
}

/** A `//` comment block at the given indent; blank lines stay (as `//`). */
function comment(text: string, indent: string): string {
  if (!text.trim()) return '';
  return text.trim().split('\n').map((l) => `${indent}//${l.trim() ? ' ' + l.trimEnd() : ''}`).join('\n') + '\n';
}

/** The protobuf type of a field: a scalar, or the PascalCase name of an enum or message. */
function protoType(f: PbField): string {
  if (f.type === 'enum') return pascal(f.enum!);
  if (f.type === 'message') return pascal(f.message!);
  return f.type;
}

/** JSP rules that protobuf cannot express, as one comment line (empty when there are none). */
function limits(f: PbField): string {
  const out: string[] = [];
  if (f.required) out.push('required');
  if (f.type === 'uint32' || f.type === 'uint64') {
    const typeMax = f.type === 'uint32' ? 0xffff_ffffn : 0xffff_ffff_ffff_ffffn;
    if (f.min !== 0n || f.max !== typeMax) out.push(`range ${f.min}..${f.max}`);
  }
  if (f.type === 'bytes' || f.type === 'string') {
    out.push(f.minSize === f.maxSize ? `exactly ${f.minSize} bytes` : `${f.minSize}..${f.maxSize} bytes`);
  }
  if (f.repeated) out.push(`at most ${f.maxCount} elements`);
  return out.length ? `JSP: ${out.join('; ')}.` : '';
}

function emitEnum(e: EnumDef): string {
  if (e.values[0]?.value !== 0n) throw new Error(`enum '${e.id}': proto3 requires the first value to be 0`);
  let s = comment(e.doc, '');
  s += comment(e.unknown === 'keep' ? 'JSP: unknown values are kept.' : 'JSP: unknown values are a decode error.', '');
  s += `enum ${pascal(e.id)} {\n`;
  for (const v of e.values) {
    s += comment(v.doc, '  ');
    s += `  ${protoEnumValueName(e.id, v.id)} = ${v.value};\n`;
  }
  return s + '}\n';
}

function emitField(f: PbField): string {
  let s = comment(f.doc, '  ');
  const lim = limits(f);
  if (lim) s += comment(lim, '  ');
  // Message fields have explicit presence without `optional`; proto3 `optional` is for scalars.
  const label = f.repeated ? 'repeated ' : f.optional && f.type !== 'message' ? 'optional ' : '';
  return s + `  ${label}${protoType(f)} ${f.id} = ${f.number};\n`;
}

function emitMessage(m: Message, fileError: string): string {
  let s = comment(m.doc, '');
  if (m.error !== fileError) s += comment(`JSP: decode errors of this message are ${m.error}.`, '');
  s += `message ${pascal(m.id)} {\n`;
  s += m.fields.map(emitField).join('\n');
  return s + '}\n';
}

/** The .proto text for one messages file (exported for tests and other schema consumers). */
export function emitProtoFile(file: MessagesFile): string {
  const parts = [
    header([file]),
    comment(file.doc, ''),
    comment('JSP decoders differ from protobuf in one more way: a singular message field that appears twice is not\n' +
      'merged; the last occurrence wins whole. Ranges, sizes and counts that protobuf cannot express are the\n' +
      '"JSP:" comments below.', ''),
    'syntax = "proto3";\n',
    `package ${file.package};\n`,
    ...file.enums.map(emitEnum),
    ...file.messages.map((m) => emitMessage(m, file.error)),
  ];
  return parts.join('\n');
}

/** One `.proto` for the spec's messages file (JSP has exactly one). */
export const emitProto: Emitter = (spec: Spec): GeneratedFile[] => {
  if (spec.messages.length !== 1) throw new Error(`emit-proto: expected one messages file, found ${spec.messages.length}`);
  return [{ path: PROTO_PATH, content: emitProtoFile(spec.messages[0]) }];
};
