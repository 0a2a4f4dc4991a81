/**
 * The two packet number spaces a JSP connection uses — Initial (the handshake, under the Initial
 * keys) and application (1-RTT) — and what the connection attaches to each packet it sends, so
 * that loss recovery (`src/core/recovery`) can hand it back when the packet is acknowledged or
 * declared lost.
 *
 * Received packet numbers, duplicates, ACK deadlines and ACK frames are {@link ReceivedPackets}'
 * (RFC 9000 §13.2); sent packets, RTT, loss and PTO are `LossRecovery`'s (RFC 9002). A space here
 * is only the glue: the next packet number and the control frames queued for it.
 *
 * @module
 */
import type { Frame, HandshakeFrame } from '../../gen/frames.ts';
import { ReceivedPackets } from '../recovery/index.ts';
import type { PacketSpace } from '../recovery/index.ts';
import type { SentStreamFrame } from '../streams/index.ts';

/** The connection's name for a packet number space. */
export type Level = 'initial' | 'app';

/** Loss recovery's name for `level`. */
export function recoverySpace(level: Level): PacketSpace {
  return level === 'initial' ? 'initial' : 'application';
}

/** Whether a frame makes its packet ack-eliciting (RFC 9000 §13.2: all but ACK, PADDING, CONNECTION_CLOSE). */
export function isAckEliciting(f: Frame): boolean {
  return f.type !== 'ack' && f.type !== 'padding' && f.type !== 'connection_close';
}

/**
 * The frames a packet may carry at a level (RFC 9000 §12.4, Table 3, with JSP's HANDSHAKE frame
 * for CRYPTO and PONG beside PING): Initial packets carry only the handshake and what keeps it
 * going; everything else is a PROTOCOL_VIOLATION there.
 */
export function allowedAt(level: Level, f: Frame): boolean {
  if (level === 'app') return f.type !== 'handshake';
  return f.type === 'padding' || f.type === 'ping' || f.type === 'pong' || f.type === 'ack' || f.type === 'handshake' || f.type === 'connection_close';
}

/**
 * What the connection attaches to a sent packet, one per frame that needs an outcome: the data to
 * send again when the packet is lost, or the state to release when it is acknowledged. Frames that
 * need neither (PADDING, PING, PONG, CONNECTION_CLOSE) attach nothing.
 */
export type SentItem =
  /** A HANDSHAKE frame: sent again (the same bytes at the same offset) when lost. */
  | { readonly kind: 'handshake'; readonly frame: HandshakeFrame }
  /** HANDSHAKE_DONE: sent again when lost, until one is acknowledged. */
  | { readonly kind: 'handshake_done' }
  /** An ACK frame with this largest acknowledged: once acknowledged, those numbers need no reporting (RFC 9000 §13.2.4). */
  | { readonly kind: 'ack'; readonly largest: number }
  /** A frame of a stream's sending part (STREAM, STREAM_SKIP, RESET_STREAM). */
  | { readonly kind: 'stream'; readonly id: number; readonly frame: SentStreamFrame }
  /** STREAM_DATA_BLOCKED at `limit`. */
  | { readonly kind: 'stream_data_blocked'; readonly id: number; readonly limit: number }
  /** MAX_STREAM_DATA of a stream: when lost, the current limit goes again. */
  | { readonly kind: 'max_stream_data'; readonly id: number }
  /** STOP_SENDING of a stream: sent again when lost while it matters. */
  | { readonly kind: 'stop_sending'; readonly id: number }
  /** MAX_DATA: when lost, the current limit goes again. */
  | { readonly kind: 'max_data' }
  /** DATA_BLOCKED at `limit`. */
  | { readonly kind: 'data_blocked'; readonly limit: number }
  /** MAX_STREAMS of a direction: when lost, the current limit goes again. */
  | { readonly kind: 'max_streams'; readonly uni: boolean }
  /** STREAMS_BLOCKED of a direction at `limit`: sent again when lost while still blocked there. */
  | { readonly kind: 'streams_blocked'; readonly uni: boolean; readonly limit: number }
  /** NEW_SESSION_TICKET (server): sent again as it is when lost. */
  | { readonly kind: 'ticket'; readonly frame: Frame };

/** One packet number space of the connection. */
export class Space {
  /** The next packet number to send. */
  nextPn = 0;
  /** Packets received: duplicates, ACK deadline, ACK frames. */
  readonly received: ReceivedPackets;
  /** Control frames waiting for a packet of this space (with what to attach to each). */
  readonly queue: { frame: Frame; item?: SentItem }[] = [];

  constructor(level: Level, maxAckDelay: number, ackDelayExponent: number) {
    this.received = ReceivedPackets.forSpace(recoverySpace(level), { maxAckDelay, ackDelayExponent });
  }
}
