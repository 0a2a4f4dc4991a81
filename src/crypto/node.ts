/**
 * The fast CryptoProvider: `node:crypto` (OpenSSL 3) for X25519, Ed25519, SHA-256, HMAC, HKDF,
 * ChaCha20-Poly1305 and AES-256-GCM; ML-KEM-768 from @noble/post-quantum (`mlkem.ts`), as
 * Node 20 has none.
 *
 * Costs that shaped it (measured on Node 20 / OpenSSL 3.0; rerun `src/bench/aead.ts` and the
 * report's script for numbers of your machine):
 * - Raw X25519/Ed25519 keys enter OpenSSL as **JWK**, never DER: importing a public key from SPKI
 *   DER goes through OpenSSL 3's decoder framework (~80 µs), a JWK import is ~5 µs; a private key
 *   from PKCS#8 DER costs ~360 µs, from JWK ~26 µs (mostly the scalar multiplication that derives
 *   its public key). Node validates the JWK `x` of a private key only as a string and derives the
 *   public key from `d`, so `x: ''` is passed; should a future Node refuse that, the PKCS#8 route
 *   is the fallback (slow but correct).
 * - Key handles (`x25519.keygen`, `ed25519.keygen`) keep the OpenSSL KeyObject so a static or
 *   ephemeral key is imported once, not per DH.
 * - Each AEAD call is a `createCipheriv`/`createDecipheriv` (~5 µs of fixed cost): node has no
 *   reusable cipher context, so `aead()` only keeps a private copy of the key. (A `KeyObject`
 *   from `createSecretKey` instead of the raw key measured the same, ±5%: not worth holding.)
 *   `sealInto` copies node's fresh ciphertext into the caller's buffer (a 1200-byte `set` is
 *   ~40 ns; allocating the 1216-byte `ciphertext ‖ tag` array `seal` returns is ~0.7 µs).
 * - Header protection (RFC 9001 §5.4), per-mask costs measured side by side (`compare()` medians
 *   on this project's 2-core VM, Node 20.20 / OpenSSL 3.0, 2026-11-24, two runs):
 *   - AES-256: one `aes-256-ecb` Cipher per key, reused, `update()` of one block per mask and no
 *     `final()`: **560–880 ns**. A new `createCipheriv('aes-256-ecb')` per mask: 2.3 µs;
 *     `aes-256-ctr` with the sample as IV per mask: 2.2 µs; noble with a cached key schedule:
 *     490–740 ns (about the same — OpenSSL's AES-NI is kept: no table lookups on secret data).
 *   - ChaCha20: node's `chacha20` cipher takes exactly the sample as its 16-byte IV (counter LE ‖
 *     nonce), but a context per mask costs 2.0–3.2 µs; noble's `chacha20` 1.4–2.2 µs; the
 *     single-block function `chacha20HeaderMask` (noble.ts) **155–265 ns**, so it is used here.
 *
 * Secret hygiene limits: a JWK import puts the secret key into a base64url JS string, which cannot
 * be zeroed (it lives until GC); OpenSSL's copy inside a KeyObject is freed, not zeroed by us, when
 * the handle is wiped and collected. Buffers this module allocates for secrets are zeroed.
 *
 * @module
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  randomFillSync,
  sign as nodeSign,
  verify as nodeVerify,
  type Cipher,
  type KeyObject,
} from 'node:crypto';
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
import { chacha20HeaderMask, chacha20KeyWords } from './noble.ts';

const EMPTY = new Uint8Array(0);
const TAG = LENGTHS.aeadTag;
const AEAD_OPTIONS = { authTagLength: TAG } as const;

/** A plain Uint8Array view of a Buffer's bytes (no copy): callers never get Buffer semantics. */
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
const b64u = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64url');

// ───────────────────────────── key import ─────────────────────────────

type OkpCurve = 'X25519' | 'Ed25519';

/** PKCS#8 prefixes (RFC 8410 §7): SEQ { INTEGER 0, SEQ { OID 1.3.101.110 / .112 }, OCTET STRING { OCTET STRING(32) } }. */
const PKCS8_PREFIX: Record<OkpCurve, Uint8Array> = {
  X25519: Uint8Array.from(Buffer.from('302e020100300506032b656e04220420', 'hex')),
  Ed25519: Uint8Array.from(Buffer.from('302e020100300506032b657004220420', 'hex')),
};

