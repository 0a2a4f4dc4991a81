/**
 * The tables of spec/machines/*.yaml read straight from the YAML (not from generated code), and
 * the expected step of a (state, event, guard): the oracle of the model-based tests.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

interface Transition { state: string; event: string; guard?: string; next: string; actions?: string[]; error?: string }
interface Machine {
  id: string;
  initial: string;
  on_invalid: { next: string; error: string };
  states: { id: string; terminal?: boolean }[];
  events: { id: string }[];
  guards?: { id: string }[];
  transitions: Transition[];
}

/** What the table says a step must be. `guard` is the guard the input was built to satisfy. */
export interface Expected { next: string; actions: string[]; error?: string; ignored?: boolean; guard?: string }

export class MachineTable {
  readonly machine: Machine;
  constructor(file: string, id: string) {
    const doc = parse(readFileSync(fileURLToPath(new URL(`../../spec/machines/${file}.yaml`, import.meta.url)), 'utf8'));
    const m = (doc.machines as Machine[]).find((x) => x.id === id);
    if (!m) throw new Error(`no machine ${id} in ${file}.yaml`);
    this.machine = m;
  }

  get initial(): string { return this.machine.initial; }
  get events(): string[] { return this.machine.events.map((e) => e.id); }

  isTerminal(state: string): boolean {
    return this.machine.states.some((s) => s.id === state && s.terminal === true);
  }

  /** The guards the table declares for (state, event); empty when unguarded or no transition. */
  guardsOf(state: string, event: string): string[] {
    return this.machine.transitions.filter((t) => t.state === state && t.event === event && t.guard).map((t) => t.guard!);
  }

  expect(state: string, event: string, guard: string | undefined): Expected {
    if (this.isTerminal(state)) return { next: state, actions: [], ignored: true };
    const ts = this.machine.transitions.filter((t) => t.state === state && t.event === event);
    if (ts.length === 0) return { next: this.machine.on_invalid.next, actions: [], error: this.machine.on_invalid.error };
    const t = ts.length === 1 && !ts[0].guard ? ts[0] : ts.find((x) => x.guard === guard);
    if (!t) throw new Error(`table has no guard '${guard}' for ${this.machine.id} ${state} × ${event}`);
    return { next: t.next, actions: t.actions ?? [], error: t.error, guard: t.guard };
  }
}
