/** Config builders: defaults, every setter validated with a message naming option, value and range; build-time cross checks. */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConnectionConfig, ServerConfig } from '../../src/node/config.ts';

const key = new Uint8Array(32).fill(1);
const throwsWith = (f: () => unknown, cls: ErrorConstructor, re: RegExp) =>
  assert.throws(f, (e: Error) => e instanceof cls && re.test(e.message), re.source);

test('defaults build, frozen, with the pinned key copied', () => {
  const k = key.slice();
  const c = ConnectionConfig.builder().serverKey(k).build();
  k[0] = 9;
  assert.is(c.serverKey[0], 1, 'the builder copied the key');
  assert.ok(Object.isFrozen(c));
  assert.is(c.idleTimeoutMs, 30_000);
  assert.equal(c.suites, ['chacha20_poly1305_sha256', 'aes_256_gcm_sha256']);
  assert.is(c.logLevel, 'silent');
  const s = ServerConfig.builder().staticKey(key).staticKey(key.map((b) => b + 1)).alpn(['jsp-demo']).build();
  assert.is(s.staticKeys.length, 2);
  assert.equal(s.alpn, ['jsp-demo']);
});

test('a bad value is a RangeError naming the option, the value and the allowed range', () => {
  const b = ConnectionConfig.builder();
  throwsWith(() => b.idleTimeoutMs(-1), RangeError, /^idleTimeoutMs: -1 is out of range; allowed: an integer in 0\.\.86400000 ms$/);
  throwsWith(() => b.maxStreamsBidi(1.5), RangeError, /maxStreamsBidi: 1\.5 is out of range; allowed: an integer in 0\.\.2251799813685248/);
  throwsWith(() => b.maxUdpPayloadSize(1000), RangeError, /maxUdpPayloadSize: 1000 .* 1200\.\.65527 bytes/);
  throwsWith(() => b.suites([]), RangeError, /suites: needs at least 1 entry/);
  throwsWith(() => b.suites(['rot13' as never]), RangeError, /suites: "rot13" is not allowed; allowed: "chacha20_poly1305_sha256", "aes_256_gcm_sha256"/);
  throwsWith(() => b.groups(['x25519', 'x25519']), RangeError, /groups: "x25519" is listed twice/);
  throwsWith(() => b.alpn(['']), RangeError, /alpn: "" is 0 bytes; allowed: 1\.\.255 bytes/);
  throwsWith(() => b.logLevel('loud' as never), RangeError, /logLevel: "loud" is not allowed; allowed: silent, error, warn, info, debug, trace/);
  throwsWith(() => b.serverKey(new Uint8Array(31)), RangeError, /serverKey: 31 bytes; allowed: exactly 32/);
});

test('the wrong type is a TypeError', () => {
  const b = ConnectionConfig.builder();
  throwsWith(() => b.idleTimeoutMs('30' as never), TypeError, /idleTimeoutMs: expected a number \(ms\), got string/);
  throwsWith(() => b.serverKey('abc' as never), TypeError, /serverKey: expected a Uint8Array of 32 bytes, got string/);
  throwsWith(() => ServerConfig.builder().requireClientAuth(1 as never), TypeError, /requireClientAuth: expected a boolean/);
});

test('build checks what needs several options, and required keys', () => {
  throwsWith(() => ConnectionConfig.builder().build(), TypeError, /serverKey: required/);
  throwsWith(() => ServerConfig.builder().build(), TypeError, /staticKey: required/);
  throwsWith(() => ConnectionConfig.builder().serverKey(key).idleTimeoutMs(1000).keepAliveIntervalMs(1000).build(), RangeError, /keepAliveIntervalMs: 1000 must be below idleTimeoutMs \(1000\)/);
  throwsWith(() => ConnectionConfig.builder().serverKey(key).maxStreamWindow(4096).initialMaxStreamData(8192).build(), RangeError, /initialMaxStreamData: 8192 is above maxStreamWindow \(4096\)/);
});

test('property: every integer setter accepts its whole range and refuses just outside it', () => {
  const cases: [string, number, number][] = [['idleTimeoutMs', 0, 86_400_000], ['handshakeTimeoutMs', 100, 600_000], ['maxStreamWindow', 1024, 1 << 30], ['maxDatagramFrameSize', 0, 65527]];
  for (const [name, min, max] of cases) {
    fc.assert(fc.property(fc.integer({ min, max }), (v) => {
      (ConnectionConfig.builder() as unknown as Record<string, (v: number) => unknown>)[name](v);
    }), { numRuns: 50 });
    for (const bad of [min - 1, max + 1]) throwsWith(() => (ConnectionConfig.builder() as unknown as Record<string, (v: number) => unknown>)[name](bad), RangeError, new RegExp(`^${name}: ${bad} is out of range`));
  }
});

test.run();
