/**
 * Model-based test (fast-check `fc.commands`): random event sequences drive the hand-written
 * handshake runtime and the tables of spec/machines/handshake.yaml side by side; after every
 * event the runtime's step (next state, actions, error, and the guard that held) must equal the
 * table's. Each command brings a real input built to satisfy one guard
 * (conformance/machines/handshake-driver.ts), so guards are exercised, not assumed. Every
 * transition of both tables must be taken at least once per run.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import type { Step } from '../../src/core/handshake/index.ts';
import { ClientDriver, ServerDriver } from '../../conformance/machines/handshake-driver.ts';
import { MachineTable } from './machine-table.ts';

const RUNS = Number(process.env.JSP_MODEL_RUNS ?? 1000);
type Driver = ClientDriver | ServerDriver;
interface Model { state: string }
interface Real { driver: Driver; log: string[] }

const line = (state: string, event: string, guard: string | undefined, next: string) => `${state} --${event}${guard ? `[${guard}]` : ''}--> ${next}`;

/** One event; `pick` chooses among the guards the table declares where the command lands. */
class EventCommand implements fc.Command<Model, Real> {
  constructor(readonly table: MachineTable, readonly event: string, readonly pick: number) {}
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    const before = r.driver.state;
    assert.is(before, m.state, 'model and runtime states');
    // Only guards a genuine input can satisfy in this run (the driver knows what was offered).
    const guards = this.table.guardsOf(before, this.event).filter((g) => !('feasible' in r.driver) || r.driver.feasible(this.event, g));
    const guard = guards.length ? guards[this.pick % guards.length] : undefined;
    const step: Step = r.driver.apply(this.event, guard);
    const exp = this.table.expect(before, this.event, guard);
    r.log.push(line(before, this.event, guard, step.next));
    const got = { state: step.state, next: step.next, actions: [...step.actions], error: step.error, ignored: step.ignored, guard: step.guard };
    const want = { state: before, next: exp.next, actions: exp.actions, error: exp.error, ignored: exp.ignored, guard: exp.guard };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(`runtime and table disagree:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}\n  after ${r.log.join('\n        ')}`);
    }
    m.state = step.next;
  }
  toString(): string { return `${this.event}#${this.pick}`; }
}

for (const [machine, make, prefixes] of [
  ['client', () => new ClientDriver(p, `model ${Math.random()}`), ['idle', 'wait_hello', 'wait_hello_retried', 'wait_hello_resumed', 'established']],
  ['server', () => new ServerDriver(p, `model ${Math.random()}`), ['idle', 'wait_hello_retried', 'established']],
] as const) {
  const table = new MachineTable('handshake', machine);
  // Events that carry guards are weighted up: they are where the runtime decides.
  const commands = table.events.flatMap((e) => {
    const arb = fc.nat(99).map((k) => new EventCommand(table, e, k));
    const guarded = table.machine.transitions.some((t) => t.event === e && t.guard);
    return guarded ? [arb, arb, arb] : [arb];
  });
  test(`${machine} machine: runtime and table agree on ${RUNS} random event sequences (starting in ${prefixes.join(', ')})`, () => {
    const reached = new Set<string>();
    fc.assert(fc.property(fc.constantFrom(...prefixes), fc.commands(commands, { maxCommands: 7 }), (start, cmds) => {
      const real: Real = { driver: (make() as Driver).reach(start), log: [] };
      fc.modelRun(() => ({ model: { state: start }, real }), cmds);
      for (const l of real.log) reached.add(l);
    }), { numRuns: RUNS });
    for (const t of table.machine.transitions) {
      const l = line(t.state, t.event, t.guard, t.next);
      assert.ok(reached.has(l), `never exercised: ${l}`);
    }
  });
}

test.run();
