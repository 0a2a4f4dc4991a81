/**
 * Encoders of the TypeScript wire emitter, for one struct:
 * - `checkX(v)` rejects every value a decoder would reject (EncodeError naming the path, value and
 *   allowed range), so that writes never produce bytes that do not decode back;
 * - `sizeX(v)` the exact encoded size;
 * - `putX(w, v)` the writes themselves, one per field, with their byte budgets.
 */
import type { BitsField, BytesField, Field, IntField, MessageField, StructField, UintField } from './ir.ts';
import { INT_TYPE_MAX } from './ir.ts';
import { camel, pascal, varintWidth } from './naming.ts';
import { MAX_SAFE, fixedWidth, lit, str, tpl, type StructModel } from './emit-ts-wire-model.ts';
import { Code, constraintDetail, enumTest, JS_OP, memberCodes } from './emit-ts-wire-read.ts';

const NEGATE = { '==': '!==', '!=': '===', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;

/** `v.streamId`. */
const prop = (id: string) => `v.${camel(id)}`;

/** The test that number/bigint `x` is not an integer in min..max. */
function notInRange(x: string, min: bigint, max: bigint, big: boolean): string {
  if (big) return min === 0n ? `${x} > ${lit(max, true)}` : `(${x} < ${lit(min, true)} || ${x} > ${lit(max, true)})`;
  if (max === MAX_SAFE && min === 0n) return `!(Number.isSafeInteger(${x}) && ${x} >= 0)`;
  return `!(Number.isInteger(${x}) && ${x} >= ${min} && ${x} <= ${max})`;
}

/** A bound as the encoder's error message shows it (`MAX_SAFE` for 2^53-1). */
function boundLit(v: bigint, big: boolean): string {
  return !big && v === MAX_SAFE ? 'MAX_SAFE' : lit(v, big);
}

/** `if (v.x !== undefined) ` for an optional field, else ''. */
function guard(f: Field): string {
  return f.if ? `if (${prop(f.id)} !== undefined) ` : '';
}

/** `v.x !== undefined && ` for an optional field, else '' — to join with a test. */
function present(f: Field): string {
  return f.if ? `${prop(f.id)} !== undefined && ` : '';
}

// ───────────────────────────── check ─────────────────────────────

function checkPresence(c: Code, sm: StructModel, f: Field): void {
  if (!f.if) return;
  const flag = sm.named.get(f.if.flag);
  if (flag?.kind === 'flag' && flag.flag.presenceOf === f.id && !f.if.negate) return; // the flag is derived from the field
  c.line(`if ((${sm.cond(f.if, 'encode')}) !== (${prop(f.id)} !== undefined)) throw presenceError(${sm.what(f.id)}, ${prop(f.id)} !== undefined, ${str(f.if.text)});`);
}

function checkInt(c: Code, sm: StructModel, f: IntField, x: string, pre = ''): void {
  const w = sm.what(f.id);
  const big = sm.isBig(f);
  if (big) c.line(`if (${pre}typeof ${x} !== 'bigint') throw new EncodeError('wrong_type', ${w}, \`expected a bigint, got \${describeValue(${x})}\`);`);
  c.line(`if (${pre}${notInRange(x, f.min, f.max, big)}) throw rangeError(${w}, ${x}, ${boundLit(f.min, big)}, ${boundLit(f.max, big)});`);
  if (f.enum) {
    const e = sm.m.file.enums.find((d) => d.id === f.enum)!;
    const t = enumTest(x, e, { lo: Number(f.min), hi: Number(f.max) }, big);
    if (t) c.line(`if (${pre ? `${pre}(${t})` : t}) throw new EncodeError('out_of_range', ${w}, \`value \${${x}} is not a ${e.id} value\`);`);
  }
}

function checkCount(c: Code, sm: StructModel, f: IntField | StructField): void {
  const x = prop(f.id);
  const w = sm.what(f.id);
  c.line(`if (!Array.isArray(${x})) throw new EncodeError('wrong_type', ${w}, \`expected an array, got \${describeValue(${x})}\`);`);
  const max = f.maxCount ?? Infinity;
  const min = f.minCount ?? 0;
  if (max !== Infinity) c.line(`if (${x}.length > ${max}) throw new EncodeError('out_of_range', ${w}, \`\${${x}.length} elements, at most ${max}\`);`);
  if (min > 0) c.line(`if (${x}.length < ${min}) throw new EncodeError('out_of_range', ${w}, \`\${${x}.length} elements, at least ${min}\`);`);
}

function checkBytes(c: Code, sm: StructModel, f: BytesField): void {
  const x = prop(f.id);
  const w = sm.what(f.id);
  const pre = present(f);
  c.line(`if (${pre}!(${x} instanceof Uint8Array)) throw notBytes(${w}, ${x});`);
  if (f.size.kind === 'fixed') {
    c.line(`if (${pre}${x}.length !== ${f.size.n}) throw new EncodeError('length_mismatch', ${w}, \`expected ${f.size.n} bytes, got \${${x}.length}\`);`);
    return;
  }
  sizeCheck(c, `${x}.length`, f.minSize, f.maxSize, w, pre);
}

function sizeCheck(c: Code, n: string, min: number, max: number, w: string, pre = ''): void {
  const tests: string[] = [];
  if (min > 0) tests.push(`${n} < ${min}`);
  if (max !== Infinity) tests.push(`${n} > ${max}`);
  const test = pre && tests.length > 1 ? `${pre}(${tests.join(' || ')})` : `${pre}${tests.join(' || ')}`;
  if (tests.length) c.line(`if (${test}) throw sizeError(${w}, ${n}, ${min}, ${max === Infinity ? 'Infinity' : max});`);
}

function checkMessage(c: Code, sm: StructModel, f: MessageField): void {
  const size = f.size;
  const fixed = size.kind === 'fixed' ? size.n : undefined;
  const max = size.kind === 'prefix' && !size.if && size.type !== 'varint' ? Math.min(f.maxSize, Number(INT_TYPE_MAX[size.type])) : f.maxSize;
  if (fixed === undefined && max === Infinity) return;
  const n = sm.temp(`${f.id}_size`);
  const body = (cc: Code) => {
    cc.line(`const ${n} = size${pascal(f.message)}(${prop(f.id)});`);
    if (fixed !== undefined) cc.line(`if (${n} !== ${fixed}) throw new EncodeError('length_mismatch', ${sm.what(f.id)}, \`encodes to \${${n}} bytes, expected ${fixed}\`);`);
    else sizeCheck(cc, n, 0, max, sm.what(f.id));
  };
  if (f.if) c.block(`if (${prop(f.id)} !== undefined)`, () => body(c));
  else body(c);
}

function checkBits(c: Code, sm: StructModel, f: BitsField): void {
  for (const b of f.bits) {
    if (b.const !== undefined) continue;
    const x = prop(b.id);
    const w = sm.what(b.id);
    if (b.bool) {
      c.line(`if (typeof ${x} !== 'boolean') throw notBool(${w}, ${x});`);
      continue;
    }
    c.line(`if (${notInRange(x, 0n, b.max, false)}) throw rangeError(${w}, ${x}, 0, ${b.max});`);
    if (b.enum) {
      const e = sm.m.file.enums.find((d) => d.id === b.enum)!;
      const t = enumTest(x, e, { lo: 0, hi: Number(b.max) }, false);
      if (t) c.line(`if (${t}) throw new EncodeError('out_of_range', ${w}, \`value \${${x}} is not a ${e.id} value\`);`);
    }
  }
}

/** Pass 1: each stored value on its own (type, range, size, enum, presence). */
function checkField(c: Code, sm: StructModel, f: Field): void {
  checkPresence(c, sm, f);
  switch (f.kind) {
    case 'int':
      if (!sm.isProp(f)) return;
      if (f.repeat) {
        checkCount(c, sm, f);
        c.block(`for (let i = 0; i < ${prop(f.id)}.length; i++)`, () => checkInt(c, sm, f, `${prop(f.id)}[i]`));
      } else checkInt(c, sm, f, prop(f.id), present(f));
      return;
    case 'uint':
      c.line(`if (${present(f)}${notInRange(prop(f.id), f.min, f.max, false)}) throw rangeError(${sm.what(f.id)}, ${prop(f.id)}, ${f.min}, ${f.max});`);
      return;
    case 'bits': return checkBits(c, sm, f);
    case 'bytes': return checkBytes(c, sm, f);
    case 'message': return checkMessage(c, sm, f);
    case 'struct': {
      const inner = sm.m.model(f.struct).name;
      if (f.repeat) {
        checkCount(c, sm, f);
        c.line(`for (let i = 0; i < ${prop(f.id)}.length; i++) check${inner}(${prop(f.id)}[i]);`);
      } else c.line(`${guard(f)}check${inner}(${prop(f.id)});`);
    }
  }
}

/**
 * Derived values, computed in dependency order (`const length = v.packetNumberLength + 1 + v.payload.length;`):
 * those the code after them uses, and with `checked` those whose range the encoder must check.
 */
function derivedLocals(sm: StructModel, after: string, checked: boolean): Code {
  const c = new Code();
  const order = sm.derivedOrder();
  // a local, not a property of the same name (`v.connectionId.length` does not use `length`)
  const uses = (text: string, id: string) => new RegExp(`(?<![.\\w$])${sm.local(id)}\\b`).test(text);
  const tests = new Map<string, string[]>();
  for (const f of order) {
    if (sm.exprIsBig(f.value)) throw new Error(`codegen: ${sm.s.id}.${f.id}: a derived value cannot use 64-bit fields`);
    if (sm.optionalRefs(f.value).length) throw new Error(`codegen: ${sm.s.id}.${f.id}: a derived value cannot use optional fields`);
    const x = sm.local(f.id);
    const b = sm.bounds(f.value);
    const max = f.max > MAX_SAFE ? MAX_SAFE : f.max;
    const t: string[] = [];
    if (checked && b.lo < Number(f.min)) t.push(`${x} < ${f.min}`);
    if (checked && b.hi > Number(max)) t.push(`${x} > ${max}`);
    tests.set(f.id, t);
  }
  // Needed: used later, or checked; then everything a needed value's expression uses.
  const needed = new Set(order.filter((f) => uses(after, f.id) || tests.get(f.id)!.length).map((f) => f.id));
  for (const f of [...order].reverse()) {
    if (!needed.has(f.id)) continue;
    for (const d of order) if (uses(sm.expr(f.value, 'encode'), d.id)) needed.add(d.id);
  }
  for (const f of order) {
    if (!needed.has(f.id)) continue;
    const x = sm.local(f.id);
    c.line(`const ${x} = ${sm.expr(f.value, 'encode')}; // ${f.id} = ${f.value.text}`);
    const t = tests.get(f.id)!;
    if (t.length) c.line(`if (${t.join(' || ')}) throw rangeError(${sm.what(f.id)}, ${x}, ${f.min}, ${boundLit(f.max > MAX_SAFE ? MAX_SAFE : f.max, false)});`);
  }
  return c;
}

/** True when the linear form of a size/count is exactly `len(id)`/`count(id)`: the derived fields make it hold. */
function implied(sm: StructModel, e: Parameters<StructModel['linear']>[0], key: string): boolean {
  const l = sm.linear(e);
  return l.size === 1 && l.get(key) === 1n;
}

/** Pass 3: relations between values — packet-number widths, computed sizes and counts, constraints. */
function checkRelations(c: Code, sm: StructModel): void {
  for (const f of sm.s.fields) {
    if (f.kind === 'uint') checkUintWidth(c, sm, f);
    const sizeExpr = (f.kind === 'bytes' || f.kind === 'message') && f.size.kind === 'expr' ? f.size.expr : undefined;
    if (sizeExpr && !implied(sm, sizeExpr, `len:${f.id}`)) {
      if (sizeExpr.terms.some((t) => t.atom.kind === 'param')) {
        c.line(`// ${f.id}: its size (${sizeExpr.text}) is a decoder parameter, which the encoder cannot check.`);
      } else {
        const actual = f.kind === 'message' ? `size${pascal(f.message)}(${prop(f.id)})` : `${prop(f.id)}.length`;
        const e = sm.expr(sizeExpr, 'encode');
        c.line(`${guard(f)}if (${actual} !== ${e}) throw new EncodeError('length_mismatch', ${sm.what(f.id)}, \`\${${actual}} bytes, but ${tpl(sizeExpr.text)} = \${${e}}\`);`);
      }
    }
    const count = (f.kind === 'int' || f.kind === 'struct') && f.repeat?.kind === 'count' ? f.repeat.count : undefined;
    if (count && !implied(sm, count, `count:${f.id}`)) {
      const e = sm.expr(count, 'encode');
      c.line(`if (${prop(f.id)}.length !== ${e}) throw new EncodeError('length_mismatch', ${sm.what(f.id)}, \`\${${prop(f.id)}.length} elements, but ${tpl(count.text)} = \${${e}}\`);`);
    }
  }
  for (const k of sm.s.constraints) {
    const big = sm.exprIsBig(k.left, k.right);
    const refs = [...new Set([...sm.optionalRefs(k.left), ...sm.optionalRefs(k.right)])];
    const g = refs.map((id) => `${prop(id)} !== undefined && `).join('');
    const left = sm.expr(k.left, 'encode', big);
    const right = sm.expr(k.right, 'encode', big);
    const detail = `${constraintDetail(k.text, k.req)} does not hold: \${${left}} ${JS_OP[k.op].replace('===', '==').replace('!==', '!=')} \${${right}}`;
    c.line(`if (${g}${left} ${NEGATE[k.op]} ${right}) throw new EncodeError('out_of_range', ${str(sm.path)}, \`${detail}\`);`);
  }
}

function checkUintWidth(c: Code, sm: StructModel, f: UintField): void {
  const b = sm.bounds(f.width);
  if (Number(f.max) < 2 ** (8 * b.lo)) return;
  const width = sm.expr(f.width, 'encode');
  c.line(`${guard(f)}if (${prop(f.id)} >= 2 ** (8 * (${width}))) throw new EncodeError('out_of_range', ${sm.what(f.id)}, \`value \${${prop(f.id)}} does not fit in ${tpl(f.width.text)} = \${${width}} bytes\`);`);
}

export function checkBody(sm: StructModel): string {
  const c = new Code();
  for (const fl of sm.s.flags) {
    if (!fl.presenceOf) c.line(`if (typeof ${prop(fl.id)} !== 'boolean') throw notBool(${sm.what(fl.id)}, ${prop(fl.id)});`);
  }
  for (const f of sm.s.fields) checkField(c, sm, f);
  const relations = new Code();
  checkRelations(relations, sm);
  c.lines.push(...derivedLocals(sm, relations.text(), true).lines, ...relations.lines);
  if (!c.lines.length) c.line('// nothing to check: every value of the type is valid');
  return c.text();
}

// ───────────────────────────── size ─────────────────────────────

/** The tag of a union member as an expression: base code | flag bits. */
export function typeCodeExpr(sm: StructModel): string {
  const code = `0x${sm.s.code!.toString(16).padStart(2, '0')}`;
  const parts = sm.s.flags.map((fl) => `(${sm.flag(fl.id, 'encode')} ? 0x${(1 << fl.bit).toString(16).padStart(2, '0')} : 0)`);
  return [code, ...parts].join(' | ');
}

/** Bytes of the member's tag when all its codes have one width, else undefined. */
function tagWidth(sm: StructModel): number | undefined {
  const tag = sm.m.file.union!.tag;
  const fixed = fixedWidth(tag);
  if (fixed !== undefined) return fixed;
  const widths = new Set(memberCodes(sm).map((code) => varintWidth(BigInt(code))));
  return widths.size === 1 ? [...widths][0] : undefined;
}

function lenPrefixSize(type: IntField['type'], n: string): string {
  const fw = fixedWidth(type);
  return fw !== undefined ? String(fw) : `varintSize(${n})`;
}

export function sizeBody(sm: StructModel): string {
  const c = new Code();
  let fixed = 0;
  const fixedParts: string[] = [];
  const dyn = new Code();
  const add = (n: number, what: string) => { fixed += n; fixedParts.push(what); };
  if (sm.member) {
    const tw = tagWidth(sm);
    if (tw !== undefined) add(tw, 'type');
    else dyn.line(`n += varintSize(${typeCodeExpr(sm)});`);
  }
  for (const f of sm.s.fields) {
    const x = prop(f.id);
    const g = guard(f);
    switch (f.kind) {
      case 'int': {
        const fw = fixedWidth(f.type);
        if (f.repeat) {
          if (fw !== undefined) dyn.line(`n += ${fw} * ${x}.length;`);
          else dyn.line(`for (let i = 0; i < ${x}.length; i++) n += ${sm.isBig(f) ? 'varintSizeBig' : 'varintSize'}(${x}[i]);`);
        } else if (fw !== undefined) {
          if (g) dyn.line(`${g}n += ${fw};`); else add(fw, f.id);
        } else if (f.const !== undefined) add(varintWidth(f.const), f.id);
        else if (sm.isDerived(f)) dyn.line(`n += varintSize(${sm.local(f.id)});`);
        else dyn.line(`${g}n += ${sm.isBig(f) ? 'varintSizeBig' : 'varintSize'}(${x});`);
        break;
      }
      case 'uint': dyn.line(`${g}n += ${sm.expr(f.width, 'encode')};`); break;
      case 'bits': add(1, f.id); break;
      case 'bytes': {
        if (f.size.kind === 'fixed') {
          if (g) dyn.line(`${g}n += ${f.size.n};`); else add(f.size.n, f.id);
        } else if (f.size.kind === 'prefix' && f.size.if) {
          dyn.line(`${g}if (${sm.cond(f.size.if, 'encode')}) n += ${lenPrefixSize(f.size.type, `${x}.length`)};`);
          dyn.line(`${g}n += ${x}.length;`);
        } else if (f.size.kind === 'prefix') dyn.line(`${g}n += ${lenPrefixSize(f.size.type, `${x}.length`)} + ${x}.length;`);
        else dyn.line(`${g}n += ${x}.length;`);
        break;
      }
      case 'struct': {
        const inner = sm.m.model(f.struct);
        const fixedInner = inner.s.minSize === inner.s.maxSize ? inner.s.minSize : undefined;
        if (f.repeat) {
          if (fixedInner !== undefined) dyn.line(`n += ${fixedInner} * ${x}.length;`);
          else dyn.line(`for (let i = 0; i < ${x}.length; i++) n += size${inner.name}(${x}[i]);`);
        } else if (fixedInner !== undefined && !g) add(fixedInner, f.id);
        else dyn.line(`${g}n += ${fixedInner ?? `size${inner.name}(${x})`};`);
        break;
      }
      case 'message': {
        const s = `size${pascal(f.message)}(${x})`;
        if (f.size.kind === 'prefix') {
          const n = sm.temp(`${f.id}_size`);
          const body = (cc: Code) => {
            cc.line(`const ${n} = ${s};`);
            if (f.size.kind === 'prefix' && f.size.if) {
              cc.line(`if (${sm.cond(f.size.if, 'encode')}) n += ${lenPrefixSize(f.size.type, n)};`);
              cc.line(`n += ${n};`);
            } else if (f.size.kind === 'prefix') cc.line(`n += ${lenPrefixSize(f.size.type, n)} + ${n};`);
          };
          if (g) dyn.block(`if (${x} !== undefined)`, () => body(dyn)); else body(dyn);
        } else dyn.line(`${g}n += ${s};`);
      }
    }
  }
  const note = fixedParts.length ? ` // ${fixedParts.join(', ')}` : '';
  c.lines.push(...derivedLocals(sm, dyn.text(), false).lines);
  if (!dyn.lines.length) {
    c.line(`return ${fixed};${note}`);
    return c.text();
  }
  c.line(`let n = ${fixed};${note}`);
  c.lines.push(...dyn.lines);
  c.line('return n;');
  return c.text();
}

// ───────────────────────────── put ─────────────────────────────

function budget(bytes: number | string): string {
  return typeof bytes === 'number' ? `${bytes} byte${bytes === 1 ? '' : 's'}` : bytes;
}

/** The write of an int and its byte budget: `['w.varint(v.x);', '<= 8 bytes']`. */
function intWrite(sm: StructModel, f: IntField, x: string, value?: bigint): [string, string] {
  const big = sm.isBig(f);
  switch (f.type) {
    case 'varint': {
      const max = value ?? f.max;
      return [`w.${big ? 'varintBig' : 'varint'}(${x});`, `<= ${budget(varintWidth(max > INT_TYPE_MAX.varint ? INT_TYPE_MAX.varint : max))}`];
    }
    case 'u64': return [`w.${big ? 'u64' : 'u64n'}(${x});`, budget(8)];
    default: return [`w.${f.type}(${x});`, budget(fixedWidth(f.type)!)];
  }
}

/** The write of a length prefix and its byte budget. */
function prefixWrite(type: IntField['type'], n: string, maxSize: number): string {
  if (type === 'varint') return `w.varint(${n}); // <= ${budget(maxSize === Infinity ? 8 : varintWidth(BigInt(maxSize)))}`;
  if (type === 'u64') return `w.u64n(${n}); // 8 bytes`;
  return `w.${type}(${n}); // ${budget(fixedWidth(type)!)}`;
}

/** `0xc0 | (v.spinBit ? 0x20 : 0) | v.packetNumberLength` for a bits field. */
function bitsWrite(f: BitsField): string {
  let constant = 0;
  const parts: string[] = [];
  let shift = 8;
  for (const b of f.bits) {
    shift -= b.width;
    if (b.const !== undefined) constant |= Number(b.const) << shift;
    else if (b.bool) parts.push(`(${prop(b.id)} ? 0x${(1 << shift).toString(16).padStart(2, '0')} : 0)`);
    else parts.push(shift === 0 ? prop(b.id) : `(${prop(b.id)} << ${shift})`);
  }
  const consts = f.bits.filter((b) => b.const !== undefined).map((b) => `${b.id}=${b.const}`).join(', ');
  const expr = [`0x${constant.toString(16).padStart(2, '0')}`, ...parts].join(' | ');
  return `w.u8(${expr}); // ${f.id}${consts ? `: ${consts}` : ''}`;
}

export function putBody(sm: StructModel): string {
  const c = new Code();
  if (sm.member) {
    const tag = sm.m.file.union!.tag;
    const tw = tagWidth(sm);
    const method = tag !== 'varint' ? tag : tw === 1 ? 'u8' : 'varint';
    c.line(`w.${method}(${typeCodeExpr(sm)}); // type: ${tw !== undefined ? budget(tw) : 'varint'}`);
  }
  for (const f of sm.s.fields) {
    const x = prop(f.id);
    const g = guard(f);
    switch (f.kind) {
      case 'int':
        if (f.repeat) {
          const [call, b] = intWrite(sm, f, `${x}[i]`);
          c.line(`for (let i = 0; i < ${x}.length; i++) ${call} // ${b} each`);
        } else if (f.const !== undefined) {
          const [call, b] = intWrite(sm, f, lit(f.const), f.const);
          c.line(`${call} // ${f.id}, always ${f.const}: ${b}`);
        } else if (sm.isDerived(f)) {
          const [call, b] = intWrite(sm, f, sm.local(f.id));
          c.line(`${call} // ${f.id}: ${b}`);
        } else {
          const [call, b] = intWrite(sm, f, x);
          c.line(`${g}${call} // ${b}`);
        }
        break;
      case 'uint': c.line(`${g}w.uint(${x}, ${sm.expr(f.width, 'encode')}); // ${f.width.text} bytes`); break;
      case 'bits': c.line(bitsWrite(f)); break;
      case 'bytes':
        if (f.size.kind === 'prefix') {
          const pre = f.size.if ? `if (${sm.cond(f.size.if, 'encode')}) ` : '';
          c.line(`${g}${pre}${prefixWrite(f.size.type, `${x}.length`, f.maxSize)}`);
        }
        c.line(`${g}w.bytes(${x});`);
        break;
      case 'struct': {
        const inner = sm.m.model(f.struct).name;
        if (f.repeat) c.line(`for (let i = 0; i < ${x}.length; i++) put${inner}(w, ${x}[i]);`);
        else c.line(`${g}put${inner}(w, ${x});`);
        break;
      }
      case 'message': {
        const body = () => {
          if (f.size.kind === 'prefix') {
            const pre = f.size.if ? `if (${sm.cond(f.size.if, 'encode')}) ` : '';
            c.line(`${pre}${prefixWrite(f.size.type, `size${pascal(f.message)}(${x})`, f.maxSize)}`);
          }
          c.line(`write${pascal(f.message)}(w, ${x});`);
        };
        if (g) c.block(`if (${x} !== undefined)`, body); else body();
      }
    }
  }
  return derivedLocals(sm, c.text(), false).text() + c.text();
}
