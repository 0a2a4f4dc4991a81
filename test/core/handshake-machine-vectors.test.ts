/**
 * Every state-machine vector of spec/machines/handshake.yaml (conformance/vectors/machines,
 * generated from the tables) against the hand-written runtime, on both providers: the driver
 * reaches the state by genuine events and applies the event with an input that satisfies the
 * guard (conformance/machines/handshake-driver.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider } from '../../src/crypto/index.ts';
import { handshakeDriver } from '../../conformance/machines/handshake-driver.ts';

const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../../conformance/vectors/machines/handshake.json', import.meta.url)), 'utf8')) as {
  numberOfTests: number;
  testGroups: { machine: string; tests: { tcId: number; state: string; event: string; guard?: string; result: string; next: string; actions: string[]; error?: string }[] }[];
};

for (const [name, p] of [['node', nodeProvider], ['noble', nobleProvider]] as const) {
  test(`${name}: the runtime takes every (state, event, guard) step the tables give`, () => {
    let n = 0;
    for (const g of doc.testGroups) {
      for (const t of g.tests) {
        const step = handshakeDriver(g.machine, p, `vector ${t.tcId}`).reach(t.state).apply(t.event, t.guard);
        const where = `${g.machine} #${t.tcId}: ${t.state} × ${t.event}${t.guard ? `[${t.guard}]` : ''}`;
        assert.is(step.next, t.next, where);
        assert.equal([...step.actions], t.actions, where);
        assert.is(step.error, t.error, where);
        assert.is(step.ignored === true, t.result === 'ignored', where);
        if (t.guard) assert.is(step.guard, t.guard, where);
        n++;
      }
    }
    assert.is(n, doc.numberOfTests);
  });
}

test.run();
