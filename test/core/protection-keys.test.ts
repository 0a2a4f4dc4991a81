/**
 * The key schedule of packet protection: HKDF-Expand-Label (src/crypto/expand-label.ts) against
 * a hand-built HkdfLabel and against published TLS 1.3 / QUIC vectors with the prefix swapped
 * back to "tls13 " (RFC 8448 §3, RFC 9001 A.1 and A.5); the Initial secrets; PacketKeys and key
 * update; the Retry integrity tag.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hkdfLabel, expandLabel, MAX_LABEL_LENGTH } from '../../src/crypto/expand-label.ts';
import { nobleProvider, nodeProvider, type CryptoProvider } from '../../src/crypto/index.ts';
import {
  deriveKeyMaterial,
  initialKeys,
  initialSecrets,
  initialSuite,
  nextTrafficSecret,
  PacketKeys,
  protect,
  retryIntegrityTag,
  retryKeyMaterial,
  unprotect,
  verifyRetryIntegrity,
} from '../../src/core/protection/index.ts';
import { EXPAND_LABEL_PREFIX, INITIAL_SALT, LABELS, LENGTHS, SUITES } from '../../src/gen/crypto.ts';
import { fromHex as hex, toHex } from '../helpers.ts';

const providers: CryptoProvider[] = [nobleProvider, nodeProvider];
const ascii = (s: string) => new TextEncoder().encode(s);
const seq = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const EMPTY = new Uint8Array(0);

/** HkdfLabel written out field by field, independently of src/crypto/expand-label.ts. */
function handLabel(prefix: string, label: string, context: Uint8Array, length: number): Uint8Array {
  const full = ascii(prefix + label);
  return Uint8Array.from([length >> 8, length & 0xff, full.length, ...full, context.length, ...context]);
}

