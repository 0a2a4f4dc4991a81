/**
 * HKDF-Expand-Label (spec/crypto.yaml `expand_label`): TLS 1.3's (RFC 8446 §7.1) with the prefix
 * `"jsp1 "` in place of `"tls13 "`:
 *
 * ```
 * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
 * HkdfLabel = u16 Length ‖ u8 len(prefix ‖ Label) ‖ prefix ‖ Label ‖ u8 len(Context) ‖ Context
 * ```
 *
 * The prefix and every label come from the generated module (`src/gen/crypto.ts`,
 * `EXPAND_LABEL_PREFIX` and `LABELS`); the optional `prefix` argument exists so that tests can
 * reproduce the TLS 1.3 and QUIC vectors (`"tls13 "`).
 *
 * @module
 */
import { EXPAND_LABEL_PREFIX } from '../gen/crypto.ts';
import { LENGTHS, type CryptoProvider } from './provider.ts';

/**
 * Longest `prefix ‖ label`, in bytes: spec/crypto.yaml says "Labels are ASCII, at most 255 bytes
 * with the prefix" (its length is one byte, as TLS 1.3's `opaque label<7..255>`).
 */
export const MAX_LABEL_LENGTH = 255;
/** Longest context, in bytes (its length is one byte). */
export const MAX_CONTEXT_LENGTH = 255;

/** The ASCII bytes of `s`; a TypeError names the first character that is not ASCII. */
function ascii(s: string, name: string): number[] {
  const out = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new TypeError(`expandLabel: ${name} must be ASCII, got ${JSON.stringify(s[i])} at ${i}`);
    out[i] = c;
  }
  return out;
}

/**
 * The HkdfLabel structure: `u16 length ‖ u8 len(prefix ‖ label) ‖ prefix ‖ label ‖ u8
 * len(context) ‖ context`. Exported for the key-schedule vectors, which list it.
 */
export function hkdfLabel(label: string, context: Uint8Array, length: number, prefix: string = EXPAND_LABEL_PREFIX): Uint8Array {
  if (typeof label !== 'string') throw new TypeError(`expandLabel: label must be a string, got ${typeof label}`);
  if (typeof prefix !== 'string') throw new TypeError(`expandLabel: prefix must be a string, got ${typeof prefix}`);
  if (!(context instanceof Uint8Array)) throw new TypeError(`expandLabel: context must be a Uint8Array, got ${context === null ? 'null' : typeof context}`);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > LENGTHS.hkdfMax) {
    throw new RangeError(`expandLabel: length must be an integer in 0..${LENGTHS.hkdfMax}, got ${String(length)}`);
  }
  const full = [...ascii(prefix, 'prefix'), ...ascii(label, 'label')];
  if (full.length > MAX_LABEL_LENGTH) {
    throw new RangeError(`expandLabel: prefix ‖ label must be at most ${MAX_LABEL_LENGTH} bytes, got ${full.length}`);
  }
  if (context.length > MAX_CONTEXT_LENGTH) {
    throw new RangeError(`expandLabel: context must be at most ${MAX_CONTEXT_LENGTH} bytes, got ${context.length}`);
  }
  const info = new Uint8Array(2 + 1 + full.length + 1 + context.length);
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = full.length;
  info.set(full, 3);
  info[3 + full.length] = context.length;
  info.set(context, 4 + full.length);
  return info;
}

/**
 * HKDF-Expand-Label(secret, label, context, length) with SHA-256 through `provider.hkdfExpand`.
 * `secret` is a PRK (at least 32 bytes), `label` ASCII without the prefix (e.g. `LABELS.packet_key`),
 * `context` at most 255 bytes (often empty). TypeError for a value of the wrong type or a
 * non-ASCII label, RangeError for a length out of bounds. The result is new and the caller's.
 */
export function expandLabel(
  provider: CryptoProvider,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
  prefix: string = EXPAND_LABEL_PREFIX,
): Uint8Array {
  const info = hkdfLabel(label, context, length, prefix);
  return provider.hkdfExpand(secret, info, length);
}
