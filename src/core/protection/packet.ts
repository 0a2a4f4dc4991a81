/**
 * Packet protection and header protection of one packet (spec/crypto.yaml `packet_protection`;
 * RFC 9001 §5.3–5.4), and packet-number encoding (RFC 9000 §17.1, Appendix A.2–A.3).
 *
 * Sans-IO and allocation-lean: the sender builds `header ‖ plaintext ‖ 16 spare bytes` in its
 * datagram buffer and {@link sealPacket} protects it in place (the AEAD writes through
 * `AeadKey.sealInto`); the receiver's {@link unprotect} reads the datagram without writing to it,
 * opens a view of the ciphertext and returns a copy of the unprotected header (a few bytes) next
 * to the plaintext the provider returns.
 *
 * Layout facts used throughout: the packet number field ends the header; its length is
 * `(first byte & 0x03) + 1` once header protection is removed; a long header (first byte bit 7
 * set) protects the low 4 bits of the first byte, a short header the low 5 (RFC 9001 §5.4.1).
 *
 * Packet numbers are JS numbers: exact up to 2^53 − 1, a RangeError above. The protocol allows
 * up to 2^62 − 1, which no endpoint reaches (2^53 packets at 10 million a second take 28 years).
 *
 * @module
 */
import { LENGTHS, type AeadKey, type HeaderProtectionKey } from '../../crypto/provider.ts';

/** The AEAD tag length (16 for both AEADs; spec/crypto.yaml `suites[].tag_length` says the same). */
const TAG = LENGTHS.aeadTag;
/** Bytes between the start of the packet number field and the sample: as if it were 4 bytes long (RFC 9001 §5.4.2). */
const SAMPLE_OFFSET = 4;
/** The header-protection sample length (RFC 9001 §5.4.2). */
const SAMPLE_LENGTH = LENGTHS.hpSample;
const TWO32 = 2 ** 32;

/** The largest packet number this runtime represents (see the module comment). */
export const MAX_PACKET_NUMBER = Number.MAX_SAFE_INTEGER;

/** What protecting one packet takes: the AEAD key and IV of a key phase, and the header-protection key. */
export interface ProtectionKeys {
  readonly aead: AeadKey;
  /** The packet IV (spec/crypto.yaml `packet_iv`), 12 bytes. */
  readonly iv: Uint8Array;
  readonly hp: HeaderProtectionKey;
}

// ───────────────────────────── packet numbers ─────────────────────────────

function checkPacketNumber(pn: unknown, where: string, name = 'packetNumber'): number {
  if (typeof pn !== 'number' || !Number.isInteger(pn) || pn < 0 || pn > MAX_PACKET_NUMBER) {
    throw new RangeError(`${where}: ${name} must be an integer in 0..2^53-1, got ${String(pn)}`);
  }
  return pn;
}

/**
 * The number of bytes (1–4) to send packet number `full` in, given the largest packet number
 * the peer has acknowledged (`undefined` when none): enough to represent more than twice the
 * range of unacknowledged packets (RFC 9000 §17.1, Appendix A.2). A range that needs more than
 * 4 bytes is a RangeError: the sender has 2^31 packets in flight and must stop first.
 */
export function packetNumberLength(full: number, largestAcked: number | undefined): 1 | 2 | 3 | 4 {
  checkPacketNumber(full, 'packetNumberLength', 'full');
  let unacked: number;
  if (largestAcked === undefined) {
    unacked = full + 1;
  } else {
    checkPacketNumber(largestAcked, 'packetNumberLength', 'largestAcked');
    if (largestAcked >= full) throw new RangeError(`packetNumberLength: largestAcked ${largestAcked} is not below ${full}`);
    unacked = full - largestAcked;
  }
  // min_bits = log2(num_unacked) + 1; bytes = ceil(min_bits / 8): 2 × unacked must fit.
  const range = 2 * unacked;
  if (range <= 0x100) return 1;
  if (range <= 0x10000) return 2;
  if (range <= 0x1000000) return 3;
  if (range <= TWO32) return 4;
  throw new RangeError(`packetNumberLength: ${unacked} packets unacknowledged, more than 4 bytes can disambiguate`);
}

/** Writes the low `length` bytes of `pn`, big-endian, at `out[offset]`. */
export function writePacketNumber(out: Uint8Array, offset: number, pn: number, length: number): void {
  checkPacketNumber(pn, 'writePacketNumber', 'pn');
  if (length !== 1 && length !== 2 && length !== 3 && length !== 4) throw new RangeError(`writePacketNumber: length must be 1..4, got ${length}`);
  let v = pn % TWO32;
  for (let i = length - 1; i >= 0; i--) {
    out[offset + i] = v & 0xff;
    v = Math.floor(v / 256);
  }
}

/**
 * The full packet number of a truncated one (RFC 9000 Appendix A.3): the candidate closest to
 * `largest + 1`, where `largest` is the largest packet number received so far in the packet
 * number space (`undefined` before the first). `bits` is 8 × the packet number length.
 */
