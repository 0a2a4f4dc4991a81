/**
 * Stream ids and stream limits (RFC 9000 §2.1, §4.6). An id is `index * 4 + type`: bit 0 is the
 * initiator (0 client, 1 server), bit 1 the direction (0 bidirectional, 1 unidirectional).
 *
 * {@link StreamIds} keeps, for each direction, how many streams this endpoint may open (the
 * peer's MAX_STREAMS) and how many the peer may (ours): local streams open in order within the
 * peer's limit, with STREAMS_BLOCKED when it holds them back; a frame for a peer stream opens it
 * and every lower-numbered peer stream of its type, and one beyond our limit is
 * STREAM_LIMIT_ERROR; a frame that names a part the stream cannot have is STREAM_STATE_ERROR
 * (`machines.stream-recv.no-transition`, `machines.stream-send.receive-only`); as peer streams
 * close, MAX_STREAMS gives the credit back, in batches.
 *
 * Errors are thrown as {@link TransportError}s with the spec code: they close the connection.
 *
 * @module
 */
import { MAX_STREAMS } from '../../gen/constants.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';

/** Who opened a stream. */
export type Initiator = 'client' | 'server';
/** A stream's direction. */
export type Direction = 'bidi' | 'uni';
/**
 * Which part of a stream a frame addresses: `recv` for STREAM, RESET_STREAM, STREAM_SKIP and
 * STREAM_DATA_BLOCKED (sent by the peer's sending part), `send` for STOP_SENDING and
 * MAX_STREAM_DATA (sent by the peer's receiving part).
 */
export type StreamPart = 'send' | 'recv';

/** The id of the `index`-th stream of `initiator` and `direction`. */
export function streamId(index: number, initiator: Initiator, direction: Direction): number {
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_STREAMS) throw new RangeError(`stream index ${index} must be below ${MAX_STREAMS}`);
  return index * 4 + (initiator === 'server' ? 1 : 0) + (direction === 'uni' ? 2 : 0);
}
/** Who opened stream `id`. */
export function initiatorOf(id: number): Initiator { return id % 2 === 1 ? 'server' : 'client'; }
/** The direction of stream `id`. */
export function directionOf(id: number): Direction { return Math.floor(id / 2) % 2 === 1 ? 'uni' : 'bidi'; }
/** The index of stream `id` among the streams of its initiator and direction. */
export function indexOf(id: number): number { return Math.floor(id / 4); }

/** Whether stream `id` has a part `part` at endpoint `role`. */
export function hasPart(id: number, role: Initiator, part: StreamPart): boolean {
  if (directionOf(id) === 'bidi') return true;
  return (initiatorOf(id) === role) === (part === 'send');
}

/** Stream counts per direction. */
export interface StreamCounts {
  readonly bidi: number;
  readonly uni: number;
}

/** Configuration of {@link StreamIds}. */
export interface StreamIdsConfig {
  /** This endpoint's role. */
  readonly role: Initiator;
  /** Streams this endpoint lets the peer open (its initial_max_streams_* transport parameters). */
  readonly local: StreamCounts;
  /** Streams the peer lets this endpoint open (the peer's initial_max_streams_*); update with {@link StreamIds.onMaxStreams}. */
  readonly peer: StreamCounts;
}

/** What a frame for a stream id means. */
export interface StreamLookup {
  /** Whether the stream is this endpoint's. */
  readonly local: boolean;
  /** Peer streams the frame opened, in ascending order (it and any lower-numbered ones of its type not yet open). */
  readonly opened: readonly number[];
}

/** This endpoint's streams of one direction. */
interface LocalSide {
  /** Streams opened. */
  next: number;
  /** The peer's limit. */
  limit: number;
  /** open() found the limit reached. */
  blocked: boolean;
  /** The limit STREAMS_BLOCKED was last sent at. */
  reportedAt: number;
}

/** The peer's streams of one direction. */
interface RemoteSide {
  /** Streams the peer opened (explicitly or implicitly). */
  next: number;
  /** The initial limit (our transport parameter). */
  readonly initial: number;
  /** The limit advertised. */
  limit: number;
  /** Peer streams that closed. */
  closed: number;
  /** How much credit is gathered before MAX_STREAMS goes out. */
  readonly batch: number;
  /** The peer sent STREAMS_BLOCKED. */
  peerBlocked: boolean;
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_STREAMS) throw new RangeError(`a stream limit must be between 0 and ${MAX_STREAMS}, got ${limit}`);
  return limit;
}

const DIRS: readonly Direction[] = ['bidi', 'uni'];

/** Stream ids, opening and limits of one connection. */
export class StreamIds {
  readonly role: Initiator;
  readonly #local: Record<Direction, LocalSide>;
  readonly #remote: Record<Direction, RemoteSide>;

  constructor(config: StreamIdsConfig) {
    this.role = config.role;
    const local = (limit: number): LocalSide => ({ next: 0, limit: checkLimit(limit), blocked: false, reportedAt: -1 });
    const remote = (limit: number): RemoteSide => ({
      next: 0, initial: checkLimit(limit), limit, closed: 0, batch: Math.max(1, Math.floor(limit / 2)), peerBlocked: false,
    });
    this.#local = { bidi: local(config.peer.bidi), uni: local(config.peer.uni) };
    this.#remote = { bidi: remote(config.local.bidi), uni: remote(config.local.uni) };
  }

