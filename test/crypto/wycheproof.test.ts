/**
 * Project Wycheproof (../shared/vectors/wycheproof, C2SP commit dac1dd4729fd) against BOTH
 * providers: every test of every file for the primitives they implement. `valid` must be accepted
 * with the exact output, `invalid` must be rejected, `acceptable` gets the behaviour JSP chose:
 *
 * | file                       | acceptable | JSP (both providers)                                               |
 * |----------------------------|-----------:|--------------------------------------------------------------------|
 * | x25519_test                | 254        | 'ZeroSharedSecret' (31, low-order public keys): REJECTED with       |
 * |                            |            | CryptoError x25519_zero_shared_secret (RFC 7748 §6.1 check).       |
 * |                            |            | Everything else (223: 'Twist', 'NonCanonicalPublic' u ≥ p,         |
 * |                            |            | 'EdgeCaseMultiplication', …): ACCEPTED with the exact shared secret |
 * |                            |            | (RFC 7748 §5: mask bit 255, reduce mod p; twist points are allowed) |
 * | every other file           | 0          | —                                                                  |
 *
 * Files: x25519, ed25519 (verify), chacha20_poly1305, aes_gcm (only keySize 256 / ivSize 96 /
 * tagSize 128: JSP's AES-256-GCM), hkdf_sha256, hmac_sha256 (truncated 128-bit tags compared on the
 * prefix), mlkem_768 (decaps from a seed) and mlkem_768_encaps. Each loop also checks it saw the
 * number of tests the file declares, so an empty or truncated file cannot pass.
 *
 * Missing vectors: the test FAILS with a loud message (CI or not). `JSP_SHARED_VECTORS` points elsewhere (defaults to `../shared/vectors` of the repo).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CryptoError, equalBytes, nobleProvider, nodeProvider, type CryptoProvider } from '../../src/crypto/index.ts';
import { fromHex as hex, toHex } from '../helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(process.env.JSP_SHARED_VECTORS ?? join(ROOT, '../shared/vectors'), 'wycheproof');
const PROVIDERS: CryptoProvider[] = [nobleProvider, nodeProvider];

type Result = 'valid' | 'invalid' | 'acceptable';
interface Test { tcId: number; comment?: string; flags: string[]; result: Result; [k: string]: unknown }
interface Group { tests: Test[]; [k: string]: unknown }
interface File { algorithm: string; numberOfTests: number; testGroups: Group[] }

/** Tally per provider × file, printed at the end: what was accepted / rejected per result. */
const tally = new Map<string, Record<string, number>>();
function count(provider: string, file: string, result: Result, accepted: boolean): void {
  const key = `${provider.padEnd(5)} ${file}`;
  const t = tally.get(key) ?? {};
  const k = `${result}:${accepted ? 'accepted' : 'rejected'}`;
  t[k] = (t[k] ?? 0) + 1;
  tally.set(key, t);
}

/**
 * Registers `run` for each provider. A missing vector file is a failing test, loudly, everywhere
 * (as a missing toolchain is for the codegen targets): an untested primitive must never look
 * like a pass, and ../shared/vectors is always beside the repository (or JSP_SHARED_VECTORS).
 */
function suite(file: string, run: (p: CryptoProvider, f: File) => void): void {
  const path = join(DIR, file);
  if (!existsSync(path)) {
    const msg = `Wycheproof vector file missing: ${path} — ${file} NOT TESTED (put ../shared/vectors beside the repository or set JSP_SHARED_VECTORS)`;
    console.error(`\n${'!'.repeat(100)}\n!!! ${msg}\n${'!'.repeat(100)}\n`);
    test(`${file}: vector file present`, () => assert.unreachable(msg));
    return;
  }
  const data = JSON.parse(readFileSync(path, 'utf8')) as File;
  for (const p of PROVIDERS) test(`${p.name}: ${file}`, () => run(p, data));
}

const tests = (f: File, keep: (g: Group) => boolean = () => true) =>
  f.testGroups.filter(keep).flatMap((g) => g.tests.map((t) => ({ g, t })));
const id = (t: Test) => `tc ${t.tcId} ${t.comment ?? ''} [${t.flags.join(',')}]`;

/** Runs f, requires it to throw an error of `cls` (by name too: a second module copy has another identity). */
function throwsA(f: () => unknown, cls: new (...a: any[]) => Error, what: string): Error {
  try {
    f();
  } catch (e) {
    if (e instanceof cls || (e instanceof Error && e.name === cls.name)) return e as Error;
    throw new Error(`${what}: expected ${cls.name}, got ${String(e)}`);
  }
  throw new Error(`${what}: expected ${cls.name}, nothing was thrown`);
}

