/**
 * src/core/protection/packet.ts: packet-number encoding (RFC 9000 A.2/A.3 examples), the nonce,
 * protect/unprotect of long and short headers on both suites and both providers, the RFC 9001
 * A.5 ChaCha20-Poly1305 packet byte for byte, and tamper evidence (every bit flip of a
 * protected packet fails to open).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider, type AeadSuite, type CryptoProvider, type HeaderProtectionKind } from '../../src/crypto/index.ts';
import {
  decodePacketNumber,
  packetNonce,
  packetNumberLength,
  protect,
  removeHeaderProtection,
  sealPacket,
  unprotect,
  writePacketNumber,
  type ProtectionKeys,
} from '../../src/core/protection/packet.ts';
import { fromHex as hex, toHex } from '../helpers.ts';

const providers: CryptoProvider[] = [nobleProvider, nodeProvider];
const SUITES: ReadonlyArray<[AeadSuite, HeaderProtectionKind]> = [['chacha20-poly1305', 'chacha20'], ['aes-256-gcm', 'aes-256-ecb']];
const seq = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

function keysOf(p: CryptoProvider, suite: AeadSuite, hpKind: HeaderProtectionKind, seed = 1): ProtectionKeys {
  return { aead: p.aead(suite, seq(32, seed)), iv: seq(12, seed + 1), hp: p.headerProtection(hpKind, seq(32, seed + 2)) };
}

/** A long header (Initial, type 0) ending with its packet number: returns [header, pnOffset]. */
function longHeader(pn: number, pnLength: number, payloadLength: number, dcid = seq(8, 9), scid = seq(5, 10)): [Uint8Array, number] {
  const length = pnLength + payloadLength + 16;
  const h = [0xc0 | (pnLength - 1), 0, 0, 0, 1, dcid.length, ...dcid, scid.length, ...scid, 0 /* token length */, 0x40 | (length >> 8), length & 0xff];
  const header = new Uint8Array(h.length + pnLength);
  header.set(h);
  writePacketNumber(header, h.length, pn, pnLength);
  return [header, h.length];
}

/** A short header (spin 0, key phase `kp`) with an 8-byte DCID: returns [header, pnOffset]. */
function shortHeader(pn: number, pnLength: number, kp = 0, dcid = seq(8, 11)): [Uint8Array, number] {
  const header = new Uint8Array(1 + dcid.length + pnLength);
  header[0] = 0x40 | (kp << 2) | (pnLength - 1);
  header.set(dcid, 1);
  writePacketNumber(header, 1 + dcid.length, pn, pnLength);
  return [header, 1 + dcid.length];
}

// ───────────────────────────── packet numbers ─────────────────────────────

// packets.number.encoding
test('RFC 9000 A.3: 0x9b32 after largest 0xa82f30ea decodes to 0xa82f9b32', () => {
  assert.is(decodePacketNumber(0xa82f30ea, 0x9b32, 16), 0xa82f9b32);
});

test('RFC 9000 A.2 / §17.1: the examples choose 2 and 3 bytes', () => {
  // "if an endpoint has received an acknowledgment for packet 0xabe8b3 and is sending packet 0xac5c02,
  // ... a packet number encoding with 16 bits or more is needed" — 0xace8fe needs 24 bits.
  assert.is(packetNumberLength(0xac5c02, 0xabe8b3), 2);
  assert.is(packetNumberLength(0xace8fe, 0xabe8b3), 3);
  assert.is(packetNumberLength(0, undefined), 1);
  assert.is(packetNumberLength(127, undefined), 1);
  assert.is(packetNumberLength(128, undefined), 2);
  assert.throws(() => packetNumberLength(2 ** 33, 0), RangeError);
  assert.throws(() => packetNumberLength(5, 5), RangeError);
});

test('decodePacketNumber: the window edges and the first packet', () => {
  assert.is(decodePacketNumber(undefined, 0, 8), 0);
  assert.is(decodePacketNumber(undefined, 0xff, 8), 0xff);
  assert.is(decodePacketNumber(0xff, 0x00, 8), 0x100); // wraps forward
  assert.is(decodePacketNumber(0x100, 0xff, 8), 0xff); // a late one, just behind
  assert.is(decodePacketNumber(2 ** 40, 0, 32), 2 ** 40);
  assert.throws(() => decodePacketNumber(0, 256, 8), RangeError);
});

