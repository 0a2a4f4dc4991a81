/**
 * Round trips through the generated codec, for every union member, struct and message of the spec,
 * on valid values drawn from the IR-derived arbitraries (conformance/arbitraries.ts):
 *
 * - `decode(encode(v))` equals v (in the generated form: exact key set, number vs bigint);
 * - `encode(decode(encode(v)))` is byte-identical to `encode(v)`;
 * - `size(v)` equals the encoded length;
 * - the encoded length lies within the generated `P_MIN_SIZE..P_MAX_SIZE` (and the IR's bounds).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { propertyCases } from '../../conformance/arbitraries.ts';
import {
  SPEC, bytesEqual, firstDiff, genApi, genSizeBounds, hex, messageOf, paramsOf, show, structOf, toGen, wireFile,
  type SpecValue, type Target,
} from '../../conformance/values.ts';

const RUNS = 200;
/** Fixed seed by default so failures reproduce; FC_SEED=random explores. */
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 0x4a5350);

/** The IR's size bounds of a target's values (union members include their type code). */
function irBounds(t: Target, member?: string): { lo: number; hi: number } | undefined {
  if (t.kind === 'message') return undefined;
  const s = structOf(wireFile(SPEC, t.file), member ?? t.id);
  return { lo: s.minSize, hi: s.maxSize };
}

function roundTrip(t: Target, member: string | undefined, v: SpecValue): void {
  const api = genApi(t);
  const g = toGen(SPEC, t, v);
  const bytes = api.encode(g);
  const where = () => `value ${show(v)} encoded as ${hex(bytes)}`;

  const n = api.size(g);
  if (n !== bytes.length) throw new Error(`size${api.name} says ${n}, encode${api.name} wrote ${bytes.length} bytes; ${where()}`);

  const bounds = genSizeBounds(t, member);
  if (bounds.minSize === undefined || bounds.maxSize === undefined) throw new Error(`src/gen/${api.module}.ts exports no ${bounds.constName}_MIN_SIZE / _MAX_SIZE`);
  if (bytes.length < bounds.minSize || bytes.length > bounds.maxSize) {
    throw new Error(`${bytes.length} bytes outside ${bounds.constName}_MIN_SIZE..MAX_SIZE = ${bounds.minSize}..${bounds.maxSize}; ${where()}`);
  }
  const ir = irBounds(t, member);
  if (ir && (bytes.length < ir.lo || bytes.length > ir.hi)) throw new Error(`${bytes.length} bytes outside the IR bounds ${ir.lo}..${ir.hi}; ${where()}`);

  const decoded = api.decode(bytes, paramsOf(SPEC, t, v));
  const d = firstDiff(decoded, g);
  if (d) throw new Error(`decode(encode(v)) differs from v at ${d}; ${where()}`);

  const again = api.encode(decoded);
  if (!bytesEqual(again, bytes)) throw new Error(`encode(decode(bytes)) = ${hex(again)} differs from ${hex(bytes)}`);

  if (member) {
    // The member's own codec (`encodeStreamFrame`, type code included) agrees with the union's.
    const m = genApi({ kind: 'struct', file: t.file, id: member });
    const mine = m.encode(g);
    if (!bytesEqual(mine, bytes)) throw new Error(`encode${m.name} = ${hex(mine)}, encode${api.name} = ${hex(bytes)}`);
    if (m.size(g) !== bytes.length) throw new Error(`size${m.name} = ${m.size(g)}, want ${bytes.length}`);
    const dm = firstDiff(m.decode(bytes), g);
    if (dm) throw new Error(`decode${m.name}(bytes) differs from v at ${dm}; ${where()}`);
  }
}

for (const c of propertyCases()) {
  test(`round trip: ${c.name}`, () => {
    const details = fc.check(fc.property(c.arb, (v) => roundTrip(c.target, c.member, v)), { numRuns: RUNS, seed });
    if (details.failed) {
      const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      assert.unreachable(`${c.name}: ${err}\n  counterexample (after ${details.numShrinks} shrinks): ${show(details.counterexample?.[0])}\n  ${JSON.stringify(details.counterexample?.[0], jsonSafe)}\n  seed ${details.seed}, path ${details.counterexamplePath}`);
    }
    assert.ok(details.numRuns >= RUNS, `${c.name}: only ${details.numRuns} runs`);
  });
}

test('every message and wire struct has a property case', () => {
  const names = new Set(propertyCases().map((c) => c.name));
  for (const f of SPEC.messages) for (const m of f.messages) assert.ok(names.has(`${f.id}/${messageOf(SPEC, m.id).message.id}`), m.id);
  for (const f of SPEC.wire) for (const s of f.structs) {
    const member = f.union && s.code !== undefined;
    assert.ok(names.has(member ? `${f.union!.id}/${s.id}` : `${f.id}/${s.id}`), `${f.id}/${s.id}`);
  }
});

export function jsonSafe(_k: string, x: unknown): unknown {
  if (typeof x === 'bigint') return `${x}n`;
  if (x instanceof Uint8Array) return hex(x);
  return x;
}

test.run();
