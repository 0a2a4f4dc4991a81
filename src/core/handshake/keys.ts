/**
 * What a completed handshake yields (spec/crypto.yaml, key schedule): the 1-RTT traffic secrets
 * from Noise Split(), and the exporter and resumption secrets from the final chaining key.
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { wipe } from '../../crypto/ct.ts';
import { expandLabel } from '../../crypto/expand-label.ts';
import { LABELS, LENGTHS, type GroupInfo, type SuiteInfo } from '../../gen/crypto.ts';

/** The secrets and choices of a completed handshake. The holder wipes them ({@link wipeKeys}). */
export interface HandshakeKeys {
  readonly version: number;
  readonly suite: SuiteInfo;
  readonly group: GroupInfo;
  /** client_1rtt_secret: protects client → server 1-RTT packets. */
  readonly clientSecret: Uint8Array;
  /** server_1rtt_secret: protects server → client 1-RTT packets. */
  readonly serverSecret: Uint8Array;
  readonly exporterSecret: Uint8Array;
  readonly resumptionSecret: Uint8Array;
  /** The Noise handshake hash h (channel binding). */
  readonly handshakeHash: Uint8Array;
}

/** Derives the keys from Split()'s k1 ‖ k2, the final chaining key and the handshake hash. */
export function deriveKeys(
  p: CryptoProvider,
  choice: { version: number; suite: SuiteInfo; group: GroupInfo },
  split: { k1: Uint8Array; k2: Uint8Array; ck: Uint8Array; h: Uint8Array },
): HandshakeKeys {
  return {
    ...choice,
    clientSecret: split.k1,
    serverSecret: split.k2,
    exporterSecret: expandLabel(p, split.ck, LABELS.exporter_secret, split.h, LENGTHS.exporter_secret),
    resumptionSecret: expandLabel(p, split.ck, LABELS.resumption_secret, split.h, LENGTHS.resumption_secret),
    handshakeHash: split.h,
  };
}

/** Zeroes every secret of `k`. */
export function wipeKeys(k: HandshakeKeys): void {
  wipe(k.clientSecret, k.serverSecret, k.exporterSecret, k.resumptionSecret);
}
