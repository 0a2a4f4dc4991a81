/**
 * TypeScript emitter for the crypto file: `src/gen/crypto.ts` — the hash and label constants, the
 * suite and group tables with lookups by wire value, the crypto constants, the key schedule as
 * data (with its labels and lengths by step id), and the Noise protocol name.
 */
import type { GeneratedFile } from './emit.ts';
import type { CryptoConstant, CryptoFile, KeyRef, ScheduleStep, Spec } from './ir.ts';
import { docBlock, intLiteral, moduleDoc } from './emit-ts-common.ts';
import { camel, header, tsdoc, upper } from './naming.ts';

const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const union = (ids: string[]) => ids.map(str).join(' | ');
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

function bytesLiteral(hex: string, indent: string): string {
  const bytes = hex.match(/../g)!.map((b) => `0x${b}`);
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) rows.push(`${indent}  ${bytes.slice(i, i + 16).join(', ')},`);
  return `new Uint8Array([\n${rows.join('\n')}\n${indent}])`;
}

function constant(c: CryptoConstant): string {
  const name = upper(c.id);
  switch (c.kind) {
    case 'int':
      return docBlock(c) + `export const ${name} = ${intLiteral(c.value)};\n`;
    case 'suite':
      return docBlock(c) + `export const ${name}: SuiteId = ${str(c.suite)};\n`;
    case 'bytes':
      return docBlock(c, '', [`${c.hex.length / 2} bytes, \`${c.hex}\`. Shared and read-only: never write into it; {@link ${camel(c.id)}} returns a copy you may change.`])
        + `export const ${name}: Uint8Array = ${bytesLiteral(c.hex, '')};\n\n`
        + tsdoc(`A fresh copy of {@link ${name}}.`) + `export function ${camel(c.id)}(): Uint8Array {\n  return ${name}.slice();\n}\n`;
  }
}

function ref(r: KeyRef): string {
  switch (r.kind) {
    case 'ascii': return `{ kind: 'ascii', text: ${str(r.text)} }`;
    case 'input': return `{ kind: 'input', id: ${str(r.id)}${r.part ? `, part: ${str(r.part)}` : ''} }`;
    default: return `{ kind: ${str(r.kind)}, id: ${str(r.id)} }`;
  }
}

function stepLiteral(s: ScheduleStep): string {
  const parts = [`id: ${str(s.id)}`, `op: ${str(s.op)}`];
  switch (s.op) {
    case 'extract': parts.push(`salt: ${ref(s.salt)}`, `ikm: ${ref(s.ikm)}`); break;
    case 'expand_label': parts.push(`secret: ${ref(s.secret)}`, `label: ${str(s.label)}`, ...(s.context ? [`context: ${ref(s.context)}`] : [])); break;
    case 'noise': parts.push(`from: ${ref(s.from)}`); break;
    case 'take': parts.push(`secret: ${ref(s.secret)}`, `offset: ${s.offset}`); break;
    case 'concat_hmac': parts.push(`hashOf: ${ref(s.hashOf)}`, `key: ${ref(s.key)}`, `data: ${ref(s.data)}`, `label: ${str(s.label)}`); break;
  }
  parts.push(`length: ${s.length}`);
  return docBlock(s, '  ') + `  Object.freeze<ScheduleStep>({ ${parts.join(', ')} }),\n`;
}

const TYPES = `/** What a schedule step reads. */
export type KeyRef =
  /** An input of the schedule; \`part\` names a finished Noise handshake's final chaining key or handshake hash. */
  | { readonly kind: 'input'; readonly id: ScheduleInputId; readonly part?: 'ck' | 'h' }
  /** A bytes constant of this module (e.g. {@link INITIAL_SALT}). */
  | { readonly kind: 'constant'; readonly id: string }
  /** The output of an earlier step. */
  | { readonly kind: 'step'; readonly id: ScheduleStepId }
  /** These ASCII bytes. */
  | { readonly kind: 'ascii'; readonly text: string };

interface StepBase {
  readonly id: ScheduleStepId;
  /** Output length in bytes. */
  readonly length: number;
}

/**
 * One step of the key schedule:
 * - \`extract\`: HKDF-Extract(salt, ikm);
 * - \`expand_label\`: HKDF-Expand-Label(secret, label, context or empty, length), the label prefixed with {@link EXPAND_LABEL_PREFIX};
 * - \`noise\`: Split() of a finished Noise handshake, k1 ‖ k2;
 * - \`take\`: bytes \`offset\` .. \`offset + length\` of an earlier step;
 * - \`concat_hmac\`: H(hashOf) ‖ HMAC(key, prefix ‖ label ‖ H(hashOf) ‖ data).
 */
export type ScheduleStep = StepBase & (
  | { readonly op: 'extract'; readonly salt: KeyRef; readonly ikm: KeyRef }
  | { readonly op: 'expand_label'; readonly secret: KeyRef; readonly label: string; readonly context?: KeyRef }
  | { readonly op: 'noise'; readonly from: KeyRef }
  | { readonly op: 'take'; readonly secret: KeyRef; readonly offset: number }
  | { readonly op: 'concat_hmac'; readonly hashOf: KeyRef; readonly key: KeyRef; readonly data: KeyRef; readonly label: string });
`;

