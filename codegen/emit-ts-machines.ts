/**
 * TypeScript emitter for machine files: `src/gen/machine-<file id>.ts`, one module per file of
 * `spec/machines/`. For each machine `m` (names prefixed with `Pascal(m)` / `UPPER(m)`): the
 * string-literal unions of its states, events, guards and actions (with their docs), the lists
 * of each, the initial state, the terminal set, the `on_invalid` rule, the transition table as
 * frozen data and the lookups `mTransition(state, event, guard?)` and `mGuards(state, event)`.
 */
import type { GeneratedFile } from './emit.ts';
import type { Machine, MachineFile, Spec, Transition } from './ir.ts';
import { docBlock, moduleDoc } from './emit-ts-common.ts';
import { camel, header, pascal, tsdoc, upper } from './naming.ts';

const str = (s: string) => `'${s}'`;
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The module of a machine file: `spec/machines/stream_send.yaml` (id `stream_send`) → `src/gen/machine-stream-send.ts`. */
export function machineModulePath(f: MachineFile): string {
  return `src/gen/machine-${f.id.replace(/_/g, '-')}.ts`;
}

/** A string-literal union type with a TSDoc listing each member's doc. */
function unionType(name: string, title: string, items: Array<{ id: string; doc: string; note?: string }>): string {
  const lines = [title, '', ...items.map((x) => `- \`${x.id}\`${x.note ? ` (${x.note})` : ''}: ${flat(x.doc)}`)];
  const type = items.length ? items.map((x) => str(x.id)).join(' | ') : 'never';
  return tsdoc(lines.join('\n')) + `export type ${name} = ${type};\n\n`;
}

function rowLiteral(P: string, t: Transition): string {
  const parts = [`state: ${str(t.state)}`, `event: ${str(t.event)}`];
  if (t.guard) parts.push(`guard: ${str(t.guard)}`);
  parts.push(`next: ${str(t.next)}`, `actions: [${t.actions.map(str).join(', ')}]`);
  if (t.error) parts.push(`error: ${str(t.error)}`);
  const doc = t.doc || t.req.length ? docBlock(t, '  ') : '';
  return `${doc}  row<${P}Transition>({ ${parts.join(', ')} }),\n`;
}

