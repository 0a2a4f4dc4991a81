/**
 * Drives the hand-written stream parts (src/core/streams) through the events of
 * spec/machines/stream-send.yaml and stream-recv.yaml with real inputs: each event comes with the
 * guard it is meant to satisfy, and the driver — playing the peer, the application and loss
 * recovery — builds an input that does (a STREAM frame that fills the last gap, a FIN below the
 * bytes received, an acknowledgment of the last unacknowledged frame, …). The model-based test
 * uses it, and the state-machine vectors can run against it (`reach(state).apply(event, guard)`),
 * so the runtime — not the table — answers.
 *
 * Where reaching a guard needs preparation, the driver first applies events that leave the state
 * unchanged (a STREAM frame in `recv`, a write in `send`, acknowledgments that leave something
 * unacknowledged); {@link SendDriver.feasible} / {@link RecvDriver.feasible} say when the current
 * state cannot satisfy a guard at all (everything was already abandoned, nothing left to read).
 *
 * @module
 */
import {
  RecvStream, RecvWindow, SendCredit, SendStream, sentFrame, RangeSet,
  type RecvStep, type SendStep, type SentStreamFrame,
} from '../../src/core/streams/index.ts';

/** Both drivers' surface. */
export interface StreamDriver {
  readonly machine: 'send_stream' | 'recv_stream';
  readonly state: string;
  reach(state: string): this;
  feasible(event: string, guard?: string): boolean;
  apply(event: string, guard?: string): SendStep | RecvStep;
}

type Path = Record<string, [string, string?][]>;

function reachBy<D extends StreamDriver>(d: D, paths: Path, state: string): D {
  const steps = paths[state];
  if (!steps) throw new RangeError(`${d.machine}: no path to state '${state}'`);
  for (const [e, g] of steps) d.apply(e, g);
  if (d.state !== state) throw new Error(`${d.machine}: reached ${d.state}, not ${state}`);
  return d;
}

/** Deterministic bytes. */
function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

// ─────────────────────────────── sending part ───────────────────────────────

/** The sending part plus the frames it transmitted that are neither acknowledged nor lost. */
export class SendDriver implements StreamDriver {
  readonly machine = 'send_stream' as const;
  readonly stream = new SendStream({ id: 0, limit: 1 << 20, bufferLimit: 1 << 20 });
  readonly connection = new SendCredit(1 << 30);
  /** Transmitted, not yet acknowledged or lost. */
  readonly outstanding: SentStreamFrame[] = [];
  /** Acknowledged at least once. */
  readonly acked: SentStreamFrame[] = [];
  #seq = 0;
  #finAcked = false;

  get state(): string { return this.stream.state; }

  reach(state: string): this {
    return reachBy(this, {
      ready: [],
      send: [['app_write']],
      data_sent: [['app_write'], ['app_finish']],
      data_recvd: [['app_write'], ['app_finish'], ['data_acked', 'all']],
      reset_sent: [['app_reset']],
      reset_recvd: [['app_reset'], ['reset_acked']],
      failed: [['data_acked']],
    }, state);
  }

  /** Transmits everything the part has (60 bytes a frame), keeping the descriptors. */
  pump(): void {
    for (let t = this.stream.pollTransmit(60, this.connection); t; t = this.stream.pollTransmit(60, this.connection)) {
      const f = sentFrame(t);
      if (f) this.outstanding.push(f);
    }
  }

