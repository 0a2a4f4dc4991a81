/**
 * The streams of one connection: the sans-IO pieces of `src/core/streams` wired to frames.
 *
 * - **Limits from the handshake**: the peer's transport parameters set what this side may send
 *   (initial_max_data → the connection's {@link SendCredit}, initial_max_stream_data_* → each
 *   {@link SendStream}'s credit, initial_max_streams_* → {@link StreamIds}); ours set what it
 *   receives ({@link RecvWindow}s, auto-tuned up to configured maxima).
 * - **Frames in** ({@link ConnectionStreams.onFrame}): STREAM, RESET_STREAM, STREAM_SKIP and
 *   STREAM_DATA_BLOCKED go to the stream's receiving part, STOP_SENDING and MAX_STREAM_DATA to its
 *   sending part, after {@link StreamIds.onFrame} opened any peer stream they name; MAX_DATA,
 *   MAX_STREAMS, STREAMS_BLOCKED and DATA_BLOCKED to the connection-level counters. A violation
 *   (flow control, final size, stream limit or state) is thrown as the part's TransportError:
 *   the connection closes with its code.
 * - **Frames out** ({@link ConnectionStreams.fill}): control frames first (MAX_STREAM_DATA,
 *   MAX_DATA, MAX_STREAMS, STOP_SENDING, *_BLOCKED, and the ones lost), then the streams' frames in
 *   the {@link Scheduler}'s order (urgency, then round-robin).
 * - **Outcomes** ({@link ConnectionStreams.onAcked}, {@link ConnectionStreams.onLost}): what loss
 *   recovery reports of each frame goes back to the part that sent it; lost control frames are
 *   sent again with the current values.
 * - A stream is forgotten once both its parts are done; a peer stream's credit then returns in
 *   MAX_STREAMS.
 * - **Shutdown** ({@link ConnectionStreams.shutdown}, spec/machines/connection.yaml
 *   `shutting_down`): every sending part is finished, and streams the peer opens from then on are
 *   refused — STOP_SENDING for the receiving part, RESET_STREAM for the sending part, both with
 *   the shutdown's code — and the application never hears of them. (A stream limit of 0 cannot
 *   refuse them: MAX_STREAMS never lowers a limit.) {@link ConnectionStreams.drained} says when
 *   every other stream is done.
 *
 * @module
 */
import { varintSize } from '../../codec/index.ts';
import type { Frame } from '../../gen/frames.ts';
import type { TransportParameters } from '../../gen/messages.ts';
import {
  DEFAULT_CONNECTION_WINDOW, DEFAULT_MAX_CONNECTION_WINDOW, DEFAULT_MAX_STREAM_WINDOW, DEFAULT_STREAM_WINDOW, RecvStream, RecvWindow, Scheduler, SendCredit, SendStream,
  StreamIds, directionOf, initiatorOf, sentFrame, type Direction, type Range, type StreamPart, type StreamTransmit,
} from '../streams/index.ts';
import { defaultTransportParameters } from '../handshake/index.ts';
import type { FramePlan } from './assembler.ts';
import type { SentItem } from './spaces.ts';

/** What the streams tell the application (through the connection's events). */
export type StreamEvent =
  /** The peer opened a stream (the first frame for it, or a higher one of its kind, arrived). */
  | { type: 'stream_opened'; id: number; bidi: boolean }
  /** A read would return something: bytes, the end, or the reset. */
  | { type: 'stream_readable'; id: number }
  /** A write that was cut short can take bytes again (acknowledged data left the send buffer). */
  | { type: 'stream_writable'; id: number }
  /** Everything written, the FIN included, was acknowledged by the peer. */
  | { type: 'stream_finished'; id: number }
  /** The peer reset its sending part: the data is gone (`code` is its application error code). */
  | { type: 'stream_reset'; id: number; code: number }
  /** The peer asked us to stop sending (STOP_SENDING): our part resets with its code. */
  | { type: 'stream_stopped'; id: number; code: number }
  /** MAX_STREAMS raised the limit that held back {@link ConnectionStreams.open}. */
  | { type: 'streams_available'; bidi: boolean };

