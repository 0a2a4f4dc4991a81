/**
 * A generic, sans-IO Noise Protocol Framework core: Noise revision 34
 * (noiseprotocol.org/noise.html) plus the HFS extension (hybrid forward secrecy, `noise_hfs_spec`)
 * with ML-KEM-768 as the KEM, on a `CryptoProvider` (`../provider.ts`).
 *
 * - {@link CipherState} (§5.1), {@link SymmetricState} (§5.2), {@link HandshakeState} (§5.3).
 * - Every pattern of §7 (one-way, fundamental, deferred), `pskN` modifiers (§9) and `hfs`
 *   (`e1`/`ekem1`); protocol names `Noise_<pattern>_<25519|25519+MLKEM768>_<ChaChaPoly|AESGCM>_SHA256`.
 * - Typed failures: every error is a {@link NoiseError} with a stable `kind`.
 * - No clock, no I/O, no global randomness: ephemeral keys come from the caller's `rng`.
 *
 * It reproduces all 220 Noise vectors of `../shared/vectors/noise` (cacophony and snow,
 * 25519 / ChaChaPoly+AESGCM / SHA256) on both providers (test/crypto/noise.test.ts).
 *
 * How the JSP handshake uses it: the client is the Noise initiator, the server the responder.
 * - `NK` (the client knows the server's static key) and `IK` (the client also authenticates with
 *   its own static key) for a classical handshake;
 * - `NKhfs` / `IKhfs` with `25519+MLKEM768` for the hybrid post-quantum handshake;
 * - `NKpsk0` for session resumption, the psk being a resumption secret from an earlier session.
 * The JSP handshake sends Noise messages as its handshake payloads, takes the transport keys
 * from {@link HandshakeState.split}, and may derive further secrets from the exported final
 * chaining key and handshake hash ({@link NoiseSplit}).
 *
 * @module
 */
export {
  CipherState,
  MAX_NONCE,
  NOISE_CIPHER_SUITES,
  NOISE_ERROR_KINDS,
  NoiseError,
  type NoiseCipher,
  type NoiseErrorKind,
} from './cipher-state.ts';
export { HASHLEN, SymmetricState, noiseHkdf } from './symmetric-state.ts';
export {
  PATTERNS,
  handshakePattern,
  isDhToken,
  parseProtocolName,
  type DhToken,
  type HandshakePattern,
  type MessagePattern,
  type NoiseDh,
  type NoiseHash,
  type NoiseProtocol,
  type PreMessageToken,
  type Token,
} from './patterns.ts';
export { HandshakeState, MAX_MESSAGE_LENGTH, type HandshakeOptions, type NoiseSplit } from './handshake-state.ts';
