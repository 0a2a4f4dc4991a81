/**
 * A JSP stream as a Node `Duplex`, with backpressure end to end:
 *
 * - **Writing**: `_write` hands the chunk to the core; what the core's send buffer cannot take
 *   (it holds `sendBuffer` bytes unacknowledged per stream) waits, with the write's callback,
 *   until the core says the stream is writable again. Meanwhile Node's own buffer fills and
 *   `write()` returns false: memory is bounded by the core's buffer plus the writable high-water
 *   mark, whatever the writer does.
 * - **Reading**: `_read` pulls from the core only when Node asks for more, and only what it asks
 *   for. Bytes a slow reader leaves stay in the core, whose receive window (flow control) then
 *   stops the peer: memory is bounded by the window plus the readable high-water mark.
 * - **Ending**: `end()` sends FIN after the data; `destroy(err)` resets the sending part
 *   (RESET_STREAM) and asks the peer to stop (STOP_SENDING) if those parts were still open, with
 *   `err.errorCode` as the application error code when it is a number (default 0).
 * - **Peer actions**: a reset arrives as a {@link JspStreamResetError} (after the data read
 *   before it), STOP_SENDING as a {@link JspStreamStoppedError}; with application code 0 (a
 *   cancel, as `destroy()` without an error sends) the stream just closes, without an error.
 * - **Connection closed**: what arrived stays readable; a part that can no longer complete ends
 *   the stream — with a {@link JspConnectionClosedError} when the connection closed with an
 *   error, without one (`'close'` only) after a clean close; a write still pending fails.
 *
 * It is async-iterable (`for await (const chunk of stream)`) as every Readable is, and
 * {@link JspStream.toWeb} gives the Web Streams pair.
 *
 * @module
 */
import { Duplex, type DuplexOptions } from 'node:stream';
import type { ReadableStream, WritableStream } from 'node:stream/web';
import type { Connection } from '../../core/connection/index.ts';
import { JspStreamResetError, JspStreamStoppedError } from './errors.ts';

/** What a stream needs of its connection. */
export interface StreamHost {
  readonly core: Connection;
  /** Let the driver send what the call produced. */
  pumpSoon(): void;
  /** The error the connection closed with, once it is closed (what a write gets). */
  closedError(): Error | undefined;
  /**
   * Once closed: what a stream part that cannot complete ends with — the error for a close with
   * an error, undefined for a clean (NO_ERROR) one, which ends such parts without an error.
   */
  closeFault(): Error | undefined;
  /** The stream is done: stop routing its events. */
  forget(id: number): void;
}

/** Options of a stream's Node buffers. */
export interface JspStreamOptions {
  /** Bytes Node buffers on the writing side before `write()` returns false (default 64 KiB). */
  readonly writableHighWaterMark?: number;
  /** Bytes Node buffers on the reading side before it stops pulling from the core (default 64 KiB). */
  readonly readableHighWaterMark?: number;
}

const DEFAULT_HWM = 64 << 10;

/** The application error code an error carries (`errorCode`, else 0). */
function appCode(err: Error | null | undefined): number {
  const c = (err as { errorCode?: unknown } | null | undefined)?.errorCode;
  return typeof c === 'number' && Number.isSafeInteger(c) && c >= 0 ? c : 0;
}

/** One stream of a {@link JspConnection}: a Node Duplex (see the module comment). */
export class JspStream extends Duplex {
  /** The stream id (its low bits: initiator and direction). */
  readonly id: number;
  /** Bidirectional, or unidirectional (one of the sides is then absent: not readable or not writable). */
  readonly bidi: boolean;
  /** Opened by this side. */
  readonly local: boolean;
  readonly #host: StreamHost;
  readonly #hasSend: boolean;
  readonly #hasRecv: boolean;
  #pending: { data: Uint8Array; cb: (e?: Error | null) => void } | undefined;
  #wantRead = false;
  #readSize = DEFAULT_HWM;
  /** FIN or reset handed to the core: the sending part needs nothing more from us. */
  #sendDone = false;
  /** FIN read, reset read, or STOP_SENDING sent: the receiving part needs nothing more from us. */
  #recvDone = false;
  /** Everything written was acknowledged by the peer (FIN included). */
  #acked = false;
  /** FIN handed to the core (not a reset). */
  #finSent = false;
  /** The sending part was reset (by us, or by the core after the peer's STOP_SENDING). */
  #resetSent = false;
  #stoppedCode: number | undefined;

