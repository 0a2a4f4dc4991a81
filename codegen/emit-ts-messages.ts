/**
 * Emits `src/gen/messages.ts`: the protobuf (proto3 wire format) codec of the control messages of
 * `spec/messages.yaml`, per the contract in `codegen/README.md`.
 *
 * Per message `P`: an interface, `P_MIN_SIZE`/`P_MAX_SIZE`, and `readP`/`writeP`/`sizeP`/
 * `decodeP`/`encodeP`. Each function is straight-line code for its message — a `switch` on the
 * whole tag in the decode loop, no closures, no allocation beyond the result — so that it reads
 * like hand-written code and runs several times faster than reflection-driven protobufjs.
 *
 * Encoding is canonical (increasing field numbers, packed repeated scalars, defaults of
 * implicit-presence fields omitted). Decoding takes any valid protobuf encoding and then applies
 * JSP's stricter value rules (spec `messages.ranges`). Decisions the spec leaves to the emitter:
 * - uint64 is `number` when the field's max is at most 2^53-1 (all JSP fields), else `bigint`.
 * - Enum values are limited to 0..2^31-1: proto3 enums are int32 on the wire, so a larger value
 *   would read back negative in other protobuf libraries.
 * - A singular message field seen twice: the last occurrence wins whole, no merge (protobuf would merge).
 *   So decides the spec's reference decoder (conformance/reference/protobuf.ts), and the vectors check it.
 * - Error precedence follows that reference: a length is checked against its limit before the input; an
 *   element is read before the count is checked; a tag above 2^32-1 is 'wire_type'.
 * - An implicit-presence field whose default is outside its range (e.g. `random`, exactly 32 bytes)
 *   is in effect required: absent, it decodes to an invalid default and is rejected ('out_of_range').
 */
import type { EnumDef, Message, MessagesFile, PbField, Spec } from './ir.ts';
import type { GeneratedFile } from './emit.ts';
import { camel, header, pascal, tsdoc, upper } from './naming.ts';
import { HELPERS } from './emit-ts-messages-runtime.ts';

/** TSDoc: one line when the text is one short line, else a block. */
function doc(text: string, indent = ''): string {
  const t = text.trim();
  if (!t.includes('\n') && indent.length + t.length <= 110) return `${indent}/** ${t} */\n`;
  return tsdoc(t, indent);
}

const INT32_MAX = 0x7fff_ffffn;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TYPE_MAX = { uint32: 0xffff_ffffn, uint64: 0xffff_ffff_ffff_ffffn } as const;
/** Local names the generated functions use; a field local that would clash gets a `_` suffix. */
const TAKEN = new Set(['r', 'w', 'v', 'n', 'm', 'x', 'i', 'b', 'p', 'q', 'at', 'tag', 'end', 'stop', 'run', 'next', 'utf8Encoder',
  ...Object.keys(HELPERS), 'rangeError', 'describeValue', 'utf8Size', 'pbVarintSizeBig']);
const KEYWORDS = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for ' +
  'function if import in instanceof let new null return super switch this throw true try typeof var void while with yield').split(' '));

/** How a field's values are held in TypeScript and carried on the wire. */
type Repr = 'uint' | 'big' | 'bool' | 'enum' | 'bytes' | 'string' | 'message';

interface Ctx {
  file: MessagesFile;
  enums: Map<string, EnumDef>;
  messages: Map<string, Message>;
  maxMessage: number;
  /** Helper functions the output uses (emitted at its end). */
  helpers: Set<string>;
  /** Names imported from `src/codec`. */
  imports: Set<string>;
  maxSizes: Map<string, number>;
}

const hex = (n: number | bigint): string => `0x${n.toString(16).padStart(2, '0')}`;
/** An integer literal; all-ones masks of 16 bits or more in hex (`0xffff_ffff`), as a reader expects them. */
function lit(n: bigint, big = false): string {
  const mask = n >= 0xffffn && (n & (n + 1n)) === 0n;
  const text = mask ? `0x${n.toString(16).replace(/\B(?=(.{4})+$)/g, '_')}` : String(n);
  return big ? `${text}n` : text;
}

function reprOf(f: PbField): Repr {
  switch (f.type) {
    case 'uint32': return 'uint';
    case 'uint64': return f.max <= MAX_SAFE ? 'uint' : 'big';
    default: return f.type;
  }
}

/** The largest value of an enum's table. */
const enumTop = (e: EnumDef): bigint => e.values.reduce((a, v) => (v.value > a ? v.value : a), 0n);