  #ack(f: SentStreamFrame): SendStep {
    const i = this.outstanding.indexOf(f);
    if (i >= 0) this.outstanding.splice(i, 1);
    const step = this.stream.onAcked(f);
    if (f.type !== 'reset_stream') {
      this.acked.push(f);
      if (f.type === 'stream' && f.fin) this.#finAcked = true;
    }
    return step;
  }

  /** The oldest outstanding STREAM or STREAM_SKIP frame. */
  #dataFrame(): SentStreamFrame | undefined {
    return this.outstanding.find((f) => f.type !== 'reset_stream');
  }

  #nonFinOutstanding(): SentStreamFrame | undefined {
    return this.outstanding.find((f) => f.type === 'stream_skip' || (f.type === 'stream' && !f.fin));
  }

  feasible(event: string, guard?: string): boolean {
    const s = this.state;
    if (event === 'app_skip' && guard === 'advance' && s === 'data_sent') return this.stream.written > this.stream.skipped;
    // A server that rejects 0-RTT acknowledges none of it (a terminal part ignores the event anyway).
    if (event === 'early_rejected') return this.acked.length === 0 || s === 'data_recvd' || s === 'reset_recvd' || s === 'failed';
    if (event === 'data_acked' && guard === 'partial') {
      this.pump();
      return this.acked.length > 0 || (!this.#finAcked && this.#nonFinOutstanding() !== undefined);
    }
    return true;
  }

  apply(event: string, guard?: string): SendStep {
    const st = this.stream;
    const s = st.state;
    const fake: SentStreamFrame = { type: 'stream', offset: 0, length: 1, fin: false };
    switch (event) {
      case 'app_write': return st.write(bytes(100, this.#seq++)).step;
      case 'app_finish': return st.finish();
      case 'app_reset': return st.reset(7);
      case 'app_skip': {
        if (s === 'send' && guard === 'advance' && st.written <= st.skipped) st.write(bytes(100, this.#seq++));
        if (guard === 'advance') return st.skip(st.skipped + Math.ceil((st.written - st.skipped) / 2));
        return st.skip(Math.min(st.skipped, st.written));
      }
      case 'stop_sending': return st.onStopSending(3);
      case 'max_stream_data': return st.onMaxStreamData(st.credit.limit + 500);
      case 'data_acked': {
        if (s !== 'send' && s !== 'data_sent') return this.#ack(this.#dataFrame() ?? fake);
        this.pump();
        if (s === 'send') return this.#ack(this.#dataFrame() ?? this.acked[0]);
        if (guard === 'partial') return this.#ack(this.acked[0] ?? this.#nonFinOutstanding()!);
        // all: acknowledge every outstanding frame until the part completes.
        for (let i = 0; ; i++) {
          const f = this.outstanding[0];
          if (!f) throw new Error('send driver: nothing left to acknowledge, yet the part is not complete');
          const step = this.#ack(f);
          if (step.next !== s) return step;
          if (i > 10_000) throw new Error('send driver: acknowledgments do not complete the part');
        }
      }
      case 'data_lost': {
        if (s === 'send' || s === 'data_sent') this.pump();
        const f = this.#dataFrame() ?? this.acked[0] ?? fake;
        const i = this.outstanding.indexOf(f);
        if (i >= 0) this.outstanding.splice(i, 1);
        return st.onLost(f);
      }
      case 'reset_acked':
      case 'reset_lost': {
        if (s === 'reset_sent') this.pump();
        const f: SentStreamFrame = { type: 'reset_stream' };
        const i = this.outstanding.findIndex((x) => x.type === 'reset_stream');
        if (i >= 0) this.outstanding.splice(i, 1);
        return event === 'reset_acked' ? st.onAcked(f) : st.onLost(f);
      }
      case 'early_rejected': {
        // A 0-RTT stream whose data the server rejected: what went out is forgotten, and the
        // handshake's limits (here half the remembered ones) apply from offset 0 again.
        if (s === 'send' || s === 'data_sent' || s === 'reset_sent') this.pump();
        this.outstanding.length = 0;
        this.connection.restart(this.connection.limit);
        return st.onEarlyRejected(Math.floor(st.credit.limit / 2));
      }
      default: throw new RangeError(`send_stream: unknown event '${event}'`);
    }
  }
}

// ─────────────────────────────── receiving part ───────────────────────────────

/** The receiving part, with what the driver (as the peer) has sent it. */
export class RecvDriver implements StreamDriver {
  readonly machine = 'recv_stream' as const;
  readonly limit = 1 << 20;
  readonly connection = new RecvWindow({ window: 1 << 30 });
  readonly stream = new RecvStream({ id: 1, window: new RecvWindow({ window: this.limit }), connection: this.connection });
  /** Offsets sent (or skipped) so far. */
  readonly got = new RangeSet();
  #seq = 0;

  get state(): string { return this.stream.state; }

  reach(state: string): this {
    return reachBy(this, {
      recv: [],
      size_known: [['stream_fin', 'ok']],
      data_recvd: [['stream_fin', 'complete']],
      data_read: [['stream_fin', 'complete'], ['app_read', 'all']],
      reset_recvd: [['reset_stream', 'ok']],
      reset_read: [['reset_stream', 'ok'], ['app_read']],
      failed: [['stream', 'over_limit']],
    }, state);
  }

  #send(offset: number, length: number, fin: boolean): RecvStep {
    if (length > 0) this.got.add(offset, offset + length);
    return this.stream.onStream(offset, bytes(length, this.#seq++), fin);
  }

  #skip(offset: number): RecvStep {
    const step = this.stream.onSkip(offset);
    if (!step.error && offset > 0) this.got.add(0, offset);
    return step;
  }

  /** A STREAM frame in `recv` that changes nothing but makes the highest offset positive. */
  #primeHighest(): void {
    if (this.stream.highest === 0) this.#send(this.stream.readOffset, 10, false);
  }

  /** The last missing range below the final size. */
  #lastGap(): { start: number; end: number } | undefined {
    const gaps = this.got.gaps(this.stream.readOffset, this.stream.finalSize!);
    return gaps[gaps.length - 1];
  }

  feasible(event: string, guard?: string): boolean {
    const st = this.stream;
    const s = this.state;
    if (s === 'size_known' && event === 'stream_skip' && guard === 'ok') {
      const g = this.#lastGap();
      return g !== undefined && g.end - 1 > st.skipOffset;
    }
    if (s === 'data_recvd' && event === 'app_read' && guard === 'partial') return st.finalSize! - st.readOffset >= 2;
    return true;
  }

  apply(event: string, guard?: string): RecvStep {
    const st = this.stream;
    const s = st.state;
    const F = st.finalSize ?? 0;
    const known = st.finalSize !== undefined;
    const fresh = () => Math.max(st.highest, st.readOffset) + 2 + (this.#seq % 7);
    switch (event) {
      case 'stream':
      case 'stream_fin': {
        const fin = event === 'stream_fin';
        if (guard === 'over_limit') return this.#send(this.limit, 10, fin);
        if (guard === 'bad_final_size') {
          if (known) return this.#send(F, 1, fin);
          this.#primeHighest();
          return this.#send(0, st.highest - 1, true);
        }
        if (guard === 'complete') {
          const end = known ? F : Math.max(st.highest, st.readOffset) + 5;
          return this.#send(st.readOffset, end - st.readOffset, fin);
        }
        // ok
        if (!known) return fin ? this.#send(fresh(), 10, true) : this.#send(st.readOffset + (this.#seq % 13), 10, false);
        return F === 0 ? this.#send(0, 0, fin) : this.#send(F - 1, 1, fin);
      }
      case 'reset_stream': {
        if (guard === 'over_limit') return st.onReset(5, this.limit + 1);
        if (guard === 'bad_final_size') {
          if (known) return st.onReset(5, F + 1);
          this.#primeHighest();
          return st.onReset(5, st.highest - 1);
        }
        return st.onReset(5, known ? F : st.highest + 5);
      }
      case 'stream_skip': {
        if (guard === 'over_limit') return this.#skip(this.limit + 1);
        if (guard === 'bad_final_size') return this.#skip(F + 1);
        if (guard === 'stale') return this.#skip(st.skipOffset);
        if (guard === 'complete') return this.#skip(F);
        if (s === 'data_recvd' || s === 'reset_recvd') return this.#skip(F);
        if (s === 'size_known') return this.#skip(this.#lastGap()!.end - 1);
        return this.#skip(st.skipOffset + 1 + (this.#seq++ % 20));
      }
      case 'app_read': return st.read(guard === 'partial' ? 1 : s === 'data_recvd' ? Number.MAX_SAFE_INTEGER : 7).step;
      case 'app_stop': return st.stop(9);
      default: throw new RangeError(`recv_stream: unknown event '${event}'`);
    }
  }
}

/** A driver for machine `send_stream` or `recv_stream`. */
export function streamDriver(machine: string): SendDriver | RecvDriver {
  if (machine === 'send_stream') return new SendDriver();
  if (machine === 'recv_stream') return new RecvDriver();
  throw new RangeError(`no stream machine '${machine}'`);
}
