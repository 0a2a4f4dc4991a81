/**
 * What the network commands (`jsp server`, `jsp client`, `jsp send`, `jsp recv`) share: their
 * usage error, `host:port` and size parsing, a tiny option reader, and human-readable numbers.
 *
 * @module
 */
import { isIP } from 'node:net';

/** A bad command line: `main` prints the message and the command's usage and exits with 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/**
 * A command that could not do its job for a reason outside the command line (the server does
 * not answer, refused the key or the request): `main` prints the message and exits with 1.
 */
export class CliRuntimeError extends Error {
  override name = 'CliRuntimeError';
}

/** A `host:port` (IPv6 as `[::1]:4433`). */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `host:port`, `[v6]:port` or `:port` (host `defaultHost`). The port must be 1..65535
 * unless `allowZero` (a server may ask for any free port).
 */
export function parseHostPort(text: string, o: { defaultHost?: string; allowZero?: boolean; what?: string } = {}): HostPort {
  const what = o.what ?? 'address';
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text);
  if (!m) throw new CliUsageError(`bad ${what} '${text}': expected host:port (e.g. 127.0.0.1:4433 or [::1]:4433)`);
  const host = m[1] ?? (m[2] || o.defaultHost || '');
  if (!host) throw new CliUsageError(`bad ${what} '${text}': no host`);
  if (m[1] !== undefined && isIP(m[1]) !== 6) throw new CliUsageError(`bad ${what} '${text}': '${m[1]}' is not an IPv6 address`);
  const port = Number(m[3]);
  if (port > 65535 || (port === 0 && !o.allowZero)) throw new CliUsageError(`bad ${what} '${text}': port ${port} is out of range (1..65535)`);
  return { host, port };
}

const UNITS: Record<string, number> = { '': 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1 << 20, g: 1e9, gb: 1e9, gib: 1 << 30 };

/** Parses a byte count: `1000000`, `10M`, `10MB` (10⁶), `10MiB` (2²⁰), `1G`. */
export function parseBytes(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text ?? '');
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new CliUsageError(`${option}: '${text}' is not a byte count (e.g. 1000000, 10M, 64KiB, 1G)`);
  const n = Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliUsageError(`${option}: '${text}' is out of range (at least 1 byte)`);
  return n;
}

/** Parses a positive integer option within `min..max`. */
export function parseInteger(text: string | undefined, option: string, min: number, max: number): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || n < min || n > max) throw new CliUsageError(`${option}: '${text ?? ''}' is out of range (an integer in ${min}..${max})`);
  return n;
}

/**
 * Reads `args` against a table of options: flags (`false`) and options taking a value (`true`).
 * Returns the values by name and the positional arguments; an unknown option or a missing value
 * is a {@link CliUsageError}.
 */
export function readOptions(args: readonly string[], table: Record<string, boolean>): { opts: Map<string, string>; positional: string[] } {
  const opts = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const takesValue = table[a];
    if (takesValue === undefined) throw new CliUsageError(`unknown option ${a}`);
    if (opts.has(a)) throw new CliUsageError(`${a} given twice`);
    if (takesValue) {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${a} needs a value`);
      opts.set(a, v);
    } else opts.set(a, '');
  }
  return { opts, positional };
}

/** `12.3 MB` (decimal units, as throughput is usually quoted). */
export function formatBytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** `85.2 MB/s (681.6 Mbit/s)` for `bytes` in `ms`. */
export function formatRate(bytes: number, ms: number): string {
  const perS = bytes / Math.max(ms, 0.001) * 1000;
  return `${(perS / 1e6).toFixed(1)} MB/s (${(perS * 8 / 1e6).toFixed(1)} Mbit/s)`;
}
