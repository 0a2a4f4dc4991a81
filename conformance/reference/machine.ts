/**
 * The reference interpreter of the state machines: reads the machine tables of the IR
 * (`codegen/load.ts`, never the generated TypeScript) and says what one event does. It is the
 * oracle the machine vectors are made with, and the generated lookups are checked against it.
 *
 * The rules it implements (docs/spec-language.md, "State machines"):
 * - a terminal state ignores every event: the state stays, no action, no error;
 * - otherwise the row of (state, event) with the given guard applies (no guard for a pair with
 *   one unguarded row): its next state, its actions in order, its error;
 * - otherwise, when the table has no row for (state, event), `on_invalid` applies: its next
 *   state and error, no action.
 *
 * @module
 */
import type { Machine } from '../../codegen/ir.ts';

/** What one event does to a machine. */
export interface Outcome {
  /** `transition`: a row applied; `invalid`: the pair has no row (on_invalid); `ignored`: a terminal state. */
  result: 'transition' | 'invalid' | 'ignored';
  next: string;
  actions: string[];
  error?: string;
}

/** The guards a (state, event) pair checks, in table order: empty for an unguarded row or no row. */
export function guardsOf(m: Machine, state: string, event: string): string[] {
  const out: string[] = [];
  for (const t of m.transitions) if (t.state === state && t.event === event && t.guard !== undefined) out.push(t.guard);
  return out;
}

/**
 * One step of `m`: `event` arrives in `state`, and `guard` is the outcome of checking it (give one
 * exactly when the pair checks guards). Throws on a name the machine does not declare, or on a
 * guard the pair does not check — a caller's mistake, not a protocol event.
 */
export function step(m: Machine, state: string, event: string, guard?: string): Outcome {
  const s = m.states.find((x) => x.id === state);
  if (!s) throw new Error(`${m.id}: no state '${state}'`);
  if (!m.events.some((e) => e.id === event)) throw new Error(`${m.id}: no event '${event}'`);
  if (guard !== undefined && !m.guards.some((g) => g.id === guard)) throw new Error(`${m.id}: no guard '${guard}'`);
  if (s.terminal) return { result: 'ignored', next: state, actions: [] };
  let rows = 0;
  for (const t of m.transitions) {
    if (t.state !== state || t.event !== event) continue;
    rows++;
    if (t.guard === guard) {
      return { result: 'transition', next: t.next, actions: [...t.actions], ...(t.error !== undefined ? { error: t.error } : {}) };
    }
  }
  if (rows === 0) return { result: 'invalid', next: m.onInvalid.next, actions: [], error: m.onInvalid.error };
  const checks = guardsOf(m, state, event);
  throw new Error(`${m.id}: (${state}, ${event}) checks ${checks.length ? `the guards ${checks.join(', ')}` : 'no guard'}; '${guard ?? '(none)'}' given`);
}

/** Runs a sequence of steps from the initial state; returns the states visited after each one. */
export function run(m: Machine, events: Array<{ event: string; guard?: string }>): Outcome[] {
  let state = m.initial;
  return events.map((e) => {
    const o = step(m, state, e.event, e.guard);
    state = o.next;
    return o;
  });
}
