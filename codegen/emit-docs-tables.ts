/**
 * The overview page (what JSP is, its layers, reading order, conventions and notation) and the
 * registries: constants and error codes.
 */
import type { ProtocolFile, Spec, SpecFile } from './ir.ts';
import {
  anchor, bullets, cell, code, heading, hex, inline, link, num, prose, reqList, table,
  type DocsCtx, type Page,
} from './emit-docs-md.ts';
import { kindLink } from './emit-docs-wire.ts';

/** The page of every spec file (protocol files other than `protocol` get their own page). */
export function filePage(f: SpecFile): string {
  if (f.kind === 'protocol' && f.id === 'protocol') return 'README.md';
  if (f.kind === 'machine') return `machines-${f.id.replace(/_/g, '-')}.md`;
  return `${f.id}.md`;
}

const firstSentence = (doc: string) => {
  const flat = doc.trim().split(/\s*\n\s*/).join(' ');
  const m = /^(.*?[.!?])(\s|$)/.exec(flat);
  return m ? m[1] : flat;
};

/** Sections of a prose file, each with its requirements. */
export function sections(ctx: DocsCtx, page: string, f: ProtocolFile, level = 2): string {
  let s = '';
  for (const sec of f.sections) {
    s += '\n' + heading(level, sec.id, inline(sec.title)) + prose(sec.doc);
    if (sec.req.length) s += '\n' + reqList(ctx, page, sec.title, sec.req);
  }
  return s;
}

/** The order files are read in: outer layers first, then registries, then prose. */
function layerOrder(spec: Spec): SpecFile[] {
  const rank = (f: SpecFile) => {
    const w = spec.wire.find((x) => x.path === f.path);
    if (w) return w.union ? 1 : 0;
    return { messages: 2, crypto: 3, machine: 4, constants: 5, errors: 6, protocol: 7, wire: 0 }[f.kind];
  };
  return [...spec.files].filter((f) => filePage(f) !== 'README.md').sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1));
}

function varintTable(): string {
  const rows = [0, 1, 2, 3].map((p) => {
    const bytes = 1 << p;
    const bits = bytes * 8 - 2;
    return [`${p.toString(2).padStart(2, '0')}`, String(bytes), String(bits), `0..${num((1n << BigInt(bits)) - 1n)}`];
  });
  return table(['2 most significant bits', 'Length (bytes)', 'Usable bits', 'Range'], rows);
}

