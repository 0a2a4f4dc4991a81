/**
 * Builds the machine files (`kind: machine`, `spec/machines/*.yaml`) of the IR and checks that each
 * table is a well-formed state machine: every name it uses is declared, error codes exist, terminal
 * states have no transitions, every (state, event) pair is decided by exactly one row or by rows with
 * distinct guards, every state is reachable from the initial one, and every declared event, guard
 * and action is used (an event marked `always_invalid` is used by having no transition at all).
 */
import type * as ir from './ir.ts';
import { at, documented, errorAt, fileMeta, uniq, type RawFile } from './load-util.ts';

function buildTransition(raw: any): ir.Transition {
  return {
    state: raw.state, event: raw.event, ...(raw.guard !== undefined ? { guard: raw.guard } : {}), next: raw.next,
    actions: raw.actions ?? [], ...(raw.error !== undefined ? { error: raw.error } : {}),
    doc: raw.doc === undefined ? '' : String(raw.doc).trim(), req: documented({ doc: '', req: raw.req }).req,
  };
}

function buildMachine(f: RawFile, raw: any, mi: number, errorIds: Set<string>): ir.Machine {
  const where = (...p: Array<string | number>) => ['machines', mi, ...p];
  const m: ir.Machine = {
    id: raw.id, role: raw.role, initial: raw.initial, ...documented(raw),
    onInvalid: { next: raw.on_invalid.next, error: raw.on_invalid.error, req: documented({ doc: '', req: raw.on_invalid.req }).req },
    states: (raw.states as any[]).map((s) => ({ id: s.id, terminal: !!s.terminal, ...documented(s) })),
    events: (raw.events as any[]).map((e) => ({ id: e.id, alwaysInvalid: !!e.always_invalid, ...documented(e) })),
    guards: ((raw.guards ?? []) as any[]).map((g) => ({ id: g.id, ...documented(g) })),
    actions: ((raw.actions ?? []) as any[]).map((a) => ({ id: a.id, ...documented(a) })),
    transitions: (raw.transitions as any[]).map((t, ti) => at(f, where('transitions', ti), () => buildTransition(t))),
  };
  for (const key of ['states', 'events', 'guards', 'actions'] as const) uniq(m[key], f, `/machines/${mi}/${key}`);

  const states = new Map(m.states.map((s) => [s.id, s]));
  const events = new Map(m.events.map((e) => [e.id, e]));
  const guards = new Set(m.guards.map((g) => g.id));
  const actions = new Set(m.actions.map((a) => a.id));
  const state = (id: string, path: Array<string | number>) => {
    if (!states.has(id)) throw errorAt(f, path, `unknown state '${id}'`);
  };
  const error = (id: string, path: Array<string | number>) => {
    if (!errorIds.has(id)) throw errorAt(f, path, `unknown error code '${id}'`);
  };
  state(m.initial, where('initial'));
  state(m.onInvalid.next, where('on_invalid', 'next'));
  error(m.onInvalid.error, where('on_invalid', 'error'));

  // Every name a row uses is declared; terminal states have no rows.
  m.transitions.forEach((t, ti) => {
    const row = (k: string) => where('transitions', ti, k);
    state(t.state, row('state'));
    state(t.next, row('next'));
    if (states.get(t.state)!.terminal) throw errorAt(f, row('state'), `terminal state '${t.state}' cannot have transitions`);
    if (!events.has(t.event)) throw errorAt(f, row('event'), `unknown event '${t.event}'`);
    if (events.get(t.event)!.alwaysInvalid) throw errorAt(f, row('event'), `event '${t.event}' is always_invalid but has a transition`);
    if (t.guard !== undefined && !guards.has(t.guard)) throw errorAt(f, row('guard'), `unknown guard '${t.guard}'`);
    t.actions.forEach((a, ai) => {
      if (!actions.has(a)) throw errorAt(f, where('transitions', ti, 'actions', ai), `unknown action '${a}'`);
    });
    if (t.error !== undefined) error(t.error, row('error'));
  });

  // Each (state, event) pair: one unguarded row, or guarded rows with distinct guards — never both.
  const byPair = new Map<string, number[]>();
  m.transitions.forEach((t, ti) => {
    const key = `${t.state} ${t.event}`;
    byPair.set(key, [...(byPair.get(key) ?? []), ti]);
  });
  for (const rows of byPair.values()) {
    const first = m.transitions[rows[0]];
    const pair = `(${first.state}, ${first.event})`;
    const unguarded = rows.filter((ti) => m.transitions[ti].guard === undefined);
    if (unguarded.length && rows.length > 1) {
      const other = rows.find((ti) => ti !== unguarded[0])!;
      const what = m.transitions[other].guard === undefined ? 'a second unguarded transition' : `a guarded one ('${m.transitions[other].guard}')`;
      throw errorAt(f, where('transitions', other), `${pair} has an unguarded transition (row ${unguarded[0]}) and ${what}: give every row of the pair a distinct guard, or keep one row`);
    }
    const seen = new Map<string, number>();
    for (const ti of rows) {
      const g = m.transitions[ti].guard;
      if (g === undefined) continue;
      if (seen.has(g)) throw errorAt(f, where('transitions', ti, 'guard'), `${pair} has guard '${g}' twice (rows ${seen.get(g)} and ${ti})`);
      seen.set(g, ti);
    }
  }

  // Every state is reachable from the initial state (through rows, and through on_invalid from a
  // non-terminal state that has an event without a row).
  const reached = new Set([m.initial]);
  const queue = [m.initial];
  while (queue.length) {
    const s = queue.shift()!;
    if (states.get(s)!.terminal) continue;
    const nexts = m.transitions.filter((t) => t.state === s).map((t) => t.next);
    if (m.events.some((e) => !byPair.has(`${s} ${e.id}`))) nexts.push(m.onInvalid.next);
    for (const n of nexts) if (!reached.has(n)) { reached.add(n); queue.push(n); }
  }
  m.states.forEach((s, si) => {
    if (!reached.has(s.id)) throw errorAt(f, where('states', si), `state '${s.id}' is not reachable from the initial state '${m.initial}'`);
  });

  // Every declared event, guard and action is used.
  const used = (key: 'events' | 'guards' | 'actions', has: (id: string) => boolean) => {
    m[key].forEach((x, i) => {
      if (key === 'events' && (x as ir.MachineEvent).alwaysInvalid) return;
      const hint = key === 'events' ? ' (mark it always_invalid if no state accepts it)' : '';
      if (!has(x.id)) throw errorAt(f, where(key, i), `${key.slice(0, -1)} '${x.id}' is declared but no transition uses it${hint}`);
    });
  };
  used('events', (id) => m.transitions.some((t) => t.event === id));
  used('guards', (id) => m.transitions.some((t) => t.guard === id));
  used('actions', (id) => m.transitions.some((t) => t.actions.includes(id)));
  return m;
}

/** Every machine file, with machine ids unique across all of them (generated names derive from them). */
export function buildMachines(files: RawFile[], errorIds: Set<string>): ir.MachineFile[] {
  const owner = new Map<string, string>();
  return files.map((f) => {
    const machines = (f.data.machines as any[]).map((raw, mi) => at(f, ['machines', mi], () => buildMachine(f, raw, mi, errorIds)));
    machines.forEach((m, mi) => {
      if (owner.has(m.id)) throw errorAt(f, ['machines', mi, 'id'], `machine id '${m.id}' is already used in ${owner.get(m.id)}`);
      owner.set(m.id, f.path);
    });
    return { ...fileMeta(f), kind: 'machine', machines };
  });
}
