/**
 * The page of the crypto file (`crypto.md`): the hash and HKDF-Expand-Label, the cipher suites and
 * key-exchange groups with their Noise names, the prologue, the constants, the key schedule as a
 * table and as a diagram, packet protection, and every requirement.
 */
import type { CryptoFile, KeyRef, ScheduleStep } from './ir.ts';
import { stepReads } from './ir.ts';
import { anchor, bullets, cell, code, heading, hex, inline, link, num, prose, reqList, table, type DocsCtx, type Page } from './emit-docs-md.ts';
import { SCHEDULE_DIAGRAM } from './emit-docs-diagrams.ts';
import { protocolNames } from './load-crypto.ts';

export const CRYPTO_PAGE = 'crypto.md';
export const suiteAnchor = (id: string) => `suite-${id}`;
export const groupAnchor = (id: string) => `group-${id}`;
export const stepAnchor = (id: string) => `step-${id}`;
const inputAnchor = (id: string) => `input-${id}`;
const constAnchor = (id: string) => `constant-${id}`;

function refText(r: KeyRef): string {
  switch (r.kind) {
    case 'ascii': return `${code(`"${r.text}"`)} (ASCII)`;
    case 'input': return link(code(r.part ? `${r.id}.${r.part}` : r.id), `#${inputAnchor(r.id)}`);
    case 'constant': return link(code(r.id), `#${constAnchor(r.id)}`);
    case 'step': return link(code(r.id), `#${stepAnchor(r.id)}`);
  }
}

function stepRow(f: CryptoFile, s: ScheduleStep): string[] {
  const reads = stepReads(s).map(([role, r]) => `${role}: ${refText(r)}`).join('; ');
  const label = s.op === 'expand_label' || s.op === 'concat_hmac' ? code(`${f.expandLabel.prefix}${s.label}`) : '—';
  const context = s.op === 'expand_label' ? (s.context ? refText(s.context) : 'empty') : '—';
  return [`${anchor(stepAnchor(s.id))}${code(s.id)}`, s.op, cell(reads), label, context, String(s.length), cell(inline(s.doc))];
}

