/**
 * The differential corpus the codegen target tests share (python.test.ts, rust.test.ts, …): valid
 * values made on the TypeScript side (the IR-derived arbitraries, encoded by the generated TS codec),
 * mutated encodings and random inputs, each as an adapter request line with the TypeScript runtime's
 * answer; and `runCorpus`, which feeds a file of requests to one adapter process and lists every
 * answer that differs from the TS one (value, re-encoding, or error code and kind).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { jsonEqual } from '../../conformance/runner/cases.ts';
import { mutate, mutations, propertyCases, randomInput } from '../../conformance/arbitraries.ts';
import { answer } from '../../conformance/adapter/ts.ts';
import { SPEC, allTargets, genApi, hex, messageOf, paramsOf, structOf, toGen, wireFile, type Target } from '../../conformance/values.ts';

/** The adapter request (without id) that decodes `bytes` as target `t`. */
export function request(t: Target, bytes: Uint8Array, params?: Record<string, unknown>): string {
  const file = t.kind === 'message' ? messageOf(SPEC, t.id).file.id : wireFile(SPEC, t.file).id;
  const ps = Object.entries(params ?? {}).map(([k, v]) => `${k}=${v}`);
  return ['decode', file, t.kind, t.id, bytes.length ? hex(bytes) : '-', ...ps].join(' ');
}

export interface Case { name: string; line: string; expected: Record<string, unknown>; bytes?: string }

/** The TS runtime's answer to a request line (the reference adapter, in process). */
export function tsAnswer(line: string): Record<string, unknown> {
  const a = answer(`0 ${line}`)!;
  const { id: _id, ...rest } = a;
  return rest;
}

/**
 * Runs the cases through one adapter process fed from a file of request lines (one per case, then
 * `quit`) written in `workDir`, and returns the failures: each answer must agree with the TS runtime's.
 */
