/**
 * The C99 emitter (`jsp codegen --lang c --out DIR`): a libc-only codec and a conformance adapter.
 *
 * - `jsp_runtime.h/.c` — reader/writer, QUIC varints, protobuf helpers, errors (`emit-c-runtime.ts`)
 * - `jsp_constants.h`, `jsp_errors.h`
 * - `jsp_<file>.h/.c` per wire file (frames, packets) and messages file (messages)
 * - `adapter.c`, `adapter` (shell script: `make -s` on first use, then exec adapter_bin), `Makefile`
 *
 * Memory model: decoders never allocate. Byte/string fields are `jsp_bytes` views into the input
 * (zero-copy: the input must outlive the value); repeated fields are bounded arrays sized by the
 * spec's max counts (`x[MAX]` + `x_count`); optional fields have a `has_x` flag.
 * Decoders return 0, or -1 with `*err` set (the first defect, same precedence as the TS codec).
 * Encoders write the canonical encoding; they trust the value (a value a decoder produced is valid)
 * and check only the buffer capacity: `jsp_encode_x` returns the size, or 0 with err->kind
 * "buffer_too_small" (`jsp_encoded_size_x` gives the size needed).
 */
import type { GeneratedFile } from './emit.ts';
import type { Cond, EnumDef, Expr, Field, Message, MessagesFile, PbField, Spec, Struct, WireFile } from './ir.ts';
import { codecFiles, INT_TYPE_MAX } from './ir.ts';
import { WireModel, type StructModel } from './emit-ts-wire-model.ts';
import { emitCRuntime } from './emit-c-runtime.ts';

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const KEYWORDS = new Set(['auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool']);
export const cName = (id: string): string => (KEYWORDS.has(id) ? `${id}_` : id);
const cStr = (s: string): string => JSON.stringify(s);
const u64 = (v: bigint): string => `${v}ull`;
const i64 = (v: bigint | number): string => `INT64_C(${v})`;
const NEG: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function comment(text: string, indent = ''): string {
  const t = text.trim().replace(/\*\//g, '* /');
  if (!t) return '';
  const lines = t.split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l.trim() ? ' ' + l.trimEnd() : ''}`).join('\n')}\n${indent} */\n`;
}

const HEADER = (spec: Spec) => codecFiles(spec).map((s) => `/* GENERATED from ${s.path} (sha256 ${s.sha256.slice(0, 16)}) by jsp codegen --lang c — do not edit. */`).join('\n') + '\n';

/** C code builder with indentation. */
class Code {
  lines: string[] = [];
  ind = 1;
  line(s: string): void { this.lines.push('  '.repeat(this.ind) + s); }
  block(head: string, body: () => void): void { this.line(head ? `${head} {` : '{'); this.ind++; body(); this.ind--; this.line('}'); }
  text(): string { return this.lines.join('\n') + '\n'; }
}

function errorOf(spec: Spec, id: string): { code: string; name: string } {
  const e = spec.errors.codes.find((c) => c.id === id)!;
  return { code: `${e.code}`, name: e.id };
}

function enumInvalid(e: EnumDef, x: string): string | undefined {
  if (e.unknown !== 'error') return undefined;
  return `!(${e.values.map((v) => `${x} == ${u64(v.value)}`).join(' || ')})`;
}

// ───────────────────────────── wire files ─────────────────────────────

interface WCtx { spec: Spec; file: WireFile; wm: WireModel; err: { code: string; name: string } }

const tname = (c: WCtx, id: string) => `jsp_${snake(c.wm.typeName(id))}_t`;
const fname = (c: WCtx, id: string) => snake(c.wm.typeName(id));
const msgT = (id: string) => `jsp_${id}_t`;

function maxCountOf(c: WCtx, s: Struct, f: Field): number {
  const mc = (f as { maxCount?: number }).maxCount;
  if (mc === undefined || !Number.isFinite(mc)) throw new Error(`codegen c: ${s.id}.${f.id}: repeated field needs a finite max_count`);
  return mc;
}

function structDecl(c: WCtx, s: Struct): string {
  const sm = c.wm.model(s.id);
  const out: string[] = [];
  out.push(comment(s.doc));
  out.push(`typedef struct ${tname(c, s.id)} {\n`);
  let n = 0;
  for (const fl of s.flags) {
    if (fl.presenceOf) continue;
    out.push(comment(fl.doc, '  ') + `  int ${cName(fl.id)};\n`); n++;
  }
  for (const f of s.fields) {
    if (f.kind === 'bits') {
      for (const b of f.bits) if (b.const === undefined) { out.push(comment(b.doc, '  ') + `  ${b.bool ? 'int' : 'uint64_t'} ${cName(b.id)};\n`); n++; }
      continue;
    }
    if (!sm.isProp(f)) continue;
    const doc = comment(f.doc, '  ');
    if (f.if) { out.push(`  int has_${f.id}; /* ${f.id} is present (${f.if.text}) */\n`); }
    let t: string;
    switch (f.kind) {
      case 'int': case 'uint': t = 'uint64_t'; break;
      case 'bytes': t = 'jsp_bytes'; break;
      case 'struct': t = tname(c, f.struct); break;
      case 'message': t = msgT(f.message); break;
    }
    if ((f.kind === 'int' || f.kind === 'struct') && f.repeat) {
      const mc = maxCountOf(c, s, f);
      out.push(doc + `  ${t} ${cName(f.id)}[${mc}];\n  size_t ${f.id}_count;\n`);
    } else out.push(doc + `  ${t} ${cName(f.id)};\n`);
    n++;
  }
  if (!n) out.push('  char empty_; /* C99 has no empty structs */\n');
  out.push(`} ${tname(c, s.id)};\n`);
  return out.join('');
}

/** Renders an expression. */
function expr(c: WCtx, sm: StructModel, e: Expr, side: 'decode' | 'encode'): string {
  const parts = e.terms.map(({ sign, atom }, i) => {
    let a: string;
    switch (atom.kind) {
      case 'int': a = i64(atom.value); break;
      case 'const': a = i64(atom.value); break;
      case 'param': a = `p_${atom.id}`; break;
      case 'rest': a = '(int64_t)(r->end - r->pos)'; break;
      case 'len': a = `(int64_t)${side === 'decode' ? 'out' : 'v'}->${cName(atom.id)}.len`; break;
      case 'count': a = `(int64_t)${side === 'decode' ? 'out' : 'v'}->${atom.id}_count`; break;
      case 'field': a = fieldRef(c, sm, atom.id, side); break;
    }
    return (i === 0 ? (sign < 0 ? '-' : '') : sign < 0 ? ' - ' : ' + ') + a;
  });
  return parts.length === 1 ? parts[0] : `(${parts.join('')})`;
}

function findNamed(s: Struct, id: string): { kind: 'field'; f: Field } | { kind: 'bit'; bool: boolean } | { kind: 'flag'; presenceOf?: string } {
  for (const fl of s.flags) if (fl.id === id) return { kind: 'flag', presenceOf: fl.presenceOf };
  for (const f of s.fields) {
    if (f.id === id) return { kind: 'field', f };
    if (f.kind === 'bits') for (const b of f.bits) if (b.id === id) return { kind: 'bit', bool: b.bool };
  }
  throw new Error(`codegen c: ${s.id}: no field '${id}'`);
}

function fieldRef(c: WCtx, sm: StructModel, id: string, side: 'decode' | 'encode'): string {
  const n = findNamed(sm.s, id);
  if (n.kind === 'field' && n.f.kind === 'int' && (n.f.value || n.f.const !== undefined)) {
    if (n.f.const !== undefined) return i64(n.f.const);
    return side === 'decode' ? `(int64_t)l_${id}` : `d_${id}`;
  }
  return `(int64_t)${side === 'decode' ? 'out' : 'v'}->${cName(id)}`;
}

function cond(c: WCtx, sm: StructModel, k: Cond, side: 'decode' | 'encode'): string {
  const n = findNamed(sm.s, k.flag);
  let x: string;
  if (n.kind === 'flag' && n.presenceOf) x = side === 'decode' ? `fl_${k.flag}` : `v->has_${n.presenceOf}`;
  else x = `${side === 'decode' ? 'out' : 'v'}->${cName(k.flag)}`;
  return k.negate ? `!${x}` : x;
}