// ───────────────────────────── X25519 ─────────────────────────────

suite('x25519_test.json', (p, f) => {
  const all = tests(f);
  assert.is(all.length, f.numberOfTests);
  for (const { t } of all) {
    const sk = hex(t.private as string), pub = hex(t.public as string), shared = t.shared as string;
    const rejectExpected = t.result === 'invalid' || (t.result === 'acceptable' && t.flags.includes('ZeroSharedSecret'));
    if (rejectExpected) {
      const e = throwsA(() => p.x25519.sharedSecret(sk, pub), CryptoError, id(t)) as CryptoError;
      assert.is(e.kind, 'x25519_zero_shared_secret', id(t));
      assert.is(shared, '0'.repeat(64), `${id(t)}: only an all-zero result is refused`);
      throwsA(() => p.x25519.keygen(sk).sharedSecret(pub), CryptoError, id(t));
    } else {
      assert.is(toHex(p.x25519.sharedSecret(sk, pub)), shared, id(t));
      assert.is(toHex(p.x25519.keygen(sk).sharedSecret(pub)), shared, `${id(t)} (key handle)`);
    }
    count(p.name, 'x25519', t.result, !rejectExpected);
  }
});

// ───────────────────────────── Ed25519 ─────────────────────────────

suite('ed25519_test.json', (p, f) => {
  const all = tests(f);
  assert.is(all.length, f.numberOfTests);
  for (const { g, t } of all) {
    const pk = hex((g.publicKey as { pk: string }).pk);
    const ok = p.ed25519.verify(pk, hex(t.msg as string), hex(t.sig as string));
    assert.is(ok, t.result === 'valid', id(t));
    count(p.name, 'ed25519', t.result, ok);
  }
});

// ────────────────────────────── AEAD ───────────────────────────────

function aeadSuite(p: CryptoProvider, f: File, file: string, suiteName: 'chacha20-poly1305' | 'aes-256-gcm',
  keep: (g: Group) => boolean, expected: number): void {
  const all = tests(f, keep);
  assert.is(all.length, expected, `${file}: tests selected`);
  for (const { t } of all) {
    const key = hex(t.key as string), iv = hex(t.iv as string), aad = hex(t.aad as string), msg = hex(t.msg as string);
    const sealed = toHex(hex(t.ct as string)) + toHex(hex(t.tag as string));
    const k = p.aead(suiteName, key);
    let accepted: boolean;
    if (iv.length !== 12) {
      // InvalidNonceSize: JSP only has 12-byte nonces; both directions refuse as misuse.
      throwsA(() => k.seal(iv, msg, aad), RangeError, id(t));
      throwsA(() => k.open(iv, hex(sealed), aad), RangeError, id(t));
      accepted = false;
    } else {
      const opened = k.open(iv, hex(sealed), aad);
      accepted = opened !== null;
      if (t.result === 'valid') {
        assert.is(toHex(k.seal(iv, msg, aad)), sealed, `${id(t)}: seal`);
        assert.is(opened === null ? null : toHex(opened), t.msg, `${id(t)}: open`);
      } else {
        assert.is(opened, null, `${id(t)}: a modified tag must not open`);
      }
    }
    assert.is(accepted, t.result === 'valid', id(t));
    count(p.name, file, t.result, accepted);
  }
}

suite('chacha20_poly1305_test.json', (p, f) =>
  aeadSuite(p, f, 'chacha20_poly1305', 'chacha20-poly1305', () => true, f.numberOfTests));

suite('aes_gcm_test.json', (p, f) => {
  const keep = (g: Group) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128;
  // The filter must select something: an upstream change of group layout should fail, not skip.
  assert.ok(f.testGroups.some(keep), 'aes_gcm_test.json has a keySize 256 / ivSize 96 / tagSize 128 group');
  aeadSuite(p, f, 'aes_gcm(256/96/128)', 'aes-256-gcm', keep, tests(f, keep).length);
});

// ─────────────────────────── HKDF, HMAC ────────────────────────────

