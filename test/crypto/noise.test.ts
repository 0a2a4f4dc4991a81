/**
 * The Noise core (src/crypto/noise) against the outside Noise vectors and its own properties, on
 * BOTH providers.
 *
 * - Vectors: ../shared/vectors/noise/{cacophony,snow}-25519-sha256.json (README there): every
 *   vector, every message byte for byte (handshake then transport through the Split
 *   CipherStates), the reader recovering each payload, and `handshake_hash` when given. The
 *   number run is asserted (118 + 102 = 220 per provider) so nothing is skipped silently. A
 *   missing file FAILS (as in wycheproof.test.ts); `JSP_SHARED_VECTORS` points elsewhere.
 * - HFS (no outside vectors exist): NKhfs/IKhfs complete on both providers, give byte-identical
 *   transcripts for the same randomness, and any tampered byte fails ReadMessage.
 * - Negative: truncation at every length, calls out of turn, nonce exhaustion, low-order keys,
 *   oversize messages, unsupported names, bad options.
 * - fast-check: NK/IK/XX with random payloads and prologues agree; a prologue mismatch fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider, type CryptoProvider, type X25519PrivateKey } from '../../src/crypto/index.ts';
import {
  CipherState,
  HandshakeState,
  MAX_NONCE,
  NoiseError,
  handshakePattern,
  noiseHkdf,
  parseProtocolName,
  type NoiseErrorKind,
  type NoiseSplit,
} from '../../src/crypto/noise/index.ts';
import { fromHex as hex, toHex } from '../helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(process.env.JSP_SHARED_VECTORS ?? join(ROOT, '../shared/vectors'), 'noise');
const PROVIDERS: CryptoProvider[] = [nobleProvider, nodeProvider];
/** Vector files and how many vectors each holds (../shared/vectors/README.md). */
const FILES: Array<[string, number]> = [
  ['cacophony-25519-sha256.json', 118],
  ['snow-25519-sha256.json', 102],
];
const EMPTY = new Uint8Array(0);
const enc = (s: string) => new TextEncoder().encode(s);

// ─────────────────────────────── helpers ───────────────────────────────

/** Runs f, requires a NoiseError (matched by name too, in case of a second module copy). */
function noiseError(f: () => unknown, what = ''): NoiseError {
  try {
    f();
  } catch (e) {
    if (e instanceof NoiseError || (e instanceof Error && e.name === 'NoiseError')) return e as NoiseError;
    throw new Error(`${what}: expected a NoiseError, got ${String(e)}`);
  }
  throw new Error(`${what}: expected a NoiseError, nothing was thrown`);
}

function expectKind(f: () => unknown, kinds: NoiseErrorKind | NoiseErrorKind[], what = ''): NoiseError {
  const e = noiseError(f, what);
  const allowed = Array.isArray(kinds) ? kinds : [kinds];
  assert.ok(allowed.includes(e.kind), `${what}: kind ${e.kind}, expected ${allowed.join('|')} (${e.message})`);
  return e;
}

/** A deterministic rng: SHA-256(seed ‖ counter) blocks. Same seed, same bytes, on any provider. */
function seededRng(seed: string): (n: number) => Uint8Array {
  const s = enc(seed);
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 32) {
      const block = nobleProvider.sha256(s, Uint8Array.of(counter >>> 24, counter >>> 16, counter >>> 8, counter));
      counter++;
      out.set(block.subarray(0, Math.min(32, n - at)), at);
    }
    return out;
  };
}

interface Pair {
  init: HandshakeState;
  resp: HandshakeState;
  statics: X25519PrivateKey[];
}

/** Static key pairs by provider and seed: key handles are the caller's, reusable across handshakes. */
const staticCache = new Map<string, X25519PrivateKey[]>();
function statics(p: CryptoProvider, seed: string): X25519PrivateKey[] {
  const id = `${p.name}/${seed}`;
  let pairs = staticCache.get(id);
  if (pairs === undefined) {
    const keys = seededRng(`${seed}/static`);
    pairs = [p.x25519.keygen(keys(32)), p.x25519.keygen(keys(32))];
    staticCache.set(id, pairs);
  }
  return pairs;
}

