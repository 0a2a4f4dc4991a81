/**
 * Cross-provider: nobleProvider and nodeProvider agree byte for byte, and each opens/verifies what
 * the other produced — on boundary lengths (block, padding and MTU edges) and on random inputs
 * (fast-check). Two implementations that disagree anywhere here cannot interoperate on the wire.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider as noble, nodeProvider as node } from '../../src/crypto/index.ts';
import { toHex } from '../helpers.ts';

/** AEAD/MTU edges: empty, around the 16-byte (Poly1305, AES) and 64-byte (ChaCha20) blocks, packet sizes. */
const BOUNDARY = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 1024, 1200, 1500];
/** SHA-256 adds 55/56/57 (the length field no longer fits in the last block) and 119/120. */
const HASH_LENGTHS = [...BOUNDARY, 55, 56, 57, 119, 120].sort((a, b) => a - b);
const SUITES = ['chacha20-poly1305', 'aes-256-gcm'] as const;
const seq = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + (i >> 8)) & 0xff);
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const hex = toHex;

for (const suite of SUITES) {
  test(`${suite}: seal agrees byte for byte on every boundary length of plaintext × AAD; each opens the other's`, () => {
    const key = seq(32, 1), nonce = seq(12, 2);
    const a = noble.aead(suite, key), b = node.aead(suite, key);
    let n = 0;
    for (const ptLen of BOUNDARY) {
      for (const aadLen of BOUNDARY) {
        const pt = seq(ptLen, 3), aad = seq(aadLen, 4);
        const sa = a.seal(nonce, pt, aad), sb = b.seal(nonce, pt, aad);
        const where = `pt ${ptLen}, aad ${aadLen}`;
        assert.is(hex(sa), hex(sb), where);
        assert.is(sa.length, ptLen + 16, where);
        assert.is(hex(b.open(nonce, sa, aad)!), hex(pt), `${where}: node opens noble's`);
        assert.is(hex(a.open(nonce, sb, aad)!), hex(pt), `${where}: noble opens node's`);
        n++;
      }
    }
    assert.is(n, BOUNDARY.length ** 2);
  });

  test(`${suite}: random keys, nonces, plaintexts and AADs (fast-check); a flipped bit is refused by both`, () => {
    fc.assert(fc.property(bytes(32), bytes(12), fc.uint8Array({ maxLength: 1500 }), fc.uint8Array({ maxLength: 64 }), fc.nat(),
      (key, nonce, pt, aad, flip) => {
        const a = noble.aead(suite, key), b = node.aead(suite, key);
        const sa = a.seal(nonce, pt, aad);
        assert.is(hex(sa), hex(b.seal(nonce, pt, aad)));
        assert.is(hex(b.open(nonce, sa, aad)!), hex(pt));
        const bad = sa.slice();
        const bit = flip % (bad.length * 8);
        bad[bit >> 3] ^= 1 << (bit & 7);
        assert.is(a.open(nonce, bad, aad), null);
        assert.is(b.open(nonce, bad, aad), null);
      }), { numRuns: 150 });
  });
}

test('HKDF: extract, expand and one-shot agree on boundary output lengths up to 8160, and on long salt/info', () => {
  const lengths = [...BOUNDARY, 8159, 8160];
  for (const saltLen of [0, 1, 32, 64, 65, 200]) {
    for (const ikmLen of [0, 1, 32, 80]) {
      const salt = seq(saltLen, 5), ikm = seq(ikmLen, 6);
      const prk = noble.hkdfExtract(salt, ikm);
      assert.is(hex(prk), hex(node.hkdfExtract(salt, ikm)), `salt ${saltLen}, ikm ${ikmLen}`);
      for (const len of lengths) {
        const info = seq(len % 1100, 7); // up to 1099 bytes: past node hkdfSync's 1024-byte info cap
        const okm = noble.hkdfExpand(prk, info, len);
        assert.is(okm.length, len);
        assert.is(hex(okm), hex(node.hkdfExpand(prk, info, len)), `expand L=${len}`);
        if (saltLen === 32 && ikmLen === 32) {
          assert.is(hex(noble.hkdf(salt, ikm, info, len)), hex(okm), `one-shot L=${len}`);
          assert.is(hex(node.hkdf(salt, ikm, info, len)), hex(okm), `node one-shot L=${len}`);
        }
      }
    }
  }
});

