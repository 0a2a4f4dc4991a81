/**
 * The C codegen target (`jsp codegen --lang c --out DIR`), end to end:
 *
 * - the generated C99 sources build with `make` (`-std=c99 -Wall -Wextra -Werror -O2`, libc only) into
 *   `libjsp_codec.a` and `adapter_bin`, and `DIR/adapter` passes every codec vector through the
 *   conformance runner (0 failed, 0 unsupported);
 * - a small C program against the public API (encode, zero-copy decode, errors, encoder checks);
 * - differential round trip: the random corpus of valid values made on the TypeScript side
 *   (`corpus.ts`, shared with python.test.ts and rust.test.ts) decodes to the same JSON values and
 *   re-encodes to the same bytes;
 * - differential decisions: mutated encodings and random inputs get the TS runtime's answer — the same
 *   value, or the same error code and kind (the error precedence of protocol.decode.order).
 *
 * make and a C compiler (`$CC`, default cc) are required: without them these tests fail (never
 * skip), loudly, in CI and elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { targetChecks } from './corpus.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vectorsDir = join(root, 'conformance/vectors');
const out = mkdtempSync(join(tmpdir(), 'jsp-c-'));
const adapter = join(out, 'adapter');
/** Valid values per target of the round-trip corpus; mutated and random inputs per target (as python.test.ts). */
const VALUES = 200;
const MUTATED = 150;
const RANDOM = 100;
const seed = Number(process.env.FC_SEED ?? 0x4a5350);

const cc = process.env.CC ?? 'cc';
const tools = [[cc, '--version'], ['make', '--version']].map(([cmd, arg]) => ({ cmd, r: spawnSync(cmd, [arg], { encoding: 'utf8' }) }));
const missing = tools.filter((t) => t.r.status !== 0).map((t) => `${t.cmd} (${t.r.error?.message ?? t.r.stderr.trim()})`);
const toolsMissing = missing.length ? `not available: ${missing.join(', ')}: the C codegen target cannot be built or tested.` : undefined;
const ciNote = process.env.CI === 'true' ? ' CI=true: install make and a C99 compiler (gcc or clang) in the CI image.' : '';
if (toolsMissing) console.error(`\n!!!!!!!! ${toolsMissing}${ciNote} !!!!!!!!\n`);

function requireTools(): void {
  if (toolsMissing) assert.unreachable(toolsMissing + ciNote);
}

let built = false;
function requireBuild(): void {
  requireTools();
  assert.ok(built, 'the C sources built (see the second test)');
}

