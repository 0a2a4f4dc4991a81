/**
 * ML-KEM-768 (FIPS 203) on @noble/post-quantum, shared by both providers (`node:crypto` has no
 * ML-KEM on Node 20). Adds the argument checks, JSP's typed errors and tight output buffers.
 *
 * @module
 */
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { bytes, bytesOf } from './assert.ts';
import { CryptoError } from './errors.ts';
import { LENGTHS, type MlKem768 } from './provider.ts';
import { wipe } from './ct.ts';

export const mlkem768: MlKem768 = Object.freeze({
  keygen(seed: Uint8Array) {
    bytesOf(seed, LENGTHS.mlkemSeed, 'mlkem768.keygen', 'seed');
    // noble leaves a caller-supplied seed alone; it is the caller's to wipe.
    const { publicKey, secretKey } = ml_kem768.keygen(seed);
    return { publicKey, secretKey };
  },

  encapsulate(publicKey: Uint8Array, random: Uint8Array) {
    bytesOf(publicKey, LENGTHS.mlkemPublicKey, 'mlkem768.encapsulate', 'publicKey');
    bytesOf(random, LENGTHS.mlkemRandom, 'mlkem768.encapsulate', 'random');
    let out: { cipherText: Uint8Array; sharedSecret: Uint8Array };
    try {
      out = ml_kem768.encapsulate(publicKey, random);
    } catch (e) {
      // Lengths are checked above, so the one failure left is the FIPS 203 §7.2 modulus check:
      // ek ≠ ByteEncode12(ByteDecode12(ek)), a coefficient ≥ q.
      throw new CryptoError('mlkem_invalid_public_key', 'mlkem768.encapsulate',
        'a coefficient of the encapsulation key is not reduced mod q (FIPS 203 §7.2)', e);
    }
    // noble returns K as a view of its 64-byte G(m ‖ H(ek)) output; hand back a tight copy and
    // zero the first half (noble already zeroed the second).
    const sharedSecret = out.sharedSecret.slice();
    wipe(out.sharedSecret);
    return { cipherText: out.cipherText, sharedSecret };
  },

  decapsulate(secretKey: Uint8Array, cipherText: Uint8Array) {
    bytesOf(secretKey, LENGTHS.mlkemSecretKey, 'mlkem768.decapsulate', 'secretKey');
    bytes(cipherText, 'mlkem768.decapsulate', 'cipherText');
    if (cipherText.length !== LENGTHS.mlkemCipherText) {
      throw new RangeError(`mlkem768.decapsulate: cipherText must be ${LENGTHS.mlkemCipherText} bytes, got ${cipherText.length}`);
    }
    let k: Uint8Array;
    try {
      k = ml_kem768.decapsulate(cipherText, secretKey);
    } catch (e) {
      // FIPS 203 §7.3 input check: H(ek) stored in dk must match ek.
      throw new CryptoError('mlkem_invalid_secret_key', 'mlkem768.decapsulate',
        'the decapsulation key fails its hash check (FIPS 203 §7.3)', e);
    }
    const sharedSecret = k.slice();
    wipe(k);
    return sharedSecret;
  },
});
