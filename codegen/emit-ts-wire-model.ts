/**
 * What the TypeScript wire emitters need to know about a struct beyond the IR: the TS names of
 * types, properties and locals, which fields are stored in values, how each expression reads in
 * decode and encode code, and interval bounds that let the emitters skip checks that cannot fail.
 */
import type {
  Atom, BitField, BitsField, CodeFlag, Cond, Expr, Field, IntField, IntType, Spec, Struct, WireFile,
} from './ir.ts';
import { camel, pascal, upper } from './naming.ts';

export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export const FIXED_WIDTH: Record<Exclude<IntType, 'varint'>, number> = { u8: 1, u16: 2, u32: 4, u64: 8 };

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments',
  'eval', 'undefined', 'NaN', 'Infinity',
  // names the generated functions use themselves
  'r', 'w', 'v', 'n', 'i', 'item', 'type',
]);

/** An integer literal for generated code: `20`, `0x3f`, or `4611686018427387903n` above 2^53-1. */
export function lit(v: bigint, big = false): string {
  return big || v > MAX_SAFE ? `${v}n` : `${v}`;
}

/** A JS string literal (single quotes). */
export function str(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Text for a template literal (backticks). */
export function tpl(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

export interface Interval { lo: number; hi: number }
const ANY: Interval = { lo: -Infinity, hi: Infinity };
const num = (v: bigint): number => (v > MAX_SAFE ? Infinity : Number(v));

/** A property of a value interface. */
export interface Prop {
  /** The spec id of the field, bit or flag; undefined for a union member's `type`. */
  id?: string;
  key: string;
  tsType: string;
  optional: boolean;
  doc: string;
  req: Struct['req'];
}

/** The whole file: type names, imports the struct emitters collect. */
export class WireModel {
  readonly structs: Map<string, Struct>;
  readonly members: Set<string>;
  readonly models = new Map<string, StructModel>();
  /** Constants (by spec id) the module imports from constants.ts. */
  readonly constants = new Set<string>();
  /** Message ids the module uses, with the module (spec file id) that defines each. */
  readonly messages = new Map<string, string>();
  readonly unionName?: string;

  constructor(readonly spec: Spec, readonly file: WireFile) {
    this.structs = new Map(file.structs.map((s) => [s.id, s]));
    this.members = new Set(file.union?.members ?? []);
    this.unionName = file.union ? pascal(file.union.id) : undefined;
    for (const s of file.structs) this.models.set(s.id, new StructModel(this, s));
  }

  /** `stream` → `StreamFrame` (union member), `ack_range` → `AckRange`. */
  typeName(structId: string): string {
    return pascal(structId) + (this.members.has(structId) && this.unionName ? this.unionName : '');
  }

  model(structId: string): StructModel {
    return this.models.get(structId)!;
  }

  /** The TS name of a constant, noting that the module imports it. */
  useConstant(id: string): string {
    this.constants.add(id);
    return upper(id);
  }

  /** `close_reason` → `CloseReason`, noting the import from the messages module. */
  useMessage(id: string): string {
    const mf = this.spec.messages.find((f) => f.messages.some((m) => m.id === id));
    if (!mf) throw new Error(`codegen: message '${id}' is in no messages file`);
    this.messages.set(id, mf.id);
    return pascal(id);
  }
}

type Named = { kind: 'field'; field: Field } | { kind: 'bit'; bits: BitsField; bit: BitField; shift: number } | { kind: 'flag'; flag: CodeFlag };

/** One struct: names of its properties and locals, and expression rendering. */
export class StructModel {
  readonly name: string;
  readonly member: boolean;
  readonly path: string;
  readonly props: Prop[] = [];
  readonly named = new Map<string, Named>();
  private readonly locals = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(readonly m: WireModel, readonly s: Struct) {
    this.name = m.typeName(s.id);
    this.member = m.members.has(s.id);
    this.path = s.id;
    for (const fl of s.flags) this.named.set(fl.id, { kind: 'flag', flag: fl });
    for (const f of s.fields) {
      if (f.kind === 'bits') {
        let shift = 8;
        for (const b of f.bits) {
          shift -= b.width;
          this.named.set(b.id, { kind: 'bit', bits: f, bit: b, shift });
        }
      }
      this.named.set(f.id, { kind: 'field', field: f });
    }
    // Field, bit, flag and parameter locals first, so temporaries never take their names.
    for (const p of s.params) this.local(p.id);
    for (const id of this.named.keys()) this.local(id);
    if (this.member) this.props.push({ id: undefined, key: 'type', tsType: `'${s.id}'`, optional: false, doc: `Discriminant: ${/^[aeiou]/.test(s.id) ? 'an' : 'a'} ${s.id} ${m.file.union!.id}.`, req: [] });
    for (const fl of s.flags) {
      if (!fl.presenceOf) this.props.push({ id: fl.id, key: camel(fl.id), tsType: 'boolean', optional: false, doc: fl.doc, req: fl.req });
    }
    for (const f of s.fields) {
      if (f.kind === 'bits') {
        for (const b of f.bits) {
          if (b.const === undefined) this.props.push({ id: b.id, key: camel(b.id), tsType: b.bool ? 'boolean' : 'number', optional: false, doc: b.doc, req: b.req });
        }
      } else if (this.isProp(f)) {
        this.props.push({ id: f.id, key: camel(f.id), tsType: this.tsType(f), optional: !!f.if, doc: f.doc, req: f.req });
      }
    }
    const keys = new Set<string>();
    for (const p of this.props) {
      if (keys.has(p.key)) throw new Error(`codegen: ${s.id}: two properties are named '${p.key}'`);
      keys.add(p.key);
    }
  }

  /** The local variable holding `id` in generated functions (renamed away from reserved words). */
  local(id: string): string {
    return this.reserve(`field:${id}`, camel(id));
  }

  /** A local for a temporary (`dataLength`), distinct from every field local. */
  temp(base: string): string {
    return this.reserve(`temp:${base}`, camel(base));
  }

  private reserve(key: string, want: string): string {
    let name = this.locals.get(key);
    if (name) return name;
    name = want;
    while (RESERVED.has(name) || this.taken.has(name)) name += '_';
    this.locals.set(key, name);
    this.taken.add(name);
    return name;
  }

  /** Derived (`value:`) and fixed (`const:`) int fields are not stored in values. */
  isProp(f: Field): boolean {
    if (f.kind === 'bits') return false;
    if (f.kind === 'int') return f.value === undefined && f.const === undefined;
    return true;
  }

  isDerived(f: Field): f is IntField & { value: Expr } {
    return f.kind === 'int' && f.value !== undefined;
  }

  /** A stored u64/varint whose maximum is above 2^53-1 is a bigint. */
  isBig(f: Field): boolean {
    return f.kind === 'int' && this.isProp(f) && (f.type === 'u64' || f.type === 'varint') && f.max > MAX_SAFE;
  }

  tsType(f: Field): string {
    switch (f.kind) {
      case 'int': return (this.isBig(f) ? 'bigint' : 'number') + (f.repeat ? '[]' : '');
      case 'uint': return 'number';
      case 'bytes': return 'Uint8Array';
      case 'struct': return this.m.typeName(f.struct) + (f.repeat ? '[]' : '');
      case 'message': return this.m.useMessage(f.message);
      case 'bits': throw new Error('bits fields have no type');
    }
  }

  field(id: string): Field {
    const n = this.named.get(id);
    if (!n || n.kind !== 'field') throw new Error(`codegen: ${this.s.id}: '${id}' is not a field`);
    return n.field;
  }

  /** `'stream.offset'` — the path errors name. */
  what(id: string): string {
    return str(`${this.path}.${id}`);
  }

  // ───────────────────────────── expressions ─────────────────────────────

  /** Fields (by id) an expression reads that are optional, so a check must first test presence. */
  optionalRefs(e: Expr): string[] {
    const out: string[] = [];
    for (const { atom } of e.terms) {
      if (atom.kind === 'field' || atom.kind === 'len' || atom.kind === 'count') {
        const n = this.named.get(atom.id);
        if (n?.kind === 'field' && n.field.if && !out.includes(atom.id)) out.push(atom.id);
      }
    }
    return out;
  }

  /** True when an atom holds a bigint at run time (a stored field above 2^53-1, or a big constant). */
  private atomBig(a: Atom): boolean {
    if (a.kind === 'const' || a.kind === 'int') return a.value > MAX_SAFE;
    if (a.kind !== 'field') return false;
    const n = this.named.get(a.id);
    return n?.kind === 'field' && this.isBig(n.field);
  }

  exprIsBig(...es: Expr[]): boolean {
    return es.some((e) => e.terms.some((t) => this.atomBig(t.atom)));
  }

  /**
   * Renders an expression. `side` chooses how fields read: `decode` uses the locals of the
   * decoder, `encode` the properties of `v` (derived fields: the locals the encoder computed).
   * `big` renders in bigint arithmetic.
   */
  expr(e: Expr, side: 'decode' | 'encode', big = false): string {
    const parts = e.terms.map((t, i) => {
      const a = this.atom(t.atom, side, big);
      if (i === 0) return t.sign === -1 ? `-${a}` : a;
      return `${t.sign === -1 ? '-' : '+'} ${a}`;
    });
    return parts.join(' ');
  }

  private atom(a: Atom, side: 'decode' | 'encode', big: boolean): string {
    const wrap = (s: string, isBig: boolean) => (big && !isBig ? `BigInt(${s})` : s);
    switch (a.kind) {
      case 'int': return lit(a.value, big);
      case 'const': return wrap(this.m.useConstant(a.id), a.value > MAX_SAFE);
      case 'param':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: an encoder has no parameter '${a.id}'`);
        return wrap(this.local(a.id), false);
      case 'rest':
        if (side === 'encode') throw new Error(`codegen: ${this.s.id}: 'rest' has no meaning when encoding`);
        return wrap('r.remaining', false);
      case 'len': case 'count':
        return wrap(side === 'decode' ? `${this.local(a.id)}.length` : `v.${camel(a.id)}.length`, false);
      case 'field': return this.fieldAtom(a.id, side, big);
    }
  }

  private fieldAtom(id: string, side: 'decode' | 'encode', big: boolean): string {
    const n = this.named.get(id)!;
    const wrap = (s: string) => (big ? `BigInt(${s})` : s);
    if (n.kind === 'flag' || (n.kind === 'bit' && n.bit.bool)) return wrap(`(${this.flag(id, side)} ? 1 : 0)`);
    if (n.kind === 'bit') {
      if (n.bit.const !== undefined) return lit(n.bit.const, big);
      return wrap(side === 'decode' ? this.local(id) : `v.${camel(id)}`);
    }
    const f = n.field;
    if (f.kind === 'int' && f.const !== undefined) return lit(f.const, big);
    const isBig = this.isBig(f);
    const s = side === 'decode' || this.isDerived(f) ? this.local(id) : `v.${camel(id)}`;
    return big && !isBig ? `BigInt(${s})` : s;
  }

  /** A boolean flag (code flag or bool bit) as an expression. */
  flag(id: string, side: 'decode' | 'encode'): string {
    const n = this.named.get(id)!;
    if (side === 'decode') return this.local(id);
    if (n.kind === 'flag' && n.flag.presenceOf) return `v.${camel(n.flag.presenceOf)} !== undefined`;
    return `v.${camel(id)}`;
  }

  /** A presence condition (`has_offset`, `!application`). */
  cond(c: Cond, side: 'decode' | 'encode'): string {
    const f = this.flag(c.flag, side);
    if (!c.negate) return f;
    return f.endsWith(' !== undefined') ? f.replace(/ !== undefined$/, ' === undefined') : `!${f}`;
  }

  // ───────────────────────────── bounds ─────────────────────────────

  /** Bounds of a field's value once the decoder (or encoder) has checked it. */
  fieldBounds(id: string): Interval {
    const n = this.named.get(id);
    if (!n) return ANY;
    if (n.kind === 'flag') return { lo: 0, hi: 1 };
    if (n.kind === 'bit') {
      if (n.bit.const !== undefined) return { lo: num(n.bit.const), hi: num(n.bit.const) };
      return { lo: 0, hi: num(n.bit.max) };
    }
    const f = n.field;
    if (f.kind === 'int' && f.const !== undefined) return { lo: num(f.const), hi: num(f.const) };
    if (f.kind === 'int' || f.kind === 'uint') return { lo: num(f.min), hi: num(f.max) };
    return ANY;
  }

  /** Bounds of `len(id)` / `count(id)` once checked. */
  sizeBounds(id: string): Interval {
    const f = this.named.get(id);
    if (f?.kind !== 'field') return ANY;
    const x = f.field;
    if (x.kind === 'bytes') return { lo: x.minSize, hi: x.maxSize };
    if ((x.kind === 'int' || x.kind === 'struct') && x.repeat) return { lo: x.minCount ?? 0, hi: x.maxCount ?? Infinity };
    return ANY;
  }

  bounds(e: Expr): Interval {
    let lo = 0;
    let hi = 0;
    for (const { sign, atom } of e.terms) {
      let b: Interval;
      switch (atom.kind) {
        case 'int': case 'const': b = { lo: num(atom.value), hi: num(atom.value) }; break;
        case 'field': b = this.fieldBounds(atom.id); break;
        case 'len': case 'count': b = this.sizeBounds(atom.id); break;
        case 'rest': b = { lo: 0, hi: Infinity }; break;
        default: b = ANY;
      }
      if (sign === 1) { lo += b.lo; hi += b.hi; } else { lo -= b.hi; hi -= b.lo; }
    }
    return { lo: Number.isNaN(lo) ? -Infinity : lo, hi: Number.isNaN(hi) ? Infinity : hi };
  }

  /**
   * The expression as a linear combination, derived fields replaced by their `value:`
   * expressions: `{ 'len:payload': 1n }` for `length - packet_number_length - 1` when
   * `length = packet_number_length + 1 + len(payload)`. Lets the encoder see that a size is
   * implied by the derived fields it writes, so it needs no check.
   */
  linear(e: Expr, depth = 0): Map<string, bigint> {
    if (depth > 16) throw new Error(`codegen: ${this.s.id}: derived fields refer to each other in a cycle`);
    const out = new Map<string, bigint>();
    const add = (k: string, c: bigint) => {
      const v = (out.get(k) ?? 0n) + c;
      if (v === 0n) out.delete(k); else out.set(k, v);
    };
    for (const { sign, atom } of e.terms) {
      const s = BigInt(sign);
      if (atom.kind === 'int' || atom.kind === 'const') { add('1', s * atom.value); continue; }
      if (atom.kind === 'field') {
        const n = this.named.get(atom.id);
        if (n?.kind === 'field' && this.isDerived(n.field)) {
          for (const [k, c] of this.linear(n.field.value, depth + 1)) add(k, s * c);
          continue;
        }
        if (n?.kind === 'field' && n.field.kind === 'int' && n.field.const !== undefined) { add('1', s * n.field.const); continue; }
        if (n?.kind === 'bit' && n.bit.const !== undefined) { add('1', s * n.bit.const); continue; }
      }
      add(`${atom.kind}:${'id' in atom ? atom.id : ''}`, s);
    }
    return out;
  }

  /** Derived fields in an order where each comes after the derived fields its expression uses. */
  derivedOrder(): Array<IntField & { value: Expr }> {
    const derived = this.s.fields.filter((f): f is IntField & { value: Expr } => this.isDerived(f));
    const done = new Set<string>();
    const out: Array<IntField & { value: Expr }> = [];
    const visit = (f: IntField & { value: Expr }, stack: string[]) => {
      if (done.has(f.id)) return;
      if (stack.includes(f.id)) throw new Error(`codegen: ${this.s.id}: derived fields form a cycle: ${[...stack, f.id].join(' -> ')}`);
      for (const { atom } of f.value.terms) {
        const dep = atom.kind === 'field' ? derived.find((d) => d.id === atom.id) : undefined;
        if (dep) visit(dep, [...stack, f.id]);
      }
      done.add(f.id);
      out.push(f);
    };
    for (const f of derived) visit(f, []);
    return out;
  }

  /**
   * Whether decoding makes a derived field equal its expression by construction: a later size or
   * count is computed from it and, with the derived fields replaced by their expressions, is
   * exactly `len(x)`/`count(x)` of the field it sizes (`dcid_length` → `dcid`, Initial `length` →
   * `payload`). Other derived fields are checked after decoding (`constraint`).
   */
  impliedOnDecode(id: string): boolean {
    const uses = (e: Expr) => e.terms.some((t) => t.atom.kind === 'field' && t.atom.id === id);
    const exact = (e: Expr, key: string) => {
      const l = this.linear(e);
      return l.size === 1 && l.get(key) === 1n;
    };
    return this.s.fields.some((f) => {
      if ((f.kind === 'bytes' || f.kind === 'message') && f.size.kind === 'expr') return uses(f.size.expr) && exact(f.size.expr, `len:${f.id}`);
      if ((f.kind === 'int' || f.kind === 'struct') && f.repeat?.kind === 'count') return uses(f.repeat.count) && exact(f.repeat.count, `count:${f.id}`);
      return false;
    });
  }
}

/** Bytes of a fixed-width int type, or undefined for a varint. */
export function fixedWidth(t: IntType): number | undefined {
  return t === 'varint' ? undefined : FIXED_WIDTH[t];
}
