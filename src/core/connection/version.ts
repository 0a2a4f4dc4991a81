/**
 * Version negotiation (spec/packets.yaml `version_negotiation_packet`, `packets.version.unknown`;
 * spec/protocol.yaml `protocol.versions.negotiation`; RFC 9000 §6, §17.2.1; RFC 8999).
 *
 * - The server reads only the version-independent part of a long header
 *   ({@link readLongHeaderInvariants}: connection IDs of up to 255 bytes) and, for a version it
 *   does not support, builds the answer with {@link versionNegotiation}.
 * - The client judges a Version Negotiation packet with {@link judgeVersionNegotiation}: one that
 *   lists the version it chose, or does not echo its connection IDs, is discarded; otherwise the
 *   attempt fails with VERSION_MISMATCH naming the server's versions.
 *
 * @module
 */
import { VERSION_1, VERSION_NEGOTIATION } from '../../gen/constants.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';
import { decodeVersionNegotiationPacket, encodeVersionNegotiationPacket } from '../../gen/packets.ts';

/** The versions this implementation speaks, most preferred first. */
export const SUPPORTED_VERSIONS: readonly number[] = Object.freeze([VERSION_1]);

/** The invariant fields of a long header (RFC 8999 §5.1). */
export interface LongHeaderInvariants { version: number; dcid: Uint8Array; scid: Uint8Array }

/** The invariant fields of a long-header datagram, or undefined for a short header or too few bytes. */
export function readLongHeaderInvariants(d: Uint8Array): LongHeaderInvariants | undefined {
  if (d.length < 7 || (d[0] & 0x80) === 0) return undefined;
  const version = ((d[1] << 24) | (d[2] << 16) | (d[3] << 8) | d[4]) >>> 0;
  const dl = d[5];
  if (6 + dl + 1 > d.length) return undefined;
  const sl = d[6 + dl];
  if (7 + dl + sl > d.length) return undefined;
  return { version, dcid: d.subarray(6, 6 + dl), scid: d.subarray(7 + dl, 7 + dl + sl) };
}

/** Hex of a version, as named in errors: `0x4a535001`. */
export function versionName(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/**
 * The Version Negotiation packet answering `h`: connection IDs swapped, the supported versions,
 * `unusedBits` (random, from the endpoint's rng) in the first byte.
 */
export function versionNegotiation(h: LongHeaderInvariants, unusedBits: number, versions: readonly number[] = SUPPORTED_VERSIONS): Uint8Array {
  return encodeVersionNegotiationPacket({ unused: unusedBits & 0x7f, dcid: h.scid, scid: h.dcid, supportedVersions: [...versions] });
}

/**
 * What a client does with a Version Negotiation `packet` (RFC 9000 §6.2): `ignore` it when it does
 * not parse, does not echo the client's connection IDs (`localCid` as its DCID, `sentDcid` as its
 * SCID), or lists `chosen` (packets.version.unknown); otherwise `fail` with VERSION_MISMATCH
 * (protocol.versions.negotiation), naming the server's versions.
 */
export function judgeVersionNegotiation(packet: Uint8Array, o: { chosen: number; localCid: Uint8Array; sentDcid: Uint8Array }): { kind: 'ignore'; why: string } | { kind: 'fail'; versions: number[]; error: TransportError } {
  let vn;
  try {
    vn = decodeVersionNegotiationPacket(packet);
  } catch {
    return { kind: 'ignore', why: 'does not parse' };
  }
  if (!equal(vn.dcid, o.localCid) || !equal(vn.scid, o.sentDcid)) return { kind: 'ignore', why: 'connection IDs not echoed' };
  if (vn.supportedVersions.includes(o.chosen)) return { kind: 'ignore', why: 'lists the version in use' };
  const versions = vn.supportedVersions.filter((v) => v !== VERSION_NEGOTIATION);
  const names = versions.map(versionName).join(', ');
  const error = TransportError.of(ErrorCode.VERSION_MISMATCH, `version negotiation: the server supports ${names || 'no version'}, not ${versionName(o.chosen)}`);
  return { kind: 'fail', versions, error };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
