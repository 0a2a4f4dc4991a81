/**
 * The state-machine vectors (`conformance/vectors/machines/*.json`, codegen/README.md
 * "State-machine vectors"): the committed files are exactly what `npm run vectors:machines` makes
 * from the tables now; they cover every (state, event) pair of every machine with every guard it
 * checks; the reference interpreter (conformance/reference/machine.ts) gives every expected outcome;
 * and the GENERATED TypeScript lookups (`src/gen/machine-*.ts`) agree with it on every case
 * (`machines.handshake.no-transition`: an event without a row is on_invalid's error).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec, ROOT } from '../../codegen/load.ts';
import { camel, upper } from '../../codegen/naming.ts';
import { machineModulePath } from '../../codegen/emit-ts-machines.ts';
import type { Machine } from '../../codegen/ir.ts';
import { guardsOf, run, step } from '../../conformance/reference/machine.ts';
import { MACHINE_VECTORS_DIR, machineVectorFile, type MachineCase } from '../../conformance/reference/machine-vectors.ts';

const spec = loadSpec();

interface VectorFile {
  schema: string;
  specFile: string;
  specSha256: string;
  numberOfTests: number;
  testGroups: Array<{ machine: string; onInvalid: { next: string; error: string }; terminal: string[]; tests: MachineCase[] }>;
}
const committed = (id: string) => JSON.parse(readFileSync(join(ROOT, MACHINE_VECTORS_DIR, `${id}.json`), 'utf8')) as VectorFile;

test('the committed vector files are exactly what the tool writes from the tables now, one per machine file', () => {
  assert.equal(readdirSync(join(ROOT, MACHINE_VECTORS_DIR)).sort(), spec.machines.map((f) => `${f.id}.json`).sort());
  for (const f of spec.machines) {
    const { name, text } = machineVectorFile(f);
    assert.ok(readFileSync(join(ROOT, MACHINE_VECTORS_DIR, name), 'utf8') === text, `${MACHINE_VECTORS_DIR}/${name} is stale: run npm run vectors:machines`);
    assert.equal(machineVectorFile(f).text, text, 'deterministic');
    const v = committed(f.id);
    assert.is(v.schema, 'machine_vectors_v1');
    assert.is(v.specFile, f.path);
    assert.is(v.specSha256, f.sha256);
    assert.is(v.numberOfTests, v.testGroups.reduce((a, g) => a + g.tests.length, 0));
    assert.equal(v.testGroups.flatMap((g) => g.tests.map((t) => t.tcId)), Array.from({ length: v.numberOfTests }, (_, i) => i + 1));
  }
});

test('every (state, event) pair of every machine is a case, once per guard it checks', () => {
  for (const f of spec.machines) {
    const v = committed(f.id);
    for (const m of f.machines) {
      const g = v.testGroups.find((x) => x.machine === m.id)!;
      assert.ok(g, `${f.id}: group ${m.id}`);
      const seen = new Set(g.tests.map((t) => `${t.state} ${t.event} ${t.guard ?? ''}`));
      let expected = 0;
      for (const s of m.states) for (const e of m.events) {
        const guards = s.terminal ? [] : guardsOf(m, s.id, e.id);
        for (const guard of guards.length ? guards : [undefined]) {
          expected++;
          assert.ok(seen.has(`${s.id} ${e.id} ${guard ?? ''}`), `${m.id}: (${s.id}, ${e.id}, ${guard}) has a case`);
        }
      }
      assert.is(g.tests.length, expected, `${m.id}: no extra cases`);
      // Every row of the table is exercised.
      for (const t of m.transitions) assert.ok(g.tests.some((c) => c.state === t.state && c.event === t.event && c.guard === t.guard && c.result === 'transition'), `${m.id}: row ${t.state}/${t.event}/${t.guard}`);
    }
  }
});

test('the reference interpreter gives every expected outcome; invalid cases cite the no-transition requirement', () => {
  for (const f of spec.machines) for (const g of committed(f.id).testGroups) {
    const m = f.machines.find((x) => x.id === g.machine)!;
    for (const c of g.tests) {
      const o = step(m, c.state, c.event, c.guard);
      assert.equal({ result: o.result, next: o.next, actions: o.actions, error: o.error }, { result: c.result, next: c.next, actions: c.actions, error: c.error }, `tcId ${c.tcId}: ${c.comment}`);
      if (c.result === 'invalid') {
        assert.equal([c.next, c.error], [m.onInvalid.next, m.onInvalid.error]);
        if (f.id === 'handshake') assert.ok(c.reqs.includes('machines.handshake.no-transition'), `tcId ${c.tcId} cites machines.handshake.no-transition`);
      }
      if (c.result === 'ignored') assert.ok(g.terminal.includes(c.state) && c.next === c.state && !c.actions.length && c.error === undefined);
    }
  }
});

test('the reference interpreter refuses names the machine does not declare and guards a pair does not check', () => {
  const m = spec.machines.find((f) => f.id === 'handshake')!.machines.find((x) => x.id === 'client')!;
  assert.throws(() => step(m, 'nowhere', 'connect'), /no state 'nowhere'/);
  assert.throws(() => step(m, 'idle', 'nothing'), /no event 'nothing'/);
  assert.throws(() => step(m, 'idle', 'connect', 'ok'), /checks no guard; 'ok' given/);
  assert.throws(() => step(m, 'wait_hello', 'server_hello'), /checks the guards ok, malformed/);
  // A whole handshake: connect, then a good ServerHello, then HANDSHAKE_DONE; after that, everything is ignored.
  const path = run(m, [{ event: 'connect' }, { event: 'server_hello', guard: 'ok' }, { event: 'handshake_done' }, { event: 'peer_close' }]);
  assert.equal(path.map((o) => [o.result, o.next]), [['transition', 'wait_hello'], ['transition', 'established'], ['transition', 'confirmed'], ['ignored', 'confirmed']]);
});

/** The generated module's API for one machine, found by the names the emitter gives. */
function generated(mod: Record<string, any>, m: Machine) {
  return {
    transition: mod[`${camel(m.id)}Transition`] as (s: string, e: string, g?: string) => { next: string; actions: readonly string[]; error?: string } | undefined,
    guards: mod[`${camel(m.id)}Guards`] as (s: string, e: string) => readonly string[],
    terminal: mod[`${upper(m.id)}_TERMINAL`] as ReadonlySet<string>,
    onInvalid: mod[`${upper(m.id)}_ON_INVALID`] as { next: string; error: string },
    initial: mod[`${upper(m.id)}_INITIAL`] as string,
    table: mod[`${upper(m.id)}_TRANSITIONS`] as readonly object[],
  };
}

