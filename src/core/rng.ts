/**
 * A deterministic random-byte stream for simulations, tests and vectors: HMAC-SHA256(seed,
 * counter) blocks. It is not a CSPRNG for production keys unless the seed itself is secret and
 * random; its purpose is reproducibility (the same seed gives the same handshake, byte for byte).
 *
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';

/** A function returning `n` bytes from the stream keyed by `seed`. */
export function seededRng(provider: CryptoProvider, seed: Uint8Array | string): (n: number) => Uint8Array {
  const key = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed.slice();
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n: number) => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`seededRng: bad length ${n}`);
    while (pool.length < n) {
      const c = new Uint8Array(8);
      new DataView(c.buffer).setBigUint64(0, BigInt(counter++));
      const block = provider.hmacSha256(key, c);
      const next = new Uint8Array(pool.length + block.length);
      next.set(pool);
      next.set(block, pool.length);
      pool = next;
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}
