/**
 * Builds the crypto file (`kind: crypto`) of the IR and checks what the schema cannot: suites and
 * groups agree with the `cipher_suite` and `kex_group` enums of the messages file, every schedule
 * step reads something defined before it, lengths and labels fit HKDF-Expand-Label, and the
 * protocol-name format and its example agree.
 */
import type * as ir from './ir.ts';
import { at, documented, errorAt, fileMeta, toBig, uniq, type RawFile } from './load-util.ts';

/** HkdfLabel carries `len(prefix ‖ label)` and `len(context)` in one byte each, `length` in two. */
const MAX_LABEL_BYTES = 255;
const MAX_EXPAND_LENGTH = 0xffff;

/** The enum of a messages file that suites or groups must mirror. */
const ENUM_OF = { suites: 'cipher_suite', groups: 'kex_group' } as const;

/** Checks `items` (suites or groups) against the enum: same ids and values, every used value present. */
function mirrorEnum(f: RawFile, key: 'suites' | 'groups', items: Array<{ id: string; value: number }>, messages: ir.MessagesFile[]): void {
  const enumId = ENUM_OF[key];
  const e = messages.flatMap((m) => m.enums).find((x) => x.id === enumId);
  if (!e) throw errorAt(f, [key], `no enum '${enumId}' in a messages file to check ${key} against`);
  items.forEach((it, i) => {
    const v = e.values.find((x) => x.id === it.id);
    if (!v) throw errorAt(f, [key, i, 'id'], `'${it.id}' is not a value of enum '${enumId}' (${e.values.map((x) => x.id).join(', ')})`);
    if (v.value !== BigInt(it.value)) throw errorAt(f, [key, i, 'value'], `value ${it.value} of '${it.id}' differs from enum '${enumId}', which gives ${v.value}`);
  });
  for (const v of e.values) {
    if (v.id === 'unspecified' || items.some((it) => it.id === v.id)) continue;
    throw errorAt(f, [key], `enum '${enumId}' value '${v.id}' (${v.value}) has no entry in ${key}`);
  }
}

function buildSuite(raw: any): ir.Suite {
  const s: ir.Suite = {
    id: raw.id, value: raw.value, aead: raw.aead, noiseCipher: raw.noise_cipher, headerProtection: raw.header_protection,
    keyLength: raw.key_length, ivLength: raw.iv_length, tagLength: raw.tag_length,
    confidentialityLimit: toBig(raw.confidentiality_limit), integrityLimit: toBig(raw.integrity_limit), ...documented(raw),
  };
  if (s.confidentialityLimit <= 0n) throw new Error('confidentiality_limit must be positive');
  if (s.integrityLimit <= 0n) throw new Error('integrity_limit must be positive');
  return s;
}

function buildGroup(raw: any): ir.Group {
  return {
    id: raw.id, value: raw.value, noiseDh: raw.noise_dh, serverAuthPattern: raw.server_auth_pattern,
    mutualAuthPattern: raw.mutual_auth_pattern, ...documented(raw),
  };
}

function buildConstant(raw: any, suites: ir.Suite[]): ir.CryptoConstant {
  const base = { id: raw.id as string, ...documented(raw) };
  if (raw.hex !== undefined) return { ...base, kind: 'bytes', hex: raw.hex };
  if (raw.suite !== undefined) {
    if (!suites.some((s) => s.id === raw.suite)) throw new Error(`unknown suite '${raw.suite}'`);
    return { ...base, kind: 'suite', suite: raw.suite };
  }
  return { ...base, kind: 'int', value: toBig(raw.value) };
}

/** The placeholders of a protocol name, each exactly once. */
const PLACEHOLDERS = ['{pattern}', '{dh}', '{cipher}'];

/** Every name the format gives for the suites and groups, both patterns of each group. */
export function protocolNames(format: string, suites: ir.Suite[], groups: ir.Group[]): string[] {
  const out: string[] = [];
  for (const g of groups) for (const pattern of [g.serverAuthPattern, g.mutualAuthPattern]) {
    for (const s of suites) out.push(format.replace('{pattern}', pattern).replace('{dh}', g.noiseDh).replace('{cipher}', s.noiseCipher));
  }
  return out;
}

