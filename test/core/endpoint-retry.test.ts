/**
 * Retry and address-validation tokens (protocol.retry.token, protocol.retry.client,
 * protocol.retry.transport-parameters, constants.amplification.limit; RFC 9000 §8.1, §17.2.5,
 * RFC 9001 §5.8): a server that requires a Retry answers a token-less first Initial statelessly;
 * the client switches DCID and Initial keys and sends its first flight again with the token; the
 * server accepts the token (the address counts as validated) and refuses forged, expired and
 * misaddressed ones; a forged Retry and a second Retry are ignored.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, splitDatagram, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { buildRetry, checkServerConnectionIds } from '../../src/core/connection/retry-packet.ts';
import { RetryTokens } from '../../src/core/connection/retry-token.ts';
import { seededRng } from '../../src/core/rng.ts';
import { ErrorCode } from '../../src/gen/errors.ts';
import { decodeRetryPacket } from '../../src/gen/packets.ts';
import { Net } from '../../conformance/handshake/net.ts';
import { toHex } from '../helpers.ts';

const serverSecret = p.sha256(new TextEncoder().encode('retry test server'));
const serverKey = p.x25519.publicKey(serverSecret);
const LIFETIME = 5_000;

function setup(seed: string, requireRetry = true) {
  const server = new Endpoint({ address: 'S', provider: p, rng: seededRng(p, `${seed}/s`), server: { staticKeys: [serverSecret] }, requireRetry, retryToken: { lifetimeMs: LIFETIME } });
  const client = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, `${seed}/c`) });
  const conn = client.connect(0, 'S', { serverKey });
  return { server, client, conn };
}

function events(c: Connection): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

const isRetry = (d: Uint8Array) => (d[0] & 0xf0) === 0xf0;

test('Retry round trip: Retry, the first flight again with the token to the new DCID, a full handshake; the address is validated from the start (protocol.retry.token, protocol.retry.client)', () => {
  const { server, client, conn } = setup('rt');
  const net = new Net([client, server]);
  net.run(() => server.connections.length > 0);
  // The token validated the address: no amplification limit from the start (constants.amplification.limit).
  assert.is(server.connections[0].amplification.validated, true);
  assert.is(server.connections[0].handshakeState, 'established', 'before any 1-RTT packet of the client');
  const t = net.run(() => conn.handshakeState === 'confirmed' && server.connections[0]?.handshakeState === 'confirmed');
  assert.is(conn.handshakeState, 'confirmed');
  assert.is(t, 60, 'one round trip (20 ms) more than without a Retry');
  const [first, retry, second] = net.log;
  assert.is(first.from, 'C');
  assert.ok(isRetry(retry.data), 'the server answered with a Retry');
  const r = decodeRetryPacket(retry.data);
  const f = splitDatagram(first.data)[0], s = splitDatagram(second.data)[0];
  assert.ok(f.form === 'initial' && s.form === 'initial');
  assert.is(f.token.length, 0);
  assert.is(toHex(r.dcid), toHex(f.scid), 'the Retry goes to the client\'s SCID');
  assert.is.not(toHex(r.scid), toHex(f.dcid));
  assert.is(toHex(s.dcid), toHex(r.scid), 'the client\'s next Initial goes to the Retry\'s SCID');
  assert.is(toHex(s.token), toHex(r.retryToken), 'and carries the token');
  assert.ok(second.data.length >= 1200);
  // Every later client Initial carries the token too (protocol.retry.client).
  for (const d of net.log.slice(2).filter((d) => d.from === 'C')) {
    const pk = splitDatagram(d.data)[0];
    if (pk.form === 'initial') assert.is(toHex(pk.token), toHex(r.retryToken));
  }
  assert.is(server.stats.retrySent, 1);
  assert.is(server.stats.accepted, 1);
  assert.equal(events(conn).map((e) => e.type), ['connected', 'confirmed']);
});

test('without requireRetry the server validates the address only later (the mechanism above is what validated it)', () => {
  const { server, client, conn } = setup('rt-off', false);
  const net = new Net([client, server]);
  net.run(() => server.connections.length > 0, 1_000);
  assert.is(server.connections[0].amplification.validated, false);
  net.run(() => conn.handshakeState === 'confirmed');
  assert.is(server.stats.retrySent, 0);
  assert.ok(!net.log.some((d) => isRetry(d.data)));
});

test('a token-less first Initial leaves no state on a server that requires a Retry', () => {
  const { server, client } = setup('stateless');
  const first = client.pollTransmit(0)!.data;
  for (let i = 0; i < 5; i++) server.handleDatagram(i, 'C', first);
  let retries = 0;
  while (server.pollTransmit(5)) retries++;
  assert.is(retries, 5, 'a Retry for each');
  assert.is(server.connectionCount, 0);
  assert.is(server.routeCount, 0);
});

/** Drives one exchange by hand: the client's first Initial, the server's Retry, the client's Initial with the token. */
function withToken(seed: string) {
  const { server, client, conn } = setup(seed);
  const first = client.pollTransmit(0)!;
  server.handleDatagram(1, 'C', first.data);
  const retry = server.pollTransmit(1)!;
  assert.ok(isRetry(retry.data));
  client.handleDatagram(2, 'S', retry.data);
  const second = client.pollTransmit(2)!;
  const pk = splitDatagram(second.data)[0];
  assert.ok(pk.form === 'initial' && pk.token.length > 0);
  return { server, client, conn, second: second.data, retry: retry.data };
}

