/**
 * Structured logging: silent by default; levels error → trace; records are objects
 * `{ time, level, msg, ...fields }`; a sink decides where they go — JSON lines on a stream
 * (`jsonLinesSink(process.stderr)`), a readable line for humans (`prettySink`), or any function.
 * Child loggers add fields (`log.child({ conn: 'a1b2' })`). Nothing is formatted below the level.
 *
 * @module
 */
import { LOG_LEVELS, type LogLevel } from './config.ts';

/** One log record. */
export interface LogRecord {
  time: string;
  level: Exclude<LogLevel, 'silent'>;
  msg: string;
  [field: string]: unknown;
}

/** Where records go. */
export type LogSink = (r: LogRecord) => void;

const RANK: Record<LogLevel, number> = Object.fromEntries(LOG_LEVELS.map((l, i) => [l, i])) as Record<LogLevel, number>;

/** Serializes a record to one JSON line (bigints as strings, bytes as hex, errors as {name, message, code}). */
export function toJsonLine(r: LogRecord): string {
  return JSON.stringify(r, (_k, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
    if (v instanceof Error) return { name: v.name, message: v.message, ...('code' in v ? { code: (v as { code: unknown }).code } : {}) };
    return v;
  });
}

/** JSON lines on a writable (e.g. `process.stderr`). */
export function jsonLinesSink(out: { write(s: string): unknown }): LogSink {
  return (r) => void out.write(toJsonLine(r) + '\n');
}

/** A readable line per record: `12:00:00.123 INFO  msg key=value …`. */
export function prettySink(out: { write(s: string): unknown }): LogSink {
  return ({ time, level, msg, ...fields }) => {
    const extra = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : toJsonLine({ v } as never).slice(5, -1)}`).join(' ');
    out.write(`${time.slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? ` ${extra}` : ''}\n`);
  };
}

export class Logger {
  readonly level: LogLevel;
  readonly #sink: LogSink;
  readonly #fields: Record<string, unknown>;
  readonly #clock: () => Date;

  constructor(o: { level?: LogLevel; sink?: LogSink; fields?: Record<string, unknown>; clock?: () => Date } = {}) {
    const level = o.level ?? 'silent';
    if (!LOG_LEVELS.includes(level)) throw new RangeError(`logLevel: ${JSON.stringify(level)} is not allowed; allowed: ${LOG_LEVELS.join(', ')}`);
    this.level = level;
    this.#sink = o.sink ?? (() => {});
    this.#fields = o.fields ?? {};
    this.#clock = o.clock ?? (() => new Date());
  }

  /** Whether records of `level` are written (use to skip building costly fields). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return RANK[level] <= RANK[this.level] && this.level !== 'silent';
  }

  /** A logger that adds `fields` to every record. */
  child(fields: Record<string, unknown>): Logger {
    return new Logger({ level: this.level, sink: this.#sink, fields: { ...this.#fields, ...fields }, clock: this.#clock });
  }

  error(msg: string, fields?: Record<string, unknown>): void { this.#log('error', msg, fields); }
  warn(msg: string, fields?: Record<string, unknown>): void { this.#log('warn', msg, fields); }
  info(msg: string, fields?: Record<string, unknown>): void { this.#log('info', msg, fields); }
  debug(msg: string, fields?: Record<string, unknown>): void { this.#log('debug', msg, fields); }
  trace(msg: string, fields?: Record<string, unknown>): void { this.#log('trace', msg, fields); }

  #log(level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    this.#sink({ time: this.#clock().toISOString(), level, msg, ...this.#fields, ...fields });
  }
}

/** The logger `JSP_LOG=<level>` asks for (JSON lines on stderr), silent otherwise. */
export function loggerFromEnv(env: Record<string, string | undefined> = process.env): Logger {
  const level = env.JSP_LOG as LogLevel | undefined;
  if (!level) return new Logger();
  return new Logger({ level, sink: jsonLinesSink(process.stderr) });
}