/**
 * A private KeyObject from 32 raw bytes. `route` forces one path (the tests check both agree).
 * @internal
 */
export function importPrivate(crv: OkpCurve, secret: Uint8Array, route?: 'jwk' | 'pkcs8'): KeyObject {
  if (route !== 'pkcs8') {
    try {
      return createPrivateKey({ key: { kty: 'OKP', crv, d: b64u(secret), x: '' }, format: 'jwk' });
    } catch (e) {
      if (route === 'jwk') throw e;
    }
  }
  const der = new Uint8Array(48);
  der.set(PKCS8_PREFIX[crv]);
  der.set(secret, 16);
  try {
    return createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
  } finally {
    wipe(der);
  }
}

/** A public KeyObject from 32 raw bytes (JWK: ~16× cheaper than SPKI DER). */
const importPublic = (crv: OkpCurve, pub: Uint8Array): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv, x: b64u(pub) }, format: 'jwk' });

/** The raw 32-byte public key of a private KeyObject (JWK export of the public half: ~2 µs). */
function rawPublic(priv: KeyObject): Uint8Array {
  const x = createPublicKey(priv).export({ format: 'jwk' }).x;
  return u8(Buffer.from(x!, 'base64url'));
}

// ─────────────────────────────── hashes ───────────────────────────────

function sha256(...data: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const d of data) h.update(bytes(d, 'sha256', 'data'));
  return u8(h.digest());
}

function hmacSha256(key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', bytes(key, 'hmacSha256', 'key'));
  for (const d of data) h.update(bytes(d, 'hmacSha256', 'data'));
  return u8(h.digest());
}

/** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an empty HMAC key equals HashLen zeros (RFC 2104 §2). */
function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return hmacSha256(bytes(salt, 'hkdfExtract', 'salt'), bytes(ikm, 'hkdfExtract', 'ikm'));
}

/**
 * RFC 5869 §2.3: T(0) = empty, T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), OKM = first L bytes of T(1) ‖ T(2) ‖ ….
 * (`crypto.hkdfSync` always runs Extract first and caps info at 1024 bytes, so Expand is built on HMAC.)
 */
function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  bytes(prk, 'hkdfExpand', 'prk');
  if (prk.length < LENGTHS.hash) throw new RangeError(`hkdfExpand: prk must be at least ${LENGTHS.hash} bytes, got ${prk.length}`);
  bytes(info, 'hkdfExpand', 'info');
  intIn(length, 0, LENGTHS.hkdfMax, 'hkdfExpand', 'length');
  const okm = new Uint8Array(length);
  const counter = new Uint8Array(1);
  let t: Buffer | undefined;
  for (let i = 1, off = 0; off < length; i++, off += LENGTHS.hash) {
    const h = createHmac('sha256', prk);
    if (t !== undefined) h.update(t);
    counter[0] = i;
    const next = h.update(info).update(counter).digest();
    if (t !== undefined) t.fill(0);
    t = next;
    okm.set(length - off < LENGTHS.hash ? t.subarray(0, length - off) : t, off);
  }
  t?.fill(0);
  return okm;
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

/**
 * node:crypto AEAD. `authTagLength: 16` is passed on both sides: without it a GCM decipher would
 * accept a truncated tag given to `setAuthTag` (we always pass 16 bytes, but say so anyway).
 */
