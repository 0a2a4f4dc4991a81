/**
 * The portable CryptoProvider: @noble/curves, @noble/hashes, @noble/ciphers (2.x) and
 * @noble/post-quantum. Audited pure-JS implementations that run in browsers and any JS runtime;
 * slower than OpenSSL (see `src/bench/aead.ts`) but byte-for-byte the same (test/crypto).
 *
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
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
  type CryptoProvider,
  type Ed25519,
  type Ed25519PrivateKey,
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
    wipe() {
      live = false;
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
  x25519,
  ed25519,
  mlkem768,
});
