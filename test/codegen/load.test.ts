/**
 * codegen/load.ts: a small spec directory written per test (one constants file, one errors file,
 * one wire file), loaded into the IR; schema errors and semantic errors must name the file, the
 * JSON path and the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec, SpecError } from '../../codegen/load.ts';
import type { Spec } from '../../codegen/ir.ts';

const CONSTANTS = `meta: { id: constants, kind: constants, title: Constants, version: 1, doc: Limits. }
constants:
  - { id: max_cid_length, value: 20, unit: bytes, doc: Longest connection ID. }
  - { id: max_varint, value: "4611686018427387903", doc: Largest varint. }
`;

const ERRORS = `meta: { id: errors, kind: errors, title: Errors, version: 1, doc: Codes. }
codes:
  - { id: NO_ERROR, code: 0x00, doc: Fine. }
  - { id: FRAME_ENCODING_ERROR, code: 0x07, doc: Bad frame. }
decode_error_kinds:
  - { id: truncated, doc: Input ended early. }
`;

/** A wire file with the given structs (YAML text, indented as list items under `structs:`). */
function wire(structs: string, union = true): string {
  return `meta: { id: frames, kind: wire, title: Frames, version: 1, error: FRAME_ENCODING_ERROR, doc: Frames. }
${union ? 'union: { id: frame, tag: varint, doc: A frame. }\n' : ''}structs:
${structs}`;
}

const dirs: string[] = [];

/** Writes the files into a fresh temp spec directory and loads it. */
function load(files: Record<string, string>): Spec {
  const dir = mkdtempSync(join(tmpdir(), 'jsp-spec-'));
  dirs.push(dir);
  const all = { 'constants.yaml': CONSTANTS, 'errors.yaml': ERRORS, ...files };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  return loadSpec(dir);
}

