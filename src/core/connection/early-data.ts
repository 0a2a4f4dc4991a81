/**
 * 0-RTT and session tickets on a connection (spec/crypto.yaml: crypto.early-data.*,
 * crypto.ticket.*; spec/packets.yaml `zero_rtt_packet`). What the connection hooks in:
 *
 * - **Client**: with a ticket, the first flight carries 0-RTT packets (long header type 1) under
 *   client_early_secret, coalesced after the Initial, with STREAM data written before the
 *   handshake completes — within the server's remembered limits and at most max_early_data bytes.
 *   When the ServerHello says 0-RTT was rejected, every 0-RTT packet is forgotten without a
 *   congestion signal and its frames go again in 1-RTT packets (crypto.early-data.resend).
 * - **Server**: accepted 0-RTT packets are opened under the early keys and their frames handled
 *   in the application space (acknowledged in 1-RTT), but they never confirm the handshake nor
 *   validate the address; only application frames may come in them (crypto.early-data.frames).
 * - **Tickets**: the server sends NEW_SESSION_TICKET once the handshake is confirmed; the client
 *   turns each into a {@link ClientTicket} (a `ticket` event, and into its store).
 *
 * @module
 */
import { Reader, Writer } from '../../codec/index.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { VERSION_1 } from '../../gen/constants.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';
import { writeFrame, type Frame } from '../../gen/frames.ts';
import type { TransportParameters } from '../../gen/messages.ts';
import type { EarlyKeys } from '../handshake/index.ts';
import { packetNumberLength, PacketKeys, protect } from '../protection/index.ts';
import type { ClientTicket, TicketStore } from '../tickets/index.ts';
import type { FramePlan } from './assembler.ts';

/** What the application learns about resumption. */
export type ResumptionEvent =
  /** The server sent a ticket (the client keeps it; it is in the store too when one is configured). */
  | { type: 'ticket'; ticket: ClientTicket }
  /** The 0-RTT data was accepted: `bytes` of STREAM data arrived a round trip early. */
  | { type: 'early_data_accepted'; bytes: number }
  /** The 0-RTT data was rejected; its `bytes` of STREAM data are being sent again in 1-RTT packets. */
  | { type: 'early_data_rejected'; bytes: number };

/** A client's resumption options. */
export interface ClientSession {
  /** The ticket to resume with (default: the newest usable one the store holds for the server). */
  readonly ticket?: ClientTicket;
  /** Where tickets are taken from and new ones put (the server's static key is the index). */
  readonly store?: TicketStore;
  /** Send 0-RTT when the ticket allows (default true). */
  readonly earlyData?: boolean;
  /** Wall-clock ms at connection time 0 (default 0: the connection's clock is the wall clock). */
  readonly epochMs?: number;
}

/** Frames a 0-RTT packet may carry (RFC 9000 §12.4 Table 3, JSP's frames; crypto.early-data.frames). */
export function allowedInZeroRtt(f: Frame): boolean {
  switch (f.type) {
    case 'padding': case 'ping': case 'stream': case 'reset_stream': case 'stop_sending': case 'max_data': case 'max_stream_data':
    case 'max_streams': case 'data_blocked': case 'stream_data_blocked': case 'streams_blocked': case 'stream_skip': case 'datagram':
      return true;
    default:
      return false;
  }
}

/** STREAM data bytes of a frame (what max_early_data counts). */
export function streamBytes(f: Frame): number {
  return f.type === 'stream' ? (f as { data: Uint8Array }).data.length : 0;
}

/** The 0-RTT long header up to its packet number (spec/packets.yaml zero_rtt_packet): Length counts pn, payload and tag. */
export function zeroRttHeader(o: { dcid: Uint8Array; scid: Uint8Array; pn: number; pnLength: 1 | 2 | 3 | 4; payloadLength: number }): { header: Uint8Array; pnOffset: number } {
  const w = new Writer(32 + o.dcid.length + o.scid.length);
  w.u8(0xd0 | (o.pnLength - 1)); // long header, fixed bit, type 0-RTT (1), reserved 0
  w.u32(VERSION_1);
  w.u8(o.dcid.length);
  w.bytes(o.dcid);
  w.u8(o.scid.length);
  w.bytes(o.scid);
  w.varint(o.pnLength + o.payloadLength + 16);
  const pnOffset = w.length;
  for (let i = o.pnLength - 1; i >= 0; i--) w.u8(Math.floor(o.pn / 256 ** i) & 0xff);
  return { header: w.finish(), pnOffset };
}

/** Seals a 0-RTT packet carrying `plan`'s frames. */
export function sealZeroRtt(o: { keys: PacketKeys; dcid: Uint8Array; scid: Uint8Array; pn: number; largestAcked: number | undefined; plan: FramePlan }): Uint8Array {
  const pnLength = packetNumberLength(o.pn, o.largestAcked);
  const size = Math.max(o.plan.size, 4); // room for the header-protection sample
  const w = new Writer(new Uint8Array(size));
  for (const f of o.plan.frames) writeFrame(w, f);
  const { header, pnOffset } = zeroRttHeader({ dcid: o.dcid, scid: o.scid, pn: o.pn, pnLength, payloadLength: size });
  return protect(o.keys, header, pnOffset, o.pn, w.buf);
}

/** Where the packet number of a 0-RTT packet starts (after its Length field), or undefined when the header does not parse. */
export function zeroRttPnOffset(packet: Uint8Array): number | undefined {
  try {
    const r = new Reader(packet, ErrorCode.PROTOCOL_VIOLATION, 5);
    r.bytes(r.uint(1, 'dcid length'), 'dcid');
    r.bytes(r.uint(1, 'scid length'), 'scid');
    r.varint('length');
    return r.pos;
  } catch {
    return undefined;
  }
}

/** The client's 0-RTT state: its send keys (the STREAM credit of 0-RTT is capped by {@link earlyPeerParameters}). */
export class ClientEarlyData {
  readonly keys: PacketKeys;
  readonly maxEarlyData: number;
  constructor(p: CryptoProvider, early: EarlyKeys, maxEarlyData: number) {
    this.keys = PacketKeys.fromSecret(p, early.suite, early.secret);
    this.maxEarlyData = maxEarlyData;
  }
}

/** The server's 0-RTT state: its receive keys and the STREAM bytes received under them. */
export class ServerEarlyData {
  readonly keys: PacketKeys;
  readonly maxEarlyData: number;
  bytes = 0;
  constructor(p: CryptoProvider, early: EarlyKeys, maxEarlyData: number) {
    this.keys = PacketKeys.fromSecret(p, early.suite, early.secret);
    this.maxEarlyData = maxEarlyData;
  }

  /** Checks the frames of one 0-RTT packet (crypto.early-data.frames): the error to close with, if any. */
  check(frames: readonly Frame[]): TransportError | undefined {
    for (const f of frames) {
      if (!allowedInZeroRtt(f)) return TransportError.of(ErrorCode.PROTOCOL_VIOLATION, `${f.type.toUpperCase()} frame in a 0-RTT packet`);
      this.bytes += streamBytes(f);
    }
    if (this.bytes > this.maxEarlyData) return TransportError.of(ErrorCode.PROTOCOL_VIOLATION, `${this.bytes} bytes of 0-RTT data, more than max_early_data ${this.maxEarlyData}`);
    return undefined;
  }
}

/** The peer parameters 0-RTT may rely on: the ticket's remembered ones, connection credit capped at max_early_data. */
export function earlyPeerParameters(t: ClientTicket): TransportParameters {
  return { ...t.transportParameters, initialMaxData: Math.min(t.transportParameters.initialMaxData, t.maxEarlyData) };
}
