/**
 * Rate limits of the endpoint (protocol.limits.rate; issue #4 point 6): token buckets by packets
 * and by bytes for the whole endpoint and per connection, new handshakes per source address in
 * bounded memory; what is over a limit is dropped, counted in EndpointStats and reported as
 * coalesced `rate_limited` events. A flood of 10,000 Initials from 10,000 addresses keeps the
 * server's state bounded while a real client still connects.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint, TokenBucket, type Connection, type EndpointConfig, type EndpointEvent } from '../../src/core/connection/index.ts';
import { FramePlan, sealInitial } from '../../src/core/connection/assembler.ts';
import { defaultSourceOf, SourceLimiter } from '../../src/core/connection/rate-limit.ts';
import { initialKeys } from '../../src/core/protection/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { Net } from '../../conformance/handshake/net.ts';
import { Simulator } from '../../src/sim/index.ts';

const serverSecret = p.sha256(new TextEncoder().encode('rate test server'));
const serverKey = p.x25519.publicKey(serverSecret);
const server = (seed: string, o: Partial<EndpointConfig> = {}) => new Endpoint({ address: 'S', provider: p, rng: seededRng(p, seed), server: { staticKeys: [serverSecret] }, ...o });

function drainEvents(e: Endpoint): EndpointEvent[] {
  const out: EndpointEvent[] = [];
  for (let x = e.pollEvent(); x; x = e.pollEvent()) out.push(x);
  return out;
}

/** A well-formed client Initial (it decrypts) with a PING and padding, but no ClientHello. */
function forgedInitial(rng: (n: number) => Uint8Array): Uint8Array {
  const dcid = rng(8), scid = rng(8);
  const plan = new FramePlan(1000);
  plan.add({ type: 'ping', sequence: 0 });
  return sealInitial({ keys: initialKeys(p, dcid).client, dcid, scid, pn: 0, largestAcked: undefined, plan, padTo: 1200 });
}

test('TokenBucket: burst, then the rate; time is injected', () => {
  const b = new TokenBucket(10, 5, 1000);
  for (let i = 0; i < 5; i++) assert.ok(b.take(1000), `token ${i}`);
  assert.not.ok(b.take(1000), 'the burst is spent');
  assert.not.ok(b.take(1099));
  assert.ok(b.take(1100), 'one token per 100 ms');
  assert.not.ok(b.take(1100));
  assert.is(b.available(100_000), 5, 'never above the burst');
  assert.throws(() => new TokenBucket(0, 1, 0), RangeError);
  assert.throws(() => new TokenBucket(1, 0.5, 0), RangeError);
});

test('defaultSourceOf: the port is not part of the source', () => {
  assert.is(defaultSourceOf('10.0.0.1:4433'), '10.0.0.1');
  assert.is(defaultSourceOf('[2001:db8::1]:4433'), '[2001:db8::1]');
  assert.is(defaultSourceOf('2001:db8::1'), '2001:db8::1');
  assert.is(defaultSourceOf('C'), 'C');
});

test('endpoint limit by packets: what is over is dropped, counted, and reported once per sender (protocol.limits.rate)', () => {
  const s = server('ep-pk', { endpointRate: { packetsPerSecond: 10 } });
  for (let i = 0; i < 25; i++) s.handleDatagram(0, i < 20 ? 'A' : 'B', new Uint8Array(50).fill(0x41));
  assert.is(s.stats.rateLimitedEndpoint, 15);
  assert.is(s.stats.unroutable, 10, 'the first 10 went through');
  const ev = drainEvents(s);
  assert.equal(ev, [
    { type: 'rate_limited', scope: 'endpoint', from: 'A', datagrams: 10, bytes: 500, firstAt: 0, lastAt: 0 },
    { type: 'rate_limited', scope: 'endpoint', from: 'B', datagrams: 5, bytes: 250, firstAt: 0, lastAt: 0 },
  ]);
  s.handleDatagram(100, 'A', new Uint8Array(50));
  assert.is(s.stats.unroutable, 11, '100 ms later one more token');
  s.handleDatagram(100, 'A', new Uint8Array(50));
  assert.is(s.stats.rateLimitedEndpoint, 16);
  assert.equal(drainEvents(s).map((e) => [e.from, e.datagrams, e.firstAt]), [['A', 1, 100]], 'a new event after the last was polled');
});

