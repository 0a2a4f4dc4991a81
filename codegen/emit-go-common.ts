/** Shared pieces of the Go emitter: headers, identifiers, doc comments, constants.go and errors.go. */
import type { GeneratedFile } from './emit.ts';
import type { Documented, Spec, SpecFile } from './ir.ts';
import { pascal } from './naming.ts';

export function goHeader(sources: SpecFile[]): string {
  const lines = sources.map((s) => `// GENERATED from ${s.path} (sha256 ${s.sha256.slice(0, 16)}) — do not edit.`);
  lines.push('// Regenerate with `npx jsp codegen --lang go --out DIR`.');
  return lines.join('\n') + '\n';
}

/** Exported Go name of a spec id: `max_stream_data` → `MaxStreamData`. */
export const goName = (id: string): string => pascal(id);

/** A Go string literal. */
export const goStr = (s: string): string => JSON.stringify(s);

/** Spec prose (and requirements) as a `//` comment block. */
export function goDoc(d: Documented | string, indent = ''): string {
  const text = typeof d === 'string' ? d : [d.doc.trim(), ...d.req.map((r) => `${r.id} (${r.level}): ${r.text}`)].filter(Boolean).join('\n');
  if (!text.trim()) return '';
  return text.trim().split('\n').map((l) => `${indent}//${l.trim() ? ' ' + l.trimEnd() : ''}`).join('\n') + '\n';
}

export function goInt(v: bigint): string {
  return v > 0xffffn ? `0x${v.toString(16)}` : String(v);
}

export function emitGoConstants(spec: Spec): GeneratedFile {
  const f = spec.constants;
  const out: string[] = [goHeader([f]), goDoc(f), '\npackage jspcodec\n\n'];
  for (const c of f.constants) {
    out.push(goDoc(c));
    out.push(`const ${goName(c.id)} uint64 = ${c.unit === 'version' ? `0x${c.value.toString(16)}` : goInt(c.value)}\n\n`);
  }
  return { path: 'constants.go', content: out.join('').replace(/\n+$/, '\n') };
}

export function emitGoErrors(spec: Spec): GeneratedFile {
  const f = spec.errors;
  const out: string[] = [goHeader([f]), goDoc(f), '\npackage jspcodec\n\nimport "fmt"\n\n'];
  for (const c of f.codes) {
    out.push(goDoc(c));
    out.push(`var Err${goName(c.id.toLowerCase())} = ErrorCode{0x${c.code.toString(16)}, ${goStr(c.id)}}\n\n`);
  }
  out.push('// ErrorCodes lists every transport error code.\n');
  out.push(`var ErrorCodes = []ErrorCode{${f.codes.map((c) => `Err${goName(c.id.toLowerCase())}`).join(', ')}}\n\n`);
  out.push('// ErrorCodeName is the name of code, or UNKNOWN(0x…) outside the table.\nfunc ErrorCodeName(code uint64) string {\n\tfor _, c := range ErrorCodes {\n\t\tif c.Code == code {\n\t\t\treturn c.Name\n\t\t}\n\t}\n\treturn fmt.Sprintf("UNKNOWN(0x%x)", code)\n}\n');
  return { path: 'errors.go', content: out.join('') };
}

const GO_KEYWORDS = new Set(('break default func interface select case defer go map struct chan else goto package switch const ' +
  'fallthrough if range type continue for import return var len cap append copy make new string byte int bool error true false nil').split(' '));
const RESERVED = new Set(['r', 'w', 'v', 'x', 'n', 'at', 'tag', 'run', 'out', 'input', 'first', 'tmp', 'err', 'sub', 'j', 'data', 'i', 'y', 'p', 'code']);

/** A Go local for a spec id. */
export function goLocal(id: string): string {
  const c = id.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
  return GO_KEYWORDS.has(c) || RESERVED.has(c) ? `${c}_` : c;
}

/** Lines of Go at an indent (a tab a level); `ret` is what precedes the error in a failing return. */
export class GoCode {
  readonly lines: string[] = [];
  constructor(public ret: string, private ind = '\t') {}
  line(s: string): void { this.lines.push(this.ind + s); }
  block(head: string, body: () => void, tail = ''): void {
    this.line(head ? `${head} {` : '{');
    const saved = this.ind;
    this.ind += '\t';
    body();
    this.ind = saved;
    this.line(`}${tail}`);
  }
  when(test: string, stmt: string): void {
    this.line(`if ${test} {`);
    this.line(`\t${stmt}`);
    this.line('}');
  }
  /** `if test { return …, r.Fail(kind, what, detail) }` */
  fail(test: string, r: string, kind: string, what: string, detail: string): void {
    this.when(test, `return ${this.ret}${r}.Fail(${goStr(kind)}, ${what}, ${detail})`);
  }
  encFail(test: string, kind: string, what: string, detail: string): void {
    this.when(test, `return ${this.ret}encErr(${goStr(kind)}, ${what}, ${detail})`);
  }
  /** `lhs, err := call` (or `=` when assign) and the error check. */
  try(lhs: string, call: string, assign = false): void {
    this.line(lhs ? `${lhs}, err ${assign ? '=' : ':='} ${call}` : `err ${assign ? '=' : ':='} ${call}`);
    this.when('err != nil', `return ${this.ret}err`);
  }
  /** A call returning only an error. */
  check(call: string): void {
    this.when(`err := ${call}; err != nil`, `return ${this.ret}err`);
  }
  text(): string { return this.lines.join('\n') + '\n'; }
}

/** fmt.Sprintf of a Rust-style `{}` format (or a plain string literal). */
export function gfmt(text: string, ...args: string[]): string {
  if (!args.length) return goStr(text);
  return `fmt.Sprintf(${goStr(text.replace(/%/g, '%%').replace(/\{\}/g, '%v'))}, ${args.join(', ')})`;
}
