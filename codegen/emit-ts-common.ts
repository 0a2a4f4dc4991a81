/**
 * TypeScript emitters for the small modules of `src/gen/`: `constants.ts` (every spec constant),
 * `errors.ts` (the error-code table, decode error kinds, typed transport errors) and `index.ts`
 * (re-exports of every generated module).
 */
import type { GeneratedFile } from './emit.ts';
import type { Constant, Documented, Spec, SpecFile } from './ir.ts';
import { header, pascal, tsdoc, upper } from './naming.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A number or bigint literal for v: `9007199254740991`, `4611686018427387903n`, or hex when asked. */
export function intLiteral(v: bigint, hex = false): string {
  const digits = hex ? `0x${v.toString(16)}` : v.toString();
  return v > MAX_SAFE ? `${digits}n` : digits;
}

/** `0x07`-style hex with at least two digits. */
export function hex2(v: bigint | number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/** TSDoc for a documented element: its prose, then its requirements with their ids. */
export function docBlock(d: Documented, indent = '', extra: string[] = []): string {
  const parts = [d.doc, ...extra];
  if (d.req.length) {
    parts.push(d.req.map((r) => `- ${r.level} (\`${r.id}\`): ${r.text.replace(/\s+/g, ' ')}`).join('\n'));
  }
  const text = parts.filter((p) => p.length).join('\n\n');
  if (!text.includes('\n') && indent.length + text.length + 7 <= 120) return `${indent}/** ${text} */\n`;
  return tsdoc(text, indent);
}

/** `a` or `an`, for a word. */
export function article(word: string): string {
  return /^[aeiouAEIOU]/.test(word) ? 'an' : 'a';
}

/** Module TSDoc naming the spec file: title, xref, prose. */
export function moduleDoc(f: SpecFile, extra = ''): string {
  const lines = [`${f.title} (${f.path}, version ${f.version})${f.xref ? ` — ${f.xref}` : ''}.`, '', f.doc];
  if (extra) lines.push('', extra);
  lines.push('', '@module');
  return tsdoc(lines.join('\n'));
}

// ───────────────────────────── constants.ts ─────────────────────────────

function constantLine(c: Constant): string {
  const unit = c.unit ? [`Unit: ${c.unit}.`] : [];
  return docBlock(c, '', unit) + `export const ${upper(c.id)} = ${intLiteral(c.value, c.unit === 'version')};\n`;
}

export function emitConstants(spec: Spec): GeneratedFile {
  const f = spec.constants;
  const body = f.constants.map(constantLine).join('\n');
  return { path: 'src/gen/constants.ts', content: `${header([f])}${moduleDoc(f)}\n${body}` };
}

// ───────────────────────────── errors.ts ─────────────────────────────

/** `FLOW_CONTROL_ERROR` → `FlowControlError`; `HANDSHAKE_FAILED` → `HandshakeFailedError`. */
export function errorClassName(id: string): string {
  const p = pascal(id.toLowerCase());
  return p.endsWith('Error') ? p : `${p}Error`;
}

export function emitErrors(spec: Spec): GeneratedFile {
  const f = spec.errors;
  const out: string[] = [header([f]), moduleDoc(f, 'Decode errors themselves are {@link DecodeError} and {@link EncodeError} from `src/codec/`, re-exported here.')];
  out.push(`import { DECODE_ERROR_KINDS, DecodeError, EncodeError, type DecodeErrorKind } from '../codec/errors.ts';\n\n`);
  out.push(`export { DECODE_ERROR_KINDS, DecodeError, EncodeError };\nexport type { DecodeErrorKind };\n\n`);
  out.push(tsdoc('Every transport error code, by name (RFC 9000 §20.1 for 0x00–0x10, JSP codes from 0x100).'));
  out.push('export const ErrorCode = {\n');
  for (const c of f.codes) out.push(docBlock(c, '  ') + `  ${c.id}: ${hex2(c.code)},\n`);
  out.push('} as const;\n\n');
  out.push(tsdoc('The name of a transport error code, e.g. `FRAME_ENCODING_ERROR`.'));
  out.push('export type ErrorCodeName = keyof typeof ErrorCode;\n\n');
  out.push(tsdoc('A transport error code of the table (a peer may still send others).'));
  out.push('export type ErrorCodeValue = (typeof ErrorCode)[ErrorCodeName];\n\n');

  out.push('const NAMES: ReadonlyMap<number, ErrorCodeName> = new Map(\n');
  out.push('  (Object.keys(ErrorCode) as ErrorCodeName[]).map((name) => [ErrorCode[name], name]),\n);\n\n');
  out.push(tsdoc('The name of `code`, or `UNKNOWN(0x…)` for a code outside the table (`errors.unknown-code`: still report the number).'));
  out.push('export function errorCodeName(code: number): string {\n');
  out.push('  return NAMES.get(code) ?? `UNKNOWN(0x${code.toString(16)})`;\n}\n\n');

  out.push(tsdoc([
    'What each decode error kind means, from the spec. The kinds are those of {@link DECODE_ERROR_KINDS}',
    '(the codec runtime\'s list, re-exported above): this table does not compile when the two differ.',
  ].join('\n')));
  out.push('export const DECODE_ERROR_KIND_DOCS = {\n');
  for (const k of f.decodeErrorKinds) out.push(`  ${k.id}: ${JSON.stringify(k.doc.replace(/\s+/g, ' '))},\n`);
  out.push('} as const satisfies Record<DecodeErrorKind, string>;\n\n');
  out.push(tsdoc([
    'A connection error carrying a transport error code: what a CONNECTION_CLOSE (transport variant)',
    'reports. Subclasses name each code, e.g. `throw new FlowControlError(\'stream 4 exceeded its limit\')`;',
    '`instanceof TransportError` catches them all.',
  ].join('\n')));
  out.push(`export class TransportError extends Error {
  override name = 'TransportError';
  /** The wire code, e.g. 0x07. */
  readonly code: number;
  /** The name of {@link code}, e.g. \`FRAME_ENCODING_ERROR\` (\`UNKNOWN(0x…)\` outside the table). */
  readonly codeName: string;
  /** Why, in words; sent as the close reason. */
  readonly reason: string;

  constructor(code: number, reason = '', options?: { cause?: unknown }) {
    super(\`\${errorCodeName(code)}\${reason ? \`: \${reason}\` : ''}\`, options);
    this.code = code;
    this.codeName = errorCodeName(code);
    this.reason = reason;
  }

  /** The typed error for a code: its subclass when the table has one, else a plain TransportError. */
  static of(code: number, reason = '', options?: { cause?: unknown }): TransportError {
    const Class = BY_CODE.get(code);
    return Class ? new Class(reason, options) : new TransportError(code, reason, options);
  }

  /** The connection error a decode error leads to: same code, the decoder's message as the reason. */
  static fromDecodeError(e: DecodeError): TransportError {
    return TransportError.of(e.code, e.message, { cause: e });
  }
}\n\n`);

  const classes = f.codes.filter((c) => c.code !== 0n);
  for (const c of classes) {
    const cls = errorClassName(c.id);
    out.push(docBlock(c, '', [`Code ${hex2(c.code)} (\`${c.id}\`).`]));
    out.push(`export class ${cls} extends TransportError {\n`);
    out.push(`  override name = '${cls}';\n`);
    out.push(`  constructor(reason = '', options?: { cause?: unknown }) {\n    super(ErrorCode.${c.id}, reason, options);\n  }\n}\n\n`);
  }
  out.push('const BY_CODE: ReadonlyMap<number, new (reason?: string, options?: { cause?: unknown }) => TransportError> = new Map<\n');
  out.push('  number,\n  new (reason?: string, options?: { cause?: unknown }) => TransportError\n>([\n');
  for (const c of classes) out.push(`  [ErrorCode.${c.id}, ${errorClassName(c.id)}],\n`);
  out.push(']);\n');
  return { path: 'src/gen/errors.ts', content: out.join('') };
}

// ───────────────────────────── index.ts ─────────────────────────────

const EXPORT_RE = /^export (?:declare )?(?:const|let|function|class|interface|type|enum|abstract class) ([A-Za-z_$][\w$]*)/gm;
const REEXPORT_RE = /^export (?:type )?\{([^}]*)\}/gm;

