/**
 * `jsp bench handshake` with a tiny budget: the rows it reports and their shape (names, units,
 * positive finite rates, ratio = JSP ÷ TLS), its JSP contender, and its TLS peer (a verified full
 * TLS 1.3 handshake on a certificate made at bench time). Not the speed.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { benchHandshake, JSP_CASES, jspHandshake, selfSignedCertificate, TLS_PEER, tlsPeer } from '../../src/bench/handshake.ts';
import { PROVIDERS } from '../../src/crypto/index.ts';

test('the self-signed certificate parses, is self-signed for localhost and matches its fingerprint', () => {
  const { certPem, keyPem, fingerprint256 } = selfSignedCertificate();
  const x = new X509Certificate(certPem);
  assert.is(x.subject, 'CN=localhost');
  assert.is(x.issuer, 'CN=localhost');
  assert.is(x.subjectAltName, 'DNS:localhost');
  assert.is(x.fingerprint256, fingerprint256);
  assert.ok(x.verify(x.publicKey), 'signed by its own key');
  assert.ok(x.checkPrivateKey(createPrivateKey(keyPem)), 'key pair matches');
});

test('a JSP contender completes a handshake on both providers with fresh ephemerals each time', () => {
  for (const name of ['node', 'noble'] as const) {
    const h = jspHandshake(PROVIDERS[name], 'x25519');
    const a = h.once(), b = h.once();
    assert.is(a.client.state, 'established');
    assert.is(a.server.state, 'established');
    assert.equal(a.client.keys!.clientSecret, a.server.keys!.clientSecret);
    assert.not.equal(a.client.keys!.clientSecret, b.client.keys!.clientSecret, 'a new handshake, new keys');
  }
});

test('the TLS peer runs full, verified handshakes and closes', async () => {
  const peer = await tlsPeer();
  try {
    await peer.once();
    await Promise.all([peer.once(), peer.once()]);
  } finally {
    await peer.close();
  }
});

test('benchHandshake reports every contender and the TLS row, ratio = JSP ÷ TLS', async () => {
  const rows = await benchHandshake({ rounds: 1, sliceMs: 5, concurrency: 2 });
  assert.equal(rows.map((r) => r.name).slice(0, JSP_CASES.length), [
    'handshake node x25519', 'handshake node x25519_mlkem768', 'handshake noble x25519', 'handshake noble x25519_mlkem768',
  ]);
  assert.is(rows.length, JSP_CASES.length + 1);
  const tls = rows[rows.length - 1];
  assert.ok(tls.name.startsWith(`handshake ${TLS_PEER}`), tls.name);
  assert.is(tls.peer, undefined);
  assert.is(tls.ratio, undefined);
  for (const r of rows) {
    assert.is(r.unit, 'handshakes/s', r.name);
    assert.ok(Number.isFinite(r.value) && r.value > 0, `${r.name}: ${r.value}`);
  }
  for (const r of rows.slice(0, -1)) {
    assert.is(r.peer, TLS_PEER);
    assert.ok(Number.isFinite(r.ratio) && r.ratio! > 0, `${r.name}: ratio ${r.ratio}`);
    assert.ok(Math.abs(r.ratio! - r.value / tls.value) <= 1e-9 * r.ratio!, `${r.name}: ratio ${r.ratio} vs ${r.value / tls.value}`);
  }
  // The JSON the CLI prints: exactly these keys.
  for (const r of rows) for (const k of Object.keys(r)) assert.ok(['name', 'value', 'unit', 'peer', 'ratio'].includes(k), k);
});

test.run();
