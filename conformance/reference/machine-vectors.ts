/**
 * Builds the state-machine vectors (`conformance/vectors/machines/<file id>.json`, format
 * `machine_vectors_v1`, codegen/README.md "State-machine vectors") from the IR with the reference
 * interpreter (`./machine.ts`). `npm run vectors:machines` writes them; the tests check the
 * committed files are what this produces now, so they never drift from the tables.
 *
 * For every machine, every state and every event (spec order): a terminal state gives one
 * `ignored` case; a pair with rows gives one `transition` case per row (its guard, if any); a pair
 * without rows gives one `invalid` case (on_invalid).
 *
 * @module
 */
import type { Machine, MachineFile, Req } from '../../codegen/ir.ts';
import { step } from './machine.ts';

export const MACHINE_VECTORS_DIR = 'conformance/vectors/machines';

export interface MachineCase {
  tcId: number;
  comment: string;
  flags: string[];
  state: string;
  event: string;
  guard?: string;
  result: 'transition' | 'invalid' | 'ignored';
  next: string;
  actions: string[];
  error?: string;
  reqs: string[];
}

const NOTES: Record<string, string> = {
  Unguarded: 'The only row of its (state, event) pair: no guard is checked.',
  Guarded: 'One of the rows of its (state, event) pair, selected by the guard given (the outcome of checking the event).',
  Fails: 'The row fails the machine with a transport error code.',
  NoTransition: 'The pair has no row: on_invalid applies (its next state and error, no action).',
  AlwaysInvalid: 'The event is declared always_invalid: no state accepts it.',
  TerminalIgnored: 'A terminal state ignores every event: the state stays, no action, no error.',
};

const ids = (reqs: Req[]) => reqs.map((r) => r.id);

/** The requirement ids a case exercises: those of every element it touches. */
function reqsOf(f: MachineFile, m: Machine, c: Omit<MachineCase, 'tcId' | 'reqs'>): string[] {
  const out = new Set<string>();
  const state = m.states.find((s) => s.id === c.state)!;
  for (const r of ids(state.req)) out.add(r);
  if (c.result === 'ignored') return [...out].sort();
  for (const r of ids(m.events.find((e) => e.id === c.event)!.req)) out.add(r);
  if (c.result === 'invalid') {
    // A machine file's own requirements (meta.req) and on_invalid's are its rules for events without a row.
    for (const r of [...ids(f.req), ...ids(m.onInvalid.req)]) out.add(r);
    return [...out].sort();
  }
  for (const r of ids(m.req)) out.add(r);
  if (c.guard) for (const r of ids(m.guards.find((g) => g.id === c.guard)!.req)) out.add(r);
  for (const a of c.actions) for (const r of ids(m.actions.find((x) => x.id === a)!.req)) out.add(r);
  const row = m.transitions.find((t) => t.state === c.state && t.event === c.event && t.guard === c.guard)!;
  for (const r of ids(row.req)) out.add(r);
  return [...out].sort();
}

/** Every case of one machine, numbered from `firstTcId`. */
export function machineCases(f: MachineFile, m: Machine, firstTcId: number): MachineCase[] {
  const out: MachineCase[] = [];
  const push = (c: Omit<MachineCase, 'tcId' | 'reqs'>) => out.push({ tcId: firstTcId + out.length, ...c, reqs: reqsOf(f, m, c) });
  for (const s of m.states) {
    for (const e of m.events) {
      if (s.terminal) {
        const o = step(m, s.id, e.id);
        push({ comment: `${m.id}: ${s.id} (terminal) ignores ${e.id}`, flags: ['TerminalIgnored'], state: s.id, event: e.id, ...o });
        continue;
      }
      const rows = m.transitions.filter((t) => t.state === s.id && t.event === e.id);
      if (!rows.length) {
        const o = step(m, s.id, e.id);
        push({ comment: `${m.id}: ${e.id} in ${s.id} has no transition`, flags: e.alwaysInvalid ? ['NoTransition', 'AlwaysInvalid'] : ['NoTransition'], state: s.id, event: e.id, ...o });
        continue;
      }
      for (const t of rows) {
        const o = step(m, s.id, e.id, t.guard);
        const flags = [t.guard === undefined ? 'Unguarded' : 'Guarded', ...(o.error ? ['Fails'] : [])];
        push({
          comment: `${m.id}: ${e.id}${t.guard ? ` [${t.guard}]` : ''} in ${s.id} → ${o.next}`, flags, state: s.id, event: e.id,
          ...(t.guard !== undefined ? { guard: t.guard } : {}), ...o,
        });
      }
    }
  }
  return out;
}

/** Key order of a case in the file: what is sent first, then what is expected. */
const CASE_KEYS: Array<keyof MachineCase> = ['tcId', 'comment', 'flags', 'state', 'event', 'guard', 'result', 'next', 'actions', 'error', 'reqs'];

/** The text of the vector file of a machine file: pretty at the top, one case per line. */
export function machineVectorFile(f: MachineFile): { name: string; text: string; cases: number } {
  let tcId = 1;
  const groups = f.machines.map((m) => {
    const cases = machineCases(f, m, tcId);
    tcId += cases.length;
    return { m, cases };
  });
  const used = new Set(groups.flatMap((g) => g.cases.flatMap((c) => c.flags)));
  const notes = Object.keys(NOTES).filter((k) => used.has(k)).sort().map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(NOTES[k])}`);
  const body = groups.map(({ m, cases }) => {
    const head = { machine: m.id, role: m.role, initial: m.initial, terminal: m.states.filter((s) => s.terminal).map((s) => s.id), onInvalid: { next: m.onInvalid.next, error: m.onInvalid.error } };
    const lines = cases.map((c) => `    {${CASE_KEYS.filter((k) => c[k] !== undefined).map((k) => `${JSON.stringify(k)}: ${JSON.stringify(c[k])}`).join(', ')}}`);
    const headText = Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ');
    return `  {${headText}, "tests": [\n${lines.join(',\n')}\n  ]}`;
  });
  const total = tcId - 1;
  const text = `{\n "schema": "machine_vectors_v1",\n "specFile": ${JSON.stringify(f.path)},\n "specSha256": ${JSON.stringify(f.sha256)},\n`
    + ` "numberOfTests": ${total},\n "notes": {\n${notes.join(',\n')}\n },\n "testGroups": [\n${body.join(',\n')}\n ]\n}\n`;
  return { name: `${f.id}.json`, text, cases: total };
}