test('encode then decode recovers every number within the window the length was chosen for (fast-check)', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 48 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 0, max: 1000 }),
    (largestAcked, ahead, received) => {
      const full = largestAcked + ahead;
      const len = packetNumberLength(full, largestAcked);
      const buf = new Uint8Array(4);
      writePacketNumber(buf, 0, full, len);
      let truncated = 0;
      for (let i = 0; i < len; i++) truncated = truncated * 256 + buf[i];
      // the receiver has seen something between the largest acknowledged and the packet before this one
      const largest = Math.min(full - 1, largestAcked + received);
      assert.is(decodePacketNumber(largest, truncated, (len * 8) as 8 | 16 | 24 | 32), full);
    }), { numRuns: 500 });
});

test('packetNonce: IV XOR the 62-bit number, big-endian, left-padded', () => {
  const iv = hex('e0459b3474bdd0e44a41c144');
  assert.is(toHex(packetNonce(iv, 654360564)), 'e0459b3474bdd0e46d417eb0');
  assert.is(toHex(packetNonce(new Uint8Array(12), 2 ** 53 - 1)), '000000000' + '01fffffffffffff');
  assert.is(toHex(packetNonce(new Uint8Array(12), 0x0102030405)), '000000000000000102030405');
});

// ───────────────────────────── RFC 9001 A.5 ─────────────────────────────

for (const p of providers) {
  test(`${p.name}: RFC 9001 A.5 ChaCha20-Poly1305 short-header packet, byte for byte, both ways`, () => {
    const keys: ProtectionKeys = {
      aead: p.aead('chacha20-poly1305', hex('c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8')),
      iv: hex('e0459b3474bdd0e44a41c144'),
      hp: p.headerProtection('chacha20', hex('25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4')),
    };
    const pn = 654360564;
    const packet = protect(keys, hex('4200bff4'), 1, pn, hex('01'));
    assert.is(toHex(packet), '4cfe4189655e5cd55c41f69080575d7999c25a5bfb');
    const opened = unprotect(keys, packet, 1, pn - 1)!;
    assert.ok(opened);
    assert.is(opened.packetNumber, pn);
    assert.is(opened.pnLength, 3);
    assert.is(toHex(opened.header), '4200bff4');
    assert.is(toHex(opened.payload), '01');
    assert.is(toHex(packet), '4cfe4189655e5cd55c41f69080575d7999c25a5bfb', 'unprotect does not write to its input');
  });
}

// ───────────────────────────── round trips ─────────────────────────────

for (const p of providers) {
  for (const [suite, hpKind] of SUITES) {
    const T = (name: string, fn: () => void) => test(`${p.name} ${suite}: ${name}`, fn);

    T('long and short headers, every packet number length, payloads from the minimum to 1200 bytes', () => {
      const keys = keysOf(p, suite, hpKind);
      for (const pnLength of [1, 2, 3, 4]) {
        for (const size of [4 - pnLength, 5, 64, 1200]) {
          const pn = 0x12345678 + pnLength * 1000 + size;
          const payload = seq(size, 3);
          for (const [header, pnOffset] of [longHeader(pn, pnLength, size), shortHeader(pn, pnLength, 1)]) {
            const where = `pn length ${pnLength}, payload ${size}, ${header[0] & 0x80 ? 'long' : 'short'}`;
            const packet = protect(keys, header, pnOffset, pn, payload);
            assert.is(packet.length, header.length + size + 16, where);
            // protected: the header's protected bits and packet number differ (for these inputs)
            assert.is.not(toHex(packet.subarray(0, header.length)), toHex(header), where);
            const opened = unprotect(keys, packet, pnOffset, pn - 1);
            assert.ok(opened, where);
            assert.is(opened!.packetNumber, pn, where);
            assert.is(toHex(opened!.header), toHex(header), where);
            assert.is(toHex(opened!.payload), toHex(payload), where);
            // unmasked bits are never touched: header form, fixed bit (and long-header type bits)
            assert.is(packet[0] & (header[0] & 0x80 ? 0xf0 : 0xe0), header[0] & (header[0] & 0x80 ? 0xf0 : 0xe0), where);
          }
        }
      }
    });

    T('sealPacket protects in place in a datagram buffer; protect writes at an offset of a caller buffer', () => {
      const keys = keysOf(p, suite, hpKind, 5);
      const [header, pnOffset] = shortHeader(77, 2);
      const payload = seq(100, 1);
      const want = toHex(protect(keys, header, pnOffset, 77, payload));
      const datagram = new Uint8Array(header.length + 100 + 16);
      datagram.set(header);
      datagram.set(payload, header.length);
      assert.is(sealPacket(keys, datagram, pnOffset, 77), datagram);
      assert.is(toHex(datagram), want);
      const buf = new Uint8Array(300).fill(0xaa);
      const view = protect(keys, header, pnOffset, 77, payload, buf, 50);
      assert.is(view.byteOffset, 50);
      assert.is(toHex(view), want);
      assert.is(buf[49], 0xaa);
      assert.is(buf[50 + view.length], 0xaa);
    });

    T('misuse is a RangeError: a packet number that is not in the header, a packet too short to sample', () => {
      const keys = keysOf(p, suite, hpKind);
      const [header, pnOffset] = shortHeader(300, 2);
      assert.throws(() => protect(keys, header, pnOffset, 301, seq(10)), /does not hold the low bytes of 301/);
      assert.throws(() => protect(keys, header, pnOffset + 1, 300, seq(10)), /must end with its 2-byte packet number/);
      assert.throws(() => protect(keys, header, pnOffset, 300, seq(1)), /too short to sample/);
      assert.ok(protect(keys, header, pnOffset, 300, seq(2)));
      assert.throws(() => protect(keys, header, pnOffset, 300, seq(10), new Uint8Array(20)), /no room/);
      assert.throws(() => protect(keys, header, pnOffset, -1, seq(10)), RangeError);
      assert.throws(() => protect(keys, header, pnOffset, 2 ** 53, seq(10)), RangeError);
    });

    T('unprotect: too short to sample, wrong keys, wrong largest (another nonce) all give null', () => {
      const keys = keysOf(p, suite, hpKind);
      const [header, pnOffset] = shortHeader(1000, 2);
      const packet = protect(keys, header, pnOffset, 1000, seq(30));
      assert.is(unprotect(keys, packet.subarray(0, pnOffset + 19), pnOffset, 999), null);
      assert.is(removeHeaderProtection(keys.hp, packet.subarray(0, pnOffset + 19), pnOffset, 999), null);
      assert.is(unprotect(keysOf(p, suite, hpKind, 40), packet, pnOffset, 999), null);
      // a largest 2^16 further on makes the 2-byte number decode to another full number: another nonce
      assert.is(unprotect(keys, packet, pnOffset, 1000 + 65536), null);
      assert.ok(unprotect(keys, packet, pnOffset, 999));
    });
  }
}

