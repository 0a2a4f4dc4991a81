/**
 * src/core/protection/key-phase.ts: 1-RTT protection between two endpoints in virtual time —
 * round trips on both suites and providers, replay, key update started by either side (with the
 * first packets of the new phase lost, and packets reordered across the change: old-phase ones
 * open until the deadline, not after), the KEY_UPDATE_ERROR cases, and the AEAD limits
 * (integrity: AEAD_LIMIT_REACHED over all keys; confidentiality: an update starts by itself, or
 * AEAD_LIMIT_REACHED when none can).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider, type CryptoProvider } from '../../src/crypto/index.ts';
import { KeyPhases, PacketKeys, protect, writePacketNumber, type KeyPhasesOptions } from '../../src/core/protection/index.ts';
import { KEY_UPDATE_MIN_PACKETS, SUITES, suiteById, type SuiteInfo } from '../../src/gen/crypto.ts';
import { AeadLimitReachedError, ErrorCode, KeyUpdateError, TransportError } from '../../src/gen/errors.ts';
import { toHex } from '../helpers.ts';

const providers: CryptoProvider[] = [nobleProvider, nodeProvider];
const seq = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const DCID = seq(8, 42);
const PN_OFFSET = 1 + DCID.length;
const RETENTION = 300; // "three PTOs", in the test's time unit

/** A short header with a 4-byte packet number (key phase bit left 0: KeyPhases sets it). */
function header(pn: number): Uint8Array {
  const h = new Uint8Array(PN_OFFSET + 4);
  h[0] = 0x40 | 0x03;
  h.set(DCID, 1);
  writePacketNumber(h, PN_OFFSET, pn, 4);
  return h;
}

/** One endpoint: its KeyPhases and its next packet number. */
class Endpoint {
  pn = 0;
  constructor(readonly name: string, readonly kp: KeyPhases) {}
  /** Protects a packet whose payload names the sender and packet number. */
  send(): { pn: number; packet: Uint8Array; phase: number } {
    const pn = this.pn++;
    const payload = new TextEncoder().encode(`${this.name} #${pn}`);
    const packet = this.kp.protect(header(pn), PN_OFFSET, pn, payload);
    return { pn, packet, phase: this.kp.keyPhase };
  }
  /** Opens a packet; requires it to open and carry `pn`. */
  receive(now: number, packet: { pn: number; packet: Uint8Array }, from: Endpoint) {
    const r = this.kp.open(now, packet.packet, PN_OFFSET);
    assert.ok(r.ok, `${this.name} failed to open ${from.name} #${packet.pn}: ${r.ok ? '' : r.reason}`);
    if (!r.ok) throw new Error('unreachable');
    assert.is(r.packetNumber, packet.pn);
    assert.is(new TextDecoder().decode(r.payload), `${from.name} #${packet.pn}`);
    return r;
  }
}

function pair(p: CryptoProvider, suite: SuiteInfo, o: Partial<KeyPhasesOptions> = {}) {
  const c = seq(32, 1), s = seq(32, 2);
  const base = { provider: p, suite, previousKeyRetention: RETENTION, handshakeConfirmed: true, ...o };
  return {
    client: new Endpoint('client', new KeyPhases({ ...base, sendSecret: c, receiveSecret: s })),
    server: new Endpoint('server', new KeyPhases({ ...base, sendSecret: s, receiveSecret: c })),
  };
}

/** a → b, and b acknowledges it (a learns of the ack). */
function deliverAndAck(now: number, a: Endpoint, b: Endpoint) {
  const pkt = a.send();
  const r = b.receive(now, pkt, a);
  a.kp.onPacketAcked(pkt.pn);
  return r;
}

function throwsTransport(f: () => unknown, cls: typeof KeyUpdateError | typeof AeadLimitReachedError, codeName: string): TransportError {
  try {
    f();
  } catch (e) {
    assert.instance(e, cls);
    assert.instance(e, TransportError);
    assert.is((e as TransportError).codeName, codeName);
    assert.is((e as TransportError).code, ErrorCode[codeName as keyof typeof ErrorCode]);
    return e as TransportError;
  }
  assert.unreachable(`expected ${codeName}`);
  throw new Error('unreachable');
}

