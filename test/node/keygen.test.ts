/** `jsp keygen` and the key files it writes: round trip, permissions, refusal to overwrite, clear errors. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider } from '../../src/crypto/index.ts';
import { KeyFileError, readPublicKey, readSecretKey } from '../../src/node/keyfile.ts';
import { toHex } from '../helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const jsp = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/jsp.js'), ...args], { cwd: root, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'jsp-keygen-'));

test('jsp keygen --out writes a 0600 secret file and a .pub the client can pin; both providers agree on the public key', () => {
  const file = join(dir, 'server.key');
  const r = jsp('keygen', '--out', file);
  assert.is(r.status, 0, r.stderr);
  const pinned = /pin this:\s+([0-9a-f]{64})/.exec(r.stdout)![1];
  assert.is(statSync(file).mode & 0o777, 0o600);
  const k = readSecretKey(nodeProvider, file);
  assert.is(toHex(k.public), pinned);
  assert.is(toHex(nobleProvider.x25519.publicKey(k.secret)), pinned);
  assert.is(toHex(readPublicKey(nodeProvider, `${file}.pub`)), pinned);
  assert.is(toHex(readPublicKey(nodeProvider, pinned)), pinned);
  assert.is(toHex(readPublicKey(nodeProvider, file)), pinned, 'a secret key file also yields its public key');
});

test('jsp keygen refuses to overwrite without --force; two runs give different keys', () => {
  const file = join(dir, 'again.key');
  assert.is(jsp('keygen', '--out', file).status, 0);
  const first = readFileSync(file, 'utf8');
  const r = jsp('keygen', '--out', file);
  assert.is(r.status, 1);
  assert.match(r.stderr, /exists \(use --force/);
  assert.is(jsp('keygen', '--out', file, '--force').status, 0);
  assert.is.not(readFileSync(file, 'utf8'), first);
});

test('jsp keygen: bad arguments exit 2 with the usage; no --out prints JSON', () => {
  const r = jsp('keygen', '--bogus');
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown argument --bogus/);
  assert.match(r.stderr, /jsp keygen \[--out FILE\]/);
  const j = JSON.parse(jsp('keygen').stdout);
  assert.is(j.type, 'jsp-x25519-secret-key');
  assert.is(toHex(nodeProvider.x25519.publicKey(Uint8Array.from(Buffer.from(j.secret, 'hex')))), j.public);
});

test('bad key files give KeyFileError naming the file and the problem', () => {
  const bad = (content: string) => { const f = join(dir, `bad-${Math.random()}`); writeFileSync(f, content); return f; };
  const cases: [string, RegExp][] = [
    [bad('nope'), /not a JSP key file/],
    [bad('{"type":"other"}'), /expected "jsp-x25519-secret-key"/],
    [bad('{"type":"jsp-x25519-secret-key","secret":"12"}'), /secret: expected 64 hex digits/],
    [bad(JSON.stringify({ type: 'jsp-x25519-secret-key', secret: 'aa'.repeat(32), public: 'bb'.repeat(32) })), /does not belong/],
    [join(dir, 'missing'), /cannot read \(ENOENT\)/],
  ];
  for (const [f, re] of cases) {
    assert.throws(() => readSecretKey(nodeProvider, f), (e: Error) => e instanceof KeyFileError && re.test(e.message) && e.message.includes(f));
  }
  assert.throws(() => readPublicKey(nodeProvider, 'abc'), (e: Error) => e instanceof KeyFileError);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
