/**
 * A server endpoint never throws on what arrives from the network: random datagrams, and
 * Initial-looking ones with a wrong version or connection IDs out of range, are dropped and
 * counted; only a well-formed first Initial makes a connection.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { Endpoint } from '../../src/core/connection/index.ts';
import { seededRng } from '../../src/core/rng.ts';

const server = () => new Endpoint({ address: 'S', provider: p, rng: seededRng(p, 'robust'), server: { staticKeys: [new Uint8Array(32).fill(3)] } });

function initialLike(o: { version?: number; dcidLength: number; scidLength?: number; size?: number }): Uint8Array {
  const d = new Uint8Array(o.size ?? 1300);
  d[0] = 0xc3;
  new DataView(d.buffer).setUint32(1, o.version ?? 0x4a535001);
  d[5] = o.dcidLength;
  d[6 + o.dcidLength] = o.scidLength ?? 8;
  return d;
}

test('Initial-looking datagrams with a connection ID over 20 bytes, under 8, or another version make no connection', () => {
  const s = server();
  for (const d of [
    initialLike({ dcidLength: 188 }), initialLike({ dcidLength: 21 }), initialLike({ dcidLength: 4 }),
    initialLike({ dcidLength: 8, scidLength: 200 }), initialLike({ dcidLength: 8, version: 0x0a0a0a0a }),
  ]) s.handleDatagram(0, 'X', d);
  assert.is(s.stats.accepted, 0);
  assert.is(s.connections.length, 0);
});

test('random datagrams (any bytes, lengths 0..1500, Initial-like or not) never throw (fast-check)', () => {
  const s = server();
  fc.assert(fc.property(fc.uint8Array({ maxLength: 1500 }), fc.boolean(), (bytes, longHeader) => {
    const d = bytes.slice();
    if (longHeader && d.length > 0) d[0] |= 0xc0;
    s.handleDatagram(0, 'X', d);
    s.handleTimeout(1);
    while (s.pollTransmit(1)) { /* drain */ }
  }), { numRuns: 2000 });
});

test.run();