// ───────────────────────────── tamper evidence ─────────────────────────────

for (const p of providers) {
  for (const [suite, hpKind] of SUITES) {
    test(`${p.name} ${suite}: every single-bit flip of a protected long and short packet fails to open`, () => {
      const keys = keysOf(p, suite, hpKind, 7);
      for (const [header, pnOffset] of [longHeader(5000, 2, 24), shortHeader(5000, 2, 1)]) {
        const packet = protect(keys, header, pnOffset, 5000, seq(24, 2));
        assert.ok(unprotect(keys, packet, pnOffset, 4999));
        for (let bit = 0; bit < packet.length * 8; bit++) {
          const bad = packet.slice();
          bad[bit >> 3] ^= 0x80 >> (bit & 7);
          assert.is(unprotect(keys, bad, pnOffset, 4999), null, `bit ${bit} of ${packet.length * 8}`);
        }
      }
    });
  }
}

for (const [suite, hpKind] of SUITES) {
  test(`node ${suite}: every single-bit flip of a 1200-byte packet fails to open`, () => {
    const keys = keysOf(nodeProvider, suite, hpKind, 8);
    const [header, pnOffset] = shortHeader(123456, 3, 0);
    const packet = protect(keys, header, pnOffset, 123456, seq(1200 - header.length - 16, 4));
    assert.is(packet.length, 1200);
    for (let bit = 0; bit < packet.length * 8; bit++) {
      const bad = packet.slice();
      bad[bit >> 3] ^= 0x80 >> (bit & 7);
      if (unprotect(keys, bad, pnOffset, 123455) !== null) assert.unreachable(`bit ${bit} opened`);
    }
  });
}

test('noble and node protect to the same bytes and open each other\'s packets (fast-check)', () => {
  fc.assert(fc.property(fc.constantFrom(...SUITES), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 4 }),
    fc.uint8Array({ minLength: 3, maxLength: 1300 }), fc.boolean(), (suite, pn, pnLength, payload, long) => {
      const a = keysOf(nobleProvider, suite[0], suite[1], 3), b = keysOf(nodeProvider, suite[0], suite[1], 3);
      const [header, pnOffset] = long ? longHeader(pn, pnLength, payload.length) : shortHeader(pn, pnLength);
      const pa = protect(a, header, pnOffset, pn, payload), pb = protect(b, header, pnOffset, pn, payload);
      assert.is(toHex(pa), toHex(pb));
      const largest = pn === 0 ? undefined : pn - 1;
      assert.is(toHex(unprotect(b, pa, pnOffset, largest)!.payload), toHex(payload));
      assert.is(toHex(unprotect(a, pb, pnOffset, largest)!.payload), toHex(payload));
    }), { numRuns: 150 });
});

test.run();