/** Inclusive value bounds of an integer/enum field, after JSP's own limits (a closed enum: its table's). */
function bounds(f: PbField, c: Ctx): { min: bigint; max: bigint; typeMax: bigint } {
  if (f.type === 'enum') {
    const e = c.enums.get(f.enum!);
    const top = e?.unknown === 'error' ? enumTop(e) : INT32_MAX;
    return { min: f.min, max: f.max < top ? f.max : top, typeMax: 0xffff_ffffn };
  }
  if (f.type === 'bool') return { min: 0n, max: 1n, typeMax: 1n };
  const typeMax = TYPE_MAX[f.type as 'uint32' | 'uint64'];
  return { min: f.min, max: f.max, typeMax: f.type === 'uint64' && f.max <= MAX_SAFE ? MAX_SAFE : typeMax };
}

const isVarint = (r: Repr): boolean => r === 'uint' || r === 'big' || r === 'bool' || r === 'enum';
const tagOf = (f: PbField, wireType: number): number => f.number * 8 + wireType;

function pbVarintWidth(v: bigint): number {
  let n = 1;
  for (v >>= 7n; v > 0n; v >>= 7n) n++;
  return n;
}

function tsType(f: PbField): string {
  const base = { uint: 'number', big: 'bigint', bool: 'boolean', bytes: 'Uint8Array', string: 'string',
    enum: f.enum ? pascal(f.enum) : 'number', message: f.message ? pascal(f.message) : '' }[reprOf(f)];
  return f.repeated ? `${base}[]` : base;
}

function defaultOf(f: PbField): string {
  if (f.repeated) return '[]';
  if (f.optional) return 'undefined';
  return { uint: '0', big: '0n', bool: 'false', enum: '0', bytes: 'EMPTY', string: "''", message: 'undefined' }[reprOf(f)];
}

function localName(f: PbField): string {
  const c = camel(f.id);
  return TAKEN.has(c) || KEYWORDS.has(c) ? `${c}_` : c;
}

/** The `Field N (type, limits)` line of a field's TSDoc. */
function fieldNote(c: Ctx, f: PbField): string {
  const parts: string[] = [f.type === 'enum' ? pascal(f.enum!) : f.type === 'message' ? pascal(f.message!) : f.type];
  const rep = reprOf(f);
  if (rep === 'uint' || rep === 'big' || rep === 'enum') {
    const { min, max, typeMax } = bounds(f, c);
    const e = rep === 'enum' ? c.enums.get(f.enum!)! : undefined;
    const full = !e ? typeMax : e.unknown === 'error' ? enumTop(e) : INT32_MAX;
    if (min !== 0n || max !== full) parts.push(`${min}..${max}`);
    if (rep === 'enum') parts.push(c.enums.get(f.enum!)!.unknown === 'keep' ? 'unknown values kept' : 'unknown values rejected');
  }
  if (rep === 'bytes' || rep === 'string') parts.push(f.minSize === f.maxSize ? `exactly ${f.minSize} bytes` : `${f.minSize}..${f.maxSize} bytes`);
  if (f.repeated) parts.push(`at most ${f.maxCount}`);
  if (f.required) parts.push('required');
  return `Field ${f.number} (${parts.join(', ')}).`;
}

/** True when the field's default (0, empty) is outside its range: absent is then invalid. */
function defaultInvalid(f: PbField): boolean {
  if (f.repeated || f.optional) return false;
  const rep = reprOf(f);
  if (rep === 'bytes' || rep === 'string') return f.minSize > 0;
  if (rep === 'uint' || rep === 'big' || rep === 'enum') return f.min > 0n;
  return false;
}

// ───────────────────────────── size bounds ─────────────────────────────

function valueMaxSize(c: Ctx, f: PbField): number {
  switch (reprOf(f)) {
    case 'bool': return 1;
    case 'bytes': case 'string': return pbVarintWidth(BigInt(f.maxSize)) + f.maxSize;
    case 'message': { const m = messageMaxSize(c, f.message!); return pbVarintWidth(BigInt(m)) + m; }
    default: return pbVarintWidth(bounds(f, c).max);
  }
}

function messageMaxSize(c: Ctx, id: string): number {
  const known = c.maxSizes.get(id);
  if (known !== undefined) return known;
  c.maxSizes.set(id, c.maxMessage); // a recursive reference is bounded by max_message_size
  let total = 0;
  for (const f of c.messages.get(id)!.fields) {
    const tag = pbVarintWidth(BigInt(tagOf(f, 0)));
    const one = valueMaxSize(c, f);
    if (!f.repeated) total += tag + one;
    else if (isVarint(reprOf(f))) total += tag + pbVarintWidth(BigInt(f.maxCount * one)) + f.maxCount * one;
    else total += f.maxCount * (tag + one);
  }
  const max = Math.min(total, c.maxMessage);
  c.maxSizes.set(id, max);
  return max;
}