/** Names a generated module exports (top-level `export const|function|…` and `export { … }`). */
export function exportedNames(content: string): string[] {
  const names = [...content.matchAll(EXPORT_RE)].map((m) => m[1]);
  for (const m of content.matchAll(REEXPORT_RE)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/**
 * `index.ts`: `export *` from every module. Two modules exporting one name would make the name
 * ambiguous (and silently missing from the index), so that is a generator error here.
 */
export function emitIndex(spec: Spec, modules: GeneratedFile[]): GeneratedFile {
  const owner = new Map<string, string>();
  for (const m of modules) {
    for (const name of new Set(exportedNames(m.content))) {
      const prev = owner.get(name);
      if (prev) throw new Error(`codegen: '${name}' is exported by both ${prev} and ${m.path}; rename one in the spec`);
      owner.set(name, m.path);
    }
  }
  const lines = modules.map((m) => `export * from './${m.path.split('/').pop()}';`);
  const doc = tsdoc('The generated modules: constants, error codes, frames, packets, control messages, the crypto tables and key\nschedule, and the state machines.\n\n@module');
  const sources = spec.files.filter((f) => f.kind !== 'protocol');
  return { path: 'src/gen/index.ts', content: `${header(sources)}${doc}${lines.join('\n')}\n` };
}