test('endpoint limit by bytes: a burst of 64 KiB, then the rate', () => {
  const s = server('ep-bytes', { endpointRate: { bytesPerSecond: 12_000 } });
  for (let i = 0; i < 60; i++) s.handleDatagram(0, 'A', new Uint8Array(1200));
  assert.is(s.stats.unroutable, 54, '65,527 bytes of burst hold 54 datagrams of 1200');
  assert.is(s.stats.rateLimitedEndpoint, 6);
  s.handleDatagram(100, 'A', new Uint8Array(1200));
  assert.is(s.stats.unroutable, 55, '1200 bytes per 100 ms');
  assert.throws(() => server('bad', { endpointRate: { bytesPerSecond: -1 } }), (e: Error) => e instanceof RangeError && /endpointRate.bytesPerSecond/.test(e.message));
});

test('connection limit: datagrams of an established connection over its rate are dropped before the connection sees them (protocol.limits.rate)', () => {
  const s = server('conn-lim', { connectionRate: { packetsPerSecond: 100 } });
  const c = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, 'conn-lim/c') });
  const conn = c.connect(0, 'S', { serverKey });
  const net = new Net([c, s]);
  net.run(() => conn.handshakeState === 'confirmed');
  const sc = s.connections[0];
  const before = sc.amplification.received;
  const sent = net.log.filter((d) => d.from === 'C');
  const last = sent[sent.length - 1].data; // replayed: the connection drops it as a duplicate, but counts its bytes
  const t = net.now;
  for (let i = 0; i < 500; i++) s.handleDatagram(t, 'C', last);
  const passed = (sc.amplification.received - before) / last.length;
  assert.ok(passed >= 90 && passed <= 100, `${passed} passed: the burst of one second's rate, less what the handshake used`);
  assert.is(s.stats.rateLimitedConnection, 500 - passed);
  const ev = drainEvents(s);
  assert.is(ev.length, 1);
  assert.is(ev[0].scope, 'connection');
  assert.is(ev[0].from, 'C');
  assert.is(ev[0].datagrams, 500 - passed);
  assert.is(conn.state, 'established');
});

test('handshakes per source: the third from one host within a second is dropped; other hosts and later handshakes pass (protocol.limits.rate)', () => {
  const s = server('hs-src', { handshakeRate: { perSecond: 2, burst: 2 } });
  const rng = seededRng(p, 'hs-src/forged');
  // Real ClientHellos from three ports of one host, and one from another host.
  const clients = ['h:1', 'h:2', 'h:3', 'g:1'].map((a) => {
    const e = new Endpoint({ address: a, provider: p, rng: seededRng(p, `hs-src/${a}`) });
    e.connect(0, 'S', { serverKey });
    return e;
  });
  for (const e of clients) s.handleDatagram(0, e.address, e.pollTransmit(0)!.data);
  assert.is(s.stats.accepted, 3);
  assert.is(s.stats.rateLimitedHandshake, 1);
  assert.equal(drainEvents(s).map((e) => [e.scope, e.from, e.datagrams]), [['handshake', 'h:3', 1]]);
  s.handleDatagram(499, 'h:4', forgedInitial(rng));
  assert.is(s.stats.rateLimitedHandshake, 2, 'within the second');
  s.handleDatagram(500, 'h:4', forgedInitial(rng));
  assert.is(s.stats.rateLimitedHandshake, 2, 'a token back after 500 ms');
  assert.is(s.stats.unauthenticatedInitial, 1);
});

