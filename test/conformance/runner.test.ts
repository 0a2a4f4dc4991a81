/**
 * The conformance runner itself: the reference adapter passes everything; a faulty adapter's
 * hangs, crashes, garbage and lies fail exactly their own cases; expected failures and
 * unsupported cases are counted as the protocol says; reports are written.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import { cryptoCases } from '../../conformance/runner/crypto-cases.ts';
import * as assert from 'uvu/assert';
import { runConformance } from '../../conformance/runner/run.ts';
import { toJUnit } from '../../conformance/runner/report.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vectorsDir = join(root, 'conformance/vectors');
const reference = `"${process.execPath}" "${join(root, 'bin/jsp.js')}" adapter`;
const faulty = `"${process.execPath}" --import tsx "${join(root, 'test/fixtures/faulty-adapter.ts')}"`;
const tmp = mkdtempSync(join(tmpdir(), 'jsp-conf-'));

/** Frame vectors by type byte: two of each faulty type and 40 others (each fault costs a restart). */
const frameVectors = JSON.parse(readFileSync(join(vectorsDir, 'codec/frames.json'), 'utf8')) as { testGroups: Array<{ tests: Array<{ tcId: number; input: string }> }> };
const typeByCase = new Map<string, string>();
for (const g of frameVectors.testGroups) for (const t of g.tests) typeByCase.set(`codec/frames/${t.tcId}`, t.input.slice(0, 2));
const FAULTY_TYPES = ['01', '10', '14', '19', '1a', '20'];
const sample: string[] = [];
for (const ty of FAULTY_TYPES) sample.push(...[...typeByCase].filter(([, t]) => t === ty).slice(0, 2).map(([id]) => id));
sample.push(...[...typeByCase].filter(([, t]) => !FAULTY_TYPES.includes(t)).filter((_, i) => i % 15 === 0).slice(0, 40).map(([id]) => id));
/** Exact-id filter: the runner's filter is a substring match, so anchor with the suite prefix and check ids. */
const exact = (ids: string[]) => (r: { id: string }) => ids.includes(r.id);

// conformance.hello.first, conformance.decode.value, conformance.decode.error
// conformance.crypto.values, conformance.machines.step, conformance.handshake.output,
// conformance.resumption.output: every case of each family passes.
test('the reference adapter passes every vector (jsp conformance --impl "jsp adapter")', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'conformance', '--impl', reference, '--junit', join(tmp, 'ref.xml'), '--json', join(tmp, 'ref.json')], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[lines.length - 1], /^(\d+) passed, 0 failed$/);
  const passed = Number(/^(\d+) passed/.exec(lines[lines.length - 1])![1]);
  const hs = JSON.parse(readFileSync(join(vectorsDir, 'handshake', 'handshake.json'), 'utf8'));
  const lifecycle = JSON.parse(readFileSync(join(vectorsDir, 'machines', 'connection.json'), 'utf8')).testGroups[0].tests as { tcId: number; result: string }[];
  const total = ['frames', 'packets', 'messages'].reduce((a, f) =>
    a + JSON.parse(readFileSync(join(vectorsDir, 'codec', `${f}.json`), 'utf8')).numberOfTests, 0)
    + hs.cases.length + hs.flips.reduce((n: number, f: { expected: unknown[] }) => n + f.expected.length, 0)
    + ['handshake', 'stream_send', 'stream_recv'].reduce((n, f) => n + JSON.parse(readFileSync(join(vectorsDir, 'machines', `${f}.json`), 'utf8')).numberOfTests, 0)
    + lifecycle.filter((t) => t.result !== 'invalid').length
    + cryptoCases(vectorsDir).length
    + JSON.parse(readFileSync(join(vectorsDir, 'handshake', 'resumption.json'), 'utf8')).cases.length;
  assert.is(passed, total, 'every vector ran and passed');
  const report = JSON.parse(readFileSync(join(tmp, 'ref.json'), 'utf8'));
  assert.is(report.totals.pass, total);
  // The connection lifecycle machine (machines/connection.json) is driven through a real client and
  // server (conformance/machines/connection-driver.ts): every transition and every case the terminal
  // state ignores passes. Its pairs without a row (30 of 87) cannot be asked of the runtime — it
  // raises lifecycle events only where the table has them: no close timer before closing, no packet
  // read in closing or draining, … — so the adapter answers them 'unsupported', with the reason,
  // and the runner reports them as skipped: exactly those, no more.
  const noRow = lifecycle.filter((t) => t.result === 'invalid').map((t) => `machines/connection/lifecycle/${t.tcId}`);
  assert.is(noRow.length, 30);
  assert.is(report.totals.unsupported, noRow.length);
  const skipped = report.results.filter((r: { status: string }) => r.status === 'unsupported');
  assert.equal(skipped.map((r: { id: string }) => r.id), noRow);
  for (const r of skipped) assert.match(r.reason, /^the runtime cannot be asked \w+ in \w+: the pair has no row, and /);
  const xml = readFileSync(join(tmp, 'ref.xml'), 'utf8');
  assert.match(xml, new RegExp(`<testsuites name="[^"]*" tests="${total + noRow.length}" failures="0" skipped="${noRow.length}">`));
  assert.match(xml, /<skipped message="unsupported: the runtime cannot be asked close_timer_expired in established: the pair has no row, and /, 'the JUnit report says why');
});

