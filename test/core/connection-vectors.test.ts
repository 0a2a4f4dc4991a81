/**
 * The connection reproduces every committed datagram vector (conformance/vectors/handshake/
 * datagrams.json) byte for byte, on both providers: every datagram of the handshake on the wire,
 * its time and sender, including the retransmissions after lost flights.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider } from '../../src/crypto/index.ts';
import { runDatagramCase, type DatagramCaseInput, type DatagramCaseOutput } from '../../conformance/handshake/run-datagrams.ts';

const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../../conformance/vectors/handshake/datagrams.json', import.meta.url)), 'utf8')) as {
  cases: { id: string; input: DatagramCaseInput; expected: DatagramCaseOutput }[];
};

test('the datagram vectors cover every suite × group, a retry and lost flights', () => {
  assert.is(doc.cases.length, 7);
  assert.ok(doc.cases.some((c) => c.expected.datagrams.some((d) => d.lost)));
});

for (const [name, p] of [['node', nodeProvider], ['noble', nobleProvider]] as const) {
  test(`${name}: every datagram of every case, byte for byte`, () => {
    for (const c of doc.cases) {
      const got = runDatagramCase(p, c.input);
      assert.is(got.datagrams.length, c.expected.datagrams.length, `${c.id}: datagram count`);
      got.datagrams.forEach((d, i) => assert.equal(d, c.expected.datagrams[i], `${c.id}: datagram ${i}`));
      assert.equal(got, c.expected, c.id);
    }
  });
}

test.run();
