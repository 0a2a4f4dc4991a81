/**
 * The CryptoProvider contract, for each provider: named RFC examples, the error model (misuse
 * throws TypeError/RangeError, refused peer input throws CryptoError, authentication failure is a
 * return value), buffer ownership, key handles and wiping, and the constant-time helpers.
 *
 * The RFC examples are the RFCs' own, quoted in hex: RFC 8439 §2.8.2, RFC 5869 A.1, RFC 7748 §6.1,
 * RFC 8032 §7.1 (TEST 1). Wycheproof is in wycheproof.test.ts, cross-provider checks in cross.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CryptoError,
  LENGTHS,
  PROVIDERS,
  equalBytes,
  isAllZero,
  nobleProvider,
  nodeProvider,
  wipe,
  type CryptoProvider,
} from '../../src/crypto/index.ts';
import { importPrivate } from '../../src/crypto/node.ts';
import { fromHex as hex, toHex } from '../helpers.ts';

const providers: CryptoProvider[] = [nobleProvider, nodeProvider];
const SUITES = ['chacha20-poly1305', 'aes-256-gcm'] as const;
const ascii = (s: string) => new TextEncoder().encode(s);
const seq = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

/** Runs f; requires an error whose class name is `name` and whose message contains `text`. */
function throwsNamed(f: () => unknown, name: string, text = ''): Error {
  try {
    f();
  } catch (e) {
    assert.instance(e, Error);
    assert.is((e as Error).name, name, (e as Error).message);
    assert.ok((e as Error).message.includes(text), `message "${(e as Error).message}" lacks "${text}"`);
    return e as Error;
  }
  assert.unreachable(`expected a ${name}, nothing was thrown`);
  throw new Error('unreachable');
}

