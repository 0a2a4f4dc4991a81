/** The `jsp` command as a user runs it: exit codes, help, clear errors, JSON bench output. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('..', import.meta.url));
const jsp = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/jsp.js'), ...args], { cwd: root, encoding: 'utf8' });

test('jsp --help lists the commands and exits 0', () => {
  const r = jsp('--help');
  assert.is(r.status, 0);
  for (const c of ['codegen', 'bench', 'conformance', 'adapter', 'docs', 'demo']) assert.match(r.stdout, new RegExp(`\\n  ${c} `));
});

test('no command prints help and exits 2', () => {
  const r = jsp();
  assert.is(r.status, 2);
  assert.match(r.stdout, /Usage: jsp <command>/);
});

test('an unknown command is named, exit 2', () => {
  const r = jsp('frobnicate');
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('every command has --help', () => {
  for (const c of ['codegen', 'bench', 'conformance', 'docs', 'demo']) {
    const r = jsp(c, '--help');
    assert.is(r.status, 0, c);
    assert.match(r.stdout, new RegExp(`jsp ${c}`));
  }
});

test('bench rejects an unknown suite with the list of suites', () => {
  const r = jsp('bench', 'nope');
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown suite 'nope' \(suites: codec, aead, handshake, sim, resume, loopback\)/);
});

test('codegen --lang for a language without a target says so and lists the targets, exit 2', () => {
  const r = jsp('codegen', '--lang', 'cobol', '--out', join(tmpdir(), 'never'));
  assert.is(r.status, 2);
  assert.match(r.stderr, /no target for language 'cobol' \(available: ts, python, rust, c, go\)/);
});

test('codegen --check passes on the committed tree', () => {
  const r = jsp('codegen', '--check');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /up to date/);
});

test('codegen --lang ts --out DIR writes a self-contained codec that runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jsp-ts-'));
  try {
    const r = jsp('codegen', '--lang', 'ts', '--out', dir);
    assert.is(r.status, 0, r.stderr);
    assert.ok(readdirSync(join(dir, 'gen')).includes('frames.ts'));
    assert.ok(readdirSync(join(dir, 'codec')).includes('reader.ts'));
    const probe = spawnSync(process.execPath, ['--import', 'tsx', '-e',
      `import('${join(dir, 'gen/frames.ts')}').then(m => console.log(Buffer.from(m.encodeFrame({ type: 'max_data', maximumData: 64 })).toString('hex')))`],
      { cwd: root, encoding: 'utf8' });
    assert.is(probe.stdout.trim(), '104040', probe.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bench codec --json prints {name, value, unit, peer?, ratio?} records', () => {
  const r = jsp('bench', 'codec', '--json');
  assert.is(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.ok(rows.length >= 6);
  for (const row of rows) {
    assert.type(row.name, 'string');
    assert.type(row.value, 'number');
    assert.ok((row.value as number) > 0);
    assert.type(row.unit, 'string');
    if (row.peer !== undefined) assert.type(row.ratio, 'number');
  }
  assert.ok(rows.some((x) => x.peer === 'protobufjs'));
  assert.ok(rows.some((x) => x.peer === 'hand-written DataView loop'));
});

test('demo (npm start) runs: decoded frames, a typed decode error, and real handshakes over loopback UDP', () => {
  const r = jsp('demo');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /← STREAM .*streamId=0 offset=1200 data=<14 bytes>/);
  assert.match(r.stdout, /DecodeError FRAME_ENCODING_ERROR/);
  for (const name of ['Noise_NK_25519_ChaChaPoly_SHA256', 'Noise_NK_25519_AESGCM_SHA256', 'Noise_NKhfs_25519\\+MLKEM768_ChaChaPoly_SHA256', 'Noise_NKhfs_25519\\+MLKEM768_AESGCM_SHA256']) {
    assert.match(r.stdout, new RegExp(`${name} — confirmed in [0-9.]+ ms`));
  }
  assert.match(r.stdout, /one HelloRetryRequest round trip/);
  assert.match(r.stdout, /PONG, RTT [0-9.]+ ms/);
  assert.match(r.stdout, /refused with BAD_SERVER_KEY/);
  assert.match(r.stdout, /request sent in 0-RTT with the ClientHello — accepted/);
  assert.match(r.stdout, /1 round trip saved/);
});

test.run();