/** Local stream configuration (not negotiated). */
export interface StreamConfig {
  /** The largest receive window auto-tuning may give one stream (default 16 MiB). */
  readonly maxStreamWindow?: number;
  /** The largest receive window auto-tuning may give the connection (default 24 MiB). */
  readonly maxConnectionWindow?: number;
  /** Most bytes one stream holds written and not yet acknowledged (default 1 MiB). */
  readonly sendBuffer?: number;
}

/** Streams each side lets the other open, unless configured (initial_max_streams_bidi / _uni). */
export const DEFAULT_MAX_STREAMS = 100;

/**
 * This side's transport parameters: `given` over the protocol defaults, with the stream and
 * flow-control limits defaulting to the streams module's initial windows (a window then
 * auto-tunes, see `src/core/streams/flow-control.ts`), and `own` (what the connection sets) last.
 */
export function localTransportParameters(given: Partial<TransportParameters> | undefined, own: Partial<TransportParameters>): TransportParameters {
  return {
    ...defaultTransportParameters(),
    initialMaxData: DEFAULT_CONNECTION_WINDOW,
    initialMaxStreamDataBidiLocal: DEFAULT_STREAM_WINDOW,
    initialMaxStreamDataBidiRemote: DEFAULT_STREAM_WINDOW,
    initialMaxStreamDataUni: DEFAULT_STREAM_WINDOW,
    initialMaxStreamsBidi: DEFAULT_MAX_STREAMS,
    initialMaxStreamsUni: DEFAULT_MAX_STREAMS,
    ...given,
    ...own,
  };
}

/** What {@link ConnectionStreams.read} returns. */
export interface StreamRead {
  /** Bytes in order (empty when none are ready). */
  readonly data: Uint8Array;
  /** The stream ended after `data`. */
  readonly fin: boolean;
  /** The peer's reset code, when this read reports a reset (no data follows). */
  readonly resetCode?: number;
  /** A range the peer abandoned (STREAM_SKIP), before `data`. */
  readonly skipped?: Range;
}

/** Counters of the receiving side, for tests and qlog. */
export interface StreamStats {
  /** Streams held. */
  readonly streams: number;
  /** Bytes buffered by receiving parts, waiting to be read. */
  readonly recvBuffered: number;
  /** Bytes held by sending parts until acknowledged. */
  readonly sendBuffered: number;
  /** The connection's receive window: bytes received (highest offsets summed), the limit advertised, the window. */
  readonly connReceived: number;
  readonly connLimit: number;
  readonly connWindow: number;
  /** Receiving parts whose highest offset is beyond the limit they advertised (always 0). */
  readonly overLimit: number;
  /** Receiving parts whose buffer holds more than their window (always 0). */
  readonly overWindow: number;
}

interface Entry {
  readonly id: number;
  readonly send: SendStream | undefined;
  readonly recv: RecvStream | undefined;
  /** A stream_readable event is out and no read followed it. */
  readableNotified: boolean;
  /** A write was cut short: stream_writable goes out when room returns. */
  writeBlocked: boolean;
  /** A peer stream opened during a shutdown: refused, never reported, not waited for. */
  refused: boolean;
}

const SEND_DONE = new Set(['data_recvd', 'reset_recvd']);
const RECV_DONE = new Set(['data_read', 'reset_read']);
/** Room a packet must have left before another control or stream frame is tried (the largest control frame is 25 bytes). */
const MIN_ROOM = 32;

