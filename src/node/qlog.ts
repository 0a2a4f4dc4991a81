/**
 * qlog traces in the sequential JSON-SEQ form of draft-ietf-quic-qlog-main-schema
 * (../shared/reference): a header record (`file_schema` urn:ietf:params:qlog:file:sequential,
 * `serialization_format` application/qlog+json-seq, one trace with its vantage point and the
 * QUIC event schema) and then one record per event, each starting with the Record Separator
 * (0x1E) and ending with a newline (RFC 7464). Event times are milliseconds relative to the
 * trace's reference time. Field names are lowercase snake_case as the draft requires.
 *
 * A trace is written per connection when `QLOGDIR` is set or a config asks (`qlogDir`), to
 * `<dir>/<odcid hex>_<client|server>.sqlog`.
 *
 * @module
 */
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const RS = '\u001e';

/** One qlog event: `name` as `quic:packet_sent`, `data` per the QUIC event schema. */
export interface QlogEvent {
  time: number;
  name: string;
  data: Record<string, unknown>;
}

/** Serializes one record in JSON-SEQ form (RS ‖ JSON ‖ LF). Bytes become hex; bigints strings. */
export function seqRecord(value: unknown): string {
  return RS + JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)) + '\n';
}

/** The header record of a trace. */
export function qlogHeader(o: { title: string; vantage: 'client' | 'server'; groupId: string; referenceTimeMs: number }): Record<string, unknown> {
  return {
    file_schema: 'urn:ietf:params:qlog:file:sequential',
    serialization_format: 'application/qlog+json-seq',
    title: o.title,
    trace: {
      common_fields: {
        group_id: o.groupId,
        time_format: 'relative_to_epoch',
        reference_time: { clock_type: 'system', epoch: new Date(o.referenceTimeMs).toISOString() },
      },
      vantage_point: { name: 'jsp', type: o.vantage },
      event_schemas: ['urn:ietf:params:qlog:events:quic'],
    },
  };
}

/** Writes one trace: the header at once, then events as they come (to any text sink). */
export class QlogWriter {
  readonly #write: (s: string) => void;
  readonly #reference: number;

  constructor(write: (s: string) => void, o: { title: string; vantage: 'client' | 'server'; groupId: string; referenceTimeMs: number }) {
    this.#write = write;
    this.#reference = o.referenceTimeMs;
    write(seqRecord(qlogHeader(o)));
  }

  /** Logs an event at absolute time `atMs` (the same clock as the reference time). */
  event(atMs: number, name: string, data: Record<string, unknown>): void {
    const e: QlogEvent = { time: Math.round((atMs - this.#reference) * 1000) / 1000, name, data };
    this.#write(seqRecord(e));
  }
}

/** Bytes of records held before they are written to the file. */
const FLUSH_BYTES = 64 << 10;

/**
 * A QlogWriter on the file `<dir>/<groupId>_<vantage>.sqlog`; close() it when the connection
 * ends. Records are buffered and written 64 KiB at a time (a packet event per packet would
 * otherwise cost a system call each), and on `flush()` and `close()`.
 */
export function qlogFile(dir: string, o: { title: string; vantage: 'client' | 'server'; groupId: string; referenceTimeMs: number }): { writer: QlogWriter; path: string; flush(): void; close(): void } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${o.groupId}_${o.vantage}.sqlog`);
  const fd = openSync(path, 'w');
  let held: string[] = [];
  let size = 0;
  let closed = false;
  const flush = () => {
    if (held.length === 0 || closed) return;
    writeSync(fd, held.join(''));
    held = [];
    size = 0;
  };
  const writer = new QlogWriter((s) => {
    if (closed) return;
    held.push(s);
    size += s.length;
    if (size >= FLUSH_BYTES) flush();
  }, o);
  return {
    writer, path, flush,
    close: () => {
      if (closed) return;
      flush();
      closed = true;
      closeSync(fd);
    },
  };
}
