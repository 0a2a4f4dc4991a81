/**
 * The runtime reproduces every committed handshake vector (conformance/vectors/handshake): every
 * record byte for byte, every derived secret, and the side and error code of every negative case
 * and of every flipped byte. Both providers run the cases (so they agree byte for byte); the node
 * provider runs every flip and noble every 8th.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider } from '../../src/crypto/index.ts';
import { runCase, type CaseInput, type CaseOutput, type Edit } from '../../conformance/handshake/run-case.ts';

const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../../conformance/vectors/handshake/handshake.json', import.meta.url)), 'utf8')) as {
  cases: { id: string; input: CaseInput; edit?: Edit; expected: CaseOutput }[];
  flips: { id: string; base: string; record: number; expected: string[] }[];
};

test('the vector file has the cases the issue asks for', () => {
  const ids = doc.cases.map((c) => c.id);
  assert.is(ids.filter((i) => i.startsWith('full-')).length, 8, 'every suite × group × mode');
  for (const id of ['retry', 'no-common-suite', 'wrong-server-key', 'downgrade-stripped-suite', 'replayed-client-hello', 'truncated-client-hello-40']) assert.ok(ids.includes(id), id);
  assert.ok(doc.flips.reduce((n, f) => n + f.expected.length, 0) > 2000);
});

for (const [name, p] of [['node', nodeProvider], ['noble', nobleProvider]] as const) {
  test(`${name}: every case reproduces its records, states, failure and secrets`, () => {
    for (const c of doc.cases) {
      const got = runCase(p, c.input, c.edit);
      assert.equal(got, c.expected, c.id);
    }
  });

  test(`${name}: every flipped byte fails on the expected side with the expected code${name === 'noble' ? ' (every 8th byte)' : ''}`, () => {
    let n = 0;
    for (const f of doc.flips) {
      const base = doc.cases.find((c) => c.id === f.base)!;
      f.expected.forEach((want, byte) => {
        if (name === 'noble' && byte % 8 !== 0) return;
        const r = runCase(p, base.input, { record: f.record, op: 'flip', byte });
        assert.is(r.failure ? `${r.failure.side}:${r.failure.error}` : 'completed', want, `${f.id} byte ${byte}`);
        n++;
      });
    }
    assert.ok(n > (name === 'noble' ? 300 : 2900));
  });
}

test.run();