  /** @internal made by JspConnection */
  constructor(host: StreamHost, id: number, o: { bidi: boolean; local: boolean } & JspStreamOptions) {
    const hasSend = o.bidi || o.local;
    const hasRecv = o.bidi || !o.local;
    const options: DuplexOptions & { readable: boolean; writable: boolean } = {
      allowHalfOpen: true,
      readable: hasRecv, // Node's Duplex takes these (not in @types/node 20's DuplexOptions)
      writable: hasSend,
      writableHighWaterMark: o.writableHighWaterMark ?? DEFAULT_HWM,
      readableHighWaterMark: o.readableHighWaterMark ?? DEFAULT_HWM,
      decodeStrings: true,
    };
    super(options);
    this.#host = host;
    this.id = id;
    this.bidi = o.bidi;
    this.local = o.local;
    this.#hasSend = hasSend;
    this.#hasRecv = hasRecv;
    if (!hasSend) this.#sendDone = true;
    if (!hasRecv) this.#recvDone = true;
    this.once('end', () => this.#afterEnd());
  }

  /** Whether everything written, FIN included, was acknowledged by the peer. */
  get acknowledged(): boolean { return this.#acked; }

  /** Whether the sending part needs nothing more: none, acknowledged to the FIN, or reset. */
  get sendSettled(): boolean { return !this.#hasSend || this.#acked || this.#resetSent; }

  /** Bytes written to this stream that the core has not taken yet (Node's buffer and a cut-short write). */
  get pendingBytes(): number { return this.writableLength; }

  /** Sets the urgency of this stream's data, 0 (most urgent) … 7 (default 3). */
  setUrgency(urgency: number): this {
    if (!Number.isInteger(urgency) || urgency < 0 || urgency > 7) throw new RangeError(`urgency: ${urgency} is out of range; allowed: an integer in 0..7`);
    if (this.#hasSend && !this.#sendDone && !this.#host.closedError()) this.#host.core.setUrgency(this.id, urgency);
    return this;
  }

  /** The Web Streams view of this stream (`Duplex.toWeb`). */
  toWeb(): { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> } {
    return Duplex.toWeb(this) as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
  }

  // ───────────────────────────── Node's Duplex ─────────────────────────────

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (e?: Error | null) => void): void {
    const err = this.#writeError();
    if (err) { cb(err); return; }
    this.#pending = { data: chunk, cb };
    this.#flush();
  }

  override _final(cb: (e?: Error | null) => void): void {
    const err = this.#writeError();
    if (err) { cb(err); return; }
    if (!this.#call(() => this.#host.core.finish(this.id))) { cb(this.#host.closedError() ?? new Error(`stream ${this.id}: cannot finish`)); return; }
    this.#sendDone = this.#finSent = true;
    cb();
  }

  override _read(size: number): void {
    this.#wantRead = true;
    this.#readSize = Math.max(size, 1024);
    this.#pull();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    const code = appCode(err);
    const closed = this.#host.closedError() !== undefined;
    if (this.#hasSend && !this.#sendDone) {
      this.#resetSent = true;
      if (!closed) this.#call(() => this.#host.core.reset(this.id, code));
    }
    if (!closed && this.#hasRecv && !this.#recvDone) this.#call(() => this.#host.core.stopSending(this.id, code));
    this.#sendDone = this.#recvDone = true;
    const p = this.#pending;
    this.#pending = undefined;
    if (p) process.nextTick(p.cb, err ?? new Error(`stream ${this.id} was destroyed`));
    // A finished stream stays known until its FIN is acknowledged (a drain waits for that).
    if (this.sendSettled || closed) this.#host.forget(this.id);
    cb(err);
  }

  // ───────────────────────────── from the connection ─────────────────────────────

  /** @internal The core has bytes, the end or a reset to read. */
  onReadable(): void {
    if (this.#wantRead) this.#pull();
  }

  /** @internal The core's send buffer has room again. */
  onWritable(): void {
    this.#flush();
  }

  /** @internal Everything written was acknowledged. */
  onFinished(): void {
    this.#acked = true;
    if (this.destroyed) this.#host.forget(this.id);
  }

  /** @internal The peer sent STOP_SENDING: the core reset our sending part. */
  onStopped(code: number): void {
    this.#stoppedCode = code;
    this.#sendDone = this.#resetSent = true;
    if (!this.writableFinished) this.destroy(code === 0 ? undefined : new JspStreamStoppedError(this.id, code));
  }

  /**
   * @internal The connection closed. After a close with an error, a stream with a part still
   * open ends with that error at once. After a clean close, a pending write fails, what arrived
   * stays readable, and a part that cannot complete ends the stream without an error.
   */
  onConnectionClosed(): void {
    if (this.destroyed) return;
    const fault = this.#host.closeFault();
    if (fault) {
      if (!this.#sendDone || !this.#recvDone) this.destroy(fault);
      return;
    }
    const p = this.#pending;
    if (p) { this.#pending = undefined; p.cb(this.#host.closedError()); return; }
    if (this.#wantRead) this.#pull();
    if (!this.destroyed && this.#recvDone && !this.#sendDone && !this.writableEnded) this.destroy();
  }

  // ───────────────────────────── internals ─────────────────────────────

  #writeError(): Error | undefined {
    if (this.#stoppedCode !== undefined) return new JspStreamStoppedError(this.id, this.#stoppedCode);
    return this.#host.closedError();
  }

  /** Runs a core call on this stream; false when it threw (the stream is gone or the connection closed). */
  #call(f: () => void): boolean {
    try {
      f();
      this.#host.pumpSoon();
      return true;
    } catch {
      return false;
    }
  }

  /** Hands the held write to the core; its callback runs once the core took all of it. */
  #flush(): void {
    const p = this.#pending;
    if (!p) return;
    const err = this.#writeError();
    if (err) { this.#pending = undefined; p.cb(err); return; }
    let n: number;
    try {
      n = this.#host.core.write(this.id, p.data);
    } catch (e) {
      this.#pending = undefined;
      p.cb(this.#host.closedError() ?? (e as Error));
      return;
    }
    if (n > 0) this.#host.pumpSoon();
    if (n === p.data.length) {
      this.#pending = undefined;
      p.cb();
    } else {
      p.data = p.data.subarray(n); // the rest waits for stream_writable
    }
  }

  /** Moves bytes from the core into Node's buffer while Node wants them. */
  #pull(): void {
    while (this.#wantRead && !this.#recvDone && !this.destroyed) {
      let r;
      try {
        r = this.#host.core.read(this.id, this.#readSize);
      } catch {
        this.#recvDone = true;
        this.destroy(this.#host.closedError() ?? new Error(`stream ${this.id} is gone`));
        return;
      }
      if (r.resetCode !== undefined) {
        this.#recvDone = true;
        // Code 0 is a cancel without an error (as HTTP/2's NO_ERROR / CANCEL): the stream just ends.
        this.destroy(r.resetCode === 0 ? undefined : new JspStreamResetError(this.id, r.resetCode));
        return;
      }
      if (r.data.length > 0) {
        this.#host.pumpSoon(); // reading may open the window (MAX_STREAM_DATA)
        this.#wantRead = this.push(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length));
      }
      if (r.fin) {
        this.#recvDone = true;
        this.#wantRead = false;
        this.push(null);
        return;
      }
      if (r.data.length === 0) {
        const closed = this.#host.closedError();
        if (closed) { this.#recvDone = true; this.destroy(this.#host.closeFault()); }
        return; // wait for stream_readable
      }
    }
  }

  /** The reading side ended: a writing side left open on a closed connection can never finish. */
  #afterEnd(): void {
    const closed = this.#host.closedError();
    if (closed && !this.#sendDone && !this.writableEnded && !this.destroyed) this.destroy(this.#host.closeFault());
  }
}
