/**
 * Shared helpers for emitters: identifier case conversion, varint widths, file headers.
 */
import type { SpecFile } from './ir.ts';

/** `max_stream_data` → `maxStreamData`. */
export function camel(id: string): string {
  return id.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `max_stream_data` → `MaxStreamData`. */
export function pascal(id: string): string {
  const c = camel(id);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** `max_stream_data` → `MAX_STREAM_DATA`. */
export function upper(id: string): string {
  return id.toUpperCase();
}

/** Bytes of the minimal QUIC varint encoding of v (RFC 9000 §16). */
export function varintWidth(v: bigint): number {
  if (v < 0n) throw new RangeError(`varint cannot hold ${v}`);
  if (v < 1n << 6n) return 1;
  if (v < 1n << 14n) return 2;
  if (v < 1n << 30n) return 4;
  if (v < 1n << 62n) return 8;
  throw new RangeError(`varint cannot hold ${v}`);
}

/** The header every generated file starts with: its sources and their hashes. */
export function header(sources: SpecFile[], comment = '//'): string {
  const lines = sources.map((s) => `${comment} GENERATED from ${s.path} (sha256 ${s.sha256.slice(0, 16)}) — do not edit.`);
  lines.push(`${comment} Regenerate with \`npm run codegen\`; \`npm run codegen -- --check\` fails when this file is stale.`);
  return lines.join('\n') + '\n';
}

/** Wraps prose into a TSDoc/JSDoc block at the given indent. */
export function tsdoc(text: string, indent = ''): string {
  const body = text.trim().split('\n').map((l) => `${indent} *${l.trim() ? ' ' + l.trimEnd() : ''}`).join('\n');
  return `${indent}/**\n${body}\n${indent} */\n`;
}