export function emitTsCrypto(_spec: Spec, f: CryptoFile): GeneratedFile {
  const pp = f.packetProtection;
  const protection = [
    'Packet protection:', '',
    `- Nonce: ${flat(pp.nonce)}`, `- Header protection: ${flat(pp.headerProtection)}`,
    `- Key update: ${flat(pp.keyUpdate)}`, `- Limits: ${flat(pp.limits)}`,
    ...pp.req.map((r) => `- ${r.level} (\`${r.id}\`): ${flat(r.text)}`),
  ].join('\n');
  const out: string[] = [header([f]), moduleDoc(f, protection)];
  const suiteIds = f.suites.map((s) => s.id);
  const groupIds = f.groups.map((g) => g.id);
  const expandSteps = f.schedule.filter((s): s is Extract<ScheduleStep, { op: 'expand_label' }> => s.op === 'expand_label');

  out.push(`\n${docBlock(f.hash, '', [`${f.hash.name}, ${f.hash.length} bytes.`])}export const HASH_LENGTH = ${f.hash.length};\n\n`);
  out.push(tsdoc(`The hash's name: ${f.hash.name}.`) + `export const HASH_NAME = ${str(f.hash.name)};\n\n`);
  out.push(docBlock(f.expandLabel) + `export const EXPAND_LABEL_PREFIX = ${str(f.expandLabel.prefix)};\n\n`);
  out.push(docBlock(f.prologue) + `export const PROLOGUE_LABEL = ${str(f.prologue.label)};\n\n`);
  out.push(docBlock(f.protocolName, '', [`Example: \`${f.protocolName.example}\`. See {@link protocolName}.`]) + `export const PROTOCOL_NAME_FORMAT = ${str(f.protocolName.format)};\n\n`);

  // Suites and groups.
  out.push(tsdoc('The id of a cipher suite (the `cipher_suite` enum of the control messages, by name).') + `export type SuiteId = ${union(suiteIds)};\n\n`);
  out.push(tsdoc('A cipher suite: its wire value, AEAD, Noise cipher name, header protection, sizes and usage limits.'));
  out.push(`export interface SuiteInfo {
  readonly id: SuiteId;
  /** Its value in the \`cipher_suite\` enum. */
  readonly value: number;
  readonly aead: ${union(['chacha20-poly1305', 'aes-256-gcm'])};
  /** The cipher's name in the Noise protocol name. */
  readonly noiseCipher: ${union(['ChaChaPoly', 'AESGCM'])};
  /** The header-protection mask function (RFC 9001 §5.4). */
  readonly headerProtection: ${union(['chacha20', 'aes-256-ecb'])};
  /** AEAD key length in bytes. */
  readonly keyLength: number;
  /** AEAD nonce (IV) length in bytes. */
  readonly ivLength: number;
  /** AEAD tag length in bytes. */
  readonly tagLength: number;
  /** Packets that may be sealed under one key. */
  readonly confidentialityLimit: bigint;
  /** Packets that may fail to open, counted over all keys. */
  readonly integrityLimit: bigint;
}\n\n`);
  out.push(tsdoc('Every cipher suite, in spec order (most preferred first).') + 'export const SUITES: readonly SuiteInfo[] = Object.freeze([\n');
  for (const s of f.suites) {
    out.push(docBlock(s, '  ') + `  Object.freeze<SuiteInfo>({
    id: ${str(s.id)}, value: ${s.value}, aead: ${str(s.aead)}, noiseCipher: ${str(s.noiseCipher)}, headerProtection: ${str(s.headerProtection)},
    keyLength: ${s.keyLength}, ivLength: ${s.ivLength}, tagLength: ${s.tagLength},
    confidentialityLimit: ${s.confidentialityLimit}n, integrityLimit: ${s.integrityLimit}n,
  }),\n`);
  }
  out.push(']);\n\n');
  out.push(tsdoc('The suite with this `cipher_suite` value, or undefined for a value JSP does not define.'));
  out.push('export function suiteByValue(v: number): SuiteInfo | undefined {\n  return SUITES.find((s) => s.value === v);\n}\n\n');
  out.push(tsdoc('The suite with this id.') + 'export function suiteById(id: SuiteId): SuiteInfo {\n  return SUITES.find((s) => s.id === id)!;\n}\n\n');

  out.push(tsdoc('The id of a key-exchange group (the `kex_group` enum of the control messages, by name).') + `export type GroupId = ${union(groupIds)};\n\n`);
  out.push(tsdoc('A key-exchange group: its wire value, Noise DH name and the two Noise patterns.'));
  out.push(`export interface GroupInfo {
  readonly id: GroupId;
  /** Its value in the \`kex_group\` enum. */
  readonly value: number;
  /** The DH name in the Noise protocol name. */
  readonly noiseDh: ${union(['25519', '25519+MLKEM768'])};
  /** The Noise pattern when only the server authenticates. */
  readonly serverAuthPattern: string;
  /** The Noise pattern when the client authenticates too. */
  readonly mutualAuthPattern: string;
}\n\n`);
  out.push(tsdoc('Every key-exchange group, in spec order (most preferred first).') + 'export const GROUPS: readonly GroupInfo[] = Object.freeze([\n');
  for (const g of f.groups) {
    out.push(docBlock(g, '  ') + `  Object.freeze<GroupInfo>({ id: ${str(g.id)}, value: ${g.value}, noiseDh: ${str(g.noiseDh)}, serverAuthPattern: ${str(g.serverAuthPattern)}, mutualAuthPattern: ${str(g.mutualAuthPattern)} }),\n`);
  }
  out.push(']);\n\n');
  out.push(tsdoc('The group with this `kex_group` value, or undefined for a value JSP does not define.'));
  out.push('export function groupByValue(v: number): GroupInfo | undefined {\n  return GROUPS.find((g) => g.value === v);\n}\n\n');
  out.push(tsdoc('The group with this id.') + 'export function groupById(id: GroupId): GroupInfo {\n  return GROUPS.find((g) => g.id === id)!;\n}\n\n');

  out.push(tsdoc(`${f.protocolName.doc}\n\nE.g. \`protocolName('NKhfs', '25519+MLKEM768', 'ChaChaPoly')\` is \`${f.protocolName.example}\`.`));
  out.push(`export function protocolName(pattern: string, noiseDh: GroupInfo['noiseDh'], noiseCipher: SuiteInfo['noiseCipher']): string {
  return PROTOCOL_NAME_FORMAT.replace('{pattern}', pattern).replace('{dh}', noiseDh).replace('{cipher}', noiseCipher);
}\n\n`);

  // Constants.
  out.push(f.constants.map(constant).join('\n') + '\n');

  // The schedule.
  out.push(tsdoc(['The inputs of the key schedule: values it takes from outside.', '', ...f.inputs.map((i) => `- \`${i.id}\`: ${flat(i.doc)}`)].join('\n')));
  out.push(`export type ScheduleInputId = ${union(f.inputs.map((i) => i.id))};\n\n`);
  out.push(tsdoc('The id of a step of the key schedule.') + `export type ScheduleStepId = ${union(f.schedule.map((s) => s.id))};\n\n`);
  out.push(TYPES + '\n');
  out.push(tsdoc('The key schedule, step by step in spec order; a step reads only inputs, constants and earlier steps.'));
  out.push('export const SCHEDULE: readonly ScheduleStep[] = Object.freeze([\n' + f.schedule.map(stepLiteral).join('') + ']);\n\n');
  out.push(tsdoc(`The label of every \`expand_label\` step, by step id (without the prefix {@link EXPAND_LABEL_PREFIX}).`));
  out.push('export const LABELS = {\n' + expandSteps.map((s) => `  ${s.id}: ${str(s.label)},\n`).join('') + '} as const;\n\n');
  out.push(tsdoc('The output length in bytes of every step of the schedule, by step id.'));
  out.push('export const LENGTHS = {\n' + f.schedule.map((s) => `  ${s.id}: ${s.length},\n`).join('') + '} as const satisfies Record<ScheduleStepId, number>;\n\n');

  return { path: 'src/gen/crypto.ts', content: out.join('') };
}