/** An initiator and a responder for `name`, statics and ephemerals from `seed`. */
function pair(p: CryptoProvider, name: string, seed: string, opts: { initPrologue?: Uint8Array; respPrologue?: Uint8Array; psks?: Uint8Array[] } = {}): Pair {
  const protocol = parseProtocolName(name);
  const [iS, rS] = statics(p, seed);
  const { initiatorPreMessage, responderPreMessage } = protocol.pattern;
  const init = new HandshakeState(p, {
    protocol,
    initiator: true,
    prologue: opts.initPrologue,
    s: iS,
    rs: responderPreMessage.includes('s') ? rS.publicKey : undefined,
    psks: opts.psks,
    rng: seededRng(`${seed}/initiator`),
  });
  const resp = new HandshakeState(p, {
    protocol,
    initiator: false,
    prologue: opts.respPrologue,
    s: rS,
    rs: initiatorPreMessage.includes('s') ? iS.publicKey : undefined,
    psks: opts.psks,
    rng: seededRng(`${seed}/responder`),
  });
  return { init, resp, statics: [iS, rS] };
}

/** Runs the handshake to the end; payload i goes in message i. Returns the messages. */
function runHandshake(init: HandshakeState, resp: HandshakeState, payloads: Uint8Array[] = []): Uint8Array[] {
  const messages: Uint8Array[] = [];
  for (let i = 0; !init.isFinished(); i++) {
    const [writer, reader] = init.isMyTurn() ? [init, resp] : [resp, init];
    const payload = payloads[i] ?? enc(`payload ${i}`);
    const message = writer.writeMessage(payload);
    assert.is(toHex(reader.readMessage(message)), toHex(payload), `message ${i} payload`);
    messages.push(message);
  }
  assert.ok(resp.isFinished(), 'responder finished');
  return messages;
}

/** Checks both splits agree: hash, chaining key, and transport messages both ways. */
function checkTransport(i: NoiseSplit, r: NoiseSplit, messages: Uint8Array[] = [enc('ping'), enc('pong')]): void {
  assert.is(toHex(i.handshakeHash), toHex(r.handshakeHash), 'handshake hash');
  assert.is(toHex(i.chainingKey), toHex(r.chainingKey), 'chaining key');
  for (const [k, m] of messages.entries()) {
    const [from, to] = k % 2 === 0 ? [i, r] : [r, i];
    assert.is(toHex(to.receive.decryptWithAd(EMPTY, from.send.encryptWithAd(EMPTY, m))), toHex(m), `transport ${k}`);
  }
}

// ─────────────────────────────── vectors ───────────────────────────────

interface Vector {
  protocol_name: string;
  init_prologue: string;
  init_psks?: string[];
  init_static?: string;
  init_ephemeral: string;
  init_remote_static?: string;
  resp_prologue: string;
  resp_psks?: string[];
  resp_static?: string;
  resp_ephemeral?: string;
  resp_remote_static?: string;
  handshake_hash?: string;
  messages: Array<{ payload: string; ciphertext: string }>;
}

const opt = (h: string | undefined) => (h === undefined ? undefined : hex(h));

