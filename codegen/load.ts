/**
 * Loads `spec/*.yaml` and `spec/machines/*.yaml` into the IR: parse, validate against `schema/spec.schema.json` (ajv),
 * then resolve references and check what a schema cannot (unique ids, earlier-field rules,
 * union codes, bit widths) and compute size bounds. Every error names the file, the path in it
 * and, where known, the line.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import type * as ir from './ir.ts';
import { INT_TYPE_MAX } from './ir.ts';
import { ExprError, parseCond, parseComparison, parseExpr, exprBounds, exprFieldRefs, type Interval, type Resolve } from './expr.ts';
import { varintWidth } from './naming.ts';
import { at, documented, fileMeta, lineOf, SpecError, splitPointer, toBig, uniq, type RawFile } from './load-util.ts';
import { buildCrypto } from './load-crypto.ts';
import { buildMachines } from './load-machines.ts';

export { SpecError } from './load-util.ts';

export const ROOT = new URL('..', import.meta.url).pathname;
const SCHEMA_PATH = join(ROOT, 'schema/spec.schema.json');

/** Directories of `spec/` whose `*.yaml` files are spec files: the top level and `machines/`. */
const SPEC_SUBDIRS = ['', 'machines'];

function readSpecFiles(specDir: string): RawFile[] {
  const out: RawFile[] = [];
  for (const sub of SPEC_SUBDIRS) {
    const dir = join(specDir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.yaml')) out.push(readSpecFile(join(dir, name)));
    }
  }
  return out;
}

function readSpecFile(abs: string): RawFile {
  const bytes = readFileSync(abs);
  const lines = new LineCounter();
  const path = relative(ROOT, abs);
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new SpecError(path, '', `YAML: ${e.message}`, e.linePos?.[0]?.line);
  }
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), data: doc.toJS(), doc, lines };
}

