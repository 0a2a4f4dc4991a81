/**
 * Shared pieces of the Rust emitter (`emit-rust.ts`): names, literals, `///` docs, the file header, the
 * code builder, and the small modules of the crate — `constants.rs`, `errors.rs`.
 */
import type { GeneratedFile } from './emit.ts';
import type { Documented, EnumDef, Spec, SpecFile } from './ir.ts';
import { upper } from './naming.ts';

const RUST_KEYWORDS = new Set(('as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ' +
  'ref return self Self static struct super trait true type unsafe use where while async await dyn abstract become box do final ' +
  'macro override priv typeof unsized virtual yield try gen').split(' '));

/** A Rust field name for a spec id: keywords get a `_` suffix (the JSON key stays the spec id). */
export function rsField(id: string): string {
  return RUST_KEYWORDS.has(id) ? `${id}_` : id;
}

/** Locals the generated functions use for themselves, besides keywords. */
const RESERVED_LOCALS = new Set(['r', 'w', 'v', 'x', 'n', 'at', 'tag', 'type_', 'run', 'out', 'input', 'first', 'tmp']);

export function rsLocal(id: string): string {
  return RUST_KEYWORDS.has(id) || RESERVED_LOCALS.has(id) ? `${id}_` : id;
}

/** `max_stream_data` → `MaxStreamData`. */
export function rsType(id: string): string {
  return id.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** `StreamFrame` → `stream_frame`. */
export function snakeOfType(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A u64 literal: hex for all-ones masks, else decimal. */
export function rsInt(v: bigint | number): string {
  const n = BigInt(v);
  if (n >= 0xffffn && (n & (n + 1n)) === 0n) return `0x${n.toString(16).replace(/\B(?=(.{4})+$)/g, '_')}`;
  return n.toString();
}

export function rsHex(v: bigint | number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/** A Rust string literal. */
export function rsStr(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Text for the literal part of a `format!` string (braces doubled). */
export function fmtText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\{/g, '{{').replace(/\}/g, '}}');
}

/** Prose of a documented element: its doc, extra lines, then its requirements with their ids. */
export function docText(d: Documented, extra: string[] = []): string {
  const parts = [d.doc.trim(), ...extra];
  if (d.req.length) parts.push(d.req.map((r) => `- ${r.level} (${r.id}): ${r.text.replace(/\s+/g, ' ').trim()}`).join('\n'));
  return parts.filter((p) => p.length).join('\n\n');
}

/** `///` doc comment lines at an indent (`//!` for inner docs). */
export function rsDoc(text: string, indent = '', marker = '///'): string {
  return text.trim().split('\n').map((l) => `${indent}${marker}${l.trim() ? ' ' + l.trimEnd() : ''}\n`).join('');
}

/** The header every generated Rust file starts with: its sources and their hashes. */
export function rsHeader(sources: SpecFile[]): string {
  const lines = sources.map((s) => `// GENERATED from ${s.path} (sha256 ${s.sha256.slice(0, 16)}) — do not edit.`);
  lines.push('// Regenerate with `npx jsp codegen --lang rust --out DIR`.');
  return lines.join('\n') + '\n';
}

/** The inner doc naming the spec file: title, xref, prose. */
export function moduleDoc(f: SpecFile, extra = ''): string {
  const lines = [`${f.title} (${f.path}, version ${f.version})${f.xref ? ` — ${f.xref}` : ''}.`, '', f.doc.trim()];
  if (extra) lines.push('', extra);
  return rsDoc(lines.join('\n'), '', '//!');
}

/** Lines of Rust at an indent (four spaces a level). */
export class RsCode {
  readonly lines: string[] = [];
  constructor(private ind = '    ') {}
  line(s: string): void {
    this.lines.push(this.ind + s);
  }
  /** `head {` body `}` (head may be empty for a bare block). */
  block(head: string, body: () => void, tail = ''): void {
    this.line(head ? `${head} {` : '{');
    const saved = this.ind;
    this.ind += '    ';
    body();
    this.ind = saved;
    this.line(`}${tail}`);
  }
  /** `if head { a } else { b }`. */
  ifElse(test: string, a: () => void, b: () => void): void {
    this.line(`if ${test} {`);
    const saved = this.ind;
    this.ind += '    ';
    a();
    this.ind = saved;
    this.line('} else {');
    this.ind += '    ';
    b();
    this.ind = saved;
    this.line('}');
  }
  /** `if test { stmt }`. */
  when(test: string, stmt: string): void {
    this.line(`if ${test} {`);
    this.line(`    ${stmt}`);
    this.line('}');
  }
  /** `if test { return Err(r.fail(kind, what, detail)); }` */
  fail(test: string, r: string, kind: string, what: string, detail: string): void {
    this.when(test, `return Err(${r}.fail(${rsStr(kind)}, ${what}, ${detail}));`);
  }
  /** `if test { return Err(enc_err(kind, what, detail)); }` */
  encFail(test: string, kind: string, what: string, detail: string): void {
    this.when(test, `return Err(enc_err(${rsStr(kind)}, ${what}, ${detail}));`);
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** `format!("…", args)` or a plain `.to_string()` without args. */
export function fmt(text: string, ...args: string[]): string {
  return args.length ? `format!(${rsStr(text)}, ${args.join(', ')})` : `${rsStr(text)}.to_string()`;
}

/** A module of constants for an enum table of the spec (values are u64). */
export function rsEnum(e: EnumDef, rule: string): string {
  let s = rsDoc(docText(e, [rule])) + `pub mod ${e.id} {\n`;
  for (const v of e.values) s += rsDoc(v.doc, '    ') + `    pub const ${upper(v.id)}: u64 = ${v.value};\n`;
  return s + '}\n';
}

// ───────────────────────────── constants.rs ─────────────────────────────

export function emitRsConstants(spec: Spec): GeneratedFile {
  const f = spec.constants;
  const out: string[] = [rsHeader([f]), moduleDoc(f), '\n'];
  for (const c of f.constants) {
    out.push(rsDoc(docText(c, c.unit ? [`Unit: ${c.unit}.`] : [])));
    out.push(`pub const ${upper(c.id)}: u64 = ${c.unit === 'version' ? rsHex(c.value) : rsInt(c.value)};\n\n`);
  }
  return { path: 'src/constants.rs', content: out.join('').replace(/\n+$/, '\n') };
}

// ───────────────────────────── errors.rs ─────────────────────────────

export function emitRsErrors(spec: Spec): GeneratedFile {
  const f = spec.errors;
  const out: string[] = [rsHeader([f]), moduleDoc(f, 'Decode errors themselves are DecodeError and EncodeError from the runtime, re-exported here.')];
  out.push('\npub use crate::runtime::{DecodeError, EncodeError, ErrorCode};\n\n');
  for (const c of f.codes) {
    out.push(rsDoc(docText(c)));
    out.push(`pub const ${c.id}: ErrorCode = ErrorCode { code: ${rsHex(c.code)}, name: ${rsStr(c.id)} };\n\n`);
  }
  out.push('/// Every transport error code, by name (RFC 9000 §20.1 for 0x00–0x10, JSP codes from 0x100).\n');
  out.push(`pub const ERROR_CODES: [ErrorCode; ${f.codes.length}] = [${f.codes.map((c) => c.id).join(', ')}];\n\n`);
  out.push('/// The name of code, or UNKNOWN(0x…) for a code outside the table (errors.unknown-code: still report the number).\n');
  out.push('pub fn error_code_name(code: u64) -> String {\n    match ERROR_CODES.iter().find(|c| c.code == code) {\n        Some(c) => c.name.to_string(),\n        None => format!("UNKNOWN(0x{:x})", code),\n    }\n}\n\n');
  out.push('/// What each decode error kind means, from the spec.\n');
  out.push(`pub const DECODE_ERROR_KINDS: [(&str, &str); ${f.decodeErrorKinds.length}] = [\n`);
  for (const k of f.decodeErrorKinds) out.push(`    (${rsStr(k.id)}, ${rsStr(k.doc.replace(/\s+/g, ' ').trim())}),\n`);
  out.push('];\n');
  return { path: 'src/errors.rs', content: out.join('') };
}
