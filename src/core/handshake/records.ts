/**
 * The handshake stream's records: each is a QUIC varint length followed by a HandshakeMessage of
 * that many bytes (spec/messages.yaml `handshake_message`). HANDSHAKE frames carry the stream;
 * the connection reassembles it by offset and hands the bytes here in order.
 *
 * @module
 */
import { Reader, Writer } from '../../codec/index.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';
import { MAX_MESSAGE_SIZE } from '../../gen/constants.ts';
import { encodeHandshakeMessage, type HandshakeMessage } from '../../gen/messages.ts';

/** Encodes one record: varint length ‖ HandshakeMessage. */
export function encodeRecord(m: HandshakeMessage): Uint8Array {
  const body = encodeHandshakeMessage(m);
  const w = new Writer(body.length + 8);
  w.varint(body.length);
  w.bytes(body);
  return w.finish();
}

/**
 * Splits the in-order handshake stream into record bodies. Bytes are buffered until a record is
 * complete; a record longer than max_message_size is CRYPTO_BUFFER_EXCEEDED, a non-minimal
 * length PROTOCOL_VIOLATION — both thrown as TransportError.
 */
export class RecordReader {
  #buf = new Uint8Array(0);

  /** Appends stream bytes and returns the bodies of every record now complete (copies). */
  push(bytes: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.#buf.length + bytes.length);
    joined.set(this.#buf);
    joined.set(bytes, this.#buf.length);
    const out: Uint8Array[] = [];
    let pos = 0;
    while (pos < joined.length) {
      const r = new Reader(joined, ErrorCode.PROTOCOL_VIOLATION, pos);
      let len: number;
      try {
        len = r.varint('handshake record length');
      } catch (e) {
        if ((e as { kind?: string }).kind === 'truncated') break;
        throw TransportError.of(ErrorCode.PROTOCOL_VIOLATION, (e as Error).message, { cause: e });
      }
      if (len > MAX_MESSAGE_SIZE) {
        throw TransportError.of(ErrorCode.CRYPTO_BUFFER_EXCEEDED, `handshake record of ${len} bytes exceeds max_message_size ${MAX_MESSAGE_SIZE}`);
      }
      if (r.remaining < len) break;
      out.push(joined.slice(r.pos, r.pos + len));
      pos = r.pos + len;
    }
    this.#buf = joined.slice(pos);
    return out;
  }

  /** Bytes held of an incomplete record. */
  get pending(): number {
    return this.#buf.length;
  }
}

/**
 * Every record `side` has queued, as bodies (length prefix removed) — what a peer's
 * `handleRecord` takes when the two sides are wired directly (tests, vectors, benchmarks).
 */
export function drainRecords(side: { pollOutput(): Uint8Array | undefined }): Uint8Array[] {
  const reader = new RecordReader();
  const out: Uint8Array[] = [];
  for (let r = side.pollOutput(); r !== undefined; r = side.pollOutput()) out.push(...reader.push(r));
  return out;
}