function aead(suite: AeadSuite, key: Uint8Array): AeadKey {
  aeadSuite(suite, 'aead');
  const k = bytesOf(key, LENGTHS.aeadKey, 'aead', 'key').slice();
  const where = `aead(${suite})`;
  let live = true;
  /** Seals into out[offset…] (checked by the caller). `update()` reads all of `plaintext` before the copy. */
  const sealTo = (nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, offset: number): void => {
    const c = suite === 'aes-256-gcm'
      ? createCipheriv('aes-256-gcm', k, nonce, AEAD_OPTIONS)
      : createCipheriv('chacha20-poly1305', k, nonce, AEAD_OPTIONS);
    if (aad.length !== 0) c.setAAD(aad);
    if (plaintext.length !== 0) out.set(c.update(plaintext), offset);
    c.final(); // stream ciphers / GCM: final() emits no bytes
    out.set(c.getAuthTag(), offset + plaintext.length);
  };
  return {
    suite,
    seal(nonce, plaintext, aad = EMPTY) {
      if (!live) throw wiped(`${where}.seal`);
      bytesOf(nonce, LENGTHS.aeadNonce, `${where}.seal`, 'nonce');
      bytes(plaintext, `${where}.seal`, 'plaintext');
      bytes(aad, `${where}.seal`, 'aad');
      const out = new Uint8Array(plaintext.length + TAG);
      sealTo(nonce, plaintext, aad, out, 0);
      return out;
    },
    sealInto(nonce, plaintext, aad, out, offset) {
      if (!live) throw wiped(`${where}.sealInto`);
      bytesOf(nonce, LENGTHS.aeadNonce, `${where}.sealInto`, 'nonce');
      bytes(plaintext, `${where}.sealInto`, 'plaintext');
      bytes(aad, `${where}.sealInto`, 'aad');
      const end = checkSealInto(`${where}.sealInto`, plaintext, aad, out, offset);
      sealTo(nonce, plaintext, aad, out, offset);
      return end - offset;
    },
    open(nonce, sealed, aad = EMPTY) {
      if (!live) throw wiped(`${where}.open`);
      bytesOf(nonce, LENGTHS.aeadNonce, `${where}.open`, 'nonce');
      bytes(sealed, `${where}.open`, 'sealed');
      bytes(aad, `${where}.open`, 'aad');
      if (sealed.length < TAG) return null;
      const n = sealed.length - TAG;
      const d = suite === 'aes-256-gcm'
        ? createDecipheriv('aes-256-gcm', k, nonce, AEAD_OPTIONS)
        : createDecipheriv('chacha20-poly1305', k, nonce, AEAD_OPTIONS);
      d.setAuthTag(sealed.subarray(n));
      if (aad.length !== 0) d.setAAD(aad);
      const pt = n === 0 ? undefined : d.update(sealed.subarray(0, n));
      try {
        d.final(); // OpenSSL checks the tag here, with CRYPTO_memcmp
      } catch {
        pt?.fill(0); // never release (or leave behind) unauthenticated plaintext
        return null;
      }
      return pt === undefined ? new Uint8Array(0) : u8(pt);
    },
    wipe() {
      live = false;
      wipe(k);
    },
  };
}

// ───────────────────────── header protection ──────────────────────────

/**
 * RFC 9001 §5.4 on the cheapest measured route of each cipher (see the module comment): a reused
 * OpenSSL `aes-256-ecb` context, and the single-block ChaCha20 of `noble.ts`.
 */
function headerProtection(kind: HeaderProtectionKind, hpKey: Uint8Array): HeaderProtectionKey {
  checkHeaderProtectionKind(kind, 'headerProtection');
  const key = bytesOf(hpKey, LENGTHS.hpKey, 'headerProtection', 'hpKey');
  const where = `headerProtection(${kind}).mask`;
  if (kind === 'aes-256-ecb') {
    // ECB without padding: update() of one 16-byte block returns its 16 encrypted bytes at once
    // and keeps nothing buffered, so the context serves every mask of the key's lifetime.
    let ecb: Cipher | undefined = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    return {
      kind,
      mask(sample) {
        if (ecb === undefined) throw wiped(where);
        const block = ecb.update(bytesOf(sample, LENGTHS.hpSample, where, 'sample'));
        return new Uint8Array(block.buffer, block.byteOffset, LENGTHS.hpMask);
      },
      wipe() {
        // final() makes node release the OpenSSL context (EVP_CIPHER_CTX_free cleanses the schedule).
        ecb?.final();
        ecb = undefined;
      },
    };
  }
  const words = chacha20KeyWords(key);
  let live = true;
  return {
    kind,
    mask(sample) {
      if (!live) throw wiped(where);
      return chacha20HeaderMask(words, bytesOf(sample, LENGTHS.hpSample, where, 'sample'));
    },
    wipe() {
      live = false;
      words.fill(0);
    },
  };
}

// ─────────────────────────────── X25519 ───────────────────────────────