test('a token sent from another address is refused, not answered (protocol.retry.token)', () => {
  const { server, second } = withToken('other-addr');
  server.handleDatagram(3, 'A', second);
  assert.is(server.stats.tokenWrongAddress, 1);
  assert.is(server.connectionCount, 0);
  assert.is(server.pollTransmit(3), undefined, 'no Retry for a token that is there');
  server.handleDatagram(4, 'C', second); // the same datagram from its address is fine
  assert.is(server.stats.accepted, 1);
});

test('an expired token is refused; one within its lifetime is accepted (protocol.retry.token)', () => {
  const { server, second } = withToken('expired');
  server.handleDatagram(1 + LIFETIME + 1, 'C', second);
  assert.is(server.stats.tokenExpired, 1);
  assert.is(server.connectionCount, 0);
  assert.is(server.pollTransmit(1 + LIFETIME + 1), undefined);
  server.handleDatagram(1 + LIFETIME, 'C', second);
  assert.is(server.stats.accepted, 1);
});

test('a token that does not authenticate is refused and counted (protocol.retry.token)', () => {
  const { server, second } = withToken('forged-token');
  const pk = splitDatagram(second)[0];
  assert.ok(pk.form === 'initial');
  const tokenAt = pk.token.byteOffset - second.byteOffset;
  const forged = second.slice();
  forged[tokenAt + pk.token.length - 1] ^= 1; // the AEAD tag of the token
  server.handleDatagram(3, 'C', forged);
  assert.is(server.stats.tokenInvalid, 1);
  assert.is(server.connectionCount, 0);
  // A token from another server's key is no better.
  const other = new RetryTokens(p, seededRng(p, 'other'), new Uint8Array(32).fill(9));
  const t = other.seal(3, { address: 'C', originalDcid: new Uint8Array(8), retryScid: pk.dcid });
  assert.equal(new RetryTokens(p, seededRng(p, 'x'), new Uint8Array(32).fill(8)).open(3, t, 'C'), { ok: false, why: 'invalid' });
});

