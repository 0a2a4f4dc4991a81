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

const CK = Symbol('chaining key');

/** The secrets and choices of a completed handshake. The holder wipes them ({@link wipeKeys}). */
export interface HandshakeKeys {
  readonly version: number;
  readonly suite: SuiteInfo;
  readonly group: GroupInfo;
  /** client_1rtt_secret: protects client → server 1-RTT packets. */
  readonly clientSecret: Uint8Array;
  /** server_1rtt_secret: protects server → client 1-RTT packets. */
  readonly serverSecret: Uint8Array;
  /** exporter_secret (derived on first use). */
  readonly exporterSecret: Uint8Array;
  /** resumption_secret (derived on first use). */
  readonly resumptionSecret: Uint8Array;
  /** The Noise handshake hash h (channel binding). */
  readonly handshakeHash: Uint8Array;
}

/**
 * The keys from Split()'s k1 ‖ k2, the final chaining key and the handshake hash. The exporter
 * and resumption secrets are derived from `ck` when first read (most connections never need the
 * exporter); {@link wipeKeys} wipes `ck` with the rest.
 */
export function deriveKeys(
  p: CryptoProvider,
  choice: { version: number; suite: SuiteInfo; group: GroupInfo },
  split: { k1: Uint8Array; k2: Uint8Array; ck: Uint8Array; h: Uint8Array },
): HandshakeKeys {
  const { ck, h } = split;
  let exporter: Uint8Array | undefined, resumption: Uint8Array | undefined;
  const keys: HandshakeKeys & { [CK]: Uint8Array } = {
    version: choice.version,
    suite: choice.suite,
    group: choice.group,
    clientSecret: split.k1,
    serverSecret: split.k2,
    get exporterSecret() {
      return (exporter ??= expandLabel(p, ck, LABELS.exporter_secret, h, LENGTHS.exporter_secret));
    },
    get resumptionSecret() {
      return (resumption ??= expandLabel(p, ck, LABELS.resumption_secret, h, LENGTHS.resumption_secret));
    },
    handshakeHash: h,
    [CK]: ck,
  };
  return keys;
}

/** Zeroes every secret of `k`. */
export function wipeKeys(k: HandshakeKeys): void {
  wipe(k.clientSecret, k.serverSecret, k.exporterSecret, k.resumptionSecret, (k as { [CK]?: Uint8Array })[CK]);
}
