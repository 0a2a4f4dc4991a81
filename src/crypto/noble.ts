/**
 * The portable CryptoProvider: @noble/curves, @noble/hashes, @noble/ciphers (2.x) and
 * @noble/post-quantum. Audited pure-JS implementations that run in browsers and any JS runtime;
 * slower than OpenSSL (see `src/bench/aead.ts`) but byte-for-byte the same (test/crypto).
 *
 * @module
 */
import { ecb, gcm, unsafe as aesUnsafe } from '@noble/ciphers/aes.js';
import { chacha20, chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519 as nobleEd25519, x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js';
import { aeadSuite, bytes, bytesOf, intIn, wiped } from './assert.ts';
import { isAllZero, wipe } from './ct.ts';
import { CryptoError } from './errors.ts';
import { mlkem768 } from './mlkem.ts';
import {
  AEAD_SUITES,
  LENGTHS,
  type AeadKey,
  type AeadSuite,
  checkHeaderProtectionKind,
  checkSealInto,
  type CryptoProvider,
  type Ed25519,
  type Ed25519PrivateKey,
  type HeaderProtectionKey,
  type HeaderProtectionKind,
  type X25519,
  type X25519PrivateKey,
} from './provider.ts';

const EMPTY = new Uint8Array(0);

// ─────────────────────────────── hashes ───────────────────────────────

function sha256(...data: Uint8Array[]): Uint8Array {
  const h = nobleSha256.create();
  for (const d of data) h.update(bytes(d, 'sha256', 'data'));
  return h.digest();
}

function hmacSha256(key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const h = hmac.create(nobleSha256, bytes(key, 'hmacSha256', 'key'));
  for (const d of data) h.update(bytes(d, 'hmacSha256', 'data'));
  return h.digest();
}

/** RFC 5869 §2.2. noble treats an empty salt as HashLen zeros, as the RFC says. */
function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(nobleSha256, bytes(ikm, 'hkdfExtract', 'ikm'), bytes(salt, 'hkdfExtract', 'salt'));
}

/** RFC 5869 §2.3; the length limit is checked here so both providers throw the same RangeError. */
function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  bytes(prk, 'hkdfExpand', 'prk');
  if (prk.length < LENGTHS.hash) throw new RangeError(`hkdfExpand: prk must be at least ${LENGTHS.hash} bytes, got ${prk.length}`);
  bytes(info, 'hkdfExpand', 'info');
  intIn(length, 0, LENGTHS.hkdfMax, 'hkdfExpand', 'length');
  if (length === 0) return new Uint8Array(0);
  return expand(nobleSha256, prk, info, length);
}

function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  intIn(length, 0, LENGTHS.hkdfMax, 'hkdf', 'length');
  const prk = hkdfExtract(salt, ikm);
  try {
    return hkdfExpand(prk, info, length);
  } finally {
    wipe(prk);
  }
}

// ──────────────────────────────── AEAD ────────────────────────────────

const CIPHERS = { 'chacha20-poly1305': chacha20poly1305, 'aes-256-gcm': gcm } as const;

