/**
 * Generated decoders are total (codegen/README.md): any input yields a value or a DecodeError —
 * never another exception, never a hang. Inputs:
 *
 * - random bytes (for a union, mostly behind a real type code, so member decoders run; for a
 *   message, mostly well-formed tags of declared field numbers with random wire types and payloads);
 * - mutated valid encodings (bit flips, truncations, insertions, deletions, edge bytes), which reach
 *   the deep paths random bytes never do.
 *
 * When an input does decode, the value must have the generated shape, and re-encoding must give
 * back the input (canonical encodings) — except for protobuf messages, which accept non-canonical
 * forms: there `decode(encode(value))` must equal the value.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type * as ir from '../../codegen/ir.ts';
import { DECODE_ERROR_KINDS, DecodeError, EncodeError } from '../../src/codec/index.ts';
import { encodeSpecValue, type SpecObject } from '../../conformance/reference/interpreter.ts';
import { mutate, mutations, propertyCases, randomInput, tagBytes } from '../../conformance/arbitraries.ts';
import {
  SPEC, allTargets, bytesEqual, errorCode, errorNameOf, firstDiff, fromGen, genApi, hex, messageOf, paramsOf, show,
  structOf, targetName, toGen, wireFile, type GenApi, type SpecValue, type Target,
} from '../../conformance/values.ts';

const RUNS = 1000;
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 0x4a5350);
/** A decode of at most a few hundred bytes taking longer than this is a hang in the making. */
const SLOW_MS = 250;

// ───────────────────────────── which error codes a target may report ─────────────────────────────

/** Error names of a target and of every message it can embed (a nested message may carry its own code). */
function allowedCodes(t: Target): Set<number> {
  const names = new Set<string>([errorNameOf(SPEC, t)]);
  const seen = new Set<string>();
  const visitMessage = (m: ir.Message) => {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    names.add(m.error);
    for (const f of m.fields) if (f.type === 'message') visitMessage(messageOf(SPEC, f.message!).message);
  };
  if (t.kind === 'message') visitMessage(messageOf(SPEC, t.id).message);
  else for (const s of wireFile(SPEC, t.file).structs) for (const f of s.fields) if (f.kind === 'message') visitMessage(messageOf(SPEC, f.message).message);
  return new Set([...names].map(errorCode));
}

// ───────────────────────────── the check ─────────────────────────────

const KINDS = new Set<string>(DECODE_ERROR_KINDS);
const specKinds = new Set(SPEC.errors.decodeErrorKinds.map((k) => k.id));

/** Decodes `bytes`; throws (with a reproduction) when the decoder is not total or not canonical. */
function checkTotal(t: Target, bytes: Uint8Array, params: Record<string, unknown> | undefined, codes: Set<number>): void {
  const api = genApi(t);
  const repro = () => `${targetName(t)} input ${hex(bytes)}${params ? ` params ${JSON.stringify(params, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))}` : ''}`;
  let value: unknown;
  const started = performance.now();
  try {
    value = api.decode(bytes, params);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw new Error(`threw ${(e as Error)?.name}: ${(e as Error)?.message} (not a DecodeError) on ${repro()}`);
    if (!KINDS.has(e.kind) || !specKinds.has(e.kind)) throw new Error(`DecodeError kind '${e.kind}' is not a spec decode_error_kind, on ${repro()}`);
    if (!codes.has(e.code)) throw new Error(`DecodeError code ${e.code} (${e.message}) is not one this target may report (${[...codes].join(', ')}), on ${repro()}`);
    return;
  } finally {
    const ms = performance.now() - started;
    if (ms > SLOW_MS) throw new Error(`decode took ${ms.toFixed(0)} ms on ${repro()}`);
  }
  try {
    fromGen(SPEC, t, value);
  } catch (e) {
    throw new Error(`decoded value has the wrong shape: ${(e as Error).message}, on ${repro()}`);
  }
  let again: Uint8Array;
  try {
    again = api.encode(value);
  } catch (e) {
    throw new Error(`decoded ${show(value)} but cannot encode it again: ${(e as Error).message}, on ${repro()}`);
  }
  if (t.kind !== 'message' && !embedsMessage(t, value)) {
    if (!bytesEqual(again, bytes)) throw new Error(`accepted a non-canonical encoding: re-encodes as ${hex(again)}, on ${repro()}`);
    return;
  }
  // A protobuf message (alone, or embedded in a binary struct) may arrive in a non-canonical form.
  const twice = api.decode(again, params);
  const d = firstDiff(twice, value);
  if (d) throw new Error(`decode(encode(decode(x))) differs from decode(x) at ${d}, on ${repro()}`);
}