/** Guard of a constraint: every optional field it names is present. */
function guard(c: WCtx, sm: StructModel, es: Expr[], side: 'decode' | 'encode'): string {
  const gs: string[] = [];
  for (const e of es) for (const { atom } of e.terms) {
    if (atom.kind !== 'field' && atom.kind !== 'len' && atom.kind !== 'count') continue;
    const n = findNamed(sm.s, atom.id);
    if (n.kind === 'field' && n.f.if) gs.push(cond(c, sm, n.f.if, side));
  }
  return gs.length ? `${[...new Set(gs)].join(' && ')} && ` : '';
}

function failS(kind: string, what: string, at = 'r->pos'): string {
  return `return jsp_fail(r, "${kind}", ${cStr(what)}, ${at});`;
}

function readStruct(c: WCtx, s: Struct): string {
  const sm = c.wm.model(s.id);
  const L = new Code();
  const w = (id: string) => `${s.id}.${id}`;
  const decls = new Set<string>();
  L.line('uint64_t x_ = 0;');
  L.line('int64_t n_ = 0;');
  L.line('(void)x_; (void)n_; (void)r;');
  L.line('memset(out, 0, sizeof *out);');
  if (sm.member) {
    for (const fl of s.flags) {
      const t = `(type_ & 0x${(1 << fl.bit).toString(16)}u) != 0`;
      if (fl.presenceOf) { L.line(`int fl_${fl.id} = ${t};`); } else L.line(`out->${cName(fl.id)} = ${t};`);
    }
    L.line('(void)type_;');
  }
  for (const f of s.fields) {
    if (f.kind === 'int' && !f.repeat && !sm.isProp(f)) { L.line(`uint64_t l_${f.id} = 0;`); decls.add(f.id); }
    if (f.kind === 'bits') L.line(`uint64_t b_${f.id} = 0;`);
  }
  const intChecks = (f: Extract<Field, { kind: 'int' }>, x: string) => {
    if (f.const !== undefined) { L.line(`if (${x} != ${u64(f.const)}) ${failS('invalid_const', w(f.id))}`); return; }
    const t: string[] = [];
    if (f.min > 0n) t.push(`${x} < ${u64(f.min)}`);
    if (f.max < INT_TYPE_MAX[f.type] && !(f.type === 'u64' && f.max === INT_TYPE_MAX.u64)) t.push(`${x} > ${u64(f.max)}`);
    if (t.length) L.line(`if (${t.join(' || ')}) ${failS('out_of_range', w(f.id))}`);
    if (f.enum) {
      const e = c.file.enums.find((d) => d.id === f.enum)!;
      const bad = enumInvalid(e, x);
      if (bad) L.line(`if (${bad}) ${failS('invalid_enum', w(f.id))}`);
    }
  };
  const readInt = (type: string, what: string, into: string) =>
    type === 'varint' ? `jsp_rd_varint(r, ${cStr(what)}, &${into})` : type === 'u8' ? `jsp_rd_u8(r, ${cStr(what)}, &${into})` : `jsp_rd_uint(r, ${({ u16: 2, u32: 4, u64: 8 } as Record<string, number>)[type]}, ${cStr(what)}, &${into})`;
  const repeatLoop = (f: Extract<Field, { kind: 'int' | 'struct' }>, element: () => void) => {
    const mc = maxCountOf(c, s, f);
    const minCount = f.minCount ?? 0;
    const rep = f.repeat!;
    if (rep.kind === 'count') {
      L.line(`n_ = ${expr(c, sm, rep.count, 'decode')};`);
      if (minCount === 0) L.line(`if (n_ < 0) ${failS('out_of_range', w(f.id))}`);
      L.line(`if (n_ > ${mc}) ${failS('too_many', w(f.id))}`);
      if (minCount > 0) L.line(`if (n_ < ${minCount}) ${failS('out_of_range', w(f.id))}`);
      L.block(`for (out->${f.id}_count = 0; (int64_t)out->${f.id}_count < n_; out->${f.id}_count++)`, element);
      return;
    }
    L.block('while (r->pos < r->end)', () => {
      L.line(`if (out->${f.id}_count == ${mc}) ${failS('too_many', w(f.id))}`);
      element();
      L.line(`out->${f.id}_count++;`);
    });
    if (minCount > 0) L.line(`if (out->${f.id}_count < ${minCount}) ${failS('out_of_range', w(f.id))}`);
  };
  const sizeChecks = (f: Extract<Field, { kind: 'bytes' | 'message' }>, n: string) => {
    const min = f.kind === 'bytes' ? f.minSize : 0;
    const t = [`${n} < ${min}`];
    if (Number.isFinite(f.maxSize)) t.push(`${n} > ${i64(f.maxSize)}`);
    L.line(`if (${t.join(' || ')}) ${failS('out_of_range', w(f.id))}`);
  };
  const take = (f: Extract<Field, { kind: 'bytes' | 'message' }>, n: string) => {
    const x = `out->${cName(f.id)}`;
    if (f.kind === 'bytes') L.line(`if (jsp_rd_bytes(r, ${n}, ${cStr(w(f.id))}, &${x}) < 0) return -1;`);
    else L.block('', () => {
      L.line('jsp_reader sub_;');
      L.line(`if (jsp_rd_sub(r, ${n}, ${cStr(w(f.id))}, &sub_) < 0) return -1;`);
      L.line('sub_.fixed = 1; /* a control message inside a binary struct fails with this file\'s code */');
      L.line(`if (jsp_read_${f.message}(&sub_, &${x}) < 0) return -1;`);
    });
  };
  const toEnd = (f: Extract<Field, { kind: 'bytes' | 'message' }>) => {
    L.line('n_ = (int64_t)(r->end - r->pos); /* runs to the end of the input */');
    if (f.kind === 'bytes') { L.line(`jsp_rd_rest(r, &out->${cName(f.id)});`); sizeChecks(f, 'n_'); return; }
    sizeChecks(f, 'n_');
    take(f, 'n_');
  };
  const readSized = (f: Extract<Field, { kind: 'bytes' | 'message' }>) => {
    const size = f.size;
    switch (size.kind) {
      case 'fixed': take(f, `${size.n}`); return;
      case 'expr': L.line(`n_ = ${expr(c, sm, size.expr, 'decode')};`); sizeChecks(f, 'n_'); take(f, 'n_'); return;
      case 'prefix': {
        const pre = () => {
          L.line(`if (${readInt(size.type, w(f.id), 'x_')} < 0) return -1; /* length prefix */`);
          L.line('n_ = (int64_t)x_;');
          sizeChecks(f, 'n_');
          take(f, 'n_');
        };
        if (!size.if) { pre(); return; }
        L.block(`if (${cond(c, sm, size.if, 'decode')})`, pre);
        L.block('else', () => toEnd(f));
        return;
      }
      case 'rest':
        if (size.minus === 0) { toEnd(f); return; }
        L.line(`n_ = (int64_t)(r->end - r->pos) - ${size.minus};`);
        L.line(`if (n_ < 0) ${failS('truncated', w(f.id))}`);
        sizeChecks(f, 'n_');
        take(f, 'n_');
    }
  };
  for (const f of s.fields) {
    const body = () => {
      switch (f.kind) {
        case 'int': {
          if (f.repeat) {
            repeatLoop(f, () => {
              L.line(`if (${readInt(f.type, w(f.id), 'x_')} < 0) return -1;`);
              intChecks(f, 'x_');
              L.line(`out->${cName(f.id)}[out->${f.id}_count] = x_;`);
            });
            return;
          }
          const into = sm.isProp(f) ? `out->${cName(f.id)}` : `l_${f.id}`;
          L.line(`if (${readInt(f.type, w(f.id), into)} < 0) return -1;`);
          intChecks(f, into);
          return;
        }
        case 'uint': {
          const into = `out->${cName(f.id)}`;
          L.line(`if (jsp_rd_uint(r, ${expr(c, sm, f.width, 'decode')}, ${cStr(w(f.id))}, &${into}) < 0) return -1;`);
          const t: string[] = [];
          if (f.min > 0n) t.push(`${into} < ${u64(f.min)}`);
          if (f.max < 0xffff_ffffn) t.push(`${into} > ${u64(f.max)}`);
          if (t.length) L.line(`if (${t.join(' || ')}) ${failS('out_of_range', w(f.id))}`);
          return;
        }
        case 'bits': {
          const b = `b_${f.id}`;
          L.line(`if (jsp_rd_u8(r, ${cStr(w(f.id))}, &${b}) < 0) return -1;`);
          let shift = 8;
          for (const bit of f.bits) {
            shift -= bit.width;
            const val = `((${b} >> ${shift}) & 0x${((1 << bit.width) - 1).toString(16)}u)`;
            if (bit.const !== undefined) { L.line(`if (${val} != ${bit.const}u) ${failS('invalid_const', w(bit.id), 'r->pos - 1')}`); continue; }
            const x = `out->${cName(bit.id)}`;
            if (bit.bool) { L.line(`${x} = ${val} != 0;`); continue; }
            L.line(`${x} = ${val};`);
            if (bit.max < (1n << BigInt(bit.width)) - 1n) L.line(`if (${x} > ${bit.max}u) ${failS('out_of_range', w(bit.id), 'r->pos - 1')}`);
            if (bit.enum) {
              const bad = enumInvalid(c.file.enums.find((d) => d.id === bit.enum)!, x);
              if (bad) L.line(`if (${bad}) ${failS('invalid_enum', w(bit.id), 'r->pos - 1')}`);
            }
          }
          return;
        }
        case 'bytes': case 'message': readSized(f); return;
        case 'struct': {
          const inner = c.wm.model(f.struct);
          if (inner.s.params.length) throw new Error(`codegen c: nested struct ${f.struct} takes parameters`);
          if (f.repeat) {
            repeatLoop(f, () => L.line(`if (jsp_read_${fname(c, f.struct)}(r, &out->${cName(f.id)}[out->${f.id}_count]) < 0) return -1;`));
            return;
          }
          L.line(`if (jsp_read_${fname(c, f.struct)}(r, &out->${cName(f.id)}) < 0) return -1;`);
        }
      }
    };
    if (f.if) {
      L.block(`if (${cond(c, sm, f.if, 'decode')})`, () => { if (sm.isProp(f)) L.line(`out->has_${f.id} = 1;`); body(); });
    } else body();
  }
  for (const f of sm.derivedOrder()) {
    if (sm.impliedOnDecode(f.id)) continue;
    L.line(`if ((int64_t)l_${f.id} != ${expr(c, sm, f.value, 'decode')}) ${failS('constraint', w(f.id))}`);
  }
  for (const k of s.constraints) {
    L.line(`if (${guard(c, sm, [k.left, k.right], 'decode')}${expr(c, sm, k.left, 'decode')} ${NEG[k.op]} ${expr(c, sm, k.right, 'decode')}) ${failS('constraint', s.id)}`);
  }
  for (const id of decls) L.line(`(void)l_${id};`);
  L.line('return 0;');
  const params = s.params.map((p) => `, int64_t p_${p.id}`).join('');
  const typeArg = sm.member ? ', uint64_t type_' : '';
  return `int jsp_read_${fname(c, s.id)}(jsp_reader *r${typeArg}${params}, ${tname(c, s.id)} *out) {\n${L.text()}}\n`;
}

