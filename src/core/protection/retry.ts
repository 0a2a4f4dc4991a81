/**
 * The Retry integrity tag (spec/crypto.yaml `retry_secret`, `retry_key`, `retry_nonce`;
 * spec/packets.yaml `retry_packet.retry_integrity_tag`; RFC 9001 §5.8).
 *
 * The tag is the AEAD tag of an empty plaintext under the fixed retry key and nonce, with the
 * *Retry pseudo-packet* as associated data — as RFC 9001 §5.8 builds it:
 *
 * ```
 * pseudo = u8 len(original_dcid) ‖ original_dcid ‖ the Retry packet up to (not including) its tag
 * ```
 *
 * where original_dcid is the Destination Connection ID of the client's first Initial packet. The
 * AEAD is that of the Initial suite (AES-256-GCM, spec constant `initial_suite`), as the spec's
 * `retry_key` says.
 *
 * @module
 */
import { equalBytes, wipe } from '../../crypto/ct.ts';
import { expandLabel } from '../../crypto/expand-label.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { MAX_CID_LENGTH, RETRY_INTEGRITY_TAG_LENGTH } from '../../gen/constants.ts';
import { INITIAL_SALT, LABELS, LENGTHS, SCHEDULE } from '../../gen/crypto.ts';
import { initialSuite } from './keys.ts';

const EMPTY = new Uint8Array(0);

/** The ikm of `retry_secret`, read from the schedule (the spec gives it as ASCII text). */
function retryIkm(): Uint8Array {
  const step = SCHEDULE.find((s) => s.id === 'retry_secret');
  if (step === undefined || step.op !== 'extract' || step.ikm.kind !== 'ascii') {
    throw new Error('src/gen/crypto.ts: the schedule has no extract step retry_secret with an ASCII ikm');
  }
  return new TextEncoder().encode(step.ikm.text);
}

/** The fixed retry secret, key and nonce of this version, with the intermediate secret. */
export function retryKeyMaterial(provider: CryptoProvider): { secret: Uint8Array; key: Uint8Array; nonce: Uint8Array } {
  const secret = provider.hkdfExtract(INITIAL_SALT, retryIkm());
  return {
    secret,
    key: expandLabel(provider, secret, LABELS.retry_key, EMPTY, LENGTHS.retry_key),
    nonce: expandLabel(provider, secret, LABELS.retry_nonce, EMPTY, LENGTHS.retry_nonce),
  };
}

/** The Retry pseudo-packet: u8 len(odcid) ‖ odcid ‖ `retryWithoutTag`. */
export function retryPseudoPacket(originalDcid: Uint8Array, retryWithoutTag: Uint8Array): Uint8Array {
  if (!(originalDcid instanceof Uint8Array) || !(retryWithoutTag instanceof Uint8Array)) {
    throw new TypeError('retryPseudoPacket: originalDcid and retryWithoutTag must be Uint8Arrays');
  }
  if (originalDcid.length > MAX_CID_LENGTH) throw new RangeError(`retryPseudoPacket: originalDcid must be at most ${MAX_CID_LENGTH} bytes, got ${originalDcid.length}`);
  const pseudo = new Uint8Array(1 + originalDcid.length + retryWithoutTag.length);
  pseudo[0] = originalDcid.length;
  pseudo.set(originalDcid, 1);
  pseudo.set(retryWithoutTag, 1 + originalDcid.length);
  return pseudo;
}

/** The 16-byte integrity tag of a Retry packet (`retryWithoutTag`: every byte before the tag). */
export function retryIntegrityTag(provider: CryptoProvider, originalDcid: Uint8Array, retryWithoutTag: Uint8Array): Uint8Array {
  const pseudo = retryPseudoPacket(originalDcid, retryWithoutTag);
  const m = retryKeyMaterial(provider);
  const aead = provider.aead(initialSuite().aead, m.key);
  try {
    return aead.seal(m.nonce, EMPTY, pseudo);
  } finally {
    aead.wipe();
    wipe(m.secret, m.key);
  }
}

/**
 * Whether the last 16 bytes of `retryPacket` are its integrity tag for `originalDcid` (a client
 * discards a Retry packet whose tag does not verify, RFC 9001 §5.8). A packet shorter than a tag
 * is `false`.
 */
export function verifyRetryIntegrity(provider: CryptoProvider, originalDcid: Uint8Array, retryPacket: Uint8Array): boolean {
  if (retryPacket.length < RETRY_INTEGRITY_TAG_LENGTH) return false;
  const n = retryPacket.length - RETRY_INTEGRITY_TAG_LENGTH;
  return equalBytes(retryIntegrityTag(provider, originalDcid, retryPacket.subarray(0, n)), retryPacket.subarray(n));
}