function validateSchema(files: RawFile[]): void {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  for (const f of files) {
    if (validate(f.data)) continue;
    // The most specific error is the deepest one; if/then noise ("must match then schema") is skipped.
    const errs = (validate.errors ?? []).filter((e: ErrorObject) => e.keyword !== 'if' && e.keyword !== 'oneOf');
    const best = (errs.length ? errs : validate.errors ?? []).sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    const extra = best.keyword === 'additionalProperties' ? ` '${(best.params as any).additionalProperty}'` : '';
    const allowed = best.keyword === 'enum' ? ` (${(best.params as any).allowedValues.join(', ')})` : '';
    throw new SpecError(f.path, best.instancePath, `${best.message}${extra}${allowed}`, lineOf(f, splitPointer(best.instancePath)));
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const toNum = (v: bigint): number => (v > MAX_SAFE ? Infinity : Number(v));

// ───────────────────────────── constants and errors ─────────────────────────────

function buildConstants(f: RawFile): ir.ConstantsFile {
  const constants = (f.data.constants as any[]).map((c, i) =>
    at(f, ['constants', i], () => ({ id: c.id, value: toBig(c.value), unit: c.unit, ...documented(c) })));
  uniq(constants, f, '/constants');
  return { ...fileMeta(f), kind: 'constants', constants };
}

function buildErrors(f: RawFile): ir.ErrorsFile {
  const codes = (f.data.codes as any[]).map((c, i) => at(f, ['codes', i], () => ({ id: c.id, code: toBig(c.code), ...documented(c) })));
  uniq(codes, f, '/codes');
  const seen = new Map<bigint, string>();
  codes.forEach((c, i) => {
    if (seen.has(c.code)) throw new SpecError(f.path, `/codes/${i}/code`, `code ${c.code} already used by ${seen.get(c.code)}`, lineOf(f, ['codes', i]));
    seen.set(c.code, c.id);
  });
  const decodeErrorKinds = (f.data.decode_error_kinds as any[]).map((k) => ({ id: k.id, ...documented(k) }));
  uniq(decodeErrorKinds, f, '/decode_error_kinds');
  return { ...fileMeta(f), kind: 'errors', codes, decodeErrorKinds };
}

// ───────────────────────────── enums ─────────────────────────────

function buildEnums(f: RawFile): ir.EnumDef[] {
  const enums = ((f.data.enums ?? []) as any[]).map((e, i) => at(f, ['enums', i], () => {
    const values = (e.values as any[]).map((v) => ({ id: v.id, value: toBig(v.value), ...documented(v) }));
    uniq(values, f, `/enums/${i}/values`);
    if (new Set(values.map((v) => v.value)).size !== values.length) throw new Error(`enum '${e.id}' repeats a value`);
    return { id: e.id, unknown: e.unknown, values, ...documented(e) } as ir.EnumDef;
  }));
  uniq(enums, f, '/enums');
  return enums;
}

// ───────────────────────────── wire files ─────────────────────────────

interface Ctx {
  constants: Map<string, bigint>;
  messageMax: Map<string, number>;
  messageIds: Set<string>;
}

function constOrInt(v: unknown, ctx: Ctx): bigint {
  if (typeof v === 'string' && /^[a-z]/.test(v)) {
    const c = ctx.constants.get(v);
    if (c === undefined) throw new Error(`unknown constant '${v}'`);
    return c;
  }
  return toBig(v);
}

function buildWire(f: RawFile, ctx: Ctx): ir.WireFile {
  const enums = buildEnums(f);
  const enumIds = new Set(enums.map((e) => e.id));
  const rawStructs = f.data.structs as any[];
  const structIds = new Set(rawStructs.map((s) => s.id as string));
  const structs: ir.Struct[] = rawStructs.map((s, i) => at(f, ['structs', i], () => buildStruct(f, s, i, ctx, enumIds, structIds)));
  uniq(structs, f, '/structs');
  computeSizes(f, structs);

  let union: ir.Union | undefined;
  if (f.data.union) {
    const u = f.data.union;
    const members = structs.filter((s) => s.code !== undefined);
    union = { id: u.id, tag: u.tag, members: members.map((m) => m.id), unknown: 'error', ...documented(u) };
    // Every code a member claims (base code | any combination of its flag bits) is unique.
    const owner = new Map<bigint, string>();
    for (const m of members) {
      const mask = m.flags.reduce((a, fl) => a | (1n << BigInt(fl.bit)), 0n);
      if ((m.code! & mask) !== 0n) throw new SpecError(f.path, `/structs/${structs.indexOf(m)}/code`, `code 0x${m.code!.toString(16)} has bits set where its flags go`);
      for (let sub = mask; ; sub = (sub - 1n) & mask) {
        const c = m.code! | sub;
        if (owner.has(c)) throw new SpecError(f.path, `/structs/${structs.indexOf(m)}/code`, `code 0x${c.toString(16)} is claimed by both '${owner.get(c)}' and '${m.id}'`);
        owner.set(c, m.id);
        if (sub === 0n) break;
      }
      if (m.code! > INT_TYPE_MAX[u.tag as ir.IntType]) throw new Error(`code of '${m.id}' does not fit a ${u.tag}`);
    }
  } else if (structs.some((s) => s.code !== undefined)) {
    throw new SpecError(f.path, '/structs', 'structs have codes but the file declares no union');
  }
  return { ...fileMeta(f), kind: 'wire', error: f.data.meta.error, enums, structs, union };
}

function buildStruct(f: RawFile, s: any, si: number, ctx: Ctx, enumIds: Set<string>, structIds: Set<string>): ir.Struct {
  const params: ir.StructParam[] = (s.params ?? []).map((p: any) => ({ id: p.id, ...documented(p) }));
  const flags: ir.CodeFlag[] = (s.flags ?? []).map((fl: any) => ({ id: fl.id, bit: fl.bit, presenceOf: fl.presence_of, ...documented(fl) }));
  if (flags.length && s.code === undefined) throw new Error('flags need a code');
  uniq(flags, f, `/structs/${si}/flags`);
  const bitOwner = new Map<number, string>();
  for (const fl of flags) {
    if (bitOwner.has(fl.bit)) throw new Error(`flags '${bitOwner.get(fl.bit)}' and '${fl.id}' both use bit ${fl.bit}`);
    bitOwner.set(fl.bit, fl.id);
  }
  const rawFields = s.fields as any[];
  const allFieldIds = new Set(rawFields.map((x) => x.id as string));
  const seen = new Map<string, ir.Field | ir.BitField | ir.CodeFlag>();
  for (const fl of flags) seen.set(fl.id, fl);
  const paramIds = new Set(params.map((p) => p.id));

  // Every field id resolves; checkRefs then rejects one used before it is decoded (a clearer
  // message than 'unknown name' for a field that exists but comes later).
  const resolve: Resolve = (id) => {
    if (paramIds.has(id)) return { kind: 'param', id };
    if (seen.has(id)) return { kind: 'field', id };
    if (allFieldIds.has(id)) return { kind: 'field', id };
    if (ctx.constants.has(id)) return { kind: 'const', id, value: ctx.constants.get(id)! };
    return undefined;
  };
  const checkRefs = (e: ir.Expr, allowLater: boolean) => {
    for (const id of exprFieldRefs(e)) {
      if (!allFieldIds.has(id) && !seen.has(id)) throw new ExprError(`expression '${e.text}' names unknown field '${id}'`);
      if (!allowLater && !seen.has(id)) throw new ExprError(`expression '${e.text}' uses '${id}' before it is decoded`);
    }
  };
  const cond = (text: string | undefined): ir.Cond | undefined => {
    if (text === undefined) return undefined;
    const c = parseCond(text);
    const target = seen.get(c.flag);
    const isFlag = target && ('bit' in target || ('bool' in target && target.bool));
    if (!isFlag) throw new ExprError(`condition '${text}': '${c.flag}' is not an earlier flag or boolean bit field`);
    return c;
  };

  const fields: ir.Field[] = rawFields.map((r, fi) => at(f, ['structs', si, 'fields', fi], () => {
    const base = { id: r.id as string, if: cond(r.if), ...documented(r) };
    let field: ir.Field;
    switch (r.type) {
      case 'u8': case 'u16': case 'u32': case 'u64': case 'varint': {
        const type = r.type as ir.IntType;
        const max = r.max !== undefined ? constOrInt(r.max, ctx) : INT_TYPE_MAX[type];
        if (max > INT_TYPE_MAX[type]) throw new Error(`max ${max} does not fit a ${type}`);
        if (r.enum && !enumIds.has(r.enum)) throw new Error(`unknown enum '${r.enum}'`);
        const value = r.value !== undefined ? parseExpr(String(r.value), resolve) : undefined;
        if (value) checkRefs(value, true);
        const repeat = buildRepeat(r.repeat, resolve, checkRefs);
        field = {
          ...base, kind: 'int', type, min: r.min !== undefined ? constOrInt(r.min, ctx) : 0n, max,
          const: r.const !== undefined ? toBig(r.const) : undefined, enum: r.enum, value, repeat,
          minCount: repeat ? Number(r.min_count !== undefined ? constOrInt(r.min_count, ctx) : 0n) : undefined,
          maxCount: repeat ? toNum(r.max_count !== undefined ? constOrInt(r.max_count, ctx) : MAX_SAFE + 1n) : undefined,
        };
        break;
      }
      case 'uint': {
        const width = parseExpr(String(r.width), resolve);
        checkRefs(width, false);
        field = { ...base, kind: 'uint', width, min: r.min !== undefined ? constOrInt(r.min, ctx) : 0n, max: r.max !== undefined ? constOrInt(r.max, ctx) : 0xffff_ffffn };
        break;
      }
      case 'bits': {
        if (r.if) throw new Error('a bits field cannot be optional');
        const bits: ir.BitField[] = (r.bits as any[]).map((b) => {
          if (b.enum && !enumIds.has(b.enum)) throw new Error(`unknown enum '${b.enum}'`);
          const full = (1n << BigInt(b.width)) - 1n;
          const bf: ir.BitField = {
            id: b.id, width: b.width, const: b.const !== undefined ? toBig(b.const) : undefined, bool: b.type === 'bool',
            enum: b.enum, max: b.max !== undefined ? constOrInt(b.max, ctx) : full, ...documented(b),
          };
          if (bf.bool && bf.width !== 1) throw new Error(`bit field '${b.id}' of type bool must be 1 bit wide`);
          if (bf.max > full) throw new Error(`max ${bf.max} of bit field '${b.id}' does not fit ${b.width} bits`);
          if (bf.const !== undefined && bf.const > full) throw new Error(`const of '${b.id}' does not fit ${b.width} bits`);
          return bf;
        });
        const total = bits.reduce((a, b) => a + b.width, 0);
        if (total !== 8) throw new Error(`bit fields of '${r.id}' add up to ${total} bits, not 8`);
        for (const b of bits) {
          if (seen.has(b.id) || allFieldIds.has(b.id)) throw new Error(`bit field '${b.id}' clashes with another name`);
          seen.set(b.id, b);
        }
        field = { ...base, kind: 'bits', bits };
        break;
      }
      case 'bytes': {
        const size = buildSize(r.size, resolve, checkRefs, cond);
        field = {
          ...base, kind: 'bytes', size,
          minSize: Number(r.min_size !== undefined ? constOrInt(r.min_size, ctx) : 0n),
          maxSize: toNum(r.max_size !== undefined ? constOrInt(r.max_size, ctx) : MAX_SAFE + 1n),
        };
        if (size.kind === 'fixed') { field.minSize = Math.max(field.minSize, size.n); field.maxSize = Math.min(field.maxSize, size.n); }
        if (size.kind === 'prefix' && !size.if) field.maxSize = Math.min(field.maxSize, toNum(INT_TYPE_MAX[size.type]));
        break;
      }
      case 'struct': {
        if (!structIds.has(r.struct)) throw new Error(`unknown struct '${r.struct}'`);
        if (r.struct === s.id) throw new Error('a struct cannot contain itself');
        const repeat = buildRepeat(r.repeat, resolve, checkRefs);
        field = {
          ...base, kind: 'struct', struct: r.struct, repeat,
          minCount: repeat ? Number(r.min_count !== undefined ? constOrInt(r.min_count, ctx) : 0n) : undefined,
          maxCount: repeat ? toNum(r.max_count !== undefined ? constOrInt(r.max_count, ctx) : MAX_SAFE + 1n) : undefined,
        };
        break;
      }
      case 'message': {
        if (!ctx.messageIds.has(r.message)) throw new Error(`unknown message '${r.message}'`);
        const size = buildSize(r.size, resolve, checkRefs, cond);
        field = {
          ...base, kind: 'message', message: r.message, size,
          maxSize: Math.min(toNum(r.max_size !== undefined ? constOrInt(r.max_size, ctx) : MAX_SAFE + 1n), ctx.messageMax.get(r.message) ?? Infinity),
        };
        break;
      }
      default:
        throw new Error(`unknown field type '${r.type}'`);
    }
    if (r.type !== 'bits') seen.set(r.id, field);
    return field;
  }));
  uniq(fields.filter((x) => x.kind !== 'bits'), f, `/structs/${si}/fields`);

  for (const fl of flags) {
    if (!fl.presenceOf) continue;
    const target = fields.find((x) => x.id === fl.presenceOf);
    if (!target) throw new SpecError(f.path, `/structs/${si}/flags`, `flag '${fl.id}' is the presence of unknown field '${fl.presenceOf}'`);
    if (!target.if || target.if.flag !== fl.id || target.if.negate) {
      throw new SpecError(f.path, `/structs/${si}/flags`, `field '${fl.presenceOf}' must have 'if: ${fl.id}' since flag '${fl.id}' is its presence`);
    }
  }

  const constraints: ir.Constraint[] = (s.constraints ?? []).map((c: any, ci: number) => at(f, ['structs', si, 'constraints', ci], () => {
    const cmp = parseComparison(String(c.expr), resolve);
    checkRefs(cmp.left, true);
    checkRefs(cmp.right, true);
    return { text: String(c.expr).trim(), ...cmp, ...documented(c) };
  }));

  return {
    id: s.id, params, fields, constraints, code: s.code !== undefined ? toBig(s.code) : undefined, flags,
    minSize: 0, maxSize: 0, ...documented(s),
  };
}

function buildSize(raw: any, resolve: Resolve, checkRefs: (e: ir.Expr, later: boolean) => void,
  cond: (text: string) => ir.Cond | undefined): ir.Size {
  if (typeof raw === 'number') return { kind: 'fixed', n: raw };
  if (typeof raw === 'object') {
    const size: ir.Size = { kind: 'prefix', type: raw.prefix };
    if (raw.if !== undefined) {
      if (raw.else !== 'rest') throw new Error("a conditional prefix needs 'else: rest'");
      size.if = cond(raw.if);
    }
    return size;
  }
  const text = String(raw).trim();
  const rest = /^rest(?:\s*-\s*(\d+))?$/.exec(text);
  if (rest) return { kind: 'rest', minus: Number(rest[1] ?? 0) };
  const expr = parseExpr(text, resolve);
  if (expr.terms.some((t) => t.atom.kind === 'rest')) throw new Error(`size '${text}': 'rest' may only stand alone or as 'rest - N'`);
  checkRefs(expr, false);
  return { kind: 'expr', expr };
}

function buildRepeat(raw: any, resolve: Resolve, checkRefs: (e: ir.Expr, later: boolean) => void): ir.Repeat | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'eos') return { kind: 'eos' };
  const count = parseExpr(String(raw.count), resolve);
  checkRefs(count, false);
  return { kind: 'count', count };
}

