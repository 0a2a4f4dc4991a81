/**
 * Binary-layout values for the vector generator, derived from the IR: sampling (typical, all-min,
 * all-max), a small solver that moves one field (an integer, a byte length or an element count)
 * until an expression reaches a target — used to satisfy constraints, break them by the smallest
 * amount and reach derived-field edges — and the context parameters a value implies.
 *
 * @module
 */
import type { BitField, Constraint, Expr, Field, Spec, Struct, WireFile } from '../../../codegen/ir.ts';
import { compare, evalOnValue, structOf, valueKeys } from '../../reference/wire.ts';
import type { Params, SpecObject, SpecValue, Target } from '../../reference/interpreter.ts';
import type { Rng } from './common.ts';
import { sampleMessage, normalizeMessage } from './message-values.ts';
import { findMessage } from '../../reference/protobuf.ts';

export type Mode = 'typical' | 'min' | 'max';

/** A union member or a plain struct, with what the generator needs to handle either. */
export interface Subject {
  spec: Spec;
  file: WireFile;
  st: Struct;
  target: Target;
  member: boolean;
  rng: Rng;
}

const FIXED_MAX: Record<string, bigint> = { u8: 0xffn, u16: 0xffffn, u32: 0xffff_ffffn, u64: (1n << 64n) - 1n, varint: (1n << 62n) - 1n };

/** Byte length the solver may give a field when nothing else is said. */
export const LEN_CAP = 2048;

export function withType(s: Subject, v: SpecObject): SpecObject {
  return s.member ? { type: s.st.id, ...v } : v;
}

function condOn(c: { flag: string; negate: boolean }, flags: Map<string, boolean>, v: SpecObject): boolean {
  const on = flags.has(c.flag) ? flags.get(c.flag)! : v[c.flag] === true;
  return on !== c.negate;
}

function pickInt(rng: Rng, lo: bigint, hi: bigint, varint: boolean): bigint {
  if (!varint) return rng.big(lo, hi);
  const r = rng.int(0, 19);
  const span = r < 10 ? 63n : r < 17 ? 16383n : (1n << 30n) - 1n;
  return rng.big(lo, hi < lo + span ? hi : lo + span);
}

/** A value of `st` for the given flag settings (presence flags included). */
export function sampleStruct(s: Subject, st: Struct, flags: Map<string, boolean>, mode: Mode): SpecObject {
  const { rng } = s;
  const v: SpecObject = {};
  for (const fl of st.flags) if (!fl.presenceOf) v[fl.id] = flags.get(fl.id) ?? false;
  const uintWidth = (f: Field & { kind: 'uint' }) => Number(evalOnValue(s.spec, s.file, st, v, f.width) ?? 1n);
  for (const f of st.fields) {
    if (f.if && !condOn(f.if, flags, v)) continue;
    switch (f.kind) {
      case 'int': {
        if (f.value || f.const !== undefined) break;
        const one = () => (mode === 'min' ? f.min : mode === 'max' ? f.max : pickInt(rng, f.min, f.max, f.type === 'varint'));
        if (f.repeat) {
          const n = mode === 'min' ? f.minCount ?? 0 : Math.max(f.minCount ?? 0, Math.min(2, f.maxCount ?? 2));
          v[f.id] = Array.from({ length: n }, one);
        } else v[f.id] = one();
        break;
      }
      case 'uint': {
        const hi = (1n << BigInt(8 * uintWidth(f))) - 1n;
        const top = f.max < hi ? f.max : hi;
        v[f.id] = mode === 'min' ? f.min : mode === 'max' ? top : rng.big(f.min, top);
        break;
      }
      case 'bits':
        for (const b of f.bits) {
          if (b.const !== undefined) continue;
          if (b.bool) v[b.id] = mode === 'min' ? false : mode === 'max' ? true : rng.bool();
          else v[b.id] = mode === 'min' ? 0n : mode === 'max' ? b.max : rng.big(0n, b.max);
        }
        break;
      case 'bytes': {
        let n: number;
        if (f.size.kind === 'fixed') n = f.size.n;
        else if (mode === 'min') n = f.minSize;
        else {
          const lo = Math.max(f.minSize, 1);
          n = rng.int(lo, Math.min(f.maxSize, lo + 7));
        }
        v[f.id] = rng.bytes(n);
        break;
      }
      case 'message': {
        const msg = findMessage(s.spec, f.message).message;
        v[f.id] = mode === 'min' ? normalizeMessage(s.spec, msg, {}) : sampleMessage(s.spec, msg, 'full', rng);
        break;
      }
      case 'struct': {
        const inner = structOf(s.file, f.struct);
        if (f.repeat) {
          const n = mode === 'min' ? f.minCount ?? 0 : Math.max(f.minCount ?? 0, Math.min(2, f.maxCount ?? 2));
          v[f.id] = Array.from({ length: n }, () => sampleStruct(s, inner, new Map(), mode));
        } else v[f.id] = sampleStruct(s, inner, new Map(), mode);
        break;
      }
    }
  }
  return v;
}

