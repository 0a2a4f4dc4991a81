/**
 * Spec values ⇄ generated TypeScript values, driven by the IR (codegen/ir.ts), never by hand per type.
 *
 * Three forms of one value (codegen/README.md, "Values" and "Golden vectors"):
 * - spec value: snake_case keys, integers as `bigint`, bytes as `Uint8Array`, union members carry
 *   `type`, absent optional fields are omitted, derived/fixed/presence-flag fields are omitted;
 * - JSON form (vectors): the same, with integers as JSON numbers up to 2^53 − 1 and decimal strings
 *   above, bytes as lowercase hex;
 * - generated value (src/gen): camelCase keys, `number` or `bigint` per the field's maximum, absent
 *   optional wire fields as `key: undefined`, implicit-presence message fields always present.
 *
 * Also: {@link genApi}, which finds the generated functions of any target by naming convention, and
 * {@link firstDiff}, a strict deep comparison that says where two values differ.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { loadSpec } from '../codegen/load.ts';
import { camel, pascal } from '../codegen/naming.ts';
import type * as ir from '../codegen/ir.ts';

/** The loaded spec every conformance helper works from. */
export const SPEC: ir.Spec = loadSpec();

/** What to encode or decode: a union, a struct of a wire file, or a control message. */
export interface Target {
  kind: 'union' | 'struct' | 'message';
  /** The spec file, by path (`spec/frames.yaml`) or by `meta.id` (`frames`). */
  file: string;
  /** The union, struct or message id. */
  id: string;
}

export type SpecValue = unknown;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// ───────────────────────────── IR lookup ─────────────────────────────

const sameFile = (f: ir.SpecFile, key: string) => f.path === key || f.id === key || f.path === `spec/${key}.yaml`;

export function wireFile(spec: ir.Spec, key: string): ir.WireFile {
  const f = spec.wire.find((w) => sameFile(w, key));
  if (!f) throw new Error(`no wire file '${key}' in the spec`);
  return f;
}

export function structOf(file: ir.WireFile, id: string): ir.Struct {
  const s = file.structs.find((x) => x.id === id);
  if (!s) throw new Error(`${file.path}: no struct '${id}'`);
  return s;
}

/** Messages are looked up across all messages files (wire files embed them by id). */
export function messageOf(spec: ir.Spec, id: string): { file: ir.MessagesFile; message: ir.Message } {
  for (const file of spec.messages) {
    const message = file.messages.find((m) => m.id === id);
    if (message) return { file, message };
  }
  throw new Error(`no message '${id}' in the spec`);
}

export function isMember(file: ir.WireFile, s: ir.Struct): boolean {
  return !!file.union && s.code !== undefined;
}

/** Every target with its own generated codec: each union, each struct outside a union, each message. */
export function allTargets(spec: ir.Spec = SPEC): Target[] {
  const out: Target[] = [];
  for (const f of spec.wire) {
    if (f.union) out.push({ kind: 'union', file: f.path, id: f.union.id });
    for (const s of f.structs) if (!isMember(f, s)) out.push({ kind: 'struct', file: f.path, id: s.id });
  }
  for (const f of spec.messages) for (const m of f.messages) out.push({ kind: 'message', file: f.path, id: m.id });
  return out;
}

export function targetName(t: Target): string {
  return `${t.kind} ${t.file.replace(/^spec\/|\.yaml$/g, '')}/${t.id}`;
}

/** The spec error code name that decode errors of this target carry (top level). */
export function errorNameOf(spec: ir.Spec, t: Target): string {
  return t.kind === 'message' ? messageOf(spec, t.id).message.error : wireFile(spec, t.file).error;
}

// ───────────────────────────── shapes: the IR seen as a value tree ─────────────────────────────

type Leaf =
  | { t: 'int'; max: bigint }
  | { t: 'bool' }
  | { t: 'bytes' }
  | { t: 'string' }
  | { t: 'struct'; file: ir.WireFile; struct: ir.Struct }
  | { t: 'message'; message: ir.Message };

/** A property of a value. `optional`: absent is `undefined` (gen) / omitted (spec); `implicit`: protobuf default. */
interface Slot { id: string; leaf: Leaf; repeated: boolean; presence: 'required' | 'optional' | 'implicit' }

const slotCache = new Map<object, Slot[]>();