/** Interval arithmetic over each struct's fields, structs in dependency order. */
function computeSizes(f: RawFile, structs: ir.Struct[]): void {
  const byId = new Map(structs.map((s) => [s.id, s]));
  const done = new Set<string>();
  const visit = (s: ir.Struct, stack: string[]): void => {
    if (done.has(s.id)) return;
    if (stack.includes(s.id)) throw new SpecError(f.path, '/structs', `struct cycle: ${[...stack, s.id].join(' -> ')}`);
    for (const fl of s.fields) if (fl.kind === 'struct') visit(byId.get(fl.struct)!, [...stack, s.id]);
    const ranges = new Map<string, Interval>();
    const lens = new Map<string, Interval>();
    const counts = new Map<string, Interval>();
    const atomBounds = (a: ir.Atom): Interval => {
      switch (a.kind) {
        case 'int': case 'const': return { lo: toNum(a.value), hi: toNum(a.value) };
        case 'field': return ranges.get(a.id) ?? { lo: 0, hi: Infinity };
        case 'len': return lens.get(a.id) ?? { lo: 0, hi: Infinity };
        case 'count': return counts.get(a.id) ?? { lo: 0, hi: Infinity };
        default: return { lo: 0, hi: Infinity };
      }
    };
    let lo = 0;
    let hi = 0;
    if (s.code !== undefined) { const w = varintWidth(s.code); lo += w; hi += w; }
    for (const fl of s.fields) {
      let fLo = 0;
      let fHi = 0;
      switch (fl.kind) {
        case 'int': {
          const width = (v: bigint) => (fl.type === 'varint' ? varintWidth(v) : { u8: 1, u16: 2, u32: 4, u64: 8 }[fl.type]);
          fLo = width(fl.const ?? fl.min);
          fHi = width(fl.const ?? fl.max);
          ranges.set(fl.id, { lo: toNum(fl.const ?? fl.min), hi: toNum(fl.const ?? fl.max) });
          if (fl.repeat) {
            const c = fl.repeat.kind === 'count' ? exprBounds(fl.repeat.count, atomBounds) : { lo: 0, hi: Infinity };
            const cLo = Math.max(c.lo, fl.minCount ?? 0);
            const cHi = Math.min(c.hi, fl.maxCount ?? Infinity);
            counts.set(fl.id, { lo: cLo, hi: cHi });
            fLo *= cLo; fHi *= cHi;
          }
          break;
        }
        case 'uint': {
          const w = exprBounds(fl.width, atomBounds);
          if (w.lo < 1 || w.hi > 6) {
            const where = ['structs', structs.indexOf(s), 'fields', s.fields.indexOf(fl)];
            throw new SpecError(f.path, `/${where.join('/')}`, `uint width '${fl.width.text}' can be ${w.lo}..${w.hi}; it must stay within 1..6`, lineOf(f, where));
          }
          fLo = w.lo; fHi = w.hi;
          ranges.set(fl.id, { lo: toNum(fl.min), hi: toNum(fl.max) });
          break;
        }
        case 'bits':
          fLo = fHi = 1;
          for (const b of fl.bits) ranges.set(b.id, { lo: toNum(b.const ?? 0n), hi: toNum(b.const ?? b.max) });
          break;
        case 'bytes':
        case 'message': {
          let d: Interval;
          let prefix: Interval = { lo: 0, hi: 0 };
          const minSize = fl.kind === 'bytes' ? fl.minSize : 0;
          if (fl.size.kind === 'fixed') d = { lo: fl.size.n, hi: fl.size.n };
          else if (fl.size.kind === 'expr') d = exprBounds(fl.size.expr, atomBounds);
          else if (fl.size.kind === 'prefix') {
            d = { lo: minSize, hi: fl.maxSize };
            const pw = (v: number) => (fl.size.kind === 'prefix' && fl.size.type === 'varint' ? varintWidth(BigInt(Math.min(v, Number.MAX_SAFE_INTEGER))) : { u8: 1, u16: 2, u32: 4, u64: 8, varint: 8 }[(fl.size as any).type as ir.IntType]);
            prefix = { lo: fl.size.if ? 0 : pw(d.lo), hi: pw(d.hi === Infinity ? Number.MAX_SAFE_INTEGER : d.hi) };
          } else d = { lo: minSize, hi: fl.maxSize };
          d = { lo: Math.max(d.lo, minSize, 0), hi: Math.min(d.hi, fl.maxSize) };
          lens.set(fl.id, d);
          fLo = prefix.lo + d.lo;
          fHi = prefix.hi + d.hi;
          break;
        }
        case 'struct': {
          const inner = byId.get(fl.struct)!;
          let c: Interval = { lo: 1, hi: 1 };
          if (fl.repeat) {
            c = fl.repeat.kind === 'count' ? exprBounds(fl.repeat.count, atomBounds) : { lo: 0, hi: Infinity };
            c = { lo: Math.max(c.lo, fl.minCount ?? 0), hi: Math.min(c.hi, fl.maxCount ?? Infinity) };
            counts.set(fl.id, c);
          }
          fLo = inner.minSize * c.lo;
          fHi = c.hi === 0 ? 0 : inner.maxSize * c.hi;
          break;
        }
      }
      if (fl.if) fLo = 0;
      lo += fLo;
      hi += fHi;
    }
    s.minSize = lo;
    s.maxSize = Number.isFinite(hi) ? hi : Infinity;
    done.add(s.id);
  };
  for (const s of structs) visit(s, []);
}