  /** Streams of `direction` this endpoint has opened. */
  opened(direction: Direction): number { return this.#local[direction].next; }
  /** Streams of `direction` the peer has opened (explicitly or implicitly). */
  peerOpened(direction: Direction): number { return this.#remote[direction].next; }
  /** The limit of `direction` advertised to the peer. */
  advertised(direction: Direction): number { return this.#remote[direction].limit; }

  /**
   * Opens the next local stream of `direction`: its id, or undefined when the peer's MAX_STREAMS
   * holds it back (then {@link pollStreamsBlocked} gives the STREAMS_BLOCKED frame).
   */
  open(direction: Direction): number | undefined {
    const s = this.#local[direction];
    if (s.next >= s.limit) {
      s.blocked = true;
      return undefined;
    }
    return streamId(s.next++, this.role, direction);
  }

  /** A MAX_STREAMS frame: raises the limit of `direction` (a smaller value is ignored). */
  onMaxStreams(direction: Direction, max: number): void {
    const s = this.#local[direction];
    if (max > s.limit) {
      s.limit = max;
      s.blocked = false;
    }
  }

  /**
   * A client's 0-RTT was rejected: the handshake's limit replaces the one the ticket remembered,
   * even when lower (machines.connection.early-limits). Streams already opened at or beyond it
   * stay open here but wait ({@link allowed}) until MAX_STREAMS covers them; STREAMS_BLOCKED
   * tells the peer.
   */
  restartPeerLimit(direction: Direction, limit: number): void {
    const s = this.#local[direction];
    s.limit = checkLimit(limit);
    s.blocked = s.next > s.limit;
    s.reportedAt = -1;
  }

  /** Whether this endpoint's stream `id` is within the peer's limit (false only after {@link restartPeerLimit} lowered it). */
  allowed(id: number): boolean {
    return indexOf(id) < this.#local[directionOf(id)].limit;
  }

  /** A STREAMS_BLOCKED frame that should be sent: the direction and the limit, once per limit. */
  pollStreamsBlocked(): { direction: Direction; limit: number } | undefined {
    for (const d of DIRS) {
      const s = this.#local[d];
      if (s.blocked && s.next >= s.limit && s.reportedAt !== s.limit) {
        s.reportedAt = s.limit;
        return { direction: d, limit: s.limit };
      }
    }
    return undefined;
  }

  /**
   * The STREAMS_BLOCKED frame for `direction` at `limit` was lost: {@link pollStreamsBlocked}
   * gives it again if opening is still held back at that limit (a raised limit needs none).
   */
  streamsBlockedLost(direction: Direction, limit: number): void {
    const s = this.#local[direction];
    if (s.reportedAt === limit) s.reportedAt = -1;
  }

  /**
   * A frame for stream `id` that addresses its `part`. Throws STREAM_STATE_ERROR when the stream
   * cannot have that part here or is a local stream not opened yet, STREAM_LIMIT_ERROR when it is
   * a peer stream beyond the limit advertised. Otherwise says whether the stream is local and
   * which peer streams the frame opened (the caller creates them; a peer stream below the ones
   * opened that it no longer has was closed, and the frame is ignored).
   */
  onFrame(id: number, part: StreamPart, frame = 'frame'): StreamLookup {
    const d = directionOf(id);
    const local = initiatorOf(id) === this.role;
    if (!hasPart(id, this.role, part)) {
      const what = local ? 'send-only' : 'receive-only';
      throw TransportError.of(ErrorCode.STREAM_STATE_ERROR, `${frame} for ${what} stream ${id}`);
    }
    const index = indexOf(id);
    if (local) {
      if (index >= this.#local[d].next) throw TransportError.of(ErrorCode.STREAM_STATE_ERROR, `${frame} for stream ${id}, which this endpoint has not opened`);
      return { local: true, opened: [] };
    }
    const s = this.#remote[d];
    if (index >= s.limit) throw TransportError.of(ErrorCode.STREAM_LIMIT_ERROR, `${frame} for stream ${id}: the peer may open ${s.limit} ${d} streams`);
    const opened: number[] = [];
    while (s.next <= index) opened.push(streamId(s.next++, initiatorOf(id), d));
    return { local: false, opened };
  }

  /** A peer stream finished (both its parts are done, or its only one): its credit can go back to the peer. */
  onPeerStreamClosed(id: number): void {
    if (initiatorOf(id) === this.role) return;
    const s = this.#remote[directionOf(id)];
    if (s.closed < s.next) s.closed++;
  }

  /** A STREAMS_BLOCKED frame from the peer: credit held back for batching goes out at once. */
  onStreamsBlocked(direction: Direction): void {
    this.#remote[direction].peerBlocked = true;
  }

  /**
   * A MAX_STREAMS frame to send, giving back the credit of closed peer streams: when half the
   * initial limit (at least one stream) has gathered since the last one, or at once when the
   * peer said it is blocked.
   */
  pollMaxStreams(): { direction: Direction; max: number } | undefined {
    for (const d of DIRS) {
      const s = this.#remote[d];
      const target = Math.min(MAX_STREAMS, s.initial + s.closed);
      const freed = target - s.limit;
      if (freed >= s.batch || (freed > 0 && s.peerBlocked)) {
        s.limit = target;
        s.peerBlocked = false;
        return { direction: d, max: target };
      }
    }
    return undefined;
  }
}
