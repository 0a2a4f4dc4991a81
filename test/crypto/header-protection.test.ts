/**
 * The packet-path primitives of the CryptoProvider: header protection (RFC 9001 §5.4) and
 * `AeadKey.sealInto`, for each provider.
 *
 * Header protection: the RFCs' own examples (RFC 9001 A.5 ChaCha20; FIPS-197 C.3 AES-256; the
 * RFC 8439 §2.3.2 block-function example read as a sample), the ChaCha20 counter 2^32 − 1 that
 * @noble/ciphers refuses, both providers against each other and against OpenSSL used directly
 * (fast-check), and the error model (TypeError/RangeError on misuse, a wiped key refuses).
 */
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  HEADER_PROTECTION_KINDS,
  LENGTHS,
  nobleProvider,
  nodeProvider,
  type CryptoProvider,
  type HeaderProtectionKind,
} from '../../src/crypto/index.ts';
import { fromHex as hex, toHex } from '../helpers.ts';

const providers: CryptoProvider[] = [nobleProvider, nodeProvider];
const seq = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

/** OpenSSL used directly, as an independent reference: AES-256-ECB on the block; ChaCha20 with IV = sample. */
function opensslMask(kind: HeaderProtectionKind, key: Uint8Array, sample: Uint8Array): string {
  const out = kind === 'aes-256-ecb'
    ? createCipheriv('aes-256-ecb', key, null).setAutoPadding(false).update(sample).subarray(0, 5)
    : createCipheriv('chacha20', key, sample).update(new Uint8Array(5));
  return toHex(out);
}

/** Runs f; requires an error whose class name is `name` and whose message contains `text`. */
function throwsNamed(f: () => unknown, name: string, text = ''): void {
  try {
    f();
  } catch (e) {
    assert.instance(e, Error);
    assert.is((e as Error).name, name, (e as Error).message);
    assert.ok((e as Error).message.includes(text), `message "${(e as Error).message}" lacks "${text}"`);
    return;
  }
  assert.unreachable(`expected a ${name}, nothing was thrown`);
}

