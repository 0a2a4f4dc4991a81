/**
 * The CryptoProvider interface: every primitive JSP uses, behind one object.
 *
 * The sans-IO core (`src/core`) receives a provider and never imports a crypto library itself.
 * Two providers implement it and must agree byte for byte (test/crypto):
 * - `nobleProvider` (`noble.ts`): @noble/curves, hashes, ciphers and post-quantum; portable
 *   (browsers, any JS runtime).
 * - `nodeProvider` (`node.ts`): `node:crypto` (OpenSSL) for everything it has; ML-KEM-768 comes
 *   from @noble/post-quantum because Node 20 has no ML-KEM.
 *
 * Rules every implementation follows:
 * - **Synchronous and stateless.** No method returns a promise; a provider holds no mutable state
 *   and touches no global state. Only `randomBytes` reads the OS RNG: key generation takes its
 *   randomness as an argument, so the core can run from a seeded RNG and vectors can be exact.
 * - **Ownership.** Every input buffer stays the caller's: a provider copies what it keeps (key
 *   handles copy their key) and never writes into an input. Every returned buffer is new and
 *   belongs to the caller, who should wipe secrets (`wipe` in `ct.ts`) when a stage ends. Returned
 *   buffers are plain `Uint8Array`s (never a Node `Buffer`, whose `slice` does not copy), though
 *   one may be a view into a larger `ArrayBuffer`: use `byteOffset`/`length`, not `.buffer` alone.
 * - **Errors.** Misuse throws `TypeError`/`RangeError` (see `assert.ts`); peer input that a
 *   primitive refuses throws `CryptoError` (`errors.ts`); an authentication failure is a return
 *   value (`open` → `null`, `verify` → `false`). Tags are compared in constant time by the
 *   underlying library (noble `equalBytes`, OpenSSL `CRYPTO_memcmp`).
 *
 * @module
 */

/** The AEAD algorithms, by their RFC names (also `node:crypto`'s cipher names). */
export type AeadSuite = 'chacha20-poly1305' | 'aes-256-gcm';

/** Every AEAD suite, in a fixed order (the spec, not this list, decides preference and ids). */
export const AEAD_SUITES: readonly AeadSuite[] = Object.freeze(['chacha20-poly1305', 'aes-256-gcm'] as const);

/**
 * The header-protection ciphers of RFC 9001 §5.4, by the names spec/crypto.yaml gives them
 * (`suites[].header_protection`): AES-256 on one block (§5.4.3) and raw ChaCha20 (§5.4.4).
 */
export type HeaderProtectionKind = 'aes-256-ecb' | 'chacha20';

/** Every header-protection cipher, in a fixed order. */
export const HEADER_PROTECTION_KINDS: readonly HeaderProtectionKind[] = Object.freeze(['aes-256-ecb', 'chacha20'] as const);