/** One vector: handshake and transport messages byte for byte; returns how many messages ran. */
function runVector(p: CryptoProvider, v: Vector): number {
  const protocol = parseProtocolName(v.protocol_name);
  const iS = v.init_static === undefined ? undefined : p.x25519.keygen(hex(v.init_static));
  const rS = v.resp_static === undefined ? undefined : p.x25519.keygen(hex(v.resp_static));
  const init = new HandshakeState(p, {
    protocol,
    initiator: true,
    prologue: hex(v.init_prologue),
    s: iS,
    e: hex(v.init_ephemeral),
    rs: opt(v.init_remote_static),
    psks: (v.init_psks ?? []).map(hex),
  });
  const resp = new HandshakeState(p, {
    protocol,
    initiator: false,
    prologue: hex(v.resp_prologue),
    s: rS,
    e: opt(v.resp_ephemeral),
    rs: opt(v.resp_remote_static),
    psks: (v.resp_psks ?? []).map(hex),
  });
  let split: { i: NoiseSplit; r: NoiseSplit } | undefined;
  for (const [k, m] of v.messages.entries()) {
    const what = `${v.protocol_name} message ${k}`;
    const fromInitiator = protocol.pattern.oneWay || k % 2 === 0;
    const payload = hex(m.payload);
    let ciphertext: Uint8Array;
    let received: Uint8Array;
    if (!init.isFinished()) {
      assert.is(init.isMyTurn(), fromInitiator, `${what}: turn`);
      const [writer, reader] = fromInitiator ? [init, resp] : [resp, init];
      ciphertext = writer.writeMessage(payload);
      assert.is(toHex(ciphertext), m.ciphertext, what);
      received = reader.readMessage(ciphertext);
    } else {
      split ??= { i: init.split(), r: resp.split() };
      const [from, to] = fromInitiator ? [split.i, split.r] : [split.r, split.i];
      ciphertext = from.send.encryptWithAd(EMPTY, payload);
      assert.is(toHex(ciphertext), m.ciphertext, what);
      received = to.receive.decryptWithAd(EMPTY, ciphertext);
    }
    assert.is(toHex(received), m.payload, `${what}: payload`);
  }
  assert.ok(init.isFinished() && resp.isFinished(), `${v.protocol_name}: handshake finished`);
  split ??= { i: init.split(), r: resp.split() };
  assert.is(toHex(split.i.handshakeHash), toHex(split.r.handshakeHash), `${v.protocol_name}: both hashes`);
  if (v.handshake_hash !== undefined) assert.is(toHex(split.i.handshakeHash), v.handshake_hash, `${v.protocol_name}: handshake_hash`);
  iS?.wipe();
  rS?.wipe();
  return v.messages.length;
}

/** Vectors run per provider, checked after all the vector tests. */
const ran = new Map<string, number>();
for (const [file, expected] of FILES) {
  const path = join(DIR, file);
  if (!existsSync(path)) {
    const msg = `Noise vector file missing: ${path} — NOT TESTED (put ../shared/vectors beside the repository or set JSP_SHARED_VECTORS)`;
    console.error(`\n${'!'.repeat(100)}\n!!! ${msg}\n${'!'.repeat(100)}\n`);
    test(`${file}: vector file present`, () => assert.unreachable(msg));
    continue;
  }
  const vectors = (JSON.parse(readFileSync(path, 'utf8')) as { vectors: Vector[] }).vectors;
  for (const p of PROVIDERS) {
    test(`${p.name}: every vector of ${file}`, () => {
      let run = 0;
      let messages = 0;
      for (const v of vectors) {
        messages += runVector(p, v);
        run++;
      }
      assert.is(run, expected, `${file}: vectors run`);
      ran.set(p.name, (ran.get(p.name) ?? 0) + run);
      console.log(`  ${p.name}: ${file}: ${run} vectors, ${messages} messages`);
    });
  }
}

test('220 vectors per provider', () => {
  for (const p of PROVIDERS) assert.is(ran.get(p.name), 220, `${p.name}: vectors run`);
});

// ─────────────────────────────── building blocks ───────────────────────────────

test('HKDF of Noise §4.3 equals RFC 5869 with salt = ck and empty info', () => {
  const rng = seededRng('hkdf');
  for (const p of PROVIDERS) {
    for (const ikmLength of [0, 32, 100]) {
      const ck = rng(32), ikm = rng(ikmLength);
      const noise = noiseHkdf(p, ck, ikm, 3);
      const rfc = p.hkdf(ck, ikm, EMPTY, 96);
      assert.is(toHex(Uint8Array.from(noise.flatMap((o) => [...o]))), toHex(rfc), `${p.name} ikm ${ikmLength}`);
    }
  }
});

test('CipherState nonce: 4 zero bytes then n, little-endian for ChaChaPoly, big-endian for AESGCM', () => {
  const key = seededRng('nonce')(32);
  for (const p of PROVIDERS) {
    for (const [cipher, suite, nonce] of [
      ['ChaChaPoly', 'chacha20-poly1305', '000000000201000000000000'],
      ['AESGCM', 'aes-256-gcm', '000000000000000000000102'],
    ] as const) {
      const c = new CipherState(p, cipher, key);
      c.setNonce(0x0102);
      const sealed = c.encryptWithAd(enc('ad'), enc('plain'));
      assert.is(toHex(sealed), toHex(p.aead(suite, key).seal(hex(nonce), enc('plain'), enc('ad'))), `${p.name} ${cipher}`);
      assert.is(c.nonce(), 0x0103n);
    }
  }
});

