/**
 * Pages of the binary layout files (`kind: wire`: packets, frames): for each struct its layout
 * in RFC 9000 notation and as a box diagram, the field table, the encoding rules the decoder
 * enforces, its requirements and its vectors.
 */
import type { BitField, EnumDef, Field, IntType, Struct, WireFile } from './ir.ts';
import { INT_TYPE_MAX } from './ir.ts';
import { varintWidth } from './naming.ts';
import {
  bullets, byteRange, cell, code, fence, heading, hex, inline, link, num, prose, reqList, table, vectorLine,
  type DocsCtx, type Page,
} from './emit-docs-md.ts';
import { bitDiagram, boxDiagram, codeText, listing, memberCodes, sizeBounds, structTitle, uintBytes, unionMembers } from './emit-docs-layout.ts';
import type { VectorFile } from './emit-docs-sources.ts';

const FIXED_BYTES: Record<Exclude<IntType, 'varint'>, number> = { u8: 1, u16: 2, u32: 4, u64: 8 };

export const wirePageName = (f: WireFile) => `${f.id}.md`;
export const enumAnchor = (id: string) => `enum-${id}`;
export const errorLink = (id: string) => link(code(id), `errors.md#${id}`);
export const kindLink = (id: string) => link(code(id), `errors.md#kind-${id}`);

function intSize(type: IntType, min: bigint, max: bigint): string {
  if (type !== 'varint') return byteRange(FIXED_BYTES[type], FIXED_BYTES[type]);
  return byteRange(varintWidth(min), varintWidth(max));
}

function range(min: bigint, max: bigint, typeMax: bigint): string | undefined {
  if (min === 0n && max === typeMax) return undefined;
  if (min === max) return `= ${num(min)}`;
  return `${num(min)}..${num(max)}`;
}

