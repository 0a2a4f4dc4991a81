/**
 * The independent oracle: a naive reference codec that interprets the IR (`codegen/ir.ts`) at run
 * time. No code generation and nothing shared with `src/codec` or `src/gen` — that independence is
 * the point. The golden vectors (`conformance/vectors/codec/`) are produced with it and every
 * implementation is checked against them.
 *
 * Values are *spec values* (see `values.ts`): snake_case spec ids as keys, `type` naming the union
 * member, integers as bigint, bytes as Uint8Array; derived (`value:`), fixed (`const:`) and
 * presence-flag fields are omitted; absent optional fields are omitted. {@link toJson} and
 * {@link fromJson} convert to and from the vector files' JSON form.
 *
 * The decisions the spec leaves open are listed in `wire.ts` (binary layouts) and `protobuf.ts`
 * (control messages), and in `conformance/vectors/codec/README.md`.
 *
 * @module
 */
import type { Message, PbField, Spec, Struct, WireFile } from '../../codegen/ir.ts';
import { decodeMessageBytes, encodeMessageValue, findMessage } from './protobuf.ts';
import {
  DecodeFailure, jsonInt, unhex, type Json, type SpecObject, type SpecValue,
} from './values.ts';
import { decodeWire, encodeWire, structOf, type TraceEntry } from './wire.ts';

export { toJson, specValueEquals, hex, unhex, DecodeFailure, EncodeFailure } from './values.ts';
export type { Json, SpecObject, SpecValue } from './values.ts';
export type { TraceEntry } from './wire.ts';

/** What to decode: a union or struct of a wire file, or a message; `file` is the file's `meta.id`. */
export interface Target {
  kind: 'union' | 'struct' | 'message';
  file: string;
  id: string;
}

export type DecodeResult =
  | { ok: true; value: SpecObject }
  | { ok: false; error: string; errorKind: string; detail: string };

/** Struct parameters (e.g. a short header's `dcid_length`). */
export type Params = Record<string, bigint | number>;

function wireFile(spec: Spec, id: string): WireFile {
  const f = spec.wire.find((w) => w.id === id);
  if (!f) throw new Error(`no wire file '${id}'`);
  return f;
}

function messageOf(spec: Spec, target: Target): Message {
  const file = spec.messages.find((m) => m.id === target.file);
  const msg = file?.messages.find((m) => m.id === target.id);
  if (!msg) throw new Error(`no message '${target.id}' in messages file '${target.file}'`);
  return msg;
}

function paramMap(params: Params | undefined): Map<string, bigint> {
  return new Map(Object.entries(params ?? {}).map(([k, v]) => [k, BigInt(v)]));
}

/** Decodes `bytes` as the whole target; never throws for bad input. */
export function decodeSpecValue(spec: Spec, target: Target, bytes: Uint8Array, params?: Params): DecodeResult {
  try {
    const value = target.kind === 'message'
      ? decodeMessageBytes(spec, messageOf(spec, target), bytes, 0, bytes.length)
      : decodeWire(spec, wireFile(spec, target.file), target.kind, target.id, bytes, paramMap(params));
    return { ok: true, value };
  } catch (e) {
    if (e instanceof DecodeFailure) return { ok: false, error: e.code, errorKind: e.kind, detail: e.message };
    throw e;
  }
}

/** Canonical encoding of a valid value; throws {@link EncodeFailure} for an invalid one. */
export function encodeSpecValue(spec: Spec, target: Target, value: SpecObject, params?: Params): Uint8Array {
  if (target.kind === 'message') return encodeMessageValue(spec, messageOf(spec, target), value);
  return encodeWire(spec, wireFile(spec, target.file), target.kind, target.id, value, { params: paramMap(params) }).bytes;
}

/**
 * Encoding of a wire value with the trace of where each field landed. `check: false` writes
 * values that break ranges, limits or constraints (for building invalid vectors).
 */
export function encodeSpecValueTraced(spec: Spec, target: Target, value: SpecObject, opts: { check?: boolean; params?: Params } = {}): { bytes: Uint8Array; trace: TraceEntry[] } {
  if (target.kind === 'message') throw new Error('traces exist for wire targets only');
  return encodeWire(spec, wireFile(spec, target.file), target.kind, target.id, value, { check: opts.check, params: paramMap(opts.params) });
}