test('CipherState: Rekey is the first 32 bytes of ENCRYPT(k, 2^64-1, empty, zeros)', () => {
  const key = seededRng('rekey')(32);
  for (const p of PROVIDERS) {
    for (const [cipher, suite, maxNonce] of [
      ['ChaChaPoly', 'chacha20-poly1305', '00000000ffffffffffffffff'],
      ['AESGCM', 'aes-256-gcm', '00000000ffffffffffffffff'],
    ] as const) {
      const next = p.aead(suite, key).seal(hex(maxNonce), new Uint8Array(32), EMPTY).subarray(0, 32);
      const c = new CipherState(p, cipher, key);
      c.setNonce(7);
      c.rekey();
      assert.is(c.nonce(), 7n, 'Rekey keeps n');
      const expected = new CipherState(p, cipher, next);
      expected.setNonce(7);
      assert.is(toHex(c.encryptWithAd(EMPTY, enc('after rekey'))), toHex(expected.encryptWithAd(EMPTY, enc('after rekey'))), `${p.name} ${cipher}`);
    }
  }
});

test('CipherState: nonce exhaustion at 2^64-1 and a failed decrypt that does not advance n', () => {
  const key = seededRng('exhaust')(32);
  for (const p of PROVIDERS) {
    const c = new CipherState(p, 'ChaChaPoly', key);
    c.setNonce(MAX_NONCE - 1n);
    const last = c.encryptWithAd(EMPTY, enc('last'));
    expectKind(() => c.encryptWithAd(EMPTY, enc('one more')), 'nonce_exhausted', 'encrypt at 2^64-1');
    const d = new CipherState(p, 'ChaChaPoly', key);
    d.setNonce(MAX_NONCE);
    expectKind(() => d.encryptWithAd(EMPTY, enc('x')), 'nonce_exhausted', 'SetNonce(2^64-1) then encrypt');
    expectKind(() => d.decryptWithAd(EMPTY, last), 'nonce_exhausted', 'SetNonce(2^64-1) then decrypt');
    d.setNonce(MAX_NONCE - 1n);
    const forged = last.slice();
    forged[0] ^= 1;
    expectKind(() => d.decryptWithAd(EMPTY, forged), 'decrypt', 'forged');
    assert.is(d.nonce(), MAX_NONCE - 1n, 'n unchanged after a failed decrypt');
    assert.is(toHex(d.decryptWithAd(EMPTY, last)), toHex(enc('last')));
    expectKind(() => d.setNonce(MAX_NONCE + 1n), 'invalid_argument');
    d.wipe();
    expectKind(() => d.encryptWithAd(EMPTY, EMPTY), 'invalid_state', 'wiped');
    const empty = new CipherState(p, 'AESGCM');
    assert.is(empty.hasKey(), false);
    assert.is(toHex(empty.encryptWithAd(EMPTY, enc('clear'))), toHex(enc('clear')), 'no key: plaintext');
  }
});

// ─────────────────────────────── patterns ───────────────────────────────

