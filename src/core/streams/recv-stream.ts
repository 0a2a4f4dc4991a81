/**
 * The receiving part of a stream (spec/machines/stream-recv.yaml, machine `recv_stream`), one
 * handler per event. Each handler evaluates the guards the table lists for the event in the
 * current state — final size first, then the limits, then whether the frame completes the data —
 * performs the actions and returns the {@link RecvStep} it took; the model-based test checks every
 * step against the table. A row with an error leaves the part in `failed` with {@link RecvStream.error}
 * set: the connection closes with it.
 *
 * Flow control: the part owns its stream window and shares the connection's; the bytes a frame
 * adds to the highest offset count against both, the bytes read, skipped or discarded return
 * credit, and {@link RecvStream.pollMaxStreamData} says when to send MAX_STREAM_DATA.
 *
 * @module
 */
import type { RecvStreamAction, RecvStreamEvent, RecvStreamGuard, RecvStreamState } from '../../gen/machine-stream-recv.ts';
import type { TransportError } from '../../gen/errors.ts';
import { CONNECTION_WINDOW_FACTOR, RecvWindow } from './flow-control.ts';
import type { Range } from './range-set.ts';
import { Reassembly } from './reassembly.ts';
import { StepMaker, type StreamStep } from './step.ts';

/** A step of the receiving part. */
export type RecvStep = StreamStep<RecvStreamState, RecvStreamEvent, RecvStreamGuard, RecvStreamAction>;

/** What a read gives the application, with the step it took. */
export interface RecvRead {
  readonly step: RecvStep;
  /** The bytes, in order (empty when none are ready). */
  readonly data: Uint8Array;
  /** The range the sender abandoned (STREAM_SKIP), which comes before `data`. */
  readonly skipped?: Range;
  /** True when the stream ended with this read (after `data`). */
  readonly fin: boolean;
  /** The peer's application error code, when this read reports a reset. */
  readonly resetCode?: number;
}

/** Configuration of a {@link RecvStream}. */
export interface RecvStreamConfig {
  /** The stream's id, for error messages. */
  readonly id?: number;
  /** The stream's receive window (its initial limit is the transport parameter this endpoint sent). */
  readonly window: RecvWindow;
  /** The connection's receive window, shared by every stream. */
  readonly connection: RecvWindow;
}

const TERMINAL: ReadonlySet<RecvStreamState> = new Set(['data_read', 'reset_read', 'failed']);

/** The receiving part of one stream. Sans-IO: frames and reads in, bytes and frames to send out. */
export class RecvStream {
  readonly #m: StepMaker<RecvStreamState, RecvStreamEvent, RecvStreamGuard, RecvStreamAction>;
  readonly #window: RecvWindow;
  readonly #conn: RecvWindow;
  readonly #buf: Reassembly;
  #finalSize: number | undefined;
  #highest = 0;
  #skipOffset = 0;
  #gap: Range | undefined;
  #stopped = false;
  #stopCode: number | undefined;
  #stopPending = false;
  #resetCode: number | undefined;

  constructor(config: RecvStreamConfig) {
    this.#m = new StepMaker('recv_stream', 'recv', TERMINAL, config.id);
    this.#window = config.window;
    this.#conn = config.connection;
    this.#buf = new Reassembly(config.window.maxWindow);
  }

