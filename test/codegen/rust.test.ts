/**
 * The Rust codegen target (`jsp codegen --lang rust --out DIR`), end to end:
 *
 * - the generated crate builds offline with no dependencies (`cargo build --release --offline`), and
 *   `DIR/adapter` passes every codec vector through the conformance runner (0 failed, 0 unsupported);
 * - differential round trip: the random corpus of valid values made on the TypeScript side
 *   (`corpus.ts`, shared with python.test.ts) decodes to the same JSON values and re-encodes to the
 *   same bytes;
 * - differential decisions: mutated encodings and random inputs get the TS runtime's answer — the same
 *   value, or the same error code and kind (the error precedence of protocol.decode.order).
 *
 * cargo (or rustc) is required: without it these tests fail (never skip), loudly, in CI and elsewhere.
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
const out = mkdtempSync(join(tmpdir(), 'jsp-rust-'));
const adapter = join(out, 'adapter');
/** Valid values per target of the round-trip corpus; mutated and random inputs per target (as python.test.ts). */
const VALUES = 200;
const MUTATED = 150;
const RANDOM = 100;
const seed = Number(process.env.FC_SEED ?? 0x4a5350);

const cargo = spawnSync('cargo', ['--version'], { encoding: 'utf8' });
const cargoMissing = cargo.status === 0 ? undefined
  : `cargo is not available (${cargo.error?.message ?? cargo.stderr.trim()}): the Rust codegen target cannot be built or tested.`;
const ciNote = process.env.CI === 'true' ? ' CI=true: install a Rust toolchain (cargo, rustc) in the CI image.' : '';
if (cargoMissing) console.error(`\n!!!!!!!! ${cargoMissing}${ciNote} !!!!!!!!\n`);

function requireCargo(): void {
  if (cargoMissing) assert.unreachable(cargoMissing + ciNote);
}

let built = false;
function requireBuild(): void {
  requireCargo();
  assert.ok(built, 'the crate built (see the first test)');
}

test('jsp codegen --lang rust writes the crate and an executable adapter', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'codegen', '--lang', 'rust', '--out', out], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  for (const f of ['Cargo.toml', 'src/lib.rs', 'src/runtime.rs', 'src/constants.rs', 'src/errors.rs', 'src/frames.rs', 'src/packets.rs', 'src/messages.rs', 'src/bin/adapter.rs']) {
    assert.ok(existsSync(join(out, f)), `${f} is written`);
  }
  assert.ok((statSync(adapter).mode & 0o111) !== 0, 'adapter is executable');
  assert.ok(readFileSync(adapter, 'utf8').startsWith('#!/bin/sh\n'));
  const deps = readFileSync(join(out, 'Cargo.toml'), 'utf8').split('[dependencies]')[1]?.split(/\n\[/)[0];
  assert.is(deps?.trim(), '', 'Cargo.toml has an empty [dependencies] table (no crates registry is needed)');
  const frames = readFileSync(join(out, 'src/frames.rs'), 'utf8');
  assert.match(frames, /^\/\/ GENERATED from spec\/frames\.yaml \(sha256 [0-9a-f]{16}\)/);
  assert.match(frames, /\/\/\/ Stream data\.[^\n]*\n(\/\/\/[^\n]*\n)*#\[derive\([^)]*\)\]\npub struct StreamFrame \{/, 'spec docs become /// comments');
  assert.match(frames, /pub fn decode_frame\(input: &\[u8\]\) -> Result<Frame, DecodeError>/);
  assert.match(frames, /pub fn encode_frame\(v: &Frame\) -> Result<Vec<u8>, EncodeError>/);
});

test('DIR/adapter builds the crate offline on first use, warning-free, and caches the binary', () => {
  requireCargo();
  const t0 = Date.now();
  const r = spawnSync(adapter, [], { input: 'quit\n', encoding: 'utf8' });
  const seconds = (Date.now() - t0) / 1000;
  assert.is(r.status, 0, `the adapter's build failed (status ${r.status}):\n${r.stderr.slice(-4000)}`);
  assert.is(r.stderr.trim(), '', `the build printed (warnings?):\n${r.stderr.slice(-4000)}`);
  assert.ok(existsSync(join(out, 'target/release/jsp-adapter')), 'the binary is cached in target/release');
  built = true;
  console.log(`  (first start of DIR/adapter, cargo build --release included: ${seconds.toFixed(1)} s)`);
  const again = spawnSync(adapter, [], { input: 'hello jsp-adapter/1\nquit\n', encoding: 'utf8' });
  assert.is(again.status, 0, again.stderr);
  assert.is(again.stdout, '{"id":"hello","result":"ok","name":"jsp-rust (generated codec)","protocol":1,"capabilities":["codec"]}\n');
});

test('the library API: build a frame in Rust, encode it, decode it back; DecodeError carries code, code_name, kind, path, offset', () => {
  requireBuild();
  const program = [
    'use jsp_codec::*;',
    'fn main() {',
    '    let f = Frame::Stream(StreamFrame { has_length: true, fin: false, stream_id: 4, offset: None, data: b"abc".to_vec() });',
    '    let b = encode_frame(&f).expect("encodes");',
    '    assert_eq!(decode_frame(&b).expect("decodes"), f);',
    '    assert_eq!(decode_frames(&[b.clone(), vec![0x01, 0x07]].concat()).expect("a payload").len(), 2);',
    '    let e = decode_short_header_packet(&[0x40, 1, 2], 8).unwrap_err();',
    '    println!("{} {} {} {} {} {}", runtime::to_hex(&b), e.code, e.code_name, e.kind, e.path, e.offset);',
    '    let bad = StreamFrame { stream_id: 1 << 62, ..Default::default() };',
    '    println!("{}", encode_stream_frame(&bad).unwrap_err().kind);',
    '}',
  ].join('\n');
  mkdirSync(join(out, 'examples'), { recursive: true });
  writeFileSync(join(out, 'examples/api.rs'), program + '\n');
  const r = spawnSync('cargo', ['run', '--release', '--offline', '-q', '--example', 'api', '--manifest-path', join(out, 'Cargo.toml')], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr.slice(-4000));
  assert.is(r.stdout, '0a0403616263 10 PROTOCOL_VIOLATION truncated short_header_packet.dcid 1\nout_of_range\n');
});

test('the Rust adapter passes every codec vector (jsp conformance --impl DIR/adapter)', async () => {
  requireBuild();
  await targetChecks.everyVectorPasses(adapter, 'jsp-rust (generated codec)', vectorsDir);
});

test('differential round trip: a random TS corpus decodes to the same values and re-encodes byte-identically', () => {
  requireBuild();
  targetChecks.roundTrips(adapter, out, VALUES, seed);
});

test('differential decisions: mutated encodings and random inputs get the TS runtime\'s answer (value, or error code and kind)', () => {
  requireBuild();
  targetChecks.sameDecisions(adapter, out, MUTATED, RANDOM, seed);
});

test('the adapter answers bad requests and unknown targets without dying', () => {
  requireBuild();
  const input = ['hello jsp-adapter/1', '1 decode frames union frame zz', '2 decode nope struct x 00', '3 decode packets struct short_header_packet 40 dcid_length=x', '4 ping', 'quit', ''].join('\n');
  const r = spawnSync(adapter, [], { input, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.map((l) => [l.id, l.result, l.errorKind]), [
    ['hello', 'ok', undefined], [1, 'error', 'bad_request'], [2, 'unsupported', undefined], [3, 'error', 'bad_request'], [4, 'unsupported', undefined],
  ]);
});

test.after(() => {
  rmSync(out, { recursive: true, force: true });
});

test.run();
