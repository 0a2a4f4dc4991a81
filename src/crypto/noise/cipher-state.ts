/**
 * Noise CipherState (Noise rev 34 §5.1) and the typed {@link NoiseError} every layer of the Noise
 * core throws.
 *
 * A CipherState is a key `k` (or none) and a 64-bit nonce `n`. Its AEAD nonce is 32 zero bits
 * followed by `n`: little-endian for ChaChaPoly (§12.3), big-endian for AESGCM (§12.4). The nonce
 * 2^64-1 is reserved for {@link CipherState.rekey}, so encryption stops with
 * `NoiseError('nonce_exhausted')` once `n` reaches it.
 *
 * @module
 */
import { wipe } from '../ct.ts';
import type { AeadKey, AeadSuite, CryptoProvider } from '../provider.ts';

/** Every way a Noise operation can fail, as stable strings. */
export const NOISE_ERROR_KINDS = [
  /** An AEAD tag did not verify (DecryptWithAd). */
  'decrypt',
  /** A handshake message ended before a token or tag it must hold. */
  'short_message',
  /** A Noise message (or a payload to write) exceeds 65535 bytes (§3). */
  'too_long',
  /** A DH gave the all-zero output: the peer's public key is a low-order point. */
  'bad_dh',
  /** The peer's ML-KEM-768 encapsulation key failed the FIPS 203 §7.2 check. */
  'bad_kem',
  /** A call the state machine does not allow now: out of turn, finished, failed or wiped. */
  'invalid_state',
  /** A missing or malformed key, psk or option given by the caller. */
  'invalid_argument',
  /** A protocol name, pattern, modifier or primitive this core does not implement. */
  'unsupported',
  /** The nonce reached 2^64-1; the CipherState can encrypt or decrypt no more (§5.1). */
  'nonce_exhausted',
  /** An unexpected exception from below, wrapped so callers only ever see a NoiseError. */
  'internal',
] as const;

/** A stable string naming why a Noise operation failed; see {@link NOISE_ERROR_KINDS}. */
export type NoiseErrorKind = (typeof NOISE_ERROR_KINDS)[number];

/** A Noise operation failed. `kind` is stable; the message says where and why. */
export class NoiseError extends Error {
  override readonly name = 'NoiseError';
  /** Stable reason; see {@link NOISE_ERROR_KINDS}. */
  readonly kind: NoiseErrorKind;

  constructor(kind: NoiseErrorKind, detail: string, cause?: unknown) {
    super(`noise: ${kind} (${detail})`, cause === undefined ? undefined : { cause });
    this.kind = kind;
  }
}

/** The Noise cipher names (§12.3, §12.4). */
export type NoiseCipher = 'ChaChaPoly' | 'AESGCM';

/** The provider AEAD suite implementing each Noise cipher. */
export const NOISE_CIPHER_SUITES: Readonly<Record<NoiseCipher, AeadSuite>> = Object.freeze({
  ChaChaPoly: 'chacha20-poly1305',
  AESGCM: 'aes-256-gcm',
});

/** 2^64-1: the largest nonce, reserved for REKEY (§5.1, §4.2). */
export const MAX_NONCE = (1n << 64n) - 1n;

/** Noise's fixed key length (§4.2). */
const KEY_LEN = 32;
const EMPTY = new Uint8Array(0);

/**
 * A Noise CipherState (§5.1): InitializeKey, HasKey, SetNonce, EncryptWithAd, DecryptWithAd,
 * Rekey. Holds its key inside a provider {@link AeadKey} (a private copy) until {@link wipe}.
 */
export class CipherState {
  /** The Noise cipher this state uses. */
  readonly cipher: NoiseCipher;
  readonly #provider: CryptoProvider;
  #k: AeadKey | undefined;
  #n = 0n;
  #wiped = false;

  /** A CipherState for `cipher`; with `key` it is InitializeKey(key) at once, else empty. */
  constructor(provider: CryptoProvider, cipher: NoiseCipher, key?: Uint8Array) {
    if (!(cipher in NOISE_CIPHER_SUITES)) throw new NoiseError('unsupported', `cipher ${String(cipher)}`);
    this.#provider = provider;
    this.cipher = cipher;
    this.initializeKey(key);
  }

