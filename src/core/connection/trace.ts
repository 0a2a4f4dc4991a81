/**
 * An optional observer of a connection's packets, for qlog traces and logs (src/node feeds
 * them from it). It is called synchronously as packets are sealed, opened or declared lost, with
 * the connection's own `now`; it must not act on the connection. Without one, a connection
 * builds no trace events at all.
 *
 * Everything else an observer wants — RTT and window (`Connection.recovery`), state changes
 * (`Connection.state`, `handshakeState`), events — it reads from the connection when a packet
 * event tells it something may have changed.
 *
 * @module
 */
import type { Frame } from '../../gen/frames.ts';
import type { Connection } from './connection.ts';
import type { Level } from './spaces.ts';

/** A packet the connection sent, received or declared lost. */
export type TraceEvent =
  | {
    readonly type: 'packet_sent' | 'packet_received';
    readonly now: number;
    /** The packet number space: an Initial packet or a 1-RTT one. */
    readonly level: Level;
    readonly packetNumber: number;
    /** Bytes of the packet (header and AEAD tag included). */
    readonly bytes: number;
    /** Its frames (do not keep or change them: payloads are views). */
    readonly frames: readonly Frame[];
    /** 1-RTT: the key generation (key phase, counting updates) it was sealed or opened under. */
    readonly keyPhase: number | undefined;
  }
  | {
    readonly type: 'packet_lost';
    readonly now: number;
    readonly level: Level;
    readonly packetNumber: number;
    readonly bytes: number;
    /** What declared it lost: an acknowledgement of later packets, or the loss timer. */
    readonly trigger: 'ack' | 'timer';
  };

/** Receives a connection's trace events, with the connection they belong to. */
export type TraceSink = (event: TraceEvent, connection: Connection) => void;