test('pattern table: modifiers and HFS token placement', () => {
  const tokens = (name: string) => handshakePattern(name).messages.map((m) => `${m.direction} ${m.tokens.join(', ')}`);
  assert.equal(tokens('NKpsk0'), ['-> psk, e, es', '<- e, ee']);
  assert.equal(tokens('NXpsk0+psk1+psk2'), ['-> psk, e, psk', '<- e, ee, s, es, psk']);
  assert.equal(tokens('XXpsk3'), ['-> e', '<- e, ee, s, es', '-> s, se, psk']);
  assert.equal(tokens('NKhfs'), ['-> e, es, e1', '<- e, ee, ekem1']);
  assert.equal(tokens('IKhfs'), ['-> e, es, e1, s, ss', '<- e, ee, ekem1, se']);
  assert.equal(tokens('XXhfs'), ['-> e, e1', '<- e, ee, ekem1, s, es', '-> s, se']);
  assert.equal(tokens('XKhfs'), ['-> e, es, e1', '<- e, ee, ekem1', '-> s, se']);
  assert.equal(tokens('NNhfs'), ['-> e, e1', '<- e, ee, ekem1']);
  assert.equal(tokens('NK1hfs'), ['-> e, e1', '<- e, ee, ekem1, es']);
  assert.equal(tokens('NKhfs+psk0'), ['-> psk, e, es, e1', '<- e, ee, ekem1']);
  assert.equal(handshakePattern('X1K1').responderPreMessage, ['s']);
  assert.ok(handshakePattern('X').oneWay && handshakePattern('Npsk0').psk);
  for (const bad of ['ZZ', 'NKpsk3', 'Nhfs', 'NKpsk0+psk0', 'NKfallback', 'NKpsk01', 'nk', 'NK+psk0']) {
    expectKind(() => handshakePattern(bad), 'unsupported', bad);
  }
  for (const bad of [
    'Noise_NK_448_ChaChaPoly_SHA256',
    'Noise_NK_25519_ChaChaPoly_BLAKE2s',
    'Noise_NK_25519_ChaChaPoly_SHA512',
    'Noise_NK_25519_AESGCM256_SHA256',
    'Noise_NKhfs_25519_ChaChaPoly_SHA256',
    'Noise_NK_25519+MLKEM768_ChaChaPoly_SHA256',
    'Noise_NKhfs_25519+Kyber1024_ChaChaPoly_SHA256',
    'NoiseX_NK_25519_ChaChaPoly_SHA256',
    'Noise_NK_25519_ChaChaPoly',
  ]) {
    expectKind(() => parseProtocolName(bad), 'unsupported', bad);
  }
});

// ─────────────────────────────── HFS ───────────────────────────────

const HFS = ['Noise_NKhfs_25519+MLKEM768_ChaChaPoly_SHA256', 'Noise_IKhfs_25519+MLKEM768_AESGCM_SHA256'];

/** The HFS transcript on `p`: handshake messages then two transport messages, as hex. */
function hfsTranscript(p: CryptoProvider, name: string): string[] {
  const { init, resp } = pair(p, name, 'hfs');
  const messages = runHandshake(init, resp);
  const i = init.split(), r = resp.split();
  const t1 = i.send.encryptWithAd(EMPTY, enc('to responder'));
  const t2 = r.send.encryptWithAd(EMPTY, enc('to initiator'));
  assert.is(toHex(r.receive.decryptWithAd(EMPTY, t1)), toHex(enc('to responder')));
  assert.is(toHex(i.receive.decryptWithAd(EMPTY, t2)), toHex(enc('to initiator')));
  checkTransport(i, r);
  return [...messages, t1, t2, i.handshakeHash].map(toHex);
}

test('HFS: NKhfs and IKhfs complete, with ML-KEM-768 sizes, byte-identical on both providers', () => {
  for (const name of HFS) {
    const [noble, node] = PROVIDERS.map((p) => hfsTranscript(p, name));
    assert.equal(noble, node, `${name}: same transcript on both providers`);
    const ik = name.includes('IK');
    // msg 1: e ‖ Enc(e1: 1184) [‖ Enc(s: 32)] ‖ Enc(payload); msg 2: e ‖ Enc(ekem1: 1088) ‖ Enc(payload).
    assert.is(noble[0].length / 2, 32 + 1184 + 16 + (ik ? 48 : 0) + 'payload 0'.length + 16, `${name} message 1 length`);
    assert.is(noble[1].length / 2, 32 + 1088 + 16 + 'payload 1'.length + 16, `${name} message 2 length`);
  }
  // The HFS handshake differs from the classical one, and the KEM secret reaches the keys.
  const nk = pair(nodeProvider, 'Noise_NK_25519_ChaChaPoly_SHA256', 'hfs');
  runHandshake(nk.init, nk.resp);
  assert.is.not(toHex(nk.init.getHandshakeHash()), hfsTranscript(nodeProvider, HFS[0]).at(-1));
});