function aead(suite: AeadSuite, key: Uint8Array): AeadKey {
  aeadSuite(suite, 'aead');
  const k = bytesOf(key, LENGTHS.aeadKey, 'aead', 'key').slice();
  const cipher = CIPHERS[suite];
  const where = `aead(${suite})`;
  let live = true;
  return {
    suite,
    seal(nonce, plaintext, aad = EMPTY) {
      if (!live) throw wiped(`${where}.seal`);
      bytesOf(nonce, LENGTHS.aeadNonce, `${where}.seal`, 'nonce');
      bytes(plaintext, `${where}.seal`, 'plaintext');
      bytes(aad, `${where}.seal`, 'aad');
      return cipher(k, nonce, aad).encrypt(plaintext);
    },
    open(nonce, sealed, aad = EMPTY) {
      if (!live) throw wiped(`${where}.open`);
      bytesOf(nonce, LENGTHS.aeadNonce, `${where}.open`, 'nonce');
      bytes(sealed, `${where}.open`, 'sealed');
      bytes(aad, `${where}.open`, 'aad');
      if (sealed.length < LENGTHS.aeadTag) return null;
      try {
        // noble compares the tag in constant time (utils.ts equalBytes) before decrypting.
        return cipher(k, nonce, aad).decrypt(sealed);
      } catch {
        // Every argument was checked above: the one failure left is the tag ("invalid tag").
        return null;
      }
    },
    sealInto(nonce, plaintext, aad, out, offset) {
      if (!live) throw wiped(`${where}.sealInto`);
      bytesOf(nonce, LENGTHS.aeadNonce, `${where}.sealInto`, 'nonce');
      bytes(plaintext, `${where}.sealInto`, 'plaintext');
      bytes(aad, `${where}.sealInto`, 'aad');
      const end = checkSealInto(`${where}.sealInto`, plaintext, aad, out, offset);
      if (suite === 'chacha20-poly1305') {
        // noble's ChaCha20-Poly1305 writes into `output` (in place when plaintext is already there).
        chacha20poly1305(k, nonce, aad).encrypt(plaintext, out.subarray(offset, end));
      } else {
        // noble's GCM has no output argument: one copy.
        out.set(gcm(k, nonce, aad).encrypt(plaintext), offset);
      }
      return end - offset;
    },
    wipe() {
      live = false;
      wipe(k);
    },
  };
}

// ───────────────────────── header protection ──────────────────────────

/** Little-endian u32 at `b[i]` (any alignment). */
const u32le = (b: Uint8Array, i: number): number => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;

/**
 * A 32-byte ChaCha20 key as its eight little-endian words (RFC 8439 §2.3), for
 * {@link chacha20HeaderMask}.
 * @internal
 */
export function chacha20KeyWords(key: Uint8Array): Uint32Array {
  const w = new Uint32Array(8);
  for (let i = 0; i < 8; i++) w[i] = u32le(key, 4 * i);
  return w;
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/**
 * RFC 9001 §5.4.4 header-protection mask: the first 5 bytes of the ChaCha20 block function
 * (RFC 8439 §2.3) with key words `k`, block counter = sample[0..3] little-endian and nonce =
 * sample[4..15] — i.e. the 16 sample bytes are state words 12..15 as they stand. One block, only
 * words 0 and 1 of it serialised; no allocation but the 5-byte result.
 *
 * Why hand-written, not a library call (per-call cost, 32-byte key, Node 20.20 on this project's
 * 2-core VM, `compare()` medians, 2026-11-24): this function 155–265 ns; @noble/ciphers
 * `chacha20(key, nonce, 5 zero bytes, out, counter)` 1.36–2.2 µs (its per-call setup dominates
 * a single block); node:crypto `createCipheriv('chacha20', key, sample).update(5 zero bytes)`
 * 2.0–3.2 µs (a cipher context per call). And noble refuses counter 2^32 − 1 ("arx: counter
 * overflow", its non-wrapping policy), which RFC 9001 samples hit once in 2^32 packets: the
 * noble provider calls this function for that counter. ChaCha20 is add-rotate-xor, constant
 * time in JS as in C. Checked against RFC 9001 A.5, and against noble and OpenSSL on random
 * samples and on that counter (test/crypto/header-protection.test.ts).
 * @internal
 */
export function chacha20HeaderMask(k: Uint32Array, sample: Uint8Array): Uint8Array {
  // "expand 32-byte k" (RFC 8439 §2.3)
  let x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
  let x4 = k[0], x5 = k[1], x6 = k[2], x7 = k[3], x8 = k[4], x9 = k[5], x10 = k[6], x11 = k[7];
  let x12 = u32le(sample, 0), x13 = u32le(sample, 4), x14 = u32le(sample, 8), x15 = u32le(sample, 12);
  for (let i = 0; i < 10; i++) {
    // column rounds: QR(0,4,8,12) QR(1,5,9,13) QR(2,6,10,14) QR(3,7,11,15)
    x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 16); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 12);
    x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 8); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 7);
    x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 16); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 12);
    x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 8); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 7);
    x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 16); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 12);
    x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 8); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 7);
    x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 16); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 12);
    x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 8); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 7);
    // diagonal rounds: QR(0,5,10,15) QR(1,6,11,12) QR(2,7,8,13) QR(3,4,9,14)
    x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 16); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 12);
    x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 8); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 7);
    x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 16); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 12);
    x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 8); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 7);
    x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 16); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 12);
    x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 8); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 7);
    x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 16); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 12);
    x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 8); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 7);
  }
  // Only output words 0 and 1 (input added back, §2.3) are serialised: keystream bytes 0..4.
  const w0 = (x0 + 0x61707865) | 0, w1 = (x1 + 0x3320646e) | 0;
  const m = new Uint8Array(5);
  m[0] = w0; m[1] = w0 >>> 8; m[2] = w0 >>> 16; m[3] = w0 >>> 24; m[4] = w1;
  return m;
}

