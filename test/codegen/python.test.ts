/**
 * The Python codegen target (`jsp codegen --lang python --out DIR`), end to end:
 *
 * - the generated package and its `DIR/adapter` pass every codec vector through the conformance
 *   runner (0 failed, 0 unsupported);
 * - differential round trip: a large random corpus of valid values made on the TypeScript side (the
 *   IR-derived arbitraries, encoded by the generated TS codec) is written to a file of adapter
 *   requests (test/codegen/corpus.ts, shared with the other targets); the Python codec decodes each
 *   to the same JSON value as the TS runtime and re-encodes it to the same bytes;
 * - differential decisions: mutated encodings and random inputs get the same answer from both —
 *   the same value, or the same error code and kind (the error precedence of protocol.decode.order).
 *
 * Python 3 is required: without it these tests fail (never skip), loudly, in CI and elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { targetChecks } from './corpus.ts';

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
  await targetChecks.everyVectorPasses(adapter, 'jsp-python (generated codec)', vectorsDir);
});

// ───────────────────────────── differential (test/codegen/corpus.ts) ─────────────────────────────

test('differential round trip: a random TS corpus decodes to the same values and re-encodes byte-identically', () => {
  targetChecks.roundTrips(adapter, out, VALUES, seed);
});

test('differential decisions: mutated encodings and random inputs get the TS runtime\'s answer (value, or error code and kind)', () => {
  targetChecks.sameDecisions(adapter, out, MUTATED, RANDOM, seed);
});

test.after(() => {
  rmSync(out, { recursive: true, force: true });
});

test.run();
