/** Small helpers shared by the test files. */
import { DecodeError, EncodeError } from '../src/codec/index.ts';

/** Hex (whitespace and `|` ignored) to bytes. */
export const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/[\s|]/g, ''), 'hex'));

/** Bytes (a view is fine) to lowercase hex. */
export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');

/**
 * Runs f and returns the error it throws, which must be of the class (matched by name as well,
 * since a module imported by file URL may load `src/codec` a second time: another class identity).
 */
function thrown<T extends Error>(cls: abstract new (...a: any[]) => T, f: () => unknown): T {
  try {
    f();
  } catch (e) {
    if (e instanceof cls || (e instanceof Error && e.name === cls.name)) return e as T;
    throw e;
  }
  throw new Error(`expected a ${cls.name}, nothing was thrown`);
}

/** Runs f, requires a DecodeError, returns it (so tests assert on its fields). */
export const decodeError = (f: () => unknown): DecodeError => thrown(DecodeError, f);

/** Runs f, requires an EncodeError, returns it. */
export const encodeError = (f: () => unknown): EncodeError => thrown(EncodeError, f);