/** Whether a decoded wire value's struct (the union member, for a union) has a protobuf message field. */
function embedsMessage(t: Target, value: unknown): boolean {
  if (t.kind === 'message') return true;
  const file = wireFile(SPEC, t.file);
  const id = t.kind === 'union' ? (value as { type: string }).type : t.id;
  const has = (s: ir.Struct): boolean => s.fields.some((f) => f.kind === 'message' || (f.kind === 'struct' && has(structOf(file, f.struct))));
  return has(structOf(file, id));
}

/**
 * A valid encoding to mutate: the generated encoder's, or, when it refuses a valid value (a bug the
 * round-trip test reports), the reference interpreter's — so the decoders still get exercised.
 */
function validEncoding(api: GenApi, t: Target, v: SpecValue): Uint8Array {
  try {
    return api.encode(toGen(SPEC, t, v));
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e;
    const file = t.kind === 'message' ? messageOf(SPEC, t.id).file.id : wireFile(SPEC, t.file).id;
    return encodeSpecValue(SPEC, { kind: t.kind, file, id: t.id }, v as SpecObject, paramsOf(SPEC, t, v));
  }
}

function run(name: string, prop: fc.IPropertyWithHooks<any> | fc.IProperty<any>): void {
  const details = fc.check(prop, { numRuns: RUNS, seed });
  if (details.failed) {
    const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    assert.unreachable(`${name}: ${err}\n  (after ${details.numShrinks} shrinks; seed ${details.seed}, path ${details.counterexamplePath})`);
  }
}

// ───────────────────────────── tests ─────────────────────────────

for (const t of allTargets()) {
  const s = t.kind === 'struct' ? structOf(wireFile(SPEC, t.file), t.id) : undefined;
  const paramArb = s?.params.length
    ? fc.record(Object.fromEntries(s.params.map((p) => [p.id, fc.integer({ min: 0, max: 24 })])))
    : fc.constant(undefined);
  test(`total on random bytes: ${targetName(t)}`, () => {
    const codes = allowedCodes(t);
    run(targetName(t), fc.property(randomInput(t), paramArb, (bytes, params) => checkTotal(t, bytes, params, codes)));
  });
}

for (const c of propertyCases()) {
  test(`total on mutated encodings: ${c.name}`, () => {
    const codes = allowedCodes(c.target);
    const api = genApi(c.target);
    run(c.name, fc.property(c.arb, mutations, (v, ms) => {
      checkTotal(c.target, mutate(validEncoding(api, c.target, v), ms), paramsOf(SPEC, c.target, v), codes);
    }));
  });
}

test('mutate() does what it says', () => {
  const b = Uint8Array.from([1, 2, 3, 4]);
  assert.equal(Array.from(mutate(b, [{ op: 'truncate', at: 2 }])), [1, 2]);
  assert.equal(Array.from(mutate(b, [{ op: 'flip', at: 0, bit: 7 }])), [0x81, 2, 3, 4]);
  assert.equal(Array.from(mutate(b, [{ op: 'insert', at: 4, bytes: Uint8Array.from([9]) }])), [1, 2, 3, 4, 9]);
  assert.equal(Array.from(mutate(b, [{ op: 'delete', at: 1, n: 2 }])), [1, 4]);
  assert.equal(tagBytes('varint', 0x1en), [0x1e]);
  assert.equal(tagBytes('varint', 0x40n), [0x40, 0x40]);
  assert.equal(tagBytes('varint', 16384n), [0x80, 0, 0x40, 0]);
});

test.run();
