/**
 * The machine tables of spec/machines/*.yaml as the model-based tests use them: loaded by the
 * spec loader (the IR, not the generated code) and stepped by the reference interpreter
 * (conformance/reference/machine.ts) — the same oracle the state-machine vectors are made with.
 */
import type { Machine } from '../../codegen/ir.ts';
import { loadSpec } from '../../codegen/load.ts';
import { guardsOf, step } from '../../conformance/reference/machine.ts';

/** What the table says a step must be. `guard` is the guard the input was built to satisfy. */
export interface Expected { next: string; actions: string[]; error?: string; ignored?: boolean; guard?: string }

let spec: ReturnType<typeof loadSpec> | undefined;

export class MachineTable {
  readonly machine: Machine;

  constructor(file: string, id: string) {
    spec ??= loadSpec();
    const m = spec.machines.find((f) => f.id === file.replace(/-/g, '_'))?.machines.find((x) => x.id === id);
    if (!m) throw new Error(`no machine ${id} in spec/machines/${file}.yaml`);
    this.machine = m;
  }

  get initial(): string { return this.machine.initial; }
  get events(): string[] { return this.machine.events.map((e) => e.id); }

  /** The guards the table declares for (state, event); empty when unguarded or no transition. */
  guardsOf(state: string, event: string): string[] {
    return guardsOf(this.machine, state, event);
  }

  expect(state: string, event: string, guard: string | undefined): Expected {
    const o = step(this.machine, state, event, guard);
    if (o.result === 'ignored') return { next: o.next, actions: [], ignored: true };
    return { next: o.next, actions: o.actions, error: o.error, guard: o.result === 'transition' ? guard : undefined };
  }
}
