/**
 * `jsp bench aead`: packet protection cost per 1200-byte packet, next to the raw node:crypto call
 * (`createCipheriv` + `setAAD` + `update` + `final` + `getAuthTag`, then `createDecipheriv` +
 * `setAuthTag` + `setAAD` + `update` + `final`) measured in the same run:
 *
 * 1. **AEAD** — `AeadKey.seal` + `open` of 1200 bytes with a 20-byte AAD, for each CryptoProvider
 *    × AEAD suite. JSP's `seal` returns `ciphertext ‖ tag` as one new buffer, which the raw call
 *    leaves as two: that allocation and copy is part of the measured overhead.
 * 2. **Packet** — the whole of `src/core/protection/packet.ts` with the node provider: `protect`
 *    of a short-header packet (11-byte header: first byte, 8-byte DCID, 2-byte packet number)
 *    into a reused datagram buffer — copying header and payload in, nonce, `sealInto`, header
 *    protection — then `unprotect` — header-protection removal into a header copy, packet-number
 *    decoding, nonce, `open` — of a 1200-byte datagram. The raw peer seals and opens the same
 *    payload (1173 bytes) with the same header as AAD, and does no header protection.
 *
 * `ratio` = raw ÷ JSP (a cost: > 1 means JSP is cheaper). The target for the `node` provider is
 * overhead ≤ 1.25×, i.e. ratio ≥ 0.8.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { protect, unprotect, writePacketNumber, type ProtectionKeys } from '../core/protection/packet.ts';
import { PROVIDERS, type AeadSuite, type HeaderProtectionKind } from '../crypto/index.ts';
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

const HP: Record<AeadSuite, HeaderProtectionKind> = { 'chacha20-poly1305': 'chacha20', 'aes-256-gcm': 'aes-256-ecb' };

/** protect + unprotect of a 1200-byte short-header packet (node provider) vs the raw AEAD calls. */
function packetBench(suite: AeadSuite): BenchResult[] {
  const DCID = 8, PN_LENGTH = 2, pn = 0x12345, largest = pn - 1;
  const header = new Uint8Array(1 + DCID + PN_LENGTH);
  header[0] = 0x40 | (PN_LENGTH - 1);
  header.set(fill(DCID, 5), 1);
  writePacketNumber(header, 1 + DCID, pn, PN_LENGTH);
  const pnOffset = 1 + DCID;
  const payload = fill(PACKET - header.length - 16, 6);
  const key = fill(32, 1), iv = fill(12, 2), nonce = fill(12, 3);
  const p = PROVIDERS.node;
  const keys: ProtectionKeys = { aead: p.aead(suite, key), iv, hp: p.headerProtection(HP[suite], fill(32, 7)) };
  const datagram = new Uint8Array(PACKET);
  const check = protect(keys, header, pnOffset, pn, payload, datagram);
  if (check.length !== PACKET || unprotect(keys, check, pnOffset, largest)?.payload.length !== payload.length) {
    throw new Error(`aead bench: packet round trip failed on ${suite}`);
  }
  const peer = `raw node:crypto ${suite} (same payload and AAD, no header protection)`;
  const raw: Case = { name: peer, run: () => rawOpen(suite, key, nonce, header, ...rawSeal(suite, key, nonce, header, payload)) };
  const jsp: Case = {
    name: 'packet',
    run: () => unprotect(keys, protect(keys, header, pnOffset, pn, payload, datagram), pnOffset, largest),
  };
  // More and shorter rounds than above: the difference measured is smaller, the noise the same.
  const t = compare([raw, jsp], { rounds: 61, targetMs: 8 });
  const ns = t.get('packet')!;
  return [
    { name: `packet ${suite} protect+unprotect ${PACKET} B (header protection included), node provider`, value: ns, unit: 'ns/packet', peer, ratio: t.get(peer)! / ns },
    { name: `packet ${suite} seal+open ${payload.length} B + ${header.length} B AAD, raw node:crypto`, value: t.get(peer)!, unit: 'ns/packet' },
  ];
}

/** Every provider × suite, each next to the raw node:crypto call of the same suite; then whole packets. */
export function benchAead(): BenchResult[] {
  const suites = ['chacha20-poly1305', 'aes-256-gcm'] as const;
  return [...suites.flatMap(suiteBench), ...suites.flatMap(packetBench)];
}
