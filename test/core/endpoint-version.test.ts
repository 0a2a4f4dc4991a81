/**
 * Version negotiation at the endpoint (packets.version.unknown, protocol.versions.negotiation;
 * RFC 9000 §6): a server answers a long header of another version in a datagram of at least 1200
 * bytes with a Version Negotiation packet listing its versions, and drops smaller ones; a client
 * abandons its attempt with VERSION_MISMATCH naming the server's versions, and discards a
 * Version Negotiation packet that lists its own version or does not echo its connection IDs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, splitDatagram, type Connection, type ConnectionEvent } from '../../src/core/connection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { VERSION_1 } from '../../src/gen/constants.ts';
import { ErrorCode } from '../../src/gen/errors.ts';
import { decodeVersionNegotiationPacket, encodeVersionNegotiationPacket } from '../../src/gen/packets.ts';
import { Net } from '../../conformance/handshake/net.ts';
import { toHex } from '../helpers.ts';

const serverSecret = p.sha256(new TextEncoder().encode('version test server'));
const serverKey = p.x25519.publicKey(serverSecret);
const server = (seed = 'vs') => new Endpoint({ address: 'S', provider: p, rng: seededRng(p, seed), server: { staticKeys: [serverSecret] } });
const client = (seed = 'vc') => new Endpoint({ address: 'C', provider: p, rng: seededRng(p, seed) });

/** A long header of `version` with the given connection IDs, padded to `size` bytes. */
function longHeader(version: number, dcid: Uint8Array, scid: Uint8Array, size: number): Uint8Array {
  const d = new Uint8Array(size);
  d[0] = 0xc0;
  new DataView(d.buffer).setUint32(1, version);
  d[5] = dcid.length; d.set(dcid, 6);
  d[6 + dcid.length] = scid.length; d.set(scid, 7 + dcid.length);
  return d;
}

function events(c: Connection): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let e = c.pollEvent(); e; e = c.pollEvent()) out.push(e);
  return out;
}

test('server: another version in a 1200-byte datagram gets a Version Negotiation packet listing version 1, connection IDs swapped (packets.version.unknown)', () => {
  const s = server();
  const dcid = new Uint8Array(30).fill(0xd1), scid = new Uint8Array(5).fill(0x5c); // invariants allow IDs over 20 bytes
  s.handleDatagram(0, 'X:1', longHeader(0x1a2a3a4a, dcid, scid, 1200));
  const t = s.pollTransmit(0);
  assert.ok(t, 'an answer');
  assert.is(t.to, 'X:1');
  assert.is(t.data[0] & 0x80, 0x80);
  const vn = decodeVersionNegotiationPacket(t.data);
  assert.is(toHex(vn.dcid), toHex(scid));
  assert.is(toHex(vn.scid), toHex(dcid));
  assert.equal(vn.supportedVersions, [VERSION_1]);
  assert.ok(t.data.length < 1200, 'smaller than what it answers: no amplification');
  assert.is(s.pollTransmit(0), undefined);
  assert.is(s.stats.versionNegotiationSent, 1);
  assert.is(s.connectionCount, 0, 'no state kept');
});

test('server: another version in a datagram under 1200 bytes, and a Version Negotiation packet, are dropped unanswered', () => {
  const s = server();
  s.handleDatagram(0, 'X', longHeader(0x1a2a3a4a, new Uint8Array(8), new Uint8Array(8), 1199));
  s.handleDatagram(0, 'X', encodeVersionNegotiationPacket({ unused: 0, dcid: new Uint8Array(8), scid: new Uint8Array(8), supportedVersions: [0x1a2a3a4a] }));
  assert.is(s.pollTransmit(0), undefined);
  assert.is(s.stats.versionNegotiationSent, 0);
  assert.is(s.stats.unknownVersionDropped, 1);
});

/** A client's first Initial and the Version Negotiation packet answering it with `versions`. */
function firstFlight(seed: string, versions: number[]) {
  const c = client(seed);
  const conn = c.connect(0, 'S', { serverKey });
  const initial = c.pollTransmit(0)!;
  const [pkt] = splitDatagram(initial.data);
  if (pkt.form !== 'initial') throw new Error(`a ${pkt.form} packet, not an Initial`);
  const vn = encodeVersionNegotiationPacket({ unused: 0x2a, dcid: pkt.scid, scid: pkt.dcid, supportedVersions: versions });
  return { c, conn, initial, pkt, vn };
}

