/**
 * Building and splitting the packet headers the connection uses (spec/packets.yaml): Initial
 * long headers and 1-RTT short headers, as they are before header protection. Splitting a
 * datagram finds each coalesced long-header packet by its Length field; a short-header packet
 * runs to the end of the datagram.
 *
 * @module
 */
import { Reader, Writer } from '../../codec/index.ts';
import { ErrorCode } from '../../gen/errors.ts';

/** Length of the connection IDs this implementation issues (it routes short headers by them). */
export const CID_LENGTH = 8;
const TAG = 16;

/**
 * An Initial header up to and including its packet number field; the Length field counts the
 * packet number, the payload and the AEAD tag. Returns the header and where the packet number starts.
 */
export function initialHeader(o: { version: number; dcid: Uint8Array; scid: Uint8Array; token: Uint8Array; pn: number; pnLength: 1 | 2 | 3 | 4; payloadLength: number }): { header: Uint8Array; pnOffset: number } {
  const w = new Writer(64 + o.dcid.length + o.scid.length + o.token.length);
  w.u8(0xc0 | (o.pnLength - 1)); // long header, fixed bit, type Initial (0), reserved 0
  w.u32(o.version);
  w.u8(o.dcid.length);
  w.bytes(o.dcid);
  w.u8(o.scid.length);
  w.bytes(o.scid);
  w.varint(o.token.length);
  w.bytes(o.token);
  w.varint(o.pnLength + o.payloadLength + TAG);
  const pnOffset = w.length;
  for (let i = o.pnLength - 1; i >= 0; i--) w.u8(Math.floor(o.pn / 256 ** i) & 0xff);
  return { header: w.finish(), pnOffset };
}

/** A short header (key phase left 0: the key phases set it) with its packet number. */
export function shortHeader(o: { dcid: Uint8Array; pn: number; pnLength: 1 | 2 | 3 | 4 }): { header: Uint8Array; pnOffset: number } {
  const h = new Uint8Array(1 + o.dcid.length + o.pnLength);
  h[0] = 0x40 | (o.pnLength - 1);
  h.set(o.dcid, 1);
  for (let i = 0; i < o.pnLength; i++) h[1 + o.dcid.length + i] = Math.floor(o.pn / 256 ** (o.pnLength - 1 - i)) & 0xff;
  return { header: h, pnOffset: 1 + o.dcid.length };
}

/** One packet of a datagram, still protected. */
export type SplitPacket =
  | { form: 'initial'; version: number; dcid: Uint8Array; scid: Uint8Array; token: Uint8Array; packet: Uint8Array; pnOffset: number }
  | { form: 'long-other'; version: number; type: number; dcid: Uint8Array; scid: Uint8Array; packet: Uint8Array }
  | { form: 'short'; dcid: Uint8Array; packet: Uint8Array; pnOffset: number };

/**
 * The packets of a datagram. Anything that does not parse ends the split (the rest of the
 * datagram is discarded, as RFC 9000 §12.2 allows); version 0 (Version Negotiation) is returned
 * as `long-other` with type -1.
 */
export function splitDatagram(d: Uint8Array): SplitPacket[] {
  const out: SplitPacket[] = [];
  let pos = 0;
  while (pos < d.length) {
    const first = d[pos];
    if ((first & 0x80) === 0) {
      if (d.length - pos < 1 + CID_LENGTH) break;
      out.push({ form: 'short', dcid: d.subarray(pos + 1, pos + 1 + CID_LENGTH), packet: d.subarray(pos), pnOffset: 1 + CID_LENGTH });
      break;
    }
    try {
      const r = new Reader(d, ErrorCode.PROTOCOL_VIOLATION, pos + 1);
      const version = r.uint(4, 'version');
      const dcid = r.bytes(r.uint(1, 'dcid length'), 'dcid');
      const scid = r.bytes(r.uint(1, 'scid length'), 'scid');
      if (version === 0) {
        out.push({ form: 'long-other', version, type: -1, dcid, scid, packet: d.subarray(pos) });
        break;
      }
      if ((first & 0x40) === 0) break; // fixed bit clear: not ours
      const type = (first >> 4) & 0x03;
      const token = type === 0 ? r.bytes(r.varint('token length'), 'token') : new Uint8Array(0);
      if (type === 3) { // Retry runs to the end
        out.push({ form: 'long-other', version, type, dcid, scid, packet: d.subarray(pos) });
        break;
      }
      const length = r.varint('length');
      const pnOffset = r.pos - pos;
      if (r.remaining < length) break;
      const packet = d.subarray(pos, r.pos + length);
      out.push(type === 0 ? { form: 'initial', version, dcid, scid, token, packet, pnOffset } : { form: 'long-other', version, type, dcid, scid, packet });
      pos = r.pos + length;
    } catch {
      break;
    }
  }
  return out;
}
