/**
 * The SVG diagrams of the rendered spec, `docs/spec/diagrams/*.svg`: one per state machine
 * (`<file id>-<machine id>.svg`) and the key schedule (`key-schedule.svg`). The Markdown pages
 * embed them by these paths; `npm run docs` writes the same files beside the HTML.
 */
import type { GeneratedFile } from './emit.ts';
import type { MachineFile, Spec } from './ir.ts';
import { machineDot, scheduleDot } from './diagrams.ts';
import { loadGraphviz, renderSvg } from './graphviz.ts';
import { DOCS_DIR } from './emit-docs-md.ts';

/** The diagrams directory, relative to the pages. */
export const DIAGRAMS_DIR = 'diagrams';

/** Path of a machine's diagram relative to the pages: `diagrams/handshake-client.svg`. */
export function machineDiagram(f: MachineFile, machineId: string): string {
  return `${DIAGRAMS_DIR}/${f.id}-${machineId}.svg`.replace(/_/g, '-');
}

/** Path of the key-schedule diagram relative to the pages. */
export const SCHEDULE_DIAGRAM = `${DIAGRAMS_DIR}/key-schedule.svg`;

/** Every diagram, paths relative to the pages (`diagrams/…`), rendered with Graphviz (WebAssembly). */
export async function docDiagrams(spec: Spec): Promise<GeneratedFile[]> {
  await loadGraphviz();
  const out: GeneratedFile[] = [];
  if (spec.crypto) out.push({ path: SCHEDULE_DIAGRAM, content: renderSvg(scheduleDot(spec.crypto), [spec.crypto]) });
  for (const f of spec.machines) {
    for (const m of f.machines) out.push({ path: machineDiagram(f, m.id), content: renderSvg(machineDot(m), [f]) });
  }
  return out;
}

/** The committed diagrams: {@link docDiagrams} under `docs/spec/`. */
export async function emitDiagrams(spec: Spec): Promise<GeneratedFile[]> {
  return (await docDiagrams(spec)).map((d) => ({ path: `${DOCS_DIR}/${d.path}`, content: d.content }));
}
