/**
 * Constant-time helpers and secret wiping, portable (no `node:*` import).
 *
 * "Constant time" here means: the running time depends on the lengths, which are public, and
 * never on the contents. JavaScript gives no hard guarantee (the JIT may do anything), so the
 * loops are written the way noble writes them (`@noble/ciphers/utils.js` `equalBytes`): one pass
 * over every byte, XOR/OR accumulation, no early exit, a single branch at the end.
 *
 * @module
 */

/**
 * Whether `a` and `b` hold the same bytes, in time that depends only on their lengths. Unequal
 * lengths return `false` at once (a length is never secret in JSP: tags and MACs have fixed sizes).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * Whether every byte of `a` is zero, in time that depends only on its length: the RFC 7748 §6.1
 * check of an X25519 output.
 */
export function isAllZero(a: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc |= a[i];
  return acc === 0;
}

/**
 * Overwrites each buffer with zeros (`undefined` entries are skipped). For secrets the caller owns
 * once a stage ends: a shared secret after it went into the key schedule, a PRK after expansion.
 * A JS engine may have copied the bytes elsewhere (GC moves, strings); wiping is hygiene, not a
 * guarantee.
 */
export function wipe(...buffers: Array<Uint8Array | undefined>): void {
  for (const b of buffers) if (b !== undefined) b.fill(0);
}
