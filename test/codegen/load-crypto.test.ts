/**
 * codegen/load-crypto.ts: spec/crypto.yaml loads into the IR, and broken copies of it fail with a
 * SpecError naming the file, the JSON path and the line — one test per rule.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec } from '../../codegen/load.ts';
import { cleanCopies, failsEdited, lineIn, loadEdited, once } from './spec-copy.ts';

const CRYPTO = 'crypto.yaml';
const REAL = loadSpec().crypto!;
/** Index of a schedule step, suite or constant in the real file (tests edit by content, not position). */
const idx = (key: 'schedule' | 'suites' | 'groups' | 'constants', id: string) => {
  const i = (REAL[key] as Array<{ id: string }>).findIndex((x) => x.id === id);
  if (i < 0) throw new Error(`no ${key} ${id}`);
  return i;
};

test('spec/crypto.yaml loads: suites, groups, constants, schedule references resolved, limits as bigint', () => {
  const c = loadSpec().crypto!;
  assert.ok(c, 'the spec has a crypto file');
  assert.is(c.hash.length, 32);
  assert.is(c.expandLabel.prefix, 'jsp1 ');
  assert.equal(c.suites.map((s) => [s.id, s.value]), [['chacha20_poly1305_sha256', 1], ['aes_256_gcm_sha256', 2]]);
  assert.is(c.suites[0].confidentialityLimit, 4611686018427387904n);
  assert.is(c.suites[1].integrityLimit, 4503599627370496n);
  assert.equal(c.groups.map((g) => g.serverAuthPattern), ['NK', 'NKhfs']);
  const byId = new Map(c.schedule.map((s) => [s.id, s]));
  assert.equal(byId.get('initial_secret'), { ...byId.get('initial_secret')!, op: 'extract', salt: { kind: 'constant', id: 'initial_salt' }, ikm: { kind: 'input', id: 'client_dcid' } });
  const exporter = byId.get('exporter_secret')!;
  assert.ok(exporter.op === 'expand_label' && exporter.context?.kind === 'input' && exporter.context.part === 'h');
  const retry = byId.get('retry_secret')!;
  assert.ok(retry.op === 'extract' && retry.ikm.kind === 'ascii' && retry.ikm.text === 'retry');
  const key = byId.get('packet_key')!;
  assert.ok(key.op === 'expand_label' && key.context === undefined && key.label === 'key');
  assert.equal(c.constants.find((k) => k.id === 'initial_suite'), { ...c.constants.find((k) => k.id === 'initial_suite')!, kind: 'suite', suite: 'aes_256_gcm_sha256' });
  assert.ok(c.packetProtection.req.length > 0 && c.packetProtection.req.every((r) => r.id.startsWith('crypto.')), 'packet protection requirements');
});

test('a suite whose id is not a cipher_suite enum value, or whose value differs', () => {
  let e = failsEdited(CRYPTO, once('- id: chacha20_poly1305_sha256', '- id: chacha20_poly1305'));
  assert.is(e.path, `/suites/${idx('suites', 'chacha20_poly1305_sha256')}/id`);
  assert.is(e.line, lineIn(CRYPTO, '- id: chacha20_poly1305_sha256'));
  assert.match(e.message, /crypto\.yaml:\d+: \/suites\/0\/id: 'chacha20_poly1305' is not a value of enum 'cipher_suite'/);
  e = failsEdited(CRYPTO, once('value: 2\n    aead: aes-256-gcm', 'value: 3\n    aead: aes-256-gcm'));
  assert.is(e.path, `/suites/${idx('suites', 'aes_256_gcm_sha256')}/value`);
  assert.match(e.message, /value 3 of 'aes_256_gcm_sha256' differs from enum 'cipher_suite', which gives 2/);
});

test('every cipher_suite and kex_group value but unspecified needs an entry', () => {
  let e = failsEdited(CRYPTO, (t) => t.replace(/  - id: aes_256_gcm_sha256\n[\s\S]*?\n\ngroups:/, '\ngroups:'));
  assert.is(e.path, '/suites');
  assert.match(e.message, /enum 'cipher_suite' value 'aes_256_gcm_sha256' \(2\) has no entry in suites/);
  e = failsEdited(CRYPTO, once('- id: x25519_mlkem768', '- id: x25519_kyber'));
  assert.is(e.path, `/groups/${idx('groups', 'x25519_mlkem768')}/id`);
  assert.match(e.message, /'x25519_kyber' is not a value of enum 'kex_group'/);
});

test('schedule references name an input, a bytes constant or an earlier step', () => {
  let e = failsEdited(CRYPTO, once('secret: initial_secret\n    label: client in', 'secret: initial_secrte\n    label: client in'));
  assert.is(e.path, `/schedule/${idx('schedule', 'client_initial_secret')}`);
  assert.is(e.line, lineIn(CRYPTO, '- id: client_initial_secret'));
  assert.match(e.message, /secret 'initial_secrte' names no input, constant or earlier step/);
  // A later step is not yet defined.
  e = failsEdited(CRYPTO, once('secret: noise_split\n    offset: 0', 'secret: server_1rtt_secret\n    offset: 0'));
  assert.is(e.path, `/schedule/${idx('schedule', 'client_1rtt_secret')}`);
  assert.match(e.message, /'server_1rtt_secret' names no input, constant or earlier step/);
  e = failsEdited(CRYPTO, once('key: cookie_key', 'key: replay_window'));
  assert.match(e.message, /key 'replay_window' is a constant that is not bytes/);
  e = failsEdited(CRYPTO, once('hash_of: first_offer', 'hash_of: first_offr'));
  assert.match(e.message, /hash_of 'first_offr' names no input/);
  e = failsEdited(CRYPTO, once('data: retry_selection', 'data: retry_selektion'));
  assert.match(e.message, /data 'retry_selektion'/);
  e = failsEdited(CRYPTO, once('from: noise_handshake', 'from: noise_handshak'));
  assert.match(e.message, /from 'noise_handshak' names no input/);
});