/** The value properties of a struct, in wire order: code flags, bit fields, then fields. */
export function structSlots(file: ir.WireFile, s: ir.Struct): Slot[] {
  let out = slotCache.get(s);
  if (out) return out;
  out = [];
  for (const fl of s.flags) if (!fl.presenceOf) out.push({ id: fl.id, leaf: { t: 'bool' }, repeated: false, presence: 'required' });
  for (const f of s.fields) {
    const presence = f.if ? 'optional' : 'required';
    switch (f.kind) {
      case 'bits':
        for (const b of f.bits) {
          if (b.const !== undefined) continue;
          out.push({ id: b.id, leaf: b.bool ? { t: 'bool' } : { t: 'int', max: b.max }, repeated: false, presence: 'required' });
        }
        break;
      case 'int':
        if (f.const !== undefined || f.value) break;
        out.push({ id: f.id, leaf: { t: 'int', max: f.max }, repeated: !!f.repeat, presence });
        break;
      case 'uint':
        out.push({ id: f.id, leaf: { t: 'int', max: f.max }, repeated: false, presence });
        break;
      case 'bytes':
        out.push({ id: f.id, leaf: { t: 'bytes' }, repeated: false, presence });
        break;
      case 'struct':
        out.push({ id: f.id, leaf: { t: 'struct', file, struct: structOf(file, f.struct) }, repeated: !!f.repeat, presence });
        break;
      case 'message':
        out.push({ id: f.id, leaf: { t: 'message', message: messageOf(SPEC, f.message).message }, repeated: false, presence });
        break;
    }
  }
  slotCache.set(s, out);
  return out;
}

export function messageSlots(m: ir.Message): Slot[] {
  let out = slotCache.get(m);
  if (out) return out;
  out = m.fields.map((f): Slot => {
    const leaf: Leaf =
      f.type === 'bool' ? { t: 'bool' }
        : f.type === 'bytes' ? { t: 'bytes' }
          : f.type === 'string' ? { t: 'string' }
            : f.type === 'message' ? { t: 'message', message: messageOf(SPEC, f.message!).message }
              : { t: 'int', max: f.max };
    return { id: f.id, leaf, repeated: f.repeated, presence: f.repeated ? 'required' : f.optional ? 'optional' : 'implicit' };
  });
  slotCache.set(m, out);
  return out;
}

// ───────────────────────────── one walker, four conversions ─────────────────────────────

interface Mode {
  inKey: (id: string) => string;
  outKey: (id: string) => string;
  int: (v: unknown, max: bigint, path: string) => unknown;
  bytes: (v: unknown, path: string) => unknown;
  /** Absent optional: write `undefined` (gen) or leave the key out (spec, JSON). */
  absentAsUndefined: boolean;
  /** Fill implicit message fields and empty repeated fields with their defaults (gen). */
  fillDefaults: boolean;
}

function fail(path: string, msg: string): never {
  throw new TypeError(`${path}: ${msg}`);
}

function asObject(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) fail(path, `expected an object, got ${show(v)}`);
  return v as Record<string, unknown>;
}

function walkSlots(slots: Slot[], v: unknown, mode: Mode, path: string, out: Record<string, unknown>): Record<string, unknown> {
  const obj = asObject(v, path);
  const known = new Set(slots.map((s) => mode.inKey(s.id)));
  for (const k of Object.keys(obj)) if (!known.has(k) && k !== 'type') fail(path, `unexpected property '${k}'`);
  for (const s of slots) {
    const p = `${path}.${s.id}`;
    const x = obj[mode.inKey(s.id)];
    const key = mode.outKey(s.id);
    if (x === undefined) {
      if (s.repeated) { if (mode.fillDefaults) out[key] = []; }
      else if (s.presence === 'required') fail(p, 'missing');
      else if (s.presence === 'optional') { if (mode.absentAsUndefined) out[key] = undefined; }
      else if (mode.fillDefaults) out[key] = walkLeaf(s.leaf, defaultOf(s.leaf), mode, p);
      continue;
    }
    if (s.repeated) {
      if (!Array.isArray(x)) fail(p, `expected an array, got ${show(x)}`);
      out[key] = x.map((e, i) => walkLeaf(s.leaf, e, mode, `${p}[${i}]`));
    } else out[key] = walkLeaf(s.leaf, x, mode, p);
  }
  return out;
}

function defaultOf(leaf: Leaf): unknown {
  switch (leaf.t) {
    case 'int': return 0n;
    case 'bool': return false;
    case 'bytes': return new Uint8Array(0);
    case 'string': return '';
    default: throw new Error('a message-typed field has explicit presence; it has no default');
  }
}