export function overviewPage(ctx: DocsCtx, extraPages: Array<{ file: string; title: string; about: string }>): Page {
  const spec = ctx.spec;
  const main = spec.protocol.find((p) => p.id === 'protocol');
  const page = 'README.md';
  let b = heading(1, undefined, main ? inline(main.title) : 'JetStreamProto');
  b += '\n' + (main ? prose(main.doc) : '');
  b += `\nThis is the rendered specification: every page is generated from the YAML files of \`spec/\` by \`npm run codegen\`, and \`npm run codegen -- --check\` fails when a page no longer matches them. An implementer can build a conforming codec from these pages alone; the ${link('conformance vectors', 'conformance.md')} say whether it does.\n`;
  if (main?.xref) b += `\nFollows: ${inline(main.xref)}.\n`;

  b += '\n' + heading(2, 'layers', 'Layers');
  b += '\nA UDP datagram carries packets; a packet, once decrypted, carries frames; some frames and the handshake carry control messages. Constants and error codes are shared by all of them.\n\n';
  const order = layerOrder(spec);
  b += table(['Layer', 'Spec file', 'What it defines'], order.map((f) => [link(inline(f.title), filePage(f)), code(f.path), cell(inline(firstSentence(f.doc)))]));

  b += '\n' + heading(2, 'reading-order', 'Reading order');
  const reading = [
    `${link('Conventions', '#conventions')} and ${link('notation', '#notation')} below: byte order, varints, requirement levels, how layouts are drawn.`,
    ...order.filter((f) => f.kind === 'wire' || f.kind === 'messages').map((f) => `${link(inline(f.title), filePage(f))}: ${inline(firstSentence(f.doc))}`),
    ...extraPages.filter((p) => p.file === 'transport-parameters.md').map((p) => `${link(p.title, p.file)}: ${p.about}`),
    ...order.filter((f) => f.kind === 'crypto' || f.kind === 'machine').map((f) => `${link(inline(f.title), filePage(f))}: ${inline(firstSentence(f.doc))}`),
    ...order.filter((f) => f.kind === 'constants' || f.kind === 'errors').map((f) => `${link(inline(f.title), filePage(f))}: ${inline(firstSentence(f.doc))}`),
    // A prose file whose page is also one of the extra pages (the adapter protocol) is read there.
    ...order.filter((f) => f.kind === 'protocol' && !extraPages.some((p) => p.file === filePage(f))).map((f) => `${link(inline(f.title), filePage(f))}: ${inline(firstSentence(f.doc))}`),
    ...extraPages.filter((p) => p.file !== 'transport-parameters.md').map((p) => `${link(p.title, p.file)}: ${p.about}`),
  ];
  b += reading.map((r, i) => `${i + 1}. ${r}`).join('\n') + '\n';

  if (main) b += sections(ctx, page, main);

  b += '\n' + heading(2, 'notation', 'Notation');
  b += '\n' + bullets([
    'Integers are unsigned and big-endian (network byte order). `u8`, `u16`, `u32` and `u64` are 1, 2, 4 and 8 bytes; `uint` is a big-endian integer whose width in bytes comes from an earlier field (packet numbers).',
    '`varint` is the QUIC variable-length integer (RFC 9000 §16), always in its shortest encoding in frames and packet headers (table below).',
    'Layouts are given twice. First in the notation of RFC 9000 §1.3: `name (8)` is 8 bits, `name (i)` a varint, `name (0..160)` a length in a range of bits, `name (..)` any length, `name (8) = 0x01` a fixed value, `[name (i)]` an optional field, `name (..) ...` a field repeated. `len(x) (i)` is the length prefix of `x`. Then as a box diagram, 32 bits to a row with bit 0 the most significant: fixed-size fields are drawn to scale, a row ending in `...` has a variable size, and single letters stand for bit fields named in the legend under the diagram.',
    'A byte split into bit fields (a packet\'s first byte) also has its own 8-bit diagram; the field table gives each bit field\'s mask (`0x80` is the most significant bit).',
    'Field tables list every field in wire order with its type, size, constraints (`min..max`, fixed values, enums, presence conditions, derived values) and meaning. Fields marked derived (`value:`), fixed and presence flags are implied by the bytes: they are not part of decoded values.',
    `Each layout's encoding rules are what a decoder checks, in order; a failed check is a decode error with a spec error code and a ${link('kind', 'errors.md#decode-error-kinds')} (${kindLink('truncated')}, ${kindLink('non_minimal')}, …).`,
    'Control messages use the protobuf (proto3) wire encoding with the field numbers given; their `.proto` is generated into `schema/jetstream.proto`.',
  ]);
  b += '\n' + heading(3, 'varints', 'Variable-length integers') + '\n' + varintTable();
  b += '\n' + heading(3, 'requirement-levels', 'Requirement levels') + '\n';
  b += 'A requirement has a stable id, a level and a sentence. The levels are those of BCP 14 (RFC 2119, RFC 8174):\n\n';
  const levels: Array<[string, string]> = [
    ['MUST', 'an absolute requirement of the specification'],
    ['MUST NOT', 'an absolute prohibition'],
    ['SHOULD', 'recommended; there may be valid reasons to do otherwise, whose implications must be understood'],
    ['SHOULD NOT', 'not recommended, with the same latitude'],
    ['MAY', 'truly optional'],
  ];
  b += table(['Level', 'Meaning', 'Requirements in this spec'], levels.map(([l, m]) => [`**${l}**`, m, String(spec.requirements.filter((r) => r.level === l).length)]));
  b += `\nThe ${link('requirements index', 'requirements.md')} lists every id with the tests and vectors that cite it.\n`;

  b += '\n' + heading(2, 'registries', 'Registries') + '\n';
  b += 'The tables an implementation needs besides the layouts:\n\n';
  const reg: string[][] = [
    [link('Constants and limits', 'constants.md'), String(spec.constants.constants.length), 'versions, sizes, limits and defaults, with units'],
    [link('Transport error codes', 'errors.md#codes'), String(spec.errors.codes.length), 'carried by CONNECTION_CLOSE and by typed errors'],
    [link('Decode error kinds', 'errors.md#decode-error-kinds'), String(spec.errors.decodeErrorKinds.length), 'why a decoder rejected bytes'],
    ...extraPages.filter((p) => p.file === 'transport-parameters.md').map((p) => {
      const tp = spec.messages.flatMap((m) => m.messages).find((m) => m.id === 'transport_parameters');
      return [link(p.title, p.file), String(tp?.fields.length ?? 0), 'declared by each endpoint in its hello'];
    }),
    ...(spec.crypto ? [
      [link('Cipher suites', 'crypto.md#suites'), String(spec.crypto.suites.length), 'AEAD, header protection and usage limits of each suite'],
      [link('Key-exchange groups', 'crypto.md#groups'), String(spec.crypto.groups.length), 'Noise DH names and patterns of each group'],
      [link('Key schedule', 'crypto.md#key-schedule'), String(spec.crypto.schedule.length), 'every derived secret, with its label and length'],
    ] : []),
    ...spec.machines.flatMap((f) => f.machines.map((m) => [
      link(`State machine ${code(m.id)}`, `${filePage(f)}#${m.id}`), String(m.transitions.length), `transitions of the ${inline(m.role)} side (${inline(f.title)})`,
    ])),
    ...[...spec.wire, ...spec.messages].flatMap((f) => f.enums.map((e) => [
      link(`Enum ${code(e.id)}`, `${filePage(f)}#enum-${e.id}`), String(e.values.length), cell(inline(firstSentence(e.doc))),
    ])),
  ];
  b += table(['Registry', 'Entries', 'What'], reg);

  b += '\n' + heading(2, 'spec-files', 'Spec files') + '\n';
  b += table(['File', 'Kind', 'Title', 'Version', 'sha256'], spec.files.map((f) => [
    link(code(f.path), `../../${f.path}`), f.kind, link(inline(f.title), filePage(f)), String(f.version), code(f.sha256.slice(0, 16)),
  ]));
  return { file: page, title: 'Overview', body: b, sources: spec.files };
}