function machineCode(m: Machine): string {
  const P = pascal(m.id);
  const U = upper(m.id);
  const c = camel(m.id);
  const terminal = m.states.filter((s) => s.terminal).map((s) => s.id);
  const out: string[] = [];
  out.push(`// ───────────────────────────── ${m.id} (role: ${m.role}) ─────────────────────────────\n\n`);
  out.push(unionType(`${P}State`, `States of the \`${m.id}\` machine. ${flat(m.doc)}`,
    m.states.map((s) => ({ id: s.id, doc: s.doc, note: [s.id === m.initial ? 'initial' : '', s.terminal ? 'terminal' : ''].filter(Boolean).join(', ') }))));
  out.push(unionType(`${P}Event`, `Events of the \`${m.id}\` machine.`,
    m.events.map((e) => ({ id: e.id, doc: e.doc, note: e.alwaysInvalid ? 'always invalid' : '' }))));
  out.push(unionType(`${P}Guard`, `Guards of the \`${m.id}\` machine: outcomes of checking an event, exactly one of which holds.`, m.guards));
  out.push(unionType(`${P}Action`, `Actions of the \`${m.id}\` machine, run in the order a transition lists them.`, m.actions));

  const list = (name: string, type: string, what: string, ids: string[]) =>
    tsdoc(`Every ${what} of the \`${m.id}\` machine, in spec order.`) + `export const ${name}: readonly ${type}[] = Object.freeze([${ids.map(str).join(', ')}]);\n\n`;
  out.push(list(`${U}_STATES`, `${P}State`, 'state', m.states.map((s) => s.id)));
  out.push(list(`${U}_EVENTS`, `${P}Event`, 'event', m.events.map((s) => s.id)));
  out.push(list(`${U}_GUARDS`, `${P}Guard`, 'guard', m.guards.map((s) => s.id)));
  out.push(list(`${U}_ACTIONS`, `${P}Action`, 'action', m.actions.map((s) => s.id)));
  out.push(tsdoc(`The state the \`${m.id}\` machine starts in.`) + `export const ${U}_INITIAL: ${P}State = ${str(m.initial)};\n\n`);
  out.push(tsdoc(`Terminal states of the \`${m.id}\` machine: no transition leaves them and they ignore every event. Read-only.`));
  out.push(`export const ${U}_TERMINAL: ReadonlySet<${P}State> = new Set<${P}State>([${terminal.map(str).join(', ')}]);\n\n`);
  const onInvalidDoc = [`What the \`${m.id}\` machine does on an event that has no transition from a non-terminal state`,
    `(the lookup {@link ${c}Transition} returns undefined): it moves to \`${m.onInvalid.next}\` and fails with \`${m.onInvalid.error}\`,`,
    'reporting the role, the state and the event.'];
  if (m.onInvalid.req.length) onInvalidDoc.push('', ...m.onInvalid.req.map((r) => `- ${r.level} (\`${r.id}\`): ${flat(r.text)}`));
  out.push(tsdoc(onInvalidDoc.join('\n')));
  out.push(`export const ${U}_ON_INVALID: { readonly next: ${P}State; readonly error: ErrorCodeName } = Object.freeze({ next: ${str(m.onInvalid.next)}, error: ${str(m.onInvalid.error)} });\n\n`);

  out.push(tsdoc(`One row of the \`${m.id}\` table: in \`state\`, on \`event\` (when \`guard\` holds), run \`actions\` in order and move to \`next\`; with \`error\`, the machine fails with that transport error code.`));
  out.push(`export interface ${P}Transition {
  readonly state: ${P}State;
  readonly event: ${P}Event;
  readonly guard?: ${P}Guard;
  readonly next: ${P}State;
  readonly actions: readonly ${P}Action[];
  readonly error?: ErrorCodeName;
}\n\n`);
  out.push(tsdoc(`What a transition of the \`${m.id}\` machine does: the next state, the actions to run in order, and the error it fails with, if any.`));
  out.push(`export interface ${P}Step {
  readonly next: ${P}State;
  readonly actions: readonly ${P}Action[];
  readonly error?: ErrorCodeName;
}\n\n`);
  out.push(docBlock({ doc: `The transition table of the \`${m.id}\` machine (role ${m.role}), in spec order. ${flat(m.doc)}`, req: m.req }));
  out.push(`export const ${U}_TRANSITIONS: readonly ${P}Transition[] = Object.freeze([\n${m.transitions.map((t) => rowLiteral(P, t)).join('')}]);\n\n`);
  out.push(`const ${U}_BY_KEY: ReadonlyMap<string, ${P}Transition> = new Map(${U}_TRANSITIONS.map((t) => [key(t.state, t.event, t.guard), t]));\n\n`);
  out.push(tsdoc([
    `The transition of the \`${m.id}\` machine from \`state\` on \`event\` when \`guard\` holds (no guard for an unguarded row),`,
    `or undefined when the table has none: then, unless \`state\` is terminal (${terminal.map((s) => `\`${s}\``).join(', ')} ignore every event),`,
    `apply {@link ${U}_ON_INVALID}. {@link ${c}Guards} says which guards a (state, event) pair checks.`,
  ].join('\n')));
  out.push(`export function ${c}Transition(state: ${P}State, event: ${P}Event, guard?: ${P}Guard): ${P}Step | undefined {
  return ${U}_BY_KEY.get(key(state, event, guard));
}\n\n`);
  out.push(tsdoc(`The guards the \`${m.id}\` table checks for \`event\` in \`state\`, in spec order: empty when the pair has one unguarded row or none.`));
  out.push(`export function ${c}Guards(state: ${P}State, event: ${P}Event): readonly ${P}Guard[] {
  return ${U}_TRANSITIONS.filter((t) => t.state === state && t.event === event && t.guard !== undefined).map((t) => t.guard!);
}\n\n`);
  return out.join('');
}

export function emitTsMachines(_spec: Spec, f: MachineFile): GeneratedFile {
  const out: string[] = [header([f]), moduleDoc(f, `Machines: ${f.machines.map((m) => `\`${m.id}\``).join(', ')}.`)];
  out.push(`import type { ErrorCodeName } from './errors.ts';\n\n`);
  out.push(`/** Freezes a row and its action list. */
function row<T extends { readonly actions: readonly string[] }>(t: T): T {
  Object.freeze(t.actions);
  return Object.freeze(t);
}

/** The lookup key of a row. */
function key(state: string, event: string, guard: string | undefined): string {
  return guard === undefined ? \`\${state} \${event}\` : \`\${state} \${event} \${guard}\`;
}\n\n`);
  out.push(f.machines.map(machineCode).join(''));
  return { path: machineModulePath(f), content: out.join('').replace(/\n+$/, '\n') };
}