function writeStruct(c: WCtx, s: Struct): string {
  const sm = c.wm.model(s.id);
  const L = new Code();
  const w_ = (id: string) => `${s.id}.${id}`;
  const fail = (kind: string, id: string) => `return jsp_wr_fail(w, "${kind}", ${cStr(w_(id))});`;
  /** Range (and enum) checks of an integer about to be written: the decoder's, plus the type's own maximum. */
  const intChecks = (f: Extract<Field, { kind: 'int' }>, x: string) => {
    const t: string[] = [];
    if (f.min > 0n) t.push(`${x} < ${u64(f.min)}`);
    if (f.max < INT_TYPE_MAX.u64) t.push(`${x} > ${u64(f.max)}`);
    if (t.length) L.line(`if (${t.join(' || ')}) ${fail('out_of_range', f.id)}`);
    if (f.enum) {
      const bad = enumInvalid(c.file.enums.find((d) => d.id === f.enum)!, x);
      if (bad) L.line(`if (${bad}) ${fail('out_of_range', f.id)}`);
    }
  };
  for (const f of s.fields) {
    if (f.kind === 'int' && f.repeat) {
      const mc = maxCountOf(c, s, f);
      L.line(`if (v->${f.id}_count > ${mc}) ${fail('too_many', f.id)}`);
      if (f.minCount) L.line(`if (v->${f.id}_count < ${f.minCount}) ${fail('out_of_range', f.id)}`);
    }
    if (f.kind === 'struct' && f.repeat) L.line(`if (v->${f.id}_count > ${maxCountOf(c, s, f)}) ${fail('too_many', f.id)}`);
  }
  for (const f of sm.derivedOrder()) {
    L.line(`int64_t d_${f.id} = ${expr(c, sm, f.value, 'encode')};`);
    L.line(`if (d_${f.id} < ${i64(f.min)} || (uint64_t)d_${f.id} > ${u64(f.max)}) ${fail('out_of_range', f.id)}`);
  }
  for (const k of s.constraints) {
    L.line(`if (${guard(c, sm, [k.left, k.right], 'encode')}${expr(c, sm, k.left, 'encode')} ${NEG[k.op]} ${expr(c, sm, k.right, 'encode')}) return jsp_wr_fail(w, "constraint", ${cStr(s.id)});`);
  }
  if (sm.member) {
    const flags = s.flags.map((fl) => `(${fl.presenceOf ? `v->has_${fl.presenceOf}` : `v->${cName(fl.id)}`} ? 0x${(1 << fl.bit).toString(16)}u : 0u)`);
    L.line(`jsp_wr_varint(w, ${u64(s.code!)}${flags.map((x) => ` | ${x}`).join('')});`);
  }
  const wrInt = (type: string, x: string) => (type === 'varint' ? `jsp_wr_varint(w, ${x});` : `jsp_wr_uint(w, ${x}, ${({ u8: 1, u16: 2, u32: 4, u64: 8 } as Record<string, number>)[type]});`);
  for (const f of s.fields) {
    const body = () => {
      switch (f.kind) {
        case 'int': {
          if (f.repeat) {
            L.block(`for (size_t i = 0; i < v->${f.id}_count; i++)`, () => { intChecks(f, `v->${cName(f.id)}[i]`); L.line(wrInt(f.type, `v->${cName(f.id)}[i]`)); });
            return;
          }
          if (f.const === undefined && !f.value) intChecks(f, `v->${cName(f.id)}`);
          const x = f.const !== undefined ? u64(f.const) : f.value ? `(uint64_t)d_${f.id}` : `v->${cName(f.id)}`;
          L.line(wrInt(f.type, x));
          return;
        }
        case 'uint': {
          const x = `v->${cName(f.id)}`;
          L.block('', () => {
            L.line(`int64_t width_ = ${expr(c, sm, f.width, 'encode')};`);
            L.line(`if (width_ < 1 || width_ > 8 || (width_ < 8 && (${x} >> (8 * width_)) != 0)) ${fail('out_of_range', f.id)}`);
            const t: string[] = [];
            if (f.min > 0n) t.push(`${x} < ${u64(f.min)}`);
            if (f.max < INT_TYPE_MAX.u64) t.push(`${x} > ${u64(f.max)}`);
            if (t.length) L.line(`if (${t.join(' || ')}) ${fail('out_of_range', f.id)}`);
            L.line(`jsp_wr_uint(w, ${x}, (int)width_);`);
          });
          return;
        }
        case 'bits': {
          let shift = 8;
          const parts: string[] = [];
          for (const bit of f.bits) {
            shift -= bit.width;
            if (bit.const !== undefined) { if (bit.const) parts.push(`(${bit.const}u << ${shift})`); continue; }
            if (bit.bool) { parts.push(`(v->${cName(bit.id)} ? ${1 << shift}u : 0u)`); continue; }
            L.line(`if (v->${cName(bit.id)} > ${bit.max}u) ${fail('out_of_range', bit.id)}`);
            parts.push(`((unsigned)v->${cName(bit.id)} << ${shift})`);
          }
          L.line(`jsp_wr_uint(w, ${parts.length ? parts.join(' | ') : '0u'}, 1);`);
          return;
        }
        case 'bytes': case 'message': {
          const x = `v->${cName(f.id)}`;
          L.block('', () => {
            if (f.kind === 'bytes') {
              L.line(`size_t len_ = ${x}.len;`);
              L.line(`if (len_ && !${x}.ptr) ${fail('wrong_type', f.id)}`);
              if (f.size.kind === 'fixed') L.line(`if (len_ != ${f.size.n}) ${fail('length_mismatch', f.id)}`);
              else {
                const t = [`len_ < ${f.minSize}`];
                if (Number.isFinite(f.maxSize)) t.push(`len_ > ${f.maxSize}u`);
                if (f.minSize > 0 || Number.isFinite(f.maxSize)) L.line(`if (${t.filter((q) => q !== 'len_ < 0').join(' || ')}) ${fail('out_of_range', f.id)}`);
              }
            } else {
              L.line(`jsp_writer cw_ = { NULL, 0, 0, NULL };`);
              L.line('cw_.err = w->err;');
              L.line(`if (jsp_write_${f.message}(&cw_, &${x}) < 0) return -1;`);
              L.line('size_t len_ = cw_.len;');
              if (Number.isFinite(f.maxSize)) L.line(`if (len_ > ${f.maxSize}u) ${fail('out_of_range', f.id)}`);
            }
            if (f.size.kind === 'prefix') {
              const size = f.size;
              const pre = () => {
                if (size.type !== 'varint' && size.type !== 'u64') L.line(`if (len_ > ${INT_TYPE_MAX[size.type]}u) ${fail('out_of_range', f.id)}`);
                L.line(wrInt(size.type, '(uint64_t)len_'));
              };
              if (size.if) L.block(`if (${cond(c, sm, size.if, 'encode')})`, pre); else pre();
            }
            if (f.kind === 'bytes') L.line(`jsp_wr_raw(w, ${x}.ptr, len_);`);
            else L.line(`if (jsp_write_${f.message}(w, &${x}) < 0) return -1;`);
          });
          return;
        }
        case 'struct':
          if (f.repeat) { L.block(`for (size_t i = 0; i < v->${f.id}_count; i++)`, () => L.line(`if (jsp_write_${fname(c, f.struct)}(w, &v->${cName(f.id)}[i]) < 0) return -1;`)); return; }
          L.line(`if (jsp_write_${fname(c, f.struct)}(w, &v->${cName(f.id)}) < 0) return -1;`);
      }
    };
    if (f.if) L.block(`if (${cond(c, sm, f.if, 'encode')})`, body); else body();
  }
  L.line('return 0;');
  return `int jsp_write_${fname(c, s.id)}(jsp_writer *w, const ${tname(c, s.id)} *v) {\n  (void)v;\n${L.text()}}\n`;
}

