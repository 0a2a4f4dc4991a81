/**
 * Argument checks shared by the providers (noble style, `@noble/ciphers/utils.js` `abytes`): a
 * `TypeError` for a value of the wrong type, a `RangeError` for a length out of bounds, each naming
 * the function and the argument. These are caller bugs, never peer input (see `errors.ts`).
 *
 * @module
 */
import { AEAD_SUITES, type AeadSuite } from './provider.ts';

/** Requires a Uint8Array (a Buffer is one); returns it. */
export function bytes(value: unknown, where: string, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${where}: ${name} must be a Uint8Array, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** Requires a Uint8Array of exactly `length` bytes; returns it. */
export function bytesOf(value: unknown, length: number, where: string, name: string): Uint8Array {
  const b = bytes(value, where, name);
  if (b.length !== length) throw new RangeError(`${where}: ${name} must be ${length} bytes, got ${b.length}`);
  return b;
}

/** Requires an integer in `min..max`; returns it. */
export function intIn(value: unknown, min: number, max: number, where: string, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${where}: ${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

/** Requires one of {@link AEAD_SUITES}; returns it. */
export function aeadSuite(value: unknown, where: string): AeadSuite {
  if (!AEAD_SUITES.includes(value as AeadSuite)) {
    throw new TypeError(`${where}: unknown AEAD suite ${JSON.stringify(value)}; expected one of ${AEAD_SUITES.join(', ')}`);
  }
  return value as AeadSuite;
}

/** The error a wiped key handle throws when used again. */
export function wiped(where: string): TypeError {
  return new TypeError(`${where}: the key was wiped; create a new one`);
}
