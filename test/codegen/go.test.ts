/**
 * The Go codegen target (`jsp codegen --lang go --out DIR`), end to end:
 *
 * - the generated module (module jspcodec, standard library only) builds and passes `go vet`, and
 *   `DIR/adapter` (which builds `./cmd/adapter` on first use) passes every codec vector through the
 *   conformance runner (0 failed, 0 unsupported);
 * - a small Go program against the public API (encode, decode, errors, encoder checks);
 * - the shared differential corpus (`corpus.ts`, as c.test.ts, rust.test.ts and python.test.ts):
 *   random valid TS values round-trip to the same JSON and bytes; mutated and random inputs get the
 *   TS runtime's answer (value, or error code and kind).
 *
 * The go toolchain is required: without it these tests fail (never skip), loudly, in CI and elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { targetChecks } from './corpus.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vectorsDir = join(root, 'conformance/vectors');
const out = mkdtempSync(join(tmpdir(), 'jsp-go-'));
const adapter = join(out, 'adapter');
/** Valid values per target of the round-trip corpus; mutated and random inputs per target (as c.test.ts). */
const VALUES = 200;
const MUTATED = 150;
const RANDOM = 100;
const seed = Number(process.env.FC_SEED ?? 0x4a5350);

/** go, with a build cache inside the output directory unless one is set, and no toolchain downloads. */
const goEnv = { ...process.env, GOCACHE: process.env.GOCACHE ?? join(out, '.gocache'), GOTOOLCHAIN: 'local', GOFLAGS: '' };
const goVersion = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv });
const toolsMissing = goVersion.status !== 0
  ? `not available: go (${goVersion.error?.message ?? goVersion.stderr.trim()}): the Go codegen target cannot be built or tested.`
  : undefined;
const ciNote = process.env.CI === 'true' ? ' CI=true: install Go (apt-get install golang-go) in the CI image.' : '';
if (toolsMissing) console.error(`\n!!!!!!!! ${toolsMissing}${ciNote} !!!!!!!!\n`);

function requireTools(): void {
  if (toolsMissing) assert.unreachable(toolsMissing + ciNote);
}

let built = false;
function requireBuild(): void {
  requireTools();
  assert.ok(built, 'the Go module built (see the second test)');
}

test('jsp codegen --lang go writes a Go module and an executable adapter', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'codegen', '--lang', 'go', '--out', out], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  for (const f of ['go.mod', 'runtime.go', 'constants.go', 'errors.go', 'frames.go', 'packets.go', 'messages.go', 'cmd/adapter/main.go']) {
    assert.ok(existsSync(join(out, f)), `${f} is written`);
  }
  assert.ok((statSync(adapter).mode & 0o111) !== 0, 'adapter is executable');
  assert.ok(readFileSync(adapter, 'utf8').startsWith('#!/bin/sh\n'));
  const mod = readFileSync(join(out, 'go.mod'), 'utf8');
  assert.match(mod, /^module jspcodec$/m);
  assert.match(mod, /^go \d+\.\d+$/m);
  assert.not.match(mod, /^require/m, 'no dependencies');
  const frames = readFileSync(join(out, 'frames.go'), 'utf8');
  assert.match(frames, /^\/\/ GENERATED from spec\/frames\.yaml \(sha256 [0-9a-f]{16}\)/);
  assert.match(frames, /\/\/ Stream data\.[^]*?type StreamFrame struct \{/, 'spec docs become comments');
  assert.match(frames, /func DecodeFrame\(input \[\]byte\) \(Frame, error\)/);
  assert.match(frames, /func EncodeFrame\(v Frame\) \(\[\]byte, error\)/);
  assert.match(readFileSync(join(out, 'packets.go'), 'utf8'), /func DecodeShortHeaderPacket\(input \[\]byte, dcidLength uint64\) \(ShortHeaderPacket, error\)/);
  const sources = ['runtime.go', 'constants.go', 'errors.go', 'frames.go', 'packets.go', 'messages.go', 'cmd/adapter/main.go'].map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
  const imports = new Set([...sources.matchAll(/^\s*(?:import\s+)?(?:\w+\s+)?"([^"]+)"$/gm)].map((m) => m[1]));
  const std = ['bufio', 'fmt', 'os', 'strconv', 'strings', 'unicode/utf8', 'jspcodec'];
  assert.ok([...imports].every((i) => std.includes(i)), `standard library only: ${[...imports].join(', ')}`);
});

