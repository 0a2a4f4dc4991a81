/**
 * `jsp bench aead`: packet protection cost per 1200-byte packet (seal + open, 20-byte AAD as a
 * short header would be), for each CryptoProvider × AEAD suite, next to the raw node:crypto call
 * (`createCipheriv` + `setAAD` + `update` + `final` + `getAuthTag`, then `createDecipheriv` +
 * `setAuthTag` + `setAAD` + `update` + `final`) measured in the same run.
 *
 * `ratio` = raw ÷ JSP (a cost: > 1 means JSP is cheaper). The target for the `node`
 * provider is overhead ≤ 1.25×, i.e. ratio ≥ 0.8. JSP's `seal` also returns `ciphertext ‖ tag` as
 * one buffer, which the raw call leaves as two: that copy is part of the measured overhead.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { PROVIDERS, type AeadSuite } from '../crypto/index.ts';
import { compare, type BenchResult, type Case } from './harness.ts';

const PACKET = 1200;
const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

const OPTS = { authTagLength: 16 } as const;

/** The raw node:crypto seal: ciphertext and tag as node returns them (two buffers). */
function rawSeal(suite: AeadSuite, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): [Buffer, Buffer] {
  const c = suite === 'aes-256-gcm'
    ? createCipheriv('aes-256-gcm', key, nonce, OPTS)
    : createCipheriv('chacha20-poly1305', key, nonce, OPTS);
  c.setAAD(aad);
  const ct = c.update(pt);
  c.final();
  return [ct, c.getAuthTag()];
}

/** The raw node:crypto open; throws on a bad tag. */
function rawOpen(suite: AeadSuite, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Buffer, tag: Buffer): Buffer {
  const d = suite === 'aes-256-gcm'
    ? createDecipheriv('aes-256-gcm', key, nonce, OPTS)
    : createDecipheriv('chacha20-poly1305', key, nonce, OPTS);
  d.setAuthTag(tag);
  d.setAAD(aad);
  const out = d.update(ct);
  d.final();
  return out;
}

function suiteBench(suite: AeadSuite): BenchResult[] {
  const key = fill(32, 1), nonce = fill(12, 2), aad = fill(20, 3), pt = fill(PACKET, 4);
  const peer = `raw node:crypto ${suite}`;
  const raw: Case = { name: peer, run: () => rawOpen(suite, key, nonce, aad, ...rawSeal(suite, key, nonce, aad, pt)) };
  const want = Buffer.concat(rawSeal(suite, key, nonce, aad, pt));
  const results: BenchResult[] = [];
  let rawNs = 0;
  // One interleaved comparison per provider: noble's garbage (and GC pauses) must not land in
  // the node provider's batches, whose ratio is the one with a target.
  for (const p of [PROVIDERS.node, PROVIDERS.noble]) {
    const k = p.aead(suite, key);
    // Like with like only: the provider must produce the bytes the raw call does.
    const sealed = k.seal(nonce, pt, aad);
    if (Buffer.compare(Buffer.from(sealed), want) !== 0 || k.open(nonce, sealed, aad)?.length !== PACKET) {
      throw new Error(`aead bench: provider ${p.name} and node:crypto disagree on ${suite}`);
    }
    // Many short rounds (harness default: 7 × 40 ms): on a loaded machine, finer interleaving
    // spreads load spikes evenly over both cases and the median discards them.
    const t = compare([raw, { name: p.name, run: () => k.open(nonce, k.seal(nonce, pt, aad), aad) }], { rounds: 31, targetMs: 10 });
    const ns = t.get(p.name)!;
    if (p === PROVIDERS.node) rawNs = t.get(peer)!;
    results.push({ name: `aead ${suite} seal+open ${PACKET} B, ${p.name} provider`, value: ns, unit: 'ns/packet', peer, ratio: t.get(peer)! / ns });
  }
  results.push({ name: `aead ${suite} seal+open ${PACKET} B, raw node:crypto`, value: rawNs, unit: 'ns/packet' });
  return results;
}

/** Every provider × suite, each next to the raw node:crypto call of the same suite. */
export function benchAead(): BenchResult[] {
  return (['chacha20-poly1305', 'aes-256-gcm'] as const).flatMap(suiteBench);
}