/** Adjustable integer-like fields of a struct: plain ints, uints and non-constant bit fields. */
export function intLike(st: Struct, id: string): { min: bigint; max: bigint; field: Field | BitField } | undefined {
  for (const f of st.fields) {
    if (f.kind === 'bits') {
      const b = f.bits.find((x) => x.id === id && x.const === undefined && !x.bool);
      if (b) return { min: 0n, max: b.max, field: b };
    } else if (f.id === id && f.kind === 'int' && !f.value && f.const === undefined && !f.repeat) {
      return { min: f.min, max: f.max, field: f };
    } else if (f.id === id && f.kind === 'uint') {
      return { min: f.min, max: f.max, field: f };
    }
  }
  return undefined;
}

/** Clamps packet numbers to the width their length field now gives. */
function fitUints(s: Subject, v: SpecObject): SpecObject {
  for (const f of s.st.fields) {
    if (f.kind !== 'uint' || typeof v[f.id] !== 'bigint') continue;
    const w = evalOnValue(s.spec, s.file, s.st, v, f.width);
    if (w === undefined) continue;
    const hi = (1n << (8n * w)) - 1n;
    if ((v[f.id] as bigint) > hi) v = { ...v, [f.id]: hi };
  }
  return v;
}

function resizeBytes(s: Subject, b: Uint8Array, n: number): Uint8Array {
  if (n <= b.length) return b.slice(0, n);
  const out = new Uint8Array(n);
  out.set(b);
  out.set(s.rng.bytes(n - b.length), b.length);
  return out;
}

/**
 * Moves one field of `v` (the first term of `expr` that can move) so that `expr` equals `target`.
 * Integers stay within min..max, byte lengths within their size bounds (at most `cap`), counts
 * within min..max count. Returns undefined when no single field can do it.
 */
export function adjust(s: Subject, v: SpecObject, expr: Expr, target: bigint, exclude: Set<string>, cap = LEN_CAP, depth = 0): SpecObject | undefined {
  const st = s.st;
  const cur = evalOnValue(s.spec, s.file, st, v, expr);
  if (cur === undefined) return undefined;
  const delta = target - cur;
  if (delta === 0n) return v;
  for (const { sign, atom } of expr.terms) {
    const step = sign === 1 ? delta : -delta;
    if (exclude.has((atom as { id?: string }).id ?? '')) continue;
    if (atom.kind === 'field') {
      const il = intLike(st, atom.id);
      if (il && typeof v[atom.id] === 'bigint') {
        const nv = (v[atom.id] as bigint) + step;
        if (nv >= il.min && nv <= il.max) return fitUints(s, { ...v, [atom.id]: nv });
        continue;
      }
      const d = st.fields.find((f) => f.id === atom.id);
      if (d?.kind === 'int' && d.value && depth < 4) {
        const dv = evalOnValue(s.spec, s.file, st, v, d.value);
        if (dv === undefined) continue;
        const r = adjust(s, v, d.value, dv + step, exclude, cap, depth + 1);
        if (r) return r;
      }
      continue;
    }
    if (atom.kind === 'len') {
      const f = st.fields.find((x) => x.id === atom.id);
      const b = v[atom.id];
      if (f?.kind !== 'bytes' || f.size.kind === 'fixed' || !(b instanceof Uint8Array)) continue;
      const n = BigInt(b.length) + step;
      if (n < BigInt(f.minSize) || n > BigInt(Math.min(f.maxSize, cap))) continue;
      return { ...v, [atom.id]: resizeBytes(s, b, Number(n)) };
    }
    if (atom.kind === 'count') {
      const f = st.fields.find((x) => x.id === atom.id);
      const arr = v[atom.id];
      if (!f || (f.kind !== 'struct' && f.kind !== 'int') || !Array.isArray(arr)) continue;
      const n = BigInt(arr.length) + step;
      if (n < BigInt(f.minCount ?? 0) || n > BigInt(Math.min(f.maxCount ?? Infinity, 1024))) continue;
      const next: SpecValue[] = arr.slice(0, Number(n));
      while (next.length < Number(n)) {
        next.push(f.kind === 'struct' ? sampleStruct(s, structOf(s.file, f.struct), new Map(), 'typical') : f.min);
      }
      return { ...v, [atom.id]: next };
    }
  }
  return undefined;
}

