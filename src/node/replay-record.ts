/**
 * An anti-replay record shared by several server processes on one host (spec/crypto.yaml,
 * crypto.anti-replay.single-use and crypto.anti-replay.bounded; docs/resumption.md): one empty
 * file per ticket id in a directory, created with `open(…, 'wx')` — the file system's atomic
 * "insert if absent" — and stamped with the time of the record, so whichever process creates the
 * file first accepts the ticket and every other one, in any process, sees `replayed`.
 *
 * - **Expiry by mtime.** An entry older than `windowMs` is dead (the ticket-age check refuses
 *   0-RTT of older first flights anyway); it is removed by the pruning pass that runs about
 *   once per window, or replaced on the spot when its id comes again. Replacing moves the old
 *   file aside with an atomic rename and puts it back (a hard link, itself "if absent") if it
 *   turns out to be fresh — another process replaced it in between — so a fresh entry is never
 *   lost to a race.
 * - **Bounded.** At most `capacity` entries (default 10 000): when the directory is full of
 *   fresh entries, `record` answers `full` and the server refuses 0-RTT.
 * - **Failing closed.** Any file-system error (the directory gone, not writable, the disk full)
 *   answers `unavailable`: the server refuses 0-RTT (the ticket may still resume in 1-RTT,
 *   which replay cannot harm). Errors are counted, the last one kept.
 *
 * Every server sharing ticket keys must use the same directory, on a local file system (the
 * atomicity of `O_EXCL` and rename is what the guarantee rests on; some network file systems do
 * not provide it), and clocks within a fraction of the window. The calls are synchronous: one
 * `open` per resumption, a directory scan per window.
 *
 * @module
 */
import { closeSync, futimesSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ReplayCheck, ReplayRecord } from '../core/tickets/index.ts';

/** Options of {@link FileReplayRecord}. */
export interface FileReplayRecordOptions {
  /** The freshness window in ms (default 10 000): how long an id is remembered, and the ticket-age tolerance. Same on every server. */
  readonly windowMs?: number;
  /** Most entries in the directory (default 10 000); when full of fresh ones, 0-RTT is refused. */
  readonly capacity?: number;
}

const ENTRY = /^[0-9a-f]{2,128}$/;
const ASIDE = /^[0-9a-f]{2,128}\.\d+\.[0-9a-f]+\.old$/;

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Ticket ids as files in a directory shared by the server processes of one host (see the module comment). */
export class FileReplayRecord implements ReplayRecord {
  /** The directory of the entries. */
  readonly dir: string;
  readonly windowMs: number;
  readonly capacity: number;
  #count = 0;
  #prunedAt = -Infinity;
  #rejectedFull = 0;
  #errors = 0;
  #lastError: Error | undefined;

  /** Makes the directory (mode 0700) when missing; throws a TypeError/RangeError for bad options, the file system's error when it cannot. */
  constructor(dir: string, o: FileReplayRecordOptions = {}) {
    if (typeof dir !== 'string' || dir.length === 0) throw new TypeError('FileReplayRecord: expected a directory path');
    const windowMs = o.windowMs ?? 10_000, capacity = o.capacity ?? 10_000;
    if (typeof windowMs !== 'number' || !Number.isInteger(windowMs) || windowMs < 100 || windowMs > 600_000) throw new RangeError(`FileReplayRecord: windowMs: ${String(windowMs)} is out of range; allowed: an integer in 100..600000 ms`);
    if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > 1_000_000) throw new RangeError(`FileReplayRecord: capacity: ${String(capacity)} is out of range; allowed: an integer in 1..1000000`);
    this.dir = dir;
    this.windowMs = windowMs;
    this.capacity = capacity;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new TypeError(`FileReplayRecord: '${dir}' is not a directory`);
  }

  /** Entries in the directory at the last pruning pass, plus those this process added since. */
  get size(): number { return this.#count; }
  /** Ids refused because the record was full. */
  get rejectedFull(): number { return this.#rejectedFull; }
  /** File-system errors met (each answered `unavailable`), and the last one. */
  get errors(): number { return this.#errors; }
  get lastError(): Error | undefined { return this.#lastError; }

  record(ticketId: Uint8Array, now: number): ReplayCheck {
    try {
      if (!(ticketId instanceof Uint8Array) || ticketId.length < 1 || ticketId.length > 64) throw new RangeError('FileReplayRecord: a ticket id is 1..64 bytes');
      if (now - this.#prunedAt >= this.windowMs || this.#count >= this.capacity) this.#prune(now);
      const path = join(this.dir, hex(ticketId));
      if (this.#count >= this.capacity) {
        if (this.#fresh(path, now)) return 'replayed';
        this.#rejectedFull++;
        return 'full';
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        if (this.#create(path, now)) { this.#count++; return 'fresh'; }
        // There already: fresh (a replay), or dead and to be replaced.
        let st;
        try {
          st = statSync(path);
        } catch (e) {
          if (code(e) === 'ENOENT') continue; // removed meanwhile: try again
          throw e;
        }
        if (st.mtimeMs + this.windowMs > now) return 'replayed';
        if (this.#replaceDead(path, now) === 'replayed') return 'replayed';
      }
      return 'replayed'; // lost every race for the id: other processes hold it
    } catch (e) {
      this.#errors++;
      this.#lastError = e as Error;
      return 'unavailable';
    }
  }

  /** Creates `path` stamped `now` unless it exists; true when this call created it. */
  #create(path: string, now: number): boolean {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if (code(e) === 'EEXIST') return false;
      throw e;
    }
    try {
      futimesSync(fd, now / 1000, now / 1000);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  /** Whether `path` is an entry younger than the window. */
  #fresh(path: string, now: number): boolean {
    try {
      return statSync(path).mtimeMs + this.windowMs > now;
    } catch (e) {
      if (code(e) === 'ENOENT') return false;
      throw e;
    }
  }

  /**
   * Moves a dead entry aside (atomic rename); if what was moved is fresh after all (another
   * process replaced it since our stat), puts it back with a hard link — itself "if absent" —
   * and answers `replayed`.
   */
  #replaceDead(path: string, now: number): 'replayed' | 'gone' {
    const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.old`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if (code(e) === 'ENOENT') return 'gone';
      throw e;
    }
    try {
      if (statSync(aside).mtimeMs + this.windowMs > now) {
        try {
          linkSync(aside, path);
        } catch (e) {
          if (code(e) !== 'EEXIST') throw e;
        }
        return 'replayed';
      }
      this.#count = Math.max(0, this.#count - 1);
      return 'gone';
    } finally {
      unlinkSync(aside);
    }
  }

  /** Removes dead entries (and leftovers moved aside), and counts the rest. */
  #prune(now: number): void {
    let n = 0;
    for (const name of readdirSync(this.dir)) {
      const entry = ENTRY.test(name);
      if (!entry && !ASIDE.test(name)) continue; // not ours
      const path = join(this.dir, name);
      try {
        if (entry && statSync(path).mtimeMs + this.windowMs > now) { n++; continue; }
        if (!entry && statSync(path).mtimeMs + 2 * this.windowMs > now) continue; // another process may be handling it
        unlinkSync(path);
      } catch (e) {
        if (code(e) !== 'ENOENT') throw e;
      }
    }
    this.#count = n;
    this.#prunedAt = now;
  }
}
