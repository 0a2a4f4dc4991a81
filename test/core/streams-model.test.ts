/**
 * Model-based test (fast-check `fc.commands`): random event sequences drive the hand-written
 * stream parts (src/core/streams) and the tables of spec/machines/stream-send.yaml and
 * stream-recv.yaml side by side; after every event the runtime's step (next state, actions,
 * error, and the guard that held) must equal the table's. Each command brings a real input built
 * to satisfy one guard (conformance/machines/stream-driver.ts), so guards are exercised, not
 * assumed. Every transition of both tables must be taken at least once per run, and every
 * state-machine vector (conformance/vectors/machines/stream_*.json) must hold against the runtime.
 *
 * Requirements: machines.stream-send.no-transition, machines.stream-send.stop-sending,
 * machines.stream-send.final-size, machines.stream-send.no-data-after-reset,
 * machines.stream-recv.final-size, machines.stream-recv.flow-limit,
 * machines.stream-recv.skip-monotonic.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecvDriver, SendDriver, streamDriver, type StreamDriver } from '../../conformance/machines/stream-driver.ts';
import { MachineTable } from './machine-table.ts';

const RUNS = Number(process.env.JSP_MODEL_RUNS ?? 1000);
interface Model { state: string }
interface Real { driver: StreamDriver; log: string[] }

const line = (state: string, event: string, guard: string | undefined, next: string) => `${state} --${event}${guard ? `[${guard}]` : ''}--> ${next}`;

/**
 * One event; `pick` chooses among the guards the table declares for it that the driver can build
 * now — three times in four among those that do not fail the part, so that sequences go deep.
 */
class EventCommand implements fc.Command<Model, Real> {
  constructor(readonly table: MachineTable, readonly event: string, readonly pick: number) {}
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    const before = r.driver.state;
    assert.is(before, m.state, 'model and runtime states');
    const declared = this.table.guardsOf(before, this.event);
    const guards = declared.filter((g) => r.driver.feasible(this.event, g));
    if (declared.length ? !guards.length : !r.driver.feasible(this.event)) return; // the input cannot be built here now
    const fine = guards.filter((g) => this.table.expect(before, this.event, g).error === undefined);
    const from = this.pick < 75 && fine.length ? fine : guards;
    const guard = from.length ? from[this.pick % from.length] : undefined;
    const step = r.driver.apply(this.event, guard);
    const exp = this.table.expect(before, this.event, guard);
    r.log.push(line(before, this.event, guard, step.next));
    const got = { state: step.state, next: step.next, actions: [...step.actions], error: step.error, ignored: step.ignored, guard: step.guard };
    const want = { state: before, next: exp.next, actions: exp.actions, error: exp.error, ignored: exp.ignored, guard: exp.guard };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(`runtime and table disagree:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}\n  after ${r.log.join('\n        ')}`);
    }
    if (step.error) assert.ok((r.driver as SendDriver | RecvDriver).stream.error?.codeName === step.error, 'the part keeps the error it failed with');
    m.state = step.next;
  }
  toString(): string { return `${this.event}#${this.pick}`; }
}

const MACHINES = [
  ['stream-send', 'send_stream', ['ready', 'send', 'data_sent', 'reset_sent']],
  ['stream-recv', 'recv_stream', ['recv', 'size_known', 'data_recvd', 'reset_recvd']],
] as const;

for (const [file, machine, prefixes] of MACHINES) {
  const table = new MachineTable(file, machine);
  const commands = table.events.flatMap((e) => {
    const arb = fc.nat(99).map((k) => new EventCommand(table, e, k));
    const guarded = table.machine.transitions.some((t) => t.event === e && t.guard);
    return guarded ? [arb, arb, arb] : [arb];
  });

  test(`${machine}: runtime and table agree on ${RUNS} random event sequences (starting in ${prefixes.join(', ')})`, () => {
    const reached = new Set<string>();
    fc.assert(fc.property(fc.constantFrom(...prefixes), fc.commands(commands, { maxCommands: 20, size: 'max' }), (start, cmds) => {
      const real: Real = { driver: streamDriver(machine).reach(start), log: [] };
      fc.modelRun(() => ({ model: { state: start }, real }), cmds);
      for (const l of real.log) reached.add(l);
    }), { numRuns: RUNS });
    for (const t of table.machine.transitions) {
      const l = line(t.state, t.event, t.guard, t.next);
      assert.ok(reached.has(l), `never exercised: ${l}`);
    }
  });

  test(`${machine}: every state-machine vector holds against the runtime (reached by genuine events)`, () => {
    const doc = JSON.parse(readFileSync(fileURLToPath(new URL(`../../conformance/vectors/machines/${file.replace('-', '_')}.json`, import.meta.url)), 'utf8')) as {
      numberOfTests: number;
      testGroups: { machine: string; tests: { tcId: number; state: string; event: string; guard?: string; result: string; next: string; actions: string[]; error?: string }[] }[];
    };
    let n = 0;
    for (const g of doc.testGroups) {
      for (const t of g.tests) {
        const d = streamDriver(g.machine).reach(t.state);
        const where = `${g.machine} #${t.tcId}: ${t.state} × ${t.event}${t.guard ? `[${t.guard}]` : ''}`;
        assert.ok(d.feasible(t.event, t.guard), `${where}: the driver can build the input`);
        const step = d.apply(t.event, t.guard);
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
