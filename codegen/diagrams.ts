/**
 * Graphviz DOT for the diagrams of the rendered spec, drawn from the IR tables: a state machine
 * (states, transitions grouped per arrow, the initial and terminal states, the on_invalid rule)
 * and the key schedule (inputs, constants and steps, with what each step reads).
 */
import type { CryptoFile, KeyRef, Machine, ScheduleStep } from './ir.ts';
import { stepReads } from './ir.ts';

/** A DOT string literal. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
const q = dotString;

const FONT = 'Helvetica,Arial,sans-serif';
const ERROR_COLOR = '#b42318';
const HEAD = [
  `  graph [fontname=${q(FONT)}, fontsize=11, nodesep=0.35, ranksep=0.45, pad=0.2];`,
  `  node [fontname=${q(FONT)}, fontsize=11];`,
  `  edge [fontname=${q(FONT)}, fontsize=9];`,
];

/** Breaks `items` joined by `sep` into lines of at most `width` characters. */
function wrap(items: string[], sep: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const it of items) {
    const next = cur ? `${cur}${sep}${it}` : it;
    if (cur && next.length > width) { lines.push(cur + sep.trimEnd()); cur = it; } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** The DOT of a machine: one arrow per (state, next, fails or not), labelled `event [guard | …]` per event. */
export function machineDot(m: Machine): string {
  const out = [`digraph ${q(m.id)} {`, ...HEAD, '  graph [rankdir=TB];', `  node [shape=box, style="rounded"];`];
  out.push(`  "__start" [shape=point, width=0.12, label=""];`);
  for (const s of m.states) {
    const attrs = [`label=${q(s.id)}`];
    if (s.terminal) attrs.push('peripheries=2');
    if (s.id === m.initial) attrs.push('penwidth=1.6');
    out.push(`  ${q(s.id)} [${attrs.join(', ')}];`);
  }
  out.push(`  "__start" -> ${q(m.initial)};`);
  const arrows = new Map<string, { from: string; to: string; fails: boolean; events: Map<string, string[]> }>();
  for (const t of m.transitions) {
    const fails = t.error !== undefined;
    const k = `${t.state}\u0000${t.next}\u0000${fails}`;
    const a = arrows.get(k) ?? { from: t.state, to: t.next, fails, events: new Map() };
    const guards = a.events.get(t.event) ?? [];
    if (t.guard) guards.push(t.guard);
    a.events.set(t.event, guards);
    arrows.set(k, a);
  }
  for (const a of arrows.values()) {
    const lines: string[] = [];
    for (const [event, guards] of a.events) {
      if (!guards.length) { lines.push(event); continue; }
      const g = wrap(guards, ' | ', 44);
      lines.push(`${event} [${g[0]}${g.length === 1 ? ']' : ''}`, ...g.slice(1).map((l, i) => `   ${l}${i === g.length - 2 ? ']' : ''}`));
    }
    const attrs = [`label=${q(lines.join('\n'))}`];
    if (a.fails) attrs.push(`color=${q(ERROR_COLOR)}`, `fontcolor=${q(ERROR_COLOR)}`, 'style=dashed');
    out.push(`  ${q(a.from)} -> ${q(a.to)} [${attrs.join(', ')}];`);
  }
  const caption = `${m.id} (${m.role}). Dashed: the transition fails with an error code. Double border: terminal (ignores every event).\n`
    + `Any event without a transition from a non-terminal state: → ${m.onInvalid.next} with ${m.onInvalid.error} (on_invalid).`;
  out.push(`  graph [labelloc=b, labeljust=l, label=${q(caption)}];`);
  out.push('}');
  return out.join('\n') + '\n';
}

/** Node name of what a key reference reads (inputs, constants and steps each get one node; ASCII literals one per use). */
function refNode(r: KeyRef, literal: string): string {
  switch (r.kind) {
    case 'ascii': return literal;
    default: return r.id;
  }
}

/** A step's operation in one line: `HKDF-Expand-Label("key")`, `bytes 0..32`. */
export function stepOp(s: ScheduleStep, prefix: string): string {
  switch (s.op) {
    case 'extract': return 'HKDF-Extract';
    case 'expand_label': return `Expand-Label("${prefix}${s.label}")`;
    case 'noise': return 'Noise Split()';
    case 'take': return `bytes ${s.offset}..${s.offset + s.length}`;
    case 'concat_hmac': return `H ‖ HMAC("${prefix}${s.label}")`;
  }
}

/** The DOT of the key schedule: inputs (ellipses), constants (notes), ASCII literals, and steps (boxes), left to right. */
export function scheduleDot(f: CryptoFile): string {
  const out = [`digraph "key_schedule" {`, ...HEAD, '  graph [rankdir=LR, ranksep=0.6];'];
  const used = new Set(f.schedule.flatMap((s) => stepReads(s).map(([, r]) => r)).filter((r) => r.kind !== 'ascii').map((r) => (r as { id: string }).id));
  for (const i of f.inputs) if (used.has(i.id)) out.push(`  ${q(i.id)} [shape=ellipse, style=filled, fillcolor="#ddf4ff", label=${q(i.id)}];`);
  for (const c of f.constants) if (used.has(c.id)) out.push(`  ${q(c.id)} [shape=note, style=filled, fillcolor="#fff8c5", label=${q(c.id)}];`);
  f.schedule.forEach((s, si) => {
    out.push(`  ${q(s.id)} [shape=box, style="rounded,filled", fillcolor="#f6f8fa", label=${q(`${s.id}\n${stepOp(s, f.expandLabel.prefix)}\n${s.length} bytes`)}];`);
    for (const [role, r] of stepReads(s)) {
      const literal = `__ascii_${si}_${role}`;
      if (r.kind === 'ascii') out.push(`  ${q(literal)} [shape=plaintext, label=${q(`"${r.text}"`)}];`);
      const label = r.kind === 'input' && r.part ? `${role} (.${r.part})` : role;
      out.push(`  ${q(refNode(r, literal))} -> ${q(s.id)} [label=${q(label)}];`);
    }
  });
  out.push(`  graph [labelloc=b, labeljust=l, label=${q('Blue: inputs. Yellow: constants. Grey: steps, each with its operation and output length.')}];`);
  out.push('}');
  return out.join('\n') + '\n';
}