test('jsp codegen --lang c writes the sources, a Makefile and an executable adapter', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'codegen', '--lang', 'c', '--out', out], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  for (const f of ['Makefile', 'jsp_runtime.h', 'jsp_runtime.c', 'jsp_constants.h', 'jsp_errors.h', 'jsp_frames.h', 'jsp_frames.c',
    'jsp_packets.h', 'jsp_packets.c', 'jsp_messages.h', 'jsp_messages.c', 'adapter.c']) {
    assert.ok(existsSync(join(out, f)), `${f} is written`);
  }
  assert.ok((statSync(adapter).mode & 0o111) !== 0, 'adapter is executable');
  assert.ok(readFileSync(adapter, 'utf8').startsWith('#!/bin/sh\n'));
  const frames = readFileSync(join(out, 'jsp_frames.h'), 'utf8');
  assert.match(frames, /^\/\* GENERATED from spec\/constants\.yaml \(sha256 [0-9a-f]{16}\)/);
  assert.match(frames, /\/\*\* Stream data\.[^]*?typedef struct jsp_stream_frame_t \{/, 'spec docs become comments');
  assert.match(frames, /int jsp_decode_frame\(const uint8_t \*data, size_t len, jsp_frame_t \*out, jsp_decode_error \*err\);/);
  assert.match(frames, /size_t jsp_encode_frame\(const jsp_frame_t \*v, uint8_t \*out, size_t cap, jsp_encode_error \*err\);/);
  assert.match(readFileSync(join(out, 'jsp_packets.h'), 'utf8'), /int jsp_decode_short_header_packet\(const uint8_t \*data, size_t len, int64_t p_dcid_length, /);
  const sources = ['jsp_runtime.c', 'jsp_frames.c', 'jsp_packets.c', 'jsp_messages.c', 'adapter.c'].map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
  const system = new Set([...sources.matchAll(/#include <([^>]+)>/g)].map((m) => m[1]));
  assert.ok([...system].every((h) => ['string.h', 'stddef.h', 'stdint.h', 'stdio.h', 'stdlib.h'].includes(h)), `libc only: ${[...system].join(', ')}`);
});

test('make builds libjsp_codec.a and adapter_bin with -std=c99 -Wall -Wextra -Werror', () => {
  requireTools();
  const t0 = Date.now();
  const r = spawnSync('make', ['-s', '-C', out], { encoding: 'utf8' });
  assert.is(r.status, 0, `make failed:\n${(r.stdout + r.stderr).slice(-4000)}`);
  assert.ok(existsSync(join(out, 'libjsp_codec.a')) && existsSync(join(out, 'adapter_bin')));
  assert.match(readFileSync(join(out, 'Makefile'), 'utf8'), /-std=c99 -Wall -Wextra -Werror -O2/);
  built = true;
  console.log(`  (make: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
});

/** A C program against the public API: build a value, encode it, decode it back; invalid values and short buffers fail. */
const API_PROGRAM = String.raw`#include <stdio.h>
#include <string.h>
#include "jsp_frames.h"
#include "jsp_packets.h"
#include "jsp_messages.h"
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\n", __LINE__, #c); return 1; } } while (0)
static jsp_frame_t f, g;
int main(void) {
  uint8_t buf[64];
  static const uint8_t abc[] = { 'a', 'b', 'c' };
  static const uint8_t want[] = { 0x0a, 0x04, 0x03, 'a', 'b', 'c' };
  static const uint8_t nonmin[] = { 0x40, 0x01, 0x00 };
  jsp_encode_error e;
  jsp_decode_error d;
  size_t n;
  memset(&f, 0, sizeof f);
  f.type = JSP_FRAME_STREAM;
  f.u.stream.has_length = 1;
  f.u.stream.stream_id = 4;
  f.u.stream.data.ptr = abc;
  f.u.stream.data.len = 3;
  n = jsp_encode_frame(&f, buf, sizeof buf, &e);
  CHECK(n == 6);
  CHECK(memcmp(buf, want, 6) == 0);
  CHECK(jsp_encoded_size_frame(&f, &e) == 6);
  CHECK(jsp_decode_frame(buf, n, &g, &d) == 0);
  /* zero-copy: the decoded bytes point into the input */
  CHECK(g.type == JSP_FRAME_STREAM && g.u.stream.stream_id == 4 && g.u.stream.data.len == 3 && g.u.stream.data.ptr == buf + 3);
  CHECK(jsp_encode_frame(&f, buf, 5, &e) == JSP_ENCODE_FAILED && strcmp(e.kind, "buffer_too_small") == 0);
  /* decode errors carry the spec code, its name and the kind */
  CHECK(jsp_decode_frame(buf, 5, &g, &d) == -1 && d.code == 7 && strcmp(d.code_name, "FRAME_ENCODING_ERROR") == 0 && strcmp(d.kind, "truncated") == 0);
  CHECK(jsp_decode_frame(nonmin, 3, &g, &d) == -1 && strcmp(d.kind, "non_minimal") == 0);
  /* encoders check values */
  f.u.stream.stream_id = (uint64_t)1 << 62;
  CHECK(jsp_encode_frame(&f, buf, sizeof buf, &e) == JSP_ENCODE_FAILED && strcmp(e.kind, "out_of_range") == 0);
  memset(&f, 0, sizeof f);
  f.type = JSP_FRAME_ACK;
  f.u.ack.ack_ranges_count = 257;
  CHECK(jsp_encode_frame(&f, buf, sizeof buf, &e) == JSP_ENCODE_FAILED && strcmp(e.kind, "too_many") == 0);
  f.u.ack.ack_ranges_count = 0;
  f.u.ack.largest_acknowledged = 1;
  f.u.ack.first_ack_range = 2;
  CHECK(jsp_encode_frame(&f, buf, sizeof buf, &e) == JSP_ENCODE_FAILED && strcmp(e.kind, "constraint") == 0);
  {
    static jsp_client_hello_t ch;
    memset(&ch, 0, sizeof ch);
    CHECK(jsp_encode_client_hello(&ch, buf, sizeof buf, &e) == JSP_ENCODE_FAILED && strcmp(e.path, "client_hello.offer") == 0);
    CHECK(jsp_decode_client_hello(buf, 0, &ch, &d) == -1 && strcmp(d.kind, "out_of_range") == 0 && strcmp(d.code_name, "PROTOCOL_VIOLATION") == 0);
  }
  printf("ok\n");
  return 0;
}
`;

test('the public C API: encode, decode (zero-copy), errors, encoder checks', () => {
  requireBuild();
  writeFileSync(join(out, 'api_test.c'), API_PROGRAM);
  const exe = join(out, 'api_test');
  const b = spawnSync(cc, ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2', '-I', out, '-o', exe, join(out, 'api_test.c'), join(out, 'libjsp_codec.a')], { encoding: 'utf8' });
  assert.is(b.status, 0, `cc failed:\n${b.stderr}`);
  const r = spawnSync(exe, [], { encoding: 'utf8' });
  assert.is(r.stdout.trim(), 'ok', r.stdout + r.stderr);
});

test('the C adapter passes every codec vector (jsp conformance --impl DIR/adapter)', async () => {
  requireBuild();
  await targetChecks.everyVectorPasses(adapter, 'jsp-c (generated codec)', vectorsDir);
});

test('differential round trip: a random TS corpus decodes to the same values and re-encodes byte-identically', () => {
  requireBuild();
  targetChecks.roundTrips(adapter, out, VALUES, seed);
});

test('differential decisions: mutated encodings and random inputs get the TS runtime\'s answer (value, or error code and kind)', () => {
  requireBuild();
  targetChecks.sameDecisions(adapter, out, MUTATED, RANDOM, seed);
});

test.after(() => {
  rmSync(out, { recursive: true, force: true });
});

test.run();