function walkLeaf(leaf: Leaf, v: unknown, mode: Mode, path: string): unknown {
  switch (leaf.t) {
    case 'int': return mode.int(v, leaf.max, path);
    case 'bool': if (typeof v !== 'boolean') fail(path, `expected a boolean, got ${show(v)}`); return v;
    case 'string': if (typeof v !== 'string') fail(path, `expected a string, got ${show(v)}`); return v;
    case 'bytes': return mode.bytes(v, path);
    case 'struct': return walkSlots(structSlots(leaf.file, leaf.struct), v, mode, path, {});
    case 'message': return walkSlots(messageSlots(leaf.message), v, mode, path, {});
  }
}

function walkTarget(spec: ir.Spec, t: Target, v: unknown, mode: Mode): unknown {
  if (t.kind === 'message') return walkSlots(messageSlots(messageOf(spec, t.id).message), v, mode, t.id, {});
  const file = wireFile(spec, t.file);
  if (t.kind === 'struct') return walkSlots(structSlots(file, structOf(file, t.id)), v, mode, t.id, {});
  if (!file.union || file.union.id !== t.id) throw new Error(`${file.path}: no union '${t.id}'`);
  const type = asObject(v, t.id).type;
  if (typeof type !== 'string' || !file.union.members.includes(type)) fail(`${t.id}.type`, `not a member of ${t.id}: ${show(type)}`);
  return walkSlots(structSlots(file, structOf(file, type)), v, mode, type, { type });
}

// ── leaf conversions

function toBigint(v: unknown, path: string): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === 'string' && /^\d+$/.test(v)) b = BigInt(v);
  else fail(path, `expected an integer, got ${show(v)}`);
  if (b < 0n) fail(path, `negative integer ${b}`);
  return b;
}

/** The generated representation of an integer whose field maximum is `max` (README: number up to 2^53 − 1). */
export function genInt(v: bigint, max: bigint): number | bigint {
  return max <= MAX_SAFE ? Number(v) : v;
}

function genIntOf(v: unknown, max: bigint, path: string): bigint {
  if (max <= MAX_SAFE ? typeof v !== 'number' || !Number.isSafeInteger(v) : typeof v !== 'bigint') {
    fail(path, `generated value should be a ${max <= MAX_SAFE ? 'safe integer number' : 'bigint'} (max ${max}), got ${show(v)}`);
  }
  return BigInt(v as number | bigint);
}

