/** The sim bench's transfer delivers every byte and reports sane numbers (the shape, not the speed). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simTransfer } from '../../src/bench/sim.ts';

test('a small transfer delivers every byte, in simulated seconds and measured CPU', () => {
  const t = simTransfer({ loss: 0.01, bytes: 200_000, streams: 4, seed: 'bench test' });
  assert.is(t.delivered, 200_000);
  assert.ok(t.seconds > 0.05 && t.seconds < 60, `${t.seconds} s`);
  assert.ok(t.cpuMs > 0);
  const again = simTransfer({ loss: 0.01, bytes: 200_000, streams: 4, seed: 'bench test' });
  assert.is(again.seconds, t.seconds, 'the simulated time is deterministic for a seed');
});

test.run();