test('the generated TypeScript lookups agree with the reference interpreter on every case', async () => {
  let cases = 0;
  for (const f of spec.machines) {
    const mod = await import(pathToFileURL(join(ROOT, machineModulePath(f))).href);
    for (const g of committed(f.id).testGroups) {
      const m = f.machines.find((x) => x.id === g.machine)!;
      const api = generated(mod, m);
      assert.is(api.initial, m.initial);
      assert.equal([...api.terminal].sort(), g.terminal.slice().sort());
      assert.equal({ ...api.onInvalid }, g.onInvalid);
      assert.ok(Object.isFrozen(api.table) && api.table.every((r) => Object.isFrozen(r)), 'the table is frozen');
      for (const c of g.tests) {
        cases++;
        const ref = step(m, c.state, c.event, c.guard);
        const row = api.transition(c.state, c.event, c.guard);
        assert.equal([...api.guards(c.state, c.event)], guardsOf(m, c.state, c.event), `tcId ${c.tcId}: guards`);
        let got;
        if (api.terminal.has(c.state)) {
          assert.is(row, undefined, `tcId ${c.tcId}: a terminal state has no row`);
          got = { result: 'ignored', next: c.state, actions: [] as string[], error: undefined };
        } else if (row === undefined) {
          got = { result: 'invalid', next: api.onInvalid.next, actions: [] as string[], error: api.onInvalid.error };
        } else {
          got = { result: 'transition', next: row.next, actions: [...row.actions], error: row.error };
        }
        assert.equal(got, { result: ref.result, next: ref.next, actions: ref.actions, error: ref.error }, `tcId ${c.tcId}: ${c.comment}`);
      }
    }
  }
  assert.ok(cases > 50, `${cases} cases`);
});

test.run();