function publicFns(T: string, fn: string, params: string[], code: { code: string; name: string }, readCall: string): { h: string; c: string } {
  const ps = params.map((p) => `, int64_t p_${p}`).join('');
  const h = `/** Decodes the whole input as one value (leftover bytes are trailing_bytes). 0, or -1 with *err set. */\n` +
    `int jsp_decode_${fn}(const uint8_t *data, size_t len${ps}, ${T} *out, jsp_decode_error *err);\n` +
    `/** The exact size of the canonical encoding of v, or JSP_ENCODE_FAILED (with *err set when err is not NULL) when v is invalid. */\n` +
    `size_t jsp_encoded_size_${fn}(const ${T} *v, jsp_encode_error *err);\n` +
    `/** Checks v and writes its canonical encoding to out[0:cap]; returns its size, or JSP_ENCODE_FAILED with *err set (an invalid value, or "buffer_too_small"). */\n` +
    `size_t jsp_encode_${fn}(const ${T} *v, uint8_t *out, size_t cap, jsp_encode_error *err);\n`;
  const cc = `int jsp_decode_${fn}(const uint8_t *data, size_t len${ps}, ${T} *out, jsp_decode_error *err) {
  jsp_reader r;
  r.buf = data; r.pos = 0; r.end = len; r.code = ${code.code}; r.code_name = "${code.name}"; r.fixed = 0; r.err = err;
  if (${readCall} < 0) return -1;
  return jsp_rd_expect_end(&r, "${fn}");
}

size_t jsp_encoded_size_${fn}(const ${T} *v, jsp_encode_error *err) {
  jsp_writer w = { NULL, 0, 0, NULL };
  w.err = err;
  if (jsp_write_${fn}(&w, v) < 0) return JSP_ENCODE_FAILED;
  return w.len;
}

size_t jsp_encode_${fn}(const ${T} *v, uint8_t *out, size_t cap, jsp_encode_error *err) {
  jsp_writer w;
  w.buf = out; w.cap = cap; w.len = 0; w.err = err;
  if (jsp_write_${fn}(&w, v) < 0) return JSP_ENCODE_FAILED;
  if (w.len > cap) {
    if (err) { err->kind = "buffer_too_small"; err->path = "${fn}"; }
    return JSP_ENCODE_FAILED;
  }
  return w.len;
}
`;
  return { h, c: cc };
}

function emitWire(spec: Spec, file: WireFile): GeneratedFile[] {
  const c: WCtx = { spec, file, wm: new WireModel(spec, file), err: errorOf(spec, file.error) };
  const id = file.id;
  const H: string[] = [HEADER(spec), `#ifndef JSP_${id.toUpperCase()}_H\n#define JSP_${id.toUpperCase()}_H\n`, comment(`${file.title}\n\n${file.doc}`), '#include "jsp_runtime.h"\n#include "jsp_messages.h"\n\n'];
  const C: string[] = [HEADER(spec), `#include <string.h>\n#include "jsp_${id}.h"\n\n`];
  for (const e of file.enums) {
    H.push(comment(e.doc));
    for (const v of e.values) H.push(`#define JSP_${e.id.toUpperCase()}_${v.id.toUpperCase()} ${v.value}u /* ${v.doc.trim().replace(/\*\//g, '')} */\n`);
    H.push('\n');
  }
  // structs in dependency order (nested structs first)
  const done = new Set<string>();
  const visit = (s: Struct) => {
    if (done.has(s.id)) return;
    done.add(s.id);
    for (const f of s.fields) if (f.kind === 'struct') visit(file.structs.find((x) => x.id === f.struct)!);
    H.push(structDecl(c, s) + '\n');
  };
  for (const s of file.structs) visit(s);
  const u = file.union;
  if (u) {
    const U = `jsp_${u.id}_t`;
    H.push(`/** Which member a ${u.id} holds. */\ntypedef enum jsp_${u.id}_type {\n${u.members.map((m, i) => `  JSP_${u.id.toUpperCase()}_${m.toUpperCase()} = ${i}`).join(',\n')}\n} jsp_${u.id}_type;\n\n`);
    H.push(comment(u.doc) + `typedef struct ${U} {\n  jsp_${u.id}_type type;\n  union {\n${u.members.map((m) => `    ${tname(c, m)} ${cName(m)};\n`).join('')}  } u;\n} ${U};\n\n`);
  }
  for (const s of file.structs) {
    const sm = c.wm.model(s.id);
    const params = s.params.map((p) => `, int64_t p_${p.id}`).join('');
    H.push(`int jsp_read_${fname(c, s.id)}(jsp_reader *r${sm.member ? ', uint64_t type_' : ''}${params}, ${tname(c, s.id)} *out);\n`);
    H.push(`int jsp_write_${fname(c, s.id)}(jsp_writer *w, const ${tname(c, s.id)} *v);\n`);
    C.push(readStruct(c, s) + '\n' + writeStruct(c, s) + '\n');
    if (!sm.member) {
      const p = publicFns(tname(c, s.id), fname(c, s.id), s.params.map((x) => x.id), c.err, `jsp_read_${fname(c, s.id)}(&r${s.params.map((x) => `, p_${x.id}`).join('')}, out)`);
      H.push(p.h);
      C.push(p.c + '\n');
    }
  }
  if (u) {
    const U = `jsp_${u.id}_t`;
    H.push(`int jsp_read_${u.id}(jsp_reader *r, ${U} *out);\nint jsp_write_${u.id}(jsp_writer *w, const ${U} *v);\n`);
    const R = new Code();
    R.line('uint64_t t_;');
    R.line(`if (jsp_rd_varint(r, "${u.id}.type", &t_) < 0) return -1;`);
    R.block('switch (t_)', () => {
      for (const m of u.members) {
        const s = file.structs.find((x) => x.id === m)!;
        const mask = s.flags.reduce((a, fl) => a | (1 << fl.bit), 0);
        for (let sub = 0; sub <= mask; sub++) if ((sub & mask) === sub) R.line(`case ${Number(s.code!) | sub}:`);
        R.line(`  out->type = JSP_${u.id.toUpperCase()}_${m.toUpperCase()};`);
        R.line(`  return jsp_read_${fname(c, m)}(r, t_, &out->u.${cName(m)});`);
      }
      R.line(`default: return jsp_fail(r, "unknown_type", "${u.id}.type", r->pos);`);
    });
    C.push(`int jsp_read_${u.id}(jsp_reader *r, ${U} *out) {\n${R.text()}}\n\n`);
    const W = new Code();
    W.block('switch (v->type)', () => {
      for (const m of u.members) W.line(`case JSP_${u.id.toUpperCase()}_${m.toUpperCase()}: return jsp_write_${fname(c, m)}(w, &v->u.${cName(m)});`);
    });
    W.line(`return jsp_wr_fail(w, "wrong_type", "${u.id}.type");`);
    C.push(`int jsp_write_${u.id}(jsp_writer *w, const ${U} *v) {\n${W.text()}}\n\n`);
    const p = publicFns(U, u.id, [], c.err, `jsp_read_${u.id}(&r, out)`);
    H.push(p.h);
    C.push(p.c);
  }
  H.push('\n#endif\n');
  return [{ path: `jsp_${id}.h`, content: H.join('') }, { path: `jsp_${id}.c`, content: C.join('') }];
}