test('HMAC-SHA256 and SHA-256 agree on boundary key and message lengths (64-byte block, key > block is hashed)', () => {
  for (const keyLen of [0, 1, 31, 32, 33, 63, 64, 65, 128, 200]) {
    for (const msgLen of HASH_LENGTHS) {
      const key = seq(keyLen, 8), msg = seq(msgLen, 9);
      assert.is(hex(noble.hmacSha256(key, msg)), hex(node.hmacSha256(key, msg)), `key ${keyLen}, msg ${msgLen}`);
    }
  }
  for (const len of [...HASH_LENGTHS, 4096, 100_000]) {
    const m = seq(len, 10);
    assert.is(hex(noble.sha256(m)), hex(node.sha256(m)), `sha256 ${len}`);
  }
});

test('SHA-256 / HMAC multi-part input equals the concatenation, on both providers (fast-check)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 5 }),
    (key, parts) => {
      const joined = Uint8Array.from(parts.flatMap((x) => [...x]));
      const want = hex(node.sha256(joined));
      assert.is(hex(noble.sha256(...parts)), want);
      assert.is(hex(node.sha256(...parts)), want);
      const mac = hex(noble.hmacSha256(key, joined));
      assert.is(hex(noble.hmacSha256(key, ...parts)), mac);
      assert.is(hex(node.hmacSha256(key, ...parts)), mac);
    }), { numRuns: 100 });
});

test('X25519: same public keys and shared secrets on random keys, handles and one-shots crossed (fast-check)', () => {
  fc.assert(fc.property(bytes(32), bytes(32), (skA, skB) => {
    const a = noble.x25519.keygen(skA), b = node.x25519.keygen(skB);
    assert.is(hex(a.publicKey), hex(node.x25519.publicKey(skA)));
    assert.is(hex(b.publicKey), hex(noble.x25519.publicKey(skB)));
    const k = hex(a.sharedSecret(b.publicKey));
    assert.is(hex(b.sharedSecret(a.publicKey)), k);
    assert.is(hex(node.x25519.sharedSecret(skA, b.publicKey)), k);
    assert.is(hex(noble.x25519.sharedSecret(skB, a.publicKey)), k);
  }), { numRuns: 40 });
});

test('Ed25519: same public keys and signatures on random seeds and messages; each verifies the other (fast-check)', () => {
  fc.assert(fc.property(bytes(32), fc.uint8Array({ maxLength: 300 }), fc.nat(), (seed, msg, flip) => {
    const a = noble.ed25519.keygen(seed), b = node.ed25519.keygen(seed);
    assert.is(hex(a.publicKey), hex(b.publicKey));
    const sig = a.sign(msg);
    assert.is(hex(sig), hex(b.sign(msg)), 'Ed25519 signatures are deterministic (RFC 8032 §5.1.6)');
    assert.ok(node.ed25519.verify(a.publicKey, msg, sig));
    assert.ok(noble.ed25519.verify(b.publicKey, msg, sig));
    const bad = sig.slice();
    bad[flip % 64] ^= 1 << (flip % 8);
    assert.not.ok(node.ed25519.verify(a.publicKey, msg, bad));
    assert.not.ok(noble.ed25519.verify(a.publicKey, msg, bad));
  }), { numRuns: 25 });
});

test('ML-KEM-768: a node-side decapsulation of a noble-side encapsulation (same implementation, checked end to end)', () => {
  const { publicKey, secretKey } = noble.mlkem768.keygen(seq(64, 11));
  const { cipherText, sharedSecret } = noble.mlkem768.encapsulate(publicKey, seq(32, 12));
  assert.is(hex(node.mlkem768.decapsulate(secretKey, cipherText)), hex(sharedSecret));
});

test.run();
