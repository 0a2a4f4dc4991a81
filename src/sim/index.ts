/**
 * The network simulator (DESIGN.md "Sans-IO core"): several sans-IO endpoints on a virtual
 * clock that jumps to the next event, joined by one-way links with seeded impairments — delay,
 * jitter, loss, duplication, reordering, bit corruption, a bandwidth bottleneck with a
 * tail-dropping queue, and an MTU. A run is reproducible from its seed.
 *
 * - **Endpoints** (`endpoint.ts`): {@link SimEndpoint}, the quinn-proto-style interface
 *   (`handleDatagram`, `pollTransmit`, `pollTimeout`, `handleTimeout`) that
 *   `src/core/connection`'s `Endpoint` implements.
 * - **Simulator** (`simulator.ts`): {@link Simulator} — endpoints, links, scheduled calls, an
 *   intercept hook, and {@link Simulator.run} until a condition, quiescence, a time or a step
 *   budget.
 * - **Links** (`link.ts`): {@link LinkConfig} and per-direction {@link LinkStats}.
 * - **Randomness** (`prng.ts`): {@link Prng}, xoshiro128** seeded from a string, forked per link.
 * - **Traces** (`trace.ts`): {@link TraceEvent}, {@link formatTraceEvent}, {@link TraceDigest}.
 * - **Seeds** (`seeds.ts`): {@link forEachSeed} and replaying one seed with `JSP_SIM_SEED`.
 *
 * Like `src/core`, nothing here imports `node:*`, reads a clock, sets a timer or draws global
 * randomness (test/sim/no-node-imports.test.ts enforces it).
 *
 * @module
 */
export type { Address, Datagram, SimEndpoint } from './endpoint.ts';
export { Link, resolveLinkConfig, type LinkConfig, type LinkCopy, type LinkDropReason, type LinkOutcome, type LinkStats } from './link.ts';
export { Prng } from './prng.ts';
export { EventQueue, type Timed } from './queue.ts';
export { envVar, forEachSeed, SEED_ENV, TRACE_ENV, traceFromEnv, withSeed, type ForEachSeedOptions } from './seeds.ts';
export {
  Simulator,
  type InterceptFn,
  type RunOptions,
  type RunResult,
  type SimStats,
  type SimulatorOptions,
  type StopReason,
} from './simulator.ts';
export { formatTraceEvent, TraceDigest, type DropReason, type TraceEvent, type TraceFn } from './trace.ts';