for (const p of providers) {
  for (const suite of SUITES) {
    const T = (name: string, fn: () => void) => test(`${p.name} ${suite.id}: ${name}`, fn);

    T('round trips both ways at generation 0; the wire form opens with the plain packet functions too', () => {
      const { client, server } = pair(p, suite);
      for (let i = 0; i < 5; i++) {
        const r = server.receive(0, client.send(), client);
        assert.is(r.keyPhase, 0);
        assert.is(r.generation, 0);
        assert.not.ok(r.keyUpdated);
        client.receive(0, server.send(), server);
      }
      // the same bytes as protect() with the keys of client_1rtt_secret (nothing hidden in KeyPhases)
      const keys = PacketKeys.fromSecret(p, suite, seq(32, 1));
      const h = header(client.pn);
      const want = protect(keys, h, PN_OFFSET, client.pn, new TextEncoder().encode(`client #${client.pn}`));
      assert.is(toHex(client.send().packet), toHex(want));
    });

    // crypto.replay
    T('replay: an identical datagram is refused as a duplicate; one older than the window as too old', () => {
      const { client, server } = pair(p, suite, { replayWindow: 16 });
      const first = client.send();
      server.receive(0, first, client);
      const again = server.kp.open(0, first.packet, PN_OFFSET);
      assert.equal(again, { ok: false, reason: 'duplicate' });
      const held = client.send(); // pn 1, delivered late
      for (let i = 0; i < 20; i++) server.receive(0, client.send(), client);
      assert.equal(server.kp.open(0, held.packet, PN_OFFSET), { ok: false, reason: 'too_old' });
      assert.is(server.kp.failedOpens, 0, 'replays authenticate: they are not failed opens');
    });

    T('key update started by the client, then by the server, five rounds, with acknowledgements gating each', () => {
      const { client, server } = pair(p, suite);
      let now = 0;
      for (let round = 0; round < 5; round++) {
        const [a, b] = round % 2 === 0 ? [client, server] : [server, client];
        const gen = a.kp.sendGeneration;
        // nothing acknowledged under the current keys yet: no update
        if (round > 0) assert.not.ok(a.kp.initiateUpdate(), `round ${round}: before an ack`);
        deliverAndAck(now, a, b);
        assert.ok(KEY_UPDATE_MIN_PACKETS >= 1);
        assert.ok(a.kp.canInitiateUpdate());
        assert.ok(a.kp.initiateUpdate());
        assert.is(a.kp.sendGeneration, gen + 1);
        assert.not.ok(a.kp.initiateUpdate(), 'not again while unanswered');
        const first = a.send();
        assert.is(first.phase, (gen + 1) & 1);
        now += 10;
        const r = b.receive(now, first, a);
        assert.ok(r.keyUpdated);
        assert.is(r.generation, gen + 1);
        assert.is(b.kp.sendGeneration, gen + 1, 'the responder follows with its send keys');
        assert.is(b.kp.receiveGeneration, gen + 1);
        const reply = b.send();
        const rr = a.receive(now, reply, b);
        assert.ok(rr.keyUpdated, 'the initiator switches its receive keys on the reply');
        assert.is(a.kp.receiveGeneration, gen + 1);
        now += RETENTION + 1; // let previous keys go
        a.kp.handleTimeout(now);
        b.kp.handleTimeout(now);
      }
      assert.is(client.kp.sendGeneration, 5);
      assert.is(server.kp.receiveGeneration, 5);
    });

    T('the first N packets of the new phase are lost: the first that arrives switches the receiver', () => {
      const { client, server } = pair(p, suite);
      deliverAndAck(0, client, server);
      assert.ok(client.kp.initiateUpdate());
      for (let i = 0; i < 7; i++) client.send(); // lost
      const r = server.receive(5, client.send(), client);
      assert.ok(r.keyUpdated);
      assert.is(r.packetNumber, 8);
      server.receive(5, client.send(), client);
      client.receive(5, server.send(), server);
      assert.is(client.kp.receiveGeneration, 1);
    });

    T('reordering across the change: old-phase packets open with the previous keys until the deadline, not after', () => {
      const { client, server } = pair(p, suite);
      deliverAndAck(0, client, server); // pn 0
      const late = [client.send(), client.send(), client.send()]; // pn 1..3, old phase, delayed
      assert.ok(client.kp.initiateUpdate());
      const n1 = client.send(); // pn 4, new phase
      const r = server.receive(100, n1, client);
      assert.ok(r.keyUpdated);
      assert.is(server.kp.pollTimeout(), 100 + RETENTION);
      assert.ok(server.kp.hasPreviousKeys);
      // two of the delayed packets arrive within the deadline: previous keys
      for (const pkt of late.slice(0, 2)) {
        const o = server.receive(100 + RETENTION - 1, pkt, client);
        assert.is(o.generation, 0);
        assert.is(o.keyPhase, 0);
        assert.not.ok(o.keyUpdated);
      }
      // new-phase packets go on opening, in any order
      const n2 = client.send(), n3 = client.send();
      server.receive(150, n3, client);
      server.receive(150, n2, client);
      // the last delayed one arrives after the deadline: the previous keys are gone, it fails
      const o = server.kp.open(100 + RETENTION, late[2].packet, PN_OFFSET);
      assert.equal(o, { ok: false, reason: 'auth_failed' });
      assert.not.ok(server.kp.hasPreviousKeys);
      assert.is(server.kp.pollTimeout(), undefined);
      assert.is(server.kp.failedOpens, 1);
    });

    T('the deadline follows setPreviousKeyRetention (the PTO moved)', () => {
      const { client, server } = pair(p, suite);
      deliverAndAck(0, client, server);
      const late = client.send();
      client.kp.initiateUpdate();
      server.kp.setPreviousKeyRetention(40);
      server.receive(1000, client.send(), client);
      assert.is(server.kp.pollTimeout(), 1040);
      server.kp.handleTimeout(1039);
      assert.ok(server.kp.hasPreviousKeys);
      server.kp.handleTimeout(1040);
      assert.not.ok(server.kp.hasPreviousKeys);
      assert.equal(server.kp.open(1041, late.packet, PN_OFFSET), { ok: false, reason: 'auth_failed' });
    });

    // crypto.key-update-early
    T('KEY_UPDATE_ERROR: a key phase change before the handshake is confirmed (sticky)', () => {
      const { client, server } = pair(p, suite, { handshakeConfirmed: false });
      client.kp.confirmHandshake();
      assert.not.ok(server.kp.handshakeConfirmed);
      assert.not.ok(server.kp.initiateUpdate(), 'an unconfirmed endpoint does not update');
      deliverAndAck(0, client, server);
      assert.ok(client.kp.initiateUpdate());
      const pkt = client.send();
      const e = throwsTransport(() => server.kp.open(1, pkt.packet, PN_OFFSET), KeyUpdateError, 'KEY_UPDATE_ERROR');
      assert.match(e.message, /before the handshake was confirmed/);
      assert.is(server.kp.error, e);
      assert.throws(() => server.kp.open(2, client.send().packet, PN_OFFSET), (x: unknown) => x === e);
      assert.throws(() => server.send(), (x: unknown) => x === e);
    });

    T('KEY_UPDATE_ERROR: a packet opens under the previous keys with a number above one that opened under the current keys', () => {
      for (const evilPn of [2, 5]) {
        const { client, server } = pair(p, suite);
        deliverAndAck(0, client, server);
        client.kp.initiateUpdate();
        server.receive(10, client.send(), client); // pn 1, new phase: server switches, smallest current = 1
        // a misbehaving peer seals a higher number under the old (generation 0) keys
        const old = PacketKeys.fromSecret(p, suite, seq(32, 1));
        const evil = protect(old, header(evilPn), PN_OFFSET, evilPn, new TextEncoder().encode('old keys, new number'));
        const e = throwsTransport(() => server.kp.open(20, evil, PN_OFFSET), KeyUpdateError, 'KEY_UPDATE_ERROR');
        assert.match(e.message, new RegExp(`packet ${evilPn} opened under the previous keys after packet 1`));
      }
    });

    T('a forged packet of the other phase (next keys fail) is discarded and does not switch', () => {
      const { client, server } = pair(p, suite);
      deliverAndAck(0, client, server);
      const pkt = client.send();
      client.kp.initiateUpdate();
      const next = client.send();
      const forged = next.packet.slice();
      forged[forged.length - 1] ^= 1;
      assert.equal(server.kp.open(1, forged, PN_OFFSET), { ok: false, reason: 'auth_failed' });
      assert.is(server.kp.receiveGeneration, 0);
      assert.is(server.kp.sendGeneration, 0);
      server.receive(1, pkt, client);
      assert.ok(server.receive(1, next, client).keyUpdated);
    });

    // crypto.aead-limit
    T('integrity limit: AEAD_LIMIT_REACHED once the limit of failed opens is reached, counted over all keys', () => {
      const { client, server } = pair(p, suite, { integrityLimit: 4 });
      const bad = (pkt: { packet: Uint8Array }) => {
        const f = pkt.packet.slice();
        f[PN_OFFSET + 6] ^= 0x20;
        return f;
      };
      deliverAndAck(0, client, server);
      assert.equal(server.kp.open(0, bad(client.send()), PN_OFFSET), { ok: false, reason: 'auth_failed' });
      assert.equal(server.kp.open(0, bad(client.send()), PN_OFFSET), { ok: false, reason: 'auth_failed' });
      // a key update in between: the count goes on
      client.kp.initiateUpdate();
      server.receive(1, client.send(), client);
      assert.equal(server.kp.open(2, bad(client.send()), PN_OFFSET), { ok: false, reason: 'auth_failed' });
      assert.is(server.kp.failedOpens, 3);
      const e = throwsTransport(() => server.kp.open(3, bad(client.send()), PN_OFFSET), AeadLimitReachedError, 'AEAD_LIMIT_REACHED');
      assert.match(e.message, /4 packets failed authentication/);
      assert.throws(() => server.kp.open(4, client.send().packet, PN_OFFSET), (x: unknown) => x === e);
    });

    T('confidentiality limit: an update starts by itself at the threshold; the peer follows', () => {
      const { client, server } = pair(p, suite, { confidentialityLimit: 8 });
      assert.is(client.kp.updateThreshold, 6);
      for (let i = 0; i < 6; i++) deliverAndAck(0, client, server);
      assert.is(client.kp.sealedUnderCurrentKeys, 6);
      assert.is(client.kp.sendGeneration, 0);
      const r = deliverAndAck(0, client, server); // the 7th: sealed under new keys
      assert.is(client.kp.sendGeneration, 1);
      assert.is(client.kp.sealedUnderCurrentKeys, 1);
      assert.ok(r.keyUpdated);
      client.receive(0, server.send(), server);
      // and again, forever, as long as acknowledgements come
      for (let i = 0; i < 40; i++) {
        deliverAndAck(0, client, server);
        server.kp.onPacketAcked(server.pn - 1);
        client.receive(0, server.send(), server);
      }
      assert.ok(client.kp.sendGeneration >= 6);
      assert.ok(client.kp.sealedUnderCurrentKeys <= 8);
    });

    T('confidentiality limit: AEAD_LIMIT_REACHED when no update is possible (nothing acknowledged)', () => {
      const { client, server } = pair(p, suite, { confidentialityLimit: 8, updateThreshold: 3 });
      for (let i = 0; i < 8; i++) server.receive(0, client.send(), client); // no acks
      assert.is(client.kp.sealedUnderCurrentKeys, 8);
      const e = throwsTransport(() => client.send(), AeadLimitReachedError, 'AEAD_LIMIT_REACHED');
      assert.match(e.message, /confidentiality limit 8/);
      assert.throws(() => client.kp.open(0, server.send().packet, PN_OFFSET), (x: unknown) => x === e);
    });
  }
}

