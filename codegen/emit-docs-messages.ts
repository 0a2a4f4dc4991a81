/**
 * Pages of the control messages (`kind: messages`, protobuf wire encoding): for each message
 * its field-number table, its `.proto` definition (cut from the generated schema, so the two
 * cannot differ), the rules JSP adds to protobuf, requirements and vectors. Also the
 * transport-parameters registry.
 */
import { emitProtoFile, PROTO_PATH } from './emit-proto.ts';
import type { Message, MessagesFile, PbField } from './ir.ts';
import { pascal } from './naming.ts';
import {
  bullets, byteRange, cell, code, fence, heading, inline, link, num, prose, reqList, table, vectorLine,
  type DocsCtx, type Page,
} from './emit-docs-md.ts';
import { enumAnchor, enumSection, errorLink, kindLink } from './emit-docs-wire.ts';
import type { VectorFile } from './emit-docs-sources.ts';

export const messagesPageName = (f: MessagesFile) => `${f.id}.md`;
export const TRANSPORT_PARAMETERS = 'transport_parameters';

const TYPE_MAX: Record<string, bigint> = { uint32: 0xffff_ffffn, uint64: 0xffff_ffff_ffff_ffffn, enum: 0x7fff_ffffn };

/** The `message X { … }` block of the generated .proto, with the comments just above it. */
export function protoSnippet(proto: string, m: Message): string {
  const lines = proto.split('\n');
  const start = lines.indexOf(`message ${pascal(m.id)} {`);
  if (start < 0) throw new Error(`emit-docs: message ${m.id} not found in ${PROTO_PATH}`);
  let from = start;
  while (from > 0 && lines[from - 1].startsWith('//')) from--;
  const end = lines.indexOf('}', start);
  return lines.slice(from, end + 1).join('\n') + '\n';
}

function typeText(f: PbField, page: string): string {
  const t = f.type === 'enum' ? link(code(f.enum!), `${page}#${enumAnchor(f.enum!)}`)
    : f.type === 'message' ? link(code(f.message!), `${page}#${f.message}`) : f.type;
  return f.repeated ? `repeated ${t}` : t;
}

export function presenceText(f: PbField): string {
  if (f.repeated) return f.type === 'uint32' || f.type === 'uint64' || f.type === 'enum' || f.type === 'bool' ? 'repeated (packed)' : 'repeated';
  if (f.required) return '**required**';
  if (f.optional) return 'explicit (absent ≠ default)';
  const dflt = f.type === 'bool' ? 'false' : f.type === 'bytes' ? 'empty' : f.type === 'string' ? '""' : '0';
  return `implicit (default ${dflt})`;
}

export function constraintsText(f: PbField): string {
  const out: string[] = [];
  if (f.type === 'uint32' || f.type === 'uint64' || f.type === 'enum') {
    if (f.min !== 0n || f.max !== TYPE_MAX[f.type]) out.push(f.type === 'enum' && f.max === TYPE_MAX.enum ? `≥ ${num(f.min)}` : `${num(f.min)}..${num(f.max)}`);
  }
  if (f.type === 'bytes' || f.type === 'string') out.push(`size ${byteRange(f.minSize, f.maxSize)}`);
  if (f.repeated) out.push(`≤ ${f.maxCount} elements`);
  return out.join('; ') || '—';
}

/** Implicit-presence fields whose default breaks their own bounds: a valid message must carry them. */
function mustCarry(m: Message): PbField[] {
  return m.fields.filter((f) => !f.optional && !f.repeated && (f.min > 0n || f.minSize > 0));
}

