/**
 * The sending part of a stream (spec/machines/stream-send.yaml, machine `send_stream`), one
 * handler per event: the application's calls ({@link SendStream.write}, `finish`, `reset`,
 * `skip`), the peer's frames (`onStopSending`, `onMaxStreamData`) and what loss recovery learns
 * (`onAcked`, `onLost`). Each returns the {@link SendStep} it took; the model-based test checks every
 * step against the table.
 *
 * Transmission is not an event: {@link SendStream.pollTransmit} gives the next frame of the stream
 * for a packet — a RESET_STREAM, a STREAM_SKIP, a retransmission, new bytes within the stream's
 * and the connection's credit, or STREAM_DATA_BLOCKED — and the connection reports each frame's
 * fate with its {@link SentStreamFrame} descriptor.
 *
 * @module
 */
import type { SendStreamAction, SendStreamEvent, SendStreamGuard, SendStreamState } from '../../gen/machine-stream-send.ts';
import type { TransportError } from '../../gen/errors.ts';
import { SendCredit } from './flow-control.ts';
import { SendBuffer } from './send-buffer.ts';
import { StepMaker, type StreamStep } from './step.ts';

/** A step of the sending part. */
export type SendStep = StreamStep<SendStreamState, SendStreamEvent, SendStreamGuard, SendStreamAction>;

/** Default bound of the bytes a sending part holds (written, not yet acknowledged): 1 MiB. */
export const DEFAULT_SEND_BUFFER = 1024 * 1024;

/** A frame the part wants sent (the connection adds the stream id and encodes it). */
export type StreamTransmit =
  | { readonly type: 'stream'; readonly offset: number; readonly data: Uint8Array; readonly fin: boolean }
  | { readonly type: 'stream_skip'; readonly offset: number }
  | { readonly type: 'reset_stream'; readonly errorCode: number; readonly finalSize: number }
  | { readonly type: 'stream_data_blocked'; readonly limit: number };

/** What the connection remembers of a frame it sent, to report its acknowledgment or loss. */
export type SentStreamFrame =
  | { readonly type: 'stream'; readonly offset: number; readonly length: number; readonly fin: boolean }
  | { readonly type: 'stream_skip'; readonly offset: number }
  | { readonly type: 'reset_stream' };

/** The descriptor to keep for a transmitted frame (STREAM_DATA_BLOCKED needs none: see {@link SendStream.blockedLost}). */
export function sentFrame(t: StreamTransmit): SentStreamFrame | undefined {
  switch (t.type) {
    case 'stream': return { type: 'stream', offset: t.offset, length: t.data.length, fin: t.fin };
    case 'stream_skip': return { type: 'stream_skip', offset: t.offset };
    case 'reset_stream': return { type: 'reset_stream' };
    default: return undefined;
  }
}

/** Configuration of a {@link SendStream}. */
export interface SendStreamConfig {
  /** The stream's id, for error messages. */
  readonly id?: number;
  /** The peer's initial limit for this stream (its initial_max_stream_data_* transport parameter). */
  readonly limit: number;
  /** Most bytes held (written, not acknowledged); writes beyond take fewer bytes. Default {@link DEFAULT_SEND_BUFFER}. */
  readonly bufferLimit?: number;
}

/** What a write did: the step and how many bytes the part took. */
export interface SendWrite {
  readonly step: SendStep;
  readonly accepted: number;
}

const TERMINAL: ReadonlySet<SendStreamState> = new Set(['data_recvd', 'reset_recvd', 'failed']);

/** The sending part of one stream. */
export class SendStream {
  readonly #m: StepMaker<SendStreamState, SendStreamEvent, SendStreamGuard, SendStreamAction>;
  readonly #credit: SendCredit;
  readonly #bufferLimit: number;
  readonly #buf = new SendBuffer();
  #finalSize: number | undefined;
  #finSent = false;
  #finAcked = false;
  #finLost = false;
  /** Abandoned below (the application's skip). */
  #abandon = 0;
  /** Highest offset announced in STREAM_SKIP, and acknowledged. */
  #skipSent = 0;
  #skipAcked = 0;
  #skipPending = false;
  #resetCode: number | undefined;
  #resetPending = false;
  #stopCode: number | undefined;

