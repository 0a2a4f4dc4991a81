/**
 * Differential test: the GENERATED codec (src/gen) against the naive reference interpreter of the
 * IR (conformance/reference), as js-libp2p-yamux tests its codec against a naive one.
 *
 * - valid values (IR-derived arbitraries): both encoders give the same bytes, and both decoders
 *   give the same value back;
 * - random and mutated byte strings: both decoders make the same accept/reject decision; when
 *   both accept, the same value; when both reject, the same error code and the same kind.
 *
 * A failure names the target, the input hex (and params) and what each side said, after shrinking.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { DecodeError } from '../../src/codec/index.ts';
import { decodeSpecValue, encodeSpecValue, type SpecObject, type Target as RefTarget } from '../../conformance/reference/interpreter.ts';
import { mutate, mutations, propertyCases, randomInput } from '../../conformance/arbitraries.ts';
import {
  SPEC, allTargets, bytesEqual, errorCode, firstDiff, genApi, hex, messageOf, paramsOf, show, structOf, targetName, toGen,
  wireFile, type SpecValue, type Target,
} from '../../conformance/values.ts';

const RUNS = 500;
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 0x4a5350);

/** The reference names a file by its meta.id. */
function refTarget(t: Target): RefTarget {
  const file = t.kind === 'message' ? messageOf(SPEC, t.id).file.id : wireFile(SPEC, t.file).id;
  return { kind: t.kind, file, id: t.id };
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: number; codeName: string; kind: string; detail: string };

function genDecode(t: Target, bytes: Uint8Array, params: Record<string, unknown> | undefined): Outcome {
  try {
    return { ok: true, value: genApi(t).decode(bytes, params) };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw new Error(`generated decoder threw ${(e as Error).name}: ${(e as Error).message} on ${hex(bytes)}`);
    return { ok: false, code: e.code, codeName: String(e.code), kind: e.kind, detail: e.message };
  }
}

function refDecode(t: Target, bytes: Uint8Array, params: Record<string, bigint | number> | undefined): Outcome {
  const r = decodeSpecValue(SPEC, refTarget(t), bytes, params);
  if (r.ok) return { ok: true, value: toGen(SPEC, t, r.value) };
  return { ok: false, code: errorCode(r.error), codeName: r.error, kind: r.errorKind, detail: r.detail };
}

const describe = (o: Outcome): string =>
  o.ok ? `accepts ${show(o.value)}` : `rejects: code ${o.code} (${o.codeName}) kind ${o.kind} — ${o.detail}`;

/** Both decoders on one input; throws a reproduction when they disagree. */
function sameDecision(t: Target, bytes: Uint8Array, params: Record<string, bigint | number> | undefined): void {
  const gen = genDecode(t, bytes, params);
  const ref = refDecode(t, bytes, params);
  const repro = () => `${targetName(t)} input ${hex(bytes)}${params ? ` params ${JSON.stringify(params, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))}` : ''}\n    generated: ${describe(gen)}\n    reference: ${describe(ref)}`;
  if (gen.ok !== ref.ok) throw new Error(`accept/reject differs: ${repro()}`);
  if (gen.ok && ref.ok) {
    const d = firstDiff(gen.value, ref.value);
    if (d) throw new Error(`both accept, values differ at ${d}: ${repro()}`);
    return;
  }
  if (!gen.ok && !ref.ok && (gen.code !== ref.code || gen.kind !== ref.kind)) {
    throw new Error(`both reject, ${gen.code !== ref.code ? 'error codes' : ''}${gen.code !== ref.code && gen.kind !== ref.kind ? ' and ' : ''}${gen.kind !== ref.kind ? 'kinds' : ''} differ: ${repro()}`);
  }
}

/** Both encoders on one valid value, then both decoders on the bytes. */
function sameEncoding(t: Target, v: SpecValue): void {
  const params = paramsOf(SPEC, t, v);
  let refBytes: Uint8Array;
  try {
    refBytes = encodeSpecValue(SPEC, refTarget(t), v as SpecObject, params);
  } catch (e) {
    throw new Error(`reference refuses a valid value: ${(e as Error).message}; value ${show(v)}`);
  }
  let genBytes: Uint8Array;
  try {
    genBytes = genApi(t).encode(toGen(SPEC, t, v));
  } catch (e) {
    throw new Error(`generated encoder refuses a value the reference encodes as ${hex(refBytes)}: ${(e as Error).message}`);
  }
  if (!bytesEqual(genBytes, refBytes)) throw new Error(`encodings differ: generated ${hex(genBytes)}, reference ${hex(refBytes)}`);
  sameDecision(t, refBytes, params);
}

function run(name: string, prop: fc.IProperty<any>): void {
  const details = fc.check(prop, { numRuns: RUNS, seed });
  if (details.failed) {
    const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    assert.unreachable(`${name}: ${err}\n  (after ${details.numShrinks} shrinks; seed ${details.seed}, path ${details.counterexamplePath})`);
  }
}

// ───────────────────────────── inputs ─────────────────────────────

/** A valid encoding to mutate: the reference's (independent of the encoder under test). */
function refEncode(t: Target, v: SpecValue): Uint8Array {
  return encodeSpecValue(SPEC, refTarget(t), v as SpecObject, paramsOf(SPEC, t, v));
}

// ───────────────────────────── tests ─────────────────────────────

for (const c of propertyCases()) {
  test(`same encoding, same decoding: ${c.name}`, () => {
    run(c.name, fc.property(c.arb, (v) => sameEncoding(c.target, v)));
  });
  test(`same decision on mutated encodings: ${c.name}`, () => {
    run(c.name, fc.property(c.arb, mutations, (v, ms) => sameDecision(c.target, mutate(refEncode(c.target, v), ms), paramsOf(SPEC, c.target, v))));
  });
}

for (const t of allTargets()) {
  const s = t.kind === 'struct' ? structOf(wireFile(SPEC, t.file), t.id) : undefined;
  const paramArb = s?.params.length
    ? fc.record(Object.fromEntries(s.params.map((p) => [p.id, fc.integer({ min: 0, max: 24 })])))
    : fc.constant(undefined);
  test(`same decision on random bytes: ${targetName(t)}`, () => {
    run(targetName(t), fc.property(randomInput(t), paramArb, (bytes, params) => sameDecision(t, bytes, params)));
  });
}

test.run();