export function decodePacketNumber(largest: number | undefined, truncated: number, bits: 8 | 16 | 24 | 32): number {
  const expected = largest === undefined ? 0 : checkPacketNumber(largest, 'decodePacketNumber', 'largest') + 1;
  const win = 2 ** bits;
  const hwin = win / 2;
  if (!Number.isInteger(truncated) || truncated < 0 || truncated >= win) {
    throw new RangeError(`decodePacketNumber: truncated must be an integer in 0..${win - 1}, got ${truncated}`);
  }
  // candidate = (expected & ~mask) | truncated, in arithmetic (the values exceed 32 bits)
  const candidate = expected - (expected % win) + truncated;
  if (candidate <= expected - hwin && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}

// ───────────────────────────── nonce ─────────────────────────────

/**
 * The AEAD nonce of packet number `pn`: the 62-bit number big-endian, left-padded to the IV
 * length, XORed with `iv` (RFC 9001 §5.3). Written into `out` (12 bytes) when given.
 */
export function packetNonce(iv: Uint8Array, pn: number, out: Uint8Array = new Uint8Array(iv.length)): Uint8Array {
  const n = iv.length;
  out.set(iv);
  const lo = pn >>> 0;
  const hi = (pn - lo) / TWO32; // < 2^21 for a safe integer
  out[n - 1] ^= lo;
  out[n - 2] ^= lo >>> 8;
  out[n - 3] ^= lo >>> 16;
  out[n - 4] ^= lo >>> 24;
  out[n - 5] ^= hi;
  out[n - 6] ^= hi >>> 8;
  out[n - 7] ^= hi >>> 16;
  return out;
}

// ───────────────────────────── protect ─────────────────────────────

/**
 * Nonce scratch shared by every seal and open: they are synchronous and a provider copies what
 * it keeps (provider.ts, "Ownership"), so one buffer serves all. Holds no secret (IV ⊕ number).
 */
const NONCE = new Uint8Array(LENGTHS.aeadNonce);

/** The first-byte bits header protection covers: 4 for a long header, 5 for the short header. */
const firstByteMask = (first: number): number => ((first & 0x80) !== 0 ? 0x0f : 0x1f);

/**
 * Protects a packet in place. `packet` holds the header, whose packet number field (length from
 * the first byte's low 2 bits) starts at `pnOffset` and holds the low bytes of `packetNumber`,
 * then the plaintext payload, then 16 bytes of room for the tag: the packet's final length. For a
 * long header the Length field must already count the tag. The payload is sealed under
 * `keys.aead` with the header as AAD, then the header is masked (RFC 9001 §5.4.1).
 *
 * RangeError when the packet number field does not match `packetNumber`, or when the packet is
 * too short to sample (packet number + payload must be at least 4 bytes: pad with PADDING).
 * Returns `packet`.
 */
export function sealPacket(keys: ProtectionKeys, packet: Uint8Array, pnOffset: number, packetNumber: number): Uint8Array {
  checkPacketNumber(packetNumber, 'sealPacket');
  if (!Number.isInteger(pnOffset) || pnOffset < 1) throw new RangeError(`sealPacket: pnOffset must be a positive integer, got ${pnOffset}`);
  const pnLength = (packet[0] & 0x03) + 1;
  const headerEnd = pnOffset + pnLength;
  if (packet.length < pnOffset + SAMPLE_OFFSET + SAMPLE_LENGTH || packet.length < headerEnd + TAG) {
    throw new RangeError(
      `sealPacket: a ${packet.length}-byte packet with the packet number at ${pnOffset} is too short to sample; `
      + `packet number and payload must total at least ${SAMPLE_OFFSET} bytes (pad with PADDING frames)`,
    );
  }
  let v = packetNumber % TWO32;
  for (let i = headerEnd - 1; i >= pnOffset; i--) {
    if (packet[i] !== (v & 0xff)) {
      throw new RangeError(`sealPacket: the ${pnLength}-byte packet number field at ${pnOffset} does not hold the low bytes of ${packetNumber}`);
    }
    v = Math.floor(v / 256);
  }
  const nonce = packetNonce(keys.iv, packetNumber, keys.iv.length === NONCE.length ? NONCE : undefined);
  keys.aead.sealInto(nonce, packet.subarray(headerEnd, packet.length - TAG), packet.subarray(0, headerEnd), packet, headerEnd);
  const mask = keys.hp.mask(packet.subarray(pnOffset + SAMPLE_OFFSET, pnOffset + SAMPLE_OFFSET + SAMPLE_LENGTH));
  packet[0] ^= mask[0] & firstByteMask(packet[0]);
  for (let i = 0; i < pnLength; i++) packet[pnOffset + i] ^= mask[1 + i];
  return packet;
}

/**
 * Protects one packet: `header` ends with its packet number field (so `pnOffset` =
 * `header.length − pnLength`), `payload` is the plaintext. Writes `header ‖ ciphertext ‖ tag`
 * into `out` at `outOffset` (a new buffer when `out` is not given) and returns that view. See
 * {@link sealPacket} for the checks.
 */
export function protect(
  keys: ProtectionKeys,
  header: Uint8Array,
  pnOffset: number,
  packetNumber: number,
  payload: Uint8Array,
  out?: Uint8Array,
  outOffset = 0,
): Uint8Array {
  const pnLength = (header[0] & 0x03) + 1;
  if (pnOffset + pnLength !== header.length) {
    throw new RangeError(`protect: the header must end with its ${pnLength}-byte packet number field at ${pnOffset}, but is ${header.length} bytes`);
  }
  const total = header.length + payload.length + TAG;
  const dst = out === undefined ? new Uint8Array(total) : out;
  if (!Number.isInteger(outOffset) || outOffset < 0 || outOffset + total > dst.length) {
    throw new RangeError(`protect: out has no room for ${total} bytes at ${outOffset}`);
  }
  const packet = outOffset === 0 && dst.length === total ? dst : dst.subarray(outOffset, outOffset + total);
  packet.set(header);
  packet.set(payload, header.length);
  return sealPacket(keys, packet, pnOffset, packetNumber);
}

// ───────────────────────────── unprotect ─────────────────────────────

/** A packet whose header protection was removed (its payload not yet opened). */
export interface UnmaskedHeader {
  /** A copy of the header up to the end of the packet number, unprotected: the AAD. */
  readonly header: Uint8Array;
  /** Length of the packet number field, 1–4. */
  readonly pnLength: number;
  /** The full packet number, decoded against the largest received (RFC 9000 A.3). */
  readonly packetNumber: number;
}

/**
 * Removes header protection (RFC 9001 §5.4) without writing to `packet`: returns the unprotected
 * header as a copy, or `null` when the packet is too short to sample (RFC 9001 §5.4.2: discard).
 * `packet` is exactly one packet (a long header's Length bounds it), `pnOffset` where its packet
 * number field starts, `largest` the largest packet number received in its space so far.
 *
 * Nothing here is authenticated yet: the key phase and reserved bits of the result may be
 * anything until the payload opens.
 */
export function removeHeaderProtection(
  hp: HeaderProtectionKey,
  packet: Uint8Array,
  pnOffset: number,
  largest: number | undefined,
): UnmaskedHeader | null {
  if (!Number.isInteger(pnOffset) || pnOffset < 1) throw new RangeError(`removeHeaderProtection: pnOffset must be a positive integer, got ${pnOffset}`);
  const sampleAt = pnOffset + SAMPLE_OFFSET;
  if (packet.length < sampleAt + SAMPLE_LENGTH) return null;
  const mask = hp.mask(packet.subarray(sampleAt, sampleAt + SAMPLE_LENGTH));
  const first = packet[0] ^ (mask[0] & firstByteMask(packet[0]));
  const pnLength = (first & 0x03) + 1;
  const header = packet.slice(0, pnOffset + pnLength);
  header[0] = first;
  let truncated = 0;
  for (let i = 0; i < pnLength; i++) {
    const b = header[pnOffset + i] ^ mask[1 + i];
    header[pnOffset + i] = b;
    truncated = truncated * 256 + b;
  }
  const packetNumber = decodePacketNumber(largest, truncated, (pnLength * 8) as 8 | 16 | 24 | 32);
  return { header, pnLength, packetNumber };
}

/**
 * Opens the payload of a packet whose header was unmasked by {@link removeHeaderProtection},
 * under `keys` (which may be another key phase's than the header-protection key's generation:
 * header protection keys do not change on key update). Returns the plaintext, or `null` when it
 * does not authenticate (or is shorter than a tag).
 */
export function openPayload(keys: Pick<ProtectionKeys, 'aead' | 'iv'>, packet: Uint8Array, unmasked: UnmaskedHeader): Uint8Array | null {
  const nonce = packetNonce(keys.iv, unmasked.packetNumber, keys.iv.length === NONCE.length ? NONCE : undefined);
  return keys.aead.open(nonce, packet.subarray(unmasked.header.length), unmasked.header);
}

/** A packet that opened. */
export interface OpenedPacket extends UnmaskedHeader {
  /** The decrypted payload (frames). */
  readonly payload: Uint8Array;
}

/**
 * Removes header protection and opens one packet under a single key set (Initial, Handshake,
 * 0-RTT; 1-RTT packets go through `KeyPhases`, which adds key update, replay and limits).
 * `null` when the packet is too short to sample or does not authenticate; `packet` is not
 * written to.
 */
export function unprotect(keys: ProtectionKeys, packet: Uint8Array, pnOffset: number, largest: number | undefined): OpenedPacket | null {
  const unmasked = removeHeaderProtection(keys.hp, packet, pnOffset, largest);
  if (unmasked === null) return null;
  const payload = openPayload(keys, packet, unmasked);
  return payload === null ? null : { header: unmasked.header, pnLength: unmasked.pnLength, packetNumber: unmasked.packetNumber, payload };
}