test('SourceLimiter keeps at most maxSources addresses, forgetting the least recently seen', () => {
  const l = new SourceLimiter({ perSecond: 1, maxSources: 100 });
  for (let i = 0; i < 10_000; i++) assert.ok(l.admit(0, `10.0.${i >> 8}.${i & 255}:1`));
  assert.is(l.size, 100);
  assert.not.ok(l.admit(0, '10.0.39.15:2'), 'a recent source is still limited'); // i = 9999
  assert.throws(() => new SourceLimiter({ perSecond: 1, maxSources: 0 }), (e: Error) => e instanceof RangeError && /maxSources/.test(e.message));
});

test('a flood of 10,000 Initials from 10,000 addresses: bounded state and events, and a real client still connects (protocol.limits.rate)', () => {
  const s = server('flood', { handshakeRate: { perSecond: 5, maxSources: 1000 }, endpointRate: { packetsPerSecond: 2000, burstSeconds: 0.5 } });
  const c = new Endpoint({ address: 'C', provider: p, rng: seededRng(p, 'flood/c') });
  const sim = new Simulator({ seed: 'flood' });
  sim.addEndpoint(c);
  sim.addEndpoint(s);
  sim.link('C', 'S', { delayMs: 10 });
  const rng = seededRng(p, 'flood/forged');
  const forged = Array.from({ length: 100 }, () => forgedInitial(rng)); // each sent 100 times, from other addresses
  const max = { connections: 0, routes: 0, sources: 0, events: 0 };
  let sent = 0;
  for (let i = 0; i < 10_000; i++) {
    // 10 per ms for one second: forged Initials that decrypt (a PING, no ClientHello) and, one in
    // seven, Initial-looking garbage of another version.
    sim.schedule(i / 10, (sim) => {
      s.handleDatagram(sim.now, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:4433`, i % 7 === 0 ? new Uint8Array(1200).fill(0xc3) : forged[i % 100]);
      sent++;
      max.connections = Math.max(max.connections, s.connectionCount);
      max.routes = Math.max(max.routes, s.routeCount);
      max.sources = Math.max(max.sources, s.trackedSources);
      max.events = Math.max(max.events, s.pendingEvents);
    });
  }
  let conn: Connection | undefined;
  sim.schedule(300, (sim) => { conn = c.connect(sim.now, 'S', { serverKey }); });
  const end = sim.run({ until: () => sent === 10_000 && conn?.handshakeState === 'confirmed', maxTime: 20_000 });
  assert.is(sent, 10_000);
  assert.ok(max.connections <= 1, `${max.connections} connections at most (the real one)`);
  assert.ok(max.routes <= 2, `${max.routes} routes at most`);
  assert.ok(max.sources <= 1000, `${max.sources} sources tracked at most`);
  assert.ok(max.events <= 64 + 1, `${max.events} pending events at most`);
  const st = s.stats;
  assert.ok(st.rateLimitedEndpoint > 6000, `${st.rateLimitedEndpoint} dropped by the endpoint limit`);
  assert.ok(st.unauthenticatedInitial > 2500, `${st.unauthenticatedInitial} forged Initials forgotten`);
  assert.ok(st.versionNegotiationSent > 300, `${st.versionNegotiationSent} Version Negotiation packets for the garbage`);
  const ev = drainEvents(s);
  assert.is(ev.length, max.events);
  const star = ev.find((e) => e.from === '*');
  assert.ok(star && star.scope === 'endpoint' && star.datagrams > 1000, 'the rest of the flood coalesced into one event');
  assert.is(ev.reduce((n, e) => n + e.datagrams, 0), st.rateLimitedEndpoint + st.rateLimitedHandshake, 'every drop is in an event');
  assert.is(conn?.handshakeState, 'confirmed', 'the real client connected');
  assert.ok(end.now < 5_000, `at ${end.now} ms`);
  assert.is(s.connectionCount, 1);
});

test.run();