/** `left - right` of a constraint as one expression. */
export function difference(c: Constraint): Expr {
  return { text: `${c.left.text} - (${c.right.text})`, terms: [...c.left.terms, ...c.right.terms.map((t) => ({ sign: (t.sign === 1 ? -1 : 1) as 1 | -1, atom: t.atom }))] };
}

/** The value of left - right that satisfies (hold) or violates (break) a constraint by the least. */
export const HOLD_AT: Record<string, bigint> = { '<=': 0n, '<': -1n, '>=': 0n, '>': 1n, '==': 0n, '!=': 1n };
export const BREAK_AT: Record<string, bigint> = { '<=': 1n, '<': 0n, '>=': -1n, '>': 0n, '==': 1n, '!=': 0n };

/** Adjusts fields (never those in `exclude`) until every constraint holds; undefined if it cannot. */
export function repair(s: Subject, v: SpecObject, exclude: Set<string>, cap = LEN_CAP): SpecObject | undefined {
  for (let round = 0; round < 4; round++) {
    let broken = false;
    for (const c of s.st.constraints) {
      const d = evalOnValue(s.spec, s.file, s.st, v, difference(c));
      if (d === undefined || compare(d, c.op, 0n)) continue;
      broken = true;
      const next = adjust(s, v, difference(c), HOLD_AT[c.op], exclude, cap);
      if (!next) return undefined;
      v = next;
    }
    if (!broken) return v;
  }
  return undefined;
}

/**
 * Largest length a bytes field can have: its max_size, or what a derived length field that
 * measures it (e.g. `dcid_length: len(dcid)`, `length: packet_number_length + 1 + len(payload)`)
 * can express.
 */
export function effectiveMaxSize(st: Struct, id: string): number {
  const f = st.fields.find((x) => x.id === id);
  let max = f?.kind === 'bytes' ? f.maxSize : Infinity;
  for (const d of st.fields) {
    if (d.kind !== 'int' || !d.value) continue;
    const own = d.value.terms.find((t) => t.atom.kind === 'len' && t.atom.id === id && t.sign === 1);
    if (!own) continue;
    let rest = 0n;
    for (const t of d.value.terms) {
      if (t === own) continue;
      const lo = t.atom.kind === 'int' || t.atom.kind === 'const' ? t.atom.value : t.atom.kind === 'field' ? intLike(st, t.atom.id)?.min ?? 0n : 0n;
      rest += t.sign === 1 ? lo : 0n;
    }
    max = Math.min(max, Number(d.max - rest));
  }
  return max;
}

/** Parameters implied by a value: a parameter that sizes a bytes field is that field's length. */
export function paramsFor(s: Subject, v: SpecObject): Params | undefined {
  if (s.st.params.length === 0) return undefined;
  const out: Params = {};
  for (const p of s.st.params) {
    const f = s.st.fields.find((x) => x.kind === 'bytes' && x.size.kind === 'expr' && x.size.expr.terms.length === 1
      && x.size.expr.terms[0].sign === 1 && x.size.expr.terms[0].atom.kind === 'param' && x.size.expr.terms[0].atom.id === p.id);
    const b = f ? v[f.id] : undefined;
    if (!(b instanceof Uint8Array)) throw new Error(`${s.st.id}: cannot infer parameter '${p.id}'`);
    out[p.id] = b.length;
  }
  return out;
}

/** True when the encoding of v ends with data that runs to the end of the input (rest, eos). */
export function isOpenEnded(s: Subject, st: Struct, v: SpecObject): boolean {
  const flags = new Map(st.flags.map((fl) => [fl.id, fl.presenceOf ? v[fl.presenceOf] !== undefined : v[fl.id] === true]));
  for (const f of st.fields) {
    if (f.if && !condOn(f.if, flags, v)) continue;
    if ((f.kind === 'bytes' || f.kind === 'message') && (f.size.kind === 'rest' || (f.size.kind === 'prefix' && f.size.if && !condOn(f.size.if, flags, v)))) return true;
    if ((f.kind === 'int' || f.kind === 'struct') && f.repeat?.kind === 'eos') return true;
    if (f.kind === 'struct' && !f.repeat && v[f.id] && isOpenEnded(s, structOf(s.file, f.struct), v[f.id] as SpecObject)) return true;
  }
  return false;
}

/** Fields present in a value (by key), for choosing the shape with the most fields. */
export function presentCount(st: Struct, v: SpecObject): number {
  return valueKeys(st).filter((k) => v[k] !== undefined).length;
}

export { FIXED_MAX };