export function constantsPage(ctx: DocsCtx): Page {
  const f = ctx.spec.constants;
  const page = filePage(f);
  let b = heading(1, undefined, inline(f.title)) + '\n' + prose(f.doc);
  if (f.req.length) b += '\n' + reqList(ctx, page, f.title, f.req);
  b += '\n' + table(['Constant', 'Value', 'Unit', 'Meaning'], f.constants.map((c) => [
    `${anchor(c.id)}${code(c.id)}`, c.unit === 'version' ? code(hex(c.value)) : num(c.value), c.unit ?? '—', cell(inline(c.doc)),
  ]));
  const withReqs = f.constants.filter((c) => c.req.length);
  if (withReqs.length) {
    b += '\n' + heading(2, 'requirements', 'Requirements');
    for (const c of withReqs) b += `\n${link(code(c.id), `#${c.id}`)}:\n\n` + reqList(ctx, page, `constant ${c.id}`, c.req);
  }
  return { file: page, title: 'Constants', body: b, sources: [f] };
}

export function errorsPage(ctx: DocsCtx): Page {
  const spec = ctx.spec;
  const f = spec.errors;
  const page = filePage(f);
  let b = heading(1, undefined, inline(f.title)) + '\n';
  if (f.xref) b += `Follows ${inline(f.xref)}.\n\n`;
  b += prose(f.doc);
  if (f.req.length) b += '\n' + reqList(ctx, page, f.title, f.req);
  b += '\n' + heading(2, 'codes', 'Transport error codes') + '\n';
  b += table(['Code', 'Name', 'Meaning'], f.codes.map((c) => [code(hex(c.code)), `${anchor(c.id)}${code(c.id)}`, cell(inline(c.doc))]));
  const withReqs = f.codes.filter((c) => c.req.length);
  for (const c of withReqs) b += `\n${link(code(c.id), `#${c.id}`)}:\n\n` + reqList(ctx, page, c.id, c.req);

  b += '\n' + heading(2, 'decode-errors', 'Which code a decode error carries') + '\n';
  const rows: string[][] = [];
  for (const w of spec.wire) rows.push([link(inline(w.title), filePage(w)), 'every layout', link(code(w.error), `#${w.error}`)]);
  for (const mf of spec.messages) {
    rows.push([link(inline(mf.title), filePage(mf)), 'every message unless below', link(code(mf.error), `#${mf.error}`)]);
    for (const m of mf.messages) if (m.error !== mf.error) rows.push([link(inline(mf.title), filePage(mf)), link(code(m.id), `${filePage(mf)}#${m.id}`), link(code(m.error), `#${m.error}`)]);
  }
  b += table(['Spec file', 'Element', 'Error code'], rows);

  b += '\n' + heading(2, 'decode-error-kinds', 'Decode error kinds') + '\n';
  b += 'Every decode error also names its kind, so that implementations agree on why bytes were rejected (the vectors pin both).\n\n';
  b += table(['Kind', 'Meaning'], f.decodeErrorKinds.map((k) => [`${anchor(`kind-${k.id}`)}${code(k.id)}`, cell(inline(k.doc))]));
  const kindReqs = f.decodeErrorKinds.filter((k) => k.req.length);
  for (const k of kindReqs) b += `\n${code(k.id)}:\n\n` + reqList(ctx, page, k.id, k.req);
  return { file: page, title: 'Error codes', body: b, sources: [f, ...spec.wire, ...spec.messages] };
}
