/**
 * What a connection shows to the outside besides its API: structured logs (src/node/log.ts) and
 * a qlog trace (src/node/qlog.ts), both fed from the core's packet observer (`TraceEvent`, see
 * src/core/connection/trace.ts) and the connection's events.
 *
 * qlog events written (draft-ietf-quic-qlog-quic-events): `quic:connection_state_updated`
 * (attempted → handshake_complete → handshake_confirmed → closed), `quic:packet_sent`,
 * `quic:packet_received` (header, raw length, frames), `quic:packet_lost`,
 * `quic:recovery_metrics_updated` (only the metrics that changed, after each ACK or loss),
 * `quic:key_updated` (the 1-RTT keys from the handshake, then each key update with its trigger),
 * `quic:connection_closed`. The observer also counts packets and reports key updates to the API
 * (the `keyupdate` event), so it runs whether or not a trace is written.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Connection, ConnectionEvent, TraceEvent } from '../../core/connection/index.ts';
import type { Frame } from '../../gen/frames.ts';
import type { Logger } from '../log.ts';
import { qlogFile, type QlogWriter } from '../qlog.ts';

/** A key update seen on a connection. */
export interface KeyUpdate {
  /** Which keys moved: ours for sending, or the peer's we open with. */
  readonly direction: 'send' | 'receive';
  /** The new key generation (the full key phase: 1 after the first update). */
  readonly generation: number;
  /** Who started it: this side (`local_update`) or the peer (`remote_update`). */
  readonly trigger: 'local_update' | 'remote_update';
}

/** Packet counters of one connection. */
export interface PacketCounters {
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  bytesSent: number;
  bytesReceived: number;
}