function messageRules(m: Message, file: MessagesFile): string {
  const out: string[] = [];
  out.push(`Decode errors carry ${errorLink(m.error)}${m.error !== file.error ? ` (this message overrides the file's ${code(file.error)})` : ''}.`);
  for (const f of m.fields.filter((x) => x.required)) out.push(`${code(f.id)} must be present; its absence is ${kindLink('missing_field')}.`);
  const mc = mustCarry(m);
  if (mc.length) out.push(`${mc.map((f) => code(f.id)).join(', ')} must be sent: absent, ${mc.length > 1 ? 'they take their defaults' : 'it takes its default'}, which ${mc.length > 1 ? 'are' : 'is'} ${kindLink('out_of_range')}.`);
  for (const f of m.fields.filter((x) => x.type === 'enum')) {
    const e = file.enums.find((x) => x.id === f.enum)!;
    out.push(e.unknown === 'keep'
      ? `${code(f.id)}: values outside ${code(e.id)} are kept (any value up to 2^31 − 1).`
      : `${code(f.id)}: a value outside ${code(e.id)} is ${kindLink('invalid_enum')}.`);
  }
  for (const f of m.fields.filter((x) => x.type === 'message')) {
    out.push(`${code(f.id)} is a nested ${link(code(f.message!), `#${f.message}`)}; a defect inside it carries that message's error code.`);
  }
  return bullets(out);
}

function messageSection(ctx: DocsCtx, page: string, file: MessagesFile, proto: string, m: Message, vectors: VectorFile | undefined): string {
  let s = heading(3, m.id, `${code(m.id)} (${code(pascal(m.id))})`);
  s += prose(m.doc) + '\n';
  s += table(['#', 'Field', 'Type', 'Presence', 'Constraints', 'Meaning'], m.fields.map((f) => [
    String(f.number), code(f.id), typeText(f, ''), presenceText(f), cell(constraintsText(f)), cell(inline(f.doc)),
  ]));
  s += `\nIn ${link(code(PROTO_PATH), `../../${PROTO_PATH}`)}:\n\n` + fence(protoSnippet(proto, m), 'proto');
  s += '\nRules beyond protobuf:\n\n' + messageRules(m, file);
  const reqs = [...m.req, ...m.fields.flatMap((f) => f.req)];
  if (reqs.length) s += '\nRequirements:\n\n' + reqList(ctx, page, `message ${m.id}`, reqs);
  s += '\n' + vectorLine(vectors, vectors?.targets.get(m.id));
  return s;
}

export function messagesPage(ctx: DocsCtx, file: MessagesFile, vectors: VectorFile | undefined): Page {
  const page = messagesPageName(file);
  const proto = emitProtoFile(file);
  let b = heading(1, undefined, file.title);
  b += `\nSource: ${link(code(file.path), `../../${file.path}`)}, version ${file.version}; protobuf package ${code(file.package)}, proto3 wire encoding. Decode errors carry ${errorLink(file.error)} unless a message says otherwise.\n\n`;
  b += prose(file.doc);
  if (file.req.length) b += '\nRequirements of every control message:\n\n' + reqList(ctx, page, file.title, file.req);
  b += '\n' + heading(2, 'index', 'Messages');
  b += table(['Message', 'Fields', 'Error code', 'Vectors (valid / invalid)'], file.messages.map((m) => {
    const t = vectors?.targets.get(m.id);
    return [link(code(m.id), `#${m.id}`), String(m.fields.length), code(m.error), t ? `${t.valid} / ${t.invalid}` : '—'];
  }));
  if (file.enums.length) {
    b += '\n' + heading(2, 'enums', 'Enums');
    b += `\nEnums are protobuf \`int32\` values; JSP accepts 0..2^31 − 1 (${kindLink('out_of_range')} above).\n`;
    for (const e of file.enums) b += '\n' + enumSection(ctx, page, e);
  }
  b += '\n' + heading(2, 'messages', 'Message definitions');
  for (const m of file.messages) b += '\n' + messageSection(ctx, page, file, proto, m, vectors);
  return { file: page, title: file.title, body: b, sources: [file], uses: vectors ? [{ path: vectors.path, sha256: vectors.sha256 }] : [] };
}

/** The transport parameters as a registry table (they are one control message). */
export function transportParametersPage(file: MessagesFile): Page | undefined {
  const m = file.messages.find((x) => x.id === TRANSPORT_PARAMETERS);
  if (!m) return undefined;
  const mp = messagesPageName(file);
  let b = heading(1, undefined, 'Transport parameters');
  b += `\nThe limits and settings each endpoint declares in its hello, carried as the ${link(code(m.id), `${mp}#${m.id}`)} control message (${code(pascal(m.id))}; field numbers are the parameter ids). Decode errors carry ${errorLink(m.error)}.\n\n`;
  b += prose(m.doc);
  b += '\n' + table(['Id', 'Parameter', 'Type', 'Presence', 'Allowed values', 'Meaning'], m.fields.map((f) => [
    String(f.number), `${link(code(f.id), `#${f.id}`)}`, f.type, presenceText(f), cell(constraintsText(f)), cell(inline(f.doc)),
  ]));
  b += '\n' + heading(2, 'each', 'Each parameter') + '\n';
  for (const f of m.fields) {
    b += heading(3, f.id, `${code(f.id)} (${f.number})`);
    b += prose(f.doc);
    b += `\n${f.type}, ${presenceText(f)}; ${constraintsText(f)}.${f.req.length ? ` Requirements: ${f.req.map((r) => link(code(r.id), `${mp}#req-${r.id}`)).join(', ')}.` : ''}\n\n`;
  }
  if (m.req.length) b += 'Requirements: ' + m.req.map((r) => link(code(r.id), `${mp}#req-${r.id}`)).join(', ') + '.\n';
  return { file: 'transport-parameters.md', title: 'Transport parameters', body: b, sources: [file] };
}
