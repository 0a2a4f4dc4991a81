/**
 * The Python codegen target (`jsp codegen --lang python --out DIR`), end to end:
 *
 * - the generated package and its `DIR/adapter` pass every codec vector through the conformance
 *   runner (0 failed, 0 unsupported);
 * - differential round trip: a large random corpus of valid values made on the TypeScript side (the
 *   IR-derived arbitraries, encoded by the generated TS codec) is written to a file of adapter
 *   requests; the Python codec decodes each to the same JSON value as the TS runtime and re-encodes
 *   it to the same bytes;
 * - differential decisions: mutated encodings and random inputs get the same answer from both —
 *   the same value, or the same error code and kind (the error precedence of protocol.decode.order).
 *
 * Python 3 is required: without it these tests fail (never skip), loudly, in CI and elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { runConformance } from '../../conformance/runner/run.ts';
import { jsonEqual } from '../../conformance/runner/cases.ts';
import { mutate, mutations, propertyCases, randomInput } from '../../conformance/arbitraries.ts';
import { answer } from '../../conformance/adapter/ts.ts';
import { SPEC, allTargets, genApi, hex, messageOf, paramsOf, structOf, toGen, wireFile, type Target } from '../../conformance/values.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vectorsDir = join(root, 'conformance/vectors');
const out = mkdtempSync(join(tmpdir(), 'jsp-python-'));
const adapter = join(out, 'adapter');
/** Valid values per target of the round-trip corpus; mutated and random inputs per target. */
const VALUES = 200;
const MUTATED = 150;
const RANDOM = 100;
const seed = Number(process.env.FC_SEED ?? 0x4a5350);

const python = spawnSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
const pythonVersion = python.status === 0 ? python.stdout.trim() : undefined;
const pythonMissing = !pythonVersion
  ? `python3 is not available (${python.error?.message ?? python.stderr.trim()}): the Python codegen target cannot be tested.`
  : Number(pythonVersion.split('.')[1]) < 10 && pythonVersion.startsWith('3.')
    ? `python3 is ${pythonVersion}; the generated codec needs 3.10 or later (dataclass slots and kw_only).`
    : undefined;
const ciNote = process.env.CI === 'true' ? ' CI=true: install python3 (3.10 or later) in the CI image.' : '';
if (pythonMissing) console.error(`\n!!!!!!!! ${pythonMissing}${ciNote} !!!!!!!!\n`);

function requirePython(): void {
  if (pythonMissing) assert.unreachable(pythonMissing + ciNote);
}

