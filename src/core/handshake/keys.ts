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

/** What {@link wipeKeys} must wipe besides the two traffic secrets: `ck` and whatever was derived from it. */
const HIDDEN = Symbol('secrets to wipe');
interface Hidden { ck: Uint8Array; derived: Uint8Array[] }

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
  const hidden: Hidden = { ck, derived: [] };
  const derive = (label: string, length: number) => {
    const v = expandLabel(p, ck, label, h, length);
    hidden.derived.push(v);
    return v;
  };
  let exporter: Uint8Array | undefined, resumption: Uint8Array | undefined;
  const keys: HandshakeKeys & { [HIDDEN]: Hidden } = {
    version: choice.version,
    suite: choice.suite,
    group: choice.group,
    clientSecret: split.k1,
    serverSecret: split.k2,
    get exporterSecret() {
      return (exporter ??= derive(LABELS.exporter_secret, LENGTHS.exporter_secret));
    },
    get resumptionSecret() {
      return (resumption ??= derive(LABELS.resumption_secret, LENGTHS.resumption_secret));
    },
    handshakeHash: h,
    [HIDDEN]: hidden,
  };
  return keys;
}

/** Zeroes every secret of `k`: the traffic secrets, the chaining key and what was derived from it (nothing is derived to be wiped). */
export function wipeKeys(k: HandshakeKeys): void {
  const hidden = (k as { [HIDDEN]?: Hidden })[HIDDEN];
  wipe(k.clientSecret, k.serverSecret, hidden?.ck, ...(hidden?.derived ?? []));
}