// ───────────────────────────── JSON → spec value ─────────────────────────────

type JsonObject = { [k: string]: Json };

function asObject(j: Json, where: string): JsonObject {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new TypeError(`${where}: expected an object`);
  return j;
}

function asArray(j: Json, where: string): Json[] {
  if (!Array.isArray(j)) throw new TypeError(`${where}: expected an array`);
  return j;
}

function asBool(j: Json, where: string): boolean {
  if (typeof j !== 'boolean') throw new TypeError(`${where}: expected a boolean`);
  return j;
}

function asHex(j: Json, where: string): Uint8Array {
  if (typeof j !== 'string') throw new TypeError(`${where}: expected a hex string`);
  return unhex(j);
}

function pbFieldFromJson(spec: Spec, f: PbField, j: Json, where: string): SpecValue {
  switch (f.type) {
    case 'bool': return asBool(j, where);
    case 'bytes': return asHex(j, where);
    case 'string':
      if (typeof j !== 'string') throw new TypeError(`${where}: expected a string`);
      return j;
    case 'message': return messageFromJson(spec, findMessage(spec, f.message!).message, j, where);
    default: return jsonInt(j, where);
  }
}

function messageFromJson(spec: Spec, msg: Message, json: Json, path: string): SpecObject {
  const out: SpecObject = {};
  for (const [k, j] of Object.entries(asObject(json, path))) {
    const f = msg.fields.find((x) => x.id === k);
    const where = `${path}.${k}`;
    if (!f) throw new TypeError(`${where}: '${msg.id}' has no field '${k}'`);
    out[k] = f.repeated ? asArray(j, where).map((x, i) => pbFieldFromJson(spec, f, x, `${where}[${i}]`)) : pbFieldFromJson(spec, f, j, where);
  }
  return out;
}

function structFromJson(spec: Spec, file: WireFile, st: Struct, json: Json, path: string): SpecObject {
  const out: SpecObject = {};
  for (const [k, j] of Object.entries(asObject(json, path))) {
    const where = `${path}.${k}`;
    if (st.flags.some((fl) => fl.id === k && !fl.presenceOf)) {
      out[k] = asBool(j, where);
      continue;
    }
    const bit = st.fields.flatMap((f) => (f.kind === 'bits' ? f.bits : [])).find((b) => b.id === k && b.const === undefined);
    if (bit) {
      out[k] = bit.bool ? asBool(j, where) : jsonInt(j, where);
      continue;
    }
    const f = st.fields.find((x) => x.id === k && x.kind !== 'bits' && !(x.kind === 'int' && (x.value || x.const !== undefined)));
    if (!f) throw new TypeError(`${where}: '${st.id}' has no value field '${k}'`);
    switch (f.kind) {
      case 'int': out[k] = f.repeat ? asArray(j, where).map((x, i) => jsonInt(x, `${where}[${i}]`)) : jsonInt(j, where); break;
      case 'uint': out[k] = jsonInt(j, where); break;
      case 'bytes': out[k] = asHex(j, where); break;
      case 'message': out[k] = messageFromJson(spec, findMessage(spec, f.message).message, j, where); break;
      case 'struct': {
        const inner = structOf(file, f.struct);
        out[k] = f.repeat
          ? asArray(j, where).map((x, i) => structFromJson(spec, file, inner, x, `${where}[${i}]`))
          : structFromJson(spec, file, inner, j, where);
        break;
      }
      case 'bits': break;
    }
  }
  return out;
}

/** The spec value of a vector file's JSON value (schema-directed: hex vs string, numbers vs bigint). */
export function fromJson(spec: Spec, target: Target, json: Json): SpecObject {
  if (target.kind === 'message') return messageFromJson(spec, messageOf(spec, target), json, target.id);
  const file = wireFile(spec, target.file);
  if (target.kind === 'struct') return structFromJson(spec, file, structOf(file, target.id), json, target.id);
  const o = asObject(json, target.id);
  const type = o.type;
  if (typeof type !== 'string' || !file.union?.members.includes(type)) throw new TypeError(`${target.id}.type: unknown member ${JSON.stringify(type)}`);
  const { type: _type, ...rest } = o;
  return { type, ...structFromJson(spec, file, structOf(file, type), rest, type) };
}