export function cryptoPage(ctx: DocsCtx, f: CryptoFile): Page {
  const page = CRYPTO_PAGE;
  let b = heading(1, undefined, inline(f.title));
  if (f.xref) b += `Follows ${inline(f.xref)}.\n\n`;
  b += prose(f.doc);
  if (f.req.length) b += '\n' + reqList(ctx, page, f.title, f.req);

  b += '\n' + heading(2, 'hash', 'Hash and HKDF-Expand-Label') + '\n';
  b += `The hash is ${code(f.hash.id)} (${inline(f.hash.name)}, ${f.hash.length} bytes). ${inline(f.hash.doc)}\n\n`;
  b += `Label prefix: ${code(f.expandLabel.prefix)} (${f.expandLabel.prefix.length} bytes).\n\n` + prose(f.expandLabel.doc);
  b += reqList(ctx, page, 'hash', f.hash.req) + reqList(ctx, page, 'HKDF-Expand-Label', f.expandLabel.req);

  b += '\n' + heading(2, 'suites', 'Cipher suites') + '\n';
  b += `Each suite is a value of the ${link(code('cipher_suite'), 'messages.md#enum-cipher_suite')} enum (same id and value; the loader checks it).\n\n`;
  b += table(['Suite', 'Value', 'AEAD', 'Noise cipher', 'Header protection', 'Key', 'IV', 'Tag', 'Confidentiality limit', 'Integrity limit'],
    f.suites.map((s) => [`${anchor(suiteAnchor(s.id))}${code(s.id)}`, code(hex(s.value)), s.aead, code(s.noiseCipher), s.headerProtection,
      `${s.keyLength} bytes`, `${s.ivLength} bytes`, `${s.tagLength} bytes`, num(s.confidentialityLimit), num(s.integrityLimit)]));
  b += '\n' + bullets(f.suites.map((s) => `${link(code(s.id), `#${suiteAnchor(s.id)}`)}: ${inline(s.doc)}`));
  for (const s of f.suites) b += reqList(ctx, page, `suite ${s.id}`, s.req);

  b += '\n' + heading(2, 'groups', 'Key-exchange groups') + '\n';
  b += `Each group is a value of the ${link(code('kex_group'), 'messages.md#enum-kex_group')} enum (same id and value).\n\n`;
  b += table(['Group', 'Value', 'Noise DH', 'Server authenticated', 'Client authenticated too'],
    f.groups.map((g) => [`${anchor(groupAnchor(g.id))}${code(g.id)}`, code(hex(g.value)), code(g.noiseDh), code(g.serverAuthPattern), code(g.mutualAuthPattern)]));
  b += '\n' + bullets(f.groups.map((g) => `${link(code(g.id), `#${groupAnchor(g.id)}`)}: ${inline(g.doc)}`));
  for (const g of f.groups) b += reqList(ctx, page, `group ${g.id}`, g.req);

  b += '\n' + heading(2, 'protocol-name', 'Noise protocol names') + '\n';
  b += `Format: ${code(f.protocolName.format)}. ${inline(f.protocolName.doc)}\n\n`;
  const names = protocolNames(f.protocolName.format, f.suites, f.groups);
  const rows: string[][] = [];
  let n = 0;
  for (const g of f.groups) for (const [who, pattern] of [['server', g.serverAuthPattern], ['both', g.mutualAuthPattern]] as const) {
    for (const s of f.suites) rows.push([code(g.id), who === 'server' ? 'server only' : 'client and server', code(s.id), code(names[n++])]);
  }
  b += table(['Group', 'Authenticated', 'Suite', 'Protocol name'], rows);
  b += reqList(ctx, page, 'protocol name', f.protocolName.req);

  b += '\n' + heading(2, 'prologue', 'Prologue') + '\n';
  b += `Label: ${code(f.prologue.label)} (${f.prologue.label.length} bytes). ` + prose(f.prologue.doc);
  b += reqList(ctx, page, 'prologue', f.prologue.req);

  b += '\n' + heading(2, 'constants', 'Constants') + '\n';
  b += table(['Constant', 'Value', 'Meaning'], f.constants.map((c) => {
    const value = c.kind === 'bytes' ? `${code(c.hex)} (${c.hex.length / 2} bytes)` : c.kind === 'suite' ? link(code(c.suite), `#${suiteAnchor(c.suite)}`) : num(c.value);
    return [`${anchor(constAnchor(c.id))}${code(c.id)}`, value, cell(inline(c.doc))];
  }));
  for (const c of f.constants) b += reqList(ctx, page, `constant ${c.id}`, c.req);

  b += '\n' + heading(2, 'key-schedule', 'Key schedule') + '\n';
  b += 'Every key JSP uses is a named step of this table, computed from the inputs, the constants and earlier steps. `expand_label` is HKDF-Expand-Label with the prefix above; `extract` is HKDF-Extract; `noise` is Split() of the finished Noise handshake; `take` cuts bytes of an earlier step; `concat_hmac` is H(hash_of) ‖ HMAC(key, prefix ‖ label ‖ H(hash_of) ‖ data).\n\n';
  b += `![The key schedule: inputs, constants and steps](${SCHEDULE_DIAGRAM})\n\n`;
  b += heading(3, 'inputs', 'Inputs') + table(['Input', 'Meaning'], f.inputs.map((i) => [`${anchor(inputAnchor(i.id))}${code(i.id)}`, cell(inline(i.doc))]));
  for (const i of f.inputs) b += reqList(ctx, page, `input ${i.id}`, i.req);
  b += '\n' + heading(3, 'steps', 'Steps') + table(['Step', 'Op', 'Inputs', 'Label', 'Context', 'Length', 'Meaning'], f.schedule.map((s) => stepRow(f, s)));
  for (const s of f.schedule) b += reqList(ctx, page, `step ${s.id}`, s.req);

  const pp = f.packetProtection;
  b += '\n' + heading(2, 'packet-protection', 'Packet protection') + '\n';
  b += heading(3, 'nonce', 'Nonce and associated data') + prose(pp.nonce);
  b += '\n' + heading(3, 'header-protection', 'Header protection') + prose(pp.headerProtection);
  b += '\n' + heading(3, 'key-update', 'Key update') + prose(pp.keyUpdate);
  b += '\n' + heading(3, 'limits', 'Usage limits') + prose(pp.limits);
  if (pp.req.length) b += '\n' + heading(3, 'packet-protection-requirements', 'Requirements') + reqList(ctx, page, 'Packet protection', pp.req);
  return { file: page, title: 'Cryptography', body: b, sources: [f] };
}