/** The streams of one connection. */
export class ConnectionStreams {
  readonly #ids: StreamIds;
  readonly #local: TransportParameters;
  #peer: TransportParameters;
  readonly #sendConn: SendCredit;
  /** This endpoint's streams held back by a lowered stream limit (0-RTT rejected): nothing of theirs is sent until MAX_STREAMS covers them. */
  readonly #held = new Set<number>();
  readonly #recvConn: RecvWindow;
  readonly #maxStreamWindow: number;
  readonly #sendBuffer: number | undefined;
  readonly #streams = new Map<number, Entry>();
  readonly #scheduler = new Scheduler();
  readonly #emit: (e: StreamEvent) => void;
  /** Streams read from since the last fill: MAX_STREAM_DATA may be due. */
  readonly #readDirty = new Set<number>();
  readonly #stopPending = new Set<number>();
  readonly #msdLost = new Set<number>();
  readonly #maxStreamsLost = new Set<Direction>();
  #maxDataLost = false;
  /** Something may have produced a control frame since the last fill. */
  #controlDirty = false;
  readonly #openBlocked: Record<Direction, boolean> = { bidi: false, uni: false };
  /** Set by {@link shutdown}: the application error code peer streams are refused with. */
  #refuseCode: number | undefined;
  readonly #onPeerStream: ((id: number, refused: boolean) => void) | undefined;