// ───────────────────────────── messages ─────────────────────────────

const isVarintPb = (f: PbField) => f.type === 'uint32' || f.type === 'uint64' || f.type === 'bool' || f.type === 'enum';

function pbCType(f: PbField): string {
  if (f.type === 'message') return msgT(f.message!);
  if (f.type === 'bytes' || f.type === 'string') return 'jsp_bytes';
  if (f.type === 'bool') return 'int';
  return 'uint64_t';
}

function defaultInvalid(f: PbField): boolean {
  if (f.repeated || f.optional) return false;
  if (f.type === 'bytes' || f.type === 'string') return f.minSize > 0;
  if (f.type === 'uint32' || f.type === 'uint64' || f.type === 'enum') return f.min > 0n;
  return false;
}

function emitMessages(spec: Spec, file: MessagesFile): GeneratedFile[] {
  const enums = new Map(file.enums.map((e) => [e.id, e]));
  const msgs = new Map(file.messages.map((m) => [m.id, m]));
  const maxMsg = spec.constants.constants.find((k) => k.id === 'max_message_size')!.value;
  const H: string[] = [HEADER(spec), '#ifndef JSP_MESSAGES_H\n#define JSP_MESSAGES_H\n', comment(`${file.title}\n\n${file.doc}`), '#include "jsp_runtime.h"\n\n'];
  const C: string[] = [HEADER(spec), '#include <string.h>\n#include "jsp_messages.h"\n\n'];
  for (const e of file.enums) {
    H.push(comment(e.doc));
    for (const v of e.values) H.push(`#define JSP_${e.id.toUpperCase()}_${v.id.toUpperCase()} ${v.value}u /* ${v.doc.trim().replace(/\*\//g, '')} */\n`);
    H.push('\n');
  }
  const done = new Set<string>();
  const visit = (m: Message) => {
    if (done.has(m.id)) return;
    done.add(m.id);
    for (const f of m.fields) if (f.type === 'message') visit(msgs.get(f.message!)!);
    const out: string[] = [comment(m.doc), `typedef struct ${msgT(m.id)} {\n`];
    for (const f of m.fields) {
      out.push(comment(`${f.doc.trim()} (field ${f.number}, ${f.type})`, '  '));
      if (f.repeated) out.push(`  ${pbCType(f)} ${cName(f.id)}[${f.maxCount}];\n  size_t ${f.id}_count;\n`);
      else {
        if (f.optional || f.type === 'message') out.push(`  int has_${f.id};\n`);
        out.push(`  ${pbCType(f)} ${cName(f.id)};\n`);
      }
    }
    if (!m.fields.length) out.push('  char empty_;\n');
    out.push(`} ${msgT(m.id)};\n\n`);
    H.push(out.join(''));
  };
  for (const m of file.messages) visit(m);
  for (const m of file.messages) {
    const err = errorOf(spec, m.error);
    H.push(`int jsp_read_${m.id}(jsp_reader *r, ${msgT(m.id)} *out);\nint jsp_write_${m.id}(jsp_writer *w, const ${msgT(m.id)} *v);\n`);
    // read
    const L = new Code();
    const fail = (kind: string, what: string, at = 'r->pos', rd = 'r') => `return jsp_fail(${rd}, "${kind}", ${cStr(what)}, ${at});`;
    L.line('uint64_t tag, x, n;');
    L.line('(void)x; (void)n;');
    L.line('memset(out, 0, sizeof *out);');
    L.line(`if (r->end - r->pos > ${maxMsg}u) ${fail('out_of_range', m.id)}`);
    L.block('while (r->pos < r->end)', () => {
      L.line(`if (jsp_pb_tag(r, "${m.id}", &tag) < 0) return -1;`);
      L.block('switch (tag)', () => {
        for (const f of [...m.fields].sort((a, b) => a.number - b.number)) {
          const what = `${m.id}.${f.id}`;
          const x = `out->${cName(f.id)}`;
          const store = (val: string) => {
            if (f.repeated) {
              L.line(`if (out->${f.id}_count == ${f.maxCount}) ${fail('too_many', what)}`);
              L.line(`${x}[out->${f.id}_count++] = ${val};`);
            } else {
              if (f.optional) L.line(`out->has_${f.id} = 1;`);
              L.line(`${x} = ${val};`);
            }
          };
          const readVarint = (rd: string) => {
            L.line(`if (jsp_pb_varint(${rd}, ${cStr(what)}, &x) < 0) return -1;`);
            if (f.type === 'bool') { L.line(`if (x > 1) ${fail('out_of_range', what, `${rd}->pos`, rd)}`); return; }
            const t: string[] = [];
            if (f.min > 0n) t.push(`x < ${u64(f.min)}`);
            if (f.max < (1n << 64n) - 1n) t.push(`x > ${u64(f.max)}`);
            if (t.length) L.line(`if (${t.join(' || ')}) ${fail('out_of_range', what, `${rd}->pos`, rd)}`);
            const e = f.type === 'enum' ? enums.get(f.enum!)! : undefined;
            const bad = e && enumInvalid(e, 'x');
            if (bad) L.line(`if (${bad}) ${fail('invalid_enum', what, `${rd}->pos`, rd)}`);
          };
          if (isVarintPb(f)) {
            L.line(`case ${f.number * 8}: /* ${f.id}: varint */`);
            L.block('', () => { readVarint('r'); store(f.type === 'bool' ? '(int)x' : 'x'); });
            L.line('  break;');
            if (f.repeated) {
              L.line(`case ${f.number * 8 + 2}: /* ${f.id}: packed */`);
              L.block('', () => {
                L.line('jsp_reader run;');
                L.line(`if (jsp_pb_len(r, ${cStr(what)}, &n) < 0) return -1;`);
                L.line(`if (jsp_rd_sub(r, (int64_t)n, ${cStr(what)}, &run) < 0) return -1;`);
                L.block('while (run.pos < run.end)', () => {
                  readVarint('(&run)');
                  L.line(`if (out->${f.id}_count == ${f.maxCount}) return jsp_fail(&run, "too_many", ${cStr(what)}, run.pos);`);
                  L.line(`${x}[out->${f.id}_count++] = ${f.type === 'bool' ? '(int)x' : 'x'};`);
                });
              });
              L.line('  break;');
            }
            continue;
          }
          L.line(`case ${f.number * 8 + 2}: /* ${f.id}: LEN */`);
          L.block('', () => {
            if (f.type === 'bytes' || f.type === 'string') {
              L.line('jsp_bytes b;');
              L.line(`if (jsp_pb_${f.type === 'bytes' ? 'bytes' : 'string'}(r, ${cStr(what)}, ${f.minSize}u, ${f.maxSize}u, &b) < 0) return -1;`);
              store('b');
            } else {
              const t = msgs.get(f.message!)!;
              const te = errorOf(spec, t.error);
              L.line('jsp_reader sub;');
              L.line('size_t at = r->pos;');
              L.line(`if (jsp_pb_varint(r, ${cStr(what)}, &n) < 0) return -1;`);
              L.line(`if (n > ${maxMsg}u) ${fail('out_of_range', what, 'at')}`);
              L.line(`if (jsp_rd_nested(r, n, ${cStr(what)}, ${te.code}, "${te.name}", &sub) < 0) return -1;`);
              if (f.repeated) {
                L.line(`if (out->${f.id}_count == ${f.maxCount}) ${fail('too_many', what)}`);
                L.line(`if (jsp_read_${t.id}(&sub, &${x}[out->${f.id}_count]) < 0) return -1;`);
                L.line(`out->${f.id}_count++;`);
              } else {
                L.line(`if (jsp_read_${t.id}(&sub, &${x}) < 0) return -1;`);
                L.line(`out->has_${f.id} = 1;`);
              }
            }
          });
          L.line('  break;');
        }
        L.line('default:');
        const nums = m.fields.map((f) => f.number);
        if (nums.length) L.line(`  if (${nums.map((k) => `(tag >> 3) == ${k}`).join(' || ')}) ${fail('wire_type', m.id)}`);
        L.line(`  if (jsp_pb_skip(r, tag & 7, "${m.id}") < 0) return -1;`);
      });
    });
    for (const f of m.fields) {
      const what = `${m.id}.${f.id}`;
      if (f.required) L.line(`if (!out->has_${f.id}) ${fail('missing_field', what)}`);
      else if (defaultInvalid(f)) {
        const lenType = f.type === 'bytes' || f.type === 'string';
        L.line(`if (${lenType ? `out->${cName(f.id)}.len == 0` : `out->${cName(f.id)} == 0`}) ${fail('out_of_range', what)}`);
      }
    }
    L.line('return 0;');
    C.push(`int jsp_read_${m.id}(jsp_reader *r, ${msgT(m.id)} *out) {\n${L.text()}}\n\n`);
    // write: checks every value as the decoder would, then writes the canonical encoding
    const W = new Code();
    const wfail = (kind: string, what: string) => `return jsp_wr_fail(w, "${kind}", ${cStr(what)});`;
    for (const f of [...m.fields].sort((a, b) => a.number - b.number)) {
      const what = `${m.id}.${f.id}`;
      const x = `v->${cName(f.id)}`;
      const tag0 = f.number * 8, tag2 = f.number * 8 + 2;
      const checkScalar = (y: string) => {
        if (f.type === 'bool') return;
        const t: string[] = [];
        if (f.min > 0n) t.push(`${y} < ${u64(f.min)}`);
        if (f.max < (1n << 64n) - 1n) t.push(`${y} > ${u64(f.max)}`);
        if (t.length) W.line(`if (${t.join(' || ')}) ${wfail('out_of_range', what)}`);
        const e = f.type === 'enum' ? enums.get(f.enum!)! : undefined;
        const bad = e && enumInvalid(e, y);
        if (bad) W.line(`if (${bad}) ${wfail('out_of_range', what)}`);
      };
      const checkLen = (y: string) => {
        if (f.type === 'message') return;
        W.line(`if (${y}.len && !${y}.ptr) ${wfail('wrong_type', what)}`);
        const t = [`${y}.len > ${f.maxSize}u`];
        if (f.minSize > 0) t.unshift(`${y}.len < ${f.minSize}u`);
        W.line(`if (${t.join(' || ')}) ${wfail('length_mismatch', what)}`);
        if (f.type === 'string') W.line(`if (!jsp_utf8_valid(${y}.ptr, ${y}.len)) ${wfail('wrong_type', what)}`);
      };
      const lenRec = (val: string) => {
        checkLen(val);
        W.line(`jsp_wr_pb_varint(w, ${tag2}u);`);
        if (f.type === 'message') {
          W.block('', () => {
            W.line('jsp_writer cw = { NULL, 0, 0, NULL };');
            W.line('cw.err = w->err;');
            W.line(`if (jsp_write_${f.message}(&cw, &${val}) < 0) return -1;`);
            W.line('jsp_wr_pb_varint(w, cw.len);');
            W.line(`if (jsp_write_${f.message}(w, &${val}) < 0) return -1;`);
          });
        } else {
          W.line(`jsp_wr_pb_varint(w, ${val}.len);`);
          W.line(`jsp_wr_raw(w, ${val}.ptr, ${val}.len);`);
        }
      };
      const scalar = (y: string) => (f.type === 'bool' ? `(uint64_t)(${y} ? 1 : 0)` : `(uint64_t)${y}`);
      W.line(`/* ${f.number} ${f.id} */`);
      if (f.repeated) {
        W.line(`if (v->${f.id}_count > ${f.maxCount}) ${wfail('out_of_range', what)}`);
        if (isVarintPb(f)) {
          W.block(`if (v->${f.id}_count)`, () => {
            W.line('size_t run = 0;');
            W.block(`for (size_t i = 0; i < v->${f.id}_count; i++)`, () => { checkScalar(`${x}[i]`); W.line(`run += jsp_pb_varint_size(${scalar(`${x}[i]`)});`); });
            W.line(`jsp_wr_pb_varint(w, ${tag2}u);`);
            W.line('jsp_wr_pb_varint(w, run);');
            W.line(`for (size_t i = 0; i < v->${f.id}_count; i++) jsp_wr_pb_varint(w, ${scalar(`${x}[i]`)});`);
          });
        } else W.block(`for (size_t i = 0; i < v->${f.id}_count; i++)`, () => lenRec(`${x}[i]`));
        continue;
      }
      if (f.optional || f.type === 'message') {
        if (f.required) W.line(`if (!v->has_${f.id}) ${wfail('wrong_type', what)}`);
        W.block(`if (v->has_${f.id})`, () => {
          if (isVarintPb(f)) { checkScalar(x); W.line(`jsp_wr_pb_varint(w, ${tag0}u);`); W.line(`jsp_wr_pb_varint(w, ${scalar(x)});`); } else lenRec(x);
        });
        continue;
      }
      if (isVarintPb(f)) {
        checkScalar(x);
        W.block(`if (${x})`, () => { W.line(`jsp_wr_pb_varint(w, ${tag0}u);`); W.line(`jsp_wr_pb_varint(w, ${scalar(x)});`); });
      } else {
        checkLen(x);
        W.block(`if (${x}.len)`, () => {
          W.line(`jsp_wr_pb_varint(w, ${tag2}u);`);
          W.line(`jsp_wr_pb_varint(w, ${x}.len);`);
          W.line(`jsp_wr_raw(w, ${x}.ptr, ${x}.len);`);
        });
      }
    }
    W.line('return 0;');
    C.push(`int jsp_write_${m.id}(jsp_writer *w, const ${msgT(m.id)} *v) {\n  (void)w; (void)v;\n${W.text()}}\n\n`);
    const p = publicFns(msgT(m.id), m.id, [], err, `jsp_read_${m.id}(&r, out)`);
    H.push(p.h + '\n');
    C.push(p.c + '\n');
  }
  H.push('#endif\n');
  return [{ path: 'jsp_messages.h', content: H.join('') }, { path: 'jsp_messages.c', content: C.join('') }];
}

