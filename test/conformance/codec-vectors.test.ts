/**
 * Every committed golden vector (`conformance/vectors/codec/*.json`, codegen/README.md "Golden
 * vectors") through the GENERATED TypeScript codec:
 *
 * - valid: `decode(input)` equals `value` (mapped to the generated form), and `encode(value)`
 *   equals `canonical` when given, else `input`;
 * - invalid: `decode(input)` throws a DecodeError whose `code` is the numeric code of `error` (from
 *   the generated ErrorCode table) and whose `kind` is `errorKind`.
 *
 * One uvu test per vector file; a failure lists every failing tcId and why.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DecodeError } from '../../src/codec/index.ts';
import {
  SPEC, errorCode, firstDiff, fromJson, genApi, hex, show, toGen, unhex, type Target,
} from '../../conformance/values.ts';

const DIR = fileURLToPath(new URL('../../conformance/vectors/codec/', import.meta.url));
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];

interface VectorTest {
  tcId: number;
  comment?: string;
  flags?: string[];
  result: string;
  input: string;
  value?: unknown;
  canonical?: string;
  params?: Record<string, unknown> | unknown[];
  error?: string;
  errorKind?: string;
}
interface VectorFile {
  schema: string;
  specFile: string;
  specSha256: string;
  numberOfTests: number;
  notes?: Record<string, string>;
  testGroups: Array<{ kind: Target['kind']; target: string; tests: VectorTest[] }>;
}

/** Why one case fails, or undefined when it passes. */
function runCase(t: Target, tc: VectorTest): string | undefined {
  const api = genApi(t);
  let input: Uint8Array;
  try {
    input = unhex(tc.input);
  } catch (e) {
    return `bad input hex: ${(e as Error).message}`;
  }
  if (tc.result === 'valid') {
    let expected: unknown;
    try {
      expected = toGen(SPEC, t, fromJson(SPEC, t, tc.value));
    } catch (e) {
      return `vector value does not fit the spec: ${(e as Error).message}`;
    }
    let decoded: unknown;
    try {
      decoded = api.decode(input, tc.params);
    } catch (e) {
      return `decode threw ${e instanceof DecodeError ? `DecodeError ${e.code}/${e.kind}` : (e as Error).name}: ${(e as Error).message}`;
    }
    const d = firstDiff(decoded, expected);
    if (d) return `decode: ${d}`;
    const want = tc.canonical ?? tc.input;
    let encoded: Uint8Array;
    try {
      encoded = api.encode(expected);
    } catch (e) {
      return `encode threw ${(e as Error).name}: ${(e as Error).message}`;
    }
    if (hex(encoded) !== want.toLowerCase()) return `encode: got ${hex(encoded)}, want ${want}${tc.canonical ? ' (canonical)' : ''}`;
    return undefined;
  }
  if (tc.result === 'invalid') {
    if (!tc.error || !tc.errorKind) return 'invalid case without error/errorKind';
    let code: number;
    try {
      code = errorCode(tc.error);
    } catch (e) {
      return (e as Error).message;
    }
    try {
      const v = api.decode(input, tc.params);
      return `decode accepted it: ${show(v)}`;
    } catch (e) {
      if (!(e instanceof DecodeError)) return `threw ${(e as Error).name} (not a DecodeError): ${(e as Error).message}`;
      const problems: string[] = [];
      if (e.code !== code) problems.push(`code ${e.code}, want ${code} (${tc.error})`);
      if (e.kind !== tc.errorKind) problems.push(`kind ${e.kind}, want ${tc.errorKind}`);
      return problems.length ? `${problems.join('; ')} — ${e.message}` : undefined;
    }
  }
  return `unknown result '${tc.result}'`;
}

test('every wire and messages spec file has a vector file', () => {
  const have = new Set(files.map((f) => {
    const v = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as VectorFile;
    return v.specFile;
  }));
  const missing = [...SPEC.wire, ...SPEC.messages].map((f) => f.path).filter((p) => !have.has(p));
  assert.equal(missing, [], `no vectors for ${missing.join(', ')} in conformance/vectors/codec/`);
});

for (const name of files) {
  test(`vectors: ${name}`, () => {
    const v = JSON.parse(readFileSync(join(DIR, name), 'utf8')) as VectorFile;
    const failures: string[] = [];
    assert.is(v.schema, 'codec_vectors_v1', `${name}: schema`);
    const specFile = SPEC.files.find((f) => f.path === v.specFile);
    assert.ok(specFile, `${name}: specFile '${v.specFile}' is not in the spec`);
    if (specFile.sha256 !== v.specSha256) failures.push(`file: specSha256 ${v.specSha256.slice(0, 16)}… is stale (spec is ${specFile.sha256.slice(0, 16)}…)`);
    const all = v.testGroups.flatMap((g) => g.tests);
    if (all.length !== v.numberOfTests) failures.push(`file: numberOfTests ${v.numberOfTests}, but ${all.length} tests`);
    const ids = new Set<number>();
    for (const tc of all) {
      if (ids.has(tc.tcId)) failures.push(`tcId ${tc.tcId}: duplicate tcId`);
      ids.add(tc.tcId);
    }
    const counts = { valid: 0, invalid: 0, passed: 0 };
    for (const g of v.testGroups) {
      // Messages are looked up by id across messages files; everything else lives in the vector's spec file.
      const t: Target = { kind: g.kind, file: v.specFile, id: g.target };
      for (const tc of g.tests) {
        if (tc.result === 'valid') counts.valid++;
        else counts.invalid++;
        let why: string | undefined;
        try {
          why = runCase(t, tc);
        } catch (e) {
          why = `harness error: ${(e as Error).message}`;
        }
        if (why) failures.push(`tcId ${tc.tcId} [${g.kind} ${g.target}] ${tc.comment ?? ''}: ${why}`);
        else counts.passed++;
      }
    }
    console.log(`  ${name}: ${all.length} cases (${counts.valid} valid, ${counts.invalid} invalid), ${counts.passed} pass, ${all.length - counts.passed} fail`);
    assert.ok(all.length > 0, `${name}: no test cases`);
    if (failures.length) assert.unreachable(`${name}: ${failures.length} failing:\n  ${failures.join('\n  ')}`);
  });
}

test.run();
