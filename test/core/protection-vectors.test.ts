/**
 * The committed crypto vectors (conformance/vectors/crypto/*.json, made once by
 * conformance/tools/make-crypto-vectors.ts from node:crypto directly) are reproduced by the
 * runtime — src/crypto/expand-label.ts and src/core/protection — on both providers. This test
 * only reads the files; it never regenerates them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandLabel, hkdfLabel } from '../../src/crypto/expand-label.ts';
import { nobleProvider, nodeProvider, type CryptoProvider } from '../../src/crypto/index.ts';
import {
  deriveKeyMaterial,
  initialKeys,
  initialSecrets,
  PacketKeys,
  packetNonce,
  protect,
  retryIntegrityTag,
  retryKeyMaterial,
  retryPseudoPacket,
  unprotect,
  verifyRetryIntegrity,
  type ProtectionKeys,
} from '../../src/core/protection/index.ts';
import { EXPAND_LABEL_PREFIX, INITIAL_SALT, INITIAL_SUITE, LABELS, LENGTHS, suiteById, type SuiteId } from '../../src/gen/crypto.ts';
import { fromHex as hex, toHex } from '../helpers.ts';

const read = (name: string) => JSON.parse(readFileSync(new URL(`../../conformance/vectors/crypto/${name}`, import.meta.url), 'utf8'));
const ks = read('key-schedule.json');
const pp = read('packet-protection.json');
const specSha256 = createHash('sha256').update(readFileSync(new URL('../../spec/crypto.yaml', import.meta.url))).digest('hex');
const providers: CryptoProvider[] = [nobleProvider, nodeProvider];

test('both files are current for spec/crypto.yaml (else: npm run vectors:crypto) and use its constants', () => {
  assert.is(ks.specSha256, specSha256, 'key-schedule.json is stale');
  assert.is(pp.specSha256, specSha256, 'packet-protection.json is stale');
  assert.is(ks.expandLabelPrefix, EXPAND_LABEL_PREFIX);
  assert.is(ks.initialSalt, toHex(INITIAL_SALT));
  assert.is(ks.initialSuite, INITIAL_SUITE);
  assert.equal(Object.keys(ks.labels).sort(), Object.keys(LABELS).sort());
  for (const [id, l] of Object.entries(ks.labels) as Array<[keyof typeof LABELS, { label: string; length: number; hkdfLabelEmptyContext: string }]>) {
    assert.is(l.label, LABELS[id]);
    assert.is(l.length, LENGTHS[id]);
    assert.is(toHex(hkdfLabel(l.label, new Uint8Array(0), l.length)), l.hkdfLabelEmptyContext, id);
  }
  assert.ok(ks.initial.length >= 4 && ks.keyUpdate.length === 2 && pp.hpMasks.length >= 6 && pp.packets.length === 4);
});

for (const p of providers) {
  const T = (name: string, fn: () => void) => test(`${p.name}: ${name}`, fn);

  T('expandLabel cases', () => {
    for (const c of ks.expandLabel) {
      assert.is(toHex(hkdfLabel(c.label, hex(c.context), c.length)), c.hkdfLabel, c.step);
      assert.is(toHex(expandLabel(p, hex(c.secret), c.label, hex(c.context), c.length)), c.output, c.step);
    }
  });

  T('Initial secrets, keys, IVs and hp keys of every DCID', () => {
    for (const c of ks.initial) {
      const s = initialSecrets(p, hex(c.clientDcid));
      assert.is(toHex(s.initialSecret), c.initialSecret, c.comment);
      assert.is(toHex(s.client), c.clientInitialSecret, c.comment);
      assert.is(toHex(s.server), c.serverInitialSecret, c.comment);
      const suite = suiteById(INITIAL_SUITE);
      for (const side of ['client', 'server'] as const) {
        const m = deriveKeyMaterial(p, suite, side === 'client' ? s.client : s.server);
        assert.equal({ key: toHex(m.key), iv: toHex(m.iv), hp: toHex(m.hp) }, c[side], `${c.comment}, ${side}`);
        // and the handles initialKeys builds are those keys
        const k = initialKeys(p, hex(c.clientDcid))[side];
        assert.is(toHex(k.iv), c[side].iv);
        assert.is(toHex(k.hp.mask(new Uint8Array(16))), toHex(p.headerProtection(suite.headerProtection, hex(c[side].hp)).mask(new Uint8Array(16))));
      }
    }
  });

  T('key-update chains: secret, key and IV of generations 0..3, one hp', () => {
    for (const chain of ks.keyUpdate) {
      const suite = suiteById(chain.suite as SuiteId);
      let k = PacketKeys.fromSecret(p, suite, hex(chain.generations[0].secret));
      const hp0 = k.hp;
      for (const g of chain.generations) {
        assert.is(k.generation, g.generation);
        assert.is(k.generation & 1, g.keyPhase);
        const m = deriveKeyMaterial(p, suite, hex(g.secret));
        assert.is(toHex(m.key), g.key, `${chain.suite} generation ${g.generation}`);
        assert.is(toHex(m.iv), g.iv);
        assert.is(toHex(k.iv), g.iv);
        assert.is(k.hp, hp0);
        if (g.generation < 3) {
          assert.is(toHex(k.nextSecret()), chain.generations[g.generation + 1].secret);
          k = k.next();
        }
      }
      assert.is(toHex(deriveKeyMaterial(p, suite, hex(chain.generations[0].secret)).hp), chain.hp);
    }
  });

  T('retry secret, key, nonce and the integrity tag example', () => {
    const m = retryKeyMaterial(p);
    assert.is(toHex(m.secret), ks.retry.retrySecret);
    assert.is(toHex(m.key), ks.retry.retryKey);
    assert.is(toHex(m.nonce), ks.retry.retryNonce);
    const e = ks.retry.example;
    assert.is(toHex(retryPseudoPacket(hex(e.originalDcid), hex(e.retryWithoutTag))), e.pseudoPacket);
    assert.is(toHex(retryIntegrityTag(p, hex(e.originalDcid), hex(e.retryWithoutTag))), e.tag);
    assert.ok(verifyRetryIntegrity(p, hex(e.originalDcid), hex(e.retryPacket)));
  });

  T('header-protection masks', () => {
    for (const c of pp.hpMasks) assert.is(toHex(p.headerProtection(c.kind, hex(c.hp)).mask(hex(c.sample))), c.mask, `${c.kind}: ${c.comment}`);
  });

  T('protected packets: every intermediate, protect reproduces the bytes, unprotect gives back header, number and payload', () => {
    for (const c of pp.packets) {
      const suite = suiteById(c.suite as SuiteId);
      const m = deriveKeyMaterial(p, suite, hex(c.secret));
      assert.is(toHex(m.key), c.key, c.comment);
      assert.is(toHex(m.iv), c.iv);
      assert.is(toHex(deriveKeyMaterial(p, suite, hex(c.hpSecret)).hp), c.hp);
      assert.is(toHex(packetNonce(m.iv, c.packetNumber)), c.nonce);
      const keys: ProtectionKeys = { aead: p.aead(suite.aead, m.key), iv: m.iv, hp: p.headerProtection(suite.headerProtection, hex(c.hp)) };
      assert.is(toHex(keys.aead.seal(hex(c.nonce), hex(c.payload), hex(c.header))), c.sealedPayload);
      assert.is(toHex(keys.hp.mask(hex(c.sample))), c.mask);
      const packet = protect(keys, hex(c.header), c.pnOffset, c.packetNumber, hex(c.payload));
      assert.is(toHex(packet), c.protectedPacket, c.comment);
      const opened = unprotect(keys, hex(c.protectedPacket), c.pnOffset, c.largestReceived);
      assert.ok(opened, c.comment);
      assert.is(opened!.packetNumber, c.packetNumber);
      assert.is(opened!.pnLength, c.pnLength);
      assert.is(toHex(opened!.header), c.header);
      assert.is(toHex(opened!.payload), c.payload);
    }
  });
}

test('the Initial packet vector is what initialKeys of its DCID protects', () => {
  const c = pp.packets.find((x: { suite: string; form: string }) => x.suite === INITIAL_SUITE && x.form === 'long');
  const dcid = ks.initial[0].clientDcid;
  assert.ok(c.secretOf.includes(dcid));
  for (const p of providers) {
    const k = initialKeys(p, hex(dcid)).client;
    assert.is(toHex(protect(k, hex(c.header), c.pnOffset, c.packetNumber, hex(c.payload))), c.protectedPacket);
  }
});

test.run();