suite('hkdf_sha256_test.json', (p, f) => {
  const all = tests(f);
  assert.is(all.length, f.numberOfTests);
  for (const { t } of all) {
    const ikm = hex(t.ikm as string), salt = hex(t.salt as string), info = hex(t.info as string), size = t.size as number;
    if (t.result === 'valid') {
      assert.is(toHex(p.hkdf(salt, ikm, info, size)), t.okm, id(t));
      assert.is(toHex(p.hkdfExpand(p.hkdfExtract(salt, ikm), info, size)), t.okm, `${id(t)} (extract + expand)`);
      count(p.name, 'hkdf_sha256', t.result, true);
    } else {
      // SizeTooLarge: L > 255 × HashLen (RFC 5869 §2.3).
      const e = throwsA(() => p.hkdf(salt, ikm, info, size), RangeError, id(t));
      assert.match(e.message, '0..8160', id(t));
      throwsA(() => p.hkdfExpand(p.hkdfExtract(salt, ikm), info, size), RangeError, id(t));
      count(p.name, 'hkdf_sha256', t.result, false);
    }
  }
});

suite('hmac_sha256_test.json', (p, f) => {
  const all = tests(f);
  assert.is(all.length, f.numberOfTests);
  assert.ok(f.testGroups.some((g) => g.tagSize === 128), 'the file has truncated-tag groups');
  for (const { g, t } of all) {
    const tagBytes = (g.tagSize as number) / 8;
    const full = p.hmacSha256(hex(t.key as string), hex(t.msg as string));
    assert.is(full.length, 32);
    const tag = hex(t.tag as string);
    // A verifier compares the received tag with the (truncated) computed one, in constant time;
    // a tag of another length is refused by the length check in equalBytes.
    const ok = equalBytes(full.subarray(0, tagBytes), tag);
    assert.is(ok, t.result === 'valid', id(t));
    if (t.result === 'valid') assert.is(toHex(full.subarray(0, tagBytes)), t.tag, id(t));
    count(p.name, 'hmac_sha256', t.result, ok);
  }
});

// ──────────────────────────── ML-KEM-768 ───────────────────────────

suite('mlkem_768_test.json', (p, f) => {
  const all = tests(f);
  assert.is(all.length, f.numberOfTests);
  for (const { t } of all) {
    const seed = hex(t.seed as string), c = hex(t.c as string);
    if (t.result === 'valid') {
      const { publicKey, secretKey } = p.mlkem768.keygen(seed);
      assert.is(toHex(publicKey), t.ek, `${id(t)}: ek`);
      assert.is(toHex(p.mlkem768.decapsulate(secretKey, c)), t.K, `${id(t)}: K`);
      count(p.name, 'mlkem_768 (decaps)', t.result, true);
    } else {
      // Malformed seed ("private key too short/long") or ciphertext length: refused as misuse,
      // before any arithmetic (the decoder of the handshake message has fixed lengths).
      throwsA(() => p.mlkem768.decapsulate(p.mlkem768.keygen(seed).secretKey, c), RangeError, id(t));
      count(p.name, 'mlkem_768 (decaps)', t.result, false);
    }
  }
});

suite('mlkem_768_encaps_test.json', (p, f) => {
  const all = tests(f);
  assert.is(all.length, f.numberOfTests);
  for (const { t } of all) {
    const ek = hex(t.ek as string), m = hex(t.m as string);
    if (t.result === 'valid') {
      const { cipherText, sharedSecret } = p.mlkem768.encapsulate(ek, m);
      assert.is(toHex(cipherText), t.c, `${id(t)}: c`);
      assert.is(toHex(sharedSecret), t.K, `${id(t)}: K`);
      count(p.name, 'mlkem_768_encaps', t.result, true);
    } else if (ek.length === 1184) {
      // "Public key not reduced" / ModulusOverflow: the FIPS 203 §7.2 modulus check.
      const e = throwsA(() => p.mlkem768.encapsulate(ek, m), CryptoError, id(t)) as CryptoError;
      assert.is(e.kind, 'mlkem_invalid_public_key', id(t));
      count(p.name, 'mlkem_768_encaps', t.result, false);
    } else {
      throwsA(() => p.mlkem768.encapsulate(ek, m), RangeError, id(t));
      count(p.name, 'mlkem_768_encaps', t.result, false);
    }
  }
});

test.after(() => {
  if (tally.size === 0) return;
  console.log('\nWycheproof outcomes (result:what the provider did):');
  for (const [k, v] of [...tally].sort()) {
    console.log(`  ${k.padEnd(36)} ${Object.entries(v).map(([r, n]) => `${r}=${n}`).join('  ')}`);
  }
});

test.run();
