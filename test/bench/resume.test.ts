/**
 * The resume bench: time to first byte in the simulator — a request in 0-RTT saves exactly one
 * round trip against a fresh handshake; a resumption without 0-RTT saves none (issue #6, "done when").
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { benchResume, timeToFirstByte } from '../../src/bench/resume.ts';

test('0-RTT answers one round trip sooner than a fresh handshake; 1-RTT resumption as soon as a fresh one', () => {
  for (const rtt of [20, 50, 100]) {
    const fresh = timeToFirstByte('fresh', rtt), resumed = timeToFirstByte('resumed', rtt), early = timeToFirstByte('0-rtt', rtt);
    assert.is(fresh, 2 * rtt, `fresh: handshake + request/answer, ${rtt} ms RTT`);
    assert.is(resumed, 2 * rtt);
    assert.is(early, rtt, '0-RTT: the answer comes back with the ServerHello');
  }
  const rows = benchResume();
  assert.is(rows.find((r) => r.unit === 'RTT')!.value, 1);
});

test.run();