test('client: a Version Negotiation packet without version 1 abandons the attempt with VERSION_MISMATCH naming the server\'s versions (protocol.versions.negotiation)', () => {
  const { c, conn, vn } = firstFlight('vn-fail', [0x0a0a0a0a, 0xff00001d]);
  c.handleDatagram(10, 'S', vn);
  const ev = events(conn);
  assert.is(ev.length, 1);
  const closed = ev[0] as Extract<ConnectionEvent, { type: 'closed' }>;
  assert.is(closed.type, 'closed');
  assert.is(closed.error?.code, ErrorCode.VERSION_MISMATCH);
  assert.match(closed.reason, '0x0a0a0a0a');
  assert.match(closed.reason, '0xff00001d');
  assert.is(conn.state, 'closed');
  assert.is(c.pollTransmit(10), undefined, 'nothing is sent to a server that does not speak our version');
  assert.is(c.pollTimeout(), undefined);
  assert.is(c.connectionCount, 0, 'the endpoint forgot the connection');
});

test('client: a Version Negotiation packet that lists version 1, or does not echo the connection IDs, is discarded; the handshake then completes (packets.version.unknown)', () => {
  for (const bad of ['lists-v1', 'wrong-scid', 'wrong-dcid'] as const) {
    const { c, conn, initial, pkt, vn } = firstFlight(`vn-${bad}`, bad === 'lists-v1' ? [0x0a0a0a0a, VERSION_1] : [0x0a0a0a0a]);
    let d = vn;
    if (bad === 'wrong-scid') d = encodeVersionNegotiationPacket({ unused: 0, dcid: pkt.scid, scid: new Uint8Array(8).fill(7), supportedVersions: [0x0a0a0a0a] });
    if (bad === 'wrong-dcid') d = encodeVersionNegotiationPacket({ unused: 0, dcid: new Uint8Array(8).fill(7), scid: pkt.dcid, supportedVersions: [0x0a0a0a0a] });
    c.handleDatagram(5, 'S', d);
    assert.is(conn.state, 'handshaking', bad);
    assert.equal(events(conn), [], bad);
    // The real server still gets the first flight and the handshake completes.
    const s = server(`vn-${bad}-s`);
    const net = new Net([c, s]);
    s.handleDatagram(5, 'C', initial.data);
    net.run(() => conn.handshakeState === 'confirmed', 10_000);
    assert.is(conn.handshakeState, 'confirmed', bad);
  }
});

test('client: a Version Negotiation packet after the server\'s first Initial is discarded', () => {
  const s = server('vn-late-s');
  const { c, conn, vn } = firstFlight('vn-late', [0x0a0a0a0a]);
  const net = new Net([c, s]);
  net.run(() => conn.state === 'established', 10_000);
  c.handleDatagram(net.now, 'S', vn);
  assert.is(conn.state, 'established');
  net.run(() => conn.handshakeState === 'confirmed', 10_000);
  assert.is(conn.handshakeState, 'confirmed');
});

test('both ways over the simulator: the server answers each Initial of another version; the client discards Version Negotiation that lists its own version (packets.version.unknown)', () => {
  const s = server('vn-sim-s');
  const c = client('vn-sim-c');
  const conn = c.connect(0, 'S', { serverKey });
  const net = new Net([c, s]);
  // The client's datagrams arrive with their version changed to one the server does not speak
  // (as from a client of another version): the server's answer lists version 1, which the
  // client chose, so the client must discard it and carry on (RFC 9000 §6.2).
  const sHandle = s.handleDatagram.bind(s);
  s.handleDatagram = (now, from, data) => {
    const d = data.slice();
    if (d[0] & 0x80) new DataView(d.buffer).setUint32(1, 0x0a0a0a0a);
    sHandle(now, from, d);
  };
  net.run(() => false, 3_500);
  const vns = net.log.filter((d) => d.from === 'S');
  assert.ok(vns.length >= 2, `${vns.length} answers: the first flight and its probe`);
  for (const d of vns) assert.equal(decodeVersionNegotiationPacket(d.data).supportedVersions, [VERSION_1]);
  assert.is(s.stats.versionNegotiationSent, vns.length);
  assert.is(s.stats.accepted, 0);
  assert.is(conn.state, 'handshaking', 'the client discarded every one');
  assert.equal(events(conn), []);
});

test.run();