const ZERO5 = new Uint8Array(5);

/**
 * AES-256 on one block with the key schedule expanded once (noble's `unsafe.expandKeyLE` /
 * `encryptBlock`, 0.5–0.7 µs per mask), falling back to `ecb(key).encrypt` (~2.9 µs: it expands
 * the key on every call) should a noble release drop those internals.
 */
function aesBlockEncrypter(key: Uint8Array): { encrypt(sample: Uint8Array): Uint8Array; wipe(): void } {
  if (typeof aesUnsafe?.expandKeyLE === 'function' && typeof aesUnsafe.encryptBlock === 'function') {
    const xk = aesUnsafe.expandKeyLE(key);
    return {
      encrypt: (sample) => aesUnsafe.encryptBlock(xk, sample.slice()), // in place on an aligned copy
      wipe: () => xk.fill(0),
    };
  }
  /* c8 ignore next 4 */
  return {
    encrypt: (sample) => ecb(key, { disablePadding: true }).encrypt(sample),
    wipe: () => undefined,
  };
}

/**
 * RFC 9001 §5.4. `aes-256-ecb`: AES-256(hp, sample) (§5.4.3); `chacha20`: @noble/ciphers
 * `chacha20` with counter = sample[0..3] LE and nonce = sample[4..15] (§5.4.4), except the one
 * counter noble refuses (2^32 − 1), which goes to {@link chacha20HeaderMask}.
 */
function headerProtection(kind: HeaderProtectionKind, hpKey: Uint8Array): HeaderProtectionKey {
  checkHeaderProtectionKind(kind, 'headerProtection');
  const k = bytesOf(hpKey, LENGTHS.hpKey, 'headerProtection', 'hpKey').slice();
  const where = `headerProtection(${kind}).mask`;
  let live = true;
  if (kind === 'aes-256-ecb') {
    const aes = aesBlockEncrypter(k);
    return {
      kind,
      mask(sample) {
        if (!live) throw wiped(where);
        return aes.encrypt(bytesOf(sample, LENGTHS.hpSample, where, 'sample')).subarray(0, LENGTHS.hpMask);
      },
      wipe() {
        live = false;
        aes.wipe();
        wipe(k);
      },
    };
  }
  const words = chacha20KeyWords(k);
  return {
    kind,
    mask(sample) {
      if (!live) throw wiped(where);
      bytesOf(sample, LENGTHS.hpSample, where, 'sample');
      const counter = u32le(sample, 0);
      if (counter === 0xffffffff) return chacha20HeaderMask(words, sample);
      return chacha20(k, sample.subarray(4), ZERO5, new Uint8Array(LENGTHS.hpMask), counter);
    },
    wipe() {
      live = false;
      words.fill(0);
      wipe(k);
    },
  };
}

// ─────────────────────────────── X25519 ───────────────────────────────

function x25519Shared(secretKey: Uint8Array, peerPublic: Uint8Array, where: string): Uint8Array {
  bytesOf(peerPublic, LENGTHS.x25519, where, 'peerPublic');
  let out: Uint8Array;
  try {
    // noble refuses the five low-order u (mod p) before the ladder: exactly the inputs whose
    // output is all zero for a clamped scalar, so it is the same rule as the check below.
    out = nobleX25519.getSharedSecret(secretKey, peerPublic);
  } catch (e) {
    throw new CryptoError('x25519_zero_shared_secret', where, 'the public key is a low-order point', e);
  }
  if (isAllZero(out)) {
    throw new CryptoError('x25519_zero_shared_secret', where, 'the public key is a low-order point');
  }
  return out;
}