// conformance.robust.isolation; a wrong value or encoding fails (conformance.decode.value)
test('faults fail only their own cases: hang, crash, garbage, wrong kind, wrong encoding, wrong id', async () => {
  const all = await runConformance({ command: faulty, vectorsDir, only: new Set(sample), timeoutMs: 3000 });
  const results = all.results.filter(exact(sample));
  assert.is(results.length, sample.length);
  const failed = results.filter((r) => r.status === 'fail');
  const typeOf = (id: string) => typeByCase.get(id) ?? '??';
  const failedTypes = new Set(failed.map((r) => typeOf(r.id)));
  // data_blocked (14) only lies about invalid cases: it may pass its two sampled cases if they are valid.
  for (const t of ['01', '10', '19', '1a', '20']) assert.ok(failedTypes.has(t), `frame type ${t} fails`);
  for (const r of failed) assert.ok(FAULTY_TYPES.includes(typeOf(r.id)), `only faulty types fail: ${r.id} (${typeOf(r.id)}): ${r.reason}`);
  const reasons = failed.map((r) => r.reason ?? '');
  assert.ok(reasons.some((x) => /no answer within 3000 ms/.test(x)), 'hang is a timeout');
  assert.ok(reasons.some((x) => /adapter exited with status 3/.test(x)), 'crash is reported with its status');
  assert.ok(reasons.some((x) => /answer is not JSON/.test(x)), 'garbage is reported');
  assert.ok(reasons.some((x) => /re-encoding differs/.test(x)), 'a wrong encoding is caught');
  assert.ok(reasons.some((x) => /answer has id/.test(x)), 'a wrong id is caught');
  // Everything else still ran and passed, after every restart.
  const others = results.filter((r) => !FAULTY_TYPES.includes(typeOf(r.id)));
  assert.ok(others.length >= 30);
  assert.is(others.filter((r) => r.status !== 'pass').length, 0);
});

test('expected failures: a listed failing case is xfail, a listed passing case fails the run', async () => {
  const pathChallenge = sample.filter((id) => typeByCase.get(id) === '1a');
  const base = await runConformance({ command: faulty, vectorsDir, only: new Set([...pathChallenge, sample[sample.length - 1]]), timeoutMs: 3000 });
  const aFail = base.results.find((r) => r.status === 'fail' && /re-encoding differs/.test(r.reason ?? ''))!;
  const aPass = base.results.find((r) => r.status === 'pass')!;
  assert.ok(aFail && aPass, 'the sample has a failing and a passing case');
  const report = await runConformance({
    command: faulty, vectorsDir, only: new Set([aFail.id, aPass.id]), timeoutMs: 3000,
    expectedFailures: new Set([aFail.id, aPass.id]),
  });
  const byId = new Map(report.results.map((r) => [r.id, r.status]));
  assert.is(byId.get(aFail.id), 'xfail');
  assert.is(byId.get(aPass.id), 'xpass');
  assert.match(toJUnit(report), /listed as an expected failure, but passed/);
});

test('cases outside the announced capabilities are unsupported, not failed', async () => {
  process.env.FAULTY_CAPS = '';
  try {
    const report = await runConformance({ command: faulty, vectorsDir, filter: ['codec/messages/1'], timeoutMs: 2000 });
    assert.ok(report.results.length > 10);
    assert.is(report.totals.unsupported, report.results.length);
    assert.is(report.totals.fail, 0);
  } finally {
    delete process.env.FAULTY_CAPS;
  }
});

// conformance.hello.first: no hello, no passing case
test('an adapter that cannot run (exit 127) makes every case unsupported; one that says nothing fails them', async () => {
  const gone = await runConformance({ command: 'exit 127', vectorsDir, filter: ['codec/packets/1'] });
  assert.ok(gone.results.length > 0);
  assert.is(gone.totals.unsupported, gone.results.length);
  const mute = await runConformance({ command: 'exit 0', vectorsDir, filter: ['codec/packets/1'] });
  assert.is(mute.totals.fail, mute.results.length);
});

test('bad arguments get a clear message and exit 2', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'conformance', '--timeout', 'soon'], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 2);
  assert.match(r.stderr, /--timeout must be 1\.\.600000 ms, got soon/);
  const r2 = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'conformance'], { cwd: root, encoding: 'utf8' });
  assert.is(r2.status, 2);
  assert.match(r2.stderr, /--impl is required/);
  writeFileSync(join(tmp, 'x'), '');
});

test.run();