function checkProtocolName(f: RawFile, pn: ir.CryptoFile['protocolName'], suites: ir.Suite[], groups: ir.Group[]): void {
  for (const p of PLACEHOLDERS) {
    if (pn.format.split(p).length !== 2) throw errorAt(f, ['protocol_name', 'format'], `format must contain ${p} exactly once`);
  }
  const rest = PLACEHOLDERS.reduce((s, p) => s.replace(p, ''), pn.format);
  if (/[{}]/.test(rest)) throw errorAt(f, ['protocol_name', 'format'], `unknown placeholder in '${pn.format}' (only ${PLACEHOLDERS.join(', ')})`);
  if (!protocolNames(pn.format, suites, groups).includes(pn.example)) {
    throw errorAt(f, ['protocol_name', 'example'], `'${pn.example}' is not a name the format gives for any group pattern and suite`);
  }
}

/** What schedule references can name, in the order they become defined. */
interface Names {
  inputs: Set<string>;
  /** Inputs read by a `noise` step: they may be named with `.ck` or `.h`. */
  noiseInputs: Set<string>;
  bytesConstants: Set<string>;
  otherConstants: Set<string>;
  /** Steps defined so far, with their output lengths. */
  steps: Map<string, number>;
}

function keyRef(raw: any, names: Names, what: string): ir.KeyRef {
  if (typeof raw === 'object') return { kind: 'ascii', text: raw.ascii };
  const [id, part] = String(raw).split('.') as [string, ('ck' | 'h')?];
  if (part !== undefined) {
    if (!names.inputs.has(id)) throw new Error(`${what} '${raw}': '.${part}' applies only to an input`);
    if (!names.noiseInputs.has(id)) throw new Error(`${what} '${raw}': '.${part}' needs an input that a noise step reads`);
    return { kind: 'input', id, part };
  }
  if (names.inputs.has(id)) return { kind: 'input', id };
  if (names.bytesConstants.has(id)) return { kind: 'constant', id };
  if (names.otherConstants.has(id)) throw new Error(`${what} '${id}' is a constant that is not bytes (give it as hex)`);
  if (names.steps.has(id)) return { kind: 'step', id };
  throw new Error(`${what} '${id}' names no input, constant or earlier step`);
}

function checkLabel(prefix: string, label: string): void {
  const bytes = Buffer.byteLength(prefix + label, 'latin1');
  if (bytes > MAX_LABEL_BYTES) throw new Error(`label '${label}' is ${bytes} bytes with the prefix '${prefix}'; at most ${MAX_LABEL_BYTES}`);
}

function buildStep(raw: any, names: Names, prefix: string, hashLength: number): ir.ScheduleStep {
  const base = { id: raw.id as string, length: raw.length as number, ...documented(raw) };
  const ref = (key: string) => keyRef(raw[key], names, key);
  switch (raw.op) {
    case 'extract':
      if (base.length !== hashLength) throw new Error(`extract gives the hash length, ${hashLength} bytes, not ${base.length}`);
      return { ...base, op: 'extract', salt: ref('salt'), ikm: ref('ikm') };
    case 'expand_label': {
      checkLabel(prefix, raw.label);
      if (base.length > MAX_EXPAND_LENGTH || base.length > 255 * hashLength) throw new Error(`length ${base.length} is more than HKDF-Expand-Label can give`);
      const context = raw.context === '' ? undefined : ref('context');
      return { ...base, op: 'expand_label', secret: ref('secret'), label: raw.label, ...(context ? { context } : {}) };
    }
    case 'noise': {
      const from = ref('from');
      if (from.kind !== 'input' || from.part) throw new Error(`a noise step reads an input (a finished Noise handshake), not '${raw.from}'`);
      if (base.length !== 2 * hashLength) throw new Error(`Split() gives two hash-length keys, ${2 * hashLength} bytes, not ${base.length}`);
      return { ...base, op: 'noise', from };
    }
    case 'take': {
      const secret = ref('secret');
      if (secret.kind !== 'step') throw new Error(`take reads an earlier step, not '${raw.secret}'`);
      const have = names.steps.get(secret.id)!;
      if (raw.offset + base.length > have) throw new Error(`bytes ${raw.offset}..${raw.offset + base.length} are past the ${have} bytes of '${secret.id}'`);
      return { ...base, op: 'take', secret, offset: raw.offset };
    }
    case 'concat_hmac':
      checkLabel(prefix, raw.label);
      if (base.length !== 2 * hashLength) throw new Error(`a hash and an HMAC are ${2 * hashLength} bytes, not ${base.length}`);
      return { ...base, op: 'concat_hmac', hashOf: ref('hash_of'), key: ref('key'), data: ref('data'), label: raw.label };
    default:
      throw new Error(`unknown op '${raw.op}'`);
  }
}