// ───────────────────────────── constants, errors ─────────────────────────────

function emitConstants(spec: Spec): GeneratedFile {
  const out = [HEADER(spec), '#ifndef JSP_CONSTANTS_H\n#define JSP_CONSTANTS_H\n', comment(spec.constants.doc)];
  for (const k of spec.constants.constants) out.push(comment(k.doc + (k.unit ? ` (${k.unit})` : '')) + `#define JSP_${k.id.toUpperCase()} ${k.value}ull\n`);
  out.push('#endif\n');
  return { path: 'jsp_constants.h', content: out.join('') };
}

function emitErrors(spec: Spec): GeneratedFile {
  const out = [HEADER(spec), '#ifndef JSP_ERRORS_H\n#define JSP_ERRORS_H\n', comment(spec.errors.doc)];
  for (const e of spec.errors.codes) out.push(comment(e.doc) + `#define JSP_${e.id} ${e.code}\n`);
  out.push('\n/* Decode error kinds (jsp_decode_error.kind is one of these strings). */\n');
  for (const k of spec.errors.decodeErrorKinds) out.push(comment(k.doc) + `#define JSP_KIND_${k.id.toUpperCase()} "${k.id}"\n`);
  out.push('#endif\n');
  return { path: 'jsp_errors.h', content: out.join('') };
}

