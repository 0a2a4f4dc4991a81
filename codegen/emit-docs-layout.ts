/**
 * Layout diagrams of binary structs, in the two notations implementers know from the RFCs:
 *
 * - the field listing of RFC 9000 §1.3 (`stream_id (i)`, `dcid (0..160)`, `[offset (i)]`,
 *   `ack_ranges (..) ...`, sizes in bits, `(i)` a varint), and
 * - the 32-bit box diagram of RFC 791 and the QUIC drafts, with fixed-size fields drawn to
 *   scale, variable-size fields on a row of their own ending in `...`, and the bits of a
 *   packed byte as single-letter keys (`|1|1|0 0|0 0|P P|`) explained in a legend.
 */
import { exprBounds } from './expr.ts';
import type { Atom, BitField, Field, Struct, Union, WireFile } from './ir.ts';
import { hex } from './emit-docs-md.ts';

const FIXED_BITS = { u8: 8, u16: 16, u32: 32, u64: 64 } as const;

/** The codes a union member claims: its base code with every combination of its flag bits. */
export function memberCodes(s: Struct): bigint[] {
  const mask = s.flags.reduce((a, f) => a | (1n << BigInt(f.bit)), 0n);
  const out: bigint[] = [];
  for (let sub = mask; ; sub = (sub - 1n) & mask) {
    out.push(s.code! | sub);
    if (sub === 0n) break;
  }
  return out.sort((a, b) => (a < b ? -1 : 1));
}

/** `0x08..0x0f`, `0x02..0x03`, `0x01`, or a comma list when the codes are not contiguous. */
export function codeText(s: Struct): string {
  const codes = memberCodes(s);
  const first = codes[0];
  const last = codes[codes.length - 1];
  if (codes.length === 1) return hex(first);
  if (last - first + 1n === BigInt(codes.length)) return `${hex(first)}..${hex(last)}`;
  return codes.map(hex).join(', ');
}

/** Title of a struct in diagrams: `STREAM Frame` for a union member, the spec id otherwise. */
export function structTitle(s: Struct, union?: Union): string {
  if (s.code !== undefined && union) return `${s.id.toUpperCase()} ${union.id.charAt(0).toUpperCase()}${union.id.slice(1)}`;
  return s.id;
}

/** Bounds of a struct's integer fields, for width expressions (packet_number_length + 1). */
function atomBoundsOf(s: Struct): (a: Atom) => { lo: number; hi: number } {
  const ranges = new Map<string, { lo: number; hi: number }>();
  for (const f of s.fields) {
    if (f.kind === 'int' || f.kind === 'uint') ranges.set(f.id, { lo: Number(f.min), hi: Number(f.max) });
    if (f.kind === 'bits') for (const b of f.bits) ranges.set(b.id, { lo: Number(b.const ?? 0n), hi: Number(b.const ?? b.max) });
  }
  return (a) => {
    if (a.kind === 'int' || a.kind === 'const') return { lo: Number(a.value), hi: Number(a.value) };
    if (a.kind === 'field') return ranges.get(a.id) ?? { lo: 0, hi: Infinity };
    return { lo: 0, hi: Infinity };
  };
}

/** Width in bytes of a `uint` field (its width expression's bounds). */
export function uintBytes(s: Struct, f: Extract<Field, { kind: 'uint' }>): { lo: number; hi: number } {
  return exprBounds(f.width, atomBoundsOf(s));
}

/**
 * Byte bounds of a bytes or message field: its declared min/max size, narrowed by what its size
 * expression can reach (`dcid_length`, a u8, bounds `dcid` to 255 bytes).
 */
export function sizeBounds(s: Struct, f: Extract<Field, { kind: 'bytes' | 'message' }>): { lo: number; hi: number } {
  let lo = f.kind === 'bytes' ? f.minSize : 0;
  let hi = f.maxSize;
  if (f.size.kind === 'expr') {
    const b = exprBounds(f.size.expr, atomBoundsOf(s));
    lo = Math.max(lo, b.lo);
    hi = Math.min(hi, b.hi);
  }
  return { lo, hi };
}

