/**
 * The page of a machine file (`machines-<id>.md`): for each machine its diagram (drawn from the
 * table, `docs/spec/diagrams/`), the full transition table, the on_invalid rule, and its states,
 * events, guards and actions with their docs and requirements.
 */
import type { Machine, MachineFile } from './ir.ts';
import { anchor, cell, code, heading, inline, link, prose, reqList, table, TO_ROOT, type DocsCtx, type Page } from './emit-docs-md.ts';
import { machineDiagram } from './emit-docs-diagrams.ts';
import { errorLink } from './emit-docs-wire.ts';
import type { MachineVectorFile } from './emit-docs-sources.ts';

/** `handshake` → `machines-handshake.md`. */
export function machinePageName(f: MachineFile): string {
  return `machines-${f.id.replace(/_/g, '-')}.md`;
}

/** Anchor of a state, event, guard or action of a machine: `client-state-idle`. */
export const elementAnchor = (m: Machine, kind: 'state' | 'event' | 'guard' | 'action', id: string) => `${m.id}-${kind}-${id}`;

function machineSection(ctx: DocsCtx, page: string, f: MachineFile, m: Machine): string {
  const ref = (kind: 'state' | 'event' | 'guard' | 'action', id: string) => link(code(id), `#${elementAnchor(m, kind, id)}`);
  let b = '\n' + heading(2, m.id, `Machine ${code(m.id)} (role: ${inline(m.role)})`) + prose(m.doc);
  if (m.req.length) b += '\n' + reqList(ctx, page, `machine ${m.id}`, m.req);
  b += `\n![State diagram of the ${m.id} machine](${machineDiagram(f, m.id)})\n\n`;
  const terminal = m.states.filter((s) => s.terminal).map((s) => ref('state', s.id));
  b += `Initial state: ${ref('state', m.initial)}. Terminal states: ${terminal.join(', ') || 'none'}. ${m.transitions.length} transitions.\n`;

  b += '\n' + heading(3, `${m.id}-transitions`, 'Transitions') + '\n';
  b += 'In **State**, on **Event**, when **Guard** holds (a row without a guard is the only row of its state and event), the machine runs the **Actions** in order and moves to **Next**; with an **Error**, it fails with that transport error code.\n\n';
  b += table(['State', 'Event', 'Guard', 'Next', 'Actions', 'Error'], m.transitions.map((t) => [
    ref('state', t.state), ref('event', t.event), t.guard ? ref('guard', t.guard) : '—', ref('state', t.next),
    t.actions.length ? t.actions.map((a) => ref('action', a)).join(', ') : '—', t.error ? errorLink(t.error) : '—',
  ]));
  m.transitions.forEach((t) => {
    if (!t.doc && !t.req.length) return;
    const name = `${t.state} / ${t.event}${t.guard ? ` [${t.guard}]` : ''}`;
    b += `\n${code(name)}: ${t.doc ? inline(t.doc) : ''}\n\n` + reqList(ctx, page, `transition ${name} of ${m.id}`, t.req);
  });

  b += '\n' + heading(3, `${m.id}-on-invalid`, 'Events without a transition') + '\n';
  b += `An event that has no row for the current state, in a non-terminal state, moves the machine to ${ref('state', m.onInvalid.next)} and fails with ${errorLink(m.onInvalid.error)}, naming the role (${inline(m.role)}), the state and the event. A terminal state ignores every event.\n`;
  if (m.onInvalid.req.length) b += '\n' + reqList(ctx, page, `on_invalid of ${m.id}`, m.onInvalid.req);

  const list = (kind: 'state' | 'event' | 'guard' | 'action', title: string, items: Array<{ id: string; doc: string; req: any[]; note?: string }>) => {
    if (!items.length) return '';
    let s = '\n' + heading(3, `${m.id}-${kind}s`, title) + '\n';
    s += table([kind[0].toUpperCase() + kind.slice(1), 'Meaning'], items.map((x) => [
      `${anchor(elementAnchor(m, kind, x.id))}${code(x.id)}${x.note ? ` (${x.note})` : ''}`, cell(inline(x.doc)),
    ]));
    for (const x of items) s += reqList(ctx, page, `${kind} ${x.id} of ${m.id}`, x.req);
    return s;
  };
  b += list('state', 'States', m.states.map((s) => ({ ...s, note: [s.id === m.initial ? 'initial' : '', s.terminal ? 'terminal' : ''].filter(Boolean).join(', ') })));
  b += list('event', 'Events', m.events.map((e) => ({ ...e, note: e.alwaysInvalid ? 'never valid' : '' })));
  b += list('guard', 'Guards', m.guards);
  b += list('action', 'Actions', m.actions);
  return b;
}

function vectorsLine(f: MachineFile, v: MachineVectorFile | undefined): string {
  if (!v) return 'Vectors: none yet (`npm run vectors:machines`).\n';
  const parts = [['transition', 'transitions'], ['invalid', 'without a transition'], ['ignored', 'ignored by a terminal state']]
    .map(([k, what]) => `${v.byResult.get(k) ?? 0} ${what}`).join(', ');
  const fresh = v.specSha256 === f.sha256 ? '' : ` **Stale**: made from ${code(v.specSha256.slice(0, 16))}; run \`npm run vectors:machines\`.`;
  return `Vectors: **${v.numberOfTests} cases** (${parts}) in ${link(v.path.split('/').pop()!, TO_ROOT + v.path)}: every state and event of every machine, with every guard the pair checks, and the expected next state, actions and error.${fresh}\n`;
}

export function machinePage(ctx: DocsCtx, f: MachineFile, vectors?: MachineVectorFile): Page {
  const page = machinePageName(f);
  let b = heading(1, undefined, inline(f.title));
  if (f.xref) b += `Follows ${inline(f.xref)}.\n\n`;
  b += prose(f.doc);
  if (f.req.length) b += '\n' + reqList(ctx, page, f.title, f.req);
  b += `\nMachines: ${f.machines.map((m) => link(code(m.id), `#${m.id}`)).join(', ')}. The tables are also generated as TypeScript (\`src/gen/machine-${f.id.replace(/_/g, '-')}.ts\`), and the diagrams are drawn from them.\n\n`;
  b += vectorsLine(f, vectors);
  for (const m of f.machines) b += machineSection(ctx, page, f, m);
  return { file: page, title: inline(f.title), body: b, sources: [f], uses: vectors ? [{ path: vectors.path, sha256: vectors.sha256 }] : [] };
}