for (const p of providers) {
  const T = (name: string, fn: () => void) => test(`${p.name}: ${name}`, fn);

  // ───────────────────────── named examples ─────────────────────────

  T('RFC 9001 A.5: ChaCha20 header protection of the short-header example', () => {
    const hp = p.headerProtection('chacha20', hex('25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4'));
    assert.is(toHex(hp.mask(hex('5e5cd55c41f69080575d7999c25a5bfb'))), 'aefefe7d03');
    // A.5 goes on: header 4200bff4 becomes 4cfe4189 (first byte & 0x1f, 3-byte packet number 654360564 = 0x00bff4).
    const m = hp.mask(hex('5e5cd55c41f69080575d7999c25a5bfb'));
    const header = hex('4200bff4');
    header[0] ^= m[0] & 0x1f;
    for (let i = 0; i < 3; i++) header[1 + i] ^= m[1 + i];
    assert.is(toHex(header), '4cfe4189');
  });

  T('FIPS-197 Appendix C.3: AES-256 of the example block, mask = first 5 bytes', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const hp = p.headerProtection('aes-256-ecb', key);
    // Full block 8ea2b7ca516745bfeafc49904b496089; the mask is its first 5 bytes.
    assert.is(toHex(hp.mask(hex('00112233445566778899aabbccddeeff'))), '8ea2b7ca51');
    assert.is(opensslMask('aes-256-ecb', key, hex('00112233445566778899aabbccddeeff')), '8ea2b7ca51');
  });

  T('RFC 8439 §2.3.2 block-function example read as a sample (counter 1 ‖ nonce)', () => {
    const hp = p.headerProtection('chacha20', hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'));
    // Serialized block: 10 f1 e7 e4 d1 3b 59 15 …
    assert.is(toHex(hp.mask(hex('01000000' + '000000090000004a00000000'))), '10f1e7e4d1');
  });

  T('ChaCha20: counter 2^32 − 1 (noble refuses it as a stream counter) gives the OpenSSL mask', () => {
    const key = seq(32, 5);
    const hp = p.headerProtection('chacha20', key);
    for (const rest of [seq(12, 1), new Uint8Array(12), new Uint8Array(12).fill(0xff)]) {
      const sample = new Uint8Array(16);
      sample.set([0xff, 0xff, 0xff, 0xff]);
      sample.set(rest, 4);
      assert.is(toHex(hp.mask(sample)), opensslMask('chacha20', key, sample));
    }
    // and its neighbours, which noble's own chacha20 serves
    for (const c of [0, 1, 0xfffffffe, 0x7fffffff, 0x80000000]) {
      const sample = seq(16, 9);
      new DataView(sample.buffer).setUint32(0, c, true);
      assert.is(toHex(hp.mask(sample)), opensslMask('chacha20', key, sample), `counter ${c}`);
    }
  });

  // ───────────────────────── buffers and errors ─────────────────────────

  T('the key is copied, the sample is neither kept nor written; each mask is a new 5-byte buffer', () => {
    for (const kind of HEADER_PROTECTION_KINDS) {
      const key = seq(32, 3);
      const sample = seq(16, 4);
      const want = opensslMask(kind, key, sample);
      const hp = p.headerProtection(kind, key);
      key.fill(0);
      const a = hp.mask(sample);
      assert.is(toHex(sample), toHex(seq(16, 4)), `${kind}: sample untouched`);
      assert.is(toHex(a), want, `${kind}: key was copied`);
      assert.is(a.length, LENGTHS.hpMask);
      assert.not.ok(a instanceof Buffer, 'a plain Uint8Array');
      a.fill(0xee); // the caller owns it
      assert.is(toHex(hp.mask(sample)), want, `${kind}: masks are independent`);
      // a sample that is a view at an odd offset into a packet
      const packet = new Uint8Array(41);
      packet.set(sample, 3);
      assert.is(toHex(hp.mask(packet.subarray(3, 19))), want, `${kind}: unaligned view`);
    }
  });

  T('misuse: unknown kind is a TypeError, wrong key or sample length a RangeError, wiped key a TypeError', () => {
    throwsNamed(() => p.headerProtection('aes-128-ecb' as HeaderProtectionKind, seq(32)), 'TypeError', 'unknown header-protection cipher');
    throwsNamed(() => p.headerProtection('chacha20', 'key' as unknown as Uint8Array), 'TypeError', 'hpKey must be a Uint8Array');
    for (const kind of HEADER_PROTECTION_KINDS) {
      for (const n of [0, 16, 31, 33]) throwsNamed(() => p.headerProtection(kind, seq(n)), 'RangeError', `hpKey must be 32 bytes, got ${n}`);
      const hp = p.headerProtection(kind, seq(32));
      for (const n of [0, 5, 15, 17, 32]) throwsNamed(() => hp.mask(seq(n)), 'RangeError', `sample must be 16 bytes, got ${n}`);
      throwsNamed(() => hp.mask([1, 2] as unknown as Uint8Array), 'TypeError', 'sample must be a Uint8Array');
      assert.is(hp.kind, kind);
      hp.wipe();
      hp.wipe(); // idempotent
      throwsNamed(() => hp.mask(seq(16)), 'TypeError', 'wiped');
    }
  });

  // ───────────────────────── sealInto ─────────────────────────

  for (const suite of ['chacha20-poly1305', 'aes-256-gcm'] as const) {
    T(`${suite}: sealInto writes what seal returns, at an offset, in place, and refuses bad buffers`, () => {
      const k = p.aead(suite, seq(32, 1));
      const nonce = seq(12, 2);
      for (const n of [0, 1, 16, 1200]) {
        const pt = seq(n, 3), aad = seq(20, 4);
        const want = toHex(k.seal(nonce, pt, aad));
        // into a separate buffer, at an offset
        const out = new Uint8Array(7 + n + 16 + 3).fill(0xaa);
        assert.is(k.sealInto(nonce, pt, aad, out, 7), n + 16);
        assert.is(toHex(out.subarray(7, 7 + n + 16)), want, `pt ${n}`);
        assert.is(toHex(out.subarray(0, 7)), 'aa'.repeat(7), 'bytes before untouched');
        assert.is(toHex(out.subarray(7 + n + 16)), 'aaaaaa', 'bytes after untouched');
        assert.is(toHex(pt), toHex(seq(n, 3)), 'plaintext untouched');
        // a packet: header (the AAD) ‖ plaintext ‖ room for the tag, sealed in place
        const packet = new Uint8Array(20 + n + 16);
        packet.set(aad);
        packet.set(pt, 20);
        k.sealInto(nonce, packet.subarray(20, 20 + n), packet.subarray(0, 20), packet, 20);
        assert.is(toHex(packet.subarray(20)), want, `in place, pt ${n}`);
        assert.is(toHex(k.open(nonce, packet.subarray(20), packet.subarray(0, 20))!), toHex(pt));
      }
      const pt = seq(32, 3), aad = seq(20, 4);
      throwsNamed(() => k.sealInto(nonce, pt, aad, new Uint8Array(47), 0), 'RangeError', '48 needed');
      throwsNamed(() => k.sealInto(nonce, pt, aad, new Uint8Array(60), 13), 'RangeError', '48 needed');
      throwsNamed(() => k.sealInto(nonce, pt, aad, new Uint8Array(60), -1), 'RangeError', 'offset');
      throwsNamed(() => k.sealInto(nonce, pt, aad, new Uint8Array(60), 1.5), 'RangeError', 'offset');
      throwsNamed(() => k.sealInto(nonce, pt, aad, 'out' as unknown as Uint8Array, 0), 'TypeError', 'out must be a Uint8Array');
      const buf = new Uint8Array(100);
      throwsNamed(() => k.sealInto(nonce, buf.subarray(0, 32), aad, buf, 4), 'RangeError', 'in place');
      throwsNamed(() => k.sealInto(nonce, pt, buf.subarray(40, 60), buf, 0), 'RangeError', 'aad overlaps');
      throwsNamed(() => k.sealInto(seq(11), pt, aad, buf, 0), 'RangeError', 'nonce must be 12 bytes');
      k.wipe();
      throwsNamed(() => k.sealInto(nonce, pt, aad, buf, 0), 'TypeError', 'wiped');
    });
  }
}