/** RFC 9000 size notation in bits: `(8)`, `(i)`, `(0..160)`, `(..)`. */
function bitsRange(lo: number, hi: number): string {
  if (hi === Infinity) return lo ? `(${lo * 8}..)` : '(..)';
  if (lo === hi) return `(${lo * 8})`;
  return `(${lo * 8}..${hi * 8})`;
}

interface Item {
  /** RFC 9000 listing text, without brackets or trailing comma. */
  text: string;
  optional: boolean;
  /** Fixed width in bits when the field always has it (box diagrams draw those to scale). */
  bits?: number;
  /** The bit fields of a packed byte. */
  packed?: BitField[];
}

/** The fields of a struct as listing items, including synthetic length prefixes and the type code. */
function items(s: Struct, union?: Union): Item[] {
  const out: Item[] = [];
  if (s.code !== undefined && union) out.push({ text: `type (i) = ${codeText(s)}`, optional: false });
  for (const f of s.fields) {
    const optional = f.if !== undefined;
    const rep = 'repeat' in f && f.repeat ? ' ...' : '';
    switch (f.kind) {
      case 'int': {
        const c = f.const !== undefined ? ` = ${hex(f.const)}` : '';
        const w = f.type === 'varint' ? undefined : FIXED_BITS[f.type];
        out.push({ text: `${f.id} (${w ?? 'i'})${c}${rep}`, optional, bits: rep || optional ? undefined : w });
        break;
      }
      case 'uint': {
        const b = uintBytes(s, f);
        out.push({ text: `${f.id} ${bitsRange(b.lo, b.hi)}`, optional, bits: b.lo === b.hi && !optional ? b.lo * 8 : undefined });
        break;
      }
      case 'bits':
        for (const b of f.bits) out.push({ text: `${b.id} (${b.width})${b.const !== undefined ? ` = ${b.const}` : ''}`, optional: false, bits: b.width, packed: [b] });
        break;
      case 'bytes':
      case 'message': {
        if (f.size.kind === 'prefix') {
          const w = f.size.type === 'varint' ? 'i' : String(FIXED_BITS[f.size.type]);
          out.push({ text: `len(${f.id}) (${w})`, optional: optional || f.size.if !== undefined, bits: f.size.type === 'varint' || f.size.if || optional ? undefined : Number(w) });
        }
        const { lo, hi } = sizeBounds(s, f);
        const fixed = f.size.kind === 'fixed' ? f.size.n : undefined;
        out.push({ text: `${f.id} ${bitsRange(lo, hi)}`, optional, bits: fixed !== undefined && !optional ? fixed * 8 : undefined });
        break;
      }
      case 'struct':
        out.push({ text: `${f.id} (..)${rep}`, optional });
        break;
    }
  }
  return out;
}

/** The RFC 9000 §1.3 listing of a struct. */
export function listing(s: Struct, union?: Union): string {
  const lines = items(s, union).map((it) => `  ${it.optional ? `[${it.text}]` : it.text},`);
  return `${structTitle(s, union)} {\n${lines.join('\n')}\n}\n`;
}

// ───────────────────────────── box diagrams ─────────────────────────────

type Row =
  | { kind: 'cells'; cells: Array<{ bits: number; label: string }> }
  | { kind: 'var'; label: string }
  | { kind: 'block'; rows: number; label: string };

const RULER =
  ' 0                   1                   2                   3\n' +
  ' 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1';

function center(label: string, width: number): string {
  if (label.length > width) throw new Error(`emit-docs: label '${label}' does not fit ${width} characters`);
  const left = Math.floor((width - label.length) / 2);
  return ' '.repeat(left) + label + ' '.repeat(width - label.length - left);
}

