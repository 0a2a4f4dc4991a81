/**
 * Retry packets (spec/packets.yaml `retry_packet`; RFC 9000 §17.2.5; RFC 9001 §5.8): the
 * server's, built statelessly with its integrity tag, and the client's checks of one it receives
 * (`protocol.retry.client`).
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { RETRY_INTEGRITY_TAG_LENGTH, VERSION_1 } from '../../gen/constants.ts';
import type { TransportParameters } from '../../gen/messages.ts';
import { decodeRetryPacket, encodeRetryPacket } from '../../gen/packets.ts';
import { retryIntegrityTag, verifyRetryIntegrity } from '../protection/retry.ts';

/**
 * A Retry packet to a client: `dcid` is the client's Source Connection ID, `scid` the new
 * connection ID the server chose, `originalDcid` the Destination Connection ID of the client's
 * Initial (the tag binds it); `unusedBits` come from the endpoint's rng.
 */
export function buildRetry(provider: CryptoProvider, o: { dcid: Uint8Array; scid: Uint8Array; token: Uint8Array; originalDcid: Uint8Array; unusedBits: number }): Uint8Array {
  const packet = encodeRetryPacket({
    unused: o.unusedBits & 0x0f, version: VERSION_1, dcid: o.dcid, scid: o.scid,
    retryToken: o.token, retryIntegrityTag: new Uint8Array(RETRY_INTEGRITY_TAG_LENGTH),
  });
  const n = packet.length - RETRY_INTEGRITY_TAG_LENGTH;
  packet.set(retryIntegrityTag(provider, o.originalDcid, packet.subarray(0, n)), n);
  return packet;
}

/** Why a client discards a Retry. */
export type RetryDiscard = 'malformed' | 'version' | 'dcid' | 'scid_is_original' | 'integrity';

/**
 * A client's checks of a Retry `packet` (RFC 9000 §17.2.5.2): it parses, is of version 1, is
 * addressed to `localCid`, its SCID is not `originalDcid`, and its tag verifies for
 * `originalDcid`. Returns the new DCID and the token, or why the packet is discarded.
 */
export function acceptRetry(provider: CryptoProvider, packet: Uint8Array, o: { originalDcid: Uint8Array; localCid: Uint8Array }): { ok: true; scid: Uint8Array; token: Uint8Array } | { ok: false; why: RetryDiscard } {
  let r;
  try {
    r = decodeRetryPacket(packet);
  } catch {
    return { ok: false, why: 'malformed' };
  }
  if (r.version !== VERSION_1) return { ok: false, why: 'version' };
  if (!equal(r.dcid, o.localCid)) return { ok: false, why: 'dcid' };
  if (equal(r.scid, o.originalDcid)) return { ok: false, why: 'scid_is_original' };
  if (!verifyRetryIntegrity(provider, o.originalDcid, packet)) return { ok: false, why: 'integrity' };
  return { ok: true, scid: r.scid.slice(), token: r.retryToken.slice() };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * protocol.retry.transport-parameters (RFC 9000 §7.3): why the server's connection ID transport
 * parameters do not match what the client sent and saw, or undefined when they do.
 * `retryScid` is the SCID of the Retry the client accepted, if any; `serverScid` the SCID of the
 * server's Initial packets.
 */
export function checkServerConnectionIds(tp: TransportParameters, o: { originalDcid: Uint8Array; retryScid: Uint8Array | undefined; serverScid: Uint8Array }): string | undefined {
  if (tp.originalDestinationConnectionId === undefined || !equal(tp.originalDestinationConnectionId, o.originalDcid)) {
    return 'original_destination_connection_id does not match the DCID of the first Initial';
  }
  if (o.retryScid === undefined) {
    if (tp.retrySourceConnectionId !== undefined) return 'retry_source_connection_id present though no Retry was received';
  } else if (tp.retrySourceConnectionId === undefined || !equal(tp.retrySourceConnectionId, o.retryScid)) {
    return 'retry_source_connection_id does not match the SCID of the Retry';
  }
  if (!equal(tp.initialSourceConnectionId, o.serverScid)) return 'initial_source_connection_id does not match the SCID of the server\'s Initial';
  return undefined;
}
