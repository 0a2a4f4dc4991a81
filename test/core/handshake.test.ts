/**
 * The JSP handshake in the sans-IO core (spec/crypto.yaml, spec/machines/handshake.yaml): it
 * completes for every suite × group × authentication mode on both providers, negotiates with one
 * HelloRetryRequest, and fails with the spec'd code for every negative case.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GROUPS, SUITES } from '../../src/gen/crypto.ts';
import { ErrorCode } from '../../src/gen/errors.ts';
import { decodeClientOffer, decodeHandshakeMessage, encodeClientOffer, encodeHandshakeMessage } from '../../src/gen/messages.ts';
import { toHex } from '../helpers.ts';
import { drainRecords, wipeKeys } from '../../src/core/handshake/index.ts';
import { makePair, PROVIDERS, run, secretFrom } from './handshake-fixtures.ts';

const code = (e: { code: number } | undefined) => e?.code;

for (const [pname, p] of Object.entries(PROVIDERS)) {
  for (const suite of SUITES) {
    for (const group of GROUPS) {
      for (const auth of [false, true]) {
        test(`${pname}: ${suite.id} × ${group.id}${auth ? ' with client auth (IK)' : ' (NK)'} completes; keys agree; confirmation both ways`, () => {
          const clientKey = auth ? secretFrom(p, 'client') : undefined;
          let seen: Uint8Array | undefined;
          const pair = makePair(p, {
            client: { suites: [suite.id], groups: [group.id], clientKey, alpn: ['jsp-test', 'h3'] },
            server: { authorizeClient: (k) => { seen = k; return true; }, alpn: ['h3'] },
          });
          const flights = run(pair);
          assert.is(flights.length, 2, 'one round trip');
          const { client, server } = pair;
          assert.is(client.state, 'established');
          assert.is(server.state, 'established');
          const ck = client.keys!, sk = server.keys!;
          assert.is(toHex(ck.clientSecret), toHex(sk.clientSecret));
          assert.is(toHex(ck.serverSecret), toHex(sk.serverSecret));
          assert.is(toHex(ck.handshakeHash), toHex(sk.handshakeHash));
          assert.is(toHex(ck.resumptionSecret), toHex(sk.resumptionSecret));
          assert.is(toHex(ck.exporterSecret), toHex(sk.exporterSecret));
          assert.is.not(toHex(ck.clientSecret), toHex(ck.serverSecret));
          assert.is(ck.suite.id, suite.id);
          assert.is(ck.group.id, group.id);
          assert.is(client.peerTransportParameters!.initialMaxData, 2 << 20);
          assert.is(server.peerTransportParameters!.initialMaxData, 1 << 20);
          assert.is(client.alpn, 'h3');
          assert.is(server.alpn, 'h3');
          if (auth) {
            assert.is(toHex(seen!), toHex(p.x25519.publicKey(clientKey!)));
            assert.is(toHex(server.peerStaticKey!), toHex(seen!));
          } else {
            assert.is(seen, undefined);
          }
          assert.equal(server.handleOneRttPacket().actions, ['send_handshake_done', 'discard_handshake_state']);
          assert.is(server.state, 'confirmed');
          assert.is(client.handleHandshakeDone().next, 'confirmed');
        });
      }
    }
  }

  test(`${pname}: the same seeds give the same handshake byte for byte; other seeds do not`, () => {
    const a = run(makePair(p)).flat().map(toHex);
    const b = run(makePair(p)).flat().map(toHex);
    const c = run(makePair(p, { seed: 'other' })).flat().map(toHex);
    assert.equal(a, b);
    assert.is.not(a[0], c[0]);
  });

  test(`${pname}: HelloRetryRequest — the client's first suite and group are unsupported: one extra round trip`, () => {
    const pair = makePair(p, {
      client: { suites: ['aes_256_gcm_sha256', 'chacha20_poly1305_sha256'], groups: ['x25519_mlkem768', 'x25519'] },
      server: { suites: ['chacha20_poly1305_sha256'], groups: ['x25519'] },
    });
    const flights = run(pair);
    assert.is(flights.length, 4, 'two round trips');
    assert.ok(decodeHandshakeMessage(flights[1][0]).helloRetryRequest);
    assert.is(pair.client.state, 'established');
    assert.is(pair.server.state, 'established');
    assert.is(pair.client.keys!.suite.id, 'chacha20_poly1305_sha256');
    assert.is(pair.client.keys!.group.id, 'x25519');
    assert.is(toHex(pair.client.keys!.clientSecret), toHex(pair.server.keys!.clientSecret));
    const second = decodeClientOffer(decodeHandshakeMessage(flights[2][0]).clientHello!.offer);
    assert.equal(second.cipherSuites, [1]);
    assert.equal(second.groups, [1]);
    assert.is(second.cookie.length, 64);
  });

  test(`${pname}: nothing shared — the server fails NO_COMMON_SUITE / VERSION_MISMATCH; the client reports the peer's code`, () => {
    for (const [over, expected] of [
      [{ client: { suites: ['aes_256_gcm_sha256'] }, server: { suites: ['chacha20_poly1305_sha256'] } }, 'NO_COMMON_SUITE'],
      [{ client: { groups: ['x25519_mlkem768'] }, server: { groups: ['x25519'] } }, 'NO_COMMON_SUITE'],
    ] as const) {
      const pair = makePair(p, over as never);
      run(pair);
      assert.is(pair.server.state, 'failed');
      assert.is(pair.server.error!.codeName, expected);
      const step = pair.client.handlePeerClose(pair.server.error!.code, 'no common suite');
      assert.equal(step.actions, ['report_peer_error']);
      assert.is(pair.client.error!.code, ErrorCode[expected]);
      assert.ok(pair.client.error!.remote);
    }
    // A version the server does not speak (an offer edited in transit keeps the prologue check from mattering: it fails first).
    const pair = makePair(p);
    run(pair, (flight, body) => flight === 0 ? withOffer(body, (o) => ({ ...o, versions: [0x0a0a0a0a] })) : body);
    assert.is(pair.server.error!.codeName, 'VERSION_MISMATCH');
  });

  test(`${pname}: a client pinning another key fails at the server with BAD_SERVER_KEY`, () => {
    const wrong = p.x25519.publicKey(secretFrom(p, 'not the server'));
    const pair = makePair(p, { client: { serverKey: wrong } });
    run(pair);
    assert.is(pair.server.error!.codeName, 'BAD_SERVER_KEY');
    assert.is(pair.client.state, 'wait_hello');
  });

  test(`${pname}: a server holding the key id but not the key (its id forged) fails the Noise read: HANDSHAKE_FAILED`, () => {
    const wrong = p.x25519.publicKey(secretFrom(p, 'not the server'));
    const pair = makePair(p, { client: { serverKey: wrong } });
    const rightId = p.sha256(pair.serverPublic).slice(0, 8);
    run(pair, (flight, body) => flight === 0 ? withOffer(body, (o) => ({ ...o, serverKeyId: rightId })) : body);
    assert.is(pair.server.error!.codeName, 'HANDSHAKE_FAILED');
  });

  test(`${pname}: downgrade — a suite stripped from the offer in transit makes the prologue differ: HANDSHAKE_FAILED`, () => {
    const pair = makePair(p);
    run(pair, (flight, body) => flight === 0 ? withOffer(body, (o) => ({ ...o, cipherSuites: o.cipherSuites.slice(0, 1) })) : body);
    assert.is(pair.server.error!.codeName, 'HANDSHAKE_FAILED');
  });

  test(`${pname}: downgrade — the client's first group replaced so the server asks for a retry: the client detects it`, () => {
    const pair = makePair(p, { client: { groups: ['x25519_mlkem768', 'x25519'] } });
    run(pair, (flight, body) => flight === 0 ? withOffer(body, (o) => ({ ...o, groups: [99, ...o.groups.slice(1)] })) : body);
    assert.is(pair.server.state, 'wait_hello_retried');
    assert.is(pair.client.error!.codeName, 'DOWNGRADE_DETECTED');
  });

  test(`${pname}: a forged HelloRetryRequest choice (cookie kept) is caught by the server: DOWNGRADE_DETECTED`, () => {
    const pair = makePair(p, {
      client: { suites: ['aes_256_gcm_sha256', 'chacha20_poly1305_sha256'], groups: ['x25519_mlkem768', 'x25519'] },
      server: { suites: ['chacha20_poly1305_sha256'] },
    });
    run(pair, (flight, body) => {
      if (flight !== 1) return body;
      const m = decodeHandshakeMessage(body);
      return encodeHandshakeMessage({ helloRetryRequest: { ...m.helloRetryRequest!, group: 1 } }).slice();
    });
    assert.is(pair.server.error!.codeName, 'DOWNGRADE_DETECTED');
  });

  test(`${pname}: a replayed ClientHello at an established server is PROTOCOL_VIOLATION (no transition)`, () => {
    const pair = makePair(p);
    const flights = run(pair);
    const step = pair.server.handleRecord(flights[0][0]);
    assert.is(step.error, 'PROTOCOL_VIOLATION');
    assert.match(pair.server.error!.message, /server, state established, event client_hello/);
  });

  test(`${pname}: every byte of the ClientHello and of the ServerHello flipped fails the handshake (never established)`, () => {
    const base = run(makePair(p));
    const codes = new Map<string, number>();
    for (const [flight, side] of [[0, 'server'], [1, 'client']] as const) {
      const body = base[flight][0];
      for (let i = 0; i < body.length; i++) {
        const pair = makePair(p);
        run(pair, (f, b) => {
          if (f !== flight) return b;
          const t = b.slice();
          t[i] ^= 0x01;
          return t;
        });
        const where = `${side === 'server' ? 'ClientHello' : 'ServerHello'} byte ${i} flipped`;
        assert.is.not(pair.client.state, 'established', where);
        if (side === 'server') assert.is.not(pair.server.state, 'established', where);
        assert.is(pair.client.keys, undefined, `${where}: the client has keys`);
        const failed = [pair.server, pair.client].find((x) => x.state === 'failed');
        assert.ok(failed, `${where}: nobody failed`);
        const name = failed!.error!.codeName;
        codes.set(name, (codes.get(name) ?? 0) + 1);
      }
    }
    assert.ok(codes.get('HANDSHAKE_FAILED')! > 0);
    for (const name of codes.keys()) assert.ok(['HANDSHAKE_FAILED', 'PROTOCOL_VIOLATION', 'BAD_SERVER_KEY', 'VERSION_MISMATCH', 'NO_COMMON_SUITE', 'DOWNGRADE_DETECTED'].includes(name), name);
  });

  test(`${pname}: truncated records fail with PROTOCOL_VIOLATION or HANDSHAKE_FAILED`, () => {
    const base = run(makePair(p));
    const ch = base[0][0];
    for (const n of [0, 1, 2, 10, 40, ch.length - 17, ch.length - 1]) {
      const pair = makePair(p);
      pair.client.start();
      drainRecords(pair.client);
      const step = pair.server.handleRecord(ch.subarray(0, n));
      assert.is(pair.server.state, 'failed', `length ${n}`);
      assert.ok(['PROTOCOL_VIOLATION', 'HANDSHAKE_FAILED'].includes(step.error!), `${n}: ${step.error}`);
    }
  });

  test(`${pname}: client authentication — required but absent, or a refused key: CONNECTION_REFUSED`, () => {
    const a = makePair(p, { server: { requireClientAuth: true } });
    run(a);
    assert.is(a.server.error!.codeName, 'CONNECTION_REFUSED');
    const b = makePair(p, { client: { clientKey: secretFrom(p, 'client') }, server: { authorizeClient: () => false } });
    run(b);
    assert.is(b.server.error!.codeName, 'CONNECTION_REFUSED');
  });

  // messages.transport-parameters.server-only
  test(`${pname}: server-only transport parameters from a client: TRANSPORT_PARAMETER_ERROR`, () => {
    const pair = makePair(p, { client: { transportParameters: { statelessResetToken: new Uint8Array(16) } } });
    run(pair);
    assert.is(pair.server.error!.codeName, 'TRANSPORT_PARAMETER_ERROR');
  });
}

test('wipeKeys zeroes the traffic secrets and what was derived, and derives nothing to do so', () => {
  const pair = makePair(PROVIDERS.node);
  run(pair);
  const k = pair.client.keys!;
  const exporter = k.exporterSecret; // derived on first read
  const copy = toHex(exporter);
  assert.is(toHex(k.exporterSecret), copy, 'read twice, derived once');
  wipeKeys(k);
  for (const b of [k.clientSecret, k.serverSecret, exporter]) assert.ok(b.every((x) => x === 0));
  assert.is.not(copy, toHex(exporter));
});

test('config errors are TypeError/RangeError naming the option', () => {
  const p = PROVIDERS.noble;
  assert.throws(() => makePair(p, { client: { serverKey: new Uint8Array(31) } }), (e: Error) => e instanceof TypeError && /serverKey/.test(e.message));
  assert.throws(() => makePair(p, { client: { suites: [] } }), (e: Error) => e instanceof RangeError && /suites/.test(e.message));
  assert.throws(() => makePair(p, { client: { groups: ['x448' as never] } }), (e: Error) => e instanceof RangeError && /x448/.test(e.message));
  assert.throws(() => makePair(p, { server: { staticKeys: [] } }), (e: Error) => e instanceof TypeError && /staticKeys/.test(e.message));
  assert.throws(() => makePair(p, { client: { versions: [7] } }), (e: Error) => e instanceof RangeError && /version/.test(e.message));
});

/** Re-encodes a ClientHello record with its offer changed (the Noise message kept as is). */
function withOffer(body: Uint8Array, f: (o: ReturnType<typeof decodeClientOffer>) => ReturnType<typeof decodeClientOffer>): Uint8Array {
  const m = decodeHandshakeMessage(body);
  const ch = m.clientHello!;
  const offer = encodeClientOffer(f(decodeClientOffer(ch.offer))).slice();
  return encodeHandshakeMessage({ clientHello: { offer, noise: ch.noise } }).slice();
}

test.run();