  constructor(config: SendStreamConfig) {
    this.#m = new StepMaker('send_stream', 'ready', TERMINAL, config.id);
    this.#credit = new SendCredit(config.limit);
    this.#bufferLimit = config.bufferLimit ?? DEFAULT_SEND_BUFFER;
  }

  /** The current state. */
  get state(): SendStreamState { return this.#m.state; }
  /** Why the part failed, once `failed`. */
  get error(): TransportError | undefined { return this.#m.error; }
  /** The stream's credit (the peer's MAX_STREAM_DATA and what was used of it). */
  get credit(): SendCredit { return this.#credit; }
  /** Bytes written so far. */
  get written(): number { return this.#buf.written; }
  /** The highest offset sent or skipped (what a RESET_STREAM gives as final size). */
  get sent(): number { return this.#buf.sent; }
  /** Bytes held until acknowledged. */
  get buffered(): number { return this.#buf.buffered; }
  /** Bytes the next write may take. */
  get writable(): number { return Math.max(0, this.#bufferLimit - this.#buf.buffered); }
  /** The final size, once the application finished. */
  get finalSize(): number | undefined { return this.#finalSize; }
  /** The application error code of the reset (the application's, or the peer's STOP_SENDING's). */
  get resetCode(): number | undefined { return this.#resetCode; }
  /** The offset below which the application abandoned the bytes (0 until {@link skip}). */
  get skipped(): number { return this.#abandon; }
  /** The peer's STOP_SENDING code, if it stopped the stream. */
  get stopCode(): number | undefined { return this.#stopCode; }

  // ── application ──

  /** The application writes `data` (event `app_write`); the part takes up to {@link writable} bytes. */
  write(data: Uint8Array): SendWrite {
    const m = this.#m;
    if (m.done) return { step: m.ignore('app_write'), accepted: 0 };
    const s = m.state;
    if (s === 'data_sent' || s === 'reset_sent') return { step: m.go('app_write', undefined, s, ['refuse_app']), accepted: 0 };
    const accepted = this.#buf.write(data, this.writable);
    return { step: m.go('app_write', undefined, 'send', ['buffer_data']), accepted };
  }

  /** The application ends the stream (event `app_finish`). */
  finish(): SendStep {
    const m = this.#m;
    if (m.done) return m.ignore('app_finish');
    const s = m.state;
    if (s === 'data_sent' || s === 'reset_sent') return m.go('app_finish', undefined, s, ['refuse_app']);
    this.#finalSize = this.#buf.written;
    return m.go('app_finish', undefined, 'data_sent', ['set_final_size']);
  }

  /** The application resets the stream with `errorCode` (event `app_reset`). */
  reset(errorCode: number): SendStep {
    const m = this.#m;
    if (m.done) return m.ignore('app_reset');
    if (m.state === 'reset_sent') return m.go('app_reset', undefined, 'reset_sent', []);
    this.#startReset(errorCode);
    return m.go('app_reset', undefined, 'reset_sent', ['send_reset_stream']);
  }

  /**
   * Partial reliability (event `app_skip`): abandon the bytes below `offset` (at most the bytes
   * written; a RangeError otherwise). The connection must have seen the peer's
   * `partial_reliability` transport parameter.
   */
  skip(offset: number): SendStep {
    const m = this.#m;
    if (m.done) return m.ignore('app_skip');
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.#buf.written) {
      throw new RangeError(`skip offset ${offset} must be between 0 and the ${this.#buf.written} bytes written`);
    }
    const s = m.state;
    if (s === 'ready' || s === 'reset_sent') return m.go('app_skip', undefined, s, []);
    if (offset <= this.#abandon) return m.go('app_skip', 'stale', s, []);
    this.#abandon = offset;
    this.#buf.abandon(offset);
    return m.go('app_skip', 'advance', s, ['discard_range', 'send_stream_skip']);
  }

  // ── peer frames ──

  /** A STOP_SENDING frame (event `stop_sending`): the part resets with the peer's code. */
  onStopSending(errorCode: number): SendStep {
    const m = this.#m;
    if (m.done) return m.ignore('stop_sending');
    if (m.state === 'reset_sent') return m.go('stop_sending', undefined, 'reset_sent', []);
    this.#stopCode = errorCode;
    this.#startReset(errorCode);
    return m.go('stop_sending', undefined, 'reset_sent', ['report_stopped', 'send_reset_stream']);
  }

  /** A MAX_STREAM_DATA frame (event `max_stream_data`). */
  onMaxStreamData(max: number): SendStep {
    const m = this.#m;
    if (m.done) return m.ignore('max_stream_data');
    if (m.state === 'reset_sent') return m.go('max_stream_data', undefined, 'reset_sent', []);
    this.#credit.raise(max);
    return m.go('max_stream_data', undefined, m.state, ['raise_limit']);
  }

  // ── loss recovery ──

  /** A frame of the part was acknowledged (event `data_acked` or `reset_acked`). */
  onAcked(f: SentStreamFrame): SendStep {
    const m = this.#m;
    const event: SendStreamEvent = f.type === 'reset_stream' ? 'reset_acked' : 'data_acked';
    if (m.done) return m.ignore(event);
    const s = m.state;
    if (f.type === 'reset_stream') {
      if (s !== 'reset_sent') return this.#invalid(event);
      this.#resetPending = false;
      return m.go(event, undefined, 'reset_recvd', ['release_stream']);
    }
    if (s === 'ready') return this.#invalid(event);
    if (s === 'reset_sent') return m.go(event, undefined, s, []);
    if (f.type === 'stream') {
      this.#buf.ack(f.offset, f.offset + f.length);
      if (f.fin) { this.#finAcked = true; this.#finLost = false; }
    } else {
      this.#skipAcked = Math.max(this.#skipAcked, f.offset);
      if (this.#skipAcked >= this.#skipSent) this.#skipPending = false;
    }
    if (s === 'send') return m.go(event, undefined, s, ['mark_acked']);
    return this.#complete() ? m.go(event, 'all', 'data_recvd', ['mark_acked', 'release_stream']) : m.go(event, 'partial', s, ['mark_acked']);
  }

  /** A frame of the part was declared lost (event `data_lost` or `reset_lost`). */
  onLost(f: SentStreamFrame): SendStep {
    const m = this.#m;
    const event: SendStreamEvent = f.type === 'reset_stream' ? 'reset_lost' : 'data_lost';
    if (m.done) return m.ignore(event);
    const s = m.state;
    if (f.type === 'reset_stream') {
      if (s !== 'reset_sent') return this.#invalid(event);
      this.#resetPending = true;
      return m.go(event, undefined, s, ['send_reset_stream']);
    }
    if (s === 'ready') return this.#invalid(event);
    if (s === 'reset_sent') return m.go(event, undefined, s, []);
    if (f.type === 'stream') {
      this.#buf.lose(f.offset, f.offset + f.length);
      if (f.fin && !this.#finAcked) this.#finLost = true;
    } else if (this.#skipAcked < this.#skipSent) {
      this.#skipPending = true;
    }
    return m.go(event, undefined, s, ['queue_retransmit']);
  }

  /**
   * The server rejected the 0-RTT data this part sent (event `early_rejected`, a client's 0-RTT
   * stream): every transmission is forgotten and the credit starts over at `limit`, the
   * handshake's (machines.stream-send.early-rewind).
   */
  onEarlyRejected(limit: number): SendStep {
    const m = this.#m;
    if (m.done) return m.ignore('early_rejected');
    const s = m.state;
    this.#credit.restart(limit);
    this.#buf.rewind();
    this.#finSent = this.#finLost = false;
    this.#skipSent = this.#skipAcked = 0;
    this.#skipPending = false;
    if (s === 'reset_sent') this.#resetPending = true;
    return m.go('early_rejected', undefined, s, ['rewind']);
  }

  /** A STREAM_DATA_BLOCKED frame sent at `limit` was lost. */
  blockedLost(limit: number): void {
    this.#credit.blockedLost(limit);
  }

  // ── transmission ──

  /** Whether {@link pollTransmit} may have something (ignoring credit). */
  get wantsToSend(): boolean {
    const s = this.#m.state;
    if (s === 'reset_sent') return this.#resetPending;
    if (s !== 'send' && s !== 'data_sent') return false;
    return this.#skipPending || this.#abandon > this.#skipSent || this.#buf.hasLost || this.#finLost
      || this.#buf.unsent > 0 || (this.#finalSize !== undefined && !this.#finSent);
  }

  /**
   * The next frame of the part, with at most `maxBytes` stream bytes: a pending RESET_STREAM,
   * then STREAM_SKIP, then lost bytes, then new bytes within the stream's credit and `connection`'s
   * (consumed here), then STREAM_DATA_BLOCKED once per limit. Undefined when nothing can go now;
   * when the connection's credit held bytes back it is noted there (`connection.pollBlocked()`
   * gives the DATA_BLOCKED frame).
   */
  pollTransmit(maxBytes: number, connection: SendCredit): StreamTransmit | undefined {
    const s = this.#m.state;
    if (s === 'reset_sent') {
      if (!this.#resetPending) return undefined;
      this.#resetPending = false;
      return { type: 'reset_stream', errorCode: this.#resetCode!, finalSize: this.#buf.sent };
    }
    if (s !== 'send' && s !== 'data_sent') return undefined;
    const skip = this.#pollSkip(connection);
    if (skip) return skip;
    const lost = this.#buf.takeLost(maxBytes);
    if (lost) return this.#stream(lost.start, lost.end, this.#finLost && lost.end === this.#finalSize);
    if (this.#buf.sent < this.#abandon) return this.#blockedFrame(); // the skip waits for credit
    const n = Math.min(maxBytes, this.#buf.unsent, this.#credit.available, connection.available);
    const fin = this.#finalSize !== undefined && this.#buf.sent + n === this.#finalSize && !this.#finSent;
    if (n > 0 || fin) {
      this.#credit.consume(n);
      connection.consume(n);
      const r = this.#buf.takeNew(n);
      if (fin) this.#finSent = true;
      return this.#stream(r.start, r.end, fin);
    }
    if (this.#finLost) return this.#stream(this.#finalSize!, this.#finalSize!, true);
    if (this.#buf.unsent > 0 && maxBytes > 0) {
      if (this.#credit.available === 0) this.#credit.noteBlocked();
      else if (connection.available === 0) connection.noteBlocked();
    }
    return this.#blockedFrame();
  }

  #blockedFrame(): StreamTransmit | undefined {
    const limit = this.#credit.pollBlocked();
    return limit === undefined ? undefined : { type: 'stream_data_blocked', limit };
  }

  #stream(start: number, end: number, fin: boolean): StreamTransmit {
    if (fin) this.#finLost = false;
    return { type: 'stream', offset: start, data: this.#buf.bytes(start, end - start), fin };
  }

  /** STREAM_SKIP: a lost one again, or a higher offset as far as credit allows (skipped bytes consume credit). */
  #pollSkip(connection: SendCredit): StreamTransmit | undefined {
    let target = this.#abandon;
    const sent = this.#buf.sent;
    if (target > sent) target = Math.min(target, sent + Math.min(this.#credit.available, connection.available));
    if (target > this.#skipSent) {
      const extra = Math.max(0, target - sent);
      this.#credit.consume(extra);
      connection.consume(extra);
      this.#buf.advanceSent(target);
      this.#skipSent = target;
      this.#skipPending = false;
      return { type: 'stream_skip', offset: target };
    }
    if (this.#abandon > sent && target === sent) {
      if (this.#credit.available === 0) this.#credit.noteBlocked();
      else connection.noteBlocked();
    }
    if (this.#skipPending) {
      this.#skipPending = false;
      return { type: 'stream_skip', offset: this.#skipSent };
    }
    return undefined;
  }

  // ── helpers ──

  #startReset(errorCode: number): void {
    this.#resetCode = errorCode;
    this.#resetPending = true;
    this.#buf.clear();
    this.#skipPending = false;
    this.#finLost = false;
  }

  /** Every byte below the final size is acknowledged or abandoned by an acknowledged skip, and the FIN is acknowledged. */
  #complete(): boolean {
    return this.#finalSize !== undefined && this.#finAcked && this.#buf.acknowledged(this.#finalSize, this.#skipAcked);
  }

  #invalid(event: SendStreamEvent): SendStep {
    return this.#m.fail(event, undefined, 'INTERNAL_ERROR', `no transition for event ${event} in state ${this.#m.state}: a frame the part never sent`, 'failed');
  }
}