  /**
   * `emit` receives the application's events; `onPeerStream` hears of every stream the peer
   * opens, and whether it was refused (the connection's lifecycle event `peer_stream_opened`).
   */
  constructor(o: { role: 'client' | 'server'; local: TransportParameters; peer: TransportParameters; config?: StreamConfig; emit: (e: StreamEvent) => void; onPeerStream?: (id: number, refused: boolean) => void }) {
    this.#local = o.local;
    this.#peer = o.peer;
    this.#emit = o.emit;
    this.#onPeerStream = o.onPeerStream;
    this.#ids = new StreamIds({
      role: o.role,
      local: { bidi: o.local.initialMaxStreamsBidi, uni: o.local.initialMaxStreamsUni },
      peer: { bidi: o.peer.initialMaxStreamsBidi, uni: o.peer.initialMaxStreamsUni },
    });
    this.#sendConn = new SendCredit(o.peer.initialMaxData);
    const maxConn = o.config?.maxConnectionWindow ?? DEFAULT_MAX_CONNECTION_WINDOW;
    this.#recvConn = new RecvWindow({ window: o.local.initialMaxData, maxWindow: Math.max(o.local.initialMaxData, maxConn) });
    this.#maxStreamWindow = o.config?.maxStreamWindow ?? DEFAULT_MAX_STREAM_WINDOW;
    this.#sendBuffer = o.config?.sendBuffer;
  }

  /**
   * The peer's transport parameters of the handshake in place of the remembered ones 0-RTT used
   * (RFC 9000 §7.4.1; crypto.early-data.unsafe-parameters): each limit rises to the new value as
   * if MAX_DATA, MAX_STREAMS and MAX_STREAM_DATA had arrived; none falls. Client only.
   */
  updatePeer(peer: TransportParameters): void {
    this.#peer = peer;
    this.onFrame({ type: 'max_data', maximumData: peer.initialMaxData });
    this.onFrame({ type: 'max_streams', uni: false, maximumStreams: peer.initialMaxStreamsBidi });
    this.onFrame({ type: 'max_streams', uni: true, maximumStreams: peer.initialMaxStreamsUni });
    for (const e of [...this.#streams.values()]) {
      if (!e.send || (e.id & 0x1) !== 0) continue; // the client's own streams (only a client updates)
      const uni = (e.id & 0x2) !== 0;
      this.onFrame({ type: 'max_stream_data', streamId: e.id, maximumStreamData: uni ? peer.initialMaxStreamDataUni : peer.initialMaxStreamDataBidiRemote });
    }
  }

  /**
   * The server rejected this client's 0-RTT data (crypto.early-data.resend): the handshake's
   * transport parameters replace the remembered ones — each limit may be lower — and every
   * sending part is rewound (stream-send event `early_rejected`), so what 0-RTT carried goes again
   * as new data within the new limits (machines.connection.early-limits). Client only.
   */
  earlyRejected(peer: TransportParameters): void {
    this.#peer = peer;
    this.#sendConn.restart(peer.initialMaxData);
    this.#ids.restartPeerLimit('bidi', peer.initialMaxStreamsBidi);
    this.#ids.restartPeerLimit('uni', peer.initialMaxStreamsUni);
    for (const e of this.#streams.values()) {
      if (!e.send || (e.id & 0x1) !== 0) continue;
      e.send.onEarlyRejected((e.id & 0x2) !== 0 ? peer.initialMaxStreamDataUni : peer.initialMaxStreamDataBidiRemote);
      this.#check(e.send);
      if (e.send.wantsToSend) this.#scheduler.ready(e.id);
    }
    this.#controlDirty = true; // STREAMS_BLOCKED when the new limit holds streams back
  }

  // ───────────────────────────── application ─────────────────────────────

  /** Opens a stream: its id, or undefined when the peer's MAX_STREAMS holds it back (STREAMS_BLOCKED goes out; `streams_available` follows). */
  open(bidi: boolean): number | undefined {
    const d: Direction = bidi ? 'bidi' : 'uni';
    const id = this.#ids.open(d);
    if (id === undefined) {
      this.#openBlocked[d] = true;
      this.#controlDirty = true;
      return undefined;
    }
    const limit = bidi ? this.#peer.initialMaxStreamDataBidiRemote : this.#peer.initialMaxStreamDataUni;
    this.#add(id, limit, bidi ? this.#local.initialMaxStreamDataBidiLocal : undefined);
    return id;
  }

  /** Writes to stream `id`: the bytes taken (fewer than given when the send buffer is full: `stream_writable` follows). */
  write(id: number, data: Uint8Array): number {
    const e = this.#entry(id, 'send', 'write');
    const { accepted } = e.send!.write(data);
    this.#check(e.send!);
    if (accepted < data.length) e.writeBlocked = true;
    if (accepted > 0) this.#scheduler.ready(id);
    return accepted;
  }

  /** Ends stream `id`'s sending part after what was written (FIN). */
  finish(id: number): void {
    const e = this.#entry(id, 'send', 'finish');
    e.send!.finish();
    this.#scheduler.ready(id);
    this.#maybeRemove(e);
  }

  /** Resets stream `id`'s sending part with an application error code (RESET_STREAM). */
  reset(id: number, code: number): void {
    const e = this.#entry(id, 'send', 'reset');
    e.send!.reset(code);
    this.#scheduler.ready(id);
  }

  /** Asks the peer to stop sending on stream `id` (STOP_SENDING); what arrives is discarded. */
  stopSending(id: number, code: number): void {
    const e = this.#entry(id, 'recv', 'stopSending');
    e.recv!.stop(code);
    this.#stopPending.add(id);
    this.#controlDirty = true;
    this.#maybeRemove(e);
  }

  /** Reads up to `max` bytes of stream `id`. */
  read(id: number, max: number): StreamRead {
    const e = this.#entry(id, 'recv', 'read');
    const r = e.recv!.read(max);
    e.readableNotified = false;
    this.#readDirty.add(id);
    this.#controlDirty = true;
    this.#maybeRemove(e);
    const out: { data: Uint8Array; fin: boolean; resetCode?: number; skipped?: Range } = { data: r.data, fin: r.fin };
    if (r.resetCode !== undefined) out.resetCode = r.resetCode;
    if (r.skipped) out.skipped = r.skipped;
    return out;
  }

  /** Sets the urgency (0 most urgent … 7) of stream `id`'s sending part. */
  setUrgency(id: number, urgency: number): void {
    this.#entry(id, 'send', 'setUrgency');
    this.#scheduler.setUrgency(id, urgency);
  }

  /** Whether stream `id` is held (open, or closing). */
  has(id: number): boolean { return this.#streams.has(id); }

  /**
   * A graceful shutdown starts: every sending part the application has not finished is finished
   * (a FIN after what was written; a reset part stays reset), and from now on streams the peer
   * opens are refused with `code` (STOP_SENDING, and RESET_STREAM for a bidirectional one).
   */
  shutdown(code: number): void {
    this.#refuseCode = code;
    for (const e of this.#streams.values()) {
      const s = e.send?.state;
      if (s !== 'ready' && s !== 'send') continue;
      e.send!.finish();
      this.#scheduler.ready(e.id);
    }
  }

  /**
   * Every stream is done but the refused ones: what this side wrote, with the FIN, is
   * acknowledged (or its reset is), and what the peer wrote was read to the end (or its reset).
   */
  get drained(): boolean {
    for (const e of this.#streams.values()) if (!e.refused) return false;
    return true;
  }

  stats(): StreamStats {
    let recvBuffered = 0, sendBuffered = 0, overLimit = 0, overWindow = 0;
    for (const e of this.#streams.values()) {
      if (e.recv) {
        recvBuffered += e.recv.buffered;
        if (e.recv.highest > e.recv.window.limit) overLimit++;
        if (e.recv.buffered > e.recv.window.window) overWindow++;
      }
      if (e.send) sendBuffered += e.send.buffered;
    }
    const c = this.#recvConn;
    return { streams: this.#streams.size, recvBuffered, sendBuffered, connReceived: c.received, connLimit: c.limit, connWindow: c.window, overLimit, overWindow };
  }

  // ───────────────────────────── frames in ─────────────────────────────

  /** A stream or flow-control frame from the peer. Throws the TransportError that closes the connection. */
  onFrame(f: Frame): void {
    switch (f.type) {
      case 'stream': {
        const e = this.#lookup(f.streamId, 'recv', 'STREAM');
        if (!e) return;
        e.recv!.onStream(f.offset ?? 0, f.data, f.fin);
        this.#check(e.recv!);
        this.#notifyReadable(e);
        return;
      }
      case 'reset_stream': {
        const e = this.#lookup(f.streamId, 'recv', 'RESET_STREAM');
        if (!e) return;
        const step = e.recv!.onReset(f.errorCode, f.finalSize);
        this.#check(e.recv!);
        if (e.refused) { // the peer's answer to our STOP_SENDING: nobody will read it
          e.recv!.stop(f.errorCode);
          this.#maybeRemove(e);
          return;
        }
        if (!step.ignored && step.state !== 'reset_recvd' && step.next === 'reset_recvd') {
          this.#emit({ type: 'stream_reset', id: e.id, code: f.errorCode });
          this.#notifyReadable(e);
        }
        return;
      }
      case 'stream_skip': {
        const e = this.#lookup(f.streamId, 'recv', 'STREAM_SKIP');
        if (!e) return;
        e.recv!.onSkip(f.skipOffset);
        this.#check(e.recv!);
        this.#notifyReadable(e);
        return;
      }
      case 'stream_data_blocked': {
        const e = this.#lookup(f.streamId, 'recv', 'STREAM_DATA_BLOCKED');
        if (e) { this.#readDirty.add(e.id); this.#controlDirty = true; }
        return;
      }
      case 'stop_sending': {
        const e = this.#lookup(f.streamId, 'send', 'STOP_SENDING');
        if (!e) return;
        const step = e.send!.onStopSending(f.errorCode);
        this.#check(e.send!);
        if (step.actions.includes('report_stopped') && !e.refused) this.#emit({ type: 'stream_stopped', id: e.id, code: f.errorCode });
        this.#scheduler.ready(e.id);
        return;
      }
      case 'max_stream_data': {
        const e = this.#lookup(f.streamId, 'send', 'MAX_STREAM_DATA');
        if (!e) return;
        e.send!.onMaxStreamData(f.maximumStreamData);
        this.#check(e.send!);
        if (e.send!.wantsToSend) this.#scheduler.ready(e.id);
        return;
      }
      case 'max_data':
        if (this.#sendConn.raise(f.maximumData)) {
          for (const e of this.#streams.values()) if (e.send?.wantsToSend) this.#scheduler.ready(e.id);
        }
        return;
      case 'max_streams': {
        const d: Direction = f.uni ? 'uni' : 'bidi';
        this.#ids.onMaxStreams(d, f.maximumStreams);
        this.#release();
        if (this.#openBlocked[d]) {
          this.#openBlocked[d] = false;
          this.#emit({ type: 'streams_available', bidi: d === 'bidi' });
        }
        return;
      }
      case 'streams_blocked':
        this.#ids.onStreamsBlocked(f.uni ? 'uni' : 'bidi');
        this.#controlDirty = true;
        return;
      case 'data_blocked':
        return; // the peer waits for MAX_DATA, which goes as soon as half the window is read
      default:
        throw new RangeError(`ConnectionStreams.onFrame: ${f.type} is not a stream frame`);
    }
  }

  // ───────────────────────────── frames out ─────────────────────────────

  /** Whether {@link fill} may have frames to send. */
  get hasWork(): boolean {
    return this.#controlDirty || this.#scheduler.next() !== undefined;
  }

  /** Adds control frames, then stream frames, to `plan`. `rtt` is the smoothed RTT (0 before a sample) for window auto-tuning. */
  fill(plan: FramePlan, now: number, rtt: number): void {
    if (this.#controlDirty && this.#control(plan, now, rtt)) this.#controlDirty = false;
    this.#streamFrames(plan);
    const blocked = plan.left >= MIN_ROOM ? this.#sendConn.pollBlocked() : undefined;
    if (blocked !== undefined) plan.add({ type: 'data_blocked', maximumData: blocked }, { kind: 'data_blocked', limit: blocked });
    else this.#controlDirty ||= plan.left < MIN_ROOM;
  }

  /** Control frames; false when the packet ran out of room before all were considered. */
  #control(plan: FramePlan, now: number, rtt: number): boolean {
    const room = () => plan.left >= MIN_ROOM;
    for (const id of this.#readDirty) {
      if (!room()) return false;
      if (this.#holdBack(id)) continue;
      this.#readDirty.delete(id);
      const limit = this.#streams.get(id)?.recv?.pollMaxStreamData(now, rtt);
      if (limit !== undefined) plan.add({ type: 'max_stream_data', streamId: id, maximumStreamData: limit }, { kind: 'max_stream_data', id });
    }
    for (const id of this.#msdLost) {
      if (!room()) return false;
      if (this.#holdBack(id)) continue;
      this.#msdLost.delete(id);
      const r = this.#streams.get(id)?.recv;
      if (r && r.state === 'recv') plan.add({ type: 'max_stream_data', streamId: id, maximumStreamData: r.window.limit }, { kind: 'max_stream_data', id });
    }
    if (!room()) return false;
    const max = this.#recvConn.pollUpdate(now, rtt);
    if (max !== undefined || this.#maxDataLost) {
      this.#maxDataLost = false;
      plan.add({ type: 'max_data', maximumData: this.#recvConn.limit }, { kind: 'max_data' });
    }
    for (const d of this.#maxStreamsLost) {
      if (!room()) return false;
      this.#maxStreamsLost.delete(d);
      plan.add({ type: 'max_streams', uni: d === 'uni', maximumStreams: this.#ids.advertised(d) }, { kind: 'max_streams', uni: d === 'uni' });
    }
    for (;;) {
      if (!room()) return false;
      const m = this.#ids.pollMaxStreams();
      if (!m) break;
      plan.add({ type: 'max_streams', uni: m.direction === 'uni', maximumStreams: m.max }, { kind: 'max_streams', uni: m.direction === 'uni' });
    }
    for (;;) {
      if (!room()) return false;
      const b = this.#ids.pollStreamsBlocked();
      if (!b) break;
      plan.add({ type: 'streams_blocked', uni: b.direction === 'uni', maximumStreams: b.limit }, { kind: 'streams_blocked', uni: b.direction === 'uni', limit: b.limit });
    }
    for (const id of this.#stopPending) {
      if (!room()) return false;
      if (this.#holdBack(id)) continue;
      this.#stopPending.delete(id);
      const code = this.#streams.get(id)?.recv?.pollStopSending();
      if (code !== undefined) plan.add({ type: 'stop_sending', streamId: id, errorCode: code }, { kind: 'stop_sending', id });
    }
    return true;
  }

  #streamFrames(plan: FramePlan): void {
    while (plan.left >= MIN_ROOM) {
      const next = this.#scheduler.next();
      if (!next) return;
      const { id } = next;
      const send = this.#streams.get(id)?.send;
      if (!send) { this.#scheduler.remove(id); continue; }
      if (this.#holdBack(id)) { this.#scheduler.sent(id, 0, false); continue; } // waits for MAX_STREAMS (#release)
      // STREAM frame header: type, id, offset (below what was written), a 2-byte length.
      const header = 1 + varintSize(id) + varintSize(send.written) + 2;
      const t = send.pollTransmit(Math.max(0, Math.min(next.budget, plan.left - header)), this.#sendConn);
      this.#check(send);
      if (!t) { this.#scheduler.sent(id, 0, false); continue; }
      const item: SentItem = t.type === 'stream_data_blocked' ? { kind: 'stream_data_blocked', id, limit: t.limit } : { kind: 'stream', id, frame: sentFrame(t)! };
      if (!plan.add(toFrame(id, t), item)) throw new RangeError(`stream ${id}: a ${t.type} frame did not fit the ${plan.left} bytes it was cut for`);
      this.#scheduler.sent(id, t.type === 'stream' ? t.data.length : 0, send.wantsToSend);
    }
  }

  // ───────────────────────────── outcomes ─────────────────────────────

  /** A packet carrying `item` was acknowledged. */
  onAcked(item: SentItem): void {
    if (item.kind !== 'stream') return;
    const e = this.#streams.get(item.id);
    if (!e?.send) return;
    const before = e.send.state;
    e.send.onAcked(item.frame);
    this.#check(e.send);
    if (e.send.state === 'data_recvd' && before !== 'data_recvd') this.#emit({ type: 'stream_finished', id: e.id });
    if (e.writeBlocked && e.send.writable > 0 && (e.send.state === 'send' || e.send.state === 'ready')) {
      e.writeBlocked = false;
      this.#emit({ type: 'stream_writable', id: e.id });
    }
    this.#maybeRemove(e);
  }

  /** A packet carrying `item` was declared lost. */
  onLost(item: SentItem): void {
    switch (item.kind) {
      case 'stream': {
        const send = this.#streams.get(item.id)?.send;
        if (!send) return;
        send.onLost(item.frame);
        this.#check(send);
        if (send.wantsToSend) this.#scheduler.ready(item.id);
        return;
      }
      case 'stream_data_blocked': {
        const send = this.#streams.get(item.id)?.send;
        send?.blockedLost(item.limit);
        if (send?.wantsToSend) this.#scheduler.ready(item.id);
        return;
      }
      case 'max_stream_data': this.#msdLost.add(item.id); break;
      case 'stop_sending': this.#streams.get(item.id)?.recv?.stopSendingLost(); this.#stopPending.add(item.id); break;
      case 'max_data': this.#maxDataLost = true; break;
      case 'data_blocked': this.#sendConn.blockedLost(item.limit); break;
      case 'max_streams': this.#maxStreamsLost.add(item.uni ? 'uni' : 'bidi'); break;
      case 'streams_blocked': this.#ids.streamsBlockedLost(item.uni ? 'uni' : 'bidi', item.limit); break;
      default: return;
    }
    this.#controlDirty = true;
  }

  // ───────────────────────────── helpers ─────────────────────────────

  /**
   * Whether stream `id` is this endpoint's and beyond the peer's stream limit (only after a
   * rejected 0-RTT lowered it): then nothing of it may be sent — it is noted, for {@link #release}.
   */
  #holdBack(id: number): boolean {
    if ((id & 0x1) !== (this.#ids.role === 'server' ? 1 : 0) || this.#ids.allowed(id)) return false;
    this.#held.add(id);
    return true;
  }

  /** MAX_STREAMS arrived: held streams now within the limit may send (their control frames too). */
  #release(): void {
    for (const id of this.#held) {
      if (!this.#ids.allowed(id)) continue;
      this.#held.delete(id);
      if (this.#streams.get(id)?.send?.wantsToSend) this.#scheduler.ready(id);
      this.#controlDirty = true; // its MAX_STREAM_DATA / STOP_SENDING, skipped while held
    }
  }

  /** A stream this endpoint opened (`recvWindow` for bidirectional ones) or the peer did. */
  #add(id: number, sendLimit: number | undefined, recvWindow: number | undefined): Entry {
    const send = sendLimit === undefined ? undefined : new SendStream({ id, limit: sendLimit, bufferLimit: this.#sendBuffer });
    const recv = recvWindow === undefined ? undefined : new RecvStream({
      id, connection: this.#recvConn,
      window: new RecvWindow({ window: recvWindow, maxWindow: Math.max(recvWindow, this.#maxStreamWindow) }),
    });
    const e: Entry = { id, send, recv, readableNotified: false, writeBlocked: false, refused: false };
    this.#streams.set(id, e);
    if (send) this.#scheduler.add(id);
    return e;
  }

  /** The entry a peer frame addresses, after opening the peer streams it implies; undefined for a stream already forgotten. */
  #lookup(id: number, part: StreamPart, frame: string): Entry | undefined {
    const { opened } = this.#ids.onFrame(id, part, frame);
    for (const pid of opened) {
      const bidi = directionOf(pid) === 'bidi';
      const e = this.#add(pid, bidi ? this.#peer.initialMaxStreamDataBidiLocal : undefined, bidi ? this.#local.initialMaxStreamDataBidiRemote : this.#local.initialMaxStreamDataUni);
      if (this.#refuseCode === undefined) {
        this.#onPeerStream?.(pid, false);
        this.#emit({ type: 'stream_opened', id: pid, bidi });
        continue;
      }
      e.refused = true;
      e.recv!.stop(this.#refuseCode);
      this.#stopPending.add(pid);
      this.#controlDirty = true;
      if (e.send) {
        e.send.reset(this.#refuseCode);
        this.#scheduler.ready(pid);
      }
      this.#onPeerStream?.(pid, true);
    }
    return this.#streams.get(id);
  }

  #entry(id: number, part: StreamPart, op: string): Entry {
    const e = this.#streams.get(id);
    if (!e) throw new RangeError(`${op}: stream ${id} is not open (never opened, or finished and forgotten)`);
    if (!(part === 'send' ? e.send : e.recv)) throw new RangeError(`${op}: stream ${id} has no ${part === 'send' ? 'sending' : 'receiving'} part here`);
    return e;
  }

  /** A part that failed closes the connection with its error. */
  #check(part: SendStream | RecvStream): void {
    if (part.error) throw part.error;
  }

  #notifyReadable(e: Entry): void {
    if (e.readableNotified || !e.recv?.readable) return;
    e.readableNotified = true;
    this.#emit({ type: 'stream_readable', id: e.id });
  }

  #maybeRemove(e: Entry): void {
    if (e.send && !SEND_DONE.has(e.send.state)) return;
    if (e.recv && !RECV_DONE.has(e.recv.state)) return;
    this.#streams.delete(e.id);
    this.#scheduler.remove(e.id);
    if (initiatorOf(e.id) !== this.#ids.role) {
      this.#ids.onPeerStreamClosed(e.id);
      this.#controlDirty = true;
    }
  }
}

function toFrame(id: number, t: StreamTransmit): Frame {
  switch (t.type) {
    case 'stream': return { type: 'stream', hasLength: true, fin: t.fin, streamId: id, offset: t.offset === 0 ? undefined : t.offset, data: t.data };
    case 'stream_skip': return { type: 'stream_skip', streamId: id, skipOffset: t.offset };
    case 'reset_stream': return { type: 'reset_stream', streamId: id, errorCode: t.errorCode, finalSize: t.finalSize };
    case 'stream_data_blocked': return { type: 'stream_data_blocked', streamId: id, maximumStreamData: t.limit };
  }
}

/** Frames {@link ConnectionStreams.onFrame} takes. */
export function isStreamFrame(f: Frame): boolean {
  switch (f.type) {
    case 'stream': case 'reset_stream': case 'stream_skip': case 'stream_data_blocked': case 'stop_sending':
    case 'max_stream_data': case 'max_data': case 'max_streams': case 'streams_blocked': case 'data_blocked':
      return true;
    default:
      return false;
  }
}