// ───────────────────────── cross-provider ─────────────────────────

for (const kind of HEADER_PROTECTION_KINDS) {
  test(`${kind}: noble, node and OpenSSL used directly agree on random keys and samples (fast-check)`, () => {
    fc.assert(fc.property(bytes(32), bytes(16), fc.boolean(), (key, sample, edge) => {
      if (edge && kind === 'chacha20') sample.set([0xff, 0xff, 0xff, 0xff]);
      const want = opensslMask(kind, key, sample);
      assert.is(toHex(nobleProvider.headerProtection(kind, key).mask(sample)), want);
      assert.is(toHex(nodeProvider.headerProtection(kind, key).mask(sample)), want);
    }), { numRuns: 300 });
  });
}

test('sealInto: noble and node write the same bytes (fast-check)', () => {
  fc.assert(fc.property(fc.constantFrom('chacha20-poly1305' as const, 'aes-256-gcm' as const), bytes(32), bytes(12),
    fc.uint8Array({ maxLength: 1500 }), fc.uint8Array({ maxLength: 64 }), fc.nat(8), (suite, key, nonce, pt, aad, off) => {
      const a = new Uint8Array(off + pt.length + 16), b = new Uint8Array(off + pt.length + 16);
      nobleProvider.aead(suite, key).sealInto(nonce, pt, aad, a, off);
      nodeProvider.aead(suite, key).sealInto(nonce, pt, aad, b, off);
      assert.is(toHex(a), toHex(b));
    }), { numRuns: 100 });
});

test.run();