test('tokens: contents round-trip; expiry, address and tampering are told apart', () => {
  const k = new RetryTokens(p, seededRng(p, 'tok'), new Uint8Array(32).fill(1), 1000);
  const odcid = new Uint8Array(8).fill(0xaa), rscid = new Uint8Array(8).fill(0xbb);
  const t = k.seal(100, { address: '[2001:db8::1]:4433', originalDcid: odcid, retryScid: rscid });
  const r = k.open(1100, t, '[2001:db8::1]:4433');
  assert.ok(r.ok);
  assert.is(r.contents.issuedAt, 100);
  assert.is(toHex(r.contents.originalDcid), toHex(odcid));
  assert.is(toHex(r.contents.retryScid), toHex(rscid));
  assert.equal(k.open(1101, t, '[2001:db8::1]:4433'), { ok: false, why: 'expired' });
  assert.equal(k.open(99, t, '[2001:db8::1]:4433'), { ok: false, why: 'expired' });
  assert.equal(k.open(500, t, '[2001:db8::1]:4434'), { ok: false, why: 'wrong_address' });
  for (let i = 0; i < t.length; i++) {
    const f = t.slice();
    f[i] ^= 0x80;
    assert.equal(k.open(500, f, '[2001:db8::1]:4433'), { ok: false, why: 'invalid' }, `byte ${i}`);
  }
  assert.equal(k.open(500, t.subarray(0, 20), '[2001:db8::1]:4433'), { ok: false, why: 'invalid' });
  assert.throws(() => new RetryTokens(p, seededRng(p, 'tok'), new Uint8Array(16)), (e: Error) => e instanceof RangeError && /32 bytes/.test(e.message));
  assert.throws(() => new RetryTokens(p, seededRng(p, 'tok'), new Uint8Array(32), 0), RangeError);
});

test('a Retry with a forged integrity tag is ignored; with the right tag the client switches (protocol.retry.client)', () => {
  for (const forge of [true, false]) {
    const { client, conn } = setup(`forged-retry-${forge}`, false);
    const first = splitDatagram(client.pollTransmit(0)!.data)[0];
    assert.ok(first.form === 'initial');
    const retry = buildRetry(p, { dcid: first.scid, scid: new Uint8Array(8).fill(0x77), token: new Uint8Array([1, 2, 3]), originalDcid: first.dcid, unusedBits: 0 });
    if (forge) retry[retry.length - 1] ^= 1;
    client.handleDatagram(5, 'S', retry);
    // The client's next Initial (its probe) shows whether it took the Retry.
    let next: Uint8Array | undefined;
    for (let t = 5; !next && t < 5_000; t = client.pollTimeout() ?? 5_000) { client.handleTimeout(t); next = client.pollTransmit(t)?.data; }
    assert.ok(next, 'a datagram followed');
    const pk = splitDatagram(next)[0];
    assert.ok(pk.form === 'initial');
    if (forge) {
      assert.is(toHex(pk.dcid), toHex(first.dcid), 'forged: same DCID');
      assert.is(pk.token.length, 0, 'forged: no token');
    } else {
      assert.is(toHex(pk.dcid), '7777777777777777', 'genuine: the Retry\'s SCID');
      assert.is(toHex(pk.token), '010203');
    }
    assert.is(conn.state, 'handshaking');
  }
});

test('a second Retry is ignored and the handshake completes (protocol.retry.client)', () => {
  const { server, client, conn } = setup('second-retry');
  const net = new Net([client, server]);
  let retries = 0;
  let second: Uint8Array | undefined;
  net.drop = (d) => {
    if (!isRetry(d.data)) return false;
    retries++;
    // Make a second, genuine-looking Retry for the same connection attempt, with another SCID and token.
    const r = decodeRetryPacket(d.data);
    const f = splitDatagram(net.log[0].data)[0];
    second = buildRetry(p, { dcid: r.dcid, scid: new Uint8Array(8).fill(0x99), token: new Uint8Array([9]), originalDcid: f.dcid, unusedBits: 0 });
    return false;
  };
  net.run(() => retries === 1);
  net.run(() => conn.state === 'established' || false, 25);
  client.handleDatagram(net.now, 'S', second!);
  net.run(() => conn.handshakeState === 'confirmed' && server.connections[0]?.handshakeState === 'confirmed');
  assert.is(conn.handshakeState, 'confirmed');
  for (const d of net.log.filter((d) => d.from === 'C')) {
    const pk = splitDatagram(d.data)[0];
    if (pk.form === 'initial') assert.is.not(toHex(pk.dcid), '9999999999999999', 'never to the second Retry\'s SCID');
  }
  assert.is(server.stats.retrySent, 1);
});

