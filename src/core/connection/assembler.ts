/**
 * Packet assembly (RFC 9000 §12.2, §14.1): the frames chosen for one packet with what each
 * attaches for loss recovery, and the sealing of an Initial or 1-RTT packet from them — packet
 * number length from the largest acknowledged, padding of Initial packets so the datagram
 * reaches 1200 bytes, and room for the header-protection sample.
 *
 * @module
 */
import { VERSION_1 } from '../../gen/constants.ts';
import { sizeFrame, writeFrame, type Frame } from '../../gen/frames.ts';
import { Writer } from '../../codec/index.ts';
import { packetNumberLength, protect, type KeyPhases, type PacketKeys } from '../protection/index.ts';
import { initialHeader, shortHeader } from './headers.ts';
import { isAckEliciting, type SentItem } from './spaces.ts';

/** The AEAD tag of every JSP suite. */
export const TAG_LENGTH = 16;
/** Header-protection sample: the payload after a 4-byte packet number must hold 16 bytes with the tag (RFC 9001 §5.4.2). */
const MIN_PAYLOAD = 4;

/** Bytes an Initial packet adds around its frames, at most (2-byte Length, 4-byte packet number, tag; the token with its length). */
export function initialOverhead(dcid: Uint8Array, scid: Uint8Array, token: Uint8Array = EMPTY): number {
  return 1 + 4 + 1 + dcid.length + 1 + scid.length + varintLength(token.length) + token.length + 2 + 4 + TAG_LENGTH;
}

const EMPTY = new Uint8Array(0);

function varintLength(v: number): number {
  return v < 64 ? 1 : v < 16384 ? 2 : v < 2 ** 30 ? 4 : 8;
}

/** Bytes a 1-RTT packet adds around its frames, at most (4-byte packet number, tag). */
export function shortOverhead(dcid: Uint8Array): number {
  return 1 + dcid.length + 4 + TAG_LENGTH;
}

/** The frames of one packet being assembled, their encoded size and what they attach. */
export class FramePlan {
  readonly frames: Frame[] = [];
  readonly items: SentItem[] = [];
  size = 0;
  eliciting = false;
  /** The largest acknowledged of the ACK frame carried, if one is. */
  ackLargest: number | undefined;

  /** @param room bytes of frames the packet can carry */
  constructor(readonly room: number) {}

  get left(): number { return this.room - this.size; }

  /** Adds `frame` (of `size` bytes, computed when not given) if it fits; returns whether it did. */
  add(frame: Frame, item?: SentItem, size = sizeFrame(frame)): boolean {
    if (this.size + size > this.room) return false;
    this.frames.push(frame);
    this.size += size;
    if (item) this.items.push(item);
    if (isAckEliciting(frame)) this.eliciting = true;
    if (frame.type === 'ack') this.ackLargest = frame.largestAcknowledged;
    return true;
  }
}

function encodeFrames(frames: readonly Frame[], size: number, padTo: number): Uint8Array {
  const total = Math.max(size, padTo, MIN_PAYLOAD);
  const w = new Writer(new Uint8Array(total)); // the tail stays zero: PADDING frames
  for (const f of frames) writeFrame(w, f);
  return w.buf;
}

/**
 * Seals an Initial packet carrying `plan`'s frames, with `token` (a client's, from a Retry; empty
 * by default) in its header. With `padTo`, PADDING makes the whole packet
 * that long (when the frames leave room). Returns the packet.
 */
export function sealInitial(o: { keys: PacketKeys; dcid: Uint8Array; scid: Uint8Array; token?: Uint8Array; pn: number; largestAcked: number | undefined; plan: FramePlan; padTo?: number }): Uint8Array {
  const pnLength = packetNumberLength(o.pn, o.largestAcked);
  const head = (payloadLength: number) => initialHeader({ version: VERSION_1, dcid: o.dcid, scid: o.scid, token: o.token ?? EMPTY, pn: o.pn, pnLength, payloadLength });
  let payloadLength = Math.max(o.plan.size, MIN_PAYLOAD);
  if (o.padTo !== undefined) {
    // With padding the Length field is 2 bytes (64 … 16383): the header length is known.
    const headerLength = head(1000).header.length;
    payloadLength = Math.max(payloadLength, o.padTo - headerLength - TAG_LENGTH);
  }
  const payload = encodeFrames(o.plan.frames, o.plan.size, payloadLength);
  const { header, pnOffset } = head(payload.length);
  return protect(o.keys, header, pnOffset, o.pn, payload);
}

/**
 * Seals a 1-RTT packet carrying `plan`'s frames under the current key phase; with `padTo`,
 * PADDING makes the whole packet that long (a path MTU probe).
 */
export function sealShort(o: { keys: KeyPhases; dcid: Uint8Array; pn: number; largestAcked: number | undefined; plan: FramePlan; padTo?: number }): Uint8Array {
  const pnLength = packetNumberLength(o.pn, o.largestAcked);
  const { header, pnOffset } = shortHeader({ dcid: o.dcid, pn: o.pn, pnLength });
  const payload = encodeFrames(o.plan.frames, o.plan.size, o.padTo === undefined ? 0 : o.padTo - header.length - TAG_LENGTH);
  return o.keys.protect(header, pnOffset, o.pn, payload);
}
