/**
 * What the Python wire emitters know about one struct: Python names of its class, functions,
 * attributes and locals, and how its expressions read in decode and encode code. The analysis of
 * the IR (derived fields, bounds, implied sizes) is the TypeScript emitter's `StructModel`, reused.
 */
import type { Atom, Cond, EnumDef, Expr, IntType, Struct, WireFile } from './ir.ts';
import { INT_TYPE_MAX } from './ir.ts';
import { upper } from './naming.ts';
import { type Interval, type StructModel, type WireModel } from './emit-ts-wire-model.ts';
import { pyInt, pyName, pyStr, snakeOfType } from './emit-python-common.ts';

/** Python keywords: attributes named so get a `_` suffix (the JSON key stays the spec id). */
const KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except ' +
  'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield').split(' '));

export function pyAttr(id: string): string {
  return KEYWORDS.has(id) ? `${id}_` : id;
}

/** Lines of Python at an indent (four spaces a level). */
export class PyCode {
  readonly lines: string[] = [];
  constructor(private ind = '    ') {}
  line(s: string): void {
    this.lines.push(this.ind + s);
  }
  /** `head:` (a trailing `  # comment` of head goes after the colon) and an indented body. */
  block(head: string, body: () => void): void {
    const at = head.indexOf('  # ');
    this.line(at < 0 ? `${head}:` : `${head.slice(0, at)}:${head.slice(at)}`);
    const saved = this.ind;
    this.ind += '    ';
    const before = this.lines.length;
    body();
    if (this.lines.length === before) this.line('pass');
    this.ind = saved;
  }
  /** `if test:` with one statement under it. */
  when(test: string, stmt: string): void {
    this.line(`if ${test}:`);
    this.line(`    ${stmt}`);
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** Bytes of a fixed-width int type, or undefined for a varint. */
export function widthOf(t: IntType): number | undefined {
  return { u8: 1, u16: 2, u32: 4, u64: 8, varint: undefined }[t];
}

/** The test that int `x` is outside a closed enum's table (undefined when no value in `range` can be). */
export function pyEnumTest(x: string, e: EnumDef, range: Interval): string | undefined {
  if (e.unknown === 'keep') return undefined;
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = vals[0];
  const hi = vals[vals.length - 1];
  if (hi - lo + 1n === BigInt(vals.length)) {
    const parts: string[] = [];
    if (Number(lo) > range.lo) parts.push(`${x} < ${pyInt(lo)}`);
    if (Number(hi) < range.hi) parts.push(`${x} > ${pyInt(hi)}`);
    return parts.length ? parts.join(' or ') : undefined;
  }
  return `${x} not in (${vals.map((v) => pyInt(v)).join(', ')})`;
}

export const NEGATE = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;

/** One struct, as the Python emitters see it. */
export class PyStruct {
  /** `StreamFrame`. */
  readonly cls: string;
  /** `stream_frame` (in `read_stream_frame`, `encode_stream_frame`). */
  readonly fn: string;
  readonly s: Struct;
  readonly file: WireFile;
  private readonly locals = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(readonly sm: StructModel, readonly py: PyWire) {
    this.s = sm.s;
    this.file = sm.m.file;
    this.cls = sm.name;
    this.fn = snakeOfType(sm.name);
    for (const p of this.s.params) this.local(p.id);
    for (const id of sm.named.keys()) this.local(id);
  }

  get member(): boolean {
    return this.sm.member;
  }

  /** The local holding field/bit/flag/param `id` in generated functions. */
  local(id: string): string {
    return this.reserve(`field:${id}`, pyName(id));
  }

  /** A local for a temporary (`data_length`), distinct from every field local. */
  temp(base: string): string {
    return this.reserve(`temp:${base}`, pyName(base));
  }

  private reserve(key: string, want: string): string {
    let name = this.locals.get(key);
    if (name) return name;
    name = want;
    while (this.taken.has(name)) name += '_';
    this.locals.set(key, name);
    this.taken.add(name);
    return name;
  }

  /** `'stream.offset'`: the path errors name. */
  what(id: string): string {
    return pyStr(`${this.s.id}.${id}`);
  }

  /** The local holding the encoded bytes of message field `id` while encoding. */
  encodedLocal(id: string): string {
    return this.temp(`${id}_bytes`);
  }

  // ───────────────────────────── expressions ─────────────────────────────

  /** An expression in Python: `decode` reads the decoder's locals, `encode` the attributes of `v`. */
  expr(e: Expr, side: 'decode' | 'encode'): string {
    return e.terms.map((t, i) => {
      const a = this.atom(t.atom, side);
      if (i === 0) return t.sign === -1 ? `-${a}` : a;
      return `${t.sign === -1 ? '-' : '+'} ${a}`;
    }).join(' ');
  }

  private atom(a: Atom, side: 'decode' | 'encode'): string {
    switch (a.kind) {
      case 'int': return pyInt(a.value);
      case 'const': return this.py.useConstant(a.id);
      case 'param':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: an encoder has no parameter '${a.id}'`);
        return this.local(a.id);
      case 'rest':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: 'rest' has no meaning when encoding`);
        return 'r.remaining';
      case 'len': case 'count': {
        if (side === 'decode') return `len(${this.local(a.id)})`;
        const f = this.sm.named.get(a.id);
        if (f?.kind === 'field' && f.field.kind === 'message') return `len(${this.encodedLocal(a.id)})`;
        return `len(v.${pyAttr(a.id)})`;
      }
      case 'field': return this.fieldAtom(a.id, side);
    }
  }

  private fieldAtom(id: string, side: 'decode' | 'encode'): string {
    const n = this.sm.named.get(id)!;
    if (n.kind === 'flag' || (n.kind === 'bit' && n.bit.bool)) return `int(${this.flag(id, side)})`;
    if (n.kind === 'bit') {
      if (n.bit.const !== undefined) return pyInt(n.bit.const);
      return side === 'decode' ? this.local(id) : `v.${pyAttr(id)}`;
    }
    const f = n.field;
    if (f.kind === 'int' && f.const !== undefined) return pyInt(f.const);
    return side === 'decode' || this.sm.isDerived(f) ? this.local(id) : `v.${pyAttr(id)}`;
  }

  /** A boolean flag (code flag or bool bit) as an expression. */
  flag(id: string, side: 'decode' | 'encode'): string {
    const n = this.sm.named.get(id)!;
    if (side === 'decode') return this.local(id);
    if (n.kind === 'flag' && n.flag.presenceOf) return `v.${pyAttr(n.flag.presenceOf)} is not None`;
    return `v.${pyAttr(id)}`;
  }

  /** A presence condition (`has_offset`, `not application`). */
  cond(c: Cond, side: 'decode' | 'encode'): string {
    const f = this.flag(c.flag, side);
    if (!c.negate) return f;
    return f.endsWith(' is not None') ? f.replace(/ is not None$/, ' is None') : `not ${f}`;
  }

  /** `offset is not None and ` for each optional field an expression names (decode locals or `v.` attributes). */
  guard(exprs: Expr[], side: 'decode' | 'encode'): string {
    const ids = [...new Set(exprs.flatMap((e) => this.sm.optionalRefs(e)))];
    return ids.map((id) => `${side === 'decode' ? this.local(id) : `v.${pyAttr(id)}`} is not None and `).join('');
  }

  bounds(e: Expr): Interval {
    return this.sm.bounds(e);
  }
}

/** The whole wire file: its structs, and the constants and messages the module imports. */
export class PyWire {
  readonly structs = new Map<string, PyStruct>();
  readonly constants = new Set<string>();
  /** Message ids the module uses (from the messages module). */
  readonly messages = new Set<string>();

  constructor(readonly m: WireModel) {
    for (const s of m.file.structs) this.structs.set(s.id, new PyStruct(m.model(s.id), this));
  }

  get file(): WireFile {
    return this.m.file;
  }

  struct(id: string): PyStruct {
    return this.structs.get(id)!;
  }

  /** A constant's Python name, noting the import from constants.py. */
  useConstant(id: string): string {
    this.constants.add(id);
    return upper(id);
  }

  /** `close_reason` → `CloseReason`, noting the import from the messages module. */
  useMessage(id: string): string {
    this.messages.add(id);
    return id.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  }
}

/** Largest value the reader returns for an int type (Python ints are unbounded: every spec range is checked). */
export function naturalMax(t: IntType): bigint {
  return INT_TYPE_MAX[t];
}
