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
  /** Zeroes the key copy; any later call throws a TypeError. */
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

  readonly x25519: X25519;
  readonly ed25519: Ed25519;
  readonly mlkem768: MlKem768;
}
