/**
 * Packet protection (spec/crypto.yaml `packet_protection`; RFC 9001 §5–6), sans-IO: no `node:*`
 * import, no clock, no global randomness — a {@link CryptoProvider} and the time (`now`, in the
 * caller's unit) are passed in.
 *
 * - **Keys** (`keys.ts`): {@link PacketKeys} — AEAD key, IV and header-protection key of a traffic
 *   secret, and the next generation for a key update; {@link initialKeys} of a client DCID.
 * - **One packet** (`packet.ts`): {@link protect} / {@link sealPacket} (in place) and
 *   {@link unprotect} for long and short headers — nonce = IV ⊕ packet number, AAD = the
 *   unprotected header, header protection sampled 4 bytes after the packet number's start —
 *   and packet-number encoding and decoding (RFC 9000 §17.1, A.2, A.3).
 * - **Replay** (`replay.ts`): {@link ReplayWindow}, a `REPLAY_WINDOW`-number bitmap per space.
 * - **1-RTT** (`key-phase.ts`): {@link KeyPhases} — key update (initiate, respond, previous keys
 *   until a deadline), the replay filter, and the AEAD confidentiality and integrity limits,
 *   failing with `KeyUpdateError` / `AeadLimitReachedError` (spec codes KEY_UPDATE_ERROR,
 *   AEAD_LIMIT_REACHED).
 * - **Retry** (`retry.ts`): the Retry integrity tag (RFC 9001 §5.8) under the version's fixed key.
 *
 * Labels, lengths, limits and constants all come from the generated `src/gen/crypto.ts`.
 *
 * @module
 */
export type { CryptoProvider } from '../../crypto/provider.ts';
export {
  deriveKeyMaterial,
  initialKeys,
  initialSecrets,
  initialSuite,
  nextTrafficSecret,
  PacketKeys,
  type InitialSecrets,
  type KeyMaterial,
} from './keys.ts';
export {
  decodePacketNumber,
  MAX_PACKET_NUMBER,
  openPayload,
  packetNonce,
  packetNumberLength,
  protect,
  removeHeaderProtection,
  sealPacket,
  unprotect,
  writePacketNumber,
  type OpenedPacket,
  type ProtectionKeys,
  type UnmaskedHeader,
} from './packet.ts';
export { ReplayWindow, type ReplayVerdict } from './replay.ts';
export { KeyPhases, type DiscardReason, type KeyPhasesOptions, type OpenedOneRtt, type OpenResult } from './key-phase.ts';
export { retryIntegrityTag, retryKeyMaterial, retryPseudoPacket, verifyRetryIntegrity } from './retry.ts';