/** Byte lengths of the primitives (fixed by their RFCs / FIPS, not by JSP's spec). */
export const LENGTHS = Object.freeze({
  /** AEAD key (RFC 8439 §2.8; AES-256). */
  aeadKey: 32,
  /** AEAD nonce (RFC 8439 §2.8; RFC 5116 §3.2 N_MIN = N_MAX = 12 as JSP uses GCM). */
  aeadNonce: 12,
  /** AEAD tag, appended to the ciphertext (RFC 8439 §2.8; GCM with a full 128-bit tag). */
  aeadTag: 16,
  /** SHA-256 digest, HMAC-SHA256 output, HKDF-SHA256 PRK (HashLen). */
  hash: 32,
  /** Longest HKDF-SHA256 output: 255 × HashLen (RFC 5869 §2.3). */
  hkdfMax: 255 * 32,
  /** X25519 secret key, public key and shared secret (RFC 7748 §5). */
  x25519: 32,
  /** Ed25519 secret seed and public key (RFC 8032 §5.1.5). */
  ed25519Key: 32,
  /** Ed25519 signature (RFC 8032 §5.1.6). */
  ed25519Signature: 64,
  /** ML-KEM-768 key-generation seed d ‖ z (FIPS 203 Algorithm 16). */
  mlkemSeed: 64,
  /** ML-KEM-768 encapsulation randomness m (FIPS 203 Algorithm 17). */
  mlkemRandom: 32,
  /** ML-KEM-768 encapsulation key ek (FIPS 203 §8, Table 3). */
  mlkemPublicKey: 1184,
  /** ML-KEM-768 decapsulation key dk, expanded form (FIPS 203 §8, Table 3). */
  mlkemSecretKey: 2400,
  /** ML-KEM-768 ciphertext (FIPS 203 §8, Table 3). */
  mlkemCipherText: 1088,
  /** ML-KEM shared secret K. */
  mlkemSharedSecret: 32,
  /** Header-protection key (AES-256, ChaCha20: RFC 9001 §5.4.3, §5.4.4). */
  hpKey: 32,
  /** Header-protection sample: 16 bytes of ciphertext (RFC 9001 §5.4.2). */
  hpSample: 16,
  /** Header-protection mask: 1 byte for the first byte, 4 for the longest packet number (RFC 9001 §5.4.1). */
  hpMask: 5,
} as const);

/**
 * An AEAD key, ready for many packets (the per-packet path: `open`/`seal` do no key setup beyond
 * what the library needs per call). Holds a private copy of the key until {@link wipe}.
 */