test('go vet and go build: the module builds, and DIR/adapter builds adapter_bin on first use', () => {
  requireTools();
  const t0 = Date.now();
  const vet = spawnSync('go', ['vet', './...'], { cwd: out, encoding: 'utf8', env: goEnv });
  assert.is(vet.status, 0, `go vet failed:\n${(vet.stdout + vet.stderr).slice(-4000)}`);
  const r = spawnSync(adapter, [], { input: 'hello jsp-adapter/1\nquit\n', encoding: 'utf8', env: goEnv });
  assert.is(r.status, 0, `the adapter failed:\n${r.stderr.slice(-4000)}`);
  assert.is(r.stdout.trim(), '{"id":"hello","result":"ok","name":"jsp-go (generated codec)","protocol":1,"capabilities":["codec"]}');
  assert.ok(existsSync(join(out, 'adapter_bin')));
  built = true;
  console.log(`  (go vet + build: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
});

/** A Go program against the public API: build a value, encode it, decode it back; invalid values fail. */
const API_PROGRAM = String.raw`package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	jsp "jspcodec"
)

func check(ok bool, what string) {
	if !ok {
		fmt.Println("FAIL:", what)
		os.Exit(1)
	}
}

func kind(err error) string {
	var d *jsp.DecodeError
	if errors.As(err, &d) {
		return d.Kind
	}
	var e *jsp.EncodeError
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func main() {
	f := jsp.StreamFrame{HasLength: true, StreamId: 4, Data: []byte("abc")}
	b, err := jsp.EncodeFrame(f)
	check(err == nil && bytes.Equal(b, []byte{0x0a, 0x04, 0x03, 'a', 'b', 'c'}), "encode a stream frame")
	g, err := jsp.DecodeFrame(b)
	s, isStream := g.(jsp.StreamFrame)
	check(err == nil && isStream && s.StreamId == 4 && string(s.Data) == "abc" && s.Offset == nil, "decode it back")
	_, err = jsp.DecodeFrame(b[:5])
	var d *jsp.DecodeError
	check(errors.As(err, &d) && d.Code == 7 && d.CodeName == "FRAME_ENCODING_ERROR" && d.Kind == "truncated", "truncated: code, name, kind")
	_, err = jsp.DecodeFrame([]byte{0x40, 0x01, 0x00})
	check(kind(err) == "non_minimal", "non-minimal varint")
	f.StreamId = 1 << 62
	_, err = jsp.EncodeFrame(f)
	check(kind(err) == "out_of_range", "encoder range check")
	_, err = jsp.EncodeAckFrame(jsp.AckFrame{LargestAcknowledged: 1, FirstAckRange: 2})
	check(kind(err) == "out_of_range", "encoder constraint check")
	_, err = jsp.EncodeClientHello(jsp.ClientHello{})
	var e *jsp.EncodeError
	check(errors.As(err, &e) && e.Path == "client_hello.offer", "message encoder check")
	_, err = jsp.DecodeClientHello(nil)
	check(errors.As(err, &d) && d.Kind == "out_of_range" && d.CodeName == "PROTOCOL_VIOLATION", "message decode error")
	fmt.Println("ok")
}
`;

test('the public Go API: encode, decode, errors, encoder checks', () => {
  requireBuild();
  mkdirSync(join(out, 'cmd/apitest'), { recursive: true });
  writeFileSync(join(out, 'cmd/apitest/main.go'), API_PROGRAM);
  const r = spawnSync('go', ['run', './cmd/apitest'], { cwd: out, encoding: 'utf8', env: goEnv });
  rmSync(join(out, 'cmd/apitest'), { recursive: true, force: true });
  assert.is(r.stdout.trim(), 'ok', r.stdout + r.stderr);
});

test('the Go adapter passes every codec vector (jsp conformance --impl DIR/adapter)', async () => {
  requireBuild();
  await targetChecks.everyVectorPasses(adapter, 'jsp-go (generated codec)', vectorsDir);
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