/**
 * The party that reads message `k` of `name`'s handshake (seeded by `seed`), brought to that
 * point alone: it writes its own earlier messages (checked against `reference`) and reads the
 * peer's from `reference`. Replaying one side only halves the cost of the per-byte tests.
 */
function readerAt(p: CryptoProvider, name: string, seed: string, k: number, reference: Uint8Array[]): HandshakeState {
  const { init, resp } = pair(p, name, seed);
  const reader = init.isMyTurn() === (k % 2 === 0) ? resp : init;
  for (let j = 0; j < k; j++) {
    if (reader.isMyTurn()) assert.is(toHex(reader.writeMessage(enc(`payload ${j}`))), toHex(reference[j]), 'replay is deterministic');
    else reader.readMessage(reference[j]);
  }
  return reader;
}

/** The handshake messages of `name` seeded by `seed`, with the payloads `payload <i>`. */
function referenceRun(p: CryptoProvider, name: string, seed: string): Uint8Array[] {
  const { init, resp } = pair(p, name, seed);
  return runHandshake(init, resp);
}

/**
 * Every byte of every handshake message, flipped (bit i mod 8 of byte i, so byte 31 of a key
 * gets bit 7, which X25519 ignores), must make ReadMessage throw a NoiseError. Each trial replays
 * the earlier messages with the same randomness. Returns the error kinds seen.
 */
function tamperEveryByte(p: CryptoProvider, name: string, only?: { message: number; from: number; to: number; stride: number }): Map<string, number> {
  const kinds = new Map<string, number>();
  const reference = referenceRun(p, name, 'tamper');
  for (const [k, message] of reference.entries()) {
    if (only !== undefined && only.message !== k) continue;
    const from = only?.from ?? 0, to = only?.to ?? message.length;
    for (let at = from; at < to; at += only?.stride ?? 1) {
      const reader = readerAt(p, name, 'tamper', k, reference);
      const tampered = message.slice();
      tampered[at] ^= 1 << at % 8;
      const e = noiseError(() => reader.readMessage(tampered), `${p.name} ${name} message ${k} byte ${at}`);
      kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
      expectKind(() => reader.readMessage(message), 'invalid_state', 'dead after a failed ReadMessage');
    }
  }
  return kinds;
}

test('HFS: a flip in ANY byte of an NKhfs/IKhfs handshake message fails ReadMessage with decrypt (node)', () => {
  for (const name of HFS) {
    const kinds = tamperEveryByte(nodeProvider, name);
    console.log(`  node ${name}: tampered bytes → ${[...kinds].map(([k, n]) => `${k}=${n}`).join(' ')}`);
    // Includes the e1 and ekem1 regions: every flip is caught by an AEAD tag.
    assert.equal([...kinds.keys()], ['decrypt'], name);
  }
});

test('HFS: a flip in the e1 and ekem1 regions fails on noble too (every 7th byte; node: every byte above)', () => {
  // NKhfs: message 1 = e(32) ‖ Enc(e1)(1184+16) ‖ …, message 2 = e(32) ‖ Enc(ekem1)(1088+16) ‖ …
  for (const [message, to] of [[0, 32 + 1200], [1, 32 + 1104]]) {
    const kinds = tamperEveryByte(nobleProvider, HFS[0], { message, from: 32, to, stride: 7 });
    assert.equal([...kinds.keys()], ['decrypt'], `noble message ${message}`);
    assert.ok((kinds.get('decrypt') ?? 0) >= Math.floor((to - 32) / 7), 'flips tried');
  }
});

// ─────────────────────────────── negative ───────────────────────────────

/**
 * Truncation lengths to try: every one for the classical patterns; for HFS (messages over 1 KB,
 * each trial paying for ML-KEM) every 16th plus both sides of each token boundary (`bounds`).
 */
function truncations(total: number, bounds?: number[]): number[] {
  const all = Array.from({ length: total }, (_, n) => n);
  if (bounds === undefined) return all;
  const near = new Set([...bounds, total - 16].flatMap((b) => [b - 1, b, b + 1]));
  return all.filter((n) => n % 16 === 0 || near.has(n));
}