// ───────────────────────────── messages files ─────────────────────────────

const PB_MAX: Record<ir.PbScalar, bigint> = { uint32: 0xffff_ffffn, uint64: 0xffff_ffff_ffff_ffffn, bool: 1n, bytes: 0n, string: 0n };

function buildMessages(f: RawFile, ctx: Ctx, errorIds: Set<string>): ir.MessagesFile {
  const enums = buildEnums(f);
  const enumIds = new Set(enums.map((e) => e.id));
  const msgIds = new Set((f.data.messages as any[]).map((m) => m.id as string));
  const maxRepeated = ctx.constants.get('max_repeated') ?? 64n;
  const maxMessage = toNum(ctx.constants.get('max_message_size') ?? MAX_SAFE);
  const fileError = f.data.meta.error;
  if (!errorIds.has(fileError)) throw new SpecError(f.path, '/meta/error', `unknown error code '${fileError}'`);
  const messages: ir.Message[] = (f.data.messages as any[]).map((m, mi) => at(f, ['messages', mi], () => {
    if (m.error && !errorIds.has(m.error)) throw new Error(`unknown error code '${m.error}'`);
    const fields: ir.PbField[] = (m.fields as any[]).map((r, fi) => at(f, ['messages', mi, 'fields', fi], () => {
      if (r.type === 'enum' && !enumIds.has(r.enum)) throw new Error(`unknown enum '${r.enum}'`);
      if (r.type === 'message' && !msgIds.has(r.message)) throw new Error(`unknown message '${r.message}'`);
      const repeated = !!r.repeated;
      const optional = r.type === 'message' ? !repeated : !!r.optional;
      if (r.optional && repeated) throw new Error('a repeated field cannot be optional');
      if (r.required && !optional) throw new Error('only a field with explicit presence (optional, or a message) can be required');
      const scalarMax = r.type === 'enum' ? 0x7fff_ffffn : r.type === 'message' ? 0n : PB_MAX[r.type as ir.PbScalar];
      const max = r.max !== undefined ? constOrInt(r.max, ctx) : scalarMax;
      if (max > scalarMax) throw new Error(`max ${max} does not fit a ${r.type}`);
      return {
        id: r.id, number: r.number, type: r.type, enum: r.enum, message: r.message, repeated, optional, required: !!r.required,
        min: r.min !== undefined ? constOrInt(r.min, ctx) : 0n, max,
        minSize: Number(r.min_size !== undefined ? constOrInt(r.min_size, ctx) : 0n),
        maxSize: Math.min(toNum(r.max_size !== undefined ? constOrInt(r.max_size, ctx) : MAX_SAFE + 1n), maxMessage),
        maxCount: repeated ? toNum(r.max_count !== undefined ? constOrInt(r.max_count, ctx) : maxRepeated) : 1,
        ...documented(r),
      } satisfies ir.PbField;
    }));
    uniq(fields, f, `/messages/${mi}/fields`);
    const nums = new Set<number>();
    for (const fl of fields) {
      if (nums.has(fl.number)) throw new Error(`field number ${fl.number} used twice`);
      if (fl.number >= 19000 && fl.number <= 19999) throw new Error(`field number ${fl.number} is reserved by protobuf`);
      nums.add(fl.number);
    }
    return { id: m.id, error: m.error ?? fileError, fields, ...documented(m) };
  }));
  uniq(messages, f, '/messages');
  return { ...fileMeta(f), kind: 'messages', package: f.data.meta.package, error: fileError, enums, messages };
}