// ───────────────────────────── adapter, Makefile ─────────────────────────────

function emitAdapter(spec: Spec): GeneratedFile[] {
  const P: string[] = [];
  const rows: string[] = [];
  const jInt = (x: string) => `pj_u64(${x})`;
  for (const file of spec.wire) {
    const c: WCtx = { spec, file, wm: new WireModel(spec, file), err: errorOf(spec, file.error) };
    for (const s of file.structs) {
      const sm = c.wm.model(s.id);
      const L = new Code();
      L.line(`int first = ${sm.member ? 0 : 1};`);
      L.line('(void)v;');
      const key = (k: string) => `sep(&first); fputs("\\"${k}\\":", stdout);`;
      for (const fl of s.flags) if (!fl.presenceOf) L.line(`${key(fl.id)} fputs(v->${cName(fl.id)} ? "true" : "false", stdout);`);
      for (const f of s.fields) {
        if (f.kind === 'bits') {
          for (const b of f.bits) if (b.const === undefined) L.line(`${key(b.id)} ${b.bool ? `fputs(v->${cName(b.id)} ? "true" : "false", stdout)` : jInt(`v->${cName(b.id)}`)};`);
          continue;
        }
        if (!sm.isProp(f)) continue;
        const x = `v->${cName(f.id)}`;
        let one: (y: string) => string;
        switch (f.kind) {
          case 'int': case 'uint': one = jInt; break;
          case 'bytes': one = (y) => `pj_hex(${y})`; break;
          case 'struct': one = (y) => `pj_${fname(c, f.struct)}(&${y})`; break;
          case 'message': one = (y) => `pj_${f.message}(&${y})`; break;
        }
        const line = (f.kind === 'int' || f.kind === 'struct') && f.repeat
          ? `${key(f.id)} putchar('['); for (size_t i = 0; i < v->${f.id}_count; i++) { if (i) putchar(','); ${one(`${x}[i]`)}; } putchar(']');`
          : `${key(f.id)} ${one(x)};`;
        if (f.if) L.line(`if (v->has_${f.id}) { ${line} }`); else L.line(line);
      }
      P.push(`static void pj_${fname(c, s.id)}(const ${tname(c, s.id)} *v) {\n  ${sm.member ? '' : "putchar('{');\n"}${L.text()}  ${sm.member ? '(void)first;\n' : "putchar('}');\n"}}\n`);
      if (!sm.member) rows.push(target(file.id, 'struct', s.id, fname(c, s.id), tname(c, s.id), s.params.map((p) => p.id)));
    }
    const u = file.union;
    if (u) {
      const L = new Code();
      L.line('putchar(\'{\');');
      L.block('switch (v->type)', () => {
        for (const m of u.members) L.line(`case JSP_${u.id.toUpperCase()}_${m.toUpperCase()}: fputs("\\"type\\":\\"${m}\\"", stdout); pj_${fname(c, m)}(&v->u.${cName(m)}); break;`);
      });
      L.line('putchar(\'}\');');
      P.push(`static void pj_${u.id}(const jsp_${u.id}_t *v) {\n${L.text()}}\n`);
      rows.push(target(file.id, 'union', u.id, u.id, `jsp_${u.id}_t`, []));
    }
  }
  const mP: string[] = [];
  for (const file of spec.messages) {
    for (const m of file.messages) {
      const L = new Code();
      L.line('int first = 1;');
      L.line('(void)v;');
      L.line("putchar('{');");
      for (const f of m.fields) {
        const x = `v->${cName(f.id)}`;
        const one = (y: string) => f.type === 'message' ? `pj_${f.message}(&${y})` : f.type === 'bytes' ? `pj_hex(${y})` : f.type === 'string' ? `pj_str(${y})` : f.type === 'bool' ? `fputs(${y} ? "true" : "false", stdout)` : jInt(y);
        const key = `sep(&first); fputs("\\"${f.id}\\":", stdout);`;
        if (f.repeated) L.line(`${key} putchar('['); for (size_t i = 0; i < v->${f.id}_count; i++) { if (i) putchar(','); ${one(`${x}[i]`)}; } putchar(']');`);
        else if (f.optional || f.type === 'message') L.line(`if (v->has_${f.id}) { ${key} ${one(x)}; }`);
        else L.line(`${key} ${one(x)};`);
      }
      L.line("putchar('}');");
      mP.push(`static void pj_${m.id}(const ${msgT(m.id)} *v) {\n${L.text()}}\n`);
      rows.push(target(file.id, 'message', m.id, m.id, msgT(m.id), []));
    }
  }
  const protos = [...spec.messages.flatMap((f) => f.messages.map((m) => `static void pj_${m.id}(const ${msgT(m.id)} *v);\n`)),
    ...spec.wire.flatMap((file) => { const wm = new WireModel(spec, file); return file.structs.map((s) => `static void pj_${snake(wm.typeName(s.id))}(const jsp_${snake(wm.typeName(s.id))}_t *v);\n`); })].join('');
  const content = `${HEADER(spec)}/* The JSP conformance adapter (spec/conformance.yaml) for the generated C codec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsp_runtime.h"
#include "jsp_errors.h"
${spec.wire.map((f) => `#include "jsp_${f.id}.h"\n`).join('')}#include "jsp_messages.h"

static void sep(int *first) { if (!*first) putchar(','); *first = 0; }
static void pj_u64(uint64_t x) {
  if (x <= 9007199254740991ull) printf("%llu", (unsigned long long)x);
  else printf("\\"%llu\\"", (unsigned long long)x);
}
static void pj_hex(jsp_bytes b) {
  size_t i;
  putchar('"');
  for (i = 0; i < b.len; i++) printf("%02x", b.ptr[i]);
  putchar('"');
}
static void pj_str(jsp_bytes b) {
  size_t i;
  putchar('"');
  for (i = 0; i < b.len; i++) {
    unsigned char ch = b.ptr[i];
    if (ch == '"' || ch == '\\\\') { putchar('\\\\'); putchar(ch); }
    else if (ch < 0x20 || ch == 0x7f) printf("\\\\u%04x", ch);
    else putchar(ch);
  }
  putchar('"');
}
static void pj_raw_hex(const uint8_t *p, size_t n) {
  jsp_bytes b;
  b.ptr = p; b.len = n;
  pj_hex(b);
}
static void pj_json_str(const char *s) {
  jsp_bytes b;
  b.ptr = (const uint8_t *)s; b.len = strlen(s);
  pj_str(b);
}
${protos}
${mP.join('\n')}
${P.join('\n')}
/* One decode request: decode, print the value, re-encode. */
typedef int (*handler_fn)(const uint8_t *data, size_t len, const int64_t *params, jsp_decode_error *err);

${rows.map((r) => r.split('\x00')[1]).join('\n')}
struct target { const char *file, *kind, *id; handler_fn fn; int nparams; const char *params[2]; };
static const struct target TARGETS[] = {
${rows.map((r) => r.split('\x00')[0]).join('\n')}
};

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static void bad_request(const char *id, const char *msg) {
  printf("{\\"id\\":%s,\\"result\\":\\"error\\",\\"error\\":\\"INTERNAL_ERROR\\",\\"errorKind\\":\\"bad_request\\",\\"message\\":", id);
  pj_json_str(msg);
  printf("}\\n");
}

static void print_id(const char *id) {
  const char *p = id;
  if (*p == '-') p++;
  if (*p && strspn(p, "0123456789") == strlen(p)) fputs(id, stdout);
  else pj_json_str(id);
}

static void decode_request(const char *id) {
  char *file = strtok(NULL, " \\t\\r\\n"), *kind = strtok(NULL, " \\t\\r\\n"), *target = strtok(NULL, " \\t\\r\\n"), *hex = strtok(NULL, " \\t\\r\\n");
  const struct target *t = NULL;
  int64_t params[2] = { 0, 0 };
  int got = 0;
  size_t i, n;
  uint8_t *data;
  jsp_decode_error err;
  char *tok;
  if (!hex) { bad_request(id, "usage: decode <file> <kind> <target> <hex> [param=value ...]"); return; }
  for (i = 0; i < sizeof TARGETS / sizeof TARGETS[0]; i++)
    if (!strcmp(TARGETS[i].file, file) && !strcmp(TARGETS[i].kind, kind) && !strcmp(TARGETS[i].id, target)) t = &TARGETS[i];
  if (!t) {
    fputs("{\\"id\\":", stdout); print_id(id);
    printf(",\\"result\\":\\"unsupported\\",\\"message\\":\\"no such target\\"}\\n");
    return;
  }
  while ((tok = strtok(NULL, " \\t\\r\\n")) != NULL) {
    char *eq = strchr(tok, '=');
    int k, found = 0;
    if (!eq) { bad_request(id, "bad parameter"); return; }
    *eq = 0;
    for (k = 0; k < t->nparams; k++) if (!strcmp(t->params[k], tok)) { params[k] = strtoll(eq + 1, NULL, 10); found = 1; got++; }
    if (!found) { bad_request(id, "unknown parameter"); return; }
  }
  if (got != t->nparams) { bad_request(id, "missing parameter"); return; }
  n = strcmp(hex, "-") ? strlen(hex) / 2 : 0;
  if (strcmp(hex, "-") && strlen(hex) % 2) { bad_request(id, "odd hex length"); return; }
  data = malloc(n ? n : 1);
  if (!data) { bad_request(id, "out of memory"); return; }
  for (i = 0; i < n; i++) {
    int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) { free(data); bad_request(id, "bad hex"); return; }
    data[i] = (uint8_t)(hi << 4 | lo);
  }
  fputs("{\\"id\\":", stdout); print_id(id);
  memset(&err, 0, sizeof err);
  if (t->fn(data, n, params, &err) < 0) {
    printf(",\\"result\\":\\"error\\",\\"error\\":\\"%s\\",\\"errorKind\\":\\"%s\\",\\"message\\":", err.code_name, err.kind);
    {
      char msg[512];
      snprintf(msg, sizeof msg, "%s: %s at offset %lu", err.path ? err.path : "?", err.kind, (unsigned long)err.offset);
      pj_json_str(msg);
    }
    printf("}\\n");
  }
  free(data);
}