test('limits default to the suite table (AES-256-GCM: 2^23 sealed, 2^52 forged; ChaCha20-Poly1305: 2^62, 2^36)', () => {
  const mk = (id: 'aes_256_gcm_sha256' | 'chacha20_poly1305_sha256') => new KeyPhases({
    provider: nodeProvider, suite: suiteById(id), sendSecret: seq(32), receiveSecret: seq(32, 1), previousKeyRetention: 1,
  });
  const aes = mk('aes_256_gcm_sha256'), cc = mk('chacha20_poly1305_sha256');
  assert.is(aes.confidentialityLimit, 2 ** 23);
  assert.is(aes.integrityLimit, 2 ** 52);
  assert.is(aes.updateThreshold, 2 ** 23 - 2 ** 21);
  assert.is(cc.confidentialityLimit, 2 ** 62);
  assert.is(cc.integrityLimit, 2 ** 36);
  assert.not.ok(aes.handshakeConfirmed);
  assert.throws(() => mk('aes_256_gcm_sha256').protect(Uint8Array.of(0xc0, 1, 2, 3, 4, 5, 6), 5, 0, seq(10)), RangeError);
  assert.throws(() => new KeyPhases({ provider: nodeProvider, suite: SUITES[0], sendSecret: seq(32), receiveSecret: seq(32), previousKeyRetention: -1 }), RangeError);
  assert.throws(() => new KeyPhases({ provider: nodeProvider, suite: SUITES[0], sendSecret: seq(32), receiveSecret: seq(32), previousKeyRetention: 1, confidentialityLimit: 4, updateThreshold: 5 }), RangeError);
});

test('a packet too short to sample is discarded as too_short; wipe() ends the keys', () => {
  const { client, server } = pair(nodeProvider, SUITES[0]);
  const pkt = client.send();
  assert.equal(server.kp.open(0, pkt.packet.subarray(0, PN_OFFSET + 19), PN_OFFSET), { ok: false, reason: 'too_short' });
  server.receive(0, pkt, client);
  server.kp.wipe();
  server.kp.wipe();
  assert.throws(() => server.send(), TypeError);
});

test.run();