// ───────────────────────────── the whole spec ─────────────────────────────

export function loadSpec(specDir = join(ROOT, 'spec')): ir.Spec {
  const raw = readSpecFiles(specDir);
  validateSchema(raw);
  const ofKind = (k: string) => raw.filter((f) => f.data.meta.kind === k);
  const one = (k: string) => {
    const fs = ofKind(k);
    if (fs.length !== 1) throw new SpecError('spec/', '', `expected exactly one file of kind '${k}', found ${fs.length}`);
    return fs[0];
  };
  const constants = buildConstants(one('constants'));
  const errors = buildErrors(one('errors'));
  const errorIds = new Set(errors.codes.map((c) => c.id));
  const ctx: Ctx = { constants: new Map(constants.constants.map((c) => [c.id, c.value])), messageMax: new Map(), messageIds: new Set() };

  const messages = ofKind('messages').map((f) => buildMessages(f, ctx, errorIds));
  for (const mf of messages) for (const m of mf.messages) {
    if (ctx.messageIds.has(m.id)) throw new SpecError(mf.path, `/messages/${m.id}`, `message '${m.id}' is defined in two files`);
    ctx.messageIds.add(m.id);
    ctx.messageMax.set(m.id, toNum(ctx.constants.get('max_message_size') ?? MAX_SAFE));
  }
  const wire = ofKind('wire').map((f) => {
    if (!errorIds.has(f.data.meta.error)) throw new SpecError(f.path, '/meta/error', `unknown error code '${f.data.meta.error}'`);
    return buildWire(f, ctx);
  });
  const protocol: ir.ProtocolFile[] = ofKind('protocol').map((f) => ({
    ...fileMeta(f), kind: 'protocol',
    sections: (f.data.sections as any[]).map((s) => ({ id: s.id, title: s.title, ...documented(s) })),
  }));

  const cryptoFiles = ofKind('crypto');
  if (cryptoFiles.length > 1) throw new SpecError('spec/', '', `expected at most one file of kind 'crypto', found ${cryptoFiles.length}`);
  const crypto = cryptoFiles.length ? buildCrypto(cryptoFiles[0], messages) : undefined;
  const machines = buildMachines(ofKind('machine'), errorIds);

  const spec: ir.Spec = {
    files: raw.map((f) => fileMeta(f)), constants, errors, wire, messages, protocol, crypto, machines, requirements: [],
  };
  spec.requirements = collectRequirements(raw);
  return spec;
}

/** Every requirement id, where it stands; ids must be unique across the spec. */
function collectRequirements(raw: RawFile[]): ir.Spec['requirements'] {
  const out: ir.Spec['requirements'] = [];
  const seen = new Map<string, string>();
  const walk = (f: RawFile, node: any, path: string) => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(f, n, `${path}/${n?.id ?? i}`)); return; }
    if (!node || typeof node !== 'object') return;
    for (const r of node.req ?? []) {
      if (seen.has(r.id)) throw new SpecError(f.path, path, `requirement id '${r.id}' is already used at ${seen.get(r.id)}`);
      seen.set(r.id, `${f.path}${path}`);
      out.push({ id: r.id, level: r.level, text: String(r.text).trim(), file: f.path, where: path || '/' });
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'req' && typeof v === 'object') walk(f, v, `${path}/${k}`);
  };
  for (const f of raw) walk(f, f.data, '');
  return out;
}
