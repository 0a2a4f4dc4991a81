/**
 * The connection lifecycle driver (conformance/machines/connection-driver.ts) on the vectors of
 * conformance/vectors/machines/connection.json, in process: every transition row of
 * spec/machines/connection.yaml and every event the terminal state ignores is driven through a real
 * client and server, and the step the runtime reported equals the vector's (conformance.machines.step);
 * every pair without a row is answered unsupported, with the reason; and the answer is the runtime's
 * own report, not the table's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectionDriver } from '../../conformance/machines/connection-driver.ts';
import { LIFECYCLE_TRANSITIONS } from '../../src/gen/machine-connection.ts';

interface Case { tcId: number; comment: string; state: string; event: string; guard?: string; result: 'transition' | 'invalid' | 'ignored'; next: string; actions: string[]; error?: string }
const root = fileURLToPath(new URL('../..', import.meta.url));
const cases = (JSON.parse(readFileSync(join(root, 'conformance/vectors/machines/connection.json'), 'utf8')) as { testGroups: { tests: Case[] }[] }).testGroups[0].tests;

test('every transition row and every terminal-ignored case passes through the driver', () => {
  const rows = new Set<string>();
  let ignored = 0;
  for (const c of cases.filter((x) => x.result !== 'invalid')) {
    const d = connectionDriver('lifecycle', `test ${c.tcId}`);
    assert.is(d.unsupported(c.state, c.event), undefined, `tcId ${c.tcId}: driven`);
    const s = d.reach(c.state, c.event, c.guard).apply(c.event, c.guard);
    assert.equal(
      { next: s.next, actions: [...s.actions], error: s.error, ignored: s.ignored === true },
      { next: c.next, actions: c.actions, error: c.error, ignored: c.result === 'ignored' },
      `tcId ${c.tcId}: ${c.comment}`,
    );
    // The steps the stimulus caused chain from the state reached to the connection's state now
    // (a datagram that is packet_received may go on to complete the handshake).
    let at = c.state;
    for (const step of d.subject.steps) {
      assert.is(step.state, at, `tcId ${c.tcId}: the steps chain`);
      at = step.next;
    }
    assert.is(d.subject.c.state, at, `tcId ${c.tcId}: the connection is where its steps led`);
    if (c.result === 'ignored') ignored++;
    else rows.add(`${s.state} ${s.event} ${s.guard ?? ''}`);
  }
  assert.is(rows.size, LIFECYCLE_TRANSITIONS.length, 'every row of the table was taken');
  assert.is(ignored, 14, 'closed ignores every event');
});

test('a pair without a row is unsupported, with the reason', () => {
  const invalid = cases.filter((x) => x.result === 'invalid');
  assert.is(invalid.length, 30);
  for (const c of invalid) {
    const why = connectionDriver('lifecycle').unsupported(c.state, c.event);
    assert.type(why, 'string', `tcId ${c.tcId}`);
    assert.match(why!, new RegExp(`^the runtime cannot be asked ${c.event} in ${c.state}: the pair has no row, and `));
    assert.not.match(why!, /no genuine input raises it there/, `tcId ${c.tcId}: a specific reason`);
  }
});

test("the answer is the runtime's report: with its observer silenced, a transition is an error, not a pass", () => {
  const d = connectionDriver('lifecycle').reach('established', 'local_close');
  d.subject.c.lifecycleObserver = undefined;
  assert.throws(() => d.apply('local_close'), /the runtime took no local_close step in established; it reported nothing and is closing/);
  assert.throws(() => connectionDriver('lifecycle').reach('nowhere', 'local_close'), /no path to state 'nowhere'/);
  assert.throws(() => connectionDriver('handshake'), /no connection machine 'handshake'/);
});

test.run();
