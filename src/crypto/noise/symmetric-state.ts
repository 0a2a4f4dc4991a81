/**
 * Noise SymmetricState (Noise rev 34 §5.2) with SHA-256 as HASH and the HKDF of §4.3.
 *
 * Noise's `HKDF(ck, ikm, n)` is RFC 5869 HKDF with salt = `ck`, empty info and `n × 32` output
 * bytes (HMAC(ck, ikm) is HKDF-Extract; the chained HMACs are HKDF-Expand). It is written here from
 * `provider.hmacSha256` exactly as §4.3 states it; test/crypto/noise.test.ts checks it against the
 * provider's RFC 5869 `hkdf`.
 *
 * @module
 */
import { wipe } from '../ct.ts';
import type { CryptoProvider } from '../provider.ts';
import { CipherState, NoiseError, type NoiseCipher } from './cipher-state.ts';

/** HASHLEN of SHA-256 (§12.5). */
export const HASHLEN = 32;

const EMPTY = new Uint8Array(0);

/**
 * `HKDF(chaining_key, input_key_material, num_outputs)` of §4.3 with HMAC-SHA256: `num_outputs`
 * (2 or 3) fresh 32-byte outputs. The intermediate `temp_key` is wiped.
 */
export function noiseHkdf(provider: CryptoProvider, chainingKey: Uint8Array, ikm: Uint8Array, numOutputs: 2 | 3): Uint8Array[] {
  const tempKey = provider.hmacSha256(chainingKey, ikm);
  const outputs: Uint8Array[] = [];
  let previous: Uint8Array = EMPTY;
  for (let i = 1; i <= numOutputs; i++) {
    previous = provider.hmacSha256(tempKey, previous, Uint8Array.of(i));
    outputs.push(previous);
  }
  wipe(tempKey);
  return outputs;
}

/**
 * A Noise SymmetricState (§5.2): a CipherState plus the chaining key `ck` and handshake hash `h`.
 * The constructor is InitializeSymmetric(protocol_name).
 */
export class SymmetricState {
  readonly #provider: CryptoProvider;
  readonly #cipherState: CipherState;
  #ck: Uint8Array;
  #h: Uint8Array;
  #split = false;
  #wiped = false;

  /**
   * InitializeSymmetric(protocol_name): `h` = protocol_name zero-padded to HASHLEN if it fits,
   * else HASH(protocol_name); `ck = h`; an empty CipherState for `cipher`.
   */
  constructor(provider: CryptoProvider, cipher: NoiseCipher, protocolName: string) {
    this.#provider = provider;
    const name = new TextEncoder().encode(protocolName);
    if (name.length <= HASHLEN) {
      this.#h = new Uint8Array(HASHLEN);
      this.#h.set(name);
    } else {
      this.#h = provider.sha256(name);
    }
    this.#ck = this.#h.slice();
    this.#cipherState = new CipherState(provider, cipher);
  }

  /** MixKey(ikm): `ck, temp_k = HKDF(ck, ikm, 2)`; InitializeKey(temp_k). */
  mixKey(ikm: Uint8Array): void {
    this.#live();
    const [ck, tempK] = noiseHkdf(this.#provider, this.#ck, ikm, 2);
    this.#replaceCk(ck);
    this.#cipherState.initializeKey(tempK);
    wipe(tempK);
  }

  /** MixHash(data): `h = HASH(h ‖ data)`. */
  mixHash(data: Uint8Array): void {
    this.#live();
    this.#h = this.#provider.sha256(this.#h, data);
  }

  /** MixKeyAndHash(ikm): `ck, temp_h, temp_k = HKDF(ck, ikm, 3)`; MixHash(temp_h); InitializeKey(temp_k). */
  mixKeyAndHash(ikm: Uint8Array): void {
    this.#live();
    const [ck, tempH, tempK] = noiseHkdf(this.#provider, this.#ck, ikm, 3);
    this.#replaceCk(ck);
    this.mixHash(tempH);
    this.#cipherState.initializeKey(tempK);
    wipe(tempH, tempK);
  }

  /** GetHandshakeHash(): a copy of `h`. */
  getHandshakeHash(): Uint8Array {
    this.#live();
    return this.#h.slice();
  }

  /** Whether the inner CipherState has a key (decides whether tokens carry a 16-byte tag). */
  hasKey(): boolean {
    this.#live();
    return this.#cipherState.hasKey();
  }

  /** EncryptAndHash(plaintext): `ciphertext = EncryptWithAd(h, plaintext)`; MixHash(ciphertext). */
  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    this.#live();
    const ciphertext = this.#cipherState.encryptWithAd(this.#h, plaintext);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  /**
   * DecryptAndHash(ciphertext): `plaintext = DecryptWithAd(h, ciphertext)`; MixHash(ciphertext).
   * Throws `NoiseError('decrypt')` (and leaves `h` unchanged) when the tag does not verify.
   */
  decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    this.#live();
    const plaintext = this.#cipherState.decryptWithAd(this.#h, ciphertext);
    this.mixHash(ciphertext);
    return plaintext;
  }

  /**
   * Split(): `temp_k1, temp_k2 = HKDF(ck, zerolen, 2)`; returns `[c1, c2]` (c1 encrypts
   * initiator → responder, c2 responder → initiator). Allowed once; the inner CipherState is
   * wiped, while `ck` and `h` stay readable (see {@link chainingKey}) until {@link wipe}.
   */
  split(): [CipherState, CipherState] {
    this.#live();
    if (this.#split) throw new NoiseError('invalid_state', 'Split called twice');
    const [k1, k2] = noiseHkdf(this.#provider, this.#ck, EMPTY, 2);
    const cipher = this.#cipherState.cipher;
    const pair: [CipherState, CipherState] = [new CipherState(this.#provider, cipher, k1), new CipherState(this.#provider, cipher, k2)];
    wipe(k1, k2);
    this.#cipherState.wipe();
    this.#split = true;
    return pair;
  }

  /**
   * The final chaining key `ck`, as a copy the caller must wipe; only after {@link split}. Read-only
   * access for a key schedule that derives more secrets from the finished handshake (e.g. an
   * exporter or resumption secret); deriving from `ck` never changes this state.
   */
  chainingKey(): Uint8Array {
    this.#live();
    if (!this.#split) throw new NoiseError('invalid_state', 'the chaining key is exported only after Split');
    return this.#ck.slice();
  }

  /** Zeroes `ck`, `h` and the CipherState; any later call throws `NoiseError('invalid_state')`. */
  wipe(): void {
    wipe(this.#ck, this.#h);
    this.#cipherState.wipe();
    this.#wiped = true;
  }

  #replaceCk(ck: Uint8Array): void {
    wipe(this.#ck);
    this.#ck = ck;
  }

  #live(): void {
    if (this.#wiped) throw new NoiseError('invalid_state', 'SymmetricState was wiped');
  }
}