function messageMinSize(c: Ctx, m: Message, depth = 0): number {
  let total = 0;
  for (const f of m.fields) {
    if (!(f.required || defaultInvalid(f)) || depth > 8) continue;
    const tag = pbVarintWidth(BigInt(tagOf(f, 0)));
    const rep = reprOf(f);
    if (rep === 'bytes' || rep === 'string') total += tag + pbVarintWidth(BigInt(f.minSize)) + f.minSize;
    else if (rep === 'message') { const n = messageMinSize(c, c.messages.get(f.message!)!, depth + 1); total += tag + pbVarintWidth(BigInt(n)) + n; }
    else total += tag + pbVarintWidth(f.min);
  }
  return total;
}

// ───────────────────────────── decoding ─────────────────────────────

/** Condition (on `x`) under which an integer/enum value read from the wire is invalid, and its error call. */
function valueCheck(c: Ctx, f: PbField, x: string, what: string): string[] {
  const rep = reprOf(f);
  const big = rep === 'big';
  const { min, max, typeMax } = bounds(f, c);
  const out: string[] = [];
  const e = rep === 'enum' ? c.enums.get(f.enum!)! : undefined;
  const closed = e?.unknown === 'error';
  if (closed) {
    // The spec's check order: the range (int32, or the field's own bounds) before membership.
    c.helpers.add('outOfRange');
    c.helpers.add('badEnum');
    const cond = f.min === 0n ? `${x} > ${lit(f.max, big)}` : `${x} < ${lit(f.min, big)} || ${x} > ${lit(f.max, big)}`;
    out.push(`if (${cond}) outOfRange(r, '${what}', ${x}, ${lit(f.min, big)}, ${lit(f.max, big)}, at);`);
    out.push(`if (${enumInvalid(e!, x)}) badEnum(r, '${what}', ${x}, at);`);
    return out;
  }
  if (min !== 0n || max !== typeMax) {
    c.helpers.add('outOfRange');
    const cond = min === 0n ? `${x} > ${lit(max, big)}` : `${x} < ${lit(min, big)} || ${x} > ${lit(max, big)}`;
    out.push(`if (${cond}) outOfRange(r, '${what}', ${x}, ${lit(min, big)}, ${lit(max, big)}, at);`);
  }
  return out;
}

