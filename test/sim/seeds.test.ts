/**
 * forEachSeed: runs the seeds in order, names the failing seed and how to replay it, and runs
 * only JSP_SIM_SEED when it is set (checked in a child process with the variable set).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forEachSeed, traceFromEnv, withSeed } from '../../src/sim/index.ts';

test('runs count seeds `${base}-${i}` in order and returns them', () => {
  const seen: [string, number][] = [];
  const seeds = forEachSeed(3, 'b', (s, i) => seen.push([s, i]), { only: null });
  assert.equal(seeds, ['b-0', 'b-1', 'b-2']);
  assert.equal(seen, [['b-0', 0], ['b-1', 1], ['b-2', 2]]);
  assert.throws(() => forEachSeed(-1, 'b', () => {}), RangeError);
});

test('a failure names its seed and the replay command, keeping the error class; later seeds do not run', () => {
  const seen: string[] = [];
  let err: unknown;
  try {
    forEachSeed(5, 'x', (s) => {
      seen.push(s);
      if (s === 'x-2') assert.is(1, 2, 'boom');
    }, { only: null });
  } catch (e) {
    err = e;
  }
  assert.equal(seen, ['x-0', 'x-1', 'x-2']);
  assert.instance(err, assert.Assertion);
  assert.is((err as Error).message, '[seed x-2] boom — replay with JSP_SIM_SEED=x-2');
  assert.ok((err as Error).stack!.includes('replay with JSP_SIM_SEED=x-2'));
  const wrapped = withSeed('a string', 's');
  assert.is(wrapped.message, '[seed s] a string — replay with JSP_SIM_SEED=s');
  assert.is(withSeed(wrapped, 's').message, wrapped.message, 'not annotated twice');
});

test('`only` runs exactly one seed', () => {
  const seen: string[] = [];
  assert.equal(forEachSeed(1000, 'y', (s) => seen.push(s), { only: 'y-417' }), ['y-417']);
  assert.equal(seen, ['y-417']);
});

test('JSP_SIM_SEED in the environment reruns exactly that seed; JSP_SIM_TRACE turns on traceFromEnv', () => {
  const src = fileURLToPath(new URL('../../src/sim/index.ts', import.meta.url));
  const script = `import { forEachSeed, traceFromEnv } from ${JSON.stringify(src)};
    console.log(JSON.stringify([forEachSeed(50, 'z', () => {}), typeof traceFromEnv()]));`;
  const run = (env: Record<string, string>) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, JSP_SIM_SEED: '', JSP_SIM_TRACE: '', ...env }, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  assert.equal(run({ JSP_SIM_SEED: 'z-31' }), [['z-31'], 'undefined']);
  assert.equal(run({ JSP_SIM_TRACE: '1' })[1], 'function');
  assert.is(run({})[0].length, 50);
  if (!process.env.JSP_SIM_TRACE) assert.is(traceFromEnv(), undefined);
});

test.run();