  /** The current state. */
  get state(): RecvStreamState { return this.#m.state; }
  /** Why the part failed, once `failed`. */
  get error(): TransportError | undefined { return this.#m.error; }
  /** The final size, once known. */
  get finalSize(): number | undefined { return this.#finalSize; }
  /**
   * The highest offset the peer used: the largest end of a STREAM frame (empty ones too), a final
   * size or a skip offset. It is what the stream consumed of both flow-control windows.
   */
  get highest(): number { return this.#highest; }
  /** The offset of the next byte the application reads. */
  get readOffset(): number { return this.#buf.readOffset; }
  /** Bytes buffered, waiting to be read (never more than the stream's window). */
  get buffered(): number { return this.#buf.buffered; }
  /** The skip offset (0 until a STREAM_SKIP arrives). */
  get skipOffset(): number { return this.#skipOffset; }
  /** The stream's receive window. */
  get window(): RecvWindow { return this.#window; }
  /** Whether a read would return something now: bytes, a skipped range, the end or the reset. */
  get readable(): boolean {
    const s = this.#m.state;
    if (s === 'reset_recvd' || s === 'data_recvd') return true;
    return !this.#stopped && (this.#gap !== undefined || this.#buf.readableEnd > this.#buf.readOffset);
  }

  // ── frames ──

  /** A STREAM frame (event `stream`, or `stream_fin` with `fin`). */
  onStream(offset: number, data: Uint8Array, fin: boolean): RecvStep {
    const event: RecvStreamEvent = fin ? 'stream_fin' : 'stream';
    const m = this.#m;
    if (m.done) return m.ignore(event);
    const end = offset + data.length;
    const known = this.#finalSize;
    if (known !== undefined ? (fin ? end !== known : end > known) : fin && end < this.highest) {
      const why = known !== undefined
        ? (fin ? `FIN at ${end}, but the final size is ${known}` : `bytes up to ${end}, beyond the final size ${known}`)
        : `FIN at ${end}, below the ${this.highest} bytes already received`;
      return m.fail(event, 'bad_final_size', 'FINAL_SIZE_ERROR', why, 'failed');
    }
    const s = m.state;
    if (s === 'data_recvd' || s === 'reset_recvd') return m.go(event, 'ok', s, []);
    if (s === 'recv') {
      const over = this.#overLimit(end);
      if (over) return m.fail(event, 'over_limit', 'FLOW_CONTROL_ERROR', over, 'failed');
    }
    this.#grow(end);
    this.#buf.insert(offset, data, !this.#stopped);
    if (this.#stopped) this.#drop();
    const actions: RecvStreamAction[] = ['buffer_data'];
    if (fin && known === undefined) {
      this.#finalSize = end;
      actions.push('set_final_size');
    }
    if (this.#finalSize === undefined) return m.go(event, 'ok', 'recv', actions);
    return this.#buf.complete(this.#finalSize) ? m.go(event, 'complete', 'data_recvd', actions) : m.go(event, 'ok', 'size_known', actions);
  }

  /** A RESET_STREAM frame (event `reset_stream`). */
  onReset(errorCode: number, finalSize: number): RecvStep {
    const m = this.#m;
    if (m.done) return m.ignore('reset_stream');
    const known = this.#finalSize;
    if (known !== undefined ? finalSize !== known : finalSize < this.highest) {
      const why = known !== undefined ? `RESET_STREAM final size ${finalSize}, but the final size is ${known}` : `RESET_STREAM final size ${finalSize}, below the ${this.highest} bytes already received`;
      return m.fail('reset_stream', 'bad_final_size', 'FINAL_SIZE_ERROR', why, 'failed');
    }
    const s = m.state;
    if (s === 'data_recvd' || s === 'reset_recvd') return m.go('reset_stream', 'ok', s, []);
    const actions: RecvStreamAction[] = [];
    if (s === 'recv') {
      const over = this.#overLimit(finalSize);
      if (over) return m.fail('reset_stream', 'over_limit', 'FLOW_CONTROL_ERROR', over, 'failed');
      this.#grow(finalSize);
      this.#finalSize = finalSize;
      actions.push('set_final_size');
    }
    this.#resetCode = errorCode;
    this.#discardAll();
    actions.push('discard_data');
    return m.go('reset_stream', 'ok', 'reset_recvd', actions);
  }

  /** A STREAM_SKIP frame (event `stream_skip`). */
  onSkip(skipOffset: number): RecvStep {
    const m = this.#m;
    if (m.done) return m.ignore('stream_skip');
    const known = this.#finalSize;
    if (known !== undefined && skipOffset > known) {
      return m.fail('stream_skip', 'bad_final_size', 'FINAL_SIZE_ERROR', `STREAM_SKIP to ${skipOffset}, beyond the final size ${known}`, 'failed');
    }
    const s = m.state;
    if (s === 'data_recvd' || s === 'reset_recvd') return m.go('stream_skip', 'ok', s, []);
    if (skipOffset <= this.#skipOffset) return m.go('stream_skip', 'stale', s, []);
    if (s === 'recv') {
      const over = this.#overLimit(skipOffset);
      if (over) return m.fail('stream_skip', 'over_limit', 'FLOW_CONTROL_ERROR', over, 'failed');
    }
    this.#skipOffset = skipOffset;
    this.#grow(skipOffset);
    const before = this.#buf.readOffset;
    const jumped = this.#buf.skipTo(skipOffset);
    this.#consumed(this.#buf.readOffset - before);
    if (jumped && !this.#stopped) this.#gap = { start: this.#gap?.start ?? jumped.start, end: jumped.end };
    if (this.#stopped) this.#drop();
    if (known !== undefined && this.#buf.complete(known)) return m.go('stream_skip', 'complete', 'data_recvd', ['skip_data']);
    return m.go('stream_skip', 'ok', s, ['skip_data']);
  }

  // ── application ──

  /** The application reads up to `max` bytes (event `app_read`). */
  read(max = Number.MAX_SAFE_INTEGER): RecvRead {
    const m = this.#m;
    const empty = new Uint8Array(0);
    if (m.done) return { step: m.ignore('app_read'), data: empty, fin: false };
    const s = m.state;
    if (s === 'reset_recvd') return { step: m.go('app_read', undefined, 'reset_read', ['report_reset']), data: empty, fin: false, resetCode: this.#resetCode };
    const skipped = this.#gap;
    this.#gap = undefined;
    const before = this.#buf.readOffset;
    const data = this.#stopped ? empty : this.#buf.read(max);
    this.#consumed(this.#buf.readOffset - before);
    const out = (step: RecvStep, fin: boolean): RecvRead => (skipped ? { step, data, skipped, fin } : { step, data, fin });
    if (s !== 'data_recvd') return out(m.go('app_read', undefined, s, ['deliver_data']), false);
    if (this.#buf.readOffset === this.#finalSize) return out(m.go('app_read', 'all', 'data_read', ['deliver_data', 'deliver_fin']), true);
    return out(m.go('app_read', 'partial', 'data_recvd', ['deliver_data']), false);
  }

  /** The application stops reading with `errorCode` (event `app_stop`). */
  stop(errorCode: number): RecvStep {
    const m = this.#m;
    if (m.done) return m.ignore('app_stop');
    const s = m.state;
    if (s === 'reset_recvd') return m.go('app_stop', undefined, 'reset_read', []);
    this.#gap = undefined;
    if (s === 'data_recvd') {
      this.#discardAll();
      return m.go('app_stop', undefined, 'data_read', ['discard_data']);
    }
    if (!this.#stopped) {
      this.#stopped = true;
      this.#stopCode = errorCode;
      this.#stopPending = true;
    }
    this.#buf.discard();
    this.#drop();
    return m.go('app_stop', undefined, s, ['send_stop_sending', 'discard_data']);
  }

  // ── frames to send ──

  /** The error code for a STOP_SENDING frame, once after {@link stop} (again after {@link stopSendingLost}). */
  pollStopSending(): number | undefined {
    if (!this.#stopPending || (this.#m.state !== 'recv' && this.#m.state !== 'size_known')) return undefined;
    this.#stopPending = false;
    return this.#stopCode;
  }

  /** The STOP_SENDING frame was lost: send it again while it still matters. */
  stopSendingLost(): void {
    if (this.#stopped) this.#stopPending = true;
  }

  /**
   * The limit for a MAX_STREAM_DATA frame, when half the stream's window has been read (see
   * {@link RecvWindow.pollUpdate}); none once the final size is known or the application stopped.
   * When auto-tuning grows the stream's window, the connection's is kept at least
   * {@link CONNECTION_WINDOW_FACTOR} times as large.
   */
  pollMaxStreamData(now: number, rtt: number): number | undefined {
    if (this.#m.state !== 'recv' || this.#stopped) return undefined;
    const limit = this.#window.pollUpdate(now, rtt);
    if (limit !== undefined) this.#conn.ensureWindow(this.#window.window * CONNECTION_WINDOW_FACTOR);
    return limit;
  }

  // ── helpers ──

  /** Why `end` breaks the stream's or the connection's limit, or undefined. */
  #overLimit(end: number): string | undefined {
    if (end > this.#window.limit) return `bytes up to ${end}, beyond the stream limit ${this.#window.limit}`;
    const added = Math.max(0, end - this.highest);
    if (!this.#conn.allows(added)) return `${added} new bytes, beyond the ${this.#conn.available} bytes the connection limit ${this.#conn.limit} leaves`;
    return undefined;
  }

  /** Counts the bytes from the highest offset up to `end` as received, on the stream and the connection. */
  #grow(end: number): void {
    const added = Math.max(0, end - this.#highest);
    this.#window.receive(added);
    this.#conn.receive(added);
    this.#highest += added;
  }

  #consumed(n: number): void {
    if (n === 0) return;
    this.#window.consume(n);
    this.#conn.consume(n);
  }

  /** After a stop: everything that can be read is dropped at once. */
  #drop(): void {
    this.#consumed(this.#buf.dropReadable());
  }

  /** A reset or a stop once everything arrived: drop the buffer; every byte up to the final size counts as consumed. */
  #discardAll(): void {
    this.#buf.discard();
    const end = this.#finalSize ?? this.highest;
    const n = end - this.#buf.readOffset;
    this.#buf.skipTo(end);
    this.#consumed(n);
  }
}