const x25519: X25519 = Object.freeze({
  keygen(random: Uint8Array): X25519PrivateKey {
    const sk = bytesOf(random, LENGTHS.x25519, 'x25519.keygen', 'random').slice();
    const publicKey = nobleX25519.getPublicKey(sk);
    let live = true;
    return {
      publicKey,
      sharedSecret(peerPublic) {
        if (!live) throw wiped('x25519 key.sharedSecret');
        return x25519Shared(sk, peerPublic, 'x25519 key.sharedSecret');
      },
      wipe() {
        live = false;
        wipe(sk);
      },
    };
  },
  publicKey(secretKey: Uint8Array) {
    return nobleX25519.getPublicKey(bytesOf(secretKey, LENGTHS.x25519, 'x25519.publicKey', 'secretKey'));
  },
  sharedSecret(secretKey: Uint8Array, peerPublic: Uint8Array) {
    bytesOf(secretKey, LENGTHS.x25519, 'x25519.sharedSecret', 'secretKey');
    return x25519Shared(secretKey, peerPublic, 'x25519.sharedSecret');
  },
});

// ─────────────────────────────── Ed25519 ──────────────────────────────

/** RFC 8032 strictness (zip215: false): canonical A and R, S < L; `verify` never throws. */
function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  bytes(publicKey, 'ed25519.verify', 'publicKey');
  bytes(message, 'ed25519.verify', 'message');
  bytes(signature, 'ed25519.verify', 'signature');
  if (publicKey.length !== LENGTHS.ed25519Key || signature.length !== LENGTHS.ed25519Signature) return false;
  try {
    return nobleEd25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false; // a public key or R that does not decode to a point
  }
}

const ed25519: Ed25519 = Object.freeze({
  keygen(seed: Uint8Array): Ed25519PrivateKey {
    const sk = bytesOf(seed, LENGTHS.ed25519Key, 'ed25519.keygen', 'seed').slice();
    const publicKey = nobleEd25519.getPublicKey(sk);
    let live = true;
    return {
      publicKey,
      sign(message) {
        if (!live) throw wiped('ed25519 key.sign');
        return nobleEd25519.sign(bytes(message, 'ed25519 key.sign', 'message'), sk);
      },
      wipe() {
        live = false;
        wipe(sk);
      },
    };
  },
  publicKey(seed: Uint8Array) {
    return nobleEd25519.getPublicKey(bytesOf(seed, LENGTHS.ed25519Key, 'ed25519.publicKey', 'seed'));
  },
  sign(seed: Uint8Array, message: Uint8Array) {
    bytesOf(seed, LENGTHS.ed25519Key, 'ed25519.sign', 'seed');
    return nobleEd25519.sign(bytes(message, 'ed25519.sign', 'message'), seed);
  },
  verify: ed25519Verify,
});

// ────────────────────────────── provider ──────────────────────────────

/**
 * WebCrypto `getRandomValues` (via @noble/hashes), available in browsers and Node ≥ 19; filled in
 * 64 KiB steps, the most one WebCrypto call may return.
 */
function randomBytes(n: number): Uint8Array {
  intIn(n, 0, 2 ** 31 - 1, 'randomBytes', 'n');
  if (n <= 65536) return nobleRandomBytes(n);
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += 65536) {
    const chunk = nobleRandomBytes(Math.min(65536, n - off));
    out.set(chunk, off);
    wipe(chunk);
  }
  return out;
}

/** The portable provider. Stateless; safe to share. */
export const nobleProvider: CryptoProvider = Object.freeze({
  name: 'noble',
  aeadSuites: AEAD_SUITES,
  randomBytes,
  sha256,
  hmacSha256,
  hkdfExtract,
  hkdfExpand,
  hkdf,
  aead,
  headerProtection,
  x25519,
  ed25519,
  mlkem768,
});