test('a Retry injected by an attacker before a server that requires none: the client detects it in the transport parameters (protocol.retry.transport-parameters)', () => {
  const { server, client, conn } = setup('injected', false);
  const net = new Net([client, server]);
  const first = splitDatagram(client.pollTransmit(0)!.data)[0];
  assert.ok(first.form === 'initial');
  // The attacker saw the first Initial (and dropped it): its Retry has a valid tag.
  net.drop = (_d, i) => i === 0;
  client.handleDatagram(0, 'S', buildRetry(p, { dcid: first.scid, scid: new Uint8Array(8).fill(0x66), token: new Uint8Array([1]), originalDcid: first.dcid, unusedBits: 0 }));
  let closed: Extract<ConnectionEvent, { type: 'closed' }> | undefined;
  net.run(() => { for (const e of events(conn)) if (e.type === 'closed') closed = e; return closed !== undefined; }, 10_000);
  assert.ok(closed, 'the client closed');
  assert.is(closed.error?.code, ErrorCode.TRANSPORT_PARAMETER_ERROR);
  assert.match(closed.reason, 'original_destination_connection_id');
});

test('checkServerConnectionIds: every mismatch of RFC 9000 §7.3 is named (protocol.retry.transport-parameters)', () => {
  const a = new Uint8Array(8).fill(1), b = new Uint8Array(8).fill(2), s = new Uint8Array(8).fill(3);
  const tp = (o: object) => ({ initialSourceConnectionId: s, ...o }) as never;
  assert.is(checkServerConnectionIds(tp({ originalDestinationConnectionId: a }), { originalDcid: a, retryScid: undefined, serverScid: s }), undefined);
  assert.is(checkServerConnectionIds(tp({ originalDestinationConnectionId: a, retrySourceConnectionId: b }), { originalDcid: a, retryScid: b, serverScid: s }), undefined);
  assert.match(checkServerConnectionIds(tp({}), { originalDcid: a, retryScid: undefined, serverScid: s })!, 'original_destination');
  assert.match(checkServerConnectionIds(tp({ originalDestinationConnectionId: b }), { originalDcid: a, retryScid: undefined, serverScid: s })!, 'original_destination');
  assert.match(checkServerConnectionIds(tp({ originalDestinationConnectionId: a, retrySourceConnectionId: b }), { originalDcid: a, retryScid: undefined, serverScid: s })!, 'no Retry');
  assert.match(checkServerConnectionIds(tp({ originalDestinationConnectionId: a }), { originalDcid: a, retryScid: b, serverScid: s })!, 'retry_source');
  assert.match(checkServerConnectionIds(tp({ originalDestinationConnectionId: a, retrySourceConnectionId: a }), { originalDcid: a, retryScid: b, serverScid: s })!, 'retry_source');
  assert.match(checkServerConnectionIds(tp({ originalDestinationConnectionId: a }), { originalDcid: a, retryScid: undefined, serverScid: b })!, 'initial_source');
});

test('requireRetry needs a server, and the token key 32 bytes (RangeError naming the option)', () => {
  assert.throws(() => new Endpoint({ address: 'C', provider: p, rng: seededRng(p, 'x'), requireRetry: true }), (e: Error) => e instanceof RangeError && /requireRetry/.test(e.message));
  assert.throws(() => new Endpoint({ address: 'S', provider: p, rng: seededRng(p, 'x'), server: { staticKeys: [serverSecret] }, requireRetry: true, retryToken: { key: new Uint8Array(5) } }), (e: Error) => e instanceof RangeError && /retryToken.key/.test(e.message));
});

test.run();