static char *read_line(FILE *f) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  int ch;
  if (!buf) return NULL;
  while ((ch = fgetc(f)) != EOF) {
    if (len + 1 >= cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) { free(buf); return NULL; }
      buf = nb; cap *= 2;
    }
    if (ch == '\\n') break;
    buf[len++] = (char)ch;
  }
  if (ch == EOF && len == 0) { free(buf); return NULL; }
  buf[len] = 0;
  return buf;
}

int main(void) {
  char *line;
  while ((line = read_line(stdin)) != NULL) {
    char *id = strtok(line, " \\t\\r\\n"), *op;
    if (!id) { free(line); continue; }
    if (!strcmp(id, "quit")) { free(line); break; }
    if (!strcmp(id, "hello")) {
      printf("{\\"id\\":\\"hello\\",\\"result\\":\\"ok\\",\\"name\\":\\"jsp-c (generated codec)\\",\\"protocol\\":1,\\"capabilities\\":[\\"codec\\"]}\\n");
    } else {
      op = strtok(NULL, " \\t\\r\\n");
      if (op && !strcmp(op, "decode")) decode_request(id);
      else { fputs("{\\"id\\":", stdout); print_id(id); printf(",\\"result\\":\\"unsupported\\",\\"message\\":\\"unknown request\\"}\\n"); }
    }
    fflush(stdout);
    free(line);
  }
  return 0;
}
`;
  return [{ path: 'adapter.c', content }];

  function target(file: string, kind: string, id: string, fn: string, T: string, params: string[]): string {
    const h = `h_${file}_${fn}`;
    const args = params.map((_, i) => `, params[${i}]`).join('');
    const fnDef = `static int ${h}(const uint8_t *data, size_t len, const int64_t *params, jsp_decode_error *err) {
  static ${T} v;
  jsp_encode_error eerr = { "?", "?" };
  size_t n;
  uint8_t *enc;
  (void)params;
  if (jsp_decode_${fn}(data, len${args}, &v, err) < 0) return -1;
  fputs(",\\"result\\":\\"ok\\",\\"value\\":", stdout);
  pj_${fn}(&v);
  n = jsp_encoded_size_${fn}(&v, &eerr);
  if (n == JSP_ENCODE_FAILED) {
    fputs(",\\"encoded\\":null,\\"message\\":", stdout);
    pj_json_str(eerr.kind);
    fputs("}\\n", stdout);
    return 0;
  }
  enc = malloc(n ? n : 1);
  if (!enc) { fputs(",\\"encoded\\":null}\\n", stdout); return 0; }
  if (jsp_encode_${fn}(&v, enc, n, &eerr) != n) { free(enc); fputs(",\\"encoded\\":null}\\n", stdout); return 0; }
  fputs(",\\"encoded\\":", stdout);
  pj_raw_hex(enc, n);
  fputs("}\\n", stdout);
  free(enc);
  return 0;
}
`;
    return `  { "${file}", "${kind}", "${id}", ${h}, ${params.length}, { ${params.length ? params.map(cStr).join(', ') : 'NULL'} } },\x00${fnDef}`;
  }
}

const MAKEFILE = (spec: Spec) => {
  const mods = ['jsp_runtime', 'jsp_messages', ...spec.wire.map((f) => `jsp_${f.id}`)];
  return `# GENERATED by jsp codegen --lang c — do not edit.
CC ?= cc
CFLAGS ?= -std=c99 -Wall -Wextra -Werror -O2
AR ?= ar
OBJS = ${mods.map((m) => `${m}.o`).join(' ')}

all: libjsp_codec.a adapter_bin

libjsp_codec.a: $(OBJS)
\t$(AR) rcs $@ $(OBJS)

%.o: %.c *.h
\t$(CC) $(CFLAGS) -c -o $@ $<

adapter_bin: adapter.c libjsp_codec.a *.h
\t$(CC) $(CFLAGS) -o $@ adapter.c libjsp_codec.a

clean:
\trm -f $(OBJS) libjsp_codec.a adapter_bin

.PHONY: all clean
`;
};

const ADAPTER_SH = `#!/bin/sh
# The JSP conformance adapter for the generated C codec (spec/conformance.yaml): builds the codec with
# make on first use (build output on stderr), then runs adapter_bin. Exit 127 when make or the C
# compiler is missing (the runner then reports every case unsupported); exit 1 when the build fails.
case "$0" in */*) dir=\${0%/*} ;; *) dir=. ;; esac
if [ ! -x "$dir/adapter_bin" ]; then
  command -v make >/dev/null 2>&1 || { echo "jsp adapter: make is not installed" >&2; exit 127; }
  command -v "\${CC:-cc}" >/dev/null 2>&1 || { echo "jsp adapter: no C compiler (\${CC:-cc})" >&2; exit 127; }
  make -s -C "$dir" 1>&2 || { echo "jsp adapter: the build failed (see above)" >&2; exit 1; }
fi
exec "$dir/adapter_bin"
`;

export function emitC(spec: Spec): GeneratedFile[] {
  return [
    ...emitCRuntime(),
    emitConstants(spec),
    emitErrors(spec),
    ...spec.messages.flatMap((f) => emitMessages(spec, f)),
    ...spec.wire.flatMap((f) => emitWire(spec, f)),
    ...emitAdapter(spec),
    { path: 'Makefile', content: MAKEFILE(spec) },
    { path: 'adapter', content: ADAPTER_SH },
  ];
}