function asBytes(v: unknown, path: string): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(path, `expected a Uint8Array, got ${show(v)}`);
  return v;
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Lowercase or uppercase hex to a plain Uint8Array (not a Buffer: deep comparisons look at constructors). */
export function unhex(s: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) throw new TypeError(`not a hex string: ${JSON.stringify(s.slice(0, 40))}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const id = (s: string) => s;

/** Spec value → generated value. Accepts JSON-ish integers (numbers, decimal strings) too. */
export function toGen(spec: ir.Spec, t: Target, v: SpecValue): unknown {
  return walkTarget(spec, t, v, {
    inKey: id, outKey: camel, absentAsUndefined: true, fillDefaults: true,
    int: (x, max, p) => genInt(toBigint(x, p), max),
    bytes: (x, p) => asBytes(x, p),
  });
}

/**
 * Generated value → spec value. Checks the generated representation on the way (number vs bigint,
 * Uint8Array, booleans), so it doubles as a shape check of decoder output. Implicit message
 * fields and repeated fields are always present in the result.
 */
export function fromGen(spec: ir.Spec, t: Target, g: unknown): SpecValue {
  return walkTarget(spec, t, g, {
    inKey: camel, outKey: id, absentAsUndefined: false, fillDefaults: false,
    int: (x, max, p) => genIntOf(x, max, p),
    bytes: (x, p) => asBytes(x, p),
  });
}

/** JSON form (vectors) → spec value. */
export function fromJson(spec: ir.Spec, t: Target, j: unknown): SpecValue {
  return walkTarget(spec, t, j, {
    inKey: id, outKey: id, absentAsUndefined: false, fillDefaults: false,
    int: (x, max, p) => {
      if (typeof x === 'string' && BigInt(x) <= MAX_SAFE) fail(p, `integer ${x} ≤ 2^53 − 1 must be a JSON number`);
      return toBigint(x, p);
    },
    bytes: (x, p) => {
      if (typeof x !== 'string' || /[A-F]/.test(x)) fail(p, `expected lowercase hex, got ${show(x)}`);
      return unhex(x);
    },
  });
}

/** Spec value → JSON form. */
export function toJson(spec: ir.Spec, t: Target, v: SpecValue): unknown {
  return walkTarget(spec, t, v, {
    inKey: id, outKey: id, absentAsUndefined: false, fillDefaults: false,
    int: (x, max, p) => { const b = toBigint(x, p); return b <= MAX_SAFE ? Number(b) : b.toString(); },
    bytes: (x, p) => hex(asBytes(x, p)),
  });
}

/** A spec value with implicit message fields filled in: the one form two decoders' outputs are compared in. */
export function normalize(spec: ir.Spec, t: Target, v: SpecValue): SpecValue {
  return fromGen(spec, t, toGen(spec, t, v));
}

// ───────────────────────────── params ─────────────────────────────

/** Decoder parameters a value implies: a param used alone as a byte field's size is that field's length. */
export function paramsOf(spec: ir.Spec, t: Target, v: SpecValue): Record<string, bigint> | undefined {
  if (t.kind !== 'struct') return undefined;
  const s = structOf(wireFile(spec, t.file), t.id);
  if (!s.params.length) return undefined;
  const out: Record<string, bigint> = {};
  const obj = v as Record<string, unknown>;
  for (const p of s.params) {
    const f = s.fields.find((x) => x.kind === 'bytes' && x.size.kind === 'expr' && x.size.expr.terms.length === 1 &&
      x.size.expr.terms[0].sign === 1 && x.size.expr.terms[0].atom.kind === 'param' && x.size.expr.terms[0].atom.id === p.id);
    if (!f) throw new Error(`${t.id}: cannot derive param '${p.id}' from a value`);
    out[p.id] = BigInt((obj[f.id] as Uint8Array).length);
  }
  return out;
}

/** The positional arguments a generated decoder takes after the bytes. */
export function paramArgs(spec: ir.Spec, t: Target, params: Record<string, unknown> | unknown[] | undefined): number[] {
  if (t.kind !== 'struct') return [];
  const s = structOf(wireFile(spec, t.file), t.id);
  if (!s.params.length) return [];
  if (params === undefined) throw new Error(`${t.id} needs params ${s.params.map((p) => p.id).join(', ')}`);
  const list = Array.isArray(params) ? params : s.params.map((p) => (params as Record<string, unknown>)[p.id]);
  return list.map((x) => Number(x));
}

// ───────────────────────────── the generated codec, by naming convention ─────────────────────────────

type Module = Record<string, unknown>;
/** The generated modules: src/gen, or another copy (JSP_GEN_DIR; the mutation check points it at planted bugs). */
const genDir = process.env.JSP_GEN_DIR ? pathToFileURL(process.env.JSP_GEN_DIR.replace(/\/?$/, '/')) : new URL('../src/gen/', import.meta.url);
const modules = new Map<string, Module | Error>();
for (const f of [...SPEC.wire, ...SPEC.messages, SPEC.errors]) {
  // A module that fails to load is reported when a test asks for it, not when this file is imported.
  try {
    modules.set(f.id, (await import(new URL(`${f.id}.ts`, genDir).href)) as Module);
  } catch (e) {
    modules.set(f.id, new Error(`cannot load src/gen/${f.id}.ts: ${(e as Error).message}`, { cause: e }));
  }
}

function genModule(id: string): Module {
  const m = modules.get(id);
  if (!m) throw new Error(`no generated module for '${id}'`);
  if (m instanceof Error) throw m;
  return m;
}

/** The TS type name of a target's values (README: `StreamFrame`, `AckRange`, `Frame`, `ClientHello`). */
export function typeName(spec: ir.Spec, t: Target): string {
  if (t.kind !== 'struct') return pascal(t.id);
  const file = wireFile(spec, t.file);
  const s = structOf(file, t.id);
  return isMember(file, s) ? pascal(s.id) + pascal(file.union!.id) : pascal(s.id);
}

export interface GenApi {
  /** e.g. `Frame`. */
  name: string;
  module: string;
  decode(bytes: Uint8Array, params?: Record<string, unknown> | unknown[]): unknown;
  encode(v: unknown): Uint8Array;
  size(v: unknown): number;
  /** `P_MIN_SIZE` / `P_MAX_SIZE` when the module exports them. */
  minSize?: number;
  maxSize?: number;
  constName: string;
}

const apiCache = new Map<string, GenApi>();

/** The generated functions of a target, found by the README's naming convention. */
export function genApi(t: Target, spec: ir.Spec = SPEC): GenApi {
  const key = `${t.kind}:${t.file}:${t.id}`;
  const hit = apiCache.get(key);
  if (hit) return hit;
  const modId = t.kind === 'message' ? messageOf(spec, t.id).file.id : wireFile(spec, t.file).id;
  const mod = genModule(modId);
  const name = typeName(spec, t);
  const fn = (prefix: string) => {
    const f = mod[prefix + name];
    if (typeof f !== 'function') throw new Error(`src/gen/${modId}.ts does not export ${prefix}${name}`);
    return f as (...a: unknown[]) => unknown;
  };
  const decode = fn('decode');
  const encode = fn('encode');
  const size = fn('size');
  const api: GenApi = {
    name, module: modId,
    decode: (bytes, params) => decode(bytes, ...paramArgs(spec, t, params)),
    encode: (v) => encode(v) as Uint8Array,
    size: (v) => size(v) as number,
    ...genSizeBounds(t, undefined, spec),
  };
  apiCache.set(key, api);
  return api;
}

/**
 * The generated `P_MIN_SIZE` / `P_MAX_SIZE` (UPPER_SNAKE of the TS type name) of a target, or of one
 * member of a union target (`STREAM_FRAME_MIN_SIZE`); undefined when the module lacks them.
 */
export function genSizeBounds(t: Target, member?: string, spec: ir.Spec = SPEC): { minSize?: number; maxSize?: number; constName: string } {
  const modId = t.kind === 'message' ? messageOf(spec, t.id).file.id : wireFile(spec, t.file).id;
  const mod = genModule(modId);
  const name = typeName(spec, member ? { kind: 'struct', file: t.file, id: member } : t);
  const upper = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  const num = (k: string) => (typeof mod[k] === 'number' ? (mod[k] as number) : undefined);
  return { minSize: num(`${upper}_MIN_SIZE`), maxSize: num(`${upper}_MAX_SIZE`), constName: upper };
}

/** The numeric wire code of a spec error name, from the generated `ErrorCode` table. */
export function errorCode(name: string): number {
  const table = genModule(SPEC.errors.id).ErrorCode as Record<string, unknown> | undefined;
  const v = table?.[name];
  if (typeof v !== 'number' && typeof v !== 'bigint') throw new Error(`src/gen/${SPEC.errors.id}.ts: ErrorCode has no '${name}'`);
  return Number(v);
}

// ───────────────────────────── comparison ─────────────────────────────

export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `<${v.constructor.name} ${hex(v.subarray(0, 24))}${v.length > 24 ? `… (${v.length} bytes)` : ''}>`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return `[array(${v.length})]`;
  if (typeof v === 'object' && v !== null) return `{${Object.keys(v).join(',')}}`;
  return String(v);
}

/**
 * Where `actual` first differs from `expected`, or undefined when equal. Strict: a number is not a
 * bigint, `{k: undefined}` is not `{}` (decoders set every key), bytes compare by content.
 */
export function firstDiff(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (expected instanceof Uint8Array || actual instanceof Uint8Array) {
    if (!(expected instanceof Uint8Array && actual instanceof Uint8Array)) return `${path}: got ${show(actual)}, want ${show(expected)}`;
    if (actual.length !== expected.length || actual.some((x, i) => x !== expected[i])) return `${path}: got ${show(actual)}, want ${show(expected)}`;
    return undefined;
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!(Array.isArray(expected) && Array.isArray(actual))) return `${path}: got ${show(actual)}, want ${show(expected)}`;
    if (actual.length !== expected.length) return `${path}: ${actual.length} elements, want ${expected.length}`;
    for (let i = 0; i < actual.length; i++) {
      const d = firstDiff(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!(k in a)) return `${path}.${k}: missing (want ${show(e[k])})`;
    for (const k of Object.keys(a)) if (!(k in e)) return `${path}.${k}: unexpected key (got ${show(a[k])})`;
    for (const k of Object.keys(e)) {
      const d = firstDiff(a[k], e[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof actual !== typeof expected || actual !== expected) {
    if (typeof actual === 'number' && typeof expected === 'number' && Number.isNaN(actual) && Number.isNaN(expected)) return undefined;
    return `${path}: got ${show(actual)} (${typeof actual}), want ${show(expected)} (${typeof expected})`;
  }
  return undefined;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