export function buildCrypto(f: RawFile, messages: ir.MessagesFile[]): ir.CryptoFile {
  const d = f.data;
  const hash = { id: d.hash.id, name: d.hash.name, length: d.hash.length, ...documented(d.hash) };
  const expandLabel = { prefix: d.expand_label.prefix, ...documented(d.expand_label) };
  at(f, ['expand_label', 'prefix'], () => checkLabel(expandLabel.prefix, ''));

  const suites = (d.suites as any[]).map((s, i) => at(f, ['suites', i], () => buildSuite(s)));
  uniq(suites, f, '/suites');
  mirrorEnum(f, 'suites', suites, messages);
  const groups = (d.groups as any[]).map((g, i) => at(f, ['groups', i], () => buildGroup(g)));
  uniq(groups, f, '/groups');
  mirrorEnum(f, 'groups', groups, messages);

  const protocolName = { format: d.protocol_name.format, example: d.protocol_name.example, ...documented(d.protocol_name) };
  checkProtocolName(f, protocolName, suites, groups);
  const prologue = { label: d.prologue.label, ...documented(d.prologue) };

  const inputs = (d.inputs as any[]).map((x) => ({ id: x.id as string, ...documented(x) }));
  uniq(inputs, f, '/inputs');
  const constants = (d.constants as any[]).map((c, i) => at(f, ['constants', i], () => buildConstant(c, suites)));
  uniq(constants, f, '/constants');
  const clash = [...inputs, ...constants].find((x, i, all) => all.findIndex((y) => y.id === x.id) !== i);
  if (clash) throw errorAt(f, ['constants'], `'${clash.id}' is both an input and a constant`);

  const rawSteps = d.schedule as any[];
  const names: Names = {
    inputs: new Set(inputs.map((x) => x.id)),
    noiseInputs: new Set(rawSteps.filter((s) => s.op === 'noise' && typeof s.from === 'string').map((s) => s.from as string)),
    bytesConstants: new Set(constants.filter((c) => c.kind === 'bytes').map((c) => c.id)),
    otherConstants: new Set(constants.filter((c) => c.kind !== 'bytes').map((c) => c.id)),
    steps: new Map(),
  };
  const schedule = rawSteps.map((s, i) => at(f, ['schedule', i], () => {
    if (names.inputs.has(s.id) || names.bytesConstants.has(s.id) || names.otherConstants.has(s.id)) throw new Error(`step '${s.id}' has the id of an input or a constant`);
    const step = buildStep(s, names, expandLabel.prefix, hash.length);
    names.steps.set(step.id, step.length);
    return step;
  }));
  uniq(schedule, f, '/schedule');

  const pp = d.packet_protection;
  const packetProtection = {
    nonce: String(pp.nonce).trim(), headerProtection: String(pp.header_protection).trim(),
    keyUpdate: String(pp.key_update).trim(), limits: String(pp.limits).trim(), req: documented({ doc: '', req: pp.req }).req,
  };
  return {
    ...fileMeta(f), kind: 'crypto', hash, expandLabel, suites, groups, protocolName, prologue, inputs, constants, schedule, packetProtection,
  };
}
