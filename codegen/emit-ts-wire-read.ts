/**
 * Decoders of the TypeScript wire emitter: `readX(r, ...params)` and `decodeX(bytes, ...params)`
 * for one struct, as straight-line code — one statement (and its checks) per field, checks that
 * cannot fail left out, error paths as string literals.
 */
import type { BitField, BitsField, BytesField, EnumDef, Field, IntField, MessageField, StructField, UintField } from './ir.ts';
import { INT_TYPE_MAX } from './ir.ts';
import { pascal } from './naming.ts';
import { MAX_SAFE, fixedWidth, lit, str, tpl, type Interval, type StructModel } from './emit-ts-wire-model.ts';

/** Lines of code at an indent. */
export class Code {
  readonly lines: string[] = [];
  constructor(private ind = '  ') {}
  line(s: string): void {
    this.lines.push(this.ind + s);
  }
  indent(): void {
    this.ind += '  ';
  }
  dedent(): void {
    this.ind = this.ind.slice(2);
  }
  block(head: string, body: () => void): void {
    this.line(`${head} {`);
    this.indent();
    body();
    this.dedent();
    this.line('}');
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

const NEGATE = { '==': '!==', '!=': '===', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;
export const JS_OP = { '==': '===', '!=': '!==', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

/** The test that a value is outside its enum table, or undefined when every value is in it. */
export function enumTest(x: string, e: EnumDef, range: Interval, big: boolean): string | undefined {
  if (e.unknown === 'keep') return undefined;
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = vals[0];
  const hi = vals[vals.length - 1];
  if (hi - lo + 1n === BigInt(vals.length)) {
    const parts: string[] = [];
    if (Number(lo) > range.lo) parts.push(`${x} < ${lit(lo, big)}`);
    if (Number(hi) < range.hi) parts.push(`${x} > ${lit(hi, big)}`);
    return parts.length ? parts.join(' || ') : undefined;
  }
  return vals.map((v) => `${x} !== ${lit(v, big)}`).join(' && ');
}

/** `expected` detail for an enum error. */
function enumName(e: EnumDef): string {
  return `a ${e.id} value (${e.values.map((v) => v.value).join(', ')})`;
}

/** The reader call for one int. */
function intRead(sm: StructModel, f: IntField): string {
  const w = sm.what(f.id);
  const big = sm.isBig(f);
  switch (f.type) {
    case 'u64': return big ? `r.u64(${w})` : `r.u64n(${w})`;
    case 'varint': return big ? `r.varintBig(${w})` : `r.varint(${w})`;
    default: return `r.${f.type}(${w})`;
  }
}

/** Range the reader itself guarantees for an int read. */
function readRange(sm: StructModel, f: IntField): Interval {
  const typeMax = sm.isBig(f) ? INT_TYPE_MAX[f.type] : f.type === 'u64' || f.type === 'varint' ? MAX_SAFE : INT_TYPE_MAX[f.type];
  return { lo: 0, hi: Number(typeMax > MAX_SAFE ? MAX_SAFE : typeMax) };
}

/** Checks after reading int `x`: const, range, enum. */
function intChecks(c: Code, sm: StructModel, f: IntField, x: string): void {
  const w = sm.what(f.id);
  const big = sm.isBig(f);
  const width = fixedWidth(f.type);
  const back = width !== undefined ? `r.pos - ${width}` : `r.pos - ${big ? 'varintSizeBig' : 'varintSize'}(${x})`;
  if (f.const !== undefined) {
    c.line(`if (${x} !== ${lit(f.const, big)}) r.fail('invalid_const', ${w}, \`expected ${f.const}, got \${${x}}\`, ${back});`);
    return;
  }
  const typeMax = sm.isBig(f) ? INT_TYPE_MAX[f.type] : f.type === 'u64' || f.type === 'varint' ? MAX_SAFE : INT_TYPE_MAX[f.type];
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`${x} < ${lit(f.min, big)}`);
  if (f.max < typeMax) tests.push(`${x} > ${lit(f.max, big)}`);
  if (tests.length) c.line(`if (${tests.join(' || ')}) r.fail('out_of_range', ${w}, \`value \${${x}} not in ${f.min}..${f.max}\`, ${back});`);
  if (f.enum) {
    const e = sm.m.file.enums.find((x) => x.id === f.enum)!;
    const range = { lo: Number(f.min), hi: Math.min(readRange(sm, f).hi, Number(f.max)) };
    const t = enumTest(x, e, range, big);
    if (t) c.line(`if (${t}) r.fail('invalid_enum', ${w}, \`value \${${x}} is not ${enumName(e)}\`, ${back});`);
  }
}

function readIntField(c: Code, sm: StructModel, f: IntField): void {
  const x = sm.local(f.id);
  if (f.repeat) {
    c.line(`const ${x}: ${sm.tsType(f)} = [];`);
    const checks = new Code();
    intChecks(checks, sm, f, 'item');
    repeatLoop(c, sm, f, x, () => {
      if (!checks.lines.length) {
        c.line(`${x}.push(${intRead(sm, f)});`);
        return;
      }
      c.line(`const item = ${intRead(sm, f)};`);
      intChecks(c, sm, f, 'item');
      c.line(`${x}.push(item);`);
    });
    return;
  }
  if (f.if) {
    const checks = new Code();
    intChecks(checks, sm, f, x);
    if (!checks.lines.length) {
      c.line(`const ${x} = ${sm.cond(f.if, 'decode')} ? ${intRead(sm, f)} : undefined;`);
      return;
    }
    c.line(`let ${x}: ${sm.tsType(f)} | undefined;`);
    c.block(`if (${sm.cond(f.if, 'decode')})`, () => {
      c.line(`${x} = ${intRead(sm, f)};`);
      intChecks(c, sm, f, x);
    });
    return;
  }
  const note = f.value ? ` // = ${f.value.text}` : f.const !== undefined ? ` // always ${f.const}` : '';
  c.line(`const ${x} = ${intRead(sm, f)};${note}`);
  intChecks(c, sm, f, x);
}

/**
 * The loop of a repeated field (`count` or until the end), with its element-count limits:
 * more than max_count is `too_many`, fewer than min_count `out_of_range`.
 */
function repeatLoop(c: Code, sm: StructModel, f: IntField | StructField, x: string, element: () => void): void {
  const w = sm.what(f.id);
  const rep = f.repeat!;
  const maxCount = f.maxCount ?? Infinity;
  const minCount = f.minCount ?? 0;
  const elemMin = f.kind === 'int' ? (fixedWidth(f.type) ?? 1) : sm.m.structs.get(f.struct)!.minSize;
  if (elemMin === 0 && maxCount === Infinity) {
    throw new Error(`codegen: ${sm.s.id}.${f.id}: elements can be empty, so the repeat needs a max_count to end`);
  }
  if (rep.kind === 'count') {
    const b = sm.bounds(rep.count);
    let count = sm.expr(rep.count, 'decode');
    if (rep.count.terms.length > 1) {
      const t = sm.temp(`${f.id}_count`);
      c.line(`const ${t} = ${count};`);
      count = t;
    }
    if (b.lo < 0 && minCount === 0) c.line(`if (${count} < 0) r.fail('out_of_range', ${w}, \`count \${${count}} is negative\`);`);
    if (b.hi > maxCount) c.line(`if (${count} > ${maxCount}) r.fail('too_many', ${w}, \`\${${count}} elements, at most ${maxCount}\`);`);
    if (b.lo < minCount) c.line(`if (${count} < ${minCount}) r.fail('out_of_range', ${w}, \`\${${count}} elements, at least ${minCount}\`);`);
    const saved = c.lines.length;
    c.block(`for (let i = 0; i < ${count}; i++)`, element);
    if (c.lines.length - saved === 3) {
      const inner = c.lines[saved + 1].trim();
      c.lines.splice(saved, 3);
      c.line(`for (let i = 0; i < ${count}; i++) ${inner}`);
    }
    return;
  }
  c.block('while (r.remaining > 0)', () => {
    if (maxCount !== Infinity) c.line(`if (${x}.length === ${maxCount}) r.fail('too_many', ${w}, 'more than ${maxCount} elements');`);
    element();
  });
  if (minCount > 0) c.line(`if (${x}.length < ${minCount}) r.fail('out_of_range', ${w}, \`\${${x}.length} elements, at least ${minCount}\`);`);
}

/** `(b >> 4) & 0x3`, simplified at the edges of the byte. */
export function bitValue(container: string, shift: number, width: number): string {
  const mask = `0x${((1 << width) - 1).toString(16)}`;
  if (shift === 0 && width === 8) return container;
  if (shift + width === 8) return `(${container} >> ${shift})`;
  if (shift === 0) return `(${container} & ${mask})`;
  return `((${container} >> ${shift}) & ${mask})`;
}

function readBitsField(c: Code, sm: StructModel, f: BitsField): void {
  const b = sm.local(f.id);
  c.line(`const ${b} = r.u8(${sm.what(f.id)});`);
  let shift = 8;
  for (const bit of f.bits) {
    shift -= bit.width;
    readBit(c, sm, b, bit, shift);
  }
}

function readBit(c: Code, sm: StructModel, b: string, bit: BitField, shift: number): void {
  const w = sm.what(bit.id);
  const value = bitValue(b, shift, bit.width);
  const full = (1n << BigInt(bit.width)) - 1n;
  if (bit.const !== undefined) {
    c.line(`if (${value} !== ${bit.const}) r.fail('invalid_const', ${w}, \`expected ${bit.const}, got \${${value}}\`, r.pos - 1);`);
    return;
  }
  const x = sm.local(bit.id);
  if (bit.bool) {
    c.line(`const ${x} = (${b} & 0x${(1 << shift).toString(16)}) !== 0;`);
    return;
  }
  c.line(`const ${x} = ${value};`);
  if (bit.max < full) c.line(`if (${x} > ${bit.max}) r.fail('out_of_range', ${w}, \`value \${${x}} not in 0..${bit.max}\`, r.pos - 1);`);
  if (bit.enum) {
    const e = sm.m.file.enums.find((x) => x.id === bit.enum)!;
    const t = enumTest(x, e, { lo: 0, hi: Number(bit.max) }, false);
    if (t) c.line(`if (${t}) r.fail('invalid_enum', ${w}, \`value \${${x}} is not ${enumName(e)}\`, r.pos - 1);`);
  }
}

function readUintField(c: Code, sm: StructModel, f: UintField): void {
  const x = sm.local(f.id);
  const width = sm.expr(f.width, 'decode');
  const read = `r.uint(${width}, ${sm.what(f.id)})`;
  const maxWidth = Math.min(sm.bounds(f.width).hi, 6);
  const natural = 2 ** (8 * maxWidth) - 1;
  const tests: string[] = [];
  if (f.min > 0n) tests.push(`${x} < ${f.min}`);
  if (Number(f.max) < natural) tests.push(`${x} > ${f.max}`);
  const checks = () => {
    if (tests.length) c.line(`if (${tests.join(' || ')}) r.fail('out_of_range', ${sm.what(f.id)}, \`value \${${x}} not in ${f.min}..${f.max}\`, r.pos - (${width}));`);
  };
  if (f.if) {
    c.line(`let ${x}: number | undefined;`);
    c.block(`if (${sm.cond(f.if, 'decode')})`, () => { c.line(`${x} = ${read};`); checks(); });
    return;
  }
  c.line(`const ${x} = ${read}; // ${f.width.text} bytes`);
  checks();
}

/** Reads a length prefix into `n` and checks it against the field's size bounds. */
function readPrefix(c: Code, sm: StructModel, f: BytesField | MessageField, type: IntField['type'], n: string): void {
  const w = sm.what(f.id);
  // Without a finite max_size, a length above 2^53-1 is not out of range: it points past any input.
  const unbounded = f.maxSize === Infinity;
  const read = type === 'varint' ? (unbounded ? `readLength(r, ${w})` : `r.varint(${w})`)
    : type === 'u64' ? (unbounded ? `readLength64(r, ${w})` : `r.u64n(${w})`) : `r.${type}(${w})`;
  c.line(`const ${n} = ${read};`);
  const natural = type === 'varint' || type === 'u64' ? Number.MAX_SAFE_INTEGER : Number(INT_TYPE_MAX[type]);
  const back = type === 'varint' ? `r.pos - varintSize(${n})` : `r.pos - ${fixedWidth(type)}`;
  sizeChecks(c, sm, f, n, { lo: 0, hi: natural }, back);
}

/** `n` outside min_size..max_size is out_of_range (checked only where the bounds of n allow it). */
function sizeChecks(c: Code, sm: StructModel, f: BytesField | MessageField, n: string, range: Interval, offset?: string): void {
  const min = f.kind === 'bytes' ? f.minSize : 0;
  const max = f.maxSize;
  const tests: string[] = [];
  if (range.lo < min) tests.push(`${n} < ${min}`);
  if (range.hi > max) tests.push(`${n} > ${max}`);
  if (!tests.length) return;
  const bounds = max === Infinity ? `${min}..` : `${min}..${max}`;
  c.line(`if (${tests.join(' || ')}) r.fail('out_of_range', ${sm.what(f.id)}, \`length \${${n}} not in ${bounds}\`${offset ? `, ${offset}` : ''});`);
}

/**
 * Emits the statements that read a bytes or message field: `assign(value)` stores the result,
 * `take(n)` renders the read of n bytes (`r.bytes(n, …)` or `readMessage(r.sub(n, …))`), and
 * `takeRest` (bytes only) the zero-copy read of everything left.
 */
function readSized(c: Code, sm: StructModel, f: BytesField | MessageField, assign: (value: string) => void,
  take: (n: string) => string, takeRest?: string): void {
  const w = sm.what(f.id);
  const size = f.size;
  const n = sm.temp(`${f.id}_length`);
  switch (size.kind) {
    case 'fixed':
      assign(take(String(size.n)));
      return;
    case 'expr': {
      const e = sm.expr(size.expr, 'decode');
      const single = size.expr.terms.length === 1 && size.expr.terms[0].sign === 1;
      const len = single ? e : n;
      if (!single) c.line(`const ${n} = ${e};`);
      sizeChecks(c, sm, f, len, sm.bounds(size.expr));
      assign(take(len));
      return;
    }
    case 'prefix':
      if (!size.if) {
        readPrefix(c, sm, f, size.type, n);
        assign(take(n));
        return;
      }
      c.line(`if (${sm.cond(size.if, 'decode')}) {`);
      c.indent();
      readPrefix(c, sm, f, size.type, n);
      assign(take(n));
      c.dedent();
      c.line('} else {');
      c.indent();
      readToEnd(c, sm, f, assign, take, takeRest);
      c.dedent();
      c.line('}');
      return;
    case 'rest':
      if (size.minus === 0) {
        readToEnd(c, sm, f, assign, take, takeRest);
        return;
      }
      c.line(`const ${n} = r.remaining - ${size.minus}; // the last ${size.minus} bytes belong to the fields after it`);
      c.line(`if (${n} < 0) r.fail('truncated', ${w}, \`need ${size.minus} bytes after it, \${r.remaining} left\`);`);
      sizeChecks(c, sm, f, n, { lo: 0, hi: Infinity });
      assign(take(n));
  }
}

/** The data runs to the end of the input (size `rest`, or a conditional prefix that is absent). */
function readToEnd(c: Code, sm: StructModel, f: BytesField | MessageField, assign: (v: string) => void,
  take: (n: string) => string, takeRest?: string): void {
  const n = sm.temp(`${f.id}_length`);
  if (takeRest) {
    const x = sm.local(f.id);
    assign(takeRest);
    sizeChecks(c, sm, f, `${x}.length`, { lo: 0, hi: Infinity }, `r.pos - ${x}.length`);
    return;
  }
  c.line(`const ${n} = r.remaining;`);
  sizeChecks(c, sm, f, n, { lo: 0, hi: Infinity });
  assign(take(n));
}

function readBytesField(c: Code, sm: StructModel, f: BytesField): void {
  const x = sm.local(f.id);
  const take = (n: string) => `r.bytes(${n}, ${sm.what(f.id)})`;
  const conditionalPrefix = f.size.kind === 'prefix' && !!f.size.if;
  if (!f.if && !conditionalPrefix) {
    readSized(c, sm, f, (v) => c.line(`const ${x} = ${v};`), take, 'r.rest()');
    return;
  }
  c.line(`let ${x}: Uint8Array${f.if ? ' | undefined' : ''};`);
  const body = () => readSized(c, sm, f, (v) => c.line(`${x} = ${v};`), take, 'r.rest()');
  if (f.if) c.block(`if (${sm.cond(f.if, 'decode')})`, body);
  else body();
}

function readMessageField(c: Code, sm: StructModel, f: MessageField): void {
  const x = sm.local(f.id);
  const fn = `read${pascal(f.message)}`;
  const take = (n: string) => `${fn}(r.sub(${n}, ${sm.what(f.id)}))`;
  const conditionalPrefix = f.size.kind === 'prefix' && !!f.size.if;
  if (!f.if && !conditionalPrefix) {
    readSized(c, sm, f, (v) => c.line(`const ${x} = ${v};`), take);
    return;
  }
  c.line(`let ${x}: ${sm.tsType(f)}${f.if ? ' | undefined' : ''};`);
  const body = () => readSized(c, sm, f, (v) => c.line(`${x} = ${v};`), take);
  if (f.if) c.block(`if (${sm.cond(f.if, 'decode')})`, body);
  else body();
}

function readStructField(c: Code, sm: StructModel, f: StructField): void {
  const x = sm.local(f.id);
  const inner = sm.m.model(f.struct);
  if (inner.s.params.length) throw new Error(`codegen: ${sm.s.id}.${f.id}: nested struct '${f.struct}' takes parameters`);
  const read = `read${inner.name}(r)`;
  if (f.repeat) {
    c.line(`const ${x}: ${inner.name}[] = [];`);
    repeatLoop(c, sm, f, x, () => c.line(`${x}.push(${read});`));
    return;
  }
  if (f.if) {
    c.line(`const ${x} = ${sm.cond(f.if, 'decode')} ? ${read} : undefined;`);
    return;
  }
  c.line(`const ${x} = ${read};`);
}

function readField(c: Code, sm: StructModel, f: Field): void {
  switch (f.kind) {
    case 'int': return readIntField(c, sm, f);
    case 'uint': return readUintField(c, sm, f);
    case 'bits': return readBitsField(c, sm, f);
    case 'bytes': return readBytesField(c, sm, f);
    case 'message': return readMessageField(c, sm, f);
    case 'struct': return readStructField(c, sm, f);
  }
}

/** A constraint's test and message, as the decoder and encoder both render them. */
export function constraintDetail(text: string, reqs: Array<{ id: string }>): string {
  const cite = reqs.length ? ` (${reqs.map((r) => r.id).join(', ')})` : '';
  return tpl(`${text}${cite}`);
}

/** The body of a decoder: every field, then the constraints, then the value. */
export function decodeBody(sm: StructModel): string {
  const c = new Code();
  if (sm.member) {
    for (const fl of sm.s.flags) c.line(`const ${sm.local(fl.id)} = (type & 0x${(1 << fl.bit).toString(16)}) !== 0;`);
  }
  for (const f of sm.s.fields) readField(c, sm, f);
  for (const f of sm.derivedOrder()) {
    if (sm.impliedOnDecode(f.id)) continue;
    const e = sm.expr(f.value, 'decode');
    c.line(`if (${sm.local(f.id)} !== ${e}) r.fail('constraint', ${sm.what(f.id)}, \`value \${${sm.local(f.id)}} is not ${tpl(f.value.text)} = \${${e}}\`);`);
  }
  for (const k of sm.s.constraints) {
    const big = sm.exprIsBig(k.left, k.right);
    const guard = [...new Set([...sm.optionalRefs(k.left), ...sm.optionalRefs(k.right)])].map((id) => `${sm.local(id)} !== undefined && `).join('');
    const test = `${sm.expr(k.left, 'decode', big)} ${NEGATE[k.op]} ${sm.expr(k.right, 'decode', big)}`;
    c.line(`if (${guard}${test}) r.fail('constraint', ${str(sm.path)}, '${constraintDetail(k.text, k.req).replace(/'/g, "\\'")}');`);
  }
  const keys = sm.props.map((p) => {
    if (p.id === undefined) return `type: '${sm.s.id}'`;
    const x = sm.local(p.id);
    return x === p.key ? x : `${p.key}: ${x}`;
  });
  c.line(`return { ${keys.join(', ')} };`);
  return c.text();
}

/** Parameters of a decoder: `, dcidLength: number`. */
export function paramList(sm: StructModel): string {
  return sm.s.params.map((p) => `, ${sm.local(p.id)}: number`).join('');
}

export function paramArgs(sm: StructModel): string {
  return sm.s.params.map((p) => `, ${sm.local(p.id)}`).join('');
}

/** Type-code test for a member: the code with its flag bits masked out. */
export function memberTest(sm: StructModel, t: string): string {
  const mask = sm.s.flags.reduce((a, fl) => a | (1 << fl.bit), 0);
  const code = `0x${sm.s.code!.toString(16).padStart(2, '0')}`;
  return mask ? `${t} - (${t} & 0x${mask.toString(16).padStart(2, '0')}) !== ${code}` : `${t} !== ${code}`;
}

/** Every code a member claims: the base code with each combination of its flag bits. */
export function memberCodes(sm: StructModel): number[] {
  const mask = sm.s.flags.reduce((a, fl) => a | (1 << fl.bit), 0);
  const out: number[] = [];
  for (let sub = 0; sub <= mask; sub++) if ((sub & mask) === sub) out.push(Number(sm.s.code!) | sub);
  return out;
}