  /** InitializeKey(key): sets `k` (a 32-byte key, copied; `undefined` = empty) and `n = 0`. */
  initializeKey(key: Uint8Array | undefined): void {
    this.#live();
    if (key !== undefined && (!(key instanceof Uint8Array) || key.length !== KEY_LEN)) {
      throw new NoiseError('invalid_argument', `a cipher key must be ${KEY_LEN} bytes`);
    }
    this.#k?.wipe();
    this.#k = key === undefined ? undefined : this.#provider.aead(NOISE_CIPHER_SUITES[this.cipher], key);
    this.#n = 0n;
  }

  /** HasKey(): whether `k` is set. */
  hasKey(): boolean {
    this.#live();
    return this.#k !== undefined;
  }

  /** SetNonce(nonce): sets `n` (0..2^64-1), e.g. for out-of-order transport messages (§5.1). */
  setNonce(nonce: bigint | number): void {
    this.#live();
    const n = BigInt(nonce);
    if (n < 0n || n > MAX_NONCE) throw new NoiseError('invalid_argument', `nonce ${n} outside 0..2^64-1`);
    this.#n = n;
  }

  /** The next nonce `n` (read-only view, for tests and for a caller that tracks replay windows). */
  nonce(): bigint {
    return this.#n;
  }

  /**
   * EncryptWithAd(ad, plaintext): `ENCRYPT(k, n++, ad, plaintext)`, or a copy of `plaintext` when
   * there is no key. Throws `nonce_exhausted` when `n` is 2^64-1.
   */
  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    this.#live();
    if (this.#k === undefined) return plaintext.slice();
    const nonce = this.#nonceBytes(this.#usableNonce());
    const out = this.#k.seal(nonce, plaintext, ad);
    this.#n++;
    return out;
  }

  /**
   * DecryptWithAd(ad, ciphertext): `DECRYPT(k, n++, ad, ciphertext)`, or a copy of `ciphertext`
   * when there is no key. An authentication failure throws `NoiseError('decrypt')` and leaves `n`
   * unchanged (§5.1). Throws `nonce_exhausted` when `n` is 2^64-1.
   */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    this.#live();
    if (this.#k === undefined) return ciphertext.slice();
    const nonce = this.#nonceBytes(this.#usableNonce());
    const out = this.#k.open(nonce, ciphertext, ad);
    if (out === null) throw new NoiseError('decrypt', `AEAD tag did not verify at nonce ${this.#n}`);
    this.#n++;
    return out;
  }

  /**
   * Rekey(): `k = REKEY(k)`, the default of §4.2: the first 32 bytes of
   * `ENCRYPT(k, 2^64-1, zerolen, zeros[32])`. `n` is unchanged (§11.3).
   */
  rekey(): void {
    this.#live();
    if (this.#k === undefined) throw new NoiseError('invalid_state', 'Rekey without a key');
    const zeros = new Uint8Array(KEY_LEN);
    const sealed = this.#k.seal(this.#nonceBytes(MAX_NONCE), zeros, EMPTY);
    const next = sealed.subarray(0, KEY_LEN);
    this.#k.wipe();
    this.#k = this.#provider.aead(NOISE_CIPHER_SUITES[this.cipher], next);
    wipe(sealed);
  }

  /** Zeroes the key; any later call throws `NoiseError('invalid_state')`. Idempotent. */
  wipe(): void {
    this.#k?.wipe();
    this.#k = undefined;
    this.#n = 0n;
    this.#wiped = true;
  }

  #usableNonce(): bigint {
    if (this.#n === MAX_NONCE) throw new NoiseError('nonce_exhausted', 'nonce reached 2^64-1');
    return this.#n;
  }

  /** The 96-bit AEAD nonce: 4 zero bytes then `n` as 64 bits (LE for ChaChaPoly, BE for AESGCM). */
  #nonceBytes(n: bigint): Uint8Array {
    const out = new Uint8Array(12);
    new DataView(out.buffer).setBigUint64(4, n, this.cipher === 'ChaChaPoly');
    return out;
  }

  #live(): void {
    if (this.#wiped) throw new NoiseError('invalid_state', 'CipherState was wiped');
  }
}
