/**
 * Typed errors of the crypto providers.
 *
 * Two kinds of failure, kept apart as in the codec (`src/codec/errors.ts`):
 * - **API misuse** (a key of the wrong length, an unknown suite, a wiped key used again) throws
 *   `TypeError` / `RangeError` with a message naming the function and the argument. It is the
 *   caller's bug and carries no wire code.
 * - **Bad peer input that the primitive itself detects** (an X25519 share that gives the all-zero
 *   secret, an ML-KEM encapsulation key that fails the FIPS 203 modulus check) throws
 *   {@link CryptoError}, with a stable `kind` and the wire code the peer is told
 *   (`HANDSHAKE_FAILED`, spec/errors.yaml).
 *
 * Authentication failures are *not* errors: `AeadKey.open` returns `null` and `ed25519.verify`
 * returns `false`, because a forged packet is an expected event on the network, not an exception
 * (no exceptions for control flow).
 *
 * @module
 */
import { ErrorCode } from '../gen/errors.ts';

/** Every way a primitive can refuse peer-supplied input, as stable strings. */
export const CRYPTO_ERROR_KINDS = [
  /** X25519 gave the all-zero shared secret: the peer's share is a low-order point (RFC 7748 §6.1). */
  'x25519_zero_shared_secret',
  /** An ML-KEM-768 encapsulation key failed the modulus check (FIPS 203 §7.2, input checking). */
  'mlkem_invalid_public_key',
  /** An ML-KEM-768 decapsulation key failed its hash check (FIPS 203 §7.3, input checking). */
  'mlkem_invalid_secret_key',
] as const;

/** A stable string naming why a primitive refused its input; see {@link CRYPTO_ERROR_KINDS}. */
export type CryptoErrorKind = (typeof CRYPTO_ERROR_KINDS)[number];

/**
 * A primitive refused peer-supplied input. The message reads `where: kind (detail)`, e.g.
 * `x25519.sharedSecret: x25519_zero_shared_secret (the public key is a low-order point)`.
 */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  /** Wire error code from spec/errors.yaml: always `HANDSHAKE_FAILED` (0x100) today. */
  readonly code: number = ErrorCode.HANDSHAKE_FAILED;
  /** Name of {@link code}. */
  readonly codeName = 'HANDSHAKE_FAILED';
  /** Stable reason; see {@link CRYPTO_ERROR_KINDS}. */
  readonly kind: CryptoErrorKind;

  constructor(kind: CryptoErrorKind, where: string, detail: string, cause?: unknown) {
    super(`${where}: ${kind} (${detail})`, cause === undefined ? undefined : { cause });
    this.kind = kind;
  }
}
