/**
 * Running a scenario over many seeds, and replaying the one that failed.
 *
 * {@link forEachSeed} runs `fn` for seeds `${base}-0`, `${base}-1`, …; when one throws, the
 * error's message gains `[seed …] … replay with JSP_SIM_SEED=<seed>`. Setting the environment
 * variable `JSP_SIM_SEED` runs that one seed only (whatever the count and base), and
 * `JSP_SIM_TRACE=1` makes {@link traceFromEnv} print every event of the simulations that use it:
 *
 * ```sh
 * JSP_SIM_SEED=loss-417 JSP_SIM_TRACE=1 node --import tsx test/sim/scenarios.test.ts
 * ```
 *
 * The environment is read through `globalThis.process` when there is one (Node), so this module
 * still imports nothing from `node:*`; elsewhere the variables are simply absent.
 *
 * @module
 */
import { formatTraceEvent, type TraceFn } from './trace.ts';

/** The environment variable naming the one seed to run. */
export const SEED_ENV = 'JSP_SIM_SEED';
/** The environment variable that turns on {@link traceFromEnv}. */
export const TRACE_ENV = 'JSP_SIM_TRACE';

/** A variable of the host's environment, if the host has one (Node's `process.env`). */
export function envVar(name: string): string | undefined {
  const host = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const v = host.process?.env?.[name];
  return v === '' ? undefined : v;
}

/** Options of {@link forEachSeed}. */
export interface ForEachSeedOptions {
  /** Run only this seed (default: `JSP_SIM_SEED` from the environment; `null`: all seeds, whatever the environment). */
  only?: string | null;
}

/**
 * Runs `fn(seed, index)` for `count` seeds made from `base`, or only the seed in `JSP_SIM_SEED`.
 * A failure is rethrown with the seed and how to replay it in its message (an `Error` keeps its
 * class and stack so test runners still show assertion diffs). Returns the seeds that ran.
 */
export function forEachSeed(count: number, base: string, fn: (seed: string, index: number) => void, options: ForEachSeedOptions = {}): string[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`forEachSeed: count must be an integer ≥ 0, got ${count}`);
  const only = options.only === undefined ? envVar(SEED_ENV) : options.only;
  const seeds = typeof only === 'string' ? [only] : Array.from({ length: count }, (_, i) => `${base}-${i}`);
  seeds.forEach((seed, i) => {
    try {
      fn(seed, i);
    } catch (e) {
      throw withSeed(e, seed);
    }
  });
  return seeds;
}

/** The error `e` with the seed and the replay instruction in its message. */
export function withSeed(e: unknown, seed: string): Error {
  const note = `replay with ${SEED_ENV}=${seed}`;
  if (e instanceof Error) {
    if (e.message.includes(note)) return e;
    const old = e.message;
    e.message = `[seed ${seed}] ${old} — ${note}`;
    if (typeof e.stack === 'string' && old && e.stack.includes(old)) e.stack = e.stack.replace(old, e.message);
    return e;
  }
  return new Error(`[seed ${seed}] ${String(e)} — ${note}`, { cause: e });
}

/** A trace printer (one line per event, to `console.log`) when `JSP_SIM_TRACE` is set (and not `0`), else `undefined`. */
export function traceFromEnv(prefix = ''): TraceFn | undefined {
  const v = envVar(TRACE_ENV);
  if (v === undefined || v === '0') return undefined;
  return (e) => console.log(prefix + formatTraceEvent(e));
}