test('truncated handshake messages fail with short_message or decrypt, at every length', () => {
  const cases: Array<[string, number[], number[][]?]> = [
    ['Noise_NK_25519_ChaChaPoly_SHA256', [0, 1]],
    ['Noise_IK_25519_AESGCM_SHA256', [0, 1]],
    // XX message 1 is e ‖ plaintext payload: a shorter payload is a valid message, so only 2 and 3.
    ['Noise_XX_25519_ChaChaPoly_SHA256', [1, 2]],
    // e ‖ Enc(e1) ‖ Enc(payload) and e ‖ Enc(ekem1) ‖ Enc(payload).
    ['Noise_NKhfs_25519+MLKEM768_ChaChaPoly_SHA256', [0, 1], [[32, 32 + 1200], [32, 32 + 1104]]],
  ];
  for (const p of PROVIDERS) {
    for (const [name, which, bounds] of cases) {
      const messages = referenceRun(p, name, 'truncate');
      for (const k of which) {
        for (const length of truncations(messages[k].length, bounds?.[k])) {
          const reader = readerAt(p, name, 'truncate', k, messages);
          expectKind(() => reader.readMessage(messages[k].subarray(0, length)), ['short_message', 'decrypt'], `${p.name} ${name} message ${k} length ${length}`);
          expectKind(() => reader.writeMessage(EMPTY), 'invalid_state', 'dead');
        }
      }
    }
  }
});

test('out of turn: invalid_state; a refused write changes nothing, a refused read kills', () => {
  for (const p of PROVIDERS) {
    const { init, resp } = pair(p, 'Noise_NK_25519_ChaChaPoly_SHA256', 'turns');
    expectKind(() => resp.writeMessage(EMPTY), 'invalid_state', 'responder writes first');
    const m1 = init.writeMessage(enc('hi'));
    expectKind(() => init.writeMessage(EMPTY), 'invalid_state', 'initiator writes twice');
    assert.is(toHex(resp.readMessage(m1)), toHex(enc('hi')), 'responder unharmed by its refused write');
    const m2 = resp.writeMessage(enc('yo'));
    assert.is(toHex(init.readMessage(m2)), toHex(enc('yo')));
    expectKind(() => init.writeMessage(EMPTY), 'invalid_state', 'after the end');
    expectKind(() => resp.readMessage(m2), 'invalid_state', 'read after the end');
    checkTransport(init.split(), resp.split());
    expectKind(() => init.split(), 'invalid_state', 'split twice');

    const other = pair(p, 'Noise_XX_25519_ChaChaPoly_SHA256', 'turns');
    expectKind(() => other.init.readMessage(new Uint8Array(48)), 'invalid_state', 'initiator reads first');
    expectKind(() => other.init.writeMessage(EMPTY), 'invalid_state', 'dead after a refused read');
    expectKind(() => other.init.getHandshakeHash(), 'invalid_state', 'no hash after failure');
  }
});

test('low-order X25519 keys give bad_dh; oversize messages give too_long', () => {
  for (const p of PROVIDERS) {
    const { resp } = pair(p, 'Noise_NK_25519_ChaChaPoly_SHA256', 'bad');
    expectKind(() => resp.readMessage(new Uint8Array(32 + 16)), 'bad_dh', 'e = 0 in NK');
    const nn = pair(p, 'Noise_NN_25519_ChaChaPoly_SHA256', 'bad');
    nn.resp.readMessage(new Uint8Array(32));
    expectKind(() => nn.resp.writeMessage(EMPTY), 'bad_dh', 'ee with re = 0');
    expectKind(() => nn.resp.writeMessage(EMPTY), 'invalid_state', 'dead after a failed write');

    const big = pair(p, 'Noise_NN_25519_ChaChaPoly_SHA256', 'big');
    expectKind(() => big.init.writeMessage(new Uint8Array(65535 - 32 + 1)), 'too_long', 'write');
    const m1 = big.init.writeMessage(new Uint8Array(65535 - 32));
    assert.is(m1.length, 65535, 'a 65535-byte message is allowed');
    big.resp.readMessage(m1);
    const m2 = big.resp.writeMessage(EMPTY);
    expectKind(() => big.init.readMessage(new Uint8Array(65536)), 'too_long', 'read');
    expectKind(() => big.init.readMessage(m2), 'invalid_state');
  }
});