/** Loads and expects a SpecError; returns it. */
function fails(files: Record<string, string>): SpecError {
  try {
    load(files);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError, the spec loaded');
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' not in text`);
  return i + 1;
}

const PING = `  - id: ping
    code: 0x01
    doc: A ping.
    fields:
      - { id: sequence, type: varint, max: max_cid_length, doc: A number. }
`;

test('a valid spec loads into the IR: resolved constants, codes, size bounds', () => {
  const spec = load({ 'frames.yaml': wire(PING) });
  assert.is(spec.wire.length, 1);
  const f = spec.wire[0];
  assert.is(f.error, 'FRAME_ENCODING_ERROR');
  assert.equal(f.union?.members, ['ping']);
  const ping = f.structs[0];
  assert.is(ping.code, 1n);
  const seq = ping.fields[0];
  assert.is(seq.kind, 'int');
  if (seq.kind === 'int') assert.is(seq.max, 20n);
  assert.is(ping.minSize, 2);
  assert.is(ping.maxSize, 2);
  assert.is(spec.constants.constants[1].value, 4611686018427387903n);
  assert.is(spec.errors.codes[1].code, 7n);
  assert.match(f.path, /frames\.yaml$/);
  assert.is(f.sha256.length, 64);
});

test('schema error: an unknown property names file, line and JSON path', () => {
  const text = wire(`${PING}  - id: pong
    code: 0x02
    doc: A pong.
    fields:
      - { id: sequence, type: varint, sise: 3, doc: The number. }
`);
  const e = fails({ 'frames.yaml': text });
  assert.match(e.file, /frames\.yaml$/);
  assert.is(e.path, '/structs/1/fields/0');
  assert.is(e.line, lineOf(text, 'sise: 3'));
  assert.match(e.message, /frames\.yaml:\d+: \/structs\/1\/fields\/0: .*additional properties 'sise'/);
});

test('schema error: a missing doc, a bad enum value, a bad id', () => {
  let e = fails({ 'frames.yaml': wire(`  - id: ping
    code: 0x01
    fields: []
`) });
  assert.is(e.path, '/structs/0');
  assert.match(e.message, /doc/);
  e = fails({ 'frames.yaml': wire(`  - id: ping
    code: 0x01
    doc: A ping.
    fields:
      - { id: sequence, type: varint32, doc: A number. }
`) });
  assert.is(e.path, '/structs/0/fields/0/type');
  assert.match(e.message, /varint/);
  e = fails({ 'frames.yaml': wire(`  - id: Ping
    doc: A ping.
    fields: []
`) });
  assert.is(e.path, '/structs/0/id');
});

test('YAML syntax error names the line', () => {
  const text = wire(`  - id: ping
    doc: [unclosed
    fields: []
`);
  const e = fails({ 'frames.yaml': text });
  assert.match(e.message, /YAML/);
  assert.ok(e.line !== undefined && e.line >= lineOf(text, 'unclosed'), e.message);
});

test('unknown constant', () => {
  const text = wire(`  - id: ping
    code: 0x01
    doc: A ping.
    fields:
      - { id: sequence, type: varint, max: max_nothing, doc: A number. }
`);
  const e = fails({ 'frames.yaml': text });
  assert.is(e.path, '/structs/0/fields/0');
  assert.is(e.line, lineOf(text, 'max_nothing'));
  assert.match(e.message, /unknown constant 'max_nothing'/);
});

test('duplicate ids: structs, fields, error codes', () => {
  let e = fails({ 'frames.yaml': wire(`${PING}  - id: ping
    code: 0x02
    doc: Again.
    fields: []
`) });
  assert.is(e.path, '/structs/1/id');
  assert.match(e.message, /duplicate id 'ping'/);
  e = fails({ 'frames.yaml': wire(`  - id: ping
    code: 0x01
    doc: A ping.
    fields:
      - { id: a, type: u8, doc: A. }
      - { id: a, type: u8, doc: A again. }
`) });
  assert.is(e.path, '/structs/0/fields/1/id');
  e = fails({ 'errors.yaml': ERRORS.replace('code: 0x07', 'code: 0x00') });
  assert.match(e.message, /code 0 already used by NO_ERROR/);
});

test('bit fields must add up to 8 bits', () => {
  const text = wire(`  - id: header
    doc: A header.
    fields:
      - id: first_byte
        type: bits
        doc: The first byte.
        bits:
          - { id: form, width: 1, doc: Form. }
          - { id: rest, width: 6, doc: Rest. }
`, false);
  const e = fails({ 'frames.yaml': text });
  assert.is(e.path, '/structs/0/fields/0');
  assert.is(e.line, lineOf(text, 'id: first_byte'));
  assert.match(e.message, /add up to 7 bits, not 8/);
});

test('a bit field max larger than its width is rejected', () => {
  const e = fails({ 'frames.yaml': wire(`  - id: header
    doc: A header.
    fields:
      - id: first_byte
        type: bits
        doc: The first byte.
        bits:
          - { id: form, width: 6, doc: Form. }
          - { id: pnl, width: 2, max: 4, doc: Too big. }
`, false) });
  assert.match(e.message, /max 4 of bit field 'pnl' does not fit 2 bits/);
});

test('union codes: overlapping codes (flags included), flag bits set in the code, shared flag bits', () => {
  let e = fails({ 'frames.yaml': wire(`  - id: stream
    code: 0x08
    doc: Stream.
    flags:
      - { id: fin, bit: 0, doc: Fin. }
    fields: []
  - id: other
    code: 0x09
    doc: Other.
    fields: []
`) });
  assert.is(e.path, '/structs/1/code');
  assert.match(e.message, /code 0x9 is claimed by both 'stream' and 'other'/);
  e = fails({ 'frames.yaml': wire(`  - id: stream
    code: 0x09
    doc: Stream.
    flags:
      - { id: fin, bit: 0, doc: Fin. }
    fields: []
`) });
  assert.match(e.message, /has bits set where its flags go/);
  e = fails({ 'frames.yaml': wire(`  - id: stream
    code: 0x08
    doc: Stream.
    flags:
      - { id: fin, bit: 0, doc: Fin. }
      - { id: fin2, bit: 0, doc: Fin again. }
    fields: []
`) });
  assert.match(e.message, /both use bit 0/);
});

test('expressions: fields used before they are decoded, unknown names', () => {
  let e = fails({ 'frames.yaml': wire(`  - id: thing
    code: 0x01
    doc: A thing.
    fields:
      - { id: data, type: bytes, size: length, doc: Data. }
      - { id: length, type: u8, value: len(data), doc: Length. }
`) });
  assert.is(e.path, '/structs/0/fields/0');
  assert.match(e.message, /uses 'length' before it is decoded/);
  e = fails({ 'frames.yaml': wire(`  - id: thing
    code: 0x01
    doc: A thing.
    fields:
      - { id: data, type: bytes, size: lenght + 1, doc: Data. }
`) });
  assert.match(e.message, /unknown name 'lenght'/);
});

test('conditions must name an earlier flag or boolean bit — field presence and conditional prefixes', () => {
  let e = fails({ 'frames.yaml': wire(`  - id: thing
    code: 0x01
    doc: A thing.
    fields:
      - { id: n, type: u8, doc: N. }
      - { id: m, type: u8, if: n, doc: M. }
`) });
  assert.is(e.path, '/structs/0/fields/1');
  assert.match(e.message, /'n' is not an earlier flag or boolean bit field/);
  e = fails({ 'frames.yaml': wire(`  - id: thing
    code: 0x02
    doc: A thing.
    flags:
      - { id: has_length, bit: 0, doc: LEN. }
    fields:
      - { id: data, type: bytes, size: { prefix: varint, if: has_lenght, else: rest }, doc: Data. }
`) });
  assert.is(e.path, '/structs/0/fields/0');
  assert.match(e.message, /'has_lenght' is not an earlier flag/);
});

test('presence_of must point at a field conditioned on that flag', () => {
  const e = fails({ 'frames.yaml': wire(`  - id: thing
    code: 0x02
    doc: A thing.
    flags:
      - { id: has_x, bit: 0, presence_of: x, doc: X is there. }
    fields:
      - { id: x, type: u8, doc: X. }
`) });
  assert.is(e.path, '/structs/0/flags');
  assert.match(e.message, /must have 'if: has_x'/);
});

test('uint widths must stay within 1..6 bytes', () => {
  const text = wire(`  - id: thing
    doc: A thing.
    fields:
      - { id: w, type: u8, doc: Width. }
      - { id: n, type: uint, width: w, doc: N. }
`, false);
  const e = fails({ 'frames.yaml': text });
  assert.is(e.path, '/structs/0/fields/1');
  assert.is(e.line, lineOf(text, 'id: n,'));
  assert.match(e.message, /uint width 'w' can be 0\.\.255/);
});

test('exactly one constants file and one errors file', () => {
  let e = fails({ 'more.yaml': CONSTANTS.replace('id: constants', 'id: more') });
  assert.match(e.message, /expected exactly one file of kind 'constants', found 2/);
  e = fails({ 'errors.yaml': 'meta: { id: prose, kind: protocol, title: Prose, version: 1, doc: Words. }\nsections: []\n' });
  assert.match(e.message, /kind 'errors', found 0/);
});

test('a wire file must name a known error code; structs with codes need a union', () => {
  let e = fails({ 'frames.yaml': wire(PING).replace('error: FRAME_ENCODING_ERROR', 'error: NOT_A_CODE') });
  assert.is(e.path, '/meta/error');
  e = fails({ 'frames.yaml': wire(PING, false) });
  assert.match(e.message, /no union/);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