export interface AeadKey {
  readonly suite: AeadSuite;
  /**
   * Encrypts and authenticates: returns `ciphertext ‖ tag` (plaintext length + 16 bytes).
   * `nonce` must be 12 bytes and must never repeat under this key (the caller builds it from the
   * packet number). `aad` defaults to empty.
   */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /**
   * Checks and decrypts `ciphertext ‖ tag`. Returns the plaintext, or `null` when the tag does not
   * verify (including input shorter than a tag) — no plaintext is ever released unauthenticated.
   */
  open(nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null;
  /**
   * {@link seal} into the caller's buffer: writes `ciphertext ‖ tag` (plaintext length + 16 bytes)
   * at `out[offset…]` and returns the number of bytes written. `plaintext` may be the very bytes
   * it is replaced by (`out.subarray(offset, offset + plaintext.length)`: encryption in place) and
   * `aad` may lie elsewhere in `out` (the packet header before the payload); any other overlap
   * with the written range is a RangeError. `out` must have room, a RangeError otherwise.
   *
   * This is the packet path (`src/core/protection`): the sealed payload lands in the datagram
   * buffer with no intermediate `ciphertext ‖ tag` allocation (~0.7 µs for 1.2 kB, see
   * `src/bench/aead.ts`). Whether the library itself writes in place is the provider's business
   * (noble's ChaCha20-Poly1305 does; node:crypto returns a fresh buffer, copied once).
   */
  sealInto(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, offset: number): number;
  /** Zeroes the key copy; any later call throws a TypeError. */
  wipe(): void;
}

/**
 * A header-protection key, ready for many packets (RFC 9001 §5.4). Holds a private copy (or an
 * expanded schedule) of the key until {@link wipe}.
 */
export interface HeaderProtectionKey {
  readonly kind: HeaderProtectionKind;
  /**
   * The 5-byte mask of a 16-byte ciphertext sample: for `aes-256-ecb` the first 5 bytes of
   * AES-256(hp, sample) (RFC 9001 §5.4.3); for `chacha20` ChaCha20(hp, counter = sample[0..3]
   * little-endian, nonce = sample[4..15]) applied to 5 zero bytes (§5.4.4). A sample of another
   * length is a RangeError (the caller discards packets too short to sample before asking).
   * The returned buffer is new and the caller's.
   */
  mask(sample: Uint8Array): Uint8Array;
  /** Zeroes the key copy (or drops the native context); any later call throws a TypeError. */
  wipe(): void;
}

/**
 * An X25519 secret key held by the provider, with its public key. Lets a static key (or an
 * ephemeral used in two DHs) skip the per-call key import (`node:crypto`: ~26 µs, see node.ts).
 */
export interface X25519PrivateKey {
  readonly publicKey: Uint8Array;
  /**
   * X25519(k, u) (RFC 7748 §5). Throws `CryptoError('x25519_zero_shared_secret')` when the result
   * is all zero, i.e. `peerPublic` is a low-order point — RFC 7748 §6.1 lets a protocol reject it,
   * and JSP does: a contributory share is what gives the handshake its binding to both parties.
   */
  sharedSecret(peerPublic: Uint8Array): Uint8Array;
  /** Zeroes (or drops, for a native key object) the secret; any later call throws a TypeError. */
  wipe(): void;
}

/** X25519 (RFC 7748). Non-canonical public keys (u ≥ p, top bit set) are reduced, as §5 requires. */
export interface X25519 {
  /**
   * The key pair whose secret key is `random` (32 bytes from the caller's RNG; clamping is applied
   * by the scalar multiplication, RFC 7748 §5, so the secret is stored as given). `random` stays
   * the caller's: wipe it after this call.
   */
  keygen(random: Uint8Array): X25519PrivateKey;
  /** X25519(k, 9): the public key of a 32-byte secret key. */
  publicKey(secretKey: Uint8Array): Uint8Array;
  /** One-shot X25519(k, u); refuses the all-zero result like {@link X25519PrivateKey.sharedSecret}. */
  sharedSecret(secretKey: Uint8Array, peerPublic: Uint8Array): Uint8Array;
}

/** An Ed25519 signing key held by the provider, with its public key. */
export interface Ed25519PrivateKey {
  readonly publicKey: Uint8Array;
  /** Ed25519 signature of `message` (RFC 8032 §5.1.6; deterministic). */
  sign(message: Uint8Array): Uint8Array;
  wipe(): void;
}

/**
 * Ed25519 (RFC 8032 §5.1, pure, no context). Verification is strict RFC 8032 / FIPS 186-5, the
 * same rule on both providers: S < L, canonical encodings of A and R (no ZIP-215 leniency).
 */
export interface Ed25519 {
  /** The signing key of a 32-byte secret seed (RFC 8032 §5.1.5). `seed` stays the caller's. */
  keygen(seed: Uint8Array): Ed25519PrivateKey;
  publicKey(seed: Uint8Array): Uint8Array;
  sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * Whether `signature` is valid for `message` under `publicKey`. Never throws on peer data: a
   * signature or key of the wrong length, or a key that is not a curve point, is `false`.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** An ML-KEM-768 key pair; `secretKey` is the expanded 2400-byte dk and is the caller's to wipe. */
export interface MlKemKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** ML-KEM-768 (FIPS 203), deterministic given its randomness. */
export interface MlKem768 {
  /** ML-KEM.KeyGen_internal(d, z) with `seed` = d ‖ z, 64 bytes (FIPS 203 Algorithm 16). */
  keygen(seed: Uint8Array): MlKemKeyPair;
  /**
   * ML-KEM.Encaps_internal(ek, m) with `random` = m, 32 bytes (FIPS 203 Algorithm 17), after the
   * §7.2 input check: throws `CryptoError('mlkem_invalid_public_key')` on a key that fails it.
   */
  encapsulate(publicKey: Uint8Array, random: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  /**
   * ML-KEM.Decaps (FIPS 203 Algorithm 18). A ciphertext of the right length never fails: a forged
   * one gives the implicit-rejection key, which simply will not match the peer's.
   */
  decapsulate(secretKey: Uint8Array, cipherText: Uint8Array): Uint8Array;
}

/** Everything the core needs from cryptography. */
export interface CryptoProvider {
  /** `'noble'` or `'node'`; shown in logs and bench names. */
  readonly name: string;
  /** AEAD suites this provider implements (both, for the two providers here). */
  readonly aeadSuites: readonly AeadSuite[];

