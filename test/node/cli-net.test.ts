/**
 * `jsp server`, `jsp client`, `jsp send` and `jsp recv` as a user runs them: child processes
 * over loopback UDP — an echo round trip through stdin/stdout, bulk throughput, a file fetched
 * and checked by SHA-256, a path escape refused, a file pushed, and the errors (exit 2 for a
 * bad command line, 1 for a server that refuses or does not answer).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsp, jspServer, start } from './cli-util.ts';

const dir = mkdtempSync(join(tmpdir(), 'jsp-cli-'));
const served = join(dir, 'served');
mkdirSync(join(served, 'sub'), { recursive: true });
const big = randomBytes(1_500_000);
writeFileSync(join(served, 'sub', 'big.bin'), big);
writeFileSync(join(dir, 'secret.txt'), 'not for you');
symlinkSync('../secret.txt', join(served, 'link.txt'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('echo: stdin goes out on a stream and comes back on stdout; the server prints the connection and, on SIGTERM, totals', async () => {
  const s = await jspServer([]);
  try {
    const r = await jsp(['client', s.address, '--server-key', s.key], { input: 'hello over JSP\nline two\n' });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, 'hello over JSP\nline two\n');
    await s.waitFor(/- connection 1 closed by the peer: 1 streams, 24 B in, 24 B out/);
  } finally {
    assert.is(await s.stop('SIGTERM'), 0);
  }
  assert.match(s.stdout(), /SIGTERM: closing\ntotals: 1 connections, 1 streams, 24 B in, 24 B out/);
});

test('--bulk to a discard server prints the throughput; on 3 streams too', async () => {
  const s = await jspServer(['--discard']);
  try {
    const r = await jsp(['client', s.address, '--server-key', s.key, '--bulk', '2M', '--streams', '3']);
    assert.is(r.code, 0, r.stderr);
    const m = /sent 2\.0 MB on 3 streams in (\d+) ms: ([\d.]+) MB\/s \(([\d.]+) Mbit\/s\)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[2]) > 0.1, `throughput ${m[2]} MB/s`);
    assert.not.match(r.stdout, /echoed back/);
    await s.waitFor(/3 streams, 2\.0 MB in, 0 B out/);
  } finally {
    await s.stop();
  }
});

test('--get fetches a file with the right SHA-256; paths outside the directory are refused (exit 1)', async () => {
  const s = await jspServer(['--files', served]);
  try {
    const out = join(dir, 'got.bin');
    const r = await jsp(['client', s.address, '--server-key', s.key, '--get', 'sub/big.bin', '--out', out]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /got sub\/big\.bin: 1500000 bytes in \d+ ms/);
    assert.match(r.stdout, new RegExp(`sha256 ${sha(big)}`));
    assert.is(sha(readFileSync(out)), sha(big));
    for (const [path, why] of [['../secret.txt', /'\.\.\/secret\.txt' is outside the served directory/], ['link.txt', /leads outside the served directory \(symbolic link\)/], ['sub', /not a regular file/], ['nope', /not found: 'nope'/]] as const) {
      const e = await jsp(['client', s.address, '--server-key', s.key, '--get', path]);
      assert.is(e.code, 1, path);
      assert.match(e.stderr, why);
      assert.is(e.stdout, '');
    }
  } finally {
    await s.stop();
  }
  assert.match(s.stdout(), /5 requests \(4 refused\)/);
});

test('send / recv: a file pushed under its name, size and SHA-256 checked; a second push of the same name is refused', async () => {
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const p = start('src/cli/main.ts', ['recv', '--listen', '127.0.0.1:0', '--out', inbox]);
  const m = await p.waitFor(/on udp:\/\/(127\.0\.0\.1:\d+)\npublic key: ([0-9a-f]{64})/);
  try {
    const file = join(served, 'sub', 'big.bin');
    const r = await jsp(['send', file, m[1], '--server-key', m[2]]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`sha256 ${sha(big)} \\(checked by the server\\)`));
    assert.is(sha(readFileSync(join(inbox, 'big.bin'))), sha(big));
    const again = await jsp(['send', file, m[1], '--server-key', m[2]]);
    assert.is(again.code, 1);
    assert.match(again.stderr, /'big\.bin' already exists/);
  } finally {
    await p.stop();
  }
});

test('a wrong pinned key and a port nobody listens on: clear messages, exit 1', async () => {
  const s = await jspServer([]);
  try {
    const wrong = await jsp(['client', s.address, '--server-key', randomBytes(32).toString('hex')]);
    assert.is(wrong.code, 1);
    assert.match(wrong.stderr, /refused the handshake: its key is not the pinned --server-key \(BAD_SERVER_KEY\)/);
  } finally {
    await s.stop();
  }
  const none = await jsp(['client', '127.0.0.1:9', '--server-key', randomBytes(32).toString('hex'), '--timeout', '2000']);
  assert.is(none.code, 1);
  assert.match(none.stderr, /no JSP server answers at 127\.0\.0\.1:9|no answer from 127\.0\.0\.1:9 within 2000 ms/);
});

test('bad command lines: exit 2 with the reason and the usage', async () => {
  const key = randomBytes(32).toString('hex');
  const cases: [string[], RegExp][] = [
    [['client', '127.0.0.1', '--server-key', key], /bad server address '127\.0\.0\.1': expected host:port/],
    [['client', '127.0.0.1:70000', '--server-key', key], /port 70000 is out of range/],
    [['client', '127.0.0.1:4433'], /--server-key HEX\|FILE is required/],
    [['client', '127.0.0.1:4433', '--server-key', 'abcd'], /--server-key: 4 hex digits; a public key is 64/],
    [['client', '127.0.0.1:4433', '--server-key', key, '--bulk', 'lots'], /--bulk: 'lots' is not a byte count/],
    [['client', '127.0.0.1:4433', '--server-key', key, '--bulk', '1M', '--get', 'x'], /choose --bulk or --get, not both/],
    [['server', '--echo', '--discard'], /choose one mode, not --echo and --discard/],
    [['server', '--files', join(dir, 'absent')], /is not a directory/],
    [['server', '--key', join(dir, 'absent.key')], /--key: /],
    [['server', '--frobnicate'], /unknown option --frobnicate/],
    [['recv'], /--out DIR is required/],
    [['send', join(dir, 'absent.bin'), '127.0.0.1:4433', '--server-key', key], /cannot read/],
  ];
  for (const [args, why] of cases) {
    const r = await jsp(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, why);
    assert.match(r.stderr, new RegExp(`\\n\\njsp ${args[0]} `)); // the usage follows
  }
});

test('--help on every network command; jsp --help lists them', async () => {
  for (const c of ['server', 'client', 'send', 'recv']) {
    const r = await jsp([c, '--help']);
    assert.is(r.code, 0, c);
    assert.match(r.stdout, new RegExp(`^jsp ${c} `));
  }
  const all = await jsp(['--help']);
  for (const c of ['server', 'client', 'send', 'recv']) assert.match(all.stdout, new RegExp(`\\n  ${c} +\\S`));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