for (const p of providers) {
  const T = (name: string, fn: () => void) => test(`${p.name}: ${name}`, fn);

  // ───────────────────────────── expandLabel ─────────────────────────────

  T('expandLabel = HKDF-Expand(secret, u16 length ‖ u8 len ‖ "jsp1 " ‖ label ‖ u8 len ‖ context) for every spec label', () => {
    assert.is(EXPAND_LABEL_PREFIX, 'jsp1 ');
    const secret = seq(32, 3);
    for (const [id, label] of Object.entries(LABELS)) {
      const length = LENGTHS[id as keyof typeof LENGTHS];
      for (const context of [EMPTY, seq(32, 9)]) {
        const info = handLabel('jsp1 ', label, context, length);
        assert.is(toHex(hkdfLabel(label, context, length)), toHex(info), id);
        assert.is(toHex(expandLabel(p, secret, label, context, length)), toHex(p.hkdfExpand(secret, info, length)), id);
      }
    }
    // the layout, spelled out once: "key", 32 bytes, empty context
    assert.is(toHex(hkdfLabel('key', EMPTY, 32)), '0020' + '08' + toHex(ascii('jsp1 key')) + '00');
  });

  T('RFC 8448 §3: "tls13 derived" from the early secret (prefix swapped back to "tls13 ")', () => {
    const early = p.hkdfExtract(EMPTY, new Uint8Array(32));
    assert.is(toHex(early), '33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    const emptyHash = p.sha256();
    assert.is(
      toHex(hkdfLabel('derived', emptyHash, 32, 'tls13 ')),
      '00200d746c73313320646572697665642' + '0e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.is(toHex(expandLabel(p, early, 'derived', emptyHash, 32, 'tls13 ')), '6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba');
  });

  T('RFC 9001 A.1: QUIC v1 Initial secrets, keys, IVs and hp keys (prefix "tls13 ", labels "quic …")', () => {
    const initial = p.hkdfExtract(hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'), hex('8394c8f03e515708'));
    assert.is(toHex(initial), '7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44');
    const client = expandLabel(p, initial, 'client in', EMPTY, 32, 'tls13 ');
    assert.is(toHex(client), 'c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea');
    assert.is(toHex(expandLabel(p, client, 'quic key', EMPTY, 16, 'tls13 ')), '1f369613dd76d5467730efcbe3b1a22d');
    assert.is(toHex(expandLabel(p, client, 'quic iv', EMPTY, 12, 'tls13 ')), 'fa044b2f42a3fd3b46fb255c');
    assert.is(toHex(expandLabel(p, client, 'quic hp', EMPTY, 16, 'tls13 ')), '9f50449e04a0e810283a1e9933adedd2');
    const server = expandLabel(p, initial, 'server in', EMPTY, 32, 'tls13 ');
    assert.is(toHex(server), '3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b');
  });

  T('RFC 9001 A.5: ChaCha20-Poly1305 key, IV, hp and the key-update secret "quic ku"', () => {
    const secret = hex('9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b');
    assert.is(toHex(expandLabel(p, secret, 'quic key', EMPTY, 32, 'tls13 ')), 'c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8');
    assert.is(toHex(expandLabel(p, secret, 'quic iv', EMPTY, 12, 'tls13 ')), 'e0459b3474bdd0e44a41c144');
    assert.is(toHex(expandLabel(p, secret, 'quic hp', EMPTY, 32, 'tls13 ')), '25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4');
    assert.is(toHex(expandLabel(p, secret, 'quic ku', EMPTY, 32, 'tls13 ')), '1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9');
  });

  T('expandLabel misuse: TypeError for types and non-ASCII, RangeError for lengths', () => {
    const s = seq(32);
    assert.throws(() => expandLabel(p, s, 'clé', EMPTY, 32), (e: Error) => e instanceof TypeError && /label must be ASCII/.test(e.message));
    assert.throws(() => expandLabel(p, s, 3 as unknown as string, EMPTY, 32), (e: Error) => e instanceof TypeError);
    assert.throws(() => expandLabel(p, s, 'key', 'ctx' as unknown as Uint8Array, 32), (e: Error) => e instanceof TypeError);
    assert.throws(() => expandLabel(p, s, 'x'.repeat(MAX_LABEL_LENGTH - 5 + 1), EMPTY, 32), (e: Error) => e instanceof RangeError && e.message.includes(`at most ${MAX_LABEL_LENGTH} bytes, got ${MAX_LABEL_LENGTH + 1}`));
    assert.is(MAX_LABEL_LENGTH, 255);
    assert.ok(expandLabel(p, s, 'x'.repeat(MAX_LABEL_LENGTH - 5), EMPTY, 32));
    assert.throws(() => expandLabel(p, s, 'key', new Uint8Array(256), 32), (e: Error) => e instanceof RangeError && /context/.test(e.message));
    assert.ok(expandLabel(p, s, 'key', new Uint8Array(255), 32));
    for (const n of [-1, 8161, 1.5]) assert.throws(() => expandLabel(p, s, 'key', EMPTY, n), (e: Error) => e instanceof RangeError && /length/.test(e.message));
    assert.is(expandLabel(p, s, 'key', EMPTY, 8160).length, 8160);
    assert.throws(() => expandLabel(p, seq(31), 'key', EMPTY, 32), (e: Error) => e instanceof RangeError && /prk/.test(e.message));
  });

  // ───────────────────────────── Initial secrets ─────────────────────────────

  T('initial_salt is SHA-256("JetStreamProto v1 initial salt"), as the spec says', () => {
    assert.is(toHex(INITIAL_SALT), toHex(p.sha256(ascii('JetStreamProto v1 initial salt'))));
  });

  T('Initial secrets: extract(initial_salt, DCID), then "client in" / "server in"; the keys protect AES-256-GCM packets', () => {
    const dcid = hex('8394c8f03e515708');
    const s = initialSecrets(p, dcid);
    assert.is(toHex(s.initialSecret), toHex(p.hkdfExtract(INITIAL_SALT, dcid)));
    assert.is(toHex(s.client), toHex(p.hkdfExpand(s.initialSecret, handLabel('jsp1 ', 'client in', EMPTY, 32), 32)));
    assert.is(toHex(s.server), toHex(p.hkdfExpand(s.initialSecret, handLabel('jsp1 ', 'server in', EMPTY, 32), 32)));
    assert.is.not(toHex(s.client), toHex(s.server));
    assert.is(initialSuite().aead, 'aes-256-gcm');
    const k = initialKeys(p, dcid);
    assert.is(k.client.suite.id, 'aes_256_gcm_sha256');
    assert.is(k.client.hp.kind, 'aes-256-ecb');
    // the server opens what the client's keys protect only with the client's keys
    const header = hex('c3' + '4a535001' + '08' + '8394c8f03e515708' + '00' + '00' + '4020' + '00000002');
    const packet = protect(k.client, header, header.length - 4, 2, seq(16));
    const serverSide = initialKeys(p, dcid);
    assert.is(toHex(unprotect(serverSide.client, packet, header.length - 4, 1)!.payload), toHex(seq(16)));
    assert.is(unprotect(serverSide.server, packet, header.length - 4, 1), null);
    assert.throws(() => initialSecrets(p, new Uint8Array(21)), RangeError);
  });

  // ───────────────────────────── PacketKeys ─────────────────────────────

  for (const suite of SUITES) {
    T(`${suite.id}: PacketKeys from a secret, and next() = keys of "ku" with the same hp`, () => {
      const secret = seq(32, 4);
      const m = deriveKeyMaterial(p, suite, secret);
      assert.is(toHex(m.key), toHex(expandLabel(p, secret, 'key', EMPTY, suite.keyLength)));
      assert.is(toHex(m.iv), toHex(expandLabel(p, secret, 'iv', EMPTY, suite.ivLength)));
      assert.is(toHex(m.hp), toHex(expandLabel(p, secret, 'hp', EMPTY, 32)));
      const k = PacketKeys.fromSecret(p, suite, secret);
      secret.fill(0); // copied
      assert.is(k.generation, 0);
      assert.is(toHex(k.iv), toHex(m.iv));
      const nonce = seq(12, 1);
      assert.is(toHex(k.aead.seal(nonce, seq(40), seq(5))), toHex(p.aead(suite.aead, m.key).seal(nonce, seq(40), seq(5))));
      assert.is(toHex(k.hp.mask(seq(16, 2))), toHex(p.headerProtection(suite.headerProtection, m.hp).mask(seq(16, 2))));

      const ku = nextTrafficSecret(p, seq(32, 4));
      assert.is(toHex(ku), toHex(expandLabel(p, seq(32, 4), 'ku', EMPTY, 32)));
      assert.is(toHex(k.nextSecret()), toHex(ku));
      const k1 = k.next();
      assert.is(k1.generation, 1);
      assert.is(k1.hp, k.hp, 'header protection does not change on key update');
      assert.is(toHex(k1.iv), toHex(deriveKeyMaterial(p, suite, ku).iv));
      assert.is(toHex(k1.nextSecret()), toHex(nextTrafficSecret(p, ku)));

      k.wipe();
      assert.throws(() => k.aead.seal(nonce, seq(1)), TypeError);
      assert.throws(() => k.nextSecret(), TypeError);
      assert.ok(k1.hp.mask(seq(16)), 'the successor keeps the shared hp');
      k1.wipeAll();
      assert.throws(() => k1.hp.mask(seq(16)), TypeError);
      assert.throws(() => PacketKeys.fromSecret(p, suite, seq(31)), RangeError);
    });
  }

  // ───────────────────────────── Retry ─────────────────────────────

  T('Retry integrity tag: AES-256-GCM under retry key/nonce over odcid-length ‖ odcid ‖ packet; any change fails', () => {
    const m = retryKeyMaterial(p);
    assert.is(toHex(m.secret), toHex(p.hkdfExtract(INITIAL_SALT, ascii('retry'))));
    assert.is(toHex(m.key), toHex(expandLabel(p, m.secret, 'retry key', EMPTY, 32)));
    assert.is(toHex(m.nonce), toHex(expandLabel(p, m.secret, 'retry iv', EMPTY, 12)));
    const odcid = hex('8394c8f03e515708');
    const retry = hex('f0' + '4a535001' + '00' + '08' + 'f067a5502a4262b5' + '746f6b656e'); // type 3, empty DCID, SCID, token "token"
    const tag = retryIntegrityTag(p, odcid, retry);
    const pseudo = Uint8Array.from([odcid.length, ...odcid, ...retry]);
    assert.is(toHex(tag), toHex(p.aead('aes-256-gcm', m.key).seal(m.nonce, EMPTY, pseudo)));
    const packet = Uint8Array.from([...retry, ...tag]);
    assert.ok(verifyRetryIntegrity(p, odcid, packet));
    assert.not.ok(verifyRetryIntegrity(p, hex('8394c8f03e515709'), packet), 'another original DCID');
    for (let bit = 0; bit < packet.length * 8; bit++) {
      const bad = packet.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      assert.not.ok(verifyRetryIntegrity(p, odcid, bad), `bit ${bit}`);
    }
    assert.not.ok(verifyRetryIntegrity(p, odcid, seq(15)));
  });
}

test.run();