test('Initialize checks keys, psks and rng', () => {
  const p = nodeProvider;
  const s = p.x25519.keygen(new Uint8Array(32).fill(7));
  const rng = seededRng('init');
  const nk = 'Noise_NK_25519_ChaChaPoly_SHA256';
  expectKind(() => new HandshakeState(p, { protocol: nk, initiator: true, rng }), 'invalid_argument', 'NK without rs');
  expectKind(() => new HandshakeState(p, { protocol: nk, initiator: false, rng }), 'invalid_argument', 'NK responder without s');
  expectKind(() => new HandshakeState(p, { protocol: nk, initiator: false, s, rs: s.publicKey, rng }), 'invalid_argument', 'rs nobody pre-shares');
  expectKind(() => new HandshakeState(p, { protocol: nk, initiator: true, rs: new Uint8Array(31), rng }), 'invalid_argument', 'short rs');
  expectKind(() => new HandshakeState(p, { protocol: nk, initiator: true, rs: s.publicKey }), 'invalid_argument', 'no rng');
  const psk = 'Noise_NKpsk0+psk2_25519_ChaChaPoly_SHA256';
  expectKind(() => new HandshakeState(p, { protocol: psk, initiator: true, rs: s.publicKey, rng, psks: [new Uint8Array(32)] }), 'invalid_argument', 'one psk short');
  expectKind(() => new HandshakeState(p, { protocol: psk, initiator: true, rs: s.publicKey, rng, psks: [new Uint8Array(32), new Uint8Array(16)] }), 'invalid_argument', 'short psk');
  expectKind(() => new HandshakeState(p, { protocol: 'Noise_NK_25519_ChaChaPoly_BLAKE2b', initiator: true }), 'unsupported');
  // psks differ: the psk handshake fails at the first message carrying it.
  const a = pair(p, psk, 'psk', { psks: [new Uint8Array(32), new Uint8Array(32).fill(1)] });
  runHandshake(a.init, a.resp);
  const b = pair(p, 'Noise_NKpsk0_25519_ChaChaPoly_SHA256', 'psk', { psks: [new Uint8Array(32)] });
  const c = new HandshakeState(p, { protocol: 'Noise_NKpsk0_25519_ChaChaPoly_SHA256', initiator: false, s: b.statics[1], psks: [new Uint8Array(32).fill(9)], rng });
  expectKind(() => c.readMessage(b.init.writeMessage(EMPTY)), 'decrypt', 'psk mismatch');
});

// ─────────────────────────────── properties ───────────────────────────────

test('property: NK/IK/XX with random payloads and prologues agree; a prologue mismatch fails', () => {
  const patterns = ['Noise_NK_25519_ChaChaPoly_SHA256', 'Noise_IK_25519_AESGCM_SHA256', 'Noise_XX_25519_ChaChaPoly_SHA256'];
  const bytes = (max: number) => fc.uint8Array({ maxLength: max });
  fc.assert(
    fc.property(
      fc.constantFrom(...patterns),
      fc.constantFrom(...PROVIDERS),
      fc.string({ maxLength: 8 }),
      bytes(64),
      fc.array(bytes(200), { minLength: 3, maxLength: 3 }),
      fc.array(bytes(200), { minLength: 1, maxLength: 4 }),
      (name, p, seed, prologue, payloads, transport) => {
        const { init, resp } = pair(p, name, seed, { initPrologue: prologue, respPrologue: prologue });
        runHandshake(init, resp, payloads);
        assert.is(toHex(init.getHandshakeHash()), toHex(resp.getHandshakeHash()));
        checkTransport(init.split(), resp.split(), transport);
      },
    ),
    { numRuns: 60, seed: 0x4e015e },
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...patterns),
      fc.constantFrom(...PROVIDERS),
      fc.string({ maxLength: 8 }),
      bytes(32),
      bytes(32),
      (name, p, seed, a, b) => {
        fc.pre(toHex(a) !== toHex(b));
        const { init, resp } = pair(p, name, seed, { initPrologue: a, respPrologue: b });
        noiseError(() => runHandshake(init, resp), 'prologue mismatch');
      },
    ),
    { numRuns: 60, seed: 0x4e015f },
  );
});

test.run();