/** Where a trace goes: the qlog directory (`QLOGDIR` or the `qlogDir` option), if any. */
export function qlogDirectory(option: string | undefined, env: Record<string, string | undefined> = process.env): string | undefined {
  return option ?? (env.QLOGDIR ? env.QLOGDIR : undefined);
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** A frame as qlog's QuicFrame: `frame_type` and the fields of the spec in snake_case, payloads as their length. */
export function qlogFrame(f: Frame): Record<string, unknown> {
  switch (f.type) {
    case 'stream':
      return { frame_type: 'stream', stream_id: f.streamId, offset: f.offset ?? 0, length: f.data.length, fin: f.fin };
    case 'ack': {
      const ranges: [number, number][] = [];
      let hi = f.largestAcknowledged, lo = hi - f.firstAckRange;
      ranges.push([lo, hi]);
      for (const r of f.ackRanges) {
        hi = lo - r.gap - 2;
        lo = hi - r.length;
        ranges.push([lo, hi]);
      }
      return { frame_type: 'ack', ack_delay: f.ackDelay, acked_ranges: ranges };
    }
    case 'padding':
      return { frame_type: 'padding' };
    default: {
      const out: Record<string, unknown> = { frame_type: f.type };
      for (const [k, v] of Object.entries(f)) {
        if (k === 'type') continue;
        const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        if (v instanceof Uint8Array) out[key === 'data' ? 'length' : `${key}_length`] = v.length;
        else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[key] = v;
        else if (typeof v === 'bigint') out[key] = v.toString();
      }
      return out;
    }
  }
}

const METRICS = ['min_rtt', 'smoothed_rtt', 'latest_rtt', 'rtt_variance', 'pto_count', 'congestion_window', 'bytes_in_flight'] as const;

/** The logs, qlog trace and counters of one connection. */
export class ConnectionObserver {
  readonly counters: PacketCounters = { packetsSent: 0, packetsReceived: 0, packetsLost: 0, bytesSent: 0, bytesReceived: 0 };
  readonly log: Logger;
  /** Called on each key update after the handshake's keys. */
  onKeyUpdate: (u: KeyUpdate) => void = () => {};
  readonly #conn: Connection;
  readonly #q: { writer: QlogWriter; path: string; flush(): void; close(): void } | undefined;
  readonly #started: number;
  readonly #metrics = new Map<string, number>();
  #sendGen = 0;
  #recvGen = 0;
  #state = 'attempted';
  #done = false;

  /** @param now the driver's clock (performance.now()) when the connection was made */
  constructor(conn: Connection, o: { logger: Logger; qlogDir: string | undefined; now: number }) {
    this.#conn = conn;
    this.#started = o.now;
    const id = hex(conn.originalDcid);
    this.log = o.logger.child({ conn: id.slice(0, 8), role: conn.role });
    if (o.qlogDir) {
      try {
        this.#q = qlogFile(o.qlogDir, { title: `jsp ${conn.role} ${id}`, vantage: conn.role, groupId: id, referenceTimeMs: performance.timeOrigin + o.now });
      } catch (e) {
        this.log.warn('qlog: cannot write the trace', { dir: o.qlogDir, err: e });
      }
      this.#event(o.now, 'quic:connection_state_updated', { new: 'attempted' });
    }
    this.log.debug(conn.role === 'client' ? 'connecting' : 'handshake from a client', { remote: conn.remote });
  }

  /** The trace file, if one is written. */
  get qlogPath(): string | undefined { return this.#q?.path; }

  #event(now: number, name: string, data: Record<string, unknown>): void {
    this.#q?.writer.event(performance.timeOrigin + now, name, data);
  }

  /** A packet event from the core. */
  onTrace(e: TraceEvent): void {
    const c = this.counters;
    switch (e.type) {
      case 'packet_sent':
        c.packetsSent++;
        c.bytesSent += e.bytes;
        if (e.keyPhase !== undefined && e.keyPhase > this.#sendGen) this.#keyUpdated(e.now, 'send', e.keyPhase);
        break;
      case 'packet_received':
        c.packetsReceived++;
        c.bytesReceived += e.bytes;
        if (e.keyPhase !== undefined && e.keyPhase > this.#recvGen) this.#keyUpdated(e.now, 'receive', e.keyPhase);
        break;
      case 'packet_lost':
        c.packetsLost++;
        break;
    }
    if (this.log.enabled('trace')) this.log.trace(e.type, { pn: e.packetNumber, level: e.level, bytes: e.bytes });
    if (!this.#q) return;
    const header: Record<string, unknown> = { packet_type: e.level === 'initial' ? 'initial' : '1RTT', packet_number: e.packetNumber };
    if (e.type === 'packet_lost') {
      this.#event(e.now, 'quic:packet_lost', e.trigger === 'timer' ? { header, trigger: 'time_threshold' } : { header });
      this.#metricsUpdated(e.now);
      return;
    }
    if (e.keyPhase !== undefined) header.key_phase = e.keyPhase;
    this.#event(e.now, e.type === 'packet_sent' ? 'quic:packet_sent' : 'quic:packet_received', { header, raw: { length: e.bytes }, frames: e.frames.map(qlogFrame) });
    if (e.type === 'packet_received' && e.frames.some((f) => f.type === 'ack')) this.#metricsUpdated(e.now);
  }

  /** recovery_metrics_updated with the values that changed since the last one. */
  #metricsUpdated(now: number): void {
    const r = this.#conn.recovery;
    const values: Record<(typeof METRICS)[number], number> = {
      min_rtt: r.rtt.min, smoothed_rtt: r.rtt.smoothed, latest_rtt: r.rtt.latest, rtt_variance: r.rtt.rttvar,
      pto_count: r.ptoCount, congestion_window: r.congestion.window(), bytes_in_flight: r.bytesInFlight,
    };
    const changed: Record<string, number> = {};
    let any = false;
    for (const k of METRICS) {
      const v = Math.round(values[k] * 1000) / 1000;
      if (this.#metrics.get(k) !== v) { this.#metrics.set(k, v); changed[k] = v; any = true; }
    }
    if (any) this.#event(now, 'quic:recovery_metrics_updated', changed);
  }

  #keyUpdated(now: number, direction: 'send' | 'receive', generation: number): void {
    const mine = direction === 'send';
    // Whoever moved first started it: our send keys moving after the peer's is a response to
    // the peer; the peer's moving after ours answers our update.
    const otherMovedFirst = (mine ? this.#recvGen : this.#sendGen) >= generation;
    const trigger = otherMovedFirst === mine ? 'remote_update' : 'local_update';
    if (mine) this.#sendGen = generation; else this.#recvGen = generation;
    const role = this.#conn.role;
    const owner = mine ? role : role === 'client' ? 'server' : 'client';
    this.#event(now, 'quic:key_updated', { key_type: `${owner}_1rtt_secret`, key_phase: generation, trigger });
    this.log.debug('key update', { direction, generation, trigger });
    this.onKeyUpdate({ direction, generation, trigger });
  }

  /** A connection event (after the API acted on it). */
  onEvent(now: number, e: ConnectionEvent): void {
    switch (e.type) {
      case 'connected': {
        this.#stateUpdated(now, 'handshake_complete');
        for (const owner of ['client', 'server']) this.#event(now, 'quic:key_updated', { key_type: `${owner}_1rtt_secret`, key_phase: 0, trigger: 'tls' });
        this.log.info('handshake complete', { remote: this.#conn.remote, suite: e.keys.suite, group: e.keys.group, alpn: e.alpn, ms: Math.round((now - this.#started) * 1000) / 1000 });
        return;
      }
      case 'confirmed':
        this.#stateUpdated(now, 'handshake_confirmed');
        this.log.debug('handshake confirmed');
        return;
      case 'closed': {
        this.#stateUpdated(now, 'closed');
        const owner = e.remote ? 'remote' : 'local';
        const data: Record<string, unknown> = { owner, reason: e.reason };
        if (e.error) data.connection_code = e.error.code;
        this.#event(now, 'quic:connection_closed', data);
        this.#q?.flush(); // readable now; the closing period may still append
        const fields = { owner, code: e.error?.codeName ?? 'NO_ERROR', reason: e.reason, ...this.counters };
        if (e.error && e.error.codeName !== 'IDLE_TIMEOUT') this.log.warn('connection closed', fields);
        else this.log.info('connection closed', fields);
        return;
      }
      case 'stream_opened':
        this.log.debug('stream opened by the peer', { stream: e.id, bidi: e.bidi });
        return;
      case 'stream_reset':
      case 'stream_stopped':
        this.log.debug(e.type === 'stream_reset' ? 'stream reset by the peer' : 'stream stopped by the peer', { stream: e.id, code: e.code });
        return;
      default:
        return;
    }
  }

  #stateUpdated(now: number, state: string): void {
    if (state === this.#state) return;
    this.#event(now, 'quic:connection_state_updated', { old: this.#state, new: state });
    this.#state = state;
  }

  /** Flushes and closes the trace (once). */
  close(): void {
    if (this.#done) return;
    this.#done = true;
    try {
      this.#q?.close();
    } catch (e) {
      this.log.warn('qlog: cannot finish the trace', { path: this.#q?.path, err: e });
    }
  }
}
