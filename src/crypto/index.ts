/**
 * Cryptography behind one interface (DESIGN.md "Crypto behind a provider").
 *
 * - {@link CryptoProvider}: the interface the sans-IO core receives (`provider.ts`).
 * - {@link nobleProvider}: portable, on @noble/* (`noble.ts`).
 * - {@link nodeProvider}: fast, on `node:crypto` (`node.ts`); ML-KEM-768 from noble.
 * - Constant-time helpers and `wipe` (`ct.ts`), typed errors (`errors.ts`).
 * - HKDF-Expand-Label with the spec's prefix (`expand-label.ts`).
 *
 * Browser bundles should import `noble.ts` directly so `node:crypto` is never pulled in.
 *
 * @module
 */
export type {
  AeadKey,
  AeadSuite,
  CryptoProvider,
  Ed25519,
  Ed25519PrivateKey,
  HeaderProtectionKey,
  HeaderProtectionKind,
  MlKem768,
  MlKemKeyPair,
  X25519,
  X25519PrivateKey,
} from './provider.ts';
export { AEAD_SUITES, HEADER_PROTECTION_KINDS, LENGTHS } from './provider.ts';
export { CRYPTO_ERROR_KINDS, CryptoError, type CryptoErrorKind } from './errors.ts';
export { equalBytes, isAllZero, wipe } from './ct.ts';
export { expandLabel, hkdfLabel, MAX_CONTEXT_LENGTH, MAX_LABEL_LENGTH } from './expand-label.ts';
export { nobleProvider } from './noble.ts';
export { nodeProvider } from './node.ts';

import { nobleProvider } from './noble.ts';
import { nodeProvider } from './node.ts';
import type { CryptoProvider } from './provider.ts';

/** Every provider by name, for `--provider` options and benchmarks. */
export const PROVIDERS: Readonly<Record<'noble' | 'node', CryptoProvider>> = Object.freeze({
  noble: nobleProvider,
  node: nodeProvider,
});
