/**
 * Shared pieces of the Python emitter (`emit-python.ts`): Python literals, names, docstrings and
 * comments, the file header, and the small modules of the package — `constants.py`, `errors.py` and
 * `__init__.py`.
 */
import type { GeneratedFile } from './emit.ts';
import type { Documented, EnumDef, Spec, SpecFile } from './ir.ts';
import { codecFiles } from './ir.ts';
import { upper } from './naming.ts';

/** The package directory every module lives in (relative to the output directory). */
export const PKG = 'jsp_codec';

/** Python keywords, and names the generated functions use for themselves (a field local that would clash gets `_`). */
const PY_RESERVED = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case',
  // builtins the generated code calls, and its own locals
  'len', 'range', 'bytes', 'int', 'bool', 'str', 'list', 'type', 'isinstance', 'r', 'w', 'v', 'x', 'n', 'at', 'tag', 'run',
]);

/** A Python identifier for a spec id (snake_case already): keywords and reserved names get a `_` suffix. */
export function pyName(id: string): string {
  return PY_RESERVED.has(id) ? `${id}_` : id;
}

/** `StreamFrame` → `stream_frame` (function names), `AckRange` → `ack_range`. */
export function snakeOfType(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** An integer literal: all-ones masks of 16 bits or more in hex with `_` groups (`0x1f_ffff_ffff_ffff`), else decimal. */
export function pyInt(v: bigint | number): string {
  const n = BigInt(v);
  if (n >= 0xffffn && (n & (n + 1n)) === 0n) return `0x${n.toString(16).replace(/\B(?=(.{4})+$)/g, '_')}`;
  return n.toString();
}

/** `0x08`-style hex with at least two digits. */
export function pyHex(v: bigint | number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/** A Python string literal in single quotes. */
export function pyStr(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Text for the literal part of an f-string (braces doubled). */
export function fText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\{/g, '{{').replace(/\}/g, '}}');
}

/** Prose of a documented element: its doc, extra lines, then its requirements with their ids. */
export function docText(d: Documented, extra: string[] = []): string {
  const parts = [d.doc.trim(), ...extra];
  if (d.req.length) parts.push(d.req.map((r) => `- ${r.level} (${r.id}): ${r.text.replace(/\s+/g, ' ').trim()}`).join('\n'));
  return parts.filter((p) => p.length).join('\n\n');
}

/** A docstring at an indent: one line when short, else a block (PEP 257). */
export function docstring(text: string, indent = ''): string {
  const t = text.trim().replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
  if (!t.includes('\n') && indent.length + t.length + 6 <= 110) return `${indent}"""${t}"""\n`;
  const lines = t.split('\n').map((l, i) => (i === 0 || !l.trim() ? l.trimEnd() : `${indent}${l.trimEnd()}`));
  return `${indent}"""${lines.join('\n')}\n${indent}"""\n`;
}

/** `#:` comment lines (Sphinx attribute docs) at an indent. */
export function attrDoc(text: string, indent = ''): string {
  return text.trim().split('\n').map((l) => `${indent}#:${l.trim() ? ' ' + l.trimEnd() : ''}\n`).join('');
}

/** The header every generated Python file starts with: its sources and their hashes. */
export function pyHeader(sources: SpecFile[]): string {
  const lines = sources.map((s) => `# GENERATED from ${s.path} (sha256 ${s.sha256.slice(0, 16)}) — do not edit.`);
  lines.push('# Regenerate with `npx jsp codegen --lang python --out DIR`.');
  return lines.join('\n') + '\n';
}

/** The module docstring naming the spec file: title, xref, prose. */
export function moduleDocstring(f: SpecFile, extra = ''): string {
  const lines = [`${f.title} (${f.path}, version ${f.version})${f.xref ? ` — ${f.xref}` : ''}.`, '', f.doc.trim()];
  if (extra) lines.push('', extra);
  return docstring(lines.join('\n'));
}

/** An `IntEnum` for an enum table of the spec. */
export function pyEnum(e: EnumDef, rule: string): string {
  const name = e.id.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  let s = `class ${name}(IntEnum):\n${docstring(docText(e, [rule]), '    ')}\n`;
  for (const v of e.values) s += attrDoc(v.doc, '    ') + `    ${upper(v.id)} = ${v.value}\n`;
  return s;
}

/** `__all__` for a module: the listed public names, one per line. */
export function allList(names: string[]): string {
  return `__all__ = [\n${names.map((n) => `    ${pyStr(n)},`).join('\n')}\n]\n`;
}

// ───────────────────────────── constants.py ─────────────────────────────

export function emitPyConstants(spec: Spec): GeneratedFile {
  const f = spec.constants;
  const out: string[] = [pyHeader([f]), moduleDocstring(f), '\n'];
  for (const c of f.constants) {
    out.push(attrDoc(docText(c, c.unit ? [`Unit: ${c.unit}.`] : [])));
    out.push(`${upper(c.id)} = ${c.unit === 'version' ? pyHex(c.value) : pyInt(c.value)}\n\n`);
  }
  out.push(allList(f.constants.map((c) => upper(c.id))));
  return { path: `${PKG}/constants.py`, content: out.join('') };
}

// ───────────────────────────── errors.py ─────────────────────────────

export function emitPyErrors(spec: Spec): GeneratedFile {
  const f = spec.errors;
  const out: string[] = [pyHeader([f]), moduleDocstring(f, 'Decode errors themselves are DecodeError and EncodeError from _runtime, re-exported here.')];
  out.push('\nfrom enum import IntEnum\n\nfrom ._runtime import DecodeError, EncodeError\n\n\n');
  out.push('class ErrorCode(IntEnum):\n');
  out.push(docstring('Every transport error code, by name (RFC 9000 §20.1 for 0x00–0x10, JSP codes from 0x100).', '    ') + '\n');
  for (const c of f.codes) out.push(attrDoc(docText(c), '    ') + `    ${c.id} = ${pyHex(c.code)}\n`);
  out.push('\n\ndef error_code_name(code: int) -> str:\n');
  out.push(docstring('The name of `code`, or `UNKNOWN(0x…)` for a code outside the table (errors.unknown-code: still report the number).', '    '));
  out.push('    try:\n        return ErrorCode(code).name\n    except ValueError:\n        return f\'UNKNOWN(0x{code:x})\'\n\n\n');
  out.push(attrDoc('What each decode error kind means, from the spec.'));
  out.push('DECODE_ERROR_KINDS: dict[str, str] = {\n');
  for (const k of f.decodeErrorKinds) out.push(`    ${pyStr(k.id)}: ${pyStr(k.doc.replace(/\s+/g, ' ').trim())},\n`);
  out.push('}\n\n');
  out.push(allList(['ErrorCode', 'error_code_name', 'DECODE_ERROR_KINDS', 'DecodeError', 'EncodeError']));
  return { path: `${PKG}/errors.py`, content: out.join('') };
}

// ───────────────────────────── __init__.py ─────────────────────────────

/** Names listed in a module's `__all__`. */
function allNames(content: string): string[] {
  const m = /^__all__ = \[\n([\s\S]*?)\n\]/m.exec(content);
  return m ? [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]) : [];
}