function x25519Shared(priv: KeyObject, peerPublic: Uint8Array, where: string): Uint8Array {
  bytesOf(peerPublic, LENGTHS.x25519, where, 'peerPublic');
  let out: Buffer;
  try {
    out = diffieHellman({ privateKey: priv, publicKey: importPublic('X25519', peerPublic) });
  } catch (e) {
    // OpenSSL's X25519 derive fails on the all-zero output (ossl_x25519 returns 0): same rule.
    throw new CryptoError('x25519_zero_shared_secret', where, 'the public key is a low-order point', e);
  }
  if (isAllZero(out)) throw new CryptoError('x25519_zero_shared_secret', where, 'the public key is a low-order point');
  return u8(out);
}

const x25519: X25519 = Object.freeze({
  keygen(random: Uint8Array): X25519PrivateKey {
    let priv: KeyObject | undefined = importPrivate('X25519', bytesOf(random, LENGTHS.x25519, 'x25519.keygen', 'random'));
    const publicKey = rawPublic(priv);
    return {
      publicKey,
      sharedSecret(peerPublic) {
        if (priv === undefined) throw wiped('x25519 key.sharedSecret');
        return x25519Shared(priv, peerPublic, 'x25519 key.sharedSecret');
      },
      wipe() {
        priv = undefined; // OpenSSL frees its copy when the KeyObject is collected
      },
    };
  },
  publicKey(secretKey: Uint8Array) {
    return rawPublic(importPrivate('X25519', bytesOf(secretKey, LENGTHS.x25519, 'x25519.publicKey', 'secretKey')));
  },
  sharedSecret(secretKey: Uint8Array, peerPublic: Uint8Array) {
    bytesOf(secretKey, LENGTHS.x25519, 'x25519.sharedSecret', 'secretKey');
    bytesOf(peerPublic, LENGTHS.x25519, 'x25519.sharedSecret', 'peerPublic');
    return x25519Shared(importPrivate('X25519', secretKey), peerPublic, 'x25519.sharedSecret');
  },
});

// ─────────────────────────────── Ed25519 ──────────────────────────────

/** OpenSSL's ED25519_verify: strict RFC 8032 (S < L, canonical R; A must decode). Never throws. */
function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  bytes(publicKey, 'ed25519.verify', 'publicKey');
  bytes(message, 'ed25519.verify', 'message');
  bytes(signature, 'ed25519.verify', 'signature');
  if (publicKey.length !== LENGTHS.ed25519Key || signature.length !== LENGTHS.ed25519Signature) return false;
  try {
    return nodeVerify(null, message, importPublic('Ed25519', publicKey), signature);
  } catch {
    return false;
  }
}

const ed25519: Ed25519 = Object.freeze({
  keygen(seed: Uint8Array): Ed25519PrivateKey {
    let priv: KeyObject | undefined = importPrivate('Ed25519', bytesOf(seed, LENGTHS.ed25519Key, 'ed25519.keygen', 'seed'));
    const publicKey = rawPublic(priv);
    return {
      publicKey,
      sign(message) {
        if (priv === undefined) throw wiped('ed25519 key.sign');
        return u8(nodeSign(null, bytes(message, 'ed25519 key.sign', 'message'), priv));
      },
      wipe() {
        priv = undefined;
      },
    };
  },
  publicKey(seed: Uint8Array) {
    return rawPublic(importPrivate('Ed25519', bytesOf(seed, LENGTHS.ed25519Key, 'ed25519.publicKey', 'seed')));
  },
  sign(seed: Uint8Array, message: Uint8Array) {
    const priv = importPrivate('Ed25519', bytesOf(seed, LENGTHS.ed25519Key, 'ed25519.sign', 'seed'));
    return u8(nodeSign(null, bytes(message, 'ed25519.sign', 'message'), priv));
  },
  verify: ed25519Verify,
});

// ────────────────────────────── provider ──────────────────────────────

/** The node:crypto provider. Stateless; safe to share. */
export const nodeProvider: CryptoProvider = Object.freeze({
  name: 'node',
  aeadSuites: AEAD_SUITES,
  randomBytes: (n: number) => randomFillSync(new Uint8Array(intIn(n, 0, 2 ** 31 - 1, 'randomBytes', 'n'))),
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