  /** `n` bytes from the OS CSPRNG. The only method that touches global randomness. */
  readonly randomBytes: (n: number) => Uint8Array;

  /** SHA-256 of the concatenation of `data` (FIPS 180-4). */
  sha256(...data: Uint8Array[]): Uint8Array;
  /** HMAC-SHA256 (RFC 2104) of the concatenation of `data` under `key` (any length). */
  hmacSha256(key: Uint8Array, ...data: Uint8Array[]): Uint8Array;
  /**
   * HKDF-Extract(salt, IKM) (RFC 5869 §2.2): a 32-byte PRK. An empty salt means HashLen zero
   * bytes, as the RFC says.
   */
  hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /**
   * HKDF-Expand(PRK, info, L) (RFC 5869 §2.3). `prk` must be at least 32 bytes; `length` is
   * 0..8160 (255 × HashLen), a RangeError otherwise.
   */
  hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** Extract then Expand; the PRK is wiped before returning. */
  hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Uint8Array;

  /** A reusable AEAD key context; `key` (32 bytes) is copied, so the caller may wipe it. */
  aead(suite: AeadSuite, key: Uint8Array): AeadKey;
  /**
   * A reusable header-protection key (RFC 9001 §5.4) of `kind`; `hpKey` (32 bytes) is copied, so
   * the caller may wipe it. An unknown kind is a TypeError, a key of another length a RangeError.
   */
  headerProtection(kind: HeaderProtectionKind, hpKey: Uint8Array): HeaderProtectionKey;

  readonly x25519: X25519;
  readonly ed25519: Ed25519;
  readonly mlkem768: MlKem768;
}

// ─────────────── argument checks shared by the providers (internal) ───────────────

/**
 * Requires one of {@link HEADER_PROTECTION_KINDS}; returns it.
 * @internal
 */
export function checkHeaderProtectionKind(value: unknown, where: string): HeaderProtectionKind {
  if (!HEADER_PROTECTION_KINDS.includes(value as HeaderProtectionKind)) {
    throw new TypeError(
      `${where}: unknown header-protection cipher ${JSON.stringify(value)}; expected one of ${HEADER_PROTECTION_KINDS.join(', ')}`,
    );
  }
  return value as HeaderProtectionKind;
}

/** Whether two views share bytes of one buffer. */
const overlaps = (a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array): boolean =>
  a.buffer === b.buffer && b.length !== 0 && aStart < aEnd
  && a.byteOffset + aStart < b.byteOffset + b.length && b.byteOffset < a.byteOffset + aEnd;

/**
 * Checks the buffers of {@link AeadKey.sealInto} (after nonce, plaintext and aad were checked):
 * room in `out`, and no overlap of the written range with `aad` or with `plaintext` other than
 * exact in-place. Returns the end offset of the written range.
 * @internal
 */
export function checkSealInto(where: string, plaintext: Uint8Array, aad: Uint8Array, out: unknown, offset: unknown): number {
  if (!(out instanceof Uint8Array)) throw new TypeError(`${where}: out must be a Uint8Array, got ${out === null ? 'null' : typeof out}`);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > out.length) {
    throw new RangeError(`${where}: offset must be an integer in 0..${out.length}, got ${String(offset)}`);
  }
  const end = offset + plaintext.length + LENGTHS.aeadTag;
  if (end > out.length) {
    throw new RangeError(`${where}: out has ${out.length - offset} bytes from offset ${offset}, ${end - offset} needed`);
  }
  if (overlaps(out, offset, end, aad)) throw new RangeError(`${where}: aad overlaps the bytes being written`);
  if (overlaps(out, offset, end, plaintext) && plaintext.byteOffset !== out.byteOffset + offset) {
    throw new RangeError(`${where}: plaintext overlaps out other than exactly in place (at out[offset])`);
  }
  return end;
}