/**
 * `__init__.py`: every public name of every module. Two modules exporting one name would make it
 * ambiguous, so that is a generator error here (as for the TypeScript index).
 */
export function emitPyInit(spec: Spec, modules: GeneratedFile[]): GeneratedFile {
  const owner = new Map<string, string>();
  const lines: string[] = [];
  for (const m of modules) {
    const names = allNames(m.content);
    for (const n of names) {
      const prev = owner.get(n);
      if (prev) throw new Error(`codegen: '${n}' is exported by both ${prev} and ${m.path}; rename one in the spec`);
      owner.set(n, m.path);
    }
    lines.push(`from .${m.path.split('/').pop()!.replace(/\.py$/, '')} import *  # noqa: F401,F403`);
  }
  const sources = codecFiles(spec);
  const doc = docstring([
    'The generated JetStreamProto codec: constants, error codes, frames, packets and control messages.',
    '',
    'Python 3.10+ standard library only. Per struct or message `x`: a dataclass, `decode_x(data, ...params)`,',
    '`encode_x(value) -> bytes`, `read_x(reader)` and `write_x(writer, value)`; for the frame union',
    '`decode_frame`, `encode_frame` and `decode_frames` (a packet payload). Decode errors are `DecodeError`',
    '(`code`, `code_name`, `kind`, `path`); invalid values given to an encoder raise `EncodeError`.',
  ].join('\n'));
  const runtime = 'from ._runtime import DecodeError, EncodeError, Reader, Writer, to_json  # noqa: F401';
  return { path: `${PKG}/__init__.py`, content: `${pyHeader(sources)}${doc}\n${runtime}\n${lines.join('\n')}\n` };
}