function enumRef(e: string | undefined, file: WireFile): string[] {
  if (!e) return [];
  const def = file.enums.find((x) => x.id === e)!;
  return [`enum ${link(code(e), `#${enumAnchor(e)}`)}${def.unknown === 'keep' ? ' (unknown values kept)' : ''}`];
}

function sizeText(s: Struct, f: Field, file: WireFile): string {
  switch (f.kind) {
    case 'int': {
      const one = intSize(f.type, f.const ?? f.min, f.const ?? f.max);
      if (!f.repeat) return one;
      return `${one} each × ${f.repeat.kind === 'count' ? code(f.repeat.count.text) : 'to the end'}`;
    }
    case 'uint': {
      const b = uintBytes(s, f);
      return `${code(f.width.text)} bytes (${byteRange(b.lo, b.hi)})`;
    }
    case 'bits':
      return '1 byte';
    case 'bytes':
    case 'message': {
      const b = sizeBounds(s, f);
      const bounds = byteRange(b.lo, b.hi);
      switch (f.size.kind) {
        case 'fixed': return byteRange(f.size.n, f.size.n);
        case 'expr': return `${code(f.size.expr.text)} (${bounds})`;
        case 'rest': return f.size.minus ? `the rest less ${f.size.minus} (${bounds})` : `the rest (${bounds})`;
        case 'prefix': {
          if (f.size.if) return `${f.size.type} length + data if ${code(f.size.if.text)}, else the rest (${bounds})`;
          return `${f.size.type} length + ${bounds}`;
        }
      }
      break;
    }
    case 'struct': {
      const inner = file.structs.find((x) => x.id === f.struct)!;
      const one = byteRange(inner.minSize, inner.maxSize);
      if (!f.repeat) return one;
      return `${one} each × ${f.repeat.kind === 'count' ? code(f.repeat.count.text) : 'to the end'}`;
    }
  }
  return '';
}

function countText(f: { minCount?: number; maxCount?: number }): string | undefined {
  const lo = f.minCount ?? 0;
  const hi = f.maxCount ?? Infinity;
  if (lo === 0 && hi === Infinity) return undefined;
  if (hi === Infinity) return `count ≥ ${lo}`;
  return `count ${lo}..${hi}`;
}

function constraintsText(f: Field, file: WireFile): string {
  const out: string[] = [];
  if (f.if) out.push(`present if ${code(f.if.text)}`);
  switch (f.kind) {
    case 'int': {
      if (f.const !== undefined) out.push(`= ${hex(f.const)} (fixed)`);
      else {
        const r = range(f.min, f.max, INT_TYPE_MAX[f.type]);
        if (r) out.push(r);
      }
      if (f.value) out.push(`derived: ${code(f.value.text)}`);
      out.push(...enumRef(f.enum, file));
      const c = countText(f);
      if (c) out.push(c);
      break;
    }
    case 'uint': {
      const r = range(f.min, f.max, 0xffff_ffffn);
      if (r) out.push(r);
      break;
    }
    case 'bytes':
      break;
    case 'message':
      out.push(`control message ${link(code(f.message), `messages.md#${f.message}`)}`);
      break;
    case 'struct': {
      const c = countText(f);
      if (c) out.push(c);
      break;
    }
    case 'bits':
      break;
  }
  return out.join('; ') || '—';
}

function typeText(f: Field): string {
  switch (f.kind) {
    case 'int': return f.repeat ? `${f.type}[]` : f.type;
    case 'uint': return 'uint';
    case 'bits': return 'bits';
    case 'bytes': return 'bytes';
    case 'message': return 'message';
    case 'struct': return f.repeat ? `${link(code(f.struct), `#${f.struct}`)}[]` : link(code(f.struct), `#${f.struct}`);
  }
}

function bitRow(b: BitField, mask: string, file: WireFile): string[] {
  const cons: string[] = [];
  if (b.const !== undefined) cons.push(`= ${b.const} (fixed)`);
  else if (b.max !== (1n << BigInt(b.width)) - 1n) cons.push(`0..${b.max}`);
  cons.push(...enumRef(b.enum, file));
  if (b.bool) cons.push('boolean');
  return [`↳ ${code(b.id)}`, `bit${b.width > 1 ? 's' : ''} ${mask}`, `${b.width} bit${b.width > 1 ? 's' : ''}`, cons.join('; ') || '—', cell(inline(b.doc))];
}

function fieldTable(s: Struct, file: WireFile): string {
  const rows: string[][] = [];
  if (s.code !== undefined && file.union) {
    const codes = memberCodes(s);
    const about = `The ${file.union.id} type${s.flags.length ? '; its low bits carry the flags below' : ''}.`;
    rows.push([code('type'), file.union.tag, intSize(file.union.tag, codes[0], codes[codes.length - 1]), `= ${codeText(s)}`, about]);
    for (const fl of [...s.flags].sort((a, b) => b.bit - a.bit)) {
      const what = fl.presenceOf ? `set exactly when ${code(fl.presenceOf)} is present` : 'boolean value';
      rows.push([`↳ ${code(fl.id)}`, `type flag ${hex(1n << BigInt(fl.bit))}`, '1 bit', what, cell(inline(fl.doc))]);
    }
  }
  for (const f of s.fields) {
    rows.push([code(f.id), typeText(f), sizeText(s, f, file), cell(constraintsText(f, file)), cell(inline(f.doc))]);
    if (f.kind === 'bits') {
      const { masks } = bitDiagram(f.bits);
      f.bits.forEach((b, i) => rows.push(bitRow(b, masks[i], file)));
    }
  }
  if (!rows.length) return 'No fields.\n';
  return table(['Field', 'Type', 'Size', 'Constraints', 'Meaning'], rows);
}

function sizeRule(f: Field & { kind: 'bytes' | 'message' }): string | undefined {
  const id = code(f.id);
  switch (f.size.kind) {
    case 'fixed': return undefined;
    case 'expr': return `${id} is ${code(f.size.expr.text)} bytes long; a negative or out-of-bounds length is ${kindLink('out_of_range')}.`;
    case 'rest':
      return f.size.minus
        ? `${id} takes the rest of the input less the ${f.size.minus} bytes of the fields after it; fewer than ${f.size.minus} bytes left is ${kindLink('truncated')}.`
        : `${id} runs to the end of the input.`;
    case 'prefix': {
      const p = `${id} is preceded by its length as ${f.size.type === 'varint' ? 'a varint' : `a ${f.size.type}`}`;
      if (!f.size.if) return `${p}; a length beyond its bounds is ${kindLink('out_of_range')}, one past the end ${kindLink('truncated')}.`;
      return `${p} when ${code(f.size.if.text)} holds; otherwise it runs to the end of the input.`;
    }
  }
}

function encodingRules(s: Struct, file: WireFile): string {
  const out: string[] = [];
  if (s.code !== undefined && file.union) {
    out.push(`The ${file.union.id} type is a ${file.union.tag} in its shortest encoding: ${code(codeText(s))}.`);
    for (const fl of [...s.flags].sort((a, b) => b.bit - a.bit)) {
      const m = code(hex(1n << BigInt(fl.bit)));
      out.push(fl.presenceOf
        ? `Type bit ${m} (${code(fl.id)}) is set exactly when ${code(fl.presenceOf)} is present; it is not a field of the value.`
        : `Type bit ${m} is ${code(fl.id)}, a boolean of the value.`);
    }
  }
  for (const p of s.params) out.push(`Decoding needs ${code(p.id)} from the context: ${inline(p.doc)}`);
  const fixedBits: string[] = [];
  for (const f of s.fields) {
    const id = code(f.id);
    if (f.if) out.push(`${id} is present only when ${code(f.if.flag)} is ${f.if.negate ? 'clear' : 'set'}.`);
    switch (f.kind) {
      case 'int':
        if (f.value) out.push(`${id} is derived, not part of the value: an encoder writes ${code(f.value.text)}; a decoder checks its range and uses it for the fields that follow.`);
        if (f.const !== undefined) out.push(`${id} must be ${code(hex(f.const))}; another value is ${kindLink('invalid_const')}.`);
        if (f.enum) out.push(enumRule(f.id, file.enums.find((e) => e.id === f.enum)!));
        if (f.repeat?.kind === 'count') out.push(`${id} has exactly ${code(f.repeat.count.text)} elements.`);
        if (f.repeat?.kind === 'eos') out.push(eosRule(f));
        break;
      case 'struct':
        if (f.repeat?.kind === 'count') out.push(`${id} has exactly ${code(f.repeat.count.text)} elements, each a ${link(code(f.struct), `#${f.struct}`)}.`);
        if (f.repeat?.kind === 'eos') out.push(eosRule(f));
        break;
      case 'uint':
        out.push(`${id} is a big-endian unsigned integer of ${code(f.width.text)} bytes.`);
        break;
      case 'bits':
        for (const b of f.bits) {
          if (b.const !== undefined) fixedBits.push(`${code(b.id)} = ${b.const}`);
          if (b.enum) out.push(enumRule(b.id, file.enums.find((e) => e.id === b.enum)!));
        }
        break;
      case 'bytes': {
        const r = sizeRule(f);
        if (r) out.push(r);
        break;
      }
      case 'message': {
        const r = sizeRule(f);
        if (r) out.push(r);
        out.push(`${id} holds a ${link(code(f.message), `messages.md#${f.message}`)} control message (protobuf); a defect inside it is a ${errorLink(file.error)}.`);
        break;
      }
    }
  }
  if (fixedBits.length) out.push(`Fixed bits: ${fixedBits.join(', ')}; another value is ${kindLink('invalid_const')}.`);
  for (const c of s.constraints) out.push(`${code(c.text)} — ${inline(c.doc)} Checked once the struct is decoded (skipped when it names an absent field); a violation is ${kindLink('constraint')}.`);
  out.push(`Encoded size: ${byteRange(s.minSize, s.maxSize)}${s.maxSize === Infinity ? ' (bounded by the enclosing packet)' : ''}. Decode errors carry ${errorLink(file.error)}.`);
  return bullets(out);
}

function enumRule(id: string, e: EnumDef): string {
  return e.unknown === 'error'
    ? `${code(id)} must be a value of ${link(code(e.id), `#${enumAnchor(e.id)}`)}; another is ${kindLink('invalid_enum')}.`
    : `${code(id)} takes values of ${link(code(e.id), `#${enumAnchor(e.id)}`)}; unknown values are kept.`;
}

function eosRule(f: { id: string; minCount?: number; maxCount?: number }): string {
  const parts = [`${code(f.id)} repeats until the end of the input`];
  if (f.minCount) parts.push(`at least ${f.minCount} element${f.minCount > 1 ? 's' : ''} (fewer is ${kindLink('out_of_range')})`);
  if (f.maxCount !== undefined && f.maxCount !== Infinity) parts.push(`at most ${f.maxCount} (one more is ${kindLink('too_many')})`);
  return parts.join('; ') + '.';
}

/** Every requirement of a struct, its fields, bits, flags and constraints, in spec order. */
function structReqs(s: Struct) {
  return [
    ...s.req, ...s.flags.flatMap((f) => f.req), ...s.params.flatMap((p) => p.req),
    ...s.fields.flatMap((f) => [...f.req, ...(f.kind === 'bits' ? f.bits.flatMap((b) => b.req) : [])]),
    ...s.constraints.flatMap((c) => c.req),
  ];
}

export function enumSection(ctx: DocsCtx, page: string, e: EnumDef): string {
  let s = heading(3, enumAnchor(e.id), `Enum ${code(e.id)}`);
  s += prose(e.doc);
  s += `\nUnknown values: ${e.unknown === 'keep' ? 'kept as numbers (a newer peer may send them)' : `a decode error (${kindLink('invalid_enum')})`}.\n\n`;
  s += table(['Value', 'Name', 'Meaning'], e.values.map((v) => [String(v.value), code(v.id), cell(inline(v.doc))]));
  s += reqList(ctx, page, `enum ${e.id}`, [...e.req, ...e.values.flatMap((v) => v.req)]);
  return s;
}

function structSection(ctx: DocsCtx, page: string, file: WireFile, s: Struct, vectors: VectorFile | undefined): string {
  const title = structTitle(s, file.union);
  let out = heading(3, s.id, s.code !== undefined ? `${title} (${codeText(s)})` : `${code(s.id)}`);
  out += prose(s.doc) + '\n';
  out += `Layout (RFC 9000 notation: sizes in bits, \`(i)\` a varint, \`[…]\` optional, \`...\` repeated):\n\n`;
  out += fence(listing(s, file.union));
  out += '\n' + fence(boxDiagram(s, file.union));
  for (const f of s.fields) {
    if (f.kind !== 'bits') continue;
    out += `\nBits of ${code(f.id)}, most significant first:\n\n` + fence(bitDiagram(f.bits).diagram);
  }
  out += '\n' + fieldTable(s, file);
  out += '\nEncoding rules:\n\n' + encodingRules(s, file);
  const reqs = structReqs(s);
  if (reqs.length) out += '\nRequirements:\n\n' + reqList(ctx, page, title, reqs);
  out += '\n' + vectorLine(vectors, vectors?.targets.get(s.id));
  return out;
}

export function wirePage(ctx: DocsCtx, file: WireFile, vectors: VectorFile | undefined): Page {
  const page = wirePageName(file);
  let b = heading(1, undefined, file.title);
  b += `\nSource: ${link(code(file.path), `../../${file.path}`)}, version ${file.version}${file.xref ? `; follows ${inline(file.xref)}` : ''}. Decode errors carry ${errorLink(file.error)}.\n\n`;
  b += prose(file.doc);
  if (file.req.length) b += '\n' + reqList(ctx, page, file.title, file.req);
  if (file.union) {
    const u = file.union;
    const members = unionMembers(file);
    b += '\n' + heading(2, u.id, `The ${code(u.id)} union`) + prose(u.doc);
    b += `\nEach ${u.id} starts with its type, a ${u.tag}; a type no member claims is ${kindLink('unknown_type')}.\n\n`;
    b += table(['Type', 'Name', 'Flags in the type', 'Size', 'Vectors (valid / invalid)'], members.map((s) => {
      const t = vectors?.targets.get(s.id);
      const flags = [...s.flags].sort((a, c) => c.bit - a.bit).map((f) => `${code(f.id)} ${hex(1n << BigInt(f.bit))}`).join(', ');
      return [code(codeText(s)), link(structTitle(s, u), `#${s.id}`), flags || '—', byteRange(s.minSize, s.maxSize), t ? `${t.valid} / ${t.invalid}` : '—'];
    }));
    const unknown = vectors?.targets.get(`union:${u.id}`);
    if (unknown) b += `\nUnknown types: ${unknown.invalid} invalid cases (tcId ${unknown.firstTcId}–${unknown.lastTcId}).\n`;
    b += reqList(ctx, page, `${u.id} union`, u.req);
  }
  if (file.enums.length) {
    b += '\n' + heading(2, 'enums', 'Enums');
    for (const e of file.enums) b += '\n' + enumSection(ctx, page, e);
  }
  const members = file.union ? unionMembers(file) : [];
  const others = file.structs.filter((s) => s.code === undefined);
  b += '\n' + heading(2, 'layouts', file.union ? `${file.union.id.charAt(0).toUpperCase()}${file.union.id.slice(1)}s` : 'Layouts');
  for (const s of members) b += '\n' + structSection(ctx, page, file, s, vectors);
  if (others.length && members.length) b += '\n' + heading(2, 'structs', 'Structs used inside them');
  for (const s of others) b += '\n' + structSection(ctx, page, file, s, vectors);
  return { file: page, title: file.title, body: b, sources: [file], uses: vectors ? [{ path: vectors.path, sha256: vectors.sha256 }] : [] };
}