for (const p of providers) {
  const T = (name: string, fn: () => void) => test(`${p.name}: ${name}`, fn);

  // ─────────────────────────── named RFC examples ───────────────────────────

  T('RFC 8439 §2.8.2 ChaCha20-Poly1305 AEAD example', () => {
    const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hex('070000004041424344454647');
    const aad = hex('50515253c0c1c2c3c4c5c6c7');
    const pt = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const ct = 'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b'
      + '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc'
      + '3ff4def08e4b7a9de576d26586cec64b6116';
    const tag = '1ae10b594f09e26a7e902ecbd0600691';
    const k = p.aead('chacha20-poly1305', key);
    assert.is(toHex(k.seal(nonce, pt, aad)), ct + tag);
    assert.equal(k.open(nonce, hex(ct + tag), aad), pt);
    assert.is(k.open(nonce, hex(ct + tag)), null, 'without the AAD');
  });

  T('RFC 5869 A.1 (test case 1) HKDF-SHA256', () => {
    const ikm = hex('0b'.repeat(22)), salt = hex('000102030405060708090a0b0c'), info = hex('f0f1f2f3f4f5f6f7f8f9');
    const prk = '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5';
    const okm = '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865';
    assert.is(toHex(p.hkdfExtract(salt, ikm)), prk);
    assert.is(toHex(p.hkdfExpand(hex(prk), info, 42)), okm);
    assert.is(toHex(p.hkdf(salt, ikm, info, 42)), okm);
  });

  T('RFC 7748 §6.1 X25519 Diffie-Hellman example', () => {
    const aSk = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bSk = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const aPub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
    const bPub = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
    const k = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    assert.is(toHex(p.x25519.publicKey(aSk)), aPub);
    const b = p.x25519.keygen(bSk);
    assert.is(toHex(b.publicKey), bPub);
    assert.is(toHex(p.x25519.sharedSecret(aSk, hex(bPub))), k);
    assert.is(toHex(b.sharedSecret(hex(aPub))), k);
  });

  T('RFC 8032 §7.1 TEST 1 Ed25519', () => {
    const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const pub = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
    const sig = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155'
      + '5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
    const key = p.ed25519.keygen(seed);
    assert.is(toHex(key.publicKey), pub);
    assert.is(toHex(key.sign(new Uint8Array(0))), sig);
    assert.is(toHex(p.ed25519.sign(seed, new Uint8Array(0))), sig);
    assert.ok(p.ed25519.verify(hex(pub), new Uint8Array(0), hex(sig)));
    assert.not.ok(p.ed25519.verify(hex(pub), new Uint8Array(1), hex(sig)));
  });

  T('SHA-256 / HMAC-SHA256 of the empty string and multi-part input', () => {
    assert.is(toHex(p.sha256()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.is(toHex(p.sha256(ascii('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.is(toHex(p.sha256(ascii('a'), new Uint8Array(0), ascii('bc'))), toHex(p.sha256(ascii('abc'))));
    // RFC 4231 test case 2.
    assert.is(toHex(p.hmacSha256(ascii('Jefe'), ascii('what do ya want '), ascii('for nothing?'))),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  // ───────────────────────────── AEAD contract ─────────────────────────────

  for (const suite of SUITES) {
    T(`${suite}: every single-bit flip of ciphertext or tag, a wrong nonce or AAD, or a short input opens to null`, () => {
      const k = p.aead(suite, seq(32)), nonce = seq(12, 1), aad = seq(5, 2), pt = seq(40, 3);
      const sealed = k.seal(nonce, pt, aad);
      assert.is(sealed.length, pt.length + LENGTHS.aeadTag);
      for (let i = 0; i < sealed.length; i++) {
        for (const bit of [0x01, 0x80]) {
          const bad = sealed.slice();
          bad[i] ^= bit;
          assert.is(k.open(nonce, bad, aad), null, `byte ${i} bit ${bit}`);
        }
      }
      assert.is(k.open(seq(12, 9), sealed, aad), null, 'other nonce');
      assert.is(k.open(nonce, sealed, seq(5, 3)), null, 'other AAD');
      assert.is(k.open(nonce, sealed), null, 'no AAD');
      for (const n of [0, 1, 15]) assert.is(k.open(nonce, sealed.subarray(0, n), aad), null, `${n} bytes`);
      assert.is(k.open(nonce, sealed.subarray(0, sealed.length - 1), aad), null, 'truncated tag');
      assert.equal(k.open(nonce, sealed, aad), pt);
      // An empty plaintext seals to a bare tag and opens to an empty array.
      const bare = k.seal(nonce, new Uint8Array(0));
      assert.is(bare.length, 16);
      assert.equal(k.open(nonce, bare), new Uint8Array(0));
    });

    T(`${suite}: misuse throws TypeError/RangeError naming the argument`, () => {
      throwsNamed(() => p.aead(suite, new Uint8Array(16)), 'RangeError', 'aead: key must be 32 bytes, got 16');
      throwsNamed(() => p.aead('aes-128-gcm' as never, new Uint8Array(32)), 'TypeError', 'unknown AEAD suite "aes-128-gcm"');
      throwsNamed(() => p.aead(suite, 'key' as never), 'TypeError', 'key must be a Uint8Array');
      const k = p.aead(suite, seq(32));
      throwsNamed(() => k.seal(new Uint8Array(8), seq(1)), 'RangeError', `aead(${suite}).seal: nonce must be 12 bytes, got 8`);
      throwsNamed(() => k.open(new Uint8Array(24), seq(20)), 'RangeError', 'nonce must be 12 bytes, got 24');
      throwsNamed(() => k.seal(seq(12), [1, 2] as never), 'TypeError', 'plaintext must be a Uint8Array');
      throwsNamed(() => k.open(seq(12), seq(20), 'x' as never), 'TypeError', 'aad must be a Uint8Array');
    });

    T(`${suite}: the key is copied, inputs are untouched, outputs are fresh plain Uint8Arrays, wipe() ends the key`, () => {
      const key = seq(32), nonce = seq(12, 1), pt = seq(100, 2), aad = seq(7, 3);
      const keep = [key, nonce, pt, aad].map((b) => b.slice());
      const k = p.aead(suite, key);
      const sealed = k.seal(nonce, pt, aad);
      wipe(key); // the caller's buffer: the context keeps its own copy
      const opened = k.open(nonce, sealed, aad)!;
      assert.equal(opened, keep[2]);
      assert.equal([nonce, pt, aad], keep.slice(1));
      for (const out of [sealed, opened]) {
        assert.is(Object.getPrototypeOf(out), Uint8Array.prototype, 'a plain Uint8Array, not a Buffer');
      }
      opened[0] ^= 1;
      assert.equal(pt, keep[2], 'the output does not alias the input');
      k.wipe();
      throwsNamed(() => k.seal(nonce, pt), 'TypeError', 'the key was wiped');
      throwsNamed(() => k.open(nonce, sealed), 'TypeError', 'the key was wiped');
    });
  }

  // ─────────────────────────── X25519 / Ed25519 ────────────────────────────

  T('X25519: a low-order share throws CryptoError x25519_zero_shared_secret (RFC 7748 §6.1)', () => {
    const k = p.x25519.keygen(seq(32));
    for (const u of ['00'.repeat(32), '01' + '00'.repeat(31), 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f']) {
      const e = throwsNamed(() => k.sharedSecret(hex(u)), 'CryptoError', 'x25519_zero_shared_secret') as CryptoError;
      assert.instance(e, CryptoError);
      assert.is(e.kind, 'x25519_zero_shared_secret');
      assert.is(e.code, 0x100);
      assert.is(e.codeName, 'HANDSHAKE_FAILED');
      assert.is(e.message, 'x25519 key.sharedSecret: x25519_zero_shared_secret (the public key is a low-order point)');
    }
    throwsNamed(() => p.x25519.sharedSecret(seq(32), new Uint8Array(32)), 'CryptoError', 'x25519.sharedSecret: x25519_zero');
  });

  T('X25519 / Ed25519: misuse, ownership and wipe()', () => {
    throwsNamed(() => p.x25519.keygen(new Uint8Array(31)), 'RangeError', 'x25519.keygen: random must be 32 bytes, got 31');
    throwsNamed(() => p.x25519.sharedSecret(seq(32), new Uint8Array(33)), 'RangeError', 'peerPublic must be 32 bytes, got 33');
    throwsNamed(() => p.ed25519.keygen(new Uint8Array(64)), 'RangeError', 'ed25519.keygen: seed must be 32 bytes, got 64');
    const random = seq(32, 5);
    const x = p.x25519.keygen(random);
    const peer = p.x25519.keygen(seq(32, 6));
    wipe(random); // the caller's; the handle keeps its own
    assert.equal(x.sharedSecret(peer.publicKey), peer.sharedSecret(x.publicKey));
    assert.is(Object.getPrototypeOf(x.publicKey), Uint8Array.prototype);
    assert.is(Object.getPrototypeOf(x.sharedSecret(peer.publicKey)), Uint8Array.prototype);
    x.wipe();
    throwsNamed(() => x.sharedSecret(peer.publicKey), 'TypeError', 'the key was wiped');
    const seed = seq(32, 7);
    const e = p.ed25519.keygen(seed);
    wipe(seed);
    const sig = e.sign(ascii('m'));
    assert.is(Object.getPrototypeOf(sig), Uint8Array.prototype);
    assert.ok(p.ed25519.verify(e.publicKey, ascii('m'), sig));
    e.wipe();
    throwsNamed(() => e.sign(ascii('m')), 'TypeError', 'the key was wiped');
  });

  T('Ed25519 verify never throws on peer data: wrong lengths and non-points are false', () => {
    const e = p.ed25519.keygen(seq(32, 1));
    const sig = e.sign(ascii('x'));
    assert.is(p.ed25519.verify(e.publicKey, ascii('x'), sig.subarray(0, 63)), false);
    assert.is(p.ed25519.verify(e.publicKey, ascii('x'), new Uint8Array([...sig, 0])), false);
    assert.is(p.ed25519.verify(e.publicKey.subarray(0, 31), ascii('x'), sig), false);
    // y = 2 is not the y of any curve point: the public key does not decode.
    assert.is(p.ed25519.verify(hex('02' + '00'.repeat(31)), ascii('x'), sig), false);
    assert.is(p.ed25519.verify(e.publicKey, ascii('x'), new Uint8Array(64)), false);
  });

  // ─────────────────────────────── HKDF ────────────────────────────────────

  T('HKDF: RFC 5869 limits (L ≤ 8160, PRK ≥ HashLen), empty salt = HashLen zeros, L = 0', () => {
    const prk = p.hkdfExtract(new Uint8Array(0), seq(10));
    assert.equal(prk, p.hkdfExtract(new Uint8Array(32), seq(10)));
    assert.is(p.hkdfExpand(prk, new Uint8Array(0), 8160).length, 8160);
    assert.is(p.hkdfExpand(prk, new Uint8Array(0), 0).length, 0);
    for (const bad of [8161, -1, 1.5, NaN]) {
      throwsNamed(() => p.hkdfExpand(prk, new Uint8Array(0), bad), 'RangeError', 'hkdfExpand: length must be an integer in 0..8160');
      throwsNamed(() => p.hkdf(new Uint8Array(0), seq(3), new Uint8Array(0), bad), 'RangeError', 'hkdf: length must be an integer in 0..8160');
    }
    throwsNamed(() => p.hkdfExpand(prk.subarray(0, 31), new Uint8Array(0), 32), 'RangeError', 'prk must be at least 32 bytes, got 31');
  });

  // ───────────────────────────── ML-KEM-768 ────────────────────────────────

  T('ML-KEM-768: round trip, implicit rejection, typed errors', () => {
    const { publicKey, secretKey } = p.mlkem768.keygen(seq(64));
    assert.is(publicKey.length, LENGTHS.mlkemPublicKey);
    assert.is(secretKey.length, LENGTHS.mlkemSecretKey);
    const { cipherText, sharedSecret } = p.mlkem768.encapsulate(publicKey, seq(32, 1));
    assert.is(cipherText.length, LENGTHS.mlkemCipherText);
    assert.is(sharedSecret.length, 32);
    assert.is(sharedSecret.byteLength, sharedSecret.buffer.byteLength, 'a tight buffer, not a view of the 64-byte G output');
    assert.equal(p.mlkem768.decapsulate(secretKey, cipherText), sharedSecret);
    // A forged ciphertext decapsulates (no error) to the implicit-rejection key, never to K.
    const forged = cipherText.slice();
    forged[0] ^= 1;
    const kBar = p.mlkem768.decapsulate(secretKey, forged);
    assert.is(kBar.length, 32);
    assert.not.equal(kBar, sharedSecret);
    // A corrupted decapsulation key fails the FIPS 203 §7.3 hash check.
    const badSk = secretKey.slice();
    badSk[1200] ^= 1;
    const e = throwsNamed(() => p.mlkem768.decapsulate(badSk, cipherText), 'CryptoError', 'mlkem_invalid_secret_key') as CryptoError;
    assert.is(e.kind, 'mlkem_invalid_secret_key');
    // An encapsulation key with a coefficient ≥ q (0xfff) fails the §7.2 modulus check.
    const badPk = publicKey.slice();
    badPk[0] = 0xff;
    badPk[1] |= 0x0f;
    const e2 = throwsNamed(() => p.mlkem768.encapsulate(badPk, seq(32)), 'CryptoError', 'mlkem_invalid_public_key') as CryptoError;
    assert.is(e2.code, 0x100);
    throwsNamed(() => p.mlkem768.keygen(seq(32)), 'RangeError', 'mlkem768.keygen: seed must be 64 bytes, got 32');
    throwsNamed(() => p.mlkem768.decapsulate(secretKey, cipherText.subarray(1)), 'RangeError', 'cipherText must be 1088 bytes, got 1087');
  });

  // ───────────────────────────── randomBytes ──────────────────────────────

  T('randomBytes: exact lengths, fresh values, detached use, misuse', () => {
    const rng = p.randomBytes; // the core receives it as a bare function
    assert.is(rng(0).length, 0);
    const a = rng(32), b = rng(32);
    assert.is(a.length, 32);
    assert.not.equal(a, b);
    assert.not.ok(isAllZero(a));
    const big = rng(70_000); // more than one WebCrypto call may give
    assert.is(big.length, 70_000);
    assert.not.ok(isAllZero(big.subarray(65_536)));
    assert.is(Object.getPrototypeOf(a), Uint8Array.prototype);
    throwsNamed(() => rng(-1), 'RangeError', 'randomBytes: n must be an integer');
  });
}

// ─────────────────────────── shared pieces ─────────────────────────────

test('equalBytes / isAllZero / wipe', () => {
  assert.ok(equalBytes(seq(33), seq(33)));
  assert.ok(equalBytes(new Uint8Array(0), new Uint8Array(0)));
  for (let i = 0; i < 33; i++) {
    const b = seq(33);
    b[i] ^= 0x40;
    assert.not.ok(equalBytes(seq(33), b), `byte ${i}`);
  }
  assert.not.ok(equalBytes(seq(16), seq(17)), 'lengths differ');
  assert.ok(isAllZero(new Uint8Array(32)));
  assert.ok(isAllZero(new Uint8Array(0)));
  const z = new Uint8Array(32);
  z[31] = 1;
  assert.not.ok(isAllZero(z));
  const a = seq(10, 1), b = seq(5, 1);
  wipe(a, undefined, b.subarray(1, 3));
  assert.ok(isAllZero(a));
  assert.equal([...b], [1, 0, 0, 22, 29]);
});

test('PROVIDERS names both; ML-KEM on node is the noble implementation (Node 20 has none)', () => {
  assert.equal(Object.keys(PROVIDERS), ['noble', 'node']);
  assert.is(PROVIDERS.noble.name, 'noble');
  assert.is(PROVIDERS.node.name, 'node');
  assert.is(nodeProvider.mlkem768, nobleProvider.mlkem768);
  assert.equal(nodeProvider.aeadSuites, ['chacha20-poly1305', 'aes-256-gcm']);
  assert.ok(Object.isFrozen(nodeProvider) && Object.isFrozen(nobleProvider));
});

test('node: JWK and PKCS#8 key-import routes give the same key (the PKCS#8 fallback stays correct)', () => {
  for (let i = 0; i < 4; i++) {
    const secret = seq(32, i * 13);
    for (const crv of ['X25519', 'Ed25519'] as const) {
      const viaJwk = importPrivate(crv, secret, 'jwk').export({ format: 'der', type: 'pkcs8' });
      const viaDer = importPrivate(crv, secret, 'pkcs8').export({ format: 'der', type: 'pkcs8' });
      assert.is(toHex(viaJwk), toHex(viaDer), `${crv} ${i}`);
      assert.is(toHex(viaJwk.subarray(16)), toHex(secret), `${crv} ${i}: the key is the given bytes`);
      assert.equal(secret, seq(32, i * 13), 'the secret given is not modified');
    }
  }
});

test.run();