test('jsp codegen --lang python writes the package and an executable adapter', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'codegen', '--lang', 'python', '--out', out], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  for (const f of ['__init__.py', '_runtime.py', 'constants.py', 'errors.py', 'frames.py', 'packets.py', 'messages.py']) {
    assert.ok(existsSync(join(out, 'jsp_codec', f)), `jsp_codec/${f} is written`);
  }
  assert.ok((statSync(adapter).mode & 0o111) !== 0, 'adapter is executable');
  assert.ok(readFileSync(adapter, 'utf8').startsWith('#!/usr/bin/env python3\n'));
  const frames = readFileSync(join(out, 'jsp_codec/frames.py'), 'utf8');
  assert.match(frames, /^# GENERATED from spec\/frames\.yaml \(sha256 [0-9a-f]{16}\)/);
  assert.match(frames, /class StreamFrame:\n    """Stream data\./, 'spec docs become docstrings');
  requirePython();
  // The package imports with warnings as errors, and round-trips a frame built in Python.
  const script = [
    'import jsp_codec as j',
    "f = j.StreamFrame(has_length=True, fin=False, stream_id=4, offset=None, data=b'abc')",
    'b = j.encode_frame(f)',
    'assert j.decode_frame(b) == f, j.decode_frame(b)',
    'print(b.hex())',
  ].join('\n');
  const py = spawnSync('python3', ['-W', 'error', '-c', script], { cwd: out, encoding: 'utf8' });
  assert.is(py.status, 0, py.stderr);
  assert.is(py.stdout.trim(), '0a0403616263');
});

test('the Python adapter passes every codec vector (jsp conformance --impl DIR/adapter)', async () => {
  requirePython();
  const report = await runConformance({ command: adapter, vectorsDir, timeoutMs: 10_000 });
  const failed = report.results.filter((r) => r.status !== 'pass');
  assert.is(report.implementation, 'jsp-python (generated codec)');
  assert.equal(report.capabilities, ['codec']);
  assert.is(failed.length, 0, `not passed:\n${failed.slice(0, 10).map((r) => `  ${r.id} ${r.status}: ${r.title}\n    ${r.reason}`).join('\n')}`);
  const total = ['frames', 'packets', 'messages'].reduce((a, f) =>
    a + (JSON.parse(readFileSync(join(vectorsDir, 'codec', `${f}.json`), 'utf8')) as { numberOfTests: number }).numberOfTests, 0);
  assert.is(report.totals.pass, total, 'every codec vector ran and passed');
  assert.is(report.totals.unsupported, 0);
});

// ───────────────────────────── differential ─────────────────────────────

/** The adapter request (without id) that decodes `bytes` as target `t`. */
function request(t: Target, bytes: Uint8Array, params?: Record<string, unknown>): string {
  const file = t.kind === 'message' ? messageOf(SPEC, t.id).file.id : wireFile(SPEC, t.file).id;
  const ps = Object.entries(params ?? {}).map(([k, v]) => `${k}=${v}`);
  return ['decode', file, t.kind, t.id, bytes.length ? hex(bytes) : '-', ...ps].join(' ');
}

interface Case { name: string; line: string; expected: Record<string, unknown>; bytes?: string }

/**
 * Runs the cases through one adapter process fed from a file of request lines (one per case, then
 * `quit`), and returns the failures: each answer must agree with the TypeScript runtime's.
 */
function runCorpus(cases: Case[], name: string): string[] {
  const file = join(out, `${name}.requests`);
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

/** The TS runtime's answer to a request line (the reference adapter, in process). */
function tsAnswer(line: string): Record<string, unknown> {
  const a = answer(`0 ${line}`)!;
  const { id: _id, ...rest } = a;
  return rest;
}

test('differential round trip: a random TS corpus decodes to the same values and re-encodes byte-identically', () => {
  requirePython();
  const cases: Case[] = [];
  const perTarget = new Map<string, number>();
  for (const pc of propertyCases()) {
    const values = fc.sample(pc.arb, { numRuns: VALUES, seed });
    for (const v of values) {
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
  for (const [k, n] of perTarget) assert.ok(n >= VALUES, `${k}: ${n} values, want at least ${VALUES}`);
  const failures = runCorpus(cases, 'roundtrip');
  assert.is(failures.length, 0, `${failures.length} of ${cases.length} values differ:\n${failures.slice(0, 10).join('\n')}`);
});

test('differential decisions: mutated encodings and random inputs get the TS runtime\'s answer (value, or error code and kind)', () => {
  requirePython();
  const cases: Case[] = [];
  for (const pc of propertyCases()) {
    const t = pc.target;
    const samples = fc.sample(fc.tuple(pc.arb, mutations), { numRuns: MUTATED, seed: seed + 1 });
    for (const [v, ms] of samples) {
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
    for (const [bytes, params] of fc.sample(fc.tuple(randomInput(t), paramArb), { numRuns: RANDOM, seed: seed + 2 })) {
      const line = request(t, bytes, params);
      cases.push({ name: `${t.id} (random)`, line, expected: tsAnswer(line) });
    }
  }
  const errors = cases.filter((c) => c.expected.result === 'error').length;
  assert.ok(errors > cases.length / 3, `the corpus exercises decode errors (${errors} of ${cases.length})`);
  const failures = runCorpus(cases, 'decisions');
  assert.is(failures.length, 0, `${failures.length} of ${cases.length} answers differ:\n${failures.slice(0, 10).join('\n')}`);
});

test.after(() => {
  rmSync(out, { recursive: true, force: true });
});

test.run();