test('.ck and .h only on the input a noise step reads', () => {
  const e = failsEdited(CRYPTO, once('secret: noise_handshake.ck\n    label: exporter', 'secret: client_dcid.ck\n    label: exporter'));
  assert.is(e.path, `/schedule/${idx('schedule', 'exporter_secret')}`);
  assert.match(e.message, /'client_dcid\.ck': '\.ck' needs an input that a noise step reads/);
});

test('lengths: positive (schema), and what each op gives', () => {
  let e = failsEdited(CRYPTO, once('label: iv\n    context: ""\n    length: 12', 'label: iv\n    context: ""\n    length: 0'));
  assert.is(e.path, `/schedule/${idx('schedule', 'packet_iv')}/length`);
  assert.match(e.message, /must be >= 1/);
  e = failsEdited(CRYPTO, once('ikm: client_dcid\n    length: 32', 'ikm: client_dcid\n    length: 16'));
  assert.match(e.message, /extract gives the hash length, 32 bytes, not 16/);
  e = failsEdited(CRYPTO, once('offset: 32\n    length: 32', 'offset: 40\n    length: 32'));
  assert.match(e.message, /bytes 40\.\.72 are past the 64 bytes of 'noise_split'/);
  e = failsEdited(CRYPTO, once('label: ku\n    context: ""\n    length: 32', 'label: ku\n    context: ""\n    length: 70000'));
  assert.match(e.message, /length 70000 is more than HKDF-Expand-Label can give/);
});

test('labels: printable ASCII (schema), at most 255 bytes with the prefix', () => {
  let e = failsEdited(CRYPTO, once('label: retry key', 'label: "retry ключ"'));
  assert.is(e.path, `/schedule/${idx('schedule', 'retry_key')}/label`);
  assert.match(e.message, /must match pattern/);
  e = failsEdited(CRYPTO, once('label: retry key', `label: ${'k'.repeat(251)}`));
  assert.is(e.path, `/schedule/${idx('schedule', 'retry_key')}`);
  assert.match(e.message, /is 256 bytes with the prefix 'jsp1 '; at most 255/);
  // 250 bytes is the longest label with the 5-byte prefix.
  const spec = loadEdited(CRYPTO, once('label: retry key', `label: ${'k'.repeat(250)}`));
  assert.is(spec.crypto!.schedule.find((s) => s.id === 'retry_key')!.op, 'expand_label');
});

test('limits: exact integers; unknown suite in a constant; protocol name format and example', () => {
  let e = failsEdited(CRYPTO, once('integrity_limit: 68719476736', 'integrity_limit: 9007199254740993'));
  assert.is(e.path, `/suites/${idx('suites', 'chacha20_poly1305_sha256')}`);
  assert.match(e.message, /not exact; write it as a string/);
  e = failsEdited(CRYPTO, once('suite: aes_256_gcm_sha256', 'suite: aes_128_gcm_sha256'));
  assert.is(e.path, `/constants/${idx('constants', 'initial_suite')}`);
  assert.match(e.message, /unknown suite 'aes_128_gcm_sha256'/);
  e = failsEdited(CRYPTO, once('format: "Noise_{pattern}_{dh}_{cipher}_SHA256"', 'format: "Noise_{pattern}_{dh}_SHA256"'));
  assert.is(e.path, '/protocol_name/format');
  assert.match(e.message, /must contain \{cipher\} exactly once/);
  e = failsEdited(CRYPTO, once('example: Noise_NKhfs_25519+MLKEM768_ChaChaPoly_SHA256', 'example: Noise_NK_25519+MLKEM768_ChaChaPoly_SHA256'));
  assert.is(e.path, '/protocol_name/example');
  assert.match(e.message, /is not a name the format gives/);
});

test('schema: every element has a doc; ops take only their own keys; duplicate step ids', () => {
  let e = failsEdited(CRYPTO, once('    doc: Protects the client\'s Initial packets.\n', ''));
  assert.is(e.path, `/schedule/${idx('schedule', 'client_initial_secret')}`);
  assert.match(e.message, /must have required property 'doc'/);
  e = failsEdited(CRYPTO, once('    offset: 0\n', '    offset: 0\n    label: k1\n'));
  assert.match(e.path, new RegExp(`^/schedule/${idx('schedule', 'client_1rtt_secret')}`));
  e = failsEdited(CRYPTO, once('- id: server_initial_secret', '- id: client_initial_secret'));
  assert.is(e.path, `/schedule/${idx('schedule', 'server_initial_secret')}/id`);
  assert.match(e.message, /duplicate id 'client_initial_secret'/);
});

test.after(cleanCopies);
test.run();
