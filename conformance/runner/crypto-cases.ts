/**
 * Key-schedule and packet-protection cases (capability `crypto`) from conformance/vectors/crypto:
 * HKDF-Expand-Label steps, Initial secrets and keys, key-update chains, header-protection masks,
 * protected packets and the Retry integrity tag. Requests are `<op> <hex args…>` (see
 * spec/conformance.yaml, section crypto); answers carry the values in lowercase hex.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from './cases.ts';
import { jsonEqual } from './json.ts';

const ascii = (s: string) => (s === '' ? '-' : Buffer.from(s, 'ascii').toString('hex'));
const h = (s: string) => (s === '' ? '-' : s);

function expectFields(want: Record<string, unknown>) {
  return (r: Record<string, unknown>): string | undefined => {
    if (r.result !== 'ok') return `expected ok, got ${r.result}: ${r.message ?? ''}`;
    for (const [k, v] of Object.entries(want)) if (!jsonEqual(r[k], v)) return `${k}: got ${JSON.stringify(r[k])?.slice(0, 200)}, expected ${JSON.stringify(v)?.slice(0, 200)}`;
    return undefined;
  };
}

export function cryptoCases(vectorsDir: string): Case[] {
  const dir = join(vectorsDir, 'crypto');
  if (!existsSync(dir)) return [];
  const ks = JSON.parse(readFileSync(join(dir, 'key-schedule.json'), 'utf8'));
  const pp = JSON.parse(readFileSync(join(dir, 'packet-protection.json'), 'utf8'));
  const out: Case[] = [];
  const add = (id: string, title: string, request: string, want: Record<string, unknown>) =>
    out.push({ id: `crypto/${id}`, suite: `crypto/${id.split('/')[0]}`, capability: 'crypto', title, request, check: expectFields(want) });
  ks.expandLabel.forEach((v: { step: string; secret: string; label: string; context: string; length: number; output: string }, i: number) =>
    add(`expand-label/${i}`, `HKDF-Expand-Label for ${v.step}`, `expand_label ${v.secret} ${ascii(v.label)} ${h(v.context)} ${v.length}`, { output: v.output }));
  ks.initial.forEach((v: { comment: string; clientDcid: string; initialSecret: string; clientInitialSecret: string; serverInitialSecret: string; client: object; server: object }, i: number) =>
    add(`initial/${i}`, `Initial secrets and keys: ${v.comment}`, `initial_secrets ${h(v.clientDcid)}`,
      { initialSecret: v.initialSecret, clientInitialSecret: v.clientInitialSecret, serverInitialSecret: v.serverInitialSecret, client: v.client, server: v.server }));
  ks.keyUpdate.forEach((v: { suite: string; generations: { generation: number; keyPhase: number; secret: string; key: string; iv: string }[] }, i: number) =>
    add(`key-update/${i}`, `key-update chain, ${v.suite}`, `key_update ${v.suite} ${v.generations[0].secret} ${v.generations.length}`,
      { generations: v.generations.map(({ generation, keyPhase, secret, key, iv }) => ({ generation, keyPhase, secret, key, iv })) }));
  pp.hpMasks.forEach((v: { kind: string; comment: string; hp: string; sample: string; mask: string }, i: number) =>
    add(`hp-mask/${i}`, `header-protection mask, ${v.kind}: ${v.comment}`, `hp_mask ${v.kind} ${v.hp} ${v.sample}`, { mask: v.mask }));
  pp.packets.forEach((v: { suite: string; form: string; secret: string; hpSecret: string; header: string; pnOffset: number; packetNumber: number; payload: string; protectedPacket: string }, i: number) =>
    add(`packet/${i}`, `protected ${v.form}-header packet, ${v.suite}`, `protect ${v.suite} ${v.secret} ${v.hpSecret} ${v.header} ${v.pnOffset} ${v.packetNumber} ${h(v.payload)}`, { protectedPacket: v.protectedPacket }));
  add('retry/0', 'Retry integrity tag', `retry_tag ${ks.retry.example.originalDcid} ${ks.retry.example.retryWithoutTag}`, { tag: ks.retry.example.tag });
  return out;
}