/** Assigns single-letter keys to names that do not fit their cell; the legend explains them. */
class Keys {
  readonly legend: Array<[string, string]> = [];
  private used = new Set<string>();
  key(name: string): string {
    const found = this.legend.find(([, n]) => n === name);
    if (found) return found[0];
    const candidates = [...name.toUpperCase().replace(/[^A-Z]/g, ''), ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    const k = candidates.find((c) => !this.used.has(c) && !/[0-9]/.test(c));
    if (!k) throw new Error('emit-docs: out of diagram keys');
    this.used.add(k);
    this.legend.push([k, name]);
    return k;
  }
}

/** Label of a fixed cell: the full text when it fits, else a key repeated per bit (`P P`). */
function cellLabel(it: Item, bits: number, keys: Keys): string {
  const room = 2 * bits - 1;
  const b = it.packed?.[0];
  if (b) {
    if (b.const !== undefined) return b.const.toString(2).padStart(b.width, '0').split('').join(' ');
    if (b.id.length <= room && bits > 1) return b.id;
    return Array(bits).fill(keys.key(b.id)).join(' ');
  }
  if (it.text.length <= room) return it.text;
  const id = it.text.split(' ')[0];
  if (id.length <= room) return id;
  return Array(Math.min(bits, Math.ceil(room / 2))).fill(keys.key(id)).join(' ');
}

function rows(list: Item[], keys: Keys): Row[] {
  const out: Row[] = [];
  let cur: Array<{ bits: number; label: string }> = [];
  let pos = 0;
  const flush = () => {
    if (cur.length) out.push({ kind: 'cells', cells: cur });
    cur = [];
    pos = 0;
  };
  for (const it of list) {
    const label = it.optional ? `[${it.text}]` : it.text;
    if (it.bits === undefined) {
      flush();
      // The row's own trailing '...' already says "variable"; a repeat marker would read twice.
      out.push({ kind: 'var', label: label.replace(/ \.\.\.$/, '') });
    } else if (it.bits > 32) {
      flush();
      if (it.bits % 32 === 0) out.push({ kind: 'block', rows: it.bits / 32, label });
      else out.push({ kind: 'var', label });
    } else {
      if (pos + it.bits > 32) flush();
      cur.push({ bits: it.bits, label: cellLabel(it, it.bits, keys) });
      pos += it.bits;
      if (pos === 32) flush();
    }
  }
  flush();
  return out;
}

const rowBits = (r: Row) => (r.kind === 'cells' ? r.cells.reduce((a, c) => a + c.bits, 0) : 32);
const border = (bits: number) => '+' + '-+'.repeat(bits);

/** The box diagram of a struct, with a legend for keyed cells. */
export function boxDiagram(s: Struct, union?: Union): string {
  const keys = new Keys();
  const list = items(s, union);
  const rs = rows(list, keys);
  const lines = [RULER];
  let prev = 0;
  for (const r of rs) {
    const w = rowBits(r);
    lines.push(border(Math.max(prev, w)));
    if (r.kind === 'cells') lines.push(r.cells.map((c) => '|' + center(c.label, 2 * c.bits - 1)).join('') + '|');
    else if (r.kind === 'var') lines.push('|' + center(r.label, 61) + '...');
    else {
      const n = 2 * r.rows - 1;
      for (let i = 0; i < n; i++) {
        const edge = i % 2 ? '+' : '|';
        lines.push(edge + (i === (n - 1) >> 1 ? center(r.label, 63) : ' '.repeat(63)) + edge);
      }
    }
    prev = w;
  }
  if (rs.length) lines.push(border(prev));
  else lines.push(border(32), '|' + center('(no fields)', 63) + '|', border(32));
  if (keys.legend.length) lines.push('', ...keys.legend.map(([k, n]) => `${k}: ${n}`));
  return lines.join('\n') + '\n';
}

/** The 8-bit box of a packed byte, most significant bit first, with masks. */
export function bitDiagram(bits: BitField[]): { diagram: string; masks: string[] } {
  const keys = new Keys();
  const cells = bits.map((b) => ({ bits: b.width, label: cellLabel({ text: b.id, optional: false, bits: b.width, packed: [b] }, b.width, keys) }));
  const lines = [
    ' 0 1 2 3 4 5 6 7',
    border(8),
    cells.map((c) => '|' + center(c.label, 2 * c.bits - 1)).join('') + '|',
    border(8),
  ];
  if (keys.legend.length) lines.push('', ...keys.legend.map(([k, n]) => `${k}: ${n}`));
  let shift = 8;
  const masks = bits.map((b) => {
    shift -= b.width;
    return hex(((1 << b.width) - 1) << shift);
  });
  return { diagram: lines.join('\n') + '\n', masks };
}

/** Wire file with a union: its members in ascending code order. */
export function unionMembers(file: WireFile): Struct[] {
  return file.structs.filter((s) => s.code !== undefined).sort((a, b) => (a.code! < b.code! ? -1 : a.code! > b.code! ? 1 : 0));
}
