/**
 * The small functions `emit-ts-messages.ts` appends to `src/gen/messages.ts`, each emitted once and only
 * when the generated code calls it (with the helpers it uses in turn). Kept apart from the emitter so that
 * each file stays readable; the code is TypeScript in template strings, so `\`` and `${` are escaped.
 *
 * Why these exist rather than Reader/Writer calls: in a big read/put function V8 cannot inline one Reader
 * call per field (its inlining budget runs out), so the generated code keeps the position in a local and
 * handles the common short forms here, leaving the rest — and every error — to the Reader.
 */


/** A helper function of the generated file: its code, the `src/codec` names it imports, the helpers it calls. */
export interface Helper {
  code: string;
  imports?: string[];
  uses?: string[];
}

export const HELPERS: Record<string, Helper> = {
  badWireType: { code: `/** A declared field with a wire type its type does not allow. */
function badWireType(r: Reader, what: string, tag: number, at: number): never {
  return r.fail('wire_type', what, \`field \${tag >>> 3} with wire type \${tag & 7} at offset \${at}\`, at);
}` },
  outOfRange: { code: `function outOfRange(r: Reader, what: string, x: number | bigint, min: number | bigint, max: number | bigint, at: number): never {
  return r.fail('out_of_range', what, \`value \${x} not in \${min}..\${max}\`, at);
}` },
  badEnum: { code: `function badEnum(r: Reader, what: string, x: number, at: number): never {
  return r.fail('invalid_enum', what, \`unknown value \${x}\`, at);
}` },
  tooMany: { code: `function tooMany(r: Reader, what: string, max: number, at: number): never {
  return r.fail('too_many', what, \`more than \${max} elements\`, at);
}` },
  longTag: { code: `/** A tag of more than one byte that {@link varint32} left to the Reader: above 2^32-1 is 'wire_type'. */
function longTag(r: Reader, what: string): number {
  const at = r.pos;
  const tag = r.pbVarintBig(what); // 'truncated', or 'out_of_range' past 10 bytes / 64 bits
  if (tag > 0xffff_ffffn) r.fail('wire_type', what, \`tag \${tag} above 2^32-1 at offset \${at}\`, at);
  return Number(tag);
}` },
  readBytes: { code: `/** A LEN field's bytes (a zero-copy view); the length is checked against min..max before the input. */
function readBytes(r: Reader, what: string, min: number, max: number, at: number): Uint8Array {
  const n = r.pbVarint(what);
  if (n < min || n > max) r.fail('out_of_range', what, \`\${n} bytes, needs \${min}..\${max}\`, at);
  return r.bytes(n, what);
}` },
  readString: { code: `/**
 * A LEN field as UTF-8, length-checked in bytes before decoding. Short ASCII is decoded here (a TextDecoder
 * call costs more than the loop); anything else goes to the fatal decoder (invalid UTF-8 is 'invalid_utf8').
 */
function readString(r: Reader, what: string, min: number, max: number, at: number): string {
  const start = r.pos;
  const n = r.pbVarint(what);
  if (n < min || n > max) r.fail('out_of_range', what, \`\${n} bytes, needs \${min}..\${max}\`, at);
  if (n <= 64 && n <= r.end - r.pos) {
    const b = r.buf;
    const p = r.pos;
    let s = '';
    let i = 0;
    for (; i < n && b[p + i] < 0x80; i++) s += String.fromCharCode(b[p + i]);
    if (i === n) {
      r.pos = p + n;
      return s;
    }
  }
  r.pos = start;
  return r.pbString(what);
}` },
  runReader: { code: `/** A Reader over a packed run's rest (b[p..stop)), for a varint the inline path leaves to it. */
function runReader(r: Reader, p: number, stop: number): Reader {
  return new Reader(r.buf, r.errorCode, p, stop);
}` },
  subWithCode: { imports: ['Reader'], code: `/** A reader over the next n bytes for a nested message that carries its own error code. */
function subWithCode(r: Reader, n: number, errorCode: number, what: string): Reader {
  const p = r.pos;
  r.advance(n, what);
  return new Reader(r.buf, errorCode, p, p + n);
}` },
  lenSize: { uses: ['varintSize'], code: `/** Size of a LEN value of n bytes: its length prefix and the bytes. */
function lenSize(n: number): number {
  return varintSize(n) + n;
}` },
  varintSize: { code: `/** Bytes of the LEB128 varint of an integer in 0..2^53-1 (compares only: validated before). */
function varintSize(x: number): number {
  return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x20_0000 ? 3 : x < 0x1000_0000 ? 4
    : x < 0x8_0000_0000 ? 5 : x < 0x400_0000_0000 ? 6 : x < 0x2_0000_0000_0000 ? 7 : 8;
}` },
  putVarint: { code: `/** Writes the LEB128 varint of an integer in 0..2^53-1 at b[p]; returns the end. */
function putVarint(b: Uint8Array, p: number, x: number): number {
  while (x > 0xffff_ffff) {
    b[p++] = (x & 0x7f) | 0x80; // ToInt32 keeps the low 7 bits of any safe integer
    x = Math.floor(x / 128);
  }
  while (x > 0x7f) {
    b[p++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  b[p++] = x;
  return p;
}` },
  endLen: { uses: ['putVarint', 'varintSize'], code: `/**
 * A LEN value (nested message, packed run) was written at b[start + 1], after room for a one-byte length, up
 * to \`end\`: write its length at b[start], first moving the body when the length needs more bytes. Returns the
 * body's end. (The buffer has room: sizeP counted the real prefix.) This spares a second size pass.
 */
function endLen(b: Uint8Array, start: number, end: number): number {
  const n = end - start - 1;
  if (n < 0x80) {
    b[start] = n;
    return end;
  }
  const w = varintSize(n);
  b.copyWithin(start + w, start + 1, end);
  putVarint(b, start, n);
  return end + w - 1;
}` },
  varint32: { code: `/** Where the last {@link varint32} stopped: its second result, without allocating a pair. */
let next = 0;

/**
 * A LEB128 varint of at most 32 bits at b[p], unrolled, setting {@link next}; -1 when the Reader must decide
 * (the input ends at \`end\`, more than 5 bytes, or more than 32 bits): it reads the longer forms or reports.
 */
function varint32(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  let c = b[p++];
  let x = c & 0x7f;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  x |= (c & 0x7f) << 7;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  x |= (c & 0x7f) << 14;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  x |= (c & 0x7f) << 21;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  if (c > 0x0f) return -1;
  next = p;
  return (x | (c << 28)) >>> 0;
}` },
  putVarintBig: { code: `/** Writes the LEB128 varint of a bigint in 0..2^64-1 at b[p]; returns the end. */
function putVarintBig(b: Uint8Array, p: number, x: bigint): number {
  while (x > 0x7fn) {
    b[p++] = Number(x & 0x7fn) | 0x80;
    x >>= 7n;
  }
  b[p++] = Number(x);
  return p;
}` },
  putBytes: { uses: ['putVarint'], code: `/** Writes a LEN value (length, then the bytes) at b[p]; returns the end. Short values by loop: set() costs a native call. */
function putBytes(b: Uint8Array, p: number, x: Uint8Array): number {
  const n = x.length;
  p = putVarint(b, p, n);
  if (n > 32) b.set(x, p);
  else for (let i = 0; i < n; i++) b[p + i] = x[i];
  return p + n;
}` },
  putString: { uses: ['endLen'], code: `/** Writes a LEN string (validated well-formed) as UTF-8 at b[p]; returns the end. ASCII by loop, the rest by TextEncoder. */
function putString(b: Uint8Array, p: number, x: string): number {
  let q = p + 1;
  for (let i = 0; i < x.length; i++) {
    const c = x.charCodeAt(i);
    if (c >= 0x80) {
      q += utf8Encoder.encodeInto(x.slice(i), b.subarray(q)).written;
      break;
    }
    b[q++] = c;
  }
  return endLen(b, p, q);
}
const utf8Encoder = new TextEncoder();` },
  alloc: { code: `/**
 * Output buffers are carved from shared 64 KiB slabs, as Node's Buffer pool does: a typed array over more
 * than 64 bytes otherwise needs its own off-heap allocation, microseconds against tens of nanoseconds.
 * Each result is an exact-size view; its \`.buffer\` is the shared slab (copy before transferring that),
 * and wiping the view (\`fill(0)\`) wipes the only copy of what was encoded.
 */
function alloc(n: number): Uint8Array {
  if (n > SLAB_SIZE >>> 3) return new Uint8Array(n);
  if (slabUsed + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const b = new Uint8Array(slab, slabUsed, n);
  slabUsed = (slabUsed + n + 7) & ~7;
  return b;
}
const SLAB_SIZE = 0x1_0000;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;` },
  notBoolean: { imports: ['EncodeError', 'describeValue'], code: `function notBoolean(what: string, x: unknown): EncodeError {
  return new EncodeError('wrong_type', what, \`expected boolean, got \${describeValue(x)}\`);
}` },
  checkBytes: { imports: ['EncodeError', 'describeValue'], code: `function checkBytes(x: Uint8Array, min: number, max: number, what: string): void {
  if (!(x instanceof Uint8Array)) throw new EncodeError('wrong_type', what, \`expected Uint8Array, got \${describeValue(x)}\`);
  if (x.length < min || x.length > max) throw new EncodeError('length_mismatch', what, \`\${x.length} bytes, needs \${min}..\${max}\`);
}` },
  stringBytes: { imports: ['EncodeError', 'describeValue'], code: `/**
 * Validates a string — well-formed (a lone surrogate has no UTF-8 form, so it could not round-trip), of
 * min..max UTF-8 bytes — and returns its UTF-8 length, in one pass.
 */
function stringBytes(x: string, min: number, max: number, what: string): number {
  if (typeof x !== 'string') throw new EncodeError('wrong_type', what, \`expected string, got \${describeValue(x)}\`);
  let n = x.length;
  for (let i = 0; i < x.length; i++) {
    const c = x.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0xd800 || c > 0xdfff) n += c < 0x800 ? 1 : 2;
    else if (c <= 0xdbff && (x.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 2; i++; } // a pair: 4 bytes
    else throw new EncodeError('wrong_type', what, \`lone surrogate at index \${i}\`);
  }
  if (n < min || n > max) throw new EncodeError('length_mismatch', what, \`\${n} UTF-8 bytes, needs \${min}..\${max}\`);
  return n;
}` },
  countError: { imports: ['EncodeError', 'describeValue'], code: `/** The error for a repeated field that is not an array, or is one over its limit. */
function countError(x: unknown, max: number, what: string): EncodeError {
  if (!Array.isArray(x)) return new EncodeError('wrong_type', what, \`expected an array, got \${describeValue(x)}\`);
  return new EncodeError('out_of_range', what, \`\${x.length} elements, at most \${max}\`);
}` },
};