/** Expression true when `x` is not a value of the enum. */
function enumInvalid(e: EnumDef, x: string): string {
  const vals = e.values.map((v) => v.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const contiguous = vals.every((v, i) => v === vals[0] + BigInt(i));
  if (contiguous) return vals[0] === 0n ? `${x} > ${vals[vals.length - 1]}` : `${x} < ${vals[0]} || ${x} > ${vals[vals.length - 1]}`;
  return vals.map((v) => `${x} !== ${v}`).join(' && ');
}

/**
 * Statements reading one varint-typed value into `x` at the local position `p`: up to 32 bits by the
 * unrolled {@link varint32}, anything else (longer, truncated, 64-bit) by the Reader `rd`, which decides.
 */
function readVarint(c: Ctx, f: PbField, what: string, rd: string): string[] {
  const rep = reprOf(f);
  const call = `${rd}.${rep === 'big' ? 'pbVarintBig' : f.type === 'uint64' || rep === 'bool' ? 'pbVarint' : 'pbUint32'}('${what}')`;
  if (rep !== 'big') c.helpers.add('varint32');
  // In a packed run (rd 'run'), the Reader for the slow path is made only when needed.
  const open = rd === 'run' ? 'const run = runReader(r, p, stop);' : `${rd}.pos = p;`;
  const out = rep === 'big'
    ? ['let x: bigint;', `{ ${open} x = ${call}; p = ${rd}.pos; }`]
    : [`let x = varint32(b, p, ${rd === 'r' ? 'end' : 'stop'});`, `if (x >= 0) p = next; else { ${open} x = ${call}; p = ${rd}.pos; }`];
  if (rep === 'bool') {
    c.helpers.add('outOfRange');
    return [...out, `if (x > 1) outOfRange(r, '${what}', x, 0, 1, at);`];
  }
  return [...out, ...valueCheck(c, f, 'x', what)];
}

/**
 * Statements reading a LEN-typed value (bytes, string, message) through the Reader; returns [statements,
 * value]. As the spec's reference decoder does, a length is checked against its limit before the input:
 * over the limit is 'out_of_range' even when the input is also too short.
 */
function readLen(c: Ctx, m: Message, f: PbField, what: string): [string[], string] {
  const rep = reprOf(f);
  if (rep === 'bytes') { c.helpers.add('readBytes'); return [[], `readBytes(r, '${what}', ${f.minSize}, ${f.maxSize}, at)`]; }
  if (rep === 'string') { c.helpers.add('readString'); return [[], `readString(r, '${what}', ${f.minSize}, ${f.maxSize}, at)`]; }
  const target = c.messages.get(f.message!)!;
  const reader = target.error === m.error
    ? `r.sub(n, '${what}')`
    : (c.helpers.add('subWithCode'), `subWithCode(r, n, ${upper(target.error)}, '${what}')`);
  c.helpers.add('outOfRange');
  return [[`const n = r.pbVarint('${what}');`, `if (n > MAX_MESSAGE_SIZE) outOfRange(r, '${what}', n, 0, MAX_MESSAGE_SIZE, at);`],
    `read${pascal(target.id)}(${reader})`];
}

function decodeCases(c: Ctx, m: Message, f: PbField): string[] {
  const what = `${m.id}.${f.id}`;
  const name = localName(f);
  const rep = reprOf(f);
  const out: string[] = [];
  // After the element is read, as the reference decoder counts: a broken 17th element is that error.
  const countCheck = f.repeated ? (c.helpers.add('tooMany'), [`if (${name}.length === ${f.maxCount}) tooMany(r, '${what}', ${f.maxCount}, at);`]) : [];
  const store = (value: string) => (f.repeated ? `${name}.push(${value});` : `${name} = ${value};`);
  const indent = (lines: string[], by: string) => lines.map((s) => by + s);
  if (isVarint(rep)) {
    const value = rep === 'bool' ? 'x === 1' : 'x';
    out.push(`case ${hex(tagOf(f, 0))}: { // ${f.number} ${f.id}: varint${f.repeated ? ', one element' : ''}`);
    out.push(...indent([...readVarint(c, f, what, 'r'), ...countCheck, store(value)], '  '), '  break;', '}');
    if (f.repeated) {
      // Past one short varint, a Reader bounded by the run reads: a varint crossing its end is 'truncated'.
      c.helpers.add('runReader');
      out.push(`case ${hex(tagOf(f, 2))}: { // ${f.number} ${f.id}: packed`);
      out.push('  r.pos = p;', `  const n = r.pbLen('${what}');`, '  const stop = r.pos + n;', '  p = r.pos;', '  while (p < stop) {');
      out.push(...indent([...readVarint(c, f, what, 'run'), ...countCheck, store(value)], '    '), '  }', '  break;', '}');
    }
    return out;
  }
  const [stmts, value] = readLen(c, m, f, what);
  const last = rep === 'message' && !f.repeated ? ', the last occurrence wins whole' : '';
  out.push(`case ${hex(tagOf(f, 2))}: { // ${f.number} ${f.id}: LEN${f.repeated ? ', one element' : ''}${last}`);
  out.push(...indent(['r.pos = p;', ...(f.repeated ? [...stmts, `const x = ${value};`, ...countCheck, store('x')] : [...stmts, store(value)]), 'p = r.pos;'], '  '), '  break;', '}');
  return out;
}

/** Expression true when the field number of `tag` is one this message declares. */
function knownNumber(m: Message): string {
  const nums = m.fields.map((f) => f.number).sort((a, b) => a - b);
  if (nums.every((n, i) => n === i + 1)) return `tag < ${hex((nums.length + 1) * 8)}`;
  return ['tag < 8', ...nums.map((n) => `tag >>> 3 === ${n}`)].join(' || ');
}

function emitRead(c: Ctx, m: Message): string {
  const P = pascal(m.id);
  const L: string[] = [];
  L.push(doc(`Reads a {@link ${P}} from \`r\` up to \`r.end\` (at most max_message_size bytes). Takes any valid protobuf\n` +
    'encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen\n' +
    'twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).').trimEnd());
  L.push(`export function read${P}(r: Reader): ${P} {`);
  c.helpers.add('outOfRange');
  L.push(`  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, '${m.id}', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes`);
  for (const f of m.fields) L.push(`  let ${localName(f)}: ${tsType(f)}${f.optional || (reprOf(f) === 'message' && !f.repeated) ? ' | undefined' : ''} = ${defaultOf(f)};`);
  // The position is the local \`p\` (V8 cannot inline a Reader call per field in a big function); the
  // Reader takes over, through r.pos, for what is not a short varint.
  L.push('  const b = r.buf;', '  const end = r.end;', '  let p = r.pos;');
  L.push('  while (p < end) {', '    const at = p;', '    let tag = b[p++];');
  c.helpers.add('longTag');
  L.push(`    if (tag > 0x7f) { // fields 16 and up`, '      tag = varint32(b, at, end);', `      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, '${m.id}'); p = r.pos; }`, '    }');
  L.push('    switch (tag) {');
  for (const f of [...m.fields].sort((a, b) => a.number - b.number)) L.push(...decodeCases(c, m, f).map((s) => `      ${s}`));
  c.helpers.add('badWireType');
  L.push('      default:');
  L.push(`        if (${m.fields.length ? knownNumber(m) : 'tag < 8'}) badWireType(r, '${m.id}', tag, at); // field 0, or a declared field's wrong wire type`);
  L.push(`        r.pos = p;`, `        r.pbSkip(tag & 7, '${m.id}'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'`, '        p = r.pos;', '    }', '  }', '  r.pos = p;');
  for (const f of m.fields) {
    const what = `${m.id}.${f.id}`;
    const name = localName(f);
    if (f.required) {
      L.push(`  if (${name} === undefined) r.fail('missing_field', '${what}', 'required field ${f.number} is absent', r.end);`);
    } else if (defaultInvalid(f)) {
      const rep = reprOf(f);
      const isEmpty = rep === 'bytes' || rep === 'string' ? `${name}.length === 0` : `${name} === ${rep === 'big' ? '0n' : '0'}`;
      const need = rep === 'bytes' || rep === 'string' ? `${f.minSize}..${f.maxSize} bytes` : `${f.min}..${f.max}`;
      L.push(`  if (${isEmpty}) r.fail('out_of_range', '${what}', 'absent (so ${rep === 'bytes' || rep === 'string' ? 'empty' : '0'}), needs ${need}', r.end);`);
    }
  }
  const props = m.fields.map((f) => (localName(f) === camel(f.id) ? camel(f.id) : `${camel(f.id)}: ${localName(f)}`));
  const one = `  return { ${props.join(', ')} };`;
  L.push(...(one.length <= 110 ? [one] : ['  return {', ...props.map((x) => `    ${x},`), '  };']), '}');
  return L.join('\n') + '\n';
}

// ───────────────────────────── encoding ─────────────────────────────

/**
 * Statements validating value `x` of field f, for `sizeP` (the one place encoders validate).
 * Integer checks are inline: a call per field would exhaust V8's inlining budget in big messages.
 */
function encodeCheck(c: Ctx, f: PbField, x: string, what: string): string[] {
  const rep = reprOf(f);
  switch (rep) {
    case 'uint': case 'enum': {
      const { min, max } = bounds(f, c);
      const e = rep === 'enum' ? c.enums.get(f.enum!)! : undefined;
      if (e?.unknown === 'error') {
        c.imports.add('EncodeError');
        const extra = min > 0n || f.max < enumTop(e) ? ` || ${x} < ${lit(min)} || ${x} > ${lit(max)}` : '';
        const inv = enumInvalid(e, x);
        c.imports.add('describeValue');
        return [`if (${x} >>> 0 !== ${x} || ${inv.includes('&&') ? `(${inv})` : inv}${extra}) throw new EncodeError('out_of_range', '${what}', \`\${describeValue(${x})} is not a ${pascal(f.enum!)}\`);`];
      }
      c.imports.add('rangeError');
      // `x >>> 0 === x` holds exactly for integers in 0..2^32-1 (and rejects non-numbers).
      const bad = max <= 0xffff_ffffn
        ? [`${x} >>> 0 !== ${x}`, ...(max < 0xffff_ffffn ? [`${x} > ${lit(max)}`] : []), ...(min > 0n ? [`${x} < ${lit(min)}`] : [])]
        : [`!Number.isInteger(${x})`, `${x} < ${lit(min)}`, `${x} > ${lit(max)}`];
      return [`if (${bad.join(' || ')}) throw rangeError('${what}', ${x}, ${lit(min)}, ${lit(max)});`];
    }
    case 'big':
      c.imports.add('rangeError');
      return [`if (typeof ${x} !== 'bigint' || ${x} < ${lit(f.min, true)} || ${x} > ${lit(f.max, true)}) throw rangeError('${what}', ${x}, ${lit(f.min, true)}, ${lit(f.max, true)});`];
    case 'bool': c.helpers.add('notBoolean'); return [`if (typeof ${x} !== 'boolean') throw notBoolean('${what}', ${x});`];
    case 'bytes': c.helpers.add('checkBytes'); return [`checkBytes(${x}, ${f.minSize}, ${f.maxSize}, '${what}');`];
    case 'string': return []; // stringBytes (in valueSize) validates and counts in one pass
    default: return [];
  }
}

/** Size in bytes of value `x` (without tag), as an expression. */
function valueSize(c: Ctx, f: PbField, x: string, what: string): string {
  switch (reprOf(f)) {
    case 'bool': return '1';
    case 'big': c.imports.add('pbVarintSizeBig'); return `pbVarintSizeBig(${x})`;
    case 'bytes': c.helpers.add('varintSize'); return `varintSize(${x}.length) + ${x}.length`;
    case 'string': c.helpers.add('lenSize'); c.helpers.add('stringBytes'); return `lenSize(stringBytes(${x}, ${f.minSize}, ${f.maxSize}, '${what}'))`;
    case 'message': c.helpers.add('lenSize'); return `lenSize(size${pascal(f.message!)}(${x}))`;
    default: {
      // The field's max often settles the width: no call for what always takes one or two bytes.
      const { max } = bounds(f, c);
      if (max < 0x80n) return '1';
      if (max < 0x4000n) return `(${x} < 0x80 ? 1 : 2)`;
      c.helpers.add('varintSize');
      return `varintSize(${x})`;
    }
  }
}

/** Statements writing value `x` (after its tag) at `b[p]`, advancing `p`. */
function putValue(c: Ctx, f: PbField, x: string): string[] {
  switch (reprOf(f)) {
    case 'bool': return [`b[p++] = ${x} ? 1 : 0;`];
    case 'big': c.helpers.add('putVarintBig'); return [`p = putVarintBig(b, p, ${x});`];
    case 'bytes': c.helpers.add('putBytes'); return [`p = putBytes(b, p, ${x});`];
    case 'string': c.helpers.add('putString'); return [`p = putString(b, p, ${x});`];
    case 'message': c.helpers.add('endLen'); return [`p = endLen(b, p, put${pascal(f.message!)}(b, p + 1, ${x}));`];
    default: {
      if (bounds(f, c).max < 0x80n) return [`b[p++] = ${x};`];
      c.helpers.add('putVarint');
      return [`p = putVarint(b, p, ${x});`];
    }
  }
}

/** The tag's bytes, one assignment each. */
function putTag(f: PbField, wireType: number): string {
  let t = tagOf(f, wireType);
  const bytes: string[] = [];
  while (t > 0x7f) { bytes.push(hex((t & 0x7f) | 0x80)); t >>>= 7; }
  bytes.push(hex(t));
  return `${bytes.map((x) => `b[p++] = ${x};`).join(' ')} // field ${f.number}, ${wireType === 0 ? 'varint' : 'LEN'}`;
}

/** Condition under which a present value of an implicit-presence field is written (it is not the default). */
function notDefault(f: PbField, x: string): string {
  switch (reprOf(f)) {
    case 'bool': return x;
    case 'big': return `${x} !== 0n`;
    case 'bytes': case 'string': return `${x}.length !== 0`;
    default: return `${x} !== 0`;
  }
}

/** `tag + size` for the size statements, folded when the size is a constant. */
const plus = (tagBytes: number, size: string): string => (/^\d+$/.test(size) ? String(tagBytes + Number(size)) : `${tagBytes} + ${size}`);

/** Per field, in field-number order: `size` statements (validating, adding to `n`) and `put` statements. */
function encodeField(c: Ctx, m: Message, f: PbField): { size: string[]; put: string[] } {
  const what = `${m.id}.${f.id}`;
  const rep = reprOf(f);
  const tagBytes = pbVarintWidth(BigInt(tagOf(f, 0)));
  if (f.repeated) {
    const a = localName(f);
    c.helpers.add('countError');
    const count = `if (!Array.isArray(${a}) || ${a}.length > ${f.maxCount}) throw countError(${a}, ${f.maxCount}, '${what}');`;
    const get = `const ${a} = v.${camel(f.id)};`;
    const each = encodeCheck(c, f, 'x', what);
    if (isVarint(rep)) {
      c.helpers.add('varintSize');
      c.helpers.add('putVarint');
      c.helpers.add('endLen');
      const sum = () => ['let m = 0;', `for (let i = 0; i < ${a}.length; i++) {`, `  const x = ${a}[i];`, ...each.map((s) => `  ${s}`),
        `  m += ${valueSize(c, f, 'x', what)};`, '}'];
      return {
        size: [get, count, `if (${a}.length !== 0) {`, ...sum().map((s) => `  ${s}`),
          `  n += ${tagBytes} + varintSize(m) + m; // packed`, '}'],
        // Elements go after room for a one-byte length, as nested messages do (endLen).
        put: [get, `if (${a}.length !== 0) {`, `  ${putTag(f, 2)}, packed`, '  let q = p + 1;',
          `  for (let i = 0; i < ${a}.length; i++) ${putValue(c, f, `${a}[i]`)[0].replace(/\bp\b/g, 'q')}`, '  p = endLen(b, p, q);', '}'],
      };
    }
    return {
      size: [get, count, `for (let i = 0; i < ${a}.length; i++) {`, `  const x = ${a}[i];`,
        ...each.map((s) => `  ${s}`), `  n += ${plus(tagBytes, valueSize(c, f, 'x', what))};`, '}'],
      put: [get, `for (let i = 0; i < ${a}.length; i++) {`, `  const x = ${a}[i];`, `  ${putTag(f, 2)}`, ...putValue(c, f, 'x').map((s) => `  ${s}`), '}'],
    };
  }
  const x = `v.${camel(f.id)}`;
  const wt = isVarint(rep) ? 0 : 2;
  const checks = encodeCheck(c, f, x, what);
  const value = rep === 'bool' && !f.optional ? ['b[p++] = 1;'] : putValue(c, f, x);
  if (f.optional) {
    const size: string[] = [];
    if (f.required) {
      c.imports.add('EncodeError');
      size.push(`if (${x} === undefined) throw new EncodeError('wrong_type', '${what}', 'required field is absent');`);
    }
    size.push(`if (${x} !== undefined) {`, ...checks.map((s) => `  ${s}`), `  n += ${plus(tagBytes, valueSize(c, f, x, what))};`, '}');
    return { size, put: [`if (${x} !== undefined) {`, `  ${putTag(f, wt)}`, ...value.map((s) => `  ${s}`), '}'] };
  }
  if (rep === 'string') {
    // Validated (and counted) even when empty: the default must be a valid value too.
    c.helpers.add('stringBytes');
    c.helpers.add('lenSize');
    const len = `${localName(f)}Bytes`;
    return {
      size: [`const ${len} = stringBytes(${x}, ${f.minSize}, ${f.maxSize}, '${what}');`, `if (${len} !== 0) n += ${tagBytes} + lenSize(${len});`],
      put: [`if (${notDefault(f, x)}) {`, `  ${putTag(f, wt)}`, ...value.map((s) => `  ${s}`), '}'],
    };
  }
  return {
    size: [...checks, `if (${notDefault(f, x)}) n += ${plus(tagBytes, valueSize(c, f, x, what))};`],
    put: [`if (${notDefault(f, x)}) {`, `  ${putTag(f, wt)}`, ...value.map((s) => `  ${s}`), '}'],
  };
}

function emitEncode(c: Ctx, m: Message): string {
  const P = pascal(m.id);
  const fields = [...m.fields].sort((a, b) => a.number - b.number).map((f) => ({ f, ...encodeField(c, m, f) }));
  // A repeated field's statements get a block, for their local.
  const block = (f: PbField, lines: string[]) => [`  // ${f.number} ${f.id}`,
    ...(f.repeated ? ['  {', ...lines.map((s) => `    ${s}`), '  }'] : lines.map((s) => `  ${s}`))];
  const L: string[] = [];
  L.push(doc(`Validates a {@link ${P}} (throwing {@link EncodeError}) and returns its exact canonical encoded size.`).trimEnd());
  L.push(`export function size${P}(v: ${P}): number {`, '  let n = 0;');
  for (const x of fields) L.push(...block(x.f, x.size));
  L.push('  return n;', '}', '');
  L.push(doc(`Writes a {@link ${P}} that {@link size${P}} validated at \`b[p]\` (room checked by the caller); returns the end.`).trimEnd());
  L.push(`function put${P}(b: Uint8Array, p: number, v: ${P}): number {`);
  for (const x of fields) L.push(...block(x.f, x.put));
  L.push('  return p;', '}', '');
  c.imports.add('EncodeError');
  const code = upper(m.error);
  L.push(doc(`Validates a {@link ${P}} and writes its canonical encoding (no length prefix) to \`w\`.`).trimEnd());
  L.push(`export function write${P}(w: Writer, v: ${P}): void {`, `  w.bytes(encode${P}(v));`, '}', '');
  L.push(doc(`Decodes a whole {@link ${P}}; errors carry ${code}. Input over max_message_size is 'out_of_range'.`).trimEnd());
  L.push(`export function decode${P}(bytes: Uint8Array): ${P} {`, `  return read${P}(new Reader(bytes, ${code}));`, '}', '');
  L.push(doc(`Validates a {@link ${P}} and encodes it canonically into exactly {@link size${P}} bytes: a view into a shared slab (see alloc).`).trimEnd());
  L.push(`export function encode${P}(v: ${P}): Uint8Array {`, `  const n = size${P}(v);`);
  L.push(`  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', '${m.id}', \`\${n} bytes, max_message_size is \${MAX_MESSAGE_SIZE}\`);`);
  L.push('  const b = alloc(n);', `  const end = put${P}(b, 0, v);`);
  L.push(`  if (end !== n) throw new Error(\`encode${P}: wrote \${end} bytes, size${P} said \${n}\`);`);
  L.push('  return b;', '}');
  return L.join('\n') + '\n';
}

// ───────────────────────────── declarations ─────────────────────────────

function emitEnum(e: EnumDef): string {
  const P = pascal(e.id);
  for (const v of e.values) if (v.value > INT32_MAX) throw new Error(`enum '${e.id}': value ${v.value} does not fit a proto3 enum (int32)`);
  let s = doc(e.doc + (e.unknown === 'keep' ? '\n\nDecoders keep values outside this table (0..2^31-1).' : '\n\nA value outside this table is a decode error (\'invalid_enum\').'));
  s += `export const ${P} = {\n`;
  for (const v of e.values) s += doc(v.doc, '  ') + `  ${upper(v.id)}: ${v.value},\n`;
  s += '} as const;\n';
  s += `/** A {@link ${P}} value${e.unknown === 'keep' ? ' (or an unknown one, kept)' : ''}. */\nexport type ${P} = number;\n`;
  return s;
}

function emitInterface(c: Ctx, m: Message): string {
  const P = pascal(m.id);
  let s = doc(m.doc + (m.error !== c.file.error ? `\n\nDecode errors carry ${m.error}.` : ''));
  s += `export interface ${P} {\n`;
  for (const f of m.fields) {
    s += doc(`${f.doc}\n\n${fieldNote(c, f)}`, '  ');
    s += `  ${camel(f.id)}${f.optional ? '?' : ''}: ${tsType(f)};\n`;
  }
  s += '}\n\n';
  s += `/** Smallest encoding of a valid {@link ${P}}. */\nexport const ${upper(m.id)}_MIN_SIZE = ${messageMinSize(c, m)};\n`;
  s += `/** Largest encoding of a {@link ${P}} (at most max_message_size). */\nexport const ${upper(m.id)}_MAX_SIZE = ${messageMaxSize(c, m.id)};\n`;
  return s;
}

// ───────────────────────────── the file ─────────────────────────────

export function emitTsMessages(spec: Spec, file: MessagesFile): GeneratedFile {
  const maxMessageConst = spec.constants.constants.find((k) => k.id === 'max_message_size');
  if (!maxMessageConst) throw new Error('emit-ts-messages: constant max_message_size is missing');
  const c: Ctx = {
    file, enums: new Map(file.enums.map((e) => [e.id, e])), messages: new Map(file.messages.map((m) => [m.id, m])),
    maxMessage: Number(maxMessageConst.value), helpers: new Set(), imports: new Set(['Reader', 'Writer']), maxSizes: new Map(),
  };
  const body: string[] = [];
  if (file.messages.length) c.helpers.add('alloc');
  for (const m of file.messages) {
    body.push(`// ───────────────────────────── ${m.id} ─────────────────────────────\n`);
    body.push(emitInterface(c, m), emitRead(c, m), emitEncode(c, m));
  }
  for (const h of c.helpers) for (const u of HELPERS[h].uses ?? []) c.helpers.add(u); // a Set visits what is added during the loop
  const helpers = [...c.helpers].sort().map((h) => {
    for (const i of HELPERS[h].imports ?? []) c.imports.add(i);
    return HELPERS[h].code + '\n';
  });
  const errorIds = [...new Set([file.error, ...file.messages.map((m) => m.error)])];
  const codes = errorIds.map((id) => {
    const e = spec.errors.codes.find((x) => x.id === id);
    if (!e) throw new Error(`emit-ts-messages: unknown error code '${id}'`);
    return `/** ${id} (${spec.errors.path}): ${e.doc.split('\n')[0]} */\nconst ${upper(id)} = ${hex(e.code)};\n`;
  });
  const out = [
    header([file, spec.constants, spec.errors]),
    doc(`${file.title}: the protobuf (proto3 wire format) codec of ${file.path}; the schema is \`schema/jetstream.proto\`.\n\n` +
      'Encoders write the canonical encoding: fields in increasing field-number order, repeated scalars packed,\n' +
      'implicit-presence fields omitted when they hold their default, explicit-presence fields whenever present.\n' +
      'Decoders accept any valid protobuf encoding and are stricter than protobuf on values (messages.ranges):\n' +
      "a wrong wire type for a declared field is 'wire_type', a value outside its range (or a bool other than 0/1)\n" +
      "'out_of_range', an unknown value of a closed enum 'invalid_enum', too many elements 'too_many'.\n" +
      'A singular field seen twice: the last occurrence wins, whole for a message (protobuf would merge).\n' +
      'Bytes are views into the input.\n\n' +
      '@module').trimEnd(),
    `import { ${[...c.imports].sort().join(', ')} } from '../codec/index.ts';\n`,
    `/** max_message_size (${spec.constants.path}): ${maxMessageConst.doc.split('\n')[0]} */\nconst MAX_MESSAGE_SIZE = ${c.maxMessage};\n`,
    ...codes,
    '/** The value of an absent bytes field (shared: a zero-length view cannot be written to). */\nconst EMPTY = new Uint8Array(0);\n',
    ...file.enums.map(emitEnum),
    ...body,
    '// ───────────────────────────── helpers ─────────────────────────────\n',
    ...helpers,
  ];
  return { path: `src/gen/${file.id}.ts`, content: out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n') };
}