export function runCorpus(adapter: string, workDir: string, cases: Case[], name: string): string[] {
  const file = join(workDir, `${name}.requests`);
  writeFileSync(file, ['hello jsp-adapter/1', ...cases.map((c, i) => `${i + 1} ${c.line}`), 'quit', ''].join('\n'));
  const fd = openSync(file, 'r');
  const r = spawnSync(adapter, [], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 30 });
  closeSync(fd);
  assert.is(r.status, 0, `adapter exited with ${r.status}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, cases.length + 1, `one answer per request (stderr: ${r.stderr.slice(-500)})`);
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const got = JSON.parse(lines[i + 1]) as Record<string, unknown>;
    const want = c.expected;
    const why = got.id !== i + 1 ? `answer id ${String(got.id)}`
      : got.result !== want.result ? `result ${String(got.result)} (${String(got.error ?? '')}/${String(got.errorKind ?? '')} ${String(got.message ?? '')}), TS says ${String(want.result)} (${String(want.error ?? '')}/${String(want.errorKind ?? '')})`
        : got.result === 'error' && (got.error !== want.error || got.errorKind !== want.errorKind) ? `error ${String(got.error)}/${String(got.errorKind)}, TS says ${String(want.error)}/${String(want.errorKind)}: ${String(got.message)}`
          : got.result === 'ok' && !jsonEqual(got.value, want.value) ? `value ${JSON.stringify(got.value).slice(0, 300)}, TS says ${JSON.stringify(want.value).slice(0, 300)}`
            : got.result === 'ok' && got.encoded !== want.encoded ? `encoded ${String(got.encoded)}, TS says ${String(want.encoded)}`
              : got.result === 'ok' && c.bytes !== undefined && got.encoded !== c.bytes ? `encoded ${String(got.encoded)}, the corpus has ${c.bytes}`
                : undefined;
    if (why) failures.push(`${c.name}: ${c.line.slice(0, 200)}\n    ${why}`);
  });
  return failures;
}

/** `values` random valid values per target, encoded by the TS codec; asserts each target got them all. */
export function roundTripCases(values: number, seed: number): Case[] {
  const cases: Case[] = [];
  const perTarget = new Map<string, number>();
  for (const pc of propertyCases()) {
    for (const v of fc.sample(pc.arb, { numRuns: values, seed })) {
      const t = pc.target;
      const params = paramsOf(SPEC, t, v);
      const bytes = genApi(t).encode(toGen(SPEC, t, v));
      const line = request(t, bytes, params);
      const expected = tsAnswer(line);
      assert.is(expected.result, 'ok', `the TS runtime decodes its own encoding: ${line.slice(0, 200)}`);
      cases.push({ name: pc.name, line, expected, bytes: hex(bytes) });
      const key = `${t.kind} ${t.file.replace(/^spec\/|\.yaml$/g, '')}/${t.id}`;
      perTarget.set(key, (perTarget.get(key) ?? 0) + 1);
    }
  }
  for (const [k, n] of perTarget) assert.ok(n >= values, `${k}: ${n} values, want at least ${values}`);
  return cases;
}

/** `mutated` mutated encodings per property and `random` random inputs per target, with the TS answers. */
export function decisionCases(mutated: number, random: number, seed: number): Case[] {
  const cases: Case[] = [];
  for (const pc of propertyCases()) {
    const t = pc.target;
    for (const [v, ms] of fc.sample(fc.tuple(pc.arb, mutations), { numRuns: mutated, seed: seed + 1 })) {
      const params = paramsOf(SPEC, t, v);
      const line = request(t, mutate(genApi(t).encode(toGen(SPEC, t, v)), ms), params);
      cases.push({ name: `${pc.name} (mutated)`, line, expected: tsAnswer(line) });
    }
  }
  for (const t of allTargets()) {
    const s = t.kind === 'struct' ? structOf(wireFile(SPEC, t.file), t.id) : undefined;
    const paramArb = s?.params.length
      ? fc.record(Object.fromEntries(s.params.map((p) => [p.id, fc.integer({ min: 0, max: 24 })])))
      : fc.constant(undefined);
    for (const [bytes, params] of fc.sample(fc.tuple(randomInput(t), paramArb), { numRuns: random, seed: seed + 2 })) {
      const line = request(t, bytes, params);
      cases.push({ name: `${t.id} (random)`, line, expected: tsAnswer(line) });
    }
  }
  const errors = cases.filter((c) => c.expected.result === 'error').length;
  assert.ok(errors > cases.length / 3, `the corpus exercises decode errors (${errors} of ${cases.length})`);
  return cases;
}

/** The three checks every codegen target's test makes, shared so that each target is held to the same bar. */
export const targetChecks = {
  /**
   * `jsp conformance --impl DIR/adapter --filter codec/`: every codec vector passes, none
   * unsupported (the generated codecs are codecs: the machines and handshake families are the
   * runtime's, and a full run reports them unsupported for these adapters).
   */
  async everyVectorPasses(adapter: string, implementation: string, vectorsDir: string): Promise<void> {
    const { runConformance } = await import('../../conformance/runner/run.ts');
    const { readFileSync } = await import('node:fs');
    const report = await runConformance({ command: adapter, vectorsDir, timeoutMs: 10_000, filter: ['codec/'] });
    const failed = report.results.filter((r) => r.status !== 'pass');
    assert.is(report.implementation, implementation);
    assert.equal(report.capabilities, ['codec']);
    assert.is(failed.length, 0, `not passed:\n${failed.slice(0, 10).map((r) => `  ${r.id} ${r.status}: ${r.title}\n    ${r.reason}`).join('\n')}`);
    const total = ['frames', 'packets', 'messages'].reduce((a, f) =>
      a + (JSON.parse(readFileSync(join(vectorsDir, 'codec', `${f}.json`), 'utf8')) as { numberOfTests: number }).numberOfTests, 0);
    assert.is(report.totals.pass, total, 'every codec vector ran and passed');
    assert.is(report.totals.unsupported, 0);
  },
  /** A random TS corpus decodes to the same values and re-encodes byte-identically. */
  roundTrips(adapter: string, workDir: string, values: number, seed: number): void {
    const cases = roundTripCases(values, seed);
    const failures = runCorpus(adapter, workDir, cases, 'roundtrip');
    assert.is(failures.length, 0, `${failures.length} of ${cases.length} values differ:\n${failures.slice(0, 10).join('\n')}`);
  },
  /** Mutated encodings and random inputs get the TS runtime's answer (value, or error code and kind). */
  sameDecisions(adapter: string, workDir: string, mutated: number, random: number, seed: number): void {
    const cases = decisionCases(mutated, random, seed);
    const failures = runCorpus(adapter, workDir, cases, 'decisions');
    assert.is(failures.length, 0, `${failures.length} of ${cases.length} answers differ:\n${failures.slice(0, 10).join('\n')}`);
  },
};
